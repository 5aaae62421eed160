from django import forms
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from htxnu.accounts.models import Organisation
from htxnu.core.widgets import DateInput  # dd/mm/yyyy as officers write it, with a calendar button

from .models import Baseline, BasisDocument, FemaleShareThreshold, Indicator, Phase, Plan, ReportingRule, TaskGroup


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["doc_type", "number", "issued_on", "issuer", "title", "organisation", "document", "note",
                  "reports_to_party_committee"]
        widgets = {"issued_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.unit = unit
        # The Union bodies of units closed in 2025 are inactive but still keep their plans.
        self.fields["organisation"].queryset = Organisation.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.organisation_id), unit=unit).order_by("kind", "name")
        if not self.instance.pk:
            self.initial.setdefault("organisation", self.fields["organisation"].queryset.filter(
                kind=Organisation.Kind.UNION).values_list("pk", flat=True).first())


class TaskGroupForm(forms.ModelForm):
    coordinating_agencies = forms.CharField(
        label=_("coordinating agencies (phối hợp)"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One agency per line."),
    )

    class Meta:
        model = TaskGroup
        fields = ["number", "title", "lead_agency", "coordinating_agencies", "time_frame"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["coordinating_agencies"] = "\n".join(self.instance.coordinating_agencies or [])

    def clean_coordinating_agencies(self):
        return [line.strip() for line in self.cleaned_data["coordinating_agencies"].splitlines() if line.strip()]


class BaselineForm(forms.ModelForm):
    class Meta:
        model = Baseline
        fields = ["indicator", "value", "members", "as_of", "note"]
        widgets = {"as_of": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.active()


class BasisForm(forms.ModelForm):
    class Meta:
        model = BasisDocument
        fields = ["number", "issued_on", "title"]
        widgets = {"issued_on": DateInput()}


def _formset(model, form=forms.ModelForm, fields=None, extra=1):
    return inlineformset_factory(Plan, model, form=form, fields=fields, extra=extra, can_delete=True)


# (prefix, title, formset class, extra rows when creating)
PART_FORMSETS = [
    ("phases", _("Phases"), _formset(Phase, fields=["start_year", "end_year"], extra=1)),
    ("thresholds", _("Female-labour thresholds"), _formset(FemaleShareThreshold, fields=["op", "pct", "applies_to"])),
    ("baselines", _("Baselines"), _formset(Baseline, form=BaselineForm)),
    ("reporting_rules", _("Reporting"), _formset(ReportingRule, fields=["period", "deadline_day", "deadline_month",
                                                                    "quarter_month", "days_after_quarter_end"])),
    ("task_groups", _("Task groups"), _formset(TaskGroup, form=TaskGroupForm, extra=0)),
    ("basis", _("Basis documents"), _formset(BasisDocument, form=BasisForm)),
]


def part_formsets(data=None, *, plan: Plan | None = None) -> list[tuple[str, str, forms.BaseInlineFormSet]]:
    instance = plan or Plan()
    found = []
    for prefix, title, cls in PART_FORMSETS:
        if prefix == "task_groups" and plan is None:
            continue  # the six groups are created with the plan
        found.append((prefix, title, cls(data, instance=instance, prefix=prefix)))
    return found


def formset_rows(formset) -> list[dict]:
    """The rows to keep, as the services take them: {"id": …, field: value}."""
    rows = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
            continue
        if not form.instance.pk and not form.has_changed():
            continue
        row = {name: form.cleaned_data.get(name) for name in form._meta.fields if name != formset.fk.name}
        if form.instance.pk:
            row["id"] = form.instance.pk
        rows.append(row)
    return rows


class AdoptForm(forms.Form):
    """"Áp dụng kế hoạch": which of the plans governing the unit it adopts, from which year,
    and the adopting document when there is one."""

    plans = forms.MultipleChoiceField(label=_("Plans to adopt"), widget=forms.CheckboxSelectMultiple)
    start_year = forms.IntegerField(label=_("Own plan from the year"), min_value=2026, max_value=2030, initial=2026)
    number = forms.CharField(label=_("number and symbol"), max_length=60, required=False,
                             help_text=_("Of the document that adopts them, if there is one."))
    issued_on = forms.DateField(label=_("issued on"), required=False, widget=DateInput())
    issuer = forms.CharField(label=_("issued by"), max_length=200, required=False)

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].choices = [(str(s.plan.pk), f"{s.plan} — {s.territory.name}") for s in sources]
        self.initial.setdefault("plans", [str(s.plan.pk) for s in sources])
