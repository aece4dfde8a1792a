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
from sqlalchemy.orm import Session

from db.audit import write_entry
from db.models import AuditEntry, User
from plo_tracker.domain import drift, family
from plo_tracker.domain.dates import abbreviated_date
from plo_tracker.domain.model import BOOKING_LABELS, EVENT_LABELS, CaseHistory
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
    # Changes made outside the app (a SQL client), audited by trigger (db/enforcement.py).
    "sql_insert": "Added outside PLO Tracker",
    "sql_update": "Changed outside PLO Tracker",
    "sql_delete": "Deleted outside PLO Tracker",
}


@dataclass(frozen=True, slots=True)
class Recorders:
    """Who booked each meeting ((kind, ISO date) -> name), and who imported the case."""

    booked: dict[tuple[str, str], str]
    importer: str | None = None

    def booked_by(self, kind: str, day: dt.date) -> str | None:
        return self.booked.get((kind, day.isoformat()))


def _after(changes: dict[str, Any], key: str) -> Any:
    value = changes.get(key)
    return value[1] if isinstance(value, list) and len(value) == 2 else None


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
        if self.action == "sql_update":
            before = self.changes.get("before") or {}
            after = self.changes.get("after") or {}
            fields = ", ".join(sorted(k for k in after if before.get(k) != after.get(k)))
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


# -- the trail in people's words ----------------------------------------------------------------

# "{who} recorded {phrase} on {date}"
EVENT_PHRASES: dict[str, str] = {
    "legal_planning_meeting": "a legal planning meeting",
    "letter_before_proceedings": "the letter before proceedings as sent",
    "pre_proceedings_meeting": "a pre-proceedings meeting",
    "review_meeting": "a review meeting",
    "fgc_referral": "a family group conference referral",
    "fgc_held": "a family group conference",
    "fgc_declined": "that the family declined a family group conference",
    "extension_agreed": "an extension",
    "management_oversight": "management oversight",
    "decision_to_issue": "a decision to issue proceedings",
    "proceedings_issued": "that proceedings were issued",
    "letter_of_issue": "the letter of issue as sent",
    "stepped_down": "that the case stepped down",
    "fgdm_response": "an answer to the family meeting offer",
    "fgdm_not_offered": "a decision not to offer a family meeting",
    "hearing": "a court hearing",
    "court_extension": "that the court extended the timetable",
    "proceedings_concluded": "that proceedings concluded",
}
ENTITY_NOUNS: dict[str, str] = {
    "strengths": "strength",
    "keep_apart": "keep-apart arrangement",
    "teams": "team",
    "children": "child",
    "parties": "person",
    "assessments": "assessment",
    "plan_actions": "plan action",
    "bookings": "booked meeting",
    "letters": "letter",
    "flag_reviews": "flag review",
    "concerns": "worry",
}
# Columns that are bookkeeping, never shown as a change.
HIDDEN_COLUMNS = frozenset(
    {
        "id",
        "case_id",
        "position",
        "recorded_by",
        "revision",
        "generated_by",
        "sha256",
        "pdf_sha256",
        "event_id",
        "sent_recorded_by",
        "created_at",
        "updated_at",
    }
)
COLUMN_LABELS: dict[str, str] = {
    "party_id": "person",
    "to_plan": "stepped down to",
    "key": "short name",
    "relationship": "relationship",
    "solicitor_name": "solicitor",
    "solicitor_firm": "solicitor's firm",
    "solicitor_phone": "solicitor's phone",
    "solicitor_email": "solicitor's email",
    "address_confidential": "address not to be disclosed",
    "text": "what we are worried about",
    "about": "about",
    "response": "answer",
    "fgdm_offered": "family meeting offered",
    "sent_on": "sent on",
    "la_child_id": "council child ID",
    "date_of_birth": "date of birth",
    "expected_birth": "expected date of birth",
    "court_reference": "court reference",
    "team_manager": "team manager",
    "legal_liaison": "legal liaison",
    "social_worker": "social worker",
    "decided_by": "decided by",
    "file_name": "file",
    "pdf_file_name": "PDF file",
    "template_title": "letter",
    "recipient_name": "to",
    "child_links": "ties to the children",
    "attendees": "who it is for",
    "effective": "went ahead",
    "short_notice": "short notice",
    "short_notice_reason": "why short notice",
    "kind": "kind",
    "la_plan": "the council's plan",
    "plan_approved": "plan approved",
    "order_made": "order made",
    "protect": "protected person",
    "kept_from": "kept from",
    "reason": "reason",
    "registered": "registered",
}


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One entry of a case's trail as people read it."""

    record: AuditRecord
    who: str  # the person's name (their user name if they have no record any more)
    sentence: str  # "Megan Hughes recorded a review meeting on 3 Nov 2026"
    changes: tuple[str, ...] = ()  # ("date: 2 Nov 2026 → 3 Nov 2026",)

    @property
    def at(self) -> dt.datetime:
        return self.record.at

    @property
    def id(self) -> int:
        return self.record.id

    def text(self) -> str:
        """The sentence with its changes: 'Megan Hughes changed ...: date: 2 Nov → 3 Nov'."""
        if not self.changes:
            return self.sentence
        return f"{self.sentence}: {'; '.join(self.changes)}"


def _shown_value(value: Any, column: str, people: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "(none)"
    if column == "party_id" and isinstance(value, int):
        return people.get(value, "a person since removed")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(none)"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return abbreviated_date(dt.date.fromisoformat(value))
        except ValueError:
            pass
    if column == "rule" and isinstance(value, str):
        return drift.RULES.get(value, value)
    if column == "type" and isinstance(value, str):
        return EVENT_LABELS.get(value, value).lower()
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _date_words(value: Any) -> str:
    try:
        return abbreviated_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


class _TrailReader:
    """Turns audit rows into sentences, remembering what each record was as it goes."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.known: dict[tuple[str, str], dict[str, Any]] = {}  # (entity, id) -> values
        self.people: dict[int, str] = {}

    def seed(self, case: CaseHistory) -> None:
        """What the case's records are now: names records imported without a trail of their own."""
        for e in case.events:
            if e.id is not None:
                self.known[("events", str(e.id))] = {"type": e.type, "date": e.date.isoformat()}
        for p in case.parties:
            if p.row_id is not None:
                self.known[("parties", str(p.row_id))] = {"name": p.name}
                self.people[p.row_id] = p.name
        for c in case.children:
            if c.id is not None:
                self.known[("children", str(c.id))] = {"name": c.name}
        for a in case.assessments:
            if a.id is not None:
                self.known[("assessments", str(a.id))] = {"title": a.title}
        for action in case.plan_actions:
            if action.id is not None:
                self.known[("plan_actions", str(action.id))] = {"action": action.action}
        for concern in case.concerns:
            if concern.id is not None:
                self.known[("concerns", str(concern.id))] = {"text": concern.text}
        for b in case.scheduled:
            if b.id is not None:
                self.known[("bookings", str(b.id))] = {"type": b.type, "date": b.date.isoformat()}

    def line(self, record: AuditRecord) -> AuditLine:
        who = self.names.get(record.username, record.username)
        changes = record.changes or {}
        entity, action = record.entity, record.action
        key_id = record.entity_id
        if action == "create" and isinstance(changes.get("id"), list):
            key_id = str(changes["id"][1])
        before = dict(self.known.get((entity, key_id or ""), {}))
        after = dict(before)
        if action in ("create", "update", "delete"):
            for column, pair in changes.items():
                if isinstance(pair, list) and len(pair) == 2:
                    after[column] = pair[1] if action != "delete" else pair[0]
            self.known[(entity, key_id or "")] = after
            if entity == "parties" and key_id and key_id.isdigit() and after.get("name"):
                self.people[int(key_id)] = str(after["name"])
        sentence = self._sentence(who, entity, action, after, changes)
        listed: tuple[str, ...] = ()
        if action == "update":
            listed = tuple(
                f"{COLUMN_LABELS.get(column, column.replace('_', ' '))}: "
                f"{_shown_value(pair[0], column, self.people)} → "
                f"{_shown_value(pair[1], column, self.people)}"
                for column, pair in changes.items()
                if column not in HIDDEN_COLUMNS and isinstance(pair, list) and len(pair) == 2
            )
        return AuditLine(record, who, sentence, listed)

    def _sentence(
        self, who: str, entity: str, action: str, values: dict[str, Any], changes: dict[str, Any]
    ) -> str:
        if action == "import":
            return f"{who} imported the case" + (
                " (replacing what was recorded)" if changes.get("before") else ""
            )
        if action == "export":
            return f"{who} exported the case"
        if action == "sar_export":
            return f"{who} exported the case for a subject access request"
        if entity in ("cases", "case"):
            verb = {"create": "opened", "update": "changed the details of", "delete": "deleted"}
            return f"{who} {verb.get(action, action)} the case"
        if entity == "events":
            kind = str(values.get("type", ""))
            day = _date_words(values.get("date", ""))
            if action == "create":
                phrase = EVENT_PHRASES.get(kind, EVENT_LABELS.get(kind, kind).lower())
                return f"{who} recorded {phrase} on {day}"
            label = EVENT_LABELS.get(kind, kind).lower() or "event"
            verb = "changed" if action == "update" else "deleted"
            return f"{who} {verb} the {label} of {day}"
        noun = ENTITY_NOUNS.get(entity, entity.replace("_", " ").rstrip("s"))
        name = _record_name(entity, values)
        if entity == "letters" and action == "update" and "sent_on" in changes:
            sent = changes["sent_on"][1]
            if sent:
                return f"{who} recorded the {noun} {name} as sent on {_date_words(sent)}"
        if entity == "bookings" and action == "create":
            kind = BOOKING_LABELS.get(str(values.get("type", "")), "meeting").lower()
            return f"{who} booked a {kind} for {_date_words(values.get('date', ''))}"
        if entity == "letters" and action == "create":
            return f"{who} made the {noun} {name}"
        if entity == "flag_reviews" and action == "create":
            rule = str(values.get("rule", ""))
            return f"{who} reviewed the flag “{drift.RULES.get(rule, rule)}”"
        verb = {"create": "added", "update": "changed", "delete": "removed"}.get(action, action)
        return f"{who} {verb} the {noun} {name}".rstrip()


def _record_name(entity: str, values: dict[str, Any]) -> str:
    """How a record is named in a sentence: 'Ruby Jones', '“Parenting assessment”'."""
    if entity in ("children", "parties"):
        return str(values.get("name", ""))
    if entity == "assessments":
        return f"“{values.get('title', '')}”"
    if entity == "plan_actions":
        text = str(values.get("action", ""))
        return f"“{text if len(text) <= 50 else text[:47] + '...'}”"
    if entity == "bookings":
        kind = BOOKING_LABELS.get(str(values.get("type", "")), "meeting").lower()
        return f"({kind}, {_date_words(values.get('date', ''))})"
    if entity == "letters":
        title = values.get("template_title", "")
        to = values.get("recipient_name", "")
        return f"“{title}” to {to}" if to else f"“{title}”"
    if entity == "flag_reviews":
        return f"of “{drift.RULES.get(str(values.get('rule', '')), values.get('rule', ''))}”"
    if entity == "concerns":
        text = str(values.get("text", ""))
        return f"“{text if len(text) <= 50 else text[:47] + '...'}”"
    return ""


def staff_names(session: Session) -> dict[str, str]:
    """User name -> the person's name, for everyone who has a user record."""
    return {
        username: name
        for username, name in session.execute(select(User.username, User.display_name))
    }


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

    def trail_in_words(self, reference: str) -> list[AuditLine]:
        """The case's trail as sentences with people's names, oldest first."""
        records = self.trail(reference)
        with self.db.read() as session:
            names = staff_names(session)
            try:
                current: CaseHistory | None = history_from_row(load_case_row(session, reference))
            except NotFound:  # a deleted case keeps its trail
                current = None
        reader = _TrailReader(names)
        if current is not None:
            reader.seed(current)
        return [reader.line(record) for record in records]

    def recorders(self, reference: str) -> Recorders:
        """Who booked each of the case's meetings, and who last imported the case (for
        the chronology's "Recorded by", which bookings and imported history lack)."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            names = staff_names(session)
            rows = session.execute(
                select(AuditEntry.entity, AuditEntry.changes, AuditEntry.username)
                .where(
                    AuditEntry.case_reference == reference,
                    AuditEntry.action.in_(("create", "import")),
                    AuditEntry.entity.in_(("bookings", "case")),
                )
                .order_by(AuditEntry.id)
            ).all()
        booked: dict[tuple[str, str], str] = {}
        importer: str | None = None
        for entity, changes, username in rows:
            who = names.get(username, username)
            if entity == "bookings" and isinstance(changes, dict):
                kind, day = _after(changes, "type"), _after(changes, "date")
                if kind and day:
                    booked[(str(kind), str(day))] = who
            elif entity == "case":
                importer = who
        return Recorders(booked=booked, importer=importer)

    def names(self) -> dict[str, str]:
        """User name -> the person's name (to show names instead of logins)."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            return staff_names(session)

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
            "people": [_person(history, p) for p in case_json.get("parties", [])],
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


def _person(history: CaseHistory, details: dict[str, Any]) -> dict[str, Any]:
    """One person's part of a subject access export: their details, the facts recorded
    about them, and whom they are kept from learning about (whose data must never be
    disclosed to them)."""
    key = str(details.get("id"))
    names = {p.id: p.name for p in history.parties}
    facts: dict[str, list[str]] = {
        "concerns": [c.text for c in history.concerns if key in c.about],
        "strengths": [s.text for s in history.strengths if key in s.about],
        "assessments": [a.title for a in history.assessments if key in a.about],
        "plan_actions": [a.action for a in history.plan_actions if a.party == key],
    }
    person: dict[str, Any] = {
        "party_id": key,
        "name": details.get("name"),
        "details": details,
        "facts_about_them": {k: v for k, v in facts.items() if v},
    }
    kept = sorted(family.kept_from(history, key))
    if kept:
        person["must_not_learn_about"] = [names.get(k, k) for k in kept]
    return person
