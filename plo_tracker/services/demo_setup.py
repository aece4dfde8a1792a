"""Filling a new database with fictional demo cases and demo staff (``plo-tracker --demo``).

The same steps as ``plo-tracker demo-data``: the cases pass the import checks,
and the staff named in them become users, so a newcomer can try each role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plo_tracker.demo import DEMO_COUNCIL, MAX_CASES, TEAMS, demo_people, generate
from plo_tracker.errors import PloError
from plo_tracker.exchange import case_to_json, check_case
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, today
from plo_tracker.services.cases import CaseService
from plo_tracker.services.exchange_service import ExchangeService, ImportResult
from plo_tracker.services.settings import SettingsService
from plo_tracker.services.teams import TeamService
from plo_tracker.services.users import UserService

DEMO_TEAMS = tuple(TEAMS)

DEMO_MARK = "demo_database"  # the same setting ``plo-tracker demo-data`` sets


@dataclass(frozen=True, slots=True)
class DemoResult:
    cases: ImportResult
    users_added: int


class DemoSetupService(Service):
    def fill(
        self,
        count: int = 60,
        seed: int = 2024,
        progress: Callable[[int, int], None] | None = None,
        making: Callable[[int, int], None] | None = None,
    ) -> DemoResult:
        """``count`` fictional cases (at most ``MAX_CASES``) and the demo staff.

        ``making`` reports the cases made, ``progress`` the cases written.
        """
        self.actor.require(Permission.IMPORT_CASES)
        settings = SettingsService(self.db, self.actor)
        if CaseService(self.db, self.actor).references() and not settings.get(DEMO_MARK, False):
            raise PloError(
                "This database already holds cases that are not demo cases, so demo data was "
                "not added."
            )
        settings.put(DEMO_MARK, True, Permission.IMPORT_CASES)
        from plo_tracker.services.letters import COUNCIL_KEY  # letters load slowly

        if settings.get(COUNCIL_KEY) is None:  # so demo letters show a (fictional) council
            settings.put(COUNCIL_KEY, DEMO_COUNCIL, Permission.IMPORT_CASES)
        if not 0 <= count <= MAX_CASES:
            raise PloError(
                f"Demo data holds at most {MAX_CASES:,} cases (asked for {count:,}); nothing "
                "was added."
            )
        added = 0
        if self.actor.can(Permission.MANAGE_USERS):
            # The demo teams and staff first, so the cases name people who can sign in.
            teams = TeamService(self.db, self.actor)
            known_teams = {t.name for t in teams.list()}
            for team in DEMO_TEAMS:
                if team not in known_teams:
                    teams.add(team)
            users = UserService(self.db, self.actor)
            known = {u.username for u in users.list()}
            for username, name, role, team in demo_people():
                if username not in known:
                    users.add(username, name, role, team)
                    added += 1
        day = today()
        cases = generate(count, today=day, calendar=settings.calendar(), seed=seed, progress=making)
        # Each case passes the import checks on its way in (one at a time, not a
        # whole document in memory).  A manager filling it adds the staff not yet
        # registered (an administrator confirms them).
        checked = (check_case(case_to_json(case), day) for case in cases)
        result = ExchangeService(self.db, self.actor).import_cases(
            checked, progress=progress, total=len(cases), create_missing=True
        )
        return DemoResult(cases=result, users_added=added)
