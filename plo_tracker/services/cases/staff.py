"""Who may be named on a case: the teams and people offered, and the check a save runs.

A case's team is one of the council's teams (``teams``), and its social worker, team
manager and legal liaison are users of the database, named by their display name:

* the social worker field takes a social worker or a team manager (a manager who holds a
  case themselves); the team manager field a team manager; legal liaison, legal liaison;
* a team that has been retired, and a person who has been switched off, are offered for
  no new choice (a case that already names them keeps them: only what a save changes is
  checked);
* people and teams "not yet registered" (found on cases by an upgrade or an import, not
  yet confirmed by an administrator) are offered like the others: they are real, only
  their login is still to come.

``names_problem`` is pure (the forms run it as the user types, with the lists they
show); ``load_choices`` reads the lists in the caller's transaction, so a save checks
against what the database holds at that moment.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Team, User
from plo_tracker.errors import ValidationError
from plo_tracker.permissions import ROLE_LABELS, Role
from plo_tracker.services.lookup import close_matches
from plo_tracker.validation import clean_optional, shown

# Case field -> the roles a person named in it may have.
FIELD_ROLES: dict[str, tuple[Role, ...]] = {
    "social_worker": (Role.SOCIAL_WORKER, Role.TEAM_MANAGER),
    "team_manager": (Role.TEAM_MANAGER,),
    "legal_liaison": (Role.LEGAL_LIAISON,),
}
STAFF_FIELDS = tuple(FIELD_ROLES)
LABELS = {
    "team": "Team",
    "social_worker": "Social worker",
    "team_manager": "Team manager",
    "legal_liaison": "Legal liaison",
}
REQUIRED = ("team", "social_worker")  # a new case needs both
WHERE_TO_ADD = "an administrator adds them in File → Users… (or with plo-tracker teams/users)"


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    role: Role
    usable: bool  # switched on, or not yet registered (offered for new choices)
    registered: bool


@dataclass(frozen=True, slots=True)
class StaffChoices:
    """The teams and people a case may name (what the forms offer)."""

    teams: tuple[str, ...] = ()  # active teams, by name
    retired: tuple[str, ...] = ()
    people: Mapping[str, Person] = field(default_factory=dict)  # by display name

    def offered(self, case_field: str) -> list[str]:
        """The names offered for a case field ("team" or a staff field), sorted."""
        if case_field == "team":
            return sorted(self.teams, key=str.casefold)
        roles = FIELD_ROLES[case_field]
        return sorted(
            (p.name for p in self.people.values() if p.usable and p.role in roles),
            key=str.casefold,
        )


def load_choices(session: Session) -> StaffChoices:
    teams: list[str] = []
    retired: list[str] = []
    for name, active in session.execute(select(Team.name, Team.active)):
        (teams if active else retired).append(name)
    people: dict[str, Person] = {}
    rows = session.execute(
        select(User.display_name, User.role, User.active, User.registered).order_by(User.id)
    )
    for name, role, active, registered in rows:
        person = Person(
            name=name,
            role=Role(role),
            usable=bool(active) or not registered,
            registered=bool(registered),
        )
        previous = people.get(name)
        if previous is None or (person.usable and not previous.usable):
            people[name] = person
    return StaffChoices(teams=tuple(teams), retired=tuple(retired), people=people)


def names_problem(
    values: Mapping[str, str | None], choices: StaffChoices, current: Mapping[str, str | None]
) -> ValidationError | None:
    """What is wrong with a case's team and staff, or None.

    ``values`` and ``current`` map "team" and the staff fields to names; ``current`` is
    empty for a new case.  Only what changes is checked, so a case naming a retired team
    or someone who has left can still be saved as it is.
    """
    new_case = not current
    for key in ("team", *STAFF_FIELDS):
        value = clean_optional(values.get(key))
        before = clean_optional(current.get(key))
        label = LABELS[key]
        if value is None:
            if key in REQUIRED and (new_case or before is not None):
                what = "team" if key == "team" else "social worker"
                return ValidationError(
                    f"{label}: a case needs a {what}; choose one from the list.", field=key
                )
            continue
        if value == before:
            continue
        if key == "team":
            problem = _team_problem(value, choices)
        else:
            problem = _person_problem(key, value, choices)
        if problem:
            return ValidationError(f"{label}: {problem}", field=key)
    return None


def _team_problem(value: str, choices: StaffChoices) -> str | None:
    if value in choices.teams:
        return None
    if value in choices.retired:
        return f"the team '{shown(value, 70)}' has been retired; choose a current team."
    message = f"'{shown(value, 70)}' is not one of the council's teams."
    return message + _suggest(value, choices.offered("team"), "teams")


def _person_problem(case_field: str, value: str, choices: StaffChoices) -> str | None:
    roles = FIELD_ROLES[case_field]
    person = choices.people.get(value)
    if person is not None and person.usable and person.role in roles:
        return None
    if person is not None and not person.usable:
        return f"{shown(value, 70)} has been switched off in this database; choose someone else."
    if person is not None:
        wanted = " or ".join(ROLE_LABELS[r] for r in roles)
        return (
            f"{shown(value, 70)} is a {ROLE_LABELS[person.role]}, not a {wanted}; choose "
            "someone else (or ask an administrator to change their role)."
        )
    message = f"'{shown(value, 70)}' is not a user of this database."
    return message + _suggest(value, choices.offered(case_field), "people")


def _suggest(value: str, offered: list[str], plural: str) -> str:
    matches = close_matches(value, offered)
    if matches:
        return " Did you mean: " + "; ".join(f"'{shown(m, 70)}'" for m in matches) + "?"
    if not offered:
        return f" No {plural} are recorded yet: {WHERE_TO_ADD}."
    return f" Choose one from the list; {WHERE_TO_ADD}."
