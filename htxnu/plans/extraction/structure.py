"""From raw text to the plan's logical lines, sections and year headings.

Physical lines.  Markdown and HTML left by converters ("## **II. MỤC TIÊU**",
"<sup>1</sup>") are dropped character by character, so every character kept
still knows its offset in the source.  Blank lines, rulers ("-------") and
page numbers are skipped.  A line that opens with a footnote mark ("<sup>1</sup>
…", "[1] …", or "1 Hiện nay…" as Word and PDF render a superscript) is a
footnote.  A line with " | ", tabs, or a gap of four spaces between cells is a
table row (that is how ``read_document`` writes .docx tables, and how
two-column headers look in text: "Số: 12/KH-UBND      Hà Tĩnh, ngày …"), except
the one tab Word's text export puts after a list item's marker ("1.<tab>…",
"-<tab>…"), which is a space.  A table laid out with spaces under a header of
years, its labels wrapped over several lines, is recovered column by column
first (``aligned``).

Page furniture.  A line written again and again beside a page number (a
running header or footer: "2" then "Kế hoạch … giai đoạn 2026 - 2030") is
dropped with it.  Under a "_______" rule, the lines opening with a mark
("(*) …", "(1) …", "1 …") are footnotes, each continued on the lines below
it, so that a sentence cut by a page break joins across them.

Logical lines.  Plans arrive hard-wrapped (PDF, or text copied from one), with
page breaks in mid-sentence and footnotes between the halves.  A line is joined
to the previous body line when

- the previous line leaves a parenthesis open, or
- it does not end a sentence (". : ! ?") and the new line starts in lower
  case, with a digit or a quote, or the previous one ends with a comma, or the
  text is hard-wrapped and the previous line is nearly full;
- after ";" only a lower-case start, or a nearly full line, continues.

A line never joins when it starts an item (a bullet, "1.", "a)", "II."), a
preamble paragraph ("Căn cứ …", capitalised "Thực hiện …"), the "Số:" line or
the document-type line ("KẾ HOẠCH").  Footnotes and table rows are never
joined; the text around a footnote is joined across it.

Sections.  A heading (a numbered or upper-case short line) whose words start
with a known section name ("MỤC TIÊU", "NHIỆM VỤ VÀ GIẢI PHÁP", "TỔ CHỨC THỰC
HIỆN", "KINH PHÍ", …) opens a section; sub-headings inside it keep the
section.  A short line that is essentially a year phrase ("Đến năm 2025:",
"2.1. Giai đoạn từ nay đến hết năm 2025",
"1. Năm 2023:", "Mục tiêu chung … giai đoạn 2023 - 2025", a section heading ending in
one ("III. CHỈ TIÊU PHỐI HỢP ĐẾN NĂM 2030"), or any line opening with a year
phrase and announcing a list: "a) Đến hết năm 2027, các cấp Hội phấn
đấu:") sets the year of the targets below it until the next year heading,
section, or numbered heading of the same or a higher rank (I. > 1. > 1.1. >
a); "c) Về đào tạo nghề" after "b) Giai đoạn 2026 - 2030" ends the phase's
scope, and its items take the plan's horizon).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .aligned import aligned_tables
from .text import fold

# --- physical line cleaning ----------------------------------------------------

_FOOTNOTE_MARK = re.compile(r"^\s*(?:<sup>\s*\d{1,3}\s*</sup>|\[\d{1,2}\]|\^\d{1,2})\s*")
# "1 Hiện nay, …": a footnote whose superscript mark became a plain digit (Word, PDF).
_FOOTNOTE_PLAIN = re.compile(r"^\s*\d{1,2}\s*(?=[^\W\d_]{2})")
_NOT_FOOTNOTE_WORDS = re.compile(r"^(hop tac|to hop|thanh vien|lao dong|lop|nu |can bo|nguoi|hoi vien)")
_DROP = [
    re.compile(r"<sup>\s*\d{1,3}\s*</sup>"),
    re.compile(r"(?<=\S)\[\d{1,2}\]"),
    re.compile(r"</?[a-zA-Z][^<>]{0,40}>"),
    re.compile(r"\*\*|__"),
    re.compile(r"^\s*#{1,6}\s+"),
    re.compile(r"\\(?=[-*_#\[\]().])"),
]
# The rule PDF and Word draw above a page's footnotes, and the marks of the notes under it.
_FOOTNOTE_RULE = re.compile(r"^\s*_{5,}\s*$")
_SEPARATED_MARK = re.compile(r"^\s*(?:\(\*{1,3}\)|\*{1,3}|\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2}(?=\s+[^\W\d_]))\s*")
_RULER = re.compile(r"^[\s\-_*=—–.·]{3,}$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?\s*$|^\s*trang\s+\d+(?:\s*/\s*\d+)?\s*$", re.I)
_TABLE_PIPE = re.compile(r"\S\s*\|\s*\S|^\s*\|.*\|\s*$")
# Two columns laid out with spaces ("Số: 12/KH-UBND          Hà Tĩnh, ngày …") read like cells.
_WIDE_GAP = re.compile(r"\S {4,}\S")
_CELL_SPLIT = re.compile(r"\t|\||(?<=\S) {4,}(?=\S)")
_CELL_SPLIT_KEEP = re.compile(r"(\t|\||(?<=\S) {4,}(?=\S))")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")

MARKER = re.compile(
    r"^(?:[-+•*–—·]\s*"
    r"|(?:Điều|Dieu|ĐIỀU)\s+\d+[.:]\s+"
    r"|[IVXL]{1,5}[.)]\s+"
    r"|[A-ZĐ][.)]\s+"
    r"|\d{1,2}(?:\.\d{1,2})+\.?\s+"
    r"|\d{1,2}[.)]\s+"
    r"|\(\d{1,2}\)\s+"
    r"|[a-zđ][.)]\s+)"
)
_ROMAN_NO_DOT = re.compile(r"^[IVX]{1,4}\s+(?=\S)")
_NO_JOIN_START = re.compile(r"^(?:can cu|noi nhan|tm\.|kt\.|tl\.|q\.|so\s*:|so\s+\d)")
_SENTENCE_FINAL = ".:;!?…"


@dataclass
class Line:
    """One logical line: display text plus the source offset of every char."""

    index: int
    text: str
    folded: str
    pos: list[int]
    kind: str  # "body" | "footnote" | "table"
    marker: str = ""
    body_start: int = 0
    zone: str | None = None
    heading: bool = False
    year_ctx: tuple[int | None, bool] | None = None
    in_year_block: bool = False

    @property
    def content(self) -> str:
        return self.text[self.body_start:]

    @property
    def folded_content(self) -> str:
        return self.folded[self.body_start:]

    def evidence(self, start: int = 0, end: int | None = None) -> dict:
        """The text between two line offsets and its span in the source (list marker dropped)."""
        end = len(self.text) if end is None else end
        if start < self.body_start <= end:
            start = self.body_start
        while start < end and self.text[start] == " ":
            start += 1
        while end > start and self.text[end - 1] == " ":
            end -= 1
        if start >= end:
            return {"text": "", "start": self.pos[0] if self.pos else 0, "end": self.pos[0] if self.pos else 0}
        return {"text": self.text[start:end], "start": self.pos[start], "end": self.pos[end - 1] + 1}


@dataclass
class _Physical:
    text: str
    pos: list[int]
    kind: str


def _clean(raw: str, offset: int) -> tuple[str, list[int]]:
    dropped = bytearray(len(raw))
    for pattern in _DROP:
        for m in pattern.finditer(raw):
            for i in range(m.start(), m.end()):
                dropped[i] = 1
    chars: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(raw):
        if dropped[i]:
            continue
        if ch.isspace() or ch in "\u200b\ufeff":
            if chars and chars[-1] != " ":
                chars.append(" ")
                pos.append(offset + i)
            continue
        chars.append(ch)
        pos.append(offset + i)
    while chars and chars[-1] == " ":
        chars.pop()
        pos.pop()
    if chars and chars[0] == " ":
        chars.pop(0)
        pos.pop(0)
    return "".join(chars), pos


def _marker_tab(raw: str) -> str:
    """ "1.<tab>Thành lập …", "-<tab>Củng cố …": Word writes a list item's marker and a tab; that tab
    separates no cells (a row has more tabs after it), so it becomes a space, offsets kept."""
    lead = len(raw) - len(raw.lstrip())
    m = MARKER.match(raw[lead:])
    if m and "\t" in m.group() and "\t" not in raw[lead + m.end():]:
        return raw[:lead] + m.group().replace("\t", " ") + raw[lead + m.end():]
    return raw


def _physical_lines(source: str) -> list[_Physical]:
    out: list[_Physical] = []
    raws: list[tuple[str, int]] = []
    offset = 0
    for raw in source.splitlines(keepends=True):
        raws.append((raw.rstrip("\r\n"), offset))
        offset += len(raw)
    aligned = aligned_tables(raws)
    running = _running_lines(raws)
    skip_to = 0
    footnotes = False  # under a "_____" separator, each marked line ("(*) …", "1 …") is a footnote
    for n, (raw, start) in enumerate(raws):
        if n < skip_to:
            continue
        if n in aligned:
            skip_to, rows = aligned[n]
            out.extend(_Physical(text, pos, "table") for text, pos in rows)
            continue
        if _FOOTNOTE_RULE.match(raw):
            following = next((r for r, _ in raws[n + 1:] if r.strip()), "")
            footnotes = bool(_SEPARATED_MARK.match(following))
            continue
        if not raw.strip() or _RULER.match(raw) or _PAGE_NUMBER.match(raw) or _TABLE_RULE.match(raw) \
                or n in running:
            footnotes = False
            continue
        if footnotes:
            mark = _SEPARATED_MARK.match(raw)
            text, pos = _clean(raw[mark.end():] if mark else raw, start + (mark.end() if mark else 0))
            if mark or not out or out[-1].kind != "footnote":
                out.append(_Physical(text, pos, "footnote"))
            elif text:
                last = out[-1]
                last.pos.append(last.pos[-1] + 1)
                last.text += " " + text
                last.pos.extend(pos)
            continue
        raw = _marker_tab(raw)
        stripped = raw.strip()
        if "\t" in stripped or _TABLE_PIPE.search(stripped) or _WIDE_GAP.search(stripped):
            cells = [c for c in _CELL_SPLIT.split(stripped) if c.strip()]
            if len(cells) >= 2:
                text, pos = _table_row(raw, start)
                out.append(_Physical(text, pos, "table"))
                continue
        mark = _FOOTNOTE_MARK.match(raw)
        if mark:
            text, pos = _clean(raw[mark.end():], start + mark.end())
            out.append(_Physical(text, pos, "footnote"))
            continue
        text, pos = _clean(raw, start)
        if not text:
            continue
        plain = _FOOTNOTE_PLAIN.match(text)
        if plain and text[plain.end()].isupper() and text[plain.end() + 1].islower() \
                and not _NOT_FOOTNOTE_WORDS.match(fold(text[plain.end():plain.end() + 12])):
            out.append(_Physical(text[plain.end():], pos[plain.end():], "footnote"))
            continue
        out.append(_Physical(text, pos, "body"))
    return out


def _running_lines(raws: list[tuple[str, int]]) -> set[int]:
    """Running headers and footers: a short line written again and again, each time beside a page number
    ("2" then "Kế hoạch thực hiện Đề án 01 giai đoạn 2026 - 2030")."""
    texts = [" ".join(r.split()) for r, _ in raws]
    filled = [i for i, t in enumerate(texts) if t]
    beside: dict[str, list[bool]] = {}
    for k, i in enumerate(filled):
        t = texts[i]
        if len(t) > 120 or _PAGE_NUMBER.match(t) or _RULER.match(t):
            continue
        near = [texts[filled[j]] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
        beside.setdefault(t, []).append(any(_PAGE_NUMBER.match(x) for x in near))
    repeated = {t for t, marks in beside.items() if len(marks) >= 2 and all(marks)}
    return {i for i in filled if texts[i] in repeated}


def _table_row(raw: str, offset: int) -> tuple[str, list[int]]:
    """Cells joined by " | "; every char keeps its source offset."""
    cells = _CELL_SPLIT_KEEP.split(raw.rstrip())
    text_parts: list[str] = []
    pos: list[int] = []
    cursor = offset
    first = True
    leading = raw.lstrip().startswith("|") and raw.rstrip().endswith("|")  # a Markdown row, not " | x" of Word
    for i, part in enumerate(cells):
        if i % 2 == 1:
            cursor += len(part)
            continue
        cell_text, cell_pos = _clean(part, cursor)
        cursor += len(part)
        if i == 0 and leading and not cell_text:
            continue  # the "|" that opens a Markdown row starts no cell
        if not first:
            text_parts.append(" | ")
            anchor = cell_pos[0] if cell_pos else cursor - 1
            pos.extend([anchor] * 3)
        first = False
        text_parts.append(cell_text)
        pos.extend(cell_pos)
    text = "".join(text_parts)
    while text.endswith(" | ") or text.endswith(" |"):
        cut = 3 if text.endswith(" | ") else 2
        text, pos = text[:-cut], pos[:-cut]
    return text, pos


# --- joining -------------------------------------------------------------------


def is_upper_line(text: str) -> bool:
    """Mostly capitals: a header or heading line ("ỦY BAN NHÂN DÂN", "II. MỤC TIÊU")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _wrap_width(lines: list[_Physical]) -> int | None:
    """Line width of a hard-wrapped text, or None when paragraphs are whole lines.

    A hard-wrapped text has almost no line longer than its usual width; a text
    of whole paragraphs has many short lines and some very long ones.
    """
    lengths = sorted(len(p.text) for p in lines if p.kind == "body" and len(p.text) >= 20)
    if len(lengths) < 10:
        return None
    p90 = lengths[int(0.9 * (len(lengths) - 1))]
    longer = sum(1 for n in lengths if n > 1.3 * p90)
    return p90 if p90 <= 130 and longer <= max(1, len(lengths) // 50) else None


_PARAGRAPH_OPENERS = re.compile(r"(?:thuc hien|can cu|trien khai|xet de nghi|theo de nghi|tren day)\b")
_TYPE_WORDS = {"ke hoach", "chuong trinh", "quyet dinh", "giay moi", "thong bao", "bao cao", "cong van",
               "to trinh", "nghi quyet", "huong dan", "chi thi", "cong dien", "thu moi"}


def _joins(prev: str, nxt: str, width: int | None) -> bool:
    if not prev or MARKER.match(nxt) or _NO_JOIN_START.match(fold(nxt[:10])):
        return False
    # The document-type line ("KẾ HOẠCH", "THÔNG BÁO") and the "Số:" line stand alone.
    if fold(prev).strip(" .:") in _TYPE_WORDS or fold(nxt).strip(" .:") in _TYPE_WORDS:
        return False
    if re.match(r"so\s*:", fold(prev[:5])):
        return False
    # Preamble paragraphs open with these words, capitalised; a wrapped line never does.
    if nxt[0].isupper() and _PARAGRAPH_OPENERS.match(fold(nxt[:20])):
        return False
    if prev.count("(") > prev.count(")"):
        return True
    if prev[-1] in _SENTENCE_FINAL:
        # A wrapped list sentence may break after ";": the next piece starts in lower
        # case, or (hard-wrapped text) the ";" line is nearly full.
        if prev[-1] != ";":
            return False
        return nxt[0].islower() or bool(width and len(prev) >= 0.85 * width)
    first = nxt[0]
    if first.islower() or first.isdigit() or first in "“\"'(«[":
        return True
    if prev.endswith(","):
        return True
    if is_upper_line(prev) and is_upper_line(nxt):
        return True
    if width and len(prev) >= 0.7 * width and prev[-1].isalnum():
        return not is_upper_line(prev)
    return False


def build_lines(source: str) -> list[Line]:
    physical = _physical_lines(source)
    width = _wrap_width(physical)
    lines: list[Line] = []
    open_body: Line | None = None
    for p in physical:
        if p.kind == "body" and open_body is not None and _joins(open_body.text, p.text, width):
            open_body.pos.append(open_body.pos[-1] + 1)
            open_body.text += " " + p.text
            open_body.pos.extend(p.pos)
            continue
        line = Line(index=len(lines), text=p.text, folded="", pos=list(p.pos), kind=p.kind)
        lines.append(line)
        if p.kind == "body":
            open_body = line
        elif p.kind == "table":
            open_body = None
    for line in lines:
        line.folded = fold(line.text)
        m = MARKER.match(line.text) if line.kind == "body" else None
        if m is None and line.kind == "body" and is_upper_line(line.text):
            m = _ROMAN_NO_DOT.match(line.text)  # "II MỘT SỐ MỤC TIÊU": OCR lost the dot
        if m:
            line.marker = m.group().strip()
            line.body_start = m.end()
    return lines


# --- sections and year headings -------------------------------------------------

ZONE_KEYWORDS: list[tuple[str, str]] = [
    (r"muc dich|yeu cau", "purpose"),
    (r"thuc trang|ket qua|danh gia (?:ket qua|tinh hinh)|tinh hinh|boi canh", "situation"),
    (r"(mot so |cac )?(muc tieu|chi tieu)", "objectives"),
    # "Phạm vi, đối tượng" says whom the plan serves, not when it runs.
    (r"doi tuong|pham vi,?\s+(?:va\s+)?doi tuong", "subjects"),
    (r"thoi gian|pham vi", "time"),
    (r"(cac )?(nhiem vu|giai phap|noi dung|hoat dong|cac hoat dong)", "tasks"),
    (r"(nguon )?kinh phi|nguon (von|luc) (thuc hien|trien khai)", "funding"),
    (r"to chuc thuc hien|trach nhiem|phan cong|che do (thong tin,? )?bao cao|khen thuong|thi dua", "organisation"),
    (r"noi nhan", "recipients"),
    (r"phu luc|bieu", "appendix"),
]
_ZONE_RES = [(re.compile(rf"^(?:{pat})\b"), zone) for pat, zone in ZONE_KEYWORDS]

_PHASE_SPAN = re.compile(
    r"giai doan\s*(?:i{1,3}|[12])?\s*\(?\s*(?:tu\s+)?(?:nam\s+)?(\d{4})\s*(?:-|–|den)\s*(?:nam\s+)?(\d{4})"
)
# (pattern, year group, cumulative); first match wins.
_YEAR_PHRASES = [
    (_PHASE_SPAN, 2, True),
    (re.compile(r"(?:den|toi)\s+(?:het\s+)?(?:nam\s+)?(\d{4})"), 1, True),
    (re.compile(r"(?:^|[^\w])nam\s+(\d{4})"), 1, False),
    (re.compile(r"^\(?(\d{4})\s*[-–]\s*(\d{4})\)?"), 2, True),
    (re.compile(r"^(\d{4})\b"), 1, False),
]
EVERY_YEAR = re.compile(r"\b(?:hang|moi) nam\b")


def year_phrase(folded: str) -> tuple[int | None, bool] | None:
    """(year, cumulative) of the first year phrase in ``folded``."""
    best = None
    for pattern, group, cumulative in _YEAR_PHRASES:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), int(m.group(group)), cumulative)
    if best:
        return best[1], best[2]
    return None


def _is_heading(line: Line) -> bool:
    if line.kind != "body":
        return False
    content = line.content.strip()
    if not content or len(content) > 220:
        return False
    if line.marker and line.marker not in "-+•*–—·":
        return True
    if is_upper_line(content) and len(content) <= 200:
        return True
    return len(content) <= 80 and content[-1] not in ".;,"


def _words(text: str) -> set[str]:
    return set(text.split())


# Words a year heading may carry besides its year phrase ("Mục tiêu cụ thể
# của tỉnh đến năm 2025:"); anything else means a sentence, not a heading.
_YEAR_HEADING_WORDS = _words(
    "muc tieu chi cu the chung tong quat cua toan tinh huyen xa thanh pho phuong thi tran "
    "ke hoach nhiem vu noi dung trong tam den toi het nam giai doan i ii tu va dinh huong "
    "ket qua can dat hoat dong phan dau cac so hang moi nay truoc mat tiep theo bo sung dieu chinh"
)


def _year_heading(line: Line) -> tuple[int | None, bool] | None:
    content = line.folded_content.strip(" .:")
    # "giai đoạn 1 (2023 - 2025)": the phase's ordinal is not a figure.
    words = re.findall(r"[a-z]+|\d+", re.sub(r"\b(giai doan)\s+(?:[123]|i{1,3})\b", r"\1", content))
    if not words or len(words) > 16 or line.kind != "body":
        return None
    numbers = [w for w in words if w.isdigit()]
    if any(not (len(n) == 4 and n.startswith(("19", "20"))) for n in numbers):
        return None
    if not numbers:
        if EVERY_YEAR.search(content) and len(words) <= 6:
            return (None, False)
        return None
    # "Đến hết năm 2027, các cấp Hội phấn đấu:": a year phrase opening a line that
    # announces a list is a heading whatever words follow it.
    announces = line.content.rstrip().endswith(":") and len(words) <= 20 and _OPENING_YEAR.match(content)
    if not announces and any(w not in _YEAR_HEADING_WORDS for w in words if not w.isdigit()):
        return None
    return year_phrase(content)


_OPENING_YEAR = re.compile(r"(?:muc tieu |chi tieu )?(?:cu the )?(?:den|toi|trong|giai doan|nam)\b")


def heading_rank(marker: str) -> int:
    """How high a numbered heading stands: I. (1) above 1. (2) above 1.1. (3) above a) (5); bullets 9."""
    marker = marker.strip()
    if not marker or marker[0] in "-+•*–—·":
        return 9
    if re.match(r"(?:Điều|Dieu|ĐIỀU)\b|[IVXL]{1,5}[.)]|[A-ZĐ][.)]", marker):
        return 1
    if re.match(r"\d", marker):
        return 1 + len(re.findall(r"\d+", marker))
    return 5


def assign_sections(lines: list[Line]) -> None:
    """Set ``zone``, ``heading`` and ``year_ctx`` on every line, in order."""
    zone: str | None = None
    year: tuple[int | None, bool] | None = None
    in_block = False
    year_rank = 10
    for line in lines:
        if line.kind == "body" and _is_heading(line):
            content = line.folded_content.strip(" .:*")
            for pattern, new_zone in _ZONE_RES:
                if pattern.match(content) and (len(content) <= 120 or line.marker):
                    zone = new_zone
                    year, in_block = None, False
                    line.heading = True
                    break
        heading_year = _year_heading(line) if line.kind == "body" else None
        if heading_year is None and line.heading:
            heading_year = _section_horizon(line)
        if heading_year is not None:
            year, in_block = heading_year, True
            year_rank = heading_rank(line.marker) if line.marker else 10
            line.heading = True
        elif year is not None and _ends_year_scope(line, year_rank):
            year, in_block = None, False
        line.zone = zone
        line.year_ctx = year
        line.in_year_block = in_block


# "III. CHỈ TIÊU PHỐI HỢP ĐẾN NĂM 2030", "II. CÁC CHỈ TIÊU CHỦ YẾU GIAI ĐOẠN 2026 - 2028": a section's horizon.
_TRAILING_HORIZON = re.compile(
    r"(?:(?:den|toi)\s+(?:het\s+)?(?:nam\s+)?\d{4}|giai doan\s*(?:tu\s+)?(?:nam\s+)?\d{4}\s*(?:-|–|den)\s*"
    r"(?:nam\s+)?\d{4})\s*\)?$"
)


def _section_horizon(line: Line) -> tuple[int | None, bool] | None:
    """The year a section heading ending in a horizon sets for the items below it, whatever its other words."""
    m = _TRAILING_HORIZON.search(line.folded_content.strip(" .:*"))
    return year_phrase(m.group()) if m else None


def _ends_year_scope(line: Line, rank: int) -> bool:
    """A numbered heading of the same or a higher rank than the year heading ends its scope
    ("c) Về đào tạo nghề" after "b) Giai đoạn 2026 - 2030"); a numbered item with figures does not."""
    if line.kind != "body" or not line.marker or heading_rank(line.marker) > min(rank, 8):
        return False
    return _is_heading(line) and not re.search(r"\d", line.content)


@dataclass
class Document:
    source: str
    lines: list[Line] = field(default_factory=list)

    @classmethod
    def parse(cls, source: str) -> Document:
        doc = cls(source=source, lines=build_lines(source))
        assign_sections(doc.lines)
        return doc


_INLINE_YEARS = [
    (_PHASE_SPAN, 2, True),
    (re.compile(r"\b(?:den|toi)\s+(?:het\s+)?(?:nam\s+)?(\d{4})\b"), 1, True),
    (re.compile(r"\b(?:trong\s+|vao\s+)?nam\s+(\d{4})\b"), 1, False),
]


# "so với năm 2023" names a base year and "từ năm 2024" a start, not a target's year.
_NOT_TARGET_YEAR = re.compile(r"\b(?:so voi|tu|ke tu|truoc|sau)\s*(?:cung ky\s*)?$")


def inline_years(folded: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, int, bool]]:
    """Year phrases in folded[start:end] as (start, end, year, cumulative), in order."""
    end = len(folded) if end is None else end
    found: list[tuple[int, int, int, bool]] = []
    for pattern, group, cumulative in _INLINE_YEARS:
        for m in pattern.finditer(folded, start, end):
            if any(a <= m.start() < b or a < m.end() <= b for a, b, _, _ in found):
                continue
            if _NOT_TARGET_YEAR.search(folded, max(0, m.start() - 14), m.start()):
                continue
            found.append((m.start(), m.end(), int(m.group(group)), cumulative))
    return sorted(found)
