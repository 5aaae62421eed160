"""Who may open which registry URL with GET (see htxnu/core/tests/test_url_matrix.py).

A cooperative in Phường Cam Đường: everyone in Lào Cai sees it, the sibling ward and
Lai Châu get 404. Forms answer 403 to read-only accounts (viewer, partner); actions
that only accept POST answer 405."""

import datetime

from django.urls import reverse

from htxnu.core.tests.test_post_matrix import CREATE_IN_OWN_UNIT, WRITE_IN_CAM_DUONG
from htxnu.core.tests.test_url_matrix import everyone, only
from htxnu.registry import services
from htxnu.registry.models import CollectiveType, Gender, ImportJob, Position

OUT = {"sibling": 404, "other_province": 404}
EDITORS = {"central": 200, "province": 200, "commune": 200}


def setup(cls):
    cls.reg_coop = services.collective_create(
        actor=cls.commune, type=CollectiveType.THT, name="Tổ hợp tác Ma trận", commune=cls.cam_duong,
        founded_on=datetime.date(2024, 1, 1),
    )
    cls.reg_manager = services.manager_add(actor=cls.commune, collective=cls.reg_coop, full_name="Lò Thị Mai",
                                           gender=Gender.FEMALE, position=Position.GROUP_LEADER)
    cls.reg_snapshot = services.workforce_record(
        actor=cls.commune, collective=cls.reg_coop, as_of=datetime.date(2025, 12, 31), members=5, female_members=4,
        workers=5, female_workers=4, women_stable_jobs=4,
    )
    cls.reg_product = services.product_save(actor=cls.commune, collective=cls.reg_coop, name="Miến dong")
    cls.reg_job = ImportJob.objects.create(created_by=cls.commune, unit=cls.cam_duong, file_name="x.xlsx",
                                           source=b"", state=ImportJob.State.REJECTED,
                                           errors=[{"sheet": "HTX_THT", "row": 2, "column": "A", "header": "",
                                                    "message": "x"}])


def rows(t):
    c = t.reg_coop.pk
    write_page = only({**EDITORS, "sibling": 404, "other_province": 404}, 403)
    # The import job is its uploader's: everyone else gets 404 (the annotated copy is a
    # redirect for the uploader, since this job's stored file is empty).
    job = only({"commune": 200}, 404)
    return {
        "registry:list": (reverse("registry:list"), everyone(200)),
        "registry:export_csv": (reverse("registry:export_csv"), everyone(200)),
        "registry:export_xlsx": (reverse("registry:export_xlsx"), everyone(200)),
        "registry:create": (reverse("registry:create"), only({"province": 200, "commune": 200, "central": 302,
                                                               "sibling": 200, "other_province": 200}, 403)),
        "registry:import": (reverse("registry:import"), everyone(200)),
        "registry:import_template": (reverse("registry:import_template"), everyone(200)),
        "registry:import_job": (reverse("registry:import_job", args=[t.reg_job.pk]), job),
        "registry:import_job_errors": (reverse("registry:import_job_errors", args=[t.reg_job.pk]),
                                       only({"commune": 302}, 404)),
        "registry:detail": (reverse("registry:detail", args=[c]), only(OUT, 200)),
        "registry:edit": (reverse("registry:edit", args=[c]), write_page),
        "registry:convert": (reverse("registry:convert", args=[c]), write_page),
        "registry:manager_add": (reverse("registry:manager_add", args=[c]), write_page),
        "registry:manager_edit": (reverse("registry:manager_edit", args=[c, t.reg_manager.pk]), write_page),
        "registry:manager_remove": (reverse("registry:manager_remove", args=[c, t.reg_manager.pk]), everyone(405)),
        "registry:workforce_add": (reverse("registry:workforce_add", args=[c]), write_page),
        "registry:workforce_remove": (reverse("registry:workforce_remove", args=[c, t.reg_snapshot.pk]),
                                      everyone(405)),
        "registry:product_add": (reverse("registry:product_add", args=[c]), write_page),
        "registry:product_edit": (reverse("registry:product_edit", args=[c, t.reg_product.pk]), write_page),
        "registry:product_remove": (reverse("registry:product_remove", args=[c, t.reg_product.pk]), everyone(405)),
        "registry:event_add": (reverse("registry:event_add", args=[c]), write_page),
        "api:list_collectives": ("/api/v1/collectives", only({}, 200, anonymous=401)),
        "api:get_collective": (f"/api/v1/collectives/{c}", only(OUT, 200, anonymous=401)),
    }


def post_rows(t) -> dict:
    return {
        "registry:create": CREATE_IN_OWN_UNIT,  # central: to pick a unit first (302 with a message)
        "registry:import": CREATE_IN_OWN_UNIT,
        **dict.fromkeys(["registry:edit", "registry:convert", "registry:event_add", "registry:manager_add",
                         "registry:manager_edit", "registry:manager_remove", "registry:product_add",
                         "registry:product_edit", "registry:product_remove", "registry:workforce_add",
                         "registry:workforce_remove"], WRITE_IN_CAM_DUONG),
    }
