"""The one way the window sets up a list: a read-only QTableView over a row model.

Every list (cases, flags, letters, reports, census findings, users, the audit trail) is
a table of whole rows, chosen one at a time, sorted by clicking a heading, with alternate
row colours, no row numbers, columns the user can resize and the last one taking the
rest of the width.  What differs between lists is a keyword here.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from ui.widgets.column_widths import keep_headings_whole

ROOMY_ROW = 1.6  # row height as a multiple of the font's line height, for lists with colours


def list_view(
    name: str,
    model: QAbstractItemModel | None = None,
    *,
    sortable: bool = True,
    single: bool = True,
    wrap: bool = False,
    roomy: bool = False,
    tab_leaves: bool = False,
) -> QTableView:
    """A list named ``name`` for screen readers, showing ``model``.

    ``single``: one row at a time (else several, with Shift/Ctrl); ``wrap``: long text wraps
    and rows grow to show all of it; ``roomy``: taller rows (for coloured markers);
    ``tab_leaves``: Tab moves on to the next control instead of to the next cell.
    """
    view = QTableView()
    if model is not None:
        view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(sortable)
    view.setWordWrap(wrap)
    if tab_leaves:
        view.setTabKeyNavigation(False)
    rows = view.verticalHeader()
    rows.setVisible(False)
    if wrap:  # rows grow to show the whole text, never cut off
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    elif roomy:
        rows.setDefaultSectionSize(int(view.fontMetrics().height() * ROOMY_ROW))
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    keep_headings_whole(view)
    return view
