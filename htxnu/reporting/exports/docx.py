"""The report as a Word document (python-docx), laid out as Decree 30/2020/NĐ-CP asks
(see the package docstring). Only core Word features are used (paragraphs, runs, simple
tables, section margins), so it opens the same in Word and LibreOffice."""

import io

from django.http import HttpResponse
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from . import Document, Table

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FONT = "Times New Roman"
MARGINS = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # mm, Decree 30/2020, Appendix I
RULE = "\u2500" * 9


def response(document: Document) -> HttpResponse:
    answer = HttpResponse(render(document), content_type=DOCX)
    answer["Content-Disposition"] = f'attachment; filename="{document.filename}.docx"'
    return answer


def render(document: Document) -> bytes:
    word = WordDocument()
    _page(word)
    _styles(word)
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
    word.core_properties.title = f"{document.title} {document.subject}"[:250]
    word.core_properties.author = document.body.title()[:250]
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _page(word) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS["top"]), Mm(MARGINS["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS["left"]), Mm(MARGINS["right"])


def _styles(word) -> None:
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    # Word picks the font of Vietnamese text from the East Asian slot as well.
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


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


def _cell(cell):
    """An empty cell to write lines into (python-docx gives each cell one paragraph)."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _borderless(rows: int, cols: int, word, widths_mm: list[float]):
    table = word.add_table(rows=rows, cols=cols)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _header(word, document: Document) -> None:
    table = _borderless(1, 2, word, [70, 95])
    left, right = (_cell(c) for c in table.rows[0].cells)
    if document.parent_body:
        _line(left, document.parent_body, size=13)
    _line(left, document.body, bold=True, size=13)
    _line(left, RULE, size=8, after=6)
    _line(left, document.number, size=13)
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=13)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _line(right, RULE * 2, size=8, after=6)
    _line(right, document.place_date, italic=True, size=14)


def _title(word, document: Document) -> None:
    if document.draft_note:
        _line(word, f"({document.draft_note})", italic=True, size=12, after=0,
              align=WD_ALIGN_PARAGRAPH.RIGHT).runs[0].font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    spacer = _line(word, "", size=6)
    spacer.paragraph_format.space_before = Pt(12)
    _line(word, document.title, bold=True, size=14)
    _line(word, document.subject, bold=True, size=14)
    _line(word, RULE, size=8, after=12)


def _paragraph(word, text: str, *, bold=False, italic=False, indent=True, before=0):
    paragraph = word.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else None
    paragraph.paragraph_format.space_before = Pt(before)
    _run(paragraph, text, bold=bold, italic=italic)
    return paragraph


def _table(word, content: Table) -> None:
    table = word.add_table(rows=1, cols=len(content.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Mm(w) for w in content.widths]
    for cell, header, width in zip(table.rows[0].cells, content.headers, widths, strict=True):
        cell.width = width
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        _run(paragraph, header, bold=True, size=12)
    for values in content.rows:
        cells = table.add_row().cells
        for index, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if index in content.numeric else WD_ALIGN_PARAGRAPH.LEFT
            _run(paragraph, value, size=12)
    word.add_paragraph().paragraph_format.space_after = Pt(0)


def _signature(word, document: Document) -> None:
    table = _borderless(1, 2, word, [80, 85])
    left, right = (_cell(c) for c in table.rows[0].cells)
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
    for recipient in document.recipients:
        _line(left, f"- {recipient};", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(left, "- Lưu: VT.", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, document.authority, bold=True, size=14)
    _line(right, document.signer_title, bold=True, size=14)
    for _blank in range(4):
        _line(right, "", size=14)
    _line(right, document.signer_name, bold=True, size=14)
