"""Files no plan could be are refused quickly, before they cost memory or time (issue 14, part of 17)."""
from __future__ import annotations

import io
import time
import zipfile

from django.test import SimpleTestCase

from htxnu.plans.extraction import UnreadableDocument, read_document
from htxnu.plans.extraction.reader import MAX_TEXT_CHARS

from .corpus.build import to_docx


def docx_bomb(paragraphs: int = 37_800) -> bytes:
    """A small .docx whose document.xml unpacks to tens of MB (1,000 letters per paragraph)."""
    source = zipfile.ZipFile(io.BytesIO(to_docx("KẾ HOẠCH\nThực hiện Đề án 01")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                paragraph = b"<w:p><w:r><w:t>" + b"a" * 1000 + b"</w:t></w:r></w:p>"
                data = data.replace(b"<w:body>", b"<w:body>" + paragraph * paragraphs, 1)
            bomb.writestr(info, data)
    return out.getvalue()


class LimitTests(SimpleTestCase):
    def test_it_refuses_a_word_file_that_unpacks_to_tens_of_megabytes_at_once(self):
        data = docx_bomb()
        self.assertLess(len(data), 200 * 1024)
        start = time.perf_counter()
        with self.assertRaises(UnreadableDocument) as caught:
            read_document(data, "ke-hoach.docx")
        self.assertLess(time.perf_counter() - start, 1.0)
        self.assertIn("“ke-hoach.docx”", str(caught.exception))
        self.assertIn("giải nén vượt quá 8 MB", str(caught.exception))

    def test_it_still_reads_a_word_file_of_ordinary_size(self):
        text = read_document(docx_bomb(paragraphs=100), "ke-hoach.docx")
        self.assertIn("Thực hiện Đề án 01", text)

    def test_it_refuses_a_text_longer_than_any_plan(self):
        with self.assertRaises(UnreadableDocument) as caught:
            read_document(("Kế hoạch thực hiện Đề án 01. " * 30_000).encode(), "dai.txt")
        self.assertIn("vượt giới hạn 600.000 ký tự", str(caught.exception))
        read_document(("x" * (MAX_TEXT_CHARS - 10)).encode(), "vua.txt")
