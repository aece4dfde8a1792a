"""The pieces a case's tabs are made of: a table, and a table with Add / Change / Delete.

Buttons that cannot be used are switched off with the reason written beside them
(and as their tooltip), never silently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.base import RowTableModel, SortProxy
from ui.widgets.column_widths import headings_whole
from ui.widgets.tables import list_view

MAX_FIT_WIDTH_CHARS = 60  # a column sized to its contents is never wider than this


def make_table(model: RowTableModel, name: str) -> tuple[QTableView, SortProxy]:
    proxy = SortProxy()
    proxy.setSourceModel(model)
    return list_view(name, proxy, tab_leaves=True), proxy


def fit_columns(table: QTableView) -> None:
    """Columns as wide as their contents and headings (up to a limit; the whole text is
    in the cell's tooltip), except the last, which takes the rest."""
    model = table.model()
    columns = model.columnCount() if model is not None else 0
    limit = table.fontMetrics().averageCharWidth() * MAX_FIT_WIDTH_CHARS
    header = table.horizontalHeader()
    for column in range(max(0, columns - 1)):
        table.resizeColumnToContents(column)
        if header.sectionSize(column) > limit:
            header.resizeSection(column, limit)
    headings_whole(table)


class ItemSection(QWidget):
    """A table of one kind of record with Add / Change / Delete buttons."""

    def __init__(
        self,
        model: RowTableModel,
        name: str,
        add_labels: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.table, self.proxy = make_table(model, name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_buttons: list[QPushButton] = []
        for label in add_labels:
            button = QPushButton(label)
            button.setAccessibleName(label.replace("&", "").rstrip("…"))
            self.add_buttons.append(button)
            row.addWidget(button)
        self.edit_button = QPushButton("Change…")
        self.edit_button.setToolTip("Change the selected entry (Enter)")
        self.edit_button.setAccessibleName(f"Change the selected {name.lower()} entry")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected entry (Delete key)")
        self.delete_button.setAccessibleName(f"Delete the selected {name.lower()} entry")
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(f"{name}: why some actions are not available")
        self.reason.setStyleSheet("color: #6b4e00;")
        self.reason.hide()
        layout.addWidget(self.reason)
        self.can_change: Callable[[Any], str | None] = lambda _row: None
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self.update_buttons)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_button.click)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.update_buttons()

    def selected(self) -> Any:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.proxy.row_at(indexes[0].row())

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def update_buttons(self, add_refusal: str | None = None) -> None:
        row = self.selected()
        reasons = []
        if isinstance(add_refusal, str):
            reasons.append(add_refusal)
            for button in self.add_buttons:
                button.setEnabled(False)
                button.setToolTip(add_refusal)
        refused = self.can_change(row) if row is not None else None
        allowed = row is not None and refused is None
        self.edit_button.setEnabled(allowed)
        self.delete_button.setEnabled(allowed)
        why = refused or ("Select an entry first." if row is None else "")
        self.edit_button.setToolTip(why or "Change the selected entry (Enter)")
        self.delete_button.setToolTip(why or "Delete the selected entry (Delete key)")
        if refused and refused not in reasons:
            reasons.append(refused)
        self.reason.setText(" ".join(reasons))
        self.reason.setVisible(bool(reasons))
