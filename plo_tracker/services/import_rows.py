"""An import's bulk writes: case rows and everything in them, outside the ORM.

``ExchangeService.import_cases`` checks the cases, then calls these inside its one
transaction, a batch at a time: the contents of the cases being replaced are cleared,
the case rows inserted or updated (their ``version`` and ``revision`` moved on), and the
children, parties, events and the other records inserted with plain ``INSERT``s.  The
service writes the audit rows (one per case, before and after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.models import Assessment as AssessmentRow
from db.models import Booking as BookingRow
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Concern as ConcernRow
from db.models import Event as EventRow
from db.models import KeepApart as KeepApartRow
from db.models import Party as PartyRow
from db.models import PlanAction as PlanActionRow
from db.models import Strength as StrengthRow
from db.models import utcnow
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import ImportConflict
from plo_tracker.services.records import links_to

CHUNK = 500


def _keys(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def clear_contents(session: Session, case_ids: list[int]) -> None:
    for chunk in _chunks(case_ids):
        for model in (
            EventRow,
            PlanActionRow,
            AssessmentRow,
            BookingRow,
            ConcernRow,
            StrengthRow,
            KeepApartRow,
            ChildRow,
            PartyRow,
        ):
            session.execute(delete(model).where(model.case_id.in_(chunk)))


def write_case_rows(
    session: Session, chunk: Sequence[tuple[CaseHistory, CaseHistory | None]]
) -> dict[str, int]:
    now = utcnow()
    new_rows = []
    for case, old in chunk:
        values = {
            "reference": case.reference,
            "team": case.team,
            "social_worker": case.social_worker,
            "team_manager": case.team_manager,
            "legal_liaison": case.legal_liaison,
            "court_reference": case.court_reference,
        }
        if old is None:
            new_rows.append({**values, "created_at": now, "updated_at": now, "version": 1})
        else:
            session.execute(
                update(CaseRow)
                .where(CaseRow.id == old.id)
                .values(
                    **values,
                    updated_at=now,
                    version=CaseRow.version + 1,
                    revision=CaseRow.revision + 1,
                )
            )
    if new_rows:
        session.execute(insert(CaseRow.__table__), new_rows)
    refs = [case.reference for case, _old in chunk]
    found = session.execute(
        select(CaseRow.reference, CaseRow.id).where(CaseRow.reference.in_(refs))
    )
    return {reference: case_id for reference, case_id in found}


def write_contents(
    session: Session,
    chunk: Sequence[tuple[CaseHistory, CaseHistory | None]],
    ids: dict[str, int],
) -> None:
    children: list[dict[str, Any]] = []
    parties: list[dict[str, Any]] = []
    for case, _old in chunk:
        case_id = ids[case.reference]
        for position, child in enumerate(case.children):
            children.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "name": child.name,
                    "date_of_birth": child.date_of_birth,
                    "expected_birth": child.expected_birth,
                    "la_child_id": child.la_child_id,
                    "key": child.key,
                    "version": 1,
                }
            )
        for position, party in enumerate(case.parties):
            solicitor = party.solicitor
            parties.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "key": party.id,
                    "name": party.name,
                    "relationship": party.relationship,
                    "parental_responsibility": party.parental_responsibility,
                    "address": list(party.address) if party.address else None,
                    "address_confidential": party.address_confidential,
                    "language": party.language,
                    "needs": party.needs,
                    "solicitor_name": solicitor.name if solicitor else None,
                    "solicitor_firm": solicitor.firm if solicitor else None,
                    "solicitor_phone": solicitor.phone if solicitor else None,
                    "solicitor_email": solicitor.email if solicitor else None,
                    "child_links": links_to(party.children),
                    "version": 1,
                }
            )
    if children:
        session.execute(insert(ChildRow.__table__), children)
    party_ids: dict[tuple[int, str], int] = {}
    if parties:
        session.execute(insert(PartyRow.__table__), parties)
        for party_id, case_id, key in session.execute(
            select(PartyRow.id, PartyRow.case_id, PartyRow.key).where(
                PartyRow.case_id.in_(list(ids.values()))
            )
        ):
            party_ids[(case_id, key)] = party_id

    now = utcnow()
    events: list[dict[str, Any]] = []
    assessments: list[dict[str, Any]] = []
    actions: list[dict[str, Any]] = []
    bookings: list[dict[str, Any]] = []
    concerns: list[dict[str, Any]] = []
    strengths: list[dict[str, Any]] = []
    keep_apart: list[dict[str, Any]] = []
    for case, _old in chunk:
        case_id = ids[case.reference]
        for event in case.events:
            events.append(
                {
                    "case_id": case_id,
                    "type": event.type,
                    "date": event.date,
                    "party_id": party_ids[(case_id, event.party)] if event.party else None,
                    "outcome": event.outcome,
                    "fgdm_offered": event.fgdm_offered,
                    "reason": event.reason,
                    "until": event.until,
                    "decided_by": event.decided_by,
                    "rationale": event.rationale,
                    "rule": event.rule,
                    "to_plan": event.to,
                    "response": event.response,
                    "attendees": _keys(event.attendees),
                    "effective": event.effective,
                    "short_notice": event.short_notice,
                    "short_notice_reason": event.short_notice_reason,
                    "kind": event.kind,
                    "la_plan": event.la_plan,
                    "plan_approved": event.plan_approved,
                    "order_made": event.order,
                    "recorded_by": None,
                    "created_at": now,
                    "version": 1,
                }
            )
        for position, a in enumerate(case.assessments):
            assessments.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "title": a.title,
                    "commissioned": a.commissioned,
                    "due": a.due,
                    "completed": a.completed,
                    "about": list(a.about) or None,
                    "children": list(a.children) or None,
                    "version": 1,
                }
            )
        for position, action in enumerate(case.plan_actions):
            actions.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "party_id": party_ids[(case_id, action.party)] if action.party else None,
                    "action": action.action,
                    "support": action.support,
                    "due": action.due,
                    "completed": action.completed,
                    "version": 1,
                }
            )
        for position, booking in enumerate(case.scheduled):
            bookings.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "type": booking.type,
                    "date": booking.date,
                    "time": booking.time,
                    "place": booking.place,
                    "attendees": _keys(booking.attendees),
                    "kind": booking.kind,
                    "version": 1,
                }
            )
        for rows, items in ((concerns, case.concerns), (strengths, case.strengths)):
            for position, concern in enumerate(items):
                rows.append(
                    {
                        "case_id": case_id,
                        "position": position,
                        "text": concern.text,
                        "about": list(concern.about) or None,
                        "children": list(concern.children) or None,
                        "version": 1,
                    }
                )
        for position, apart in enumerate(case.keep_apart):
            keep_apart.append(
                {
                    "case_id": case_id,
                    "position": position,
                    "protect": apart.protect,
                    "kept_from": list(apart.kept_from),
                    "reason": apart.reason,
                    "version": 1,
                }
            )
    for model, rows in (
        (EventRow, events),
        (AssessmentRow, assessments),
        (PlanActionRow, actions),
        (BookingRow, bookings),
        (ConcernRow, concerns),
        (StrengthRow, strengths),
        (KeepApartRow, keep_apart),
    ):
        if rows:
            session.execute(insert(model.__table__), rows)


# -- no lost update: the cases an import replaces are locked and checked ---------------------

# What the audit trail calls each table's record, in a sentence ("added a plan action").
_RECORD_WORDS = {
    "case": "the case",
    "cases": "the case's details",
    "children": "a child",
    "parties": "a person",
    "events": "an event",
    "assessments": "an assessment",
    "plan_actions": "a plan action",
    "bookings": "a booked meeting",
    "concerns": "a worry",
    "strengths": "a strength",
    "keep_apart": "a keep-apart arrangement",
    "letters": "a letter",
    "letter_preferences": "a letter preference",
    "flag_reviews": "a flag review",
}
_ACTION_WORDS = {
    "create": "added",
    "update": "changed",
    "delete": "removed",
    "import": "imported",
    "sql_insert": "added (outside PLO Tracker)",
    "sql_update": "changed (outside PLO Tracker)",
    "sql_delete": "removed (outside PLO Tracker)",
}


def read_revisions(session: Session, references: Sequence[str]) -> dict[str, int]:
    """Each existing case's revision, read *before* its content (db/revisions.py)."""
    found = session.execute(
        select(CaseRow.reference, CaseRow.revision).where(CaseRow.reference.in_(references))
    )
    return {reference: revision for reference, revision in found}


def lock_unchanged(
    session: Session, olds: Sequence[CaseHistory], revisions: dict[str, int]
) -> None:
    """Lock the cases about to be replaced (in id order, so two imports cannot deadlock) and
    refuse, naming the case and the change, if one changed since its content was read.

    Every change to a case bumps its revision in the same transaction, so a colleague's
    committed edit shows here; one still being saved holds its case's row, so the lock waits
    for it and then sees it.  Once locked, nobody changes these cases until the import ends:
    what the audit records as replaced is exactly what is replaced.
    """
    if not olds:
        return
    ids = sorted(old.id for old in olds if old.id is not None)
    now: dict[str, int] = {}
    for chunk in _chunks(ids):
        for reference, revision in session.execute(
            select(CaseRow.reference, CaseRow.revision)
            .where(CaseRow.id.in_(chunk))
            .order_by(CaseRow.id)
            .with_for_update()
        ):
            now[reference] = revision
    for old in olds:
        if now.get(old.reference) != revisions.get(old.reference):
            change = latest_change(session, old.reference)
            raise ImportConflict(
                f"someone changed this case while the import was reading it ({change}). "
                "The import would have replaced that change without recording it, so "
                "nothing was imported. Check the case, then import the file again (add "
                "--replace only if the file should win over that change).",
                case=old.reference,
                change=change,
            )


def latest_change(session: Session, reference: str) -> str:
    """'Megan Hughes (megan.hughes) added a plan action at 10:02 UTC', from the audit trail."""
    from db.models import AuditEntry, User

    row = session.execute(
        select(AuditEntry.username, AuditEntry.action, AuditEntry.entity, AuditEntry.at)
        .where(AuditEntry.case_reference == reference)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return "a change with no audit entry"
    name = session.scalar(select(User.display_name).where(User.username == row.username))
    who = f"{name} ({row.username})" if name else row.username
    action = _ACTION_WORDS.get(row.action, row.action.replace("_", " "))
    what = _RECORD_WORDS.get(row.entity, row.entity.replace("_", " "))
    at = row.at.astimezone(dt.UTC).strftime(" at %H:%M UTC") if row.at is not None else ""
    return f"{who} {action} {what}{at}"
