"""Text helpers every rule relies on: folding, numbers, sentences.

Folding.  Rules match on a *folded* copy of the text: lower case, diacritics
removed, "đ" written "d".  Folding maps one character to one character, so an
offset in the folded copy is the same offset in the original.  This makes the
rules indifferent to old and new tone placement ("hoà"/"hòa", "Uỷ"/"Ủy"), to
capitals ("TỔ CHỨC THỰC HIỆN") and to text typed without diacritics
("to hop tac").  Names and evidence are always cut from the original text.

Vietnamese number formats.  "03" is 3; "1.234" is 1234 (the dot groups
thousands); "1.234,5" and "12,5" use the comma as the decimal mark.  A number
glued to a letter ("thành lập1", a footnote mark), or touching "/" ("01/QĐ-TTg",
"03/01/2023", "15 LĐ/HTX" is handled by the unit rules) is never a value.

Sentences end at ".", "!", "?" or "…" followed by a capital, a bullet or an
opening quote, except after a short abbreviation ("TP.", "TM.", "KT.").
Clauses split a sentence at ";" outside parentheses, because plans put
"(Chủ tịch, thành viên HĐQT; Giám đốc, …)" inside a clause.

Quoted titles.  The name of the scheme, "Hỗ trợ hợp tác xã … đến năm 2030",
is quoted in nearly every sentence of a plan; its "năm 2030" must never set a
target year, so year rules run on a copy where quoted spans (up to 300
characters) and the bare scheme name are blanked out.
"""
from __future__ import annotations

import re
import unicodedata

_FOLD_CACHE: dict[str, str] = {}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(ch: str) -> str:
    out = _FOLD_CACHE.get(ch)
    if out is None:
        if ch in "đĐðÐ":
            out = "d"
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            low = base.lower()
            out = low if len(low) == 1 else base
        _FOLD_CACHE[ch] = out
    return out


def fold(text: str) -> str:
    """Lower-case, diacritic-free copy of ``text`` with the same length."""
    return "".join(map(_fold_char, text))


def blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by spaces, keeping every other offset."""
    return text[:start] + " " * (end - start) + text[end:]


def blank_matches(text: str, pattern: re.Pattern[str]) -> str:
    for m in pattern.finditer(text):
        text = blank(text, m.start(), m.end())
    return text


# --- numbers -----------------------------------------------------------------

NUM = r"(?:\d{1,3}(?:\.\d{3})+(?!\d)|\d+)(?:,\d{1,2}(?!\d))?"


def parse_number(token: str) -> float | int:
    """Parse a Vietnamese-formatted number ("03", "1.234", "12,5")."""
    token = token.strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", token):
        token = token.replace(".", "")
    token = token.replace(",", ".")
    value = float(token)
    return int(value) if value.is_integer() else value


def is_year(value: float | int) -> bool:
    return isinstance(value, int) and 1990 <= value <= 2100


# --- dates ---------------------------------------------------------------------

DATE_RE = re.compile(
    r"ngay\s*(\d{1,2})\s*(?:/|-|\.|thang)\s*(\d{1,2})\s*(?:/|-|\.|nam)\s*(\d{4})"
)
SHORT_DATE_RE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")


def iso_date(day: str, month: str, year: str) -> str | None:
    d, m, y = int(day), int(month), int(year)
    if not (1 <= d <= 31 and 1 <= m <= 12 and 1990 <= y <= 2100):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


# --- quotes and the scheme name -----------------------------------------------

_QUOTED = re.compile(r"“[^”]{0,300}”|\"[^\"\n]{0,300}\"|«[^»]{0,300}»")
_SCHEME_NAME = re.compile(
    r"ho tro hop tac xa do phu nu tham gia quan ly,?\s*tao viec lam cho lao dong nu,?"
    r"\s*den nam 20\d\d|lao dong nu,?\s*den nam 2030"
)


def without_titles(folded: str) -> str:
    """Blank quoted titles and the scheme's name so their years are ignored."""
    return blank_matches(blank_matches(folded, _QUOTED), _SCHEME_NAME)


# --- sentences and clauses -----------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[-–•+]?\s*[\"“(]?(\w))")
_ABBREVIATIONS = {"tp", "tx", "tt", "tm", "kt", "ts", "ths", "pgs", "gs", "q", "p", "đ/c", "tw"}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if not (m.group(1).isupper() or m.group(1).isdigit()):
            continue
        word = text[:m.start()].rstrip(".!?…").rsplit(" ", 1)[-1].lower()
        if word in _ABBREVIATIONS:
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at ';' that are not inside parentheses."""
    spans, depth, a = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            spans.append((a, i))
            a = i + 1
    spans.append((a, end))
    return [(x, y) for x, y in spans if text[x:y].strip()]


def blank_parentheses(text: str) -> str:
    return re.sub(r"\([^()]*\)", lambda m: " " * len(m.group()), text)
