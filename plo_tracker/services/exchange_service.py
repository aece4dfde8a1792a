"""Importing and exporting cases in the exchange format.

An import is checked in full before the database is touched, then written in one
transaction: all of it or none of it.  A case whose content is already exactly
what the file holds is left alone, so importing the same file twice changes
nothing (not even the audit log).  Each case created or replaced gets one audit
row holding its content before and after.  The cases replaced are locked before they are
written and the import is refused, naming the case and the change, if one changed since it
was read (``import_rows.lock_unchanged``): an import never removes a colleague's edit
unseen, and the audit's "before" is exactly what was replaced.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from dataclasses import replace as dc_replace
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from db.audit import BULK_KEY, write_entries, write_entry
from plo_tracker.domain import chronology
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import PloError, RemovalRefused
from plo_tracker.exchange import VERSION, case_to_json, document_to_json
from plo_tracker.exchange import stream as exchange_stream
from plo_tracker.permissions import Permission
from plo_tracker.services import case_references, import_names, import_rows
from plo_tracker.services.base import Service, log, today
from plo_tracker.services.import_names import CreatedNames, describe_created
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
    # Teams and people the file named that were added, not yet registered.
    added_names: CreatedNames = field(default_factory=CreatedNames)

    @property
    def total(self) -> int:
        return self.created + self.replaced + self.unchanged

    def describe(self) -> str:
        text = (
            f"{self.total} case(s) read: {self.created} new, {self.replaced} replaced, "
            f"{self.unchanged} already up to date."
            + (f" {len(self.warnings)} warning(s) to check." if self.warnings else "")
        )
        added = describe_created(self.added_names)
        if self.total and self.unchanged == self.total and not added:
            text += " Nothing was changed."
        if added:
            text += " " + added
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


def _chunks(items: Sequence[Any], size: int = CHUNK) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _noting_names(
    cases: Iterable[CaseHistory], names: import_names.NamesInFile
) -> Iterator[CaseHistory]:
    for index, case in enumerate(cases):
        names.add(case, index)
        yield case


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
        self,
        text: str | bytes,
        progress: Progress | None = None,
        *,
        replace: bool = False,
        create_missing: bool = False,
    ) -> ImportResult:
        self.actor.require(Permission.IMPORT_CASES)
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        return self._import(
            _ImportSource(data=data), progress, replace=replace, create_missing=create_missing
        )

    def import_file(
        self,
        path: Path,
        progress: Progress | None = None,
        *,
        replace: bool = False,
        checking: Progress | None = None,
        create_missing: bool = False,
    ) -> ImportResult:
        """Import a case file: every case is checked first, then all are written in one
        transaction (the file is read as a stream, twice, so memory stays small).

        Without ``replace``, an import that would remove records the database holds
        (events, parties... not in the file) is refused, naming the cases.  Teams and
        staff the file names must be the database's (``import_names``): unknown ones are
        refused unless ``create_missing`` or no team is registered yet.
        """
        self.actor.require(Permission.IMPORT_CASES)
        return self._import(
            _ImportSource(path=path),
            progress,
            replace=replace,
            checking=checking,
            create_missing=create_missing,
        )

    def _import(
        self,
        source: _ImportSource,
        progress: Progress | None,
        *,
        replace: bool,
        checking: Progress | None = None,
        create_missing: bool = False,
    ) -> ImportResult:
        day = today()
        names = import_names.NamesInFile()
        references: list[str] = []
        with self.db.read() as session:
            held = case_references.held_outside_the_safe_set(session)
        with source.open() as raw:
            header = exchange_stream.read_header(raw)
            for i, case in enumerate(exchange_stream.cases(raw, day, header, held), start=1):
                names.add(case, i - 1)
                references.append(case.reference)
                if checking is not None and i % 1000 == 0:
                    checking(i, header.count)
        if checking is not None:
            checking(header.count, header.count)
        with self.db.read() as session:  # refused before anything is written
            clashes = case_references.spelled_otherwise(session, references)
            if clashes:
                given = next(r for r in references if r in clashes)
                raise case_references.refusal(given, clashes[given], references.index(given))
            unknown = import_names.missing(session, names)
            if unknown and not import_names.may_create(session, create_missing):
                raise import_names.refusal(session, unknown)
        # Every case passed; now write, reading the file again (refused if it changed).
        with source.open() as raw:
            return self.import_cases(
                exchange_stream.cases(raw, day, header, held),
                progress=progress,
                replace=replace,
                total=header.count,
                version=header.version,
                create_missing=create_missing,
            )

    def import_cases(
        self,
        cases: Iterable[CaseHistory],
        progress: Progress | None = None,
        *,
        replace: bool = False,
        total: int | None = None,
        version: int = VERSION,
        create_missing: bool = False,
    ) -> ImportResult:
        """Write checked cases in one transaction (callers check them first).

        A case already exactly as given is left alone.  Without ``replace`` a case whose
        records would be removed is refused (the whole import is: nothing is written).
        A file of version 1 or 2 has no court reference, so a case keeps its own.
        Team and staff names are matched as ``import_names`` says, in the same
        transaction: missing ones are added (not yet registered) or refuse it all.
        """
        self.actor.require(Permission.IMPORT_CASES)
        if total is None:
            cases = list(cases)
            total = len(cases)
        names = import_names.NamesInFile()
        cases = _noting_names(cases, names)
        added = import_names.CreatedNames()
        created = replaced = unchanged = 0
        removals: list[tuple[str, dict[str, int]]] = []
        warned: list[str] = []
        with self.db.write(self.actor.username) as session:
            session.info[BULK_KEY] = True
            importer = self.current_actor(session)  # their own team's cases only
            done = 0
            for batch in _batches(cases):
                references = [c.reference for c in batch]
                revisions = import_rows.read_revisions(session, references)
                existing = {h.reference: h for h in load_histories(session, references=references)}
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
                for case, old in to_write:
                    importer.require_case_team(case.reference, case.team)
                    if old is not None:
                        importer.require_case_team(case.reference, old.team)
                if removals:
                    continue  # nothing more is written; the rest is read to name every case
                # No lost update: the cases replaced are locked, and refused if they changed
                # since they were read (a colleague's edit the audit's "before" never saw).
                import_rows.lock_unchanged(
                    session, [old for _case, old in to_write if old is not None], revisions
                )
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
            unknown = import_names.missing(session, names)
            if unknown:
                if not import_names.may_create(session, create_missing):
                    raise import_names.refusal(session, unknown)  # rolls it all back
                added = import_names.create(session, names, unknown)
        if progress is not None:
            progress(total, total)
        warned = tuple(
            f"Case {case.reference}: {finding.message}"
            for case, _old in to_write
            for finding in chronology.warnings(chronology.check(case))
        )
        log.info(
            "import: %s created, %s replaced, %s unchanged, %s warnings, %s teams and %s "
            "people added not yet registered",
            created,
            replaced,
            unchanged,
            len(warned),
            len(added.teams),
            len(added.people),
        )
        return ImportResult(
            created=created,
            replaced=replaced,
            unchanged=unchanged,
            warnings=warned,
            added_names=added,
        )

    def _write_batch(
        self, session: Session, to_write: list[tuple[CaseHistory, CaseHistory | None]]
    ) -> tuple[int, int]:
        if not to_write:
            return 0, 0
        import_rows.clear_contents(
            session, [old.id for _new, old in to_write if old is not None and old.id]
        )
        ids = import_rows.write_case_rows(session, to_write)
        import_rows.write_contents(session, to_write, ids)
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
        """Write the cases to ``path``, only once the audit entry saying so has committed.

        The file is written complete under a hidden name beside ``path``; if the audit entry
        cannot be saved (a busy or read-only database...), it is removed and nothing is left.
        """
        document = self.export_cases(references)
        data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
        path = path.expanduser()
        if path.is_dir() or not path.name:
            raise PloError(f"{path} is a folder; give a file name to write to.")
        staged = path.with_name(f".{path.name}.unaudited-{os.getpid()}")
        write_private_file(staged, data)
        try:
            with self.db.write(self.actor.username, notify=False) as session:
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
            os.replace(staged, path)
        except OSError as error:
            raise PloError(f"Cannot write {path}: {error.strerror}.") from None
        finally:
            staged.unlink(missing_ok=True)
        log.info("export: %s cases written", len(document["cases"]))
        return len(document["cases"])
