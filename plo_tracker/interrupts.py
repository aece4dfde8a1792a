"""Ctrl-C: one line, no traceback, and the truth about what was saved.

While a command runs, the first Ctrl-C raises ``KeyboardInterrupt`` where the program
is; the transaction under way rolls back (every write is one transaction) and the
command line says how many changes had already been saved (``db.session`` counts the
transactions committed by this process).  A second Ctrl-C, while that is being
tidied up, stops the process at once with the same kind of line: the database keeps
only what was committed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType

from db.counters import saved_transactions

__all__ = ["EXIT_INTERRUPTED", "interrupted_message", "interruptible", "saved_transactions"]

EXIT_INTERRUPTED = 130  # the shell's convention for "stopped by Ctrl-C"


def interrupted_message(before: int = 0, started: int | None = None, doing: str = "") -> str:
    """What the user is told: whether anything had been saved, and that the rest was not.

    ``before``: the count of saved transactions when the command began; ``started``: when
    its own work began (after opening the database, which may set it up or upgrade it).
    """
    now = saved_transactions()
    opening = (started if started is not None else now) - before
    during = now - started if started is not None else 0
    if opening <= 0 and during <= 0:
        return "Stopped (Ctrl-C). Nothing was saved: the database is as it was."
    if during <= 0:
        what = f"of what '{doing}' was doing " if doing else ""
        return (
            f"Stopped (Ctrl-C). Nothing {what}was saved; only opening the database had been "
            "(setting it up or upgrading it, or registering you as its first user)."
        )
    return (
        f"Stopped (Ctrl-C). {during} change(s) had already been saved before then (each is "
        "in the audit trail); the change under way was not saved."
    )


def was_interrupted(error: BaseException | None) -> bool:
    """True if ``error`` is, or arose while handling, a KeyboardInterrupt."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return True
        seen.add(id(error))
        error = error.__context__ or error.__cause__
    return False


@contextlib.contextmanager
def interruptible(before: int, progress: dict[str, int] | None = None) -> Iterator[None]:
    """While the block runs: first Ctrl-C raises KeyboardInterrupt, a second one exits."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pressed = False

    def handler(_signal: int, _frame: FrameType | None) -> None:
        nonlocal pressed
        if pressed:
            with contextlib.suppress(OSError):
                sys.stdout.flush()
            started = (progress or {}).get("started")
            os.write(2, f"\nError: {interrupted_message(before, started)}\n".encode())
            os._exit(EXIT_INTERRUPTED)
        pressed = True
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
