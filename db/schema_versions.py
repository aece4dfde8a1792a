"""The schema revisions this build knows, and what to say about one it does not.

Shared by ``db.identity`` (is this a PLO Tracker database?), ``db.migrate`` (upgrades)
and ``plo_tracker.about`` (``--version``); it imports nothing but the standard library,
so asking costs nothing at start-up.  Revision ids are the migration files' numbers
(``0002_letters.py`` is "0002"); a test checks they agree with Alembic's.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"


class Kind(enum.Enum):
    CURRENT = "current"  # the newest this build knows
    OLDER = "older"  # known, and upgraded when opened
    NEWER = "newer"  # a later PLO Tracker's (a higher number than any known)
    UNKNOWN = "unknown"  # not a revision any PLO Tracker numbers this way


def known_revisions() -> set[str]:
    """Revision ids, from the migration files' names (reading names keeps start-up fast)."""
    return {p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")}


def head_revision() -> str:
    return max(known_revisions())


def kind_of(revision: str) -> Kind:
    known = known_revisions()
    if revision in known:
        return Kind.CURRENT if revision == max(known) else Kind.OLDER
    if re.fullmatch(r"\d{4}", revision) and revision > max(known):
        return Kind.NEWER
    return Kind.UNKNOWN


def shown(revision: str) -> str:
    """A revision fit to quote in a message (whatever the table holds)."""
    text = "".join(c if c.isprintable() else "?" for c in revision[:40])
    return text + ("…" if len(revision) > 40 else "")


def newer_message(revision: str) -> str:
    return (
        "This database was made by a newer version of PLO Tracker "
        f"(schema {shown(revision)}). Install the newer version to open it; "
        "nothing has been changed."
    )


def unknown_message(revision: str) -> str:
    known = sorted(known_revisions())
    return (
        f"This database records schema revision '{shown(revision)}', which is not one this "
        f"version of PLO Tracker knows ({known[0]} to {known[-1]}), nor a newer one. Its "
        "record of its own schema has been changed by hand or by another program, so it was "
        "not opened or upgraded; nothing has been changed. Restore it from a backup, or ask "
        "your IT team to check it."
    )
