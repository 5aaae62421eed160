"""What units do under Đề án 01: events (trainings, conferences, fairs, communication
products…), who attended, support given to cooperatives, the Union cadres who do this
work, commendations, and the money: budget estimates, allocations, spending.

Participant counts are aggregates by group; named attendance (women managers from the
registry, Union cadres) is recorded for trainings so the managers_* and cadres_*
indicators can count people rather than seats.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from htxnu.geo.scoping import ScopedQuerySet
from htxnu.plans.models import TaskGroupNumber
from htxnu.registry.models import PRIORITY_GROUPS, Gender
from htxnu.text import search_key


class FundingSource(models.TextChoices):
    STATE_CENTRAL = "state_central", _("Central state budget")
    STATE_LOCAL = "state_local", _("Local state budget")
    NATIONAL_PROGRAMME = "mtqg", _("National target programmes")
    EXTENSION = "extension", _("Industrial / agricultural extension (khuyến công, khuyến nông)")
    CREDIT = "credit", _("Credit")
    SOCIALISED = "socialised", _("Socialised contributions")
    COOPERATIVE_OWN = "coop_own", _("Cooperatives' own contributions")
    OTHER = "other", _("Other")


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training class")
    CONFERENCE = "conference", _("Conference, forum or workshop")
    FAIR = "fair", _("Trade fair or product exhibition")
    STUDY_TOUR = "study_tour", _("Study tour")
    DIALOGUE = "dialogue", _("Dialogue with cooperatives")
    CONTEST = "contest", _("Contest")
    COMMUNICATION = "communication", _("Communication product (article, clip, report)")


class Channel(models.TextChoices):
    RADIO = "radio", _("Radio")
    TV = "tv", _("Television")
    WEB = "web", _("Website or online newspaper")
    SOCIAL = "social", _("Social media")
    PRINT = "print", _("Print")
    LOUDSPEAKER = "loudspeaker", _("Commune loudspeakers")


TOPICS = [
    ("governance", _("governance and management")),
    ("digital", _("digital skills")),
    ("ecommerce", _("e-commerce")),
    ("vocational", _("vocational training / technology transfer")),
    ("law", _("law and policy")),
    ("certification", _("certification (director, accountant, controller)")),
    ("communication", _("communication and mobilisation skills")),
]


class EventQuerySet(ScopedQuerySet):
    def search(self, text: str):
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=14, choices=EventKind.choices)
    title = models.CharField(pgettext_lazy("event", "title"), max_length=250)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="events",
        help_text=_("The unit where it took place or whose work it was."),
    )
    organiser = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="events"
    )
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("plan activity"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="events",
    )
    topic_governance = models.BooleanField(_("governance and management"), default=False)
    topic_digital = models.BooleanField(_("digital skills"), default=False)
    topic_ecommerce = models.BooleanField(_("e-commerce"), default=False)
    topic_vocational = models.BooleanField(_("vocational training / technology transfer"), default=False)
    topic_law = models.BooleanField(_("law and policy"), default=False)
    topic_certification = models.BooleanField(_("certification (director, accountant, controller)"), default=False)
    topic_communication = models.BooleanField(_("communication and mobilisation skills"), default=False)
    cost = models.DecimalField(_("cost (VND)"), max_digits=14, decimal_places=0, default=Decimal(0))
    funding_source = models.CharField(_("funding source"), max_length=14, choices=FundingSource.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, blank=True)
    link = models.URLField(_("link"), blank=True)
    # Participants by group (seats, not people: one person in two classes counts twice).
    participants_cadres = models.PositiveIntegerField(_("Union cadres"), default=0)
    participants_managers = models.PositiveIntegerField(_("women managers"), default=0)
    participants_members = models.PositiveIntegerField(_("cooperative members"), default=0)
    participants_workers = models.PositiveIntegerField(_("workers"), default=0)
    participants_others = models.PositiveIntegerField(_("others"), default=0)
    participants_women = models.PositiveIntegerField(_("of whom women"), default=0)
    priority_ethnic_minority = models.PositiveIntegerField(_("ethnic minority"), default=0)
    priority_poor = models.PositiveIntegerField(_("poor or near-poor household"), default=0)
    priority_disability = models.PositiveIntegerField(_("with disability"), default=0)
    priority_reintegrated = models.PositiveIntegerField(_("reintegrated"), default=0)
    priority_trafficking = models.PositiveIntegerField(_("trafficking victims"), default=0)
    priority_domestic_violence = models.PositiveIntegerField(_("domestic-violence victims"), default=0)
    priority_sexual_abuse = models.PositiveIntegerField(_("sexual-abuse victims"), default=0)
    priority_unsafe_migrant = models.PositiveIntegerField(_("unsafe migrants"), default=0)
    priority_laid_off = models.PositiveIntegerField(_("laid-off industrial workers"), default=0)
    note = models.TextField(_("note"), blank=True)
    search_key = models.CharField(max_length=400, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["unit", "date"]),
            models.Index(fields=["kind", "date"]),
            models.Index(fields=["activity"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")), name="activities_event_dates"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.title, self.place)
        super().save(*args, **kwargs)

    @property
    def participants_total(self) -> int:
        return (
            self.participants_cadres + self.participants_managers + self.participants_members
            + self.participants_workers + self.participants_others
        )

    @property
    def topics(self) -> list[str]:
        return [str(label) for code, label in TOPICS if getattr(self, f"topic_{code}")]

    def clean(self):
        errors = {}
        total = self.participants_total
        if self.participants_women > total:
            errors["participants_women"] = _(
                "Women (%(women)s) cannot be more than all participants (%(total)s)."
            ) % {"women": self.participants_women, "total": total}
        for code, label in PRIORITY_GROUPS:
            value = getattr(self, f"priority_{code}")
            if value > total:
                errors[f"priority_{code}"] = _(
                    "%(group)s (%(n)s) cannot be more than all participants (%(total)s)."
                ) % {"group": label, "n": value, "total": total}
        if self.end_date and self.end_date < self.date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.kind == EventKind.COMMUNICATION and not (self.channel or self.link):
            errors["channel"] = _("Say where it was published: the channel or the link.")
        if self.cost and not self.funding_source:
            errors["funding_source"] = _("Say which source paid for it.")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    """A named participant of a training: a woman manager from the registry or a Union cadre."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    manager = models.ForeignKey(
        "registry.Manager", verbose_name=_("woman manager"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="attendance",
    )
    cadre = models.ForeignKey(
        "activities.Cadre", verbose_name=_("Union cadre"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="attendance",
    )
    certificate_issued = models.BooleanField(_("certificate issued"), default=False)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "event__unit"

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=(Q(manager__isnull=False) & Q(cadre__isnull=True))
                | (Q(manager__isnull=True) & Q(cadre__isnull=False)),
                name="activities_attendance_one_person",
            ),
            models.UniqueConstraint(fields=["event", "manager"], name="activities_attendance_manager_once"),
            models.UniqueConstraint(fields=["event", "cadre"], name="activities_attendance_cadre_once"),
        ]
        indexes = [models.Index(fields=["manager", "event"]), models.Index(fields=["cadre", "event"])]

    def __str__(self):
        return str(self.manager or self.cadre)


class SupportKind(models.TextChoices):
    CONSULTING = "consulting", _("Consulting")
    FOUNDING = "founding", _("Founding procedure")
    CHARTER_PLAN = "charter_plan", _("Charter and business plan")
    CREDIT = "credit", _("Access to credit")
    TRADEMARK = "trademark", _("Trademark registration")
    TRACEABILITY = "traceability", _("Traceability")
    OCOP = "ocop", _("OCOP registration")
    INSURANCE = "insurance", _("Insurance")
    ECOMMERCE = "ecommerce", _("E-commerce onboarding")
    EQUIPMENT = "equipment", _("Equipment")
    MARKET_LINKAGE = "market_linkage", _("Market linkage")
    OTHER = "other", _("Other")


class Lender(models.TextChoices):
    VBSP = "vbsp", _("Vietnam Bank for Social Policies (NHCSXH)")
    AGRIBANK = "agribank", "Agribank"
    COOP_FUND = "coop_fund", _("Cooperative Development Support Fund")
    WOMEN_FUND = "women_fund", _("Women's Union credit fund")
    OTHER = "other", _("Other")


class SupportAction(models.Model):
    """Support given to one cooperative or group. Each is a consolidation event for it:
    the service records the matching registry LifeEvent, which the indicators read."""

    collective = models.ForeignKey(
        "registry.Collective", verbose_name=_("cooperative or group"), on_delete=models.CASCADE,
        related_name="support_actions",
    )
    kind = models.CharField(_("kind of support"), max_length=14, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    provider = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    lender = models.CharField(_("lender"), max_length=12, choices=Lender.choices, blank=True)
    amount = models.DecimalField(_("amount (VND)"), max_digits=14, decimal_places=0, null=True, blank=True)
    event = models.ForeignKey(
        Event, verbose_name=_("during the event"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="support_actions",
    )
    activity = models.ForeignKey(
        "activities.Activity", verbose_name=_("plan activity"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="support_actions",
    )
    life_event = models.OneToOneField(
        "registry.LifeEvent", null=True, blank=True, on_delete=models.SET_NULL, related_name="support_action",
        editable=False,
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "collective__commune"

    class Meta:
        verbose_name = _("support action")
        verbose_name_plural = _("support actions")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["collective", "date"]), models.Index(fields=["kind", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.collective} ({self.date:%d/%m/%Y})"

    def clean(self):
        errors = {}
        if self.kind == SupportKind.CREDIT:
            if not self.lender:
                errors["lender"] = _("A loan needs its lender.")
            if not self.amount:
                errors["amount"] = _("A loan needs its amount.")
        elif self.lender:
            errors["lender"] = _("A lender goes only with access to credit.")
        if errors:
            raise ValidationError(errors)


class Cadre(models.Model):
    """A named Union cadre, for units that keep a named list."""

    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="cadres")
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, default=Gender.FEMALE)
    position = models.CharField(pgettext_lazy("cadre", "position"), max_length=120, blank=True)
    works_on_cooperatives = models.BooleanField(_("assigned to collective-economy work"), default=False)
    active = models.BooleanField(_("in post"), default=True)
    search_key = models.CharField(max_length=200, editable=False, default="")

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("Union cadre")
        verbose_name_plural = _("Union cadres")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["unit", "active", "works_on_cooperatives"])]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_key = search_key(self.full_name)
        super().save(*args, **kwargs)


class CadreCount(models.Model):
    """For units that report their cadres as counts rather than a named list."""

    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    total_cadres = models.PositiveIntegerField(_("Union cadres, all"))
    cooperative_cadres = models.PositiveIntegerField(_("of whom assigned to collective-economy work"))
    cooperative_cadres_trained = models.PositiveIntegerField(_("of those, trained"), default=0)
    cadres_skilled = models.PositiveIntegerField(_("cadres with improved mobilisation skills"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("cadre count")
        verbose_name_plural = _("cadre counts")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="activities_cadrecount_unique"),
            models.CheckConstraint(
                condition=Q(cooperative_cadres__lte=F("total_cadres")), name="activities_cadrecount_subset"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"

    def clean(self):
        errors = {}
        if self.cooperative_cadres is not None and self.total_cadres is not None:
            if self.cooperative_cadres > self.total_cadres:
                errors["cooperative_cadres"] = _("Cannot be more than all cadres.")
            if self.cooperative_cadres_trained > self.cooperative_cadres:
                errors["cooperative_cadres_trained"] = _("Cannot be more than the cadres assigned to this work.")
            if self.cadres_skilled > self.total_cadres:
                errors["cadres_skilled"] = _("Cannot be more than all cadres.")
        if errors:
            raise ValidationError(errors)


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class Activity(models.Model):
    """An activity of a plan under one of the six task groups."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="activities",
    )
    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    task_group = models.PositiveSmallIntegerField(_("task group"), choices=TaskGroupNumber.choices)
    title = models.CharField(_("what"), max_length=300)
    lead = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("lead agency"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="led_activities",
    )
    lead_name = models.CharField(_("lead agency (as written)"), max_length=200, blank=True)
    coordinating = models.ManyToManyField(
        "accounts.Organisation", verbose_name=_("coordinating agencies"), blank=True, related_name="+"
    )
    coordinating_names = models.CharField(_("coordinating agencies (as written)"), max_length=400, blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    outputs = models.TextField(_("outputs"), blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["task_group", "starts_on", "pk"]
        indexes = [
            models.Index(fields=["unit", "task_group"]),
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["plan", "task_group"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="activities_activity_dates",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The end date is before the start date.")
        plan = self.plan
        if plan is not None and (plan.starts_on or plan.ends_on):
            for field in ("starts_on", "ends_on"):
                day = getattr(self, field)
                if day and ((plan.starts_on and day < plan.starts_on) or (plan.ends_on and day > plan.ends_on)):
                    errors[field] = _("This date is outside the plan's period (%(start)s–%(end)s).") % {
                        "start": plan.starts_on.strftime("%d/%m/%Y") if plan.starts_on else "…",
                        "end": plan.ends_on.strftime("%d/%m/%Y") if plan.ends_on else "…",
                    }
        if errors:
            raise ValidationError(errors)


class BudgetLine(models.Model):
    """Money for Đề án 01 in a unit, a year and a source: the estimate (dự toán), an
    allocation, or spending (linked to the event or activity it paid for)."""

    class Kind(models.TextChoices):
        ESTIMATE = "estimate", _("Budget estimate")
        ALLOCATION = "allocation", _("Allocation")
        SPENDING = "spending", _("Spending")

    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.CharField(_("source"), max_length=14, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (VND)"), max_digits=15, decimal_places=0)
    date = models.DateField(_("date"), null=True, blank=True)
    event = models.OneToOneField(
        Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE, related_name="spending"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), null=True, blank=True, on_delete=models.SET_NULL, related_name="money"
    )
    reference = models.CharField(_("decision or voucher"), max_length=120, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["-year", "kind", "source", "-date"]
        indexes = [models.Index(fields=["unit", "year", "kind", "source"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="activities_budget_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year} {self.get_source_display()}: {self.amount}"

    def clean(self):
        if self.date and self.year and self.date.year != self.year:
            raise ValidationError({"date": _("The date is not in the year %(year)s.") % {"year": self.year}})


class CommendationLevel(models.TextChoices):
    COMMUNE = "commune", pgettext_lazy("commendation level", "Commune")
    DISTRICT = "district", pgettext_lazy("commendation level", "District")
    PROVINCE = "province", pgettext_lazy("commendation level", "Province")
    CENTRAL = "central", pgettext_lazy("commendation level", "Central")


class CommendationDecision(models.Model):
    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("decision number"), max_length=60)
    date = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=200)
    level = models.CharField(_("level"), max_length=10, choices=CommendationLevel.choices)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("commendation decision")
        verbose_name_plural = _("commendation decisions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.number} ({self.date:%d/%m/%Y})"


class Nomination(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        COMMENDED = "commended", _("Commended")
        NOT_SELECTED = "not_selected", _("Not selected")

    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    cycle = models.CharField(_("cycle"), max_length=20, help_text=_("e.g. 2023–2024"))
    collective = models.ForeignKey(
        "registry.Collective", verbose_name=_("cooperative or group"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="nominations",
    )
    person_name = models.CharField(_("person"), max_length=150, blank=True)
    reason = models.TextField(_("achievements"))
    level = models.CharField(_("level proposed"), max_length=10, choices=CommendationLevel.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED)
    decision = models.ForeignKey(
        CommendationDecision, verbose_name=_("decision"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="nominations",
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["-cycle", "pk"]

    def __str__(self):
        return self.person_name or str(self.collective)

    def clean(self):
        errors = {}
        if bool(self.collective_id) == bool(self.person_name):
            errors["person_name"] = _("Nominate either a collective or a person.")
        if self.status == self.Status.COMMENDED and not self.decision_id:
            errors["decision"] = _("A commendation needs its decision.")
        if errors:
            raise ValidationError(errors)
