"""What a visitor sees: published cooperatives found without accents, their products,
and nothing of an unpublished one, a draft figure or a manager's personal data,
on any public URL."""

import json
from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from htxnu.core.tests.base import HtxTestCase
from htxnu.plans.tests.helpers import make_plan, target
from htxnu.portal import selectors, services
from htxnu.reporting.models import ReportState
from htxnu.reporting.tests.helpers import make_report, reports_indicator, rnd

from .helpers import hidden_coop, published_coop


@contextmanager
def page_queries(test, expected: int):
    """The page's own queries, leaving out those of the shared cache (a table of the
    database by default, settings.CACHES), which a cold page adds in a fixed number."""
    with CaptureQueriesContext(connection) as captured:
        yield
    own = [q["sql"] for q in captured.captured_queries
           if "htxnu_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    test.assertEqual(len(own), expected, "\n".join(own))


def json_ld(response) -> list:
    text = response.content.decode()
    start = text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    data = json.loads(text[start:text.index("</script>", start)])
    return data if isinstance(data, list) else [data]


class PublicPagesTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.coop, cls.product, cls.pub = published_coop(cls.commune, cls.cam_duong)
        cls.hidden = hidden_coop(cls.commune, cls.cam_duong)
        cls.withdrawn, _p, cls.withdrawn_pub = published_coop(cls.commune, cls.cam_duong,
                                                              name="Hợp tác xã Rút lui", product="Gạo rút lui",
                                                              photo=False)
        services.publication_withdraw(actor=cls.commune, publication=cls.withdrawn_pub)

    def setUp(self):
        cache.clear()

    def test_it_finds_a_published_cooperative_typed_without_accents(self):
        response = self.client.get(reverse("portal:cooperatives"), {"q": "che shan tuyet"})
        self.assertContains(response, "Hợp tác xã Chè Shan tuyết Bản Khoang")
        self.assertContains(response, reverse("portal:cooperative", args=[self.pub.slug]))

    def test_search_covers_the_commune_and_the_product_names(self):
        for q in ("cam duong", "co thu"):
            with self.subTest(q=q):
                self.assertContains(self.client.get(reverse("portal:cooperatives"), {"q": q}), "Chè Shan tuyết")

    def test_filters_by_province_stars_and_product_type(self):
        url = reverse("portal:cooperatives")
        self.assertContains(self.client.get(url, {"province": "15", "stars": "4", "product_type": "drinks"}),
                            "Chè Shan tuyết")
        self.assertNotContains(self.client.get(url, {"province": "12"}), "Chè Shan tuyết")
        self.assertNotContains(self.client.get(url, {"stars": "5"}), "Chè Shan tuyết")
        self.assertNotContains(self.client.get(url, {"product_type": "food"}), "Chè Shan tuyết")

    def test_the_list_reads_a_fixed_number_of_queries(self):
        with page_queries(self, 4):
            # count of the page; the page of publications with cooperative, commune,
            # province and old unit; their first photos; today's provinces for the filter
            self.client.get(reverse("portal:cooperatives"), {"q": "hop tac xa"})

    def test_the_page_shows_products_ocop_and_published_contact_but_no_manager(self):
        response = self.client.get(reverse("portal:cooperative", args=[self.pub.slug]))
        self.assertContains(response, "Chè Shan tuyết cổ thụ")
        self.assertContains(response, "OCOP 4★")
        self.assertContains(response, "123/QĐ-UBND")
        self.assertContains(response, "0214 3800 999")
        self.assertContains(response, 'property="og:title"')
        for private in ("Thào Thị Mỷ", "0912000111", "1981"):
            self.assertNotContains(response, private)
        types = [item["@type"] for item in json_ld(response)]
        self.assertEqual(types, ["Organization", "Product"])

    def test_the_page_reads_a_fixed_number_of_queries_and_text_cannot_close_the_json_ld(self):
        services.publication_save(actor=self.commune, collective=self.coop,
                                  story='Chè ngon</script><script>alert("x")</script>')
        with page_queries(self, 3):
            # the publication with its cooperative, commune, province and old unit;
            # its photos (without their bytes); its products
            response = self.client.get(reverse("portal:cooperative", args=[self.pub.slug]))
        self.assertNotContains(response, "<script>alert")
        self.assertIn('Chè ngon</script><script>alert("x")</script>', json_ld(response)[0]["description"])

    def test_an_unpublished_or_withdrawn_cooperative_is_nowhere(self):
        urls = [
            reverse("portal:cooperatives") + "?q=mat+ong", reverse("portal:cooperatives") + "?q=rut+lui",
            reverse("portal:cooperatives"), reverse("portal:products"), reverse("portal:products") + "?q=mat+ong",
            "/", reverse("portal:province", args=["lao-cai"]), reverse("portal:sitemap"),
            reverse("portal:open_data_file", args=["hop-tac-xa", "csv"]),
            reverse("portal:open_data_file", args=["hop-tac-xa", "json"]),
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                for secret in ("Bí mật", "bi-mat", "Rút lui", "rut-lui", "Câu chuyện bí mật"):
                    self.assertNotContains(response, secret)
        hidden_slug = self.hidden.publication.slug
        self.assertEqual(self.client.get(reverse("portal:cooperative", args=[hidden_slug])).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:inquiry", args=[hidden_slug])).status_code, 404)
        self.assertEqual(self.client.get(reverse("portal:cooperative", args=[self.withdrawn_pub.slug])).status_code,
                         404)

    def test_withdrawing_removes_the_page_at_once_even_when_it_was_cached(self):
        url = reverse("portal:cooperative", args=[self.pub.slug])
        self.assertEqual(self.client.get(url).status_code, 200)
        with self.captureOnCommitCallbacks(execute=True):
            services.publication_withdraw(actor=self.commune, publication=self.pub)
        self.assertEqual(self.client.get(url).status_code, 404)
        photo = self.pub.photos.get()
        self.assertEqual(self.client.get(reverse("portal:photo", args=[photo.pk])).status_code, 404)

    def test_products_catalogue_and_sitemap_list_the_published_ones(self):
        self.assertContains(self.client.get(reverse("portal:products"), {"q": "che co thu"}), "Chè Shan tuyết cổ thụ")
        sitemap = self.client.get(reverse("portal:sitemap")).content.decode()
        self.assertIn(reverse("portal:cooperative", args=[self.pub.slug]), sitemap)
        self.assertIn(reverse("portal:province", args=["lao-cai"]), sitemap)
        robots = self.client.get(reverse("portal:robots")).content.decode()
        self.assertIn("Sitemap: http://testserver/sitemap.xml", robots)
        self.assertIn("Disallow: /registry/", robots)

    def test_open_data_has_the_licence_date_and_only_what_was_chosen(self):
        data = self.client.get(reverse("portal:open_data_file", args=["hop-tac-xa", "json"])).json()
        self.assertEqual(data["licence"], "CC BY 4.0")
        self.assertEqual(data["data_date"], timezone.localdate().isoformat())
        self.assertEqual([r["name"] for r in data["rows"]], ["Hợp tác xã Chè Shan tuyết Bản Khoang"])
        self.assertNotIn("Thào", json.dumps(data, ensure_ascii=False))
        csv_text = self.client.get(reverse("portal:open_data_file", args=["hop-tac-xa", "csv"])).content.decode()
        self.assertIn("Chè Shan tuyết cổ thụ (4★)", csv_text)
        self.assertEqual(self.client.get("/du-lieu-mo/khac.csv").status_code, 404)

    def test_signed_in_officers_keep_their_home_at_the_root(self):
        self.client.force_login(self.commune)
        response = self.client.get("/")
        self.assertTemplateUsed(response, "core/home.html")

    def test_the_language_link_switches_and_stays_on_the_site(self):
        response = self.client.get(reverse("portal:language", args=["en"]), {"next": "https://evil.example/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertEqual(response.cookies["django_language"].value, "en")
        response = self.client.get(reverse("portal:cooperatives"))
        self.assertContains(response, "Cooperatives and groups")
        self.assertIn("Cookie", response["Vary"])  # a shared cache keeps each language apart


class ProvinceFiguresTests(HtxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.indicator = reports_indicator("women_trained")
        make_plan(cls.central, cls.lao_cai, number="12/KH-HPN", date="2025-08-01", phases=[(2025, 2030)],
                  targets=[target("women_trained", 2025, ">=", 200, cumulative=False)])
        approved = make_report(rnd("annual", 2025), cls.lao_cai, ReportState.APPROVED, frozen={"women_trained": 123})
        approved.reviewed_at = timezone.now()
        approved.save()
        make_report(rnd("semiannual", 2026), cls.lao_cai, ReportState.DRAFT, own={"women_trained": 987})
        make_report(rnd("annual", 2025), cls.country, ReportState.APPROVED, frozen={"women_trained": 4567})
        make_report(rnd("annual", 2025), cls.lai_chau, ReportState.SUBMITTED, frozen={"women_trained": 654})

    def setUp(self):
        cache.clear()

    def test_the_province_page_shows_approved_figures_and_never_a_draft(self):
        response = self.client.get(reverse("portal:province", args=["lao-cai"]))
        self.assertContains(response, "123")
        self.assertContains(response, "Chỉ tiêu women_trained")
        self.assertContains(response, "12/KH-HPN")
        self.assertContains(response, "61,5%")  # 123 of the plan's 200 in 2025
        self.assertNotContains(response, "987")
        self.assertContains(self.client.get("/"), "4.567")
        other = self.client.get(reverse("portal:province", args=["lai-chau"]))
        self.assertNotContains(other, "654")
        self.assertContains(other, "Chưa có báo cáo nào được duyệt")

    def test_open_data_figures_hold_only_approved_ones(self):
        rows = self.client.get(reverse("portal:open_data_file", args=["so-lieu", "json"])).json()["rows"]
        self.assertEqual([(r["province_code"], r["indicator"], r["value"]) for r in rows],
                         [("15", "women_trained", "123.00")])  # the country's own report is not a province
        self.assertEqual(rows[0]["target"], "≥ 200")
        self.assertEqual(selectors.province_by_slug("lao-cai"), self.lao_cai)

    @override_settings(PORTAL_DATA_LICENCE="CC0")
    def test_the_licence_comes_from_the_settings(self):
        self.assertContains(self.client.get(reverse("portal:open_data")), "CC0")
