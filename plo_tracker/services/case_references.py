"""Case references are compared without regard to capitals.

A file's ``plo-2024-00201`` beside the database's ``PLO-2024-00201`` would otherwise become
a second case for the same family. An import (and a new case made in the app) naming an
existing case with other capitals is refused, naming the reference the database holds, so
the file can be corrected; it is never silently merged (an export would then give back a
spelling the file did not have).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Case as CaseRow
from plo_tracker.errors import ExchangeError
from plo_tracker.validation import reference_problem

CHUNK = 500


def spelled_otherwise(session: Session, references: Sequence[str]) -> dict[str, str]:
    """{reference as given: the existing case's reference} where only capitals differ."""
    found: dict[str, str] = {}
    by_folded = {r.lower(): r for r in references}
    folded = list(by_folded)
    for start in range(0, len(folded), CHUNK):
        chunk = folded[start : start + CHUNK]
        for existing in session.scalars(
            select(CaseRow.reference).where(func.lower(CaseRow.reference).in_(chunk))
        ):
            given = by_folded.get(existing.lower())
            if given is not None and given != existing:
                found[given] = existing
    return found


def held_outside_the_safe_set(session: Session) -> frozenset[str]:
    """References the database holds that a new case could not have (made before the safe
    set): a file naming one of them exactly still means that case."""
    return frozenset(
        r for r in session.scalars(select(CaseRow.reference)) if reference_problem(r) is not None
    )


def refusal(given: str, existing: str, index: int | None = None) -> ExchangeError:
    return ExchangeError(
        f"'{given}' differs only in capitals from the existing case '{existing}' "
        "(references are compared without regard to capitals); write it as the database "
        "does, or give the case a reference of its own",
        case=given,
        path=f"cases[{index}].reference" if index is not None else "reference",
    )
