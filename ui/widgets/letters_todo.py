"""Letters to do: legal liaison's start page.

The cases with a letter before proceedings due (overdue or due soon), a letter of
issue still to send, or letters made and not yet recorded as sent, most urgent
first (chosen by the core: ``WorkListService.letters_to_do``).  Enter (or *Make
letters*) opens the Letters screen on that case; *Open case* opens the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import formats
from ui.errors import describe
from ui.models.base import SortProxy
from ui.models.letters_todo import LettersToDoModel
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.legend import Legend
from ui.widgets.on_show import ReloadWhenShown
from ui.widgets.tables import list_view

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.services.cases import LetterToDo


class LettersToDoWidget(ReloadWhenShown):
    open_case = Signal(str)
    make_letters = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from plo_tracker.services.cases import WorkListService

        self.ctx = ctx
        self.service = WorkListService(ctx.db, ctx.actor)
        self._stale = True
        self.setAccessibleName("Letters to do")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Cases with a letter due, or letters made and not yet recorded as sent, most "
            "urgent first. Select one and press Enter to make its letters."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.summary = QLabel()
        self.summary.setAccessibleName("How many cases have letters to do")
        layout.addWidget(self.summary)
        self.model = LettersToDoModel(parent=self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Cases with letters to do", self.proxy, tab_leaves=True)
        self.table.sortByColumn(LettersToDoModel.WHAT, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            Legend(
                [
                    (formats.RAG_COLOURS["red"], "Overdue"),
                    (formats.RAG_COLOURS["amber"], "Due soon"),
                    (formats.RAG_COLOURS["open"], "Made, not recorded as sent"),
                ],
                "Colours:",
            )
        )
        buttons = QHBoxLayout()
        self.letters_button = QPushButton("Ma&ke letters…")
        self.letters_button.setAccessibleName("Make the letters for the selected case")
        self.open_button = QPushButton("Open the c&ase")
        self.open_button.setAccessibleName("Open the selected case")
        buttons.addWidget(self.letters_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Result of the last action")
        layout.addWidget(self.status)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.letters_button.clicked.connect(self._make_letters)
        self.open_button.clicked.connect(self._open_case)
        self._selection_changed()

    def _reload(self) -> None:
        selected = self.selected()
        try:
            rows = self.service.letters_to_do()
        except Exception as error:
            self.status.setText(describe(error, "letters to do"))
            return
        self.model.set_rows(rows)
        fit_to_contents(self.table)
        overdue = sum(r.overdue for r in rows)
        self.summary.setText(
            f"{formats.count(len(rows), 'case')} with letters to do, {overdue} overdue."
            if rows
            else "No letters to do: nothing is due and every letter made is recorded as sent."
        )
        # The same case if it is still listed, else the first (so Enter always works).
        if (selected is None or not self.select(selected.reference)) and self.proxy.rowCount():
            self.table.selectRow(0)
        self._selection_changed()

    def focus_search(self) -> None:
        self.table.setFocus()

    def focus_start(self) -> None:
        """As a start page: the list has the focus, on the most urgent case."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def rows(self) -> list[LetterToDo]:
        return list(self.proxy.visible_rows())

    def selected(self) -> LetterToDo | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(indexes[0].row()) if indexes else None

    def select(self, reference: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).reference == reference:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self, *_args: object) -> None:
        has = self.selected() is not None
        self.letters_button.setEnabled(has)
        self.open_button.setEnabled(has)
        reason = "" if has else "Select a case first."
        self.letters_button.setToolTip(reason)
        self.open_button.setToolTip(reason)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.make_letters.emit(self.proxy.row_at(index.row()).reference)

    def _make_letters(self) -> None:
        row = self.selected()
        if row is not None:
            self.make_letters.emit(row.reference)

    def _open_case(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_case.emit(row.reference)
