"""Every URL of the project, visited with GET by every named user.

When a new URL pattern is added, this test fails until the pattern has a row, so
nobody ships a page without deciding who may open it. The foundation's rows are here;
each app keeps its own in `htxnu/<app>/tests/url_matrix.py`, a function
`rows(t) -> {url_name: (url, {username: status})}` where `t` is this test case (with
the named users and units of htxnu.core.tests.base, and whatever the app's
`setup(t)` in the same module created)."""

import importlib

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .base import HtxTestCase

USERS = ["anonymous", "central", "province", "viewer", "commune", "sibling", "other_province", "partner"]
# Django's own admin (operators only) and the language switch (a redirect for everyone).
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}


def everyone(status, anonymous=302):
    return {u: (anonymous if u == "anonymous" else status) for u in USERS}


def only(allowed: dict[str, int], others: int, anonymous: int = 302):
    return {u: allowed.get(u, anonymous if u == "anonymous" else others) for u in USERS}


ADMINS = {"central": 200, "province": 200, "other_province": 200}


def matrix(t: "UrlMatrixTests") -> dict[str, tuple[str, dict[str, int]]]:
    cam_duong = t.cam_duong.pk
    return {
        # Visitors get the public portal there (htxnu.portal), officers their home.
        "home": ("/", everyone(200, anonymous=200)),
        "healthz": ("/healthz", everyone(200, anonymous=200)),
        "accounts:login": (reverse("accounts:login"), everyone(302, anonymous=200)),
        "accounts:logout": (reverse("accounts:logout"), everyone(405, anonymous=405)),
        "accounts:password": (reverse("accounts:password"), everyone(200)),
        "accounts:password_done": (reverse("accounts:password_done"), everyone(200)),
        "accounts:users": (reverse("accounts:users"), only(ADMINS, 403)),
        "accounts:user_create": (reverse("accounts:user_create"), only(ADMINS, 403)),
        "accounts:user": (
            reverse("accounts:user", args=[t.commune.pk]),
            only({"central": 200, "province": 200, "other_province": 404}, 403),
        ),
        "accounts:user_password": (reverse("accounts:user_password", args=[t.commune.pk]), everyone(405)),
        "units:unit": (
            reverse("units:unit", args=[cam_duong]),
            only({"sibling": 404, "other_province": 404}, 200),
        ),
        "units:picker": (reverse("units:picker") + "?q=cam", everyone(200)),
        "units:pick": (reverse("units:pick"), everyone(405)),
        # Reference data: public.
        "api:list_units": ("/api/v1/units?level=province", everyone(200, anonymous=200)),
        "api:get_unit": ("/api/v1/units/15", everyone(200, anonymous=200)),
        "api:successors": ("/api/v1/units/10/successors", everyone(200, anonymous=200)),
        "api:openapi-json": ("/api/v1/openapi.json", everyone(200, anonymous=200)),
        "api:openapi-view": ("/api/v1/docs", everyone(200, anonymous=200)),
        # django-ninja names its root; it lists nothing (see /api/v1/docs).
        "api:api-root": ("/api/v1/", everyone(404, anonymous=404)),
    }


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from url_names(p, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name and p.name not in EXCLUDED_NAMES:
            yield f"{namespace}{p.name}"


def app_matrix_modules():
    for config in apps.get_app_configs():
        if config.name.startswith("htxnu."):
            try:
                yield importlib.import_module(f"{config.name}.tests.url_matrix")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.url_matrix" and error.name != f"{config.name}.tests":
                    raise


def full_matrix(t) -> dict:
    rows = matrix(t)
    for module in app_matrix_modules():
        rows.update(module.rows(t))
    return rows


class MatrixTestCase(HtxTestCase):
    """The named users and the records every app's matrix rows address."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for module in app_matrix_modules():
            if hasattr(module, "setup"):
                module.setup(cls)


class UrlMatrixTests(MatrixTestCase):

    def test_every_url_is_in_the_matrix(self):
        missing = set(url_names()) - set(full_matrix(self))
        self.assertEqual(missing, set(), "add these URLs to the permission matrix")

    def test_each_user_gets_the_expected_status(self):
        failures = []
        for name, (url, expected) in full_matrix(self).items():
            for username, status in expected.items():
                self.client.logout()
                if username != "anonymous":
                    self.client.force_login(getattr(self, username))
                got = self.client.get(url).status_code
                if got != status:
                    failures.append(f"{name} as {username}: expected {status}, got {got}")
        self.assertEqual(failures, [])
