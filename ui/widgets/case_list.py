"""The case list: every case with its stage, weeks, next due date and status; filters."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.services.cases import CaseSummary
from ui import dialogs
from ui.errors import describe
from ui.models.cases import CaseFilterProxy, CaseListModel

ALL_TEAMS = "All teams"
ALL_WORKERS = "All social workers"


SIZE_SAMPLE_ROWS = 200


class CaseListWidget(QWidget):
    open_case = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = CaseListModel()
        self.proxy = CaseFilterProxy()
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        search_label = QLabel("&Search:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Reference, child, social worker, team or stage (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cases")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 2)
        team_label = QLabel("&Team:")
        self.team = QComboBox()
        self.team.setAccessibleName("Show cases of team")
        self.team.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        team_label.setBuddy(self.team)
        filters.addWidget(team_label)
        filters.addWidget(self.team)
        worker_label = QLabel("Social &worker:")
        self.worker = QComboBox()
        self.worker.setAccessibleName("Show cases of social worker")
        self.worker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        worker_label.setBuddy(self.worker)
        filters.addWidget(worker_label)
        filters.addWidget(self.worker)
        layout.addLayout(filters)

        options = QHBoxLayout()
        self.drifting = QCheckBox("Only &drifting (overdue or due soon)")
        self.drifting.setAccessibleName("Only drifting cases")
        self.open_only = QCheckBox("Only &open cases")
        self.open_only.setAccessibleName("Only cases open in pre-proceedings")
        options.addWidget(self.drifting)
        options.addWidget(self.open_only)
        options.addStretch(1)
        self.count = QLabel()
        self.count.setAccessibleName("How many cases are shown")
        options.addWidget(self.count)
        self.open_button = QPushButton("&Open case")
        self.open_button.setAccessibleName("Open the selected case")
        self.open_button.clicked.connect(self._open_selected)
        options.addWidget(self.open_button)
        layout.addLayout(options)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        # Column widths from a sample of rows: measuring 10,000 rows takes ~0.4 s.
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        self.table.setAccessibleName("Cases")
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.sortByColumn(CaseListModel.STATUS, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)

        self.search.textChanged.connect(self._filters_changed)
        self.team.currentIndexChanged.connect(self._filters_changed)
        self.worker.currentIndexChanged.connect(self._filters_changed)
        self.drifting.toggled.connect(self._filters_changed)
        self.open_only.toggled.connect(self._filters_changed)
        self.table.activated.connect(self._activated)
        self.setTabOrder(self.search, self.team)
        self.setTabOrder(self.team, self.worker)
        self.setTabOrder(self.worker, self.drifting)
        self.setTabOrder(self.drifting, self.open_only)
        self.setTabOrder(self.open_only, self.open_button)
        self.setTabOrder(self.open_button, self.table)
        self.refresh()

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            rows = self.ctx.cases.summaries()
        except Exception as error:
            dialogs.show_error(self, "Cannot load the cases", describe(error))
            return
        selected = self.selected_reference()
        self.model.set_rows(rows)
        self._fill_combo(self.team, ALL_TEAMS, sorted({r.team for r in rows if r.team}))
        self._fill_combo(
            self.worker, ALL_WORKERS, sorted({r.social_worker for r in rows if r.social_worker})
        )
        self.table.resizeColumnsToContents()
        if selected:
            self.select(selected)
        self._update_count()

    def _fill_combo(self, combo: QComboBox, everyone: str, values: list[str]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _filters_changed(self, *_args: object) -> None:
        self.proxy.set_filter(
            text=self.search.text().strip(),
            team=self.team.currentData(),
            worker=self.worker.currentData(),
            only_drifting=self.drifting.isChecked(),
            only_open=self.open_only.isChecked(),
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} cases" if shown != total else f"{total} cases")

    # -- selection ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_reference(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row: CaseSummary = self.proxy.row_at(rows[0].row())
        return row.reference

    def select(self, reference: str) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            if self.proxy.row_at(proxy_row).reference == reference:
                self.table.selectRow(proxy_row)
                return True
        return False

    def visible_references(self) -> list[str]:
        return [row.reference for row in self.proxy.visible_rows()]

    def _activated(self, index: QModelIndex) -> None:
        row: CaseSummary = self.proxy.row_at(index.row())
        self.open_case.emit(row.reference)

    def _open_selected(self) -> None:
        reference = self.selected_reference()
        if reference is None and self.proxy.rowCount():
            self.table.selectRow(0)
            reference = self.selected_reference()
        if reference is not None:
            self.open_case.emit(reference)
