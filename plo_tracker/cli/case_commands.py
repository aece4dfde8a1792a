"""Commands over cases: import, export, flags, policy, migrate, demo-data."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plo_tracker import config
from plo_tracker.cli.common import (
    EXIT_OK,
    ProgressBar,
    csv_text,
    date_argument,
    positive_int,
    print_table,
    utf8_stdout,
)
from plo_tracker.demo import MAX_CASES as DEMO_MAX
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.policy import DATE_SETTINGS_BY_KEY
from plo_tracker.errors import PloError
from plo_tracker.permissions import Permission

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

# Each handler imports the services it uses: parsing a command line loads none of them.


def demo_count(text: str) -> int:
    value = positive_int(text)
    if value > DEMO_MAX:
        raise argparse.ArgumentTypeError(f"demo data holds at most {DEMO_MAX:,} cases")
    return value


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import",
        help="import cases from an exchange-format JSON file",
        description="Every case is checked before anything is written; then all are written "
        "in one go (all or nothing). A case already as the file has it is left alone. An "
        "import that would remove records the database holds is refused unless --replace. "
        "The teams and staff the cases name must be this database's teams and users "
        "(see --create-missing).",
    )
    p.add_argument("file", type=Path)
    p.add_argument(
        "--replace",
        action="store_true",
        help="let the file replace cases even where that removes records (events, parties, "
        "plan actions...) that are in the database but not in the file",
    )
    p.add_argument(
        "--create-missing",
        action="store_true",
        help="add the teams and people the file names that this database does not have, "
        "as 'not yet registered' for an administrator to confirm (without it they are "
        "refused, unless no team is registered yet, as in a new database)",
    )
    p.set_defaults(handler=cmd_import, creates=True)

    p = subparsers.add_parser("export", help="export cases to an exchange-format JSON file")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--case",
        dest="cases",
        action="append",
        metavar="REF",
        help="export only this case (repeatable)",
    )
    p.set_defaults(handler=cmd_export)

    p = subparsers.add_parser("flags", help="list the cases drifting past their timescales")
    p.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="evaluate as of this date (default today); later events are ignored",
    )
    p.add_argument("--team", help="only this team's cases")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.set_defaults(handler=cmd_flags)

    p = subparsers.add_parser("policy", help="show or change the timescale policy")
    actions = p.add_subparsers(dest="policy_action", metavar="ACTION")
    s = actions.add_parser(
        "set",
        help="change one timescale (a whole number) or policy date (YYYY-MM-DD, e.g. "
        "fgdm_duty_from)",
    )
    s.add_argument("key")
    s.add_argument("value")
    s = actions.add_parser(
        "reset", help="put one timescale back to its default, or unset a policy date"
    )
    s.add_argument("key")
    actions.add_parser("closures", help="list the council's closure days")
    s = actions.add_parser("add-closure", help="add a closure day")
    s.add_argument("day", type=date_argument)
    s.add_argument("--description", default="")
    s = actions.add_parser("remove-closure", help="remove a closure day")
    s.add_argument("day", type=date_argument)
    p.set_defaults(handler=cmd_policy)

    p = subparsers.add_parser("migrate", help="bring the database's structure up to date")
    p.add_argument("--status", action="store_true", help="only show the schema version")
    p.add_argument(
        "--sql",
        action="store_true",
        help="print the SQL the upgrade runs, recorded in a transaction that is rolled "
        "back: changes nothing (PostgreSQL, the owner's login)",
    )
    p.set_defaults(handler=cmd_migrate, needs_app=False, creates=True)

    p = subparsers.add_parser("demo-data", help="fill a new database with fictional demo cases")
    p.add_argument(
        "--cases",
        type=demo_count,
        default=60,
        metavar="N",
        help=f"how many fictional cases (default 60, at most {DEMO_MAX:,})",
    )
    p.add_argument("--seed", type=int, default=2024)
    p.set_defaults(handler=cmd_demo_data, creates=True)


def cmd_import(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.actor.require(Permission.IMPORT_CASES)
    result = ctx.exchange.import_file(
        args.file,
        progress=ProgressBar("Importing"),
        replace=args.replace,
        checking=ProgressBar("Checking"),
        create_missing=args.create_missing,
    )
    print(f"Imported {args.file.name}: {result.describe()}")
    for warning in result.warnings:
        print(f"Warning: {warning}")
    return EXIT_OK


def cmd_export(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.lookup.require_cases(args.cases)
    count = ctx.exchange.export_file(args.file, args.cases)
    print(f"Exported {count} case(s) to {args.file}.")
    return EXIT_OK


def cmd_flags(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.services.base import today

    as_of = args.as_of or today()
    ctx.lookup.require_team(args.team)  # a mistyped team is an error, not an all-clear
    # With what was looked at: an empty list must say why, never read as a false all-clear.
    flagged, coverage = ctx.flags.flagged_with_coverage(as_of, args.team)
    out = utf8_stdout()
    if args.format in ("json", "csv") and coverage.cases == 0:
        # The output keeps its contract (an empty list); the note goes to stderr.
        print("Note: " + coverage.nothing_found(long_date(as_of), args.team), file=sys.stderr)
    if args.format == "json":
        document = {"as_of": as_of.isoformat(), "flags": [f.flag.to_json() for f in flagged]}
        out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    headers = ["Case", "Rule", "Severity", "Due", "Reviewed", "Message"]
    rows = []
    for item in flagged:
        flag = item.flag
        reviewed = ""
        if flag.reviewed is not None:
            reviewed = f"{flag.reviewed.by} {flag.reviewed.on.isoformat()}"
            if flag.reviewed.until:
                reviewed += f" until {flag.reviewed.until.isoformat()}"
        rows.append(
            [flag.case, flag.rule, flag.severity, flag.due.isoformat(), reviewed, flag.message]
        )
    if args.format == "csv":
        out.write(csv_text(headers, rows))
        return EXIT_OK
    if not rows:
        print(coverage.nothing_found(long_date(as_of), args.team))
        return EXIT_OK
    overdue = sum(1 for f in flagged if f.flag.severity == "overdue")
    print_table(headers, rows, out)
    cases = len({f.flag.case for f in flagged})
    print(
        f"\n{len(rows)} flag(s) on {cases} of the {coverage.open} open case(s)"
        f"{coverage.where(args.team)} as of {long_date(as_of)}: {overdue} overdue, "
        f"{len(rows) - overdue} due soon."
    )
    return EXIT_OK


def cmd_policy(ctx: AppContext, args: argparse.Namespace) -> int:
    action = args.policy_action
    settings = ctx.settings
    if action == "set":
        value = _policy_value(args.key, args.value)
        settings.set_policy_value(args.key, value)
        if isinstance(value, dt.date):
            setting = DATE_SETTINGS_BY_KEY[args.key]
            print(
                f"{args.key} is now {value.isoformat()} ({long_date(value)}): the rules "
                f"{', '.join(setting.rules)} are checked from that day."
            )
        else:
            print(f"{args.key} is now {value}.")
    elif action == "reset":
        settings.reset_policy_value(args.key)
        if args.key in DATE_SETTINGS_BY_KEY:
            rules = ", ".join(DATE_SETTINGS_BY_KEY[args.key].rules)
            print(f"{args.key} is no longer set: the rules {rules} are off.")
        else:
            print(f"{args.key} is back to its default.")
    elif action == "add-closure":
        settings.add_closure(args.day, args.description)
        print(f"{long_date(args.day)} is now a closure day.")
    elif action == "remove-closure":
        settings.remove_closure(args.day)
        print(f"{long_date(args.day)} is no longer a closure day.")
    elif action == "closures":
        closures = settings.closures()
        if not closures:
            print("No closure days are set (bank holidays always count).")
        else:
            print_table(
                ["Date", "Description"], [[long_date(c.day), c.description] for c in closures]
            )
    else:
        lines = settings.policy_lines()
        print_table(
            ["Setting", "Rule", "Value", "Default", "Source"],
            [
                [
                    line.key,
                    line.rule or "(all rules)",
                    f"{line.value} {line.unit}" + (" *" if line.changed else ""),
                    f"{line.default}",
                    line.source,
                ]
                for line in lines
            ],
        )
        print("\n* changed by the council. Change one with: plo-tracker policy set SETTING VALUE")
        print()
        print_table(
            ["Policy date", "Rules", "Value", "Source"],
            [
                [
                    line.key,
                    ", ".join(line.rules),
                    line.value.isoformat() if line.value else "not set (rules off)",
                    line.source,
                ]
                for line in settings.date_lines()
            ],
        )
        print("Set one with: plo-tracker policy set SETTING YYYY-MM-DD")
    return EXIT_OK


def _policy_value(key: str, text: str) -> int | dt.date:
    """The value typed for a policy setting: a date for policy dates, else a whole number."""
    if key in DATE_SETTINGS_BY_KEY:
        try:
            return date_argument(text)
        except argparse.ArgumentTypeError as problem:
            raise PloError(f"{key}: {problem}.") from None
    try:
        return positive_int(text)
    except argparse.ArgumentTypeError as problem:
        raise PloError(f"{key}: {problem}.") from None


def cmd_migrate(args: argparse.Namespace) -> int:
    from db import migrate as migrations
    from plo_tracker.app import open_database

    url = config.resolve_database_url(args.db)
    if args.status:
        from plo_tracker.app import schema_status

        current = schema_status(url)
        head = migrations.head_revision()
        state = "up to date" if current == head else f"needs upgrading to {head}"
        print(f"Schema version {current or 'none (empty database)'}; {state}.")
        return EXIT_OK
    if args.sql:
        from db.session import Database

        db = Database(url)
        try:
            with db.translate_errors():
                script = migrations.upgrade_sql(db.engine)
        finally:
            db.dispose()
        print(script or f"-- The database is up to date (schema {migrations.head_revision()}).")
        return EXIT_OK
    db, backup = open_database(url, upgrade=True, create=True)
    db.dispose()
    if backup is not None:
        print(f"A copy of the database was saved first as {backup}.")
    print(f"The database is up to date (schema {migrations.head_revision()}).")
    return EXIT_OK


def cmd_demo_data(ctx: AppContext, args: argparse.Namespace) -> int:
    from plo_tracker.services.demo_setup import DemoSetupService

    result = DemoSetupService(ctx.db, ctx.actor).fill(
        args.cases,
        seed=args.seed,
        progress=ProgressBar("Writing demo cases"),
        making=ProgressBar("Making demo cases"),
    )
    print(f"Demo data: {result.cases.describe()}")
    if result.users_added:
        print(
            f"Added {result.users_added} demo staff users (for example megan.hughes, "
            "a social worker)."
        )
    return EXIT_OK


def read_cases_file(path: Path) -> int:
    """Check a case file without importing it (used by tests and scripts)."""
    from plo_tracker.exchange import parse_document
    from plo_tracker.services.base import today
    from plo_tracker.services.exchange_service import read_file

    return len(parse_document(read_file(path), today()))
