"""The dashboard's numbers: equal to the approved reports, never stale after a change."""

from htxnu.core import audit
from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.dashboard import figures, selectors
from htxnu.dashboard.freshness import Versions
from htxnu.dashboard.models import NATIONAL, CachedFigures
from htxnu.geo.models import AdminUnit
from htxnu.plans.models import Indicator
from htxnu.registry.models import Collective, CollectiveType
from htxnu.reporting.models import ReportValue

from .helpers import D, build_records, consolidated_coop, rnd, submit_and_approve


class ApprovedFiguresTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_records(cls)
        cls.annual = rnd("annual", 2026)

    def figures(self, units, approved=True):
        return figures.round_figures(self.annual, units, approved=approved, versions=Versions.read())

    def test_the_dashboard_shows_the_numbers_of_the_approved_reports(self):
        cam = submit_and_approve(self.annual, self.cam_duong, self.commune, self.province)
        other = submit_and_approve(self.annual, self.phuong_lao_cai, self.sibling, self.province)
        # Recorded after the approval: the records move on, the approved figures do not.
        consolidated_coop(self.cam_duong, jobs=9, on=D(2026, 6, 1), name="HTX sau phê duyệt")
        frozen = {(v.report.unit_id, v.indicator.code): v.value
                  for v in ReportValue.objects.filter(report__in=[cam, other]).select_related("report", "indicator")}
        self.assertEqual(frozen[(self.cam_duong.pk, "jobs_coop_women")], 12)
        shown = self.figures([self.cam_duong, self.phuong_lao_cai, self.lao_cai, self.country])
        for (unit_id, code), value in frozen.items():
            self.assertEqual(shown[unit_id].get(code).value, value, (unit_id, code))
        # The province and the nation have no approved report: the two below, added up.
        for unit in (self.lao_cai, self.country):
            self.assertEqual(shown[unit.pk].get("jobs_coop_women").value, 16)
            self.assertEqual(shown[unit.pk].get("coops_consolidated").value, 3)
            self.assertEqual((shown[unit.pk].basis, shown[unit.pk].reports), (figures.BELOW, 2))
        live = self.figures([self.cam_duong, self.lao_cai], approved=False)
        self.assertEqual(live[self.cam_duong.pk].get("jobs_coop_women").value, 21)
        self.assertEqual(live[self.lao_cai.pk].get("jobs_coop_women").value, 25)


    def test_a_unit_s_own_approved_report_wins_over_the_sum_below(self):
        submit_and_approve(self.annual, self.cam_duong, self.commune, self.province)
        report = submit_and_approve(self.annual, self.lao_cai, self.province, self.central)
        value = ReportValue.objects.get(report=report, indicator__code="jobs_coop_women").value
        self.assertEqual(value, 16)  # the province's records when it was submitted
        consolidated_coop(self.phuong_lao_cai, jobs=30, on=D(2026, 7, 1))
        shown = self.figures([self.lao_cai, self.country])
        self.assertEqual(shown[self.lao_cai.pk].get("jobs_coop_women").value, 16)
        self.assertEqual(shown[self.lao_cai.pk].basis, figures.OWN_REPORT)
        self.assertEqual(shown[self.country.pk].get("jobs_coop_women").value, 16)

    def test_a_phase_one_round_adds_up_the_same_approved_reports_under_old_and_today_s_units(self):
        from htxnu.reporting.models import ReportState
        from htxnu.reporting.tests.helpers import make_report

        annual_2024 = rnd("annual", 2024)
        pom_han = AdminUnit.objects.get(level="commune", name="Phường Pom Hán", valid_to__isnull=False)
        old_lao_cai = pom_han.parent.parent
        make_report(annual_2024, pom_han, ReportState.APPROVED, frozen={"jobs_coop_women": 6})
        shown = figures.round_figures(annual_2024, [old_lao_cai, self.lao_cai], approved=True,
                                      versions=Versions.read())
        for unit in (old_lao_cai, self.lao_cai):
            self.assertEqual(shown[unit.pk].get("jobs_coop_women").value, 6, unit)
            self.assertEqual((shown[unit.pk].basis, shown[unit.pk].reports), (figures.BELOW, 1))

    def test_nothing_approved_says_so(self):
        submit_and_approve(self.annual, self.cam_duong, self.commune, self.province, approve=False)
        shown = self.figures([self.cam_duong, self.lao_cai])
        self.assertEqual(shown[self.cam_duong.pk].basis, figures.NONE)
        self.assertIsNone(shown[self.lao_cai.pk].get("jobs_coop_women").value)


class FreshnessTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_records(cls)
        cls.annual = rnd("annual", 2026)
        cls.lai_chau_commune = AdminUnit.objects.filter(parent=cls.lai_chau).order_by("code").first()

    def consolidated(self, unit) -> int:
        view = selectors.make_view(unit, self.annual, approved=False)
        return selectors.dashboard(view).cells["coops_consolidated"].value

    def test_a_record_saved_shows_at_once(self):
        self.assertEqual((self.consolidated(self.lao_cai), self.consolidated(self.country)), (3, 3))
        consolidated_coop(self.phuong_lao_cai, jobs=3, on=D(2026, 8, 1), name="HTX mới")
        self.assertEqual((self.consolidated(self.lao_cai), self.consolidated(self.country)), (4, 4))

    def test_cached_figures_are_read_in_one_query(self):
        units = [self.cam_duong, self.phuong_lao_cai]
        versions, indicators = Versions.read(), list(Indicator.objects.active())
        figures.round_figures(self.annual, units, approved=False, versions=versions, indicators=indicators)
        with self.assertNumQueries(1):
            found = figures.round_figures(self.annual, units, approved=False, versions=versions,
                                          indicators=indicators)
        self.assertEqual(found[self.cam_duong.pk].get("coops_consolidated").value, 2)
        self.assertEqual(CachedFigures.objects.filter(key__startswith=f"r{self.annual.pk}:d:").count(), 2)

    def test_computing_the_figures_takes_as_many_queries_for_one_commune_as_for_the_nation(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        indicators = list(Indicator.objects.active())

        def cold(units) -> int:
            CachedFigures.objects.all().delete()
            versions = Versions.read()
            with CaptureQueriesContext(connection) as queries:
                figures.round_figures(self.annual, units, approved=False, versions=versions, indicators=indicators)
            return len(queries)

        one = cold([self.cam_duong])
        communes = list(AdminUnit.objects.filter(parent=self.lao_cai, valid_to__isnull=True).order_by("code"))
        for commune in communes[:12]:
            consolidated_coop(commune, jobs=2, on=D(2026, 5, 1))
        self.assertEqual(cold(communes), one)  # 99 communes, more records: the same queries
        country = cold([self.country])  # the 34 provinces computed, the country added up from them
        consolidated_coop(self.lai_chau_commune, jobs=2, on=D(2026, 5, 1))
        self.assertEqual(cold([self.country]), country)
        self.assertLessEqual(country, one + 3)  # the provinces' cached rows, the country's own report

    def test_only_the_province_of_the_change_gets_a_new_version(self):
        before = Versions.read()
        consolidated_coop(self.lai_chau_commune, jobs=3, on=D(2026, 8, 1))
        after = Versions.read()
        self.assertNotEqual(before.of(self.lai_chau_commune), after.of(self.lai_chau_commune))
        self.assertEqual(before.of(self.cam_duong), after.of(self.cam_duong))
        self.assertNotEqual(before.of(self.country), after.of(self.country))

    def test_bulk_writes_change_the_version_through_their_audit(self):
        before = Versions.read()
        created = Collective.objects.bulk_create([Collective(type=CollectiveType.HTX, name="HTX nhập từ Excel",
                                                             commune=self.cam_duong)])
        self.assertEqual(Versions.read().of(self.cam_duong), before.of(self.cam_duong))  # no post_save
        audit.log_many(self.commune, AuditEntry.Action.IMPORT, [(c, {}) for c in created])
        self.assertNotEqual(Versions.read().of(self.cam_duong), before.of(self.cam_duong))

    def test_a_record_moved_to_another_province_changes_both(self):
        coop = Collective.objects.get(name="HTX Rau Lào Cai")
        before_snapshot, before = audit.snapshot(coop), Versions.read()
        coop.commune = self.lai_chau_commune
        coop.save()
        self.assertNotEqual(Versions.read().of(self.lai_chau_commune), before.of(self.lai_chau_commune))
        middle = Versions.read()
        audit.log_update(self.central, coop, before_snapshot)
        self.assertNotEqual(Versions.read().of(self.phuong_lao_cai), middle.of(self.phuong_lao_cai))

    def test_the_catalogue_concerns_every_territory(self):
        before = Versions.read()
        Indicator.objects.filter(code="coops_new").first().save()
        after = Versions.read()
        self.assertNotEqual(before.rows[NATIONAL][0], after.rows[NATIONAL][0])
        self.assertNotEqual(before.of(self.cam_duong), after.of(self.cam_duong))


class BumpTests(HtxTestCase):
    """One new version per province per transaction, never one too few."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_records(cls)

    def token(self):
        from htxnu.dashboard.models import FigureVersion

        return FigureVersion.objects.filter(scope=self.lao_cai.pk).values_list("token", flat=True).first()

    def test_deleting_an_event_with_its_attendances_writes_one_version(self):
        from django.db import connection, transaction
        from django.test.utils import CaptureQueriesContext

        from htxnu.activities.models import Attendance, Event
        from htxnu.registry.models import Manager

        event = Event.objects.create(unit=self.lao_cai, organiser=self.province.organisation, kind="training",
                                     title="Lớp tập huấn", date=D(2026, 3, 1), participants_managers=3)
        managers = Manager.objects.filter(collective__commune__current_province=self.lao_cai)[:3]
        Attendance.objects.bulk_create([Attendance(event=event, manager=m) for m in managers])
        self.assertEqual(event.attendance.count(), 3)
        with CaptureQueriesContext(connection) as done, transaction.atomic():
            event.delete()
        upserts = [q for q in done.captured_queries if "dashboard_figureversion" in q["sql"]]
        self.assertEqual(len(upserts), 1)

    def test_a_change_after_a_read_or_a_rolled_back_savepoint_still_bumps(self):
        from django.db import transaction

        from htxnu.registry.models import Collective

        coop = Collective.objects.filter(commune__current_province=self.lao_cai).first()
        with transaction.atomic():
            coop.save()
            first = self.token()
            Versions.read()
            coop.save()
            self.assertNotEqual(self.token(), first)
            try:
                with transaction.atomic():
                    coop.save()
                    raise RuntimeError
            except RuntimeError:
                pass
            before = self.token()
            coop.save()
            self.assertNotEqual(self.token(), before)

    def test_a_change_in_a_later_transaction_on_the_same_connection_still_bumps(self):
        # Every outermost transaction of a process has the same (empty) savepoint ids: a
        # second request on a kept-alive connection saving in the same province must still
        # give it a new version. A commit runs and empties Django's list of callbacks.
        from django.db import connection

        from htxnu.registry.models import Collective

        coop = Collective.objects.filter(commune__current_province=self.lao_cai).first()
        start = len(connection.run_on_commit)
        coop.save()
        first = self.token()
        committed = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]  # what the commit does
        for _sids, callback, _robust in committed:
            callback()
        coop.save()
        self.assertNotEqual(self.token(), first)
