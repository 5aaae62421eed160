"""`manage.py extract_plan` on the five seeds, scored by the project's own scorer
(../shared/tools/plan_score.py): targets F1 ≥ 0.95 and fields ≥ 0.90."""

import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase

SHARED = Path(settings.BASE_DIR).parent / "shared"


class ExtractPlanCommandTests(SimpleTestCase):
    def setUp(self):
        if not (SHARED / "seeds").is_dir() or not (SHARED / "tools" / "plan_score.py").is_file():
            self.skipTest("../shared (seeds and scorer) is not beside the project")

    def test_the_seeds_score_above_the_bar(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.json"
            call_command("extract_plan", *sorted((SHARED / "seeds").glob("*.txt")), output=out)
            score = subprocess.run(
                [sys.executable, str(SHARED / "tools" / "plan_score.py"), "--gold", str(SHARED / "plan-gold"),
                 "--pred", str(out)], capture_output=True, text=True, check=True,
            ).stdout
        summary = re.search(r"targets P=([\d.]+) R=([\d.]+) F1=([\d.]+) \| fields ([\d.]+) \| docs (\d+)", score)
        self.assertIsNotNone(summary, score)
        f1, fields, docs = float(summary[3]), float(summary[4]), int(summary[5])
        self.assertEqual(docs, 5)
        self.assertGreaterEqual(f1, 0.95, score)
        self.assertGreaterEqual(fields, 0.90, score)

    def test_an_unreadable_file_gets_a_vietnamese_message_and_exit_code_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "hong.docx"
            bad.write_bytes(b"not a zip at all")
            stderr, stdout = io.StringIO(), io.StringIO()
            with self.assertRaises(SystemExit) as exited:
                call_command("extract_plan", bad, stdout=stdout, stderr=stderr)
        self.assertEqual(exited.exception.code, 1)
        self.assertIn("hong.docx", stdout.getvalue())
        self.assertIn("Không đọc được", stderr.getvalue())
