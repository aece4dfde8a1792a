"""What every service shares: the database, the user, and today's date."""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import User
from db.session import Database
from plo_tracker.clock import now, today
from plo_tracker.permissions import TEAM_BOUND_ROLES, Actor

__all__ = ["Service", "log", "now", "today"]

log = logging.getLogger("plo_tracker.services")


class Service:
    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    def require_case_team(self, session: Session, reference: str, *teams: str | None) -> None:
        """A social worker or manager changes only their own team's cases (PostgreSQL's
        row-level security enforces the same): checked against the person's team as it is
        now in the database (an administrator may have moved them or renamed the team)."""
        if self.actor.role not in TEAM_BOUND_ROLES:
            return
        actor = self.current_actor(session)
        for team in teams:
            actor.require_case_team(reference, team)

    def current_actor(self, session: Session) -> Actor:
        """The user with their team as the database holds it now."""
        if self.actor.role not in TEAM_BOUND_ROLES:
            return self.actor
        found = session.execute(
            select(User.team).where(User.username == self.actor.username)
        ).first()
        return self.actor if found is None else replace(self.actor, team=found[0])
