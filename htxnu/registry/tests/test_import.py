import datetime
import io
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from htxnu.core.models import AuditEntry
from htxnu.core.tests.base import HtxTestCase
from htxnu.geo.models import AdminUnit
from htxnu.registry import importer, workbook
from htxnu.registry.models import Collective, ImportJob, Manager, WorkforceSnapshot

from .helpers import cells, make_coop, row, xlsx

FULL = dict(
    registration_code="5300123456", address="Tổ 5, Cam Đường", founded_on="15/03/2021", main_products="Rau",
    status="Đang hoạt động", union_supported_founding="Có", union_support_level="Hội LHPN xã",
    manager_name="Lò Thị Mai", manager_gender="Nữ", manager_birth_year=1985, manager_position="Giám đốc",
    as_of="31/12/2025", members=20, female_members=15, workers=25, female_workers=21, women_stable_jobs=18,
)


def lai_chau_commune():
    return AdminUnit.objects.filter(parent__code="12", valid_to__isnull=True, level="commune").order_by("code")[0]


class ImportTestCase(HtxTestCase):
    unit_attr = "cam_duong"

    def run_import(self, rows, actor=None, unit=None, **kwargs):
        data = rows if isinstance(rows, bytes) else xlsx(rows, **kwargs)
        return importer.import_file(actor=actor or self.commune, unit=unit or getattr(self, self.unit_attr),
                                    data=data, file_name="danh-sach.xlsx")

    def problems(self, result):
        return [(p.row, p.column, p.message) for p in result.problems]


class ImportTests(ImportTestCase):
    def test_a_good_file_goes_in_with_its_manager_and_workforce(self):
        result = self.run_import([row(**FULL), row(type="THT", name="Tổ hợp tác Thổ cẩm", commune="Phường Cam Đường")])
        self.assertEqual(self.problems(result), [])
        self.assertEqual((result.created, result.updated), (2, 0))
        coop = Collective.objects.get(registration_code="5300123456")
        self.assertEqual(coop.commune, self.cam_duong)
        self.assertEqual(coop.founded_on, datetime.date(2021, 3, 15))
        self.assertTrue(coop.union_supported_founding)
        self.assertEqual(coop.union_support_level, "commune")
        self.assertTrue(coop.is_women_managed)
        self.assertEqual(coop.female_worker_share, 84)
        self.assertEqual(coop.search_key, "hop tac xa hoa mai 5300123456 rau")
        entry = AuditEntry.objects.for_object(coop).get()
        self.assertEqual(entry.action, AuditEntry.Action.IMPORT)
        self.assertEqual(entry.actor, self.commune)
        # One entry per row, telling the whole row: the record, its manager, its figures.
        self.assertEqual(entry.changes["name"], [None, "Hợp tác xã Hoa Mai"])
        self.assertEqual(entry.changes["Người quản lý chính: họ tên"], [None, "Lò Thị Mai"])
        self.assertEqual(entry.changes["Lao động nữ"], [None, 21])
        self.assertEqual(AuditEntry.objects.filter(action="import").count(), 2)

    def test_records_added_by_hand_after_an_import_get_ids_of_their_own(self):
        # The bulk writer draws its ids from the tables' sequences (COPY on PostgreSQL).
        result = self.run_import([row(**FULL), row(type="THT", name="Tổ hợp tác Thổ cẩm")])
        by_hand = make_coop(self.commune, self.cam_duong, name="Hợp tác xã Sau Nhập", code="5300999999",
                            woman_director=True)
        self.assertNotIn(by_hand.pk, result.collective_ids)
        self.assertEqual(Collective.objects.count(), 3)
        self.assertEqual(Manager.objects.filter(collective=by_hand).count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="import").count(), 2)

    def test_communes_are_found_with_or_without_kind_and_accents_or_by_code(self):
        for i, text in enumerate(["Cam Đường", "Phường Cam Đường", "cam duong", "PHUONG CAM DUONG", "02674",
                                  "cam  đường"]):
            result = self.run_import([row(name=f"HTX {i}", commune=text)])
            self.assertEqual(self.problems(result), [], text)
        self.assertEqual(Collective.objects.filter(commune=self.cam_duong).count(), 6)

    def test_reimporting_the_same_file_changes_nothing_and_an_edit_updates(self):
        rows = [row(**FULL), row(type="THT", name="Tổ hợp tác Thổ cẩm")]
        self.run_import(rows)
        audit_before = AuditEntry.objects.count()
        again = self.run_import(rows)
        self.assertEqual((again.created, again.updated), (0, 0))
        self.assertEqual(Collective.objects.count(), 2)
        self.assertEqual(Manager.objects.count(), 1)
        self.assertEqual(WorkforceSnapshot.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.count(), audit_before)
        # Matched on the code, and on name + commune (however the accents were typed) for the group.
        edited = [row(**{**FULL, "name": "Hợp tác xã Hoa Mai Cam Đường", "female_workers": 10}),
                  row(type="THT", name="tổ hợp tác thổ cẩm", sector="Dệt (thổ cẩm, mây tre đan)")]
        result = self.run_import(edited)
        self.assertEqual((result.created, result.updated), (0, 2))
        coop = Collective.objects.get(registration_code="5300123456")
        self.assertEqual(coop.name, "Hợp tác xã Hoa Mai Cam Đường")
        self.assertEqual(coop.female_workers, 10)
        self.assertEqual(Collective.objects.get(type="tht").sector, "weaving")
        change = AuditEntry.objects.for_object(coop).filter(action="import").first()
        self.assertEqual(change.changes["name"], ["Hợp tác xã Hoa Mai", "Hợp tác xã Hoa Mai Cam Đường"])

    def test_an_empty_cell_keeps_what_was_recorded(self):
        self.run_import([row(**FULL)])
        self.run_import([row(registration_code="5300123456", name="Hợp tác xã Hoa Mai")])
        coop = Collective.objects.get()
        self.assertEqual(coop.address, "Tổ 5, Cam Đường")
        self.assertTrue(coop.union_supported_founding)

    def test_one_bad_row_and_nothing_is_written(self):
        rows = [row(**FULL), row(name="HTX 2"), row(name="HTX 3", founded_on="31/12/2099"), row(name="HTX 4")]
        result = self.run_import(rows)
        self.assertEqual(self.problems(result), [(4, "F", "Ngày này ở tương lai.")])
        self.assertEqual(Collective.objects.count(), 0)
        self.assertEqual(Manager.objects.count(), 0)
        self.assertEqual(AuditEntry.objects.filter(action="import").count(), 0)

    def test_a_failure_while_writing_leaves_nothing_half_written(self):
        from unittest import mock

        with mock.patch("htxnu.registry.importer.refresh_derived", side_effect=RuntimeError("disk full")), \
                self.assertRaises(RuntimeError):
            self.run_import([row(**FULL), row(name="HTX 2")])
        self.assertEqual(Collective.objects.count(), 0)
        self.assertEqual(Manager.objects.count(), 0)

    def test_the_number_of_queries_does_not_grow_with_the_rows(self):
        def count(n, prefix):
            rows = [row(name=f"{prefix} {i}", registration_code=f"53{prefix}{i:05d}", manager_name=f"Người {i}",
                        manager_gender="Nữ", manager_position="Giám đốc", as_of="31/12/2025", members=5,
                        female_members=3, workers=5, female_workers=3, women_stable_jobs=3) for i in range(n)]
            with CaptureQueriesContext(connection) as ctx:
                result = self.run_import(rows)
            self.assertTrue(result.ok, self.problems(result))
            return len(ctx.captured_queries)

        count(2, "300")  # warms the content-type cache the audit entries use
        self.assertEqual(count(10, "100"), count(200, "200"))


class ImportErrorTests(ImportTestCase):
    """Every kind of problem, each with its sheet, row, column and a Vietnamese message."""

    def assertProblem(self, rows, column, message, row_number=2, **kwargs):
        result = self.run_import(rows, **kwargs)
        self.assertIn((row_number, column, message), self.problems(result), self.problems(result))
        self.assertFalse(Collective.objects.exists())
        self.assertTrue(all(p.sheet == workbook.DATA_SHEET for p in result.problems if p.row))
        return result

    def test_unknown_commune(self):
        self.assertProblem([row(commune="Phường Không Có")], "D",
                           "Không có xã, phường nào của Phường Cam Đường tên là “Phường Không Có”.")

    def test_ambiguous_commune(self):
        result = self.run_import([row(commune="Tân Lập")], actor=self.central, unit=self.country)
        (problem,) = result.problems
        self.assertEqual(problem.column, "D")
        self.assertIn("“Tân Lập” ứng với nhiều xã, phường:", problem.message)
        self.assertIn("Xã Tân Lập (", problem.message)

    def test_commune_outside_the_unit(self):
        other = lai_chau_commune()
        self.assertProblem([row(commune=other.code)], "D",
                           f"{other.name} (mã {other.code}) nằm ngoài Phường Cam Đường, đơn vị bạn đang nhập dữ "
                           "liệu.")

    def test_unit_out_of_scope_or_read_only(self):
        for actor, unit in ((self.commune, self.lai_chau), (self.viewer, self.lao_cai), (self.partner, self.lao_cai)):
            with self.assertRaises(PermissionDenied):
                self.run_import([row()], actor=actor, unit=unit)

    def test_date_in_the_future(self):
        self.assertProblem([row(**{**FULL, "as_of": "01/01/2099"})], "W", "Ngày này ở tương lai.")

    def test_every_problem_of_a_row_is_listed_in_one_upload(self):
        # An unknown commune, a future founding date and more female workers than workers:
        # all three at once, not one round of errors per upload.
        result = self.run_import([row(**{**FULL, "commune": "Nơi Nào Đó", "founded_on": "01/01/2099",
                                        "workers": 30, "female_workers": 45})])
        columns = {column for _row, column, _message in self.problems(result)}
        self.assertTrue({"D", "F", "AA"} <= columns, self.problems(result))
        self.assertFalse(Collective.objects.exists())

    def test_identical_rows_uploaded_again_say_they_did_not_change(self):
        from htxnu.registry.models import ImportJob

        rows = [row(**FULL), row(type="THT", name="Tổ hợp tác Thổ cẩm", commune="Phường Cam Đường")]
        self.run_import(rows)
        again = self.run_import(rows)
        self.assertEqual((again.created, again.updated), (0, 0))
        job = ImportJob(total_rows=again.total_rows, created_count=again.created, updated_count=again.updated)
        self.assertEqual(job.unchanged_count, 2)

    def test_malformed_date(self):
        self.assertProblem([row(founded_on="2021-15-03")], "F", "“2021-15-03” không phải ngày theo dạng dd/mm/yyyy.")
        self.assertProblem([row(founded_on="31/02/2024")], "F", "“31/02/2024” không phải ngày theo dạng dd/mm/yyyy.")

    def test_malformed_number(self):
        self.assertProblem([row(**{**FULL, "members": "hai mươi"})], "X", "“hai mươi” không phải số nguyên.")
        self.assertProblem([row(**{**FULL, "workers": 2.5})], "Z", "“2.5” không phải số nguyên.")
        self.assertProblem([row(**{**FULL, "workers": -3})], "Z", "Số không được âm.")

    def test_female_workers_above_workers(self):
        self.assertProblem([row(**{**FULL, "female_workers": 30})], "AA",
                           "Số lao động nữ không thể lớn hơn tổng số lao động.")
        self.assertProblem([row(**{**FULL, "female_members": 30})], "Y",
                           "Số thành viên nữ không thể lớn hơn tổng số thành viên.")

    def test_duplicate_code_in_the_file(self):
        self.assertProblem([row(registration_code="5300000001"), row(name="HTX khác", registration_code="5300000001")],
                           "C", "Mã số 5300000001 đã có ở dòng 2 của tệp này.", row_number=3)

    def test_duplicate_name_and_commune_in_the_file(self):
        self.assertProblem([row(), row(commune="cam duong")], "B",
                           "Hợp tác xã Hoa Mai tại Phường Cam Đường đã có ở dòng 2 của tệp này.", row_number=3)

    def test_code_of_a_record_in_another_unit(self):
        make_coop(self.sibling, self.phuong_lao_cai, name="HTX Phố Mới", code="5300000009")
        before = Collective.objects.count()
        result = self.run_import([row(registration_code="5300000009")])
        # Only that it is registered elsewhere: not who holds it nor where (issue #14).
        self.assertIn((2, "C", "Mã số 5300000009 đã được đăng ký ngoài phạm vi Phường Cam Đường."),
                      self.problems(result))
        self.assertNotIn("Phố Mới", str(self.problems(result)))
        self.assertEqual(Collective.objects.count(), before)

    def test_bad_enumeration(self):
        result = self.run_import([row(type="Công ty")])
        (problem,) = result.problems
        self.assertEqual((problem.row, problem.column), (2, "A"))
        self.assertTrue(problem.message.startswith("“Công ty” không có trong danh sách (Hợp tác xã (HTX); "))
        self.assertProblem([row(union_supported_founding="Có lẽ")], "K", "Hãy ghi “Có” hoặc “Không”, không ghi "
                                                                          "“Có lẽ”.")

    def test_required_cell(self):
        self.assertProblem([row(name=None)], "B", "Ô này bắt buộc.")

    def test_missing_column(self):
        result = self.run_import([row()], columns=["type", "name", "sector"])
        self.assertEqual(self.problems(result), [(1, "", "Thiếu cột “Xã/phường/đặc khu”.")])

    def test_not_a_workbook(self):
        result = self.run_import(b"this is a csv, not xlsx")
        self.assertEqual(self.problems(result),
                         [(0, "", "Tệp này không phải sổ tính Excel (.xlsx). Hãy tải tệp mẫu và điền vào đó.")])

    def test_model_rules(self):
        self.assertProblem([row(type="THT", governance="Mô hình đầy đủ")], "J",
                           "Chỉ hợp tác xã mới có mô hình quản trị.")
        self.assertProblem([row(union_support_level="Hội LHPN tỉnh")], "L",
                           "Hãy đánh dấu “được Hội hỗ trợ thành lập” trước.")

    def test_a_new_manager_needs_gender_and_position(self):
        self.assertProblem([row(manager_name="Lò Thị Mai")], "S", "Người quản lý mới cần có ô này.")
        self.assertProblem([row(manager_gender="Nữ")], "R", "Hãy ghi họ tên người quản lý, hoặc để trống các ô về "
                                                            "người quản lý.")

    def test_incomplete_workforce(self):
        self.assertProblem([row(as_of="31/12/2025", members=10)], "Y", "Số liệu lao động cần cả ô này.")

    def test_implausible_birth_year(self):
        self.assertProblem([row(**{**FULL, "manager_birth_year": 1850})], "T", "“1850” không phải năm sinh hợp lý.")

    def test_the_annotated_file_marks_each_bad_cell(self):
        data = xlsx([row(**FULL), row(name="HTX 2", founded_on="32/01/2020", workers="nhiều")])
        result = self.run_import(data)
        marked = cells(workbook.annotate(data, [p.as_dict() for p in result.problems]))
        self.assertIn("không phải ngày", marked["F3"].comment.text)
        self.assertEqual(marked["F3"].fill.fgColor.rgb, "00FFC7CE")
        self.assertIsNone(marked["F2"].comment)
        self.assertEqual(marked["B2"].value, "Hợp tác xã Hoa Mai")  # her own data, untouched


class TemplateTests(ImportTestCase):
    def test_the_template_has_vietnamese_headers_dropdowns_and_instructions(self):
        self.client.force_login(self.province)
        response = self.client.get("/registry/import/template.xlsx")
        wb = load_workbook(io.BytesIO(response.content))
        self.assertEqual(wb.sheetnames, [workbook.DATA_SHEET, workbook.HELP_SHEET, workbook.LISTS_SHEET])
        ws = wb[workbook.DATA_SHEET]
        self.assertEqual(ws["A1"].value, "Loại hình *")
        self.assertEqual(ws["D1"].value, "Xã/phường/đặc khu *")
        formulas = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ws.data_validations.dataValidation}
        self.assertIn("A2", formulas)
        lists = wb[workbook.LISTS_SHEET]
        communes = [c.value for c in lists[formulas["D2"].split("!")[1].split(":")[0].replace("$", "")[0]]][1:]
        self.assertIn("Phường Cam Đường", communes)
        self.assertEqual(len([c for c in communes if c]), 99)
        self.assertIn("Mỗi dòng", wb[workbook.HELP_SHEET]["A2"].value)

    def test_a_filled_template_imports(self):
        self.client.force_login(self.commune)
        template = self.client.get("/registry/import/template.xlsx").content
        wb = load_workbook(io.BytesIO(template))
        ws = wb[workbook.DATA_SHEET]
        for col, value in enumerate(["HTX", "Hợp tác xã Sen", None, "Phường Cam Đường"], start=1):
            ws.cell(row=2, column=col, value=value)
        out = io.BytesIO()
        wb.save(out)
        self.assertTrue(self.run_import(out.getvalue()).ok)

    def test_an_export_imports_back_unchanged(self):
        self.run_import([row(**FULL)])
        self.client.force_login(self.commune)
        exported = b"".join(self.client.get("/registry/export.xlsx").streaming_content)
        result = self.run_import(exported)
        self.assertEqual(self.problems(result), [])
        self.assertEqual((result.created, result.updated), (0, 0))


class CommandTests(ImportTestCase):
    def test_the_command_imports_a_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "ds.xlsx")
            path.write_bytes(xlsx([row(**FULL)]))
            out = io.StringIO()
            call_command("import_registry", str(path), unit="02674", stdout=out)
        self.assertIn("1 created", out.getvalue())
        self.assertEqual(Collective.objects.get().commune, self.cam_duong)

    def test_a_bad_file_lists_the_problems_and_writes_the_annotated_copy(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "ds.xlsx")
            path.write_bytes(xlsx([row(commune="Nơi Nào Đó")]))
            err = io.StringIO()
            with self.assertRaisesMessage(CommandError, "nothing was imported"):
                call_command("import_registry", str(path), unit="15", stderr=err)
            self.assertIn("HTX_THT, dòng 2, cột D", err.getvalue())
            self.assertTrue(Path(tmp, "ds-errors.xlsx").exists())
        self.assertFalse(Collective.objects.exists())

    def test_the_rights_of_the_user_named_are_checked(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "ds.xlsx")
            path.write_bytes(xlsx([row()]))
            with self.assertRaisesMessage(CommandError, "không có quyền"):
                call_command("import_registry", str(path), unit="02674", user="viewer")


class WebImportTests(ImportTestCase):
    def upload(self, rows, user=None):
        self.client.force_login(user or self.commune)
        return self.client.post("/registry/import/", {"file": SimpleUploadedFile("ds.xlsx", xlsx(rows))})

    def test_the_upload_is_queued_and_a_worker_runs_it(self):
        from django_tasks_db.management.commands.db_worker import Worker
        from django_tasks_db.models import DBTaskResult

        response = self.upload([row(**FULL)])
        job = ImportJob.objects.get()
        self.assertRedirects(response, f"/registry/import/{job.pk}/")
        self.assertEqual(job.state, ImportJob.State.QUEUED)
        self.assertFalse(Collective.objects.exists())
        poll = self.client.get(f"/registry/import/{job.pk}/", headers={"HX-Request": "true"})
        self.assertContains(poll, 'hx-trigger="every 1s"')

        # What `manage.py db_worker` does with the queued task.
        task = DBTaskResult.objects.ready().get()
        self.assertEqual(task.task_path, "htxnu.registry.tasks.run_import")
        task.claim("test-worker")
        Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
               max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run_task(task)

        job.refresh_from_db()
        self.assertEqual(job.state, ImportJob.State.DONE)
        self.assertEqual((job.created_count, job.total_rows, job.percent), (1, 1, 100))
        self.assertTrue(Collective.objects.filter(registration_code="5300123456").exists())
        done = self.client.get(f"/registry/import/{job.pk}/", headers={"HX-Request": "true"})
        self.assertNotContains(done, "hx-trigger")
        self.assertContains(done, "1 dòng: thêm mới 1, cập nhật 0, 0 dòng không thay đổi.")

    @override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
    def test_a_rejected_upload_lists_the_problems_and_gives_the_file_back_marked(self):
        self.upload([row(founded_on="01/01/2099")])
        job = ImportJob.objects.get()
        self.assertEqual(job.state, ImportJob.State.REJECTED)
        page = self.client.get(f"/registry/import/{job.pk}/")
        self.assertContains(page, "Ngày này ở tương lai.")
        self.assertContains(page, "không có gì được lưu")
        marked = self.client.get(f"/registry/import/{job.pk}/errors.xlsx")
        self.assertEqual(cells(marked.content)["F2"].comment.text, "Ngày này ở tương lai.")
        # Only the uploader sees her upload.
        self.client.force_login(self.province)
        self.assertEqual(self.client.get(f"/registry/import/{job.pk}/").status_code, 404)

    def test_read_only_accounts_cannot_upload(self):
        response = self.upload([row()], user=self.viewer)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(ImportJob.objects.exists())

    def test_only_xlsx_files_are_taken(self):
        self.client.force_login(self.commune)
        response = self.client.post("/registry/import/", {"file": SimpleUploadedFile("ds.csv", b"a,b")})
        self.assertContains(response, "Hãy tải lên tệp .xlsx")
        self.assertFalse(ImportJob.objects.exists())
