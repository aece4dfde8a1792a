"""The audit trail, written in the same transaction as the change it records.

Every insert, update and delete of an audited model made through a write
session becomes one ``audit_log`` row: who (the session's actor), when, which
record, and each changed field as ``[before, after]``.  Bulk operations that
bypass the ORM (case import) write their own rows with ``write_entry``.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from db.models import AUDITED_MODELS, AuditEntry, Case, utcnow

SKIP_FIELDS = frozenset({"version", "created_at", "updated_at"})
BULK_KEY = "audit_bulk"


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _entity_name(obj: Any) -> str:
    return str(obj.__table__.name)


def _identity(obj: Any) -> str | None:
    ident = inspect(obj).identity
    if not ident:
        return None
    return "/".join(str(part) for part in ident)


def _case_reference(session: Session, obj: Any) -> str | None:
    if isinstance(obj, Case):
        history = inspect(obj).attrs.reference.history
        if history.deleted:
            return str(history.deleted[0])
        return obj.reference
    case_id = getattr(obj, "case_id", None)
    if case_id is None:
        return None
    with session.no_autoflush:
        case = session.get(Case, case_id)
    return case.reference if case is not None else None


def _columns(obj: Any) -> list[tuple[str, str]]:
    """(attribute key, column name) pairs of the object's mapped columns."""
    mapper = inspect(obj).mapper
    return [(attr.key, attr.columns[0].name) for attr in mapper.column_attrs]


def _snapshot(obj: Any, *, before: bool) -> dict[str, Any]:
    state = inspect(obj)
    values: dict[str, Any] = {}
    for key, column in _columns(obj):
        if column in SKIP_FIELDS:
            continue
        history = state.attrs[key].history if before else None
        if history is not None and history.deleted:
            value = history.deleted[0]
        elif key in state.unloaded:
            continue
        else:
            value = getattr(obj, key)
        values[column] = jsonable(value)
    return values


def _changes(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for key, column in _columns(obj):
        if column in SKIP_FIELDS:
            continue
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        changes[column] = [jsonable(old), jsonable(new)]
    return changes


def _after_flush(session: Session, _flush_context: Any) -> None:
    if session.info.get(BULK_KEY):
        return
    actor = session.info.get("actor")
    if not actor:
        raise RuntimeError("a write session without an actor cannot be audited")
    now = utcnow()
    rows: list[dict[str, Any]] = []

    def add(obj: Any, action: str, changes: dict[str, Any]) -> None:
        rows.append(
            {
                "at": now,
                "username": actor,
                "action": action,
                "entity": _entity_name(obj),
                "entity_id": _identity(obj),
                "case_reference": _case_reference(session, obj),
                "changes": changes,
            }
        )

    for obj in session.new:
        if isinstance(obj, AUDITED_MODELS):
            add(obj, "create", {k: [None, v] for k, v in _snapshot(obj, before=False).items()})
    for obj in session.dirty:
        if isinstance(obj, AUDITED_MODELS) and session.is_modified(obj, include_collections=False):
            changes = _changes(obj)
            if changes:
                add(obj, "update", changes)
    for obj in session.deleted:
        if isinstance(obj, AUDITED_MODELS):
            add(obj, "delete", {k: [v, None] for k, v in _snapshot(obj, before=True).items()})
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def write_entry(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: str | None = None,
    case_reference: str | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """Append one audit row for a change made outside the ORM (or a notable read)."""
    actor = session.info.get("actor")
    if not actor:
        raise RuntimeError("a write session without an actor cannot be audited")
    session.connection().execute(
        insert(AuditEntry),
        [
            {
                "at": utcnow(),
                "username": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "case_reference": case_reference,
                "changes": jsonable(changes) if changes is not None else None,
            }
        ],
    )


def write_entries(session: Session, entries: list[dict[str, Any]]) -> None:
    """Append many audit rows at once (``action``, ``entity``, ``entity_id``,
    ``case_reference``, ``changes`` in each)."""
    if not entries:
        return
    actor = session.info.get("actor")
    if not actor:
        raise RuntimeError("a write session without an actor cannot be audited")
    now = utcnow()
    session.connection().execute(
        insert(AuditEntry.__table__),
        [
            {
                "at": now,
                "username": actor,
                "action": e["action"],
                "entity": e["entity"],
                "entity_id": e.get("entity_id"),
                "case_reference": e.get("case_reference"),
                "changes": jsonable(e["changes"]) if e.get("changes") is not None else None,
            }
            for e in entries
        ],
    )


def install(factory: sessionmaker[Session]) -> None:
    from sqlalchemy import event

    if not event.contains(factory, "after_flush", _after_flush):
        event.listen(factory, "after_flush", _after_flush)
