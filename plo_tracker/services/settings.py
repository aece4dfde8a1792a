"""Council settings: the timescale policy and the council's closure days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ClosureDay, Setting
from plo_tracker.domain.dates import short_date
from plo_tracker.domain.policy import (
    DATE_SETTINGS,
    DATE_SETTINGS_BY_KEY,
    SETTINGS,
    SETTINGS_BY_KEY,
    Policy,
    check_value,
)
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import ConflictError, NotFound, ValidationError
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log
from plo_tracker.validation import LIMITS, check_arg, date_problem, shown, text_problem

POLICY_PREFIX = "policy."


def load_policy(session: Session) -> Policy:
    values: dict[str, Any] = {}
    for key, value in session.execute(
        select(Setting.key, Setting.value).where(Setting.key.startswith(POLICY_PREFIX))
    ):
        values[key.removeprefix(POLICY_PREFIX)] = value
    return Policy.from_values(values)


def load_calendar(session: Session) -> WorkingCalendar:
    return WorkingCalendar(session.scalars(select(ClosureDay.day)))


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else row.value


@dataclass(frozen=True, slots=True)
class PolicyLine:
    key: str
    label: str
    rule: str | None
    value: int
    default: int
    unit: str
    source: str
    changed: bool
    version: int | None


@dataclass(frozen=True, slots=True)
class PolicyDateLine:
    """A policy date (no default): the rules it switches on stay off while it is unset."""

    key: str
    label: str
    rules: tuple[str, ...]
    value: dt.date | None
    source: str
    version: int | None


@dataclass(frozen=True, slots=True)
class Closure:
    id: int
    day: dt.date
    description: str
    version: int


class SettingsService(Service):
    def policy(self) -> Policy:
        with self.db.read() as session:
            return load_policy(session)

    def calendar(self) -> WorkingCalendar:
        with self.db.read() as session:
            return load_calendar(session)

    def policy_lines(self) -> list[PolicyLine]:
        with self.db.read() as session:
            versions = {
                r.key.removeprefix(POLICY_PREFIX): r.version
                for r in session.scalars(
                    select(Setting).where(Setting.key.startswith(POLICY_PREFIX))
                )
            }
            policy = load_policy(session)
        lines = []
        for setting in SETTINGS:
            value = policy.value(setting.key)
            lines.append(
                PolicyLine(
                    key=setting.key,
                    label=setting.label,
                    rule=setting.rule,
                    value=value,
                    default=setting.default,
                    unit=setting.unit,
                    source=setting.source,
                    changed=value != setting.default,
                    version=versions.get(setting.key),
                )
            )
        return lines

    def date_lines(self) -> list[PolicyDateLine]:
        with self.db.read() as session:
            policy = load_policy(session)
            versions = {
                r.key.removeprefix(POLICY_PREFIX): r.version
                for r in session.scalars(
                    select(Setting).where(Setting.key.startswith(POLICY_PREFIX))
                )
            }
        return [
            PolicyDateLine(
                key=setting.key,
                label=setting.label,
                rules=setting.rules,
                value=getattr(policy, setting.key),
                source=setting.source,
                version=versions.get(setting.key),
            )
            for setting in DATE_SETTINGS
        ]

    def set_policy_value(
        self, key: str, value: int | dt.date, expected_version: int | None = None
    ) -> Policy:
        """Change one timescale (a whole number) or policy date (``DATE_SETTINGS``).

        ``expected_version`` None means 'not yet stored'.
        """
        self.actor.require(Permission.MANAGE_POLICY)
        check_arg("Setting", key, str)
        stored: int | str
        if key in DATE_SETTINGS_BY_KEY:
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
                raise ValidationError(
                    f"{DATE_SETTINGS_BY_KEY[key].label}: must be a date (YYYY-MM-DD).", field=key
                )
            problem = date_problem(value)
            if problem:
                raise ValidationError(f"{DATE_SETTINGS_BY_KEY[key].label}: {problem}.", field=key)
            stored = value.isoformat()
        else:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError("A timescale must be a whole number.")
            problem = check_value(key, value)
            if problem:
                raise ValidationError(problem, field=key)
            stored = value
        with self.db.write(self.actor.username) as session:
            row = session.get(Setting, POLICY_PREFIX + key)
            if row is None:
                session.add(
                    Setting(key=POLICY_PREFIX + key, value=stored, updated_by=self.actor.username)
                )
            else:
                if expected_version is not None and row.version != expected_version:
                    raise ConflictError("This setting")
                row.value = stored
                row.updated_by = self.actor.username
            session.flush()
            log.info("policy setting changed")
            return load_policy(session)

    def reset_policy_value(self, key: str) -> Policy:
        self.actor.require(Permission.MANAGE_POLICY)
        if key not in SETTINGS_BY_KEY and key not in DATE_SETTINGS_BY_KEY:
            raise ValidationError(f"There is no policy setting called '{shown(key)}'.")
        with self.db.write(self.actor.username) as session:
            row = session.get(Setting, POLICY_PREFIX + key)
            if row is not None:
                session.delete(row)
            session.flush()
            return load_policy(session)

    # -- other council settings (letters, census) ------------------------------------------
    def get(self, key: str, default: Any = None) -> Any:
        with self.db.read() as session:
            return get_setting(session, key, default)

    def put(self, key: str, value: Any, permission: Permission = Permission.MANAGE_POLICY) -> None:
        self.actor.require(permission)
        with self.db.write(self.actor.username) as session:
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=value, updated_by=self.actor.username))
            else:
                row.value = value
                row.updated_by = self.actor.username

    # -- closure days ----------------------------------------------------------------------
    def closures(self) -> list[Closure]:
        with self.db.read() as session:
            return [
                Closure(c.id, c.day, c.description, c.version)
                for c in session.scalars(select(ClosureDay).order_by(ClosureDay.day))
            ]

    def add_closure(self, day: dt.date, description: str = "") -> Closure:
        self.actor.require(Permission.MANAGE_POLICY)
        check_arg("Closure day", day, dt.date)
        check_arg("Description", description, str)
        problem = text_problem(description, LIMITS["name"], required=False)
        if problem:
            raise ValidationError(f"Description: {problem}", field="description")
        with self.db.write(self.actor.username) as session:
            if session.scalar(select(ClosureDay.id).where(ClosureDay.day == day)):
                raise ValidationError(f"{short_date(day)} is already a closure day.")
            row = ClosureDay(day=day, description=description)
            session.add(row)
            session.flush()
            return Closure(row.id, row.day, row.description, row.version)

    def remove_closure(self, day: dt.date) -> None:
        self.actor.require(Permission.MANAGE_POLICY)
        check_arg("Closure day", day, dt.date)
        with self.db.write(self.actor.username) as session:
            row = session.scalar(select(ClosureDay).where(ClosureDay.day == day))
            if row is None:
                raise NotFound(f"{short_date(day)} is not a closure day.")
            session.delete(row)
