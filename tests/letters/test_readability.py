"""The plain-language check: sentences, labels, scores, passive voice and jargon."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from docx import Document

from plo_tracker.errors import ValidationError
from plo_tracker.letters.errors import NotADocxError
from plo_tracker.letters.jargon import DEFAULT_TERMS, check_extra, terms_with
from plo_tracker.letters.readability import (
    Block,
    blocks_from_document,
    check_blocks,
    check_docx_bytes,
    check_text,
    is_label,
    passive_phrases,
    split_sentences,
)


def docx_bytes(build) -> bytes:
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# -- sentences and labels ----------------------------------------------------------------------


def test_sentences_split_after_full_stops_but_not_inside_emails_times_or_titles() -> None:
    text = (
        "Email legal@council.gov.uk today. Mr. Evans will call at 2.30pm! Can you come? "
        "Yes. 4 March is fine."
    )
    assert split_sentences(text) == [
        "Email legal@council.gov.uk today.",
        "Mr. Evans will call at 2.30pm!",
        "Can you come?",
        "Yes.",
        "4 March is fine.",
    ]


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("12 Castle Street", True),
        ("Monday 4 March 2024", True),
        ("Dear Kelly Jones,", True),
        ("What we are worried about", True),
        ("What happens if things do not change", False),  # seven words: a sentence
        ("Call us.", False),
        ("Go to every appointment with the drug and alcohol team", False),
    ],
)
def test_short_lines_without_a_full_stop_are_labels(line: str, label: bool) -> None:
    assert is_label(line) is label


def test_headings_and_address_lines_do_not_count_as_sentences() -> None:
    def build(document):
        document.add_heading("What happens if things do not change at home", level=2)
        document.add_paragraph("12 Castle Street")
        document.add_paragraph("We hope things will get better. Please call us.")
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "Who"
        table.cell(0, 1).text = "Go to the parenting course on Tuesdays"

    document = Document(io.BytesIO(docx_bytes(build)))
    blocks = blocks_from_document(document)
    assert [b.text for b in blocks] == [
        "What happens if things do not change at home",
        "12 Castle Street",
        "We hope things will get better. Please call us.",
        "Who",
        "Go to the parenting course on Tuesdays",
    ]
    assert [b.label for b in blocks] == [True, True, False, True, False]
    report = check_blocks(blocks)
    assert report.sentence_count == 3


def test_a_manual_line_break_starts_a_new_line() -> None:
    def build(document):
        paragraph = document.add_paragraph("1 Mill Lane")
        paragraph.add_run().add_break()
        paragraph.add_run("Ludlow")

    document = Document(io.BytesIO(docx_bytes(build)))
    assert [b.text for b in blocks_from_document(document)] == ["1 Mill Lane", "Ludlow"]


# -- scores and long sentences -----------------------------------------------------------------


def test_plain_text_scores_high_and_dense_text_low() -> None:
    plain = check_text(
        "We are worried about Amelia. She is often late for school. Please come to the "
        "meeting on Monday. Bring your solicitor. Their help is free."
    )
    dense = check_text(
        "The local authority considers that the threshold criteria pursuant to section 31 "
        "are satisfied, notwithstanding the interventions previously implemented, and "
        "accordingly contemplates the initiation of care proceedings."
    )
    assert plain.reading_ease >= 80 and plain.grade <= 4
    assert dense.reading_ease < 30 and dense.grade > 12
    assert plain.plain_enough and not dense.plain_enough
    kinds = {f.kind for f in dense.findings()}
    assert {"reading_ease", "grade", "jargon"} <= kinds
    assert any(f.severity == "strong" for f in dense.findings() if f.kind == "grade")


def test_sentences_over_25_words_are_listed_with_the_longest() -> None:
    long = "Word " + " ".join(["word"] * 25) + "."
    ok = "Word " + " ".join(["word"] * 24) + "."
    report = check_text(f"{ok} {long} Short one.")
    assert report.long_sentences == (long,)
    assert report.longest[0] == (26, long)
    assert report.longest[1] == (25, ok)
    finding = next(f for f in report.findings() if f.kind == "long_sentence")
    assert finding.sentence == long and "26 words" in finding.message


def test_empty_text_gives_zero_scores_and_says_so() -> None:
    report = check_text("")
    assert (report.reading_ease, report.grade, report.sentence_count) == (0.0, 0.0, 0)
    assert report.findings()[0].message == "There is no text to check."


def test_json_has_exactly_the_contract_keys() -> None:
    report = check_text("The threshold is met. Please call us on Monday about the meeting.")
    document = json.loads(json.dumps(report.to_json()))
    assert set(document) == {"reading_ease", "grade", "long_sentences", "jargon"}
    assert isinstance(document["reading_ease"], float) and isinstance(document["grade"], float)
    assert document["long_sentences"] == []
    assert document["jargon"] == [
        {
            "term": "threshold",
            "suggestion": "we think your child has been badly hurt, or could be",
            "sentence": "The threshold is met.",
        }
    ]


# -- passive voice -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "passive"),
    [
        ("The letter was sent to you on Monday.", True),
        ("You will be given help with the bus fare.", True),
        ("The plan has been written down.", True),
        ("We are worried about your children.", False),
        ("You are allowed to bring a friend.", False),
        ("It is called a family group conference.", False),
        ("We will send you a copy.", False),
        ("We have booked the meeting.", False),
    ],
)
def test_passive_voice_heuristic(sentence: str, passive: bool) -> None:
    assert bool(passive_phrases(sentence)) is passive


# -- jargon ------------------------------------------------------------------------------------


def jargon_terms(text: str, terms=DEFAULT_TERMS) -> list[str]:
    return [j.term for j in check_text(text, terms).jargon]


def test_every_row_of_the_domain_table_is_in_the_default_list() -> None:
    names = {t.term for t in DEFAULT_TERMS}
    for term in (
        "Public Law Outline",
        "PLO",
        "pre-proceedings",
        "care proceedings",
        "issue proceedings",
        "threshold",
        "significant harm",
        "legal planning meeting",
        "legal gateway",
        "parental responsibility",
        "care order",
        "interim care order",
        "supervision order",
        "written agreement",
        "PLO plan",
        "viability assessment",
        "family group conference",
        "FGDM",
        "contact",
        "placement",
        "looked after",
        "LAC",
        "CLA",
        "engage",
        "non-engagement",
        "substance misuse",
        "hair strand test",
        "shall",
        "must comply with",
        "step down",
        "the local authority",
        "CP plan",
        "CIN plan",
        "core group",
        "ICPC",
        "RCPC",
    ):
        assert term in names, term


def test_acronyms_match_only_in_capitals_and_not_inside_references() -> None:
    assert jargon_terms("This is the PLO.") == ["PLO"]
    assert jargon_terms("Our reference is PLO-2024-0007. The plo is fine.") == []
    assert jargon_terms("Pre proceedings started. She is looked after by her aunt.") == [
        "pre-proceedings"
    ]


def test_contact_the_noun_is_jargon_but_contact_us_is_not() -> None:
    assert jargon_terms("Please contact us on Monday.") == []
    assert jargon_terms("Contact with your children will be on Fridays.") == ["contact"]


def test_longest_term_wins_and_other_forms_are_found() -> None:
    assert jargon_terms("The court made an interim care order.") == ["interim care order"]
    assert jargon_terms("You did not engage. We stepped down the plan.") == [
        "engage",
        "step down",
    ]
    assert jargon_terms("We issued proceedings on Monday.") == ["issue proceedings"]


def test_an_explained_term_is_not_flagged_from_then_on() -> None:
    text = (
        "We can set up a family meeting. It is called a family group conference. "
        "The family group conference will be on Monday. "
        "The court could make a care order. This would let us make decisions about your "
        "child's care. A care order lasts until your child is 18. "
        "Viability assessment of the grandparents (a check of whether a relative could look "
        "after your child)."
    )
    assert jargon_terms(text) == []


def test_a_term_used_before_it_is_explained_is_flagged_once() -> None:
    text = "The family group conference is on Monday. It is called a family group conference."
    assert jargon_terms(text) == ["family group conference"]


def test_council_terms_extend_the_list() -> None:
    extra = check_extra([{"term": "core assessment", "suggestion": "a full check"}])
    assert jargon_terms("The core assessment is late.", terms_with(extra)) == ["core assessment"]
    assert jargon_terms("The core assessment is late.") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not a list", "must be a list"),
        ([{"term": "x"}], "exactly a term and a suggestion"),
        ([{"term": "", "suggestion": "y"}], "must not be empty"),
        ([{"term": "--", "suggestion": "y"}], "no letters"),
        ([{"term": "a\nb", "suggestion": "y"}], "control characters"),
        ([{"term": "x", "suggestion": "y"}, {"term": "X", "suggestion": "z"}], "listed twice"),
        ([{"term": "x" * 101, "suggestion": "y"}], "too long"),
    ],
)
def test_council_terms_are_checked(value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_extra(value)


# -- any .docx ---------------------------------------------------------------------------------


def test_a_docx_written_elsewhere_is_checked() -> None:
    def build(document):
        document.add_paragraph("Dear Mr Jones,")
        document.add_paragraph(
            "Pursuant to the Public Law Outline, the local authority has convened a legal "
            "planning meeting and determined that the threshold criteria are met."
        )

    report = check_docx_bytes(docx_bytes(build), "outside.docx")
    assert {j.term for j in report.jargon} == {
        "Public Law Outline",
        "the local authority",
        "legal planning meeting",
        "threshold",
    }
    assert report.reading_ease < 40


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"just some text, not a document",
        b"PK\x03\x04 broken zip",
    ],
)
def test_anything_but_a_docx_is_refused_plainly(data: bytes) -> None:
    with pytest.raises(NotADocxError, match=r"not a Word \.docx document"):
        check_docx_bytes(data, "notes.txt")


def test_a_zip_that_is_not_a_word_document_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(NotADocxError, match=r"not a Word \.docx document"):
        check_docx_bytes(buffer.getvalue(), "sheet.xlsx")


def test_labels_are_still_checked_for_jargon() -> None:
    report = check_blocks([Block("Care proceedings", label=True), Block("Call us today.")])
    assert [j.term for j in report.jargon] == ["care proceedings"]
    assert report.sentence_count == 1
