"""Performance data: the timeliness report, the CIN census return and its settings."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from plo_tracker.cli.common import (
    EXIT_BUG,
    EXIT_ERROR,
    EXIT_OK,
    csv_text,
    date_argument,
    positive_int,
    print_table,
    utf8_stdout,
)
from plo_tracker.domain.dates import short_date
from plo_tracker.errors import PloError
from plo_tracker.reports.census import OUTCOME_KEYS, OUTCOME_LABELS

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.reports.census import CensusReturn
    from plo_tracker.reports.timeliness import Figure, GroupReport, TimelinessReport

# The report modules are imported by the handlers that use them: parsing loads none.

if TYPE_CHECKING:
    from plo_tracker.reports.census import Finding
    from plo_tracker.reports.census_merge import CensusMerge

# Written, but findings keep records out of the file (documented in docs/reports.md).
EXIT_CENSUS_FINDINGS = 4


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report", help="performance reports (timeliness) and the SSD pre-proceedings extract"
    )
    kinds = p.add_subparsers(dest="report_kind", metavar="REPORT", required=True)
    t = kinds.add_parser(
        "timeliness",
        help="how promptly letters, meetings, reviews and FGCs happened, by team and worker",
        description="The cases started between the two dates (both included), followed up to "
        "the end date (or today, if earlier). Each figure has its count, what it is out of, "
        "the percentage and the cases behind it.",
    )
    t.add_argument("--from", dest="date_from", type=date_argument, required=True, metavar="DATE")
    t.add_argument("--to", dest="date_to", type=date_argument, required=True, metavar="DATE")
    t.add_argument("--format", choices=("table", "json", "csv", "xlsx"), default="table")
    t.add_argument("--out", type=Path, metavar="FILE", help="write to this file (needed for xlsx)")
    t.add_argument(
        "--cases",
        action="store_true",
        help="table: list the cases behind every figure (default: only the cases that missed)",
    )
    who = t.add_mutually_exclusive_group()
    who.add_argument("--team", help="only this team's figures (table or json)")
    who.add_argument(
        "--worker", metavar="NAME", help="only this social worker's figures (table or json)"
    )
    t.set_defaults(handler=cmd_timeliness)

    q = kinds.add_parser(
        "ssd",
        help="the Standard Safeguarding Dataset's pre-proceedings extract (ssd_pre_proceedings)",
        description="One row per child per pre-proceedings period open at any time in the "
        "range (every period without a range), in the SSD's field names and order, dates "
        "DD/MM/YYYY and codes as its guidance lists them. Items the record cannot give are "
        "blank, never guessed; the summary counts them with the reason.",
    )
    q.add_argument("--out", type=Path, metavar="FILE", required=True, help="the file to write")
    q.add_argument("--from", dest="date_from", type=date_argument, metavar="DATE")
    q.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE")
    q.add_argument("--format", choices=("csv", "xlsx"), help="default: from the file name's ending")
    q.set_defaults(handler=cmd_ssd)

    p = subparsers.add_parser(
        "census",
        help="write the CIN census pre-proceedings and FGDM module (XML), after checking "
        "every rule, on its own or merged into the council's return",
        description="Checks every record against the CIN census rules, lists the findings "
        "and writes the records without errors: on their own (--out FILE.xml), or placed in "
        "the right CIN episode of the council's own return (--merge-into RETURN.xml --out "
        f"MERGED.xml). Exit codes: {EXIT_OK} done, every record in the file; "
        f"{EXIT_CENSUS_FINDINGS} done, but findings keep records out of the file (or would, "
        f"with --check; --allow-findings makes this {EXIT_OK}); {EXIT_ERROR} nothing written "
        f"(the message says why); 2 wrong arguments; {EXIT_BUG} an unexpected error. The "
        "last line printed is the summary.",
    )
    p.add_argument(
        "--reference-date",
        type=date_argument,
        required=True,
        metavar="DATE",
        help="the census reference date, 31 March (e.g. 2027-03-31)",
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="the XML file to write")
    p.add_argument("--check", action="store_true", help="only list the findings; write no file")
    p.add_argument(
        "--merge-into",
        type=Path,
        metavar="RETURN",
        help="the council's full CIN census return (XML from its case management system): "
        "--out then writes that return with each block placed in the child's CIN episode",
    )
    p.add_argument(
        "--findings",
        type=Path,
        metavar="FILE.csv",
        help="also write every finding to this CSV file, for staff to work through",
    )
    p.add_argument(
        "--allow-findings",
        action="store_true",
        help=f"exit {EXIT_OK} even when findings keep records out of the file "
        f"(default: exit {EXIT_CENSUS_FINDINGS})",
    )
    p.add_argument(
        "--serial-no",
        type=positive_int,
        default=1,
        metavar="N",
        help="the header's SerialNo (default 1; with --merge-into the return keeps its own header)",
    )
    p.add_argument(
        "--format",
        choices=("table", "json", "csv"),
        default="table",
        help="how to print the findings",
    )
    p.set_defaults(handler=cmd_census)

    p = subparsers.add_parser(
        "census-settings", help="show or set the council's CIN census settings"
    )
    actions = p.add_subparsers(dest="census_action", metavar="ACTION")
    actions.add_parser("show", help="show the settings (the default)")
    s = actions.add_parser(
        "set-outcome",
        help="set the PPOutcome code (A, B or C, from the DfE's census guide) of an outcome",
    )
    s.add_argument("outcome", choices=OUTCOME_KEYS)
    s.add_argument("code", choices=("A", "B", "C"), type=str.upper)
    s = actions.add_parser("set-la-code", help="set the council's 3-digit LA code (LEA)")
    s.add_argument("code")
    p.set_defaults(handler=cmd_census_settings)


# -- report timeliness ---------------------------------------------------------------------


def _cases_text(figure: Figure, everything: bool) -> str:
    from plo_tracker.reports.timeliness import RATE

    shortfall = f"{figure.shortfall_label}: " + " ".join(figure.shortfall)
    if not everything:
        return shortfall if figure.kind == RATE and figure.shortfall else ""
    if figure.kind != RATE:
        return " ".join(figure.cases)
    parts = []
    if figure.cases:
        parts.append("met: " + " ".join(figure.cases))
    if figure.shortfall:
        parts.append(shortfall)
    if figure.excluded:
        parts.append("not counted: " + " ".join(figure.excluded))
    return "; ".join(parts)


def _print_group(group: GroupReport, out: TextIO, everything: bool) -> None:
    rows: list[list[Any]] = []
    for figure in group.figures:
        label = figure.label if figure.unit == "cases" else f"{figure.label} ({figure.unit})"
        rows.append(
            [
                label,
                figure.count,
                figure.denominator,
                figure.percentage_text(),
                _cases_text(figure, everything),
            ]
        )
    print_table(["Measure", "Count", "Out of", "%", "Cases"], rows, out)
    print(file=out)
    durations = []
    for duration in group.durations:
        durations.append(
            [
                duration.label,
                duration.count,
                "–" if duration.median_weeks is None else duration.median_weeks,
                "–" if duration.longest_weeks is None else duration.longest_weeks,
                duration.longest_case or "",
                "" if duration.shortest_weeks is None else duration.shortest_weeks,
            ]
        )
    print_table(
        ["Length (weeks)", "Cases", "Median", "Longest", "Longest case", "Shortest"],
        durations,
        out,
        wrap_last=False,
    )


def print_report(report: TimelinessReport, out: TextIO, everything: bool = False) -> None:
    from plo_tracker.reports.export import MATRIX_HEADERS, matrix_rows

    policy = report.policy
    print(
        f"Timeliness of pre-proceedings: cases started {short_date(report.date_from)} to "
        f"{short_date(report.date_to)}, events up to {short_date(report.as_of)}.",
        file=out,
    )
    print(
        f"Timescales: letter within {policy.letter_due_working_days} working days of the start; "
        f"first meeting within {policy.first_meeting_working_days} working days of the first "
        f"letter; reviews within {policy.review_weeks} weeks of the previous meeting.\n",
        file=out,
    )
    if not report.cases:
        print("No case started in this range.", file=out)
        return
    print("All teams", file=out)
    _print_group(report.council, out, everything)
    for title, groups in (("By team", report.teams), ("By social worker", report.workers)):
        print(f"\n{title}", file=out)
        print_table(MATRIX_HEADERS, matrix_rows(groups), out, wrap_last=False)
    print(
        "\nEach cell: count/out of (percentage). Cases whose step was not yet due at the end "
        "of the range are not counted. Use --format json, csv or xlsx for the "
        "cases behind every figure and the per-case detail.",
        file=out,
    )


def cmd_timeliness(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.reports.export import FIGURE_HEADERS, figure_rows

    if args.format == "xlsx" and args.out is None:
        raise PloError("An Excel report needs a file: add --out FILE.xlsx.")
    if args.format == "table" and args.out is not None:
        raise PloError("--out writes a file: choose --format csv, json or xlsx with it.")
    if (args.team or args.worker) and (
        args.out is not None or args.format not in ("table", "json")
    ):
        raise PloError(
            "--team and --worker print one group's figures as a table or JSON; for a file of "
            "the whole report leave them out."
        )
    # A mistyped team or name is an error, not a report with nothing in it.
    ctx.lookup.require_team(args.team)
    ctx.lookup.require_worker(args.worker)
    report = ctx.reports.timeliness(args.date_from, args.date_to)
    if args.team or args.worker:
        return _print_one_group(report, args, utf8_stdout())
    if args.out is not None:
        count = ctx.reports.export_timeliness(report, args.out, args.format)
        print(f"Wrote the timeliness report ({count} cases) to {args.out}.")
        return EXIT_OK
    out = utf8_stdout()
    if args.format == "json":
        out.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        out.write(csv_text(FIGURE_HEADERS, figure_rows(report)))
    else:
        print_report(report, out, args.cases)
    return EXIT_OK


def cmd_ssd(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.services.ssd import SsdService

    service = SsdService(ctx.db, ctx.actor)
    kind = (args.format or args.out.suffix.lstrip(".")).lower()
    if kind not in ("csv", "xlsx"):
        raise PloError(
            "Choose --format csv or xlsx, or a file name ending .csv or .xlsx "
            f"(not '{args.out.name[:60]}')."
        )
    extract = service.extract(args.date_from, args.date_to)
    count = service.write(extract, args.out, kind, args.date_from, args.date_to)
    out = utf8_stdout()
    where = (
        f" open between {args.date_from or 'the start'} and {args.date_to or 'today'}"
        if args.date_from or args.date_to
        else ""
    )
    print(
        f"Wrote the SSD pre-proceedings extract to {args.out}: {count} row(s), one per child "
        f"per pre-proceedings period{where}.",
        file=out,
    )
    lines = extract.summary()
    if lines:
        print("Blank items (the record cannot give them):", file=out)
        for line in lines:
            print(f"  {line}", file=out)
    return EXIT_OK


def _print_one_group(report: TimelinessReport, args: argparse.Namespace, out: TextIO) -> int:
    kind, name, groups = (
        ("team", args.team, report.teams)
        if args.team
        else ("social worker", args.worker, report.workers)
    )
    group = next((g for g in groups if g.name == name), None)
    if args.format == "json":
        document = {
            "from": report.date_from.isoformat(),
            "to": report.date_to.isoformat(),
            "as_of": report.as_of.isoformat(),
            kind.replace("social ", ""): name,
            "figures": group.to_json() if group is not None else None,
        }
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    print(
        f"Timeliness of pre-proceedings for {kind} {name}: cases started "
        f"{short_date(report.date_from)} to {short_date(report.date_to)}, events up to "
        f"{short_date(report.as_of)}.\n",
        file=out,
    )
    if group is None:
        print(f"None of the {kind}'s cases started in this range.", file=out)
        return EXIT_OK
    _print_group(group, out, args.cases)
    return EXIT_OK


# -- census ----------------------------------------------------------------------------------


def _print_table(findings: Sequence[Finding], census: CensusReturn, out: TextIO) -> None:
    year = census.year
    print(
        f"CIN census {year.end.year - 1} to {year.end.year}: reporting year "
        f"{short_date(year.start)} to {short_date(year.end)}.",
        file=out,
    )
    if findings:
        rows = [
            [f.case or "(return)", f.child_label(), f.rule, f.severity, f.message] for f in findings
        ]
        print_table(["Case", "Child", "Rule", "Severity", "What to correct"], rows, out)
    else:
        print("No findings: every record passes every rule.", file=out)
    print(
        f"\n{len(census.records)} record(s) checked; {len(census.errors)} error(s) keep "
        f"{census.records_blocked} record(s) out of the file; {len(census.queries)} "
        f"query(ies) are reported but do not stop a record. {len(census.written)} record(s) "
        f"for {census.children_written} child(ren) pass the rules.",
        file=out,
    )


def _print_findings(census: CensusReturn, merge: CensusMerge | None, fmt: str, out: TextIO) -> None:
    from plo_tracker.reports.export import FINDING_HEADERS

    findings = merge.all_findings if merge is not None else census.findings
    if fmt == "json":
        data = merge.to_json() if merge is not None else census.to_json()
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt == "csv":
        rows = [
            [f.case or "", f.child_label(), f.rule, f.severity, f.element or "", f.message]
            for f in findings
        ]
        out.write(csv_text(FINDING_HEADERS, rows))
        return
    _print_table(findings, census, out)
    if merge is not None:
        print(
            f"The council's return holds {merge.children_in_return} child(ren) with "
            f"{merge.episodes_in_return} CIN episode(s); {len(merge.placements)} block(s) "
            f"placed, {merge.already_there} already there, {merge.not_placed} could not be "
            "placed.",
            file=out,
        )
    for problem in census.setup_problems:
        print(f"\nBefore a file can be written: {problem}", file=out)


def _summary(
    census: CensusReturn,
    merge: CensusMerge | None,
    written: Path | None,
    exit_code: int,
) -> str:
    if merge is not None:
        kept_out, not_placed = merge.kept_out, merge.not_placed
        blocks = (
            f"{merge.blocks_in_file} block(s) for {merge.children_in_file} of the return's "
            f"{merge.children_in_return} child(ren)"
        )
        done = (
            f"Merged {blocks} into {written} ({len(merge.placements)} added, "
            f"{merge.already_there} already in the return)"
            if written
            else f"Check only, nothing written: {blocks} would be in the file "
            f"({len(merge.placements)} to add, {merge.already_there} already in the return)"
        )
        why = f"{census.records_blocked} by the census rules, {not_placed} not placed"
        queries = sum(1 for f in merge.all_findings if not f.blocks)
    else:
        kept_out = census.records_blocked
        done = (
            f"Wrote {len(census.written)} record(s) for {census.children_written} child(ren) "
            f"to {written}"
            if written
            else f"Check only, nothing written: {len(census.written)} record(s) for "
            f"{census.children_written} child(ren) pass the rules"
        )
        why = "by the census rules"
        queries = len(census.queries)
    text = f"Summary: {done}; {kept_out} record(s) kept out ({why}); {queries} query(ies)"
    if exit_code == EXIT_CENSUS_FINDINGS:
        text += (
            f". Exit code {EXIT_CENSUS_FINDINGS}: records kept out (add --allow-findings to "
            "accept them)"
        )
    return text + "."


def cmd_census(ctx: AppContext, args: argparse.Namespace) -> int:
    if args.out is None and not args.check:
        raise PloError(
            "Give --out FILE.xml to write the census (with --merge-into RETURN.xml to merge "
            "it into the council's return), or --check to list the findings only."
        )
    if args.out is not None and args.check:
        raise PloError("--check writes no file: give either --out or --check.")
    date = args.reference_date
    reports = ctx.reports
    # Every path is checked before any work: one that is wrong means nothing is written.
    reports.check_census_paths(out=args.out, findings=args.findings, merge_into=args.merge_into)
    merge: CensusMerge | None = None
    count: int | None = None
    if args.merge_into is not None:
        if args.check:
            merge = reports.census_merge(args.merge_into, date)
            if args.findings is not None:
                count = reports.write_census_findings(
                    args.findings, merge.all_findings, date, merge_into=args.merge_into
                )
        else:
            merged = reports.write_merged_census(
                args.merge_into, args.out, date, findings_path=args.findings
            )
            merge, count = merged.merge, merged.findings
        census = merge.census
    elif args.check:
        census = reports.census(date)
        if args.findings is not None:
            count = reports.write_census_findings(args.findings, census.findings, date)
    else:
        written = reports.write_census(
            args.out, date, serial_no=args.serial_no, findings_path=args.findings
        )
        census, count = written.census, written.findings
    kept_out = merge.kept_out if merge is not None else census.records_blocked
    exit_code = EXIT_CENSUS_FINDINGS if kept_out and not args.allow_findings else EXIT_OK
    out = utf8_stdout()
    _print_findings(census, merge, args.format, out)
    if args.findings is not None:
        note = f"Wrote {count} finding(s) to {args.findings} (readable only by you)."
        print(note, file=out if args.format == "table" else sys.stderr)
    summary = _summary(census, merge, None if args.check else args.out, exit_code)
    if args.format == "table":
        print(f"\n{summary}", file=out)
    else:  # the findings on standard output stay machine-readable
        out.flush()
        print(summary, file=sys.stderr)
    return exit_code


# -- census settings -------------------------------------------------------------------------


def cmd_census_settings(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.reports.census_rules import RULES

    action = args.census_action
    if action == "set-outcome":
        ctx.reports.set_census_outcome(args.outcome, args.code)
        print(f"PPOutcome for '{OUTCOME_LABELS[args.outcome]}' is now {args.code}.")
        return EXIT_OK
    if action == "set-la-code":
        settings = ctx.reports.set_census_la_code(args.code)
        print(f"The LA code (LEA) is now {settings.la_code}.")
        return EXIT_OK
    settings = ctx.reports.census_settings()
    print(f"LA code (LEA): {settings.la_code or 'not set'}\n")
    print_table(
        ["Outcome", "Meaning", "PPOutcome"],
        [[key, OUTCOME_LABELS[key], settings.code_for(key) or "not set"] for key in OUTCOME_KEYS],
        wrap_last=False,
    )
    for problem in settings.problems():
        print(f"\n{problem}")
    print(f"\nRules checked before writing: {', '.join(RULES)}.")
    return EXIT_OK
