"""The reports screen's lists: timeliness figures by group, and census findings."""

from __future__ import annotations

from typing import ClassVar

from plo_tracker.reports.export import MATRIX_FIGURES, fraction
from plo_tracker.reports.timeliness import GroupReport
from ui.models.base import Column, RowTableModel


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
