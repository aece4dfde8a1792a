"""Administration: backup, restore, the audit trail, subject access export, deleting a case."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plo_tracker import config
from plo_tracker.cli.common import EXIT_OK, print_table, utf8_stdout
from plo_tracker.errors import PloError
from plo_tracker.permissions import Permission

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

# Each handler imports the database modules it uses: parsing a command line loads none.


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("backup", help="write a checked backup of the whole database")
    p.add_argument("file", type=Path, help="a new file for the backup (a SQLite file)")
    p.set_defaults(handler=cmd_backup)

    p = subparsers.add_parser(
        "restore",
        help="restore a backup (SQLite: replaces the file; PostgreSQL: into an empty database)",
    )
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(handler=cmd_restore, needs_app=False, creates=True)

    p = subparsers.add_parser(
        "db-setup",
        help="PostgreSQL: print (or apply) the roles and grants that make the "
        "database enforce PLO Tracker's roles",
    )
    p.add_argument(
        "--apply",
        action="store_true",
        help="run the statements now (needs the database owner's login; creating "
        "the group roles also needs CREATEROLE)",
    )
    p.add_argument(
        "--no-roles",
        action="store_true",
        help="leave out CREATE ROLE (when the group roles already exist)",
    )
    p.set_defaults(handler=cmd_db_setup, needs_app=False)

    p = subparsers.add_parser("audit", help="show the audit trail of a case")
    p.add_argument("case")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=cmd_audit)

    p = subparsers.add_parser(
        "sar-export",
        help="export one case, its letters and its audit trail for a subject access request",
    )
    p.add_argument("case")
    p.add_argument("file", type=Path)
    p.set_defaults(handler=cmd_sar_export)

    p = subparsers.add_parser("delete-case", help="delete a case (administrators; audited)")
    p.add_argument("case")
    p.add_argument("--yes", action="store_true", help="confirm the deletion")
    p.set_defaults(handler=cmd_delete_case)


def cmd_backup(ctx: AppContext, args: argparse.Namespace) -> int:
    from db import backup as backups
    from db.audit import write_entry

    ctx.actor.require(Permission.BACKUP_RESTORE)
    report = backups.backup(ctx.db, args.file)
    try:  # the backup stands only once the audit entry saying so has committed
        with ctx.db.write(ctx.actor.username) as session:
            write_entry(
                session,
                action="backup",
                entity="database",
                changes={"file": report.path.name, "rows": report.total_rows},
            )
    except BaseException:
        backups.remove_backup(report.path)
        raise
    print(
        f"Backup written to {report.path} and checked: schema {report.revision}, "
        f"{report.rows.get('cases', 0)} cases, {report.total_rows} rows in all."
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from db import backup as backups
    from db.audit import write_entry
    from db.models import User
    from db.session import Database
    from plo_tracker.services.users import current_username, identify

    url = config.resolve_database_url(args.db)
    db = Database(url)
    try:
        with db.translate_errors():
            # Both are checked before anything is written: the backup must be a PLO
            # Tracker backup and the target nothing but a PLO Tracker database (or none).
            report = backups.check_restorable(args.file)
            has_plo = backups.check_target(db)
            actor_name = current_username(db, args.user)
            if has_plo:
                with db.read() as session:
                    has_users = bool(session.scalar(select(func.count()).select_from(User)))
                if has_users:
                    actor = identify(db, args.user)
                    actor.require(Permission.BACKUP_RESTORE)
                    actor_name = actor.username
            print(f"The backup {args.file.name} is a PLO Tracker backup: {report.describe()}.")
            if not args.yes:
                raise PloError(
                    f"Restoring replaces what is in {db.display_name} with this backup. "
                    "Nothing was changed; run again with --yes to go ahead."
                )
            checked, set_aside = backups.restore(args.file, db)
            with db.write(actor_name) as session:
                write_entry(
                    session,
                    action="restore",
                    entity="database",
                    changes={"file": args.file.name, "rows": checked.total_rows},
                )
    finally:
        db.dispose()
    if set_aside is not None:
        print(f"The database as it was is kept in {set_aside}.")
    print(
        f"Restored {checked.cases} cases ({checked.total_rows} rows) from "
        f"{args.file.name} into {db.display_name}."
    )
    return EXIT_OK


SETUP_GUIDE = """\
-- PLO Tracker on PostgreSQL: set-up for the council's database administrator.
-- 1. Create the database and its owner (once), for example as a superuser:
--      CREATE ROLE plo_owner LOGIN PASSWORD '...';
--      CREATE DATABASE plo OWNER plo_owner;
-- 2. Create the tables:      plo-tracker --db postgresql://plo_owner@HOST/plo migrate
-- 3. Apply this script as the owner (the group roles need CREATEROLE):
--      plo-tracker --db postgresql://plo_owner@HOST/plo db-setup --apply
--    Run it again after every upgrade so new tables get their grants.
-- 4. For each person, a login in the group of their role, then register them:
--      CREATE ROLE "megan.hughes" LOGIN PASSWORD '...' IN ROLE plo_social_worker;
--      plo-tracker --db postgresql://plo_owner@HOST/plo users add megan.hughes \\
--          --name "Megan Hughes" --role social_worker
--    (users add/set-role/deactivate update the login's group themselves when the
--     administrator's login may; otherwise they print the statements to run.)
-- Each person then connects as themselves: postgresql://megan.hughes@HOST/plo
"""


def cmd_db_setup(args: argparse.Namespace) -> int:
    from sqlalchemy import text

    from db import grants
    from db import migrate as migrations
    from db.session import Database

    url = config.resolve_database_url(args.db)
    db = Database(url)
    try:
        if not db.is_postgresql:
            raise PloError(
                "db-setup is for PostgreSQL databases. A SQLite file is protected by its file "
                "permissions (readable by its owner only) and the app's own role checks."
            )
        with db.translate_errors(), db.engine.connect() as connection:
            if migrations.current_revision(db.engine) is None:
                raise PloError(
                    "The database has no PLO Tracker tables yet; run 'plo-tracker migrate' first."
                )
            statements = grants.setup_sql(connection, include_roles=not args.no_roles)
        if not args.apply:
            out = utf8_stdout()
            out.write(SETUP_GUIDE)
            for statement in statements:
                out.write(statement + ";\n")
            return EXIT_OK
        with db.translate_errors(), db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement))
    finally:
        db.dispose()
    print(
        f"Applied {len(statements)} statements: PLO Tracker's roles are now enforced by the "
        "database."
    )
    return EXIT_OK


def cmd_audit(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.lookup.require_cases([args.case], deleted=True)
    entries = ctx.audit.trail(args.case)
    out = utf8_stdout()
    if args.format == "json":
        out.write(json.dumps([e.to_json() for e in entries], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    rows = []
    for entry in entries:
        detail = entry.summary()
        if entry.action == "update" and entry.changes:
            detail = "; ".join(f"{k}: {v[0]!r} -> {v[1]!r}" for k, v in entry.changes.items())
        rows.append(
            [
                entry.at.strftime("%Y-%m-%d %H:%M"),
                entry.username,
                entry.action_label,
                entry.entity,
                detail,
            ]
        )
    print_table(["When (UTC)", "Who", "Action", "Record", "Detail"], rows, out)
    return EXIT_OK


def cmd_sar_export(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.lookup.require_cases([args.case], deleted=True)
    count = ctx.audit.subject_access_export_file(args.case, args.file)
    print(
        f"Wrote {args.file} for case {args.case} with {count} audit entries. Review it before "
        "disclosure: third parties' details must be removed and the serious-harm test applied."
    )
    return EXIT_OK


def cmd_delete_case(ctx: AppContext, args: argparse.Namespace) -> int:
    ctx.actor.require(Permission.DELETE_CASES)
    ctx.lookup.require_cases([args.case])
    case = ctx.cases.get(args.case)
    if not args.yes:
        raise PloError(
            f"Deleting {args.case} removes the case and everything in it (its audit trail is "
            "kept). Run again with --yes to delete it."
        )
    assert case.version is not None
    ctx.cases.delete_case(args.case, case.version)
    print(f"Deleted case {args.case}. The deletion is recorded in the audit trail.")
    return EXIT_OK
