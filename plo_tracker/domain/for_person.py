"""What may be listed for one person of a case: their ties, their meetings and the facts that
are theirs (domain reference section 6). Pure: no database, no Qt.

Whatever is made *for* a person (a list of their meetings in the window, a letter) follows
the same rules, so they live here once:

* **Facts belong to people.** A worry, strength or assessment ``about`` people is theirs
  alone; one about nobody in particular (the household) is for the people tied to the
  children it concerns (no children named: every child). A plan action is theirs when it is
  theirs to do, or everyone's (no one named).
* **Kept apart.** Nothing recorded about a person the reader is kept from is listed: no worry,
  strength or assessment about them (even when it is about the reader too), no meeting they
  are at, no date, time or place of their meetings, and not their name among who came.
* **Their meetings** are the bookings for them (listed, or open to everyone who may meet
  everyone else) and the meetings recorded as attended by them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from plo_tracker.domain import family
from plo_tracker.domain.model import (
    MEETING_EVENT_TYPES,
    Assessment,
    Booking,
    CaseHistory,
    Concern,
    Event,
    Party,
    PlanAction,
)


@dataclass(frozen=True, slots=True)
class PersonView:
    """Everything that may be listed for ``party`` (and whom they are kept from)."""

    party: Party
    ties: tuple[family.Tie, ...]
    kept_from: tuple[Party, ...]  # people this person must learn nothing about
    kept_away: tuple[Party, ...]  # people who must learn nothing about this person
    bookings: tuple[Booking, ...]
    events: tuple[Event, ...]  # meetings they came to, letters and answers that are theirs
    worries: tuple[Concern, ...]
    strengths: tuple[Concern, ...]
    assessments: tuple[Assessment, ...]
    actions: tuple[PlanAction, ...]


def _is_theirs(
    case: CaseHistory,
    party: Party,
    about: Iterable[str],
    children: tuple[str, ...],
    hidden: frozenset[str],
) -> bool:
    """A fact about ``about`` (empty: the household) concerning ``children`` (empty: all)."""
    people = set(about)
    if people & hidden:
        return False
    if people:
        return party.id in people
    return family.is_tied_to_any(case, party, family.children_named(case, children))


def booking_is_for(case: CaseHistory, booking: Booking, key: str) -> bool:
    """The booking is for ``key`` and for nobody ``key`` is kept from."""
    people = family.attendees(case, booking.attendees)
    return key in people and not (people & family.kept_from(case, key))


def _event_is_theirs(event: Event, key: str, hidden: frozenset[str]) -> bool:
    if event.type in MEETING_EVENT_TYPES:
        came = set(event.attendees or ())
        return key in came and not (came & hidden)
    return event.party == key


def for_person(case: CaseHistory, key: str) -> PersonView:
    """What may be listed for the person ``key`` of ``case`` (ValueError if there is none)."""
    party = case.party(key)
    if party is None:
        raise ValueError(f"no person '{key}' in case {case.reference}")
    hidden = family.kept_from(case, key)
    guarded = frozenset(
        other for apart in case.keep_apart if apart.protect == key for other in apart.kept_from
    )
    by_key = {p.id: p for p in case.parties}
    return PersonView(
        party=party,
        ties=family.ties(case, party),
        kept_from=tuple(by_key[k] for k in sorted(hidden) if k in by_key),
        kept_away=tuple(by_key[k] for k in sorted(guarded) if k in by_key),
        bookings=tuple(
            sorted(
                (b for b in case.scheduled if booking_is_for(case, b, key)),
                key=lambda b: (b.date, b.time or dt.time.min),
            )
        ),
        events=tuple(
            sorted(
                (e for e in case.events if _event_is_theirs(e, key, hidden)), key=lambda e: e.date
            )
        ),
        worries=tuple(
            c for c in case.concerns if _is_theirs(case, party, c.about, c.children, hidden)
        ),
        strengths=tuple(
            s for s in case.strengths if _is_theirs(case, party, s.about, s.children, hidden)
        ),
        assessments=tuple(
            a for a in case.assessments if _is_theirs(case, party, a.about, a.children, hidden)
        ),
        actions=tuple(a for a in case.plan_actions if a.party in (None, key)),
    )


def others_at(case: CaseHistory, event: Event, key: str) -> tuple[str, ...]:
    """Who else came to a meeting ``key`` came to, by name, never anyone ``key`` is kept
    from."""
    hidden = family.kept_from(case, key)
    names = {p.id: p.name for p in case.parties}
    return tuple(names.get(k, k) for k in (event.attendees or ()) if k != key and k not in hidden)
