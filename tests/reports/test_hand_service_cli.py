"""ReportService on both databases, and the report/census commands, on hand-made cases.

The timeliness cases are those of test_hand_timeliness.py (figures worked out there).  The
census cases use the reference date 31 March 2027 with every event on or before today's
date in the tests' world (the exchange format refuses events in the future).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook

from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.errors import PermissionDenied, PloError, ValidationError
from plo_tracker.exchange import document_to_json
from plo_tracker.reports.census import OUTCOME_KEYS
from plo_tracker.services.reports import ReportService
from tests.builders import D, case, ev
from tests.conftest import as_role
from tests.reports.test_hand_timeliness import FROM, TO, hand_cases

REF = D("2027-03-31")


def census_cases() -> list[CaseHistory]:
    good = case(
        ev("legal_planning_meeting", "2026-04-09", outcome="pre_proceedings"),
        ev("letter_before_proceedings", "2026-04-20", party="mother"),
        ev("pre_proceedings_meeting", "2026-04-28"),
        ev("fgc_held", "2026-05-10"),
        ev("review_meeting", "2026-06-01"),
        ev("review_meeting", "2026-07-01"),
        ev("decision_to_issue", "2026-08-01", decided_by="Ann Wright"),
        ev("proceedings_issued", "2026-08-18"),
        ev("letter_of_issue", "2026-09-05", party="mother"),
        reference="CEN-GOOD",
        children=(
            Child("Amelia Jones", date_of_birth=D("2019-05-14"), la_child_id="LA1001"),
            Child("Baby Jones", expected_birth=D("2027-01-10"), la_child_id="LA1002"),
        ),
    )
    no_id = case(
        ev("legal_planning_meeting", "2026-06-01", outcome="pre_proceedings"),
        ev("letter_before_proceedings", "2026-06-03", party="mother", fgdm_offered=False),
        reference="CEN-NOID",
        children=(Child("Noah Smith", date_of_birth=D("2018-01-02")),),
    )
    before_year = case(
        ev("legal_planning_meeting", "2026-02-02", outcome="pre_proceedings"),
        ev("letter_before_proceedings", "2026-02-04", party="mother"),
        ev("pre_proceedings_meeting", "2026-04-10"),
        reference="CEN-EARLY",
        children=(Child("Ruby Hale", date_of_birth=D("2020-03-03"), la_child_id="LA1003"),),
    )
    return [good, no_id, before_year]


def set_all_codes(reports: ReportService) -> None:
    for key in OUTCOME_KEYS:
        reports.set_census_outcome(key, "A" if key == "proceedings_issued" else "b")


# -- the service, on SQLite and PostgreSQL ------------------------------------------------------


def test_timeliness_through_the_service_matches_the_hand_figures(app: AppContext) -> None:
    app.exchange.import_cases(hand_cases())
    report = ReportService(app.db, app.actor).timeliness(FROM, TO)
    assert [c.reference for c in report.cases] == ["A", "B", "C", "D", "G", "H"]
    figure = report.council.figure
    assert (figure("letter_on_time").count, figure("letter_on_time").denominator) == (3, 4)
    assert figure("first_meeting_on_time").shortfall == ("B", "H")
    assert (figure("reviews_on_time").count, figure("reviews_on_time").denominator) == (2, 5)
    assert figure("outcome_open").cases == ("B", "D")
    assert report.council.duration("duration_ended").median_weeks == 10.7
    assert [t.name for t in report.teams] == ["Team A", "Team B"]
    assert report.case("H").letter.status == "on_time"


def test_the_council_calendar_and_policy_are_used(app: AppContext) -> None:
    app.exchange.import_cases(hand_cases())
    app.settings.set_policy_value("letter_due_working_days", 8)
    app.settings.add_closure(D("2024-01-11"), "Staff day")
    report = ReportService(app.db, app.actor).timeliness(FROM, TO)
    letters = report.council.figure("letter_on_time")
    assert (letters.count, letters.denominator) == (4, 4)  # B's 14 Feb letter now in time
    assert report.case("A").letter.due == D("2024-01-19")  # 8 working days, 11 Jan closed


def test_every_role_may_view_the_report_and_a_reversed_range_is_refused(app: AppContext) -> None:
    app.exchange.import_cases(hand_cases())
    for role in ("social_worker", "legal_liaison", "team_manager"):
        other = as_role(app, role)
        assert len(ReportService(other.db, other.actor).timeliness(FROM, TO).cases) == 6
    with pytest.raises(ValidationError):
        ReportService(app.db, app.actor).timeliness(TO, FROM)


def test_timeliness_exports_are_owner_only_and_hold_the_cases(
    app: AppContext, tmp_path: Path
) -> None:
    weird = dataclasses.replace(hand_cases()[0], reference="Z-1", team="=HYPERLINK(1)")
    app.exchange.import_cases([*hand_cases(), weird])
    reports = ReportService(app.db, app.actor)
    report = reports.timeliness(FROM, TO)
    for name in ("r.csv", "r.xlsx", "r.json"):
        path = tmp_path / name
        assert reports.export_timeliness(report, path) == 7
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("A G H" in " ".join(row) for row in rows)  # cases behind the letter figure
    book = load_workbook(tmp_path / "r.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert len(data["cases"]) == 7
    with pytest.raises(PloError):
        reports.export_timeliness(report, tmp_path / "r.txt")


def test_census_findings_name_the_case_and_child(app: AppContext) -> None:
    app.exchange.import_cases(census_cases())
    result = ReportService(app.db, app.actor).census(REF)
    found = {(f.case, f.rule, f.severity) for f in result.findings}
    assert ("CEN-NOID", "LAchildID", "error") in found
    assert ("CEN-EARLY", "9005", "error") in found
    assert [(r.case, r.la_child_id) for r in result.written] == [
        ("CEN-GOOD", "LA1001"),
        ("CEN-GOOD", "LA1002"),  # the unborn child, by its LA child ID
    ]
    assert not result.ready  # no settings yet


def test_census_file_is_refused_until_the_settings_are_set(app: AppContext, tmp_path: Path) -> None:
    app.exchange.import_cases(census_cases())
    reports = ReportService(app.db, app.actor)
    out = tmp_path / "census.xml"
    with pytest.raises(PloError) as refused:
        reports.write_census(out, REF)
    message = str(refused.value)
    assert "census-settings set-outcome" in message and "set-la-code" in message
    assert not out.exists()

    set_all_codes(reports)
    with pytest.raises(PloError, match="set-la-code"):
        reports.write_census(out, REF)
    assert not out.exists()
    reports.set_census_la_code("893")

    written = reports.write_census(out, REF, serial_no=4)
    assert (written.records, written.children) == (2, 2)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    root = ET.fromstring(out.read_bytes())
    assert root.findtext("Header/Source/LEA") == "893"
    assert root.findtext("Header/Source/SerialNo") == "4"
    ids = [c.findtext("ChildIdentifiers/LAchildID") for c in root.findall("Children/Child")]
    assert ids == ["LA1001", "LA1002"]
    block = root.find("Children/Child/CINdetails/PreProceedingsandFGDM")
    assert block is not None
    assert [(e.tag, e.text) for e in block] == [
        ("PPStartDate", "2026-04-09"),
        ("LBPSentDate", "2026-04-20"),
        ("FGDMMeetingOffer", "1"),
        ("FGDMMeetingFac", "1"),
        ("InitialPPMeetingDate", "2026-04-28"),
        ("ReviewMeetingsCount", "2"),
        ("StepDecisionDate", "2026-08-01"),
        ("PPOutcome", "A"),
        ("CourtAppDate", "2026-08-18"),
        ("LetterInitCPDate", "2026-09-05"),
    ]


def test_census_settings_need_a_manager_and_are_checked(app: AppContext) -> None:
    worker = ReportService(*_service_args(as_role(app, "social_worker")))
    with pytest.raises(PermissionDenied):
        worker.set_census_outcome("open", "A")
    with pytest.raises(PermissionDenied):
        worker.set_census_la_code("893")
    manager = ReportService(*_service_args(as_role(app, "team_manager")))
    with pytest.raises(ValidationError):
        manager.set_census_outcome("open", "D")
    with pytest.raises(ValidationError):
        manager.set_census_outcome("adopted", "A")
    with pytest.raises(ValidationError):
        manager.set_census_la_code("89X")
    settings = manager.set_census_outcome("open", "c")
    assert settings.code_for("open") == "C"
    assert worker.census_settings().code_for("open") == "C"


def test_writing_the_census_needs_the_export_permission(app: AppContext, tmp_path: Path) -> None:
    app.exchange.import_cases(census_cases())
    reports = ReportService(app.db, app.actor)
    set_all_codes(reports)
    reports.set_census_la_code("893")
    worker = ReportService(*_service_args(as_role(app, "social_worker")))
    assert len(worker.census(REF).written) == 2  # may see the findings
    with pytest.raises(PermissionDenied):
        worker.write_census(tmp_path / "c.xml", REF)
    assert not (tmp_path / "c.xml").exists()


def _service_args(ctx: AppContext) -> tuple[object, object]:
    return ctx.db, ctx.actor


# -- the command line (SQLite) ---------------------------------------------------------------


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def imported(tmp_path: Path, cases: list[CaseHistory], capsys: pytest.CaptureFixture[str]) -> Path:
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(document_to_json(cases)), "utf-8")
    db = tmp_path / "cli.db"
    code, _out, err = run(db, "import", str(source), capsys=capsys)
    assert code == 0, err
    return db


def test_cli_timeliness_table_json_csv_and_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = imported(tmp_path, hand_cases(), capsys)
    base = ("report", "timeliness", "--from", "2024-01-01", "--to", "2024-06-30")
    code, out, err = run(db, *base, capsys=capsys)
    assert code == 0, err
    assert "Team A" in out and "Priya Shah" in out
    assert "3/4" in out or "75.0%" in out

    code, out, _ = run(db, *base, "--format", "json", capsys=capsys)
    assert code == 0
    figures = {f["key"]: f for f in json.loads(out)["council"]["figures"]}
    assert figures["letter_on_time"]["cases"] == ["A", "G", "H"]

    code, out, _ = run(db, *base, "--format", "csv", capsys=capsys)
    assert code == 0 and out.splitlines()[0].startswith("Group type")

    code, _, err = run(db, *base, "--format", "xlsx", capsys=capsys)
    assert code == 1 and "--out" in err
    book = tmp_path / "t.xlsx"
    code, out, err = run(db, *base, "--format", "xlsx", "--out", str(book), capsys=capsys)
    assert code == 0, err
    assert stat.S_IMODE(book.stat().st_mode) == 0o600
    assert load_workbook(book).sheetnames


def test_cli_refuses_bad_dates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = imported(tmp_path, hand_cases(), capsys)
    with pytest.raises(SystemExit):
        run(db, "report", "timeliness", "--from", "2024-13-01", "--to", "2024-06-30", capsys=capsys)
    code, _, err = run(
        db, "report", "timeliness", "--from", "2024-06-30", "--to", "2024-01-01", capsys=capsys
    )
    assert code == 1 and "before it starts" in err


def test_cli_census_refused_then_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = imported(tmp_path, census_cases(), capsys)
    out_file = tmp_path / "census.xml"
    census = ("census", "--reference-date", "2027-03-31", "--out", str(out_file))
    code, _, err = run(db, *census, capsys=capsys)
    assert code == 1
    assert "census-settings set-outcome" in err
    assert not out_file.exists()

    for key in OUTCOME_KEYS:
        code, _, err = run(db, "census-settings", "set-outcome", key, "A", capsys=capsys)
        assert code == 0, err
    code, _, err = run(db, "census-settings", "set-la-code", "893", capsys=capsys)
    assert code == 0, err
    code, out, _ = run(db, "census-settings", "show", capsys=capsys)
    assert code == 0 and "893" in out

    code, out, err = run(db, *census, capsys=capsys)
    assert code == 4, err  # written, but findings keep records out (issue 14)
    assert "CEN-NOID" in out and "CEN-EARLY" in out  # the findings, with the cases
    assert out.splitlines()[-1].startswith("Summary: Wrote 2 record(s)")
    root = ET.fromstring(out_file.read_bytes())
    assert len(root.findall("Children/Child")) == 2
    assert b"Noah Smith" not in out_file.read_bytes()  # names never go into the file

    code, out, _ = run(
        db,
        "census",
        "--reference-date",
        "2027-03-31",
        "--check",
        "--format",
        "json",
        capsys=capsys,
    )
    assert code == 4  # the same records would be kept out
    data = json.loads(out)
    assert {f["rule"] for f in data["findings"]} >= {"LAchildID", "9005"}


def test_cli_census_needs_31_march(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = imported(tmp_path, census_cases(), capsys)
    code, _, err = run(db, "census", "--reference-date", "2027-03-30", "--check", capsys=capsys)
    assert code == 1 and "31 March" in err
