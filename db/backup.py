"""Backups and restores, for SQLite and PostgreSQL alike.

A backup is always a SQLite file holding the whole database at its schema
revision: for a SQLite database, an online copy made with SQLite's backup API;
for PostgreSQL, every table copied inside one REPEATABLE READ transaction (a
consistent snapshot) into a new SQLite file migrated to the same revision.  Every
backup is checked by opening it: integrity check, schema revision, and the row
count of every table compared with the source.

A restore checks the backup the same way, then:
* SQLite target: the current file is copied aside, and the backup replaces it
  atomically;
* PostgreSQL target: it must be a new, empty database (a restore never mixes two
  databases' records); the rows are copied in one transaction and the id
  sequences moved past the restored ids.
Either way the restored database is then migrated to this version's schema.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, Table, create_engine, func, insert, inspect, make_url, select, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.pool import NullPool

from db import backup_checks, identity, migrate
from db.engine import create_store_engine, sqlite_url
from db.errors import NotPloDatabaseError, StoreError
from db.identity import create_sqlite_file
from db.models import Base
from db.session import Database, diagnostic, translate

CHUNK = 2000
log = logging.getLogger("plo_tracker.db")


@dataclass(frozen=True, slots=True)
class BackupReport:
    path: Path
    revision: str | None
    rows: dict[str, int]
    last_change: dt.datetime | None = None  # the latest entry in its audit trail (UTC)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())

    @property
    def cases(self) -> int:
        return self.rows.get("cases", 0)

    def describe(self) -> str:
        """How many cases it holds and from when, e.g. for a restore's question."""
        when = (
            f"last change recorded {self.last_change:%d %B %Y at %H:%M} UTC"
            if self.last_change is not None
            else "no change recorded in it"
        )
        return f"{self.cases} cases, {self.total_rows} rows in all; {when}"


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _readonly_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def _readonly_engine(path: Path) -> Engine:
    uri = _readonly_uri(path)
    return create_engine(
        "sqlite+pysqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=NullPool
    )


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
        return {
            t.name: int(connection.execute(select(func.count()).select_from(t)).scalar_one())
            for t in _tables()
            if t.name in present
        }


def check_backup(path: Path) -> BackupReport:
    """Open a backup file and check it is a whole, readable PLO Tracker database.

    Reads only: the file is opened read-only and never changed.  Anything that is not
    a PLO Tracker database (another program's file, an empty file, a damaged one) is
    refused.
    """
    if not path.exists():
        raise StoreError(f"There is no backup file {path}.")
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a backup file.")
    try:
        found = identity.check_sqlite_file(path)
    except NotPloDatabaseError as error:
        raise StoreError(
            f"{path.name} is not a PLO Tracker backup: {error.reason}. Nothing was restored, "
            "and the file was left untouched."
        ) from None
    if found.state is not identity.State.PLO:
        raise StoreError(
            f"{path.name} is not a PLO Tracker backup: it holds no PLO Tracker tables. "
            "It was left untouched."
        )
    try:
        with contextlib.closing(sqlite3.connect(_readonly_uri(path), uri=True)) as connection:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            if not result or result[0] != "ok":
                detail = str(result[0])[:80] if result else "no answer"
                raise StoreError(f"The backup {path.name} is damaged ({detail}).")
            tables = {
                r[0]
                for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "alembic_version" not in tables or "cases" not in tables:
                raise StoreError(f"{path.name} is not a PLO Tracker backup.")
            last = None
            if "audit_log" in tables:
                last = connection.execute("SELECT max(at) FROM audit_log").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise StoreError(f"{path.name} cannot be opened as a backup ({error}).") from None
    engine = _readonly_engine(path)
    try:
        revision = migrate.check_not_newer(engine)
        backup_checks.check_schema(path, revision)
        return BackupReport(
            path=path, revision=revision, rows=_counts(engine), last_change=_timestamp(last)
        )
    finally:
        engine.dispose()


def check_restorable(path: Path) -> BackupReport:
    """``check_backup``, and the backup is the one its manifest describes (unchanged)."""
    report = check_backup(path)
    backup_checks.check_manifest(path)
    return report


def _timestamp(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _copy_rows(source: Engine, target_connection: object, *, snapshot: bool) -> dict[str, int]:
    copied: dict[str, int] = {}
    with source.connect() as connection:
        if snapshot and source.dialect.name == "postgresql":
            connection.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        for table in _tables():
            count = 0
            result = connection.execution_options(yield_per=CHUNK).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for rows in result.partitions(CHUNK):
                batch = [dict(row._mapping) for row in rows]
                target_connection.execute(insert(table), batch)  # type: ignore[attr-defined]
                count += len(batch)
            copied[table.name] = count
    return copied


def backup(db: Database, target: Path) -> BackupReport:
    """Write a verified backup of ``db`` to ``target`` (a new file, owner-only)."""
    target = target.expanduser()
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file name for the backup.")
    if not target.parent.is_dir():
        raise StoreError(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        revision = migrate.current_revision(db.engine)
        source_rows = _counts(db.engine)
        if db.sqlite_path is not None:
            fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            os.close(fd)
            with (
                contextlib.closing(sqlite3.connect(db.sqlite_path)) as source,
                contextlib.closing(sqlite3.connect(partial)) as dest,
            ):
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")
        else:
            create_sqlite_file(partial)
            engine = create_store_engine(sqlite_url(partial))
            try:
                if revision is not None:
                    migrate.upgrade(engine, revision=revision)
                with engine.begin() as connection:
                    source_rows = _copy_rows(db.engine, connection, snapshot=True)
            finally:
                engine.dispose()
            # a single self-contained file
            with contextlib.closing(sqlite3.connect(partial)) as connection:
                connection.execute("PRAGMA journal_mode=DELETE")
        report = check_backup(partial)
        if report.revision != revision:
            raise StoreError("The backup does not have the database's schema version.")
        if db.sqlite_path is None and report.rows != source_rows:
            raise StoreError("The backup does not hold every row of the database.")
        os.replace(partial, target)
        try:
            backup_checks.write_manifest(target, report.revision, report.rows)
        except BaseException:
            target.unlink(missing_ok=True)  # a backup without its manifest cannot be restored
            raise
        return BackupReport(path=target, revision=report.revision, rows=report.rows)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise _disk_full(target, error) from None
        raise StoreError(f"Could not write the backup {target}: {error.strerror}.") from None
    except (sqlite3.Error, sa_exc.DBAPIError) as error:
        raise _backup_failure(target, db, error) from None
    finally:
        for leftover in (
            partial,
            partial.with_name(partial.name + "-wal"),
            partial.with_name(partial.name + "-shm"),
            partial.with_name(partial.name + "-journal"),
        ):
            if leftover.exists():
                leftover.unlink()


def remove_backup(path: Path) -> None:
    """Remove a backup and its manifest (one whose audit entry could not be saved)."""
    for part in (path, backup_checks.manifest_path(path)):
        with contextlib.suppress(FileNotFoundError):
            part.unlink()


def _disk_full(target: Path, error: BaseException) -> StoreError:
    log.warning("backup failed, disk full: %s", diagnostic(error))
    return StoreError(
        f"The disk holding {target.parent} is full, so the backup was not written (nothing "
        "of it was left there; the database is unchanged). Free some space on it, or write "
        "the backup to another drive."
    )


def _backup_failure(target: Path, db: Database, error: BaseException) -> StoreError:
    """A database error met while backing up, in words (the codes go to the log)."""
    orig = getattr(error, "orig", None) or error
    text_of = str(orig).lower()
    if "disk is full" in text_of or "no space left" in text_of:
        return _disk_full(target, error)
    source_error = (
        isinstance(error, sa_exc.DBAPIError)
        and db.sqlite_path is None
        and not (isinstance(orig, sqlite3.Error))
    )
    known = translate(error, db.url if source_error else make_url(sqlite_url(target)))
    if known is not None:
        return known
    log.error("backup failed: %s", diagnostic(error))
    return StoreError(
        f"The backup {target} could not be written ({type(orig).__name__}); nothing of it "
        "was left and the database is unchanged. The details are in the log file."
    )


def _is_empty(engine: Engine) -> bool:
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names()) - {"alembic_version"}
        for name in present:
            if connection.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first():
                return False
    return True


def check_target(db: Database) -> bool:
    """Refuse to restore over anything that is not a PLO Tracker database (it is left
    untouched); True when the target holds a PLO Tracker database already."""
    with db.translate_errors():
        if db.sqlite_path is not None:
            found = identity.check_sqlite_file(db.sqlite_path)
        else:
            found = identity.check_engine(db.engine, db.display_name)
    return found.state is identity.State.PLO


def _restore_copy(source: Path, partial: Path) -> None:
    """The backup copied to ``partial`` and upgraded there, then checked whole."""
    fd = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    os.close(fd)
    with (
        contextlib.closing(sqlite3.connect(_readonly_uri(source), uri=True)) as src,
        contextlib.closing(sqlite3.connect(partial)) as dest,
    ):
        src.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")
    engine = create_store_engine(sqlite_url(partial))
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()
    upgraded = check_backup(partial)
    if upgraded.revision != migrate.head_revision():
        raise StoreError("The restored copy did not reach this version's schema.")


def restore(source: Path, db: Database) -> tuple[BackupReport, Path | None]:
    """Restore ``source`` into ``db``; returns the check report and any copy set aside.

    The backup must be one PLO Tracker made, unchanged (``check_restorable``). A SQLite
    database is restored into a copy beside it, upgraded and checked there; only a
    complete copy replaces the live file (which is first set aside).
    """
    report = check_restorable(source)
    check_target(db)
    set_aside: Path | None = None
    if db.sqlite_path is not None:
        path = db.sqlite_path
        partial = path.with_name(f".{path.name}.restoring-{os.getpid()}")
        try:
            _restore_copy(source, partial)
            db.dispose()
            if path.exists() and path.stat().st_size > 0:
                set_aside = migrate.backup_sqlite_file(path, "before-restore")
            for suffix in ("-wal", "-shm"):
                stale = path.with_name(path.name + suffix)
                if stale.exists():
                    stale.unlink()
            os.replace(partial, path)
        finally:
            for leftover in (
                partial,
                *(partial.with_name(partial.name + x) for x in ("-wal", "-shm", "-journal")),
            ):
                if leftover.exists():
                    leftover.unlink()
        return report, set_aside
    if not _is_empty(db.engine):
        raise StoreError(
            "The target database already holds records. Restore into a new, empty database "
            "(create it, then run plo-tracker restore with --db pointing at it); nothing was "
            "changed."
        )
    current = migrate.current_revision(db.engine)
    if current is not None and current != report.revision:
        migrate.downgrade(db.engine, report.revision or "base")
    if report.revision is not None:
        migrate.upgrade(db.engine, revision=report.revision)
    backup_engine = _readonly_engine(source)
    try:
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                # The backup's own rows, audit trail included: not changes to audit again.
                connection.execute(text("SELECT set_config('plo.audited', 'on', true)"))
            copied = _copy_rows(backup_engine, connection, snapshot=False)
            if db.engine.dialect.name == "postgresql":
                for table in _tables():
                    for column in table.primary_key.columns:
                        if column.autoincrement is True or (
                            column.autoincrement == "auto" and column.type.python_type is int
                        ):
                            connection.execute(
                                text(
                                    "SELECT setval(pg_get_serial_sequence(:t, :c), "
                                    f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'  # noqa: E501
                                ),
                                {"t": table.name, "c": column.name},
                            )
            if copied != report.rows:
                raise StoreError(
                    "The restore did not copy every row; the target was left unchanged."
                )
    finally:
        backup_engine.dispose()
    migrate.upgrade(db.engine)
    return report, None
