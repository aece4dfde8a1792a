"""Rendering is sandboxed, escaped and strict; templates are checked before use."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx import Document

from plo_tracker.domain.model import Booking, CaseHistory, Child, Party, PlanAction, Solicitor
from plo_tracker.letters.context import (
    CouncilDetails,
    LetterOptions,
    Wording,
    build_context,
)
from plo_tracker.letters.errors import (
    ConfidentialAddressError,
    MissingValueError,
    NotADocxError,
    TemplateError,
    TemplateSyntaxProblem,
    UnknownFieldError,
    UnsafeTemplateError,
)
from plo_tracker.letters.privacy import address_parts
from plo_tracker.letters.render import check_template, render_letter
from plo_tracker.letters.specimen import specimen_context
from plo_tracker.letters.templates import SHIPPED, SHIPPED_BY_NAME, shipped_bytes, spec_for
from tests.builders import D

HOSTILE = "Ann & <Bob> \"x\" 'y' {{ 7*7 }} Zoë Ølsen {_{ %_} </w:t>"
LBP = SHIPPED_BY_NAME["letter_before_proceedings"]
GENERAL = spec_for("council_letter")


def template(*paragraphs: str, header: str | None = None, title: str | None = None) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if header is not None:
        document.sections[0].header.paragraphs[0].text = header
    if title is not None:
        document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def text_of(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return lines


def hostile_case(*, unborn: bool = False) -> CaseHistory:
    reader = Party(
        id="mother",
        name=HOSTILE,
        relationship="mother & carer",
        parental_responsibility=True,
        address=("1 <Main> & Co Street", "Zoë's Town"),
        solicitor=Solicitor(HOSTILE, firm="Bright, Shaw & Ellis <LLP>"),
    )
    return CaseHistory(
        reference="PLO-T-<1>&",
        children=(
            Child(HOSTILE, expected_birth=D("2024-08-14"))
            if unborn
            else Child(HOSTILE, date_of_birth=D("2019-05-14")),
        ),
        parties=(reader,),
        plan_actions=(PlanAction(HOSTILE, D("2024-04-12"), "mother", HOSTILE),),
        scheduled=(Booking("pre_proceedings_meeting", D("2024-03-12"), dt.time(10), HOSTILE),),
        social_worker=HOSTILE,
        team_manager=HOSTILE,
    )


def fields(case: CaseHistory, spec=GENERAL, **options) -> dict:
    return build_context(
        case,
        case.parties[0],
        spec,
        council=CouncilDetails(name=HOSTILE, phone="0345 & 1"),
        wording=Wording(),
        options=LetterOptions(**options),
        today=D("2024-03-04"),
    )


# -- hostile values ----------------------------------------------------------------------------


def test_hostile_values_come_out_exactly_as_typed() -> None:
    data = template(
        "Dear {{ recipient_name }},",
        "{{ solicitor.firm }} / {{ meeting.place }} / {{ case_reference }}",
        "{%p for line in recipient_address %}",
        "{{ line }}",
        "{%p endfor %}",
    )
    letter = render_letter(data, "t", fields(hostile_case()))
    lines = text_of(letter.data)
    assert lines[0] == f"Dear {HOSTILE},"
    assert lines[1] == f"Bright, Shaw & Ellis <LLP> / {HOSTILE} / PLO-T-<1>&"
    assert lines[2:] == ["1 <Main> & Co Street", "Zoë's Town"]
    assert "49" not in letter.text  # {{ 7*7 }} in a value is text, never run


@pytest.mark.parametrize("spec", SHIPPED, ids=lambda s: s.name)
def test_hostile_values_in_every_shipped_template(spec) -> None:
    # The letter about a baby not yet born speaks of that baby alone.
    case = hostile_case(unborn=spec.kind == "letter_before_proceedings_unborn")
    letter = render_letter(
        shipped_bytes(spec.name), spec.name, fields(case, spec, worries=(HOSTILE,))
    )
    text = "\n".join(text_of(letter.data))
    assert f"Dear {HOSTILE}," in text
    assert HOSTILE in text.split("\n")
    assert text.count(HOSTILE) >= 3
    assert "49" not in text
    # The letter is a sound Word document: it reopens and every part parses.
    with zipfile.ZipFile(io.BytesIO(letter.data)) as archive:
        assert archive.testzip() is None


# -- hostile templates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "{{ recipient_name.__class__.__mro__ }}",
        "{{ recipient_name.__class__.__mro__[1].__subclasses__() }}",
        "{{ children.__class__ }}",
        "{{ recipient_name|attr('__class__') }}",
        "{{ meeting._field }}",
        "{% include 'secrets.txt' %}",
        "{% import 'x' as y %}",
    ],
)
def test_templates_reaching_for_python_internals_are_refused(tag: str) -> None:
    data = template("Dear {{ recipient_name }},", tag)
    check = check_template(data, "evil", GENERAL)
    assert not check.ok
    assert "a letter template may not use" in check.problems[0]
    with pytest.raises(TemplateError):
        render_letter(data, "evil", fields(hostile_case()))


def test_a_value_cannot_be_let_into_the_xml_unescaped() -> None:
    data = template("Dear {{ recipient_name|safe }},")
    assert not check_template(data, "raw", GENERAL).ok
    with pytest.raises(TemplateSyntaxProblem, match="No filter named 'safe'"):
        render_letter(data, "raw", fields(hostile_case()))
    escaped = render_letter(template("Dear {{ recipient_name|e }},"), "e", fields(hostile_case()))
    assert text_of(escaped.data)[0] == f"Dear {HOSTILE},"


def test_the_sandbox_refuses_at_render_time_too() -> None:
    data = template("{{ recipient_name.__class__.__mro__ }}")
    with pytest.raises(UnsafeTemplateError, match="template 'evil' tries to do something"):
        render_letter(data, "evil", fields(hostile_case()))


@pytest.mark.parametrize(
    "tag",
    [
        "{{ 'x' * 100000000 }}",
        "{{ 10 ** 1000000 }}",
        "{% for i in range(10**9) %}x{% endfor %}",
        "{% for i in range(1000000) %}x{% endfor %}",
    ],
)
def test_templates_cannot_fill_the_memory(tag: str) -> None:
    data = template(tag)
    with pytest.raises(UnsafeTemplateError):
        render_letter(data, "greedy", fields(hostile_case()))
    assert not check_template(data, "greedy", GENERAL).ok


def test_an_unknown_field_is_named() -> None:
    data = template("Dear {{ recipient_name }}, see you at {{ meeting_room }}.")
    check = check_template(data, "council", GENERAL)
    assert not check.ok
    assert check.unknown_fields == ("meeting_room",)
    assert "recipient_name" in check.fields_used
    with pytest.raises(UnknownFieldError, match="uses the field 'meeting_room'") as caught:
        render_letter(data, "council", fields(hostile_case()))
    assert caught.value.field == "meeting_room"


def test_an_unknown_attribute_of_a_known_field_is_named() -> None:
    data = template(
        "{{ meeting.room }}",
        "{%p for a in changes %}",
        "{{ a.what }} {{ a.owner }}",
        "{%p endfor %}",
        "{%p for a in assessments %}",
        "{{ a.title }}",
        "{%p endfor %}",
    )
    check = check_template(data, "council", GENERAL)
    assert check.unknown_fields == ("changes.owner", "meeting.room")
    with pytest.raises(UnknownFieldError) as caught:
        render_letter(data, "council", fields(hostile_case()))
    assert caught.value.field == "meeting.room"


def test_unknown_fields_in_headers_and_document_properties_are_found() -> None:
    header = check_template(template("Hello", header="{{ logo_url }}"), "h", GENERAL)
    assert header.unknown_fields == ("logo_url",)
    title = check_template(template("Hello", title="{{ x.__class__ }}"), "t", GENERAL)
    assert not title.ok


def test_a_missing_value_names_the_field_and_how_to_guard_it() -> None:
    data = template("The meeting is at {{ meeting.time }}.")
    case = hostile_case()
    no_meeting = CaseHistory(reference="R", children=case.children, parties=case.parties)
    with pytest.raises(MissingValueError, match=r"prints 'meeting\.time'") as caught:
        render_letter(data, "council", fields(no_meeting))
    assert caught.value.field == "meeting.time"
    assert "{% if meeting %}" in str(caught.value)
    check = check_template(data, "council", GENERAL)
    assert check.ok and check.warnings  # it works when a meeting is booked
    guarded = template("{%p if meeting %}", "The meeting is at {{ meeting.time }}.", "{%p endif %}")
    assert check_template(guarded, "council", GENERAL).warnings == ()


@pytest.mark.parametrize("tag", ["{{ worries }}", "{{ meeting }}", "{{ one_child }}"])
def test_printing_a_list_a_record_or_a_yes_no_is_refused(tag: str) -> None:
    with pytest.raises(TemplateError, match="directly"):
        render_letter(template(tag), "council", fields(hostile_case()))


@pytest.mark.parametrize(
    "tag",
    [
        "Dear {{ recipient_name ",
        "{% if meeting %}no end",
        "{{ recipient_name | }}",
        "{%p endfor %}",
    ],
)
def test_broken_tags_are_refused_with_where_they_are(tag: str) -> None:
    data = template("Dear all,", tag, "Yours")
    check = check_template(data, "broken", GENERAL)
    assert not check.ok
    assert "has a broken" in check.problems[0]
    with pytest.raises(TemplateSyntaxProblem, match="template 'broken' has a broken"):
        render_letter(data, "broken", fields(hostile_case()))


def test_the_place_of_a_broken_tag_is_quoted() -> None:
    check = check_template(template("Dear all,", "Dear {{ recipient_name "), "broken", GENERAL)
    assert 'Near: "Dear {{ recipient_name' in check.problems[0]


@pytest.mark.parametrize(
    "data",
    [b"", b"%PDF-1.4 not a docx", b"PK\x03\x04 broken", b"Dear {{ recipient_name }}"],
)
def test_a_file_that_is_not_a_docx_is_refused(data: bytes) -> None:
    check = check_template(data, "letter.docx", GENERAL)
    assert not check.ok and "not a Word .docx document" in check.problems[0]
    with pytest.raises(NotADocxError):
        render_letter(data, "letter.docx", fields(hostile_case()))


def test_placeholders_split_across_runs_by_word_still_work() -> None:
    document = Document()
    paragraph = document.add_paragraph("Dear ")
    paragraph.add_run("{{ recipient").bold = True
    paragraph.add_run("_name }}, please call us.")
    buffer = io.BytesIO()
    document.save(buffer)
    letter = render_letter(buffer.getvalue(), "word", fields(hostile_case()))
    assert text_of(letter.data)[0] == f"Dear {HOSTILE}, please call us."


# -- confidential addresses --------------------------------------------------------------------


def test_a_confidential_address_never_reaches_another_persons_letter() -> None:
    kelly = Party("mother", "Kelly Jones", "mother", True, address=("12 Castle Street", "Ludlow"))
    liam = Party(
        "father",
        "Liam Jones",
        "father",
        True,
        address=("Flat 3, 8 Broad Street", "Ludlow", "SY8 1NG"),
        address_confidential=True,
    )
    case = CaseHistory(
        "R", (Child("Amelia Jones", date_of_birth=D("2017-05-14")),), parties=(kelly, liam)
    )
    spec = LBP

    def letter_for(reader: Party, **options):
        context = build_context(
            case,
            reader,
            spec,
            council=CouncilDetails(),
            wording=Wording(),
            options=LetterOptions(**options),
            today=D("2024-03-04"),
        )
        return render_letter(
            shipped_bytes(spec.name),
            spec.name,
            context,
            forbidden=address_parts(case, reader),
        )

    kellys = letter_for(kelly)
    assert "Broad Street" not in kellys.text and "SY8 1NG" not in kellys.text
    # Someone's address is confidential, so each parent is met alone: Kelly's letter does
    # not name Liam as coming to her meeting (nor give a meeting he may be at).
    assert "Liam Jones (father)" not in kellys.text
    assert "We will meet you on your own." in kellys.text
    assert "Flat 3, 8 Broad Street" in letter_for(liam).text  # his own letter shows it
    with pytest.raises(ConfidentialAddressError, match="confidential"):
        letter_for(kelly, worries=("Liam now lives at flat 3, 8 broad street.",))


# -- the shipped templates pass their own check ------------------------------------------------


@pytest.mark.parametrize("spec", SHIPPED, ids=lambda s: s.name)
def test_shipped_templates_pass_the_check_with_no_warnings(spec) -> None:
    check = check_template(shipped_bytes(spec.name), spec.name, spec)
    assert check.ok, check.problems
    assert check.warnings == ()
    assert check.unknown_fields == ()
    assert "recipient_name" in check.fields_used


def test_specimen_letters_render_for_every_shipped_template() -> None:
    for spec in SHIPPED:
        for full in (True, False):
            letter = render_letter(
                shipped_bytes(spec.name), spec.name, specimen_context(spec, full=full)
            )
            assert "Dear Ann Example," in letter.text
