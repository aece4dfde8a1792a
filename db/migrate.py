"""Schema migrations, run by the app at start-up.

Before a SQLite file is upgraded it is copied aside (``<file>.bak-<revision>-<time>``,
owner-only) with SQLite's online backup, so a failed upgrade never costs data.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from db.errors import SchemaTooNewError, StoreError

if TYPE_CHECKING:
    from alembic.config import Config

VERSIONS = Path(__file__).parent / "migrations" / "versions"


def alembic_config() -> Config:
    from alembic.config import Config  # imported only when a migration runs (it is slow)

    config = Config()
    config.set_main_option("script_location", "db:migrations")
    return config


def known_revisions() -> set[str]:
    """Revision ids, from the migration files' names (``0002_letters.py`` is "0002").

    Reading names keeps start-up fast; tests check the names agree with Alembic.
    """
    return {p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")}


def head_revision() -> str:
    return max(known_revisions())


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


def check_not_newer(engine: Engine) -> str | None:
    revision = current_revision(engine)
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNewError(
            "This database was made by a newer version of PLO Tracker "
            f"(schema {revision}). Install the newer version to open it; "
            "nothing has been changed."
        )
    return revision


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
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if engine.dialect.name == "sqlite":  # files from before the mark get it now
            from db.identity import stamp_sqlite

            stamp_sqlite(connection)
    return backup


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
