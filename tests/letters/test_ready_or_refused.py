"""A letter that is not ready is not made; a draft may be, marked DRAFT, never to be sent.

The rules (``letters.readiness``) one by one, then through the service and the command
line: one message listing everything missing, nothing saved, exit status 1; ``--draft``
makes it anyway, marked on every page, and recording a draft as sent is refused.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import Booking, Child, Event, PlanAction
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import ValidationError
from plo_tracker.letters.errors import LetterNotReady
from plo_tracker.letters.options import CouncilDetails, LetterOptions
from plo_tracker.letters.readiness import missing_items, needs_reading_help
from plo_tracker.letters.templates import SHIPPED_BY_NAME

from .helpers import COUNCIL, LETTER_DAY, OPTIONS, family_case, with_examples

CASE = "PLO-2024-0007"
LBP = SHIPPED_BY_NAME["letter_before_proceedings"]


def missing(case, key="mother", name="letter_before_proceedings", council=COUNCIL, **options):
    person = case.party(key)
    assert person is not None
    return missing_items(
        case,
        person,
        SHIPPED_BY_NAME[name],
        council=council,
        options=LetterOptions(letter_date=LETTER_DAY, **options),
        today=LETTER_DAY,
    )


# -- each rule ------------------------------------------------------------------------------------


def test_a_ready_letter_before_proceedings_needs_nothing() -> None:
    assert missing(family_case()) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"concerns": ()}, "what we are worried about: no worry is recorded about Kelly Jones"),
        ({"plan_actions": ()}, "what must change: no plan action with a date for Kelly Jones"),
        (
            {
                "plan_actions": (
                    PlanAction("Go to the alcohol service", dt.date(2024, 4, 12), "mother"),
                )
            },
            "the help we will give",
        ),
        ({"scheduled": ()}, "a pre-proceedings meeting booked after the letter's date"),
        (
            {"scheduled": (Booking("pre_proceedings_meeting", dt.date(2024, 3, 12), None, None),)},
            "the time and place of the pre-proceedings meeting on Tuesday 12 March 2024",
        ),
        ({"events": ()}, "the start of pre-proceedings"),
        (
            {
                "events": (
                    Event("legal_planning_meeting", dt.date(2024, 2, 5), outcome="pre_proceedings"),
                    Event("stepped_down", dt.date(2024, 3, 1), to="child_in_need"),
                )
            },
            "this one has ended (it stepped down on Friday 1 March 2024)",
        ),
    ],
)
def test_each_thing_a_letter_before_proceedings_needs(change: dict, expected: str) -> None:
    found = missing(family_case(**change))
    assert any(expected in item for item in found), found
    # Only that (with no action at all, there is no help on one either).
    assert len(found) == (2 if change == {"plan_actions": ()} else 1), found


def test_only_the_readers_own_or_household_items_count() -> None:
    # Liam's worry and action do not make Kelly's letter ready, nor hers his.
    case = family_case()
    only_his = replace(
        case,
        concerns=tuple(c for c in case.concerns if c.about == ("father",)),
        plan_actions=tuple(a for a in case.plan_actions if a.party == "father"),
    )
    found = missing(only_his)
    assert any("worried" in m for m in found) and any("what must change" in m for m in found)


def test_the_councils_details_must_be_set() -> None:
    found = missing(family_case(), council=CouncilDetails())
    assert found == [
        "the council's details: the council's name, the council's address, the council's phone "
        "number, our lawyer's name, our lawyer's phone number (set them in the letter settings)"
    ]
    no_manager = family_case(team_manager=None)
    assert "who signs letters" in missing(no_manager, council=CouncilDetails())[0]
    assert missing(no_manager, council=replace(COUNCIL, signatory="Chris Head")) == []


@pytest.mark.parametrize(
    ("name", "expected", "fix"),
    [
        (
            "letter_of_issue",
            "proceedings issued",
            {
                "events": (
                    Event("legal_planning_meeting", dt.date(2024, 2, 5), outcome="pre_proceedings"),
                    Event("decision_to_issue", dt.date(2024, 3, 1), decided_by="D"),
                    Event("proceedings_issued", dt.date(2024, 3, 1)),
                )
            },
        ),
        (
            "outcome_letter",
            "the end of the case",
            {
                "events": (
                    Event("legal_planning_meeting", dt.date(2024, 2, 5), outcome="pre_proceedings"),
                    Event("stepped_down", dt.date(2024, 3, 1), to="child_protection"),
                )
            },
        ),
        ("review_invitation", "a review meeting booked after", None),
        (
            "letter_before_proceedings_unborn",
            "a baby not yet born",
            {"children": (Child("Baby Jones", expected_birth=dt.date(2024, 8, 20)),)},
        ),
        ("plan_summary", "a plan: no plan action", None),
    ],
)
def test_each_letter_needs_the_case_in_the_state_it_fits(
    name: str, expected: str, fix: dict | None
) -> None:
    if name == "review_invitation":
        case = family_case(scheduled=family_case().scheduled[:1])
        fix = {"scheduled": family_case().scheduled}
    elif name == "plan_summary":
        case = family_case(plan_actions=())
        fix = {"plan_actions": family_case().plan_actions}
    else:
        case = family_case()
    found = missing(case, name=name)
    assert any(expected in m for m in found), found
    assert missing(family_case(**fix), name=name) == []


def test_an_outcome_letter_does_not_fit_a_case_that_went_to_court() -> None:
    issued = family_case(
        events=(
            Event("legal_planning_meeting", dt.date(2024, 2, 5), outcome="pre_proceedings"),
            Event("decision_to_issue", dt.date(2024, 3, 1), decided_by="D"),
            Event("proceedings_issued", dt.date(2024, 3, 1)),
        )
    )
    assert "an end without court" in missing(issued, name="outcome_letter")[0]


# -- through the service ---------------------------------------------------------------------------


@pytest.fixture
def letters_app(app: AppContext) -> AppContext:
    return with_examples(app)


def test_one_refusal_lists_every_letter_and_everything_missing(
    letters_app: AppContext, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(LetterNotReady) as refused:
        letters_app.letters.generate_batch(
            [CASE, "PLO-2024-0011"], "letter_before_proceedings", out, options=OPTIONS
        )
    message = str(refused.value)
    assert message.startswith("No letters were made: 1 of 3 letters are not ready to send.")
    assert "Case PLO-2024-0011, letter before proceedings to Chloe Morris (mother, ID m)" in message
    assert "the start of pre-proceedings" in message
    assert "make it as a draft" in message
    assert [r.recipient_key for r in refused.value.letters if not r.ready] == ["m"]
    assert not out.exists() and letters_app.letters.history(CASE) == []


def test_a_draft_is_marked_on_every_page_and_can_never_be_sent(
    letters_app: AppContext, tmp_path: Path
) -> None:
    result = letters_app.letters.generate(
        CASE, "outcome_letter", tmp_path, party="mother", options=OPTIONS, draft=True
    )
    (made,) = result.letters
    assert result.draft and made.record.draft
    assert made.path.name.endswith("_DRAFT.docx")
    assert any("stepped down" in m for m in made.missing)
    document = Document(io.BytesIO(made.path.read_bytes()))
    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        assert header.paragraphs[0].text == "DRAFT – NOT READY TO SEND"
    assert document.paragraphs[0].text.startswith("DRAFT: this letter is not ready to send")
    assert any("stepped down" in p.text for p in document.paragraphs[:5])
    assert document.core_properties.title.startswith("DRAFT")
    with pytest.raises(ValidationError, match=r"is a draft .* can never be recorded as sent"):
        letters_app.letters.record_sent(made.record.id, clock.today())
    assert letters_app.letters.get(made.record.id).sent_on is None
    assert not any(e.type == "letter_of_issue" for e in letters_app.cases.get(CASE).events)


def test_typed_worries_go_in_one_persons_letter_only(
    letters_app: AppContext, tmp_path: Path
) -> None:
    options = replace(OPTIONS, worries=("Kelly drinks too much.",))
    with pytest.raises(ValidationError, match="only be typed for one person's letter"):
        letters_app.letters.generate(CASE, "letter_before_proceedings", tmp_path, options=options)
    (kelly,) = letters_app.letters.generate(
        CASE, "letter_before_proceedings", tmp_path, party="mother", options=options
    ).letters
    assert kelly.record.recipient_key == "mother"


def test_a_reading_need_becomes_an_action_on_the_case(
    letters_app: AppContext, tmp_path: Path
) -> None:
    liam = letters_app.cases.get(CASE).party("father")
    assert liam is not None and needs_reading_help(liam)
    before = letters_app.cases.get(CASE).plan_actions
    # A draft adds nothing.
    letters_app.letters.generate(
        CASE, "letter_before_proceedings", tmp_path, party="father", options=OPTIONS, draft=True
    )
    assert letters_app.cases.get(CASE).plan_actions == before
    (letter,) = letters_app.letters.generate(
        CASE, "letter_before_proceedings", tmp_path, party="father", options=OPTIONS
    ).letters
    added = [a for a in letters_app.cases.get(CASE).plan_actions if a not in before]
    assert [(a.party, a.action, a.due, a.completed) for a in added] == [
        (
            "father",
            "Go through our letter of 4 March 2024 with your social worker",
            dt.date(2024, 3, 7),  # three working days on, before his meeting on the 12th
            None,
        )
    ]
    text = "\n".join(p.text for p in Document(str(letter.path)).paragraphs)
    assert "Megan Hughes, your social worker, will read this letter with you" in text
    assert "by Thursday 7 March 2024" in text
    assert "Go through our letter" not in text  # it is help, not a change asked of him
    rows = [r for r in letters_app.audit.trail(CASE) if r.entity == "plan_actions"]
    assert rows and rows[-1].action == "create"
    # One open action is enough: the next letter adds no other.
    letters_app.letters.generate(CASE, "plan_summary", tmp_path, party="father", options=OPTIONS)
    assert len(letters_app.cases.get(CASE).plan_actions) == len(before) + 1


def test_easy_read_is_chosen_per_person(letters_app: AppContext, tmp_path: Path) -> None:
    pref = letters_app.letters.set_easy_read(CASE, "father", True)
    assert pref.easy_read and [p.party_key for p in letters_app.letters.preferences(CASE)] == [
        "father"
    ]
    result = letters_app.letters.generate(
        CASE, "letter_before_proceedings", tmp_path, options=OPTIONS
    )
    templates = {g.record.recipient_key: g.record.template for g in result.letters}
    assert templates == {
        "mother": "letter_before_proceedings",
        "father": "letter_before_proceedings_easy_read",
    }
    easy = next(g for g in result.letters if g.record.recipient_key == "father")
    assert easy.record.sent_event == "letter_before_proceedings"
    document = Document(str(easy.path))
    assert document.styles["Normal"].font.size.pt >= 14
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) >= 8 and all(h.endswith("?") for h in headings)
    assert easy.report.reading_ease >= 80 and not easy.report.long_sentences
    # Back to standard letters; preferences are audited; unknown people are refused.
    letters_app.letters.set_easy_read(CASE, "father", False)
    assert not letters_app.letters.preferences(CASE)[0].easy_read
    assert [
        r.action for r in letters_app.audit.trail(CASE) if r.entity == "letter_preferences"
    ] == [
        "create",
        "update",
    ]
    with pytest.raises(ValidationError, match="no person with the ID 'uncle'"):
        letters_app.letters.set_easy_read(CASE, "uncle", True)


# -- the command line ---------------------------------------------------------------------------


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--user", "admin", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_db(tmp_path: Path, sqlite_app: AppContext, sqlite_db_url) -> Path:
    with_examples(sqlite_app)
    return Path(sqlite_db_url.database)


def test_the_command_line_refuses_with_one_message_and_makes_drafts(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(cli_db, capsys, "letter", CASE, "outcome_letter", "--out", str(out))
    assert code == 1 and stdout == ""
    assert err.count("Error:") == 1
    assert "to Kelly Jones (mother) needs:" in err and "to Liam Jones (father) needs:" in err
    assert "--draft makes the letters as drafts" in err and "Traceback" not in err
    assert not out.exists()
    code, stdout, err = run(
        cli_db, capsys, "letter", CASE, "outcome_letter", "--out", str(out), "--draft"
    )
    assert code == 0, err
    assert "2 draft(s) saved and recorded." in stdout and "Missing: the end of the case" in stdout
    history = json.loads(run(cli_db, capsys, "letter-history", CASE, "--format", "json")[1])
    assert all(h["draft"] for h in history)
    code, _, err = run(cli_db, capsys, "letter-sent", str(history[0]["id"]))
    assert code == 1 and "is a draft" in err
    code, stdout, _ = run(cli_db, capsys, "letter-history", CASE)
    assert "draft (never sent)" in stdout


def test_a_separate_meeting_on_the_command_line(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(cli_db, capsys, "letter-settings")  # opens and migrates
    from db.engine import sqlite_url
    from plo_tracker.app import open_app

    ctx = open_app(sqlite_url(cli_db), username="admin")
    kelly = ctx.cases.get(CASE).party("mother")
    assert kelly is not None
    ctx.cases.save_party(CASE, replace(kelly, address_confidential=True))
    # A separate meeting is booked on the case, so it must be still to come: the letter is
    # dated next week and the meetings a fortnight later (working days, whatever today is).
    calendar = WorkingCalendar()
    letter_day = calendar.add_working_days(clock.today(), 5)
    meeting_day = calendar.add_working_days(letter_day, 10)
    ctx.cases.save_booking(
        CASE, Booking("pre_proceedings_meeting", meeting_day, dt.time(10), "Shirehall, Room 3")
    )
    ctx.close()
    args = ["letter", CASE, "letter_before_proceedings", "--date", letter_day.isoformat()]
    code, _, err = run(cli_db, capsys, *args, "--out", str(tmp_path))
    assert code == 1 and "their own pre-proceedings meeting: Kelly Jones" in err
    assert "--meeting-date DATE --meeting-time HH:MM --meeting-place TEXT" in err
    code, out, err = run(
        cli_db,
        capsys,
        *args,
        "--party",
        "father",
        "--meeting-date",
        meeting_day.isoformat(),
        "--meeting-time",
        "11:00",
        "--meeting-place",
        "Craven Arms Library",
        "--out",
        str(tmp_path),
    )
    assert code == 0, err
    assert f"{long_date(meeting_day)} at 11:00 at Craven Arms Library (for Liam Jones) was " in (
        out
    )
    (path,) = tmp_path.glob("*father*.docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "Place: Craven Arms Library" in text and "Shirehall, Room 3" not in text
    # The meeting is now on the case, for him alone: a later letter gives it from the record.
    ctx = open_app(sqlite_url(cli_db), username="admin")
    booked = [b for b in ctx.cases.get(CASE).scheduled if b.place == "Craven Arms Library"]
    ctx.close()
    assert [(b.date, b.attendees) for b in booked] == [(meeting_day, ("father",))]
    code, out, err = run(
        cli_db, capsys, *args, "--party", "father", "--out", str(tmp_path / "again")
    )
    assert code == 0, err
    (path,) = (tmp_path / "again").glob("*father*.docx")
    assert "Place: Craven Arms Library" in "\n".join(p.text for p in Document(str(path)).paragraphs)


def test_letter_settings_keep_old_options_and_add_new_ones(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run(cli_db, capsys, "letter-settings")
    assert code == 0 and "Find a Solicitor" in stdout and "0808 801 0366" in stdout
    code, stdout, err = run(
        cli_db,
        capsys,
        "letter-settings",
        "--phone",
        "0345 000 5555",
        "--language-line",
        "Polish=Ten list jest ważny. Zadzwoń: {phone}.",
        "--advice-line",
        "Call our family advice service on 0345 000 6666.",
        "--find-solicitor",
        "Ask us for a list of solicitors.",
    )
    assert code == 0, err
    assert "Polish: Ten list jest ważny." in stdout and "0345 000 6666" in stdout
    code, _, err = run(cli_db, capsys, "letter-settings", "--language-line", "no equals")
    assert code == 1 and "LANGUAGE=LINE" in err
    logo = tmp_path / "logo.png"
    logo.write_bytes(b"not a picture")
    code, _, err = run(cli_db, capsys, "letter-settings", "--logo", str(logo))
    assert code == 1 and "PNG or JPEG" in err
    from plo_tracker.letters.specimen import SPECIMEN_LOGO

    logo.write_bytes(SPECIMEN_LOGO.data)
    code, stdout, err = run(cli_db, capsys, "letter-settings", "--logo", str(logo))
    assert code == 0 and "logo.png" in stdout, err
    code, _, err = run(
        cli_db, capsys, "letter", CASE, "plan_summary", "--party", "mother", "--out", str(tmp_path)
    )
    assert code == 0, err
    (path,) = tmp_path.glob("*mother*.docx")
    document = Document(str(path))
    header_xml = document.sections[0].first_page_header._element.xml
    assert re.search(r"<pic:pic\b", header_xml)  # the logo, top of the first page
    assert "Ask us for a list of solicitors." not in "\n".join(
        p.text for p in document.paragraphs
    )  # the plan summary gives no legal advice section
    code, stdout, _ = run(cli_db, capsys, "letter-settings", "--no-logo")
    assert "(none)" in stdout


def test_letter_preference_on_the_command_line(
    cli_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, err = run(
        cli_db, capsys, "letter-preference", CASE, "--party", "father", "--easy-read"
    )
    assert code == 0, err
    assert re.search(r"father\s+Liam Jones\s+easy read", stdout)
    code, _, err = run(cli_db, capsys, "letter-preference", CASE, "--easy-read")
    assert code == 1 and "--party ID" in err
