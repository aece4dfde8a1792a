"""LetterService on SQLite and PostgreSQL: making, recording, sending, permissions, templates."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pytest

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Event, Party
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    PloError,
    ValidationError,
)
from plo_tracker.letters.context import CouncilDetails, Hearing, LetterOptions, Wording
from plo_tracker.letters.errors import (
    ConfidentialAddressError,
    LetterNotReady,
    NotADocxError,
    TemplateError,
    TemplateSyntaxProblem,
    UnknownFieldError,
    UnsafeTemplateError,
)
from plo_tracker.letters.options import SeparateMeeting
from plo_tracker.services.base import today
from tests.conftest import as_role

from .helpers import (
    COUNCIL,
    HOSTILE,
    LETTER_DAY,
    OPTIONS,
    UNBORN_OPTIONS,
    docx_text,
    issue_proceedings,
    make_docx,
    with_examples,
)

CASE = "PLO-2024-0007"  # mother Kelly Jones (solicitor Helen Price), father Liam Jones
UNBORN_CASE = "PLO-2024-0011"  # Baby Morris; mother Chloe Morris (party id "m")
NO_PARTIES = "PLO-2023-0042"


@pytest.fixture
def letters_app(app: AppContext) -> AppContext:
    return with_examples(app)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder for the letters (the test's database is in tmp_path itself)."""
    folder = tmp_path / "letters"
    folder.mkdir()
    return folder


def audit_rows(app: AppContext, reference: str, entity: str) -> list:
    return [r for r in app.audit.trail(reference) if r.entity == entity]


def party(app: AppContext, reference: str, key: str) -> Party:
    found = app.cases.get(reference).party(key)
    assert found is not None
    return found


# -- making letters ---------------------------------------------------------------------------


def test_one_letter_per_person_with_pr_recorded_and_audited(
    letters_app: AppContext, out: Path
) -> None:
    result = letters_app.letters.generate(CASE, "letter_before_proceedings", out, options=OPTIONS)
    assert [g.record.recipient_key for g in result.letters] == ["mother", "father"]
    mother, father = result.letters
    for letter in result.letters:
        assert letter.path.parent == out
        assert letter.path.stat().st_mode & 0o777 == 0o600
        data = letter.path.read_bytes()
        assert letter.record.sha256 == hashlib.sha256(data).hexdigest()
        assert letter.record.file_name == letter.path.name
        assert letter.record.generated_by == letters_app.actor.username
        assert letter.record.template == "letter_before_proceedings"
        assert letter.record.template_title == "Letter before proceedings"
        assert letter.pdf_path is None and letter.record.pdf_sha256 is None
        # File names carry the reference and the party's ID, never a person's name.
        assert letter.path.name.startswith(f"{CASE}_letter_before_proceedings_")
        assert "Jones" not in letter.path.name
    text = docx_text(mother.path)
    assert "Dear Kelly Jones," in text
    assert "Monday 4 March 2024" in text
    assert "Amelia Jones and Noah Jones" in text
    assert "Helen Price" in text and "Price & Co" in text
    assert "Marches Example Council" in text and "0345 000 1234" in text
    assert "{{" not in text and "{%" not in text
    father_text = docx_text(father.path)
    assert "Dear Liam Jones," in father_text
    assert "Helen Price" not in father_text  # her solicitor, not his
    assert "12 Castle Street" not in father_text  # not confidential, but not his letter
    # Recorded on the case, in order, and in the audit log (who, which case).
    history = letters_app.letters.history(CASE)
    assert [r.id for r in history] == [mother.record.id, father.record.id]
    assert history[0] == mother.record
    assert history[0].generated_at.tzinfo is not None
    rows = audit_rows(letters_app, CASE, "letters")
    assert len(rows) == 2
    assert {r.action for r in rows} == {"create"} and {r.username for r in rows} == {
        letters_app.actor.username
    }
    assert rows[0].changes is not None and rows[0].changes["recipient_key"] == [None, "mother"]
    assert "Council details not set" not in " ".join(result.warnings)


def test_one_named_party_and_refusals(letters_app: AppContext, out: Path) -> None:
    result = letters_app.letters.generate(
        CASE, "review_invitation", out, party="father", options=OPTIONS
    )
    assert [g.record.recipient_key for g in result.letters] == ["father"]
    text = docx_text(result.letters[0].path)
    # The booked review meeting, written the English way.
    assert "Tuesday 2 April 2024" in text
    assert "10am" in text
    assert "Ludlow Library, meeting room 1" in text
    with pytest.raises(ValidationError, match="no person with the ID 'uncle'"):
        letters_app.letters.generate(CASE, "review_invitation", out, party="uncle")
    with pytest.raises(ValidationError, match=f"Case {NO_PARTIES} has nobody"):
        letters_app.letters.generate(NO_PARTIES, "outcome_letter", out)
    with pytest.raises(NotFound, match="no case with the reference NOPE"):
        letters_app.letters.generate("NOPE", "outcome_letter", out)
    with pytest.raises(TemplateError, match=r"no template called 'lbp'.*letter_of_issue"):
        letters_app.letters.generate(CASE, "lbp", out)
    with pytest.raises(ValidationError, match="Person: must be text"):
        letters_app.letters.generate(CASE, "outcome_letter", out, party=3)  # type: ignore[arg-type]
    assert len(letters_app.letters.history(CASE)) == 1
    assert sorted(p.name for p in out.iterdir()) == [result.letters[0].path.name]


def test_unborn_baby_letter_and_hearing(letters_app: AppContext, out: Path) -> None:
    result = letters_app.letters.generate(
        UNBORN_CASE, "letter_before_proceedings_unborn", out, options=UNBORN_OPTIONS
    )
    (letter,) = result.letters
    text = docx_text(letter.path)
    assert "Dear Chloe Morris," in text
    assert "Tuesday 20 August 2024" in text  # the expected date of birth
    assert "baby" in text
    # No solicitor is recorded for her: the letter still tells her how to get one.
    assert "solicitor" in text
    # A letter of issue once proceedings are issued (and dated on or after the issue).
    issue_proceedings(letters_app, UNBORN_CASE, dt.date(2024, 3, 15))
    hearing = LetterOptions(
        letter_date=dt.date(2024, 3, 15),
        hearing=Hearing(dt.date(2024, 3, 18), dt.time(10, 30), "Family Court at Telford"),
    )
    (issued,) = letters_app.letters.generate(
        UNBORN_CASE, "letter_of_issue", out, options=hearing
    ).letters
    issue_text = docx_text(issued.path)
    assert "Monday 18 March 2024" in issue_text
    assert "10:30am" in issue_text
    assert "Family Court at Telford" in issue_text


def test_hostile_values_come_out_exactly_as_typed(letters_app: AppContext, out: Path) -> None:
    mother = party(letters_app, CASE, "mother")
    letters_app.cases.save_party(
        CASE, replace(mother, name=HOSTILE, address=('1 <Main> & "Side" Street', "Ølby"))
    )
    options = LetterOptions(letter_date=LETTER_DAY, worries=(f"We worry about {HOSTILE}.",))
    (letter,) = letters_app.letters.generate(
        CASE, "letter_before_proceedings", out, party="mother", options=options
    ).letters
    text = docx_text(letter.path)
    assert f"Dear {HOSTILE}," in text
    assert f"We worry about {HOSTILE}." in text
    assert '1 <Main> & "Side" Street' in text and "Ølby" in text
    assert "49" not in text.replace("2024", "")  # {{ 7*7 }} was printed, not worked out
    assert letter.record.recipient_name == HOSTILE


def test_a_confidential_address_never_reaches_another_persons_letter(
    letters_app: AppContext, out: Path
) -> None:
    mother = party(letters_app, CASE, "mother")
    letters_app.cases.save_party(CASE, replace(mother, address_confidential=True))
    result = letters_app.letters.generate(CASE, "plan_summary", out, options=OPTIONS)
    texts = {g.record.recipient_key: docx_text(g.path) for g in result.letters}
    for line in ("12 Castle Street", "SY8 1AS"):
        assert line not in texts["father"]
        assert line in texts["mother"]  # her own letter may show it
    # Typed text holding her address is caught too, and nothing is saved.  (His letter
    # needs a meeting of his own: the booked one is hers.)
    before = sorted(out.iterdir())
    # A separate meeting is booked with the letter, so it is still to come.
    soon = WorkingCalendar().add_working_days(clock.today(), 10)
    own_meeting = SeparateMeeting(soon, dt.time(11), "Shirehall, Room 5")
    with pytest.raises(ConfidentialAddressError, match="confidential"):
        letters_app.letters.generate(
            CASE,
            "letter_before_proceedings",
            out,
            party="father",
            options=LetterOptions(
                letter_date=LETTER_DAY,
                worries=("Kelly now lives at 12 Castle Street.",),
                meeting=own_meeting,
            ),
        )
    assert sorted(out.iterdir()) == before
    assert len(letters_app.letters.history(CASE)) == 2


def test_files_are_never_overwritten(letters_app: AppContext, out: Path) -> None:
    target = out / "new folder"
    first = letters_app.letters.generate(
        CASE, "plan_summary", target, party="mother", options=OPTIONS
    ).letters[0]
    assert target.stat().st_mode & 0o777 == 0o700
    second = letters_app.letters.generate(
        CASE, "plan_summary", target, party="mother", options=OPTIONS
    ).letters[0]
    assert first.path != second.path and second.path.stem.endswith("-2")
    assert first.path.read_bytes() and second.path.exists()
    with pytest.raises(PloError, match="does not exist"):
        letters_app.letters.generate(CASE, "outcome_letter", out / "a" / "b")
    # A refused request does not even make the folder.
    with pytest.raises(NotFound):
        letters_app.letters.generate("NOPE", "outcome_letter", out / "never")
    with pytest.raises(ValidationError):
        letters_app.letters.generate_batch([NO_PARTIES], "outcome_letter", out / "never")
    assert not (out / "never").exists()
    (out / "a file").write_text("x")
    with pytest.raises(PloError, match="is a file, not a folder"):
        letters_app.letters.generate(CASE, "outcome_letter", out / "a file")


def test_preview_saves_nothing(letters_app: AppContext, out: Path) -> None:
    previews = letters_app.letters.preview(CASE, "letter_before_proceedings", options=OPTIONS)
    assert [p.recipient_key for p in previews] == ["mother", "father"]
    assert "Dear Kelly Jones," in previews[0].text
    assert previews[0].report.reading_ease >= 70
    assert previews[0].report.to_json().keys() == {
        "reading_ease",
        "grade",
        "long_sentences",
        "jargon",
    }
    # Ready to send: nothing missing, and its meeting is the one booked.
    assert previews[0].ready and previews[0].missing == ()
    assert not any("No meeting" in n for n in previews[0].notes)
    assert "Date: Tuesday 12 March 2024" in previews[0].text
    # A preview of a letter that is not ready says what is missing (and still saves nothing).
    (outcome,) = letters_app.letters.preview(
        CASE, "outcome_letter", party="mother", options=OPTIONS
    )
    assert not outcome.ready and "stepped down" in outcome.missing[0]
    assert letters_app.letters.history(CASE) == []
    assert audit_rows(letters_app, CASE, "letters") == []


def test_no_letter_until_the_council_details_are_set(app: AppContext, out: Path) -> None:
    """Letters with [placeholders] used to be made; now only a draft shows them."""
    with_examples(app)
    app.letters.set_council(CouncilDetails())
    with pytest.raises(LetterNotReady) as refused:
        app.letters.generate(CASE, "plan_summary", out, options=OPTIONS)
    assert "the council's details: the council's name, the council's address" in str(refused.value)
    assert list(out.iterdir()) == []
    result = app.letters.generate(CASE, "plan_summary", out, options=OPTIONS, draft=True)
    assert any("Council details not set" in w for w in result.warnings)
    assert "[council phone number]" in docx_text(result.letters[0].path)


# -- batches ----------------------------------------------------------------------------------


def test_batch_reports_progress_and_records_every_letter(
    letters_app: AppContext, out: Path
) -> None:
    calls: list[tuple[int, int]] = []
    result = letters_app.letters.generate_batch(
        [CASE, UNBORN_CASE, CASE],
        "plan_summary",
        out,
        options=OPTIONS,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert [(g.record.case_reference, g.record.recipient_key) for g in result.letters] == [
        (CASE, "mother"),
        (CASE, "father"),
        (UNBORN_CASE, "m"),
    ]
    assert len({g.record.generated_at for g in result.letters}) == 1
    assert len(letters_app.letters.history(UNBORN_CASE)) == 1


def test_cancelled_batch_saves_nothing(letters_app: AppContext, out: Path) -> None:
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(1)
        return len(asked) > 2

    result = letters_app.letters.generate_batch(
        [CASE, UNBORN_CASE], "plan_summary", out, options=OPTIONS, cancelled=cancelled
    )
    assert result.cancelled and result.letters == ()
    assert list(out.iterdir()) == []
    assert letters_app.letters.history(CASE) == []


@pytest.mark.parametrize(
    ("references", "error", "message"),
    [
        ([CASE, "PLO-NOPE-1"], NotFound, "no case with the reference PLO-NOPE-1"),
        ([CASE, NO_PARTIES], ValidationError, f"Case {NO_PARTIES} has nobody"),
        ([], ValidationError, "at least one case"),
    ],
)
def test_a_batch_with_a_bad_case_makes_nothing(
    letters_app: AppContext,
    out: Path,
    references: list[str],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        letters_app.letters.generate_batch(references, "outcome_letter", out)
    assert list(out.iterdir()) == []
    assert letters_app.letters.history(CASE) == []


def test_a_template_failing_in_a_batch_names_the_case(letters_app: AppContext, out: Path) -> None:
    template = make_docx(out / "copy_note.docx", "Copy to {{ solicitor.name }}.")
    target = out / "out"
    target.mkdir()
    # The specimen check warns (a person with no solicitor recorded would be refused)...
    check = letters_app.letters.check_template_file(template)
    assert check.ok and check.warnings
    # ...and so it is: the whole batch stops, naming the case and the person (the father
    # has no solicitor), and nothing is saved.
    with pytest.raises(PloError, match=f"No letters were made. Case {CASE}, letter to father.*"):
        letters_app.letters.generate_batch(
            [CASE, UNBORN_CASE], None, target, template_file=template, options=OPTIONS
        )
    assert list(target.iterdir()) == []


# -- record as sent ---------------------------------------------------------------------------


def test_recording_a_letter_before_proceedings_as_sent_adds_the_event(
    letters_app: AppContext, out: Path
) -> None:
    (letter,) = letters_app.letters.generate(
        UNBORN_CASE, "letter_before_proceedings_unborn", out, options=UNBORN_OPTIONS
    ).letters
    before = [e for e in letters_app.cases.get(UNBORN_CASE).events]
    sent = letters_app.letters.record_sent(letter.record.id, today())
    assert sent.sent_on == today() and sent.sent_recorded_by == letters_app.actor.username
    assert sent.version == letter.record.version + 1
    events = letters_app.cases.get(UNBORN_CASE).events
    added = [e for e in events if e not in before]
    assert len(added) == 1
    assert (added[0].type, added[0].date, added[0].party, added[0].fgdm_offered) == (
        "letter_before_proceedings",
        today(),
        "m",
        True,
    )
    assert letters_app.letters.history(UNBORN_CASE)[0].sent_on == today()
    assert any(
        r.action == "update" and r.changes and "sent_on" in r.changes
        for r in audit_rows(letters_app, UNBORN_CASE, "letters")
    )
    with pytest.raises(ValidationError, match="already recorded as sent"):
        letters_app.letters.record_sent(letter.record.id, today())
    assert len(letters_app.cases.get(UNBORN_CASE).events) == len(events)


def test_record_sent_rules(letters_app: AppContext, out: Path) -> None:
    # A letter of issue is recorded only once proceedings are issued (chronology rules).
    issued_on = dt.date(2024, 3, 11)
    letters_app.cases.save_event(
        CASE, Event("decision_to_issue", issued_on, decided_by="David Evans")
    )
    letters_app.cases.save_event(CASE, Event("proceedings_issued", issued_on))
    mother, father = letters_app.letters.generate(CASE, "letter_of_issue", out).letters
    with pytest.raises(ValidationError, match="cannot be in the future"):
        letters_app.letters.record_sent(mother.record.id, today() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="before the letter was made"):
        letters_app.letters.record_sent(mother.record.id, dt.date(2024, 1, 1))
    with pytest.raises(ConflictError):
        letters_app.letters.record_sent(mother.record.id, today(), expected_version=99)
    with pytest.raises(NotFound, match="no letter number 9999"):
        letters_app.letters.record_sent(9999, today())
    letters_app.letters.record_sent(mother.record.id, today(), mother.record.version)
    issued = [e for e in letters_app.cases.get(CASE).events if e.type == "letter_of_issue"]
    assert [(e.party, e.date) for e in issued] == [("mother", today())]
    # A letter with no case event (a plan summary) is only marked as sent.
    (plan,) = letters_app.letters.generate(CASE, "plan_summary", out, party="father").letters
    events = len(letters_app.cases.get(CASE).events)
    assert letters_app.letters.record_sent(plan.record.id, today()).sent_on == today()
    assert len(letters_app.cases.get(CASE).events) == events
    assert father.record.sent_event == "letter_of_issue" and plan.record.sent_event is None


def test_the_recipient_must_still_be_in_the_case(letters_app: AppContext, out: Path) -> None:
    (letter,) = letters_app.letters.generate(
        CASE, "letter_before_proceedings", out, party="father", options=OPTIONS
    ).letters
    father = party(letters_app, CASE, "father")
    letters_app.cases.save_party(CASE, replace(father, id="dad"))  # renamed in the case
    with pytest.raises(ValidationError, match=r"\(father\) is no longer part of case"):
        letters_app.letters.record_sent(letter.record.id, today())
    assert letters_app.letters.get(letter.record.id).sent_on is None


# -- permissions ------------------------------------------------------------------------------


def test_a_social_worker_may_not_make_or_send_letters(letters_app: AppContext, out: Path) -> None:
    (letter,) = letters_app.letters.generate(
        UNBORN_CASE, "letter_before_proceedings_unborn", out / "a", options=UNBORN_OPTIONS
    ).letters
    worker = as_role(letters_app, "social_worker")
    target = out / "b"
    for attempt in (
        lambda: worker.letters.generate(CASE, "letter_before_proceedings", target),
        lambda: worker.letters.generate_batch([CASE], "plan_summary", target),
        lambda: worker.letters.preview(CASE, "letter_before_proceedings"),
        lambda: worker.letters.record_sent(letter.record.id, today()),
        lambda: worker.letters.set_council(COUNCIL),
        lambda: worker.letters.set_template_folder(out),
    ):
        with pytest.raises(PermissionDenied, match="social worker may not"):
            attempt()
    assert not target.exists()
    assert worker.letters.history(UNBORN_CASE)[0].id == letter.record.id  # may look


def test_managers_make_letters_and_legal_liaison_manages_templates(
    letters_app: AppContext, out: Path
) -> None:
    manager = as_role(letters_app, "team_manager")
    (letter,) = manager.letters.generate(UNBORN_CASE, "plan_summary", out).letters
    assert letter.record.generated_by == manager.actor.username
    manager.letters.record_sent(letter.record.id, today())
    with pytest.raises(PermissionDenied, match="add letter templates"):
        manager.letters.set_council(COUNCIL)
    legal = as_role(letters_app, "legal_liaison")
    legal.letters.set_council(replace(COUNCIL, phone="0345 999 9999"))
    legal.letters.set_wording(Wording(find_solicitor=("Ask us for our list of solicitors.",)))
    assert letters_app.letters.council().phone == "0345 999 9999"
    (made,) = legal.letters.generate(
        UNBORN_CASE, "letter_before_proceedings_unborn", out, options=UNBORN_OPTIONS
    ).letters
    assert "Ask us for our list of solicitors." in docx_text(made.path)
    legal.letters.record_sent(made.record.id, today())


# -- templates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "error", "message"),
    [
        (("Dear {{ case_reference.__class__.__mro__ }}",), UnsafeTemplateError, "reach '__"),
        (("Dear {{ recipient_name }}, {{ unknown_field }}",), UnknownFieldError, "unknown_field"),
        (("Dear {{ recipient_name }",), TemplateSyntaxProblem, "broken"),
        (
            ("{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",),
            UnsafeTemplateError,
            "reach '__",
        ),
        (("{{ recipient_name * 100000 }}",), UnsafeTemplateError, "too long"),
    ],
)
def test_hostile_templates_are_refused(
    letters_app: AppContext,
    out: Path,
    paragraphs: tuple[str, ...],
    error: type[Exception],
    message: str,
) -> None:
    template = make_docx(out / "hostile.docx", *paragraphs)
    target = out / "out"
    # Checked before use: refused with a message naming the problem (the typed errors,
    # e.g. UnknownFieldError, are what rendering raises; the check gives TemplateError).
    assert issubclass(error, TemplateError)
    with pytest.raises(TemplateError, match=message):
        letters_app.letters.generate(CASE, None, target, template_file=template)
    folder = out / "council"
    folder.mkdir()
    letters_app.letters.set_template_folder(folder)
    with pytest.raises(TemplateError, match=message):
        letters_app.letters.add_template(template, "hostile")
    assert list(folder.iterdir()) == []
    assert not target.exists() or list(target.iterdir()) == []
    assert letters_app.letters.history(CASE) == []


def test_a_file_that_is_not_a_docx_is_refused(letters_app: AppContext, out: Path) -> None:
    fake = out / "letter.docx"
    fake.write_text("Dear {{ recipient_name }}")
    with pytest.raises(NotADocxError, match=r"letter\.docx is not a Word \.docx document"):
        letters_app.letters.generate(CASE, None, out, template_file=fake)
    with pytest.raises(NotADocxError):
        letters_app.letters.check_file(fake)
    check = letters_app.letters.check_template_file(fake)
    assert not check.ok and "letter.docx is not a Word .docx" in check.problems[0]
    with pytest.raises(PloError, match="There is no file"):
        letters_app.letters.check_file(out / "missing.docx")


def test_council_templates_are_checked_added_listed_and_used(
    letters_app: AppContext, out: Path
) -> None:
    source = make_docx(
        out / "Our LBP.docx",
        "Dear {{ recipient_name }},",
        "This is {{ council_name }}'s own letter about {{ children_names }}.",
    )
    with pytest.raises(ValidationError, match="template folder first"):
        letters_app.letters.add_template(source, "letter_before_proceedings")
    folder = out / "council templates"
    folder.mkdir()
    letters_app.letters.set_template_folder(folder)
    assert letters_app.letters.template_folder() == folder.resolve()
    info = letters_app.letters.add_template(source, "letter_before_proceedings")
    assert (
        info.replaces_shipped and info.check.ok and info.sent_event == "letter_before_proceedings"
    )
    assert (folder / "letter_before_proceedings.docx").read_bytes() == source.read_bytes()
    with pytest.raises(ValidationError, match="already has a template"):
        letters_app.letters.add_template(source, "letter_before_proceedings")
    listed = {t.name: t for t in letters_app.letters.templates()}
    assert listed["letter_before_proceedings"].source == "council"
    assert listed["letter_of_issue"].source == "shipped"
    assert all(t.check.ok for t in listed.values())
    (letter,) = letters_app.letters.generate(
        CASE, "letter_before_proceedings", out / "out", party="mother", options=OPTIONS
    ).letters
    assert "This is Marches Example Council's own letter about Amelia Jones and Noah Jones." in (
        docx_text(letter.path)
    )
    # A template using fields PLO Tracker does not know is refused, naming them.
    unknown = make_docx(out / "x.docx", "{{ recipient_name }} {{ shoe_size }} {{ pet }}")
    with pytest.raises(TemplateError, match="shoe_size") as caught:
        letters_app.letters.add_template(unknown, "welcome")
    assert "pet" in str(caught.value)
    # A bad file dropped into the folder by hand is listed as refused, not used.
    (folder / "dropped.docx").write_bytes(b"not a zip")
    listed = {t.name: t for t in letters_app.letters.templates()}
    assert not listed["dropped"].check.ok
    with pytest.raises(NotADocxError):
        letters_app.letters.generate(CASE, "dropped", out / "out")
    # Adding is audited.
    with letters_app.db.read() as session:
        from sqlalchemy import select

        from db.models import AuditEntry

        entries = session.execute(
            select(AuditEntry.entity_id, AuditEntry.username).where(
                AuditEntry.entity == "letter_template"
            )
        ).all()
    assert [tuple(e) for e in entries] == [
        ("letter_before_proceedings", letters_app.actor.username)
    ]


def test_settings_and_the_councils_own_jargon(letters_app: AppContext, out: Path) -> None:
    letter = make_docx(
        out / "draft.docx",
        "We will hold a strategy discussion about your child next week.",
        "The local authority shall share the plan with you.",
    )
    before = letters_app.letters.check_file(letter).to_json()
    assert {j["term"] for j in before["jargon"]} >= {"the local authority", "shall"}
    letters_app.letters.set_extra_jargon(
        [{"term": "strategy discussion", "suggestion": "a meeting about keeping your child safe"}]
    )
    after = letters_app.letters.check_file(letter).to_json()
    found = {j["term"]: j for j in after["jargon"]}
    assert found["strategy discussion"] == {
        "term": "strategy discussion",
        "suggestion": "a meeting about keeping your child safe",
        "sentence": "We will hold a strategy discussion about your child next week.",
    }
    with pytest.raises(ValidationError, match="listed twice"):
        letters_app.letters.set_extra_jargon(
            [{"term": "a", "suggestion": "b"}, {"term": "A", "suggestion": "c"}]
        )
    with pytest.raises(ValidationError):
        letters_app.letters.set_council(CouncilDetails(name="x" * 500))
    with pytest.raises(ValidationError, match="not a folder"):
        letters_app.letters.set_template_folder(out / "missing")


def test_letters_survive_an_import_that_replaces_the_case(
    letters_app: AppContext, out: Path
) -> None:
    letters_app.letters.generate(CASE, "plan_summary", out)
    exported = out / "cases.json"
    letters_app.exchange.export_file(exported, [CASE])
    text = exported.read_text().replace("Kelly Jones", "Kelly Jones-Smith")
    letters_app.exchange.import_text(text, replace=True)  # the party's old name goes
    history = letters_app.letters.history(CASE)
    assert [r.recipient_name for r in history] == ["Kelly Jones", "Liam Jones"]


def test_files_are_removed_when_recording_fails(
    letters_app: AppContext, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plo_tracker.services import letters as service

    def broken(self: object, *_args: object) -> None:
        raise ConflictError("This case")

    monkeypatch.setattr(service.LetterService, "_record_all", broken)
    with pytest.raises(ConflictError):
        letters_app.letters.generate(CASE, "plan_summary", out)
    assert list(out.iterdir()) == []


def test_output_folder_must_be_writable(letters_app: AppContext, out: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write anywhere")
    locked = out / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(PloError, match="permission"):
        letters_app.letters.generate(CASE, "plan_summary", locked)


# -- every shipped template, every demo case, through the service and back from the files ----


@pytest.mark.slow
def test_every_template_for_every_demo_case_from_the_database(
    sqlite_app: AppContext, tmp_path: Path
) -> None:
    import re

    from plo_tracker.demo import generate
    from plo_tracker.letters.readability import READING_EASE_TARGET
    from plo_tracker.letters.templates import TEMPLATE_NAMES

    cases = generate(30, today=LETTER_DAY, seed=11)
    sqlite_app.exchange.import_cases(cases)
    sqlite_app.letters.set_council(COUNCIL)
    by_reference = {c.reference: c for c in cases}
    references = sorted(by_reference)
    leftover = re.compile(r"\{\{|\}\}|\{%|%\}")
    made = ready_made = 0
    for name in TEMPLATE_NAMES:
        # The cases whose letters are ready are made as letters, the others as drafts.
        ready = [
            ref
            for ref in references
            if all(r.ready for r in sqlite_app.letters.readiness(ref, name, options=OPTIONS))
        ]
        drafts = [ref for ref in references if ref not in ready]
        letters = []
        if ready:
            letters += sqlite_app.letters.generate_batch(
                ready, name, tmp_path / name, options=OPTIONS
            ).letters
        if drafts:
            letters += sqlite_app.letters.generate_batch(
                drafts, name, tmp_path / f"{name}-drafts", options=OPTIONS, draft=True
            ).letters
        expected = sum(1 for c in cases for p in c.parties if p.parental_responsibility)
        assert len(letters) == expected
        for letter in letters:
            case = by_reference[letter.record.case_reference]
            reader = case.party(letter.record.recipient_key)
            assert reader is not None
            text = docx_text(letter.path)
            assert f"Dear {reader.name}," in text
            assert "Monday 4 March 2024" in text
            assert case.reference in text
            assert not leftover.search(text), (name, case.reference)
            if reader.solicitor is not None:
                assert reader.solicitor.name in text
            for other in case.parties:
                if other.id != reader.id and other.address_confidential:
                    for line in other.address:
                        if any(ch.isdigit() for ch in line):
                            assert line not in text, (name, case.reference, other.id)
            assert ("DRAFT – NOT READY TO SEND" in text) is letter.record.draft
            # The plain-language gate, on the letter as saved (a draft's note aside).
            if not letter.record.draft:
                report = sqlite_app.letters.check_file(letter.path)
                assert report.reading_ease >= READING_EASE_TARGET, (name, case.reference)
                assert not report.long_sentences, (name, report.long_sentences)
                ready_made += 1
            made += 1
        assert len(sqlite_app.letters.history(references[0])) >= 1
    assert made == len(TEMPLATE_NAMES) * expected
    assert ready_made >= 30  # the demo has cases ready for each kind of letter


# -- PostgreSQL with real logins: the database's grants agree with the app ----------------------


@pytest.mark.postgres
def test_postgres_logins_make_and_send_letters(
    postgres: object, out: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """db-setup's grants let legal liaison and managers make, record and send letters and
    write the letters settings; a social worker's login cannot write a letter record."""
    import uuid

    from sqlalchemy import text

    from db.errors import StoreError
    from plo_tracker.app import open_app
    from plo_tracker.cli import main

    url = postgres.create()  # type: ignore[attr-defined]
    dsn = url.render_as_string(hide_password=False)
    tag = uuid.uuid4().hex[:6]
    logins = {
        role: f"plo_l{tag}_{role}" for role in ("social_worker", "team_manager", "legal_liaison")
    }
    assert main(["--db", dsn, "db-setup", "--apply"]) == 0
    with postgres.admin.connect() as conn:  # type: ignore[attr-defined]
        for login in logins.values():
            conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
    try:
        owner = open_app(url)
        with_examples(owner)
        owner.close()
        for role, login in logins.items():
            assert main(["--db", dsn, "users", "add", login, "--name", role, "--role", role]) == 0
        capsys.readouterr()
        legal = open_app(url.set(username=logins["legal_liaison"]))
        manager = open_app(url.set(username=logins["team_manager"]))
        worker = open_app(url.set(username=logins["social_worker"]))
        try:
            legal.letters.set_council(replace(COUNCIL, phone="0345 111 2222"))
            (letter,) = legal.letters.generate(
                UNBORN_CASE, "letter_before_proceedings_unborn", out, options=UNBORN_OPTIONS
            ).letters
            sent = legal.letters.record_sent(letter.record.id, today())
            assert sent.sent_recorded_by == logins["legal_liaison"]
            # Liam needs letters read with him: making his letter adds that action to the
            # case, which legal liaison's login may do (and nothing else to the plan).
            before = len(manager.cases.get(CASE).plan_actions)
            legal.letters.generate(
                CASE, "letter_before_proceedings", out / "l", party="father", options=OPTIONS
            )
            assert len(manager.cases.get(CASE).plan_actions) == before + 1
            legal.letters.set_easy_read(CASE, "father", True)
            with (
                pytest.raises(StoreError, match="refused"),
                legal.db.translate_errors(),
                legal.db.engine.begin() as conn,
            ):
                conn.execute(text("DELETE FROM plan_actions"))
            events = manager.cases.get(UNBORN_CASE).events
            assert any(
                e.type == "letter_before_proceedings" and e.recorded_by == logins["legal_liaison"]
                for e in events
            )
            (plan,) = manager.letters.generate(UNBORN_CASE, "plan_summary", out / "m").letters
            manager.letters.record_sent(plan.record.id, today())
            with (
                pytest.raises(StoreError, match="refused"),
                worker.db.translate_errors(),
                worker.db.engine.begin() as conn,
            ):
                conn.execute(text("UPDATE letters SET sent_on = NULL"))
            with (
                pytest.raises(StoreError, match="refused"),
                legal.db.translate_errors(),
                legal.db.engine.begin() as conn,
            ):
                conn.execute(
                    text(
                        "INSERT INTO settings (key, value, version, updated_at) "
                        "VALUES ('policy.review_weeks', '99', 1, now())"
                    )
                )
        finally:
            for context in (legal, manager, worker):
                context.close()
    finally:
        with postgres.admin.connect() as conn:  # type: ignore[attr-defined]
            conn.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            postgres.created.remove(url.database)  # type: ignore[attr-defined]
            for login in logins.values():
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
