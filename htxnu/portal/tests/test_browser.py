"""The portal in a browser: a visitor on a phone finds a published Lào Cai cooperative
by typing without accents, sees its products and sends an inquiry, which the commune
officer then sees and closes in the app; the public pages pass axe-core (no serious or
critical violation) at 390 px and 1280 px.

axe-core is vendored for the tests only (tests/vendor, MPL-2.0, from npm `axe-core`
4.14.1) and injected by Playwright; it is never served by the app."""

from pathlib import Path

from django.core.cache import cache

from htxnu.accounts.models import User
from htxnu.core.tests.base import unit
from htxnu.core.tests.browser import BrowserTestCase
from htxnu.portal.models import Inquiry

from .helpers import hidden_coop, published_coop

AXE = Path(__file__).with_name("vendor") / "axe-4.14.1.min.js"


class PortalBrowserTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        officer = User.objects.get(username="demo_commune")
        cam_duong = unit("02674")
        self.coop, self.product, self.pub = published_coop(officer, cam_duong)
        hidden_coop(officer, cam_duong)

    def axe_violations(self, page) -> list[str]:
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }""")
        return result

    def test_a_visitor_finds_the_cooperative_without_accents_and_sends_an_inquiry(self):
        context = self.browser.new_context(viewport={"width": 390, "height": 800}, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(10_000)
        try:
            page.goto(f"{self.live_server_url}/")
            page.fill("#q", "che shan tuyet")
            with page.expect_navigation():
                page.click("form.search button[type=submit]")
            self.assertIn("Hợp tác xã Chè Shan tuyết Bản Khoang", page.inner_text("main"))
            self.assertNotIn("Bí mật", page.inner_text("main"))
            self.assertEqual(self.axe_violations(page), [])
            with page.expect_navigation():
                page.click("text=Hợp tác xã Chè Shan tuyết Bản Khoang")
            self.assertIn("Chè Shan tuyết cổ thụ", page.inner_text("main"))
            self.assertIn("OCOP 4★", page.inner_text("main"))
            self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 390)
            self.assertEqual(self.axe_violations(page), [])
            with page.expect_navigation():
                page.click("text=Hỏi về sản phẩm này")
            page.fill("#id_name", "Chị Hoa")
            page.fill("#id_phone", "0988777666")
            page.fill("#id_message", "Tôi muốn đặt 20 hộp chè cho cửa hàng.")
            self.assertEqual(self.axe_violations(page), [])
            with page.expect_navigation():
                page.click("main button[type=submit]")
            self.assertIn("lời nhắn đã được gửi", page.inner_text("main"))
            for path in ("/san-pham/", "/tinh/lao-cai/", "/du-lieu-mo/", "/tin-tuc/"):
                page.set_viewport_size({"width": 1280, "height": 900})
                page.goto(f"{self.live_server_url}{path}")
                self.assertEqual(self.axe_violations(page), [], path)
        finally:
            context.close()
        inquiry = Inquiry.objects.get()
        self.assertEqual(inquiry.product, self.product)

        page = self.sign_in("demo_commune")
        page.goto(f"{self.live_server_url}/cong-khai/lien-he/")
        self.assertIn("Tôi muốn đặt 20 hộp chè cho cửa hàng.", page.inner_text("main"))
        page.fill("main input[name=outcome]", "Đã gọi lại, chốt đơn")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        inquiry.refresh_from_db()
        self.assertEqual(inquiry.state, "closed")

    def test_the_officer_withdraws_a_cooperative_and_its_page_is_gone(self):
        page = self.sign_in("demo_commune")
        page.goto(f"{self.live_server_url}/registry/{self.coop.pk}/")
        with page.expect_navigation():
            page.click("text=Công khai: sự đồng ý, ảnh, đưa lên cổng thông tin")
        page.fill("#reason", "HTX tạm dừng bán hàng")
        with page.expect_navigation():
            page.click("text=Rút khỏi cổng thông tin")
        self.assertIn("Đã rút xuống", page.inner_text("main"))
        visitor = self.browser.new_context(viewport={"width": 390, "height": 800})
        try:
            response = visitor.new_page().goto(f"{self.live_server_url}/hop-tac-xa/{self.pub.slug}/")
            self.assertEqual(response.status, 404)
        finally:
            visitor.close()
