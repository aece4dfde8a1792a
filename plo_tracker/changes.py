"""Something was saved: one notice for every screen that shows what may have changed.

Every service saves through ``Database.write``; once a write has committed, the
``Changes`` of that database tells each subscriber, on the thread that wrote (the
window passes it on to its own thread, ``ui.changes``).  It says only *that* something
changed, never what: a list reads itself again, which is cheap and never wrong.
No Qt here; the command line simply never subscribes.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from db.session import Database
from plo_tracker.logs import Safe

log = logging.getLogger("plo_tracker.changes")

Listener = Callable[[], None]


class Changes:
    """Subscribers told after each committed write to one database."""

    def __init__(self, db: Database) -> None:
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        db.after_commit.append(self.notify)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener()`` after every committed write; returns the way to stop."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def notify(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener()
            except Exception as error:  # a listener's fault never undoes a saved change
                log.error("a change listener failed (%s)", Safe(type(error).__name__))


def changes_of(db: Database) -> Changes:
    """The one ``Changes`` of this database (made on first use)."""
    found = getattr(db, "_changes", None)
    if found is None:
        found = Changes(db)
        db._changes = found  # type: ignore[attr-defined]
    return found
