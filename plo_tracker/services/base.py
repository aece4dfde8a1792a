"""What every service shares: the database, the user, and today's date."""

from __future__ import annotations

import datetime as dt
import logging

from db.session import Database
from plo_tracker.permissions import Actor

log = logging.getLogger("plo_tracker.services")


def today() -> dt.date:
    return dt.date.today()


def now() -> dt.datetime:
    """The local date and time (for a meeting booked for later today)."""
    return dt.datetime.now()


class Service:
    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor
