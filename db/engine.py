"""Creating engines for SQLite (the single-user default) and PostgreSQL (teams).

SQLite connections get foreign keys, a busy timeout and, for local files, WAL.
Transactions are begun explicitly: ``BEGIN IMMEDIATE`` for writes, so a writer
waits for the lock up front instead of failing half way, and a plain ``BEGIN``
for reads.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.pool import NullPool, StaticPool

WRITE_OPTION = "plo_write"
SQLITE_BUSY_TIMEOUT_MS = 5000
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def sqlite_url(path: Path | str) -> URL:
    """A URL for a SQLite file; safe for paths with spaces or '#'."""
    return URL.create("sqlite+pysqlite", database=str(path))


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database."""
    if not is_sqlite(url):
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return None
    if url.query.get("mode") == "memory":
        return None
    return Path(database)


def sqlite_connect_uri(path: Path) -> str:
    """A URI that opens an existing file only: connecting never creates a database."""
    return path.resolve().as_uri() + "?mode=rw"


def create_owner_only_file(path: Path) -> None:
    """Create an empty SQLite file readable by its owner only, if it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)


NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smbfs", "smb3", "9p", "fuse.sshfs", "afs", "ncpfs", "davfs"}
)


def on_network_drive(path: Path, mounts_file: Path = Path("/proc/mounts")) -> bool:
    """True when ``path`` is on a network file system, where SQLite's WAL does not work.

    Linux: the file system type of the longest matching mount point; Windows: a UNC
    path or a mapped network drive.  Unknown means local.
    """
    resolved = path.resolve()
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        text = str(resolved)
        if text.startswith("\\\\"):
            return True
        try:
            import ctypes

            drive = os.path.splitdrive(text)[0] + "\\"
            return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # DRIVE_REMOTE
        except (AttributeError, OSError):
            return False
    try:
        mounts = mounts_file.read_text().splitlines()
    except OSError:
        return False
    best, kind = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (str(resolved) == point or str(resolved).startswith(point.rstrip("/") + "/")) and len(
            point
        ) > len(best):
            best, kind = point, parts[2]
    return kind in NETWORK_FILESYSTEMS


def _install_sqlite_hooks(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN instead of pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if wal:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            # Read pages through the OS's cache: each short session has a new connection,
            # whose own page cache would start empty (local files only, like WAL).
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def create_store_engine(url: str | URL, *, echo: bool = False) -> Engine:
    """An engine for ``url`` with PLO Tracker's connection settings."""
    url = make_url(url)
    if is_sqlite(url):
        path = sqlite_file(url)
        if path is None:
            engine = create_engine(
                url,
                echo=echo,
                hide_parameters=True,
                poolclass=StaticPool,
                connect_args={"check_same_thread": False},
            )
            _install_sqlite_hooks(engine, wal=False)
        else:
            # Opening never creates a file: a new database is made (marked as PLO Tracker's)
            # by db.identity.create_sqlite_file, and only when the command may create one.
            uri = sqlite_connect_uri(path)
            wal = not on_network_drive(path.parent)
            engine = create_engine(
                url,
                echo=echo,
                hide_parameters=True,
                poolclass=NullPool,
                creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=10),
            )
            # WAL needs shared memory on one computer; on a network drive fall back to a
            # rollback journal (teams sharing a drive should use PostgreSQL instead).
            _install_sqlite_hooks(engine, wal=wal)
        return engine
    if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return create_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10} if url.get_backend_name() == "postgresql" else {},
    )
