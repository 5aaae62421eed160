import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from htxnu.accounts.models import Organisation
from htxnu.activities import services
from htxnu.activities.models import Attendance, BudgetLine, Event, SupportAction
from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import services as registry
from htxnu.registry.models import CollectiveType, Gender, LifeEvent, Position

D = datetime.date


class ActivitiesViewFixture(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.union_cd = Organisation.objects.get(unit=cls.cam_duong, kind="union")
        cls.union_lc = Organisation.objects.get(unit=cls.lao_cai, kind="union")
        cls.coop = registry.collective_create(actor=cls.central, type=CollectiveType.HTX, name="HTX Hoa Mai",
                                              commune=cls.cam_duong, founded_on=D(2021, 1, 1))
        cls.mai = registry.manager_add(actor=cls.central, collective=cls.coop, full_name="Lò Thị Mai",
                                       gender=Gender.FEMALE, position=Position.DIRECTOR)

    def event_post(self, **overrides):
        data = {
            "kind": "training", "title": "Tập huấn quản trị HTX", "date": "12/03/2025", "place": "Nhà văn hóa",
            "unit": self.cam_duong.pk, "organiser": self.union_cd.pk, "topic_governance": "on",
            "participants_cadres": "0", "participants_managers": "0", "participants_members": "12",
            "participants_workers": "0", "participants_others": "3", "participants_women": "14",
            "cost": "0",
        }
        for name in ("ethnic_minority", "poor", "disability", "reintegrated", "trafficking", "domestic_violence",
                     "sexual_abuse", "unsafe_migrant", "laid_off"):
            data[f"priority_{name}"] = "0"
        data.update(overrides)
        return data


class EventViewTests(ActivitiesViewFixture):
    def test_a_commune_officer_logs_a_training_with_a_named_manager(self):
        self.client.force_login(self.commune)
        data = self.event_post()
        data["manager_ids"] = [str(self.mai.pk)]
        response = self.client.post(reverse("events:create"), data)
        event = Event.objects.get()
        self.assertRedirects(response, reverse("events:detail", args=[event.pk]))
        self.assertEqual(event.date, D(2025, 3, 12))
        self.assertEqual(event.participants_managers, 1)  # filled from the named attendee
        self.assertEqual(list(Attendance.objects.values_list("manager", flat=True)), [self.mai.pk])
        self.assertEqual(AuditEntry.objects.for_object(event).get().action, "create")
        page = self.client.get(reverse("events:detail", args=[event.pk]))
        self.assertContains(page, "Lò Thị Mai")

    def test_women_above_the_total_is_shown_in_vietnamese_and_nothing_is_saved(self):
        self.client.force_login(self.commune)
        response = self.client.post(reverse("events:create"), self.event_post(participants_women="40"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "không thể nhiều hơn tổng số người tham dự")
        self.assertFalse(Event.objects.exists())

    def test_a_malformed_date_is_refused(self):
        self.client.force_login(self.commune)
        response = self.client.post(reverse("events:create"), self.event_post(date="31/02/2025"))
        self.assertContains(response, "errorlist")
        self.assertFalse(Event.objects.exists())

    def test_read_only_roles_cannot_log_events(self):
        for user in (self.viewer, self.partner):
            self.client.force_login(user)
            self.assertEqual(self.client.post(reverse("events:create"), self.event_post()).status_code, 403)
        self.assertFalse(Event.objects.exists())

    def test_out_of_scope_event_is_404_and_cannot_be_deleted(self):
        event = services.event_create(actor=self.central, kind="training", title="A", date=D(2025, 3, 1),
                                      unit=self.cam_duong, organiser=self.union_cd)
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(reverse("events:detail", args=[event.pk])).status_code, 404)
        self.assertEqual(self.client.post(reverse("events:delete", args=[event.pk])).status_code, 404)
        self.assertTrue(Event.objects.filter(pk=event.pk).exists())

    def test_the_list_and_its_export_show_only_the_units_events(self):
        services.event_create(actor=self.central, kind="training", title="Lớp Cam Đường", date=D(2025, 3, 1),
                              unit=self.cam_duong, organiser=self.union_cd)
        services.event_create(actor=self.central, kind="fair", title="Hội chợ tỉnh", date=D(2025, 4, 1),
                              unit=self.lao_cai, organiser=self.union_lc)
        self.client.force_login(self.commune)
        response = self.client.get(reverse("events:list"))
        self.assertContains(response, "Lớp Cam Đường")
        self.assertNotContains(response, "Hội chợ tỉnh")
        export = self.client.get(reverse("events:export"))
        sheet = load_workbook(io.BytesIO(export.content)).active
        titles = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
        self.assertEqual(titles, ["Lớp Cam Đường"])
        self.client.force_login(self.province)
        self.assertContains(self.client.get(reverse("events:list")), "Hội chợ tỉnh")

    def test_the_list_takes_a_fixed_number_of_queries(self):
        for i in range(12):
            services.event_create(actor=self.central, kind="training", title=f"Lớp {i}", date=D(2025, 3, 1 + i),
                                  unit=self.cam_duong, organiser=self.union_cd)
        self.client.force_login(self.commune)
        self.client.get(reverse("events:list"))  # warm the session
        # session, user, scope root, active unit, count, the user's organisation and the scope check
        # for the "log an event" button, then the page of events with their unit and organiser.
        with self.assertNumQueries(8):
            self.client.get(reverse("events:list"))

    def test_the_attendee_search_stays_in_scope(self):
        self.client.force_login(self.sibling)
        response = self.client.get(reverse("events:attendee_search"), {"q": "Hoa Mai"})
        self.assertNotContains(response, "Lò Thị Mai")
        self.client.force_login(self.commune)
        self.assertContains(self.client.get(reverse("events:attendee_search"), {"q": "Hoa Mai"}), "Lò Thị Mai")


class SupportAndFundingTests(ActivitiesViewFixture):
    def test_support_counts_as_a_consolidation_and_deleting_it_removes_that(self):
        self.client.force_login(self.commune)
        response = self.client.post(reverse("activities:support_create", args=[self.coop.pk]), {
            "kind": "credit", "date": "05/04/2025", "provider": self.union_cd.pk, "lender": "vbsp",
            "amount": "50000000", "note": "",
        })
        self.assertRedirects(response, reverse("activities:support"))
        support = SupportAction.objects.get()
        event = LifeEvent.objects.get(collective=self.coop)
        self.assertEqual((event.kind, event.union_supported, event.union_level), ("consolidated", True, "commune"))
        self.client.post(reverse("activities:support_delete", args=[support.pk]))
        self.assertFalse(LifeEvent.objects.filter(collective=self.coop).exists())

    def test_the_registry_record_links_to_recording_support(self):
        self.client.force_login(self.commune)
        page = self.client.get(reverse("registry:detail", args=[self.coop.pk]))
        self.assertContains(page, reverse("activities:support_create", args=[self.coop.pk]))

    def test_a_loan_without_lender_is_refused(self):
        self.client.force_login(self.commune)
        response = self.client.post(reverse("activities:support_create", args=[self.coop.pk]), {
            "kind": "credit", "date": "05/04/2025", "provider": self.union_cd.pk, "amount": "1000",
        })
        self.assertContains(response, "Khoản vay cần ghi rõ nơi cho vay")
        self.assertFalse(SupportAction.objects.exists())

    def test_spending_above_the_allocation_shows_a_warning(self):
        services.budget_line_save(actor=self.central, unit=self.cam_duong, year=2025, kind="allocation",
                                  source="state_local", amount=10_000_000)
        self.client.force_login(self.commune)
        response = self.client.post(reverse("funding:create"), {
            "kind": "spending", "unit": self.cam_duong.pk, "year": "2025", "source": "state_local",
            "amount": "12500000", "date": "10/05/2025",
        }, follow=True)
        self.assertContains(response, "12.500.000")
        self.assertContains(response, "cao hơn số được giao")
        self.assertEqual(BudgetLine.objects.filter(kind="spending").count(), 1)
        page = self.client.get(reverse("funding:page"), {"year": 2025})
        self.assertContains(page, 'role="alert"')
        self.assertContains(page, '<option value="2025" selected>2025</option>', html=True)  # not 2.025

    def test_spending_within_the_allocation_shows_no_warning(self):
        services.budget_line_save(actor=self.central, unit=self.cam_duong, year=2025, kind="allocation",
                                  source="state_local", amount=10_000_000)
        services.budget_line_save(actor=self.central, unit=self.cam_duong, year=2025, kind="spending",
                                  source="state_local", amount=4_000_000)
        self.client.force_login(self.commune)
        self.assertNotContains(self.client.get(reverse("funding:page"), {"year": 2025}), 'role="alert"')

    def test_a_spending_date_in_another_year_is_refused(self):
        self.client.force_login(self.commune)
        response = self.client.post(reverse("funding:create"), {
            "kind": "spending", "unit": self.cam_duong.pk, "year": "2025", "source": "state_local",
            "amount": "1", "date": "10/05/2024",
        })
        self.assertContains(response, "không thuộc năm 2025")

    def test_the_funding_page_of_the_province_adds_its_communes(self):
        services.budget_line_save(actor=self.central, unit=self.cam_duong, year=2025, kind="estimate",
                                  source="mtqg", amount=3_000_000)
        services.budget_line_save(actor=self.central, unit=self.lao_cai, year=2025, kind="estimate",
                                  source="mtqg", amount=7_000_000)
        self.client.force_login(self.province)
        page = self.client.get(reverse("funding:page"), {"year": 2025})
        self.assertContains(page, "10.000.000")
        self.client.force_login(self.sibling)
        self.assertNotContains(self.client.get(reverse("funding:page"), {"year": 2025}), "3.000.000")


class BoardTests(ActivitiesViewFixture):
    def test_the_board_of_a_plan_groups_its_activities_by_task_group(self):
        from htxnu.plans.tests.helpers import make_plan

        plan = make_plan(self.central, self.lao_cai, number="9/KH-UBND", phases=[(2026, 2030)])
        services.activity_save(actor=self.province, plan=plan, unit=self.lao_cai, task_group=4,
                               title="Tập huấn nữ quản lý")
        services.activity_save(actor=self.province, unit=self.lao_cai, task_group=1, title="Không thuộc kế hoạch")
        self.client.force_login(self.province)
        response = self.client.get(reverse("activities:board"), {"plan": plan.pk})
        self.assertContains(response, "Tập huấn nữ quản lý")
        self.assertNotContains(response, "Không thuộc kế hoạch")
        # A commune sees the province's plan, but the province's activities are the province's records.
        self.client.force_login(self.commune)
        self.assertNotContains(self.client.get(reverse("activities:board"), {"plan": plan.pk}), "Tập huấn nữ quản lý")
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.get(reverse("activities:board"), {"plan": plan.pk}).status_code, 404)


class IndicatorPageTests(ActivitiesViewFixture):
    def test_a_share_over_no_base_is_not_written_as_n_over_zero(self):
        self.client.force_login(self.sibling)  # no managers in Phường Lào Cai: the base is 0
        page = self.client.get(reverse("activities:indicator", args=["managers_trained_pct"]))
        self.assertNotContains(page, "/ 0</strong>")
        self.assertContains(page, "chưa có cơ sở (mẫu số bằng 0)")

    def test_the_records_behind_the_number_are_one_click_away(self):
        services.event_create(actor=self.central, kind="training", title="Lớp quản trị", date=D(2025, 3, 1),
                              unit=self.cam_duong, organiser=self.union_cd, manager_ids=[self.mai.pk],
                              topic_governance=True)
        self.client.force_login(self.province)
        url = reverse("activities:indicator", args=["managers_trained_pct"])
        response = self.client.get(url, {"start": "01/01/2025", "end": "31/12/2025"})
        self.assertContains(response, "100% = 1 / 1")
        self.assertContains(response, "Lò Thị Mai")
        self.assertEqual(self.client.get(reverse("activities:indicator", args=["nope"])).status_code, 404)
        # a unit named in the link, within scope
        response = self.client.get(url, {"unit": self.cam_duong.pk, "start": "01/01/2025", "end": "31/12/2025"})
        self.assertContains(response, "Phường Cam Đường")
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(url, {"unit": self.cam_duong.pk}).status_code, 404)


def export_link(response, label: str) -> str:
    """The address of the page's download link, as an officer would click it."""
    import html
    import re

    match = re.search(r'<a class="button secondary" href="([^"]*)"[^>]*>' + re.escape(label), response.content.decode())
    assert match, f"no link {label!r} on the page"
    return html.unescape(match.group(1))


class ExportsFollowTheFiltersTests(ActivitiesViewFixture):
    """Each list's download holds exactly the rows the filtered list shows."""

    def rows(self, page_url, column):
        link = export_link(self.client.get(page_url), "Tải tệp Excel")
        url = link if link.startswith("/") else page_url.split("?")[0] + link
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]

    def test_the_events_export_keeps_the_kind_filter(self):
        services.event_create(actor=self.central, kind="training", title="Lớp Cam Đường", date=D(2025, 3, 1),
                              unit=self.cam_duong, organiser=self.union_cd)
        services.event_create(actor=self.central, kind="fair", title="Hội chợ Cam Đường", date=D(2025, 4, 1),
                              unit=self.cam_duong, organiser=self.union_cd)
        self.client.force_login(self.commune)
        self.assertEqual(self.rows(reverse("events:list") + "?kind=fair", 2), ["Hội chợ Cam Đường"])

    def test_the_board_export_keeps_the_status_filter(self):
        services.activity_save(actor=self.province, unit=self.lao_cai, task_group=1, title="Truyền thông",
                               status="done")
        services.activity_save(actor=self.province, unit=self.lao_cai, task_group=4, title="Tập huấn",
                               status="planned")
        self.client.force_login(self.province)
        page = self.client.get(reverse("activities:board"), {"status": "done"})
        self.assertContains(page, "Truyền thông")
        self.assertNotContains(page, "Tập huấn")
        self.assertEqual(self.rows(reverse("activities:board") + "?status=done", 1), ["Truyền thông"])

    def test_the_support_export_keeps_the_kind_filter(self):
        services.support_create(actor=self.central, collective=self.coop, kind="credit", date=D(2025, 4, 5),
                                provider=self.union_cd, lender="vbsp", amount=50_000_000)
        services.support_create(actor=self.central, collective=self.coop, kind="consulting", date=D(2025, 4, 6),
                                provider=self.union_cd)
        self.client.force_login(self.commune)
        self.assertEqual(self.rows(reverse("activities:support") + "?kind=credit", 2), ["Tiếp cận vốn vay"])
