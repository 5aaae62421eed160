"""Plans typed in the legacy Vietnamese encodings (TCVN3/ABC, VNI) read as Unicode, and old Word (.doc) files."""
from __future__ import annotations

import io
import re
import unicodedata

from django.test import SimpleTestCase

from htxnu.plans.extraction import UnreadableDocument, extract_plan, read_document
from htxnu.plans.extraction.legacy import TCVN3, VNI, detect, from_tcvn3, from_vni
from htxnu.plans.extraction.targets import target_key

from .corpus.build import plans

_TO_TCVN3 = {v: k for k, v in TCVN3.items()}
_TO_VNI = {v: k for k, v in sorted(VNI.items(), key=lambda kv: len(kv[0]))}


def tcvn3_runs(line: str) -> list[tuple[str, str]]:
    """(font, text) runs of a line as a TCVN3 typist enters it: ".VnTime", and ".VnTimeH" (lower-case
    codes drawn as capitals) for a capital with a tone mark, which .VnTime cannot draw."""
    runs: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFC", line):
        if ch in _TO_TCVN3:
            font, code = ".VnTime", _TO_TCVN3[ch]
        elif ch.isupper() and ch.lower() in _TO_TCVN3:
            font, code = ".VnTimeH", _TO_TCVN3[ch.lower()]
        else:
            font, code = ".VnTime", ch
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + code)
        else:
            runs.append((font, code))
    return runs


def to_vni(text: str) -> str:
    return "".join(_TO_VNI.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def legacy_docx(text: str, encoding: str) -> bytes:
    """A Word file of ``text`` typed in TCVN3 (.VnTime/.VnTimeH) or VNI (VNI-Times), tables included."""
    from docx import Document

    word = Document()

    def fill(paragraph, line: str) -> None:
        runs = tcvn3_runs(line) if encoding == "tcvn3" else [("VNI-Times", to_vni(line))]
        for font, code in runs:
            run = paragraph.add_run(code)
            run.font.name = font

    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            table = word.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for i, row in enumerate(rows):
                for j, cell in enumerate(row):
                    paragraph = table.cell(i, j).paragraphs[0]
                    fill(paragraph, cell)
            rows.clear()

    for line in text.splitlines():
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        flush()
        if line.strip() and not re.fullmatch(r"\s*-\s*\d+\s*-\s*", line):
            fill(word.add_paragraph(), line)
    flush()
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def keys(plan: dict) -> list[str]:
    return sorted(map(str, map(target_key, plan["targets"])))


class LegacyFontTests(SimpleTestCase):
    def test_the_tables_read_the_familiar_garbage_back_as_vietnamese(self):
        self.assertEqual(from_tcvn3("Céng hoµ x· héi chñ nghÜa ViÖt Nam"), "Cộng hoà xã hội chủ nghĩa Việt Nam")
        self.assertEqual(from_tcvn3("kÕ ho¹ch", capitals=True), "KẾ HOẠCH")
        self.assertEqual(from_vni("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam"), "Cộng hòa xã hội chủ nghĩa Việt Nam")
        self.assertEqual(from_vni("KEÁ HOAÏCH"), "KẾ HOẠCH")

    def test_a_word_plan_typed_in_tcvn3_is_read_like_its_text(self):
        for path in (p for p in plans() if p.name[:3] in ("c01", "c05", "c13")):
            with self.subTest(plan=path.name):
                text = path.read_text(encoding="utf-8")
                data = legacy_docx(text, "tcvn3")
                read = read_document(data, path.stem + ".docx")
                self.assertIn("KẾ HOẠCH", read)
                self.assertIn("Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý", read)
                self.assertEqual(keys(extract_plan(read)), keys(extract_plan(text)))

    def test_a_word_plan_typed_in_vni_is_read_like_its_text(self):
        path = next(p for p in plans() if p.name.startswith("c07"))
        text = path.read_text(encoding="utf-8")
        read = read_document(legacy_docx(text, "vni"), "c07.docx")
        self.assertIn("Ủy ban nhân dân".upper(), read.upper())
        plan, expected = extract_plan(read), extract_plan(text)
        self.assertEqual(keys(plan), keys(expected))
        self.assertEqual(plan["document"]["number"], "156/KH-UBND")
        self.assertEqual(plan["reporting"]["deadlines"], expected["reporting"]["deadlines"])

    def test_a_text_file_in_tcvn3_or_vni_is_recognised_without_fonts(self):
        path = next(p for p in plans() if p.name.startswith("c02"))
        text = path.read_text(encoding="utf-8")
        tcvn3 = "".join("".join(code for _, code in tcvn3_runs(line)) + "\n" for line in text.splitlines())
        self.assertEqual(detect(tcvn3), "tcvn3")
        read = read_document(tcvn3.encode("cp1252"), "c02.txt")
        self.assertEqual(keys(extract_plan(read)), keys(extract_plan(text)))
        self.assertEqual(detect(to_vni(text)), "vni")
        self.assertEqual(keys(extract_plan(read_document(to_vni(text).encode("cp1252"), "c02.txt"))),
                         keys(extract_plan(text)))

    def test_unicode_text_is_left_alone(self):
        for path in plans()[:5]:
            self.assertIsNone(detect(path.read_text(encoding="utf-8")), path.name)


class OldWordFileTests(SimpleTestCase):
    """.doc files go through Debian's antiword; here a stand-in prints what antiword prints for
    a plan (no .doc writer is at hand to make a real one), so the plumbing is what is tested."""

    def fake_antiword(self, output: str, code: int = 0) -> str:
        import os
        import shutil
        import stat
        import tempfile

        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder)
        dump = os.path.join(folder, "out.txt")
        with open(dump, "w", encoding="utf-8") as f:
            f.write(output)
        script = os.path.join(folder, "antiword")
        with open(script, "w") as f:
            f.write(f'#!/bin/sh\n[ "$1" = "-m" ] && [ "$2" = "UTF-8.txt" ] || exit 2\ncat "{dump}"\nexit {code}\n')
        os.chmod(script, stat.S_IRWXU)
        return folder

    def read_doc(self, folder: str, data: bytes, name: str = "ke-hoach.doc") -> str:
        import os
        from unittest import mock

        with mock.patch.dict(os.environ, {"PATH": folder + os.pathsep + os.environ.get("PATH", "")}):
            return read_document(data, name)

    def test_a_doc_file_is_read_through_antiword_tables_included(self):
        path = next(p for p in plans() if p.name.startswith("c05"))
        text = path.read_text(encoding="utf-8")
        # antiword writes table rows as |cell|cell|.
        shown = "\n".join("|" + "|".join(c.strip() for c in line.strip().strip("|").split("|")) + "|"
                          if line.startswith("|") else line for line in text.splitlines())
        folder = self.fake_antiword(shown)
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
        read = self.read_doc(folder, ole)
        self.assertEqual(keys(extract_plan(read)), keys(extract_plan(text)))
        # A .doc renamed .docx is still read as a .doc.
        self.assertEqual(self.read_doc(folder, ole, "ke-hoach.docx"), read)

    def test_a_doc_in_tcvn3_comes_out_in_unicode(self):
        path = next(p for p in plans() if p.name.startswith("c09"))
        text = path.read_text(encoding="utf-8")
        legacy = "".join("".join(code for _, code in tcvn3_runs(line)) + "\n" for line in text.splitlines())
        read = self.read_doc(self.fake_antiword(legacy), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
        self.assertIn("Hỗ trợ thành lập mới 01 HTX", read)

    def test_a_damaged_doc_or_a_server_without_antiword_gets_a_clear_message(self):
        from unittest import mock

        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
        with self.assertRaises(UnreadableDocument) as caught:
            self.read_doc(self.fake_antiword("", code=1), ole)
        self.assertIn("bị hỏng hoặc được bảo vệ", str(caught.exception))
        with mock.patch("shutil.which", return_value=None), self.assertRaises(UnreadableDocument) as caught:
            read_document(ole, "cu.doc")
        self.assertIn("antiword", str(caught.exception))
        self.assertIn(".docx", str(caught.exception))
