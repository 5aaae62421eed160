import contextlib
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from htxnu.accounts.models import Organisation
from htxnu.core.widgets import DateInput
from htxnu.geo.models import AdminUnit, Level

from . import selectors
from .ethnic_groups import ethnicity_choices
from .models import (
    Collective,
    CollectiveType,
    Governance,
    LifeEvent,
    Manager,
    Product,
    SalesChannel,
    Sector,
    Status,
    WorkforceSnapshot,
)

ALL = _("All")


def _blank(choices):
    return [("", ALL), *choices]


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search (name, code, products; accents optional)"), required=False)
    unit = forms.IntegerField(label=_("Unit"), required=False, widget=forms.Select)
    type = forms.ChoiceField(label=_("Type"), required=False, choices=_blank(CollectiveType.choices))
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=_blank(Sector.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=_blank(Status.choices))
    eligibility = forms.ChoiceField(label=_("Eligibility"), required=False, choices=_blank([
        ("women_managed", _("Women-managed")),
        ("women_jobs", _("Many jobs for women")),
        ("both", _("Both")),
        ("either", _("At least one")),
        ("neither", _("Neither")),
    ]))
    ocop = forms.ChoiceField(label=_("OCOP"), required=False, choices=_blank([
        ("any", _("Has an OCOP product")), ("3", "3★"), ("4", "4★"), ("5", "5★"), ("none", _("No OCOP product")),
    ]))
    union_supported = forms.ChoiceField(label=_("Founded with Union support"), required=False, choices=_blank([
        ("1", _("Yes")), ("0", _("No")),
    ]))

    def __init__(self, *args, unit_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget.choices = list(unit_choices)

    def filters(self, unit: AdminUnit | None) -> selectors.Filters:
        data = self.cleaned_data if self.is_valid() else {}
        supported = data.get("union_supported")
        return selectors.Filters(
            unit=unit, q=(data.get("q") or "").strip(), type=data.get("type") or "", sector=data.get("sector") or "",
            status=data.get("status") or "", eligibility=data.get("eligibility") or "", ocop=data.get("ocop") or "",
            union_supported=None if not supported else supported == "1", **record_filters(self.data),
        )


RECORD_DATES = ("at", "consolidated_from", "founded_from")
RECORD_FLAGS = ("alive", "consolidated", "founded", "figures")


def record_filters(data) -> dict:
    """The parameters of a link to the records behind a figure (not shown as fields: the
    list keeps them while the other filters change). A date that does not parse is
    ignored, as a bad value of any other filter is."""
    found = {}
    for name in RECORD_DATES:
        with contextlib.suppress(ValueError):
            found[name] = datetime.date.fromisoformat(data.get(name) or "")
    for name in RECORD_FLAGS:
        if data.get(name) == "1":
            found[name] = True
    return found


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AdminUnit) -> str:
        return obj.name


class CollectiveForm(forms.ModelForm):
    ecommerce_channels = forms.MultipleChoiceField(
        label=_("E-commerce channels"), required=False, choices=SalesChannel.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Collective
        fields = [
            "type", "name", "registration_code", "commune", "registered_unit", "address", "founded_on", "sector",
            "main_products", "status", "governance", "union_supported_founding", "union_support_level",
            "following_organisation", "in_value_chain", "digital_transformation", "ecommerce_channels",
            "social_insurance", "agricultural_insurance",
        ]
        widgets = {"founded_on": DateInput()}
        field_classes = {"commune": UnitChoiceField, "registered_unit": UnitChoiceField}

    def __init__(self, *args, communes, old_communes, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes
        self.fields["registered_unit"].queryset = old_communes
        self.fields["following_organisation"].queryset = organisations
        self.fields["governance"].choices = [("", "—"), *Governance.choices]
        if self.instance.pk is None and communes.count() == 1:
            self.initial.setdefault("commune", communes.first().pk)


class ManagerForm(forms.ModelForm):
    class Meta:
        model = Manager
        fields = ["full_name", "gender", "position", "birth_year", "phone", "started_on", "ended_on", "ethnicity",
                  "ethnicity_consent_on"]
        widgets = {"started_on": DateInput(), "ended_on": DateInput(), "ethnicity_consent_on": DateInput()}

    def __init__(self, *args, show_ethnicity: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_ethnicity:
            del self.fields["ethnicity"]
            del self.fields["ethnicity_consent_on"]
        else:
            # The 54 groups of the national list instead of free text (a value typed earlier is kept).
            field = self.fields["ethnicity"]
            field.widget = forms.Select(choices=ethnicity_choices(self.instance.ethnicity if self.instance else ""))

    def clean_ethnicity(self):
        value = self.cleaned_data.get("ethnicity", "")
        if value not in dict(self.fields["ethnicity"].widget.choices):
            raise forms.ValidationError(_("Choose one of the 54 ethnic groups of the national list."))
        return value


class WorkforceForm(forms.ModelForm):
    class Meta:
        model = WorkforceSnapshot
        fields = [f.name for f in WorkforceSnapshot._meta.concrete_fields if f.name not in {"id", "collective"}]
        widgets = {"as_of": DateInput()}


class ProductForm(forms.ModelForm):
    sales_channels = forms.MultipleChoiceField(
        label=_("Sales channels"), required=False, choices=SalesChannel.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Product
        fields = [f.name for f in Product._meta.concrete_fields if f.name not in {"id", "collective"}]
        widgets = {"ocop_decision_date": DateInput()}


class EventForm(forms.ModelForm):
    class Meta:
        model = LifeEvent
        fields = ["kind", "date", "union_supported", "union_level", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Conversion has its own action, which creates the cooperative.
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] != LifeEvent.Kind.CONVERTED]


class ConvertForm(forms.Form):
    name = forms.CharField(label=_("Name of the new cooperative"), max_length=250)
    registration_code = forms.CharField(label=_("Registration / tax code"), max_length=20, required=False)
    date = forms.DateField(label=_("Date of registration"), widget=DateInput())
    governance = forms.ChoiceField(label=_("Governance model"), choices=[("", "—"), *Governance.choices],
                                   required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))

    MAX_BYTES = 20 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the .xlsx file (Excel workbook), not %(name)s.") % {"name": f.name})
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB; split it."))
        return f


def communes_of(unit: AdminUnit):
    return AdminUnit.objects.filter(scope_links__ancestor=unit, level=Level.COMMUNE, valid_to__isnull=True).order_by(
        "name"
    )


def old_communes_of(unit: AdminUnit):
    return AdminUnit.objects.filter(scope_links__ancestor=unit, level=Level.COMMUNE, valid_to__isnull=False).order_by(
        "name"
    )


def union_organisations_of(unit: AdminUnit):
    return Organisation.objects.filter(kind=Organisation.Kind.UNION, unit__scope_links__ancestor=unit,
                                       unit__valid_to__isnull=True, is_active=True).order_by("unit__level", "name")
