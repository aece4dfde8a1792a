"""The record of each letter made: listing a case's letters, and recording one as sent.

Recording a letter as sent claims the letter first (so two people cannot both record
it), then records the case event (``letter_before_proceedings`` or ``letter_of_issue``)
through ``CaseService.save_event``, with the usual event permission rules.  A draft can
never be recorded as sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case as CaseRow
from db.models import Letter as LetterRow
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import Event
from plo_tracker.errors import ConflictError, NotFound, ValidationError
from plo_tracker.letters.templates import spec_for
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.cases import CaseService, load_case_row
from plo_tracker.services.records import history_from_row
from plo_tracker.validation import check_arg, shown


@dataclass(frozen=True, slots=True)
class LetterRecord:
    """One letter made for a case, as recorded."""

    id: int
    case_reference: str
    template: str
    template_title: str
    recipient_key: str
    recipient_name: str
    generated_by: str
    generated_at: dt.datetime
    file_name: str
    sha256: str
    pdf_file_name: str | None
    pdf_sha256: str | None
    sent_on: dt.date | None
    sent_recorded_by: str | None
    version: int
    draft: bool = False
    letter_date: dt.date | None = None  # the date the letter bears

    @property
    def sent_event(self) -> str | None:
        """The case event recording this letter as sent, if its kind has one."""
        return spec_for(self.template).sent_event


def _utc(value: dt.datetime) -> dt.datetime:
    """A stored time as an aware UTC time (SQLite gives it back without the zone)."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def record_from_row(row: LetterRow, reference: str) -> LetterRecord:
    return LetterRecord(
        id=row.id,
        case_reference=reference,
        template=row.template,
        template_title=row.template_title,
        recipient_key=row.recipient_key,
        recipient_name=row.recipient_name,
        generated_by=row.generated_by,
        generated_at=_utc(row.generated_at),
        file_name=row.file_name,
        sha256=row.sha256,
        pdf_file_name=row.pdf_file_name,
        pdf_sha256=row.pdf_sha256,
        sent_on=row.sent_on,
        sent_recorded_by=row.sent_recorded_by,
        version=row.version,
        draft=bool(row.draft),
        letter_date=row.letter_date,
    )


def case_ids(session: Session, references: Sequence[str]) -> dict[str, int]:
    return dict(
        session.execute(
            select(CaseRow.reference, CaseRow.id).where(CaseRow.reference.in_(sorted(references)))
        ).all()
    )


class LetterRecordsMixin(Service):
    """A case's letters, one letter, and recording a letter as sent."""

    def history(self, reference: str) -> list[LetterRecord]:
        """The letters made for a case, oldest first."""
        self.actor.require(Permission.VIEW_CASES)
        check_arg("Case reference", reference, str)
        with self.db.read() as session:
            case_id = session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
            if case_id is None:
                raise NotFound(f"There is no case with the reference {shown(reference, 70)}.")
            rows = session.scalars(
                select(LetterRow)
                .where(LetterRow.case_id == case_id)
                .order_by(LetterRow.generated_at, LetterRow.id)
            ).all()
            return [record_from_row(row, reference) for row in rows]

    def get(self, letter_id: int) -> LetterRecord:
        self.actor.require(Permission.VIEW_CASES)
        check_arg("Letter", letter_id, int)
        with self.db.read() as session:
            row, reference = self._letter_row(session, letter_id)
            return record_from_row(row, reference)

    @staticmethod
    def _letter_row(session: Session, letter_id: int) -> tuple[LetterRow, str]:
        row = session.get(LetterRow, letter_id)
        if row is None:
            raise NotFound(f"There is no letter number {letter_id}; it may have been deleted.")
        reference = session.scalar(select(CaseRow.reference).where(CaseRow.id == row.case_id))
        return row, str(reference)

    def record_sent(
        self, letter_id: int, sent_on: dt.date, expected_version: int | None = None
    ) -> LetterRecord:
        """Record that a letter was sent on ``sent_on``.

        A letter before proceedings (or letter of issue) also adds that event to the case,
        for the recipient, through ``CaseService.save_event`` (its permission rules apply).
        Needs the permission to make letters too, since it changes the letter's record.
        A draft is refused: it was made while the letter was not ready.
        """
        check_arg("Letter", letter_id, int)
        check_arg("Date sent", sent_on, dt.date)
        check_arg("Version", expected_version, int, type(None))
        self.actor.require(Permission.GENERATE_LETTERS)
        if sent_on > today():
            raise ValidationError("Date sent: cannot be in the future.", field="sent_on")
        with self.db.read() as session:
            row, reference = self._letter_row(session, letter_id)
            current = record_from_row(row, reference)
            case = history_from_row(load_case_row(session, reference))
        if current.draft:
            raise ValidationError(
                f"Letter {letter_id} is a draft (marked DRAFT on every page), so it can never "
                "be recorded as sent. Once the letter is ready, make it again without 'draft' "
                "and record that one. Nothing was changed."
            )
        event_type = current.sent_event
        if event_type is not None:
            self.actor.require_event_type(event_type)
        if expected_version is not None and current.version != expected_version:
            raise ConflictError("This letter")
        if current.sent_on is not None:
            raise ValidationError(
                f"This letter was already recorded as sent on {long_date(current.sent_on)}."
            )
        if sent_on < current.generated_at.astimezone().date():
            raise ValidationError(
                "Date sent: cannot be before the letter was made "
                f"({long_date(current.generated_at.astimezone().date())})."
            )
        if current.letter_date is not None and sent_on < current.letter_date:
            raise ValidationError(
                f"Date sent: cannot be before the letter's own date "
                f"({long_date(current.letter_date)}). Nothing was changed.",
                field="sent_on",
            )
        if event_type is not None and case.party(current.recipient_key) is None:
            raise ValidationError(
                f"The person this letter is for ({current.recipient_key}) is no longer part of "
                f"case {reference}, so the {event_type.replace('_', ' ')} event cannot be "
                "recorded for them. Nothing was changed."
            )
        # Claim the letter first: two people cannot both record it as sent.
        claimed = self._set_sent(letter_id, current.version, sent_on)
        if event_type is None:
            return claimed
        event = Event(
            type=event_type,
            date=sent_on,
            party=current.recipient_key,
            fgdm_offered=True if event_type == "letter_before_proceedings" else None,
        )
        try:
            CaseService(self.db, self.actor).save_event(reference, event)
        except BaseException:
            self._set_sent(letter_id, claimed.version, None)
            raise
        log.info("letter %s recorded as sent", letter_id)
        return claimed

    def _set_sent(self, letter_id: int, version: int, sent_on: dt.date | None) -> LetterRecord:
        with self.db.write(self.actor.username) as session:
            row, reference = self._letter_row(session, letter_id)
            if row.version != version:
                raise ConflictError("This letter")
            row.sent_on = sent_on
            row.sent_recorded_by = self.actor.username if sent_on else None
            session.flush()
            return record_from_row(row, reference)
