"""Sessions: one short session per use case, read or write.

``Database.write(actor)`` opens a transaction that commits when the block ends
and rolls back on any error; every ORM change made in it is audited in that same
transaction (see ``db.audit``).  ``Database.read()`` never writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, make_url, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db import audit, revisions
from db.engine import WRITE_OPTION, create_store_engine, is_sqlite, sqlite_file
from db.errors import (
    DatabaseBusyError,
    DatabasePermissionError,
    DatabaseUnavailableError,
    StaleRecordError,
    StoreError,
    StoreIntegrityError,
)

ACTOR_KEY = "actor"

_LOCKED = re.compile(r"database is (locked|busy)|database table is locked", re.I)
_UNREACHABLE = re.compile(
    r"connection refused|could not connect|connection to server|timeout expired|"
    r"unable to open database file|could not translate host name|"
    r"no such host|name or service not known|does not exist|authentication failed|"
    r"server closed the connection|role .* does not exist",
    re.I,
)
_NOT_A_DATABASE = re.compile(r"file is not a database|file is encrypted|malformed", re.I)
_DISK_FULL = re.compile(r"database or disk is full|no space left", re.I)
_PERMISSION = re.compile(
    r"permission denied|insufficient privilege|attempt to write a readonly|row-level security",
    re.I,
)
_SQLSTATE_PERMISSION = "42501"  # insufficient_privilege, including row-level security


def describe_url(url: URL) -> str:
    """The URL without any password, for titles and messages."""
    return url.render_as_string(hide_password=True)


def translate(error: BaseException, url: URL) -> StoreError | None:
    """A user-facing StoreError for a database exception, or None if unknown."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, StaleDataError):
        return StaleRecordError()
    if isinstance(error, sa_exc.DBAPIError):
        message = str(error.orig) if error.orig is not None else str(error)
        if _LOCKED.search(message):
            return DatabaseBusyError()
        if _DISK_FULL.search(message):
            return StoreError("The disk holding the database is full. Nothing was saved.")
        if _NOT_A_DATABASE.search(message):
            return DatabaseUnavailableError(
                f"{describe_url(url)} is not a PLO Tracker database, or the file is damaged."
            )
        sqlstate = getattr(error.orig, "sqlstate", None)
        if sqlstate == _SQLSTATE_PERMISSION or _PERMISSION.search(message):
            return DatabasePermissionError()
        if isinstance(error, sa_exc.IntegrityError):
            return StoreIntegrityError(
                "The database refused this change because it would break the records' "
                "consistency (for example a duplicate or a missing linked record). "
                "Nothing was saved."
            )
        if isinstance(
            error, sa_exc.OperationalError | sa_exc.InterfaceError
        ) and _UNREACHABLE.search(message):
            return DatabaseUnavailableError(
                f"Cannot open the database {describe_url(url)}. Check that the server is "
                "running and that you may use it, or ask your administrator."
            )
    return None


class Database:
    """An open PLO Tracker database: engine plus short-lived sessions."""

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self.url: URL = make_url(url)
        try:
            self.engine: Engine = create_store_engine(self.url, echo=echo)
        except OSError as error:
            raise DatabaseUnavailableError(
                f"Cannot create the database file for {describe_url(self.url)}: {error.strerror}."
            ) from None
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        audit.install(self._write_sessions)
        revisions.install(self._write_sessions)

    # -- facts -------------------------------------------------------------------------
    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.url)

    @property
    def is_postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    @property
    def sqlite_path(self) -> Path | None:
        return sqlite_file(self.url)

    @property
    def display_name(self) -> str:
        path = self.sqlite_path
        if path is not None:
            return str(path)
        return describe_url(self.url)

    # -- sessions ----------------------------------------------------------------------
    @contextmanager
    def translate_errors(self) -> Iterator[None]:
        try:
            yield
        except (sa_exc.SQLAlchemyError, StaleDataError) as error:
            known = translate(error, self.url)
            if known is None:
                raise
            raise known from error

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything it changes is rolled back."""
        with self.translate_errors(), self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self, actor: str) -> Iterator[Session]:
        """A transaction that commits at the end of the block, audited as ``actor``."""
        if not actor:
            raise ValueError("a write needs the user who makes it")
        with self.translate_errors(), self._write_sessions() as session:
            session.info[ACTOR_KEY] = actor
            with session.begin():
                yield session

    def current_login(self) -> str | None:
        """The database login (PostgreSQL), or None for SQLite."""
        if not self.is_postgresql:
            return None
        with self.read() as session:
            return str(session.execute(text("SELECT current_user")).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()
