import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, override_settings

from htxnu.accounts import demo as accounts_demo
from htxnu.core.tests.base import HtxTestCase
from htxnu.plans import checks, demo
from htxnu.plans.models import Plan


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="plans-demo-"))
class DemoTests(HtxTestCase):
    def test_the_national_plan_and_the_five_seeds_on_their_units_of_the_time_once(self):
        accounts_demo.build()
        out = io.StringIO()
        demo.build("demo", out)
        demo.build("demo", out)
        plans = {p.number: p for p in Plan.objects.select_related("unit__parent")}
        self.assertEqual(set(plans), {"01/QĐ-TTg", "294/KH-UBND", "219/KH-UBND", "34/KH-UBND", "126/KH-UBND",
                                      "81/KH-BTV"})
        units = {n: (p.unit.name, p.unit.level, p.unit.valid_to is not None) for n, p in plans.items()}
        self.assertEqual(units["01/QĐ-TTg"], ("Việt Nam", "country", False))
        self.assertEqual(units["294/KH-UBND"], ("Tỉnh Lào Cai", "province", True))
        self.assertEqual(units["219/KH-UBND"], ("Thành phố Lai Châu", "district", True))
        self.assertEqual(units["34/KH-UBND"], ("Huyện Vĩnh Thuận", "district", True))
        self.assertEqual(plans["34/KH-UBND"].unit.parent.name, "Tỉnh Kiên Giang")
        self.assertEqual(units["126/KH-UBND"], ("Tỉnh Quảng Ngãi", "province", True))
        self.assertEqual(units["81/KH-BTV"], ("Tỉnh Nam Định", "province", True))
        national = plans["01/QĐ-TTg"]
        self.assertEqual(national.targets.get(indicator__code="groups_consolidated", year=2030).display, "≥ 10.000")
        self.assertTrue(plans["294/KH-UBND"].document.name.endswith(".txt"))
        # The seeds' own targets are consistent; Nam Định's yearly jobs add up to 650.
        found = checks.problems_for(list(plans.values()))
        codes = {n: {p.code for p in found[p.pk]} for n, p in plans.items()}
        self.assertEqual(codes["81/KH-BTV"], {checks.NO_PLAN})
        self.assertNotIn(checks.YEARLY_SUM, set().union(*codes.values()))


class DemoDataTests(SimpleTestCase):
    """The demo needs nothing outside the project: its annotations and texts are shipped in
    demo_data, and they are the shared ones whenever ../shared is beside the project."""

    def test_the_demo_reads_only_files_inside_the_project(self):
        found = demo.seed_plans()
        self.assertEqual(len(found), 5)
        root = Path(settings.BASE_DIR).resolve()
        for data, text in found:
            self.assertIsNotNone(text, data["source"])
            self.assertTrue(text.resolve().is_relative_to(root), text)

    def test_the_shipped_copies_equal_the_shared_annotations_and_seeds(self):
        shared = Path(settings.BASE_DIR).parent / "shared"
        if not shared.is_dir():
            self.skipTest("../shared is not beside the project")
        for folder, copy, pattern in (("plan-gold", "gold", "*.json"), ("seeds", "seeds", "*.txt")):
            originals = {p.name: p.read_bytes() for p in (shared / folder).glob(pattern)}
            copies = {p.name: p.read_bytes() for p in (demo.DATA / copy).glob(pattern)}
            self.assertEqual(copies, originals, f"htxnu/plans/demo_data/{copy} differs from ../shared/{folder}")
