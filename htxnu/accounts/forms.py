from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from htxnu.text import nfc

from .models import Organisation, User


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "is_officer", "is_approver", "is_unit_admin", "is_active"]


class UserCreateForm(UserForm):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput, strip=False)

    class Meta(UserForm.Meta):
        fields = ["username", "organisation", *UserForm.Meta.fields]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["organisation"].required = True
        self.fields.pop("is_active")

    def clean_username(self):
        username = nfc(self.cleaned_data["username"])
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            candidate = User(username=data.get("username") or "", full_name=data.get("full_name") or "")
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name
