"""Logging to a rotating file in the user's log folder, with no personal data.

Log calls in PLO Tracker pass identifiers and counts, never names or free text.
As a second line of defence, ``PersonalDataFilter`` replaces every string
argument of a log record with ``[redacted]`` unless it is wrapped in ``Safe``,
and drops exception messages (which can quote values) while keeping the
exception type and the traceback's file and line numbers.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from typing import Any

LOG_FILE_NAME = "plo-tracker.log"
REDACTED = "[redacted]"


class Safe(str):
    """A string known to hold no personal data (a rule id, a count, a file type)."""

    __slots__ = ()


def _scrub(value: Any) -> Any:
    if isinstance(value, Safe):
        return str(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    return REDACTED


def _format_exception(exc_info: Any) -> str:
    kind, _value, tb = exc_info
    lines = ["Traceback (most recent call last, values removed):"]
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
    lines.append(f"{kind.__module__}.{kind.__qualname__}" if kind else "unknown error")
    return "\n".join(lines)


class PersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            if isinstance(record.args, dict):
                record.args = {k: _scrub(v) for k, v in record.args.items()}
            else:
                record.args = tuple(_scrub(v) for v in record.args)
        if not isinstance(record.msg, str):
            record.msg = REDACTED
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = _format_exception(record.exc_info)
            record.exc_info = None
        if record.stack_info:
            record.stack_info = None
        return True


_configured_file: Path | None = None


LIBRARY_LOGGERS = ("psycopg", "sqlalchemy", "alembic", "docxtpl", "PIL")


def configure(directory: Path, *, level: int = logging.INFO) -> Path:
    """Log to ``directory/plo-tracker.log`` (owner-only, rotated); returns the file."""
    global _configured_file
    path = directory / LOG_FILE_NAME
    root = logging.getLogger("plo_tracker")
    if _configured_file == path:
        return path
    directory.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PersonalDataFilter())
    for logger in (root, *(logging.getLogger(name) for name in LIBRARY_LOGGERS)):
        for old in list(logger.handlers):
            if getattr(old, "_plo_tracker", False):
                logger.removeHandler(old)
                old.close()
    handler._plo_tracker = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # The libraries' own warnings (their level is left as it is: warnings and errors) go to
    # the same file, redacted, instead of Python's last-resort handler printing them on
    # the user's screen (psycopg's "error ignored terminating ... pipeline aborted" after
    # Ctrl-C, say).
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    _configured_file = path
    return path
