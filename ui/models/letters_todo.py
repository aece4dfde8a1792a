"""Legal liaison's start page: cases with a letter due or ready (``LetterToDo`` rows)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtGui import QColor

from ui import formats
from ui.models.base import Column, RowTableModel

if TYPE_CHECKING:
    from plo_tracker.services.cases import LetterToDo


def _colour(row: LetterToDo) -> QColor | None:
    if row.overdue:
        return formats.RAG_COLOURS["red"]
    if row.due is not None:
        return formats.RAG_COLOURS["amber"]
    return formats.RAG_COLOURS["open"]


class LettersToDoModel(RowTableModel):
    CASE, CHILDREN, WORKER, WHAT, DUE = range(5)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Case", lambda r: r.reference),
        Column("Children", lambda r: r.case.children),
        Column("Social worker", lambda r: r.case.social_worker),
        Column(
            "What to do",
            lambda r: r.what,
            sort=lambda r: r.sort_key(),
            colour=_colour,
            tooltip=lambda r: r.what,
        ),
        Column(
            "Due",
            lambda r: formats.short_date(r.due),
            sort=lambda r: r.due or dt.date.max,
        ),
    )

    def find(self, reference: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.reference == reference:
                return number
        return None

    def row_for(self, reference: str) -> Any:
        found = self.find(reference)
        return None if found is None else self._rows[found]
