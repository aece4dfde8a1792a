"""The team manager's drift review: flagged cases most overdue first, reviews, charts, export.

Everything shown or changed goes through the core: ``ReviewBoardService`` for the
list, charts and exports, ``FlagService.review`` to record a review.  The review
dialog checks as the user types with the same checks the service makes
(``flags.review_problem``) and shows the service's own message if the save
is refused; nothing is changed then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain.dates import long_date
from plo_tracker.errors import KNOWN_ERRORS
from plo_tracker.permissions import ROLE_LABELS, Permission
from plo_tracker.services.base import today
from plo_tracker.services.flags import ACCEPT, EXTEND, ReviewRecord, review_problem
from plo_tracker.services.review_board import (
    WEEK_BANDS,
    ReviewBoardService,
    ReviewRow,
    flags_by_rule,
)
from ui import dialogs, errors, formats
from ui.models.drift import DriftFilterProxy, DriftReviewModel
from ui.widgets.bar_chart import BarChart
from ui.widgets.inputs import OptionalDate
from ui.widgets.on_show import ReloadWhenShown

ALL_TEAMS = "All teams"
OVERDUE_FROM_WEEK = 16  # bars from this band on are drawn in red: past the usual length


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #b00020;")
    label.setAccessibleName("What needs fixing")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ReviewDialog(QDialog):
    """Record a manager's review of one flag: accept the delay, or agree an extension."""

    reviewed = Signal(object)  # the ReviewRecord the service returned

    def __init__(self, ctx: AppContext, row: ReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.result_record: ReviewRecord | None = None
        self.setWindowTitle(f"Review flag – {row.case}")
        self.setAccessibleName("Review a drift flag")
        layout = QVBoxLayout(self)

        about = QLabel(
            f"<b>{row.case}: {row.rule_title}</b><br>"
            f"{row.lateness[:1].upper()}{row.lateness[1:]} (due {long_date(row.due)})."
        )
        about.setWordWrap(True)
        about.setAccessibleName("The flag being reviewed")
        layout.addWidget(about)
        message = QLabel(row.message)
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setAccessibleName("What is late")
        layout.addWidget(message)
        if row.reviewed_on is not None:
            earlier = QLabel(f"Already reviewed: {reviewed_sentence(row)}")
            earlier.setWordWrap(True)
            layout.addWidget(earlier)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        decision_box = QWidget()
        decision_layout = QVBoxLayout(decision_box)
        decision_layout.setContentsMargins(0, 0, 0, 0)
        self.accept_choice = QRadioButton("&Accept the delay (the flag stays, marked as reviewed)")
        self.extend_choice = QRadioButton(
            "Agree an &extension to a date"
            + (
                " (moves the planned end of pre-proceedings)"
                if row.rule == "duration_exceeded"
                else " (the delay is accepted until then)"
            )
        )
        self.accept_choice.setAccessibleName("Decision: accept the delay")
        self.extend_choice.setAccessibleName("Decision: agree an extension")
        self.decision = QButtonGroup(self)
        self.decision.addButton(self.accept_choice)
        self.decision.addButton(self.extend_choice)
        self.accept_choice.setChecked(True)
        decision_layout.addWidget(self.accept_choice)
        decision_layout.addWidget(self.extend_choice)
        decision_label = QLabel("Decision:")
        decision_label.setBuddy(self.accept_choice)
        form.addRow(decision_label, decision_box)

        self.until = OptionalDate("Set a date", today() + dt.timedelta(weeks=4))
        self.until.set_value(None)
        self.until.set_accessible("Accepted until")
        until_label = QLabel("&Until:")
        until_label.setBuddy(self.until.check)
        form.addRow(until_label, self.until)

        self.rationale = QPlainTextEdit()
        self.rationale.setTabChangesFocus(True)
        self.rationale.setPlaceholderText(
            "Why the delay is acceptable, or why more time is needed (required)"
        )
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setMinimumHeight(self.fontMetrics().height() * 5)
        rationale_label = QLabel("&Rationale:")
        rationale_label.setBuddy(self.rationale)
        form.addRow(rationale_label, self.rationale)
        layout.addLayout(form)

        self.problem = _error_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save review")
        self.save_button.setAccessibleName("Save review")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        self.accept_choice.toggled.connect(self._decision_changed)
        self.until.changed.connect(self.revalidate)
        self.rationale.textChanged.connect(self.revalidate)
        self.setTabOrder(self.accept_choice, self.extend_choice)
        self.setTabOrder(self.extend_choice, self.until.check)
        self.setTabOrder(self.until.check, self.until.date)
        self.setTabOrder(self.until.date, self.rationale)
        self.setTabOrder(self.rationale, self.save_button)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())
        self.rationale.setFocus()
        self.revalidate()

    # -- state -----------------------------------------------------------------------------
    def decision_value(self) -> str:
        return EXTEND if self.extend_choice.isChecked() else ACCEPT

    def problem_text(self) -> str | None:
        return review_problem(
            self.decision_value(), self.rationale.toPlainText(), self.until.value(), today()
        )

    def _decision_changed(self, _on: bool) -> None:
        if self.decision_value() == EXTEND and self.until.value() is None:
            self.until.check.setChecked(True)
        self.revalidate()

    def revalidate(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem or "")
        self.save_button.setEnabled(problem is None)
        self.save_button.setToolTip(problem or "Record this review")

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> None:
        if self.problem_text() is not None:
            self.revalidate()
            return
        try:
            record = self.ctx.flags.review(
                self.row.case,
                self.row.rule,
                decision=self.decision_value(),
                rationale=self.rationale.toPlainText(),
                until=self.until.value(),
                item=self.row.item,
            )
        except KNOWN_ERRORS as error:
            self.problem.setText(str(error))
            return
        except Exception as error:
            self.problem.setText(errors.describe(error, "drift review"))
            return
        self.result_record = record
        self.reviewed.emit(record)
        self.accept()


def reviewed_sentence(row: ReviewRow) -> str:
    if row.reviewed_on is None:
        return "not reviewed yet."
    text = f"by {row.reviewed_by or 'a manager'} on {long_date(row.reviewed_on)}"
    if row.reviewed_until is not None:
        text += f", delay accepted until {long_date(row.reviewed_until)}"
    return text + "."


def ask_review(ctx: AppContext, row: ReviewRow, parent: QWidget | None = None) -> ReviewDialog:
    """Open the review dialog (window-modal, without blocking) and return it."""
    dialog = ReviewDialog(ctx, row, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


class DriftReviewWidget(ReloadWhenShown):
    """All flagged cases of the manager's team (or every team), most overdue first."""

    open_case = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.board = ReviewBoardService(ctx.db, ctx.actor)
        self.own_team = ctx.actor.team
        self.can_review = ctx.actor.can(Permission.REVIEW_FLAGS)
        self.can_export = ctx.actor.can(Permission.VIEW_REPORTS)
        self.dialog: ReviewDialog | None = None
        self._stale = True
        self.setAccessibleName("Drift review")

        outer = QVBoxLayout(self)
        intro = QLabel(
            "Flags of the open cases"
            + (f" in {self.own_team}" if self.own_team else " in every team")
            + ", most overdue first. Select a flag and choose Review to accept the delay or "
            "agree an extension; the list then shows who reviewed it and when."
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)

        # Filters.
        filters = QHBoxLayout()
        self.team_combo = QComboBox()
        self.team_combo.setAccessibleName("Team")
        team_label = QLabel("&Team:")
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
        search_label = QLabel("&Filter:")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        self.hide_reviewed = QCheckBox("&Hide reviewed flags")
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
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Flagged cases, most overdue first")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.6))
        self.table.setColumnHidden(DriftReviewModel.TEAM, bool(self.own_team))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.sortByColumn(DriftReviewModel.LATE, Qt.SortOrder.DescendingOrder)
        left_layout.addWidget(self.table, 1)

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
        self.open_button = QPushButton("&Open case")
        self.open_button.setAccessibleName("Open the selected case")
        self.csv_button = QPushButton("Export .&csv…")
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
        charts_layout.addWidget(self.rules_chart)
        charts_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(charts)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Charts")
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        outer.addWidget(splitter, 1)

        self.team_combo.currentIndexChanged.connect(self._team_changed)
        self.search.textChanged.connect(self._search_changed)
        self.hide_reviewed.toggled.connect(self._hide_reviewed_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._activated)
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
            teams = sorted({r.team for r in rows if r.team} | set(self.ctx.cases.teams()))
        except Exception as error:
            self.status.setText(errors.describe(error, "drift review"))
            return
        if not self.own_team:
            self._fill_teams(teams)
        self.model.set_rows(rows)
        self.proxy.set_filter(team=self.team())
        self.table.resizeColumnsToContents()
        self.weeks_chart.set_data(
            [(f"{label} weeks", count) for label, count in weeks],
            [i for i, (_l, low, _h) in enumerate(WEEK_BANDS) if low >= OVERDUE_FROM_WEEK],
        )
        self._update_summary()
        if selected is not None:
            self.select(selected.case, selected.rule, selected.item)
        self._selection_changed()

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
        if not rows:
            self.summary.setText("No flags: nothing is overdue or due soon.")
        else:
            self.summary.setText(
                f"{len(rows)} flag(s) on {cases} case(s): {overdue} overdue, "
                f"{len(rows) - overdue} due soon, {reviewed} reviewed."
            )
        self.rules_chart.set_data(flags_by_rule(rows))

    # -- filters ---------------------------------------------------------------------------
    def _team_changed(self, _index: int) -> None:
        self.proxy.set_filter(team=self.team())
        try:
            weeks = self.board.weeks_chart(self.team())
        except Exception as error:
            self.status.setText(errors.describe(error, "drift review"))
        else:
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
            self.open_case.emit(self.proxy.row_at(index.row()).case)

    def _open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_case.emit(row.case)

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
            f"extension agreed to {long_date(record.until)}"
            if record.decision == EXTEND and record.until
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
