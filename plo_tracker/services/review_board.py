"""The team manager's drift review: flagged cases most overdue first, charts, exports.

Used by the desktop client's drift review screen; nothing here imports Qt.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.audit import write_entry
from plo_tracker.domain import drift, stages
from plo_tracker.domain.dates import span
from plo_tracker.errors import PloError
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.exchange_service import write_private_file
from plo_tracker.services.flags import ACCEPT, EXTEND, FlagService
from plo_tracker.services.records import load_histories
from plo_tracker.validation import LIMITS, text_problem

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


def review_problem(
    decision: str, rationale: str, until: dt.date | None, on: dt.date | None = None
) -> str | None:
    """What would stop a review being recorded (the checks ``FlagService.review`` makes)."""
    if decision not in (ACCEPT, EXTEND):
        return "Decision: choose to accept the delay or agree an extension."
    problem = text_problem(rationale, LIMITS["text"])
    if problem:
        return f"Rationale: {problem}."
    if decision == EXTEND and until is None:
        return "Until: an extension needs the date it runs to."
    on = on or today()
    if until is not None and until <= on:
        return f"Until: {until.isoformat()} is not after today; choose a later date."
    return None


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


def _text_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


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


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, dt.date) else _text_cell(v) for v in row])
    # With a byte order mark, spreadsheet programs read the file as UTF-8.
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append([None if v == "" else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # text that starts with '=' stays text
            elif isinstance(cell.value, dt.date):
                cell.number_format = "d mmm yyyy"
    sheet.freeze_panes = "A2"
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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

    def weeks_chart(
        self, team: str | None = None, as_of: dt.date | None = None
    ) -> list[tuple[str, int]]:
        """Open cases (of one team) counted by whole weeks in pre-proceedings."""
        self.actor.require(Permission.VIEW_CASES)
        as_of = as_of or today()
        with self.db.read() as session:
            histories = load_histories(session, team=team, open_as_of=as_of)
        weeks = [stages.weeks_in_pre_proceedings(h, as_of) for h in histories]
        return weeks_bands([w for w in weeks if w is not None])

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
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="export",
                entity="drift_review",
                changes={"rows": len(values), "format": suffix.lstrip(".")},
            )
        log.info("drift review exported: %s rows", len(values))
        return len(values)
