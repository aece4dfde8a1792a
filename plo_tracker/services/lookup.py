"""Filters that match nothing known are errors, never an empty answer.

A mistyped team (``flags --team "Case Managment 1"``) must not print "No case is
drifting".  Every command that takes a team, a social worker or a case reference checks
it here first: an unknown value is a ``NotFound`` naming the close matches (by
``difflib``, ignoring case), and the command exits non-zero.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from db.models import AuditEntry, Team, User
from db.models import Case as CaseRow
from plo_tracker.errors import NotFound
from plo_tracker.permissions import Permission
from plo_tracker.services.base import Service
from plo_tracker.validation import shown

MATCHES = 5
LISTED = 12  # name every known value when there are no more than this


def close_matches(value: str, known: Iterable[str], n: int = MATCHES) -> list[str]:
    """The known values closest to ``value`` (case ignored), best first."""
    by_folded: dict[str, str] = {}
    for item in known:
        by_folded.setdefault(item.casefold(), item)
    found = difflib.get_close_matches(value.casefold(), list(by_folded), n=n, cutoff=0.6)
    return [by_folded[f] for f in found]


def unknown(
    what: str, value: str, known: Sequence[str], *, plural: str, quote: bool = True
) -> NotFound:
    """``There is no {what} 'value'.`` with the close matches, or what is known."""
    named = f"'{shown(value, 70)}'" if quote else shown(value, 70)
    message = f"There is no {what} {named} in this database, so nothing was shown or changed."
    matches = close_matches(value, known)
    if matches:
        message += " Did you mean: " + "; ".join(f"'{shown(m, 70)}'" for m in matches) + "?"
    elif not known:
        message += f" No {plural} are recorded yet."
    elif len(known) <= LISTED:
        message += f" The {plural} are: " + "; ".join(f"'{shown(k, 70)}'" for k in known) + "."
    else:
        message += f" None of the {len(known)} {plural} is close to it."
    return NotFound(message)


class LookupService(Service):
    """Checks a command's filters against what the database holds (reads only)."""

    def teams(self) -> list[str]:
        """The teams (retired ones too), and any team named on a case or a user."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            found = set(session.scalars(select(Team.name)))
            found |= set(session.scalars(select(CaseRow.team).distinct()))
            found |= set(session.scalars(select(User.team).distinct()))
        return sorted(t for t in found if t)

    def case_teams(self) -> list[str]:
        """Teams named on at least one case."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            found = set(session.scalars(select(CaseRow.team).distinct()))
        return sorted(t for t in found if t)

    def team_note(self, team: str | None) -> str | None:
        """A note when a user's team is on no case, so their team views would be empty."""
        if not team:
            return None
        known = self.case_teams()
        if not known or team in known:
            return None
        note = (
            f"Note: no case belongs to the team '{shown(team, 70)}' yet, so this person's "
            "team views (My team's drift) will be empty until cases are recorded for it."
        )
        matches = close_matches(team, known)
        if matches:
            note += (
                " Did you mean: "
                + "; ".join(f"'{shown(m, 70)}'" for m in matches)
                + "?"
                + " Change it with 'plo-tracker users set-team' or in the window (File → Users…)."
            )
        return note

    def workers(self) -> list[str]:
        """Social workers named on a case (the reports group by that name)."""
        self.actor.require(Permission.VIEW_CASES)
        with self.db.read() as session:
            found = set(session.scalars(select(CaseRow.social_worker).distinct()))
        return sorted(w for w in found if w)

    def require_team(self, team: str | None) -> None:
        if team is None:
            return
        known = self.teams()
        if team not in known:
            raise unknown("team called", team, known, plural="teams")

    def require_worker(self, worker: str | None) -> None:
        if worker is None:
            return
        known = self.workers()
        if worker not in known:
            raise unknown("social worker called", worker, known, plural="social workers")

    def require_cases(self, references: Sequence[str] | None, *, deleted: bool = False) -> None:
        """Every reference must name a case (``deleted``: or one in the audit trail)."""
        if not references:
            return
        self.actor.require(Permission.VIEW_CASES)
        wanted = set(references)
        with self.db.read() as session:
            found = set(
                session.scalars(select(CaseRow.reference).where(CaseRow.reference.in_(wanted)))
            )
            if deleted and wanted - found:
                found |= set(
                    session.scalars(
                        select(AuditEntry.case_reference)
                        .where(AuditEntry.case_reference.in_(wanted - found))
                        .distinct()
                    )
                )
            missing = [r for r in references if r not in found]
            if not missing:
                return
            known = list(session.scalars(select(CaseRow.reference).order_by(CaseRow.reference)))
        raise unknown("case with the reference", missing[0], known, plural="cases", quote=False)
