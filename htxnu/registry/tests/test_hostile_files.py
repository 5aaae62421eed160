"""Files built to hurt the import worker, and a worker that dies (issue #14)."""

import datetime
import io
import re
import zipfile
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from htxnu.core.tests.base import HtxTestCase
from htxnu.registry import importer, services, workbook, xlsx
from htxnu.registry.models import Collective, ImportJob

from .helpers import row
from .helpers import xlsx as make_xlsx


def with_cells(data: bytes, cells: str) -> bytes:
    """The workbook with extra raw cells appended to its second row (as a hostile
    program would write them)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                second = re.search(r'<row r="2"[^>]*>.*?</row>', text).group(0)
                text = text.replace(second, second.replace("</row>", cells + "</row>"))
                content = text.encode()
            target.writestr(item, content)
    return out.getvalue()


class HostileFileTests(HtxTestCase):
    def run_import(self, data: bytes):
        return importer.import_file(actor=self.commune, unit=self.cam_duong, data=data, file_name="x.xlsx")

    def test_a_cell_beyond_excel_s_last_column_is_refused_with_a_message(self):
        data = with_cells(make_xlsx([row()]), '<c r="ZZZZZ2" t="inlineStr"><is><t>x</t></is></c>')
        result = self.run_import(data)
        (problem,) = result.problems
        self.assertIn("ô ZZZZZ2 lệch ra ngoài cột cuối cùng của Excel (XFD)", problem.message)
        self.assertFalse(Collective.objects.exists())

    def test_a_far_cell_inside_excel_never_makes_a_row_that_wide(self):
        data = with_cells(make_xlsx([row()]), '<c r="XFD2" t="inlineStr"><is><t>x</t></is></c>')
        rows = xlsx.read_rows(io.BytesIO(data), workbook.DATA_SHEET, max_columns=workbook.MAX_COLUMNS)
        self.assertLessEqual(max(len(values) for _n, values in rows), workbook.MAX_COLUMNS)
        self.assertTrue(self.run_import(data).ok)  # the far cell is ignored; the row imports

    def test_reading_stops_at_the_row_limit(self):
        data = make_xlsx([row(name=f"HTX {i}") for i in range(30)])
        with self.assertRaises(xlsx.TooManyRows):
            xlsx.read_rows(io.BytesIO(data), workbook.DATA_SHEET, max_rows=6)
        with mock.patch.object(workbook, "MAX_ROWS", 5), mock.patch.object(
                xlsx, "read_rows", wraps=xlsx.read_rows) as read:
            result = self.run_import(data)
        self.assertEqual(read.call_args.kwargs["max_rows"], 6)  # the header and 5 rows, then it stops
        self.assertEqual([p.message for p in result.problems], ["Tệp có hơn 5 dòng; hãy chia nhỏ tệp."])


class ImportJobTests(HtxTestCase):
    def upload(self, data: bytes):
        self.client.force_login(self.commune)
        self.client.post("/registry/import/", {"file": SimpleUploadedFile("ds.xlsx", data)})
        return ImportJob.objects.get()

    @override_settings(TASKS={"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}})
    def test_the_task_builds_the_marked_file_not_the_web_request(self):
        job = self.upload(make_xlsx([row(founded_on="01/01/2099")]))
        self.assertEqual(job.state, ImportJob.State.REJECTED)
        self.assertIsNotNone(job.error_file)
        with mock.patch.object(workbook, "annotate", side_effect=AssertionError("built in the request")):
            marked = self.client.get(f"/registry/import/{job.pk}/errors.xlsx")
        self.assertEqual(marked.status_code, 200)
        self.assertEqual(bytes(marked.content), bytes(job.error_file))

    def test_a_job_whose_worker_died_ends_failed_saying_nothing_was_saved(self):
        job = self.upload(make_xlsx([row()]))
        long_ago = timezone.now() - services.IMPORT_STALE_AFTER - datetime.timedelta(seconds=1)
        ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, heartbeat_at=long_ago)
        page = self.client.get(f"/registry/import/{job.pk}/", headers={"HX-Request": "true"})
        self.assertNotContains(page, "hx-trigger")  # no longer polled
        self.assertContains(page, "không có gì được lưu. Hãy tải tệp lên lại.")
        self.assertEqual(ImportJob.objects.get(pk=job.pk).state, ImportJob.State.FAILED)

    def test_a_job_that_beats_keeps_running(self):
        job = self.upload(make_xlsx([row()]))
        ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, heartbeat_at=timezone.now())
        page = self.client.get(f"/registry/import/{job.pk}/", headers={"HX-Request": "true"})
        self.assertContains(page, "hx-trigger")
        self.assertEqual(ImportJob.objects.get(pk=job.pk).state, ImportJob.State.RUNNING)
