"""The plan-import corpus: fifteen plans written in the genre, scored with the project's scorer.

``corpus/cNN_*.txt`` are Kế hoạch plans of Union bodies and People's
Committees of provinces, districts and communes, phase 1 and phase 2, each
with its gold annotation (``.json``, the plan-gold format plus ``kinds``, the
layouts it exercises, and per-report ``deadlines``/``quarter_deadline``).
``corpus/build.py`` lays the table plans out as Word files (merged header
cells, a table split across pages); both copies are scored.

Scores come from ``shared/tools/plan_score.py`` (beside the clone as
``../shared``, as in CI), imported from its path; the test is skipped with a
message when it is absent.  docs/plans.md records the figures per kind.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from django.test import SimpleTestCase

from htxnu.plans.extraction import extract_plan, read_document
from htxnu.plans.extraction.errors import NotAPlan
from htxnu.plans.extraction.targets import target_key

from .corpus.build import plans as corpus_plans
from .corpus.build import to_docx
from .test_extraction import shared_dir


def load_scorer():
    path = shared_dir() / "tools" / "plan_score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("plan_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_of(path: Path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def totals(scorer, pairs: list[tuple[dict, dict]]) -> dict:
    """Targets P/R/F1 and the share of right fields over (gold, prediction) pairs, as the scorer counts."""
    tp = fp = fn = ok = checked = 0
    for gold, pred in pairs:
        a, b, c, _, _ = scorer.score_targets(gold, pred)
        tp, fp, fn = tp + a, fp + b, fn + c
        checks = scorer.field_checks(gold, pred)
        ok, checked = ok + sum(checks.values()), checked + len(checks)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "fields": ok / checked if checked else 0.0,
            "docs": len(pairs)}


def describe(scorer, pairs: list[tuple[dict, dict]]) -> str:
    lines = []
    for gold, pred in pairs:
        _, _, _, missed, extra = scorer.score_targets(gold, pred)
        wrong = [k for k, v in scorer.field_checks(gold, pred).items() if not v]
        if missed or extra or wrong:
            lines.append(f"{gold['source']}: fields wrong {wrong}")
            lines += [f"  missed {json.dumps(m, ensure_ascii=False)}" for m in missed]
            lines += [f"  extra  {json.dumps({k: v for k, v in e.items() if k != 'evidence'}, ensure_ascii=False)}"
                      for e in extra]
    return "\n".join(lines)


def per_kind(pairs: list[tuple[dict, dict]], scorer) -> dict[str, dict]:
    kinds = sorted({k for gold, _ in pairs for k in gold.get("kinds", [])})
    return {k: totals(scorer, [(g, p) for g, p in pairs if k in g.get("kinds", [])]) for k in kinds}


class CorpusScoreTests(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.scorer = load_scorer()
        cls.paths = corpus_plans()

    def setUp(self):
        if self.scorer is None:
            self.skipTest(f"{shared_dir() / 'tools' / 'plan_score.py'} is absent: the corpus is scored with it")

    def pairs(self, as_word: bool = False) -> list[tuple[dict, dict]]:
        out = []
        for path in self.paths:
            text = path.read_text(encoding="utf-8")
            if as_word:
                name = path.stem + ".docx"
                plan = extract_plan(read_document(to_docx(text), name), source=name)
                plan["source"] = path.name
            else:
                plan = extract_plan(read_document(text.encode("utf-8"), path.name), source=path.name)
            out.append((gold_of(path), plan))
        return out

    def test_the_corpus_covers_every_kind_of_the_issue(self):
        self.assertGreaterEqual(len(self.paths), 15)
        kinds = {k for p in self.paths for k in gold_of(p)["kinds"]}
        self.assertLessEqual({"horizon_heading", "table_years_down", "table_transposed", "table_merged_header",
                              "table_units_column", "table_continued", "deadline_with_year", "deadline_per_period",
                              "deadline_quarterly", "threshold_wording", "threshold_in_table",
                              "threshold_parentheses", "threshold_sign"}, kinds)
        levels = {gold_of(p)["document"]["unit"]["level"] for p in self.paths}
        self.assertEqual(levels, {"province", "district", "commune"})

    def test_it_reads_the_text_plans_of_the_corpus(self):
        pairs = self.pairs()
        score = totals(self.scorer, pairs)
        self.assertGreaterEqual(score["f1"], 0.95, describe(self.scorer, pairs))
        self.assertGreaterEqual(score["fields"], 0.95, describe(self.scorer, pairs))

    def test_it_reads_the_word_copies_of_the_corpus(self):
        pairs = self.pairs(as_word=True)
        score = totals(self.scorer, pairs)
        self.assertGreaterEqual(score["f1"], 0.95, describe(self.scorer, pairs))
        self.assertGreaterEqual(score["fields"], 0.95, describe(self.scorer, pairs))

    def test_it_keeps_each_reports_deadline(self):
        for gold, plan in self.pairs():
            expected = gold["reporting"].get("deadlines")
            if expected is None:
                continue
            with self.subTest(plan=gold["source"]):
                deadline = plan["reporting"]["deadline"]
                got = plan["reporting"].get("deadlines") or ({"annual": deadline} if deadline else {})
                self.assertEqual(got, expected)
                self.assertEqual(plan["reporting"].get("quarter_deadline"), gold["reporting"].get("quarter_deadline"))

    def test_a_threshold_describing_the_target_group_does_not_count_against_the_targets(self):
        path = next(p for p in self.paths if p.name.startswith("c10_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        shown = {(t["op"], t["pct"], t["applies_to"]) for t in plan["female_share_thresholds"]}
        self.assertEqual(shown, {(">", 50, "target_group"), (">=", 70, "targets")})
        self.assertIn("≥ 70%", next(t for t in plan["female_share_thresholds"] if t["pct"] == 70)["evidence"]["text"])


HELD_OUT = Path(__file__).resolve().parent / "corpus" / "heldout"


class HeldOutScoreTests(CorpusScoreTests):
    """Plans written blind, after the extractor was built, and scored before it was changed for them.

    ``corpus/heldout/bNN_*`` were written as an officer would, without reading
    the extractor; their first-sight score is in docs/plans.md.  The rules they
    taught were made general; these tests keep them from slipping.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paths = sorted(HELD_OUT.glob("b[0-9][0-9]_*.txt"))

    # About one plan of the main corpus (c10), not this set.
    test_a_threshold_describing_the_target_group_does_not_count_against_the_targets = None

    def test_the_corpus_covers_every_kind_of_the_issue(self):
        self.assertGreaterEqual(len(self.paths), 6)
        levels = {gold_of(p)["document"]["unit"]["level"] for p in self.paths}
        self.assertEqual(levels, {"province", "district", "commune"})

    def test_a_quarter_rule_counted_from_the_quarters_end(self):
        path = next(p for p in self.paths if p.name.startswith("b03_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        self.assertEqual(plan["reporting"]["quarter_deadline"], {"days_after_end": 5})

    def test_a_deadline_said_to_be_for_a_report_after_the_date(self):
        path = next(p for p in self.paths if p.name.startswith("b01_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        self.assertEqual(plan["reporting"]["deadlines"], {"semiannual": "06-10", "annual": "11-10"})

    def test_a_commune_plan_naming_no_province_takes_its_districts(self):
        # b06 names "quận Hải Châu", never Đà Nẵng: missed until the districts' provinces were read.
        path = next(p for p in self.paths if p.name.startswith("b06_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        self.assertEqual(plan["document"]["unit"], gold_of(path)["document"]["unit"])

    def test_the_lowest_body_of_a_two_line_header_issues_the_plan(self):
        path = next(p for p in self.paths if p.name.startswith("b01_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        self.assertEqual(plan["document"]["issuer"], "Ban Thường vụ Hội LHPN thành phố Cần Thơ")
        self.assertEqual(plan["document"]["unit"]["level"], "province")


HELD_OUT_2 = Path(__file__).resolve().parent / "corpus" / "heldout2"


class SecondHeldOutScoreTests(CorpusScoreTests):
    """Five more plans written blind (``corpus/heldout2/b08``-``b12``), kept at their first-sight score.

    Written without reading the extractor's code and scored once before any
    change: targets P 1.00, R 0.986, F1 0.993; fields 0.92 (46 of 50), text and
    Word copies alike (docs/plans.md).  One miss was then fixed as a general rule
    (a deadline's report named in brackets after its date, a second date joined
    by "và"): fields 0.96.  The other misses then became general rules too
    (phases from the spans the targets are grouped under; each clause after an
    action a target of its own): targets F1 1.00, fields 1.00.  The floors below
    are today's figures, so a change that reads fewer of them fails.
    """

    F1_FIRST_SIGHT = 1.0
    FIELDS_FIRST_SIGHT = 1.0

    # Each later set says where its plans are, how many, at which levels, and its Word copies' floors.
    FOLDER = HELD_OUT_2
    PLANS = 5
    LEVELS = {"province", "district", "commune"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paths = sorted(cls.FOLDER.glob("b[0-9][0-9]_*.txt"))

    test_a_threshold_describing_the_target_group_does_not_count_against_the_targets = None

    def test_the_corpus_covers_every_kind_of_the_issue(self):
        self.assertEqual(len(self.paths), self.PLANS)
        levels = {gold_of(p)["document"]["unit"]["level"] for p in self.paths}
        self.assertEqual(levels, self.LEVELS)

    def assert_first_sight(self, pairs):
        score = totals(self.scorer, pairs)
        self.assertGreaterEqual(score["f1"], self.F1_FIRST_SIGHT - 0.001, describe(self.scorer, pairs))
        self.assertGreaterEqual(score["fields"], self.FIELDS_FIRST_SIGHT - 0.001, describe(self.scorer, pairs))

    def test_it_reads_the_text_plans_of_the_corpus(self):
        self.assert_first_sight(self.pairs())

    def test_it_reads_the_word_copies_of_the_corpus(self):
        self.assert_first_sight(self.pairs(as_word=True))

    def test_a_decision_takes_its_phases_from_the_spans_its_targets_are_set_under(self):
        # Missed at first sight: "giai đoạn 2023 - 2030" only inside the quoted title, targets per phase.
        path = next(p for p in self.paths if p.name.startswith("b11_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        self.assertEqual(plan["phases"], [[2023, 2025], [2026, 2030]])
        self.assertIn(("managers_trained_pct", 2025), {(t["indicator"], t["year"]) for t in plan["targets"]})

    def test_a_report_named_in_brackets_after_its_date(self):
        # "chậm nhất ngày 20/6 (báo cáo 6 tháng) và ngày 20/11 (báo cáo năm)": missed at first sight, fixed.
        path = next(p for p in self.paths if p.name.startswith("b12_"))
        plan = extract_plan(path.read_text(encoding="utf-8"), source=path.name)
        self.assertEqual(plan["reporting"].get("deadlines"), {"semiannual": "06-20", "annual": "11-20"})


HELD_OUT_3 = Path(__file__).resolve().parent / "corpus" / "heldout3"


class ThirdHeldOutScoreTests(SecondHeldOutScoreTests):
    """Six plans written blind in 2026's reality (``corpus/heldout3/b13``-``b18``), kept at their score.

    Written without reading the extractor, its tests or the other corpus plans,
    committed with their gold before the extractor first ran on them: phase-2
    plans of merged provinces, a ward and a new commune, an old district's
    phase-1 plan, a decision with the plan as appendix, a Union / cooperative
    alliance coordination programme.  First sight: text targets P 0.92, R 0.94,
    F1 0.933, fields 0.933 (56 of 60); the Word copies lose the tab-separated
    table of b16 (F1 0.850, fields 0.933).  The misses were then learnt as
    general rules (docs/plans.md): text and Word copies score targets F1 1.00,
    fields 1.00.  The floors (inherited) are today's figures, so a change that reads
    fewer of them fails.
    """

    FOLDER = HELD_OUT_3
    PLANS = 6
    LEVELS = {"province", "district", "commune"}

    # About b11 and b12 of the second set.
    test_a_decision_takes_its_phases_from_the_spans_its_targets_are_set_under = None
    test_a_report_named_in_brackets_after_its_date = None

    def test_a_two_line_union_header_with_the_number_beside_the_date(self):
        path = next(p for p in self.paths if p.name.startswith("b13_"))
        document = extract_plan(path.read_text(encoding="utf-8"), source=path.name)["document"]
        self.assertEqual((document["number"], document["date"], document["issuer"]),
                         ("41/KH-BTV", "2026-02-18", "Ban Thường vụ Hội LHPN tỉnh Tuyên Quang"))

    def test_a_ward_is_a_commune_level_unit(self):
        path = next(p for p in self.paths if p.name.startswith("b15_"))
        unit = extract_plan(path.read_text(encoding="utf-8"), source=path.name)["document"]["unit"]
        self.assertEqual((unit["level"], unit["name"]), ("commune", "Phường Phước Hậu"))


HELD_OUT_4 = Path(__file__).resolve().parent / "corpus" / "heldout4"


class FourthHeldOutScoreTests(ThirdHeldOutScoreTests):
    """Six plans written blind a fourth time (``corpus/heldout4/b19``-``b24``), kept at their first-sight score.

    Written without reading the extractor, its tests, docs/plans.md or the
    other corpus plans, and committed with their gold before the extractor
    first ran on them: a party committee's resolution (Đảng ủy xã), the
    Central Union's 2026-2030 plan (country level, PDF-style text), a merged
    province's space-aligned table of years with a phase column, a special
    zone's Union plan for one year with numbers in words, a district plan
    revising an earlier plan's targets, and a commune formed from three old
    ones.  First sight, text and Word copies alike: targets P 0.97, R 0.36,
    F1 0.525 (31 of 86 found, 1 extra); fields 0.817 (49 of 60).  The
    resolution (b19) is refused as not a plan; the space-aligned table of b21
    and the old/new table of b23 yield no target; b20 has no issuer or unit
    and misses "30 nghìn" / "100 nghìn"; b22 misses numbers in words.  The
    misses were then learnt as general rules (docs/plans.md, branch
    ``issue-17-fix3``): text and Word copies score targets F1 1.00, fields
    1.00.  The floors (inherited) are today's figures, so a change that reads fewer
    of them fails.
    """

    FOLDER = HELD_OUT_4
    PLANS = 6
    LEVELS = {"country", "province", "district", "commune"}

    def pairs(self, as_word: bool = False) -> list[tuple[dict, dict]]:
        # A plan the import refuses (NotAPlan) scores as an empty prediction, as the scorer scores a
        # document with no prediction, so that one refusal does not hide the other five plans' figures.
        out = []
        for path in self.paths:
            self.paths, kept = [path], self.paths
            try:
                out += super().pairs(as_word)
            except NotAPlan as refusal:
                empty = {"source": path.name, "document": {}, "basis": [], "phases": [], "targets": [],
                         "female_share_thresholds": [], "reporting": {"periods": [], "deadline": None},
                         "refused": str(refusal)}
                out.append((gold_of(path), empty))
            finally:
                self.paths = kept
        return out

    def test_a_party_resolution_setting_targets_is_read_like_a_plan(self):
        path = next(p for p in self.paths if p.name.startswith("b19_"))
        document = extract_plan(path.read_text(encoding="utf-8"), source=path.name)["document"]
        self.assertEqual((document["type"], document["number"], document["issuer"], document["unit"]["level"]),
                         ("NQ", "09-NQ/ĐU", "Đảng ủy xã Phú Đình", "commune"))

    def test_the_central_unions_plan_is_the_countrys(self):
        path = next(p for p in self.paths if p.name.startswith("b20_"))
        document = extract_plan(path.read_text(encoding="utf-8"), source=path.name)["document"]
        self.assertEqual(document["unit"], {"level": "country", "name": "Việt Nam", "province": None})

    # About b13 and b15 of the third set.
    test_a_two_line_union_header_with_the_number_beside_the_date = None
    test_a_ward_is_a_commune_level_unit = None


HELD_OUT_5 = Path(__file__).resolve().parent / "corpus" / "heldout5"


class FifthHeldOutScoreTests(FourthHeldOutScoreTests):
    """Six ordinary 2026 plans written blind a fifth time (``corpus/heldout5/b25``-``b30``).

    Written without reading the extractor, its tests, docs/plans.md or the
    other corpus plans, and committed with their gold before the extractor
    first ran on them.  Typical rather than exotic: two provincial phase-2
    plans (a merged province's Union, a merged province's People's Committee
    with a table of years across), a commune Union's and a ward People's
    Committee's plans for 2026, a provincial Union's 2026 plan opening with
    its 2025 results, and a provincial Union's phase-2 plan with a table of
    years down.  First sight, text and Word copies alike: targets P 1.00,
    R 0.989, F1 0.995 (92 of 93 found, no extra); fields 1.00 (60 of 60);
    per-report deadlines all right.  The one miss: b28's "trong đó khoảng 15
    lao động nữ có việc làm mới" (new jobs as the subject after "trong đó")
    yields no jobs_new_women target.  Fixed as a rule of the genre (a
    breakdown naming another catalogue quantity is a target of it, branch
    ``issue-17-fix4``); the floors below are now targets 1.00, fields 1.00.
    """

    FOLDER = HELD_OUT_5
    PLANS = 6
    LEVELS = {"province", "commune"}

    def test_new_jobs_named_in_a_breakdown_are_a_target(self):
        path = next(p for p in self.paths if p.name.startswith("b28_"))
        targets = extract_plan(path.read_text(encoding="utf-8"), source=path.name)["targets"]
        self.assertIn(("jobs_new_women", 2026, False, "~", 15, False), {target_key(t) for t in targets})

    # About b19 and b20 of the fourth set.
    test_a_party_resolution_setting_targets_is_read_like_a_plan = None
    test_the_central_unions_plan_is_the_countrys = None


def report(as_word: bool = False, held_out: bool | int = False) -> str:  # pragma: no cover - writes docs/plans.md
    """Per-kind figures, as in docs/plans.md: ``manage.py shell -c "from … import report; print(report())"``."""
    # The fourth and fifth sets' cases score a refused plan (b19) as an empty prediction instead of stopping.
    case = {4: FourthHeldOutScoreTests, 5: FifthHeldOutScoreTests}.get(held_out, CorpusScoreTests)()
    case.scorer, case.paths = load_scorer(), corpus_plans()
    if held_out:
        folder = {2: HELD_OUT_2, 3: HELD_OUT_3, 4: HELD_OUT_4, 5: HELD_OUT_5}.get(held_out, HELD_OUT)
        case.paths = sorted(folder.glob("b[0-9][0-9]_*.txt"))
    pairs = case.pairs(as_word)
    rows = [("all", totals(case.scorer, pairs)), *per_kind(pairs, case.scorer).items()]
    return "\n".join(f"| {k} | {v['docs']} | {v['p']:.2f} | {v['r']:.2f} | {v['f1']:.2f} | {v['fields']:.2f} |"
                     for k, v in rows)
