"""Renaming a team or a person on every case that names them, in the caller's transaction.

Cases name their team and staff by name (the exchange format does too), so when an
administrator renames a team, corrects a person's name, or merges two records of one
team or person, every case naming the old name is changed in the same transaction.
Each case changed gets its own audit row (``plo-tracker audit REF`` shows it), its
``version`` moves on (a form opened on the old name is refused as out of date, never
saved over the new one) and its ``revision`` too (the case list's kept rows).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.audit import write_entries
from db.models import Case as CaseRow
from db.models import utcnow

CHUNK = 500


def rename_on_cases(session: Session, fields: tuple[str, ...], old: str, new: str) -> int:
    """Every case whose ``field`` (one of ``fields``) is ``old`` now says ``new``.

    A case's text matches as an import matches it: exactly, after trimming spaces at either
    end (old free text may be padded).  Returns how many cases changed.
    """
    changed: dict[int, tuple[str, dict[str, list[str]]]] = {}
    for case_field in fields:
        column = getattr(CaseRow, case_field)
        ids = []
        for case_id, reference, value in session.execute(
            select(CaseRow.id, CaseRow.reference, column).where(
                column.contains(old.strip(), autoescape=True)
            )
        ):
            if value.strip() == old.strip():
                ids.append(case_id)
                changed.setdefault(case_id, (reference, {}))[1][case_field] = [value, new]
        for start in range(0, len(ids), CHUNK):
            session.execute(
                update(CaseRow)
                .where(CaseRow.id.in_(ids[start : start + CHUNK]))
                .values(
                    {
                        column: new,
                        CaseRow.version: CaseRow.version + 1,
                        CaseRow.revision: CaseRow.revision + 1,
                        CaseRow.updated_at: utcnow(),
                    }
                )
                .execution_options(synchronize_session=False)
            )
    write_entries(
        session,
        [
            {
                "action": "update",
                "entity": "cases",
                "entity_id": str(case_id),
                "case_reference": reference,
                "changes": changes,
            }
            for case_id, (reference, changes) in sorted(changed.items())
        ],
    )
    return len(changed)


def named(value: str | None, name: str) -> bool:
    """Whether free text ``value`` names ``name`` (exactly, after trimming)."""
    return value is not None and value.strip() == name.strip()
