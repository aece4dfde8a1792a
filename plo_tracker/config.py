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

``PLO_TRACKER_SITE_CONFIG`` and ``PLO_TRACKER_USER_CONFIG`` name other files (tests).
A settings file that cannot be read, an unknown setting or a bad value is a ``ConfigError``
naming the file and the line.  Nothing here imports SQLAlchemy until a URL is parsed, so
``--help``, ``--version`` and ``config`` stay fast.
"""

from __future__ import annotations

import difflib
import os
import re
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


def site_config_path() -> Path:
    """The settings file for every user of this computer (council IT's)."""
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
        return database_text_problem(value)
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
    for key, value in document.items():
        line = lines.get(key)
        at = f"{path}, line {line}" if line else str(path)
        if key not in SETTING_LABELS:
            close = difflib.get_close_matches(key, list(SETTING_LABELS), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ConfigError(
                f"{at}: '{key}' is not a PLO Tracker setting.{hint} The settings are: "
                + ", ".join(SETTING_LABELS)
                + ".",
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
    return SettingsFile(scope, path, True, values, {k: v for k, v in lines.items() if k in values})


_EXAMPLES = {
    DATABASE_URL: "postgresql://plo-db.council.local/plo",
    TEMPLATE_FOLDER: r"\\fileserver\PLO\templates",
    LOG_FOLDER: r"%LOCALAPPDATA%\PLO Tracker\logs",
}


def settings_files() -> tuple[SettingsFile, SettingsFile]:
    """The user's file, then the computer's (the first that sets a value wins)."""
    return (
        read_settings_file(user_config_path(), USER_FILE),
        read_settings_file(site_config_path(), SITE_FILE),
    )


# -- where each setting comes from ---------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """A setting's value in force and where it came from, in words for the user."""

    key: str
    value: str | None
    source: str  # OPTION, ENVIRONMENT, USER_FILE, SITE_FILE or DEFAULT
    where: str

    @property
    def label(self) -> str:
        return SETTING_LABELS.get(self.key, self.key)

    @property
    def shown(self) -> str:
        """The value fit to show (a password in a database URL is hidden)."""
        if self.value is None:
            return "not set"
        return hide_password(self.value) if self.key == DATABASE_URL else self.value


def _from_files(key: str, files: tuple[SettingsFile, ...]) -> Setting | None:
    for settings in files:
        if key in settings.values:
            value = settings.values[key]
            if key != DATABASE_URL:
                value = _folder_value(value)
            return Setting(key, value, settings.scope, settings.where(key))
    return None


def database_setting(option: str | None, files: tuple[SettingsFile, ...] | None = None) -> Setting:
    if option:
        return Setting(DATABASE_URL, option, OPTION, "the --db option")
    from_env = os.environ.get(DB_ENV)
    if from_env:
        return Setting(DATABASE_URL, from_env, ENVIRONMENT, f"the environment variable {DB_ENV}")
    found = _from_files(DATABASE_URL, settings_files() if files is None else files)
    if found is not None:
        return found
    return Setting(
        DATABASE_URL, str(default_database_path()), DEFAULT, "the default (your data folder)"
    )


def template_folder_setting(files: tuple[SettingsFile, ...] | None = None) -> Setting:
    found = _from_files(TEMPLATE_FOLDER, settings_files() if files is None else files)
    if found is not None:
        return found
    return Setting(
        TEMPLATE_FOLDER,
        None,
        DEFAULT,
        "no settings file (the folder set in the database, if any, is used)",
    )


def log_folder_setting(files: tuple[SettingsFile, ...] | None = None) -> Setting:
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Setting(
            LOG_FOLDER,
            str(Path(override).expanduser() / "logs"),
            ENVIRONMENT,
            f"the environment variable {DATA_DIR_ENV}",
        )
    found = _from_files(LOG_FOLDER, settings_files() if files is None else files)
    if found is not None:
        return found
    import platformdirs

    default = platformdirs.user_log_path(APP_NAME, appauthor=False)
    return Setting(LOG_FOLDER, str(default), DEFAULT, "the default (your log folder)")


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
        import platformdirs

        return platformdirs.user_log_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class Sources:
    """Everything ``plo-tracker config`` and Help → About show about the settings."""

    settings: tuple[Setting, ...]
    files: tuple[tuple[str, Path, bool], ...]  # (scope, path, exists)
    problems: tuple[str, ...]


def describe_sources(db_option: str | None = None) -> Sources:
    """Which value is in force for each setting, and where it came from.  Never raises: a
    settings file that cannot be used is listed under ``problems`` and ignored here."""
    problems: list[str] = []
    usable: list[SettingsFile] = []
    listed: list[tuple[str, Path, bool]] = []
    for scope, locate in ((USER_FILE, user_config_path), (SITE_FILE, site_config_path)):
        path = locate()
        try:
            settings = read_settings_file(path, scope)
        except ConfigError as error:
            problems.append(str(error))
            listed.append((scope, path, True))
            continue
        usable.append(settings)
        listed.append((scope, path, settings.exists))
    files = tuple(usable)
    found = [
        database_setting(db_option, files),
        template_folder_setting(files),
        log_folder_setting(files),
    ]
    database = found[0]
    if database.source != DEFAULT:
        problem = database_text_problem(database.value or "")
        if problem:
            problems.append(f"{database.where}: the database URL {problem}.")
    folder = found[1]
    if folder.value and not Path(folder.value).is_dir():
        problems.append(
            f"{folder.where}: the template folder {folder.value} cannot be found from this "
            "computer, so the council's templates are not used until it is back."
        )
    return Sources(tuple(found), tuple(listed), tuple(problems))


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


def sqlite_path_of(text: str) -> Path | None:
    """The file of a SQLite setting (a plain path or sqlite:/// URL); None otherwise."""
    text = text.strip()
    if "://" not in text:
        return Path(text).expanduser().resolve()
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
