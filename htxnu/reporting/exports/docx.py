"""The report as a Word document (python-docx), laid out as Decree 30/2020/NĐ-CP asks
(see the package docstring). Only core Word features are used (paragraphs, runs, simple
tables, section margins, a PAGE field), so it opens the same in Word and LibreOffice.

Measured rules (Appendix I), each checked by reporting/tests/test_document_rules.py:
- margins are written in whole twips rounded up, so 15 mm is stored as 15.01 mm, not 14.99;
- every table states its widths three times (grid, table, cells) and is laid out fixed:
  LibreOffice reads the grid, Word the cells, and they disagreed;
- the short rules under the issuing body and under the subject are 2/5 of their line
  (the decree asks 1/3 to 1/2), the rule under the motto is as long as the motto. They are
  bottom borders of an empty paragraph indented to that length, measured with the metrics
  of Liberation Serif, which has the widths of Times New Roman (metrics.py);
- page numbers: 13 pt, top centre, not on the first page;
- table header rows repeat on each page, rows are not split across pages;
- the language of every run is vi-VN, the author the unit's proper name.
"""

import io
import math

from django.http import HttpResponse
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor, Twips

from . import Document, Table
from .metrics import text_width_mm

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # mm, Decree 30/2020, Appendix I
TEXT_WIDTH = 210 - MARGINS["left"] - MARGINS["right"]  # mm
HEADER_WIDTHS = [65, 100]  # mm: the motto at 13 pt bold needs 95.7 mm on one line
SIGNATURE_WIDTHS = [80, 85]
SHORT_RULE = 0.4  # of the line above it: the decree asks 1/3 to 1/2
LANGUAGE = "vi-VN"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def response(document: Document) -> HttpResponse:
    answer = HttpResponse(render(document), content_type=DOCX)
    answer["Content-Disposition"] = f'attachment; filename="{document.filename}.docx"'
    return answer


def render(document: Document) -> bytes:
    word = WordDocument()
    _page(word)
    _styles(word)
    _page_numbers(word)
    _header(word, document)
    _title(word, document)
    for kind, content in document.blocks:
        if kind == "table":
            _table(word, content)
        elif kind == "heading":
            _paragraph(word, content, bold=True, indent=False, before=6)
        elif kind == "subheading":
            _paragraph(word, content, bold=True, italic=True, indent=False)
        else:
            _paragraph(word, content)
    _signature(word, document)
    _appendix(word, document)
    word.core_properties.title = f"{document.title} {document.subject}"[:250]
    word.core_properties.author = (document.author or document.body)[:250]
    word.core_properties.language = LANGUAGE
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _mm(value: float) -> Twips:
    """A length in whole twips, rounded up: Word stores twips, and Mm(15) truncated to 14.99 mm."""
    return Twips(math.ceil(value * 1440 / 25.4))


def _page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = _mm(MARGINS["top"]), _mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = _mm(MARGINS["left"]), _mm(MARGINS["right"])
    section.header_distance = _mm(10)


def _styles(word) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    # Word picks the font of Vietnamese text from the East Asian slot as well.
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    # The language of the text, in the document defaults and in Normal, so Word checks Vietnamese spelling.
    defaults = word.styles.element.find(qn("w:docDefaults"))
    targets = [r_pr]
    if defaults is not None:
        run_defaults = defaults.find(qn("w:rPrDefault"))
        if run_defaults is not None and run_defaults.find(qn("w:rPr")) is not None:
            targets.append(run_defaults.find(qn("w:rPr")))
    for target in targets:
        lang = target.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            target.append(lang)
        for attribute in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attribute), LANGUAGE)


def _page_numbers(word) -> None:
    """The page number at the top centre, 13 pt, from page 2 (the first page's header is empty)."""
    section = word.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(13)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == "PAGE":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text


def _run(paragraph, text: str, *, bold=False, italic=False, size=None, colour=None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    if size:
        run.font.size = Pt(size)
    if colour:
        run.font.color.rgb = RGBColor(*colour)
    return run


def _line(container, text: str, *, bold=False, italic=False, size=13, after=0, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.first_line_indent = None
    _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _rule(container, length_mm: float, available_mm: float, *, after=6):
    """A centred horizontal line length_mm long: the bottom border of an empty paragraph
    indented from both sides of the space it sits in."""
    paragraph = container.add_paragraph()
    indent = max(0.0, (available_mm - length_mm) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = Mm(indent)
    paragraph.paragraph_format.first_line_indent = None
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for attribute, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(attribute), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _cell(cell):
    """An empty cell to write lines into (python-docx gives each cell one paragraph)."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _set_widths(table, widths_mm: list[float], *, padding: bool = True) -> None:
    """The same widths in the grid (LibreOffice), the table and each cell (Word), fixed layout."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(sum(round(w * 1440 / 25.4) for w in widths_mm)))
    if not padding:
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            element = OxmlElement(f"w:{side}")
            element.set(qn("w:w"), "0")
            element.set(qn("w:type"), "dxa")
            margins.append(element)
        tbl_pr.append(margins)
    for column, width_mm in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(round(width_mm * 1440 / 25.4)))
    for row in table.rows:
        for cell, width_mm in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width_mm)


def _borderless(rows: int, cols: int, word, widths_mm: list[float]):
    table = word.add_table(rows=rows, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_widths(table, widths_mm, padding=False)
    return table


def _header(word, document: Document) -> None:
    table = _borderless(1, 2, word, HEADER_WIDTHS)
    left, right = (_cell(c) for c in table.rows[0].cells)
    if document.parent_body:
        _line(left, document.parent_body, size=13)
    _line(left, document.body, bold=True, size=13)
    body_width = min(text_width_mm(document.body, 13, bold=True), HEADER_WIDTHS[0])
    _rule(left, body_width * SHORT_RULE, HEADER_WIDTHS[0])
    _line(left, document.number, size=13)
    _line(right, NATION, bold=True, size=13)
    _line(right, MOTTO, bold=True, size=14)
    _rule(right, text_width_mm(MOTTO, 14, bold=True), HEADER_WIDTHS[1])
    _line(right, document.place_date, italic=True, size=14)


def _title(word, document: Document) -> None:
    if document.draft_note:
        _line(word, f"({document.draft_note})", italic=True, size=12, after=0,
              align=WD_ALIGN_PARAGRAPH.RIGHT).runs[0].font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    spacer = _line(word, "", size=6)
    spacer.paragraph_format.space_before = Pt(12)
    _line(word, document.title, bold=True, size=14)
    _line(word, document.subject, bold=True, size=14)
    subject_width = min(text_width_mm(document.subject, 14, bold=True), TEXT_WIDTH)
    _rule(word, subject_width * SHORT_RULE, TEXT_WIDTH, after=12)


def _paragraph(word, text: str, *, bold=False, italic=False, indent=True, before=0):
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else None
    paragraph.paragraph_format.space_before = Pt(before)
    _run(paragraph, text, bold=bold, italic=italic)
    return paragraph


def _row_rules(row, *, header: bool = False) -> None:
    """A row is never split across pages; a header row repeats on each page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _table(word, content: Table) -> None:
    table = word.add_table(rows=1, cols=len(content.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_rules(table.rows[0], header=True)
    for cell, header in zip(table.rows[0].cells, content.headers, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, header, bold=True, size=12)
    for values in content.rows:
        row = table.add_row()
        _row_rules(row)
        for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if index in content.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _run(paragraph, value, size=12)
    _set_widths(table, content.widths)
    word.add_paragraph().paragraph_format.space_after = Pt(0)


def _signature(word, document: Document) -> None:
    table = _borderless(1, 2, word, SIGNATURE_WIDTHS)
    left, right = (_cell(c) for c in table.rows[0].cells)
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    *others, filing = document.recipients or ["Lưu: VT"]
    for recipient in others:
        _line(left, f"- {recipient};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, f"- {filing}.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in document.authority.splitlines():
        _line(right, line, bold=True, size=14)
    _line(right, document.signer_title, bold=True, size=14)
    for _blank in range(4):
        _line(right, "", size=14)
    _line(right, document.signer_name, bold=True, size=14)


def _appendix(word, document: Document) -> None:
    """The units below, after the signature on a page of their own."""
    if not document.appendix:
        return
    title = _line(word, document.appendix_title.upper(), bold=True, size=14, after=6)
    title.paragraph_format.page_break_before = True
    _line(word, f"(Kèm theo {document.title.capitalize()} {document.number.replace('Số: ', 'số ')})",
          italic=True, size=13, after=12)
    for kind, content in document.appendix:
        if kind == "table":
            _table(word, content)
        else:
            _paragraph(word, content, italic=True, indent=False)
