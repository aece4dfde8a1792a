"""What this copy of PLO Tracker is: its version, the database schema it expects, the
schema of the database in force, and where its settings come from.

Used by ``plo-tracker --version``, ``plo-tracker config`` and the window's Help → About.
Light on purpose: it reads a SQLite file with the standard library (read-only: a database
that does not exist is not created) and a PostgreSQL database with psycopg, without
SQLAlchemy or Alembic.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db import schema_versions
from plo_tracker import config, config_sources, version

VERSION_TABLE = "alembic_version"


def migrations_folder() -> Path:
    return schema_versions.VERSIONS


def expected_schema() -> str:
    """The newest schema revision this build knows (``0003_x.py`` is "0003")."""
    return schema_versions.head_revision() if schema_versions.known_revisions() else "none"


@dataclass(frozen=True)
class DatabaseSchema:
    where: str  # the database, shown without any password ("" when none is in force)
    revision: str | None  # None: no PLO Tracker tables (yet)
    problem: str | None = None  # it could not be read, and why

    def describe(self, expected: str) -> str:
        """The rest of the line after "Database"."""
        if not self.where:  # the settings stop PLO Tracker: no database is in force
            return f": none in force, because PLO Tracker stops: {self.problem}"
        if self.problem:
            return f" {self.where}: {self.problem}"
        if self.revision is None:
            return f" {self.where}: no PLO Tracker tables yet (made at first use)"
        kind = schema_versions.kind_of(self.revision)
        shown = schema_versions.shown(self.revision)
        if kind is schema_versions.Kind.CURRENT:
            state = "up to date"
        elif kind is schema_versions.Kind.NEWER:
            state = "made by a newer PLO Tracker: install the newer version to open it"
        elif kind is schema_versions.Kind.UNKNOWN:
            return (
                f" {self.where}: schema '{shown}', which is not a revision PLO Tracker knows "
                "(changed by hand or by another program): it will not be opened or upgraded"
            )
        else:
            state = (
                f"will be upgraded to {expected} when a registered user opens it "
                "(or by plo-tracker migrate)"
            )
        return f" {self.where}: schema {shown}, {state}"


def _sqlite_revision(path: Path) -> str | None:
    uri = path.resolve().as_uri() + "?mode=ro"
    connection = sqlite3.connect(uri, uri=True, timeout=2)
    try:
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
        ).fetchone()
        if found is None:
            return None
        row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        return None if row is None else str(row[0])
    finally:
        connection.close()


def _postgres_revision(url: str) -> str | None:
    import psycopg

    rest = url.partition("://")[2]
    conninfo = "postgresql://" + rest  # psycopg takes libpq URIs, without SQLAlchemy's driver
    with psycopg.connect(conninfo, connect_timeout=5) as connection:
        exists = connection.execute("SELECT to_regclass(%s)", (VERSION_TABLE,)).fetchone()
        if exists is None or exists[0] is None:
            return None
        row = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        return None if row is None else str(row[0])


def database_schema(db_option: str | None = None) -> DatabaseSchema | None:
    """The schema of the database in force, or None when there is none yet (the default
    SQLite file not made).  Never creates or changes a database."""
    try:
        setting = config.database_setting(db_option)
    except config.ConfigError as error:
        return DatabaseSchema("", None, str(error))
    text = setting.value or ""
    shown = config.hide_password(text)
    path = config.sqlite_path_of(text)
    if path is not None:
        if not path.is_file():
            if setting.source == config.DEFAULT:
                return None
            return DatabaseSchema(str(path), None, "this file does not exist yet")
        try:
            return DatabaseSchema(str(path), _sqlite_revision(path))
        except sqlite3.Error as error:
            return DatabaseSchema(str(path), None, f"cannot be read as a database ({error})")
    problem = config.database_text_problem(text)
    if problem:
        return DatabaseSchema(shown, None, f"the database URL {problem}")
    if "://" in text and text.split("://", 1)[0].split("+", 1)[0].lower() == "postgresql":
        try:
            return DatabaseSchema(shown, _postgres_revision(text))
        except Exception as error:  # any driver error: shown, never raised from --version
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error)
            return DatabaseSchema(shown, None, f"cannot be reached ({reason})")
    return DatabaseSchema(shown, None, "an in-memory database has no schema to show")


def version_text(db_option: str | None = None) -> str:
    """What ``plo-tracker --version`` prints."""
    expected = expected_schema()
    lines = [f"PLO Tracker {version()}", f"Database schema this version uses: {expected}"]
    found = database_schema(db_option)
    if found is None:
        lines.append("Database: none yet (made in your data folder at first use)")
    else:
        lines.append("Database" + found.describe(expected))
    return "\n".join(lines)


def about_lines(db_option: str | None = None) -> list[str]:
    """Help → About: the version, the schemas, and where each setting comes from."""
    lines = version_text(db_option).splitlines()
    sources = config_sources.describe_sources(db_option)
    lines.append("")
    for setting in sources.settings:
        lines.append(f"{setting.label}: {setting.shown} (from {setting.source_words})")
    for problem in sources.problems:
        lines.append(f"Problem: {problem}")
    with contextlib.suppress(Exception):
        import platform

        lines.append(f"Python {platform.python_version()} on {platform.system()}")
    return lines
