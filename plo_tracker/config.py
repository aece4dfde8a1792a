"""Where PLO Tracker keeps its files, which database it opens, and where each setting comes from.

Three settings can be set outside the app: the database (``database_url``), the council's
letter templates folder (``template_folder``) and the log folder (``log_folder``).  Each is
taken from the first of these that sets it:

1. the ``--db`` option (the database only);
2. an environment variable: ``PLO_TRACKER_DATABASE_URL`` for the database;
   ``PLO_TRACKER_DATA_DIR`` moves the data folder and the logs with it (tests, portable use);
3. the user's own settings file, ``config.toml`` in ``platformdirs.user_config_dir``
   (``~/.config/PLO Tracker`` on Linux, ``%LOCALAPPDATA%\\PLO Tracker`` on Windows);
4. the computer's settings file for every user, ``config.toml`` in
   ``platformdirs.site_config_dir`` (``/etc/xdg/PLO Tracker`` on Linux,
   ``%PROGRAMDATA%\\PLO Tracker`` on Windows), which council IT rolls out;
5. the default: the SQLite file ``plo-tracker.db`` in the user's data folder; no template
   folder (the database's own setting, if any, is used); the user's log folder.

IT can lock settings in the computer's file (``locked = ["database_url"]``): a locked
setting comes from that file only, and a ``--db`` option, environment variable or personal
file that tries to set it otherwise is refused with a message naming IT's file.  An
installation can require the computer's file: the marker file ``site-config-required.txt``
beside the program (the MSI writes it when installed with ``REQUIRE_SITE_CONFIG=1``) makes
a missing computer's file stop the app with a message for IT, instead of opening a personal
database; with the marker, ``PLO_TRACKER_SITE_CONFIG`` is ignored.

``PLO_TRACKER_SITE_CONFIG`` and ``PLO_TRACKER_USER_CONFIG`` name other files (tests).
A settings file that cannot be read, an unknown setting or a bad value is a ``ConfigError``
naming the file and the line.  A database file path in a settings file or the environment
must be a full path: a relative one would depend on the folder the program was started
from (``C:\\Program Files\\PLO Tracker`` from the Start menu).  Nothing here imports
SQLAlchemy until a URL is parsed, so ``--help``, ``--version`` and ``config`` stay fast.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from plo_tracker.errors import PloError

if TYPE_CHECKING:
    from sqlalchemy import URL

APP_NAME = "PLO Tracker"
DB_ENV = "PLO_TRACKER_DATABASE_URL"
DATA_DIR_ENV = "PLO_TRACKER_DATA_DIR"
SITE_CONFIG_ENV = "PLO_TRACKER_SITE_CONFIG"
USER_CONFIG_ENV = "PLO_TRACKER_USER_CONFIG"
DB_FILE_NAME = "plo-tracker.db"
CONFIG_FILE_NAME = "config.toml"
REQUIRED_MARKER = "site-config-required.txt"
LOCKED = "locked"

DATABASE_URL = "database_url"
TEMPLATE_FOLDER = "template_folder"
LOG_FOLDER = "log_folder"
SETTING_LABELS = {
    DATABASE_URL: "Database",
    TEMPLATE_FOLDER: "Council's letter templates folder",
    LOG_FOLDER: "Log folder",
}

# Where a setting came from.
OPTION = "option"
ENVIRONMENT = "environment"
USER_FILE = "user file"
SITE_FILE = "site file"
DEFAULT = "default"

DATABASE_SCHEMES = ("sqlite", "postgresql")
# A setting whose problem stops PLO Tracker (``Setting.where``; config_sources lists it).
STOPS = "none: PLO Tracker stops until the problem below is fixed"


class ConfigError(PloError):
    """A settings file that cannot be used; the message names the file (and line)."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


# -- the folders -------------------------------------------------------------------------------


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    return data_dir() / DB_FILE_NAME


def program_folder() -> Path:
    """The folder of the installed program (the bundle's folder; for a source install,
    the folder holding the ``plo_tracker`` package)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def required_marker() -> Path | None:
    """The install-time switch beside the program, if this installation has it: the
    computer's settings file must then be there."""
    marker = program_folder() / REQUIRED_MARKER
    return marker if marker.is_file() else None


def standard_site_config_path() -> Path:
    """The computer's settings file where the platform keeps it (no override)."""
    if os.name != "nt" and sys.platform != "darwin":
        # Not $XDG_CONFIG_DIRS, which anyone can set: IT's file is in /etc/xdg.
        return Path("/etc/xdg") / APP_NAME / CONFIG_FILE_NAME
    import platformdirs

    return platformdirs.site_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def site_config_path() -> Path:
    """The settings file for every user of this computer (council IT's)."""
    if required_marker() is not None:  # an enforced installation: IT's file, nowhere else
        return standard_site_config_path()
    override = os.environ.get(SITE_CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.site_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


def user_config_path() -> Path:
    """The user's own settings file."""
    override = os.environ.get(USER_CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME


# -- settings files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SettingsFile:
    """One ``config.toml``: what it sets, and on which line."""

    scope: str  # USER_FILE or SITE_FILE
    path: Path
    exists: bool
    values: dict[str, str]
    lines: dict[str, int]
    locked: frozenset[str] = frozenset()  # the computer's file only

    def where(self, key: str) -> str:
        owner = "your settings file" if self.scope == USER_FILE else "this computer's settings file"
        line = self.lines.get(key)
        return f"{owner} {self.path}" + (f", line {line}" if line else "")


_KEY_LINE = re.compile(r"""^\s*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))\s*=""")


def _key_lines(text: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _KEY_LINE.match(line)
        if match:
            key = next(group for group in match.groups() if group)
            found.setdefault(key, number)
    return found


def _folder_value(raw: str) -> str:
    """A folder as written, with ``~`` and environment variables (%PROGRAMDATA%) expanded."""
    return os.path.expanduser(os.path.expandvars(raw.strip()))


def _value_problem(key: str, value: str) -> str | None:
    if not value.strip():
        return "is empty"
    if key == DATABASE_URL:
        return database_text_problem(value) or relative_path_problem(value)
    if not Path(_folder_value(value)).is_absolute():
        return f"'{value}' is not a full folder path (start from the drive or from /)"
    return None


def read_settings_file(path: Path, scope: str) -> SettingsFile:
    """Read and check one settings file; a missing file sets nothing."""
    import tomllib

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return SettingsFile(scope, path, False, {}, {})
    except IsADirectoryError:
        raise ConfigError(
            f"{path}: this settings file cannot be read (it is a folder). Ask your IT team to "
            "check it.",
            path,
        ) from None
    except OSError as error:
        raise ConfigError(
            f"{path}: this settings file cannot be read ({error.strerror or error}). Ask your "
            "IT team to check it.",
            path,
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(
            f"{path}: this settings file is not UTF-8 text. Save it as UTF-8.", path
        ) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else None
        raise ConfigError(
            f"{path}" + (f", line {line}" if line else "") + ": this settings file is not "
            f"valid TOML ({error}). Values are written like "
            'database_url = "postgresql://plo-db.council.local/plo".',
            path,
            line,
        ) from None
    lines = _key_lines(text)
    values: dict[str, str] = {}
    locked = _locked_list(document.pop(LOCKED, None), scope, path, lines.get(LOCKED))
    for key, value in document.items():
        line = lines.get(key)
        at = f"{path}, line {line}" if line else str(path)
        if key not in SETTING_LABELS:
            close = difflib.get_close_matches(key, list(SETTING_LABELS), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ConfigError(
                f"{at}: '{key}' is not a PLO Tracker setting.{hint} The settings are: "
                + ", ".join(SETTING_LABELS)
                + " (and, in this computer's file, locked).",
                path,
                line,
            )
        if not isinstance(value, str):
            raise ConfigError(
                f'{at}: {key} must be text in quotes, for example {key} = "{_EXAMPLES[key]}".',
                path,
                line,
            )
        problem = _value_problem(key, value)
        if problem:
            raise ConfigError(f"{at}: {key} {problem}.", path, line)
        values[key] = value.strip()
    for key in sorted(locked - set(values)):
        line = lines.get(LOCKED)
        raise ConfigError(
            f"{path}" + (f", line {line}" if line else "") + f": locked names {key}, but this "
            f'file does not set it. Add {key} = "..." to the file, or take it out of locked.',
            path,
            line,
        )
    return SettingsFile(
        scope,
        path,
        True,
        values,
        {k: v for k, v in lines.items() if k in values or k == LOCKED},
        frozenset(locked),
    )


def _locked_list(raw: object, scope: str, path: Path, line: int | None) -> set[str]:
    """The settings a computer's file locks (``locked = ["database_url"]``)."""
    if raw is None:
        return set()
    at = f"{path}, line {line}" if line else str(path)
    if scope != SITE_FILE:
        raise ConfigError(
            f"{at}: only this computer's settings file (set by IT) can lock settings; take "
            "the locked line out of your own file.",
            path,
            line,
        )
    example = 'locked = ["database_url"]'
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise ConfigError(
            f"{at}: locked must be a list of setting names in quotes, for example {example}.",
            path,
            line,
        )
    for name in raw:
        if name not in SETTING_LABELS:
            raise ConfigError(
                f"{at}: locked names '{name[:40]}', which is not a PLO Tracker setting. The "
                "settings are: " + ", ".join(SETTING_LABELS) + ".",
                path,
                line,
            )
    return set(raw)


_EXAMPLES = {
    DATABASE_URL: "postgresql://plo-db.council.local/plo",
    TEMPLATE_FOLDER: r"\\fileserver\PLO\templates",
    LOG_FOLDER: r"%LOCALAPPDATA%\PLO Tracker\logs",
}


def read_site_file() -> SettingsFile:
    """The computer's file; missing is an error when the installation requires it."""
    site = read_settings_file(site_config_path(), SITE_FILE)
    marker = required_marker()
    if marker is not None and not site.exists:
        raise ConfigError(
            f"This computer's PLO Tracker settings file {site.path} is missing. This "
            f"installation requires it (IT installed it so: {marker}), so PLO Tracker stops "
            "rather than open a database of your own. Please tell your IT team: the file "
            "names the team's database.",
            site.path,
        )
    return site


def settings_files() -> tuple[SettingsFile, SettingsFile]:
    """The user's file, then the computer's (the first that sets a value wins)."""
    return (read_settings_file(user_config_path(), USER_FILE), read_site_file())


# -- where each setting comes from ---------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A setting's value in force and where it came from, in words for the user."""

    key: str
    value: str | None
    source: str  # OPTION, ENVIRONMENT, USER_FILE, SITE_FILE or DEFAULT
    where: str
    locked: bool = False  # locked by IT in the computer's file

    @property
    def label(self) -> str:
        return SETTING_LABELS.get(self.key, self.key)

    @property
    def source_words(self) -> str:
        """Where it came from, saying when IT locked it."""
        return self.where + (" (locked by IT)" if self.locked else "")

    @property
    def shown(self) -> str:
        """The value fit to show (a password in a database URL is hidden)."""
        if self.value is None:
            return "none" if self.where == STOPS else "not set"
        return hide_password(self.value) if self.key == DATABASE_URL else self.value


def _file_setting(key: str, settings: SettingsFile) -> Setting:
    value = settings.values[key]
    if key != DATABASE_URL:
        value = _folder_value(value)
    return Setting(key, value, settings.scope, settings.where(key), key in settings.locked)


def _from_files(key: str, files: tuple[SettingsFile, ...]) -> Setting | None:
    for settings in files:
        if key in settings.locked:
            return _file_setting(key, settings)
    for settings in files:
        if key in settings.values:
            return _file_setting(key, settings)
    return None


def _locked_in(key: str, files: tuple[SettingsFile, ...]) -> Setting | None:
    for settings in files:
        if key in settings.locked:
            return _file_setting(key, settings)
    return None


def _same(key: str, one: str, other: str) -> bool:
    if key != DATABASE_URL:
        return _folder_value(one) == _folder_value(other)
    if one.strip() == other.strip():
        return True
    first, second = sqlite_path_of(one), sqlite_path_of(other)
    return first is not None and first == second


def refuse_override(locked: Setting, value: str, where: str) -> ConfigError:
    """The error for an attempt to set a locked setting another way."""
    shown = hide_password(value) if locked.key == DATABASE_URL else value
    return ConfigError(
        f"{locked.label} ({locked.key}) is locked by your IT team in {locked.where}, so "
        f"{where} cannot set it to {shown}. Take it out of {where}, or ask your IT team "
        "if you need another."
    )


def _overrides(key: str, option: str | None, files: tuple[SettingsFile, ...]) -> list:
    """(value, where) of everything above the computer's file that sets ``key``."""
    found: list[tuple[str, str]] = []
    if key == DATABASE_URL:
        if option:
            found.append((option, "the --db option"))
        from_env = os.environ.get(DB_ENV)
        if from_env:
            found.append((from_env, f"the environment variable {DB_ENV}"))
    for settings in files:
        if settings.scope == USER_FILE and key in settings.values:
            found.append((settings.values[key], settings.where(key)))
    return found


def database_setting(option: str | None, files: tuple[SettingsFile, ...] | None = None) -> Setting:
    files = settings_files() if files is None else files
    locked = _locked_in(DATABASE_URL, files)
    if locked is not None:
        for value, where in _overrides(DATABASE_URL, option, files):
            if not _same(DATABASE_URL, value, locked.value or ""):
                raise refuse_override(locked, value, where)
        return locked
    if option:
        return Setting(DATABASE_URL, option, OPTION, "the --db option")
    from_env = os.environ.get(DB_ENV)
    if from_env:
        problem = relative_path_problem(from_env)
        if problem:
            raise ConfigError(f"The environment variable {DB_ENV}: the database {problem}.")
        return Setting(DATABASE_URL, from_env, ENVIRONMENT, f"the environment variable {DB_ENV}")
    found = _from_files(DATABASE_URL, files)
    if found is not None:
        return found
    return _default_database()


def _default_database() -> Setting:
    return Setting(
        DATABASE_URL, str(default_database_path()), DEFAULT, "the default (your data folder)"
    )


def _locked_folder(key: str, files: tuple[SettingsFile, ...]) -> Setting | None:
    locked = _locked_in(key, files)
    if locked is not None:
        for value, where in _overrides(key, None, files):
            if not _same(key, value, locked.value or ""):
                raise refuse_override(locked, value, where)
    return locked


def template_folder_setting(files: tuple[SettingsFile, ...] | None = None) -> Setting:
    files = settings_files() if files is None else files
    found = _locked_folder(TEMPLATE_FOLDER, files) or _from_files(TEMPLATE_FOLDER, files)
    if found is not None:
        return found
    return Setting(
        TEMPLATE_FOLDER,
        None,
        DEFAULT,
        "no settings file (the folder set in the database, if any, is used)",
    )


def log_folder_setting(files: tuple[SettingsFile, ...] | None = None) -> Setting:
    files = settings_files() if files is None else files
    locked = _locked_folder(LOG_FOLDER, files)
    if locked is not None:  # wins over PLO_TRACKER_DATA_DIR too, which then moves data only
        return locked
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Setting(
            LOG_FOLDER,
            str(Path(override).expanduser() / "logs"),
            ENVIRONMENT,
            f"the environment variable {DATA_DIR_ENV}",
        )
    found = _from_files(LOG_FOLDER, files)
    if found is not None:
        return found
    return _default_log_folder()


def template_folder() -> Path | None:
    """The council's template folder set in a settings file, if any (raises ConfigError)."""
    setting = template_folder_setting()
    return Path(setting.value) if setting.value else None


def log_dir() -> Path:
    """The log folder.  Never raises: a broken settings file falls back to the default, and
    the error itself is reported where the file is needed (the database, ``config``)."""
    try:
        return Path(log_folder_setting().value or "")
    except ConfigError:
        return Path(log_folder_setting(()).value or "")


def _default_log_folder() -> Setting:
    import platformdirs

    default = platformdirs.user_log_path(APP_NAME, appauthor=False)
    return Setting(LOG_FOLDER, str(default), DEFAULT, "the default (your log folder)")


# -- database URLs -----------------------------------------------------------------------------


def database_text_problem(text: str) -> str | None:
    """What is wrong with a database URL or file path, checked without SQLAlchemy."""
    text = text.strip()
    if not text:
        return "is empty"
    if "://" not in text:
        return None
    scheme = text.split("://", 1)[0].split("+", 1)[0].lower()
    if scheme not in DATABASE_SCHEMES:
        return f"uses '{scheme}': PLO Tracker works with SQLite and PostgreSQL"
    return None


def relative_path_problem(text: str) -> str | None:
    """A SQLite file given as a relative path, which would depend on the folder the
    program happens to start in (from the Start menu: the program's own folder)."""
    path = sqlite_path_of(text, resolve=False)
    if path is None or path.is_absolute():
        return None
    return (
        f"file '{text.strip()}' is not a full path (start from the drive or from /): a "
        "relative path would depend on the folder PLO Tracker is started from"
    )


def hide_password(text: str) -> str:
    """A database URL fit to show: its password (if any) replaced by ***."""
    if "://" not in text:
        return text
    try:
        parts = urlsplit(text)
    except ValueError:
        return "(a database URL that cannot be read)"
    if parts.password is None:
        return text
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def sqlite_path_of(text: str, *, resolve: bool = True) -> Path | None:
    """The file of a SQLite setting (a plain path or sqlite:/// URL); None otherwise.
    ``resolve``: a relative path is taken from the current folder (the --db option)."""
    text = text.strip()
    if "://" not in text:
        path = Path(text).expanduser()
        return path.resolve() if resolve else path
    scheme, _, rest = text.partition("://")
    if scheme.split("+", 1)[0].lower() != "sqlite":
        return None
    path = rest[1:] if rest.startswith("/") else rest
    path = path.split("?", 1)[0]
    if path in ("", ":memory:"):
        return None
    return Path(path)


def parse_database_url(text: str, where: str | None = None) -> URL:
    """A database URL, or a plain file path meaning a SQLite file."""
    from sqlalchemy import make_url
    from sqlalchemy.exc import ArgumentError

    from db.engine import sqlite_url

    prefix = f"{where}: " if where else ""
    problem = database_text_problem(text)
    if problem:
        raise PloError(f"{prefix}The database URL {problem}.")
    text = text.strip()
    if "://" not in text:
        return sqlite_url(Path(text).expanduser().resolve())
    try:
        url = make_url(text)
    except ArgumentError:
        raise PloError(
            f"{prefix}The database URL is not valid. Use a file path for SQLite, or "
            "postgresql://user@host/database for PostgreSQL."
        ) from None
    return url


def resolve_database_url(option: str | None) -> URL:
    """The database in force: ``--db``, the environment, the settings files, the default."""
    setting = database_setting(option)
    if setting.source == DEFAULT:
        from db.engine import sqlite_url

        return sqlite_url(default_database_path())
    where = None if setting.source in (OPTION, ENVIRONMENT) else setting.where
    return parse_database_url(setting.value or "", where)
