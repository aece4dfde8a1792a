"""The team manager's drift review: flagged cases most overdue first, reviews, charts, export.

Everything shown or changed goes through the core: ``ReviewBoardService`` for the
list, charts and exports, ``FlagService.review`` to record a review.  The review
dialog checks as the user types with the same checks the service makes
(``flags.review_problem``) and shows the service's own message if the save
is refused; nothing is changed then.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.domain.dates import long_date
from plo_tracker.permissions import ROLE_LABELS, Permission
from plo_tracker.services.base import today
from plo_tracker.services.flags import EXTEND, Coverage, ReviewRecord, may_extend
from plo_tracker.services.review_board import (
    WEEK_BANDS,
    ReviewBoardService,
    ReviewRow,
    flags_by_rule,
)
from ui import dialogs, errors, formats
from ui.models.drift import DriftFilterProxy, DriftReviewModel
from ui.settings import PersonSettings
from ui.widgets.bar_chart import BarChart
from ui.widgets.column_widths import fit_to_contents, widen_kept
from ui.widgets.legend import Legend
from ui.widgets.on_show import ReloadWhenShown
from ui.widgets.review_dialog import ReviewDialog, ask_review, reviewed_sentence
from ui.widgets.tables import list_view

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

__all__ = ["DriftReviewWidget", "ReviewDialog", "ask_review", "reviewed_sentence"]

ALL_TEAMS = "All teams"
OVERDUE_FROM_WEEK = 16  # bars from this band on are drawn in red: past the usual length


class DriftReviewWidget(ReloadWhenShown):
    """All flagged cases of the manager's team (or every team), most overdue first."""

    open_case = Signal(str)
    open_flag = Signal(str, str, object)  # case, rule, item: opens the case on that flag

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._sized = False
        self.board = ReviewBoardService(ctx.db, ctx.actor)
        self.own_team = ctx.actor.team
        self.can_review = ctx.actor.can(Permission.REVIEW_FLAGS)
        self.can_export = ctx.actor.can(Permission.VIEW_REPORTS)
        self.dialog: ReviewDialog | None = None
        self._stale = True
        self._coverage: Coverage | None = None  # what the list looked at (team shown)
        self.setAccessibleName("Drift review")

        outer = QVBoxLayout(self)
        heading = QLabel("My team's drift" if self.own_team else "Drift in every team")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        heading.setAccessibleName("Drift review heading")
        outer.addWidget(heading)
        intro = QLabel(
            "Flags of the open cases"
            + (f" in {self.own_team}" if self.own_team else " in every team")
            + ", most overdue first. Press Enter (or Open case) to open the case on the "
            "flag, where Review… records your decision (Extend… for the pre-proceedings "
            "period itself; Accept the delay until… for any other flag); the list then shows "
            "who accepted it and when."
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)

        # Filters.
        filters = QHBoxLayout()
        self.team_combo = QComboBox()
        self.team_combo.setAccessibleName("Team")
        team_label = QLabel("Tea&m:")
        team_label.setBuddy(self.team_combo)
        if self.own_team:
            self.team_combo.addItem(self.own_team, self.own_team)
            self.team_combo.setEnabled(False)
            self.team_combo.setToolTip("Your team, as recorded in your user record")
        filters.addWidget(team_label)
        filters.addWidget(self.team_combo)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by case, worker or flag")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter the flags")
        search_label = QLabel("F&ilter:")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        self.hide_reviewed = QCheckBox("Hide revie&wed flags")
        self.hide_reviewed.setAccessibleName("Hide reviewed flags")
        filters.addWidget(self.hide_reviewed)
        outer.addLayout(filters)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setAccessibleName("Summary of the flags")
        left_layout.addWidget(self.summary)

        self.model = DriftReviewModel(parent=self)
        self.proxy = DriftFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Flagged cases, most overdue first", self.proxy, roomy=True)
        self.table.setColumnHidden(DriftReviewModel.TEAM, bool(self.own_team))
        self.table.sortByColumn(DriftReviewModel.LATE, Qt.SortOrder.DescendingOrder)
        left_layout.addWidget(self.table, 1)

        left_layout.addWidget(
            Legend(
                [
                    (formats.RAG_COLOURS["red"], "Overdue"),
                    (formats.RAG_COLOURS["amber"], "Due soon"),
                    (formats.RAG_COLOURS["accepted"], "Delay accepted by a manager"),
                ],
                "How late:",
            )
        )
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAccessibleName("The selected flag")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        left_layout.addWidget(self.details)

        buttons = QHBoxLayout()
        self.review_button = QPushButton("&Review flag…")
        self.review_button.setAccessibleName("Review the selected flag")
        self.review_button.setVisible(self.can_review)
        self.open_button = QPushButton("&Open case on the flag")
        self.open_button.setAccessibleName("Open the selected case")
        self.csv_button = QPushButton("Export .c&sv…")
        self.csv_button.setAccessibleName("Export the list as a CSV file")
        self.xlsx_button = QPushButton("Export .&xlsx…")
        self.xlsx_button.setAccessibleName("Export the list as an Excel workbook")
        for button in (self.csv_button, self.xlsx_button):
            button.setVisible(self.can_export)
        for button in (self.review_button, self.open_button, self.csv_button, self.xlsx_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left_layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Result of the last action")
        left_layout.addWidget(self.status)
        splitter.addWidget(left)

        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        self.weeks_chart = BarChart("Open cases by weeks in pre-proceedings")
        self.weeks_chart.empty_text = "No open cases."
        self.rules_chart = BarChart("Flags by rule")
        self.rules_chart.empty_text = "No flags."
        charts_layout.addWidget(self.weeks_chart)
        charts_layout.addWidget(
            Legend(
                [
                    (self.weeks_chart.palette().highlight().color(), "Under 16 weeks"),
                    (self.weeks_chart.highlight_colour, "16 weeks or more (past the usual end)"),
                ],
                "Bars:",
            )
        )
        charts_layout.addWidget(self.rules_chart)
        # After issue: the cases in care proceedings by their week of 26.
        self.court_chart = BarChart("Cases in care proceedings by week of 26")
        self.court_chart.empty_text = "No case in care proceedings."
        charts_layout.addWidget(self.court_chart)
        charts_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(charts)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Charts")
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter
        outer.addWidget(splitter, 1)

        self.team_combo.currentIndexChanged.connect(self._team_changed)
        self.search.textChanged.connect(self._search_changed)
        self.hide_reviewed.toggled.connect(self._hide_reviewed_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(self._activated)
        self.review_button.clicked.connect(self.review_selected)
        self.open_button.clicked.connect(self._open_selected)
        self.csv_button.clicked.connect(self.export_csv)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.setTabOrder(self.team_combo, self.search)
        self.setTabOrder(self.search, self.hide_reviewed)
        self.setTabOrder(self.hide_reviewed, self.table)
        self.setTabOrder(self.table, self.review_button)
        self.setTabOrder(self.review_button, self.open_button)
        self.setTabOrder(self.open_button, self.csv_button)
        self.setTabOrder(self.csv_button, self.xlsx_button)
        self.restore_settings(PersonSettings(ctx.actor.username))
        self.refresh()

    # -- loading ---------------------------------------------------------------------------
    def team(self) -> str | None:
        """The team shown: the manager's own, or the one chosen (None for all teams)."""
        if self.own_team:
            return self.own_team
        value = self.team_combo.currentData()
        return str(value) if value else None

    def _reload(self) -> None:
        """Reload from the database (``refresh()``: now if on screen, else when shown)."""
        selected = self.selected_row()
        try:
            rows = self.board.review_list(self.own_team)
            weeks = self.board.weeks_chart(self.team())
            court_weeks = self.board.court_weeks_chart(self.team())
            self._coverage = self.board.coverage(self.team())
            teams = sorted({r.team for r in rows if r.team} | set(self.ctx.cases.teams()))
        except Exception as error:
            self.status.setText(errors.describe(error, "drift review"))
            return
        if not self.own_team:
            self._fill_teams(teams)
        self.model.set_rows(rows)
        self.proxy.set_filter(team=self.team())
        if not self._sized:  # sized to the contents (headers included) on first show
            self._sized = True
            fit_to_contents(self.table)
            QTimer.singleShot(0, self, self._share_width)
        self.weeks_chart.set_data(
            [(f"{label} weeks", count) for label, count in weeks],
            [i for i, (_l, low, _h) in enumerate(WEEK_BANDS) if low >= OVERDUE_FROM_WEEK],
        )
        self._show_court(court_weeks)
        self._update_summary()
        kept = selected is not None and self.select(selected.case, selected.rule, selected.item)
        if not kept and self.proxy.rowCount() and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)  # the most overdue flag, ready for Enter
        self._selection_changed()

    def _show_court(self, weeks: list[tuple[str, int]]) -> None:
        """The court chart; empty (its empty text) when no case is in care proceedings."""
        self.court_chart.set_data(weeks if any(count for _l, count in weeks) else [], [3])

    def focus_start(self) -> None:
        """As a start page: the list has the focus, on the most overdue flag."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _share_width(self) -> None:
        """The list as wide as its columns need (if it can be); the charts take the rest
        (their labels wrap rather than being cut)."""
        total = self.splitter.width()
        if total <= 0:
            return
        header = self.table.horizontalHeader()
        needed = sum(
            header.sectionSize(c) for c in range(header.count()) if not self.table.isColumnHidden(c)
        )
        needed += self.table.verticalScrollBar().sizeHint().width() + 4 * self.table.frameWidth()
        charts = max(self.fontMetrics().averageCharWidth() * 33, total - needed)
        self.splitter.setSizes([total - charts, charts])

    def _fill_teams(self, teams: list[str]) -> None:
        current = self.team_combo.currentData()
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        self.team_combo.addItem(ALL_TEAMS, None)
        for team in teams:
            self.team_combo.addItem(team, team)
        index = self.team_combo.findData(current) if current else 0
        self.team_combo.setCurrentIndex(max(0, index))
        self.team_combo.blockSignals(False)

    def visible_rows(self) -> list[ReviewRow]:
        return list(self.proxy.visible_rows())

    def _update_summary(self) -> None:
        rows = self.visible_rows()
        overdue = sum(r.overdue for r in rows)
        reviewed = sum(r.reviewed_on is not None for r in rows)
        cases = len({r.case for r in rows})
        coverage = self._coverage
        of = coverage.where(self.team()) if coverage else ""
        if rows:
            among = (
                f"{cases} of the {coverage.open} open case(s){of}"
                if coverage
                else (f"{cases} case(s)")
            )
            self.summary.setText(
                f"{len(rows)} flag(s) on {among}: {overdue} overdue, "
                f"{len(rows) - overdue} due soon, {reviewed} reviewed."
            )
        elif self.proxy.hidden_by_filters():
            self.summary.setText(
                f"No flag matches the filter: {self.proxy.hidden_by_filters()} flag(s){of} are "
                "hidden by it. Clear the filter to see them."
            )
        elif coverage is None:
            self.summary.setText("The flags could not be read; see the message below.")
        else:
            self.summary.setText(coverage.nothing_found(long_date(today()), self.team()))
        self.rules_chart.set_data(flags_by_rule(rows))

    # -- filters ---------------------------------------------------------------------------
    def _team_changed(self, _index: int) -> None:
        self.proxy.set_filter(team=self.team())
        try:
            weeks = self.board.weeks_chart(self.team())
            court_weeks = self.board.court_weeks_chart(self.team())
            self._coverage = self.board.coverage(self.team())
        except Exception as error:
            self._coverage = None
            self.status.setText(errors.describe(error, "drift review"))
        else:
            self._show_court(court_weeks)
            self.weeks_chart.set_data(
                [(f"{label} weeks", count) for label, count in weeks],
                [i for i, (_l, low, _h) in enumerate(WEEK_BANDS) if low >= OVERDUE_FROM_WEEK],
            )
        self._update_summary()
        self._selection_changed()

    def _search_changed(self, text: str) -> None:
        self.proxy.set_filter(text=text)
        self._update_summary()
        self._selection_changed()

    def _hide_reviewed_changed(self, on: bool) -> None:
        self.proxy.set_filter(hide_reviewed=on)
        self._update_summary()
        self._selection_changed()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- selection -------------------------------------------------------------------------
    def selected_row(self) -> ReviewRow | None:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.proxy.row_at(indexes[0].row())

    def select(self, case: str, rule: str, item: str | None = None) -> bool:
        source_row = self.model.find(case, rule, item)
        if source_row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        row = self.selected_row()
        self.review_button.setEnabled(row is not None and self.can_review)
        self.open_button.setEnabled(row is not None)
        has_rows = self.proxy.rowCount() > 0
        self.csv_button.setEnabled(has_rows)
        self.xlsx_button.setEnabled(has_rows)
        if row is None:
            self.details.setText("Select a flag to see what is late.")
            return
        self.details.setText(f"{row.message}\nReviewed: {reviewed_sentence(row)}")

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open(self.proxy.row_at(index.row()))

    def _open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._open(row)

    def _open(self, row: ReviewRow) -> None:
        self.open_case.emit(row.case)
        self.open_flag.emit(row.case, row.rule, row.item)

    # -- remembered between starts -----------------------------------------------------------
    def restore_settings(self, person: PersonSettings) -> None:
        self.hide_reviewed.setChecked(person.get_bool("drift_review/hide_reviewed"))
        self.search.setText(str(person.get("drift_review/filter", "")))
        header = person.get_bytes("drift_review/header")
        if header is not None and self.table.horizontalHeader().restoreState(header):
            self._sized = True
            widen_kept(self.table)

    def save_settings(self, person: PersonSettings) -> None:
        person.put_many(
            {
                "drift_review/hide_reviewed": self.hide_reviewed.isChecked(),
                "drift_review/filter": self.search.text(),
                "drift_review/header": self.table.horizontalHeader().saveState(),
            }
        )

    # -- reviewing -------------------------------------------------------------------------
    def review_selected(self) -> ReviewDialog | None:
        row = self.selected_row()
        if row is None:
            return None
        if not self.can_review:
            role = ROLE_LABELS[self.ctx.actor.role]
            self.status.setText(
                f"A {role} may not {Permission.REVIEW_FLAGS.value}; ask a team manager."
            )
            return None
        self.dialog = ask_review(self.ctx, row, self)
        self.dialog.reviewed.connect(self._reviewed)
        return self.dialog

    def _reviewed(self, record: ReviewRecord) -> None:
        self.refresh()
        if not self.select(record.case, record.rule, record.item):
            self.table.clearSelection()
        decision = (
            f"extension of the pre-proceedings period agreed to {long_date(record.until)}"
            if record.decision == EXTEND and may_extend(record.rule) and record.until
            else "delay accepted" + (f" until {long_date(record.until)}" if record.until else "")
        )
        self.status.setText(
            f"Review recorded for {record.case} ({formats.rule_label(record.rule)}): {decision}, "
            f"by {record.decided_by} on {long_date(record.on)}."
        )

    # -- exporting -------------------------------------------------------------------------
    def export_csv(self) -> Path | None:
        return self._export(".csv", "CSV files (*.csv)")

    def export_xlsx(self) -> Path | None:
        return self._export(".xlsx", "Excel workbooks (*.xlsx)")

    def _export(self, suffix: str, filters: str) -> Path | None:
        rows = self.visible_rows()
        team = (self.team() or "all-teams").lower().replace(" ", "-")
        suggested = Path.home() / f"drift-review-{team}-{today().isoformat()}{suffix}"
        path = dialogs.save_file_name(self, "Export the drift review list", suggested, filters)
        if path is None:
            return None
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            count = self.board.export(path, rows)
        except Exception as error:
            dialogs.show_error(self, "Export not saved", errors.describe(error, "drift export"))
            return None
        self.status.setText(
            f"Saved {count} flag(s) to {path}. The file is readable only by you; it holds "
            "case references and staff names."
        )
        return path
