"""Indicators, plans and their targets.

- Indicator: the catalogue of domain.md, as data. Codes are stable identifiers that
  code, reports and imports refer to; an administrator adds an indicator in /admin/
  without a code change (its actual value is then taken from reports until code
  computes it, see htxnu.plans.indicators).
- Plan: one document (Kế hoạch, Quyết định…) of a unit, with what it rests on
  (BasisDocument), its phases, the female-labour thresholds it sets, its baselines,
  reporting rules and task groups, and its targets. `starts_on`/`ends_on` are derived
  from the phases by the services (never typed) so "the plan in force on a date" is
  one indexed filter.
- Target: indicator × year (or no horizon) × cumulative-to-year or within-year ×
  whole unit or each sub-unit, with a comparison and one or two values.

Scope: a plan belongs to its unit (`scope_path = "unit"`); who sees which plan is
decided in PlanQuerySet.visible_to (a user also sees the plans of the levels above
that apply to her territory, see docs/plans.md).
"""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.template.defaultfilters import floatformat
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from htxnu.geo.scoping import ScopedQuerySet, scope_root_id
from htxnu.text import nfc, strip_diacritics

# The phases of Decision 01/QĐ-TTg. Used when the national plan is not in the system.
NATIONAL_PHASES = ((2023, 2025), (2026, 2030))
YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def number_key(number: str | None) -> str:
    """How document numbers are compared: no spaces, case or diacritics. "ĐA" (the Đề án
    a decision approved, as in "01/ĐA-TTg") is read as that decision, "QĐ"."""
    text = strip_diacritics(nfc(number)).casefold().replace(" ", "")
    return re.sub(r"/da-", "/qd-", text)


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Indicator(models.Model):
    """An indicator of the catalogue. Reference data: everyone signed in may read it."""

    class Kind(models.TextChoices):
        COUNT = "count", _("Count")
        PERCENT = "percent", _("Percentage")

    class Source(models.TextChoices):
        RECORDS = "records", _("Computed from records")
        REPORTS = "reports", _("Taken from reports")

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Stable identifier; never change it once in use.")
    )
    label_vi = models.CharField(_("name (Vietnamese)"), max_length=250)
    label_en = models.CharField(_("name (English)"), max_length=250)
    unit_vi = models.CharField(_("unit of measure (Vietnamese)"), max_length=30)
    unit_en = models.CharField(_("unit of measure (English)"), max_length=30)
    definition_vi = models.TextField(_("what is counted (Vietnamese)"), blank=True)
    definition_en = models.TextField(_("what is counted (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COUNT)
    source = models.CharField(
        _("actual value"), max_length=10, choices=Source.choices, default=Source.REPORTS,
        help_text=_("Computed from the records where the system holds them, otherwise taken from reports."),
    )
    additive = models.BooleanField(
        _("targets add up"), default=False,
        help_text=_("Yearly targets add up to the phase target, and the targets of the units below to the "
                    "target of the unit above (new cooperatives, jobs, classes; not percentages)."),
    )
    baseline_indicator = models.ForeignKey(
        "self", verbose_name=_("compared with the baseline of"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("A cumulative target below the plan's baseline of this indicator is flagged."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["position", "code"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "vi").startswith("en") else self.label_vi

    @property
    def unit_label(self) -> str:
        return self.unit_en if (get_language() or "vi").startswith("en") else self.unit_vi

    @property
    def definition(self) -> str:
        return self.definition_en if (get_language() or "vi").startswith("en") else self.definition_vi

    @property
    def is_percent(self) -> bool:
        return self.kind == self.Kind.PERCENT


class DocumentType(models.TextChoices):
    PLAN = "KH", _("Plan (KH)")
    DECISION = "QĐ", _("Decision (QĐ)")
    DIRECTIVE = "CT", _("Directive (CT)")
    GUIDANCE = "HD", _("Guidance (HD)")
    RESOLUTION = "NQ", _("Resolution (NQ)")
    LETTER = "CV", _("Official letter (CV)")
    OTHER = "other", _("Other")


class PlanQuerySet(ScopedQuerySet):
    def overlapping(self, unit_id: int):
        """Plans of the units whose territory overlaps the unit's: the unit itself and
        everything it covers (geo.UnitScope), and every unit above any of those — so
        the plans above that cascade to it, in both geographies (the old province of a
        commune's predecessors included)."""
        from htxnu.geo.models import UnitScope

        above = UnitScope.objects.filter(unit__scope_links__ancestor_id=unit_id).values("ancestor_id")
        return self.filter(unit_id__in=above)

    def visible_to(self, user):
        # A user sees the plans of her unit and below, and the plans above that apply
        # to her territory (read-only: editing is permissions.can_edit_records).
        root = scope_root_id(user)
        if root is None:
            return self.none()
        return self.overlapping(root)

    def below(self, unit_id: int):
        """Plans of the unit and of the units it covers."""
        return self.filter(unit__scope_links__ancestor_id=unit_id)

    def in_force_at(self, date: datetime.date):
        return self.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=date)).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=date)
        )


def plan_upload_to(instance, filename: str) -> str:
    return f"plans/{datetime.date.today():%Y}/{filename}"


class Plan(models.Model):
    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="plans",
        help_text=_("The unit the plan is for (the unit of its time: a plan of 2023 belongs to the old province)."),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="plans",
        help_text=_("The organisation that keeps this plan in the system (by default the unit's Women's Union)."),
    )
    doc_type = models.CharField(_("document type"), max_length=6, choices=DocumentType.choices,
                                default=DocumentType.PLAN)
    number = models.CharField(_("number and symbol"), max_length=60, blank=True,
                              help_text=_("As written on the document, e.g. 294/KH-UBND."))
    number_key = models.CharField(max_length=60, editable=False, db_index=True, default="")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True,
                              help_text=_("As written on the document, e.g. UBND tỉnh Lào Cai."))
    title = models.CharField(_("title"), max_length=400, blank=True)
    note = models.TextField(_("note"), blank=True)
    document = models.FileField(_("original document"), upload_to=plan_upload_to, blank=True, max_length=250)
    reports_to_party_committee = models.BooleanField(
        _("reports also go to the Party committee"), default=False,
        help_text=_("The plan asks for the reports to be sent to the provincial Party committee too (Tỉnh ủy); "
                    "the reports' recipients are pre-filled so."),
    )
    adopted_from = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="adopted_by", verbose_name=_("adopted from"),
        help_text=_("The plans of the units this unit was formed from that it adopted as its own "
                    "(services.plan_adopt)."),
    )
    # Derived from the phases by the services (see module docstring).
    starts_on = models.DateField(_("in force from"), null=True, blank=True, editable=False)
    ends_on = models.DateField(_("in force until"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["unit", "starts_on", "ends_on"])]

    def __str__(self):
        if self.number:
            return self.number
        return gettext("%(type)s of %(unit)s (no number)") % {"type": self.get_doc_type_display(), "unit": self.unit}

    def save(self, *args, **kwargs):
        self.number_key = number_key(self.number)
        super().save(*args, **kwargs)

    def clean(self):
        if self.organisation_id and self.unit_id and self.organisation.unit_id != self.unit_id:
            raise ValidationError({"organisation": _("Choose an organisation of the plan's unit.")})
        if self.issued_on and self.issued_on > datetime.date.today():
            raise ValidationError({"issued_on": _("This date is in the future.")})


class PlanPart(models.Model):
    """Rows that belong to a plan (each declares its `plan` foreign key): scoped and
    audited under the plan's unit."""

    objects = ScopedQuerySet.as_manager()
    scope_path = "plan__unit"

    class Meta:
        abstract = True


class Phase(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="phases")
    start_year = models.PositiveSmallIntegerField(
        _("from year"), null=True, blank=True, validators=YEAR_VALIDATORS,
        help_text=_("Empty when the plan says only “until …”."),
    )
    end_year = models.PositiveSmallIntegerField(_("to year"), validators=YEAR_VALIDATORS)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["end_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True) | Q(start_year__lte=F("end_year")), name="plans_phase_ordered"
            ),
        ]

    def __str__(self):
        if self.start_year == self.end_year:
            return str(self.end_year)
        return f"{self.start_year or '…'}–{self.end_year}"

    def clean(self):
        if self.start_year and self.end_year and self.start_year > self.end_year:
            raise ValidationError({"end_year": _("The phase ends before it starts.")})


class FemaleShareThreshold(PlanPart):
    """"Creates many jobs for women": the female share of workers above which a
    cooperative counts. A plan may set several for different sections (Lào Cai: > 70%
    for its targets, > 80% for its target group); the registry's eligibility uses the
    one that applies to targets."""

    class Op(models.TextChoices):
        GT = ">", ">"
        GE = ">=", "≥"

    class AppliesTo(models.TextChoices):
        TARGETS = "targets", _("Counting against the targets (used for eligibility)")
        TARGET_GROUP = "target_group", _("Describing the target group (kept for reference)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="thresholds")
    op = models.CharField(_("comparison"), max_length=2, choices=Op.choices, default=Op.GT)
    pct = models.DecimalField(_("female share of workers (%)"), max_digits=5, decimal_places=2,
                              validators=[MinValueValidator(0), MaxValueValidator(100)])
    applies_to = models.CharField(_("applies to"), max_length=12, choices=AppliesTo.choices,
                                  default=AppliesTo.TARGETS)

    class Meta:
        verbose_name = _("female-labour threshold")
        verbose_name_plural = _("female-labour thresholds")
        ordering = ["-applies_to", "pct"]  # the one for targets first
        constraints = [
            models.UniqueConstraint(fields=["plan"], condition=Q(applies_to="targets"),
                                    name="plans_one_target_threshold_per_plan"),
        ]

    def __str__(self):
        return f"{self.get_op_display()} {floatformat(self.pct, -2)}%"


class Baseline(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="baselines")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    members = models.PositiveIntegerField(_("with members"), null=True, blank=True)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["indicator__position", "pk"]

    def __str__(self):
        return f"{self.indicator.label}: {floatformat(self.value, -2)}"


class ReportPeriod(models.TextChoices):
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every 6 months")
    ANNUAL = "annual", _("Annual")
    AD_HOC = "ad_hoc", _("Ad hoc, on request")


class ReportingRule(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_rules")
    period = models.CharField(_("reporting period"), max_length=12, choices=ReportPeriod.choices)
    deadline_month = models.PositiveSmallIntegerField(
        _("deadline month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    # A quarterly report's deadline is relative to its quarter: the deadline day of the
    # quarter's 1st, 2nd or 3rd month ("trước ngày 20 của tháng cuối quý": 3 and 20), or a
    # number of days after the quarter ends ("chậm nhất 05 ngày sau khi kết thúc quý").
    quarter_month = models.PositiveSmallIntegerField(
        _("month of the quarter"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("Quarterly reports only: 1, 2 or 3 (the quarter's last month) with the deadline day."),
    )
    days_after_quarter_end = models.PositiveSmallIntegerField(
        _("days after the quarter ends"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Quarterly reports only: the report is due this many days after the quarter's last day."),
    )

    class Meta:
        verbose_name = _("reporting rule")
        verbose_name_plural = _("reporting rules")
        ordering = ["period"]
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="plans_one_rule_per_period")]

    def __str__(self):
        return f"{self.get_period_display()} {self.deadline_phrase}"

    @property
    def deadline_display(self) -> str:
        """The deadline's day and month ("15/11"); empty for none or a rule relative to the quarter."""
        if not self.deadline_day or not self.deadline_month:
            return ""
        return f"{self.deadline_day:02d}/{self.deadline_month:02d}"

    @property
    def deadline_phrase(self) -> str:
        """The deadline as the plan words it: "before 15/11", "before day 20 of the quarter's last
        month", "within 5 days after the quarter ends"; empty when the plan sets none."""
        if self.days_after_quarter_end:
            return ngettext("within %(n)d day after the quarter ends", "within %(n)d days after the quarter ends",
                            self.days_after_quarter_end) % {"n": self.days_after_quarter_end}
        if self.quarter_month and self.deadline_day:
            month = {1: gettext("of the quarter's first month"), 2: gettext("of the quarter's second month"),
                     3: gettext("of the quarter's last month")}[self.quarter_month]
            return gettext("before day %(day)02d %(month)s") % {"day": self.deadline_day, "month": month}
        if self.deadline_display:
            return gettext("before %(d)s") % {"d": self.deadline_display}
        return ""

    def clean(self):
        quarter_rule = self.quarter_month or self.days_after_quarter_end
        if quarter_rule and self.period != ReportPeriod.QUARTERLY:
            raise ValidationError({"quarter_month": _("Only a quarterly report has a deadline within its quarter.")})
        if self.quarter_month and self.days_after_quarter_end:
            raise ValidationError({"days_after_quarter_end": _(
                "Give either a day of a month of the quarter or a number of days after it ends, not both.")})
        if self.days_after_quarter_end and (self.deadline_day or self.deadline_month):
            raise ValidationError({"deadline_day": _(
                "A deadline counted in days after the quarter has no day and month of its own.")})
        if self.quarter_month:
            if not self.deadline_day or self.deadline_month:
                raise ValidationError({"deadline_day": _(
                    "Give the day of the quarter's month, without a month of the year.")})
            return  # a day a shorter month lacks (31 of June) falls on that month's last day
        if bool(self.deadline_day) != bool(self.deadline_month):
            raise ValidationError({"deadline_day": _("Give both the day and the month of the deadline.")})
        if self.deadline_day and self.deadline_month:
            try:
                datetime.date(2024, self.deadline_month, self.deadline_day)  # a leap year: 29/02 is a day
            except ValueError:
                raise ValidationError({"deadline_day": _("This day does not exist in that month.")}) from None


class TaskGroupNumber(models.IntegerChoices):
    COMMUNICATION = 1, _("Communication and awareness")
    CONSOLIDATION = 2, _("Consolidating existing cooperatives and groups")
    FOUNDING = 3, _("Advising and supporting the founding of new ones")
    TRAINING = 4, _("Training managers, members and workers")
    UNION_CAPACITY = 5, _("Union direction and capacity, network of women cooperative leaders")
    COOPERATION = 6, _("International cooperation, trade promotion, resource mobilisation")


class TaskGroup(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="task_groups")
    number = models.PositiveSmallIntegerField(_("task group"), choices=TaskGroupNumber.choices)
    title = models.CharField(_("title in the plan"), max_length=400, blank=True)
    lead_agency = models.CharField(_("lead agency (chủ trì)"), max_length=250, blank=True)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("lead organisation in the system"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    coordinating_agencies = models.JSONField(_("coordinating agencies (phối hợp)"), default=list, blank=True)
    time_frame = models.CharField(_("time frame"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("task group")
        verbose_name_plural = _("task groups")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_one_task_group_per_number")]

    def __str__(self):
        return f"{self.number}. {self.title or self.get_number_display()}"

    def clean(self):
        if not isinstance(self.coordinating_agencies, list) or not all(
            isinstance(a, str) for a in self.coordinating_agencies
        ):
            raise ValidationError({"coordinating_agencies": _("A list of agency names.")})


class BasisDocument(PlanPart):
    """A document the plan rests on ("Căn cứ …"). Linked to a plan of the system by its
    number when that plan is there (htxnu.plans.selectors.basis_links)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="basis")
    number = models.CharField(_("number and symbol"), max_length=60)
    number_key = models.CharField(max_length=60, editable=False, db_index=True, default="")
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("basis document")
        verbose_name_plural = _("basis documents")
        ordering = ["issued_on", "pk"]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.number_key = number_key(self.number)
        super().save(*args, **kwargs)


class Op(models.TextChoices):
    EQ = "=", "="
    GE = ">=", "≥"
    GT = ">", ">"
    APPROX = "~", "≈"
    BETWEEN = "between", _("from … to …")


# How far "≈ v" stretches when targets are compared with each other (checks) and with
# actual values: ±10%.
APPROX_TOLERANCE = Decimal("0.10")


class Target(PlanPart):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT,
                                  related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, validators=YEAR_VALIDATORS,
                                            help_text=_("Empty: no horizon (“at least 50% of members…”)."))
    cumulative = models.BooleanField(
        _("cumulative to that year"), default=False,
        help_text=_("Counted from the start of the plan to the end of the year; otherwise within the year."),
    )
    op = models.CharField(_("comparison"), max_length=8, choices=Op.choices, default=Op.EQ)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    value_max = models.DecimalField(_("up to"), max_digits=14, decimal_places=2, null=True, blank=True,
                                    validators=[MinValueValidator(0)])
    per_subunit = models.BooleanField(_("for each unit below"), default=False,
                                      help_text=_("“Each district at least 1 HTX”: every unit below must reach it."))
    wording = models.CharField(_("as written in the plan"), max_length=400, blank=True)

    # Set on the unsaved targets that plans.governing adds up from the plans of a unit's
    # predecessors (a provisional target): the plans' own targets, with their territory.
    parts: tuple = ()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator__position", "year", "cumulative", "per_subunit"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "year", "cumulative", "per_subunit"], condition=Q(year__isnull=False),
                name="plans_one_target_per_cell",
            ),
            models.UniqueConstraint(
                fields=["plan", "indicator", "per_subunit"], condition=Q(year__isnull=True),
                name="plans_one_open_target_per_indicator",
            ),
            models.CheckConstraint(
                condition=(Q(op="between", value_max__isnull=False, value_max__gte=F("value"))
                           | (~Q(op="between") & Q(value_max__isnull=True))),
                name="plans_target_range_ordered",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self):
        return f"{self.indicator.label} · {self.when} · {self.display}"

    @property
    def when(self) -> str:
        if self.year is None:
            return gettext("without horizon")
        return (gettext("to %(year)s") if self.cumulative else gettext("in %(year)s")) % {"year": self.year}

    def clean(self):
        errors = {}
        if self.year is None:
            self.cumulative = False
        if self.op == Op.BETWEEN:
            if self.value_max is None:
                errors["value_max"] = _("A range needs its upper value.")
            elif self.value is not None and self.value_max < self.value:
                errors["value_max"] = _("The upper value is below the lower one.")
        else:
            self.value_max = None
        if self.indicator_id and self.indicator.is_percent:
            top = self.value_max if self.value_max is not None else self.value
            if top is not None and top > 100:
                errors["value"] = _("A percentage cannot be above 100.")
        if errors:
            raise ValidationError(errors)

    @property
    def display(self) -> str:
        from .target_text import format_target

        return format_target(self.op, self.value, self.value_max, percent=self.indicator.is_percent)

    @property
    def provisional(self) -> bool:
        return bool(self.parts)

    @property
    def source_text(self) -> str:
        """Where the target comes from: its plan, or "provisional, from plan … (former …)"."""
        from .governing import target_source_text

        return target_source_text(self)

    @property
    def source_numbers(self) -> str:
        """The number(s) of the plan(s) it comes from, e.g. "294/KH-UBND"."""
        from .governing import target_source_numbers

        return target_source_numbers(self)

    def bounds(self) -> tuple[Decimal, Decimal | None]:
        """The values that meet the target as an interval [low, high] (high None: no
        upper bound). "≈ v" is v ± APPROX_TOLERANCE; "> v" is treated as ≥ v."""
        if self.op == Op.BETWEEN:
            return self.value, self.value_max
        if self.op == Op.APPROX:
            return self.value * (1 - APPROX_TOLERANCE), self.value * (1 + APPROX_TOLERANCE)
        if self.op == Op.EQ:
            return self.value, self.value
        return self.value, None

    def met_by(self, actual) -> bool | None:
        """Whether an actual value reaches the target (None when there is no value).
        "= v" and "≈ v" are goals to reach, so exceeding them meets them."""
        if actual is None:
            return None
        actual = Decimal(actual)
        if self.op == Op.GT:
            return actual > self.value
        if self.op == Op.APPROX:
            return actual >= self.value * (1 - APPROX_TOLERANCE)
        return actual >= self.value

    def share_achieved(self, actual) -> Decimal | None:
        """Actual as a percentage of the (lower) target value."""
        if actual is None or not self.value:
            return None
        return (Decimal(actual) * 100 / self.value).quantize(Decimal("0.1"))


def import_upload_to(instance, filename: str) -> str:
    return f"plan-imports/{datetime.date.today():%Y/%m}/{filename}"


class PlanImport(models.Model):
    """An uploaded plan document and what the extractor read from it, kept while the
    user reviews each item; nothing becomes a plan until they confirm and save.
    The reading runs in the background (tasks.read_plan_import): the import is
    "reading" (with pages read out of the pages of a PDF) until it is a draft to
    review or "failed" with the reason in ``error``."""

    class Status(models.TextChoices):
        READING = "reading", _("Being read")
        DRAFT = "draft", _("Being reviewed")
        SAVED = "saved", _("Saved as a plan")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Could not be read")

    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="+",
        help_text=_("The unit the plan will belong to."),
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(_("file"), max_length=200)
    document = models.FileField(_("original document"), upload_to=import_upload_to, blank=True, max_length=250)
    text = models.TextField(_("text read from the document"), blank=True)
    extracted = models.JSONField(_("what was extracted"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")
    pages_done = models.PositiveIntegerField(_("pages read"), default=0)
    pages_total = models.PositiveIntegerField(_("pages to read"), default=0)
    error = models.TextField(_("why it could not be read"), blank=True)
    ocr = models.BooleanField(_("read by OCR from a scan"), default=False)
    page_starts = models.JSONField(_("where each page starts in the text"), default=list, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    def page_image_name(self, number: int) -> str:
        """Storage name of the image of page ``number`` (1-based) of a scan read by OCR."""
        return f"plan-imports/pages/{self.pk}/{number}.jpg"

    @property
    def percent(self) -> int:
        """How far the reading has gone, for the progress bar (pages of a PDF; else 0 until done)."""
        return min(100, 100 * self.pages_done // self.pages_total) if self.pages_total else 0
