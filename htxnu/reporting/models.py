"""Report rounds, the report of a unit for a round, its values, and what goes around
them (deadline overrides, the "units below first" setting, notifications).

- Round: a report period ("đợt báo cáo"). The regular rounds 2023–2030 (quarterly,
  6-month, annual, the mid-term and final reviews) are data (migration
  0002_regular_rounds); an ad-hoc round is requested by a unit for the units below
  it, with its own topic and deadline. The data cut-off is stored on the round
  (periods.py gives the defaults of Decree 09/2019).
- Report: one unit's report for one round, from draft to approved (see services.py).
  It belongs to a unit valid on the round's cut-off end (old units for phase-1
  rounds, today's units after 1 July 2025). `version` is the optimistic-concurrency
  counter: every change compares and swaps it.
- ReportValue: one indicator in one report: the unit's own entry (indicators taken
  from reports), the figures frozen when the report was submitted, and the comment
  and follow-up flag. A draft's figures are computed when shown (aggregation.py).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from htxnu.geo.models import REORGANISATION_DATE
from htxnu.geo.scoping import ScopedQuerySet, scope_root_id

from . import periods


class RoundKind(models.TextChoices):
    QUARTERLY = periods.QUARTERLY, _("Quarterly")
    SEMIANNUAL = periods.SEMIANNUAL, _("6-month")
    ANNUAL = periods.ANNUAL, _("Annual")
    AD_HOC = periods.AD_HOC, _("Ad hoc, on request")
    MIDTERM = periods.MIDTERM, _("Mid-term review")
    FINAL = periods.FINAL, _("Final review")


REVIEW_KINDS = (RoundKind.MIDTERM, RoundKind.FINAL)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class RoundQuerySet(models.QuerySet):
    def regular(self):
        return self.filter(requested_by__isnull=True)

    def visible_to(self, user):
        """Regular rounds to everyone signed in; an ad-hoc round to the units above and
        below the unit that requested it (those who ask and those who answer)."""
        from htxnu.geo.models import UnitScope

        root = scope_root_id(user)
        if root is None:
            return self.none()
        requester_below_user = UnitScope.objects.filter(ancestor_id=root, unit_id=OuterRef("requested_by_id"))
        user_below_requester = UnitScope.objects.filter(ancestor_id=OuterRef("requested_by_id"), unit_id=root)
        return self.filter(Q(requested_by__isnull=True) | Exists(requester_below_user) | Exists(user_below_requester))


class Round(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(
        _("number"), default=0, help_text=_("The quarter (1–4) of a quarterly round; 1 for a 6-month round."))
    title = models.CharField(_("topic"), max_length=300, blank=True,
                             help_text=_("What an ad-hoc report is about."))
    description = models.TextField(_("what is asked"), blank=True)
    data_start = models.DateField(_("data from"))
    data_end = models.DateField(_("data until"))
    deadline = models.DateField(
        _("deadline"), null=True, blank=True,
        help_text=_("Ad-hoc rounds only; regular rounds take the deadline of the plan in force for each unit."))
    requested_by = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("requested by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()
    # Audit entries of an ad-hoc round belong to the unit that requested it.
    scope_path = "requested_by"

    class Meta:
        verbose_name = _("report round")
        verbose_name_plural = _("report rounds")
        ordering = ["-data_end", "kind", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], condition=Q(requested_by__isnull=True),
                                    name="reporting_one_regular_round"),
            models.CheckConstraint(condition=Q(data_start__lte=models.F("data_end")),
                                   name="reporting_round_dates_ordered"),
            models.CheckConstraint(
                condition=(Q(kind="ad_hoc", requested_by__isnull=False, deadline__isnull=False)
                           | (~Q(kind="ad_hoc") & Q(requested_by__isnull=True))),
                name="reporting_ad_hoc_is_requested"),
        ]
        indexes = [models.Index(fields=["data_end"])]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == RoundKind.AD_HOC:
            return self.title or gettext("Ad-hoc report")
        if self.kind == RoundKind.QUARTERLY:
            return gettext("Quarter %(q)s/%(year)s report") % {"q": ROMAN.get(self.number, self.number),
                                                               "year": self.year}
        if self.kind == RoundKind.SEMIANNUAL:
            return gettext("First 6 months of %(year)s report") % {"year": self.year}
        if self.kind == RoundKind.ANNUAL:
            return gettext("%(year)s annual report") % {"year": self.year}
        if self.kind == RoundKind.MIDTERM:
            return gettext("Mid-term review %(start)s–%(end)s") % {"start": periods.FIRST_YEAR, "end": self.year}
        return gettext("Final review %(start)s–%(end)s") % {"start": periods.FIRST_YEAR, "end": self.year}

    @property
    def subject(self) -> str:
        """How the official document names the period: "… năm 2026"."""
        if self.kind == RoundKind.AD_HOC:
            return self.title
        if self.kind == RoundKind.QUARTERLY:
            return gettext("in quarter %(q)s of %(year)s") % {"q": ROMAN.get(self.number), "year": self.year}
        if self.kind == RoundKind.SEMIANNUAL:
            return gettext("in the first 6 months of %(year)s") % {"year": self.year}
        if self.kind == RoundKind.ANNUAL:
            return gettext("in %(year)s") % {"year": self.year}
        return gettext("in the period %(start)s–%(end)s") % {"start": periods.FIRST_YEAR, "end": self.year}

    @property
    def is_review(self) -> bool:
        return self.kind in REVIEW_KINDS

    @property
    def reference_date(self) -> datetime.date:
        """Units valid on this day write the reports of the round."""
        return self.data_end

    @property
    def before_reorganisation(self) -> bool:
        return self.data_end < REORGANISATION_DATE

    @property
    def spans_phase_one(self) -> bool:
        """Data before 1 July 2025 is in it: the geography switch matters."""
        return self.data_start < REORGANISATION_DATE

    @property
    def rule_period(self) -> str:
        return periods.RULE_PERIOD[self.kind]

    def clean(self):
        if self.data_start and self.data_end and self.data_start > self.data_end:
            raise ValidationError({"data_end": _("The period ends before it starts.")})
        if self.kind == RoundKind.AD_HOC:
            errors = {}
            if not self.title:
                errors["title"] = _("Say what the report is about.")
            if not self.deadline:
                errors["deadline"] = _("Give the deadline.")
            if errors:
                raise ValidationError(errors)


class ReportState(models.TextChoices):
    # A context, so the catalogue of the project (where "Approved" is an audit action) does not win.
    DRAFT = "draft", pgettext_lazy("report state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report state", "Submitted")
    RETURNED = "returned", pgettext_lazy("report state", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("report state", "Approved")


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
FROZEN_STATES = (ReportState.SUBMITTED, ReportState.APPROVED)


class SignatureAuthority(models.TextChoices):
    ON_BEHALF = "TM", _("TM. (on behalf of the standing committee)")
    DEPUTY = "KT", _("KT. (deputy signing for the chair)")


NARRATIVE_FIELDS = ("results", "shortcomings", "lessons", "next_tasks", "proposals")
HIGHLIGHT_KEYS = ("name", "kind", "place", "achievement")


class Report(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT,
                             related_name="reports")
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    version = models.PositiveIntegerField(default=1, editable=False)

    results = models.TextField(_("Results achieved"), blank=True)
    shortcomings = models.TextField(_("Shortcomings, limitations and their causes"), blank=True)
    lessons = models.TextField(_("Lessons learned"), blank=True)
    next_tasks = models.TextField(_("Tasks for the next period"), blank=True)
    proposals = models.TextField(_("Proposals and recommendations"), blank=True)
    highlights = models.JSONField(_("highlighted models and people"), default=list, blank=True)

    document_number = models.CharField(
        _("number"), max_length=20, blank=True,
        help_text=_("The number the office gives the document (Số: …/BC-HPN); leave empty to fill in by hand."))
    symbol = models.CharField(_("symbol"), max_length=30, default="BC-HPN")
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True,
                                  help_text=_("One per line; “Lưu: VT, <drafting unit>.” is added at the end."))
    drafting_unit = models.CharField(
        _("drafting unit"), max_length=30, blank=True,
        help_text=_("Its short name for the filing line “Lưu: VT, GĐXH-KT.”"))
    signature_authority = models.CharField(_("signing"), max_length=2, choices=SignatureAuthority.choices,
                                           default=SignatureAuthority.ON_BEHALF)
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)

    # What a report needs before it is sent up (the seeds' reports all have them); a draft may lack them.
    REQUIRED_TO_SUBMIT = {
        "results": _("the results achieved (part I)"),
        "document_number": _("the document number"),
        "signer_name": _("the signer's name"),
    }

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    resubmissions = models.PositiveSmallIntegerField(default=0)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    review_comment = models.TextField(_("reviewer's comment"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-round__data_end", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="reporting_one_report_per_round")]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self):
        return f"{self.round.label} · {self.unit.name}"

    def missing_to_submit(self) -> list[str]:
        """The parts of REQUIRED_TO_SUBMIT still empty, in the words the page uses."""
        return [str(label) for name, label in self.REQUIRED_TO_SUBMIT.items() if not getattr(self, name).strip()]

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_frozen(self) -> bool:
        return self.state in FROZEN_STATES

    def clean(self):
        rows = self.highlights
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ValidationError({"highlights": _("A list of rows.")})
        for number, row in enumerate(rows, start=1):
            if any(str(row.get(k) or "").strip() for k in HIGHLIGHT_KEYS) and not str(row.get("name") or "").strip():
                raise ValidationError({"highlights": _("Highlighted models and people, row %(row)s: give the name.")
                                       % {"row": number}})


class ReportValue(models.Model):
    """One indicator in a report. `own_*` is what the unit typed (indicators taken from
    reports); `value`, `numerator`, `denominator`, `source`, `below_reports` are the
    figure as it stood when the report was submitted (empty while it is a draft)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey("plans.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="+")
    own_value = models.DecimalField(_("own figure"), max_digits=14, decimal_places=2, null=True, blank=True)
    own_numerator = models.DecimalField(_("own numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    own_denominator = models.DecimalField(_("own denominator"), max_digits=14, decimal_places=2, null=True,
                                          blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, blank=True)
    below_reports = models.PositiveIntegerField(default=0)
    comment = models.TextField(_("comment"), blank=True)
    follow_up = models.BooleanField(_("follow up"), default=False)
    # Mid-term and final reviews: the target the unit proposes for the next phase, as written
    # ("≥ 40"), pre-filled from the trend's projection (selectors.review_projections).
    proposed_target = models.CharField(_("proposed target for the next phase"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "report__unit"

    class Meta:
        verbose_name = _("report value")
        verbose_name_plural = _("report values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="reporting_one_value_per_indicator"),
        ]

    def __str__(self):
        return f"{self.report_id} · {self.indicator_id}"

    def clean(self):
        errors = {}
        for name in ("own_value", "own_numerator", "own_denominator"):
            number = getattr(self, name)
            if number is not None and number < 0:
                errors[name] = _("A figure cannot be negative.")
        if (self.own_numerator is not None and self.own_denominator is not None
                and self.own_numerator > self.own_denominator):
            errors["own_numerator"] = _("The part is larger than the whole.")
        if self.own_denominator == 0 and self.own_numerator:
            errors["own_denominator"] = _("The whole cannot be 0 when the part is not.")
        if errors:
            raise ValidationError(errors)


class DeadlineOverride(models.Model):
    """A deadline set by hand for one unit and round, instead of the plan's."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="deadline_overrides")
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("deadline"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("deadline set by hand")
        verbose_name_plural = _("deadlines set by hand")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="reporting_one_override")]

    def __str__(self):
        return f"{self.round} · {self.unit}: {self.deadline:%d/%m/%Y}"


class UnitSetting(models.Model):
    """DHIS2's rule, per unit: its report can be submitted, and approved, only once every
    unit directly below it has an approved report for the round."""

    unit = models.OneToOneField("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    children_first = models.BooleanField(
        _("units below first"), default=False,
        help_text=_("Submit and approve this unit's report only after every unit directly below it is approved."))

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("reporting setting")
        verbose_name_plural = _("reporting settings")

    def __str__(self):
        return f"{self.unit}: {self.children_first}"


class ValueComment(models.Model):
    """A message in the thread on one figure of a report: the reviewer's comments and the
    unit's replies, kept apart from the unit's own note on the figure (ReportValue.comment),
    which only the unit writes."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="value_comments")
    indicator = models.ForeignKey("plans.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    from_reviewer = models.BooleanField(_("from the reviewer"), default=False)
    text = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "report__unit"

    class Meta:
        verbose_name = _("comment on a figure")
        verbose_name_plural = _("comments on figures")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["report", "indicator", "created_at"])]

    def __str__(self):
        return self.text[:80]


class Notification(models.Model):
    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        SUBMITTED = "submitted", _("Report submitted")
        RETURNED = "returned", _("Report returned")
        APPROVED = "approved", _("Report approved")
        REOPENED = "reopened", _("Report reopened")
        REQUESTED = "requested", _("Report requested")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("geo.AdminUnit", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=400)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A reminder is sent once per person, round and unit, however often the command runs.
            models.UniqueConstraint(fields=["user", "round", "unit"], condition=Q(kind="reminder"),
                                    name="reporting_one_reminder"),
        ]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.text
