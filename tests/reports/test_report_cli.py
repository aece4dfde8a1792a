"""The report, census and census-settings commands, run in-process as a user would."""

from __future__ import annotations

import csv
import io
import json
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook

from plo_tracker.cli import main
from plo_tracker.exchange import document_to_json
from tests.reports import handmade as hm
from tests.reports.test_report_service import census_cases

RANGE = ("--from", "2024-01-01", "--to", "2024-06-30")


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(document_to_json([*hm.ALL, *census_cases()])))
    path = tmp_path / "cli.db"
    code, _out, err = run(path, "import", str(source), capsys=capsys)
    assert code == 0, err
    return path


def test_timeliness_table(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(db, "report", "timeliness", *RANGE, capsys=capsys)
    assert code == 0, err
    assert "cases started 1 January 2024 to 30 June 2024" in out
    flat = " ".join(out.split())  # the last column wraps to the terminal's width
    assert (
        "Letter before proceedings within 5 working days of the start 3 5 60.0% "
        "late or not done: PLO-B PLO-I" in flat
    )
    assert "By team" in out and "Team A" in out and "By social worker" in out
    assert "Sam Green" in out and "1/2 (50.0%)" in out
    code, out, _ = run(db, "report", "timeliness", *RANGE, "--cases", capsys=capsys)
    out = " ".join(out.split())
    assert "met: PLO-A PLO-D PLO-J; late or not done: PLO-B PLO-I; not counted: PLO-E" in out
    assert "referred, still waiting: PLO-B" in out


def test_timeliness_json_and_csv(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, "report", "timeliness", *RANGE, "--format", "json", capsys=capsys)
    assert code == 0
    data = json.loads(out)
    reviews = next(f for f in data["council"]["figures"] if f["key"] == "reviews_on_time")
    assert (reviews["count"], reviews["denominator"], reviews["percentage"]) == (1, 3, 33.3)
    code, out, _ = run(db, "report", "timeliness", *RANGE, "--format", "csv", capsys=capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:6] == ["Group type", "Group", "Measure", "Count", "Out of", "Percentage"]
    fgc = next(r for r in rows if r[0] == "council" and r[2].startswith("FGC held or declined"))
    assert fgc[3:6] == ["2", "3", "66.7"] and fgc[9] == "PLO-A PLO-D" and fgc[10] == "PLO-B"
    ended = next(r for r in rows if r[0] == "council" and r[2].startswith("Length of cases"))
    assert ended[6:9] == ["6.3", "16.0", "PLO-A"]


def test_timeliness_xlsx_needs_a_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(db, "report", "timeliness", *RANGE, "--format", "xlsx", capsys=capsys)
    assert code == 1 and "--out FILE.xlsx" in err
    out_file = tmp_path / "report.xlsx"
    code, out, err = run(
        db,
        "report",
        "timeliness",
        *RANGE,
        "--format",
        "xlsx",
        "--out",
        str(out_file),
        capsys=capsys,
    )
    assert code == 0, err
    assert "7 cases" in out
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    book = load_workbook(out_file)
    assert book.sheetnames == ["About", "Council", "By team", "By worker", "All figures", "Cases"]
    cases = book["Cases"]
    assert [c.value for c in cases["A"]][1:] == [
        "PLO-A",
        "PLO-B",
        "PLO-C",
        "PLO-D",
        "PLO-E",
        "PLO-I",
        "PLO-J",
    ]
    code, _out, err = run(db, "report", "timeliness", *RANGE, "--out", "x.csv", capsys=capsys)
    assert code == 1 and "choose --format csv, json or xlsx" in err


def test_timeliness_bad_dates(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(
            ["--db", str(db), "report", "timeliness", "--from", "2024-13-01", "--to", "2024-12-01"]
        )
    capsys.readouterr()
    code, _out, err = run(
        db, "report", "timeliness", "--from", "2024-06-01", "--to", "2024-01-01", capsys=capsys
    )
    assert code == 1 and "before it starts" in err


def test_census_refused_then_written(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "census.xml"
    args = ("census", "--reference-date", "2026-03-31")
    code, _out, err = run(db, *args, "--out", str(out_file), capsys=capsys)
    assert code == 1
    assert "census-settings set-outcome" in err and "set-la-code" in err
    assert not out_file.exists()

    code, out, err = run(db, *args, "--check", capsys=capsys)
    assert code == 4, err  # records would be kept out (issue 14: a distinct exit code)
    assert "C-0" in out and "9005" in out and "LAchildID" in out
    assert "Before a file can be written" in out
    assert out.splitlines()[-1].startswith("Summary: Check only, nothing written")
    code, out, err = run(db, *args, "--check", "--allow-findings", capsys=capsys)
    assert code == 0, err

    code, out, _ = run(db, "census-settings", capsys=capsys)
    assert "not set" in out and "decision_to_issue" in out
    for outcome in (
        "child_protection",
        "child_in_need",
        "no_further_action",
        "decision_to_issue",
        "proceedings_issued",
    ):
        code, out, err = run(db, "census-settings", "set-outcome", outcome, "a", capsys=capsys)
        assert code == 0, err
    code, out, _ = run(db, "census-settings", "set-outcome", "open", "C", capsys=capsys)
    assert "is now C" in out
    code, _out, err = run(db, "census-settings", "set-la-code", "89x", capsys=capsys)
    assert code == 1 and "3-digit" in err
    code, out, _ = run(db, "census-settings", "set-la-code", "893", capsys=capsys)
    assert "893" in out

    code, out, err = run(db, *args, "--out", str(out_file), "--serial-no", "2", capsys=capsys)
    assert code == 4, err  # written, but two records are kept out by the rules
    assert "Wrote 2 record(s) for 2 child(ren)" in out
    assert out.splitlines()[-1].startswith("Summary: Wrote 2 record(s) for 2 child(ren)")
    assert "Exit code 4" in out.splitlines()[-1]
    root = ET.fromstring(out_file.read_bytes())
    assert len(root.findall("Children/Child")) == 2
    assert root.findtext("Header/Source/SerialNo") == "2"

    code, out, err = run(db, *args, "--check", "--format", "json", capsys=capsys)
    assert code == 4 and err.splitlines()[-1].startswith("Summary: ")
    data = json.loads(out)
    assert data["written"] == 2 and {f["rule"] for f in data["findings"]} == {"9005", "LAchildID"}
    code, out, _ = run(db, *args, "--check", "--format", "csv", capsys=capsys)
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["Case", "Child", "Rule", "Severity", "Element", "Message"]
    assert len(rows) == 1 + len(data["findings"])
    assert ["C-1", "child 2 (no LA child ID)", "LAchildID", "error", "LAchildID"] in [
        r[:5] for r in rows
    ]


def test_census_arguments(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(db, "census", "--reference-date", "2026-03-31", capsys=capsys)
    assert code == 1 and "--out FILE.xml" in err
    code, _out, err = run(db, "census", "--reference-date", "2026-04-01", "--check", capsys=capsys)
    assert code == 1 and "31 March" in err
    code, _out, err = run(
        db,
        "census",
        "--reference-date",
        "2026-03-31",
        "--check",
        "--out",
        "x.xml",
        capsys=capsys,
    )
    assert code == 1 and "either --out or --check" in err
