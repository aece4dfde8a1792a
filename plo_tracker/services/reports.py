"""Performance data for managers: the timeliness report and the CIN census return.

``ReportService`` loads the cases a report needs (``records.load_histories``), the
council's policy, calendar and census settings, and hands them to the pure functions
of ``plo_tracker.reports``.  Every method checks ``Permission.VIEW_REPORTS``; writing the
census file (a bulk export of children's records) also needs ``EXPORT_CASES``, and
changing the census settings needs ``MANAGE_POLICY``.  Files are written owner-only and
each file written is audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.audit import write_entry
from db.models import Case as CaseRow
from db.models import Event as EventRow
from plo_tracker import clock
from plo_tracker.domain.drift import START_OUTCOMES
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import NotFound, PloError, ValidationError
from plo_tracker.permissions import Permission
from plo_tracker.reports.census import (
    LA_CODE_KEY,
    OUTCOME_CODES_KEY,
    CensusReturn,
    CensusSettings,
    Finding,
    build_census,
    la_code_problem,
    outcome_code_problem,
    reporting_year,
)
from plo_tracker.reports.census_xml import CensusHeader, census_xml
from plo_tracker.reports.export import FIGURE_HEADERS, csv_bytes, figure_rows, xlsx_bytes
from plo_tracker.reports.timeliness import CaseTimeliness, TimelinessReport, timeliness_report
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.exchange_service import write_private_file
from plo_tracker.services.records import load_histories, open_case_filter
from plo_tracker.services.settings import (
    SettingsService,
    get_setting,
    load_calendar,
    load_policy,
)
from plo_tracker.spreadsheets import csv_bytes as spreadsheet_csv
from plo_tracker.validation import check_arg, shown

if TYPE_CHECKING:
    from plo_tracker.reports.census_merge import CensusMerge

CHUNK = 500
MERGE_STEPS = 3  # read the return, build the census, place the blocks
RETURN_LIMIT = 512 * 1024 * 1024  # a council's whole CIN return is tens of megabytes
REPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")


@dataclass(frozen=True, slots=True)
class CensusFile:
    """What ``write_census`` wrote."""

    path: Path
    census: CensusReturn
    records: int
    children: int
    serial_no: int
    generated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class MergedCensusFile:
    """What ``write_merged_census`` wrote."""

    path: Path
    merge: CensusMerge


def _read_return_file(path: Path) -> bytes:
    """The council's return file's bytes, or a plain PloError saying why not."""
    path = path.expanduser()
    try:
        if path.is_dir():
            raise PloError(f"{path} is a folder; give the council's return file.")
        size = path.stat().st_size
        if size > RETURN_LIMIT:
            raise PloError(
                f"{path.name} is {size // (1024 * 1024)} MB, larger than any CIN census return "
                "PLO Tracker expects; check that it is the right file."
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise PloError(f"There is no file {path}; give the council's CIN census return.") from None
    except PermissionError:
        raise PloError(f"You do not have permission to read {path}.") from None
    except OSError as error:
        raise PloError(f"Cannot read {path}: {error.strerror}.") from None


def _load(session: Session, references: Sequence[str]) -> list[CaseHistory]:
    cases: list[CaseHistory] = []
    for index in range(0, len(references), CHUNK):
        cases.extend(load_histories(session, references=references[index : index + CHUNK]))
    cases.sort(key=lambda c: c.reference)
    return cases


def _census_settings(session: Session) -> CensusSettings:
    return CensusSettings.from_values(
        get_setting(session, LA_CODE_KEY), get_setting(session, OUTCOME_CODES_KEY)
    )


class ReportService(Service):
    # -- the timeliness report -----------------------------------------------------------
    def timeliness(self, date_from: dt.date, date_to: dt.date) -> TimelinessReport:
        """The report over the cases started from ``date_from`` to ``date_to`` (included).

        Events are seen up to ``date_to`` or today, whichever is earlier.  The report
        holds the council's figures, each team's and each social worker's, and the
        per-case detail (``report.cases``, ``report.case(reference)``).
        """
        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("From", date_from, dt.date)
        check_arg("To", date_to, dt.date)
        if date_to < date_from:
            raise ValidationError(
                f"The range ends ({date_to.isoformat()}) before it starts "
                f"({date_from.isoformat()}); give the earlier date first."
            )
        with self.db.read() as session:
            policy = load_policy(session)
            calendar = load_calendar(session)
            references = session.scalars(
                select(CaseRow.reference)
                .where(
                    CaseRow.id.in_(
                        select(EventRow.case_id).where(
                            EventRow.type == "legal_planning_meeting",
                            EventRow.outcome.in_(sorted(START_OUTCOMES)),
                            EventRow.date >= date_from,
                            EventRow.date <= date_to,
                        )
                    )
                )
                .order_by(CaseRow.reference)
            ).all()
            cases = _load(session, list(references))
        report = timeliness_report(cases, policy, calendar, date_from, date_to, today())
        log.info("timeliness report: %s cases started in the range", len(report.cases))
        return report

    def timeliness_case(
        self, reference: str, date_from: dt.date, date_to: dt.date
    ) -> CaseTimeliness:
        """One case's detail in the report over the range (NotFound if it is not in it)."""
        check_arg("Case reference", reference, str)
        report = self.timeliness(date_from, date_to)
        try:
            return report.case(reference)
        except KeyError:
            raise NotFound(
                f"Case {shown(reference, 70)} did not start between {date_from.isoformat()} and "
                f"{date_to.isoformat()}, so it is not in this report."
            ) from None

    def export_timeliness(
        self, report: TimelinessReport, path: Path, fmt: str | None = None
    ) -> int:
        """Write the report to a .csv, .xlsx or .json file (owner-only; audited).

        ``fmt`` defaults to the file name's ending.  Returns the number of cases in it.
        """
        self.actor.require(Permission.VIEW_REPORTS)
        kind = (fmt or path.suffix.lstrip(".")).lower()
        if kind == "csv":
            data = csv_bytes(FIGURE_HEADERS, figure_rows(report))
        elif kind == "xlsx":
            data = xlsx_bytes(report)
        elif kind == "json":
            text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
            data = text.encode("utf-8")
        else:
            raise PloError(
                f"Choose a file name ending .csv, .xlsx or .json, not '{shown(path.name, 60)}'."
            )
        write_private_file(path, data)
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="export",
                entity="timeliness_report",
                changes={
                    "cases": len(report.cases),
                    "from": report.date_from.isoformat(),
                    "to": report.date_to.isoformat(),
                    "format": kind,
                    "file": path.name,
                },
            )
        log.info("timeliness report written: %s cases", len(report.cases))
        return len(report.cases)

    # -- census settings -----------------------------------------------------------------
    def census_settings(self) -> CensusSettings:
        self.actor.require(Permission.VIEW_REPORTS)
        with self.db.read() as session:
            return _census_settings(session)

    def set_census_outcome(self, outcome: str, code: str) -> CensusSettings:
        """Map one of PLO Tracker's outcomes to a PPOutcome code (A, B or C)."""
        self.actor.require(Permission.MANAGE_POLICY)
        check_arg("Outcome", outcome, str)
        check_arg("Code", code, str)
        code = code.strip().upper()
        problem = outcome_code_problem(outcome, code)
        if problem:
            raise ValidationError(problem, field="outcome")
        with self.db.read() as session:
            stored = get_setting(session, OUTCOME_CODES_KEY)
        codes = dict(stored) if isinstance(stored, dict) else {}
        codes[outcome] = code
        self._put(OUTCOME_CODES_KEY, codes)
        log.info("census outcome code set")
        return self.census_settings()

    def set_census_la_code(self, la_code: str) -> CensusSettings:
        """The council's 3-digit LA code, written as the header's LEA."""
        self.actor.require(Permission.MANAGE_POLICY)
        check_arg("LA code", la_code, str)
        la_code = la_code.strip()
        problem = la_code_problem(la_code)
        if problem:
            raise ValidationError(problem, field="la_code")
        self._put(LA_CODE_KEY, la_code)
        log.info("census LA code set")
        return self.census_settings()

    def _put(self, key: str, value: object) -> None:
        SettingsService(self.db, self.actor).put(key, value, Permission.MANAGE_POLICY)

    # -- the census ----------------------------------------------------------------------
    def census(self, reference_date: dt.date) -> CensusReturn:
        """Every child's pre-proceedings records for the census year, checked against the rules.

        The result holds all records, the findings (errors keep a record out of the file,
        queries do not), the records that would be written, and ``setup_problems`` (what
        the council must set before a file can be written).
        """
        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("Reference date", reference_date, dt.date)
        try:
            year = reporting_year(reference_date)
        except ValueError as error:
            raise ValidationError(f"Reference date: {error}.", field="reference_date") from None
        with self.db.read() as session:
            settings = _census_settings(session)
            # A superset of the cases with an episode in the year (build_census decides):
            # an event in the year, open when it began, or started more than once (a later
            # episode may be open through the year without an event in it).
            in_year = select(EventRow.case_id).where(
                EventRow.date >= year.start, EventRow.date <= year.end
            )
            restarted = (
                select(EventRow.case_id)
                .where(
                    EventRow.type == "legal_planning_meeting",
                    EventRow.outcome.in_(sorted(START_OUTCOMES)),
                    EventRow.date <= year.end,
                )
                .group_by(EventRow.case_id)
                .having(func.count() > 1)
            )
            references = session.scalars(
                select(CaseRow.reference)
                .where(
                    or_(
                        CaseRow.id.in_(in_year),
                        CaseRow.id.in_(restarted),
                        open_case_filter(year.start),
                    )
                )
                .order_by(CaseRow.reference)
            ).all()
            cases = _load(session, list(references))
        result = build_census(cases, reference_date, settings)
        log.info(
            "census built: %s records, %s to write, %s errors, %s queries",
            len(result.records),
            len(result.written),
            len(result.errors),
            len(result.queries),
        )
        return result

    def census_findings(self, reference_date: dt.date) -> tuple[Finding, ...]:
        """The findings alone, for the manager view's list."""
        return self.census(reference_date).findings

    def census_bytes(
        self,
        reference_date: dt.date,
        *,
        serial_no: int = 1,
        generated_at: dt.datetime | None = None,
    ) -> tuple[CensusReturn, bytes]:
        """The census and its XML; refuses (PloError) until the council settings are set."""
        check_arg("Serial number", serial_no, int)
        if not 0 <= serial_no <= 999_999:
            raise ValidationError("Serial number: a whole number from 0 to 999999.")
        if generated_at is not None and not isinstance(generated_at, dt.datetime):
            raise ValidationError("Generated at: must be a date and time.")
        result = self.census(reference_date)
        if result.setup_problems:
            raise PloError("The census file was not written. " + " ".join(result.setup_problems))
        assert result.settings.la_code is not None
        header = CensusHeader(
            reference_date=reference_date,
            la_code=result.settings.la_code,
            serial_no=serial_no,
            generated_at=generated_at or clock.now().replace(microsecond=0),
        )
        return result, census_xml(header, result.written)

    def write_census(
        self,
        path: Path,
        reference_date: dt.date,
        *,
        serial_no: int = 1,
        generated_at: dt.datetime | None = None,
    ) -> CensusFile:
        """Write the census XML (the records without errors) owner-only; audited."""
        self.actor.require(Permission.VIEW_REPORTS)
        self.actor.require(Permission.EXPORT_CASES)
        moment = generated_at or clock.now().replace(microsecond=0)
        result, data = self.census_bytes(reference_date, serial_no=serial_no, generated_at=moment)
        write_private_file(path, data)
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="export",
                entity="cin_census",
                changes={
                    "reference_date": reference_date.isoformat(),
                    "records": len(result.written),
                    "children": result.children_written,
                    "left_out": result.records_blocked,
                    "file": path.name,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
        log.info(
            "census written: %s records for %s children",
            len(result.written),
            result.children_written,
        )
        return CensusFile(
            path=path,
            census=result,
            records=len(result.written),
            children=result.children_written,
            serial_no=serial_no,
            generated_at=moment,
        )

    # -- merging into the council's own return -------------------------------------------
    def census_merge(
        self,
        return_path: Path,
        reference_date: dt.date,
        progress: Callable[[int, int], None] | None = None,
    ) -> CensusMerge:
        """The census merged into the council's return (read from ``return_path``).

        Nothing is written: the result holds the merged bytes, where each record went and
        the findings (the rules' and the merge's).  Works before the council settings are
        set (to see the findings); writing needs them (``write_merged_census``).
        """
        from plo_tracker.reports.census_merge import merge_into
        from plo_tracker.reports.census_return import read_return

        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("Council's return", return_path, Path)
        step = progress or (lambda _done, _total: None)
        step(0, MERGE_STEPS)
        data = _read_return_file(return_path)
        council = read_return(data)
        step(1, MERGE_STEPS)
        census = self.census(reference_date)
        step(2, MERGE_STEPS)
        merge = merge_into(council, census)
        step(MERGE_STEPS, MERGE_STEPS)
        log.info(
            "census merged: %s children in the return, %s placed, %s kept out",
            merge.children_in_return,
            len(merge.placements),
            merge.kept_out,
        )
        return merge

    def write_merged_census(
        self,
        return_path: Path,
        out_path: Path,
        reference_date: dt.date,
        progress: Callable[[int, int], None] | None = None,
    ) -> MergedCensusFile:
        """Write the council's return with the blocks placed in it, to a new file (audited)."""
        self.actor.require(Permission.VIEW_REPORTS)
        self.actor.require(Permission.EXPORT_CASES)
        check_arg("Merged file", out_path, Path)
        source, target = return_path.expanduser(), out_path.expanduser()
        if target.exists() and source.exists() and target.resolve() == source.resolve():
            raise PloError(
                "Write the merged return to a new file: PLO Tracker does not overwrite the "
                "council's own return."
            )
        merge = self.census_merge(return_path, reference_date, progress)
        if merge.census.setup_problems:
            raise PloError(
                "The merged return was not written. " + " ".join(merge.census.setup_problems)
            )
        write_private_file(target, merge.data)
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="export",
                entity="cin_census",
                changes={
                    "reference_date": reference_date.isoformat(),
                    "merged_into": source.name,
                    "children_in_return": merge.children_in_return,
                    "records": len(merge.placements),
                    "children": merge.children_placed,
                    "left_out": merge.kept_out,
                    "file": target.name,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
        log.info("merged census written: %s records placed", len(merge.placements))
        return MergedCensusFile(path=target, merge=merge)

    def write_census_findings(
        self, path: Path, findings: Sequence[Finding], reference_date: dt.date
    ) -> int:
        """Every finding as a CSV file for staff to work through (owner-only; audited)."""
        from plo_tracker.reports.census_fix import FINDINGS_FILE_HEADERS, findings_file_rows

        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("Findings file", path, Path)
        rows = findings_file_rows(findings)
        write_private_file(path, spreadsheet_csv(FINDINGS_FILE_HEADERS, rows))
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="export",
                entity="cin_census_findings",
                changes={
                    "reference_date": reference_date.isoformat(),
                    "findings": len(rows),
                    "file": path.name,
                },
            )
        log.info("census findings written: %s", len(rows))
        return len(rows)
