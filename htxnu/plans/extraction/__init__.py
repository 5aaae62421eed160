"""Plan-document extraction for Đề án 01 plans (pure Python, no Django).

    text = read_document(uploaded_bytes, "ke-hoach.docx")   # UnreadableDocument
    plan = extract_plan(text, source="ke-hoach.docx")       # NotAPlan

``extract_plan`` returns the plan-gold format (shared/plan-gold) with
provenance ("evidence") on every item, the plan's task groups and Vietnamese
warnings; see ``extract.py``.  The rules live, in prose, in each module's
docstring: ``structure`` (lines, sections, year headings), ``quantities``
(numbers, ranges, qualifiers), ``vocab`` (units, actions, indicators),
``targets``, ``tables``, ``metadata`` and ``tasks``.
"""
from .errors import ExtractionError, NotAPlan, UnreadableDocument
from .extract import extract_plan
from .reader import Reading, check_length, read_document, read_file
from .schedule import quarter_rule


def extract_document(data: bytes, filename: str) -> dict:
    """Read an uploaded file and extract its plan in one step."""
    return extract_plan(read_document(data, filename), source=filename)


__all__ = ["ExtractionError", "NotAPlan", "Reading", "UnreadableDocument", "check_length", "extract_document",
           "extract_plan", "quarter_rule", "read_document", "read_file"]
