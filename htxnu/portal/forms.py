from django import forms
from django.utils.translation import gettext_lazy as _

from htxnu.registry.models import CollectiveType, OcopGroup, Sector

from .models import MESSAGE_MAX, Inquiry, Post, ProductListing, Publication
from .services import PUBLICATION_FIELDS

# Longest photo alt text / caption.
ALT_MAX = 200


class PublicationForm(forms.ModelForm):
    class Meta:
        model = Publication
        fields = sorted(PUBLICATION_FIELDS)
        widgets = {
            "consent_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "story": forms.Textarea(attrs={"rows": 6}),
        }

    field_order = ["consent_on", "consent_by", "consent_document", "story", "contact_name", "contact_phone",
                   "contact_email", "contact_address", "website", "latitude", "longitude", "show_founded",
                   "show_members", "show_products", "show_map"]


class PhotoForm(forms.Form):
    image = forms.FileField(label=_("Photo (JPEG, PNG or WebP)"),
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
    alt_text = forms.CharField(label=_("What the photo shows"), max_length=ALT_MAX)
    product = forms.ChoiceField(label=_("Product"), required=False)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [("", _("The cooperative (no product)"))] + [
            (str(p.pk), p.name) for p in products]


class ProductListingForm(forms.ModelForm):
    class Meta:
        model = ProductListing
        fields = ["season", "description", "where_to_buy"]


class InquiryForm(forms.ModelForm):
    # A honeypot: hidden from people by the stylesheet, filled in by robots.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    class Meta:
        model = Inquiry
        fields = ["kind", "name", "phone", "email", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX})}

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email"):
            self.add_error("phone", _("Give a phone number or an e-mail address so they can answer you."))
        return data


class CloseForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=300, required=False)


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["kind", "title", "summary", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What to change"), max_length=300)


class FilterForm(forms.Form):
    """The public list's filters (GET); selectors.Filters does the validation."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    province = forms.ChoiceField(label=_("Province"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All"))] + list(CollectiveType.choices))
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All"))] + list(Sector.choices))
    product_type = forms.ChoiceField(label=_("Product type"), required=False,
                                     choices=[("", _("All"))] + list(OcopGroup.choices))
    stars = forms.ChoiceField(label=_("OCOP stars"), required=False,
                              choices=[("", _("All")), ("3", "3★+"), ("4", "4★+"), ("5", "5★")])

    def __init__(self, *args, provinces=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("All"))] + [(p.code, p.name) for p in provinces]
        self.fields["commune"].choices = [("", _("All"))] + [(c.code, c.name) for c in communes]
