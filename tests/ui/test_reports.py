"""The managers' reports screen: timeliness with a chart, and the census findings."""

from __future__ import annotations

import csv
import datetime as dt
import stat
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import Qt

from plo_tracker.app import AppContext
from plo_tracker.reports.census import Finding
from plo_tracker.reports.export import FIGURE_HEADERS, MATRIX_FIGURES, fraction
from plo_tracker.services.base import today
from plo_tracker.services.demo_setup import DemoSetupService
from plo_tracker.services.reports import ReportService
from plo_tracker.services.users import find_actor
from ui.models.census import FindingsModel, FindingsProxy
from ui.models.reports import TimelinessModel
from ui.widgets.reports import ReportsWidget, census_dates


def tab_texts(window) -> list[str]:
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def reports_screen(window) -> ReportsWidget:
    widget = window.reports
    assert isinstance(widget, ReportsWidget)
    window.tabs.setCurrentWidget(widget)  # shown: the report is made now
    return widget


def cell(widget: ReportsWidget, row: int, column: int) -> str:
    return str(widget.model.index(row, column).data())


def test_manager_sees_timeliness_by_team_and_worker(qtbot, window_as) -> None:
    window = window_as("ann.wright")
    assert "R&eports" in tab_texts(window)
    widget = reports_screen(window)
    report = widget.report
    assert report is not None
    expected = ReportService(window.ctx.db, window.ctx.actor).timeliness(
        widget.date_from.value(), widget.date_to.value()
    )
    started = expected.council.figure("started").count
    assert widget.summary.text().startswith(f"{started} case(s) started between ")
    assert cell(widget, 0, TimelinessModel.GROUP) == expected.council.name
    column = TimelinessModel.FIRST_FIGURE
    key = MATRIX_FIGURES[0][0]
    assert cell(widget, 0, column) == fraction(expected.council.figure(key))
    assert widget.model.rowCount() == 1 + len(expected.teams)

    # The chart draws the chosen measure for each team, in per cent.
    description = widget.chart.accessibleDescription()
    for team in expected.teams:
        assert team.name in description
    assert "Case Management 1 (your team)" in description
    widget.measure.setCurrentIndex(widget.measure.findData("reviews_on_time"))
    assert widget.chart.title.startswith("Reviews on time, by team")
    other = next(t for t in expected.teams if t.name == "Case Management 2")
    value = other.figure("reviews_on_time").percentage
    shown = "no cases" if value is None else f"{value:.1f}%"
    assert f"Case Management 2: {shown}" in widget.chart.accessibleDescription()

    qtbot.mouseClick(widget.by_worker, Qt.MouseButton.LeftButton)
    assert widget.model.rowCount() == 1 + len(expected.workers)
    assert "by social worker" in widget.chart.title


def test_a_backwards_range_is_explained(qtbot, window_as) -> None:
    window = window_as("ann.wright")
    widget = reports_screen(window)
    widget.date_from.set_value(today())
    widget.date_to.set_value(today() - dt.timedelta(days=30))
    qtbot.mouseClick(widget.update_button, Qt.MouseButton.LeftButton)
    assert "before it starts" in widget.status.text()
    assert "give the earlier date first" in widget.status.text()


def test_timeliness_export_reads_back(qtbot, window_as, dialog_log, tmp_path: Path) -> None:
    window = window_as("ann.wright")
    widget = reports_screen(window)
    dialog_log.save_path = tmp_path / "timeliness"
    qtbot.mouseClick(widget.csv_button, Qt.MouseButton.LeftButton)
    path = tmp_path / "timeliness.csv"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == FIGURE_HEADERS
    assert str(path) in widget.status.text()
    dialog_log.save_path = tmp_path / "timeliness.xlsx"
    qtbot.mouseClick(widget.xlsx_button, Qt.MouseButton.LeftButton)
    book = load_workbook(tmp_path / "timeliness.xlsx")
    assert "Council" in book.sheetnames
    assert dialog_log.errors == []


def test_census_findings_and_opening_a_case(qtbot, window_as) -> None:
    window = window_as("ann.wright")
    widget = reports_screen(window)
    widget.tabs.setCurrentIndex(1)
    qtbot.mouseClick(widget.check_button, Qt.MouseButton.LeftButton)
    census = widget.census
    assert census is not None
    assert widget.census_summary.text().startswith("Census year ")
    assert f"{len(census.records)} record(s) checked" in widget.census_summary.text()
    assert "Before a file can be made" in widget.census_summary.text(), "demo has no LA code"
    assert widget.findings_proxy.rowCount() == len(census.findings)
    widget.only_errors.setChecked(True)
    assert widget.findings_proxy.rowCount() == len(census.errors)
    row = next(
        (
            i
            for i in range(widget.findings_proxy.rowCount())
            if widget.findings_proxy.row_at(i).case
        ),
        None,
    )
    if row is None:
        return  # nothing to correct in this demo data
    finding = widget.findings_proxy.row_at(row)
    index = widget.findings_proxy.index(row, 0)
    widget.findings.setCurrentIndex(index)
    with qtbot.waitSignal(widget.open_case):
        widget.findings.doubleClicked.emit(index)
    view = window.current_case_view()
    assert view is not None and view.reference == finding.case


def test_social_worker_has_no_reports_screen(window_as) -> None:
    window = window_as("megan.hughes")
    assert window.reports is None
    assert "R&eports" not in tab_texts(window)


def test_reports_on_both_databases(qtbot, app: AppContext) -> None:
    DemoSetupService(app.db, app.actor).fill(count=30)
    manager = AppContext(db=app.db, actor=find_actor(app.db, "david.evans"))
    widget = ReportsWidget(manager)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.report is not None
    assert widget.model.rowCount() >= 2
    assert "Case Management 2 (your team)" in widget.chart.accessibleDescription()
    assert widget.load_census() is not None
    assert widget.findings_model.rowCount() == len(widget.census.findings)


def test_census_dates_are_31_march() -> None:
    assert census_dates(dt.date(2026, 11, 23)) == [
        dt.date(2027, 3, 31),
        dt.date(2026, 3, 31),
        dt.date(2025, 3, 31),
        dt.date(2024, 3, 31),
    ]
    assert census_dates(dt.date(2026, 3, 31))[0] == dt.date(2026, 3, 31)


def test_report_models_pass_the_model_tester(qtmodeltester, sqlite_app: AppContext) -> None:
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(count=20)
    service = ReportService(sqlite_app.db, sqlite_app.actor)
    report = service.timeliness(today() - dt.timedelta(days=365), today())
    model = TimelinessModel()
    model.set_groups([report.council, *report.teams])
    qtmodeltester.check(model)
    findings = FindingsModel()
    findings.set_rows(
        [
            Finding("PLO-1", 1, "A B", None, "LAchildID", "error", None, "No ID."),
            Finding("PLO-2", 2, "C D", "LA1", "immediate_issue", "query", None, "Check."),
            Finding(None, None, None, None, "header", "error", "LEA", "No LA code."),
        ]
    )
    qtmodeltester.check(findings)
    assert findings.index(2, FindingsModel.CASE).data() == "(the whole return)"
    proxy = FindingsProxy()
    proxy.setSourceModel(findings)
    proxy.sort(FindingsModel.SEVERITY, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(proxy)
    proxy.set_filter(only_errors=True)
    assert proxy.rowCount() == 2
    qtmodeltester.check(proxy)
