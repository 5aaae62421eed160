"""The report as a PDF (WeasyPrint, which lays out HTML and CSS with Pango): the same
Document as the .docx, through reporting/document.html with the decree's A4 margins.
Fonts: Times New Roman where installed, else Liberation Serif or DejaVu Serif, which
have every Vietnamese letter."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from . import Document


def render(document: Document) -> bytes:
    from weasyprint import HTML

    with translation.override("vi"):
        html = render_to_string("reporting/document.html", {"doc": document})
    return HTML(string=html).write_pdf()


def response(document: Document) -> HttpResponse:
    answer = HttpResponse(render(document), content_type="application/pdf")
    answer["Content-Disposition"] = f'attachment; filename="{document.filename}.pdf"'
    return answer
