"""Every action that accepts POST, sent by every named user (issue #14).

The GET matrix (test_url_matrix) decides who may open a page; this one who may act.
Each app's `htxnu/<app>/tests/url_matrix.py` may define `post_rows(t) -> {url_name:
{username: status}}` beside its `rows(t)` (or `{url_name: (data, {username: status})}`
when an empty form says nothing). A status is 403, 404, 302 (anonymous: to
the sign-in page) or OK: the action ran, or answered with its form and a message
(200, 302, 400, 409 or 422) — what an empty form sent by someone allowed gets. Each
POST runs in a transaction rolled back afterwards, so one user's action does not change
what the next one finds.

The test fails when a URL that accepts POST has no row, and a row can never be "405
for everyone": a URL nobody may POST to is a GET-only page, and has no row here."""

from django.db import transaction

from .test_url_matrix import USERS, MatrixTestCase, app_matrix_modules, full_matrix

OK = "ok"
OK_STATUSES = {200, 302, 400, 409, 422}


def allowed(users, others: int, anonymous: int = 302) -> dict:
    """OK for `users`, `others` (403 or 404) for the rest."""
    return {u: OK if u in users else (anonymous if u == "anonymous" else others) for u in USERS}


SIGNED_IN = set(USERS) - {"anonymous"}
# Officers of Cam Đường and the units above it act on its records; Phường Lào Cai and
# Lai Châu do not see them (404); the viewer and the read-only partner may not (403).
WRITE_IN_CAM_DUONG = {**allowed({"central", "province", "commune"}, 403), "sibling": 404, "other_province": 404}
# Every officer creates records in their own unit (the active unit).
CREATE_IN_OWN_UNIT = allowed(SIGNED_IN - {"viewer", "partner"}, 403)


def post_matrix(t) -> dict[str, dict]:
    admins = {"central", "province", "other_province"}
    return {
        "accounts:login": dict.fromkeys(USERS, OK),
        "accounts:logout": dict.fromkeys(USERS, OK),
        "accounts:password": allowed(SIGNED_IN, 403),
        "accounts:user_create": allowed(admins, 403),
        "accounts:user": {**allowed({"central", "province"}, 403), "other_province": 404},
        "accounts:user_password": {**allowed({"central", "province"}, 403), "other_province": 404},
        "units:pick": ({"unit": t.cam_duong.pk}, {**allowed(SIGNED_IN, 403), "sibling": 404, "other_province": 404}),
        # Read-only documents that do not look at the method: POST reads them too.
        "api:openapi-json": dict.fromkeys(USERS, 200),
        "api:openapi-view": dict.fromkeys(USERS, 200),
        "api:api-root": dict.fromkeys(USERS, 404),
    }


def full_post_matrix(t) -> dict:
    rows = post_matrix(t)
    for module in app_matrix_modules():
        if hasattr(module, "post_rows"):
            rows.update(module.post_rows(t))
    return rows


class PostMatrixTests(MatrixTestCase):
    def post(self, username: str, url: str, data: dict | None = None) -> int:
        self.client.logout()
        if username != "anonymous":
            self.client.force_login(getattr(self, username))
        with transaction.atomic():
            status = self.client.post(url, data or {}).status_code
            transaction.set_rollback(True)
        return status

    def test_every_url_that_accepts_post_is_in_the_matrix(self):
        rows = full_post_matrix(self)
        accepting = {name for name, (url, _get) in full_matrix(self).items() if self.post("central", url) != 405}
        self.assertEqual(accepting - set(rows), set(), "add these POST actions to the POST matrix")
        self.assertEqual(set(rows) - accepting, set(), "these URLs do not accept POST: remove their rows")

    def test_each_user_gets_the_expected_status_on_post(self):
        urls = {name: url for name, (url, _get) in full_matrix(self).items()}
        failures = []
        for name, expected in full_post_matrix(self).items():
            data, expected = expected if isinstance(expected, tuple) else ({}, expected)
            self.assertNotEqual(set(expected.values()), {405}, name)
            for username, status in expected.items():
                got = self.post(username, urls[name], data)
                if got != status and not (status == OK and got in OK_STATUSES):
                    failures.append(f"{name} as {username}: expected {status}, got {got}")
        self.assertEqual(failures, [], "\n".join(failures))
