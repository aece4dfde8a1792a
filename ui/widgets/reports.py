"""Reports for managers: the timeliness report (with a chart) and the CIN census findings.

The figures, their rules and the census checks are the core's (``ReportService``);
this screen chooses the range, shows the figures by team or social worker, draws one
measure as a bar chart, exports the report, and lists what the census check found
so staff can correct the records before the return is made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain.dates import long_date
from plo_tracker.permissions import Permission
from plo_tracker.reports.census import CensusReturn
from plo_tracker.reports.export import MATRIX_FIGURES, fraction
from plo_tracker.reports.timeliness import TEAM, WORKER, TimelinessReport
from plo_tracker.services.base import today
from plo_tracker.services.reports import ReportService
from ui import dialogs, errors
from ui.models.reports import TimelinessModel
from ui.widgets.bar_chart import BarChart
from ui.widgets.census_view import CensusView
from ui.widgets.census_view import census_dates as census_dates  # where tests look for it
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.inputs import DateEdit
from ui.widgets.on_show import ReloadWhenShown
from ui.widgets.tables import list_view
from ui.widgets.two_part_row import TwoPartRow

SUMMARY_FIGURES = (
    "letter_on_time",
    "first_meeting_on_time",
    "reviews_on_time",
    "concluded_within_26_weeks",
)


def _percent(value: float | None) -> str:
    return "no cases" if value is None else f"{value:.1f}%"


def _weeks(value: float | None) -> str:
    return "no cases" if value is None else f"{value:.1f} weeks"


# A length (median weeks) charted besides the percentages, once the report carries it (the CP
# plans of the council's CIN return are imported).
CP_PLAN_TO_MEETING = "cp_plan_to_meeting"


class ReportsWidget(ReloadWhenShown):
    open_case = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = ReportService(ctx.db, ctx.actor)
        self.report: TimelinessReport | None = None
        self._stale = True
        self.setAccessibleName("Reports")
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Reports")
        self.tabs.addTab(self._build_timeliness(), "T&imeliness")
        self.tabs.addTab(self._build_census(), "CIN ce&nsus")
        outer.addWidget(self.tabs)

    # -- building ----------------------------------------------------------------------------
    def _build_timeliness(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(
            "How promptly each step happened for the cases that started pre-proceedings in "
            "the range. '8/10 (80.0%)' means 8 of the 10 cases that reached that step did it "
            "on time."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        row = QHBoxLayout()
        self.date_from = DateEdit(today() - dt.timedelta(days=365))
        self.date_from.setAccessibleName("Cases started from")
        from_label = QLabel("Fro&m:")
        from_label.setBuddy(self.date_from.edit)
        self.date_to = DateEdit(today())
        self.date_to.setAccessibleName("Cases started up to")
        to_label = QLabel("T&o:")
        to_label.setBuddy(self.date_to.edit)
        self.update_button = QPushButton("&Update")
        self.update_button.setAccessibleName("Update the report")
        for widget in (from_label, self.date_from, to_label, self.date_to, self.update_button):
            row.addWidget(widget)
        row.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        self.by_team = QRadioButton("By te&am")
        self.by_worker = QRadioButton("By social &worker")
        self.by_team.setAccessibleName("Show the figures by team")
        self.by_worker.setAccessibleName("Show the figures by social worker")
        self.by_team.setChecked(True)
        self.by_group = QButtonGroup(self)
        self.by_group.addButton(self.by_team)
        self.by_group.addButton(self.by_worker)
        row.addWidget(self.by_team)
        row.addWidget(self.by_worker)
        row.addStretch(1)
        exports = QHBoxLayout()
        exports.addStretch(1)
        can_export = self.ctx.actor.can(Permission.VIEW_REPORTS)
        self.csv_button = QPushButton("Export .c&sv…")
        self.csv_button.setAccessibleName("Export the timeliness report as CSV")
        self.xlsx_button = QPushButton("Export .&xlsx…")
        self.xlsx_button.setAccessibleName("Export the timeliness report as an Excel workbook")
        for button in (self.csv_button, self.xlsx_button):
            button.setVisible(can_export)
            exports.addWidget(button)
        layout.addWidget(TwoPartRow(row, exports))  # exports go below when short of room

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("The council's figures")
        layout.addWidget(self.summary)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        self.model = TimelinessModel(parent=self)
        self.table = list_view("Timeliness figures", roomy=True)
        self.table.setModel(self.model)
        splitter.addWidget(self.table)

        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        measure_row = QHBoxLayout()
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure shown in the chart")
        for key, heading in MATRIX_FIGURES:
            self.measure.addItem(heading, key)
        measure_label = QLabel("Chart measu&re:")
        measure_label.setBuddy(self.measure)
        measure_row.addWidget(measure_label)
        measure_row.addWidget(self.measure)
        measure_row.addStretch(1)
        chart_layout.addLayout(measure_row)
        self.chart = BarChart("Letter on time, by team")
        self.chart.empty_text = "No cases started in the range."
        chart_layout.addWidget(self.chart)
        chart_layout.addStretch(1)
        splitter.addWidget(chart_box)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Result of the last action")
        layout.addWidget(self.status)

        self.update_button.clicked.connect(self.load_timeliness)
        self.by_team.toggled.connect(self._show_groups)
        self.measure.currentIndexChanged.connect(self._show_chart)
        self.csv_button.clicked.connect(self.export_csv)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        return page

    def _build_census(self) -> QWidget:
        """The census view (``ui.widgets.census_view``); its parts keep their old names here."""
        view = self.census_view = CensusView(self.ctx, self.service, self)
        view.open_case.connect(self.open_case)
        self.census_date, self.check_button, self.only_errors = (
            view.census_date,
            view.check_button,
            view.only_errors,
        )
        self.census_summary, self.findings = view.summary, view.table
        self.findings_model, self.findings_proxy = view.model, view.proxy
        return view

    @property
    def census(self) -> CensusReturn | None:
        return self.census_view.census

    # -- loading -----------------------------------------------------------------------------
    def _reload(self) -> None:
        """Re-run the timeliness report (``refresh()``: now if on screen, else when shown)."""
        self.load_timeliness()
        self.census_view.refresh()

    def load_timeliness(self) -> TimelinessReport | None:
        try:
            report = self.service.timeliness(self.date_from.value(), self.date_to.value())
        except Exception as error:
            self.status.setText(errors.describe(error, "reports"))
            return None
        self.report = report
        self.status.setText("")
        council = report.council
        started = council.figure("started").count
        parts = [
            f"{council.figure(key).label}: {fraction(council.figure(key))}"
            for key in SUMMARY_FIGURES
        ]
        self.summary.setText(
            f"{started} case(s) started between {long_date(report.date_from)} and "
            f"{long_date(report.date_to)} (events seen up to {long_date(report.as_of)}). "
            + "; ".join(parts)
            + "."
        )
        self._offer_cp_chart(report)
        self._show_groups()
        return report

    def _offer_cp_chart(self, report: TimelinessReport) -> None:
        """The weeks from the CP plan to the meeting, as a chart measure while the report has it."""
        has = any(d.key == CP_PLAN_TO_MEETING for d in report.council.durations)
        index = self.measure.findData(CP_PLAN_TO_MEETING)
        if has and index < 0:
            self.measure.addItem("Weeks from CP plan to meeting (median)", CP_PLAN_TO_MEETING)
        elif not has and index >= 0:
            self.measure.removeItem(index)

    def _groups_shown(self) -> str:
        return TEAM if self.by_team.isChecked() else WORKER

    def _show_groups(self, _on: bool = True) -> None:
        if self.report is None:
            return
        by = self._groups_shown()
        groups = [self.report.council, *(self.report.teams if by == TEAM else self.report.workers)]
        self.model.set_groups(groups)
        fit_to_contents(self.table)
        self._show_chart()

    def _show_chart(self, _index: int = 0) -> None:
        if self.report is None:
            return
        key = str(self.measure.currentData())
        by = self._groups_shown()
        if key == CP_PLAN_TO_MEETING:
            self._show_weeks_chart(key, by)
            return
        series = self.report.series(key, by)
        own = self.ctx.actor.team
        self.chart.title = (
            f"{self.measure.currentText()}, by {'team' if by == TEAM else 'social worker'} "
            "(per cent)"
        )
        self.chart.setAccessibleName(self.chart.title)
        self.chart.set_data(
            [
                (f"{name} (your team)" if by == TEAM and name == own else name, value)
                for name, value in series
            ],
            maximum=100.0,
            value_text=_percent,
        )

    def _show_weeks_chart(self, key: str, by: str) -> None:
        assert self.report is not None
        groups = self.report.teams if by == TEAM else self.report.workers
        own = self.ctx.actor.team
        self.chart.title = (
            f"{self.measure.currentText()}, by {'team' if by == TEAM else 'social worker'}"
        )
        self.chart.setAccessibleName(self.chart.title)
        self.chart.set_data(
            [
                (
                    f"{g.name} (your team)" if by == TEAM and g.name == own else g.name,
                    g.duration(key).median_weeks,
                )
                for g in groups
            ],
            value_text=_weeks,
        )

    # -- exporting ---------------------------------------------------------------------------
    def export_csv(self) -> Path | None:
        return self._export(".csv", "CSV files (*.csv)")

    def export_xlsx(self) -> Path | None:
        return self._export(".xlsx", "Excel workbooks (*.xlsx)")

    def _export(self, suffix: str, filters: str) -> Path | None:
        report = self.report or self.load_timeliness()
        if report is None:
            return None
        name = f"timeliness-{report.date_from.isoformat()}-to-{report.date_to.isoformat()}"
        path = dialogs.save_file_name(
            self, "Export the timeliness report", Path.home() / f"{name}{suffix}", filters
        )
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            count = self.service.export_timeliness(report, path)
        except Exception as error:
            dialogs.show_error(self, "Report not saved", errors.describe(error, "reports"))
            return None
        self.status.setText(
            f"Saved the report ({count} case(s)) to {path}. The file is readable only by you."
        )
        return path

    # -- the census --------------------------------------------------------------------------
    def load_census(self) -> CensusReturn | None:
        return self.census_view.load_census()
