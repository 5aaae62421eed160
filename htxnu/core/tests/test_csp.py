"""Content-Security-Policy: the header on every response, templates without inline script
or style, and real pages, htmx and the API docs in Chromium with nothing refused."""

import re
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase

from .browser import BrowserTestCase

# Rendered only into PDFs by WeasyPrint, never served to a browser.
NOT_SERVED = {"reporting/document.html"}
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"), "inline <script>"),
    (re.compile(r"<style\b"), "<style> element"),
    (re.compile(r"\sstyle=", re.IGNORECASE), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


class CspHeaderTests(TestCase):
    def test_pages_and_the_api_docs_carry_a_policy_without_inline_script_or_style(self):
        for url in ["/accounts/login/", "/api/v1/docs", "/healthz"]:
            policy = self.client.get(url)["Content-Security-Policy"]
            self.assertIn("default-src 'self'", policy, url)
            self.assertIn("script-src 'self'", policy, url)
            self.assertIn("style-src 'self'", policy, url)
            self.assertIn("frame-ancestors 'none'", policy, url)
            self.assertNotIn("unsafe-inline", policy, url)
            self.assertNotIn("unsafe-eval", policy, url)


class TemplatesWithoutInlineCodeTests(SimpleTestCase):
    def test_no_served_template_has_inline_script_style_or_handlers(self):
        found = []
        for path in sorted(Path(settings.BASE_DIR, "htxnu").rglob("templates/**/*.html")):
            name = str(path).split("/templates/", 1)[1]
            if name in NOT_SERVED:
                continue
            text = path.read_text(encoding="utf-8")
            found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
        self.assertEqual(found, [])


class CspBrowserTests(BrowserTestCase):
    def test_pages_htmx_and_the_api_docs_load_with_nothing_refused(self):
        page = self.sign_in("demo_province")
        self.assertEqual(self.csp_violations(), [])
        # htmx: the unit picker searches as one types and swaps the results in.
        page.fill("#unit-q", "cam duong")
        page.locator("#picker-results button", has_text="Phường Cam Đường").wait_for()
        self.assertEqual(self.csp_violations(), [])
        for path in ["/dashboard/", "/events/new/", "/reports/", "/registry/"]:
            page.goto(f"{self.live_server_url}{path}")
            page.wait_for_load_state("networkidle")
            self.assertEqual(self.csp_violations(), [], path)
        page.goto(f"{self.live_server_url}/api/v1/docs")
        page.locator(".swagger-ui .info .title").wait_for()
        page.locator(".opblock").first.wait_for()
        self.assertEqual(self.csp_violations(), [], "/api/v1/docs")

    def test_a_policy_violation_is_caught(self):
        # The check above can fail: an inline script on a served page is refused and reported.
        page = self.sign_in("demo_province")
        page.evaluate("document.body.appendChild(Object.assign(document.createElement('script'), "
                      "{textContent: 'window.ran = 1'}))")
        page.wait_for_function("window.__csp.length > 0")
        self.assertIsNone(page.evaluate("window.ran"))
        self.assertTrue(any("script-src" in v for v in self.csp_violations()))
