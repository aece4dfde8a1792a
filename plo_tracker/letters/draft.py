"""Marking a letter as a DRAFT on every page, with what is missing before it may be sent.

A draft is for preparing a letter that is not ready yet (section 4 of the domain
reference).  Whatever the template, the finished .docx gets:

* at the top of every page header of every section (first page, other pages, even
  pages), a line in large red capitals: "DRAFT – NOT READY TO SEND";
* at the start of the letter, a box saying it is a draft and listing what is missing;
* "DRAFT" in the document's title and keywords.

The service records it as a draft, and a draft can never be recorded as sent.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph

from plo_tracker.letters.docxfile import open_document

DRAFT_MARK = "DRAFT – NOT READY TO SEND"
DRAFT_RED = RGBColor(0xB0, 0x00, 0x20)


def _insert_first(container: object, text: str, *, size: int, bold: bool = True) -> Paragraph:
    """A new first paragraph in a header or the body, with this text."""
    paragraphs = container.paragraphs  # type: ignore[attr-defined]
    if paragraphs:
        paragraph = paragraphs[0].insert_paragraph_before("")
    else:
        paragraph = container.add_paragraph("")  # type: ignore[attr-defined]
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
    run.font.color.rgb = DRAFT_RED
    return paragraph


def _box(paragraph: Paragraph) -> None:
    """A red border round a paragraph, so the draft note stands out."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "12")
        edge.set(qn("w:space"), "4")
        edge.set(qn("w:color"), "B00020")
        borders.append(edge)
    ppr.append(borders)


def mark_draft(data: bytes, name: str, missing: Sequence[str]) -> bytes:
    """The letter with DRAFT on every page and the list of what is missing at its start."""
    document = open_document(data, name)
    done: list[object] = []  # header elements already marked (kept alive, compared by identity)
    for number, section in enumerate(document.sections):
        for header in (section.header, section.first_page_header, section.even_page_header):
            if header.is_linked_to_previous and number > 0:
                continue  # it shows the previous section's header, marked already
            element = header._element  # one part may serve several sections
            if any(element is seen for seen in done):
                continue
            done.append(element)
            paragraph = _insert_first(header, DRAFT_MARK, size=16)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = document
    lines = (
        ["Still missing before it can be sent:", *(f"• {item}" for item in missing)]
        if missing
        else ["Nothing is missing now: make the letter again, not as a draft, to send it."]
    )
    intro = "DRAFT: this letter is not ready to send, and it cannot be recorded as sent."
    first = body.paragraphs[0] if body.paragraphs else None
    notes: list[Paragraph] = []
    for text in [intro, *lines]:
        paragraph = first.insert_paragraph_before("") if first is not None else body.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = text == intro
        run.font.size = Pt(11)
        run.font.color.rgb = DRAFT_RED
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.paragraph_format.keep_with_next = True
        notes.append(paragraph)
    for paragraph in notes:
        _box(paragraph)
    notes[-1].paragraph_format.space_after = Pt(12)
    notes[-1].paragraph_format.keep_with_next = False
    properties = document.core_properties
    properties.title = f"DRAFT – {properties.title or 'letter'}"[:255]
    properties.keywords = "DRAFT, not ready to send"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
