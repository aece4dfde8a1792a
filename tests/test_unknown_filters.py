"""Issue 12, item 3: a team, social worker or case reference that matches nothing known is
an error naming the close matches, never an empty answer (or a false all-clear)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from plo_tracker.cli import main
from plo_tracker.services.lookup import close_matches, unknown

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cases.db"
    assert main(["--db", str(path), "--user", "admin", "import", str(EXAMPLE)]) == 0
    capsys.readouterr()
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


MISTAKES = [
    (
        ["flags", "--team", "Case Managment 1"],
        "team called 'Case Managment 1'",
        "'Case Management 1'",
    ),
    (
        ["flags", "--as-of", "2024-05-01", "--team", "case management 2"],
        "team called 'case management 2'",
        "'Case Management 2'",
    ),
    (
        [
            "report",
            "timeliness",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--team",
            "Case Managment 2",
        ],
        "team called",
        "'Case Management 2'",
    ),
    (
        [
            "report",
            "timeliness",
            "--from",
            "2024-01-01",
            "--to",
            "2024-12-31",
            "--worker",
            "Megan Hughs",
        ],
        "social worker called 'Megan Hughs'",
        "'Megan Hughes'",
    ),
    (
        ["export", "{dir}/out.json", "--case", "PLO-2024-007"],
        "case with the reference",
        "'PLO-2024-0007'",
    ),
    (["audit", "PLO-2024-0O07"], "case with the reference PLO-2024-0O07", "'PLO-2024-0007'"),
    (
        ["sar-export", "PLO-2024-001", "{dir}/sar.json"],
        "case with the reference",
        "'PLO-2024-0011'",
    ),
    (["delete-case", "PLO-2024-0071", "--yes"], "case with the reference", "'PLO-2024-0011'"),
    (
        ["letter", "PLO-2024-0070", "letter_before_proceedings", "--out", "{dir}"],
        "case with the reference",
        "'PLO-2024-0007'",
    ),
    (
        [
            "letters",
            "--template",
            "plan_summary",
            "--out",
            "{dir}",
            "--cases",
            "PLO-2024-0007",
            "PLO-2024-011",
        ],
        "case with the reference PLO-2024-011",
        "'PLO-2024-0011'",
    ),
    (["letter-history", "plo-2024-0007"], "case with the reference", "'PLO-2024-0007'"),
    (["users", "set-role", "amdin", "team_manager"], "user called 'amdin'", "'admin'"),
]


@pytest.mark.parametrize(
    ("command", "what", "suggestion"), MISTAKES, ids=lambda v: v[0] if isinstance(v, list) else None
)
def test_an_unknown_filter_names_close_matches_and_exits_non_zero(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
    what: str,
    suggestion: str,
) -> None:
    before = digest(db)
    args = [part.replace("{dir}", str(tmp_path)) for part in command]
    code = main(["--db", str(db), "--user", "admin", *args])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.startswith(f"Error: There is no {what}"), err
    assert "nothing was shown or changed" in err
    assert f"Did you mean: {suggestion}" in err
    assert "drifting" not in err and "Traceback" not in err
    assert digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.db"]


def test_with_no_close_match_the_known_values_are_listed(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", str(db), "--user", "admin", "flags", "--team", "Fostering"])
    err = capsys.readouterr().err
    assert code == 1
    assert "The teams are: 'Case Management 1'; 'Case Management 2'." in err


def test_a_team_with_no_cases_says_there_is_nothing_to_check_not_an_all_clear(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A team with no cases yet: "No case is drifting" would be an all-clear about
    nothing, so the answer says nothing was there to check."""
    assert main(["--db", str(db), "--user", "admin", "teams", "add", "Edge of Care"]) == 0
    assert capsys.readouterr().out.strip() == "Added the team Edge of Care."
    code = main(
        [
            "--db",
            str(db),
            "--user",
            "admin",
            "users",
            "add",
            "pat",
            "--name",
            "Pat",
            "--role",
            "team_manager",
            "--team",
            "Edge of Care",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Note: no case belongs to the team 'Edge of Care' yet" in out
    code = main(["--db", str(db), "--user", "admin", "flags", "--team", "Edge of Care"])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert "No case is drifting" not in out
    assert out.startswith("Nothing to check: no case in this database belongs to Edge of Care")


def test_a_user_given_a_mistyped_team_is_refused_with_the_close_match(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Teams are records (issue 20): a team that is not one is refused, never stored."""
    base = ["--db", str(db), "--user", "admin", "users"]
    code = main(
        [*base, "add", "jo", "--name", "Jo", "--role", "team_manager", "--team", "Case Managment 1"]
    )
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert "Team: There is no team called 'Case Managment 1'" in err
    assert "Did you mean: 'Case Management 1'" in err and "teams add" in err
    assert "jo" not in {line.split()[0] for line in _user_lines(base, capsys)}
    assert main([*base, "add", "jo", "--name", "Jo", "--role", "team_manager"]) == 0
    capsys.readouterr()
    assert main([*base, "set-team", "jo", "Case Managment 1"]) == 1
    assert "Did you mean: 'Case Management 1'" in capsys.readouterr().err
    assert main([*base, "set-team", "jo", "Case Management 1"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "jo is now in the team Case Management 1."
    listed = [line for line in _user_lines(base, capsys) if line.startswith("jo ")]
    assert listed and "Case Management 1" in listed[0]
    assert main([*base, "set-team", "jo", ""]) == 0
    assert "jo is now in no team" in capsys.readouterr().out


def _user_lines(base: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main([*base, "list"]) == 0
    return [line for line in capsys.readouterr().out.splitlines()[2:] if line.strip()]


def test_an_all_clear_says_how_many_open_cases_it_checked(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before any of the three example cases started, none was open: the answer says so.
    code = main(["--db", str(db), "--user", "admin", "flags", "--as-of", "2023-01-02"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.strip() == (
        "No case is drifting as of Monday 2 January 2023, because none of the 3 case(s) was "
        "open in pre-proceedings on that day (started by a legal planning meeting and not "
        "yet issued or stepped down) or in care proceedings (issued and not yet concluded)."
    )
    # With flags, the summary names how many open cases they are among.
    code = main(["--db", str(db), "--user", "admin", "flags", "--as-of", "2024-05-01"])
    out = capsys.readouterr().out
    assert code == 0
    summary = out.strip().splitlines()[-1]
    assert " of the 2 open case(s) as of Wednesday 1 May 2024:" in summary, summary


def test_the_audit_trail_of_a_deleted_case_is_still_found(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db), "--user", "admin", "delete-case", "PLO-2024-0007", "--yes"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db), "--user", "admin", "audit", "PLO-2024-0007"]) == 0
    assert "delete" in capsys.readouterr().out.lower()
    code = main(["--db", str(db), "--user", "admin", "letter-history", "PLO-2024-0007"])
    assert code == 1 and "There is no case with the reference" in capsys.readouterr().err


def test_a_report_for_one_team_or_worker(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = [
        "--db",
        str(db),
        "--user",
        "admin",
        "report",
        "timeliness",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    ]
    assert main([*base, "--team", "Case Management 1"]) == 0
    out = capsys.readouterr().out
    assert "for team Case Management 1" in out and "Letter before proceedings" in out
    assert main([*base, "--worker", "Megan Hughes", "--format", "json"]) == 0
    assert '"worker": "Megan Hughes"' in capsys.readouterr().out
    assert main([*base, "--team", "Case Management 1", "--format", "csv"]) == 1
    assert "table or JSON" in capsys.readouterr().err


def test_close_matches_ignore_case_and_keep_the_known_spelling() -> None:
    known = ["Case Management 1", "Case Management 2", "Edge of Care"]
    assert close_matches("case managment 1", known)[0] == "Case Management 1"
    assert close_matches("zzz", known) == []
    message = str(unknown("team called", "Edge of Car", known, plural="teams"))
    assert "Did you mean: 'Edge of Care'?" in message
    assert "No teams are recorded yet." in str(unknown("team called", "x", [], plural="teams"))
    many = [f"Team {i:02d}" for i in range(40)]
    assert "None of the 40 teams is close to it." in str(
        unknown("team called", "Fostering", many, plural="teams")
    )
