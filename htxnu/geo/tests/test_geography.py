import datetime
import io
from unittest import mock

from django.core.management import call_command
from django.test import SimpleTestCase, TestCase

from htxnu.accounts.models import Organisation
from htxnu.core.tests.base import real_sources, unit
from htxnu.geo import loader, selectors, sources
from htxnu.geo.models import AdminUnit, DataVersion, Level, Succession

BEFORE = datetime.date(2024, 1, 1)
AFTER = datetime.date(2026, 1, 1)


def province_named(short_name: str, at: datetime.date) -> AdminUnit:
    return AdminUnit.objects.valid_at(at).get(level=Level.PROVINCE, short_name=short_name)


def successor_names(u: AdminUnit) -> list[str]:
    return [s.unit.name for s in selectors.current_successors(u)]


class CountsTests(TestCase):
    def test_it_has_34_provinces_in_2026_and_63_in_2024(self):
        self.assertEqual(AdminUnit.objects.valid_at(AFTER).filter(level=Level.PROVINCE).count(), 34)
        self.assertEqual(AdminUnit.objects.valid_at(BEFORE).filter(level=Level.PROVINCE).count(), 63)

    def test_it_has_the_communes_and_districts_of_both_eras(self):
        self.assertEqual(AdminUnit.objects.valid_at(AFTER).filter(level=Level.COMMUNE).count(), 3321)
        self.assertEqual(AdminUnit.objects.valid_at(BEFORE).filter(level=Level.COMMUNE).count(), 10035)
        self.assertEqual(AdminUnit.objects.valid_at(BEFORE).filter(level=Level.DISTRICT).count(), 696)
        self.assertFalse(AdminUnit.objects.valid_at(AFTER).filter(level=Level.DISTRICT).exists())

    def test_today_communes_are_2621_xa_687_phuong_13_dac_khu(self):
        kinds = AdminUnit.objects.current().filter(level=Level.COMMUNE).values_list("kind", flat=True)
        self.assertEqual(sorted((k, list(kinds).count(k)) for k in set(kinds)),
                         [("phường", 687), ("xã", 2621), ("đặc khu", 13)])

    def test_every_old_unit_has_a_current_successor_and_province(self):
        old = AdminUnit.objects.filter(valid_to__isnull=False)
        self.assertFalse(old.filter(successor_links__isnull=True).exists())
        self.assertFalse(AdminUnit.objects.exclude(level=Level.COUNTRY).filter(current_province__isnull=True).exists())


class RealCasesTests(TestCase):
    def test_vinh_thuan_district_rolls_up_into_today_an_giang(self):
        vinh_thuan = AdminUnit.objects.get(
            level=Level.DISTRICT, short_name="Vĩnh Thuận", parent__short_name="Kiên Giang"
        )
        an_giang = province_named("An Giang", AFTER)
        self.assertEqual(vinh_thuan.valid_to, datetime.date(2025, 6, 30))
        self.assertEqual(vinh_thuan.current_province, an_giang)
        self.assertEqual([u.name for u in selectors.ancestors_at(vinh_thuan, BEFORE)], ["Tỉnh Kiên Giang", "Việt Nam"])
        self.assertEqual([u.name for u in selectors.ancestors_at(vinh_thuan, AFTER)], ["Tỉnh An Giang", "Việt Nam"])
        successors = selectors.current_successors(vinh_thuan)
        self.assertTrue(successors)
        self.assertTrue(all(s.unit.parent == an_giang and s.kind == Succession.Kind.SPLIT for s in successors))
        self.assertIn("Xã Vĩnh Thuận", [s.unit.name for s in successors])

    def test_old_lao_cai_and_yen_bai_roll_up_into_today_lao_cai(self):
        old_lao_cai = province_named("Lào Cai", BEFORE)
        yen_bai = province_named("Yên Bái", BEFORE)
        today = province_named("Lào Cai", AFTER)
        self.assertNotEqual(old_lao_cai, today)
        self.assertEqual((old_lao_cai.code, yen_bai.code, today.code), ("10", "15", "15"))
        self.assertEqual(successor_names(old_lao_cai), ["Tỉnh Lào Cai"])
        self.assertEqual(successor_names(yen_bai), ["Tỉnh Lào Cai"])
        kinds = set(Succession.objects.filter(successor=today).values_list("kind", flat=True))
        self.assertEqual(kinds, {Succession.Kind.MERGE})

    def test_nam_dinh_rolls_up_into_ninh_binh_and_kon_tum_into_quang_ngai(self):
        self.assertEqual(successor_names(province_named("Nam Định", BEFORE)), ["Tỉnh Ninh Bình"])
        self.assertEqual(successor_names(province_named("Kon Tum", BEFORE)), ["Tỉnh Quảng Ngãi"])
        nam_dinh_commune = AdminUnit.objects.filter(level=Level.COMMUNE, parent__parent__short_name="Nam Định").first()
        self.assertEqual(nam_dinh_commune.current_province, province_named("Ninh Bình", AFTER))

    def test_lai_chau_stays_one_unit(self):
        before, after = province_named("Lai Châu", BEFORE), province_named("Lai Châu", AFTER)
        self.assertEqual(before, after)
        self.assertIsNone(before.valid_from)
        self.assertIsNone(before.valid_to)
        self.assertEqual(successor_names(before), ["Tỉnh Lai Châu"])
        # Its districts are gone, its communes are new.
        self.assertTrue(before.children.filter(level=Level.DISTRICT, valid_to=datetime.date(2025, 6, 30)).exists())
        self.assertEqual(
            set(before.children.valid_at(AFTER).values_list("level", flat=True)), {Level.COMMUNE}
        )

    def test_all_units_old_and_new_under_a_current_province(self):
        today = province_named("Lào Cai", AFTER)
        units = selectors.units_in_current_province(today)
        names = set(units.filter(level=Level.PROVINCE).values_list("name", flat=True))
        self.assertEqual(names, {"Tỉnh Lào Cai", "Tỉnh Yên Bái"})
        self.assertTrue(units.filter(level=Level.DISTRICT, short_name="Văn Yên").exists())
        self.assertTrue(units.filter(level=Level.COMMUNE, valid_from=datetime.date(2025, 7, 1)).exists())
        self.assertFalse(units.filter(parent__short_name="Lai Châu").exists())

    def test_hierarchy_as_of_a_date(self):
        yen_bai = province_named("Yên Bái", BEFORE)
        districts = selectors.units_at(BEFORE, parent=yen_bai)
        self.assertEqual(set(districts.values_list("level", flat=True)), {Level.DISTRICT})
        self.assertFalse(selectors.units_at(AFTER, parent=yen_bai).exists())
        lao_cai = province_named("Lào Cai", AFTER)
        self.assertEqual(selectors.units_at(AFTER, parent=lao_cai).count(), 99)

    def test_a_commune_of_today_covers_the_old_communes_it_came_from(self):
        cam_duong = unit("02674")
        old = {link.predecessor.name for link in cam_duong.predecessor_links.select_related("predecessor")}
        self.assertIn("Xã Cam Đường", old)
        self.assertIn("Phường Pom Hán", old)
        pom_han = AdminUnit.objects.get(level=Level.COMMUNE, name="Phường Pom Hán", valid_to__isnull=False)
        self.assertIn(cam_duong, selectors.ancestors_at(pom_han, AFTER))
        self.assertEqual(selectors.primary_current_unit(pom_han), cam_duong)

    def test_a_code_taken_over_names_the_old_unit_before_and_the_new_one_after(self):
        self.assertEqual([u.name for u in selectors.resolve_code("15")], ["Tỉnh Yên Bái", "Tỉnh Lào Cai"])
        self.assertEqual([u.name for u in selectors.resolve_code("15", BEFORE)], ["Tỉnh Yên Bái"])
        self.assertEqual([u.name for u in selectors.resolve_code("15", AFTER)], ["Tỉnh Lào Cai"])

    def test_breadcrumb_is_the_hierarchy_of_the_units_own_time(self):
        pom_han = AdminUnit.objects.get(level=Level.COMMUNE, name="Phường Pom Hán", valid_to__isnull=False)
        self.assertEqual(
            [u.name for u in selectors.breadcrumb(pom_han)],
            ["Việt Nam", "Tỉnh Lào Cai", "Thành phố Lào Cai", "Phường Pom Hán"],
        )


class LoaderTests(TestCase):
    def test_loading_again_changes_nothing(self):
        before = (AdminUnit.objects.count(), Succession.objects.count())
        result = loader.load(real_sources())
        self.assertTrue(result["skipped"])
        result = loader.load(real_sources(), force=True)
        self.assertEqual((result["created"], result["updated"]), (0, 0))
        self.assertEqual((AdminUnit.objects.count(), Succession.objects.count()), before)

    def test_load_units_skips_without_reading_the_packages_when_this_version_is_loaded(self):
        out = io.StringIO()
        # The loaded data version (1 query), the units without a Union body (1 query, none
        # missing), and the SAVEPOINT / RELEASE of ensure_union_organisations' transaction.
        with mock.patch.object(sources, "read_sources") as read, self.assertNumQueries(4):
            call_command("load_units", stdout=out)
        read.assert_not_called()
        self.assertIn("already loaded", out.getvalue())

    def test_load_units_reads_and_loads_again_with_force_or_a_new_version(self):
        for args, version in ((["--force"], None), ([], "vp=0;vau=0;loader=0")):
            with self.subTest(args=args, version=version):
                if version:
                    DataVersion.objects.filter(name="units").update(fingerprint=version)
                out = io.StringIO()
                with mock.patch.object(sources, "read_sources", wraps=real_sources) as read:
                    call_command("load_units", *args, stdout=out)
                read.assert_called_once()
                self.assertIn("Loaded administrative units", out.getvalue())
                self.assertEqual(DataVersion.objects.get(name="units").fingerprint, sources.fingerprint())

    def test_a_missing_union_body_is_given_back_without_reloading(self):
        Organisation.objects.filter(kind=Organisation.Kind.UNION, unit=unit("02674")).delete()
        out = io.StringIO()
        with mock.patch.object(sources, "read_sources") as read:
            call_command("load_units", stdout=out)
        read.assert_not_called()
        self.assertIn("Created 1 Women's Union organisations.", out.getvalue())
        self.assertTrue(Organisation.objects.filter(kind=Organisation.Kind.UNION, unit=unit("02674"),
                                                    is_active=True).exists())

    def test_a_renamed_unit_is_updated_in_place_not_duplicated(self):
        src = real_sources({"12"})
        renamed = list(src.new_communes)
        renamed[0].name, original = "Xã Đổi Tên Thử", renamed[0].name
        try:
            result = loader.load(src, force=True)
        finally:
            renamed[0].name = original
        self.assertEqual(result["created"], 0)
        self.assertEqual(result["updated"], 1)
        self.assertTrue(AdminUnit.objects.filter(name="Xã Đổi Tên Thử", search_key__contains="xa doi ten thu").exists())

    def test_the_two_packages_agree_on_counts_and_we_know_where_they_differ(self):
        report = sources.compare_sources()
        self.assertEqual(report["vietnam-provinces"], {"provinces": 34, "communes": 3321})
        self.assertEqual(report["vietnamadminunits (today)"], {"provinces": 34, "communes": 3321})
        self.assertEqual(report["communes only in one package"], [])
        differences = report["code differences (name, vietnamadminunits, vietnam-provinces)"]
        self.assertIn(("Phường Cửa Nam", "00082", "00073"), differences)
        # We take the NSO code: Cửa Nam is 00073 here.
        self.assertTrue(AdminUnit.objects.current().filter(code="00073", name="Phường Cửa Nam").exists())


class OldDistrictProvincesTests(SimpleTestCase):
    def test_an_old_district_knows_its_province_and_a_shared_name_knows_them_all(self):
        provinces = sources.old_district_provinces()
        self.assertEqual(provinces[("quận", "hải châu")], {"Đà Nẵng"})
        self.assertEqual(provinces[("thành phố", "lai châu")], {"Lai Châu"})
        self.assertGreater(len(provinces[("huyện", "châu thành")]), 1)
