"""Sessions: one short session per use case, read or write.

``Database.write(actor)`` opens a transaction that commits when the block ends
and rolls back on any error; every ORM change made in it is audited in that same
transaction (see ``db.audit``).  ``Database.read()`` never writes.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, make_url, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from db import audit, revisions
from db.counters import note_saved, saved_transactions  # noqa: F401 (re-exported)
from db.engine import WRITE_OPTION, create_store_engine, is_sqlite, sqlite_file
from db.errors import (
    DatabaseBusyError,
    DatabaseMissingError,
    DatabasePermissionError,
    DatabaseReadOnlyError,
    DatabaseUnavailableError,
    StaleRecordError,
    StoreError,
    StoreIntegrityError,
)

ACTOR_KEY = "actor"
_APP_AUDITED = text("SELECT set_config('plo.audited', 'on', true)")  # SET LOCAL
log = logging.getLogger("plo_tracker.db")

_LOCKED = re.compile(r"database is (locked|busy)|database table is locked", re.I)
_NOT_A_DATABASE = re.compile(r"file is not a database|file is encrypted|malformed", re.I)
_DISK_FULL = re.compile(r"database or disk is full|no space left", re.I)
_PERMISSION = re.compile(r"permission denied|insufficient privilege|row-level security", re.I)
_SQLSTATE_PERMISSION = "42501"  # insufficient_privilege, including row-level security
_SECRET_QUERY_KEYS = frozenset({"password", "passfile", "sslpassword"})


def describe_url(url: URL) -> str:
    """The URL without any password (nor password-like options), for titles and messages."""
    secret = {k for k in url.query if k.lower() in _SECRET_QUERY_KEYS}
    if secret:
        url = url.update_query_dict({k: "***" for k in secret})
    return url.render_as_string(hide_password=True)


def diagnostic(error: BaseException) -> str:
    """The driver's class and codes (SQLSTATE, SQLite error name, errno): no values."""
    parts = [f"{type(error).__module__}.{type(error).__qualname__}"]
    orig = getattr(error, "orig", None)
    if orig is not None:
        parts.append(f"driver={type(orig).__module__}.{type(orig).__qualname__}")
        error = orig
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and re.fullmatch(r"[0-9A-Z]{5}", sqlstate):
        parts.append(f"sqlstate={sqlstate}")
    name = getattr(error, "sqlite_errorname", None)
    if isinstance(name, str) and re.fullmatch(r"SQLITE_[A-Z_]+", name):
        parts.append(f"sqlite={name}({getattr(error, 'sqlite_errorcode', '?')})")
    number = getattr(error, "errno", None)
    if isinstance(number, int):
        parts.append(f"errno={number}")
    return " ".join(parts)


def _known(known: StoreError, error: BaseException) -> StoreError:
    known.diagnostic = diagnostic(error)  # type: ignore[attr-defined]
    # Only class names and codes go in the text, never a value or a message.
    log.warning(f"database problem {type(known).__name__}: {known.diagnostic}")  # type: ignore[attr-defined]
    return known


def translate(error: BaseException, url: URL) -> StoreError | None:
    """A user-facing StoreError for a database exception, or None if unknown.

    SQLite problems are told in terms of the file and its folder; PostgreSQL ones in
    terms of the server, naming the cause.  The log keeps the driver's codes.
    """
    if isinstance(error, StoreError):
        return error
    if isinstance(error, StaleDataError):
        return StaleRecordError()
    if isinstance(error, OSError) and is_sqlite(url):
        path = sqlite_file(url)
        if path is not None:
            return _known(translate_os_error(error, path), error)
    if not isinstance(error, sa_exc.DBAPIError):
        return None
    message = str(error.orig) if error.orig is not None else str(error)
    if is_sqlite(url):
        known = _sqlite_problem(error, message, sqlite_file(url))
    else:
        known = _server_problem(error, message, url)
    if known is None and isinstance(error, sa_exc.IntegrityError):
        known = StoreIntegrityError(
            "The database refused this change because it would break the records' "
            "consistency (for example a duplicate or a missing linked record). "
            "Nothing was saved."
        )
    return None if known is None else _known(known, error)


def _sqlite_problem(error: sa_exc.DBAPIError, message: str, path: Path | None) -> StoreError | None:
    name = getattr(error.orig, "sqlite_errorname", "") or ""
    where = str(path) if path is not None else "the in-memory database"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or _LOCKED.search(message):
        return DatabaseBusyError()
    if name == "SQLITE_FULL" or _DISK_FULL.search(message):
        return StoreError(f"The disk holding {where} is full. Nothing was saved.")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or _NOT_A_DATABASE.search(message):
        return DatabaseUnavailableError(
            f"{where} is damaged, or is not a database. Nothing was changed; restore it "
            "from a backup (plo-tracker restore) or ask your IT team."
        )
    if path is not None and (
        name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH"))
        or "readonly" in message
        or "unable to open" in message
    ):
        return file_access_problem(path)
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in message.lower():
        return DatabaseUnavailableError(
            f"The disk reported an error while reading or writing {where}. Nothing more was "
            "saved. Check the disk (or network drive), then try again."
        )
    return None


def file_access_problem(path: Path) -> StoreError:
    """Why SQLite cannot use ``path``, in terms of the file and its folder."""
    folder = path.parent
    if not folder.is_dir():
        return DatabaseUnavailableError(
            f"The folder {folder} does not exist, so the database {path.name} cannot be "
            "opened there. Check the path."
        )
    if not os.access(folder, os.X_OK) or (path.exists() and not os.access(path, os.R_OK)):
        return DatabaseReadOnlyError(
            f"You may not read the database file {path} (or its folder). Check its "
            "permissions, or ask your IT team. Nothing was changed."
        )
    if path.exists() and not os.access(path, os.W_OK):
        return DatabaseReadOnlyError(
            f"The database file {path} is read-only for you, so nothing could be saved in it "
            "(nothing was changed; it can still be read). Make the file writable for you, or "
            "ask your IT team."
        )
    if not os.access(folder, os.W_OK):
        return DatabaseReadOnlyError(
            f"The folder {folder} is read-only for you. SQLite keeps its journal files "
            f"beside {path.name}, even to read it, so the folder must be writable too. "
            "Nothing was changed."
        )
    return DatabaseUnavailableError(
        f"The database file {path} cannot be opened (it may be on a drive that is not "
        "available now). Nothing was changed."
    )


def translate_os_error(error: OSError, path: Path, *, creating: bool = False) -> StoreError:
    """A file-system error about the SQLite file ``path``, in file terms."""
    if error.errno == errno.ENOSPC:
        return StoreError(f"The disk holding {path} is full. Nothing was saved.")
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOENT):
        return file_access_problem(path)
    verb = "create" if creating else "use"
    return DatabaseUnavailableError(
        f"Cannot {verb} the database file {path}: {error.strerror or 'the system refused'}."
    )


_NO_DATABASE = re.compile(r'database "([^"]*)" does not exist', re.I)
_NO_ROLE = re.compile(r'role "([^"]*)" does not exist', re.I)
_AUTH = re.compile(
    r"authentication failed|no pg_hba\.conf entry|password must be|no password supplied", re.I
)
_BAD_OPTION = re.compile(r'invalid connection option "([^"]*)"', re.I)
_BAD_VALUE = re.compile(r'invalid (\w+) value: "([^"]*)"', re.I)
_REFUSED = re.compile(r"connection refused", re.I)
_NO_HOST = re.compile(r"failed to resolve host|could not translate host name|name or service", re.I)
_TIMEOUT = re.compile(r"timeout expired|timed out", re.I)
_SSL = re.compile(r"ssl", re.I)
_CLOSED = re.compile(
    r"server closed the connection|terminating connection|connection is lost", re.I
)
_TOO_MANY = re.compile(
    r"too many (clients|connections)|remaining connection slots are reserved", re.I
)
_STARTING = re.compile(
    r"the database system is (starting up|shutting down|in recovery mode|not yet accepting"
    r"|not accepting)",
    re.I,
)
_STATEMENT_TIMEOUT = re.compile(r"statement timeout|idle-in-transaction timeout", re.I)
_CONNECTING = re.compile(r"connection failed|connection is bad|could not connect", re.I)


def _server(url: URL) -> str:
    host = url.host or "localhost (local socket)"
    return f"{host}:{url.port or 5432}"


def _server_problem(error: sa_exc.DBAPIError, message: str, url: URL) -> StoreError | None:
    sqlstate = getattr(error.orig, "sqlstate", None)
    server = _server(url)
    if sqlstate == _SQLSTATE_PERMISSION or _PERMISSION.search(message):
        return DatabasePermissionError()
    if _LOCKED.search(message) or sqlstate in ("55P03", "40P01"):
        return DatabaseBusyError()
    if _DISK_FULL.search(message) or sqlstate == "53100":
        return StoreError("The database server's disk is full. Nothing was saved.")
    if _TOO_MANY.search(message) or sqlstate == "53300":
        return DatabaseUnavailableError(
            f"The PostgreSQL server at {server} has no free connection: its connection limit "
            "is reached (for the server, this database or your login). Nothing was changed; "
            "try again in a few minutes, or ask your database administrator."
        )
    if _STARTING.search(message) or sqlstate == "57P03":
        return DatabaseUnavailableError(
            f"The PostgreSQL server at {server} is starting up or shutting down, so it does "
            "not accept work now. Nothing was changed; try again in a minute."
        )
    if _STATEMENT_TIMEOUT.search(message) or sqlstate in ("57014", "25P03"):
        return StoreError(
            f"The PostgreSQL server at {server} stopped the work because it ran past the "
            "server's time limit (statement timeout). Nothing was saved; try again when the "
            "database is less busy, or ask your database administrator."
        )
    found = _BAD_OPTION.search(message)
    if found:
        return DatabaseUnavailableError(
            f"The database URL has a connection option PostgreSQL does not know: "
            f"'{found.group(1)[:40]}'. Remove or correct it in {describe_url(url)}."
        )
    found = _BAD_VALUE.search(message)
    if found and found.group(1).lower() != "password":
        return DatabaseUnavailableError(
            f"The database URL's option {found.group(1)[:40]} has a value PostgreSQL does not "
            f"accept ('{found.group(2)[:40]}'). Correct it in {describe_url(url)}."
        )
    found = _NO_DATABASE.search(message)
    if found or sqlstate == "3D000":
        name = found.group(1) if found else (url.database or "")
        return DatabaseMissingError(
            f"The PostgreSQL server at {server} has no database named '{name[:63]}'. Check "
            "the database name in the URL, or ask your database administrator to create it "
            "(see docs/security-and-operations.md).",
            describe_url(url),
        )
    found = _NO_ROLE.search(message)
    if found or _AUTH.search(message) or sqlstate in ("28000", "28P01"):
        login = url.username or "(your operating-system login)"
        cause = "there is no such login" if found else "the password or sign-in method failed"
        return DatabaseUnavailableError(
            f"The PostgreSQL server at {server} refused the login '{login[:63]}': "
            f"authentication failed ({cause}). Check the user name and password, or ask "
            "your database administrator."
        )
    if _REFUSED.search(message):
        return DatabaseUnavailableError(
            f"Nothing accepted the connection at {server} (connection refused). Check the "
            "host and port in the database URL, and that the PostgreSQL server is running."
        )
    if _NO_HOST.search(message):
        return DatabaseUnavailableError(
            f"The server name '{(url.host or '')[:100]}' could not be found. Check the host "
            "in the database URL (and the network)."
        )
    if _TIMEOUT.search(message):
        return DatabaseUnavailableError(
            f"The PostgreSQL server at {server} did not answer in time. Check the network, "
            "or try again later."
        )
    if _CONNECTING.search(message) and _SSL.search(message):
        return DatabaseUnavailableError(
            f"The connection to {server} failed on its encryption (SSL) settings. Check the "
            "sslmode and certificate options in the database URL with your administrator."
        )
    if _CLOSED.search(message):
        return DatabaseUnavailableError(
            f"The PostgreSQL server at {server} closed the connection. Nothing more was "
            "saved; try again, or ask your database administrator."
        )
    if isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError) and _CONNECTING.search(
        message
    ):
        return DatabaseUnavailableError(
            f"Cannot connect to the PostgreSQL database {describe_url(url)}. The details "
            "for your IT team are in the log file."
        )
    return None


@contextmanager
def translating(url: URL) -> Iterator[None]:
    """Database and file errors met outside a session, as StoreErrors."""
    try:
        yield
    except (sa_exc.SQLAlchemyError, StaleDataError, OSError) as error:
        known = translate(error, url)
        if known is None:
            raise
        raise known from error


class Database:
    """An open PLO Tracker database: engine plus short-lived sessions."""

    def __init__(self, url: str | URL, *, echo: bool = False) -> None:
        self.url: URL = make_url(url)
        with translating(self.url):
            self.engine: Engine = create_store_engine(self.url, echo=echo)
        self._write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self._read_sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(self._write_engine, expire_on_commit=False)
        audit.install(self._write_sessions)
        revisions.install(self._write_sessions)
        # Called (on the writing thread) after each committed ``write``; see
        # ``plo_tracker.changes``, which the window listens to.
        self.after_commit: list[Callable[[], None]] = []

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
        with translating(self.url):
            yield

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; anything it changes is rolled back."""
        with self.translate_errors(), self._read_sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self, actor: str, *, notify: bool = True) -> Iterator[Session]:
        """A transaction that commits at the end of the block, audited as ``actor``.

        ``notify=False`` for a write that changes nothing anyone sees (a kept cache):
        the ``after_commit`` listeners are not told of it.
        """
        if not actor:
            raise ValueError("a write needs the user who makes it")
        with self.translate_errors(), self._write_sessions() as session:
            session.info[ACTOR_KEY] = actor
            with session.begin():
                if self.is_postgresql:
                    # The app audits its own changes (db.audit); db-setup's triggers audit
                    # only changes made outside it (db/enforcement.py).
                    session.execute(_APP_AUDITED)
                yield session
            note_saved()
        if notify:
            for callback in list(self.after_commit):
                callback()

    def current_login(self) -> str | None:
        """The database login (PostgreSQL), or None for SQLite."""
        if not self.is_postgresql:
            return None
        with self.read() as session:
            return str(session.execute(text("SELECT current_user")).scalar_one())

    def dispose(self) -> None:
        self.engine.dispose()
