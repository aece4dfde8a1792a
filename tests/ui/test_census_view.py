"""The census view in the real window: the council's return, every finding, opening a case at
the place to fix, and the two files (findings CSV, merged return)."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from db.engine import sqlite_url
from plo_tracker.app import AppContext, open_app
from plo_tracker.domain.model import Event
from plo_tracker.exchange import document_to_json
from plo_tracker.permissions import Role
from plo_tracker.reports.census_fix import FINDINGS_FILE_HEADERS
from plo_tracker.reports.census_merge import merge_into
from plo_tracker.reports.census_return import read_return
from tests.conftest import as_role
from tests.reports.census_returns import NS, council_return
from tests.reports.test_census_merge import CODES, REFERENCE, cases, census, kids
from ui.models.census import FindingsModel, FindingsProxy
from ui.widgets.census_view import CensusView
from ui.widgets.reports import ReportsWidget


@pytest.fixture
def census_db(tmp_path: Path) -> Path:
    path = tmp_path / "census.db"
    ctx = open_app(sqlite_url(path), username="admin", create=True)
    try:
        ctx.exchange.import_text(json.dumps(document_to_json(cases())))
        for outcome, letter in CODES.items():
            ctx.reports.set_census_outcome(outcome, letter)
        ctx.reports.set_census_la_code("893")
    finally:
        ctx.close()
    return path


@pytest.fixture
def council(tmp_path: Path) -> Path:
    path = tmp_path / "council-return.xml"
    path.write_bytes(council_return(kids(census()), namespace=NS, prefix="cin"))
    return path


def census_view(window) -> CensusView:
    reports = window.reports
    assert isinstance(reports, ReportsWidget)
    window.tabs.setCurrentWidget(reports)
    reports.tabs.setCurrentIndex(1)
    view = reports.census_view
    dates = [view.census_date.itemData(i) for i in range(view.census_date.count())]
    index = dates.index(REFERENCE)
    view.census_date.setCurrentIndex(index)
    return view


def checked_with_return(qtbot, window, dialog_log, council: Path) -> CensusView:
    view = census_view(window)
    dialog_log.open_path_value = council
    qtbot.mouseClick(view.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.merge is not None and not view.busy, timeout=20_000)
    return view


def row_of(view: CensusView, rule: str) -> int:
    rows = [i for i in range(view.proxy.rowCount()) if view.proxy.row_at(i).rule == rule]
    assert len(rows) == 1, rule
    return rows[0]


def test_the_view_lists_every_finding_with_where_to_fix(
    qtbot, window_as, dialog_log, census_db: Path, council: Path
) -> None:
    window = window_as("admin", db=str(census_db))
    view = checked_with_return(qtbot, window, dialog_log, council)
    expected = merge_into(read_return(council.read_bytes()), census())
    shown = [view.proxy.row_at(i) for i in range(view.proxy.rowCount())]
    assert sorted(shown, key=repr) == sorted(expected.all_findings, key=repr)
    assert "Council's return: 13 child(ren) with 17 CIN episode(s)" in view.summary.text()
    assert "5 block(s) placed for 4 child(ren)" in view.summary.text()
    assert view.return_label.text() == "Council's return: council-return.xml"
    row = row_of(view, "no_cin_episode")
    where = view.proxy.index(row, FindingsModel.WHERE).data()
    assert where.startswith("Chronology: the legal planning meeting that started")
    assert dialog_log.errors == []

    view.only_errors.setChecked(True)
    assert view.proxy.rowCount() == sum(1 for f in expected.all_findings if f.blocks)
    view.only_errors.setChecked(False)

    # Without the return, only the rules' findings.
    qtbot.mouseClick(view.forget_button, Qt.MouseButton.LeftButton)
    assert view.merge is None and view.proxy.rowCount() == len(census().findings)
    assert not view.merged_button.isEnabled()


def test_a_finding_opens_its_case_at_the_place_to_fix(
    qtbot, window_as, dialog_log, census_db: Path, council: Path
) -> None:
    window = window_as("admin", db=str(census_db))
    view = checked_with_return(qtbot, window, dialog_log, council)

    # The start date fits none of Mia's CIN episodes: the legal planning meeting it came from.
    index = view.proxy.index(row_of(view, "no_cin_episode"), 0)
    view.table.setCurrentIndex(index)
    with qtbot.waitSignal(view.open_case):
        view.table.doubleClicked.emit(index)
    case_view = window.current_case_view()
    assert case_view is not None and case_view.reference == "CM-02"
    assert case_view.tabs.currentWidget() is case_view.chronology
    selected = case_view.chronology.selected()
    assert isinstance(selected.record, Event)
    assert (selected.record.type, selected.record.date.isoformat()) == (
        "legal_planning_meeting",
        "2026-07-01",
    )
    assert window.statusBar().currentMessage() == (
        "Census finding (no_cin_episode) to fix here: Chronology: the legal planning meeting "
        "that started pre-proceedings (1 July 2026), or the CIN episode in the case management "
        "system"
    )

    # An LA child ID missing from the return: the child on the Children tab.
    window.tabs.setCurrentWidget(window.reports)
    index = view.proxy.index(row_of(view, "not_in_return"), 0)
    view.table.activated.emit(index)
    case_view = window.current_case_view()
    assert case_view.reference == "CM-04"
    assert case_view.tabs.currentWidget() is case_view.children
    assert case_view.children.selected().la_child_id == "LA1005"

    # A second episode's finding opens the event of that episode (Ivy's second case).
    window.tabs.setCurrentWidget(window.reports)
    index = view.proxy.index(row_of(view, "same_start_twice"), 0)
    view.table.activated.emit(index)
    case_view = window.current_case_view()
    assert case_view.reference == "CM-09"
    assert case_view.chronology.selected().record.date.isoformat() == "2026-11-02"


def test_findings_file_and_merged_return_from_the_window(
    qtbot, window_as, dialog_log, census_db: Path, council: Path, tmp_path: Path
) -> None:
    window = window_as("admin", db=str(census_db))
    view = checked_with_return(qtbot, window, dialog_log, council)
    dialog_log.save_path = tmp_path / "findings"
    qtbot.mouseClick(view.findings_button, Qt.MouseButton.LeftButton)
    saved = tmp_path / "findings.csv"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert tuple(rows[0]) == FINDINGS_FILE_HEADERS
    assert len(rows) - 1 == view.model.rowCount()
    assert f"Saved {len(rows) - 1} finding(s) to {saved}" in view.status.text()

    dialog_log.save_path = tmp_path / "merged.xml"
    before = council.read_bytes()
    qtbot.mouseClick(view.merged_button, Qt.MouseButton.LeftButton)
    assert view.busy or (tmp_path / "merged.xml").exists()
    qtbot.waitUntil(lambda: not view.busy, timeout=20_000)
    expected = merge_into(read_return(before), census())
    assert (tmp_path / "merged.xml").read_bytes() == expected.data
    assert council.read_bytes() == before
    assert "Wrote the council's return with 5 block(s) placed" in view.status.text()
    assert dialog_log.errors == []


def test_findings_are_never_saved_over_the_councils_return(
    qtbot, window_as, dialog_log, census_db: Path, tmp_path: Path
) -> None:
    council = tmp_path / "council-return.csv"  # a return whose name ends .csv
    council.write_bytes(council_return(kids(census()), namespace=NS, prefix="cin"))
    before = council.read_bytes()
    window = window_as("admin", db=str(census_db))
    view = checked_with_return(qtbot, window, dialog_log, council)
    dialog_log.save_path = council
    qtbot.mouseClick(view.findings_button, Qt.MouseButton.LeftButton)
    assert council.read_bytes() == before
    assert dialog_log.errors[0][0] == "Findings not saved"
    assert "never writes over the council's return" in dialog_log.error_text()


def test_a_file_that_is_not_a_return_is_explained(
    qtbot, window_as, dialog_log, census_db: Path, tmp_path: Path
) -> None:
    window = window_as("admin", db=str(census_db))
    view = census_view(window)
    bad = tmp_path / "notes.xml"
    bad.write_text("<Notes>hello</Notes>")
    dialog_log.open_path_value = bad
    qtbot.mouseClick(view.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.busy, timeout=20_000)
    assert dialog_log.errors and "root element is <Notes>" in dialog_log.error_text()
    assert "root element is <Notes>" in view.status.text()
    assert view.merge is None and view.check_button.isEnabled()


def test_who_may_make_the_merged_return(qtbot, sqlite_app: AppContext) -> None:
    legal = as_role(sqlite_app, Role.LEGAL_LIAISON)
    view = CensusView(legal)
    qtbot.addWidget(view)
    assert view.merged_button.isHidden()
    manager = as_role(sqlite_app, Role.TEAM_MANAGER)
    view = CensusView(manager)
    qtbot.addWidget(view)
    assert not view.merged_button.isHidden()
    assert view.load_census() is not None


def test_findings_model_passes_the_model_tester(qtmodeltester) -> None:
    merge = merge_into(read_return(council_return(kids(census()))), census())
    model = FindingsModel()
    model.set_rows(list(merge.all_findings))
    qtmodeltester.check(model)
    proxy = FindingsProxy()
    proxy.setSourceModel(model)
    proxy.sort(FindingsModel.WHERE, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy)
    proxy.set_filter(only_errors=True)
    assert proxy.rowCount() == sum(1 for f in merge.all_findings if f.blocks)
    qtmodeltester.check(proxy)
