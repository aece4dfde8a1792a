"""``plo-tracker census --merge-into`` and ``--findings``, run in-process as the data team would,
and the service behind them on both databases."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import select

from db.models import AuditEntry
from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.errors import PermissionDenied, PloError
from plo_tracker.exchange import document_to_json
from plo_tracker.permissions import Role
from plo_tracker.reports.census_fix import FINDINGS_FILE_HEADERS
from plo_tracker.reports.census_merge import merge_into
from plo_tracker.reports.census_return import read_return
from tests.builders import D, case
from tests.conftest import as_role
from tests.reports.census_returns import NS, council_return
from tests.reports.test_census_merge import CODES, cases, census, kid, kids, start

ARGS = ("census", "--reference-date", "2027-03-31")


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return census_database(tmp_path, capsys)


def census_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database with the census cases and settings, made through the command line."""
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(document_to_json(cases())))
    path = tmp_path / "cli.db"
    code, _out, err = run(path, "import", str(source), capsys=capsys)
    assert code == 0, err
    for outcome, code_letter in CODES.items():
        code, _out, err = run(
            path, "census-settings", "set-outcome", outcome, code_letter, capsys=capsys
        )
        assert code == 0, err
    code, _out, err = run(path, "census-settings", "set-la-code", "893", capsys=capsys)
    assert code == 0, err
    return path


@pytest.fixture
def council(tmp_path: Path) -> Path:
    path = tmp_path / "council-return.xml"
    path.write_bytes(council_return(kids(census()), namespace=NS))
    return path


def test_merge_writes_the_return_and_exits_4_when_records_are_kept_out(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged = tmp_path / "merged.xml"
    before = council.read_bytes()
    code, out, err = run(
        db, *ARGS, "--merge-into", str(council), "--out", str(merged), capsys=capsys
    )
    assert code == 4, err
    lines = out.splitlines()
    assert lines[-1] == (
        f"Summary: Merged 6 block(s) for 5 of the return's 13 child(ren) into {merged} "
        "(5 added, 1 already in the return); 7 record(s) kept out (1 by the census rules, 6 not "
        "placed); 3 query(ies). Exit code 4: records kept out (add --allow-findings to accept "
        "them)."
    )
    flat = " ".join(out.split())
    for rule in ("no_cin_episode", "two_cin_episodes", "not_in_return", "child_twice_in_return"):
        assert rule in flat
    assert "The council's return holds 13 child(ren) with 17 CIN episode(s)" in flat
    assert council.read_bytes() == before  # the council's own file is never changed
    # The merged return is the council's return with more in it: it keeps the file's permissions.
    assert stat.S_IMODE(merged.stat().st_mode) == stat.S_IMODE(council.stat().st_mode)
    expected = merge_into(read_return(before), census())
    data = merged.read_bytes()
    assert data == expected.data
    assert etree.fromstring(data).tag == f"{{{NS}}}Message"
    assert b"Ruby Fox" not in data  # no names go into the return

    code, out, err = run(
        db,
        *ARGS,
        "--merge-into",
        str(council),
        "--out",
        str(merged),
        "--allow-findings",
        capsys=capsys,
    )
    assert code == 0, err
    assert out.splitlines()[-1].startswith("Summary: Merged 6 block(s)")
    assert "Exit code" not in out.splitlines()[-1]


def test_a_clean_merge_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Only the cases that can be placed, and a return with their episodes.
    placeable = [c for c in cases() if c.reference in {"CM-01", "CM-11"}]
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(document_to_json(placeable)))
    db = tmp_path / "clean.db"
    assert run(db, "import", str(source), capsys=capsys)[0] == 0
    for outcome, letter in CODES.items():
        assert run(db, "census-settings", "set-outcome", outcome, letter, capsys=capsys)[0] == 0
    assert run(db, "census-settings", "set-la-code", "893", capsys=capsys)[0] == 0
    return_file = tmp_path / "return.xml"
    wanted = [k for k in kids(census()) if k.la_id in {"LA1001", "LA1011", "LA2000"}]
    return_file.write_bytes(council_return(wanted, namespace=NS, prefix="cin"))
    merged = tmp_path / "merged.xml"
    code, out, err = run(
        db, *ARGS, "--merge-into", str(return_file), "--out", str(merged), capsys=capsys
    )
    assert code == 0, err
    assert out.splitlines()[-1] == (
        f"Summary: Merged 3 block(s) for 2 of the return's 3 child(ren) into {merged} "
        "(3 added, 0 already in the return); 0 record(s) kept out (0 by the census rules, 0 not "
        "placed); 0 query(ies)."
    )
    assert merged.read_bytes().count(b"<cin:PreProceedingsandFGDM>") == 4  # 3 ours, 1 theirs


def test_findings_file_lists_every_finding_formula_safe(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings = tmp_path / "findings.csv"
    code, out, err = run(
        db,
        *ARGS,
        "--merge-into",
        str(council),
        "--check",
        "--findings",
        str(findings),
        capsys=capsys,
    )
    assert code == 4, err
    assert out.splitlines()[-1].startswith(
        "Summary: Check only, nothing written: 6 block(s) for 5 of the return's 13 child(ren) "
        "would be in the file (5 to add, 1 already in the return)"
    )
    assert f"Wrote 10 finding(s) to {findings}" in out
    assert stat.S_IMODE(findings.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == FINDINGS_FILE_HEADERS
    expected = merge_into(read_return(council.read_bytes()), census()).all_findings
    assert len(rows) == 1 + len(expected) == 11
    by_rule = {r[4]: r for r in rows[1:]}
    mia = by_rule["no_cin_episode"]
    assert mia[:8] == [
        "CM-02",
        "1",
        "child 2",
        "LA1003",
        "no_cin_episode",
        "error",
        "yes",
        "Chronology: the legal planning meeting that started pre-proceedings (1 July 2026), "
        "or the CIN episode in the case management system",
    ]
    assert by_rule["not_in_return"][7] == "Children: child 1 (LA1005)"
    assert by_rule["already_in_return"][6] == "no"
    assert by_rule["9005"][0] == "CM-10"

    # JSON: the merge's counts and every finding; the summary goes to standard error, last.
    code, out, err = run(
        db, *ARGS, "--merge-into", str(council), "--check", "--format", "json", capsys=capsys
    )
    data = json.loads(out)
    assert code == 4 and data["placed"] == 5 and data["children_in_return"] == 13
    assert data["findings_by_rule"]["no_cin_episode"] == 1
    assert len(data["findings"]) == 10
    assert err.splitlines()[-1].startswith("Summary: Check only")


def test_findings_file_neutralises_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = case(
        start("2026-06-01"),
        reference="CM-X",
        children=(kid("A B", "=HYPERLINK(1)", "2015-01-01"),),
    )
    source = tmp_path / "cases.json"
    source.write_text(json.dumps(document_to_json([hostile])))
    db = tmp_path / "x.db"
    assert run(db, "import", str(source), capsys=capsys)[0] == 0
    return_file = tmp_path / "return.xml"
    return_file.write_bytes(council_return([]))
    findings = tmp_path / "f.csv"
    code, _out, err = run(
        db,
        *ARGS,
        "--merge-into",
        str(return_file),
        "--check",
        "--findings",
        str(findings),
        capsys=capsys,
    )
    assert code == 4, err
    rows = list(csv.reader(io.StringIO(findings.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r[4] == "not_in_return")
    assert row[3] == "'=HYPERLINK(1)"


def test_merge_errors_write_nothing_and_exit_1(
    db: Path, council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    merged = tmp_path / "merged.xml"
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<Message><Header>")
    for return_file, message in (
        (bad, "not well-formed XML"),
        (tmp_path / "missing.xml", "There is no file"),
        (council, "never writes over the council's return"),
    ):
        target = council if message.startswith("never") else merged
        code, _out, err = run(
            db, *ARGS, "--merge-into", str(return_file), "--out", str(target), capsys=capsys
        )
        assert code == 1 and message in err, err
        assert not merged.exists()
    code, _out, err = run(db, *ARGS, "--merge-into", str(council), capsys=capsys)
    assert code == 1 and "--out FILE.xml" in err
    code, _out, err = run(
        db,
        "census",
        "--reference-date",
        "2026-03-31",
        "--merge-into",
        str(council),
        "--check",
        capsys=capsys,
    )
    assert code == 1 and "reference date 2027-03-31" in err


# -- the service on both databases -------------------------------------------------------------


def load(app: AppContext) -> None:
    app.exchange.import_text(json.dumps(document_to_json(cases())))
    for outcome, letter in CODES.items():
        app.reports.set_census_outcome(outcome, letter)


def test_service_merges_the_same_on_both_databases(app: AppContext, tmp_path: Path) -> None:
    load(app)
    council = tmp_path / "return.xml"
    council.write_bytes(council_return(kids(census()), namespace=NS, prefix="cin"))
    checked = app.reports.census_merge(council, census().reference_date)
    expected = merge_into(read_return(council.read_bytes()), census())
    assert checked.placements == expected.placements
    assert checked.all_findings == expected.all_findings
    assert checked.census.setup_problems  # no LA code yet: checking works, writing does not
    with pytest.raises(PloError, match="set-la-code"):
        app.reports.write_merged_census(council, tmp_path / "m.xml", census().reference_date)
    app.reports.set_census_la_code("893")
    written = app.reports.write_merged_census(council, tmp_path / "m.xml", census().reference_date)
    assert written.path.read_bytes() == expected.data
    with app.db.read() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "cin_census")).one()
        assert entry.changes["merged_into"] == "return.xml"
        assert entry.changes["records"] == 5 and entry.changes["left_out"] == 7
        assert entry.changes["children_in_return"] == 13
    findings = tmp_path / "f.csv"
    assert app.reports.write_census_findings(findings, checked.all_findings, D("2027-03-31")) == 10
    with app.db.read() as session:
        entity = AuditEntry.entity == "cin_census_findings"
        assert session.scalars(select(AuditEntry.changes).where(entity)).one()["findings"] == 10

    worker = as_role(app, Role.SOCIAL_WORKER)
    assert worker.reports.census_merge(council, census().reference_date).placements
    with pytest.raises(PermissionDenied):
        worker.reports.write_merged_census(council, tmp_path / "w.xml", census().reference_date)
    assert not (tmp_path / "w.xml").exists()
