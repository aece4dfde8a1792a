"""Schema migrations, run by the app at start-up.

Before a SQLite file is upgraded it is copied aside (``<file>.bak-<revision>-<time>``,
owner-only) with SQLite's online backup, so a failed upgrade never costs data.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db.errors import SchemaTooNewError, StoreError


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "db:migrations")
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


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
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return backup


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
