"""The drift review list: one row per flag (``ReviewRow`` from ``ReviewBoardService``)."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtGui import QColor

from plo_tracker.domain import drift
from plo_tracker.services.review_board import ReviewRow
from ui import formats
from ui.models.base import Column, RowTableModel, SortProxy


def reviewed_text(row: ReviewRow) -> str:
    """'Ann Wright, 4 Mar 2026' (empty when not reviewed)."""
    if row.reviewed_on is None:
        return ""
    by = row.reviewed_by or "a manager"
    return f"{by}, {formats.short_date(row.reviewed_on)}"


def reviewed_tip(row: ReviewRow) -> str:
    if row.reviewed_on is None:
        return "No manager has reviewed this flag yet."
    by = row.reviewed_by or "a manager"
    text = f"Delay accepted by {by} on {formats.short_date(row.reviewed_on)}"
    if row.reviewed_until is not None:
        text += f", until {formats.short_date(row.reviewed_until)}"
    return text + "."


def severity_colour(row: ReviewRow) -> QColor | None:
    if row.reviewed_on is not None:
        return formats.RAG_COLOURS["accepted"]
    return formats.RAG_COLOURS["red" if row.severity == drift.OVERDUE else "amber"]


class DriftReviewModel(RowTableModel):
    CASE, TEAM, WORKER, FLAG, LATE, DUE, REVIEWED, UNTIL = range(8)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Case", lambda r: r.case),
        Column("Team", lambda r: r.team),
        Column("Social worker", lambda r: r.social_worker),
        Column("Flag", lambda r: r.rule_title, tooltip=lambda r: r.message),
        Column(
            "How late",
            lambda r: r.lateness,
            sort=lambda r: r.urgency,
            colour=severity_colour,
            tooltip=lambda r: formats.SEVERITY_LABELS.get(r.severity, r.severity),
            header_tip="How long ago it was due (overdue), or how soon it is due",
        ),
        Column("Due", lambda r: formats.short_date(r.due), sort=lambda r: r.due),
        Column(
            "Reviewed",
            reviewed_text,
            sort=lambda r: r.reviewed_on,
            tooltip=reviewed_tip,
            header_tip="Who last reviewed this flag, and when",
        ),
        Column(
            "Accepted until",
            lambda r: formats.short_date(r.reviewed_until),
            sort=lambda r: r.reviewed_until,
        ),
    )

    def find(self, case: str, rule: str, item: str | None = None) -> int | None:
        for number, row in enumerate(self._rows):
            if row.case == case and row.rule == rule and (item is None or row.item == item):
                return number
        return None


class DriftFilterProxy(SortProxy):
    """Filter by team, by text, and hide flags already reviewed."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.team: str | None = None
        self.text = ""
        self.hide_reviewed = False

    def hidden_by_filters(self) -> int:
        """How many flags of the team shown the text filter and "hide reviewed" hide."""
        source = self.sourceModel()
        rows: list[ReviewRow] = source.rows() if isinstance(source, RowTableModel) else []
        in_team = [r for r in rows if self.team is None or r.team == self.team]
        return sum(1 for r in in_team if not self.accepts(r))

    def accepts(self, row: ReviewRow) -> bool:
        if self.team is not None and row.team != self.team:
            return False
        if self.hide_reviewed and row.reviewed_on is not None:
            return False
        if self.text:
            haystack = " ".join((row.case, row.social_worker, row.rule_title)).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True
