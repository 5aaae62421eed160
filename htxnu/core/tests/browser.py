"""Browser tests: the real app in headless Chromium (Debian's package), driven by
Playwright, which is told where Chromium is instead of downloading a browser.
`make test` installs chromium when it is missing."""

import importlib
import os
import shutil

from django.apps import apps as django_apps
from django.contrib.staticfiles.testing import StaticLiveServerTestCase

from htxnu.geo.models import AdminUnit

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Chromium is not installed: run `make test` (it installs Debian's chromium).")
    return path


class BrowserTestCase(StaticLiveServerTestCase):
    """Each test starts with the real units of today's Lào Cai province (and its
    predecessors) and the demo accounts; the database is emptied after each test."""

    province_codes = {"15"}
    # A live-server test empties the database after itself, data migrations included;
    # setUp runs these again (each has an idempotent load(apps, schema_editor)).
    reference_data = ["htxnu.plans.migrations.0002_indicator_catalogue"]

    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop in this thread; Django's ORM calls
        # from the test body are still synchronous and safe.
        # Restored in tearDownClass: left set, it leaks into later tests' subprocesses
        # (manage.py check --deploy refuses it, async.E001).
        cls._async_unsafe = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        executable = chromium_path()  # before anything starts: a missing browser leaves nothing running
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls._playwright = sync_playwright().start()
        try:
            cls.browser = cls._playwright.chromium.launch(executable_path=executable, headless=True,
                                                          args=CHROMIUM_ARGS)
        except Exception:
            # Otherwise Playwright's event loop stays in this thread and every later
            # browser class fails with "Sync API inside the asyncio loop".
            cls._playwright.stop()
            super().tearDownClass()
            cls._restore_async_unsafe()
            raise

    @classmethod
    def _restore_async_unsafe(cls):
        if cls._async_unsafe is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = cls._async_unsafe

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls._playwright.stop()
        super().tearDownClass()
        cls._restore_async_unsafe()

    def setUp(self):
        from htxnu.accounts import demo

        from .base import load_real_units

        if not AdminUnit.objects.filter(code__in=self.province_codes, level="province", valid_to__isnull=True).exists():
            load_real_units(self.province_codes)
        for module in self.reference_data:
            importlib.import_module(module).load(django_apps, None)
        demo.build()
        # A phone-sized screen, set to English: the interface must still open in Vietnamese.
        self.context = self.browser.new_context(viewport={"width": 390, "height": 800}, locale="en-US")
        # Every Content-Security-Policy violation of the page, for tests that check there is none.
        self.context.add_init_script(
            "window.__csp = []; document.addEventListener('securitypolicyviolation', "
            "e => window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '')"
            " + ':' + e.lineNumber));")
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.console_errors: list[str] = []
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))

    def tearDown(self):
        self.context.close()

    def csp_violations(self) -> list[str]:
        """What the current page's policy refused, and the console's CSP complaints."""
        return self.page.evaluate("window.__csp || []") + [
            text for text in self.console_errors if "Content Security Policy" in text]

    def sign_in(self, username: str, password: str = "htxnu-demo"):
        page = self.page
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page
