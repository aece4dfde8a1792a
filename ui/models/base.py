"""The shared machinery of every table model (the Vorta pattern).

A model holds a list of rows (the core's frozen records) and a list of
``Column`` definitions.  ``SortRole`` returns plain Python values (dates, ints,
text) and ``SortProxy.lessThan`` compares those, so dates sort as dates and
empty cells always sort last.  Rows are replaced with ``set_rows``, wrapped in
``beginResetModel``/``endResetModel``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap

SortRole = int(Qt.ItemDataRole.UserRole)
RowRole = int(Qt.ItemDataRole.UserRole) + 1

Index = QModelIndex | QPersistentModelIndex
TOOLTIP_FROM = 20  # cells longer than this carry their whole text as a tooltip


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    text: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None
    numeric: bool = False
    tooltip: Callable[[Any], str] | None = None
    colour: Callable[[Any], QColor | None] | None = None
    header_tip: str = ""


_ICONS: dict[str, QIcon] = {}


def swatch(colour: QColor) -> QIcon:
    """A small square of colour (cached), shown beside a status as well as its words."""
    key = colour.name()
    icon = _ICONS.get(key)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(colour)
        icon = QIcon(pixmap)
        _ICONS[key] = icon
    return icon


class RowTableModel(QAbstractTableModel):
    COLUMNS: ClassVar[Sequence[Column]] = ()

    def __init__(self, rows: Sequence[Any] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = list(rows)
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- rows ------------------------------------------------------------------------------
    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    def add_rows(self, rows: Sequence[Any], *, in_order: bool = False) -> None:
        """Rows arriving while a list loads: added at the end, then put in sort order.

        ``in_order``: the rows come already sorted after the ones there (``sorted_rows``
        was used), so they are only appended.
        """
        if not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        if self._sort is not None and not in_order:
            self.sort(*self._sort)

    def sort_order(self) -> tuple[int, Qt.SortOrder] | None:
        return self._sort

    def sorted_rows(self, rows: Sequence[Any], order: tuple[int, Qt.SortOrder] | None) -> list[Any]:
        """``rows`` in the given sort order; pure Python, so a worker thread may do it."""
        saved, self._sort = self._sort, order
        try:
            return self._sorted(list(rows))
        finally:
            self._sort = saved

    # -- sorting (in Python, once per sort: one key per row, not one call per comparison) --
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old_rows = [self._rows[i.row()] for i in persistent]
        self._rows = self._sorted(self._rows)
        position = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[id(row)], i.column())
                for row, i in zip(old_rows, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self._sort is None:
            return rows
        column, order = self._sort
        spec = self.COLUMNS[column]
        value = spec.sort if spec.sort is not None else spec.text
        # Ties are broken by ``tie_key`` (then the current order), so a list sorted the same
        # way always comes out the same, whatever order it was in before.
        keyed = [(sort_key(value(row)), self.tie_key(row), n) for n, row in enumerate(rows)]
        try:
            keyed.sort()
        except TypeError:  # mixed kinds of value in one column: compare as text
            keyed = [(str(k), t, n) for k, t, n in keyed]
            keyed.sort()
        if order == Qt.SortOrder.DescendingOrder:
            # Descending, but empty values stay last (their key starts with 1).
            filled = [item for item in keyed if not _empty_key(item[0])]
            empty = [item for item in keyed if _empty_key(item[0])]
            keyed = [*reversed(filled), *empty]
        return [rows[n] for _key, _tie, n in keyed]

    def tie_key(self, _row: Any) -> Any:
        """What orders rows whose sort values are equal (a stable identity, e.g. a reference)."""
        return 0

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def sort_value(self, row: int, column: int) -> Any:
        """The Python value a column sorts on (what ``SortRole`` returns)."""
        item = self._rows[row]
        spec = self.COLUMNS[column]
        return spec.sort(item) if spec.sort is not None else spec.text(item)

    # -- Qt --------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not (0 <= index.column() < len(self.COLUMNS)):
            return None
        row = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.text(row)
        if role == SortRole:
            return column.sort(row) if column.sort is not None else column.text(row)
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row) or None
            # The whole text, in case the column is too narrow to show it.
            text = column.text(row)
            return text if len(text) > TOOLTIP_FROM else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.DecorationRole and column.colour is not None:
            colour = column.colour(row)
            return swatch(colour) if colour is not None else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(row, index.column())
        return None

    def foreground(self, _row: Any, _column: int) -> QBrush | None:
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (0 <= section < len(self.COLUMNS)):
            return super().headerData(section, orientation, role)
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.title
        if role == Qt.ItemDataRole.ToolTipRole and column.header_tip:
            return column.header_tip
        if role == Qt.ItemDataRole.TextAlignmentRole and column.numeric:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def sort_key(value: Any) -> tuple[int, Any]:
    """Python values in a safe order: empty last, text without regard to case."""
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, str):
        return (0, value.casefold())
    if isinstance(value, dt.datetime | dt.date | int | float | tuple):
        return (0, value)
    return (0, str(value))


def _empty_key(key: Any) -> bool:
    return isinstance(key, tuple) and len(key) == 2 and key[0] == 1


class SortProxy(QSortFilterProxyModel):
    """Filters with ``accepts(row)``; sorting is done by the source model in Python.

    ``sort`` hands the work to ``RowTableModel.sort``, which orders its rows once with
    one key per row (Python values from the columns' ``sort`` functions, empties
    last); the proxy keeps the source's order and only filters.  At 10,000 cases a
    sort takes milliseconds instead of a Python ``lessThan`` call per comparison.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            model.sort(column, order)
            return
        super().sort(column, order)

    def lessThan(self, left: Index, right: Index) -> bool:
        # Read the Python values straight from the source model: no QVariant round trip.
        # Besides being faster, this avoids a PySide6 6.12 fault where every
        # QModelIndex.data() call from Python that yields None loses a reference to None
        # (a few thousand such calls crash Python 3.11).
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            a = sort_key(model.sort_value(left.row(), left.column()))
            b = sort_key(model.sort_value(right.row(), right.column()))
        else:
            a = sort_key(left.data(SortRole))
            b = sort_key(right.data(SortRole))
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RowTableModel) or source_parent.isValid():
            return True
        return self.accepts(model.row_at(source_row))

    def accepts(self, _row: Any) -> bool:
        return True

    def set_filter(self, **values: Any) -> None:
        """Change filter attributes and re-run the filter once."""
        self.beginFilterChange()
        for name, value in values.items():
            setattr(self, name, value)
        self.endFilterChange()

    def row_at(self, proxy_row: int) -> Any:
        model = self.sourceModel()
        if isinstance(model, RowTableModel):
            return model.row_at(self.mapToSource(self.index(proxy_row, 0)).row())
        return self.index(proxy_row, 0).data(RowRole)

    def visible_rows(self) -> list[Any]:
        return [self.row_at(r) for r in range(self.rowCount())]
