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

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from db.audit import write_entry
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Event as EventRow
from plo_tracker.domain import chronology, drift, meetings
from plo_tracker.domain.model import (
    EVENT_FIELDS,
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Event,
    KeepApart,
    Party,
    PlanAction,
    Strength,
    event_for_type,
)
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.errors import (
    ChronologyWarning,
    ConflictError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from plo_tracker.exchange import case_to_json
from plo_tracker.logs import Safe
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, now, today
from plo_tracker.services.cases.changes import Record, kind_of, with_record, without_record
from plo_tracker.services.cases.checks import (
    FIELD_LABELS,
    KIND_LABELS,
    check_chronology,
    validate,
)
from plo_tracker.services.cases.rows import ROWS, owned, sync_references, write_record
from plo_tracker.services.cases.staff import STAFF_FIELDS, StaffChoices, load_choices, names_problem
from plo_tracker.services.cases.work_lists import CaseSummary
from plo_tracker.services.cases.work_lists import summaries as case_list_rows
from plo_tracker.services.records import history_from_row, letters_of
from plo_tracker.services.settings import load_calendar, load_policy
from plo_tracker.validation import check_arg, check_record, clean_optional, shown


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
        """The teams a case may be given: the council's teams, not retired."""
        return self.staff_choices().offered("team")

    def staff_choices(self) -> StaffChoices:
        """The teams and people a case may name (what the forms offer)."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            return load_choices(session)

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
        """A new case: it needs a team and a social worker, chosen from the lists."""
        self.actor.require(Permission.EDIT_CASES)
        check_record(header, FIELD_LABELS)
        header = _trimmed(header)
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
            ),
            new=True,
        )
        with self.db.write(self.actor.username) as session:
            existing = session.scalar(
                select(CaseRow.reference).where(
                    func.lower(CaseRow.reference) == candidate.reference.lower()
                )
            )
            if existing is not None:
                raise ValidationError(
                    f"Case reference: {candidate.reference} is already used by another case"
                    + (
                        f" ({existing}; capitals do not count)."
                        if existing != candidate.reference
                        else "."
                    ),
                    field="reference",
                )
            _check_names(session, header, None)
            self.require_case_team(session, candidate.reference, candidate.team)
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
        header = _trimmed(header)
        with self.db.write(self.actor.username) as session:
            row = self._row(session, header.reference)
            if row.version != expected_version:
                raise ConflictError(KIND_LABELS["case"])
            self.require_case_team(session, row.reference, row.team, header.team)
            current = history_from_row(row)
            _check_names(session, header, current)
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
        return self.save_record(reference, child, confirm=confirm)

    def save_party(self, reference: str, party: Party, *, confirm: bool = False) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        return self.save_record(reference, party, confirm=confirm)

    def save_event(self, reference: str, event: Event, *, confirm: bool = False) -> CaseHistory:
        _check(reference, event, Event)
        self.actor.require_event_type(event.type)
        if event.type not in EVENT_FIELDS:
            raise ValidationError(
                f"Type: '{shown(event.type)}' is not a kind of event PLO Tracker knows."
            )
        return self.save_record(reference, event, confirm=confirm)

    def save_assessment(
        self, reference: str, assessment: Assessment, *, confirm: bool = False
    ) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        return self.save_record(reference, assessment, confirm=confirm)

    def save_action(
        self, reference: str, action: PlanAction, *, confirm: bool = False
    ) -> CaseHistory:
        self.actor.require(Permission.EDIT_CASES)
        return self.save_record(reference, action, confirm=confirm)

    def save_booking(
        self, reference: str, booking: Booking, *, confirm: bool = False
    ) -> CaseHistory:
        """Book a meeting (or change a booking): in the future, never putting people kept
        apart into one meeting or less than the council's ``apart_minutes`` apart at one
        place; a non-working day or a time outside 08:00-18:00 is confirmed."""
        self.actor.require(Permission.EDIT_CASES)
        return self.save_record(reference, booking, confirm=confirm)

    def save_concern(
        self, reference: str, concern: Concern, *, confirm: bool = False
    ) -> CaseHistory:
        """Add or change a worry (what the council is worried about, and whom it is about)."""
        self.actor.require(Permission.EDIT_CASES)
        return self.save_record(reference, concern, confirm=confirm)

    def save_strength(
        self, reference: str, strength: Strength, *, confirm: bool = False
    ) -> CaseHistory:
        """Add or change what is going well (and whom it is about)."""
        self.actor.require(Permission.EDIT_CASES)
        return self.save_record(reference, strength, confirm=confirm)

    def save_keep_apart(
        self, reference: str, apart: KeepApart, *, confirm: bool = False
    ) -> CaseHistory:
        """Record who must be kept apart from whom, and why (managers and legal liaison)."""
        self.actor.require(Permission.KEEP_APART)
        return self.save_record(reference, apart, confirm=confirm)

    def save_record(self, reference: str, record: Record, *, confirm: bool = False) -> CaseHistory:
        """Add or change one record of a case (its own ``save_...`` checks who may)."""
        kind = kind_of(record)
        _check(reference, record, type(record))
        if kind == "event":
            record = event_for_type(record)
        elif kind == "keep_apart":
            self.actor.require(Permission.KEEP_APART)
        elif not self.actor.can(Permission.EDIT_CASES):
            self.actor.require(Permission.EDIT_CASES)
        if kind == "booking":
            return self._save_booking(reference, record, confirm=confirm)

        def change(case: CaseHistory) -> CaseHistory:
            return with_record(case, record)

        def apply(session: Session, row: CaseRow, new: CaseHistory) -> None:
            if kind == "event" and record.id is not None:
                item = owned(row.events, record.id, record.version, "event")
                if item.type != record.type:
                    self.actor.require_event_type(item.type)
            write_record(row, kind, record, self.actor.username)
            sync_references(row, new)

        return self._edit(reference, change, apply, confirm=confirm)

    def _save_booking(self, reference: str, booking: Booking, *, confirm: bool) -> CaseHistory:
        with self.db.read() as session:
            policy, calendar = load_policy(session), load_calendar(session)

        def change(case: CaseHistory) -> CaseHistory:
            previous = next(
                (b for b in case.scheduled if b.id is not None and b.id == booking.id), None
            )
            changed = with_record(case, booking)
            validate(changed)  # the booking's own values first, as an import checks them
            problems = meetings.check_booking(
                case, booking, now=now(), policy=policy, calendar=calendar, previous=previous
            )
            refused = [p.message for p in problems if not p.confirm]
            if refused:
                raise ValidationError(" ".join(refused) + " Nothing was saved.", field="date")
            asked = [p.message for p in problems if p.confirm]
            if asked and not confirm:
                raise ChronologyWarning(
                    f"{' '.join(asked)} Save anyway if this is right.",
                    tuple(
                        chronology.Finding("meeting_time", chronology.WARNING, message)
                        for message in asked
                    ),
                )
            return changed

        def apply(session: Session, row: CaseRow, new: CaseHistory) -> None:
            write_record(row, "booking", booking, self.actor.username)

        return self._edit(reference, change, apply, confirm=confirm)

    def delete_item(
        self, reference: str, kind: str, item_id: int, version: int, *, confirm: bool = False
    ) -> CaseHistory:
        """Remove one record (a child, party, event, assessment, plan action, booking, worry,
        strength or keep-apart arrangement); refused while other records name it."""
        check_arg("Case reference", reference, str)
        check_arg("Record", item_id, int)
        check_arg("Version", version, int)
        if kind not in ROWS:
            raise ValidationError(
                f"'{shown(kind)}' is not something that can be deleted from a case."
            )
        if kind == "event":
            with self.db.read() as session:
                found = session.get(EventRow, item_id)
                event_type = found.type if found is not None else ""
                recorded_by = found.recorded_by if found is not None else None
            self.actor.require_event_type(event_type)
            if not self.actor.can(Permission.EDIT_CASES) and recorded_by != self.actor.username:
                # Legal liaison removes only the letters and court events they recorded
                # (PostgreSQL enforces it too: db/enforcement.py).
                raise PermissionDenied(
                    f"You are signed in as {self.actor.display_name} (legal liaison), who may "
                    "remove only the letters and court events they recorded themselves; "
                    "this one was recorded by someone else or imported. Nothing was changed."
                )
        elif kind == "keep_apart":
            self.actor.require(Permission.KEEP_APART)
        else:
            self.actor.require(Permission.EDIT_CASES)

        def change(case: CaseHistory) -> CaseHistory:
            return without_record(case, kind, item_id)

        def apply(session: Session, row: CaseRow, _new: CaseHistory) -> None:
            items = getattr(row, ROWS[kind][0])
            item = owned(items, item_id, version, kind)
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
            self.require_case_team(session, row.reference, row.team)
            old = history_from_row(row)
            changed = change(old)  # with the records' ids, for writing
            new = validate(changed)
            confirmed = check_chronology(old, new, confirm=confirm)
            if confirmed:
                log.info(
                    "chronology warnings confirmed: %s",
                    Safe(", ".join(sorted({f.rule for f in confirmed}))),
                )
            apply(session, row, changed)
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
            selectinload(CaseRow.strengths),
            selectinload(CaseRow.keep_apart),
        )
    )
    if row is None:
        raise NotFound(f"There is no case with the reference {shown(reference, 70)}.")
    return row


# -- helpers ---------------------------------------------------------------------------------


def _trimmed(header: CaseHeader) -> CaseHeader:
    """The header with its team and staff names trimmed (blank: none)."""
    return replace(
        header,
        team=clean_optional(header.team),
        social_worker=clean_optional(header.social_worker),
        team_manager=clean_optional(header.team_manager),
        legal_liaison=clean_optional(header.legal_liaison),
    )


def _check_names(session: Session, header: CaseHeader, current: CaseHistory | None) -> None:
    """The team and staff are chosen from the lists (only what changes is checked)."""
    keys = ("team", *STAFF_FIELDS)
    problem = names_problem(
        {k: getattr(header, k) for k in keys},
        load_choices(session),
        {k: getattr(current, k) for k in keys} if current is not None else {},
    )
    if problem is not None:
        raise problem


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
        key=child.key,
    )
