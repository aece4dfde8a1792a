"""Is this a PLO Tracker database?  Checked before anything is written to it.

A SQLite file made by PLO Tracker carries ``PRAGMA application_id`` = ``APPLICATION_ID``
("PLOT") from the moment it exists: it is made under a temporary name with that mark
and only then given its real name, so the app never leaves a 0-byte file behind.
Files made by earlier versions have no mark; they are recognised by their tables (an
``alembic_version`` holding one of this app's revisions, a ``cases`` table, and no
table PLO Tracker does not make).  Anything else is refused and left untouched.

A PostgreSQL database is recognised by its tables in the same way; a database with
no tables at all is a new one, which only the commands that may create will set up.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from db.errors import NotPloDatabaseError, SchemaTooNewError
from db.schema_versions import Kind, kind_of, known_revisions, newer_message
from db.session import diagnostic, file_access_problem

log = logging.getLogger("plo_tracker.db")

APPLICATION_ID = 0x504C4F54  # "PLOT"
SQLITE_MAGIC = b"SQLite format 3\x00"
_APPLICATION_ID_OFFSET = 68  # bytes 68-71 of the SQLite header, big-endian

# Tables SQLite makes itself (AUTOINCREMENT, ANALYZE).
_SQLITE_INTERNAL = frozenset({"sqlite_sequence", "sqlite_stat1", "sqlite_stat2", "sqlite_stat3"})


class State(enum.Enum):
    MISSING = "missing"  # no file, or a PostgreSQL database without any table
    NEW = "new"  # a file PLO Tracker made (marked) that has no tables yet
    PLO = "plo"  # a PLO Tracker database


@dataclass(frozen=True, slots=True)
class Found:
    state: State
    marked: bool = False


def plo_table_names() -> frozenset[str]:
    from db.models import Base  # the ORM mapping, only when a database is checked

    return frozenset(Base.metadata.tables) | {"alembic_version"}


def _shown_tables(names: Iterable[str]) -> str:
    names = sorted(names)
    shown = ", ".join(f"'{name[:40]}'" for name in names[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def table_problem(tables: set[str], revision: str | None, *, marked: bool) -> str | None:
    """Why a database holding ``tables`` is not PLO Tracker's, or None if it is."""
    tables = tables - _SQLITE_INTERNAL
    if marked:
        return None
    if revision is not None and "cases" in tables and kind_of(revision) is Kind.NEWER:
        raise SchemaTooNewError(newer_message(revision))
    foreign = tables - plo_table_names()
    if foreign:
        return f"it holds tables PLO Tracker does not make ({_shown_tables(foreign)})"
    if "alembic_version" not in tables or "cases" not in tables:
        return "it does not hold PLO Tracker's tables"
    if revision not in known_revisions():
        return "its tables are not at a schema version this PLO Tracker knows"
    return None


# -- SQLite files -----------------------------------------------------------------------------


def read_application_id(path: Path) -> int | None:
    """The mark in a SQLite file's header, or None if the file is not a SQLite database."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return None
    return int.from_bytes(header[_APPLICATION_ID_OFFSET : _APPLICATION_ID_OFFSET + 4], "big")


def _readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _sqlite_tables(path: Path) -> tuple[set[str], str | None]:
    connection = _readonly(path)
    try:
        tables = {
            str(row[0])
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        revision = None
        if "alembic_version" in tables:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = None if row is None else str(row[0])
        return tables, revision
    finally:
        connection.close()


def check_sqlite_file(path: Path) -> Found:
    """What is at ``path``: nothing, a new PLO Tracker file, or a PLO Tracker database.

    Raises NotPloDatabaseError for anything else, without writing to it.
    """
    if path.is_dir():
        raise NotPloDatabaseError(f"{path} is a folder, not a database file.", "it is a folder")
    if not path.exists():
        return Found(State.MISSING)
    size = path.stat().st_size
    if size == 0:
        raise NotPloDatabaseError(
            f"{path} is an empty file that PLO Tracker did not make (PLO Tracker never leaves "
            "an empty file), so it was not opened and was left untouched. To start a new "
            "database, choose a new file name, or delete the empty file first.",
            "it is an empty file",
        )
    application_id = read_application_id(path)
    if application_id is None:
        raise NotPloDatabaseError(
            f"{path} is not a PLO Tracker database: it is not a SQLite database file at all "
            "(or it is damaged). It was left untouched.",
            "it is not a SQLite database file (or it is damaged)",
        )
    marked = application_id == APPLICATION_ID
    if application_id not in (0, APPLICATION_ID):
        raise NotPloDatabaseError(
            f"{path} is another program's database (its SQLite application id is "
            f"{application_id:#x}), so PLO Tracker did not open it. It was left untouched.",
            "it is another program's database",
        )
    try:
        tables, revision = _sqlite_tables(path)
    except sqlite3.DatabaseError as error:
        name = getattr(error, "sqlite_errorname", "") or ""
        log.warning(f"cannot read a SQLite file to check it: {diagnostic(error)}")
        if not name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            # Not the file's content but access to it (or its folder): say that.
            raise file_access_problem(path) from None
        raise NotPloDatabaseError(
            f"{path} cannot be read as a SQLite database ({_sqlite_words(error)}). "
            "It was left untouched.",
            f"it cannot be read ({_sqlite_words(error)})",
        ) from None
    if marked and not (tables - _SQLITE_INTERNAL):
        return Found(State.NEW, marked=True)
    problem = table_problem(tables, revision, marked=marked)
    if problem:
        raise NotPloDatabaseError(
            f"{path} is not a PLO Tracker database: {problem}. It was not opened and was "
            "left untouched.",
            problem,
        )
    return Found(State.PLO, marked=marked)


def _sqlite_words(error: sqlite3.Error) -> str:
    name = getattr(error, "sqlite_errorname", "") or type(error).__name__
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return "the file is damaged or is not a database"
    if name == "SQLITE_CANTOPEN":
        return "it cannot be opened: check that you may read it and its folder"
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return "another program is holding it"
    return name


def create_sqlite_file(path: Path) -> None:
    """A new, marked, owner-only SQLite file at ``path``; never replaces an existing one.

    The file is made complete under a temporary name in the same folder and then
    linked to its real name, so nobody ever sees a 0-byte or half-made file there.
    """
    temp = path.with_name(f".{path.name}.creating-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        connection = sqlite3.connect(temp)
        try:
            connection.execute(f"PRAGMA application_id={APPLICATION_ID}")
            connection.commit()
        finally:
            connection.close()
        try:
            os.link(temp, path)  # fails if something appeared at ``path`` meanwhile
        except FileExistsError:
            raise NotPloDatabaseError(
                f"{path} appeared while PLO Tracker was creating it; nothing was changed."
            ) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise NotPloDatabaseError(
                    f"{path} appeared while PLO Tracker was creating it; nothing was changed."
                ) from None
            os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def stamp_sqlite(connection: object) -> None:
    """Mark a PLO Tracker SQLite database made by an earlier version (during an upgrade)."""
    connection.exec_driver_sql(f"PRAGMA application_id={APPLICATION_ID}")  # type: ignore[attr-defined]


# -- PostgreSQL (and any engine) --------------------------------------------------------------


def check_engine(engine: Engine, where: str) -> Found:
    """The same check for a database reached through an engine (PostgreSQL)."""
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if not tables:
        return Found(State.MISSING)
    problem = table_problem(tables, revision, marked=False)
    if problem:
        raise NotPloDatabaseError(
            f"The database {where} is not a PLO Tracker database: {problem}. PLO Tracker did "
            "not change it. Use a new, empty database for PLO Tracker."
        )
    return Found(State.PLO)
