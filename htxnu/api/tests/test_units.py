from django.test import TestCase


class UnitsApiTests(TestCase):
    def get(self, path, **params):
        response = self.client.get(f"/api/v1{path}", params)
        self.assertEqual(response.status_code, 200, response.content[:300])
        return response.json()

    def test_it_lists_34_provinces_today_without_sign_in(self):
        data = self.get("/units", level="province", at="2026-01-01")
        self.assertEqual(data["count"], 34)
        lao_cai = next(p for p in data["items"] if p["code"] == "15")
        self.assertEqual(
            {k: lao_cai[k] for k in ("code", "name", "level", "parent")},
            {"code": "15", "name": "Tỉnh Lào Cai", "level": "province", "parent": "VN"},
        )

    def test_it_lists_63_provinces_before_the_reorganisation(self):
        data = self.get("/units", level="province", at="2024-01-01")
        self.assertEqual(data["count"], 63)
        self.assertIn("Tỉnh Yên Bái", [p["name"] for p in data["items"]])

    def test_it_lists_children_of_a_parent_as_of_a_date(self):
        today = self.get("/units", parent="15", at="2026-01-01")
        self.assertEqual(today["count"], 99)
        self.assertEqual({c["level"] for c in today["items"]}, {"commune"})
        # In 2024, code 15 was Yên Bái, whose children were districts.
        before = self.get("/units", parent="15", at="2024-01-01")
        self.assertEqual({c["level"] for c in before["items"]}, {"district"})
        self.assertIn("Huyện Văn Yên", [c["name"] for c in before["items"]])

    def test_it_searches_without_diacritics_and_pages(self):
        data = self.get("/units", q="cam duong", at="2026-01-01")
        self.assertIn("Phường Cam Đường", [u["name"] for u in data["items"]])
        page = self.get("/units", level="commune", limit=10, offset=10)
        self.assertEqual(len(page["items"]), 10)
        self.assertEqual(page["count"], 3321)

    def test_successors_of_old_units(self):
        self.assertEqual([s["name"] for s in self.get("/units/10/successors")["successors"]], ["Tỉnh Lào Cai"])
        self.assertEqual(self.get("/units/10/successors")["successors"][0]["relation"], "merge")
        vinh_thuan = self.get("/units/910/successors")
        self.assertEqual(vinh_thuan["unit"]["name"], "Huyện Vĩnh Thuận")
        self.assertTrue(vinh_thuan["successors"])
        self.assertEqual({s["parent"] for s in vinh_thuan["successors"]}, {"91"})
        self.assertEqual([s["name"] for s in self.get("/units/12/successors")["successors"]], ["Tỉnh Lai Châu"])
        self.assertEqual(self.get("/units/12/successors")["successors"][0]["relation"], "same")

    def test_unknown_codes_and_bad_dates_are_clear_errors(self):
        self.assertEqual(self.client.get("/api/v1/units/99999/successors").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/units", {"parent": "77777"}).status_code, 404)
        self.assertEqual(self.client.get("/api/v1/units", {"at": "31/02/2024"}).status_code, 422)
        self.assertEqual(self.client.get("/api/v1/units", {"limit": 0}).status_code, 422)

    def test_the_openapi_schema_describes_the_units_endpoints(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/units", schema["paths"])
        self.assertIn("/api/v1/units/{code}/successors", schema["paths"])
        docs = self.client.get("/api/v1/docs")
        self.assertEqual(docs.status_code, 200)
        self.assertNotIn(b"cdn.jsdelivr", docs.content)

    def test_the_api_documentation_is_in_vietnamese_and_in_english_under_the_english_locale(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertEqual(schema["info"]["title"], "API của HTX Nữ")
        self.assertIn("hợp tác xã do phụ nữ tham gia quản lý", schema["info"]["description"])
        units = schema["paths"]["/api/v1/units"]["get"]
        self.assertEqual(units["summary"], "Các đơn vị hành chính có hiệu lực vào một ngày")
        self.assertEqual(units["tags"], ["Đơn vị hành chính"])
        parent = next(p for p in units["parameters"] if p["name"] == "parent")
        self.assertEqual(parent["description"], "mã của đơn vị cấp trên")
        report = schema["components"]["schemas"]["ValueOut"]["properties"]["frozen"]
        self.assertEqual(report["description"], "như tại thời điểm gửi báo cáo")
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        english = self.client.get("/api/v1/openapi.json").json()
        self.assertEqual(english["paths"]["/api/v1/units"]["get"]["summary"], "Units valid on a date")
        self.assertEqual(english["paths"]["/api/v1/units"]["get"]["tags"], ["Administrative units"])
        docs = self.client.get("/api/v1/docs")
        self.assertContains(docs, "/static/ninja/swagger-ui-bundle.js")  # served here, no CDN
        self.assertNotContains(docs, "https://")
