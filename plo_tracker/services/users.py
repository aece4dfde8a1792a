"""Users, roles, and working out who is using the app.

Who the user is: on PostgreSQL, the database login (each person connects with
their own); on SQLite, the operating-system user name, or ``PLO_TRACKER_USER``
when set (a single-user file gives its owner every right anyway).  The first
user of a new database becomes its administrator.
"""

from __future__ import annotations

import getpass
import os
import re
from dataclasses import dataclass

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from db import grants
from db.audit import write_entry
from db.errors import DatabasePermissionError
from db.models import Team, User
from db.session import Database
from plo_tracker.errors import (
    ConflictError,
    IdentityError,
    NotFound,
    NotRegistered,
    ValidationError,
)
from plo_tracker.permissions import ROLE_LABELS, Actor, Permission, Role
from plo_tracker.services.base import Service, log
from plo_tracker.services.case_names import rename_on_cases
from plo_tracker.services.lookup import unknown
from plo_tracker.validation import LIMITS, check_arg, shown, text_problem

USER_ENV = "PLO_TRACKER_USER"
STAFF_COLUMNS = ("social_worker", "team_manager", "legal_liaison")  # cases name people here
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,62}$")


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    username: str
    display_name: str
    role: Role
    team: str | None
    active: bool
    version: int
    # False for a person found named on cases (an upgrade, an import) whom an administrator
    # has not yet confirmed with their real login; their user name starts with '~'.
    registered: bool = True


def _record(user: User) -> UserRecord:
    return UserRecord(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team=user.team,
        active=user.active,
        version=user.version,
        registered=user.registered,
    )


def actor_from(user: User | UserRecord) -> Actor:
    return Actor(
        username=user.username,
        display_name=user.display_name,
        role=Role(user.role),
        team=user.team,
        user_id=user.id,
    )


def os_username() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or passwd
        return "user"


def check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise ValidationError(
            "User name: use 1 to 63 letters, digits, '.', '_', '-' or '@', starting with a "
            "letter, digit or '_'.",
            field="username",
        )
    return username


def parse_role(text: str) -> Role:
    normalised = text.strip().lower().replace(" ", "_").replace("-", "_")
    try:
        return Role(normalised)
    except ValueError:
        options = ", ".join(r.value for r in Role)
        raise ValidationError(f"Role: '{text[:40]}' is not a role; use one of {options}.") from None


def current_username(db: Database, requested: str | None = None) -> str:
    if db.is_postgresql:
        login = db.current_login()
        assert login is not None
        return login
    return requested or os.environ.get(USER_ENV) or os_username()


def find_actor(db: Database, username: str) -> Actor:
    """The actor for a registered user (no check of how they signed in)."""
    with db.read() as session:
        user = session.scalar(
            select(User).where(User.username == username, User.registered.is_(True))
        )
        if user is None:
            raise NotFound(f"There is no user called {shown(username)}.")
        return actor_from(user)


def identify(db: Database, requested: str | None = None) -> Actor:
    """Match the person using the app to their user record.

    Never a person not yet registered: they have no login until an administrator
    confirms them (and their '~' user names cannot be logins anyway).
    """
    username = current_username(db, requested)
    with db.read() as session:
        user = session.scalar(
            select(User).where(User.username == username, User.registered.is_(True))
        )
        count = (
            session.scalar(select(func.count()).select_from(User).where(User.registered.is_(True)))
            or 0
        )
        record = _record(user) if user is not None else None
    if record is None:
        if count == 0:
            return _make_first_administrator(db, username)
        if db.is_postgresql and _owns_database(db):
            # The owner (or a superuser) can do anything with SQL anyway; e.g. after a
            # council moves its single-user file here, the owner's login is not yet listed.
            return _register_owner(db, username)
        raise _not_registered(username)
    if not record.active:
        raise _switched_off(username)
    return actor_from(record)


def check_may_open(db: Database, requested: str | None = None) -> None:
    """Before a database is upgraded: raise IdentityError unless the person may use it
    (registered and active, the first user of a database with none, or the PostgreSQL
    database's owner), so an unregistered login changes nothing.  Plain SQL over the
    ``users`` columns every schema has had since 0001, so it works before the upgrade."""
    username = current_username(db, requested)
    with db.read() as session:
        row = session.execute(
            text("SELECT active FROM users WHERE username = :name"), {"name": username}
        ).first()
        count = session.execute(text("SELECT count(*) FROM users")).scalar() or 0
    if row is not None:
        if not row[0]:
            raise _switched_off(username)
        return
    if count == 0 or (db.is_postgresql and _owns_database(db)):
        return
    raise _not_registered(username)


def _not_registered(username: str) -> IdentityError:
    return NotRegistered(
        f"Your user name '{username}' is not registered in this PLO Tracker database. "
        "Ask an administrator to add you (in the window: File → Users…), or on the command "
        "line, for example:\n"
        f'  plo-tracker users add {username} --name "Your Name" --role social_worker',
        username,
    )


def _switched_off(username: str) -> IdentityError:
    return IdentityError(
        f"The user '{username}' has been switched off in this database. "
        "Ask an administrator if you need access again."
    )


def _make_first_administrator(db: Database, username: str) -> Actor:
    try:
        username = check_username(username)
    except ValidationError:
        raise IdentityError(
            "The first user of a new database becomes its administrator, but your user name "
            f"'{username[:40]}' cannot be used. Set {USER_ENV} to a plain user name."
        ) from None
    with db.write(username) as session:
        registered = select(func.count()).select_from(User).where(User.registered.is_(True))
        if session.scalar(registered):
            existing = session.scalar(
                select(User).where(User.username == username, User.registered.is_(True))
            )
            if existing is None:
                raise IdentityError(
                    f"Your user name '{username}' is not registered in this database."
                )
            return actor_from(existing)
        user = User(username=username, display_name=username, role=Role.ADMINISTRATOR.value)
        session.add(user)
        session.flush()
        log.info("first user made administrator")
        return actor_from(user)


def _owns_database(db: Database) -> bool:
    with db.read() as session:
        return bool(
            session.execute(
                text(
                    "SELECT r.rolsuper OR d.datdba = r.oid FROM pg_roles r, pg_database d "
                    "WHERE r.rolname = current_user AND d.datname = current_database()"
                )
            ).scalar()
        )


def _register_owner(db: Database, username: str) -> Actor:
    with db.write(username) as session:
        user = User(username=username, display_name=username, role=Role.ADMINISTRATOR.value)
        session.add(user)
        session.flush()
        log.info("database owner registered as administrator")
        return actor_from(user)


class UserService(Service):
    def list(self) -> list[UserRecord]:
        with self.db.read() as session:
            return [_record(u) for u in session.scalars(select(User).order_by(User.username))]

    def get(self, username: str) -> UserRecord:
        with self.db.read() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"There is no user called {shown(username)}.")
            return _record(user)

    def unregistered(self) -> list[UserRecord]:
        """The people found named on cases whom an administrator has yet to confirm."""
        with self.db.read() as session:
            return [
                _record(u)
                for u in session.scalars(
                    select(User).where(User.registered.is_(False)).order_by(User.display_name)
                )
            ]

    def add(
        self, username: str, display_name: str, role: Role | str, team: str | None = None
    ) -> UserRecord:
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("User name", username, str)
        check_arg("Name", display_name, str)
        check_arg("Team", team, str, type(None))
        username = check_username(username)
        role = role if isinstance(role, Role) else parse_role(role)
        display_name = _checked_name(display_name)
        team = _checked_team_text(team)
        with self.db.write(self.actor.username) as session:
            if session.scalar(select(User.id).where(User.username == username)):
                raise ValidationError(f"User name: {username} is already registered.")
            _refuse_name_clash(session, display_name)
            _require_team(session, team)
            user = User(username=username, display_name=display_name, role=role.value, team=team)
            session.add(user)
            session.flush()
            log.info("user added with role %s", role.value)
            return _record(user)

    def update(
        self,
        username: str,
        expected_version: int,
        *,
        role: Role | str | None = None,
        display_name: str | None = None,
        team: str | None = None,
        active: bool | None = None,
    ) -> UserRecord:
        """Change a user; a new name is carried to every case that names them."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("User name", username, str)
        check_arg("Version", expected_version, int)
        check_arg("Name", display_name, str, type(None))
        check_arg("Team", team, str, type(None))
        check_arg("Active", active, bool, type(None))
        new_role = None
        if role is not None:
            new_role = role if isinstance(role, Role) else parse_role(role)
        if display_name is not None:
            display_name = _checked_name(display_name)
        if team is not None:
            team = _checked_team_text(team) or ""
        with self.db.write(self.actor.username) as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                raise NotFound(f"There is no user called {shown(username)}.")
            if user.version != expected_version:
                raise ConflictError("This user's record")
            if active and not user.registered:
                raise ValidationError(
                    f"{user.display_name} is not yet registered: confirm them with their "
                    "login first."
                )
            demoting = (new_role not in (None, Role.ADMINISTRATOR)) or active is False
            if user.role == Role.ADMINISTRATOR.value and demoting:
                _refuse_last_administrator(session)
            if new_role is not None:
                user.role = new_role.value
            if team is not None and (team or None) != user.team:
                _require_team(session, team or None)
                user.team = team or None
            if active is not None:
                user.active = active
            if display_name is not None and display_name != user.display_name:
                self._rename(session, user, display_name)
            session.flush()
            return _record(user)

    def confirm(
        self,
        person: str,
        username: str,
        *,
        role: Role | str | None = None,
        team: str | None = None,
        display_name: str | None = None,
    ) -> UserRecord:
        """A person not yet registered gets their real login and may use the app.

        ``person`` is their name as listed (or their '~' user name).  Their role and team
        stay as found unless given; a new ``display_name`` is carried to their cases.
        """
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Person", person, str)
        check_arg("User name", username, str)
        check_arg("Name", display_name, str, type(None))
        check_arg("Team", team, str, type(None))
        username = check_username(username)
        new_role = None
        if role is not None:
            new_role = role if isinstance(role, Role) else parse_role(role)
        if display_name is not None:
            display_name = _checked_name(display_name)
        if team is not None:
            team = _checked_team_text(team) or ""
        with self.db.write(self.actor.username) as session:
            user = _unregistered_person(session, person)
            if session.scalar(select(User.id).where(User.username == username)):
                raise ValidationError(
                    f"User name: {username} is already registered. If that is the same "
                    f"person, merge {user.display_name} into them instead.",
                    field="username",
                )
            if team is not None and (team or None) != user.team:
                _require_team(session, team or None)
                user.team = team or None
            if new_role is not None:
                user.role = new_role.value
            if display_name is not None and display_name != user.display_name:
                self._rename(session, user, display_name)
            user.username = username
            user.registered = True
            user.active = True
            session.flush()
            log.info("user confirmed with role %s", user.role)
            return _record(user)

    def merge(self, person: str, into: str) -> UserRecord:
        """A person not yet registered is someone already listed (``into``: their user
        name or name): cases naming them name ``into`` instead, and the extra record goes
        (the audit trail keeps it)."""
        self.actor.require(Permission.MANAGE_USERS)
        check_arg("Person", person, str)
        check_arg("User", into, str)
        with self.db.write(self.actor.username) as session:
            extra = _unregistered_person(session, person)
            kept = session.scalar(select(User).where(User.username == into))
            if kept is None:
                named = list(session.scalars(select(User).where(User.display_name == into)))
                kept = named[0] if len(named) == 1 else None
            if kept is None:
                known = sorted(session.scalars(select(User.username)))
                raise unknown("user called", into, known, plural="users")
            if kept.id == extra.id:
                raise ValidationError("That is the same person; choose someone else to merge into.")
            old = extra.display_name
            session.delete(extra)
            session.flush()
            if old != kept.display_name:
                rename_on_cases(session, STAFF_COLUMNS, old, kept.display_name)
            log.info("unregistered person merged into user id %s", kept.id)
            return _record(kept)

    @staticmethod
    def _rename(session: Session, user: User, display_name: str) -> None:
        """A new name for ``user``, carried to the cases that name them."""
        _refuse_name_clash(session, display_name, user)
        old = user.display_name
        user.display_name = display_name
        session.flush()
        namesakes = session.scalar(
            select(func.count()).select_from(User).where(User.display_name == old)
        )
        if not namesakes:  # cases naming another person of the same name stay theirs
            rename_on_cases(session, STAFF_COLUMNS, old, display_name)

    # -- PostgreSQL logins ------------------------------------------------------------------
    def sync_login(self, username: str, *, create: bool = False) -> list[str]:
        """Give a user's database login the group of their role (PostgreSQL only).

        Returns the statements that could not be run with the current login (for the
        database administrator to run); an empty list means all is done.
        """
        self.actor.require(Permission.MANAGE_USERS)
        if not self.db.is_postgresql:
            return []
        record = self.get(username)
        with self.db.read() as session:
            connection = session.connection()
            exists = grants.login_exists(connection, username)
            if not grants.groups_exist(connection):
                raise ValidationError(
                    "The database roles for PLO Tracker have not been set up yet. Ask your "
                    "database administrator to run: plo-tracker db-setup"
                )
        if record.active:
            statements = grants.login_sql(username, record.role.value, create=create, exists=exists)
        else:
            statements = grants.revoke_login_sql(username) if exists else []
        if not exists and not create and record.active:
            return [f"CREATE ROLE {grants.quote(username)} LOGIN", *statements]
        try:
            with self.db.write(self.actor.username) as session:
                for statement in statements:
                    session.execute(text(statement))
                write_entry(
                    session,
                    action="update",
                    entity="database_login",
                    entity_id=username,
                    changes={"role": [None, record.role.value if record.active else None]},
                )
        except DatabasePermissionError:
            return statements
        log.info("database login roles updated")
        return []


def _checked_name(display_name: str) -> str:
    problem = text_problem(display_name, LIMITS["name"])
    if problem:
        raise ValidationError(f"Name: {problem}", field="name")
    return display_name.strip()


def _checked_team_text(team: str | None) -> str | None:
    if team is None:
        return None
    problem = text_problem(team, LIMITS["name"], required=False)
    if problem:
        raise ValidationError(f"Team: {problem}", field="team")
    return team.strip() or None


def _require_team(session: Session, team: str | None) -> None:
    """A user's team is one of the council's current teams."""
    if team is None:
        return
    found = session.scalar(select(Team).where(Team.name == team))
    if found is not None and found.active:
        return
    if found is not None:
        raise ValidationError(
            f"Team: the team '{shown(team, 70)}' has been retired; choose a current team.",
            field="team",
        )
    known = sorted(
        session.scalars(select(Team.name).where(Team.active.is_(True))), key=str.casefold
    )
    error = unknown("team called", team, known, plural="teams")
    raise ValidationError(
        f"Team: {error} An administrator adds teams with 'plo-tracker teams add' or in "
        "File → Users… (Teams).",
        field="team",
    )


def _refuse_name_clash(session: Session, name: str, itself: User | None = None) -> None:
    """Cases name people by their name, so no two users share one."""
    folded = name.casefold()
    for other in session.scalars(select(User)):
        if (
            itself is not None and other.id == itself.id
        ) or other.display_name.casefold() != folded:
            continue
        if not other.registered:
            raise ValidationError(
                f"Name: {other.display_name} is already listed, not yet registered (found on "
                "cases). Confirm them with their login instead: plo-tracker users confirm "
                f'"{other.display_name}" --username LOGIN, or Confirm… in File → Users….',
                field="name",
            )
        raise ValidationError(
            f"Name: another user ({other.username}) is already called {other.display_name}. "
            "Cases name people by their name: add something that tells them apart, for "
            f"example '{shown(name, 60)} ({'team' if not other.team else other.team})'.",
            field="name",
        )


def _refuse_last_administrator(session: Session) -> None:
    admins = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMINISTRATOR.value, User.active.is_(True))
    )
    if (admins or 0) <= 1:
        raise ValidationError(
            "This is the only active administrator; make someone else an administrator first."
        )


def _unregistered_person(session: Session, person: str) -> User:
    """A person not yet registered, by their name as listed (or their '~' user name)."""
    wanted = person.strip()
    candidates = list(
        session.scalars(
            select(User).where(
                User.registered.is_(False),
                (User.display_name == wanted) | (User.username == wanted),
            )
        )
    )
    if not candidates:
        folded = wanted.casefold()
        candidates = [
            u
            for u in session.scalars(select(User).where(User.registered.is_(False)))
            if u.display_name.casefold() == folded
        ]
    if len(candidates) == 1:
        return candidates[0]
    if len(candidates) > 1:
        raise ValidationError(
            f"More than one person not yet registered is called {shown(person, 70)}; name "
            "them by their '~' user name (plo-tracker users list)."
        )
    registered = session.scalar(
        select(User).where(User.registered.is_(True), User.display_name == wanted)
    )
    if registered is not None:
        raise ValidationError(
            f"{registered.display_name} is already registered (user name "
            f"{registered.username}); there is nothing to confirm."
        )
    waiting = sorted(
        session.scalars(select(User.display_name).where(User.registered.is_(False))),
        key=str.casefold,
    )
    raise unknown("person not yet registered called", person, waiting, plural="such people")


def role_label(role: Role) -> str:
    return ROLE_LABELS[role]
