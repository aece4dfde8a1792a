"""The People tab of a case: its people (with their ties to each child), who is kept apart
from whom, and what may be shared with the person selected.

The keep-apart list is shown to everyone; only those the core lets record it (team
managers, legal liaison, administrators) may add, change or remove an arrangement: for
everyone else its buttons are off, with the reason beside them.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from plo_tracker.domain.model import CaseHistory
from ui.widgets.person_panel import PersonPanel
from ui.widgets.sections import ItemSection


class PeoplePage(QWidget):
    def __init__(
        self, parties: ItemSection, keep_apart: ItemSection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.parties = parties
        self.keep_apart = keep_apart
        self.panel = PersonPanel()
        self.case: CaseHistory | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(parties)
        lower = QSplitter(Qt.Orientation.Horizontal)
        apart = QWidget()
        apart_layout = QVBoxLayout(apart)
        apart_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(
            "<b>Kept apart</b> (who must not learn where someone lives or will be, "
            "nor anything recorded about them)"
        )
        title.setWordWrap(True)
        apart_layout.addWidget(title)
        apart_layout.addWidget(keep_apart, 1)
        lower.addWidget(apart)
        lower.addWidget(self.panel)
        lower.setStretchFactor(0, 1)
        lower.setStretchFactor(1, 1)
        lower.setChildrenCollapsible(False)
        split.addWidget(lower)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        layout.addWidget(split)
        parties.table.selectionModel().selectionChanged.connect(self._selection_changed)
        parties.model.modelReset.connect(self._selection_changed)

    def set_case(self, case: CaseHistory | None) -> None:
        self.case = case
        self._selection_changed()

    def selected_key(self) -> str | None:
        row = self.parties.selected()
        return row.party.id if row is not None else None

    def _selection_changed(
        self, _new: QItemSelection | None = None, _old: QItemSelection | None = None
    ) -> None:
        self.panel.show_person(self.case, self.selected_key())
