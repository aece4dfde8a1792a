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
import stat
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
from plo_tracker.domain.dates import short_date
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
from plo_tracker.reports.cp_plan_figures import with_cp_plans
from plo_tracker.reports.export import FIGURE_HEADERS, csv_bytes, figure_rows, xlsx_bytes
from plo_tracker.reports.timeliness import CaseTimeliness, TimelinessReport, timeliness_report
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.census_files import (
    Named,
    OutputFile,
    check_outputs,
    check_return_file,
    write_all,
)
from plo_tracker.services.exchange_service import write_private_file
from plo_tracker.services.open_cases import open_case_filter
from plo_tracker.services.records import load_histories
from plo_tracker.services.settings import (
    SettingsService,
    get_setting,
    load_calendar,
    load_policy,
)
from plo_tracker.services.watch import load_plans
from plo_tracker.spreadsheets import csv_bytes as spreadsheet_csv
from plo_tracker.validation import check_arg, shown

if TYPE_CHECKING:
    from plo_tracker.reports.census_merge import CensusMerge

CHUNK = 500
MERGE_STEPS = 100  # progress: the census to 10, reading the return to 95, placing to 100
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
    findings: int | None = None  # findings written to ``findings_path``, if asked
    findings_path: Path | None = None


@dataclass(frozen=True, slots=True)
class MergedCensusFile:
    """What ``write_merged_census`` wrote."""

    path: Path
    merge: CensusMerge
    findings: int | None = None  # findings written to ``findings_path``, if asked
    findings_path: Path | None = None


# The files the census commands read and write, as the user is told about them.
RETURN_LABEL = "the council's return"
MERGED_LABEL = "the merged return"
CENSUS_LABEL = "the census file"
FINDINGS_LABEL = "the findings file"
DATABASE_LABEL = "the PLO Tracker database"


def _findings_output(path: Path, findings: Sequence[Finding]) -> tuple[OutputFile, int]:
    from plo_tracker.reports.census_fix import FINDINGS_FILE_HEADERS, findings_file_rows

    rows = findings_file_rows(findings)
    data = spreadsheet_csv(FINDINGS_FILE_HEADERS, rows)
    return OutputFile(FINDINGS_LABEL, path, lambda write: write(data)), len(rows)


def _findings_entry(path: Path, count: int, reference_date: dt.date) -> dict[str, object]:
    return {"reference_date": reference_date.isoformat(), "findings": count, "file": path.name}


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
                f"The range ends ({short_date(date_to)}) before it starts "
                f"({short_date(date_from)}); give the earlier date first."
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
            plans = load_plans(session)
        report = timeliness_report(cases, policy, calendar, date_from, date_to, today())
        if plans:  # the CP plans of the council's CIN return, once imported
            report = with_cp_plans(report, cases, plans)
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
                f"Case {shown(reference, 70)} did not start between {short_date(date_from)} and "
                f"{short_date(date_to)}, so it is not in this report."
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
        # An export is audited; no list on screen changes, so no screen is told.
        with self.db.write(self.actor.username, notify=False) as session:
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

    def check_census_paths(
        self,
        *,
        out: Path | None = None,
        findings: Path | None = None,
        merge_into: Path | None = None,
    ) -> None:
        """Refuse (PloError, nothing written) outputs that cannot or must not be written:
        a folder, a missing folder, the council's return, the database, each other, or a
        link to any of them.  The write methods check again; this lets a command refuse
        before the work of merging."""
        outputs = []
        if out is not None:
            outputs.append(Named(MERGED_LABEL if merge_into else CENSUS_LABEL, out))
        if findings is not None:
            outputs.append(Named(FINDINGS_LABEL, findings))
        check_outputs(outputs, self._inputs(merge_into))

    def _audit(self, entries: Sequence[tuple[str, dict[str, object]]]) -> Callable[[], None]:
        """Audit rows for files written (``write_all`` runs it once the files are in place)."""

        def audit() -> None:  # files written: no list on screen changes
            with self.db.write(self.actor.username, notify=False) as session:
                for entity, changes in entries:
                    write_entry(session, action="export", entity=entity, changes=changes)

        return audit

    def _inputs(self, merge_into: Path | None) -> list[Named]:
        inputs = [] if merge_into is None else [Named(RETURN_LABEL, merge_into)]
        database = self.db.sqlite_path
        if database is not None:
            inputs.append(Named(DATABASE_LABEL, database))
        return inputs

    def write_census(
        self,
        path: Path,
        reference_date: dt.date,
        *,
        serial_no: int = 1,
        generated_at: dt.datetime | None = None,
        findings_path: Path | None = None,
    ) -> CensusFile:
        """Write the census XML (the records without errors) owner-only, and the findings
        file if asked; both or neither (audited)."""
        self.actor.require(Permission.VIEW_REPORTS)
        self.actor.require(Permission.EXPORT_CASES)
        check_arg("Census file", path, Path)
        self.check_census_paths(out=path, findings=findings_path)
        moment = generated_at or clock.now().replace(microsecond=0)
        result, data = self.census_bytes(reference_date, serial_no=serial_no, generated_at=moment)
        outputs = [OutputFile(CENSUS_LABEL, path, lambda write: write(data))]
        count: int | None = None
        if findings_path is not None:
            output, count = _findings_output(findings_path, result.findings)
            outputs.append(output)

        entries: list[tuple[str, dict[str, object]]] = [
            (
                "cin_census",
                {
                    "reference_date": reference_date.isoformat(),
                    "records": len(result.written),
                    "children": result.children_written,
                    "left_out": result.records_blocked,
                    "file": path.name,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
        ]
        if findings_path is not None and count is not None:
            entries.append(
                ("cin_census_findings", _findings_entry(findings_path, count, reference_date))
            )
        write_all(outputs, self._audit(entries))
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
            findings=count,
            findings_path=findings_path,
        )

    # -- merging into the council's own return -------------------------------------------
    def census_merge(
        self,
        return_path: Path,
        reference_date: dt.date,
        progress: Callable[[int, int], None] | None = None,
    ) -> CensusMerge:
        """The census merged into the council's return (read from ``return_path``).

        Nothing is written: the result holds where each record goes, the findings (the
        rules' and the merge's) and how to write the merged return (``write_to``).  The
        return is read as a stream, once, keeping only the children the census names.
        Works before the council settings are set (to see the findings); writing needs
        them (``write_merged_census``).
        """
        from plo_tracker.reports.census_merge import merge_into, wanted_for
        from plo_tracker.reports.census_return import read_return

        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("Council's return", return_path, Path)
        step = progress or (lambda _done, _total: None)
        step(0, MERGE_STEPS)
        source = check_return_file(return_path)
        census = self.census(reference_date)
        step(10, MERGE_STEPS)

        def reading(done: int, total: int) -> None:
            step(10 + (85 * done) // max(total, 1), MERGE_STEPS)

        council = read_return(
            source,
            wanted_for(census),
            reference_date=census.reference_date,
            la_code=census.settings.la_code,
            progress=reading,
        )
        merge = merge_into(council, census)
        step(MERGE_STEPS, MERGE_STEPS)
        log.info(
            "census merged: %s children in the return, %s placed, %s already there, %s kept out",
            merge.children_in_return,
            len(merge.placements),
            merge.already_there,
            merge.kept_out,
        )
        return merge

    def write_merged_census(
        self,
        return_path: Path,
        out_path: Path,
        reference_date: dt.date,
        progress: Callable[[int, int], None] | None = None,
        *,
        findings_path: Path | None = None,
    ) -> MergedCensusFile:
        """Write the council's return with the blocks placed in it to a new file, with the
        council's file's permissions, and the findings file if asked: every path is checked
        first, and both files are written or neither (audited)."""
        self.actor.require(Permission.VIEW_REPORTS)
        self.actor.require(Permission.EXPORT_CASES)
        check_arg("Merged file", out_path, Path)
        self.check_census_paths(out=out_path, findings=findings_path, merge_into=return_path)
        source = check_return_file(return_path)
        merge = self.census_merge(source, reference_date, progress)
        if merge.census.setup_problems:
            raise PloError(
                "The merged return was not written. " + " ".join(merge.census.setup_problems)
            )
        mode = stat.S_IMODE(source.stat().st_mode)
        outputs = [OutputFile(MERGED_LABEL, out_path, merge.write_to, mode=mode)]
        count: int | None = None
        if findings_path is not None:
            output, count = _findings_output(findings_path, merge.all_findings)
            outputs.append(output)

        entries: list[tuple[str, dict[str, object]]] = [
            (
                "cin_census",
                {
                    "reference_date": reference_date.isoformat(),
                    "merged_into": source.name,
                    "children_in_return": merge.children_in_return,
                    "records": len(merge.placements),
                    "already_in_return": merge.already_there,
                    "children": merge.children_placed,
                    "left_out": merge.kept_out,
                    "file": out_path.name,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
        ]
        if findings_path is not None and count is not None:
            entries.append(
                ("cin_census_findings", _findings_entry(findings_path, count, reference_date))
            )
        write_all(outputs, self._audit(entries))
        log.info("merged census written: %s records placed", len(merge.placements))
        return MergedCensusFile(
            path=out_path, merge=merge, findings=count, findings_path=findings_path
        )

    def write_census_findings(
        self,
        path: Path,
        findings: Sequence[Finding],
        reference_date: dt.date,
        *,
        merge_into: Path | None = None,
    ) -> int:
        """Every finding as a CSV file for staff to work through (owner-only; audited).

        ``merge_into``: the council's return the findings came from, never to be written over.
        """
        self.actor.require(Permission.VIEW_REPORTS)
        check_arg("Findings file", path, Path)
        self.check_census_paths(findings=path, merge_into=merge_into)
        output, count = _findings_output(path, findings)

        entry = ("cin_census_findings", _findings_entry(path, count, reference_date))
        write_all([output], self._audit([entry]))
        log.info("census findings written: %s", count)
        return count
