"""Reading the audit trail, and exporting one case for a subject access request.

The trail is append-only: nothing here (or anywhere in the app) changes it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.audit import write_entry
from db.models import AuditEntry
from plo_tracker.errors import NotFound
from plo_tracker.exchange import case_to_json
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log
from plo_tracker.services.cases import load_case_row
from plo_tracker.services.exchange_service import write_private_file
from plo_tracker.services.records import history_from_row, letters_of
from plo_tracker.validation import shown

ACTION_LABELS = {
    "create": "Added",
    "update": "Changed",
    "delete": "Deleted",
    "import": "Imported",
    "export": "Exported",
    "sar_export": "Exported for a subject access request",
}


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: str | None
    case_reference: str | None
    changes: dict[str, Any] | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize())

    def summary(self) -> str:
        """A one-line description of what changed (field names only)."""
        if not self.changes:
            return f"{self.action_label} {self.entity}"
        if self.action in ("create", "update", "delete"):
            fields = ", ".join(sorted(self.changes))
            return f"{self.action_label} {self.entity.rstrip('s')}: {fields}"
        return f"{self.action_label} {self.entity}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "user": self.username,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "case": self.case_reference,
            "changes": self.changes,
        }


def _record(row: AuditEntry) -> AuditRecord:
    at = row.at
    if at.tzinfo is None:  # SQLite returns naive datetimes; they were written in UTC
        at = at.replace(tzinfo=dt.UTC)
    return AuditRecord(
        id=row.id,
        at=at,
        username=row.username,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        case_reference=row.case_reference,
        changes=row.changes,
    )


class AuditService(Service):
    def trail(self, reference: str, limit: int | None = None) -> list[AuditRecord]:
        """Every recorded change to a case, oldest first (kept after a case is deleted)."""
        self.actor.require(Permission.VIEW_AUDIT)
        with self.db.read() as session:
            query = (
                select(AuditEntry)
                .where(AuditEntry.case_reference == reference)
                .order_by(AuditEntry.id)
            )
            if limit is not None:
                query = query.limit(limit)
            rows = list(session.scalars(query))
            if not rows:
                load_case_row(session, reference)  # NotFound if there is no such case
            return [_record(r) for r in rows]

    def recent(self, limit: int = 200, username: str | None = None) -> list[AuditRecord]:
        """The latest changes across the database (administrators)."""
        self.actor.require(Permission.MANAGE_USERS)
        with self.db.read() as session:
            query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
            if username is not None:
                query = query.where(AuditEntry.username == username)
            return [_record(r) for r in session.scalars(query)]

    def subject_access_export(self, reference: str) -> dict[str, Any]:
        """One case's data, its audit trail and its letters, for a subject access request.

        Each person's data is kept separate (``people``) so a reviewer can remove
        third parties' details before disclosure, as the serious-harm test and
        third-party rules require.  The export itself is audited.
        """
        self.actor.require(Permission.EXPORT_PERSONAL_DATA)
        with self.db.read() as session:
            try:
                row = load_case_row(session, reference)
            except NotFound:
                raise NotFound(
                    f"There is no case with the reference {shown(reference, 70)}."
                ) from None
            history = history_from_row(row)
            trail = [
                _record(r)
                for r in session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.case_reference == reference)
                    .order_by(AuditEntry.id)
                )
            ]
            letters = letters_of(session, row.id)
        case_json = case_to_json(history)
        document = {
            "format": "plo-tracker-subject-access-export",
            "version": 1,
            "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "generated_by": self.actor.username,
            "notice": (
                "Before disclosure, review this export: social work records are subject to the "
                "serious-harm test (DPA 2018 Sch 3 Pt 3), and other people's data must be "
                "removed or withheld. Each person's details are listed separately below."
            ),
            "case": case_json,
            "people": [
                {"party_id": p.get("id"), "name": p.get("name"), "details": p}
                for p in case_json.get("parties", [])
            ],
            "letters": letters,
            "audit_trail": [entry.to_json() for entry in trail],
        }
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="sar_export",
                entity="case",
                entity_id=str(history.id),
                case_reference=reference,
                changes={"audit_entries": len(trail), "letters": len(letters)},
            )
        log.info("subject access export made (%s audit entries)", len(trail))
        return document

    def subject_access_export_file(self, reference: str, path: Path) -> int:
        document = self.subject_access_export(reference)
        write_private_file(path, json.dumps(document, indent=1, ensure_ascii=False).encode())
        return len(document["audit_trail"])
