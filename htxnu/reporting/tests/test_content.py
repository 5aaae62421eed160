"""What a report says beyond its figures: the reviewer's thread on each figure, kept
apart from the unit's own note, and the number, recipients and signer pre-filled."""

import datetime

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import Level
from htxnu.plans.models import Plan
from htxnu.plans.tests.helpers import make_plan, old_unit
from htxnu.reporting import aggregation, selectors, services
from htxnu.reporting.models import Report, ReportState, ReportValue, ValueComment

from .helpers import make_report, reports_indicator, rnd
from .test_provisional_targets import docx_text

D = datetime.date


class ThreadTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        cls.trained = reports_indicator("women_trained")
        cls.report = make_report(cls.round, cls.cam_duong, ReportState.SUBMITTED)
        ReportValue.objects.create(report=cls.report, indicator=cls.trained, own_value=5,
                                   comment="Theo sổ theo dõi của Hội")

    def url(self, name="reporting:report", *extra):
        return reverse(name, args=[self.round.pk, self.cam_duong.pk, *extra])

    def test_the_reviewer_s_note_goes_into_the_thread_and_the_unit_s_note_stays(self):
        self.client.force_login(self.province)
        response = self.client.get(self.url())
        self.assertContains(response, "Theo sổ theo dõi của Hội")
        self.assertNotContains(response, 'value="Theo sổ theo dõi của Hội"')  # not in the reviewer's box
        self.client.post(self.url("reporting:review"), {"decision": "return", "comment": "Bổ sung",
                                                        "note:women_trained": "Kiểm tra lại số lớp",
                                                        "flag:women_trained": "on"})
        value = ReportValue.objects.get(report=self.report, indicator=self.trained)
        self.assertEqual((value.comment, value.follow_up), ("Theo sổ theo dõi của Hội", True))
        [comment] = ValueComment.objects.filter(report=self.report)
        self.assertEqual((comment.text, comment.from_reviewer, comment.author), ("Kiểm tra lại số lớp", True,
                                                                                  self.province))
        # The unit replies in the thread; its own note is untouched, and both show on the page and in the history.
        self.client.force_login(self.commune)
        response = self.client.post(self.url("reporting:comment", "women_trained"),
                                    {"text": "Đã kiểm tra: 5 lớp"})
        self.assertRedirects(response, self.url() + "#value-women_trained", fetch_redirect_response=False)
        thread = selectors.value_threads(self.report)[self.trained.pk]
        self.assertEqual([(c.text, c.from_reviewer) for c in thread], [("Kiểm tra lại số lớp", True),
                                                                       ("Đã kiểm tra: 5 lớp", False)])
        page = self.client.get(self.url()).content.decode()
        self.assertIn("Kiểm tra lại số lớp", page)
        self.assertIn("Đã kiểm tra: 5 lớp", page)
        notes = [e.note for e in selectors.report_timeline(self.report)]
        self.assertIn("Chỉ tiêu women_trained: Đã kiểm tra: 5 lớp", notes)
        self.assertEqual(ReportValue.objects.get(pk=value.pk).comment, "Theo sổ theo dõi của Hội")

    def test_who_may_comment(self):
        for user, status in ((self.sibling, 404), (self.other_province, 404), (self.viewer, 403),
                             (self.partner, 403)):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url("reporting:comment", "women_trained"),
                                              {"text": "x"}).status_code, status, user.username)
        self.client.force_login(self.commune)
        self.assertEqual(self.client.get(self.url("reporting:comment", "women_trained")).status_code, 405)
        self.assertEqual(self.client.post(self.url("reporting:comment", "no_such_code"), {"text": "x"}).status_code,
                         404)
        self.client.post(self.url("reporting:comment", "women_trained"), {"text": "   "})  # empty: nothing
        self.assertFalse(ValueComment.objects.exists())
        with self.assertRaises(PermissionDenied):
            services.value_comment_add(actor=self.viewer, report=self.report, indicator=self.trained, text="x")
        # The province reviews Cam Đường's report (the centre does not: issue #14).
        services.value_comment_add(actor=self.province, report=self.report, indicator=self.trained, text="Tốt")
        self.assertTrue(ValueComment.objects.get().from_reviewer)
        self.assertTrue(AuditEntry.objects.filter(content_type__model="valuecomment").exists())


class PrefillTests(HtxTestCase):
    def form_value(self, response, name):
        return response.context["form"][name].value()

    def test_recipients_come_from_the_plan_and_the_level_above_then_from_the_previous_report(self):
        plan = make_plan(self.central, old_unit("10", Level.PROVINCE), number="294/KH-UBND", date="2023-07-06",
                         phases=[(2023, 2025), (2026, 2030)])
        Plan.objects.filter(pk=plan.pk).update(reports_to_party_committee=True)  # "TT: Tỉnh ủy, HĐND, UBND tỉnh"
        self.client.force_login(self.commune)
        url = reverse("reporting:report", args=[rnd("semiannual", 2026).pk, self.cam_duong.pk])
        recipients = self.form_value(self.client.get(url), "recipients").splitlines()
        self.assertEqual(recipients[1:], ["UBND tỉnh Lào Cai", "Thường trực Tỉnh ủy Lào Cai"])
        self.assertIn("(để báo cáo)", recipients[0])
        self.assertFalse(Report.objects.exists())  # shown, not saved
        # Once a report was sent: its recipients and signer, and the number after its number.
        previous = make_report(rnd("annual", 2025), self.cam_duong, ReportState.SUBMITTED)
        Report.objects.filter(pk=previous.pk).update(document_number="41", recipients="- Hội LHPN tỉnh",
                                                     signer_name="Nguyễn Thị Mai", signer_title="PHÓ CHỦ TỊCH",
                                                     signature_authority="KT")
        response = self.client.get(url)
        self.assertEqual([self.form_value(response, n) for n in ("document_number", "recipients", "signer_name",
                                                                   "signer_title", "signature_authority")],
                         ["42", "- Hội LHPN tỉnh", "Nguyễn Thị Mai", "PHÓ CHỦ TỊCH", "KT"])


class ReviewSectionTests(HtxTestCase):
    """The mid-term review proposes targets for 2026–2030, pre-filled from the trend, and
    lists the commendations recorded."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from htxnu.activities import services as activities

        from .helpers import consolidated_coop

        cls.midterm = rnd("midterm", 2025)
        pom_han = old_unit("02653")
        for i, day in enumerate([D(2023, 6, 1), D(2024, 6, 1), D(2025, 3, 1), D(2025, 9, 1)]):
            consolidated_coop(cls.cam_duong, registered=pom_han, on=day, name=f"HTX {i}")
        activities.nomination_save(actor=cls.province, unit=cls.lao_cai, cycle="2023–2025",
                                   person_name="Nguyễn Thị Hoa", reason="Thành lập 3 HTX do phụ nữ quản lý",
                                   level="province")

    def test_the_review_proposes_targets_from_the_trend_and_lists_the_commendations(self):
        projections = selectors.review_projections(self.midterm, self.lao_cai, [
            i for i in aggregation.active_indicators() if i.code == "coops_consolidated"])
        # 2, 3 and 4 HTX at 14/12/2024, 14/6/2025 and 14/12/2025: about 2 a year more, to the end of 2030.
        self.assertGreater(projections["coops_consolidated"], 10)
        self.client.force_login(self.province)
        url = reverse("reporting:report", args=[self.midterm.pk, self.lao_cai.pk])
        response = self.client.get(url)
        proposed = response.context["form"]["proposal:coops_consolidated"].value()
        self.assertTrue(proposed.startswith("≥ "))
        self.assertContains(response, "Nguyễn Thị Hoa")
        self.assertContains(response, "Thành lập 3 HTX do phụ nữ quản lý")
        # Not on an annual report.
        annual = self.client.get(reverse("reporting:report", args=[rnd("annual", 2025).pk, self.lao_cai.pk]))
        self.assertNotContains(annual, 'id="next-phase"')
        # The unit's own proposal is kept; an unreadable one is refused with the reason.
        from .test_views import ViewBase

        data = ViewBase.page_fields(self, response)
        self.assertEqual(self.client.post(url, {**data, "proposal:coops_consolidated": "nhiều"}).status_code, 422)
        self.client.post(url, {**data, "proposal:coops_consolidated": "≥ 40"})
        value = ReportValue.objects.get(report__unit=self.lao_cai, indicator__code="coops_consolidated")
        self.assertEqual(value.proposed_target, "≥ 40")
        text = docx_text(self.client.get(reverse("reporting:download",
                                                 args=[self.midterm.pk, self.lao_cai.pk, "docx"])).content)
        self.assertIn("≥ 40", text)
        self.assertIn("Nguyễn Thị Hoa", text)
