"""Cases: the case list, one case's history, and every edit to it.

Every edit is checked the same way an import is: the changed case is rebuilt
and run through the exchange-format checks before anything is written, so the
app can never store a case it could not export.  Each edit carries the version
of the record the user saw; if the record has changed since, nothing is written
and ``ConflictError`` says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db.audit import write_entry
from db.models import Assessment as AssessmentRow
from db.models import Booking as BookingRow
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Concern as ConcernRow
from db.models import Event as EventRow
from db.models import Party as PartyRow
from db.models import PlanAction as PlanActionRow
from plo_tracker.domain import chronology, drift
from plo_tracker.domain.model import (
    EVENT_FIELDS,
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    Party,
    PlanAction,
    event_for_type,
)
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import (
    ConflictError,
    NotFound,
    ValidationError,
)
from plo_tracker.exchange import case_to_json
from plo_tracker.logs import Safe
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.cases.checks import (
    FIELD_LABELS,
    KIND_LABELS,
    check_chronology,
    validate,
)
from plo_tracker.services.cases.work_lists import CaseSummary
from plo_tracker.services.cases.work_lists import summaries as case_list_rows
from plo_tracker.services.records import history_from_row, letters_of
from plo_tracker.services.settings import load_calendar, load_policy
from plo_tracker.validation import check_arg, check_record, shown


@dataclass(frozen=True, slots=True)
class CaseHeader:
    reference: str
    team: str | None = None
    social_worker: str | None = None
    team_manager: str | None = None
    legal_liaison: str | None = None
    court_reference: str | None = None


class CaseService(Service):
    # -- reading ---------------------------------------------------------------------------
    def get(self, reference: str) -> CaseHistory:
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            return history_from_row(self._row(session, reference))

    def references(self) -> list[str]:
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            return list(session.scalars(select(CaseRow.reference).order_by(CaseRow.reference)))

    def teams(self) -> list[str]:
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            found = session.scalars(
                select(CaseRow.team).where(CaseRow.team.is_not(None)).distinct()
            )
            return sorted(t for t in found if t)

    def summaries(self, as_of: dt.date | None = None) -> list[CaseSummary]:
        """The case list: every case, with drift worked out for the open ones.

        Rows are kept between starts and reused while still right (``work_lists``).
        """
        self.actor.require(Permission.VIEW_CASES)
        now = today()
        return case_list_rows(self.db, as_of or now, now, self.actor.username)

    def flags_for(self, reference: str, as_of: dt.date | None = None) -> list[drift.Flag]:
        self.actor.require(Permission.VIEW_CASES)
        as_of = as_of or today()
        with self.db.read() as session:
            history = history_from_row(self._row(session, reference))
            policy: Policy = load_policy(session)
            calendar: WorkingCalendar = load_calendar(session)
        return drift.evaluate(history, policy, calendar, as_of)

    def chronology(self, reference: str) -> list[chronology.Finding]:
        """What is wrong or unusual in the case's chronology as it is stored."""
        self.actor.require(Permission.VIEW_CASES)
        return chronology.check(self.get(reference))

    # -- the case itself -------------------------------------------------------------------
    def create(self, header: CaseHeader, children: list[Child]) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        check_record(header, FIELD_LABELS)
        if not isinstance(children, list | tuple):
            raise ValidationError("Children: must be a list of children.")
        for child in children:
            if not isinstance(child, Child):
                raise ValidationError("Children: every entry must be a child's record.")
            check_record(child, FIELD_LABELS)
        candidate = validate(
            CaseHistory(
                reference=header.reference.strip(),
                team=header.team,
                social_worker=header.social_worker,
                team_manager=header.team_manager,
                legal_liaison=header.legal_liaison,
                children=tuple(children),
            )
        )
        with self.db.write(self.actor.username) as session:
            if session.scalar(select(CaseRow.id).where(CaseRow.reference == candidate.reference)):
                raise ValidationError(
                    f"Case reference: {candidate.reference} is already used by another case.",
                    field="reference",
                )
            row = CaseRow(
                reference=candidate.reference,
                team=candidate.team,
                social_worker=candidate.social_worker,
                team_manager=candidate.team_manager,
                legal_liaison=candidate.legal_liaison,
                court_reference=header.court_reference,
            )
            for position, child in enumerate(candidate.children):
                row.children.append(_child_row(child, position))
            session.add(row)
            session.flush()
            log.info("case created (id %s)", row.id)
            return history_from_row(row)

    def update_header(self, header: CaseHeader, expected_version: int) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        check_record(header, FIELD_LABELS)
        check_arg("Version", expected_version, int)
        with self.db.write(self.actor.username) as session:
            row = self._row(session, header.reference)
            if row.version != expected_version:
                raise ConflictError(KIND_LABELS["case"])
            current = history_from_row(row)
            validate(
                replace(
                    current,
                    team=header.team,
                    social_worker=header.social_worker,
                    team_manager=header.team_manager,
                    legal_liaison=header.legal_liaison,
                )
            )
            if header.court_reference is not None and len(header.court_reference) > 64:
                raise ValidationError("Court reference: is too long (at most 64 characters)")
            row.team = header.team
            row.social_worker = header.social_worker
            row.team_manager = header.team_manager
            row.legal_liaison = header.legal_liaison
            row.court_reference = header.court_reference
            session.flush()
            return history_from_row(row)

    def delete_case(self, reference: str, expected_version: int) -> None:
        """Delete a case and everything in it (administrators only); audited."""
        self.actor.require(Permission.DELETE_CASES)
        check_arg("Case reference", reference, str)
        check_arg("Version", expected_version, int)
        with self.db.write(self.actor.username) as session:
            row = self._row(session, reference)
            if row.version != expected_version:
                raise ConflictError(KIND_LABELS["case"])
            snapshot = case_to_json(history_from_row(row))
            write_entry(
                session,
                action="delete",
                entity="case",
                entity_id=str(row.id),
                case_reference=reference,
                changes={"deleted_case": snapshot, "letters": letters_of(session, row.id)},
            )
            session.delete(row)
            log.info("case deleted (id %s)", row.id)

    # -- the parts of a case ---------------------------------------------------------------
    def save_child(self, reference: str, child: Child, *, confirm: bool = False) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        _check(reference, child, Child)

        def change(case: CaseHistory) -> CaseHistory:
            return replace(case, children=_replaced(case.children, child))

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if child.id is None:
                row.children.append(_child_row(child, _next_position(row.children)))
            else:
                item = _owned(row.children, child.id, child.version, "child")
                item.name = child.name
                item.date_of_birth = child.date_of_birth
                item.expected_birth = child.expected_birth
                item.la_child_id = child.la_child_id

        return self._edit(reference, change, apply, confirm=confirm)

    def save_party(self, reference: str, party: Party, *, confirm: bool = False) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        _check(reference, party, Party)

        def change(case: CaseHistory) -> CaseHistory:
            old_key = None
            if party.row_id is not None:
                for existing in case.parties:
                    if existing.row_id == party.row_id:
                        old_key = existing.id
            parties = tuple(
                party if (p.row_id == party.row_id and party.row_id is not None) else p
                for p in case.parties
            )
            if party.row_id is None:
                parties = (*parties, party)
            new = replace(case, parties=parties)
            if old_key is not None and old_key != party.id:
                new = rename_party(new, old_key, party.id)
            return new

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if party.row_id is None:
                item = PartyRow(position=_next_position(row.parties))
                row.parties.append(item)
            else:
                item = _owned(row.parties, party.row_id, party.version, "party")
                if item.key != party.id:  # worries name people by their key
                    for concern in row.concerns:
                        if concern.about and item.key in concern.about:
                            concern.about = [
                                party.id if key == item.key else key for key in concern.about
                            ]
            _fill_party(item, party)

        return self._edit(reference, change, apply, confirm=confirm)

    def save_event(self, reference: str, event: Event, *, confirm: bool = False) -> CaseHistory:
        _check(reference, event, Event)
        self.actor.require_event_type(event.type)
        spec = EVENT_FIELDS.get(event.type)
        if spec is None:
            raise ValidationError(
                f"Type: '{shown(event.type)}' is not a kind of event PLO Tracker knows."
            )
        event = event_for_type(event)  # only the fields this type of event has

        def change(case: CaseHistory) -> CaseHistory:
            return replace(case, events=_replaced(case.events, event))

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if event.id is None:
                item = EventRow(recorded_by=self.actor.username)
                row.events.append(item)
            else:
                item = _owned(row.events, event.id, event.version, "event")
                if item.type != event.type:
                    self.actor.require_event_type(item.type)
            item.type = event.type
            item.date = event.date
            item.party_id = _party_id(row, event.party)
            item.outcome = event.outcome
            item.fgdm_offered = event.fgdm_offered
            item.reason = event.reason
            item.until = event.until
            item.decided_by = event.decided_by
            item.rationale = event.rationale
            item.rule = event.rule
            item.to_plan = event.to
            item.response = event.response

        return self._edit(reference, change, apply, confirm=confirm)

    def save_assessment(
        self, reference: str, assessment: Assessment, *, confirm: bool = False
    ) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        _check(reference, assessment, Assessment)

        def change(case: CaseHistory) -> CaseHistory:
            return replace(case, assessments=_replaced(case.assessments, assessment))

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if assessment.id is None:
                item = AssessmentRow(position=_next_position(row.assessments))
                row.assessments.append(item)
            else:
                item = _owned(row.assessments, assessment.id, assessment.version, "assessment")
            item.title = assessment.title
            item.commissioned = assessment.commissioned
            item.due = assessment.due
            item.completed = assessment.completed

        return self._edit(reference, change, apply, confirm=confirm)

    def save_action(
        self, reference: str, action: PlanAction, *, confirm: bool = False
    ) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        _check(reference, action, PlanAction)

        def change(case: CaseHistory) -> CaseHistory:
            return replace(case, plan_actions=_replaced(case.plan_actions, action))

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if action.id is None:
                item = PlanActionRow(position=_next_position(row.plan_actions))
                row.plan_actions.append(item)
            else:
                item = _owned(row.plan_actions, action.id, action.version, "action")
            item.party_id = _party_id(row, action.party)
            item.action = action.action
            item.support = action.support
            item.due = action.due
            item.completed = action.completed

        return self._edit(reference, change, apply, confirm=confirm)

    def save_booking(
        self, reference: str, booking: Booking, *, confirm: bool = False
    ) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        _check(reference, booking, Booking)

        def change(case: CaseHistory) -> CaseHistory:
            return replace(case, scheduled=_replaced(case.scheduled, booking))

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if booking.id is None:
                item = BookingRow(position=_next_position(row.bookings))
                row.bookings.append(item)
            else:
                item = _owned(row.bookings, booking.id, booking.version, "booking")
            item.type = booking.type
            item.date = booking.date
            item.time = booking.time
            item.place = booking.place

        return self._edit(reference, change, apply, confirm=confirm)

    def save_concern(
        self, reference: str, concern: Concern, *, confirm: bool = False
    ) -> CaseHistory:
        """Add or change a worry (what the council is worried about, and whom it is about)."""
        self.actor.require(Permission.EDIT_CASES)
        _check(reference, concern, Concern)

        def change(case: CaseHistory) -> CaseHistory:
            return replace(case, concerns=_replaced(case.concerns, concern))

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            if concern.id is None:
                item = ConcernRow(position=_next_position(row.concerns))
                row.concerns.append(item)
            else:
                item = _owned(row.concerns, concern.id, concern.version, "concern")
            item.text = concern.text
            item.about = list(concern.about) or None

        return self._edit(reference, change, apply, confirm=confirm)

    def delete_item(
        self, reference: str, kind: str, item_id: int, version: int, *, confirm: bool = False
    ) -> CaseHistory:
        """Remove one child, party, event, assessment, plan action, booking or worry."""
        collections = {
            "child": ("children", "children", "id"),
            "party": ("parties", "parties", "row_id"),
            "event": ("events", "events", "id"),
            "assessment": ("assessments", "assessments", "id"),
            "action": ("plan_actions", "plan_actions", "id"),
            "booking": ("scheduled", "bookings", "id"),
            "concern": ("concerns", "concerns", "id"),
        }
        check_arg("Case reference", reference, str)
        check_arg("Record", item_id, int)
        check_arg("Version", version, int)
        if kind not in collections:
            raise ValidationError(
                f"'{shown(kind)}' is not something that can be deleted from a case."
            )
        history_attr, row_attr, id_attr = collections[kind]
        if kind == "event":
            with self.db.read() as session:
                found = session.get(EventRow, item_id)
                event_type = found.type if found is not None else ""
            self.actor.require_event_type(event_type)
        else:
            self.actor.require(Permission.EDIT_CASES)

        def change(case: CaseHistory) -> CaseHistory:
            items = getattr(case, history_attr)
            kept = tuple(i for i in items if getattr(i, id_attr) != item_id)
            if kind == "party":
                gone = [p.id for p in items if p.row_id == item_id]
                if gone:
                    uses = (
                        sum(e.party == gone[0] for e in case.events)
                        + sum(a.party == gone[0] for a in case.plan_actions)
                        + sum(gone[0] in c.about for c in case.concerns)
                    )
                    if uses:
                        raise ValidationError(
                            f"This person is named in {uses} event(s), plan action(s) or "
                            "worries. Change or remove those first; nothing was deleted."
                        )
            return replace(case, **{history_attr: kept})

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            items = getattr(row, row_attr)
            item = _owned(items, item_id, version, kind)
            items.remove(item)
            session.delete(item)

        return self._edit(reference, change, apply, confirm=confirm)

    # -- shared machinery ------------------------------------------------------------------
    def _row(self, session: Session, reference: str) -> CaseRow:
        return load_case_row(session, reference)

    def _edit(
        self,
        reference: str,
        change: Callable[[CaseHistory], CaseHistory],
        apply: Callable[[Session, CaseRow, CaseHistory], None],
        *,
        confirm: bool = False,
    ) -> CaseHistory:
        check_arg("Confirm", confirm, bool)
        with self.db.write(self.actor.username) as session:
            row = self._row(session, reference)
            old = history_from_row(row)
            new = validate(change(old))
            confirmed = check_chronology(old, new, confirm=confirm)
            if confirmed:
                log.info(
                    "chronology warnings confirmed: %s",
                    Safe(", ".join(sorted({f.rule for f in confirmed}))),
                )
            apply(session, row, new)
            session.flush()
            session.expire(row)
            return history_from_row(self._row(session, reference))


def load_case_row(session: Session, reference: str) -> CaseRow:
    """One case with all its collections loaded; NotFound if there is none."""
    row = session.scalar(
        select(CaseRow)
        .where(CaseRow.reference == reference)
        .options(
            selectinload(CaseRow.children),
            selectinload(CaseRow.parties),
            selectinload(CaseRow.events),
            selectinload(CaseRow.assessments),
            selectinload(CaseRow.plan_actions),
            selectinload(CaseRow.bookings),
            selectinload(CaseRow.concerns),
        )
    )
    if row is None:
        raise NotFound(f"There is no case with the reference {shown(reference, 70)}.")
    return row


# -- helpers ---------------------------------------------------------------------------------


def _check(reference: Any, record: Any, kind: type) -> None:
    check_arg("Case reference", reference, str)
    if not isinstance(record, kind):
        raise ValidationError(f"Expected a {kind.__name__.lower()} record.")
    check_record(record, FIELD_LABELS)


def _child_row(child: Child, position: int) -> ChildRow:
    return ChildRow(
        position=position,
        name=child.name,
        date_of_birth=child.date_of_birth,
        expected_birth=child.expected_birth,
        la_child_id=child.la_child_id,
    )


def _fill_party(item: PartyRow, party: Party) -> None:
    item.key = party.id
    item.name = party.name
    item.relationship_ = party.relationship
    item.parental_responsibility = party.parental_responsibility
    item.address = list(party.address) if party.address else None
    item.address_confidential = party.address_confidential
    item.language = party.language
    item.needs = party.needs
    solicitor = party.solicitor
    item.solicitor_name = solicitor.name if solicitor else None
    item.solicitor_firm = solicitor.firm if solicitor else None
    item.solicitor_phone = solicitor.phone if solicitor else None
    item.solicitor_email = solicitor.email if solicitor else None


def _next_position(items: list[Any]) -> int:
    return max((i.position for i in items), default=-1) + 1


def _replaced(items: tuple[Any, ...], new: Any) -> tuple[Any, ...]:
    if new.id is None:
        return (*items, new)
    if not any(i.id == new.id for i in items):
        raise NotFound("That record is no longer part of this case; it may have been deleted.")
    return tuple(new if i.id == new.id else i for i in items)


def _owned(items: list[Any], item_id: int, version: int | None, kind: str) -> Any:
    for item in items:
        if item.id == item_id:
            if version is not None and item.version != version:
                raise ConflictError(KIND_LABELS[kind])
            return item
    raise NotFound(
        f"{KIND_LABELS[kind]} is no longer part of this case; someone may have deleted it."
    )


def _party_id(row: CaseRow, key: str | None) -> int | None:
    if key is None:
        return None
    for party in row.parties:
        if party.key == key:
            return party.id
    raise ValidationError(f"Person: '{shown(key)}' is not a person in this case.", field="party")


def rename_party(case: CaseHistory, old: str, new: str) -> CaseHistory:
    return replace(
        case,
        concerns=tuple(
            replace(c, about=tuple(new if k == old else k for k in c.about))
            if old in c.about
            else c
            for c in case.concerns
        ),
        events=tuple(replace(e, party=new) if e.party == old else e for e in case.events),
        plan_actions=tuple(
            replace(a, party=new) if a.party == old else a for a in case.plan_actions
        ),
    )
