"""Importing and exporting cases in the exchange format.

An import is checked in full before the database is touched, then written in one
transaction: all of it or none of it.  A case whose content is already exactly
what the file holds is left alone, so importing the same file twice changes
nothing (not even the audit log).  Each case created or replaced gets one audit
row holding its content before and after.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.audit import BULK_KEY, write_entries, write_entry
from db.models import Assessment as AssessmentRow
from db.models import Booking as BookingRow
from db.models import Case as CaseRow
from db.models import Child as ChildRow
from db.models import Concern as ConcernRow
from db.models import Event as EventRow
from db.models import Party as PartyRow
from db.models import PlanAction as PlanActionRow
from db.models import utcnow
from plo_tracker.domain import chronology
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import PloError
from plo_tracker.exchange import case_to_json, document_to_json, parse_document
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.records import load_histories
from plo_tracker.validation import shown

Progress = Callable[[int, int], None]
CHUNK = 500


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    replaced: int
    unchanged: int
    # Unusual but possible orders in the cases written ("Case X: ..."), never silent.
    warnings: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return self.created + self.replaced + self.unchanged

    def describe(self) -> str:
        return (
            f"{self.total} case(s) read: {self.created} new, {self.replaced} replaced, "
            f"{self.unchanged} already up to date."
            + (f" {len(self.warnings)} warning(s) to check." if self.warnings else "")
        )


def read_file(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > 512 * 1024 * 1024:
            raise PloError(f"{path.name} is larger than 512 MB; split it into smaller files.")
        return path.read_bytes()
    except FileNotFoundError:
        raise PloError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise PloError(f"{path} is a folder, not a case file.") from None
    except PermissionError:
        raise PloError(f"You do not have permission to read {path}.") from None
    except OSError as error:
        raise PloError(f"Cannot read {path}: {error.strerror}.") from None


def write_private_file(path: Path, data: bytes) -> None:
    """Write atomically, readable by the owner only (these files hold personal data)."""
    path = path.expanduser()
    if path.is_dir():
        raise PloError(f"{path} is a folder; give a file name to write to.")
    if not path.parent.exists():
        raise PloError(f"The folder {path.parent} does not exist.")
    temp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    try:
        fd = os.open(temp, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except PermissionError:
        raise PloError(f"You do not have permission to write {path}.") from None
    except OSError as error:
        raise PloError(f"Cannot write {path}: {error.strerror}.") from None
    finally:
        if temp.exists():
            temp.unlink()


def _chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


class ExchangeService(Service):
    def import_text(self, text: str | bytes, progress: Progress | None = None) -> ImportResult:
        self.actor.require(Permission.IMPORT_CASES)
        cases = parse_document(text, today())
        return self.import_cases(cases, progress=progress)

    def import_file(self, path: Path, progress: Progress | None = None) -> ImportResult:
        self.actor.require(Permission.IMPORT_CASES)
        return self.import_text(read_file(path), progress=progress)

    def import_cases(
        self, cases: Sequence[CaseHistory], progress: Progress | None = None
    ) -> ImportResult:
        """Write checked cases in one transaction (callers check them first)."""
        self.actor.require(Permission.IMPORT_CASES)
        created = replaced = unchanged = 0
        total = len(cases)
        with self.db.write(self.actor.username) as session:
            session.info[BULK_KEY] = True
            existing: dict[str, CaseHistory] = {}
            for chunk in _chunks([c.reference for c in cases]):
                for history in load_histories(session, references=chunk):
                    existing[history.reference] = history
            to_write: list[tuple[CaseHistory, CaseHistory | None]] = []
            for case in cases:
                old = existing.get(case.reference)
                if old is not None and old.normalised() == case.normalised():
                    unchanged += 1
                else:
                    to_write.append((case, old))
            replaced_ids = [old.id for _new, old in to_write if old is not None and old.id]
            self._clear_contents(session, replaced_ids)
            done = unchanged
            for chunk in _chunks(to_write):
                ids = self._write_case_rows(session, chunk)
                self._write_contents(session, chunk, ids)
                entries = []
                for new, old in chunk:
                    if old is None:
                        created += 1
                    else:
                        replaced += 1
                    entries.append(
                        {
                            "action": "import",
                            "entity": "case",
                            "entity_id": str(ids[new.reference]),
                            "case_reference": new.reference,
                            "changes": {
                                "before": case_to_json(old) if old is not None else None,
                                "after": case_to_json(new),
                            },
                        }
                    )
                write_entries(session, entries)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        if progress is not None:
            progress(total, total)
        warned = tuple(
            f"Case {case.reference}: {finding.message}"
            for case, _old in to_write
            for finding in chronology.warnings(chronology.check(case))
        )
        log.info(
            "import: %s created, %s replaced, %s unchanged, %s warnings",
            created,
            replaced,
            unchanged,
            len(warned),
        )
        return ImportResult(
            created=created, replaced=replaced, unchanged=unchanged, warnings=warned
        )

    # -- writing helpers -------------------------------------------------------------------
    @staticmethod
    def _clear_contents(session: Session, case_ids: list[int]) -> None:
        for chunk in _chunks(case_ids):
            for model in (
                EventRow,
                PlanActionRow,
                AssessmentRow,
                BookingRow,
                ConcernRow,
                ChildRow,
                PartyRow,
            ):
                session.execute(delete(model).where(model.case_id.in_(chunk)))

    @staticmethod
    def _write_case_rows(
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

    @staticmethod
    def _write_contents(
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
                        "version": 1,
                    }
                )
            for position, concern in enumerate(case.concerns):
                concerns.append(
                    {
                        "case_id": case_id,
                        "position": position,
                        "text": concern.text,
                        "about": list(concern.about) or None,
                        "version": 1,
                    }
                )
        for model, rows in (
            (EventRow, events),
            (AssessmentRow, assessments),
            (PlanActionRow, actions),
            (BookingRow, bookings),
            (ConcernRow, concerns),
        ):
            if rows:
                session.execute(insert(model.__table__), rows)

    # -- export ----------------------------------------------------------------------------
    def export_cases(self, references: Sequence[str] | None = None) -> dict[str, Any]:
        self.actor.require(Permission.EXPORT_CASES)
        with self.db.read() as session:
            if references is None:
                cases = load_histories(session)
            else:
                cases = []
                for chunk in _chunks(list(references)):
                    cases.extend(load_histories(session, references=chunk))
                missing = set(references) - {c.reference for c in cases}
                if missing:
                    raise PloError(
                        f"There is no case with the reference {shown(sorted(missing)[0], 70)}."
                    )
        return document_to_json(cases)

    def export_file(self, path: Path, references: Sequence[str] | None = None) -> int:
        document = self.export_cases(references)
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        write_private_file(path, data)
        with self.db.write(self.actor.username) as session:
            write_entry(
                session,
                action="export",
                entity="cases",
                changes={
                    "cases": len(document["cases"]),
                    "file": path.name,
                    "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                },
            )
        log.info("export: %s cases written", len(document["cases"]))
        return len(document["cases"])
