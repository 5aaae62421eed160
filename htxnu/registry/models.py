"""Cooperatives (HTX), cooperative groups (THT) and interest groups, with the people in
their management, dated workforce snapshots, products and life events.

Derived columns on Collective (is_women_managed, female_worker_share, the latest
workforce figures) are a cache that services refresh whenever managers or workforce
change; they exist so national lists can filter and sort without a query per row.
They are never typed by a user. Eligibility with its reasons is computed in
htxnu.registry.eligibility.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from htxnu.geo.scoping import ScopedQuerySet
from htxnu.text import search_key


class CollectiveType(models.TextChoices):
    HTX = "htx", _("Cooperative (HTX)")
    THT = "tht", _("Cooperative group (THT)")
    GROUP = "group", _("Interest group")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture (general)")
    CROPS = "crops", _("Crops")
    LIVESTOCK = "livestock", _("Livestock")
    AQUACULTURE = "aquaculture", _("Aquaculture and fisheries")
    HANDICRAFT = "handicraft", _("Handicraft")
    WEAVING = "weaving", _("Weaving (brocade, rattan, bamboo)")
    GARMENT = "garment", _("Garment and sewing")
    PROCESSING = "processing", _("Processing")
    TRADE_SERVICES = "trade_services", _("Trade and services")
    COMMUNITY_TOURISM = "community_tourism", _("Community tourism")
    CONSUMER = "consumer", _("Consumer cooperative")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("collective status", "Active")
    SUSPENDED = "suspended", _("Suspended")
    AWAITING_DISSOLUTION = "awaiting_dissolution", _("Awaiting dissolution")
    DISSOLVED = "dissolved", _("Dissolved")
    NOT_CONVERTED = "not_converted", _("Not yet converted to the 2023 law")
    # A group (THT) that became a cooperative; the cooperative carries on its history.
    CONVERTED = "converted", _("Converted into a cooperative")


class Governance(models.TextChoices):
    FULL = "full", _("Full model (General meeting, Board, Director, Supervisory board)")
    SIMPLIFIED = "simplified", _("Simplified model (Director, controller)")


class UnionLevel(models.TextChoices):
    CENTRAL = "central", _("Central Union")
    PROVINCE = "province", _("Province Union")
    DISTRICT = "district", _("District Union")
    COMMUNE = "commune", _("Commune Union")


class SalesChannel(models.TextChoices):
    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKTOK = "tiktok", "TikTok Shop"
    FACEBOOK = "facebook", "Facebook"
    ZALO = "zalo", "Zalo"
    POSTMART = "postmart", "Postmart / Voso"
    WEBSITE = "website", _("Own website")
    SHOP = "shop", _("Shop or agent")
    FAIR = "fair", _("Fairs and markets")
    OTHER = "other", _("Other")


class CollectiveQuerySet(ScopedQuerySet):
    def search(self, text: str):
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self


class Collective(models.Model):
    type = models.CharField(_("type"), max_length=5, choices=CollectiveType.choices)
    name = models.CharField(_("name"), max_length=250)
    registration_code = models.CharField(
        _("registration / tax code"), max_length=20, blank=True,
        help_text=_("The cooperative's registration number, which is also its tax code. Empty for a group."),
    )
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="collectives",
        help_text=_("Today's commune (xã, phường, đặc khu)."),
    )
    registered_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("registered under (old unit)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("The commune it was registered under before 1/7/2025, where that differs."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.AGRICULTURE)
    main_products = models.CharField(_("main products"), max_length=300, blank=True)
    in_value_chain = models.BooleanField(_("takes part in a value chain"), default=False)
    digital_transformation = models.BooleanField(_("applies digital transformation"), default=False)
    ecommerce_channels = models.JSONField(_("e-commerce channels"), default=list, blank=True)
    audit_choices = {"ecommerce_channels": SalesChannel.choices}  # labels of the list's items in the history
    social_insurance = models.BooleanField(_("social insurance for members"), default=False)
    agricultural_insurance = models.BooleanField(_("agricultural insurance"), default=False)
    governance = models.CharField(_("governance model"), max_length=12, choices=Governance.choices, blank=True)
    status = models.CharField(_("status"), max_length=22, choices=Status.choices, default=Status.ACTIVE)
    union_supported_founding = models.BooleanField(_("founding supported by the Union"), default=False)
    union_support_level = models.CharField(
        _("Union level that supported the founding"), max_length=10, choices=UnionLevel.choices, blank=True
    )
    following_organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("Union body following it"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="followed_collectives",
    )
    converted_from = models.OneToOneField(
        "self", verbose_name=_("converted from (group)"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="converted_into",
    )
    # Derived, refreshed by services (see module docstring).
    is_women_managed = models.BooleanField(_("women-managed"), default=False, editable=False)
    members = models.PositiveIntegerField(_("members"), null=True, blank=True, editable=False)
    female_members = models.PositiveIntegerField(_("female members"), null=True, blank=True, editable=False)
    workers = models.PositiveIntegerField(_("workers"), null=True, blank=True, editable=False)
    female_workers = models.PositiveIntegerField(_("female workers"), null=True, blank=True, editable=False)
    women_stable_jobs = models.PositiveIntegerField(
        _("stable jobs for women"), null=True, blank=True, editable=False
    )
    female_worker_share = models.DecimalField(
        _("female share of workers (%)"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    workforce_as_of = models.DateField(_("workforce as of"), null=True, blank=True, editable=False)

    search_key = models.CharField(max_length=400, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectiveQuerySet.as_manager()
    scope_path = "commune"

    class Meta:
        verbose_name = _("cooperative or group")
        verbose_name_plural = _("cooperatives and groups")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration_code"], condition=~Q(registration_code=""), name="registry_regcode_unique",
                # Without it the form showed "Constraint “registry_regcode_unique” is violated."
                violation_error_message=_("This registration number is already registered."),
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "type", "status"]),
            models.Index(fields=["type", "status", "name"]),
            models.Index(fields=["name", "commune"]),
            # The lists' order; a page of the whole country walks it and stops.
            models.Index(fields=["name", "id"], name="registry_collective_name_id"),
            # Province and commune lists read their communes' records, filtered on these.
            models.Index(fields=["commune", "is_women_managed"], name="registry_collective_commune_wm"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_search_key()
        super().save(*args, **kwargs)

    def refresh_search_key(self) -> None:
        # Bulk writes (import, demo data) bypass save(), so they call this themselves.
        self.search_key = search_key(self.name, self.registration_code, self.main_products)

    def clean(self):
        errors = {}
        if self.type != CollectiveType.HTX and self.governance:
            errors["governance"] = _("Only a cooperative (HTX) has a governance model.")
        if self.union_support_level and not self.union_supported_founding:
            errors["union_support_level"] = _("Tick “founding supported by the Union” first.")
        if self.commune_id and self.commune.level != "commune":
            errors["commune"] = _("Choose a commune, ward or special zone.")
        bad_channels = set(self.ecommerce_channels or []) - set(SalesChannel.values)
        if bad_channels:
            errors["ecommerce_channels"] = _("Unknown channel: %(c)s") % {"c": ", ".join(sorted(bad_channels))}
        if errors:
            raise ValidationError(errors)


class Position(models.TextChoices):
    BOARD_CHAIR = "board_chair", _("Chair of the Board (Chủ tịch HĐQT)")
    BOARD_MEMBER = "board_member", _("Board member")
    DIRECTOR = "director", _("Director / General director")
    SUPERVISOR = "supervisor", _("Supervisory board member / controller")
    ACCOUNTANT = "accountant", _("Accountant")
    GROUP_LEADER = "group_leader", _("Group leader (tổ trưởng)")
    DEPUTY_LEADER = "deputy_leader", _("Deputy group leader")
    OTHER = "other", _("Other")


# The positions that make a cooperative "women-managed" when a woman holds one.
MANAGEMENT_POSITIONS = {
    Position.BOARD_CHAIR, Position.BOARD_MEMBER, Position.DIRECTOR, Position.SUPERVISOR, Position.ACCOUNTANT,
    Position.GROUP_LEADER,
}


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")


class Manager(models.Model):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="managers")
    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=15, choices=Position.choices)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("to"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    # Sensitive personal data (Law 91/2025/QH15): kept only with recorded consent,
    # shown only to roles that need it, and never written to the audit trail.
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True)
    ethnicity_consent_on = models.DateField(_("consent to record ethnicity given on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "collective__commune"
    audit_redact = {"ethnicity"}

    class Meta:
        verbose_name = _("manager")
        verbose_name_plural = _("managers")
        ordering = ["ended_on", "position", "full_name"]
        indexes = [models.Index(fields=["collective", "ended_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="registry_manager_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_position_display()})"

    def clean(self):
        if self.ethnicity and not self.ethnicity_consent_on:
            raise ValidationError(
                {"ethnicity": _("Ethnicity is sensitive personal data: record it only with the person's consent.")}
            )
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("The end date is before the start date.")})

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


PRIORITY_GROUPS = [
    ("ethnic_minority", _("ethnic minority")),
    ("poor", _("poor or near-poor household")),
    ("disability", _("with disability")),
    ("reintegrated", _("reintegrated into the community")),
    ("trafficking", _("trafficking victim")),
    ("domestic_violence", _("domestic-violence victim")),
    ("sexual_abuse", _("sexual-abuse victim")),
    ("unsafe_migrant", _("unsafe migrant")),
    ("laid_off", _("laid-off industrial worker")),
]


class WorkforceSnapshot(models.Model):
    """The workforce of a collective on a date. Priority groups are aggregate counts,
    never a label on a named person."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="workforce")
    as_of = models.DateField(_("as of"))
    members = models.PositiveIntegerField(_("members"))
    female_members = models.PositiveIntegerField(_("female members"))
    workers = models.PositiveIntegerField(_("workers"))
    female_workers = models.PositiveIntegerField(_("female workers"))
    women_stable_jobs = models.PositiveIntegerField(_("stable jobs for women"))
    avg_monthly_income = models.DecimalField(
        _("average monthly income (VND)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    priority_ethnic_minority = models.PositiveIntegerField(_("members: ethnic minority"), default=0)
    priority_poor = models.PositiveIntegerField(_("members: poor or near-poor household"), default=0)
    priority_disability = models.PositiveIntegerField(_("members: with disability"), default=0)
    priority_reintegrated = models.PositiveIntegerField(_("members: reintegrated"), default=0)
    priority_trafficking = models.PositiveIntegerField(_("members: trafficking victims"), default=0)
    priority_domestic_violence = models.PositiveIntegerField(_("members: domestic-violence victims"), default=0)
    priority_sexual_abuse = models.PositiveIntegerField(_("members: sexual-abuse victims"), default=0)
    priority_unsafe_migrant = models.PositiveIntegerField(_("members: unsafe migrants"), default=0)
    priority_laid_off = models.PositiveIntegerField(_("members: laid-off industrial workers"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_path = "collective__commune"

    class Meta:
        verbose_name = _("workforce snapshot")
        verbose_name_plural = _("workforce snapshots")
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["collective", "as_of"], name="registry_workforce_one_per_date"),
            models.CheckConstraint(condition=Q(female_members__lte=F("members")), name="registry_wf_female_members"),
            models.CheckConstraint(condition=Q(female_workers__lte=F("workers")), name="registry_wf_female_workers"),
        ]

    def __str__(self):
        return f"{self.collective} @ {self.as_of}"

    def clean(self):
        errors = {}
        if self.female_members is not None and self.members is not None and self.female_members > self.members:
            errors["female_members"] = _("Female members cannot exceed members.")
        if self.female_workers is not None and self.workers is not None and self.female_workers > self.workers:
            errors["female_workers"] = _("Female workers cannot exceed workers.")
        if self.members is not None:
            for code, _label in PRIORITY_GROUPS:
                value = getattr(self, f"priority_{code}")
                if value and value > self.members:
                    errors[f"priority_{code}"] = _("A priority-group count cannot exceed members.")
        if errors:
            raise ValidationError(errors)

    @property
    def female_share(self):
        if not self.workers:
            return None
        return round(100 * self.female_workers / self.workers, 2)


class OcopGroup(models.TextChoices):
    FOOD = "food", _("Food")
    DRINKS = "drinks", _("Drinks")
    HERBS = "herbs", _("Medicinal herbs")
    HANDICRAFT = "handicraft", _("Handicraft")
    ORNAMENTAL = "ornamental", _("Ornamental plants and animals")
    TOURISM = "tourism", _("Community tourism services")


class Product(models.Model):
    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(_("name"), max_length=200)
    ocop_group = models.CharField(_("OCOP group"), max_length=12, choices=OcopGroup.choices, blank=True)
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP rating (stars)"), null=True, blank=True, choices=[(3, "3★"), (4, "4★"), (5, "5★")]
    )
    ocop_decision_number = models.CharField(_("recognising decision number"), max_length=60, blank=True)
    ocop_decision_date = models.DateField(_("decision date"), null=True, blank=True)
    ocop_authority = models.CharField(_("recognised by"), max_length=120, blank=True)
    has_trademark = models.BooleanField(_("registered trademark"), default=False)
    has_traceability = models.BooleanField(_("traceability"), default=False)
    sales_channels = models.JSONField(_("sales channels"), default=list, blank=True)
    audit_choices = {"sales_channels": SalesChannel.choices}  # labels of the list's items in the history

    objects = ScopedQuerySet.as_manager()
    scope_path = "collective__commune"

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        indexes = [models.Index(fields=["collective", "ocop_stars"])]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.ocop_stars:
            if not self.ocop_group:
                errors["ocop_group"] = _("An OCOP product belongs to one of the six groups.")
            if not self.ocop_decision_number or not self.ocop_decision_date:
                errors["ocop_decision_number"] = _("An OCOP rating needs the recognising decision (number and date).")
        elif self.ocop_decision_number:
            errors["ocop_stars"] = _("Only products rated 3 stars or more are recognised: choose the rating.")
        if errors:
            raise ValidationError(errors)


class LifeEvent(models.Model):
    # Founding is not an event row: it is Collective.founded_on with
    # union_supported_founding / union_support_level, so it has one source of truth.
    class Kind(models.TextChoices):
        CONSOLIDATED = "consolidated", _("Consolidated (support received)")
        CONVERTED = "converted", _("Group converted into a cooperative")
        SUSPENDED = "suspended", _("Suspended")
        REACTIVATED = "reactivated", _("Resumed activity")
        DISSOLVED = "dissolved", _("Dissolved")

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    union_supported = models.BooleanField(_("with Union support"), default=False)
    union_level = models.CharField(_("Union level"), max_length=10, choices=UnionLevel.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_path = "collective__commune"

    class Meta:
        verbose_name = _("life event")
        verbose_name_plural = _("life events")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["kind", "date"]), models.Index(fields=["collective", "kind", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


# The columns of CollectiveFact the figures count (plans.indicators, activities.indicators).
FIGURE_COLUMNS = ["type", "union_supported", "alive", "women_managed", "women_managers", "women_jobs", "founded_on",
                  "last_consolidated_on", "women_stable_jobs", "members", "workers"]
FIGURE_INDEXES = ["registry_fact_commune", "registry_fact_registered"]


class CollectiveFact(models.Model):
    """What htxnu.registry.facts decided about a collective for every date from
    valid_from up to (not including) valid_to: one row per stretch of time over which
    none of its facts changes. The facts "at a reporting cut-off D" are the row with
    valid_from <= D < valid_to. Derived, never typed: facts.refresh() rewrites a
    collective's rows in the transaction of every write that can change them, and
    `manage.py rebuild_facts` recomputes them all."""

    collective = models.ForeignKey(Collective, on_delete=models.CASCADE, related_name="facts")
    valid_from = models.DateField()
    valid_to = models.DateField()  # exclusive; 9999-12-31 for the open stretch
    # Copies of the collective's own columns, so figures need no join.
    type = models.CharField(max_length=5, choices=CollectiveType.choices)
    union_supported = models.BooleanField()
    # The unit it counts under: today's units by commune, units closed on 30/6/2025 by
    # the old commune it was registered under (none: today's geography only).
    commune = models.ForeignKey("geo.AdminUnit", on_delete=models.DO_NOTHING, related_name="+",
                                db_constraint=False, db_index=False)
    registered_unit = models.ForeignKey("geo.AdminUnit", on_delete=models.DO_NOTHING, related_name="+", null=True,
                                        db_constraint=False, db_index=False)
    founded_on = models.DateField(null=True)
    alive = models.BooleanField()
    women_managed = models.BooleanField()
    women_managers = models.PositiveIntegerField(default=0)  # seats held by women on the dates
    women_jobs = models.BooleanField(null=True)  # None: no workforce figures (or no workers)
    female_share = models.DecimalField(max_digits=5, decimal_places=2, null=True)
    threshold_op = models.CharField(max_length=2)
    threshold_pct = models.DecimalField(max_digits=5, decimal_places=2)
    threshold_source = models.CharField(max_length=200, blank=True)  # "": the default
    workforce_as_of = models.DateField(null=True)
    members = models.PositiveIntegerField(null=True)
    female_members = models.PositiveIntegerField(null=True)
    workers = models.PositiveIntegerField(null=True)
    female_workers = models.PositiveIntegerField(null=True)
    women_stable_jobs = models.PositiveIntegerField(null=True)
    last_consolidated_on = models.DateField(null=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "commune"

    class Meta:
        # The figures read the facts at a date of every collective under a unit, grouped by
        # the commune (today's units) or the old commune (units closed on 30/6/2025): each
        # index holds every column they count, so the country's figures are read from the
        # index alone (about half the time of reading the rows, on either database).
        indexes = [
            # The managers' shares join a manager's attendance to its cooperative's facts at a date.
            models.Index(fields=["collective", "valid_from", "valid_to", "alive", "type"],
                         name="registry_fact_collective"),
            models.Index(fields=["commune", "valid_to", "valid_from", *FIGURE_COLUMNS], name="registry_fact_commune"),
            models.Index(fields=["registered_unit", "valid_to", "valid_from", *FIGURE_COLUMNS],
                         name="registry_fact_registered"),
        ]

    def __str__(self):
        return f"{self.collective_id} [{self.valid_from}, {self.valid_to})"


class ImportJob(models.Model):
    """One upload of the registry workbook and what became of it. The file itself is kept
    in the database, not on a disk, so any app server can take the upload and any worker
    can run it. The copy with the bad cells marked is built by the task (never in a web
    request: 152 s for a big rejected file). A running task beats (`heartbeat_at`); a
    job whose beat stopped lost its worker (services.import_job_fail_if_stale)."""

    class State(models.TextChoices):
        # With a context: "Imported" alone means an audit action elsewhere.
        QUEUED = "queued", pgettext_lazy("import state", "Waiting for its turn")
        RUNNING = "running", pgettext_lazy("import state", "Running")
        REJECTED = "rejected", pgettext_lazy("import state", "Not imported: the file has errors")
        DONE = "done", pgettext_lazy("import state", "Imported")
        FAILED = "failed", pgettext_lazy("import state", "Stopped by an unexpected error")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey("geo.AdminUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(_("file"), max_length=200)
    source = models.BinaryField(editable=False)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    # [{"sheet", "row", "column", "header", "message"}, …]
    errors = models.JSONField(default=list, blank=True)
    # The upload with its bad cells marked, for a rejected file that could be read.
    error_file = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "unit"

    class Meta:
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.file_name

    @property
    def is_finished(self) -> bool:
        return self.state in {self.State.REJECTED, self.State.DONE, self.State.FAILED}

    @property
    def unchanged_count(self) -> int:
        """Rows read that neither added nor changed a record (the same as what is stored)."""
        return max(0, self.total_rows - self.created_count - self.updated_count)

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
