"""Opening PLO Tracker: the database (migrated), the user, and the services.

The command line and the desktop client both start here.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import URL

from db import migrate
from db.errors import DatabasePermissionError, StoreError
from db.session import Database
from plo_tracker import config
from plo_tracker.permissions import Actor
from plo_tracker.services import holiday_cache

# Each service is imported when first used, so a command loads only the ones it calls
# (``plo-tracker flags`` needs neither case editing, imports, audit nor letters).
if TYPE_CHECKING:
    from plo_tracker.services.audit import AuditService
    from plo_tracker.services.cases import CaseService
    from plo_tracker.services.exchange_service import ExchangeService
    from plo_tracker.services.flags import FlagService
    from plo_tracker.services.letters import LetterService
    from plo_tracker.services.reports import ReportService
    from plo_tracker.services.settings import SettingsService
    from plo_tracker.services.users import UserService

log = logging.getLogger("plo_tracker.app")


def open_database(url: URL | str, *, upgrade: bool = True) -> tuple[Database, Path | None]:
    """Open and (unless told not to) migrate the database; returns any backup made."""
    db = Database(url)
    backup = None
    try:
        try:
            with db.translate_errors():
                outdated = migrate.needs_upgrade(db.engine)
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
            from db import grants

            try:
                with db.translate_errors():
                    backup = migrate.upgrade(db.engine, sqlite_path=db.sqlite_path)
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

    def close(self) -> None:
        self.db.dispose()


def open_app(url: URL | str, *, username: str | None = None, upgrade: bool = True) -> AppContext:
    with contextlib.suppress(OSError):
        holiday_cache.warm(config.data_dir())
    from plo_tracker.services.users import identify

    db, _backup = open_database(url, upgrade=upgrade)
    try:
        actor = identify(db, username)
    except BaseException:
        db.dispose()
        raise
    return AppContext(db=db, actor=actor)
