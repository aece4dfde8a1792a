"""Teams: the council's teams as records (``plo-tracker teams``, File → Users… → Teams).

Administrators add, rename, retire, reinstate, confirm and merge teams; everyone reads
them.  A case and a user belong to a team by its name, so renaming a team (or merging
one into another) changes the team on every case and user in the same transaction,
audited case by case.

Retiring keeps a team for history (its cases keep it, reports still show it) but offers
it for no new case or user.  It is refused while the team is the team of someone who
uses PLO Tracker (a registered, switched-on user): their team views and the team of
their new cases would point at a team nobody may choose any more. Move them first.

"Not yet registered" teams were found on cases (by the upgrade of an older database or
by an import) and await an administrator's confirmation; they are offered like any
other team meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from db.models import Case as CaseRow
from db.models import Team, User
from plo_tracker.errors import ConflictError, ValidationError
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log
from plo_tracker.services.case_names import named, rename_on_cases
from plo_tracker.services.lookup import unknown
from plo_tracker.validation import LIMITS, check_arg, shown, text_problem

NAMED = 8  # people named when a retirement is refused


@dataclass(frozen=True, slots=True)
class TeamRecord:
    id: int
    name: str
    active: bool
    registered: bool
    version: int
    cases: int = 0  # cases naming the team
    members: int = 0  # users in the team who use PLO Tracker (registered, switched on)

    @property
    def status(self) -> str:
        if not self.active:
            return "retired"
        return "current" if self.registered else "not yet registered"


def _record(team: Team, cases: int = 0, members: int = 0) -> TeamRecord:
    return TeamRecord(
        id=team.id,
        name=team.name,
        active=team.active,
        registered=team.registered,
        version=team.version,
        cases=cases,
        members=members,
    )


def _counts(session: Session, statement: Select[tuple[str | None, int]]) -> dict[str, int]:
    return {name: count for name, count in session.execute(statement) if name}


def check_team_name(name: object, label: str = "Team") -> str:
    check_arg(label, name, str)
    assert isinstance(name, str)
    problem = text_problem(name, LIMITS["name"])
    if problem:
        raise ValidationError(f"{label}: {problem}", field="name")
    return name.strip()


class TeamService(Service):
    # -- reading ---------------------------------------------------------------------------
    def list(self) -> list[TeamRecord]:
        """Every team (retired ones too), by name, with how many cases and people it has."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            cases = _counts(
                session,
                select(CaseRow.team, func.count())
                .where(CaseRow.team.is_not(None))
                .group_by(CaseRow.team),
            )
            members = _counts(
                session,
                select(User.team, func.count())
                .where(User.team.is_not(None), User.active.is_(True))
                .where(User.registered.is_(True))
                .group_by(User.team),
            )
            teams = session.scalars(select(Team)).all()
            records = [_record(t, cases.get(t.name, 0), members.get(t.name, 0)) for t in teams]
        return sorted(records, key=lambda t: t.name.casefold())

    def names(self) -> list[str]:
        """The teams a case or user may be given (not retired), by name."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            found = session.scalars(select(Team.name).where(Team.active.is_(True))).all()
        return sorted(found, key=str.casefold)

    def get(self, name: str) -> TeamRecord:
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            return _record(self._team(session, name))

    # -- changing --------------------------------------------------------------------------
    def add(self, name: str) -> TeamRecord:
        """A new team (registered: an administrator adds it)."""
        self.actor.require(Permission.MANAGE_USERS)
        name = check_team_name(name)
        with self.db.write(self.actor.username) as session:
            self._refuse_clash(session, name)
            team = Team(name=name, active=True, registered=True)
            session.add(team)
            session.flush()
            log.info("team added (id %s)", team.id)
            return _record(team)

    def rename(self, old: str, new: str, expected_version: int | None = None) -> TeamRecord:
        """Rename a team, and the team on every case and user that has it."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Team", old, str)
        check_arg("Version", expected_version, int, type(None))
        new = check_team_name(new, "New name")
        with self.db.write(self.actor.username) as session:
            team = self._team(session, old, expected_version)
            if new == team.name:
                raise ValidationError(f"New name: the team is already called '{shown(new, 70)}'.")
            self._refuse_clash(session, new, team, merge_hint=True)
            previous = team.name
            team.name = new
            session.flush()
            cases, users = self._move(session, previous, new)
            log.info("team renamed (id %s): %s cases, %s users", team.id, cases, users)
            return _record(team, cases)

    def merge(self, source: str, into: str) -> TeamRecord:
        """``source`` and ``into`` are one team: ``source``'s cases and users move to
        ``into`` and ``source`` is removed (the audit trail keeps it)."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Team", source, str)
        check_arg("Team", into, str)
        with self.db.write(self.actor.username) as session:
            gone = self._team(session, source)
            kept = self._team(session, into)
            if gone.id == kept.id:
                raise ValidationError("Those are the same team; choose two different teams.")
            name = gone.name
            session.delete(gone)
            session.flush()
            cases, users = self._move(session, name, kept.name)
            log.info("team merged into id %s: %s cases, %s users", kept.id, cases, users)
            return _record(kept, self._count_cases(session, kept.name))

    def retire(self, name: str, expected_version: int | None = None) -> TeamRecord:
        """Offer the team for no new case or user; its cases keep it (history)."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Team", name, str)
        with self.db.write(self.actor.username) as session:
            team = self._team(session, name, expected_version)
            if not team.active:
                raise ValidationError(f"The team '{shown(team.name, 70)}' is already retired.")
            people = [
                user.display_name
                for user in session.scalars(
                    select(User)
                    .where(User.active.is_(True), User.registered.is_(True))
                    .order_by(User.display_name)
                )
                if named(user.team, team.name)
            ]
            if people:
                listed = ", ".join(shown(p, 70) for p in people[:NAMED])
                if len(people) > NAMED:
                    listed += f" and {len(people) - NAMED} more"
                who = "person who uses" if len(people) == 1 else "people who use"
                raise ValidationError(
                    f"The team '{shown(team.name, 70)}' was not retired: it is the team of "
                    f"{len(people)} {who} PLO Tracker ({listed}). Move them to another team "
                    "first (File → Users…, or plo-tracker users set-team)."
                )
            team.active = False
            session.flush()
            cases = self._count_cases(session, team.name)
            log.info("team retired (id %s)", team.id)
            return _record(team, cases)

    def reinstate(self, name: str, expected_version: int | None = None) -> TeamRecord:
        """A retired team is offered again."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Team", name, str)
        with self.db.write(self.actor.username) as session:
            team = self._team(session, name, expected_version)
            if team.active:
                raise ValidationError(f"The team '{shown(team.name, 70)}' is not retired.")
            team.active = True
            session.flush()
            return _record(team, self._count_cases(session, team.name))

    def confirm(self, name: str, expected_version: int | None = None) -> TeamRecord:
        """An administrator confirms a team found on cases: it is one of the council's."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Team", name, str)
        with self.db.write(self.actor.username) as session:
            team = self._team(session, name, expected_version)
            if team.registered:
                raise ValidationError(f"The team '{shown(team.name, 70)}' is already confirmed.")
            team.registered = True
            session.flush()
            log.info("team confirmed (id %s)", team.id)
            return _record(team, self._count_cases(session, team.name))

    # -- helpers ---------------------------------------------------------------------------
    def _team(self, session: Session, name: str, expected_version: int | None = None) -> Team:
        team = session.scalar(select(Team).where(Team.name == name))
        if team is None and name.strip() != name:
            team = session.scalar(select(Team).where(Team.name == name.strip()))
        if team is None:
            known = sorted(session.scalars(select(Team.name)), key=str.casefold)
            raise unknown("team called", name, known, plural="teams")
        if expected_version is not None and team.version != expected_version:
            raise ConflictError("This team's record")
        return team

    @staticmethod
    def _refuse_clash(
        session: Session, name: str, itself: Team | None = None, *, merge_hint: bool = False
    ) -> None:
        for other in session.scalars(select(Team)):
            if (itself is not None and other.id == itself.id) or (
                other.name.casefold() != name.casefold()
            ):
                continue
            message = f"There is already a team called '{shown(other.name, 70)}'"
            if not other.active:
                message += " (retired: reinstate it instead)"
            if merge_hint and itself is not None:
                message += (
                    f". If '{shown(itself.name, 70)}' is the same team, merge it into "
                    f"'{shown(other.name, 70)}' instead"
                )
            raise ValidationError(message + "; nothing was changed.", field="name")

    @staticmethod
    def _move(session: Session, old: str, new: str) -> tuple[int, int]:
        """The team ``old`` becomes ``new`` on every case and user."""
        cases = rename_on_cases(session, ("team",), old, new)
        users = 0
        for user in session.scalars(select(User).where(User.team.is_not(None))):
            if named(user.team, old):
                user.team = new  # audited as a change to the user
                users += 1
        session.flush()
        return cases, users

    @staticmethod
    def _count_cases(session: Session, name: str) -> int:
        found = session.scalar(
            select(func.count()).select_from(CaseRow).where(CaseRow.team == name)
        )
        return found or 0
