"""Column widths that never cut a heading short (issue 25, item 8).

A list's last column stretches to fill the room left; when the other columns take it
all, Qt gives the last one its default width (100 px), cutting a heading such as
"Language and needs".  Widths kept from last time may also be narrower than a heading
or a value needs today.  ``headings_whole`` widens any column narrower than its heading
(its text, margins and, in a list that sorts, the sort arrow); ``fit_to_contents``
sizes columns to their contents and then does that; ``widen_kept`` widens widths
restored from last time to what each column needs, up to a limit.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView

LIMIT_CHARS = 60  # a column is never widened past this many average characters


def heading_width(header: QHeaderView, column: int) -> int:
    """What a column's heading needs: its widest line, the margins, and the sort arrow's
    room when the list can be sorted."""
    model = header.model()
    text = model.headerData(column, header.orientation()) if model is not None else None
    lines = str(text or "").splitlines() or [""]
    metrics = QFontMetrics(header.font())
    style = header.style()
    needed = max(metrics.horizontalAdvance(line) for line in lines)
    needed += 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header) + 2
    if header.isSortIndicatorShown():
        needed += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    return needed


def headings_whole(table: QTableView) -> None:
    header = table.horizontalHeader()
    for column in range(header.count()):
        if header.isSectionHidden(column):
            continue
        needed = heading_width(header, column)
        if header.sectionSize(column) < needed:
            header.resizeSection(column, needed)


def fit_to_contents(table: QTableView) -> None:
    """Every column as wide as its contents and its heading (the last one still stretches)."""
    table.resizeColumnsToContents()
    headings_whole(table)


def widen_kept(table: QTableView) -> None:
    """Widths kept from last time widened to what each column's values and heading need."""
    header = table.horizontalHeader()
    limit = table.fontMetrics().averageCharWidth() * LIMIT_CHARS
    for column in range(header.count()):
        if header.isSectionHidden(column):
            continue
        needed = min(max(table.sizeHintForColumn(column), header.sectionSizeHint(column)), limit)
        if header.sectionSize(column) < needed:
            header.resizeSection(column, needed)
    headings_whole(table)


def keep_headings_whole(table: QTableView) -> None:
    """From now on, a column made narrower than its heading (by the last column's stretch,
    a model reset or a drag) is widened back to it."""
    header = table.horizontalHeader()

    def later() -> None:
        QTimer.singleShot(0, table, lambda: headings_whole(table))

    def resized(column: int, _old: int, new: int) -> None:
        if header.isSectionHidden(column) or column >= header.count():
            return
        if new < heading_width(header, column):
            later()  # after Qt has finished laying the columns out

    header.sectionResized.connect(resized)
    header.sectionCountChanged.connect(lambda _old, _new: later())
    model = table.model()
    if model is not None:
        model.modelReset.connect(later)
        model.layoutChanged.connect(later)
