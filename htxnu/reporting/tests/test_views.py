import datetime
import io

from django.urls import reverse
from docx import Document as WordDocument
from docx.shared import Mm
from openpyxl import load_workbook

from htxnu.core.tests.base import HtxTestCase
from htxnu.reporting import services
from htxnu.reporting.models import Notification, Report, ReportState, ReportValue

from .helpers import consolidated_coop, make_report, reports_indicator, rnd

D = datetime.date


class ViewBase(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.round = rnd("annual", 2026)
        cls.trained = reports_indicator("women_trained")
        consolidated_coop(cls.cam_duong, jobs=6, on=D(2026, 4, 1), name="HTX Hoa Mai")

    def url(self, name="reporting:report", unit=None, *extra):
        return reverse(name, args=[self.round.pk, (unit or self.cam_duong).pk, *extra])

    def page_fields(self, response) -> dict:
        """What the browser would send back: every field of the draft form as rendered."""
        form, original = response.context["form"], response.context["original"]
        data = {"version": response.context["report"].version if response.context["report"] else 0}
        for bound in list(form) + list(original):
            value = bound.value()
            if bound.field.widget.input_type == "checkbox" if hasattr(bound.field.widget, "input_type") else False:
                if value:
                    data[bound.html_name] = "on"
                continue
            if bound.form is original and isinstance(value, bool):
                data[bound.html_name] = str(value)
                continue
            data[bound.html_name] = bound.field.prepare_value(value) if value is not None else ""
        return data


class IndexTests(ViewBase):
    def test_the_commune_sees_its_rounds_and_their_state(self):
        make_report(self.round, self.cam_duong, ReportState.RETURNED)
        self.client.force_login(self.commune)
        response = self.client.get(reverse("reporting:index"))
        self.assertContains(response, "Báo cáo năm 2026")
        self.assertContains(response, "Trả lại để chỉnh sửa")
        self.assertContains(response, self.url())
        self.assertNotContains(response, "Báo cáo quý")  # no plan asks for quarterly reports

    def test_wrong_method(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post(reverse("reporting:index")).status_code, 405)

    def test_notifications_show_on_the_home_page_and_can_be_marked_read(self):
        Notification.objects.create(user=self.commune, kind="returned", round=self.round, unit=self.cam_duong,
                                    text="Trả lại để chỉnh sửa: bổ sung số liệu", url=self.url())
        self.client.force_login(self.commune)
        self.assertContains(self.client.get("/"), "bổ sung số liệu")
        self.assertContains(self.client.get(reverse("reporting:notifications")), "bổ sung số liệu")
        self.client.post(reverse("reporting:notifications_read"))
        self.assertNotContains(self.client.get("/"), "bổ sung số liệu")


class ReportPageTests(ViewBase):
    def test_the_commune_fills_its_report_and_submits_it(self):
        self.client.force_login(self.commune)
        response = self.client.get(self.url())
        self.assertContains(response, "HTX được củng cố")
        self.assertContains(response, "từ dữ liệu")
        data = self.page_fields(response)
        data.update({"results": "Củng cố 1 HTX", "own:women_trained": "1.250", "hl-0-name": "HTX Hoa Mai",
                     "hl-0-kind": "Mô hình HTX"})
        response = self.client.post(self.url(), data)
        self.assertRedirects(response, self.url())
        report = Report.objects.get(unit=self.cam_duong)
        self.assertEqual((report.results, report.highlights[0]["name"]), ("Củng cố 1 HTX", "HTX Hoa Mai"))
        self.assertEqual(ReportValue.objects.get(report=report, indicator=self.trained).own_value, 1250)

        data = self.page_fields(self.client.get(self.url()))
        data["action"] = "submit"
        response = self.client.post(self.url(), data)  # no number, no signer: refused, the draft kept
        self.assertContains(response, "Chưa gửi được báo cáo: còn thiếu số văn bản, họ tên người ký.",
                            status_code=422)
        self.assertEqual(Report.objects.get(unit=self.cam_duong).state, ReportState.DRAFT)
        data = self.page_fields(self.client.get(self.url()))
        data.update({"action": "submit", "document_number": "12", "signer_name": "Nguyễn Thị Mai"})
        self.assertRedirects(self.client.post(self.url(), data), self.url())
        self.assertEqual(Report.objects.get(unit=self.cam_duong).state, ReportState.SUBMITTED)
        self.assertContains(self.client.get(self.url()), "theo báo cáo đã gửi")

    def test_a_bad_figure_is_refused_saying_which_indicator_and_nothing_is_saved(self):
        self.client.force_login(self.commune)
        data = self.page_fields(self.client.get(self.url()))
        data.update({"results": "x", "own:women_trained": "mười"})
        response = self.client.post(self.url(), data)
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Chưa lưu được", status_code=422)
        self.assertContains(response, "Chỉ tiêu women_trained — số liệu của đơn vị: “mười” không phải là số.",
                            status_code=422)
        self.assertFalse(Report.objects.exists())

    def test_a_second_person_saving_the_same_field_sees_the_first_persons_value(self):
        self.client.force_login(self.commune)
        data = self.page_fields(self.client.get(self.url()))
        first = {**data, "results": "Kết quả do chị Lan nhập"}
        second = {**data, "results": "Kết quả do chị Mai nhập"}
        self.client.post(self.url(), first)
        response = self.client.post(self.url(), second)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Người khác đã lưu báo cáo này", status_code=409)
        self.assertContains(response, "người kia đã lưu: <em>Kết quả do chị Lan nhập</em>", status_code=409)
        self.assertEqual(Report.objects.get().results, "Kết quả do chị Lan nhập")
        # Saving again from the conflict page keeps Mai's text, knowingly.
        again = self.page_fields(response)
        self.client.post(self.url(), again)
        self.assertEqual(Report.objects.get().results, "Kết quả do chị Mai nhập")

    def test_a_stale_page_cannot_submit(self):
        self.client.force_login(self.commune)
        data = self.page_fields(self.client.get(self.url()))
        self.client.post(self.url(), {**data, "results": "Kết quả do chị Lan nhập"})
        # Mai's page predates Lan's save; she changed another field and presses submit.
        response = self.client.post(self.url(), {**data, "lessons": "Bài học do chị Mai nhập", "action": "submit"})
        self.assertContains(response, "Người khác đã lưu báo cáo này", status_code=409)
        report = Report.objects.get()
        self.assertEqual((report.state, report.results, report.lessons),
                         (ReportState.DRAFT, "Kết quả do chị Lan nhập", ""))

    def test_line_breaks_typed_in_the_form_are_kept_and_the_signer_is_not_typed_for_the_user(self):
        self.client.force_login(self.commune)
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})
        data = self.page_fields(self.client.get(self.url()))
        self.assertEqual(data["signer_title"], "")
        data.update({"recipients": "Hội LHPN tỉnh Lào Cai\r\nĐảng ủy phường", "results": "Dòng một.\r\nDòng  hai."})
        self.client.post(self.url(), data)
        report = Report.objects.get()
        self.assertEqual(report.recipients, "Hội LHPN tỉnh Lào Cai\nĐảng ủy phường")
        self.assertEqual(report.results, "Dòng một.\nDòng hai.")
        self.assertEqual(report.signer_title, "")  # not "CHAIRWOMAN" because the page was in English
        word = WordDocument(io.BytesIO(self.client.get(self.url("reporting:download", None, "docx")).content))
        text = [p.text for p in word.paragraphs] + [p.text for t in word.tables for row in t.rows
                                                    for c in row.cells for p in c.paragraphs]
        self.assertIn("CHỦ TỊCH", text)
        self.assertTrue(any("Đảng ủy phường" in line and "Lào Cai" not in line for line in text))

    def test_bad_values_in_the_address_or_the_form_are_refused_plainly(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.get(self.url(), {"geography": "mars"}).status_code, 200)
        self.assertEqual(self.client.get(self.url("reporting:download", None, "docx")[:-1]).status_code, 404)
        data = self.page_fields(self.client.get(self.url()))
        self.client.post(self.url(), {**data, "results": "Lan"})
        response = self.client.post(self.url(), {**data, "results": "Mai", "version": "mười"})
        self.assertContains(response, "Người khác đã lưu báo cáo này", status_code=409)
        self.assertEqual(Report.objects.get().results, "Lan")

    def test_the_province_sees_the_communes_below_with_their_state_and_figures(self):
        make_report(self.round, self.cam_duong, ReportState.APPROVED, frozen={"coops_consolidated": 1},
                    submitted=D(2026, 12, 1))
        self.client.force_login(self.province)
        response = self.client.get(self.url(unit=self.lao_cai))
        self.assertContains(response, "Phường Cam Đường")
        self.assertContains(response, "1/99")  # submitted
        self.assertContains(response, "đúng hạn")
        self.assertContains(response, "điều chỉnh hạn")

    def test_the_geography_switch_for_a_phase_one_round(self):
        self.client.force_login(self.province)
        annual_2024 = rnd("annual", 2024)
        url = reverse("reporting:report", args=[annual_2024.pk, self.lao_cai.pk])
        response = self.client.get(url)
        self.assertContains(response, "Tỉnh Yên Bái")  # the units of that time below today's Lào Cai
        self.assertContains(response, "chưa tồn tại vào ngày 14/12/2024")
        response = self.client.get(url + "?geography=today")
        self.assertContains(response, "Phường Cam Đường")
        self.assertNotContains(response, "Tỉnh Yên Bái")

    def test_query_count_does_not_grow_with_the_units_below(self):
        self.client.force_login(self.province)
        url = self.url(unit=self.lao_cai)
        self.client.get(url)
        for commune in list(self.lao_cai.children.all())[:30]:
            make_report(self.round, commune, ReportState.APPROVED, frozen={"coops_consolidated": 0})
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        make_report(self.round, self.lao_cai, ReportState.DRAFT, own={"women_trained": 1})
        for commune in list(self.lao_cai.children.all())[30:]:
            make_report(self.round, commune, ReportState.SUBMITTED, frozen={"coops_consolidated": 0})
        with CaptureQueriesContext(connection) as after:
            self.client.get(url)
        # A fixed number: session, user, organisation, the round, the unit, its report, the catalogue,
        # contributors, compute_many (thresholds, registry facts, the activities' computations), reports and
        # values below, deadlines (2), the plans and their targets, setting, history (2 when a report exists),
        # the threads on its figures and their audit entries (2 when a report exists).
        self.assertLessEqual(len(after), len(before) + 6)
        self.assertLess(len(after), 60)

    def test_scope_and_roles(self):
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(self.url()).status_code, 404)
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.post(self.url(), {"version": 0}).status_code, 404)
        for user in (self.viewer, self.partner, self.province):
            self.client.force_login(user)
            self.assertEqual(self.client.post(self.url(), {"version": 0}).status_code, 403, user.username)
        self.client.force_login(self.commune)
        self.assertEqual(self.client.put(self.url()).status_code, 405)
        self.assertEqual(self.client.get(reverse("reporting:report", args=[self.round.pk, 999999])).status_code, 404)


class ReviewViewTests(ViewBase):
    def setUp(self):
        self.report = make_report(self.round, self.cam_duong, ReportState.SUBMITTED)
        Report.objects.filter(pk=self.report.pk).update(results="Kết quả", document_number="5",
                                                        signer_name="Lê Thị Hoa")

    def test_the_province_returns_with_a_comment_then_approves(self):
        self.client.force_login(self.province)
        response = self.client.post(self.url("reporting:review"), {"decision": "return", "comment": ""},
                                    follow=True)
        self.assertContains(response, "Nêu rõ nội dung cần chỉnh sửa")
        self.client.post(self.url("reporting:review"), {"decision": "return", "comment": "Bổ sung số liệu",
                                                        "note:women_trained": "Kiểm tra lại",
                                                        "flag:women_trained": "on"})
        self.report.refresh_from_db()
        self.assertEqual((self.report.state, self.report.review_comment), ("returned", "Bổ sung số liệu"))
        self.assertTrue(ReportValue.objects.get(report=self.report, indicator=self.trained).follow_up)
        self.client.force_login(self.commune)
        self.assertContains(self.client.get(self.url()), "Bổ sung số liệu")
        services.report_submit(actor=self.commune, report=self.report)
        self.client.force_login(self.province)
        self.client.post(self.url("reporting:review"), {"decision": "approve"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "approved")

    def test_a_decision_that_is_neither_approve_nor_return_changes_nothing(self):
        self.client.force_login(self.province)
        response = self.client.post(self.url("reporting:review"), {"decision": "publish"}, follow=True)
        self.assertContains(response, "Chọn phê duyệt hoặc trả lại báo cáo.")
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, ReportState.SUBMITTED)

    def test_reopening_needs_an_approver_and_a_reason(self):
        self.report.state = ReportState.APPROVED
        self.report.save()
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post(self.url("reporting:reopen"), {"reason": "x"}).status_code, 403)
        self.client.force_login(self.province)
        response = self.client.post(self.url("reporting:reopen"), {"reason": ""}, follow=True)
        self.assertContains(response, "Nhập lý do mở lại báo cáo.")
        self.client.post(self.url("reporting:reopen"), {"reason": "Sai số liệu"})
        self.report.refresh_from_db()
        self.assertEqual(self.report.state, "returned")

    def test_scope_roles_and_methods(self):
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post(self.url("reporting:review"), {"decision": "approve"}).status_code, 403)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(self.url("reporting:review"), {"decision": "approve"}).status_code, 403)
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.post(self.url("reporting:review"), {"decision": "approve"}).status_code, 404)
        self.assertEqual(self.client.post(self.url("reporting:reopen"), {"reason": "x"}).status_code, 404)
        self.client.force_login(self.province)
        self.assertEqual(self.client.get(self.url("reporting:review")).status_code, 405)
        self.assertEqual(self.client.get(self.url("reporting:reopen")).status_code, 405)


class DeadlineSettingRequestViewTests(ViewBase):
    def test_the_province_moves_a_communes_deadline(self):
        self.client.force_login(self.province)
        self.assertContains(self.client.get(self.url("reporting:deadline")), "20/12/2026")
        response = self.client.post(self.url("reporting:deadline"), {"deadline": "05/01/2027", "reason": "Bão"})
        self.assertRedirects(response, self.url(unit=self.lao_cai))
        self.client.force_login(self.commune)
        self.assertContains(self.client.get(self.url()), "05/01/2027")
        self.assertEqual(self.client.get(self.url("reporting:deadline")).status_code, 403)
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(self.url("reporting:deadline")).status_code, 404)

    def test_a_bad_deadline_says_so(self):
        self.client.force_login(self.province)
        response = self.client.post(self.url("reporting:deadline"), {"deadline": "31/02/2027"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Nhập một ngày hợp lệ")

    def test_units_below_first_setting(self):
        setting_url = reverse("reporting:setting", args=[self.lao_cai.pk])
        for user in (self.viewer, self.partner):
            self.client.force_login(user)
            self.assertEqual(self.client.post(setting_url, {"children_first": "on"}).status_code, 403)
        self.client.force_login(self.commune)
        self.assertEqual(self.client.post(setting_url, {"children_first": "on"}).status_code, 404)
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.post(setting_url, {"children_first": "on"}).status_code, 404)
        self.client.force_login(self.province)
        response = self.client.post(setting_url, {"children_first": "on", "next": "//evil.example/reports/"})
        self.assertRedirects(response, reverse("reporting:index"), fetch_redirect_response=False)
        response = self.client.post(setting_url, {"children_first": "on", "next": self.url(unit=self.lao_cai)})
        self.assertRedirects(response, self.url(unit=self.lao_cai), fetch_redirect_response=False)
        from htxnu.reporting.models import UnitSetting

        self.assertTrue(UnitSetting.objects.get(unit=self.lao_cai).children_first)
        self.assertEqual(self.client.get(setting_url).status_code, 405)

    def test_the_province_requests_an_ad_hoc_report(self):
        self.client.force_login(self.province)
        response = self.client.post(reverse("reporting:request"), {
            "title": "Thiệt hại do bão số 3", "description": "", "data_start": "01/09/2026",
            "data_end": "30/09/2026", "deadline": "15/08/2026"})
        self.assertContains(response, "Hạn gửi trước ngày bắt đầu kỳ số liệu.")
        response = self.client.post(reverse("reporting:request"), {
            "title": "Thiệt hại do bão số 3", "description": "", "data_start": "01/09/2026",
            "data_end": "30/09/2026", "deadline": "10/10/2026"})
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.commune)
        self.assertContains(self.client.get(reverse("reporting:index")), "Thiệt hại do bão số 3")
        self.assertEqual(self.client.get(reverse("reporting:request")).status_code, 403)


class DocumentTests(ViewBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        report = make_report(cls.round, cls.cam_duong, ReportState.APPROVED, submitted=D(2026, 2, 5),
                             frozen={"coops_consolidated": 1, "jobs_coop_women": 6})
        report.results = "Củng cố HTX Hoa Mai.\nMở 2 lớp tập huấn."
        report.document_number = "15"
        report.recipients = "Hội LHPN tỉnh Lào Cai (để b/c)\nĐảng ủy phường"
        report.signer_name = "Hoàng Thị Lan"
        report.highlights = [{"name": "HTX Hoa Mai", "kind": "Mô hình", "place": "Cam Đường", "achievement": "OCOP"}]
        report.save()

    def test_the_word_document_has_the_decree_30_layout(self):
        self.client.force_login(self.province)
        self.client.post(reverse("set_language"), {"language": "en", "next": "/"})  # the document stays Vietnamese
        response = self.client.get(self.url("reporting:download", None, "docx"))
        self.assertEqual(response.status_code, 200)
        self.assertIn("bao-cao-nam-2026-cam-duong.docx", response["Content-Disposition"])
        word = WordDocument(io.BytesIO(response.content))
        section = word.sections[0]
        margins = [round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                              section.right_margin)]
        self.assertEqual(margins, [20, 20, 30, 15])
        self.assertEqual((round(section.page_width / Mm(1)), round(section.page_height / Mm(1))), (210, 297))
        self.assertEqual(word.styles["Normal"].font.name, "Times New Roman")
        header = [p.text for cell in word.tables[0].rows[0].cells for p in cell.paragraphs]
        self.assertEqual(header[:2], ["HỘI LHPN TỈNH LÀO CAI", "HỘI LHPN PHƯỜNG CAM ĐƯỜNG"])
        self.assertIn("Số: 15/BC-HPN", header)
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", header)
        self.assertIn("Độc lập - Tự do - Hạnh phúc", header)
        self.assertIn("Cam Đường, ngày 05 tháng 02 năm 2026", header)
        text = [p.text for p in word.paragraphs]
        self.assertIn("BÁO CÁO", text)
        self.assertTrue(any(t.startswith("Kết quả thực hiện Đề án “Hỗ trợ hợp tác xã") and t.endswith("năm 2026")
                            for t in text))
        for heading in ("I. KẾT QUẢ ĐẠT ĐƯỢC", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. BÀI HỌC KINH NGHIỆM",
                        "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", "V. ĐỀ XUẤT, KIẾN NGHỊ", "Mở 2 lớp tập huấn."):
            self.assertIn(heading, text)
        figures = word.tables[1]
        self.assertEqual([c.text for c in figures.rows[0].cells][:3], ["STT", "Chỉ tiêu", "Đơn vị"])
        self.assertEqual([c.text for c in figures.rows[1].cells][1:5],
                         ["HTX được củng cố, nâng cao chất lượng hoạt động", "HTX", "", "1"])
        self.assertEqual(word.tables[2].rows[1].cells[1].text, "HTX Hoa Mai")
        signature = [p.text for cell in word.tables[-1].rows[0].cells for p in cell.paragraphs]
        self.assertIn("Nơi nhận:", signature)
        self.assertIn("- Hội LHPN tỉnh Lào Cai (để b/c);", signature)
        self.assertIn("- Lưu: VT.", signature)
        self.assertIn("TM. BAN CHẤP HÀNH", signature)
        self.assertIn("CHỦ TỊCH", signature)
        self.assertIn("Hoàng Thị Lan", signature)

    def test_the_workbook_has_one_sheet_per_level_below(self):
        self.client.force_login(self.province)
        response = self.client.get(self.url("reporting:download", self.lao_cai, "xlsx"))
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Tổng hợp", "Xã, phường, đặc khu"])
        rows = {r[1]: r for r in book["Xã, phường, đặc khu"].iter_rows(min_row=7, values_only=True)}
        self.assertEqual(len(rows), 99)
        self.assertEqual(rows["Phường Cam Đường"][2], "Đã phê duyệt")
        self.assertEqual(rows["Phường Cam Đường"][5], 1)  # coops_consolidated, as approved
        old = self.client.get(self.url("reporting:download", self.lao_cai, "xlsx") + "?geography=old")
        self.assertEqual(load_workbook(io.BytesIO(old.content)).sheetnames,
                         ["Tổng hợp", "Tỉnh trước 1-7-2025", "Huyện trước 1-7-2025", "Xã trước 1-7-2025"])

    def test_the_pdf(self):
        from pypdf import PdfReader

        self.client.force_login(self.commune)
        response = self.client.get(self.url("reporting:download", None, "pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
        self.assertIn("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", text)
        self.assertIn("BÁO CÁO", text)

    def test_scope_and_methods(self):
        self.client.force_login(self.sibling)
        self.assertEqual(self.client.get(self.url("reporting:download", None, "docx")).status_code, 404)
        self.client.force_login(self.commune)
        self.assertEqual(self.client.get(self.url("reporting:download", None, "docx")[:-4] + "odt").status_code, 404)
        self.assertEqual(self.client.post(self.url("reporting:download", None, "docx")).status_code, 405)
