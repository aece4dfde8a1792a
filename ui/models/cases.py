"""The case list: one row per case (``CaseSummary`` from ``CaseService.summaries``).

The words of each status ("2 overdue: letter, review", "late since 3 Nov 2026") are
the core's (``CaseSummary.status_text``, ``next_due_text``); this module only lays
them out.  It imports no database code, so the window can show the (empty) list
before the database is opened.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtGui import QBrush

from plo_tracker.domain.stages import IN_PROCEEDINGS
from ui import formats
from ui.models.base import Column, RowTableModel, SortProxy

if TYPE_CHECKING:
    from plo_tracker.services.cases import CaseSummary

MINE, TEAM, EVERYONE = "mine", "team", "all"


def _status_colour(row: CaseSummary) -> Any:
    return formats.RAG_COLOURS.get(row.status)


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
            lambda r: r.next_due_text(),
            sort=lambda r: r.next_due,
            tooltip=lambda r: (
                "The earliest date something is due on this case"
                + (" (it has passed)" if r.is_late else "")
                + ("; a manager has accepted every delay" if r.all_accepted else "")
                if r.next_due
                else ""
            ),
            header_tip="The earliest date something is due; 'late since' once it has passed",
        ),
        Column(
            "Status",
            lambda r: r.status_text(),
            sort=lambda r: (
                formats.RAG_ORDER.get(r.status, 9),
                -r.overdue,
                -r.due_soon,
                r.next_due or dt.date.max,
                r.reference,
            ),
            tooltip=lambda r: r.status_explained(),
            colour=_status_colour,
            header_tip="What is overdue or due soon; the colour is explained below the list.",
        ),
    )

    def foreground(self, row: CaseSummary, column: int) -> QBrush | None:
        if column == self.NEXT_DUE and row.is_late and not row.all_accepted:
            return QBrush(formats.LATE_COLOUR)
        return None

    def tie_key(self, row: CaseSummary) -> Any:
        return row.reference

    def find(self, reference: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.reference == reference:
                return number
        return None


class CaseFilterProxy(SortProxy):
    """Filter by whose cases (mine, my team's, all), text, team, social worker, open, drifting."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.scope = EVERYONE
        self.me = ""  # the person's name, as cases record their social worker
        self.my_team = ""
        self.text = ""
        self.team: str | None = None
        self.worker: str | None = None
        self.only_drifting = False
        self.only_open = False

    def in_scope(self, row: CaseSummary) -> bool:
        """Whose cases only (mine, my team's, all): the filters aside."""
        if self.scope == MINE and row.social_worker.casefold() != self.me.casefold():
            return False
        return not (self.scope == TEAM and row.team != self.my_team)

    def accepts(self, row: CaseSummary) -> bool:
        if self.scope == MINE and row.social_worker.casefold() != self.me.casefold():
            return False
        if self.scope == TEAM and row.team != self.my_team:
            return False
        if self.team is not None and row.team != self.team:
            return False
        if self.worker is not None and row.social_worker != self.worker:
            return False
        if self.only_drifting and row.rag not in ("red", "amber"):
            return False
        # In pre-proceedings only: a case in care proceedings is open too (it raises the court
        # rules' flags) but is no longer in pre-proceedings.
        if self.only_open and (not row.is_open or row.stage.startswith(IN_PROCEEDINGS)):
            return False
        if self.text:
            haystack = " ".join(
                (row.reference, row.children, row.social_worker, row.team, row.stage)
            ).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True
