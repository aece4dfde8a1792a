"""Where each setting in force comes from, as ``plo-tracker config`` and Help → About show
it: every layer (option, environment, your settings file, this computer's, the default) with
its value and state, the files read and the problems found (split from ``config``, which
resolves the settings themselves)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plo_tracker.config import (
    DATA_DIR_ENV,
    DATABASE_URL,
    DB_ENV,
    DEFAULT,
    ENVIRONMENT,
    LOG_FOLDER,
    OPTION,
    SITE_FILE,
    STOPS,
    TEMPLATE_FOLDER,
    USER_FILE,
    ConfigError,
    Setting,
    SettingsFile,
    _default_database,
    _default_log_folder,
    _folder_value,
    _same,
    database_setting,
    database_text_problem,
    hide_password,
    log_folder_setting,
    read_settings_file,
    read_site_file,
    site_config_path,
    template_folder_setting,
    user_config_path,
)


@dataclass(frozen=True)
class Layer:
    """One place a setting can come from, as ``plo-tracker config`` lists them."""

    key: str
    source: str  # OPTION, ENVIRONMENT, USER_FILE, SITE_FILE or DEFAULT
    where: str
    value: str | None
    state: str  # in words: "in force", "not set", "refused: locked by IT", ...

    @property
    def shown(self) -> str:
        if self.value is None:
            return "-"
        return hide_password(self.value) if self.key == DATABASE_URL else self.value


@dataclass(frozen=True)
class Sources:
    """Everything ``plo-tracker config`` and Help → About show about the settings."""

    settings: tuple[Setting, ...]
    files: tuple[tuple[str, Path, bool], ...]  # (scope, path, exists)
    problems: tuple[str, ...]
    layers: tuple[Layer, ...] = ()
    stops: bool = False  # PLO Tracker will not open a database until the problems are fixed


def _file_scope_words(scope: str) -> str:
    return "your settings file" if scope == USER_FILE else "this computer's settings file"


def _layers(
    key: str,
    db_option: str | None,
    files: dict[str, SettingsFile | None],
    paths: dict[str, Path],
    default: Setting,
    stopped: bool,
) -> list[Layer]:
    """Every place ``key`` can come from, first wins, with what each says and its fate."""
    rows: list[tuple[str, str, str | None]] = []  # (source, where, value)
    if key == DATABASE_URL:
        rows.append((OPTION, "the --db option", db_option or None))
        rows.append((ENVIRONMENT, f"the environment variable {DB_ENV}", os.environ.get(DB_ENV)))
    if key == LOG_FOLDER:
        data = os.environ.get(DATA_DIR_ENV)
        logs = str(Path(data).expanduser() / "logs") if data else None
        rows.append((ENVIRONMENT, f"the environment variable {DATA_DIR_ENV}", logs))
    for scope in (USER_FILE, SITE_FILE):
        settings = files[scope]
        if settings is None:
            rows.append((scope, f"{_file_scope_words(scope)} {paths[scope]}", None))
            continue
        value = settings.values.get(key)
        if value is not None and key != DATABASE_URL:
            value = _folder_value(value)
        rows.append((scope, settings.where(key) if value else str(settings.path), value))
    rows.append((DEFAULT, default.where, default.value))

    site = files[SITE_FILE]
    locked = site is not None and key in site.locked
    layers: list[Layer] = []
    winner: str | None = None
    for source, where, value in rows:
        unreadable = source in files and files[source] is None
        if unreadable:
            state = "cannot be used: see the problem below"
        elif locked and source == SITE_FILE:
            state = "in force (locked by IT)"
            if stopped:
                state = "locked by IT; PLO Tracker stops (see the problem below)"
            winner = where
        elif locked and source == ENVIRONMENT and key == LOG_FOLDER and value is not None:
            state = "not used: locked by IT"
        elif locked and source != DEFAULT and value is not None:
            same = _same(key, value, site.values[key]) if site is not None else False
            state = "same as IT's locked value" if same else "refused: locked by IT"
        elif value is None:
            state = "not set"
        elif stopped:
            state = "not used: PLO Tracker stops (see the problem below)"
        elif winner is None and not locked:
            state = "in force"
            winner = where
        else:
            state = "not used: " + ("locked by IT" if locked else "an earlier one is in force")
        layers.append(Layer(key, source, where, value, state))
    return layers


def describe_sources(db_option: str | None = None) -> Sources:
    """Which value is in force for each setting, where it came from, and every place it
    could come from.  Never raises: a settings file that cannot be used, a missing file the
    installation requires, or a locked setting set another way is listed under
    ``problems``, and the settings it stops are shown as not in force."""
    problems: list[str] = []
    by_scope: dict[str, SettingsFile | None] = {}
    paths: dict[str, Path] = {}
    listed: list[tuple[str, Path, bool]] = []
    for scope, locate in ((USER_FILE, user_config_path), (SITE_FILE, site_config_path)):
        path = locate()
        paths[scope] = path
        try:
            settings = read_site_file() if scope == SITE_FILE else read_settings_file(path, scope)
        except ConfigError as error:
            problems.append(str(error))
            by_scope[scope] = None
            listed.append((scope, path, path.exists()))
            continue
        by_scope[scope] = settings
        listed.append((scope, path, settings.exists))
    files = tuple(f for f in by_scope.values() if f is not None)
    broken = len(files) < len(by_scope)

    found: list[Setting] = []
    for key, resolve in (
        (DATABASE_URL, lambda: database_setting(db_option, files)),
        (TEMPLATE_FOLDER, lambda: template_folder_setting(files)),
        (LOG_FOLDER, lambda: log_folder_setting(files)),
    ):
        try:
            setting = resolve()
        except ConfigError as error:
            problems.append(str(error))
            found.append(Setting(key, None, DEFAULT, STOPS))
            continue
        if broken and key != LOG_FOLDER:
            setting = Setting(key, None, DEFAULT, STOPS)
        elif broken:  # the logs still go somewhere: the default, as log_dir() says
            setting = log_folder_setting(())
        found.append(setting)
    stops = broken or any(s.where == STOPS for s in found)

    layers: list[Layer] = []
    defaults = {
        DATABASE_URL: _default_database(),
        TEMPLATE_FOLDER: template_folder_setting(()),
        LOG_FOLDER: _default_log_folder(),
    }
    for setting in found:
        stopped = setting.where == STOPS
        key = setting.key
        layers.extend(_layers(key, db_option, by_scope, paths, defaults[key], stopped))

    database = found[0]
    if database.value and database.source != DEFAULT:
        problem = database_text_problem(database.value)
        if problem:
            problems.append(f"{database.where}: the database URL {problem}.")
    folder = found[1]
    if folder.value and not Path(folder.value).is_dir():
        problems.append(
            f"{folder.where}: the template folder {folder.value} cannot be found from this "
            "computer, so the council's templates are not used until it is back."
        )
    return Sources(tuple(found), tuple(listed), tuple(problems), tuple(layers), stops)
