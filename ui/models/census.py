"""The census view's list: every finding (the rules' and the merge's), with where to fix it."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtGui import QColor

from plo_tracker.reports.census import Finding
from plo_tracker.reports.census_fix import fix_place
from ui.models.base import Column, RowTableModel, SortProxy

SEVERITY_TEXT = {
    "error": "Error: kept out of the file",
    "query": "Query: check it",
}
SEVERITY_COLOURS = {"error": QColor("#c62828"), "query": QColor("#ef8f00")}


def _child(finding: Finding) -> str:
    return finding.child_label()


class FindingsModel(RowTableModel):
    """One row per finding; ``Where to fix`` is the part of the case a double-click opens."""

    CASE, CHILD, SEVERITY, RULE, WHERE, MESSAGE = range(6)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column(
            "Case",
            lambda f: f.case or "(the whole return)",
            sort=lambda f: (f.case or "~", f.episode),
            tooltip=lambda f: f"Episode {f.episode}" if f.case and f.episode > 1 else "",
        ),
        Column("Child", _child),
        Column(
            "Severity",
            lambda f: SEVERITY_TEXT.get(f.severity, f.severity),
            colour=lambda f: SEVERITY_COLOURS.get(f.severity),
        ),
        Column("Rule", lambda f: f.rule),
        Column("Where to fix", lambda f: fix_place(f).label, tooltip=lambda f: fix_place(f).label),
        Column("What to do", lambda f: f.message, tooltip=lambda f: f.message),
    )


class FindingsProxy(SortProxy):
    """Filters the findings: all, or only the errors that keep a record out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.only_errors = False

    def accepts(self, row: Finding) -> bool:
        return not (self.only_errors and not row.blocks)
