"""An import's teams and staff are the council's teams and users.

Each case of a file may name its team, social worker, team manager and legal liaison
(optional strings in the exchange format).  Each name is matched exactly, after
trimming spaces at either end, to a team's name (retired teams too: a file holds
history) or a user's name (whatever their role now, switched off or not yet
registered: the file says who held the case).  The case keeps the name as the file
spells it, so an export gives back what was imported.

A name that matches nothing refuses the whole import, naming the case, the JSON path
and the close matches, unless missing names may be made:

* the import asks for it (``plo-tracker import --create-missing``; the window asks), or
* the database has no registered team at all (a council's first database: ``init``,
  then ``import`` of its spreadsheet), so there is nothing to match against yet.

Then each missing team and person is added "not yet registered" (people with a '~' user
name that can never be a login, switched off), audited, and listed in the result for an
administrator to confirm (``plo-tracker teams``/``users confirm``, or File → Users…).
A person's role is the case field they were named in (team manager if named as one
anywhere, else legal liaison, else social worker), their team that of the first case
naming them as social worker or team manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from db.audit import write_entries
from db.models import Team, User, utcnow
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import UnknownNames
from plo_tracker.permissions import ROLE_LABELS, Role
from plo_tracker.services.cases.staff import FIELD_ROLES, STAFF_FIELDS
from plo_tracker.services.lookup import close_matches
from plo_tracker.validation import shown

UNREGISTERED_PREFIX = "~unregistered-"
LISTED = 10  # unknown names listed in a refusal
ROLE_PRIORITY = ("team_manager", "legal_liaison", "social_worker")
WHAT = {"team": "team", "person": "user"}


@dataclass(frozen=True, slots=True)
class NameUse:
    """Where a name is first used in the file."""

    group: str  # "team" or "person"
    name: str  # trimmed
    reference: str
    path: str  # e.g. cases[3].team

    def describe(self) -> str:
        return f"{WHAT[self.group]} '{shown(self.name, 70)}' (case {self.reference}, {self.path})"


@dataclass
class NamesInFile:
    """The distinct team and staff names of the cases read, with their first use."""

    first: dict[tuple[str, str], NameUse] = field(default_factory=dict)
    fields_of: dict[str, set[str]] = field(default_factory=dict)  # person -> case fields
    team_of: dict[str, str] = field(default_factory=dict)  # person -> first case's team

    def add(self, case: CaseHistory, index: int) -> None:
        team = case.team.strip() if case.team else None
        for key in ("team", *STAFF_FIELDS):
            value = getattr(case, key)
            name = value.strip() if value else ""
            if not name:
                continue
            group = "team" if key == "team" else "person"
            where = f"cases[{index}].{key}"
            self.first.setdefault((group, name), NameUse(group, name, case.reference, where))
            if group == "person":
                self.fields_of.setdefault(name, set()).add(key)
                if team and key in ("social_worker", "team_manager"):
                    self.team_of.setdefault(name, team)


@dataclass(frozen=True, slots=True)
class CreatedNames:
    teams: tuple[str, ...] = ()
    people: tuple[tuple[str, Role], ...] = ()  # (name, role)


def _known(session: Session) -> tuple[set[str], set[str]]:
    teams = {name.strip() for name in session.scalars(select(Team.name))}
    people = {name.strip() for name in session.scalars(select(User.display_name))}
    return teams, people


def missing(session: Session, names: NamesInFile) -> list[NameUse]:
    """The names of the file that match no team or user, in the order first used."""
    teams, people = _known(session)
    found = [
        use
        for (group, name), use in names.first.items()
        if name not in (teams if group == "team" else people)
    ]
    return sorted(found, key=_file_order)


def _file_order(use: NameUse) -> tuple[int, int]:
    index = int(use.path[len("cases[") : use.path.index("]")])
    key = use.path.rsplit(".", 1)[-1]
    return index, ("team", *STAFF_FIELDS).index(key)


def may_create(session: Session, create_missing: bool) -> bool:
    """Missing names may be made: asked for, or no team is registered yet."""
    if create_missing:
        return True
    registered = session.scalar(
        select(func.count()).select_from(Team).where(Team.registered.is_(True))
    )
    return not registered


def refusal(session: Session, unknown: list[NameUse]) -> UnknownNames:
    """The import is refused: the first unknown name where it is used, with close matches,
    and the others listed."""
    teams, people = _known(session)
    first = unknown[0]
    if first.group == "team":
        problem = f"'{shown(first.name, 70)}' is not a team in this database."
        candidates = teams
    else:
        label = first.path.rsplit(".", 1)[-1].replace("_", " ")
        problem = f"'{shown(first.name, 70)}' ({label}) is not a user of this database."
        candidates = people
    matches = close_matches(first.name, sorted(candidates))
    if matches:
        problem += " Did you mean: " + "; ".join(f"'{shown(m, 70)}'" for m in matches) + "?"
    others = unknown[1:]
    if others:
        listed = "; ".join(use.describe() for use in others[:LISTED])
        more = len(others) - LISTED
        problem += f" Also unknown: {listed}" + (f" and {more} more." if more > 0 else ".")
    problem += (
        " Correct the file, or add them first (plo-tracker teams add, plo-tracker users add), "
        "or import with --create-missing to add them as not yet registered, for an "
        "administrator to confirm."
    )
    return UnknownNames(
        problem,
        case=first.reference,
        path=first.path,
        unknown=tuple(use.describe() for use in unknown),
    )


def create(session: Session, names: NamesInFile, unknown: list[NameUse]) -> CreatedNames:
    """Add the missing teams and people, not yet registered, audited (bulk, Core)."""
    now = utcnow()
    teams = sorted({u.name for u in unknown if u.group == "team"}, key=str.casefold)
    people = sorted({u.name for u in unknown if u.group == "person"}, key=str.casefold)
    if teams:
        session.execute(
            insert(Team.__table__),
            [
                {"name": n, "active": True, "registered": False, "created_at": now, "version": 1}
                for n in teams
            ],
        )
    number = _last_number(session)
    rows = []
    created_people: list[tuple[str, Role]] = []
    for name in people:
        number += 1
        fields = names.fields_of.get(name, {"social_worker"})
        role = Role(next(f for f in ROLE_PRIORITY if f in fields))
        team = names.team_of.get(name) if role in FIELD_ROLES["social_worker"] else None
        rows.append(
            {
                "username": f"{UNREGISTERED_PREFIX}{number}",
                "display_name": name,
                "role": role.value,
                "team": team,
                "active": False,
                "registered": False,
                "created_at": now,
                "version": 1,
            }
        )
        created_people.append((name, role))
    if rows:
        session.execute(insert(User.__table__), rows)
    entries = [
        {
            "action": "create",
            "entity": "teams",
            "changes": {"name": [None, n], "registered": [None, False], "by": "import"},
        }
        for n in teams
    ]
    entries += [
        {
            "action": "create",
            "entity": "users",
            "changes": {
                "username": [None, row["username"]],
                "display_name": [None, row["display_name"]],
                "role": [None, row["role"]],
                "team": [None, row["team"]],
                "registered": [None, False],
                "by": "import",
            },
        }
        for row in rows
    ]
    write_entries(session, entries)
    return CreatedNames(teams=tuple(teams), people=tuple(created_people))


def _last_number(session: Session) -> int:
    last = 0
    for username in session.scalars(
        select(User.username).where(User.username.like(f"{UNREGISTERED_PREFIX}%"))
    ):
        tail = username[len(UNREGISTERED_PREFIX) :]
        if tail.isdigit():
            last = max(last, int(tail))
    return last


def describe_created(created: CreatedNames) -> str:
    """'Added as not yet registered ...' for the import's result, or ''."""
    parts = []
    if created.teams:
        parts.append(
            f"{len(created.teams)} team(s): " + "; ".join(shown(t, 70) for t in created.teams)
        )
    if created.people:
        parts.append(
            f"{len(created.people)} person(s): "
            + "; ".join(f"{shown(n, 70)} ({ROLE_LABELS[r]})" for n, r in created.people)
        )
    if not parts:
        return ""
    return (
        "Added as not yet registered, for an administrator to confirm (File → Users…, or "
        "plo-tracker teams / users confirm): " + "; and ".join(parts) + "."
    )
