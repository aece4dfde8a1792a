"""What the window remembers for each person between starts (QSettings, an INI file).

Each person (by user name) has their own group: window size and place, the case
list's filters, sort and column widths, the drift review's filters.  Nothing about
cases is kept here, only how the screens were set out.  The file lives in the
data folder when ``PLO_TRACKER_DATA_DIR`` is set (development, tests), else in the
system's usual place for an application's settings; tests point ``SETTINGS_FILE``
at a file of their own.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANISATION = "PLO Tracker"
APPLICATION = "window"
SETTINGS_FILE: Path | None = None  # set by tests


def store() -> QSettings:
    if SETTINGS_FILE is not None:
        return QSettings(str(SETTINGS_FILE), QSettings.Format.IniFormat)
    data = os.environ.get("PLO_TRACKER_DATA_DIR")
    if data:
        return QSettings(str(Path(data) / "window.ini"), QSettings.Format.IniFormat)
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def _group(username: str) -> str:
    return "people/" + re.sub(r"[^A-Za-z0-9_.@-]", "_", username)


class PersonSettings:
    """One person's remembered layout: ``get``/``put`` under ``area/name`` keys."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.prefix = _group(username)

    def get(self, key: str, default: Any = None) -> Any:
        value = store().value(f"{self.prefix}/{key}", default)
        return default if value is None else value

    def get_bool(self, key: str, default: bool = False) -> bool:
        value = self.get(key, default)
        if isinstance(value, str):
            return value.lower() in ("true", "1", "yes")
        return bool(value)

    def get_bytes(self, key: str) -> QByteArray | None:
        value = self.get(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def put(self, key: str, value: Any) -> None:
        settings = store()
        settings.setValue(f"{self.prefix}/{key}", value)
        settings.sync()

    def put_many(self, values: dict[str, Any]) -> None:
        settings = store()
        for key, value in values.items():
            settings.setValue(f"{self.prefix}/{key}", value)
        settings.sync()
