"""The "Heading for PLO" list: one row per watch-list item (``domain.watch.WatchItem``)."""

from __future__ import annotations

from typing import Any, ClassVar

from plo_tracker.domain import watch
from ui import formats
from ui.models.base import Column, RowTableModel, SortProxy


def reviewed_text(item: watch.WatchItem) -> str:
    review = item.reviewed
    if review is None:
        return ""
    return f"{review.by}, {formats.short_date(review.on)}"


def reviewed_tip(item: watch.WatchItem) -> str:
    review = item.reviewed
    if review is None:
        return "No manager has reviewed this item yet."
    text = f"Reviewed by {review.by} on {formats.short_date(review.on)}"
    if review.until is not None:
        text += f", until {formats.short_date(review.until)}"
    return f"{text}: {review.rationale}"


class WatchModel(RowTableModel):
    CHILD, WHY, SINCE, DUE, CASE, REVIEWED = range(6)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("LA child id", lambda i: i.la_child_id),
        Column("Why", lambda i: watch.TITLES[i.rule], tooltip=lambda i: i.message),
        Column("Plan since", lambda i: formats.short_date(i.since), sort=lambda i: i.since),
        Column("Due", lambda i: formats.short_date(i.due), sort=lambda i: i.due),
        Column(
            "Case",
            lambda i: i.case or "none yet",
            sort=lambda i: i.case,
            header_tip="The case holding the child (matched by LA child id), if any",
        ),
        Column(
            "Reviewed",
            reviewed_text,
            sort=lambda i: i.reviewed and i.reviewed.on,
            tooltip=reviewed_tip,
        ),
    )

    def tie_key(self, row: Any) -> Any:
        return row.sort_key()

    def find(self, la_child_id: str, rule: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.la_child_id == la_child_id and row.rule == rule:
                return number
        return None


class WatchFilterProxy(SortProxy):
    """Filter by text (child id, case, why) and hide reviewed items."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.hide_reviewed = False

    def accepts(self, row: watch.WatchItem) -> bool:
        if self.hide_reviewed and row.reviewed is not None:
            return False
        if self.text:
            haystack = " ".join((row.la_child_id, row.case or "", watch.TITLES[row.rule]))
            return all(word in haystack.casefold() for word in self.text.casefold().split())
        return True
