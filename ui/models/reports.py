"""The reports screen's lists: timeliness figures by group, and census findings."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtGui import QColor

from plo_tracker.reports.census import Finding
from plo_tracker.reports.export import MATRIX_FIGURES, fraction
from plo_tracker.reports.timeliness import GroupReport
from ui.models.base import Column, RowTableModel, SortProxy

CENSUS_SEVERITY = {"error": "Error: kept out of the file", "query": "Query: check it"}
CENSUS_COLOURS = {"error": QColor("#c62828"), "query": QColor("#ef8f00")}


def _figure_column(key: str, heading: str) -> Column:
    return Column(
        heading,
        lambda g: fraction(g.figure(key)),
        sort=lambda g: g.figure(key).percentage,
        numeric=True,
        tooltip=lambda g: g.figure(key).label,
    )


def _weeks(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class TimelinessModel(RowTableModel):
    """One row per group (the council, each team or each social worker)."""

    GROUP, STARTED = 0, 1
    FIRST_FIGURE = 2
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Group", lambda g: g.name),
        Column(
            "Started",
            lambda g: str(g.figure("started").count),
            sort=lambda g: g.figure("started").count,
            numeric=True,
            header_tip="Cases that started pre-proceedings in the range",
        ),
        *(_figure_column(key, heading) for key, heading in MATRIX_FIGURES),
        Column(
            "Median weeks (ended)",
            lambda g: _weeks(g.duration("duration_ended").median_weeks),
            sort=lambda g: g.duration("duration_ended").median_weeks,
            numeric=True,
        ),
        Column(
            "Longest weeks (ended)",
            lambda g: _weeks(g.duration("duration_ended").longest_weeks),
            sort=lambda g: g.duration("duration_ended").longest_weeks,
            numeric=True,
            tooltip=lambda g: g.duration("duration_ended").longest_case or "",
        ),
    )

    def set_groups(self, groups: list[GroupReport]) -> None:
        self.set_rows(groups)


class CensusFindingsModel(RowTableModel):
    CASE, CHILD, SEVERITY, RULE, MESSAGE = range(5)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Case", lambda f: f.case or "(the whole return)"),
        Column("Child", lambda f: f.child_label()),
        Column(
            "Severity",
            lambda f: CENSUS_SEVERITY.get(f.severity, f.severity),
            colour=lambda f: CENSUS_COLOURS.get(f.severity),
        ),
        Column("Rule", lambda f: f.rule),
        Column("What to correct", lambda f: f.message, tooltip=lambda f: f.message),
    )


class CensusFilterProxy(SortProxy):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.only_errors = False

    def accepts(self, row: Finding) -> bool:
        return not (self.only_errors and row.severity != "error")
