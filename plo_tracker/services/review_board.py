"""The team manager's drift review: flagged cases most overdue first, charts, exports.

Used by the desktop client's drift review screen; nothing here imports Qt.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.audit import write_entry
from plo_tracker.domain import court, drift, stages
from plo_tracker.domain.dates import span
from plo_tracker.errors import PloError
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.exchange_service import write_private_file
from plo_tracker.services.flags import Coverage, FlagService
from plo_tracker.services.records import load_histories
from plo_tracker.spreadsheets import csv_bytes, xlsx_bytes

# Whole weeks in pre-proceedings, grouped for the chart (16 weeks is the usual length).
WEEK_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0–3", 0, 3),
    ("4–7", 4, 7),
    ("8–11", 8, 11),
    ("12–15", 12, 15),
    ("16–19", 16, 19),
    ("20–25", 20, 25),
    ("26+", 26, None),
)

EXPORT_HEADERS: tuple[str, ...] = (
    "Case",
    "Team",
    "Social worker",
    "Flag",
    "Severity",
    "Due",
    "Days overdue",
    "Reviewed by",
    "Reviewed on",
    "Accepted until",
)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One flag on the drift review list."""

    case: str
    team: str
    social_worker: str
    team_manager: str
    rule: str
    rule_title: str
    item: str | None
    severity: str
    due: dt.date
    days_overdue: int
    days_to_due: int
    message: str
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    reviewed_until: dt.date | None = None

    @property
    def overdue(self) -> bool:
        return self.severity == drift.OVERDUE

    @property
    def lateness(self) -> str:
        """'3 weeks and 2 days overdue', 'due today', 'due in 4 days'."""
        if self.overdue:
            return f"{span(self.days_overdue)} overdue"
        if self.days_to_due <= 0:
            return "due today"
        return f"due in {span(self.days_to_due)}"

    @property
    def urgency(self) -> int:
        """Larger is more urgent: days overdue, or minus the days until due."""
        return self.days_overdue if self.overdue else -self.days_to_due


def most_overdue_first(rows: Sequence[ReviewRow]) -> list[ReviewRow]:
    return sorted(rows, key=lambda r: (-r.urgency, r.due, r.case, r.rule, r.item or ""))


# Cases in care proceedings by their week of 26 (domain reference section 7).
COURT_WEEK_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Weeks 1-13", 1, 13),
    ("Weeks 14-20", 14, 20),
    ("Weeks 21-26", 21, 26),
    ("Past 26 weeks", 27, None),
)


def court_weeks_bands(weeks: Sequence[int]) -> list[tuple[str, int]]:
    counts = [0] * len(COURT_WEEK_BANDS)
    for value in weeks:
        for index, (_label, low, high) in enumerate(COURT_WEEK_BANDS):
            if value >= low and (high is None or value <= high):
                counts[index] += 1
                break
    return [(label, counts[i]) for i, (label, _l, _h) in enumerate(COURT_WEEK_BANDS)]


def weeks_bands(weeks: Sequence[int]) -> list[tuple[str, int]]:
    counts = [0] * len(WEEK_BANDS)
    for value in weeks:
        for index, (_label, low, high) in enumerate(WEEK_BANDS):
            if value >= low and (high is None or value <= high):
                counts[index] += 1
                break
    return [(label, counts[i]) for i, (label, _l, _h) in enumerate(WEEK_BANDS)]


def flags_by_rule(rows: Sequence[ReviewRow]) -> list[tuple[str, int]]:
    """Flag counts per rule, in the rules' own order; rules with no flag are left out."""
    counts = Counter(r.rule for r in rows)
    return [(title, counts[rule]) for rule, title in drift.RULES.items() if counts[rule]]


def export_values(row: ReviewRow) -> list[Any]:
    return [
        row.case,
        row.team,
        row.social_worker,
        row.rule_title,
        "Overdue" if row.overdue else "Due soon",
        row.due,
        row.days_overdue,
        row.reviewed_by,
        row.reviewed_on,
        row.reviewed_until,
    ]


class ReviewBoardService(Service):
    def review_list(self, team: str | None = None, as_of: dt.date | None = None) -> list[ReviewRow]:
        """Every flag of the open cases (of one team), most overdue first."""
        as_of = as_of or today()
        rows = []
        for found in FlagService(self.db, self.actor).flagged(as_of, team):
            flag = found.flag
            reviewed = flag.reviewed
            rows.append(
                ReviewRow(
                    case=flag.case,
                    team=found.team,
                    social_worker=found.social_worker,
                    team_manager=found.team_manager,
                    rule=flag.rule,
                    rule_title=flag.rule_title,
                    item=flag.item,
                    severity=flag.severity,
                    due=flag.due,
                    days_overdue=flag.days_overdue,
                    days_to_due=max(0, (flag.due - as_of).days),
                    message=flag.message,
                    reviewed_by=reviewed.by if reviewed else None,
                    reviewed_on=reviewed.on if reviewed else None,
                    reviewed_until=reviewed.until if reviewed else None,
                )
            )
        return most_overdue_first(rows)

    def coverage(self, team: str | None = None, as_of: dt.date | None = None) -> Coverage:
        """The cases (of one team) the list looked at, and how many were open."""
        return FlagService(self.db, self.actor).coverage(as_of, team)

    def weeks_chart(
        self, team: str | None = None, as_of: dt.date | None = None
    ) -> list[tuple[str, int]]:
        """Open cases (of one team) counted by whole weeks in pre-proceedings."""
        self.actor.require(Permission.VIEW_CASES)
        as_of = as_of or today()
        with self.db.read() as session:
            histories = load_histories(session, team=team, open_as_of=as_of)
        # Cases in care proceedings raise flags too; the chart is of pre-proceedings only.
        weeks = [
            stages.weeks_in_pre_proceedings(h, as_of)
            for h in histories
            if drift.case_is_open(h, as_of)
        ]
        return weeks_bands([w for w in weeks if w is not None])

    def court_weeks_chart(
        self, team: str | None = None, as_of: dt.date | None = None
    ) -> list[tuple[str, int]]:
        """Cases (of one team) in care proceedings counted by their week of 26."""
        self.actor.require(Permission.VIEW_CASES)
        as_of = as_of or today()
        with self.db.read() as session:
            histories = load_histories(session, team=team, open_as_of=as_of)
        weeks = []
        for history in histories:
            found = court.proceedings(history, as_of)
            if found is not None and found.is_open:
                weeks.append(found.week(as_of))
        return court_weeks_bands(weeks)

    def export(self, path: Path, rows: Sequence[ReviewRow]) -> int:
        """Write the list as shown to a .csv or .xlsx file, owner-only; audited."""
        self.actor.require(Permission.VIEW_REPORTS)
        suffix = path.suffix.lower()
        values = [export_values(r) for r in rows]
        if suffix == ".csv":
            data = csv_bytes(EXPORT_HEADERS, values)
        elif suffix == ".xlsx":
            data = xlsx_bytes("Drift review", EXPORT_HEADERS, values)
        else:
            raise PloError(f"Choose a file name ending .csv or .xlsx, not '{suffix or path.name}'.")
        write_private_file(path, data)
        # An export is audited; no list on screen changes, so no screen is told.
        with self.db.write(self.actor.username, notify=False) as session:
            write_entry(
                session,
                action="export",
                entity="drift_review",
                changes={"rows": len(values), "format": suffix.lstrip(".")},
            )
        log.info("drift review exported: %s rows", len(values))
        return len(values)
