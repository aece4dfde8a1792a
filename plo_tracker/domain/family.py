"""Who is whose, who is kept apart, and whose facts are whose (domain reference section 6).

Pure functions over a ``CaseHistory`` (no database, no Qt), used by the exchange format's
checks, the drift rules, the census, the letters and the window alike, so each question has
one answer everywhere:

* **Ties are per child.** A person with no ``children`` links is tied to every child with
  their ``relationship`` and ``parental_responsibility`` (the version 2 meaning); with links,
  only to the children linked, holding PR exactly where a link says so.
* **Your children** are those the reader is a parent of (a relationship such as "mother",
  "birth father", "adoptive parent"; not a step-parent, grandparent or partner) or holds PR
  for.
* **Kept apart.** A ``keep_apart`` entry keeps its ``kept_from`` people from the ``protect``
  person: no shared meeting, nothing of where they live or will be, nothing recorded about
  them. A booking with no attendees is for "everyone who may meet everyone else": the people
  in no keep-apart entry at all.
* **Which letters count.** A letter before proceedings with no party, or to a person with
  PR for at least one child of the case, meets ``letter_due`` (and is the census's letter
  date); a letter to anyone else is kept and counts for nothing else.
* **Meetings that did not go ahead** (``effective: false``) meet no timescale.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plo_tracker.domain.model import (
    MEETING_EVENT_TYPES,
    Booking,
    CaseHistory,
    Child,
    Event,
    Party,
)

# "mother", "birth father", "adoptive parent"; not "stepfather", "maternal grandmother",
# "mother's partner".
_PARENT_WORDS = frozenset({"mother", "father", "parent", "mum", "dad", "mom"})
_PARENT_QUALIFIERS = frozenset(
    {"birth", "biological", "adoptive", "natural", "legal", "expectant", "alleged", "putative"}
)


@dataclass(frozen=True, slots=True)
class Tie:
    """A person's tie to one child."""

    child: Child
    relationship: str
    parental_responsibility: bool

    @property
    def is_parent(self) -> bool:
        return is_parent_relationship(self.relationship)

    @property
    def is_own(self) -> bool:
        """The reader's own child: a parent of it, or holding PR for it."""
        return self.parental_responsibility or self.is_parent


def is_parent_relationship(relationship: str) -> bool:
    words = re.findall(r"[a-z]+", unicodedata.normalize("NFKC", relationship).casefold())
    if not words or words[-1] not in _PARENT_WORDS:
        return False
    return all(word in _PARENT_QUALIFIERS for word in words[:-1])


def child_ref(case: CaseHistory, child: Child) -> str:
    """How records name a child: its key, or (no key) its position, for in-memory use."""
    if child.key:
        return child.key
    for index, candidate in enumerate(case.children):
        if candidate is child:
            return f"#{index}"
    return child.name


def ties(case: CaseHistory, party: Party) -> tuple[Tie, ...]:
    """The person's tie to each child they are tied to, in the case's order of children."""
    if party.children is None:
        return tuple(
            Tie(child, party.relationship, party.parental_responsibility) for child in case.children
        )
    by_key = {child.key: child for child in case.children if child.key}
    found = []
    for link in party.children:
        child = by_key.get(link.child)
        if child is not None:
            found.append(Tie(child, link.relationship, link.parental_responsibility))
    order = {id(child): index for index, child in enumerate(case.children)}
    found.sort(key=lambda tie: order.get(id(tie.child), 0))
    return tuple(found)


def tie_to(case: CaseHistory, party: Party, child: Child) -> Tie | None:
    for tie in ties(case, party):
        if tie.child is child:
            return tie
    return None


def has_pr(case: CaseHistory, party: Party) -> bool:
    """True when the person holds PR for at least one child of the case."""
    return any(tie.parental_responsibility for tie in ties(case, party))


def tied_children(case: CaseHistory, party: Party) -> tuple[Child, ...]:
    return tuple(tie.child for tie in ties(case, party))


def own_children(case: CaseHistory, party: Party) -> tuple[Child, ...]:
    """The children a letter may call "your children" for this reader."""
    return tuple(tie.child for tie in ties(case, party) if tie.is_own)


def children_named(case: CaseHistory, keys: Sequence[str]) -> tuple[Child, ...]:
    """The children a record names by key (none named: every child of the case)."""
    if not keys:
        return case.children
    wanted = set(keys)
    return tuple(child for child in case.children if child.key in wanted)


def is_tied_to_any(case: CaseHistory, party: Party, children: Iterable[Child]) -> bool:
    mine = {id(child) for child in tied_children(case, party)}
    return any(id(child) in mine for child in children)


# -- keeping apart -------------------------------------------------------------------------


def kept_from(case: CaseHistory, reader: str) -> frozenset[str]:
    """The people ``reader`` must learn nothing about (they are kept from them)."""
    return frozenset(apart.protect for apart in case.keep_apart if reader in apart.kept_from)


def may_meet(case: CaseHistory, one: str, other: str) -> bool:
    for apart in case.keep_apart:
        if (apart.protect == one and other in apart.kept_from) or (
            apart.protect == other and one in apart.kept_from
        ):
            return False
    return True


def in_keep_apart(case: CaseHistory) -> frozenset[str]:
    """Everyone named in a keep-apart entry, protected or kept from someone."""
    named: set[str] = set()
    for apart in case.keep_apart:
        named.add(apart.protect)
        named.update(apart.kept_from)
    return frozenset(named)


def attendees(case: CaseHistory, listed: tuple[str, ...] | None) -> frozenset[str]:
    """Who a meeting is for: those listed, or (none listed) everyone who may meet everyone
    else, that is every person named in no keep-apart entry."""
    if listed is not None:
        return frozenset(listed)
    apart = in_keep_apart(case)
    return frozenset(p.id for p in case.parties if p.id not in apart)


def apart_pair(case: CaseHistory, people: Iterable[str]) -> tuple[str, str] | None:
    """A (protected, kept from) pair among ``people``, if any."""
    present = set(people)
    for apart in case.keep_apart:
        if apart.protect in present:
            for other in apart.kept_from:
                if other in present:
                    return apart.protect, other
    return None


def safety_summary(case: CaseHistory) -> list[str]:
    """The case's safety arrangements in plain sentences, for the top of the case."""
    names = {p.id: p.name for p in case.parties}
    lines = []
    for apart in case.keep_apart:
        protected = names.get(apart.protect, apart.protect)
        others = " and ".join(names.get(k, k) for k in apart.kept_from)
        lines.append(
            f"Keep apart: {others} must not learn where {protected} lives or will be, or "
            f"anything recorded about {protected}; separate meetings only. ({apart.reason})"
        )
    for party in case.parties:
        if party.address_confidential:
            lines.append(
                f"{party.name}'s address is confidential: it goes in no one else's letter."
            )
    return lines


# -- letters that count, meetings that went ahead ------------------------------------------


def letter_counts(case: CaseHistory, event: Event) -> bool:
    """A letter before proceedings that meets ``letter_due``: to nobody in particular, or to
    a person with PR for at least one child of the case."""
    if event.type != "letter_before_proceedings":
        return False
    if event.party is None:
        return True
    party = case.party(event.party)
    return party is not None and has_pr(case, party)


def counting_letters(case: CaseHistory, events: Iterable[Event]) -> list[Event]:
    """The letters before proceedings that count, in date order."""
    return sorted(
        (e for e in events if e.type == "letter_before_proceedings" and letter_counts(case, e)),
        key=lambda e: e.date,
    )


def went_ahead(event: Event) -> bool:
    """A meeting that took place (``effective`` is not false); other events always count."""
    return event.type not in MEETING_EVENT_TYPES or event.effective is not False


def counts_for_timescales(case: CaseHistory, event: Event) -> bool:
    """What the drift rules and the reports see: every event but a meeting that did not go
    ahead and a letter before proceedings that does not count."""
    return went_ahead(event) and (
        event.type != "letter_before_proceedings" or letter_counts(case, event)
    )


# -- meetings as records: clashes --------------------------------------------------------


def _place_key(place: str | None) -> str | None:
    if place is None:
        return None
    text = unicodedata.normalize("NFKC", place).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(re.findall(r"[^\W_]+", text)) or None


def same_place(one: str | None, other: str | None) -> bool:
    """Both places given and the same once case, spacing and punctuation are ignored."""
    a, b = _place_key(one), _place_key(other)
    return a is not None and a == b


def same_booked_meeting(one: Booking, other: Booking) -> bool:
    """Two bookings of one meeting: same type and day, and neither time nor place differs (a
    missing time or place differs from nothing)."""
    if one.type != other.type or one.date != other.date:
        return False
    if one.time is not None and other.time is not None and one.time != other.time:
        return False
    a, b = _place_key(one.place), _place_key(other.place)
    return a is None or b is None or a == b


@dataclass(frozen=True, slots=True)
class Clash:
    """A protected person and someone kept from them in one meeting (or too close)."""

    protect: str
    other: str
    first: str  # where, case-relative: "scheduled[0]", "events[3]"
    second: str | None = None

    def describe(self, case: CaseHistory) -> str:
        names = {p.id: p.name for p in case.parties}
        return (
            f"{names.get(self.protect, self.protect)} and {names.get(self.other, self.other)} "
            "must be kept apart"
        )


def meeting_clashes(case: CaseHistory) -> list[Clash]:
    """Every record or pair of records that puts a protected person and someone kept from
    them in one meeting (the contract's rule): a booking or meeting event listing both;
    two bookings of one meeting; a booking and a meeting event of the same type and day."""
    if not case.keep_apart:
        return []
    found: list[Clash] = []
    bookings = [
        (f"scheduled[{i}]", b, attendees(case, b.attendees)) for i, b in enumerate(case.scheduled)
    ]
    meetings = [
        (f"events[{i}]", e, frozenset(e.attendees or ()))
        for i, e in enumerate(case.events)
        if e.type in MEETING_EVENT_TYPES and e.attendees is not None
    ]
    for where, _record, people in [*bookings, *meetings]:
        pair = apart_pair(case, people)
        if pair:
            found.append(Clash(pair[0], pair[1], where))
    for i, (where_a, a, people_a) in enumerate(bookings):
        for where_b, b, people_b in bookings[i + 1 :]:
            if same_booked_meeting(a, b):
                pair = _cross_pair(case, people_a, people_b)
                if pair:
                    found.append(Clash(pair[0], pair[1], where_a, where_b))
        for where_e, event, people_e in meetings:
            if event.type == a.type and event.date == a.date:
                pair = _cross_pair(case, people_a, people_e)
                if pair:
                    found.append(Clash(pair[0], pair[1], where_a, where_e))
    return found


def _cross_pair(
    case: CaseHistory, one: frozenset[str], other: frozenset[str]
) -> tuple[str, str] | None:
    for apart in case.keep_apart:
        for protect_side, other_side in ((one, other), (other, one)):
            if apart.protect in protect_side:
                for kept in apart.kept_from:
                    if kept in other_side:
                        return apart.protect, kept
    return None


def too_close(
    case: CaseHistory, booking: Booking, others: Iterable[Booking], minutes: int
) -> Booking | None:
    """Another booking at the same place on the same day, less than ``minutes`` apart, for a
    person kept apart from someone at ``booking`` (a missing time cannot be shown apart)."""
    people = attendees(case, booking.attendees)
    for other in others:
        if other is booking or (other.id is not None and other.id == booking.id):
            continue
        if other.date != booking.date or not same_place(other.place, booking.place):
            continue
        if _cross_pair(case, people, attendees(case, other.attendees)) is None:
            continue
        if booking.time is None or other.time is None:
            return other
        start = dt.datetime.combine(booking.date, booking.time)
        then = dt.datetime.combine(other.date, other.time)
        if abs((start - then).total_seconds()) < minutes * 60:
            return other
    return None
