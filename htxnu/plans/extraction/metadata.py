"""Document fields: type, number, date, issuer, unit and the documents it rests on.

Header.  The header is the text before the plan's title ("KẾ HOẠCH").  Its
"Số: 294 /KH-UBND" gives the number (spaces dropped) and "<Place>, ngày 06
tháng 7 năm 2023" the date, whether the header is one column, a table row or
a PDF line running both columns together.  A plan without a number keeps
``number: null``; when its text cites itself ("Kế hoạch số 81/KH-BTV ngày
25/7/2023 của Ban thường vụ Hội LHPN tỉnh về thực hiện Đề án …"), that
citation is offered as ``document.inferred`` and a warning, never as the
number.

Issuer and unit.  The issuing body comes from the sentence that issues the
plan ("Ủy ban nhân dân tỉnh Lào Cai ban hành Kế hoạch", "Ban thường vụ Hội
LHPN tỉnh xây dựng Kế hoạch"), else the signature ("TM. BAN THƯỜNG VỤ"), the
header ("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"; of two bodies run together, "HỘI LHPN
VIỆT NAM HỘI LHPN THÀNH PHỐ CẦN THƠ", the last, the parent being named first) or the number's suffix (-UBND,
-BTV, -HPN; "-BTV" also names the Standing Committee when nothing above did).
A name in the header ends where the right column of a two-column header, run
into the same line, begins: "Số: …", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
"Độc lập - Tự do - Hạnh phúc", or the place-and-date line, written in
ordinary case after a name in capitals; the left column, cut so on each line,
is also read down as one line ("ỦY BAN NHÂN DÂN … CỘNG HÒA …" over "HUYỆN
BẮC HÀ … Độc lập …" names UBND huyện Bắc Hà).  The level comes from the same places or from the title's scope
("trên địa bàn huyện Vĩnh Thuận"); the name from the issuing sentence, the
header, the title, or — for a province — the province named most often.
A "thành phố" is a province-level unit only for the centrally-run cities.
A Union body named with "Việt Nam" and no place ("Đoàn Chủ tịch Hội LHPN
Việt Nam", "TRUNG ƯƠNG HỘI LHPN VIỆT NAM" over "BAN THƯỜNG VỤ") is the Central
Union: the unit is the country.  A party committee issues too: "ĐẢNG ỦY XÃ
PHÚ ĐÌNH" under "ĐẢNG BỘ TỈNH …" (signed "T/M ĐẢNG ỦY"), "TỈNH ỦY HÀ TĨNH",
"HUYỆN ỦY …", "THÀNH ỦY …", their Standing Committees ("Ban Thường vụ Tỉnh
ủy", or the signature "T/M BAN THƯỜNG VỤ" under a party header) and "Ban
Chấp hành Đảng bộ xã …"; the level is the committee's (Tỉnh ủy → province,
Huyện ủy → district, Thành ủy → a district unless a centrally-run city,
Đảng ủy xã/phường → commune).  "T/M BAN THƯỜNG VỤ" names the body only: the
organ, Union or party, is the header's.
A joint document ("Chương trình phối hợp", "… liên tịch", "hai bên thống
nhất ban hành") is issued by all its bodies, joined by "và" in the order
named: those joined in its issuing sentence, else the two columns of its
header ("Hội LHPN tỉnh Đồng Tháp và Liên minh HTX tỉnh Đồng Tháp"; a body
named without its place takes the unit's).  A body working "with" another
("phối hợp với Liên minh HTX tỉnh xây dựng Kế hoạch") issues alone.
The issuer is written in the short official form: "UBND tỉnh Lào Cai", "Ban
Thường vụ Hội LHPN tỉnh Nam Định", with the level word spelt as in the text
(a plan typed without diacritics gives "UBND xa Tan Lap").  The unit's province is the province
named most often in the text, else the one province of all the districts it
names ("Hội LHPN quận Hải Châu" → Đà Nẵng; "huyện Châu Thành", in ten
provinces, alone gives none), from the districts before 1 July 2025
(``geo.sources.old_district_provinces``).

Basis.  Every cited legal document number ("01/QĐ-TTg", "235/KH – ĐCT",
"09/2019/NĐ-CP") with the date that follows it, anywhere in the text
(footnotes included), except the plan itself.
"""
from __future__ import annotations

import re
from collections import Counter

from htxnu.geo.sources import old_district_provinces
from htxnu.text import name_key

from .structure import Line, is_upper_line
from .text import DATE_RE, SHORT_DATE_RE, fold, iso_date, sentence_spans, without_titles
from .vocab import CENTRAL_CITIES, LEVEL_RE, LEVEL_WORDS, PROVINCES

_TYPES = {
    "ke hoach": "KH", "chuong trinh": "CTr", "giay moi": "GM", "thong bao": "TB", "bao cao": "BC",
    "quyet dinh": "QĐ", "cong van": "CV", "to trinh": "TTr", "nghi quyet": "NQ", "huong dan": "HD",
    "chi thi": "CT", "de an": "ĐA", "cong dien": "CĐ", "thu moi": "GM",
}
# "CHƯƠNG TRÌNH PHỐI HỢP", "KẾ HOẠCH LIÊN TỊCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG": the type, qualified; the title is below.
_TYPE_LINE = re.compile(r"^({})\b(?:\s+(?:phoi hop|lien tich|hanh dong|cong tac)\b)?".format("|".join(_TYPES)))
_NUMBER_HEADER = re.compile(
    r"(?:(?:^|\||\s)so\s*:\s*|(?:^|\|)\s*so\s+(?=\d))(\d+[a-z]?\s*(?:/\s*\d{4}\s*)?[/-]\s*[a-z]{1,6}(?:\s*[-–/]\s*[a-z0-9]{1,10})*)"
)
# "01/QĐ-TTg", "235/KH – ĐCT", "09/2019/NĐ-CP", "17/2023/QH15", "08-CTr/HU".
DOC_NUMBER = re.compile(
    r"(?<![\w/])(\d{1,5}(?:/\d{4})?\s*/\s*[a-z]{1,6}(?:\s*[-–]\s*[a-z0-9]{1,10}){1,3}"
    r"|\d{1,5}/\d{4}/[a-z]{1,6}\d{0,3}"
    r"|\d{1,5}-[a-z]{1,5}/[a-z]{1,6}(?:-?[a-z0-9]{1,8})?)(?![\w/])"
)
_ISSUE_VERB = re.compile(r"\b(?:ban hanh|xay dung|trien khai|thong qua)\s+(?:ke hoach|chuong trinh)\b")
_ORGANS = [
    ("ubnd", re.compile(r"(?:uy ban nhan dan|ubnd)(?!\s+mat tran)")),
    ("union", re.compile(
        r"(?:(ban thuong vu|ban chap hanh|thuong truc|doan chu tich)\s+(?:trung uong\s+|tw\s+)?"
        r"(?:hoi lhpn|hoi lien hiep phu nu|hoi phu nu|hoi)|hoi lhpn|hoi lien hiep phu nu|hoi phu nu)(?=\s|$)"
    )),
    # A party committee: "ĐẢNG ỦY XÃ PHÚ ĐÌNH" under "ĐẢNG BỘ TỈNH …" (its parent), "TỈNH ỦY HÀ TĨNH",
    # "Ban Thường vụ Huyện ủy", "Ban Chấp hành Đảng bộ xã …".
    ("party", re.compile(
        r"(?:(?:ban thuong vu|ban chap hanh|thuong truc)\s+)?(?:tinh|thanh|huyen|thi|quan|dang) uy(?=\s|$)"
        r"|ban chap hanh dang bo(?=\s)"
    )),
]
# A committee named after its level ("Tỉnh ủy Hà Tĩnh", "Thành ủy Vinh"): the level word its name omits.
_COMMITTEE_LEVELS = {"tinh uy": "tinh", "thanh uy": "thanh pho", "huyen uy": "huyen", "thi uy": "thi xa",
                     "quan uy": "quan"}
_COMMITTEES = {"tinh uy": "Tỉnh ủy", "thanh uy": "Thành ủy", "huyen uy": "Huyện ủy", "thi uy": "Thị ủy",
               "quan uy": "Quận ủy", "dang uy": "Đảng ủy", "dang bo": "Đảng bộ"}
_BODY_NAMES = {"ban thuong vu": "Ban Thường vụ", "ban chap hanh": "Ban Chấp hành", "thuong truc": "Thường trực",
               "doan chu tich": "Đoàn Chủ tịch"}
_SIGNATURE = re.compile(
    r"^t/?m\.?\s*(uy ban nhan dan|ban thuong vu|ban chap hanh|doan chu tich|thuong truc"
    r"|(?:tinh|thanh|huyen|thi|quan|dang) uy)(?=\s|$)")
_LEVEL_AT = re.compile(rf"\s*({LEVEL_RE})(?=\s|$)")
_PROVINCE_NAMES = sorted((re.sub(r"[\s\-–]+", r"[\\s\\-–]+", fold(p)) for p in PROVINCES), key=len, reverse=True)
_PROVINCE_AT = re.compile(r"\s+({})\b".format("|".join(_PROVINCE_NAMES)))
_PROVINCE_RE = re.compile(r"\b(?:tinh|thanh pho|tp\.?)\s+({})\b".format("|".join(_PROVINCE_NAMES)))
_VERB_STARTS = {"thuc hien", "can cu", "trien khai", "ban hanh", "xay dung"}
_NAME_STOP = {"nam", "giai", "doan", "den", "tu", "ve", "theo", "trong", "tai", "cua", "va", "voi", "ban", "hanh",
              "ke", "hoach", "thuc", "hien", "trien", "khai", "xay", "dung", "tinh", "huyen", "xa", "so", "ngay",
              "cong", "doc", "hoi", "uy", "ubnd"}


def header_lines(lines: list[Line]) -> tuple[list[Line], int | None]:
    """Lines before the first section heading, and the index of the type line."""
    head: list[Line] = []
    type_index = None
    for line in lines:
        if line.zone is not None or len(head) > 40:
            break
        head.append(line)
        content = line.folded_content.strip(" .:")
        if type_index is None and line.kind == "body" and _TYPE_LINE.match(content) and len(content) <= 40:
            type_index = len(head) - 1
    return head, type_index


def document_type(lines: list[Line]) -> tuple[str | None, Line | None]:
    head, idx = header_lines(lines)
    if idx is None:
        return None, None
    content = head[idx].folded_content.strip(" .:")
    return _TYPES[_TYPE_LINE.match(content).group(1)], head[idx]


def title_line(lines: list[Line]) -> Line | None:
    head, idx = header_lines(lines)
    if idx is None:
        return None
    type_line = head[idx]
    rest = type_line.folded_content.strip(" .:")
    if len(_TYPE_LINE.match(rest).group()) < len(rest) - 3:
        return type_line
    for line in head[idx + 1:]:
        if line.kind == "body":
            return line
    return None


def document_number(lines: list[Line]) -> tuple[str | None, dict | None]:
    """The "Số: …" of the header, which comes before the title (or in the first lines)."""
    head, type_idx = header_lines(lines)
    for line in head[:type_idx if type_idx is not None else 8]:
        m = _NUMBER_HEADER.search(line.folded)
        if m:
            return normalise_number(line.text[m.start(1):m.end(1)]), line.evidence(m.start(), m.end())
    return None, None


def normalise_number(raw: str) -> str:
    return re.sub(r"\s+", "", raw.replace("–", "-").replace("—", "-"))


def document_date(lines: list[Line]) -> tuple[str | None, str | None, dict | None]:
    """(iso date, place, evidence) from the header's "<Place>, ngày …" line.

    The place is the run of capitalised words right before the comma (with a
    level word such as "Thành phố" in front of it), so the date is found
    whether the header is one column, a table row or a PDF line that runs
    "Số: 12/KH-UBND Quảng Ngãi, ngày …" together.
    """
    head, type_idx = header_lines(lines)
    for line in head[: (type_idx + 1) if type_idx is not None else 15]:
        for m in _DATE_AFTER_PLACE.finditer(line.folded):
            iso = iso_date(m.group(1), m.group(2), m.group(3))
            place_start = _place_start(line, m.start())
            if iso and place_start is not None:
                return iso, line.text[place_start:m.start()].strip(), line.evidence(place_start, m.end())
    return None, None, None


_DATE_AFTER_PLACE = re.compile(r",\s*ngay\s*(\d{1,2})\s*(?:thang|/|-|\.)\s*(\d{1,2})\s*(?:nam|/|-|\.)\s*(\d{4})")
_LEVEL_PREFIX = re.compile(rf"(?:^|\s)({LEVEL_RE})\s+$")


def _place_start(line: Line, comma: int) -> int | None:
    words = list(re.finditer(r"[^\s|]+", line.text[:comma]))
    start = None
    for w in reversed(words):
        if not w.group()[0].isupper() or re.search(r"[\d/:;]", w.group()) or len(words) - words.index(w) > 5:
            break
        start = w.start()
    if start is None:
        return None
    prefix = _LEVEL_PREFIX.search(line.folded[:start])
    return prefix.start(1) if prefix else start


# --- places ------------------------------------------------------------------------


def left_column(head: list[Line]) -> Line | None:
    """The header's left column read down ("ỦY BAN NHÂN DÂN" then "HUYỆN BẮC HÀ") as one line, when a right
    column ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", the place and date) runs
    beside it on the same lines; None when no line has one.  It ends at the number or a line not in capitals."""
    texts: list[str] = []
    pos: list[int] = []
    cut_any = False
    for line in head:
        if line.kind == "footnote" or _NUMBER_START.match(line.folded):
            break
        m = _RIGHT_COLUMN_AT.search(line.folded)
        cut = m.start() if m else len(line.text)
        words = list(re.finditer(r"\S+", line.text[:cut]))
        for i, w in enumerate(words[1:], start=1):
            if not w.group().isupper() and all(x.group().isupper() for x in words[:i]):
                cut = w.start()
                break
        part = line.text[:cut].rstrip()
        if not part or not is_upper_line(part):
            break
        cut_any = cut_any or len(part) < len(line.text)
        if texts:
            texts.append(" ")
            pos.append(pos[-1] + 1)
        texts.append(part)
        pos.extend(line.pos[:len(part)])
    if not cut_any:
        return None
    text = "".join(texts)
    return Line(index=-1, text=text, folded=fold(text), pos=pos, kind="body")


_NUMBER_START = re.compile(r"so\s*[:\d]")
_RIGHT_COLUMN_AT = re.compile(r"\s+\|\s+|\s+(?=cong hoa\b|doc lap\b|dang cong san\b|so\s*:|so\s+\d)")
_RIGHT_COLUMN = re.compile(r"(?:so\s*:|so\s+\d|cong hoa\b|doc lap\b|dang cong san\b)")


def _name_after(line: Line, at: int) -> tuple[str | None, int]:
    """Capitalised name starting at ``at`` ("Vĩnh Thuận", "QUẢNG NGÃI" → "Quảng Ngãi")."""
    words: list[str] = []
    end = at
    tokens = list(re.finditer(r"\S+", line.text[at:at + 80]))
    for i, m in enumerate(tokens):
        word = m.group()
        core = word.strip(",.;:()“”\"|")
        if not core or not core[0].isupper():
            break
        # A header laid out in two columns and run together: the right column ("Số: 12/KH-BTV",
        # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", the place-and-date
        # line in ordinary case after a name in capitals) is not part of the name.
        if words and (_RIGHT_COLUMN.match(fold(line.text[at + m.start():at + m.start() + 12]))
                      or (all(w.isupper() for w in words) and not core.isupper())):
            break
        following = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if fold(f"{core} {following}") in _VERB_STARTS:
            break
        # In upper-case headers only a stop-list tells a name from the next words.
        stop = core.isupper() and len(core) > 1 and fold(core) in _NAME_STOP
        if stop and (fold(core) != "nam" or following[:4].isdigit()):
            break
        words.append(core)
        end = at + m.start() + len(word.rstrip(",.;:()“”\"|"))
        if core != word.rstrip("”\"") or len(words) == 4:
            break
    if not words:
        return None, at
    name = " ".join(words)
    if name.isupper():
        name = name.title()
    return name, end


def place_at(line: Line, at: int) -> tuple[str, str | None, str] | None:
    """(level word folded, name, level word as written) for e.g. "huyện Vĩnh Thuận" at ``at``."""
    m = _LEVEL_AT.match(line.folded, at)
    if not m:
        return None
    word = m.group(1).rstrip(".")
    shown = line.text[m.start(1):m.end(1)].lower()
    if word == "tp":
        word, shown = "thanh pho", "thành phố"
    name, _ = _name_after(line, m.end())
    if word in ("tinh", "thanh pho") and name:
        pm = _PROVINCE_RE.match(line.folded, m.start(1))
        if pm:
            name = line.text[pm.start(1):pm.end(1)]
            if name.isupper():
                name = name.title()
    return word, name, shown


def _body_of(kind: str, m: re.Match) -> str | None:
    """The body an organ's match names: a Union's committee ("ban thuong vu"), a party's in full."""
    if kind == "union":
        return m.group(1)
    return m.group() if kind == "party" else None


def organ_place(kind: str, line: Line, m: re.Match) -> tuple[str, str | None, str] | None:
    """The place of the body matched by ``m``: "huyện Vĩnh Thuận" after it, or for a committee named after
    its level ("TỈNH ỦY HÀ TĨNH", "Huyện ủy Quỳnh Lưu") that level and the name after it."""
    level = _COMMITTEE_LEVELS.get(_committee(m.group())) if kind == "party" else None
    if level is None:
        return place_at(line, m.end())
    province = _PROVINCE_AT.match(line.folded, m.end()) if level in ("tinh", "thanh pho") else None
    if province:
        name = line.text[province.start(1):province.end(1)]
        name = name.title() if name.isupper() else name
    else:
        name, _ = _name_after(line, m.end())
    return level, name, LEVEL_WORDS[level][1].lower()


def _committee(body: str | None) -> str:
    """"ban thuong vu tinh uy" → "tinh uy"; "ban chap hanh dang bo" → "dang bo"."""
    m = re.search(r"(?:tinh|thanh|huyen|thi|quan|dang) (?:uy|bo)$", body or "")
    return m.group() if m else "dang uy"


def level_of(word: str, name: str | None) -> str:
    if word == "thanh pho" and name and fold(name) in CENTRAL_CITIES:
        return "province"
    return LEVEL_WORDS[word][0]


def provinces_named(lines: list[Line]) -> Counter:
    """Provinces named as such: "tỉnh X", or "thành phố X" for a centrally-run city."""
    counts: Counter = Counter()
    spelling: dict[str, str] = {}
    for line in lines:
        for m in _PROVINCE_RE.finditer(line.folded):
            if not line.folded.startswith("tinh", m.start()) and m.group(1) not in CENTRAL_CITIES:
                continue
            key = re.sub(r"[^a-z]", "", m.group(1))
            counts[key] += 1
            shown = line.text[m.start(1):m.end(1)]
            spelling.setdefault(key, shown.title() if shown.isupper() else shown)
    return Counter({spelling[k]: n for k, n in counts.items()})


_DISTRICT_AT = re.compile(r"(?:^|[^\w])(quan|huyen|thi xa|thanh pho|tp\.?)\s")


def province_of_districts(lines: list[Line]) -> str | None:
    """The province of the districts a text names ("Hội LHPN quận Hải Châu") when it names no
    province: the one province all of them lie in (districts before 1 July 2025), else None."""
    table = old_district_provinces()
    common: frozenset[str] | None = None
    for line in lines:
        for m in _DISTRICT_AT.finditer(line.folded):
            found = place_at(line, m.start(1))
            if not found or not found[1] or level_of(found[0], found[1]) != "district":
                continue
            provinces = table.get((name_key(LEVEL_WORDS[found[0]][1]), name_key(found[1])))
            if provinces:
                common = provinces if common is None else common & provinces
    return next(iter(common)) if common and len(common) == 1 else None


def issuing_sentence(lines: list[Line]) -> tuple[Line, int, int] | None:
    """The preamble line that issues the plan ("UBND … ban hành Kế hoạch …"): (line, where to look
    for the body, where the verb starts)."""
    for line in lines:
        if line.zone is not None:
            break
        if line.kind != "body":
            continue
        for m in _ISSUE_VERB.finditer(line.folded):
            return line, max(0, m.start() - 120), m.start()
    return None


# A programme two bodies issue together: the Women's Union and the Cooperative Alliance, say.
_PARTIES = [*_ORGANS, ("alliance", re.compile(r"lien minh (?:hop tac xa|htx)(?=\s|$)"))]
_JOINT_CUE = re.compile(r"\b(?:hai|cac) ben\b|thong nhat ban hanh|\blien tich\b")
_JOINT_TYPE = re.compile(r"\b(?:phoi hop|lien tich)\b")


_JOINED = re.compile(r"[^,;.()]{0,40}(?:\bva|,)\s*")


def _parties_in(line: Line, start: int, end: int, joined: bool = True) -> list[tuple[str, str | None, tuple | None]]:
    """The bodies named between ``start`` and ``end``, in order: (organ, union body, place); with ``joined``,
    only those named together last ("Hội LHPN tỉnh và Liên minh HTX tỉnh Đồng Tháp")."""
    found: list[tuple[int, int, str, str | None, tuple | None]] = []
    for m in sorted((m.start(), m.end(), kind, _body_of(kind, m), organ_place(kind, line, m))
                    for kind, pattern in _PARTIES for m in pattern.finditer(line.folded, start, end)):
        if not found or m[0] >= found[-1][1]:
            found.append(m)
    run = found[-1:] if joined else found
    for prev in reversed(found[:-1] if joined else []):
        if not _JOINED.fullmatch(line.folded, prev[1], run[0][0]):
            break
        run.insert(0, prev)
    return [(kind, body, place) for _, _, kind, body, place in run]


def _joint_parties(lines: list[Line], issuing: tuple[Line, int, int] | None,
                   header: list[Line]) -> tuple[list[tuple[str, str | None, tuple | None]], dict] | None:
    """The bodies of a joint document, in the order named, and where they are named; None for one body.

    A document is joint when its type says so ("Chương trình phối hợp", "… liên tịch") or its text
    does ("hai bên", "các bên", "thống nhất ban hành"); its bodies are those joined by "và" in the
    sentence issuing it ("Hội LHPN tỉnh và Liên minh HTX tỉnh … thống nhất ban hành Chương trình"),
    else the two columns of its header ("HỘI LIÊN HIỆP PHỤ NỮ … LIÊN MINH HỢP TÁC XÃ").  One body
    working "with" another ("phối hợp với") issues the plan alone.
    """
    _, type_line = document_type(lines)
    joint = (type_line is not None and _JOINT_TYPE.search(type_line.folded)) or any(
        line.kind == "body" and _JOINT_CUE.search(line.folded) for line in lines if line.zone != "recipients")
    if not joint:
        return None
    if issuing:
        line, _, verb = issuing
        # From the start of the sentence, or of its clause: "Căn cứ …; Hội LHPN tỉnh và …" run together.
        a = next((x for x, y in sentence_spans(line.text) if x <= verb < y), 0)
        a = max(a, line.folded.rfind(";", 0, verb) + 1)
        parties = _parties_in(line, a, verb)
        if len({p[0] for p in parties}) >= 2:
            return parties, line.evidence(a, verb)
    for line in header:
        parties = _parties_in(line, 0, len(line.folded), joined=False)
        if len({p[0] for p in parties}) >= 2:
            return parties, line.evidence()
    return None


def _issuer_name(organ: str, body: str | None, where: str, name: str | None = None) -> str:
    if organ == "ubnd":
        return f"UBND {where}"
    if organ == "party":
        # "Ban Thường vụ Tỉnh ủy Hà Tĩnh", "Huyện ủy Quỳnh Lưu", "Ban Chấp hành Đảng bộ xã Hương Sơn".
        committee = _committee(body)
        prefix = next((f"{shown} " for b, shown in _BODY_NAMES.items() if (body or "").startswith(b)), "")
        if committee in _COMMITTEE_LEVELS:
            return f"{prefix}{_COMMITTEES[committee]} {name}" if name else f"{prefix}{_COMMITTEES[committee]}"
        return f"{prefix}{_COMMITTEES[committee]} {where}"
    if organ == "alliance":
        return f"Liên minh HTX {where}"
    return f"{_BODY_NAMES[body]} Hội LHPN {where}" if body else f"Hội LHPN {where}"


_CENTRAL_UNION = re.compile(
    r"(?:trung uong|tw)\s+hoi (?:lhpn|lien hiep phu nu)"
    r"|hoi (?:lhpn|lien hiep phu nu) viet nam(?!\s+(?:" + LEVEL_RE + r")\b)"
)


def _central_union(header: list[Line], issuing: tuple[Line, int, int] | None) -> bool:
    """The issuing sentence or the header names the Union of the whole country, and no body of a place."""
    if issuing and _CENTRAL_UNION.search(issuing[0].folded, issuing[1], issuing[2] + 40):
        return True
    return any(_CENTRAL_UNION.search(line.folded) for line in header)


def issuer_and_unit(lines: list[Line], number: str | None, place: str | None) -> tuple[dict, str | None, dict | None]:
    """Return (unit, issuer, evidence) following the rules in the module docstring."""
    organ = body = level_word = name = shown = None
    evidence = None

    def take(found: tuple[str, str | None, str] | None, overwrite_name: bool = True) -> None:
        nonlocal level_word, name, shown
        if found is None:
            return
        if level_word is None or level_word == found[0]:
            level_word, shown = found[0], shown or found[2]
            if found[1] and (overwrite_name or name is None):
                name = name or found[1]

    issuing = issuing_sentence(lines)
    if issuing:
        line, start, end = issuing
        best = None
        for kind, pattern in _ORGANS:
            for m in pattern.finditer(line.folded, start, end):
                if best is None or m.start() > best[1].start():
                    best = (kind, m)
        if best:
            kind, m = best
            organ, body = kind, _body_of(kind, m)
            take(organ_place(kind, line, m))
            evidence = line.evidence(m.start(), end + len("ban hanh ke hoach"))
    # The signature: "TM. ỦY BAN NHÂN DÂN", "T/M HUYỆN ỦY" name the organ; "T/M BAN THƯỜNG VỤ" only the
    # body, of the Union or of the party committee the header names.
    signed = None
    for line in lines:
        sig = _SIGNATURE.match(line.folded)
        if not sig:
            continue
        if sig.group(1) == "uy ban nhan dan" or sig.group(1).endswith(" uy"):
            if organ is None:
                organ = "ubnd" if sig.group(1) == "uy ban nhan dan" else "party"
                body = sig.group(1) if organ == "party" else None
        elif signed is None:
            signed = sig.group(1)
    head, type_idx = header_lines(lines)
    header = head[: type_idx if type_idx is not None else 10]
    left = left_column(header)
    for line in ([left] if left else []) + header:
        for kind, pattern in _ORGANS:
            # "HỘI LHPN VIỆT NAM / HỘI LHPN THÀNH PHỐ CẦN THƠ" run together: the body
            # named last (lowest) is the issuer, the one above it its parent.
            matches = list(pattern.finditer(line.folded))
            if not matches:
                continue
            placed = [(m, found) for m in reversed(matches) if (found := organ_place(kind, line, m)) and found[1]]
            if organ is None:
                m = placed[0][0] if placed else matches[-1]
                organ, body = kind, _body_of(kind, m)
            if organ == kind and placed:
                take(placed[0][1], overwrite_name=False)
            break
    if signed and organ in (None, "union") and body is None:
        organ, body = "union", signed
    elif signed and organ == "party" and body in _COMMITTEES and signed in ("ban thuong vu", "ban chap hanh"):
        body = f"{signed} {body}"
    suffix = fold(number.split("-")[-1]) if number and "-" in number else ""
    if organ is None and suffix == "ubnd":
        organ = "ubnd"
    elif organ in (None, "union") and body is None and suffix in ("btv", "hpn", "hlhpn", "lhpn", "bch", "dct"):
        # "Số: 12/KH-BTV" names the Standing Committee when no line above did.
        organ, body = "union", {"btv": "ban thuong vu", "bch": "ban chap hanh", "dct": "doan chu tich"}.get(suffix)
    title = title_line(lines)
    if title is not None:
        scoped = without_titles(title.folded)
        for m in re.finditer(rf"(?:tren dia ban|tai|cua|o)\s+({LEVEL_RE})\s", scoped):
            found = place_at(title, m.start(1))
            if found and found[1] and level_word in (None, found[0]):
                take(found, overwrite_name=False)
                break
    if level_word is None and place:
        pm = _LEVEL_AT.match(fold(place))
        if pm:
            level_word, shown = pm.group(1), place[pm.start(1):pm.end(1)].lower()
            name = name or place[pm.end():].strip()
    if level_word is None and organ == "union" and _central_union(header, issuing):
        # "Đoàn Chủ tịch Hội LHPN Việt Nam", "TRUNG ƯƠNG HỘI LHPN VIỆT NAM": the Central Union, for the country.
        return ({"level": "country", "name": "Việt Nam", "province": None},
                _issuer_name("union", body, "Việt Nam"), evidence)
    provinces = provinces_named(lines)
    top_province = provinces.most_common(1)[0][0] if provinces else None
    if level_word in ("tinh", None) and name is None and top_province:
        level_word, shown = level_word or "tinh", shown or "tỉnh"
        name = top_province
    unit = {"level": None, "name": None, "province": None}
    issuer = None
    if level_word:
        level = level_of(level_word, name)
        shown = shown or LEVEL_WORDS[level_word][1].lower()
        unit["level"] = level
        if level == "province":
            unit["name"] = unit["province"] = name
        else:
            unit["name"] = f"{shown[0].upper()}{shown[1:]} {name}" if name else None
            unit["province"] = top_province or province_of_districts(lines)
        where = f"{shown} {name}" if name else shown
        if organ:
            issuer = _issuer_name(organ, body, where, name)
        joint = _joint_parties(lines, issuing, header)
        if joint:
            names = []
            for party, party_body, at in joint[0]:
                # "Hội LHPN tỉnh và Liên minh HTX tỉnh Đồng Tháp": a body named without its place is the unit's.
                party_where = f"{at[2]} {at[1]}" if at and at[1] else where
                names.append(_issuer_name(party, party_body, party_where, at[1] if at and at[1] else name))
            issuer, evidence = " và ".join(names), joint[1]
    return unit, issuer, evidence


# --- basis -------------------------------------------------------------------------


_SHORT_DATE_AFTER = re.compile(r"\s*,?\s*(?:ngay\s*)?(\d{1,2})/(\d{1,2})/(\d{4})")


def basis(lines: list[Line], own: set[str]) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set(own)
    for line in lines:
        if line.zone == "recipients" and line.kind != "footnote":
            continue
        for m in DOC_NUMBER.finditer(line.folded):
            number = normalise_number(line.text[m.start(1):m.end(1)])
            key = fold(number)
            if key in seen or not re.search(r"[a-z]{2}", key):
                continue
            seen.add(key)
            after = line.folded[m.end():m.end() + 40]
            date = None
            dm = DATE_RE.match(after.lstrip(" ,:")) or _SHORT_DATE_AFTER.match(after)
            if dm:
                date = iso_date(*dm.groups())
            out.append({"number": number, "date": date, "evidence": line.evidence(*_sentence_around(line, m.start()))})
    return out


def _sentence_around(line: Line, at: int) -> tuple[int, int]:
    for a, b in sentence_spans(line.text):
        if a <= at < b:
            return a, b
    return 0, len(line.text)


def self_citation(lines: list[Line], issuer: str | None) -> dict | None:
    """A citation of this very plan by its issuing body (for plans without a number).

    "Kế hoạch số 81/KH-BTV ngày 25/7/2023 của Ban thường vụ Hội LHPN tỉnh …"
    cites the plan when the body after "của" is the issuer up to its level
    word ("ban thuong vu hoi lhpn tinh") and names no other place.
    """
    if not issuer:
        return None
    issuer_f = fold(issuer)
    level = re.search(rf"\b{LEVEL_RE}\b", issuer_f)
    if not level:
        return None
    body, name = issuer_f[:level.end()], issuer_f[level.end():].strip()
    for line in lines:
        for m in re.finditer(r"ke hoach\s+(?:so\s*:?\s*)?", line.folded):
            num = DOC_NUMBER.match(line.folded, m.end())
            if not num:
                continue
            after = line.folded[num.end():num.end() + 160]
            at = after.find(f"cua {body}")
            if at < 0 or at > 60:
                continue
            cut = num.end() + at + len(f"cua {body}")
            rest = line.folded[cut:].strip()
            named = line.text[cut:].strip()[:1]
            if named.isupper() and not rest.startswith(name):
                continue
            date = DATE_RE.search(after[:40]) or SHORT_DATE_RE.search(after[:40])
            return {
                "number": normalise_number(line.text[num.start(1):num.end(1)]),
                "date": iso_date(*date.groups()[-3:]) if date else None,
                "evidence": line.evidence(*_sentence_around(line, m.start())),
            }
    return None
