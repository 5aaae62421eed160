"""Who may open each dashboard URL (see htxnu.core.tests.test_url_matrix).

Every page shows the user's own unit (everyone signed in: 200); another unit is asked
for with ?unit=, which is 404 outside the user's scope (tested in test_views). Saving
the ranking weights is a POST: a GET answers 405."""

from django.urls import reverse

from htxnu.core.tests.test_post_matrix import CREATE_IN_OWN_UNIT

USERS = ["anonymous", "central", "province", "viewer", "commune", "sibling", "other_province", "partner"]


def status(default, anonymous=302, **others):
    return {u: others.get(u, anonymous if u == "anonymous" else default) for u in USERS}


def rows(t):
    return {
        "dashboard:index": (reverse("dashboard:index"), status(200)),
        "dashboard:indicator": (reverse("dashboard:indicator", args=["coops_consolidated"]), status(200)),
        "dashboard:trends": (reverse("dashboard:trends"), status(200)),
        "dashboard:warnings": (reverse("dashboard:warnings"), status(200)),
        "dashboard:map": (reverse("dashboard:map"), status(200)),
        "dashboard:ranking": (reverse("dashboard:ranking"), status(200)),
        "dashboard:weights": (reverse("dashboard:weights"), status(405)),
    }


def post_rows(t) -> dict:
    # The ranking weights of the user's own unit.
    return {"dashboard:weights": CREATE_IN_OWN_UNIT}
