"""Every figure computed from records links to the records it counted: follow the link,
count what is listed, and it is the figure. At a commune, a province and the country, in
today's units and in the units before 1/7/2025, for a year, a phase and a half year."""

import datetime
from decimal import Decimal

from htxnu.accounts.models import Organisation
from htxnu.activities import services as activities
from htxnu.activities.indicators import COMPUTATIONS
from htxnu.activities.models import EventKind
from htxnu.core.tests.base import HtxTestCase
from htxnu.plans.indicators import REGISTRY_CODES, Period, compute_many
from htxnu.plans.models import Indicator
from htxnu.registry import facts
from htxnu.registry.models import Gender, Manager

from .test_indicators import build_fixture

D = datetime.date
PERIODS = [Period.year(2024), Period.years(2023, 2025), Period(D(2024, 12, 15), D(2025, 6, 14))]
JOBS = {"jobs_coop_women", "jobs_group_women", "jobs_total_women", "jobs_new_women"}
SEATS = {"members_vocational_pct": ["participants_members", "participants_workers"],
         "members_ecommerce_pct": ["participants_members"]}


class RecordsLinkTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_fixture(cls)
        Indicator.objects.filter(code__in=[*REGISTRY_CODES, *COMPUTATIONS]).update(source=Indicator.Source.RECORDS)
        union = Organisation.objects.get(unit=cls.cam_duong, kind="union")
        women = list(Manager.objects.filter(collective__commune=cls.cam_duong, gender=Gender.FEMALE,
                                            collective__type="htx").order_by("pk"))
        cadre = activities.cadre_save(actor=cls.central, unit=cls.cam_duong, full_name="Lò Thị Cán",
                                      works_on_cooperatives=True)
        activities.cadre_save(actor=cls.central, unit=cls.cam_duong, full_name="Hà Thị Bộ")
        for day, topics in ((D(2024, 5, 10), {"topic_governance": True, "topic_communication": True}),
                            (D(2025, 3, 3), {"topic_digital": True, "topic_vocational": True,
                                             "topic_ecommerce": True})):
            activities.event_create(
                actor=cls.central, kind=EventKind.TRAINING, title="Tập huấn", date=day, unit=cls.cam_duong,
                organiser=union, manager_ids=[m.pk for m in women[:2]], cadre_ids=[cadre.pk],
                participants_members=4, participants_workers=3, **topics)

    def units(self):
        # Today's commune, province and the country; a commune and a province closed on 30/6/2025.
        return [self.cam_duong, self.lao_cai, self.country, self.pom_han, self.old_lao_cai]

    def test_every_link_lists_what_its_figure_counted(self):
        self.client.force_login(self.central)
        codes = [*REGISTRY_CODES, *COMPUTATIONS]
        checked = 0
        for period in PERIODS:
            results = compute_many(codes, self.units(), period)
            for code in codes:
                for unit in self.units():
                    actual = results[code][unit.pk]
                    where = f"{code} {unit.name} {period}"
                    self.assertEqual(actual.source, "records", where)
                    self.assertIsNotNone(actual.records_url, where)
                    response = self.client.get(actual.records_url)
                    self.assertEqual(response.status_code, 200, where)
                    if code in REGISTRY_CODES:
                        self.check_registry(code, actual, period, response, where)
                    else:
                        self.check_activities(code, actual, response, where)
                    checked += 1
        self.assertEqual(checked, len(PERIODS) * len(codes) * len(self.units()))

    def check_registry(self, code, actual, period, response, where):
        ids = [c.pk for c in response.context["page"].items]
        self.assertIsNone(response.context["page"].next_after, where)  # all on one page
        if code in JOBS:
            listed = sum(j or 0 for j in facts.at(period.end).filter(collective_id__in=ids)
                         .values_list("women_stable_jobs", flat=True))
            self.assertEqual(Decimal(listed), actual.value, where)
        else:
            self.assertEqual(len(ids), actual.numerator, where)

    def check_activities(self, code, actual, response, where):
        records = response.context["records"]
        if records.kind == "events":
            fields = SEATS.get(code)
            listed = (sum(getattr(e, f) or 0 for e in records.rows for f in fields) if fields
                      else len(records.rows))
            self.assertEqual(Decimal(listed), actual.numerator, where)
        else:
            self.assertEqual(sum(1 for _record, counted in records.rows if counted), actual.numerator, where)
            self.assertEqual(len(records.rows), actual.denominator, where)

    def test_the_fixture_gives_the_walk_something_to_count(self):
        results = compute_many(["coops_consolidated", "managers_trained_pct", "groups_consolidated"],
                               [self.cam_duong, self.old_lao_cai], Period.year(2024))
        self.assertEqual(results["coops_consolidated"][self.cam_duong.pk].value, 1)
        self.assertEqual(results["groups_consolidated"][self.old_lao_cai.pk].value, 1)
        # Two women managers attended; one ran a cooperative dissolved on 1/8/2024.
        self.assertEqual(results["managers_trained_pct"][self.cam_duong.pk].numerator, 1)
