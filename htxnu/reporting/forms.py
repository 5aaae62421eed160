"""Forms of the reporting pages. They read and convert; the services decide.

The draft form is built from the catalogue: for each indicator taken from reports, the
unit's own figure (or, for a percentage, its numerator and denominator), and for every
indicator a comment and a follow-up flag. The page also sends every field as it was
loaded (the same form with the prefix "orig"), so services.report_save can merge two
people's edits field by field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from htxnu.core.widgets import DateInput  # dd/mm/yyyy as officers write it, with a calendar button
from htxnu.plans.target_text import parse_number, parse_target

from .aggregation import is_records
from .models import HIGHLIGHT_KEYS, Report, SignatureAuthority
from .services import field_name

MAX_HIGHLIGHTS = 30


class FigureField(forms.CharField):
    """A figure typed the Vietnamese or the English way: "1.234", "1234", "2,5"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 8})

    def prepare_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        text = format(value.normalize(), "f") if hasattr(value, "normalize") else str(value)
        return text.replace(".", ",")

    def clean(self, value):
        text = (value or "").replace(" ", "").replace("\u00a0", "").strip()
        if not text:
            return None
        try:
            number = parse_number(text)
        except ValueError:
            raise ValidationError(_("“%(value)s” is not a number."), params={"value": value}) from None
        if number < 0:
            raise ValidationError(_("A figure cannot be negative."))
        if number >= 10**12:
            raise ValidationError(_("“%(value)s” is too large."), params={"value": value})
        return number


class DraftForm(forms.Form):
    results = forms.CharField(label=Report._meta.get_field("results").verbose_name, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    shortcomings = forms.CharField(label=Report._meta.get_field("shortcomings").verbose_name, required=False,
                                   widget=forms.Textarea(attrs={"rows": 4}))
    lessons = forms.CharField(label=Report._meta.get_field("lessons").verbose_name, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    next_tasks = forms.CharField(label=Report._meta.get_field("next_tasks").verbose_name, required=False,
                                 widget=forms.Textarea(attrs={"rows": 4}))
    proposals = forms.CharField(label=Report._meta.get_field("proposals").verbose_name, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("Number (Số)"), required=False, max_length=20)
    drafting_unit = forms.CharField(label=_("Drafting unit (for “Lưu: VT, …”)"), required=False, max_length=30)
    recipients = forms.CharField(label=_("Recipients (Nơi nhận), one per line"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))
    signature_authority = forms.ChoiceField(label=_("Signing"), choices=SignatureAuthority.choices)
    signer_title = forms.CharField(label=_("Signer's title"), required=False, max_length=100)
    signer_name = forms.CharField(label=_("Signer's name"), required=False, max_length=100)

    def __init__(self, *args, indicators=(), highlight_rows: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            code, label = indicator.code, indicator.label
            if not is_records(indicator):
                if indicator.is_percent:
                    self.fields[field_name("num", code)] = FigureField(label=_("%(indicator)s — counted") % {
                        "indicator": label})
                    self.fields[field_name("den", code)] = FigureField(label=_("%(indicator)s — out of") % {
                        "indicator": label})
                else:
                    self.fields[field_name("own", code)] = FigureField(label=_("%(indicator)s — this unit's own "
                                                                               "figure") % {"indicator": label})
            self.fields[field_name("comment", code)] = forms.CharField(
                label=_("%(indicator)s — comment") % {"indicator": label}, required=False, max_length=2000,
                widget=forms.TextInput())
            self.fields[field_name("follow", code)] = forms.BooleanField(
                label=_("%(indicator)s — follow up") % {"indicator": label}, required=False)
            # Shown in the mid-term and final reviews only; elsewhere it is sent back unchanged.
            self.fields[field_name("proposal", code)] = forms.CharField(
                label=_("%(indicator)s — proposed target for the next phase") % {"indicator": label},
                required=False, max_length=60, widget=forms.TextInput(attrs={"size": 10}))
        if self.is_bound:
            posted = {index for index in map(self._highlight_index, self.data) if index is not None}
            highlight_rows = min(max(posted, default=-1) + 1, MAX_HIGHLIGHTS)
        self.highlight_rows = highlight_rows
        for i in range(highlight_rows):
            for key in HIGHLIGHT_KEYS:
                self.fields[f"hl-{i}-{key}"] = forms.CharField(required=False, max_length=500)

    def _highlight_index(self, key: str) -> int | None:
        """The row of a posted highlight cell ("hl-2-name", "orig-hl-2-name"), else None."""
        prefix = f"{self.prefix}-" if self.prefix else ""
        parts = key[len(prefix):].split("-") if key.startswith(prefix) else []
        if len(parts) == 3 and parts[0] == "hl" and parts[1].isdigit():
            return int(parts[1])
        return None

    def clean(self):
        data = super().clean()
        rows = []
        for i in range(self.highlight_rows):
            row = {key: (data.pop(f"hl-{i}-{key}", "") or "").strip() for key in HIGHLIGHT_KEYS}
            if any(row.values()):
                if not row["name"]:
                    self.add_error(f"hl-{i}-name", _("Highlighted models and people, row %(row)s: give the name.")
                                   % {"row": i + 1})
                rows.append(row)
        data["highlights"] = rows
        for indicator in self.indicators:
            proposal = field_name("proposal", indicator.code)
            try:
                parse_target(data.get(proposal) or "")  # "≥ 40", "35-40", "100%": as plans write targets
            except ValidationError as error:
                self.add_error(proposal, error)
            num, den = field_name("num", indicator.code), field_name("den", indicator.code)
            if num in data and data.get(num) is not None and data.get(den) is not None and data[num] > data[den]:
                self.add_error(num, _("%(indicator)s: the part is larger than the whole.")
                               % {"indicator": indicator.label})
        return data

    def highlight_cells(self):
        """[[bound field per key] per row], for the template."""
        return [[self[f"hl-{i}-{key}"] for key in HIGHLIGHT_KEYS] for i in range(self.highlight_rows)]

    @staticmethod
    def initial_from(fields: dict) -> dict:
        """The form's initial data from services.current_fields()."""
        initial = {k: v for k, v in fields.items() if k != "highlights"}
        for i, row in enumerate(fields.get("highlights") or []):
            for key in HIGHLIGHT_KEYS:
                initial[f"hl-{i}-{key}"] = row.get(key, "")
        return initial


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return for changes"))])
    comment = forms.CharField(label=_("Comment to the unit"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason for reopening the report.")})


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), required=False, widget=DateInput(),
                               help_text=_("Leave empty to go back to the deadline of the plan."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class SettingForm(forms.Form):
    children_first = forms.BooleanField(label=_("Submit and approve only after every unit below is approved"),
                                        required=False)


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=300)
    description = forms.CharField(label=_("What is asked"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    data_start = forms.DateField(label=_("Data from"), widget=DateInput())
    data_end = forms.DateField(label=_("Data until"), widget=DateInput())
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end, deadline = data.get("data_start"), data.get("data_end"), data.get("deadline")
        if start and end and start > end:
            self.add_error("data_end", _("The period ends before it starts."))
        if start and deadline and deadline < start:
            self.add_error("deadline", _("The deadline is before the period starts."))
        if end and end > datetime.date(2100, 1, 1):
            self.add_error("data_end", _("This date is too far ahead."))
        return data
