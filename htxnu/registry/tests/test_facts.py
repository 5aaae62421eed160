"""The facts table is what a rebuild from the records gives, after every kind of write."""

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from htxnu.accounts.models import Organisation
from htxnu.activities import services as activities
from htxnu.activities.indicators import members_vocational_pct
from htxnu.core.tests.base import HtxTestCase
from htxnu.plans import services as plans
from htxnu.plans.tests.helpers import make_plan, old_unit
from htxnu.registry import facts, importer, services
from htxnu.registry.models import Collective, CollectiveFact, CollectiveType, Gender, LifeEvent, Position, Status

from .helpers import row, xlsx

D = datetime.date


def table() -> list[tuple]:
    fields = [f.attname for f in CollectiveFact._meta.concrete_fields if not f.primary_key]
    return sorted(CollectiveFact.objects.values_list(*fields))


class FactsTableTests(HtxTestCase):
    def assertTableIsARebuild(self, step: str):
        maintained = table()
        facts.rebuild()
        self.assertEqual(maintained, table(), f"after {step}")

    def test_the_maintained_table_equals_a_rebuild_after_each_kind_of_change(self):
        c = self.commune
        coop = services.collective_create(actor=c, type=CollectiveType.HTX, name="Hợp tác xã Hoa Mai",
                                          commune=self.cam_duong, founded_on=D(2023, 5, 1),
                                          union_supported_founding=True)
        self.assertTableIsARebuild("creating a cooperative")
        mai = services.manager_add(actor=c, collective=coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                                   position=Position.DIRECTOR, started_on=D(2023, 5, 1))
        self.assertTableIsARebuild("adding a manager")
        services.manager_update(actor=c, manager=mai, ended_on=D(2024, 9, 30))
        self.assertTableIsARebuild("ending a manager's term")
        services.workforce_record(actor=c, collective=coop, as_of=D(2024, 6, 30), members=10, female_members=8,
                                  workers=20, female_workers=15, women_stable_jobs=12)
        snapshot = services.workforce_record(actor=c, collective=coop, as_of=D(2025, 6, 30), members=10,
                                             female_members=8, workers=20, female_workers=9, women_stable_jobs=9)
        self.assertTableIsARebuild("recording workforce figures")
        services.workforce_remove(actor=c, snapshot=snapshot)
        self.assertTableIsARebuild("removing workforce figures")
        services.event_record(actor=c, collective=coop, kind=LifeEvent.Kind.CONSOLIDATED, date=D(2024, 3, 1))
        self.assertTableIsARebuild("recording a consolidation")
        union = Organisation.objects.get(unit=self.cam_duong, kind="union")
        support = activities.support_create(actor=c, collective=coop, kind="consulting", date=D(2025, 4, 5),
                                            provider=union)
        self.assertTableIsARebuild("recording support (a consolidation)")
        activities.support_delete(actor=c, support=support)
        self.assertTableIsARebuild("deleting support")
        services.collective_update(actor=c, collective=coop, registered_unit=old_unit("02653"),
                                   founded_on=D(2023, 2, 1))
        self.assertTableIsARebuild("editing the cooperative")
        plan = make_plan(self.province, self.lao_cai, phases=((2025, 2030),), thresholds=[(">", 80)])
        self.assertTableIsARebuild("a plan with a threshold")
        plans.plan_update(actor=self.province, plan=plan,
                          thresholds=[{"op": ">", "pct": Decimal(60), "applies_to": "targets"}])
        self.assertTableIsARebuild("changing the plan's threshold")
        plans.plan_update(actor=self.province, plan=plan, phases=[{"start_year": 2026, "end_year": 2030}])
        self.assertTableIsARebuild("moving the plan's dates")
        plans.plan_delete(actor=self.province, plan=plan)
        self.assertTableIsARebuild("deleting the plan")
        make_plan(self.central, old_unit("10", "province"), number="294/KH-UBND", phases=((2023, 2030),),
                  thresholds=[(">", 70)])
        self.assertTableIsARebuild("a plan of a closed unit with a threshold")
        replacing = make_plan(self.province, self.lao_cai, number="5/KH-UBND", phases=((2026, 2030),))
        self.assertTableIsARebuild("a plan of a unit of the day without a threshold (it replaces the old one's)")
        plans.plan_update(actor=self.province, plan=replacing, phases=[{"start_year": 2027, "end_year": 2030}])
        self.assertTableIsARebuild("moving that plan's start")
        group = services.collective_create(actor=c, type=CollectiveType.THT, name="Tổ hợp tác Thổ cẩm",
                                           commune=self.cam_duong, founded_on=D(2022, 1, 1))
        converted = services.group_convert(actor=c, group=group, name="Hợp tác xã Thổ cẩm",
                                           registration_code="5300777777", date=D(2025, 2, 1))
        self.assertTableIsARebuild("converting a group")
        services.collective_delete(actor=c, collective=converted)
        self.assertTableIsARebuild("deleting the cooperative a group became")
        services.event_record(actor=c, collective=coop, kind=LifeEvent.Kind.DISSOLVED, date=D(2025, 8, 1))
        self.assertTableIsARebuild("dissolving")
        result = importer.import_file(actor=c, unit=self.cam_duong, file_name="x.xlsx", data=xlsx([
            row(name="Hợp tác xã Hoa Mai", registration_code="", manager_name="Hà Thị Lan", manager_gender="Nữ",
                manager_position="Kế toán", as_of="31/12/2025", members=12, female_members=9, workers=12,
                female_workers=10, women_stable_jobs=10),
            row(type="THT", name="Tổ hợp tác Mây tre", commune="Phường Cam Đường"),
        ]))
        self.assertEqual(result.problems, [])
        self.assertTableIsARebuild("an import")
        services.collective_delete(actor=c, collective=coop)
        self.assertTableIsARebuild("deleting a record")
        self.assertFalse(CollectiveFact.objects.filter(collective_id=coop.pk).exists())

    def test_facts_change_only_on_the_dates_the_records_say(self):
        c = self.commune
        coop = services.collective_create(actor=c, type=CollectiveType.HTX, name="Hợp tác xã Hoa Mai",
                                          commune=self.cam_duong, founded_on=D(2023, 5, 1),
                                          union_supported_founding=True)
        services.manager_add(actor=c, collective=coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                             position=Position.DIRECTOR, ended_on=D(2024, 9, 30))
        services.workforce_record(actor=c, collective=coop, as_of=D(2024, 6, 30), members=10, female_members=8,
                                  workers=20, female_workers=15, women_stable_jobs=12)  # 75%

        def on(day):
            return facts.at(day).get(collective=coop)

        self.assertFalse(facts.at(D(2023, 4, 30)).filter(collective=coop).exists())  # not founded yet
        self.assertEqual((on(D(2024, 1, 1)).women_managed, on(D(2024, 1, 1)).women_jobs), (True, None))
        self.assertEqual((on(D(2024, 9, 30)).women_managed, on(D(2024, 9, 30)).women_jobs), (True, True))
        self.assertEqual(on(D(2024, 10, 1)).women_managed, False)
        # A plan of the province from 2025 sets > 80%: 2024 keeps its answer, 2025 follows it.
        make_plan(self.province, self.lao_cai, phases=((2025, 2030),), thresholds=[(">", 80)])
        self.assertTrue(on(D(2024, 12, 31)).women_jobs)
        self.assertFalse(on(D(2025, 12, 31)).women_jobs)
        self.assertEqual(on(D(2025, 12, 31)).threshold_pct, Decimal(80))
        services.event_record(actor=c, collective=coop, kind=LifeEvent.Kind.DISSOLVED, date=D(2025, 8, 1))
        self.assertTrue(on(D(2025, 7, 31)).alive)
        self.assertFalse(on(D(2025, 8, 1)).alive)
        coop.refresh_from_db()
        self.assertEqual(coop.status, Status.DISSOLVED)

    def test_a_later_snapshot_does_not_change_a_past_period_s_denominator(self):
        c = self.commune
        coop = services.collective_create(actor=c, type=CollectiveType.HTX, name="Hợp tác xã Hoa Mai",
                                          commune=self.cam_duong, founded_on=D(2023, 5, 1))
        services.workforce_record(actor=c, collective=coop, as_of=D(2024, 6, 30), members=10, female_members=8,
                                  workers=20, female_workers=15, women_stable_jobs=12)
        before = members_vocational_pct([self.cam_duong], D(2024, 1, 1), D(2024, 12, 31))[self.cam_duong.pk]
        self.assertEqual(before.denominator, 30)  # 10 members + 20 workers at the end of 2024
        services.workforce_record(actor=c, collective=coop, as_of=D(2025, 6, 30), members=40, female_members=30,
                                  workers=50, female_workers=30, women_stable_jobs=30)
        after = members_vocational_pct([self.cam_duong], D(2024, 1, 1), D(2024, 12, 31))[self.cam_duong.pk]
        self.assertEqual(after.denominator, 30)
        self.assertEqual(
            members_vocational_pct([self.cam_duong], D(2025, 1, 1), D(2025, 12, 31))[self.cam_duong.pk].denominator,
            90)

    def test_rebuild_facts_recomputes_what_was_written_around_the_services(self):
        coop = Collective.objects.create(type=CollectiveType.HTX, name="Hợp tác xã Hoa Mai", commune=self.cam_duong)
        self.assertFalse(CollectiveFact.objects.filter(collective=coop).exists())
        call_command("rebuild_facts", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(CollectiveFact.objects.filter(collective=coop).count(), 1)
        # The figures' indexes (on SQLite dropped while the table was written) are there.
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, CollectiveFact._meta.db_table)
        self.assertLessEqual({"registry_fact_commune", "registry_fact_registered"}, set(found))


class FactsRefreshCostTests(HtxTestCase):
    """What keeping the table costs a write: a fixed number of queries per 2,000
    collectives, never one per collective (speed itself is measured in bench/facts.py)."""

    def coops(self, n: int) -> list[Collective]:
        made = []
        for k in range(n):
            coop = services.collective_create(actor=self.commune, type=CollectiveType.HTX, name=f"Hợp tác xã {k}",
                                              commune=self.cam_duong, founded_on=D(2023, 1, 1))
            services.manager_add(actor=self.commune, collective=coop, full_name="Lò Thị Mai", gender=Gender.FEMALE,
                                 position=Position.DIRECTOR, started_on=D(2023, 2, 1))
            services.workforce_record(actor=self.commune, collective=coop, as_of=D(2024, 6, 30), members=10,
                                      female_members=8, workers=20, female_workers=15, women_stable_jobs=12)
            made.append(coop)
        return made

    def queries(self, work) -> int:
        with CaptureQueriesContext(connection) as captured:
            work()
        return len(captured)

    def test_refreshing_one_collective_or_many_takes_the_same_few_queries(self):
        make_plan(self.province, self.lao_cai, phases=((2025, 2030),), thresholds=[(">", 80)])
        coops = self.coops(12)
        one = self.queries(lambda: facts.refresh([coops[0].pk]))
        many = self.queries(lambda: facts.refresh([c.pk for c in coops]))
        self.assertEqual(one, many)
        # the collectives and conversions (2), managers, figures, events (3), the thresholds (4),
        # delete and insert (2), the derived columns when they changed (≤ 1)
        self.assertLessEqual(one, 12)

    def test_an_import_refreshes_its_rows_facts_in_a_fixed_number_of_queries(self):
        def rows(n, first):
            return xlsx([row(name=f"Hợp tác xã Số {first + k}", manager_name="Hà Thị Lan", manager_gender="Nữ",
                             manager_position="Giám đốc", as_of="31/12/2025", members=12, female_members=9,
                             workers=12, female_workers=10, women_stable_jobs=10) for k in range(n)])

        counted = []
        for n, first in ((2, 0), (20, 100)):
            data = rows(n, first)
            with CaptureQueriesContext(connection) as captured:
                result = importer.import_file(actor=self.commune, unit=self.cam_duong, file_name="x.xlsx", data=data)
            self.assertEqual(result.problems, [])
            counted.append(sum("registry_collectivefact" in q["sql"] for q in captured))
        self.assertEqual(counted[0], counted[1])
        self.assertEqual(CollectiveFact.objects.filter(collective__name__startswith="Hợp tác xã Số")
                         .values("collective").distinct().count(), 22)

    def test_a_plan_save_that_moves_no_threshold_rewrites_no_facts(self):
        plan = make_plan(self.province, self.lao_cai, phases=((2025, 2030),), thresholds=[(">", 80)])
        self.coops(3)
        with CaptureQueriesContext(connection) as captured:
            plans.plan_update(actor=self.province, plan=plan, title="Kế hoạch thực hiện Đề án 01 (sửa tên)")
        writes = [q["sql"] for q in captured if "registry_collectivefact" in q["sql"]
                  and q["sql"].lstrip().upper().startswith(("DELETE", "INSERT", "COPY"))]
        self.assertEqual(writes, [])
        with CaptureQueriesContext(connection) as captured:
            plans.plan_update(actor=self.province, plan=plan,
                              thresholds=[{"op": ">", "pct": Decimal(60), "applies_to": "targets"}])
        self.assertTrue(any("registry_collectivefact" in q["sql"] and q["sql"].lstrip().upper().startswith("DELETE")
                            for q in captured))
        self.assertEqual(facts.at(D(2025, 12, 31)).filter(commune=self.cam_duong).values_list(
            "threshold_pct", flat=True).distinct().get(), Decimal(60))
