"""Turn an uploaded file into NFC text, or say in Vietnamese why not.

Formats.

- .txt (also .md): UTF-8 with or without BOM (a stray bad byte is replaced,
  not taken as a sign of another encoding), UTF-16 with BOM or with the
  telltale zero bytes, else Windows-1258 (older Vietnamese Windows files; its
  decomposed tone marks are recombined by NFC).
- .docx: body paragraphs and tables in document order; a table row becomes
  one line with cells joined by " | " (merged cells repeat, so columns stay
  aligned); text in tracked insertions is kept and tracked deletions are
  not; footnotes are appended at the end as "[n] text".  A paragraph laid
  out with tabs keeps them as column separators when it has three or more
  non-empty cells, or two or more and a neighbouring paragraph has as many (a
  table typed with tabs: "2023<tab>03<tab>20"); a list item's number and its
  tab ("1.<tab>Thành lập …") count as no cell; other tabs are spaces.
- TCVN3 and VNI (legacy Vietnamese fonts, ``legacy``): converted to Unicode,
  by the font of each run in a .docx, else by the text itself.
- .pdf: the text layer, page by page.  A PDF whose pages carry (almost) no
  text is a scan: its pages are read by OCR (``ocr``: Tesseract's Vietnamese
  model), and ``read_file`` also returns where each page starts in the text
  and a small image of it, for the review screen.

- .doc (Word 97–2003): converted to text by Debian's ``antiword`` (installed
  by the Makefile); a server without it says so.

The file's real type is taken from its first bytes when they disagree with
its name (a .txt that is really a PDF, a .doc renamed .docx).

Limits.  A plan is tens of pages: its document.xml is a few hundred KB and
its text under 200,000 characters.  A .docx whose XML parts would unpack to
more than ``MAX_DOCX_XML_BYTES`` (a "zip bomb": 129 KB that unpack to 38 MB)
is refused before any XML is parsed: each part is unpacked in chunks and the
reading stops at the limit, whatever sizes the archive claims.  A PDF of more
than ``MAX_PDF_PAGES`` pages, and any text longer than ``MAX_TEXT_CHARS``
after reading, are refused too, each with a Vietnamese message saying which
limit and what to do.
"""
from __future__ import annotations

import codecs
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from .errors import UnreadableDocument
from .legacy import convert, detect, font_encoding
from .text import nfc

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MIN_PDF_CHARS_PER_PAGE = 20
MAX_DOCX_XML_BYTES = 8 * 1024 * 1024
MAX_PDF_PAGES = 200
MAX_TEXT_CHARS = 600_000
_CHUNK = 1024 * 1024
Progress = Callable[[int, int], None]
_SAVE_AS_DOCX = "Hãy mở bằng Word, lưu lại dưới dạng .docx hoặc PDF rồi tải lên."


def _fail(name: str, why: str) -> UnreadableDocument:
    return UnreadableDocument(f"Không đọc được tệp “{name}”: {why}")


@dataclass
class Reading:
    """What was read from a file: its text, and for a scan read by OCR the offset in the
    text where each page starts and a small JPEG of each page."""

    text: str
    ocr: bool = False
    page_starts: list[int] = field(default_factory=list)
    page_images: list[bytes] = field(default_factory=list)


def read_document(data: bytes, filename: str, progress: Progress | None = None) -> str:
    """Text of a .txt, .docx, .doc or .pdf plan (a scan read by OCR), NFC-normalised, "\\n" line ends.

    ``progress(done, total)`` is called after each page of a PDF."""
    return read_file(data, filename, progress).text


def read_file(data: bytes, filename: str, progress: Progress | None = None) -> Reading:
    """Like ``read_document``, with the pages of a scan (see ``Reading``)."""
    name = PurePath(filename or "tệp").name
    ext = PurePath(name).suffix.lower()
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise _fail(name, "tệp trống.")
    if data[:5] == b"%PDF-":
        ext = ".pdf"
    elif data[:4] == b"PK\x03\x04" and ext in (".txt", ".md", ".text", ""):
        ext = ".docx"
    elif data[:8] == _OLE_MAGIC:
        ext = ".doc"
    if ext in (".txt", ".md", ".text"):
        text = _decode_text(data, name)
    elif ext == ".docx":
        text = _read_docx(data, name)
    elif ext == ".pdf":
        text = _read_pdf(data, name, progress)
        if isinstance(text, Reading):
            return text
    elif ext == ".doc":
        text = _read_doc(data, name)
    else:
        shown = ext or "không có đuôi"
        raise _fail(name, f"định dạng “{shown}” chưa được hỗ trợ. Chỉ nhận tệp .docx, .doc, .pdf hoặc .txt.")
    check_length(text, name)
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    legacy = detect(text)
    if legacy:
        # Typed in TCVN3 or VNI with no font to say so (a .txt, a PDF, a .docx without font names).
        text = convert(text, legacy)
    text = _CONTROL.sub("", text)
    if not text.strip():
        raise _fail(name, "tệp không có nội dung văn bản.")
    return Reading(text)


def check_length(text: str, name: str) -> None:
    """Refuse a text longer than any plan (``MAX_TEXT_CHARS``)."""
    if len(text) > MAX_TEXT_CHARS:
        shown, limit = f"{len(text):,}".replace(",", "."), f"{MAX_TEXT_CHARS:,}".replace(",", ".")
        raise _fail(
            name,
            f"nội dung dài {shown} ký tự, vượt giới hạn {limit} ký tự của một kế hoạch. "
            "Hãy tải lên riêng văn bản kế hoạch (bỏ phụ lục, bảng số liệu dài).",
        )


def _decode_text(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    if len(data) >= 4 and data.count(b"\x00") >= len(data) // 4:
        # UTF-16 without a BOM: ASCII letters leave a zero byte beside them.
        even_zeros = data[0::2].count(0)
        odd_zeros = data[1::2].count(0)
        encoding = "utf-16-le" if odd_zeros >= even_zeros else "utf-16-be"
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise _fail(name, "không nhận ra bảng mã của tệp văn bản.") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # A UTF-8 file with a stray bad byte is still UTF-8; reading it as cp1258 would garble it all.
    lenient = data.decode("utf-8", errors="replace")
    if lenient.count("\ufffd") <= max(2, len(lenient) // 1000):
        return lenient
    # TCVN3 and VNI were typed on Windows: their bytes are Windows-1252 characters.
    western = data.decode("cp1252", errors="replace")
    try:
        windows = nfc(data.decode("cp1258"))
    except UnicodeDecodeError:
        windows = None
    if detect(western, rival=windows):
        return western  # read_document converts them
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        raise _fail(name, "không nhận ra bảng mã của tệp văn bản (hãy lưu lại với bảng mã UTF-8).") from None
    if len(_CONTROL.findall(text)) > max(3, len(text) // 100):
        raise _fail(name, "tệp không phải là văn bản.")
    return text


# --- .docx -----------------------------------------------------------------------------


def _read_docx(data: bytes, name: str) -> str:
    try:
        from docx import Document
        from docx.table import Table
    except ImportError:  # pragma: no cover - dependency missing
        raise _fail(name, "máy chủ chưa cài thư viện đọc tệp Word (python-docx).") from None
    _check_docx_size(data, name)
    try:
        document = Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _fail(name, "tệp Word (.docx) bị hỏng hoặc không phải tệp Word.") from exc
    except Exception as exc:  # lxml and python-docx raise many kinds on damaged parts
        raise _fail(name, "tệp Word (.docx) bị hỏng hoặc không phải tệp Word.") from exc

    lines: list[str] = []
    paragraphs: set[int] = set()
    fonts = _Fonts(document)

    def walk(parent) -> None:
        for child in parent.iterchildren():
            if child.tag == f"{_W}p":
                paragraphs.add(len(lines))
                lines.append(_paragraph_text(child, fonts))
            elif child.tag == f"{_W}tbl":
                for row in Table(child, document).rows:
                    # row.cells repeats merged cells, keeping columns aligned; _tc is the
                    # cell's XML element, which python-docx exposes no public name for.
                    cells = [" ".join(" ".join(_paragraph_text(p, fonts) for p in c._tc.iter(f"{_W}p")).split())
                             for c in row.cells]
                    lines.append(" | ".join(cells))
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    walk(content)

    try:
        walk(document.element.body)
        _lay_out_tabs(lines, paragraphs)
        lines.extend(_docx_footnotes(document))
    except Exception as exc:
        raise _fail(name, "không đọc được nội dung tệp Word (.docx).") from exc
    return "\n".join(lines)


def _check_docx_size(data: bytes, name: str) -> None:
    """Unpack the XML parts with a running total, stopping at ``MAX_DOCX_XML_BYTES``.

    The sizes an archive declares can lie, so they are not trusted: the parts are
    read in chunks, and a bomb is refused after reading only the limit.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _fail(name, "tệp Word (.docx) bị hỏng hoặc không phải tệp Word.") from exc
    declared = sum(i.file_size for i in members)
    total = 0
    too_big = declared > MAX_DOCX_XML_BYTES
    try:
        for info in members if not too_big else []:
            with archive.open(info) as part:
                while chunk := part.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_DOCX_XML_BYTES:
                        too_big = True
                        break
            if too_big:
                break
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise _fail(name, "tệp Word (.docx) bị hỏng hoặc không phải tệp Word.") from exc
    if too_big:
        limit = MAX_DOCX_XML_BYTES // (1024 * 1024)
        raise _fail(
            name,
            f"nội dung tệp Word khi giải nén vượt quá {limit} MB (một kế hoạch chỉ vài trăm KB). "
            "Tệp có thể bị lỗi hoặc không phải văn bản kế hoạch; hãy mở bằng Word, lưu lại rồi tải lên.",
        )


class _Fonts:
    """The font of each run: its own, else its paragraph style's, else the document's default."""

    def __init__(self, document) -> None:
        self.default = None
        defaults = document.styles.element.find(f"{_W}docDefaults")
        fonts = defaults.find(f".//{_W}rFonts") if defaults is not None else None
        if fonts is not None:
            self.default = fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")
        self.styles = {}
        for style in document.styles.element.iter(f"{_W}style"):
            fonts = style.find(f"{_W}rPr/{_W}rFonts")
            if fonts is not None:
                self.styles[style.get(f"{_W}styleId")] = fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")
        self.legacy_seen = False

    def of(self, run, paragraph) -> str | None:
        fonts = run.find(f"{_W}rPr/{_W}rFonts") if run is not None else None
        if fonts is not None and (fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")):
            return fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and self.styles.get(style.get(f"{_W}val")):
            return self.styles[style.get(f"{_W}val")]
        return self.default


def _paragraph_text(paragraph, fonts: _Fonts | None = None) -> str:
    """Text of a w:p element, tracked insertions included (python-docx's ``Paragraph.text`` skips them).

    Deleted text is stored as w:delText, so reading w:t leaves deletions out.  Text in
    a TCVN3 or VNI font (".VnTime", "VNI-Times") is converted to Unicode (``legacy``).
    """
    parts = []
    for element in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if element.tag == f"{_W}t":
            text = element.text or ""
            if fonts is not None and text:
                run = element.getparent()
                legacy = font_encoding(fonts.of(run if run.tag == f"{_W}r" else None, paragraph))
                if legacy:
                    fonts.legacy_seen = True
                    text = convert(text, *legacy)
            parts.append(text)
        elif element.tag == f"{_W}tab":
            parts.append("\t")  # a column separator or a space: ``_lay_out_tabs`` decides
        else:
            parts.append("\n")
    return "".join(parts)


_LIST_MARKER_TAB = re.compile(r"^\s*(?:[-+•*–—·]|\d{1,2}(?:\.\d{1,2})*[.)]?|[a-zđ][.)]|[IVXL]{1,5}[.)]|\(\d{1,2}\))\t")


def _tab_cells(text: str) -> int:
    """Non-empty cells of a paragraph split at its tabs, a list item's number and its tab aside."""
    m = _LIST_MARKER_TAB.match(text)
    return sum(1 for cell in text[m.end() if m else 0:].split("\t") if cell.strip())


def _lay_out_tabs(lines: list[str], paragraphs: set[int]) -> None:
    """Keep the tabs of the paragraphs laid out as a table (see the module docstring); others get spaces."""
    cells = {i: _tab_cells(lines[i]) for i in paragraphs if "\t" in lines[i]}
    for i, n in cells.items():
        table = n >= 3 or (n == 2 and 2 in (cells.get(i - 1), cells.get(i + 1)))
        lines[i] = lines[i].strip() if table else lines[i].replace("\t", " ")


def _docx_footnotes(document) -> list[str]:
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/footnotes.xml":
            continue
        root = etree.fromstring(part.blob)
        notes = []
        for note in root.iter(f"{_W}footnote"):
            note_id = note.get(f"{_W}id")
            if note_id is None or int(note_id) <= 0:
                continue
            text = "".join(t.text or "" for t in note.iter(f"{_W}t")).strip()
            if text:
                notes.append(f"[{note_id}] {text}")
        return [""] + notes if notes else []
    return []


# --- .doc ------------------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOC_TIMEOUT = 30


def _read_doc(data: bytes, name: str) -> str:
    """Text of a Word 97–2003 file, by Debian's ``antiword`` (UTF-8 out, no wrapping; tables
    come out as "|cell|cell|" rows, which ``structure`` reads as table rows)."""
    import shutil
    import subprocess
    import tempfile

    if data[:8] != _OLE_MAGIC:
        raise _fail(name, "tệp không phải là tệp Word (.doc) hợp lệ. " + _SAVE_AS_DOCX)
    program = shutil.which("antiword")
    if program is None:
        raise _fail(name, "máy chủ chưa cài chương trình đọc tệp Word cũ (antiword). " + _SAVE_AS_DOCX)
    with tempfile.NamedTemporaryFile(suffix=".doc") as source:
        source.write(data)
        source.flush()
        try:
            done = subprocess.run([program, "-m", "UTF-8.txt", "-w", "0", source.name], capture_output=True,
                                  timeout=DOC_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise _fail(name, "đọc tệp Word cũ (.doc) quá lâu. " + _SAVE_AS_DOCX) from None
    if done.returncode != 0 or not done.stdout.strip():
        raise _fail(name, "tệp Word cũ (.doc) bị hỏng hoặc được bảo vệ. " + _SAVE_AS_DOCX)
    return done.stdout.decode("utf-8", errors="replace")


# --- .pdf ------------------------------------------------------------------------------


def _read_pdf(data: bytes, name: str, progress: Progress | None = None) -> str | Reading:
    try:
        from pypdf import PdfReader
    except ImportError:  # pragma: no cover - dependency missing
        raise _fail(name, "máy chủ chưa cài thư viện đọc PDF (pypdf).") from None
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise _fail(name, "tệp PDF có mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.")
            except UnreadableDocument:
                raise
            except Exception:
                raise _fail(name, "tệp PDF có mật khẩu. Hãy gỡ mật khẩu rồi tải lên lại.") from None
        if len(reader.pages) > MAX_PDF_PAGES:
            raise _fail(name, f"tệp PDF có {len(reader.pages)} trang, vượt giới hạn {MAX_PDF_PAGES} trang của một "
                              "kế hoạch. Hãy tải lên riêng văn bản kế hoạch.")
        pages, read = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            read += len(pages[-1])
            if progress:
                progress(len(pages), len(reader.pages))
            if read > MAX_TEXT_CHARS:
                check_length("".join(pages), name)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise _fail(name, "tệp PDF bị hỏng hoặc không đúng định dạng.") from exc
    if not pages:
        raise _fail(name, "tệp PDF không có trang nào.")
    chars = sum(len("".join(p.split())) for p in pages)
    if chars < MIN_PDF_CHARS_PER_PAGE * len(pages):
        return _read_scan(data, name, len(pages), progress)
    return "\n".join(pages)


def _read_scan(data: bytes, name: str, count: int, progress: Progress | None) -> Reading:
    """A PDF without a text layer: read page by page by OCR (``ocr``)."""
    import subprocess

    from . import ocr

    missing = ocr.missing_tool()
    if missing:
        raise _fail(name, f"tệp PDF không có lớp văn bản (bản scan) và máy chủ chưa cài chương trình nhận dạng chữ "
                          f"({missing}). Hãy tải lên tệp Word (.docx) hoặc bản PDF xuất trực tiếp từ Word.")
    try:
        pages = ocr.read_scan(data, count, progress)
    except (subprocess.SubprocessError, OSError) as exc:
        raise _fail(name, "không nhận dạng được chữ trên bản scan (tệp PDF bị hỏng?). Hãy tải lên tệp Word "
                          "(.docx) hoặc bản scan rõ hơn.") from exc
    reading = Reading("", ocr=True)
    parts = []
    offset = 0
    for text, image in pages:
        text = _CONTROL.sub("", nfc(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")))
        reading.page_starts.append(offset)
        reading.page_images.append(image)
        parts.append(text)
        offset += len(text) + 1
    reading.text = "\n".join(parts)
    check_length(reading.text, name)
    if len("".join(reading.text.split())) < MIN_PDF_CHARS_PER_PAGE * count:
        raise _fail(name, "bản scan không đọc được chữ nào (ảnh quá mờ hoặc không phải văn bản). Hãy tải lên tệp "
                          "Word (.docx) hoặc bản scan rõ hơn.")
    return reading
