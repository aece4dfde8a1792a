"""The letter commands, run in-process as a user would type them."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.letters.templates import TEMPLATE_NAMES

from .helpers import EXAMPLE, HOSTILE, docx_text, make_docx, make_ready

CASE = "PLO-2024-0007"
UNBORN = "PLO-2024-0011"


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database made by the command line (its first user is the administrator)."""
    path = tmp_path / "cli.db"
    code, _, err = run(path, "import", str(EXAMPLE), capsys=capsys)
    assert code == 0, err
    with opened(path) as ctx:
        make_ready(ctx)
    code, _, err = run(
        path,
        "letter-settings",
        "--council-name",
        "Marches Example Council",
        "--address",
        "Shirehall",
        "--address",
        "ZZ2 6ND",
        "--phone",
        "0345 000 1234",
        "--email",
        "plo@example.gov.uk",
        "--lawyer-name",
        "Pat Lawyer",
        "--lawyer-phone",
        "01743 000 999",
        "--lawyer-email",
        "legal@example.gov.uk",
        "--signatory",
        "Chris Head",
        capsys=capsys,
    )
    assert code == 0, err
    return path


@contextmanager
def opened(db: Path) -> Iterator[AppContext]:
    from db.engine import sqlite_url
    from plo_tracker.app import open_app

    ctx = open_app(sqlite_url(db))
    try:
        yield ctx
    finally:
        ctx.close()


def add_user(db: Path, name: str, role: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        db, "users", "add", name, "--name", name.title(), "--role", role, capsys=capsys
    )
    assert code == 0, err


def test_letter_makes_one_per_person_with_pr(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    code, out, err = run(
        db,
        "letter",
        CASE,
        "letter_before_proceedings",
        "--out",
        str(out_dir),
        "--date",
        "2024-03-04",
        capsys=capsys,
    )
    assert code == 0, err
    files = sorted(out_dir.glob("*.docx"))
    assert [f.name for f in files] == [
        f"{CASE}_letter_before_proceedings_father_2024-03-04.docx",
        f"{CASE}_letter_before_proceedings_mother_2024-03-04.docx",
    ]
    assert "2 letter(s) saved and recorded." in out
    assert "reading ease" in out and "to Kelly Jones [mother]" in out
    mother, father = docx_text(files[1]), docx_text(files[0])
    # Each letter holds the household's worries and the reader's own, never the other's.
    household = "Amelia and Noah have missed 20 days of school since January."
    hers = "You have told us you are finding it hard to stop drinking."
    his = "The police were called after you shouted at Kelly in February."
    assert household in mother and household in father
    assert hers in mother and hers not in father
    assert his in father and his not in mother
    assert "Monday 4 March 2024" in mother and "Marches Example Council" in mother
    code, out, _ = run(db, "letter-history", CASE, "--format", "json", capsys=capsys)
    assert code == 0
    history = json.loads(out)
    assert [h["recipient"] for h in history] == ["mother", "father"]
    assert {h["file_name"] for h in history} == {f.name for f in files}
    code, out, _ = run(db, "letter-history", CASE, capsys=capsys)
    assert code == 0 and "not recorded" in out and "letter_before_proceedings" in out


def issue_proceedings(db: Path, day: str = "2024-03-11") -> None:
    """Record the decision to issue and the issue (a letter of issue needs them)."""
    from tests.letters.helpers import issue_proceedings as issue

    with opened(db) as ctx:
        issue(ctx, CASE, dt.date.fromisoformat(day))


def step_down(db: Path, reference: str, day: str) -> None:
    from tests.letters.helpers import step_down as end

    with opened(db) as ctx:
        end(ctx, reference, dt.date.fromisoformat(day))


def test_letter_for_one_party_and_sent(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_proceedings(db)
    code, out, err = run(
        db,
        "letter",
        CASE,
        "letter_of_issue",
        "--party",
        "father",
        "--out",
        str(tmp_path),
        # A letter dated after the issue and before the hearing (a hearing already past is
        # refused: never a past date in a letter).
        "--date",
        "2024-03-12",
        "--hearing-date",
        "2024-03-18",
        "--hearing-time",
        "14:30",
        "--hearing-place",
        "Family Court at Telford",
        capsys=capsys,
    )
    assert code == 0, err
    (path,) = tmp_path.glob(f"{CASE}_letter_of_issue_father_*.docx")
    text = docx_text(path)
    assert "Monday 18 March 2024" in text and "2:30pm" in text
    assert "Family Court at Telford" in text
    letter_id = json.loads(run(db, "letter-history", CASE, "--format", "json", capsys=capsys)[1])[
        0
    ]["id"]
    code, out, err = run(db, "letter-sent", str(letter_id), capsys=capsys)
    assert code == 0, err
    assert "The case event 'letter_of_issue' was added." in out
    code, out, err = run(db, "letter-sent", str(letter_id), capsys=capsys)
    assert code == 1 and "already recorded as sent" in err


def test_letter_refusals_have_plain_messages(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = [
        (["letter", CASE, "--out", str(tmp_path)], "Say which letter to make"),
        (["letter", CASE, "nonsense", "--out", str(tmp_path)], "no template called 'nonsense'"),
        (
            ["letter", CASE, "outcome_letter", "--party", "uncle", "--out", str(tmp_path)],
            "no person with the ID 'uncle'",
        ),
        (
            ["letter", "PLO-2023-0042", "outcome_letter", "--out", str(tmp_path)],
            "has nobody recorded with parental responsibility",
        ),
        (
            ["letter", CASE, "letter_of_issue", "--hearing-place", "Court", "--out", str(tmp_path)],
            "Give the hearing's date",
        ),
        (
            [
                "letters",
                "--template",
                "plan_summary",
                "--cases",
                CASE,
                "NOPE-1",
                "--out",
                str(tmp_path),
            ],
            "no case with the reference NOPE-1",
        ),
        (["letters", "--template", "plan_summary", "--cases", CASE], "--out DIR"),
    ]
    for args, message in cases:
        code, _, err = run(db, *args, capsys=capsys)
        assert code == 1, args
        assert message in err, (args, err)
        assert "Traceback" not in err
    assert list(tmp_path.glob("*.docx")) == []


def test_every_template_name_works(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Each letter for a case in the state it fits, dated when it fits.
    issue_proceedings(db)
    step_down(db, UNBORN, "2024-03-25")
    runs = {
        "letter_before_proceedings": (CASE, "2024-03-04"),
        "letter_before_proceedings_unborn": (UNBORN, "2024-03-12"),
        "letter_before_proceedings_easy_read": (CASE, "2024-03-04"),
        "letter_of_issue": (CASE, "2024-03-11"),
        "review_invitation": (CASE, "2024-03-04"),
        "outcome_letter": (UNBORN, "2024-03-25"),
        "plan_summary": (CASE, "2024-03-04"),
    }
    # Each letter's easy-read version, by its name, as its standard letter.
    runs |= {f"{name}_easy_read": runs[name] for name in list(runs) if "easy_read" not in name}
    assert set(runs) == set(TEMPLATE_NAMES)
    for name in TEMPLATE_NAMES:
        case, day = runs[name]
        code, _out, err = run(
            db, "letter", case, name, "--date", day, "--out", str(tmp_path / name), capsys=capsys
        )
        assert code == 0, (name, err)
        for path in (tmp_path / name).glob("*.docx"):
            assert "{{" not in docx_text(path)


def test_batch_with_progress_bar_only_on_a_terminal(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        db,
        "letters",
        "--template",
        "plan_summary",
        "--cases",
        CASE,
        "PLO-2024-0011",
        "--out",
        str(tmp_path / "batch"),
        capsys=capsys,
    )
    assert code == 0, err
    assert "3 letter(s) saved and recorded." in out
    assert len(list((tmp_path / "batch").glob("*.docx"))) == 3
    assert "[####" not in err  # captured output is not a terminal: no progress bar


def test_check_letter_json_has_exactly_the_contract_shape(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = make_docx(
        tmp_path / "written in Word.docx",
        "Dear Ms Jones,",
        "The local authority has decided to issue care proceedings because the threshold "
        "for significant harm has been met and you have not engaged with the written "
        "agreement that was agreed at the legal planning meeting last month, despite "
        "reminders.",
        "We will call you on Monday.",
    )
    code, out, err = run(db, "check-letter", str(letter), "--format", "json", capsys=capsys)
    assert code == 0, err
    report = json.loads(out)
    assert list(report) == ["reading_ease", "grade", "long_sentences", "jargon"]
    assert isinstance(report["reading_ease"], float) and isinstance(report["grade"], float)
    assert all(isinstance(s, str) for s in report["long_sentences"])
    assert len(report["long_sentences"]) == 1
    assert report["long_sentences"][0].startswith("The local authority has decided")
    assert report["jargon"], report
    for item in report["jargon"]:
        assert list(item) == ["term", "suggestion", "sentence"]
        assert all(isinstance(v, str) for v in item.values())
    terms = {j["term"].lower() for j in report["jargon"]}
    assert {"the local authority", "threshold", "written agreement"} <= terms
    code, out, err = run(db, "check-letter", str(letter), capsys=capsys)
    assert code == 0, err
    assert "Reading ease" in out and "jargon" in out and "words; split it" in out
    code, _, err = run(db, "check-letter", str(tmp_path / "missing.docx"), capsys=capsys)
    assert code == 1 and "There is no file" in err


def test_check_letter_reads_a_generated_letter(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(
        db,
        "letter",
        CASE,
        "letter_before_proceedings",
        "--party",
        "mother",
        "--date",
        "2024-03-04",
        "--out",
        str(tmp_path),
        capsys=capsys,
    )
    (path,) = tmp_path.glob("*.docx")
    code, out, _ = run(db, "check-letter", str(path), "--format", "json", capsys=capsys)
    assert code == 0
    report = json.loads(out)
    assert report["reading_ease"] >= 70 and report["long_sentences"] == []


def test_templates_lists_checks_and_adds(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(db, "templates", capsys=capsys)
    assert code == 0, err
    for name in TEMPLATE_NAMES:
        assert name in out
    assert "REFUSED" not in out and "not set" in out
    code, out, _ = run(db, "templates", "--fields", capsys=capsys)
    assert code == 0 and "recipient_name" in out and "meeting.date" in out
    bad = make_docx(tmp_path / "bad.docx", "{{ recipient_name }} {{ favourite_colour }}")
    code, out, _ = run(db, "templates", "--check", str(bad), capsys=capsys)
    assert code == 1 and "favourite_colour" in out
    folder = tmp_path / "council"
    folder.mkdir()
    code, out, err = run(db, "templates", "--folder", str(folder), capsys=capsys)
    assert code == 0, err
    code, _, err = run(db, "templates", "--add", str(bad), capsys=capsys)
    assert code == 1 and "favourite_colour" in err
    good = make_docx(tmp_path / "welsh.docx", "Annwyl {{ recipient_name }},")
    code, out, err = run(
        db, "templates", "--add", str(good), "--name", "review_invitation_welsh", capsys=capsys
    )
    assert code == 0, err
    code, out, _ = run(db, "templates", capsys=capsys)
    assert code == 0 and "review_invitation_welsh" in out and "council" in out
    code, out, err = run(
        db,
        "letter",
        CASE,
        "review_invitation_welsh",
        "--party",
        "mother",
        "--date",
        "2024-03-04",
        "--out",
        str(tmp_path / "w"),
        capsys=capsys,
    )
    assert code == 0, err
    (made,) = (tmp_path / "w").glob("*.docx")
    assert docx_text(made).strip() == "Annwyl Kelly Jones,"
    # A file someone drops in the folder that is not a .docx makes the listing fail.
    (folder / "broken.docx").write_text("hello")
    code, out, _ = run(db, "templates", capsys=capsys)
    assert code == 1 and "REFUSED" in out


def test_template_file_hostile_and_hostile_values(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for paragraphs, message in (
        (("{{ recipient_name.__class__.__mro__ }}",), "tries to reach"),
        (("{{ unknown_field }}",), "unknown_field"),
        (("{% if recipient_name %}",), "broken"),
    ):
        template = make_docx(tmp_path / "t.docx", *paragraphs)
        code, _, err = run(
            db,
            "letter",
            CASE,
            "--template-file",
            str(template),
            "--out",
            str(tmp_path / "o"),
            capsys=capsys,
        )
        assert code == 1 and message in err, err
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"%PDF-1.4 not a docx")
    code, _, err = run(
        db,
        "letter",
        CASE,
        "--template-file",
        str(fake),
        "--out",
        str(tmp_path / "o"),
        capsys=capsys,
    )
    assert code == 1 and "fake.docx is not a Word .docx document" in err
    template = make_docx(
        tmp_path / "note.docx",
        "Dear {{ recipient_name }}.",
        "{%p for w in worries %}",
        "{{ w }}",
        "{%p endfor %}",
    )
    code, _out, err = run(
        db,
        "letter",
        CASE,
        "--template-file",
        str(template),
        "--party",
        "mother",
        "--worry",
        HOSTILE,
        "--out",
        str(tmp_path / "h"),
        capsys=capsys,
    )
    assert code == 0, err
    (made,) = (tmp_path / "h").glob("*.docx")
    assert HOSTILE in docx_text(made).splitlines()


def test_preview_saves_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        db,
        "letter",
        CASE,
        "review_invitation",
        "--preview",
        "--date",
        "2024-03-04",
        "--out",
        str(tmp_path / "p"),
        capsys=capsys,
    )
    assert code == 0, err
    assert "Dear Kelly Jones," in out and "Tuesday 2 April 2024" in out
    assert "Reading ease" in out and "nothing was saved" in out
    assert not (tmp_path / "p").exists()


def test_letter_settings_and_jargon(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(db, "letter-settings", capsys=capsys)
    assert code == 0 and "Marches Example Council" in out and "Still to set" not in out
    code, out, err = run(
        db,
        "letter-settings",
        "--add-jargon",
        "core group=the people who help your family",
        "--default-worry",
        "We are worried about {children}.",
        capsys=capsys,
    )
    assert code == 0, err
    assert "core group = the people who help your family" in out
    code, _, err = run(db, "letter-settings", "--add-jargon", "no equals sign", capsys=capsys)
    assert code == 1 and "TERM=PLAIN" in err
    code, _, err = run(db, "letter-settings", "--remove-jargon", "never added", capsys=capsys)
    assert code == 1 and "not in the council's jargon list" in err
    code, out, _ = run(db, "letter-settings", "--remove-jargon", "core group", capsys=capsys)
    assert code == 0 and "(none)" in out


def test_roles_on_the_command_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(db, "worker", "social_worker", capsys)
    add_user(db, "legal", "legal_liaison", capsys)
    code, _, err = run(
        db,
        "--user",
        "worker",
        "letter",
        CASE,
        "plan_summary",
        "--out",
        str(tmp_path),
        capsys=capsys,
    )
    assert code == 1 and "may not generate letters" in err
    code, _, err = run(db, "--user", "worker", "letter-settings", "--phone", "1", capsys=capsys)
    assert code == 1 and "may not add letter templates" in err
    code, out, err = run(
        db, "--user", "legal", "letter", CASE, "plan_summary", "--out", str(tmp_path), capsys=capsys
    )
    assert code == 0, err
    # Anyone may check a letter's plain language.
    (path,) = list(tmp_path.glob("*mother*.docx"))
    code, out, _ = run(db, "--user", "worker", "check-letter", str(path), capsys=capsys)
    assert code == 0 and "Reading ease" in out


def test_pdf_without_libreoffice_saves_the_docx_and_says_why(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLO_TRACKER_SOFFICE", str(tmp_path / "no-such-soffice"))
    code, out, err = run(
        db, "letter", CASE, "plan_summary", "--pdf", "--out", str(tmp_path / "o"), capsys=capsys
    )
    assert code == 1
    assert "needs LibreOffice" in err and "The .docx letters were saved" in err
    assert "2 letter(s) saved and recorded." in out
    assert len(list((tmp_path / "o").glob("*.docx"))) == 2
    assert list((tmp_path / "o").glob("*.pdf")) == []
    assert os.stat(next((tmp_path / "o").glob("*.docx"))).st_mode & 0o777 == 0o600
