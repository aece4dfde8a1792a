"""Where PLO Tracker keeps its files, and which database it opens.

Database precedence: the ``--db`` option, then ``PLO_TRACKER_DATABASE_URL``, then
the SQLite file ``plo-tracker.db`` in the user's data folder.  The data folder
can be moved with ``PLO_TRACKER_DATA_DIR`` (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from db.engine import sqlite_url
from plo_tracker.errors import PloError

APP_NAME = "PLO Tracker"
DB_ENV = "PLO_TRACKER_DATABASE_URL"
DATA_DIR_ENV = "PLO_TRACKER_DATA_DIR"
DB_FILE_NAME = "plo-tracker.db"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / "logs"
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / DB_FILE_NAME


def parse_database_url(text: str) -> URL:
    """A database URL, or a plain file path meaning a SQLite file."""
    text = text.strip()
    if not text:
        raise PloError("The database URL is empty.")
    if "://" not in text:
        return sqlite_url(Path(text).expanduser().resolve())
    try:
        url = make_url(text)
    except ArgumentError:
        raise PloError(
            "The database URL is not valid. Use a file path for SQLite, or "
            "postgresql://user@host/database for PostgreSQL."
        ) from None
    backend = url.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise PloError(f"PLO Tracker works with SQLite and PostgreSQL, not '{backend}'.")
    return url


def resolve_database_url(option: str | None) -> URL:
    if option:
        return parse_database_url(option)
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return parse_database_url(from_env)
    return sqlite_url(default_database_path())
