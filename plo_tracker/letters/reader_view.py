"""What one reader's letter may tell them: the case as seen by that reader.

Facts belong to people (domain reference sections 4 and 6):

* the children are those the reader is tied to; "your children" are those they are a parent
  of or hold PR for (``domain.family``); a child they have no tie to is never named;
* a concern, strength or assessment with ``about`` goes only to those people, never to
  someone kept apart from one of them; one about the household goes to readers tied to the
  children it concerns (all, when it names none);
* a plan action goes to the person it is for; one for the household to readers tied to a
  child of the case;
* a booked meeting is given only when the reader attends it and nobody there is kept apart
  from them or has a confidential address (``privacy.may_give``);
* the people the reader is kept from, and anyone recorded at their address, are left out of
  the people named in the letter; the names of those living with them must not appear.

``naming_problems`` lists the texts that would still say too much: a worry, strength,
action or assessment (or text typed for the letter) that names a child the reader has no
tie to or someone living with a person they are kept from, or tells of a pregnancy a reader
not tied to the unborn baby must not learn of. A letter with such a text is not made, drafts
included: the message says which item to split or re-scope.

Pure: no database, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plo_tracker.domain import family
from plo_tracker.domain.model import (
    Assessment,
    Booking,
    CaseHistory,
    Child,
    Concern,
    Party,
    PlanAction,
)
from plo_tracker.letters.addresses import mentions, tokens
from plo_tracker.letters.privacy import may_give

PREGNANCY_WORDS = ("pregnant", "pregnancy", "unborn", "midwife", "antenatal", "baby", "babies")
_GENERIC_FIRST_NAMES = frozenset({"baby", "unborn", "child", "infant"})


@dataclass(frozen=True, slots=True)
class ReaderView:
    reader: Party
    children: tuple[Child, ...]  # the children the reader is tied to, in the case's order
    own: tuple[Child, ...]  # those the reader is a parent of or holds PR for
    untied: tuple[Child, ...]  # the case's other children: never named to this reader
    concerns: tuple[Concern, ...]
    strengths: tuple[Concern, ...]
    actions: tuple[PlanAction, ...]
    assessments: tuple[Assessment, ...]
    bookings: tuple[Booking, ...]
    others: tuple[Party, ...]  # the other people the letter may name
    hidden: frozenset[str]  # people the reader is kept from, and those living with them
    hidden_names: tuple[str, ...]  # names that must not appear (those living with them)

    @property
    def tied_to_unborn(self) -> bool:
        return any(child.unborn for child in self.children)


def _home(party: Party) -> tuple[str, ...]:
    """A comparable form of the first line and the postcode of a person's address."""
    if not party.address:
        return ()
    postcode = [line for line in party.address if re.search(r"\d[A-Za-z]{2}\s*$", line)]
    return (" ".join(tokens(party.address[0])), " ".join(tokens(postcode[-1])) if postcode else "")


def _living_with(case: CaseHistory, protected: Iterable[str], reader: Party) -> set[str]:
    homes = {_home(p) for p in case.parties if p.id in set(protected) and _home(p)}
    return {
        p.id
        for p in case.parties
        if p.id != reader.id and p.id not in set(protected) and _home(p) and _home(p) in homes
    }


def view_for(case: CaseHistory, reader: Party, *, unborn_only: bool = False) -> ReaderView:
    """The case as ``reader``'s letter may tell it; ``unborn_only`` for the letter about a
    baby not yet born, which speaks of the unborn child alone (its other children are
    named nowhere in it)."""
    kept = family.kept_from(case, reader.id)
    household = _living_with(case, kept, reader)
    hidden = frozenset(kept | household)
    children = family.tied_children(case, reader)
    if unborn_only:
        children = tuple(c for c in children if c.unborn)
    mine = {id(child) for child in children}

    def fact_visible(about: Sequence[str], named: Sequence[str]) -> bool:
        if about:
            return reader.id in about and not set(about) & hidden
        return any(id(child) in mine for child in family.children_named(case, named))

    return ReaderView(
        reader=reader,
        children=children,
        own=tuple(c for c in family.own_children(case, reader) if id(c) in mine),
        untied=tuple(c for c in case.children if id(c) not in mine),
        concerns=tuple(c for c in case.concerns if fact_visible(c.about, c.children)),
        strengths=tuple(s for s in case.strengths if fact_visible(s.about, s.children)),
        actions=tuple(
            a
            for a in case.plan_actions
            if a.party == reader.id or (a.party is None and bool(children))
        ),
        assessments=tuple(a for a in case.assessments if fact_visible(a.about, a.children)),
        bookings=tuple(b for b in case.scheduled if may_give(case, reader, b)),
        others=tuple(p for p in case.parties if p.id != reader.id and p.id not in hidden),
        hidden=hidden,
        hidden_names=tuple(p.name for p in case.parties if p.id in household),
    )


def _child_names(child: Child) -> list[str]:
    names = [child.name]
    first = child.name.split()[0] if child.name.split() else ""
    if len(first) >= 3 and first.casefold() not in _GENERIC_FIRST_NAMES:
        names.append(first)
    return names


def _person_names(name: str) -> list[str]:
    parts = name.split()
    return [name, *([parts[0]] if parts and len(parts[0]) >= 3 else [])]


def naming_problems(
    case: CaseHistory, view: ReaderView, items: Iterable[tuple[str, str]]
) -> list[str]:
    """What in these (label, text) items may not go in this reader's letter, in words."""
    reader = view.reader.name
    problems: list[str] = []
    unborn_here = any(c.unborn for c in case.children)
    for label, text in items:
        quoted = _quote(text)
        for child in view.untied:
            found = next((n for n in _child_names(child) if mentions(text, n)), None)
            if found is not None:
                problems.append(
                    f"{label} {quoted} names {found}, who is not a child of {reader} ({reader} "
                    f"has no tie to {child.name}): set which children it is about, or split "
                    "it into one for each child"
                )
                break
        for name in view.hidden_names:
            found = next((n for n in _person_names(name) if mentions(text, n)), None)
            if found is not None:
                problems.append(
                    f"{label} {quoted} names {found}, who lives with someone {reader} is kept "
                    "apart from: reword it without them"
                )
                break
        if unborn_here and not view.tied_to_unborn:
            word = next((w for w in PREGNANCY_WORDS if mentions(text, w)), None)
            if word is not None:
                problems.append(
                    f"{label} {quoted} speaks of the pregnancy (\u201c{word}\u201d), which "
                    f"{reader} is not tied to: set which children it is about, or reword it"
                )
    return problems


def _quote(text: str) -> str:
    short = " ".join(text.split())
    return "\u201c" + (short if len(short) <= 60 else short[:57] + "...") + "\u201d"


def view_items(view: ReaderView, typed: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Every text of the case that the reader's letter may print, with its label."""
    items: list[tuple[str, str]] = []
    items += [("The worry", c.text) for c in view.concerns]
    items += [("The worry typed for this letter", text) for text in typed]
    items += [("What is going well:", s.text) for s in view.strengths]
    for action in view.actions:
        items.append(("The plan action", action.action))
        if action.support:
            items.append(("The help with the plan action", action.support))
    items += [("The assessment", a.title) for a in view.assessments]
    items += [("The meeting place", b.place) for b in view.bookings if b.place]
    return items
