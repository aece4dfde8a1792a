"""What every service shares: the database, the user, and today's date."""

from __future__ import annotations

import logging

from db.session import Database
from plo_tracker.clock import now, today
from plo_tracker.permissions import Actor

__all__ = ["Service", "log", "now", "today"]

log = logging.getLogger("plo_tracker.services")


class Service:
    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor
