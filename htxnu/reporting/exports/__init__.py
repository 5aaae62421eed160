"""The official documents of a report: a .docx and a .pdf in the layout of Decree
30/2020/NĐ-CP on administrative documents, and an .xlsx with the indicator tables.

build_document() gathers what the document says once (always in Vietnamese: it is the
official text, whatever language the page is in); docx.py and pdf.py lay it out.

Layout (Decree 30/2020/NĐ-CP, Appendix I):
- top left, the issuing body: the managing body above (upper case) and the issuing
  body (upper case, bold), a short rule under it; below, "Số: …/BC-HPN" (the number
  left blank for the office to fill in until it is typed on the report);
- top right, the national motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" (bold) and
  "Độc lập - Tự do - Hạnh phúc" (bold, with a rule under it); below, in italics,
  the place and date "Lào Cai, ngày 05 tháng 02 năm 2026" (a 0 before days under 10
  and before months 1 and 2);
- the type of document "BÁO CÁO" and its subject, centred and bold;
- the body: the narrative sections and the target-vs-actual tables;
- bottom left "Nơi nhận:" (bold italic) and its list, ending once with "- Lưu: VT, <drafting
  unit>." (the officer's own "Lưu" line when typed); bottom right the signature block:
  "TM. BAN THƯỜNG VỤ" (and under it "KT. CHỦ TỊCH" when a deputy signs), the title, room
  to sign, the name;
- Times New Roman 13–14 pt; A4 with margins top 20 mm, bottom 20 mm, left 30 mm,
  right 15 mm; page numbers at the top centre from page 2 (13 pt);
- the units below in an appendix table after the signature (sorted by name, with totals,
  "*" on figures of units that have not reported), or only in the .xlsx
  (UNITS_IN_XLSX_ONLY), as the officer chooses when downloading.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from htxnu.accounts.models import Organisation
from htxnu.core.exports import file_name
from htxnu.core.templatetags.htx import number_text
from htxnu.geo.models import AdminUnit, Level
from htxnu.plans.indicators import RECORDS

from .. import selectors
from ..models import Report, ReportState, Round, RoundKind, SignatureAuthority

PROGRAMME = ("Đề án “Hỗ trợ hợp tác xã do phụ nữ tham gia quản lý, tạo việc làm cho lao động nữ đến năm 2030”")
# Indicators in the table of the units below (the .xlsx has them all).
UNIT_COLUMNS = ("coops_consolidated", "groups_consolidated", "jobs_total_women", "coops_new")
# The officer's choice of where the units below go: an appendix of the document (default) or the .xlsx only.
UNITS_IN_APPENDIX, UNITS_IN_XLSX_ONLY = "appendix", "xlsx"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # in millimetres, adding up to the text width (165 mm)
    numeric: set[int] = field(default_factory=set)  # right-aligned columns


@dataclass
class Document:
    parent_body: str
    body: str
    number: str
    place_date: str
    title: str
    subject: str
    blocks: list  # ("heading", text) | ("subheading", text) | ("paragraph", text) | ("table", Table)
    recipients: list[str]
    authority: str
    signer_title: str
    signer_name: str
    filename: str
    draft_note: str = ""
    author: str = ""  # the issuing body's proper name, as written ("Hội LHPN tỉnh Lào Cai")
    appendix_title: str = ""
    appendix: list = field(default_factory=list)  # blocks after the signature, as in `blocks`


# File names in Vietnamese without diacritics: "bao-cao-nam-2026-lao-cai.docx".
KIND_IN_FILE_NAMES = {RoundKind.QUARTERLY: "quy", RoundKind.SEMIANNUAL: "6-thang", RoundKind.ANNUAL: "nam",
                      RoundKind.AD_HOC: "dot-xuat", RoundKind.MIDTERM: "so-ket", RoundKind.FINAL: "tong-ket"}


def file_stem(round: Round, unit: AdminUnit) -> str:
    kind = KIND_IN_FILE_NAMES.get(round.kind, "bao-cao")
    return file_name("bao cao", kind, round.year, unit.short_name)


def place_and_date(place: str, day: datetime.date | None) -> str:
    if day is None:
        return f"{place}, ngày     tháng     năm {timezone.localdate().year}"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _union_name(unit: AdminUnit | None, names: dict) -> str:
    if unit is None:
        return ""
    return names.get(unit.pk) or ""


def _subject(round: Round) -> str:
    if round.kind == RoundKind.AD_HOC:
        return round.title
    if round.kind == RoundKind.MIDTERM:
        return f"Sơ kết thực hiện {PROGRAMME} giai đoạn 2023–{round.year}"
    if round.kind == RoundKind.FINAL:
        return f"Tổng kết thực hiện {PROGRAMME} giai đoạn 2023–{round.year}"
    return f"Kết quả thực hiện {PROGRAMME} {round.subject}"


def _paragraphs(text: str) -> list[tuple[str, str]]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return [("paragraph", line) for line in lines] or [("paragraph", "…")]


def build_document(round: Round, unit: AdminUnit, report: Report | None, geography: str,
                   units_below: str = UNITS_IN_APPENDIX, *, user=None) -> Document:
    """`units_below`: the units below in an appendix table or only in the .xlsx; `user`:
    whose view of the funding records the annual report's funding section shows."""
    with translation.override("vi"):
        return _build(round, unit, report, geography, units_below, user)


def _tally_paragraph(data) -> list:
    """The first paragraph of the results: how many targets the table shows reached."""
    return [("paragraph", data.tally.text)] if data.tally is not None and data.tally.text else []


def _funding_blocks(funding, number: str) -> list:
    """The annual report's funding section: estimate, allocation and spending by source,
    and the loans to cooperatives by lender."""
    if funding is None:
        return []
    blocks = [("subheading", number + _("Funding in %(year)s") % {"year": funding.year})]
    if not funding.rows and not funding.loans:
        return blocks + [("paragraph", _("No funding recorded for this year."))]
    total = funding.total
    rows = [[row.label, number_text(row.estimate, False), number_text(row.allocated, False),
             number_text(row.spent, False)] for row in funding.rows]
    rows.append([_("Total"), number_text(total.estimate, False), number_text(total.allocated, False),
                 number_text(total.spent, False)])
    blocks.append(("table", Table([_("Source"), _("Estimate"), _("Allocated"), _("Spent")], rows,
                                  [60, 35, 35, 35], {1, 2, 3})))
    if funding.loans:
        blocks.append(("paragraph", _("Loans to cooperatives: %(loans)s (VND).") % {"loans": "; ".join(
            f"{loan['lender']} {number_text(loan['amount'], False)}" for loan in funding.loans)}))
    return blocks


def _review_blocks(round: Round, unit: AdminUnit, report: Report | None, data, user) -> list:
    """A review's proposals for the next phase: the target proposed for each indicator
    (the unit's, else the trend's projection) and the collectives and people proposed for
    commendation (seeds 000, 002)."""
    if not round.is_review:
        return []
    proposed = dict(report.values.values_list("indicator__code", "proposed_target")) if report else {}
    projections = selectors.review_projections(round, unit, data.indicators)
    rows = []
    for indicator in data.indicators:
        text = proposed.get(indicator.code) or selectors.proposed_target_text(indicator,
                                                                              projections.get(indicator.code))
        if text:
            rows.append([str(len(rows) + 1), indicator.label, indicator.unit_label,
                         number_text(data.figures[indicator.code].value, indicator.is_percent), text])
    end = selectors.next_phase_end(round).year
    blocks = [("subheading", _("Proposed targets for %(start)s–%(end)s") % {"start": end - 4, "end": end})]
    blocks.append(("table", Table([_("No."), _("Indicator"), _("Unit"), _("Result"), _("Proposed target")], rows,
                                  [10, 70, 20, 30, 35], {0, 3})) if rows else ("paragraph", "…"))
    blocks.append(("subheading", _("Proposed for commendation")))
    nominated = selectors.review_commendations(user, round, unit) if user is not None else []
    if nominated:
        blocks.append(("table", Table(
            [_("No."), _("Collective or person"), _("Achievement"), _("Level")],
            [[str(i), str(n), n.reason, str(n.get_level_display())] for i, n in enumerate(nominated, start=1)],
            [10, 50, 75, 30], {0})))
    else:
        blocks.append(("paragraph", "…"))
    return blocks


def document_number(typed: str, symbol: str) -> str:
    """ "Số: 125/BC-HPN": the officer may type the number alone or with its symbol."""
    typed = typed.strip()
    if not typed:
        return f"Số:        /{symbol}"
    return f"Số: {typed}" if "/" in typed else f"Số: {typed}/{symbol}"


def recipients_with_filing(lines: list[str], drafting_unit: str) -> list[str]:
    """The recipients, ending once with "Lưu: VT, <drafting unit>": the officer's own
    "Lưu" line when typed (the last one typed), else one naming the drafting unit."""
    kept = [line for line in lines if not line.lower().startswith("lưu")]
    typed = [line for line in lines if line.lower().startswith("lưu")]
    filing = typed[-1] if typed else f"Lưu: VT, {drafting_unit}" if drafting_unit else "Lưu: VT"
    return [*kept, filing]


def _units_below_table(data, codes: list[str]) -> tuple[Table, bool]:
    """The units below sorted by name, with a total row; "*" marks a figure taken from the
    records because the unit has not reported (as on the web page). Percentages are not
    added up."""
    labels = {i.code: i for i in data.indicators}
    rows, totals, live = [], dict.fromkeys(codes, 0), False
    for position, child in enumerate(sorted(data.below, key=lambda u: u.name), start=1):
        child_report = data.row_reports.get(child.pk)
        state = child_report.get_state_display() if child_report else _("not started")
        cells = []
        for code in codes:
            figure = data.rows[child.pk][code]
            text = number_text(figure.value, labels[code].is_percent)
            if not figure.frozen and figure.value is not None:
                text, live = f"{text}*", True
            if figure.value is not None and not labels[code].is_percent:
                totals[code] += figure.value
            cells.append(text)
        rows.append([str(position), child.name, str(state), *cells])
    rows.append(["", _("Total"), "", *[number_text(totals[c], False) if not labels[c].is_percent else ""
                                       for c in codes]])
    width = (165 - 10 - 45 - 26) / len(codes)
    table = Table([_("No."), _("Unit"), _("Report")] + [labels[c].label for c in codes], rows,
                  [10, 45, 26] + [width] * len(codes), {0, *range(3, 3 + len(codes))})
    return table, live


def _build(round: Round, unit: AdminUnit, report: Report | None, geography: str,
           units_below: str = UNITS_IN_APPENDIX, user=None) -> Document:
    data = selectors.report_data(round, unit, report, geography)
    names = dict(Organisation.objects.filter(kind=Organisation.Kind.UNION, unit_id__in=[
        pk for pk in (unit.pk, unit.parent_id) if pk]).values_list("unit_id", "name"))
    body = _union_name(unit, names)
    parent_body = _union_name(unit.parent, names) if unit.parent_id else ""
    if unit.level == Level.COUNTRY:
        parent_body, body = "ĐOÀN CHỦ TỊCH", body
    signed_on = timezone.localdate(report.submitted_at) if report and report.submitted_at else None
    symbol = (report.symbol if report else "") or "BC-HPN"
    number_line = document_number(report.document_number if report else "", symbol)

    indicator_rows = []
    for position, indicator in enumerate(data.indicators, start=1):
        figure = data.figures[indicator.code]
        info = data.targets.get(indicator.code)
        target = ""
        if info is not None:
            target = f"{info.target.display} ({info.target.when})"
            if info.target.provisional:
                target = _("%(target)s, provisional, from %(plans)s") % {
                    "target": target, "plans": info.target.source_numbers}
        share = number_text(info.share, True) if info is not None and info.share is not None else ""
        source = _("Records") if figure.source == RECORDS else _("Reports")
        if info is not None and info.cumulative and info.measured is not None:
            cumulative = _("cumulative: %(value)s") % {"value": number_text(info.measured, indicator.is_percent)}
            share = f"{share} ({cumulative})".strip()
        indicator_rows.append([str(position), indicator.label, indicator.unit_label, target,
                               number_text(figure.value, indicator.is_percent), share, source])
    indicator_table = Table([_("No."), _("Indicator"), _("Unit"), _("Target"), _("Result"), _("Achieved"),
                             _("Source")], indicator_rows, [10, 52, 16, 28, 20, 22, 17], {0, 4, 5})

    blocks: list = [("paragraph", _("%(body)s reports on the implementation of the %(subject)s as follows:")
                     % {"body": body, "subject": _subject(round)[0].lower() + _subject(round)[1:]})]
    blocks.append(("heading", "I. " + _("RESULTS ACHIEVED")))
    blocks += _tally_paragraph(data)
    blocks += _paragraphs(report.results if report else "")
    blocks.append(("subheading", "1. " + _("Results against the targets")))
    if data.governing is not None and data.governing.provisional:
        blocks.append(("paragraph", _("Targets: %(source)s.") % {"source": data.governing.source_text}))
    elif data.plan is not None:
        blocks.append(("paragraph", _("Targets: %(plan)s of %(unit)s.") % {"plan": data.plan,
                                                                         "unit": data.plan.unit.name}))
    blocks.append(("table", indicator_table))
    highlights = (report.highlights if report else []) or []
    blocks.append(("subheading", "2. " + _("Highlighted models and people")))
    if highlights:
        blocks.append(("table", Table(
            [_("No."), _("Name"), _("Model or person"), _("Where"), _("Achievement")],
            [[str(i), h.get("name", ""), h.get("kind", ""), h.get("place", ""), h.get("achievement", "")]
             for i, h in enumerate(highlights, start=1)], [10, 45, 30, 30, 50], {0})))
    else:
        blocks.append(("paragraph", "…"))
    appendix: list = []
    if data.below:
        codes = [c for c in UNIT_COLUMNS if c in data.figures] or [i.code for i in data.indicators[:4]]
        blocks.append(("subheading", "3. " + _("Results of the units below")))
        if units_below == UNITS_IN_XLSX_ONLY:
            blocks.append(("paragraph", _("The figures of the %(count)s units below are in the attached Excel file.")
                           % {"count": len(data.below)}))
        else:
            blocks.append(("paragraph", _("The figures of the %(count)s units below are in the appendix.")
                           % {"count": len(data.below)}))
            table, live = _units_below_table(data, codes)
            appendix.append(("table", table))
            if live:
                appendix.append(("paragraph", _("* as it stands now, not submitted.")))
    if user is not None:
        blocks += _funding_blocks(selectors.report_funding(user, round, unit), "4. " if data.below else "3. ")
    review = round.is_review
    blocks.append(("heading", "II. " + _("SHORTCOMINGS, LIMITATIONS AND THEIR CAUSES")))
    blocks += _paragraphs(report.shortcomings if report else "")
    blocks.append(("heading", "III. " + _("LESSONS LEARNED")))
    blocks += _paragraphs(report.lessons if report else "")
    blocks.append(("heading", "IV. " + (_("DIRECTIONS AND TASKS FOR THE NEXT PHASE") if review
                                        else _("TASKS FOR THE NEXT PERIOD"))))
    blocks += _paragraphs(report.next_tasks if report else "")
    blocks.append(("heading", "V. " + _("PROPOSALS AND RECOMMENDATIONS")))
    blocks += _paragraphs(report.proposals if report else "")
    blocks += _review_blocks(round, unit, report, data, user)
    blocks.append(("paragraph", _("The above is the report of %(body)s on the %(subject)s./.")
                   % {"body": body, "subject": _subject(round)[0].lower() + _subject(round)[1:]}))

    recipients = [line.strip().lstrip("-–• ").rstrip(";.").strip()
                  for line in (report.recipients if report else "").splitlines() if line.strip()]
    if not [line for line in recipients if not line.lower().startswith("lưu")] and unit.parent_id:
        recipients.insert(0, _("%(body)s (to report)") % {"body": parent_body})
    recipients = recipients_with_filing(recipients, report.drafting_unit if report else "")
    lower = unit.level == Level.COMMUNE
    # "TM. BAN THƯỜNG VỤ" stays above "KT. CHỦ TỊCH" when a deputy signs (Decree 30/2020, art. 13).
    authority = _("TM. EXECUTIVE COMMITTEE") if lower else _("TM. STANDING COMMITTEE")
    if report is not None and report.signature_authority == SignatureAuthority.DEPUTY:
        authority, title = f"{authority}\n{_('KT. CHAIRWOMAN')}", report.signer_title or _("VICE CHAIRWOMAN")
    else:
        title = (report.signer_title if report else "") or _("CHAIRWOMAN")
    draft = ""
    if report is None or report.state != ReportState.APPROVED:
        draft = _("Draft: not yet approved") if report is None or report.state != ReportState.SUBMITTED else _(
            "Submitted, not yet approved")
    return Document(
        parent_body=parent_body.upper(), body=body.upper(), number=number_line,
        place_date=place_and_date(unit.short_name, signed_on), title=_("REPORT"), subject=_subject(round),
        blocks=blocks, recipients=recipients, authority=authority, signer_title=title.upper(),
        signer_name=report.signer_name if report else "",
        filename=file_stem(round, unit), draft_note=draft, author=body,
        appendix_title=_("Appendix: results of the units below") if appendix else "", appendix=appendix,
    )
