"""Opening PLO Tracker: the database (migrated), the user, and the services.

The command line and the desktop client both start here.  An older database is upgraded
only once the person opening it is known to be allowed in (``open_app``), or by a command
that upgrades by intent (``plo-tracker migrate``): an unregistered login changes nothing.
"""

from __future__ import annotations

import contextlib
import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL, make_url

from db import identity, migrate
from db.engine import sqlite_file, sqlite_url
from db.errors import DatabaseMissingError, DatabasePermissionError, StoreError
from db.session import Database, describe_url, note_saved, translate_os_error, translating
from plo_tracker import config
from plo_tracker.permissions import Actor
from plo_tracker.services import holiday_cache

# Each service is imported when first used, so a command loads only the ones it calls
# (``plo-tracker flags`` needs neither case editing, imports, audit nor letters).
if TYPE_CHECKING:
    from plo_tracker.changes import Changes
    from plo_tracker.services.audit import AuditService
    from plo_tracker.services.cases import CaseService
    from plo_tracker.services.exchange_service import ExchangeService
    from plo_tracker.services.flags import FlagService
    from plo_tracker.services.letters import LetterService
    from plo_tracker.services.lookup import LookupService
    from plo_tracker.services.reports import ReportService
    from plo_tracker.services.settings import SettingsService
    from plo_tracker.services.teams import TeamService
    from plo_tracker.services.users import UserService
    from plo_tracker.services.watch import WatchService

log = logging.getLogger("plo_tracker.app")

DatabaseURL = URL  # for the window, which does not import SQLAlchemy itself
__all__ = ["AppContext", "DatabaseMissingError", "DatabaseURL", "open_app", "open_database"]


def location(url: URL) -> str:
    """The file path of a SQLite database, or the URL without its password."""
    path = sqlite_file(url)
    return str(path) if path is not None else describe_url(url)


def database_exists(url: URL | str) -> bool:
    """True when ``url`` holds a PLO Tracker database (anything else that is there is
    refused with NotPloDatabaseError); nothing is written."""
    url = make_url(url)
    with translating(url):
        path = sqlite_file(url)
        if path is not None:
            return identity.check_sqlite_file(path).state is identity.State.PLO
        db = Database(url)
        try:
            found = identity.check_engine(db.engine, describe_url(url))
        finally:
            db.dispose()
    return found.state is identity.State.PLO


def _init_hint(url: URL) -> str:
    where = location(url)
    command = "plo-tracker" if url == default_url() else f"plo-tracker --db {shlex.quote(where)}"
    return (
        f"To start a new one there, run: {command} init (or '{command} import FILE', or "
        f"'{command} demo-data' for fictional cases)."
    )


def default_url() -> URL:
    return sqlite_url(config.default_database_path())


def _prepare(url: URL, create: bool, *, empty_ok: bool = False) -> None:
    """Refuse what is not PLO Tracker's, and make a new database only when allowed."""
    path = sqlite_file(url)
    if path is None:
        return  # PostgreSQL (and in-memory SQLite): checked once connected
    found = identity.check_sqlite_file(path)
    if found.state is not identity.State.MISSING:
        if found.state is identity.State.NEW and not (create or empty_ok):
            raise DatabaseMissingError(
                f"The database file {path} was never set up (it has no PLO Tracker tables), "
                f"so nothing was read. {_init_hint(url)}",
                str(path),
            )
        return
    if not create:
        raise DatabaseMissingError(
            f"There is no PLO Tracker database at {path}; nothing was created. If you meant "
            f"an existing database, check the path. {_init_hint(url)}",
            str(path),
        )
    if url == default_url():
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.parent.is_dir():
        raise DatabaseMissingError(
            f"The folder {path.parent} does not exist, so no database was created there. "
            "Check the path, or create the folder first.",
            str(path),
        )
    try:
        identity.create_sqlite_file(path)
    except OSError as error:
        raise translate_os_error(error, path, creating=True) from None


def open_database(
    url: URL | str,
    *,
    upgrade: bool = True,
    create: bool = False,
    before_upgrade: Callable[[Database], None] | None = None,
) -> tuple[Database, Path | None]:
    """Open and (unless told not to) migrate the database; returns any backup made.

    Only a PLO Tracker database is opened.  ``create``: a database that does not exist
    yet (no file; an empty PostgreSQL database) is made; otherwise that is an error
    naming the place and how to create one, and nothing is written.  ``before_upgrade``
    runs (and may refuse) before an older database is copied aside and upgraded.
    """
    url = make_url(url)
    with translating(url):
        _prepare(url, create)
    db = Database(url)
    backup = None
    try:
        if db.sqlite_path is None:
            with db.translate_errors():
                found = identity.check_engine(db.engine, describe_url(db.url))
            if found.state is identity.State.MISSING and not create:
                raise DatabaseMissingError(
                    f"The database {describe_url(db.url)} has no PLO Tracker tables yet; "
                    f"nothing was created. {_init_hint(db.url)}",
                    describe_url(db.url),
                )
        try:
            with db.translate_errors():
                current = migrate.check_not_newer(db.engine)
                outdated = current != migrate.head_revision()
        except DatabasePermissionError:
            raise StoreError(
                "Your database login has no access to the PLO Tracker tables (it may have "
                "been switched off). Ask your PLO Tracker administrator."
            ) from None
        if outdated:
            if not upgrade:
                raise StoreError(
                    "This database needs upgrading before it can be used. Run: plo-tracker migrate"
                )
            if before_upgrade is not None and current is not None:  # not a new database
                with db.translate_errors():
                    before_upgrade(db)
            from db import grants

            try:
                with db.translate_errors():
                    backup = migrate.upgrade(db.engine, sqlite_path=db.sqlite_path)
                    note_saved()
                    # New tables get the roles' grants straight away (PostgreSQL).
                    grants.refresh_if_set_up(db.engine)
            except DatabasePermissionError:
                raise StoreError(
                    "This database needs upgrading to this version of PLO Tracker, and your "
                    "database login may not change its structure. Ask your database "
                    "administrator to run 'plo-tracker migrate' with the owner's login."
                ) from None
    except BaseException:
        db.dispose()
        raise
    if backup is not None:
        log.info("database copied aside before upgrading")
    return db, backup


def schema_status(url: URL | str) -> str | None:
    """The schema revision of a PLO Tracker database (None: set up but still empty).

    Reads only: a database that does not exist is an error, as for every reading command.
    """
    url = make_url(url)
    with translating(url):
        _prepare(url, create=False, empty_ok=True)
    db = Database(url)
    try:
        with db.translate_errors():
            if db.sqlite_path is None:
                found = identity.check_engine(db.engine, describe_url(db.url))
                if found.state is identity.State.MISSING:
                    return None
            return migrate.check_not_newer(db.engine)
    finally:
        db.dispose()


@dataclass
class AppContext:
    """An open database and the person using it, with the services they can call."""

    db: Database
    actor: Actor

    @cached_property
    def cases(self) -> CaseService:
        from plo_tracker.services.cases import CaseService

        return CaseService(self.db, self.actor)

    @cached_property
    def exchange(self) -> ExchangeService:
        from plo_tracker.services.exchange_service import ExchangeService

        return ExchangeService(self.db, self.actor)

    @cached_property
    def lookup(self) -> LookupService:
        """Checks teams, social workers and case references given to a command."""
        from plo_tracker.services.lookup import LookupService

        return LookupService(self.db, self.actor)

    @cached_property
    def flags(self) -> FlagService:
        from plo_tracker.services.flags import FlagService

        return FlagService(self.db, self.actor)

    @cached_property
    def settings(self) -> SettingsService:
        from plo_tracker.services.settings import SettingsService

        return SettingsService(self.db, self.actor)

    @cached_property
    def users(self) -> UserService:
        from plo_tracker.services.users import UserService

        return UserService(self.db, self.actor)

    @cached_property
    def teams(self) -> TeamService:
        from plo_tracker.services.teams import TeamService

        return TeamService(self.db, self.actor)

    @cached_property
    def audit(self) -> AuditService:
        from plo_tracker.services.audit import AuditService

        return AuditService(self.db, self.actor)

    @cached_property
    def letters(self) -> LetterService:
        # Imported when first used: letters load python-docx, Jinja and textstat.
        from plo_tracker.services.letters import LetterService

        return LetterService(self.db, self.actor)

    @cached_property
    def reports(self) -> ReportService:
        from plo_tracker.services.reports import ReportService

        return ReportService(self.db, self.actor)

    @cached_property
    def watch(self) -> WatchService:
        from plo_tracker.services.watch import WatchService

        return WatchService(self.db, self.actor)

    def renamed(self, display_name: str, team: str | None) -> None:
        """The person was renamed (or moved team) while the app is open: the services
        made from now on act under the new name."""
        from dataclasses import replace

        self.actor = replace(self.actor, display_name=display_name, team=team)
        for name, value in type(self).__dict__.items():
            if isinstance(value, cached_property):
                self.__dict__.pop(name, None)

    @property
    def changes(self) -> Changes:
        """Told after every committed write to this database (the window listens)."""
        from plo_tracker.changes import changes_of

        return changes_of(self.db)

    def close(self) -> None:
        self.db.dispose()


def open_app(
    url: URL | str,
    *,
    username: str | None = None,
    upgrade: bool = True,
    create: bool = False,
) -> AppContext:
    """Open a PLO Tracker database (``create``: make it if there is none yet)."""
    with contextlib.suppress(OSError):
        holiday_cache.warm(config.data_dir())
    from plo_tracker.services.users import check_may_open, identify

    def registered_first(db: Database) -> None:
        check_may_open(db, username)

    db, _backup = open_database(
        url, upgrade=upgrade, create=create, before_upgrade=registered_first
    )
    try:
        actor = identify(db, username)
    except BaseException:
        db.dispose()
        raise
    return AppContext(db=db, actor=actor)
