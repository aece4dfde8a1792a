"""Schema migrations: run when a registered user opens an older database, or by
``plo-tracker migrate``.

Before a SQLite file is upgraded it is copied aside (``<file>.bak-<revision>-<time>``,
owner-only) with SQLite's online backup.  The upgrade runs in one transaction: if it
fails, the database is left as it was and the copy, now needless, is removed again, so
trying again never piles up copies.  A revision this build does not know is named as
such (newer, or not a PLO Tracker revision at all), and nothing is changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from db.engine import WRITE_OPTION
from db.errors import SchemaTooNewError, StoreError, UnknownSchemaError, UpgradeFailedError
from db.schema_versions import (
    Kind,
    head_revision,
    kind_of,
    known_revisions,
    newer_message,
    shown,
    unknown_message,
)

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "check_known",
    "check_not_newer",
    "current_revision",
    "downgrade",
    "head_revision",
    "known_revisions",
    "needs_upgrade",
    "upgrade",
    "upgrade_sql",
]

log = logging.getLogger("plo_tracker.db")


def alembic_config() -> Config:
    from alembic.config import Config  # imported only when a migration runs (it is slow)

    config = Config()
    config.set_main_option("script_location", "db:migrations")
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def backup_sqlite_file(path: Path, revision: str | None) -> Path:
    """Copy a SQLite database aside, consistently even in WAL mode; owner-only."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-{revision or 'none'}-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.bak-{revision or 'none'}-{stamp}-{counter}")
        counter += 1
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def check_known(revision: str | None) -> str | None:
    """``revision`` if this build can open or upgrade it; otherwise an error naming it."""
    if revision is None:
        return None
    kind = kind_of(revision)
    if kind is Kind.NEWER:
        raise SchemaTooNewError(newer_message(revision))
    if kind is Kind.UNKNOWN:
        raise UnknownSchemaError(unknown_message(revision))
    return revision


def check_not_newer(engine: Engine) -> str | None:
    """The database's revision, once it is known to be one this build can handle."""
    return check_known(current_revision(engine))


def needs_upgrade(engine: Engine) -> bool:
    return check_not_newer(engine) != head_revision()


def upgrade(
    engine: Engine, *, sqlite_path: Path | None = None, revision: str = "head"
) -> Path | None:
    """Bring the schema to ``revision``; returns the backup file made, if any."""
    current = check_not_newer(engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup = None
    if sqlite_path is not None and sqlite_path.exists() and has_tables(engine):
        try:
            backup = backup_sqlite_file(sqlite_path, current)
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"Could not copy the database aside before upgrading it ({error}). "
                "Nothing has been changed."
            ) from None
    try:
        _run_upgrade(engine, revision)
    except Exception as error:
        # One transaction, rolled back: the database is as it was, so the copy goes.
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()
        failure = _upgrade_error(error, engine, current, target)
        if failure is error:
            raise
        raise failure from None
    return backup


def _run_upgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    # BEGIN IMMEDIATE on SQLite: the upgrade takes the write lock before it starts.
    with engine.connect() as connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            if engine.dialect.name == "sqlite":  # files from before the mark get it now
                from db.identity import stamp_sqlite

                stamp_sqlite(connection)


def _upgrade_error(error: Exception, engine: Engine, current: str | None, target: str) -> Exception:
    """A failed upgrade in words: a database problem the caller translates (busy, no
    permission, disk full) stays as it is; anything else means the tables are not what
    the recorded revision says."""
    from db.session import diagnostic, translate

    if isinstance(error, StoreError) or translate(error, engine.url) is not None:
        return error
    log.error(f"upgrading the database failed and was rolled back: {diagnostic(error)}")
    start = shown(current) if current else "none"
    return UpgradeFailedError(
        f"Upgrading this database from schema {start} to {target} failed, so it was left "
        f"exactly as it was (nothing has been changed). Its tables do not match schema "
        f"{start}, the revision it records: it may have been changed by hand or by another "
        "program. Restore it from a backup, or ask your IT team to check it."
    )


def upgrade_sql(engine: Engine) -> str:
    """The SQL an upgrade of this database runs, for a DBA to read first: the upgrade is
    run for real inside one transaction, every statement is recorded, and the transaction
    is rolled back, so nothing is changed.  (Some upgrades read the data to decide what to
    write, so plain "offline" SQL could not show them.)  PostgreSQL only, whose structure
    changes roll back; it needs the owner's login, as ``migrate`` does."""
    from alembic import command
    from sqlalchemy import event

    if engine.dialect.name != "postgresql":
        raise StoreError(
            "Previewing the upgrade's SQL is for a PostgreSQL database; a SQLite file is "
            "copied aside before it is upgraded instead."
        )
    current = check_not_newer(engine)
    target = head_revision()
    if current == target:
        return ""
    statements: list[str] = []

    def record(
        _conn: object, _cursor: object, statement: str, parameters: object, *_rest: object
    ) -> None:
        if "pg_catalog" in statement or "information_schema" in statement:
            return  # Alembic looking at the catalogue, not the upgrade
        text_ = statement.strip().rstrip(";") + ";"
        if parameters:
            text_ += f"\n-- with: {parameters!r}"
        statements.append(text_)

    config = alembic_config()
    with engine.connect() as connection:
        event.listen(connection, "before_cursor_execute", record)
        transaction = connection.begin()
        try:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        finally:
            transaction.rollback()
            event.remove(connection, "before_cursor_execute", record)
    header = (
        f"-- Upgrade of this database from schema {current or 'none'} to {target}: the SQL "
        "it runs, in one transaction.\n-- Recorded by running it and rolling it back: "
        "nothing has been changed.\n-- plo-tracker migrate runs it, then re-applies "
        "db-setup's grants and row-level security if set up.\n"
    )
    return header + "BEGIN;\n" + "\n\n".join(statements) + "\nCOMMIT;\n"


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
