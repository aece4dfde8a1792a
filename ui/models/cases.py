"""The case list: one row per case (``CaseSummary`` from ``CaseService.summaries``)."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from plo_tracker.services.cases import CaseSummary
from ui import formats
from ui.models.base import Column, RowTableModel, SortProxy


def _status_tip(row: CaseSummary) -> str:
    if not row.is_open:
        return "This case is not open in pre-proceedings, so no flags are raised."
    parts = []
    if row.overdue:
        parts.append(f"{row.overdue} overdue")
    if row.due_soon:
        parts.append(f"{row.due_soon} due soon")
    return ", ".join(parts) if parts else "Nothing overdue or due soon."


class CaseListModel(RowTableModel):
    REFERENCE, CHILDREN, WORKER, TEAM, STAGE, WEEKS, NEXT_DUE, STATUS = range(8)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Reference", lambda r: r.reference),
        Column("Children", lambda r: r.children),
        Column("Social worker", lambda r: r.social_worker),
        Column("Team", lambda r: r.team),
        Column("Stage", lambda r: r.stage),
        Column(
            "Weeks",
            lambda r: "" if r.weeks is None else str(r.weeks),
            sort=lambda r: r.weeks,
            numeric=True,
            header_tip="Whole weeks in pre-proceedings",
        ),
        Column(
            "Next due",
            lambda r: formats.short_date(r.next_due),
            sort=lambda r: r.next_due,
            tooltip=lambda r: (
                "The earliest date something is due on this case" if r.next_due else ""
            ),
        ),
        Column(
            "Status",
            lambda r: formats.rag_text(r.rag, r.overdue, r.due_soon),
            sort=lambda r: (
                formats.RAG_ORDER.get(r.rag, 9),
                -r.overdue,
                -r.due_soon,
                r.next_due or dt.date.max,
                r.reference,
            ),
            tooltip=_status_tip,
            colour=lambda r: formats.RAG_COLOURS.get(r.rag),
            header_tip="Red: something is overdue. Amber: something is due soon. Green: on time.",
        ),
    )

    def find(self, reference: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.reference == reference:
                return number
        return None


class CaseFilterProxy(SortProxy):
    """Filter by text, team, social worker, open cases and 'only drifting'."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.text = ""
        self.team: str | None = None
        self.worker: str | None = None
        self.only_drifting = False
        self.only_open = False

    def accepts(self, row: CaseSummary) -> bool:
        if self.team is not None and row.team != self.team:
            return False
        if self.worker is not None and row.social_worker != self.worker:
            return False
        if self.only_drifting and row.rag not in ("red", "amber"):
            return False
        if self.only_open and not row.is_open:
            return False
        if self.text:
            haystack = " ".join(
                (row.reference, row.children, row.social_worker, row.team, row.stage)
            ).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True
