"""The page a council would post: footer on every page, signature kept together, tables
that repeat their heading and never split a row, the logo, and the templates' own wording
passing the plain-language check."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from plo_tracker.letters import pdf
from plo_tracker.letters.draft import DRAFT_MARK, mark_draft
from plo_tracker.letters.readability import check_docx_bytes
from plo_tracker.letters.render import render_letter
from plo_tracker.letters.specimen import SPECIMEN_LOGO, specimen_context
from plo_tracker.letters.templates import SHIPPED, SHIPPED_BY_NAME, shipped_bytes

NAMES = [spec.name for spec in SHIPPED]


def rendered(name: str, *, full: bool = True) -> Document:
    spec = SHIPPED_BY_NAME[name]
    letter = render_letter(shipped_bytes(name), name, specimen_context(spec, full=full))
    return Document(io.BytesIO(letter.data))


@pytest.mark.parametrize("name", NAMES)
def test_every_page_has_the_reference_the_date_and_page_x_of_y(name: str) -> None:
    document = rendered(name)
    section = document.sections[0]
    for footer in (section.footer, section.first_page_footer):
        xml = footer._element.xml
        assert 'w:instr=" PAGE "' in xml and 'w:instr=" NUMPAGES "' in xml
        text = footer.paragraphs[0].text
        assert "Our reference: PLO-SPECIMEN-1" in text and "Monday 4 March 2024" in text
        assert "Page" in text and " of " in text


@pytest.mark.parametrize("name", NAMES)
def test_the_signature_block_stays_together(name: str) -> None:
    paragraphs = rendered(name).paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Yours sincerely,")
    block = paragraphs[start : start + 4]
    assert [p.text for p in block][2:] == ["Tom Manager", "Team manager, Example Council"]
    assert all(p.paragraph_format.keep_with_next for p in block[:3])


@pytest.mark.parametrize("name", NAMES)
def test_headings_stay_with_what_follows(name: str) -> None:
    document = rendered(name)
    for style in ("Heading 1", "Heading 2"):
        assert document.styles[style].paragraph_format.keep_with_next


def test_tables_repeat_their_heading_and_never_split_a_row() -> None:
    document = rendered("plan_summary")
    assert len(document.tables) == 2
    for table in document.tables:
        rows = table.rows
        assert len(rows) >= 2  # the heading and at least one item
        for number, row in enumerate(rows):
            properties = row._tr.trPr
            assert properties is not None
            assert properties.find(qn("w:cantSplit")) is not None
            assert (properties.find(qn("w:tblHeader")) is not None) is (number == 0)


def test_the_councils_logo_is_at_the_top_of_the_first_page_only() -> None:
    with_logo = rendered("letter_before_proceedings")
    section = with_logo.sections[0]
    assert section.different_first_page_header_footer
    assert "<pic:pic" in section.first_page_header._element.xml
    assert "<pic:pic" not in section.header._element.xml
    image_parts = [
        rel.target_part.blob
        for rel in section.first_page_header.part.rels.values()
        if "image" in rel.reltype
    ]
    assert image_parts == [SPECIMEN_LOGO.data]
    without = rendered("letter_before_proceedings", full=False)
    assert "<pic:pic" not in without.sections[0].first_page_header._element.xml


@pytest.mark.parametrize("name", NAMES)
def test_every_shipped_template_passes_its_own_jargon_check(name: str) -> None:
    # The template as shipped (its wording with the tags) ...
    report = check_docx_bytes(shipped_bytes(name), name)
    assert report.jargon == (), [(j.term, j.sentence) for j in report.jargon]
    # ... and a letter made from it with every part filled (the specimen's data has none).
    spec = SHIPPED_BY_NAME[name]
    letter = render_letter(shipped_bytes(name), name, specimen_context(spec))
    assert letter.report.jargon == (), [(j.term, j.sentence) for j in letter.report.jargon]
    assert letter.report.reading_ease >= 70 and not letter.report.long_sentences


def test_the_easy_read_letter_is_large_print_with_questions_for_headings() -> None:
    document = rendered("letter_before_proceedings_easy_read")
    assert document.styles["Normal"].font.size.pt >= 14
    assert document.styles["List Bullet"].font.size.pt >= 14
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert all(h.endswith("?") for h in headings) and len(headings) >= 8
    body = [
        p.text
        for p in document.paragraphs
        if p.text
        and not p.style.name.startswith("Heading")
        and p.style.name not in ("Address", "Language line")
    ]
    # Short lines, one idea each: no line holds more than two sentences or 20 words.
    for line in body:
        assert len(line.split()) <= 20, line
        assert line.count(". ") <= 1, line


# -- a draft on paper --------------------------------------------------------------------------


def page_texts(path: Path) -> list[str]:
    pages = []
    number = 1
    while True:
        done = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
            capture_output=True,
            timeout=60,
        )
        if done.returncode != 0:
            break
        pages.append(done.stdout.decode("utf-8"))
        number += 1
    return pages


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_a_draft_says_draft_on_every_printed_page(tmp_path: Path) -> None:
    if pdf.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    spec = SHIPPED_BY_NAME["letter_before_proceedings"]
    letter = render_letter(shipped_bytes(spec.name), spec.name, specimen_context(spec))
    path = tmp_path / "draft.docx"
    path.write_bytes(mark_draft(letter.data, spec.name, ["the council's details"]))
    made = pdf.convert([path])
    pages = page_texts(made[path])
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert DRAFT_MARK in text, number
        assert f"Page {number} of {len(pages)}" in text
        assert "Our reference: PLO-SPECIMEN-1" in text
    assert "Still missing before it can be sent:" in pages[0]
