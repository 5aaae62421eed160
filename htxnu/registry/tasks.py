"""Background work of the registry: running an uploaded import (see importer.py).

The web request only stores the file and enqueues this task, so a 10,000-row file
never holds a request open; the page the user watches polls the job's progress. A
rejected file's copy with the bad cells marked is built here too.

While it runs, the task beats every HEARTBEAT_SECONDS from a thread of its own (a
long step reports no progress for a while, but its thread still beats). A worker that
died stops beating; services.import_job_fail_if_stale then ends the job."""

import logging

from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from htxnu.core import workers

from . import workbook
from .importer import import_file
from .models import ImportJob

logger = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15


def _beat(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id, state=ImportJob.State.RUNNING).update(heartbeat_at=timezone.now())


@task()
def run_import(job_id: int) -> str:
    job = ImportJob.objects.select_related("unit", "created_by").filter(pk=job_id).first()
    if job is None or job.state != ImportJob.State.QUEUED:
        return "skipped"
    jobs = ImportJob.objects.filter(pk=job_id)
    jobs.update(state=ImportJob.State.RUNNING, phase="reading", heartbeat_at=timezone.now())

    def progress(phase: str, done: int, total: int) -> None:
        fields = {"phase": phase, "processed_rows": done, "heartbeat_at": timezone.now()}
        if total:
            fields["total_rows"] = total
        jobs.update(**fields)

    heartbeat = workers.Heartbeat(lambda: _beat(job_id), HEARTBEAT_SECONDS, name=f"import-{job_id}-heartbeat")
    heartbeat.start()
    try:
        return _run(job, jobs, progress)
    finally:
        heartbeat.stop()


def _run(job: ImportJob, jobs, progress) -> str:
    with translation.override("vi"):
        if job.created_by is None or not job.created_by.is_active:
            jobs.update(state=ImportJob.State.FAILED, finished_at=timezone.now(),
                        errors=[{"sheet": "", "row": 0, "column": "", "header": "",
                                 "message": _("The account that uploaded the file no longer exists.")}])
            return ImportJob.State.FAILED.value
        try:
            result = import_file(actor=job.created_by, unit=job.unit, data=bytes(job.source),
                                 file_name=job.file_name, progress=progress)
        except Exception:
            logger.exception("registry import %s failed", job.pk)
            jobs.update(state=ImportJob.State.FAILED, finished_at=timezone.now(),
                        errors=[{"sheet": "", "row": 0, "column": "", "header": "",
                                 "message": _("The import stopped on an unexpected error; nothing was saved. "
                                              "Try again, or send the file to the administrators.")}])
            return ImportJob.State.FAILED.value
    state = ImportJob.State.DONE if result.ok else ImportJob.State.REJECTED
    errors = [p.as_dict() for p in result.problems]
    error_file = None
    if errors:
        try:
            error_file = workbook.annotate(bytes(job.source), errors)
        except Exception:  # not a readable workbook at all: nothing to mark
            error_file = None
    jobs.update(
        state=state, phase="", finished_at=timezone.now(), total_rows=result.total_rows,
        processed_rows=result.total_rows if result.ok else 0, created_count=result.created,
        updated_count=result.updated, errors=errors, error_file=error_file,
    )
    return state.value
