"""Targets as officers write them, read from one grid cell and written back.

Read (parse_target): "13", "= 13", "≥ 13", ">= 13", "ít nhất 13", "tối thiểu 13",
"không dưới 13" (at least); "> 50", "trên 50%", "hơn 50" (more than); "≈ 7", "~7",
"khoảng 07", "xấp xỉ 7" (about); "3-4", "3 – 4", "từ 03 đến 04", "3 đến 4" (a range).
A "%" and words after the number ("13 HTX") are ignored: the unit is the indicator's.
Numbers are read the Vietnamese way and the English way alike: a "." or "," followed by
exactly three digits groups thousands ("1.500" = "1,500" = 1500), otherwise it is the
decimal mark ("2,5" = "2.5").

Written (format_target): "13", "≥ 13", "> 50%", "≈ 7", "3–4", which parse_target reads
back to the same target.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from htxnu.text import nfc, strip_diacritics

from .models import Op

_NUMBER = r"\d+(?:[.,]\d+)*"
_RANGE = re.compile(rf"^(?:tu\s+)?({_NUMBER})\s*(?:-|den)\s*({_NUMBER})\b")
_PREFIXES = [
    (re.compile(r"^(?:>=|=>|it nhat|toi thieu|khong duoi|khong it hon)"), Op.GE),
    (re.compile(r"^(?:>|tren|hon|vuot|nhieu hon)"), Op.GT),
    (re.compile(r"^(?:~|khoang|xap xi|gan|chung)"), Op.APPROX),
    (re.compile(r"^(?:=|bang|dat)"), Op.EQ),
]
_LEADING_NUMBER = re.compile(rf"^({_NUMBER})")


@dataclass(frozen=True)
class ParsedTarget:
    op: str
    value: Decimal
    value_max: Decimal | None = None


_PLAIN_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def parse_number(text: str) -> Decimal:
    """"1.500" / "1,500" → 1500; "2,5" / "2.5" → 2.5; "07" → 7. Digits only: Decimal
    would also take "NaN", "Infinity" and "1e309", which no officer means and which
    broke every comparison after (a 500 on a report figure, issue #14)."""
    parts = re.split(r"[.,]", text)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        digits = "".join(parts)
    elif len(parts) == 2:
        digits = f"{parts[0]}.{parts[1]}"
    elif len(parts) == 1:
        digits = parts[0]
    else:
        raise ValueError(text)
    if not _PLAIN_NUMBER.fullmatch(digits):
        raise ValueError(text)
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise ValueError(text) from None


def _folded(text: str) -> str:
    text = nfc(text).casefold()
    for a, b in (("≥", ">="), ("≧", ">="), ("≈", "~"), ("–", "-"), ("—", "-"), ("%", " ")):
        text = text.replace(a, b)
    return " ".join(strip_diacritics(text).split())


def parse_target(text: str) -> ParsedTarget | None:
    """The target written in `text`, or None for an empty cell; ValidationError (in
    Vietnamese, quoting the text) when it cannot be read."""
    folded = _folded(text or "")
    if not folded:
        return None
    error = ValidationError(
        _("Could not read “%(text)s”: write a number, e.g. 13, ≥ 13, > 50, ≈ 7, 3-4 or 100%%.") % {"text": nfc(text)},
        code="unreadable",
    )
    try:
        m = _RANGE.match(folded)
        if m:
            low, high = parse_number(m.group(1)), parse_number(m.group(2))
            if high < low:
                raise ValidationError(
                    _("In “%(text)s” the upper value is below the lower one.") % {"text": nfc(text)}, code="range"
                )
            return ParsedTarget(Op.BETWEEN, low, high)
        op = Op.EQ
        for pattern, prefix_op in _PREFIXES:
            m = pattern.match(folded)
            if m:
                op, folded = prefix_op, folded[m.end():].strip()
                break
        m = _RANGE.match(folded)
        if m and op == Op.EQ:
            return ParsedTarget(Op.BETWEEN, parse_number(m.group(1)), parse_number(m.group(2)))
        m = _LEADING_NUMBER.match(folded)
        if not m:
            raise error
        return ParsedTarget(op, parse_number(m.group(1)))
    except ValueError:
        raise error from None


def _number(value: Decimal | None, grouping: bool) -> str:
    return floatformat(value, "-2g" if grouping else -2)


def format_target(op: str, value: Decimal | None, value_max: Decimal | None = None, *, percent: bool = False,
                  grouping: bool = False) -> str:
    if value is None:
        return ""
    suffix = "%" if percent else ""
    if op == Op.BETWEEN:
        return f"{_number(value, grouping)}–{_number(value_max, grouping)}{suffix}"
    sign = {Op.GE: "≥ ", Op.GT: "> ", Op.APPROX: "≈ "}.get(op, "")
    return f"{sign}{_number(value, grouping)}{suffix}"
