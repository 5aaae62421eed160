"""Text helpers shared by every app: NFC normalisation and diacritic-free search keys.

Vietnamese text reaches us in several shapes: NFC or NFD (macOS, some Excel files),
two tone-mark placements ("Hoà" and "Hòa" are the same word), curly or straight
apostrophes, doubled spaces. We store NFC; we search on a key with every diacritic
and the đ stroke removed, so "hop tac xa hoa mai" finds "Hợp tác xã Hoa Mai".
"""

import datetime
import re
import unicodedata

from django.utils.formats import get_format

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w]+")

# Old-style tone placement puts the mark on the second vowel of an open "oa", "oe",
# "uy" syllable ("Hoà", "Thuỷ"); the new style on the first ("Hòa", "Thủy").
_TONE_SHIFT = {}
for _first, _vowels in (("o", "aàáảãạ"), ("o", "eèéẻẽẹ"), ("u", "yỳýỷỹỵ")):
    for _marked in _vowels[1:]:
        _tone = unicodedata.normalize("NFD", _marked)[1:]
        _TONE_SHIFT[_first + _marked] = unicodedata.normalize("NFC", _first + _tone) + _vowels[0]
_OLD_TONE = re.compile("(" + "|".join(_TONE_SHIFT) + r")(?!\w)")


def nfc(value: str | None) -> str:
    """NFC-normalise and collapse whitespace; None becomes ''."""
    if not value:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def strip_diacritics(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def search_key(*parts: str | None) -> str:
    """Lower-case, diacritic-free, punctuation-free words: the column searches match on."""
    text = " ".join(p for p in parts if p)
    text = strip_diacritics(unicodedata.normalize("NFC", text)).casefold()
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


def name_key(value: str) -> str:
    """A key that keeps diacritics (Văn Lang is not Văn Lăng) but ignores how they were typed."""
    text = nfc(value).casefold().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = _OLD_TONE.sub(lambda m: _TONE_SHIFT[m.group(1)], text)
    return _SPACES.sub(" ", text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")).strip()


def nfc_text(value: str | None) -> str:
    """nfc() for text typed in a text area: each line normalised, the line breaks kept
    (a report's recipients, one per line; its narrative, one paragraph per line)."""
    if not value:
        return ""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(nfc(line) for line in lines).strip()


def parse_date(value: str | None) -> datetime.date | None:
    """A date as users type it (dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy, or ISO), whatever the
    interface language; None when it is not one."""
    text = (value or "").strip()
    for fmt in get_format("DATE_INPUT_FORMATS", lang="vi"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None
