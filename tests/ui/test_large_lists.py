"""Sorting and filtering a council-sized case list, with many empty cells.

Thousands of closed cases have no next due date.  A sort compares them tens of
thousands of times; that must neither crash (a PySide6 6.12 fault loses a reference
to None on every QModelIndex.data() call that yields None) nor misplace the empties.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from plo_tracker.services.cases import CaseSummary
from ui.models.base import RowTableModel, SortProxy
from ui.models.cases import CaseListModel


def summaries(count: int) -> list[CaseSummary]:
    rows = []
    for n in range(count):
        open_case = n % 10 == 0
        rows.append(
            CaseSummary(
                id=n,
                reference=f"PLO-{n:05d}",
                children="Ann Lee",
                social_worker="Sam Taylor",
                team="Team A",
                team_manager="Ann Wright",
                stage="Plan agreed" if open_case else "Stepped down",
                weeks=n % 30 if open_case else None,
                next_due=dt.date(2026, 1, 1) + dt.timedelta(days=n % 300) if open_case else None,
                rag="red" if open_case else "none",
                overdue=1 if open_case else 0,
                due_soon=0,
                is_open=open_case,
            )
        )
    return rows


def test_sorting_twenty_thousand_rows_with_empty_dates(qtbot) -> None:
    model = CaseListModel()
    model.set_rows(summaries(20_000))
    proxy = SortProxy()
    proxy.setSourceModel(model)
    for column in range(model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            proxy.sort(column, order)
    next_due = next(i for i, c in enumerate(model.COLUMNS) if "due" in c.title.lower())
    proxy.sort(next_due, Qt.SortOrder.AscendingOrder)
    first, last = proxy.row_at(0), proxy.row_at(proxy.rowCount() - 1)
    assert first.next_due is not None and last.next_due is None  # empties sort last
    assert isinstance(model, RowTableModel)
