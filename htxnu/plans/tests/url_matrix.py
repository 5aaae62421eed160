"""Who may open which plans page (see htxnu/core/tests/test_url_matrix.py)."""

from django.urls import reverse

from htxnu.core.tests.test_post_matrix import CREATE_IN_OWN_UNIT, WRITE_IN_CAM_DUONG, allowed
from htxnu.core.tests.test_url_matrix import USERS, everyone, only

from .helpers import make_plan

NOT_LAO_CAI = {"sibling": 404, "other_province": 404}


def setup(t):
    # A commune plan of Cam Đường and a plan of today's Lào Cai.
    t.plans_commune_plan = make_plan(t.central, t.cam_duong, number="7/KH-UBND", phases=[(2026, 2030)])
    t.plans_province_plan = make_plan(t.central, t.lao_cai, number="50/KH-UBND", phases=[(2026, 2030)])
    from htxnu.plans.models import PlanImport

    t.plans_import = PlanImport.objects.create(unit=t.cam_duong, created_by=t.commune, filename="kh.txt", text="…",
                                              extracted={"document": {}, "targets": []})


def rows(t) -> dict:
    commune_plan, province_plan = t.plans_commune_plan.pk, t.plans_province_plan.pk
    api_anonymous = {"anonymous": 401}
    return {
        "plans:list": (reverse("plans:list"), everyone(200)),
        # A plan of one's own (active) unit; read-only accounts may not.
        "plans:create": (reverse("plans:create"), only({"viewer": 403, "partner": 403}, 200)),
        "plans:problems": (reverse("plans:problems"), everyone(200)),
        # Adopting a plan for today's Lào Cai: its officers (or above); the communes do not see it.
        "plans:adopt": (reverse("plans:adopt", args=[t.lao_cai.pk]),
                        only({"viewer": 403, "partner": 403, "commune": 404, "sibling": 404, "other_province": 404},
                             200)),
        "plans:indicators": (reverse("plans:indicators"), everyone(200)),
        "plans:detail": (reverse("plans:detail", args=[commune_plan]), only(NOT_LAO_CAI, 200)),
        "plans:edit": (
            reverse("plans:edit", args=[commune_plan]),
            only({**NOT_LAO_CAI, "viewer": 403, "partner": 403}, 200),
        ),
        # The province's targets are visible to the communes below it, read-only.
        "plans:targets": (reverse("plans:targets", args=[province_plan]), only({"other_province": 404}, 200)),
        # No document attached: nothing to download, whoever asks.
        "plans:document": (reverse("plans:document", args=[commune_plan]), everyone(404)),
        "plans:delete": (reverse("plans:delete", args=[commune_plan]), everyone(405)),
        # Importing a plan is writing one: officers of the unit (or above) only.
        "plans:import": (reverse("plans:import"), only({"viewer": 403, "partner": 403}, 200)),
        "plans:import_review": (
            reverse("plans:import_review", args=[t.plans_import.pk]),
            only({**NOT_LAO_CAI, "viewer": 403, "partner": 403}, 200),
        ),
        "plans:import_discard": (reverse("plans:import_discard", args=[t.plans_import.pk]), everyone(405)),
        # A text import has no page images (test_import checks a scan's): 404 after the rights check.
        "plans:import_page": (reverse("plans:import_page", args=[t.plans_import.pk, 1]),
                              only({"viewer": 403, "partner": 403}, 404)),
        "api:list_plans": ("/api/v1/plans", {**everyone(200), **api_anonymous}),
        "api:get_plan": (f"/api/v1/plans/{commune_plan}", {**only(NOT_LAO_CAI, 200), **api_anonymous}),
        "api:list_indicators": ("/api/v1/indicators", dict.fromkeys(USERS, 200)),
    }


def post_rows(t) -> dict:
    return {
        "plans:create": CREATE_IN_OWN_UNIT,
        "plans:import": CREATE_IN_OWN_UNIT,
        **dict.fromkeys(["plans:edit", "plans:delete", "plans:import_review", "plans:import_discard"],
                        WRITE_IN_CAM_DUONG),
        # The targets of Lào Cai's plan: its officers and those above, not a commune.
        "plans:targets": {**allowed({"central", "province"}, 403), "other_province": 404},
        # Adopting a plan for today's Lào Cai: its officers and those above; the communes do not see it.
        "plans:adopt": {**allowed({"central", "province"}, 403), "commune": 404, "sibling": 404,
                        "other_province": 404},
    }
