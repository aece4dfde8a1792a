"""The timeliness report and the census findings as rows: for tables, CSV and Excel.

``figure_rows`` is the long form (one row per figure per group, with the cases behind
it); ``matrix_rows`` the compact form (one row per team or worker); ``case_rows`` the
per-case detail; ``finding_rows`` the census findings.  ``xlsx_bytes`` builds a workbook
(openpyxl, loaded only then) in which no cell is ever a formula: text from users is stored as text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from plo_tracker.reports.census import CensusReturn
from plo_tracker.reports.timeliness import (
    STATUS_LABELS,
    Figure,
    GroupReport,
    TimelinessReport,
)
from plo_tracker.spreadsheets import add_sheet, safe_cell
from plo_tracker.spreadsheets import csv_bytes as _csv_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook

Row = list[Any]

FIGURE_HEADERS: tuple[str, ...] = (
    "Group type",
    "Group",
    "Measure",
    "Count",
    "Out of",
    "Percentage",
    "Median weeks",
    "Longest weeks",
    "Longest case",
    "Cases",
    "Shortfall cases",
    "Not counted",
)

# The compact view: (figure key, column heading).
MATRIX_FIGURES: tuple[tuple[str, str], ...] = (
    ("letter_on_time", "Letter on time"),
    ("first_meeting_on_time", "First meeting on time"),
    ("reviews_on_time", "Reviews on time"),
    ("fgc_held_or_declined", "FGC held/declined"),
    ("extensions", "Extended"),
    ("stepped_down", "Stepped down"),
    ("outcome_proceedings_issued", "Issued"),
    ("outcome_open", "Open"),
    ("concluded_within_26_weeks", "Court in 26 weeks"),
)
MATRIX_HEADERS: tuple[str, ...] = (
    "Group",
    "Started",
    *(heading for _key, heading in MATRIX_FIGURES),
    "Median weeks (ended)",
    "Longest weeks (ended)",
)

CASE_HEADERS: tuple[str, ...] = (
    "Case",
    "Team",
    "Social worker",
    "Started",
    "Start decision",
    "Letter sent",
    "Letter due",
    "Letter",
    "First meeting",
    "First meeting due",
    "First meeting status",
    "Reviews on time",
    "Reviews late or missed",
    "FGC",
    "Extensions",
    "Outcome",
    "Ended",
    "Weeks",
)

FINDING_HEADERS: tuple[str, ...] = ("Case", "Child", "Rule", "Severity", "Element", "Message")


safe_text = safe_cell


def csv_bytes(headers: Sequence[str], rows: Sequence[Row]) -> bytes:
    """CSV (UTF-8 with a byte-order mark, so Excel reads accents) with formulas neutralised."""
    return _csv_bytes(headers, rows)


def _refs(refs: Sequence[str]) -> str:
    return " ".join(refs)


def fraction(figure: Figure) -> str:
    """'8/10 (80.0%)', or '0/0' when there is nothing to count."""
    if figure.denominator == 0:
        return "0/0"
    return f"{figure.count}/{figure.denominator} ({figure.percentage_text()})"


def _groups(report: TimelinessReport) -> list[GroupReport]:
    return [report.council, *report.teams, *report.workers]


def figure_rows(report: TimelinessReport) -> list[Row]:
    rows: list[Row] = []
    for group in _groups(report):
        for figure in group.figures:
            label = figure.label if figure.unit == "cases" else f"{figure.label} ({figure.unit})"
            rows.append(
                [
                    group.kind,
                    group.name,
                    label,
                    figure.count,
                    figure.denominator,
                    figure.percentage,
                    None,
                    None,
                    None,
                    _refs(figure.cases),
                    _refs(figure.shortfall),
                    _refs(figure.excluded),
                ]
            )
        for duration in group.durations:
            rows.append(
                [
                    group.kind,
                    group.name,
                    duration.label,
                    duration.count,
                    None,
                    None,
                    duration.median_weeks,
                    duration.longest_weeks,
                    duration.longest_case,
                    _refs(duration.cases),
                    "",
                    "",
                ]
            )
    return rows


def matrix_rows(groups: Sequence[GroupReport]) -> list[Row]:
    rows: list[Row] = []
    for group in groups:
        ended = group.duration("duration_ended")
        rows.append(
            [
                group.name,
                group.figure("started").count,
                *(fraction(group.figure(key)) for key, _heading in MATRIX_FIGURES),
                "–" if ended.median_weeks is None else ended.median_weeks,
                "–" if ended.longest_weeks is None else ended.longest_weeks,
            ]
        )
    return rows


def case_rows(report: TimelinessReport) -> list[Row]:
    def day(value: Any) -> str:
        return value.isoformat() if value is not None else ""

    rows: list[Row] = []
    for case in report.cases:
        rows.append(
            [
                case.reference,
                case.team,
                case.social_worker,
                day(case.start),
                case.start_outcome.replace("_", " "),
                day(case.letter.done),
                day(case.letter.due),
                STATUS_LABELS[case.letter.status],
                day(case.first_meeting.done),
                day(case.first_meeting.due),
                STATUS_LABELS[case.first_meeting.status],
                case.reviews_on_time,
                case.reviews_late,
                case.fgc,
                case.extensions,
                case.outcome_label,
                day(case.end),
                case.weeks,
            ]
        )
    return rows


def finding_rows(census: CensusReturn) -> list[Row]:
    return [
        [f.case or "", f.child_label(), f.rule, f.severity, f.element or "", f.message]
        for f in census.findings
    ]


# -- Excel -----------------------------------------------------------------------------------


def _sheet(workbook: Workbook, title: str, headers: Sequence[str], rows: Sequence[Row]) -> None:
    add_sheet(workbook, title, headers, rows)


def xlsx_bytes(report: TimelinessReport) -> bytes:
    from openpyxl import Workbook  # imported when needed: it is slow to load

    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    info = [
        ["Report", "Timeliness of pre-proceedings"],
        ["Cases started from", report.date_from.isoformat()],
        ["Cases started to", report.date_to.isoformat()],
        ["Events seen up to", report.as_of.isoformat()],
        ["Letter due (working days after the start)", report.policy.letter_due_working_days],
        [
            "First meeting due (working days after the first letter)",
            report.policy.first_meeting_working_days,
        ],
        ["Review due (weeks after the previous meeting)", report.policy.review_weeks],
    ]
    _sheet(workbook, "About", ["Item", "Value"], info)
    council = [r for r in figure_rows(report) if r[0] == "council"]
    _sheet(workbook, "Council", FIGURE_HEADERS, council)
    _sheet(workbook, "By team", MATRIX_HEADERS, matrix_rows(report.teams))
    _sheet(workbook, "By worker", MATRIX_HEADERS, matrix_rows(report.workers))
    _sheet(workbook, "All figures", FIGURE_HEADERS, figure_rows(report))
    _sheet(workbook, "Cases", CASE_HEADERS, case_rows(report))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
