"""Vietnamese typed in the legacy 8-bit encodings, turned into Unicode.

Before Unicode, Vietnamese offices typed in TCVN3 (ABC; fonts ".VnTime",
".VnArial", and ".VnTimeH" for capitals) or VNI (fonts "VNI-Times", …).  The
letters are stored as ordinary Latin-1 characters that only the special font
draws as Vietnamese: "Kế hoạch" is "KÕ ho¹ch" in TCVN3 and "Keá hoaïch" in
VNI.  Word keeps these files as they are; read as Unicode they are garbage.

Detection, in this order:

- by font (``reader`` for .docx): a run whose font starts with ".Vn" is
  TCVN3 (with "H" at the end of the name — ".VnTimeH", ".VnArialH" — the
  font draws capitals, so the run is upper-cased after conversion); a run in
  a "VNI-" font is VNI.  Runs in other fonts (Times New Roman) are Unicode.
- by text (``detect``, for .txt, .pdf, and .docx that name no font): the
  share of words that are common Vietnamese words once converted ("của",
  "và", "năm", "được", "hợp tác xã" …) against the share before, for each
  encoding; the encoding whose conversion gains most words wins, when it
  gains enough.

The tables below are TCVN 5712:1993 (VN3) and VNI for Windows, written once.
TCVN3 maps one character to one letter; VNI writes a letter and then its
marks, so it is converted longest sequence first.  Results are NFC.
"""
from __future__ import annotations

import re
import unicodedata

# --- TCVN3 (ABC) --------------------------------------------------------------------------

_TCVN3_LOWER = {
    "µ": "à", "¶": "ả", "·": "ã", "¸": "á", "¹": "ạ",
    "¨": "ă", "»": "ằ", "¼": "ẳ", "½": "ẵ", "¾": "ắ", "Æ": "ặ",
    "©": "â", "Ç": "ầ", "È": "ẩ", "É": "ẫ", "Ê": "ấ", "Ë": "ậ",
    "®": "đ",
    "Ì": "è", "Î": "ẻ", "Ï": "ẽ", "Ð": "é", "Ñ": "ẹ",
    "ª": "ê", "Ò": "ề", "Ó": "ể", "Ô": "ễ", "Õ": "ế", "Ö": "ệ",
    "×": "ì", "Ø": "ỉ", "Ü": "ĩ", "Ý": "í", "Þ": "ị",
    "ß": "ò", "á": "ỏ", "â": "õ", "ã": "ó", "ä": "ọ",
    "«": "ô", "å": "ồ", "æ": "ổ", "ç": "ỗ", "è": "ố", "é": "ộ",
    "¬": "ơ", "ê": "ờ", "ë": "ở", "ì": "ỡ", "í": "ớ", "î": "ợ",
    "ï": "ù", "ñ": "ủ", "ò": "ũ", "ó": "ú", "ô": "ụ",
    "\xad": "ư", "õ": "ừ", "ö": "ử", "÷": "ữ", "ø": "ứ", "ù": "ự",
    "ú": "ỳ", "û": "ỷ", "ü": "ỹ", "ý": "ý", "þ": "ỵ",
}
_TCVN3_UPPER = {"¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
TCVN3 = {**_TCVN3_LOWER, **_TCVN3_UPPER}
_TCVN3_TABLE = str.maketrans(TCVN3)

# --- VNI for Windows -----------------------------------------------------------------------

# Marks after a base letter, lower case (upper case in brackets): ù (Ù) acute, ø (Ø) grave,
# û (Û) hook, õ (Õ) tilde, ï (Ï) dot below; â (Â) circumflex, ê (Ê) breve on a,
# and for â/ă with a tone: á à å ã ä (circumflex) and é è ú ü ë (breve).
_VNI_PAIRS_LOWER = {
    "aù": "á", "aø": "à", "aû": "ả", "aõ": "ã", "aï": "ạ",
    "aê": "ă", "aé": "ắ", "aè": "ằ", "aú": "ẳ", "aü": "ẵ", "aë": "ặ",
    "aâ": "â", "aá": "ấ", "aà": "ầ", "aå": "ẩ", "aã": "ẫ", "aä": "ậ",
    "eù": "é", "eø": "è", "eû": "ẻ", "eõ": "ẽ", "eï": "ẹ",
    "eâ": "ê", "eá": "ế", "eà": "ề", "eå": "ể", "eã": "ễ", "eä": "ệ",
    "où": "ó", "oø": "ò", "oû": "ỏ", "oõ": "õ", "oï": "ọ",
    "oâ": "ô", "oá": "ố", "oà": "ồ", "oå": "ổ", "oã": "ỗ", "oä": "ộ",
    "ôù": "ớ", "ôø": "ờ", "ôû": "ở", "ôõ": "ỡ", "ôï": "ợ",
    "uù": "ú", "uø": "ù", "uû": "ủ", "uõ": "ũ", "uï": "ụ",
    "öù": "ứ", "öø": "ừ", "öû": "ử", "öõ": "ữ", "öï": "ự",
    "yù": "ý", "yø": "ỳ", "yû": "ỷ", "yõ": "ỹ",
}
_VNI_SINGLE_LOWER = {"ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "ô": "ơ", "ö": "ư", "î": "ỵ"}


def _upper_pairs() -> dict[str, str]:
    out = {}
    for seq, letter in _VNI_PAIRS_LOWER.items():
        out[seq[0].upper() + seq[1].upper()] = letter.upper()
    return out


VNI = {**_VNI_PAIRS_LOWER, **_upper_pairs(), **_VNI_SINGLE_LOWER,
       **{k.upper(): v.upper() for k, v in _VNI_SINGLE_LOWER.items()}}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI, key=len, reverse=True)))


def from_tcvn3(text: str, capitals: bool = False) -> str:
    """TCVN3 text (as Latin-1 characters) in Unicode; ``capitals`` for a ".VnTimeH"-style font."""
    out = text.translate(_TCVN3_TABLE)
    return unicodedata.normalize("NFC", out.upper() if capitals else out)


def from_vni(text: str) -> str:
    """VNI text (as Latin-1 characters) in Unicode."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI[m.group()], text))


def font_encoding(font: str | None) -> tuple[str, bool] | None:
    """("tcvn3" | "vni", capitals) for a legacy Vietnamese font name, else None."""
    if not font:
        return None
    name = font.strip()
    if name.lower().startswith(".vn"):
        return "tcvn3", name.endswith("H")
    if name.lower().startswith("vni"):
        return "vni", False
    return None


def convert(text: str, encoding: str, capitals: bool = False) -> str:
    return from_tcvn3(text, capitals) if encoding == "tcvn3" else from_vni(text)


# --- detection by text -------------------------------------------------------------------

_COMMON_WORDS = (
    "của và các cho được năm trong những với có không này theo một để đến đã tại về là người "
    "hợp tác xã tổ phụ nữ lao động việc làm kế hoạch thực hiện hội tỉnh huyện chỉ tiêu quản lý "
    "đề án giai đoạn thành lập củng cố báo cáo ngày tháng số ủy ban nhân dân nội dung"
)
_COMMON = set(_COMMON_WORDS.split(" "))
_WORD = re.compile(r"[^\W\d_]+")


def _share(text: str) -> float:
    words = _WORD.findall(text.lower())
    return sum(w in _COMMON for w in words) / len(words) if words else 0.0


def detect(text: str, rival: str | None = None) -> str | None:
    """"tcvn3" or "vni" when ``text`` reads as Vietnamese only once converted, else None.

    ``rival`` is another reading of the same bytes (Windows-1258 for a .txt): a
    conversion must also read better than it."""
    sample = text[:20000]
    if not re.search(r"[\xa1-\xfe]", sample):
        return None
    base = max(_share(sample), _share(rival[:20000]) if rival else 0.0)
    best = None
    for encoding in ("tcvn3", "vni"):
        gain = _share(convert(sample, encoding)) - base
        if gain > 0.08 and (best is None or gain > best[0]):
            best = (gain, encoding)
    return best[1] if best else None
