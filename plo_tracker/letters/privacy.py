"""Who a letter is for, and what must never be in it (domain reference sections 4 and 6).

* ``recipients``: the readers of a request: everyone with parental responsibility for at
  least one child of the case, or the one person named; the unborn-baby letter goes only to
  the people tied to the unborn child as a parent or with PR (the mother, the baby's father).
* ``guarded``: the people whose address this reader must not see in any form: those whose
  address is confidential, and those the reader is kept apart from.
* ``address_parts`` and ``find_leak``: the parts of those addresses, looked for in the
  finished letter and in every field (``letters.addresses``: any spelling, any spacing).
* ``may_give``: a booked meeting is given in a reader's letter only when the reader attends
  it and nobody there is someone the reader is kept from; and, for a booking that does not
  list who it is for, nobody else there has a confidential address (nobody decided they
  meet together, and it would say where and when that person will be).

Pure: no database, no Qt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from plo_tracker.domain import family
from plo_tracker.domain.model import Booking, CaseHistory, Party
from plo_tracker.errors import ValidationError
from plo_tracker.letters.addresses import KIND_WORDS, AddressPart, find, known_in, parts_of

__all__ = [
    "KIND_WORDS",
    "AddressPart",
    "address_parts",
    "field_words",
    "find_leak",
    "guarded",
    "leak_in_fields",
    "may_give",
    "meetings_are_separate",
    "recipients",
]

UNBORN_KINDS = frozenset({"letter_before_proceedings_unborn"})


def _unborn_readers(case: CaseHistory) -> tuple[Party, ...]:
    """The people tied to an unborn child of the case as a parent or with PR."""
    found = []
    for party in case.parties:
        for tie in family.ties(case, party):
            if tie.child.unborn and tie.is_own:
                found.append(party)
                break
    return tuple(found)


def recipients(case: CaseHistory, party: str | None, kind: str = "") -> tuple[Party, ...]:
    """The readers: one named party, else everyone with parental responsibility for a child
    of the case (the unborn-baby letter: the people tied to the unborn child)."""
    # In a case with no baby not yet born the letter is not ready (readiness says so); its
    # readers are found as for any letter, so a draft can still be made.
    unborn_letter = kind in UNBORN_KINDS and any(child.unborn for child in case.children)
    if party is not None:
        found = case.party(party)
        if found is None:
            known = ", ".join(p.id for p in case.parties) or "nobody"
            raise ValidationError(
                f"Case {case.reference} has no person with the ID '{party}'. "
                f"The people in it are: {known}."
            )
        if unborn_letter and found not in _unborn_readers(case):
            raise ValidationError(
                f"The letter about the baby not yet born goes only to the baby's parents and "
                f"those tied to the baby; {found.name} ({found.relationship}) is not, so it "
                "was not made."
            )
        return (found,)
    if unborn_letter:
        readers = _unborn_readers(case)
        if not readers:
            raise ValidationError(
                f"Case {case.reference} has nobody recorded as a parent of the baby not yet "
                "born (or with parental responsibility for the baby), so there is nobody to "
                "write to about the baby."
            )
        return readers
    with_pr = tuple(p for p in case.parties if family.has_pr(case, p))
    if not with_pr:
        raise ValidationError(
            f"Case {case.reference} has nobody recorded with parental responsibility, so there "
            "is nobody to write to. Add the parents to the case, or name a person with --party."
        )
    return with_pr


def guarded(case: CaseHistory, reader: Party) -> tuple[Party, ...]:
    """The other people whose address ``reader`` must not see: confidential, or kept apart."""
    kept = family.kept_from(case, reader.id)
    return tuple(
        p for p in case.parties if p.id != reader.id and (p.address_confidential or p.id in kept)
    )


def protected_others(case: CaseHistory, reader: Party) -> tuple[Party, ...]:
    """The other people whose whereabouts ``reader`` must not learn (same as ``guarded``)."""
    return guarded(case, reader)


def meetings_are_separate(case: CaseHistory) -> bool:
    """True when someone's address is confidential or someone is kept apart: people are met
    at the meetings booked for them, and nobody else is named as coming."""
    return bool(case.keep_apart) or any(p.address_confidential for p in case.parties)


def may_give(case: CaseHistory, reader: Party, booking: Booking) -> bool:
    """A booking the reader's letter may give (see the module's notes)."""
    present = family.attendees(case, booking.attendees)
    if reader.id not in present:
        return False
    others = present - {reader.id}
    if others & family.kept_from(case, reader.id):
        return False
    if booking.attendees is None:
        return not any(p.address_confidential for p in case.parties if p.id in others)
    return True


def address_parts(
    case: CaseHistory, reader: Party, *, council_address: Sequence[str] = ()
) -> tuple[AddressPart, ...]:
    """The parts of the guarded people's addresses that must not be in ``reader``'s letter
    (less those in the reader's own or the council's address)."""
    known = [*reader.address, *council_address]
    found: set[AddressPart] = set()
    for party in guarded(case, reader):
        for part in parts_of(party.address):
            if not known_in(part, known):
                found.add(part)
    return tuple(sorted(found, key=lambda p: (p.kind, p.tokens)))


def find_leak(text: str, parts: Sequence[AddressPart]) -> AddressPart | None:
    """The first part of a guarded address found in ``text``, or None."""
    return find(text, parts)


# -- naming where a leak is ----------------------------------------------------------------

FIELD_WORDS = {
    "worries": "a worry",
    "strengths": "what is going well",
    "changes": "a plan action",
    "plan": "a plan action",
    "my_plan": "a plan action",
    "help_now": "the help with a plan action",
    "help_given": "the help already given",
    "meeting": "the meeting",
    "fgc": "the family group conference",
    "hearing": "the hearing",
    "assessments": "an assessment",
    "open_assessments": "an assessment",
    "other_parties": "the people named",
    "meeting_with": "the people at the meeting",
    "council_address": "the council's address",
}


def field_words(path: str) -> str:
    """'meeting.place' as "the meeting’s place (field meeting.place)"."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    words = FIELD_WORDS.get(head, f"the field {head}")
    rest = path[len(head) :].lstrip("[]0123456789.")
    if rest and head in FIELD_WORDS:
        part = rest.rsplit(".", 1)[-1].replace("_", " ")
        return f"{words}\u2019s {part} (field {path})"
    return f"{words}{(' (' + rest + ')') if rest else ''} (field {path})"


def snippet(value: str) -> str:
    text = " ".join(value.split())
    return text if len(text) <= 70 else text[:67] + "..."


def leak_in_fields(
    context: Mapping[str, Any], forbidden: Sequence[AddressPart]
) -> tuple[str, str, AddressPart] | None:
    """The first field (its path), value and address part found, or None. The reader's own
    address is theirs to see, so it is not searched."""
    own = {"recipient_address", "recipient_address_line"}

    def walk(value: Any, path: str) -> tuple[str, str, AddressPart] | None:
        if isinstance(value, str):
            part = find_leak(value, forbidden)
            return (path, value, part) if part is not None else None
        if isinstance(value, Mapping):
            for key, item in value.items():
                found = walk(item, f"{path}.{key}" if path else str(key))
                if found:
                    return found
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                found = walk(item, f"{path}[{index}]")
                if found:
                    return found
        return None

    for key, value in context.items():
        if key in own:
            continue
        found = walk(value, key)
        if found:
            return found
    return None
