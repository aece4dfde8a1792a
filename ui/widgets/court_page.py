"""The Court tab of a case: the court reference, where the proceedings stand against the
26 weeks, and every hearing (booked and held, with the council's plan and whether the court
approved it), extension and the final order. Court records are added as events and
bookings in the chronology ("Record an event…", "Book a meeting…")."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from plo_tracker.domain.model import CaseHistory
from plo_tracker.domain.policy import Policy
from ui.models.court import CourtModel, court_rows, court_summary
from ui.widgets.sections import fit_columns, make_table


class CourtPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Care proceedings")
        layout.addWidget(self.summary)
        self.model = CourtModel()
        self.table, self.proxy = make_table(self.model, "Court hearings and orders")
        layout.addWidget(self.table, 1)
        hint = QLabel(
            "Record hearings, extensions and the final order with “Record an event…” in the "
            "chronology; book a hearing with “Book a meeting…”."
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)

    def set_case(self, case: CaseHistory, policy: Policy, today: dt.date) -> None:
        self.summary.setText(court_summary(case, policy, today))
        self.model.set_rows(court_rows(case))
        self.table.sortByColumn(CourtModel.DATE, Qt.SortOrder.AscendingOrder)
        fit_columns(self.table)

    def count(self) -> int:
        return self.model.rowCount()
