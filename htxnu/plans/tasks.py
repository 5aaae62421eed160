"""Background work of the plans app: reading an uploaded plan document.

The upload request only stores the file and enqueues ``read_plan_import``
(services.plan_import_start), so a long or scanned PDF never holds a request
open; the page the officer watches polls the import's progress (pages read)."""

import logging

from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from . import services
from .models import PlanImport

logger = logging.getLogger(__name__)


@task()
def read_plan_import(import_id: int) -> str:
    imports = PlanImport.objects.filter(pk=import_id)

    def progress(done: int, total: int) -> None:
        imports.update(pages_done=done, pages_total=total)

    with translation.override("vi"):
        try:
            return services.plan_import_read(plan_import_id=import_id, progress=progress)
        except Exception:
            logger.exception("plan import %s failed", import_id)
            return services.plan_import_fail(
                plan_import_id=import_id,
                message=_("Reading stopped on an unexpected error; nothing was kept. Try again, or send the file "
                          "to the administrators."),
            )
