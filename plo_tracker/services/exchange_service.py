"""Importing and exporting cases in the exchange format.

An import is checked in full before the database is touched, then written in one
transaction: all of it or none of it.  A case whose content is already exactly
what the file holds is left alone, so importing the same file twice changes
nothing (not even the audit log).  Each case created or replaced gets one audit
row holding its content before and after.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.audit import BULK_KEY, write_entries, write_entry
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
from plo_tracker.domain import chronology
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import PloError, RemovalRefused
from plo_tracker.exchange import VERSION, case_to_json, document_to_json
from plo_tracker.exchange import stream as exchange_stream
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.records import links_to, load_histories
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
        text = (
            f"{self.total} case(s) read: {self.created} new, {self.replaced} replaced, "
            f"{self.unchanged} already up to date."
            + (f" {len(self.warnings)} warning(s) to check." if self.warnings else "")
        )
        if self.total and self.unchanged == self.total:
            text += " Nothing was changed."
        return text


MAX_FILE_BYTES = 512 * 1024 * 1024
LISTED_CASES = 20  # cases named when an import would remove records

# The kinds of record in a case, as CaseHistory holds them, with their names in messages.
RECORD_KINDS: dict[str, tuple[str, str]] = {
    "children": ("child", "children"),
    "parties": ("party", "parties"),
    "events": ("event", "events"),
    "assessments": ("assessment", "assessments"),
    "plan_actions": ("plan action", "plan actions"),
    "scheduled": ("booked meeting", "booked meetings"),
    "concerns": ("concern", "concerns"),
    "strengths": ("strength", "strengths"),
    "keep_apart": ("keep-apart arrangement", "keep-apart arrangements"),
}


def removed_records(old: CaseHistory, new: CaseHistory) -> dict[str, int]:
    """How many records of each kind ``old`` has that ``new`` does not hold as they are.

    A record the file holds in a different form counts as removed: its current form
    would be lost.  Case-level fields (team, social worker...) are not records.
    """
    removed: dict[str, int] = {}
    for kind in RECORD_KINDS:
        before = getattr(old, kind, None)
        if not before:
            continue
        lost = Counter(before) - Counter(getattr(new, kind, ()))
        if lost:
            removed[kind] = sum(lost.values())
    return removed


def _counted(kind: str, count: int) -> str:
    one, many = RECORD_KINDS[kind]
    return f"{count} {one if count == 1 else many}"


def removal_error(removals: list[tuple[str, dict[str, int]]]) -> RemovalRefused:
    """Names each case and what the import would remove (kinds and counts only)."""
    named = [
        f"{reference}: " + ", ".join(_counted(k, n) for k, n in removed.items())
        for reference, removed in removals[:LISTED_CASES]
    ]
    more = len(removals) - LISTED_CASES
    if more > 0:
        named.append(f"and {more} more case(s)")
    removed = (
        "The file would remove records that are in the database but not in the file "
        "(or that the file holds in a different form): " + "; ".join(named) + "."
    )
    return RemovalRefused(
        removed + " If the file is right and these records should go, import it again with "
        "--replace.",
        removed,
    )


class _ImportSource:
    """An exchange file (or bytes) to be read twice: to check it, then to write it."""

    def __init__(self, path: Path | None = None, data: bytes | None = None) -> None:
        self.path = path
        self.data = data

    def open(self) -> BinaryIO:
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return _open_case_file(self.path)


def _open_case_file(path: Path) -> BinaryIO:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise PloError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise PloError(f"{path} is a folder, not a case file.") from None
    except PermissionError:
        raise PloError(f"You do not have permission to read {path}.") from None
    except OSError as error:
        raise PloError(f"Cannot read {path}: {error.strerror}.") from None
    if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
        handle.close()
        raise PloError(f"{path.name} is larger than 512 MB; split it into smaller files.")
    return handle


def read_file(path: Path) -> bytes:
    """A whole case file in memory (small files: tests and scripts; imports stream)."""
    with _open_case_file(path) as handle:
        return handle.read()


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


def _keys(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


def _chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _batches(cases: Iterable[CaseHistory], size: int = CHUNK) -> Iterator[list[CaseHistory]]:
    batch: list[CaseHistory] = []
    for case in cases:
        batch.append(case)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class ExchangeService(Service):
    def import_text(
        self, text: str | bytes, progress: Progress | None = None, *, replace: bool = False
    ) -> ImportResult:
        self.actor.require(Permission.IMPORT_CASES)
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        return self._import(_ImportSource(data=data), progress, replace=replace)

    def import_file(
        self,
        path: Path,
        progress: Progress | None = None,
        *,
        replace: bool = False,
        checking: Progress | None = None,
    ) -> ImportResult:
        """Import a case file: every case is checked first, then all are written in one
        transaction (the file is read as a stream, twice, so memory stays small).

        Without ``replace``, an import that would remove records the database holds
        (events, parties... not in the file) is refused, naming the cases.
        """
        self.actor.require(Permission.IMPORT_CASES)
        return self._import(_ImportSource(path=path), progress, replace=replace, checking=checking)

    def _import(
        self,
        source: _ImportSource,
        progress: Progress | None,
        *,
        replace: bool,
        checking: Progress | None = None,
    ) -> ImportResult:
        day = today()
        with source.open() as raw:
            header = exchange_stream.read_header(raw)
            for i, _case in enumerate(exchange_stream.cases(raw, day, header), start=1):
                if checking is not None and i % 1000 == 0:
                    checking(i, header.count)
        if checking is not None:
            checking(header.count, header.count)
        # Every case passed; now write, reading the file again (refused if it changed).
        with source.open() as raw:
            return self.import_cases(
                exchange_stream.cases(raw, day, header),
                progress=progress,
                replace=replace,
                total=header.count,
                version=header.version,
            )

    def import_cases(
        self,
        cases: Iterable[CaseHistory],
        progress: Progress | None = None,
        *,
        replace: bool = False,
        total: int | None = None,
        version: int = VERSION,
    ) -> ImportResult:
        """Write checked cases in one transaction (callers check them first).

        A case already exactly as given is left alone.  Without ``replace`` a case whose
        records would be removed is refused (the whole import is: nothing is written).
        A file of version 1 or 2 has no court reference, so a case keeps its own.
        """
        self.actor.require(Permission.IMPORT_CASES)
        if total is None:
            cases = list(cases)
            total = len(cases)
        created = replaced = unchanged = 0
        removals: list[tuple[str, dict[str, int]]] = []
        warned: list[str] = []
        with self.db.write(self.actor.username) as session:
            session.info[BULK_KEY] = True
            done = 0
            for batch in _batches(cases):
                existing = {
                    h.reference: h
                    for h in load_histories(session, references=[c.reference for c in batch])
                }
                to_write: list[tuple[CaseHistory, CaseHistory | None]] = []
                for case in batch:
                    old = existing.get(case.reference)
                    if version < 3 and old is not None:
                        case = dc_replace(case, court_reference=old.court_reference)
                    if old is not None and old.normalised() == case.normalised():
                        unchanged += 1
                        continue
                    if old is not None and not replace:
                        removed = removed_records(old, case)
                        if removed:
                            removals.append((case.reference, removed))
                            continue
                    to_write.append((case, old))
                done += len(batch)
                if removals:
                    continue  # nothing more is written; the rest is read to name every case
                created_now, replaced_now = self._write_batch(session, to_write)
                created += created_now
                replaced += replaced_now
                warned.extend(
                    f"Case {case.reference}: {finding.message}"
                    for case, _old in to_write
                    for finding in chronology.warnings(chronology.check(case))
                )
                if progress is not None:
                    progress(done, total)
            if removals:
                raise removal_error(removals)  # rolls the whole transaction back
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

    def _write_batch(
        self, session: Session, to_write: list[tuple[CaseHistory, CaseHistory | None]]
    ) -> tuple[int, int]:
        if not to_write:
            return 0, 0
        self._clear_contents(
            session, [old.id for _new, old in to_write if old is not None and old.id]
        )
        ids = self._write_case_rows(session, to_write)
        self._write_contents(session, to_write, ids)
        entries = []
        created = replaced = 0
        for new, old in to_write:
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
        return created, replaced

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
                StrengthRow,
                KeepApartRow,
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
