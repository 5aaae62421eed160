"""The six task groups of a plan and who leads each.

Every Đề án 01 plan repeats the scheme's six task groups: 1 communication,
2 consolidating cooperatives, 3 founding new ones, 4 training people,
5 the Union's own direction and capacity, 6 international cooperation, trade
promotion and resources.  In the tasks section each group opens with a
numbered heading ("2. Củng cố, nâng cao chất lượng hoạt động …"); the heading
is matched to a group by weighted keywords, read only up to the words
describing the cooperatives ("… của các HTX do phụ nữ …") so that the
description does not vote.

Inside a group, "Cơ quan chủ trì: …" names the lead (the first one, when
sub-items name several), "Cơ quan phối hợp: …" the partners and "Thời gian
thực hiện: …" the time frame.  Plans that leave the lead to the organisation
section get ``lead: null``.
"""
from __future__ import annotations

import re

from .structure import Line
from .text import fold
from .vocab import AGENCY_CANON, TASK_GROUPS

_GROUP_HEADING = re.compile(r"^\d{1,2}\.?$")
_DESCRIPTION = re.compile(r"\b(?:cua\s+)?cac\s+(?:hop tac xa|htx)\b|\b(?:hop tac xa|htx) do phu nu")
_LEAD = re.compile(r"^(?:co quan|don vi)?\s*chu tri\s*:\s*")
_PARTNERS = re.compile(r"^(?:co quan|don vi)?\s*phoi hop\s*:\s*")
_TIME = re.compile(r"^thoi gian(?: thuc hien)?\s*:\s*")


def _group_of(heading_folded: str) -> int | None:
    cut = _DESCRIPTION.search(heading_folded)
    text = heading_folded[:cut.start()] if cut and cut.start() > 10 else heading_folded
    scores = {g: sum(w for kw, w in kws if kw in text) for g, kws in TASK_GROUPS.items()}
    best = max(scores, key=lambda g: scores[g])
    return best if scores[best] >= 2 else None


def _agency(text: str) -> str:
    text = text.strip().rstrip(".;,")
    for pattern, canon in AGENCY_CANON:
        m = pattern.search(fold(text))
        if m:
            text = text[:m.start()] + canon + text[m.end():]
    return text


def task_groups(lines: list[Line]) -> list[dict]:
    groups: list[dict] = []
    current: dict | None = None
    for line in lines:
        if line.kind != "body":
            continue
        if line.zone != "tasks":
            current = None
            continue
        if _GROUP_HEADING.match(line.marker) and len(line.content) <= 260:
            number = _group_of(line.folded_content)
            if number is not None and all(g["group"] != number for g in groups):
                current = {"group": number, "title": line.content.strip().rstrip("."), "lead": None,
                           "partners": [], "time_frame": None, "evidence": line.evidence(line.body_start)}
                groups.append(current)
                continue
        if current is None:
            continue
        content = line.folded_content
        m = _LEAD.match(content)
        if m and current["lead"] is None:
            current["lead"] = _agency(line.content[m.end():])
            current["lead_evidence"] = line.evidence(line.body_start)
            continue
        m = _PARTNERS.match(content)
        if m and not current["partners"]:
            parts = re.split(r"[;,]\s*", line.content[m.end():])
            current["partners"] = [_agency(p) for p in parts if p.strip() and not fold(p).strip().startswith("cac ")]
            continue
        m = _TIME.match(content)
        if m and current["time_frame"] is None:
            current["time_frame"] = line.content[m.end():].strip().rstrip(".")
    return sorted(groups, key=lambda g: g["group"])
