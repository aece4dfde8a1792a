"""The shipped letters, rendered for every demo case and read back as each reader reads them.

This is the plain-language gate: with the demo data every letter of every shipped
template (the easy-read one too), to everyone in the case (with parental responsibility
or not), reaches Flesch reading ease 70 or more and has no sentence over 25 words.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from letter_templates import build_templates
from plo_tracker.domain.dates import clock_time, long_date
from plo_tracker.letters.context import (
    Hearing,
    LetterOptions,
    Wording,
    build_context,
    recipients,
)
from plo_tracker.letters.options import language_key
from plo_tracker.letters.privacy import address_parts, find_leak
from plo_tracker.letters.readability import LONG_SENTENCE_WORDS, READING_EASE_TARGET
from plo_tracker.letters.readiness import reader_meeting
from plo_tracker.letters.render import (
    render_letter,
    template_source,
)
from plo_tracker.letters.templates import SHIPPED, SHIPPED_BY_NAME, shipped_bytes
from tests.letters.demo_letters import (
    COUNCIL,
    LEFTOVER,
    TODAY,
    WHO_COMES,
    Made,
    demo_cases,
    readers_of,
    reopen,
)

# Rendering every shipped template (twelve, with the easy-read versions) for every demo
# reader takes minutes on a busy machine: the session fixture ``letters`` does it once.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
TEMPLATES_DIR = Path(build_templates.__file__).parent


def test_every_template_for_every_demo_case(letters: list[Made]) -> None:
    assert sum(len(recipients(case, None)) for case in demo_cases()) >= 100
    assert any(not p.parental_responsibility for c in demo_cases() for p in c.parties)
    for spec in SHIPPED:
        readers = sum(len(readers_of(case, spec)) for case in demo_cases())
        assert readers > 0
        assert sum(m.spec is spec for m in letters) == readers


def test_the_parent_reads_their_name_the_date_and_the_children(letters: list[Made]) -> None:
    for made in letters:
        text = made.everything
        assert f"Dear {made.reader.name}," in made.paragraphs, made.case.reference
        other_language = bool(language_key(made.reader.language))
        # A reader of another language first reads the line about an interpreter.
        assert made.paragraphs[1 if other_language else 0] == "Marches Council"
        if other_language:
            assert made.paragraphs[0].startswith("This letter is important. If you need an")
        assert long_date(TODAY) in made.paragraphs
        assert f"Our reference: {made.case.reference}" in made.paragraphs
        for line in made.reader.address:
            assert line in made.paragraphs
        if made.spec.name in ("letter_before_proceedings", "letter_of_issue", "plan_summary"):
            assert made.case.child_names().split(", ")[0] in text
        if not made.has_pr:  # the children by name, never "your children"
            assert "your child" not in text.lower() and "your baby" not in text.lower()
        assert not LEFTOVER.search(text), (made.spec.name, LEFTOVER.search(text))


def test_no_other_persons_address_is_ever_printed(letters: list[Made]) -> None:
    confidential_seen = 0
    for made in letters:
        text = made.everything
        parts = address_parts(made.case, made.reader, council_address=COUNCIL.address)
        assert find_leak(text, parts) is None
        for party in made.case.parties:
            if party.id == made.reader.id:
                continue
            confidential_seen += bool(party.address_confidential)
            for line in party.address:
                if re.search(r"\d", line):
                    assert line not in text, (made.case.reference, made.reader.id, party.id)
    assert confidential_seen  # the demo data has confidential addresses to protect


def test_solicitor_details_are_shown_when_recorded(letters: list[Made]) -> None:
    for made in letters:
        solicitor = made.reader.solicitor
        copy_lines = [p for p in made.paragraphs if p.startswith("Copy to:")]
        if solicitor is None:
            assert copy_lines == []
            continue
        expected = f"Copy to: {solicitor.name}" + (f", {solicitor.firm}" if solicitor.firm else "")
        assert copy_lines == [expected]
        if made.spec.easy_read and made.spec.name in WHO_COMES:
            assert f"Your solicitor, {solicitor.name}." in made.everything
        elif made.spec.sent_event is not None and made.has_pr:
            assert f"We have your solicitor as {solicitor.name}" in made.everything


def test_meeting_date_time_and_place_come_from_the_booking(letters: list[Made]) -> None:
    checked = withheld = 0
    for made in letters:
        if made.spec.kind in ("letter_of_issue", "outcome_letter"):
            continue
        booking = reader_meeting(made.case, made.reader, made.spec, LetterOptions(), TODAY)
        text = made.everything
        if any(p.address_confidential for p in made.case.parties if p is not made.reader):
            # Someone else's address is confidential: no booked meeting or family group
            # conference they may be at, and nobody else named as coming.
            withheld += 1
            assert booking is None
            for booked in made.case.scheduled:
                assert f"Date: {long_date(booked.date)}" not in made.paragraphs
                if booked.place:
                    assert booked.place not in text
            assert "We will meet you on your own" in text
            for other in made.case.parties:
                assert f"{other.name} ({other.relationship})" not in text
        if booking is None:
            assert "We will write to you" in text
            assert "Date: " not in text
            continue
        checked += 1
        if made.spec.name == "plan_summary":  # (its easy read gives Date:, Time:, Place:)
            sentence = f"is on {long_date(booking.date)}"
            if booking.time:
                sentence += f" at {clock_time(booking.time)}"
            assert sentence in text
            if booking.place:
                assert f"It will be at {booking.place}." in text
        else:
            assert f"Date: {long_date(booking.date)}" in made.paragraphs
            if booking.time:
                assert f"Time: {clock_time(booking.time)}" in made.paragraphs
            if booking.place:
                assert f"Place: {booking.place}" in made.paragraphs
    assert checked > 20 and withheld > 20


def test_the_letter_before_proceedings_says_everything_it_must(letters: list[Made]) -> None:
    """Section 4 of the domain reference, items 1 to 8."""
    for made in letters:
        if made.spec.sent_event != "letter_before_proceedings" or "easy_read" in made.spec.name:
            continue
        text = made.everything
        body = made.paragraphs[made.paragraphs.index(f"Dear {made.reader.name},") + 1 :]
        # 1. A clear first line.
        if made.has_pr:
            assert body[0].startswith("This letter is important. Please take it to a solicitor")
        else:
            assert body[0] == "This letter is important. Please read it carefully."
        # 2. The worries.
        assert "What we are worried about" in body
        # 3. What must change, each with a date.
        for action in made.case.plan_actions:
            if action.completed is None and action.party in (None, made.reader.id):
                if action.due < TODAY:  # never a past date as a deadline
                    assert f", by {long_date(action.due)}." not in text
                    assert f"this was due on {long_date(action.due)}; it is not done yet" in text
                else:
                    assert f", by {long_date(action.due)}." in text
        # 4. Help given and help to come.
        assert "The help we will give you" in body
        # 5. Family and friends: the family group conference.
        assert "family group conference" in text
        # 6. The meeting: who will be there, how to confirm, who to call.
        assert "These people will be at the meeting:" in body
        assert "to say you can come" in text and COUNCIL.phone in text
        # 7. Free legal advice, the list of solicitors, our lawyer: for people with PR only.
        if made.has_pr:
            assert "Their advice is free for you." in text
            assert "We have put in a list of local solicitors." in text
            assert f"our lawyer, {COUNCIL.lawyer_name}" in text
        else:
            for claim in ("advice is free", "help is free", "free for you", "free whatever"):
                assert claim not in text.lower(), (made.spec.name, claim)
            assert "You may have to pay for it." in text
            assert COUNCIL.lawyer_name not in text
            assert "list of local solicitors" not in text
        assert "Find a Solicitor" in text and "0808 801 0366" in text
        # 8. What happens if things do not change.
        assert "we may ask the family court to decide" in text
        assert "care order" in text and "supervision order" in text


def test_the_unborn_letter_talks_about_the_baby(letters: list[Made]) -> None:
    unborn = [m for m in letters if m.spec.name == "letter_before_proceedings_unborn"]
    with_baby = [m for m in unborn if any(c.unborn for c in m.case.children)]
    assert with_baby
    for made in with_baby:
        due = next(c.expected_birth for c in made.case.children if c.unborn)
        assert f"The baby is due on {long_date(due)}." in made.everything
        baby = "your baby" if made.has_pr else "the baby"
        assert f"before {baby} is born" in made.everything


def test_every_letter_passes_the_plain_language_gate(letters: list[Made]) -> None:
    for made in letters:
        report = made.letter.report
        where = (made.spec.name, made.case.reference, made.reader.id)
        assert report.reading_ease >= READING_EASE_TARGET, (where, report.reading_ease)
        assert report.long_sentences == (), (where, report.long_sentences)
        assert report.longest[0][0] <= LONG_SENTENCE_WORDS
        # Jargon only ever comes from the case data (plan text), never from the wording.
        data_text = [
            *(a.action for a in made.case.plan_actions),
            *(a.support or "" for a in made.case.plan_actions),
            *(a.title for a in made.case.assessments),
        ]
        for finding in report.jargon:
            assert any(finding.term.lower() in t.lower() for t in data_text), (where, finding)


def test_letter_of_issue_with_and_without_the_first_hearing() -> None:
    spec = SHIPPED_BY_NAME["letter_of_issue"]
    case = demo_cases()[0]
    reader = recipients(case, None)[0]

    def text(**options: object) -> str:
        context = build_context(
            case,
            reader,
            spec,
            council=COUNCIL,
            wording=Wording(),
            options=LetterOptions(**options),
            today=TODAY,
        )
        return render_letter(shipped_bytes(spec.name), spec.name, context).text

    hearing = text(hearing=Hearing(dt.date(2024, 3, 18), dt.time(10, 30), "Telford Family Court"))
    assert "The first hearing is on Monday 18 March 2024 at 10:30am." in hearing
    assert "It will be at Telford Family Court." in hearing
    unknown = text()
    assert "The court will write to you with the date, time and place." in unknown
    assert "Legal aid is free for parents" in unknown


def test_typed_worries_are_what_the_parent_reads() -> None:
    spec = SHIPPED_BY_NAME["letter_before_proceedings"]
    case = demo_cases()[1]
    reader = recipients(case, None)[0]
    context = build_context(
        case,
        reader,
        spec,
        council=COUNCIL,
        wording=Wording(),
        options=LetterOptions(
            worries=(
                "The children have missed 20 days of school since September.",
                "The police came to the house twice in January after arguments.",
            )
        ),
        today=TODAY,
    )
    paragraphs, _ = reopen(render_letter(shipped_bytes(spec.name), spec.name, context).data)
    start = paragraphs.index("What we are worried about")
    recorded = [c.text for c in case.concerns_for(reader.id)]
    assert recorded  # the demo case's own worries for this parent come first
    assert paragraphs[start + 1 : start + 3 + len(recorded)] == [
        *recorded,
        "The children have missed 20 days of school since September.",
        "The police came to the house twice in January after arguments.",
    ]


# -- the committed files are what the build script makes ---------------------------------------


def test_committed_templates_match_the_build_script(tmp_path: Path) -> None:
    for name, builder in build_templates.BUILDERS.items():
        path = tmp_path / f"{name}.docx"
        builder().save(str(path))
        assert template_source(path.read_bytes(), name) == template_source(
            shipped_bytes(name), name
        ), f"{name}.docx is out of date: run python -m letter_templates.build_templates"


def test_fields_md_is_up_to_date() -> None:
    written = (TEMPLATES_DIR / "fields.md").read_text(encoding="utf-8")
    assert written == build_templates.fields_markdown(), (
        "fields.md is out of date: run python -m letter_templates.build_templates"
    )
