"""One signal for the whole window: something was saved, so lists read themselves again.

``plo_tracker.changes`` tells the hub after every committed write, whichever screen,
form, dialog or background job made it, on the thread that wrote.  The hub passes it to
the window's thread and gathers a burst of writes into one ``changed`` signal (on the
next turn of the event loop, so a screen finishes what it was doing first).  A screen
that has just saved may call ``flush()`` to have every list read again at once.
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from plo_tracker.app import AppContext


class ChangeHub(QObject):
    changed = Signal()  # something was saved (emitted on the window's thread)
    _arrived = Signal()  # from any thread: queued to the hub's own

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.flush)
        self._arrived.connect(self._note)
        hub = weakref.ref(self)

        def listener() -> None:
            alive = hub()
            if alive is not None:
                with contextlib.suppress(RuntimeError):  # the window has gone
                    alive._arrived.emit()

        self._unsubscribe: Callable[[], None] | None = ctx.changes.subscribe(listener)

    def _note(self) -> None:
        self.pending = True
        self._timer.start()

    def flush(self) -> None:
        """Tell every screen now, if anything was saved since they were last told."""
        self._timer.stop()
        if self.pending:
            self.pending = False
            self.changed.emit()

    def stop(self) -> None:
        """No more notices (the window is closing)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._timer.stop()
        self.pending = False
