"""Scanned plans (no text layer) are read by OCR: Tesseract with its Vietnamese model.

The scans are made from the seeds: typeset as PDF (WeasyPrint), each page turned into a
speckled, slightly skewed image with a red stamp and a blue signature over the text
(``scans.py``), saved as an image-only PDF.  The goal (issue 17): targets F1 ≥ 0.90 on the
scanned seeds, scored with shared/tools/plan_score.py."""
from __future__ import annotations

import io
import shutil

from django.test import SimpleTestCase

from htxnu.plans.extraction import UnreadableDocument, extract_plan, read_file
from htxnu.plans.extraction.ocr import missing_tool

from .scans import scan_pdf
from .test_corpus import describe, gold_of, load_scorer, totals
from .test_extraction import shared_dir, to_pdf, weasyprint_html


class OcrTests(SimpleTestCase):
    def setUp(self):
        missing = missing_tool()
        if missing:
            self.skipTest(f"Debian's {missing} is not installed (make plan-deps)")
        try:
            weasyprint_html()
        except (ImportError, OSError) as exc:
            self.skipTest(f"WeasyPrint is not usable here: {exc}")

    def test_it_reads_stamped_and_signed_scans_of_the_seeds(self):
        scorer, seeds = load_scorer(), shared_dir() / "seeds"
        if scorer is None or not seeds.is_dir():
            self.skipTest("../shared (seeds, plan-gold, tools/plan_score.py) is absent")
        pairs = []
        for path in sorted(seeds.glob("*.txt")):
            seen = []
            reading = read_file(scan_pdf(to_pdf(path.read_text(encoding="utf-8"))), path.stem + ".pdf",
                                progress=lambda done, total, seen=seen: seen.append((done, total)))
            self.assertTrue(reading.ocr)
            self.assertEqual(len(reading.page_images), len(reading.page_starts))
            self.assertEqual(seen[-1], (len(reading.page_starts), len(reading.page_starts)))
            self.assertEqual(reading.page_starts[0], 0)
            self.assertTrue(reading.page_images[0].startswith(b"\xff\xd8"))  # a JPEG
            plan = extract_plan(reading.text, source=path.name)
            pairs.append((gold_of(shared_dir() / "plan-gold" / path.name), plan))
        score = totals(scorer, pairs)
        self.assertGreaterEqual(score["f1"], 0.90, describe(scorer, pairs))

    def test_a_blank_scan_says_nothing_could_be_read(self):
        from PIL import Image

        blank = Image.new("RGB", (1240, 1754), (250, 250, 245))
        pdf = io.BytesIO()
        blank.save(pdf, "PDF", resolution=150)
        with self.assertRaises(UnreadableDocument) as caught:
            read_file(pdf.getvalue(), "trang-trang.pdf")
        self.assertIn("bản scan không đọc được chữ nào", str(caught.exception))

    def test_a_server_without_tesseract_says_so(self):
        from unittest import mock

        from PIL import Image

        pdf = io.BytesIO()
        Image.new("RGB", (200, 200), (255, 255, 255)).save(pdf, "PDF")
        with mock.patch.object(shutil, "which", return_value=None), self.assertRaises(UnreadableDocument) as caught:
            read_file(pdf.getvalue(), "scan.pdf")
        self.assertIn("chưa cài chương trình nhận dạng chữ", str(caught.exception))
