from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from htxnu.accounts.models import Organisation
from htxnu.core.widgets import DateInput
from htxnu.geo.models import AdminUnit
from htxnu.registry.models import PRIORITY_GROUPS, Collective

from .models import TOPICS, Activity, BudgetLine, Cadre, CadreCount, Event, Nomination, SupportAction

DATE_WIDGET = DateInput()  # dd/mm/yyyy with a calendar button, as every date field
COUNT_FIELDS = [
    "participants_cadres", "participants_managers", "participants_members", "participants_workers",
    "participants_others", "participants_women",
]
PRIORITY_FIELDS = [f"priority_{code}" for code, _label in PRIORITY_GROUPS]
TOPIC_FIELDS = [f"topic_{code}" for code, _label in TOPICS]


def units_for(user, unit):
    """The active unit and the current units directly below it, within the user's scope."""
    return (
        AdminUnit.objects.visible_to(user)
        .filter(Q(pk=unit.pk) | Q(parent=unit, valid_to__isnull=True))
        .order_by("level", "name")
    )


def organisers_for(user, unit):
    if user.organisation and not user.organisation.is_union and not user.is_superuser:
        return Organisation.objects.filter(pk=user.organisation_id)
    return (
        Organisation.objects.visible_to(user)
        .filter(Q(unit=unit) | Q(unit__parent=unit, unit__valid_to__isnull=True), is_active=True)
        .order_by("kind", "unit__level", "name")
    )


class UnitScopedForm(forms.ModelForm):
    """Forms whose unit (and organiser) choices are limited to the active unit and below."""

    def __init__(self, *args, user, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.unit = user, unit
        if "unit" in self.fields:
            self.fields["unit"].queryset = units_for(user, unit)
            self.fields["unit"].initial = unit.pk
        for name in ("organiser", "provider", "lead"):
            if name in self.fields:
                self.fields[name].queryset = organisers_for(user, unit)
                if user.organisation_id and not self.instance.pk:
                    self.fields[name].initial = user.organisation_id
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE_WIDGET
                field.input_formats = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
            if isinstance(field, forms.IntegerField):
                field.widget.attrs.update({"inputmode": "numeric", "min": 0})


class EventForm(UnitScopedForm):
    class Meta:
        model = Event
        fields = [
            "kind", "title", "date", "end_date", "place", "unit", "organiser", "activity", *TOPIC_FIELDS,
            *COUNT_FIELDS, *PRIORITY_FIELDS, "cost", "funding_source", "channel", "link", "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.visible_to(self.user).filter(
            unit__scope_links__ancestor=self.unit
        ).order_by("task_group", "title")
        self.fields["activity"].required = False


class SupportForm(UnitScopedForm):
    class Meta:
        model = SupportAction
        fields = ["kind", "date", "provider", "lender", "amount", "event", "activity", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.visible_to(self.user).filter(
            unit__scope_links__ancestor=self.unit
        ).order_by("-date")
        self.fields["activity"].queryset = Activity.objects.visible_to(self.user).filter(
            unit__scope_links__ancestor=self.unit
        )


class ActivityForm(UnitScopedForm):
    class Meta:
        model = Activity
        fields = ["plan", "task_group", "title", "unit", "lead", "lead_name", "coordinating_names", "starts_on",
                  "ends_on", "status", "outputs"]
        widgets = {"outputs": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from htxnu.plans.selectors import plans_of_unit_and_below

        self.fields["plan"].queryset = plans_of_unit_and_below(self.user, self.unit)


class BudgetLineForm(UnitScopedForm):
    class Meta:
        model = BudgetLine
        fields = ["kind", "unit", "year", "source", "amount", "date", "reference", "activity", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.visible_to(self.user).filter(
            unit__scope_links__ancestor=self.unit
        )
        self.fields["activity"].required = False


class CadreForm(UnitScopedForm):
    class Meta:
        model = Cadre
        fields = ["full_name", "gender", "position", "unit", "works_on_cooperatives", "active"]


class CadreCountForm(forms.ModelForm):
    class Meta:
        model = CadreCount
        fields = ["total_cadres", "cooperative_cadres", "cooperative_cadres_trained", "cadres_skilled"]


class NominationForm(UnitScopedForm):
    class Meta:
        model = Nomination
        fields = ["unit", "cycle", "collective", "person_name", "reason", "level", "status"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3}), "collective": forms.NumberInput()}
        labels = {"collective": _("cooperative or group (number in the registry)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collective"].queryset = Collective.objects.visible_to(self.user).filter(
            commune__scope_links__ancestor=self.unit
        )
