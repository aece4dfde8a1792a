"""Shared by the letter service, CLI and PDF tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from docx import Document

from plo_tracker.app import AppContext
from plo_tracker.letters.context import CouncilDetails, LetterOptions

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-cases.json"
LETTER_DAY = dt.date(2024, 3, 4)  # the example cases are as of early March 2024
OPTIONS = LetterOptions(letter_date=LETTER_DAY)
HOSTILE = "Ann & <Bob> \"x\" 'y' {{ 7*7 }} Zoë Ølsen"
COUNCIL = CouncilDetails(
    name="Marches Example Council",
    address=("Shirehall", "Abbey Foregate", "ZZ2 6ND"),
    phone="0345 000 1234",
    email="plo@example.gov.uk",
    lawyer_name="Pat Lawyer",
    lawyer_phone="01743 000 999",
    lawyer_email="legal@example.gov.uk",
    signatory="Chris Head",
    signatory_role="Head of Service",
)


def docx_lines(path: Path | bytes) -> list[str]:
    """Every line a reader meets in a .docx: body paragraphs, then table cells, then
    headers and footers."""
    import io

    document = Document(io.BytesIO(path) if isinstance(path, bytes) else str(path))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    for section in document.sections:
        for part in (section.header, section.footer):
            lines.extend(p.text for p in part.paragraphs)
    return lines


def docx_text(path: Path | bytes) -> str:
    return "\n".join(docx_lines(path))


def make_docx(path: Path, *paragraphs: str) -> Path:
    """A template file with these paragraphs (Jinja tags as typed in Word)."""
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def with_examples(app: AppContext) -> AppContext:
    """The example cases imported and the council's details set."""
    app.exchange.import_file(EXAMPLE)
    app.letters.set_council(COUNCIL)
    return app
