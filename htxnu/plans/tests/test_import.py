"""The plan-import screens: upload, review each item beside its sentence, confirm."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from htxnu.core.tests.base import HtxTestCase
from htxnu.plans import imports
from htxnu.plans.models import Plan, PlanImport

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"
LAO_CAI_SEED = "000_4cb31c63fd5f9db4.txt"
IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def default_post(plan_import: PlanImport) -> dict:
    """What the review form posts when the user changes nothing."""
    r = imports.review(plan_import.extracted)
    post = {"unit": str(plan_import.unit_id)}
    post.update({f"doc-{k}": r.document[k] for k in ("type", "number", "date", "issuer")})
    for name, items, fields in (("basis", r.basis, ["number", "date"]), ("phase", r.phases, ["start", "end"]),
                                ("threshold", r.thresholds, ["op", "pct"]),
                                ("baseline", r.baselines, ["indicator", "value", "members"]),
                                ("target", r.targets, ["indicator", "year", "op", "value", "value_max"])):
        for i, item in enumerate(items):
            if item.get("keep"):
                post[f"{name}-{i}-keep"] = "on"
            for f in fields:
                post[f"{name}-{i}-{f}"] = "" if item.get(f) is None else str(item.get(f))
            if name == "target":
                if item["cumulative"]:
                    post[f"target-{i}-cumulative"] = "on"
                if item["per_subunit"]:
                    post[f"target-{i}-per_subunit"] = "on"
    for p in r.reporting["periods"]:
        post[f"reporting-{p}"] = "on"
    post["reporting-deadline"] = r.reporting["deadline"]
    for i, g in enumerate(r.task_groups):
        post[f"group-{i}-lead"] = g["lead"]
    return post


@override_settings(MEDIA_ROOT="/tmp/htxnu-test-media")
class PlanImportTests(HtxTestCase):
    def setUp(self):
        if not SEEDS.is_dir():
            self.skipTest("../shared/seeds is not beside the project")
        self.client.force_login(self.province)

    def upload(self, name=LAO_CAI_SEED, content=None):
        """Upload a file; the background reading it queues runs when the request's transaction commits."""
        content = content if content is not None else (SEEDS / name).read_bytes()
        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("plans:import"), {"document": SimpleUploadedFile(name, content)})

    def test_a_seed_is_read_reviewed_beside_its_sentences_and_saved_as_a_plan(self):
        response = self.upload()
        plan_import = PlanImport.objects.get()
        self.assertRedirects(response, reverse("plans:import_review", args=[plan_import.pk]))
        self.assertEqual(plan_import.unit.name, "Tỉnh Lào Cai")
        self.assertIsNotNone(plan_import.unit.valid_to)  # the plan of 2023 belongs to old Lào Cai
        page = self.client.get(reverse("plans:import_review", args=[plan_import.pk]))
        self.assertContains(page, "294/KH-UBND")
        self.assertContains(page, "ít nhất 13 hợp tác xã")  # the sentence beside the target
        # Its dates are dd/mm/yyyy fields with the calendar button every other form has.
        html = page.content.decode()
        for name in ("doc-date", "basis-0-date"):
            self.assertRegex(html, rf'<span class="date-field"><input [^>]*name="{name}"[^>]*placeholder="dd/mm/yyyy"')
        self.assertFalse(Plan.objects.filter(number="294/KH-UBND").exists())  # nothing saved yet

        response = self.client.post(reverse("plans:import_review", args=[plan_import.pk]), default_post(plan_import))
        plan = Plan.objects.get(number="294/KH-UBND")
        self.assertRedirects(response, reverse("plans:detail", args=[plan.pk]))
        self.assertEqual(plan.targets.count(), len([t for t in plan_import.extracted["targets"]
                                                    if not t.get("optional")]))
        self.assertTrue(plan.document.name.endswith(".txt"))
        plan_import.refresh_from_db()
        self.assertEqual((plan_import.status, plan_import.plan), ("saved", plan))

    def test_a_field_read_from_no_sentence_shows_no_quotation(self):
        # Before: the review quoted "None" under the document's fields.
        r = imports.review({"document": {"evidence": {"number": {"text": "Số: 12/KH-UBND"}, "signer": None}}})
        self.assertEqual(r.document["evidence"], {"number": "Số: 12/KH-UBND", "signer": ""})

    def test_the_confirmation_sent_twice_saves_one_plan(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        url = reverse("plans:import_review", args=[plan_import.pk])
        token = re.search(r'name="form_token" value="([0-9a-f-]{36})"', self.client.get(url).content.decode()).group(1)
        post = {**default_post(plan_import), "form_token": token}
        self.client.post(url, post)
        again = self.client.post(url, post, follow=True)
        plan = Plan.objects.get(number="294/KH-UBND")
        self.assertRedirects(again, reverse("plans:detail", args=[plan.pk]))
        self.assertContains(again, "Biểu mẫu này đã được gửi")
        self.assertEqual(Plan.objects.filter(number="294/KH-UBND").count(), 1)

    def test_unticked_items_are_not_saved_and_corrections_are(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        post = default_post(plan_import)
        targets = plan_import.extracted["targets"]
        first = next(i for i, t in enumerate(targets) if t["indicator"] == "coops_consolidated")
        post[f"target-{first}-value"] = "14"
        second = next(i for i, t in enumerate(plan_import.extracted["targets"]) if t["indicator"] == "coops_new")
        del post[f"target-{second}-keep"]
        self.client.post(reverse("plans:import_review", args=[plan_import.pk]), post)
        plan = Plan.objects.get(number="294/KH-UBND")
        kept = plan.targets.filter(indicator__code="coops_consolidated", year=2025).get()
        self.assertEqual(kept.value, 14)
        self.assertEqual(plan.targets.filter(indicator__code="coops_new", year=2025).count(), 0)

    def test_a_wrong_date_is_reported_and_nothing_is_saved(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        post = default_post(plan_import)
        post["doc-date"] = "31/02/2023"
        response = self.client.post(reverse("plans:import_review", args=[plan_import.pk]), post)
        self.assertContains(response, "“31/02/2023” không phải là ngày")
        self.assertContains(response, 'value="31/02/2023"')  # the user's answer is kept
        self.assertFalse(Plan.objects.exists())
        self.assertEqual(PlanImport.objects.get().status, "draft")

    def test_a_docx_of_a_seed_extracts_the_same_as_the_text(self):
        from docx import Document

        text = (SEEDS / LAO_CAI_SEED).read_text(encoding="utf-8")
        document = Document()
        for line in text.splitlines():
            document.add_paragraph(line)
        buffer = io.BytesIO()
        document.save(buffer)
        self.upload("ke-hoach.docx", buffer.getvalue())
        self.upload()
        from_docx, from_txt = PlanImport.objects.order_by("pk")
        key = lambda t: (t["indicator"], t.get("year"), t["op"], str(t["value"]))  # noqa: E731
        self.assertEqual(sorted(map(key, from_docx.extracted["targets"])),
                         sorted(map(key, from_txt.extracted["targets"])))

    def test_an_unreadable_file_gets_a_clear_message_and_nothing_of_it_is_kept(self):
        self.upload("ke-hoach.docx", b"this is not a word file")
        response = self.client.get(reverse("plans:import_review", args=[PlanImport.objects.get().pk]))
        self.assertContains(response, "Không đọc được văn bản.")
        self.assertContains(response, "Không đọc được tệp “ke-hoach.docx”: tệp Word (.docx) bị hỏng")
        plan_import = PlanImport.objects.get()
        self.assertEqual(plan_import.status, "failed")
        self.assertFalse(plan_import.document)
        response = self.upload("anh.jpg", b"\xff\xd8\xff")
        self.assertContains(response, "errorlist")
        self.assertContains(response, "“anh.jpg”")
        self.assertEqual(PlanImport.objects.count(), 1)

    def test_an_unrelated_text_is_not_taken_for_a_plan(self):
        with override_settings(TASKS=IMMEDIATE), self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("plans:import"), {
                "text": "GIẤY MỜI\nTrân trọng kính mời đồng chí dự hội nghị tổng kết công tác năm 2025 vào 8h00 "
                        "ngày 15/12."
            })
        plan_import = PlanImport.objects.get()
        self.assertRedirects(response, reverse("plans:import_review", args=[plan_import.pk]))
        page = self.client.get(reverse("plans:import_review", args=[plan_import.pk]))
        self.assertContains(page, "Văn bản không nói về Đề án 01")
        self.assertEqual(plan_import.status, "failed")
        self.assertFalse(Plan.objects.exists())

    def test_the_reading_goes_on_in_the_background_and_the_page_shows_how_far(self):
        # With the real queue, the upload returns before the document is read.
        response = self.client.post(reverse("plans:import"), {
            "document": SimpleUploadedFile(LAO_CAI_SEED, (SEEDS / LAO_CAI_SEED).read_bytes())})
        plan_import = PlanImport.objects.get()
        url = reverse("plans:import_review", args=[plan_import.pk])
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(plan_import.status, "reading")
        PlanImport.objects.filter(pk=plan_import.pk).update(pages_done=3, pages_total=12)
        page = self.client.get(url)
        self.assertContains(page, "Đang đọc văn bản…")
        self.assertContains(page, "trang 3/12")
        self.assertContains(page, 'value="25"')
        self.assertContains(page, 'hx-trigger="every 1s"')
        listing = self.client.get(reverse("plans:import"))
        self.assertContains(listing, "Đang đọc")
        self.assertContains(listing, f'hx-get="{reverse("plans:import")}"')

        from htxnu.plans.tasks import read_plan_import

        self.assertEqual(read_plan_import.call(plan_import.pk), "draft")
        self.assertEqual(self.client.get(url, headers={"HX-Request": "true"})["HX-Refresh"], "true")
        self.assertContains(self.client.get(url), "294/KH-UBND")
        self.assertEqual(read_plan_import.call(plan_import.pk), "skipped")  # read once

    def test_a_scan_is_read_by_ocr_and_reviewed_beside_its_page_images(self):
        from htxnu.plans.extraction.ocr import missing_tool

        from .scans import scan_pdf
        from .test_extraction import to_pdf, weasyprint_html

        if missing_tool():
            self.skipTest(f"Debian's {missing_tool()} is not installed (make plan-deps)")
        try:
            weasyprint_html()
        except (ImportError, OSError) as exc:
            self.skipTest(f"WeasyPrint is not usable here: {exc}")
        plan_text = (Path(__file__).parent / "corpus" / "c09_xa_hoa_binh_2025_nguong_ngoac.txt").read_text()
        self.upload("ban-scan.pdf", scan_pdf(to_pdf(plan_text)))
        plan_import = PlanImport.objects.get()
        self.assertEqual(plan_import.status, "draft", plan_import.error)
        self.assertTrue(plan_import.ocr)
        page = self.client.get(reverse("plans:import_review", args=[plan_import.pk]))
        self.assertContains(page, "OCR")
        image_url = reverse("plans:import_page", args=[plan_import.pk, 1])
        self.assertContains(page, f'src="{image_url}"')
        self.assertContains(page, "22/KH-UBND")
        image = self.client.get(image_url)
        self.assertEqual((image.status_code, image["Content-Type"]), (200, "image/jpeg"))
        self.assertTrue(b"".join(image.streaming_content).startswith(b"\xff\xd8"))
        self.assertEqual(self.client.get(reverse("plans:import_page", args=[plan_import.pk, 9])).status_code, 404)
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.get(image_url).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.get(image_url).status_code, 403)

    def test_a_pasted_text_longer_than_any_plan_is_refused_at_once(self):
        response = self.client.post(reverse("plans:import"), {"text": "Kế hoạch. " * 70_000})
        self.assertContains(response, "vượt giới hạn 600.000 ký tự")
        self.assertFalse(PlanImport.objects.exists())

    def test_empty_form_says_what_is_missing(self):
        response = self.client.post(reverse("plans:import"), {})
        self.assertContains(response, "Hãy chọn tệp hoặc dán nội dung kế hoạch")

    def test_another_province_cannot_see_or_save_the_import(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        self.client.force_login(self.other_province)
        url = reverse("plans:import_review", args=[plan_import.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(self.client.post(url, default_post(plan_import)).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url, default_post(plan_import)).status_code, 403)
        self.assertFalse(Plan.objects.exists())

    def test_a_discarded_import_cannot_be_saved(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        self.client.post(reverse("plans:import_discard", args=[plan_import.pk]))
        response = self.client.post(reverse("plans:import_review", args=[plan_import.pk]), default_post(plan_import))
        self.assertFalse(Plan.objects.exists())
        self.assertContains(response, "Lần nhập này đã được lưu hoặc đã hủy.")

    def test_what_the_review_form_does_not_show_is_saved_as_read(self):
        # Nam Định's plan (seed 003): its baselines are counted to 30/12/2022.
        self.upload("003_3b08b6edcdef416f.txt")
        plan_import = PlanImport.objects.get()
        self.client.post(reverse("plans:import_review", args=[plan_import.pk]), default_post(plan_import))
        plan = Plan.objects.get(number="126/KH-UBND")
        self.assertEqual({str(b.as_of) for b in plan.baselines.all()}, {"2022-12-30"})
        # Seed 004 has no number of its own; the one inferred from the text is noted as such.
        self.upload("004_6823781930e572c0.txt")
        plan_import = PlanImport.objects.get(filename__startswith="004")
        self.client.post(reverse("plans:import_review", args=[plan_import.pk]), default_post(plan_import))
        plan = Plan.objects.get(number="81/KH-BTV")
        self.assertIn("Số hiệu và ngày ban hành được suy ra", plan.note)

    def test_a_quarterly_deadline_is_shown_and_saved_as_read(self):
        text = (SEEDS / LAO_CAI_SEED).read_text(encoding="utf-8").replace(
            "Định kỳ hàng năm các sở",
            "Các sở báo cáo hằng quý trước ngày 20 của tháng cuối quý. Định kỳ hàng năm các sở")
        self.upload(content=text.encode("utf-8"))
        plan_import = PlanImport.objects.get()
        page = self.client.get(reverse("plans:import_review", args=[plan_import.pk]))
        self.assertContains(page, "Báo cáo quý: trước ngày 20 của tháng cuối quý")
        self.client.post(reverse("plans:import_review", args=[plan_import.pk]), default_post(plan_import))
        rules = {r.period: r.deadline_phrase for r in Plan.objects.get(number="294/KH-UBND").reporting_rules.all()}
        self.assertEqual(rules, {"quarterly": "trước ngày 20 của tháng cuối quý", "annual": "trước ngày 15/11"})

    def test_messages_name_items_as_the_screen_numbers_them(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        post = default_post(plan_import)
        del post["target-0-keep"]
        for field in ("indicator", "year", "op", "value"):
            post[f"target-2-{field}"] = post[f"target-1-{field}"]
        post["target-2-keep"] = post["target-1-keep"] = "on"
        post["target-2-cumulative"] = post.get("target-1-cumulative", "")
        if not post["target-2-cumulative"]:
            del post["target-2-cumulative"]
        post.pop("target-2-per_subunit", None)
        if "target-1-per_subunit" in post:
            post["target-2-per_subunit"] = "on"
        response = self.client.post(reverse("plans:import_review", args=[plan_import.pk]), post)
        self.assertContains(response, "trùng với chỉ tiêu 2.")
        self.assertContains(response, "Chỉ tiêu 3 (")
        self.assertFalse(Plan.objects.exists())

    def test_bad_answers_in_the_review_form_are_reported_and_nothing_is_saved(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        url = reverse("plans:import_review", args=[plan_import.pk])
        post = default_post(plan_import)
        post["target-0-value"] = "mười ba"
        post["unit"] = str(self.other_province.organisation.unit_id)  # a unit outside the user's scope
        response = self.client.post(url, post)
        self.assertContains(response, "“mười ba” không phải là số")
        self.assertContains(response, "Hãy chọn đơn vị của kế hoạch.")
        post = default_post(plan_import)
        post["target-1-op"] = "<<"
        response = self.client.post(url, post)
        self.assertContains(response, "Chỉ tiêu 2 (")
        self.assertContains(response, "không rõ phép so sánh “&lt;&lt;”")
        self.assertFalse(Plan.objects.exists())
        self.assertEqual(PlanImport.objects.get().status, "draft")

    def test_a_saved_import_leads_to_its_plan_and_cannot_be_discarded(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        url = reverse("plans:import_review", args=[plan_import.pk])
        self.client.post(url, default_post(plan_import))
        plan = Plan.objects.get()
        self.assertRedirects(self.client.get(url), reverse("plans:detail", args=[plan.pk]))
        self.assertRedirects(self.client.post(url, default_post(plan_import)), reverse("plans:detail", args=[plan.pk]))
        response = self.client.post(reverse("plans:import_discard", args=[plan_import.pk]), follow=True)
        self.assertContains(response, "Lần nhập này đã được lưu hoặc đã hủy.")
        plan_import.refresh_from_db()
        self.assertEqual((plan_import.status, plan_import.plan), ("saved", plan))
        self.assertEqual(Plan.objects.count(), 1)

    def test_only_officers_in_scope_discard_an_import(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        url = reverse("plans:import_discard", args=[plan_import.pk])
        self.client.force_login(self.other_province)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.client.force_login(self.viewer)
        self.assertEqual(self.client.post(url).status_code, 403)
        self.assertEqual(PlanImport.objects.get().status, "draft")

    def test_a_file_over_15_mb_is_refused(self):
        response = self.upload("ke-hoach.txt", b"a" * (15 * 1024 * 1024 + 1))
        self.assertContains(response, "Tệp lớn hơn 15 MB.")
        self.assertFalse(PlanImport.objects.exists())

    def test_the_review_page_reads_a_fixed_number_of_queries(self):
        self.upload()
        plan_import = PlanImport.objects.get()
        url = reverse("plans:import_review", args=[plan_import.pk])
        self.client.get(url)
        # session, user, organisation, active unit, the import, the units offered, the
        # catalogue, the user's rights (scope root), and the template's lookups.
        with self.assertNumQueries(9):
            self.client.get(url)
