"""Every write to a case, or to anything that belongs to it, bumps ``cases.revision``.

Runs in the same transaction as the change (after each flush), so a cached view of a
case (``case_status``) can tell it is out of date by comparing revisions.  Writes that
bypass the ORM (the bulk import) bump the revision themselves.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, event, text
from sqlalchemy.orm import Session, sessionmaker

from db.models import Case


def _touched_cases(session: Session) -> set[int]:
    found: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            if obj in session.deleted or obj.id is None:
                continue
            if session.is_modified(obj, include_collections=False):
                found.add(obj.id)
            continue
        case_id = getattr(obj, "case_id", None)
        if isinstance(case_id, int):
            found.add(case_id)
    return found


# Plain SQL that sets only the revision: an UPDATE built from the table would also set
# ``updated_at`` (its on-update default), which not every role may change on PostgreSQL.
_BUMP = text("UPDATE cases SET revision = revision + 1 WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def _after_flush(session: Session, _context: Any) -> None:
    touched = _touched_cases(session)
    if touched:
        session.connection().execute(_BUMP, {"ids": sorted(touched)})


def install(factory: sessionmaker[Session]) -> None:
    if not event.contains(factory, "after_flush", _after_flush):
        event.listen(factory, "after_flush", _after_flush)
