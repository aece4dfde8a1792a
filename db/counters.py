"""How many write transactions this process has committed (for an honest Ctrl-C message).

Kept apart from ``db.session`` so the command line can read it without loading SQLAlchemy.
"""

from __future__ import annotations

_saved = [0]


def saved_transactions() -> int:
    """How many write transactions this process has committed so far."""
    return _saved[0]


def note_saved() -> None:
    """Count a committed write transaction (``Database.write``, an upgrade, a restore)."""
    _saved[0] += 1
