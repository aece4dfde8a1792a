"""The command line, run in-process as a user would type it."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from plo_tracker import clock
from plo_tracker.cli import main
from plo_tracker.domain.drift import RULE_IDS

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.db"
    code, out, err = run(path, "import", str(EXAMPLE), capsys=capsys)
    assert code == 0, err
    assert "3 new" in out
    return path


def test_import_twice_changes_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(db)
    code, out, _ = run(db, "import", str(EXAMPLE), capsys=capsys)
    assert code == 0 and "3 already up to date" in out
    assert digest(db) == before


def test_flags_json_follows_the_contract(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, "flags", "--as-of", "2024-03-20", "--format", "json", capsys=capsys)
    assert code == 0
    document = json.loads(out)
    assert document == {
        "as_of": "2024-03-20",
        "flags": [
            {
                "case": "PLO-2024-0007",
                "rule": "fgc_held_due",
                "severity": "due_soon",
                "due": "2024-03-25",
                "message": document["flags"][0]["message"],
            },
            {
                "case": "PLO-2024-0007",
                "rule": "solicitor_missing",
                "severity": "overdue",
                "due": "2024-02-22",
                "message": document["flags"][1]["message"],
            },
        ],
    }
    assert "Liam Jones" in document["flags"][1]["message"]


def test_flags_table_csv_and_team(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, "flags", "--as-of", "2024-05-01", capsys=capsys)
    assert code == 0
    assert "PLO-2024-0007" in out and "overdue" in out and "flag(s) on" in out
    code, out, _ = run(db, "flags", "--as-of", "2024-05-01", "--format", "csv", capsys=capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["Case", "Rule", "Severity", "Due", "Reviewed", "Message"]
    assert {r[0] for r in rows[1:]} == {"PLO-2024-0007", "PLO-2024-0011"}
    code, out, _ = run(
        db,
        "flags",
        "--as-of",
        "2024-05-01",
        "--team",
        "Case Management 1",
        "--format",
        "json",
        capsys=capsys,
    )
    assert {f["case"] for f in json.loads(out)["flags"]} == {"PLO-2024-0011"}


def test_flags_default_as_of_is_today(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _ = run(db, "flags", "--format", "json", capsys=capsys)
    assert json.loads(out)["as_of"] == clock.today().isoformat()


def test_export_round_trip(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(db, "export", str(target), capsys=capsys)
    assert code == 0 and "3 case(s)" in out
    assert target.stat().st_mode & 0o777 == 0o600
    exported = json.loads(target.read_text())
    original = json.loads(EXAMPLE.read_text())
    by_ref = lambda d: sorted(d["cases"], key=lambda c: c["reference"])  # noqa: E731
    assert by_ref(exported) == by_ref(original)


BAD_FILES = {
    "not json": "{not json",
    "wrong format": json.dumps({"format": "x", "version": 1, "cases": []}),
    "wrong version": json.dumps({"format": "plo-tracker-cases", "version": 9, "cases": []}),
}


@pytest.mark.parametrize(
    "kind",
    [
        "not json",
        "wrong format",
        "wrong version",
        "unknown key",
        "bad date",
        "duplicate",
        "missing party",
        "future date",
        "before the case could start",
        "second case bad",
    ],
)
def test_bad_import_exits_non_zero_and_leaves_the_file_byte_for_byte(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    document = json.loads(EXAMPLE.read_text())
    # A changed first case: the import would replace it if the file were accepted.
    document["cases"][0]["team"] = "Changed team"
    if kind in BAD_FILES:
        text = BAD_FILES[kind]
    else:
        case = document["cases"][1]
        if kind == "unknown key":
            case["worker"] = "x"
        elif kind == "bad date":
            case["events"][0]["date"] = "2024-13-01"
        elif kind == "duplicate":
            case["reference"] = "PLO-2024-0007"
        elif kind == "missing party":
            case["events"][1]["party"] = "dad"
        elif kind == "future date":
            case["events"][1]["date"] = (clock.today() + dt.timedelta(days=3)).isoformat()
        elif kind == "before the case could start":
            case["events"][0]["date"] = "2001-01-01"
        elif kind == "second case bad":
            document["cases"][2]["events"][0]["outcome"] = "perhaps"
        text = json.dumps(document)
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    before = digest(db)
    code, out, err = run(db, "import", str(bad), capsys=capsys)
    assert code == 1
    assert out == ""
    assert err.startswith("Error: Import refused, nothing was changed.")
    assert err.count("\n") == 1, err  # one clear message
    assert "Traceback" not in err
    assert digest(db) == before
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0
    if kind == "duplicate":
        assert "Case PLO-2024-0007, cases[1].reference" in err and "used twice" in err
    elif kind not in BAD_FILES and kind != "second case bad":
        assert "Case PLO-2024-0011, cases[1]." in err


def test_missing_file_and_bad_as_of(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(db, "import", str(tmp_path / "none.json"), capsys=capsys)
    assert code == 1 and "There is no file" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db), "flags", "--as-of", "2024-02-31"])
    assert exit_info.value.code == 2
    assert "not a date written YYYY-MM-DD" in capsys.readouterr().err


def test_policy_shows_defaults_and_changes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, "policy", capsys=capsys)
    assert code == 0
    assert "letter_due_working_days" in out and "5 working days" in out
    assert "duration_weeks" in out and "16 weeks" in out
    code, out, _ = run(db, "policy", "set", "letter_due_working_days", "7", capsys=capsys)
    assert code == 0
    _code, out, _ = run(db, "policy", capsys=capsys)
    assert "7 working days *" in out
    # The policy change moves the due date of letter_due for an unlettered start.
    code, _out, err = run(db, "policy", "set", "letter_due_working_days", "0", capsys=capsys)
    assert code == 1 and "between 1 and 60" in err
    code, _out, err = run(db, "policy", "set", "no_such_setting", "3", capsys=capsys)
    assert code == 1 and "no policy setting" in err


def test_closure_days_change_due_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "closure.db"
    case = {
        "reference": "C-1",
        "children": [{"name": "A", "date_of_birth": "2020-01-01"}],
        "events": [
            {"type": "legal_planning_meeting", "date": "2024-08-22", "outcome": "pre_proceedings"}
        ],
    }
    file = tmp_path / "c.json"
    file.write_text(json.dumps({"format": "plo-tracker-cases", "version": 1, "cases": [case]}))
    assert run(db, "import", str(file), capsys=capsys)[0] == 0

    def due() -> str:
        _c, out, _e = run(db, "flags", "--as-of", "2024-08-23", "--format", "json", capsys=capsys)
        return next(f["due"] for f in json.loads(out)["flags"] if f["rule"] == "letter_due")

    assert due() == "2024-08-30"
    assert (
        run(
            db,
            "policy",
            "add-closure",
            "2024-08-27",
            "--description",
            "Training day",
            capsys=capsys,
        )[0]
        == 0
    )
    assert due() == "2024-09-02"
    _c, out, _e = run(db, "policy", "closures", capsys=capsys)
    assert "Tuesday 27 August 2024" in out and "Training day" in out


def test_demo_data_and_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.db"
    code, out, err = run(db, "demo-data", "--cases", "60", capsys=capsys)
    assert code == 0, err
    assert "60 new" in out
    _code, out, _ = run(db, "flags", "--format", "json", capsys=capsys)
    flags = json.loads(out)["flags"]
    rules = {f["rule"] for f in flags}
    # Demo data drifts in every way the contract defines; the family group decision-making
    # duty's rules stay off until the council sets the day the duty starts.
    fgdm_rules = {"fgdm_offer_missing", "fgdm_before_application"}
    assert rules == set(RULE_IDS) - fgdm_rules
    run(db, "policy", "set", "fgdm_duty_from", "2020-01-01", capsys=capsys)
    _code, out, _ = run(db, "flags", "--format", "json", capsys=capsys)
    with_duty = json.loads(out)["flags"]
    assert {f["rule"] for f in with_duty} == set(RULE_IDS)
    assert [f for f in with_duty if f["rule"] not in fgdm_rules] == flags
    run(db, "policy", "reset", "fgdm_duty_from", capsys=capsys)
    assert {f["severity"] for f in flags} == {"overdue", "due_soon"}
    assert any("reviewed" in f for f in flags)
    cases_flagged = {f["case"] for f in flags}
    export = tmp_path / "demo.json"
    run(db, "export", str(export), capsys=capsys)
    cases = json.loads(export.read_text())["cases"]
    # Open in pre-proceedings, or in care proceedings (issued, not concluded: issue 27).
    open_cases = [
        c
        for c in cases
        if not any(e["type"] in ("stepped_down", "proceedings_issued") for e in c.get("events", []))
        or (
            any(e["type"] == "proceedings_issued" for e in c["events"])
            and not any(e["type"] == "proceedings_concluded" for e in c["events"])
        )
    ]
    assert len(open_cases) > len(cases_flagged)  # some open cases are on time
    assert any("expected_birth" in ch for c in cases for ch in c["children"])
    assert any(len(c.get("parties", [])) >= 3 for c in cases)
    # Demo data refuses to mix with real cases.
    real = tmp_path / "real.db"
    run(real, "import", str(EXAMPLE), capsys=capsys)
    code, _out, err = run(real, "demo-data", "--cases", "5", capsys=capsys)
    assert code == 1 and "not demo cases" in err


def test_migrate_status_and_upgrade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "m.db"
    # Asking for the status reads only: no database is made where there is none.
    code, out, err = run(db, "migrate", "--status", capsys=capsys)
    assert code == 1 and "There is no PLO Tracker database at" in err
    assert not db.exists()
    code, out, _ = run(db, "migrate", capsys=capsys)
    assert code == 0 and "up to date" in out
    code, out, _ = run(db, "migrate", "--status", capsys=capsys)
    assert "up to date" in out


def test_database_url_from_environment(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLO_TRACKER_DATABASE_URL", str(db))
    assert main(["flags", "--as-of", "2024-03-20", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["flags"]) == 2


def test_unreachable_postgres_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", "postgresql://nobody@127.0.0.1:1/none", "flags"])
    err = capsys.readouterr().err
    assert code == 1
    assert "127.0.0.1:1 (connection refused)" in err and "Traceback" not in err


def test_not_a_database_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    code = main(["--db", str(junk), "flags"])
    err = capsys.readouterr().err
    assert code == 1 and "not a PLO Tracker database" in err
