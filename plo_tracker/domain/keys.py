"""Renaming the short names (keys) by which a case's records name its people and children.

A party's key (``"mother"``) and a child's key (``"ruby"``) are named by many records: events,
plan actions, concerns, strengths, assessments, bookings, keep-apart entries and ties. When a
key changes, every record naming it changes with it. Pure: no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from plo_tracker.domain.model import CaseHistory


def _swap(values: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if value == old else value for value in values)


def _swap_optional(values: tuple[str, ...] | None, old: str, new: str) -> tuple[str, ...] | None:
    return None if values is None else _swap(values, old, new)


def rename_party(case: CaseHistory, old: str, new: str) -> CaseHistory:
    """The case with every record that names party ``old`` naming ``new`` instead."""
    if old == new:
        return case
    return replace(
        case,
        concerns=tuple(replace(c, about=_swap(c.about, old, new)) for c in case.concerns),
        strengths=tuple(replace(s, about=_swap(s.about, old, new)) for s in case.strengths),
        assessments=tuple(replace(a, about=_swap(a.about, old, new)) for a in case.assessments),
        events=tuple(
            replace(
                e,
                party=new if e.party == old else e.party,
                attendees=_swap_optional(e.attendees, old, new),
            )
            for e in case.events
        ),
        plan_actions=tuple(
            replace(a, party=new) if a.party == old else a for a in case.plan_actions
        ),
        scheduled=tuple(
            replace(b, attendees=_swap_optional(b.attendees, old, new)) for b in case.scheduled
        ),
        keep_apart=tuple(
            replace(
                k,
                protect=new if k.protect == old else k.protect,
                kept_from=_swap(k.kept_from, old, new),
            )
            for k in case.keep_apart
        ),
    )


def rename_child(case: CaseHistory, old: str, new: str) -> CaseHistory:
    """The case with every record that names child ``old`` naming ``new`` instead."""
    if old == new:
        return case
    return replace(
        case,
        parties=tuple(
            replace(
                p,
                children=tuple(
                    replace(link, child=new) if link.child == old else link for link in p.children
                ),
            )
            if p.children
            else p
            for p in case.parties
        ),
        concerns=tuple(replace(c, children=_swap(c.children, old, new)) for c in case.concerns),
        strengths=tuple(replace(s, children=_swap(s.children, old, new)) for s in case.strengths),
        assessments=tuple(
            replace(a, children=_swap(a.children, old, new)) for a in case.assessments
        ),
    )


def _counted(counts: dict[str, int]) -> dict[str, int]:
    return {kind: n for kind, n in counts.items() if n}


def uses_of_party(case: CaseHistory, key: str) -> dict[str, int]:
    """How many records of each kind name party ``key`` (a person cannot be deleted while
    named): ``{"event": 2, "worry": 1}``."""
    return _counted(
        {
            "event": sum(e.party == key or key in (e.attendees or ()) for e in case.events),
            "plan action": sum(a.party == key for a in case.plan_actions),
            "worry": sum(key in c.about for c in case.concerns),
            "strength": sum(key in s.about for s in case.strengths),
            "assessment": sum(key in a.about for a in case.assessments),
            "booked meeting": sum(key in (b.attendees or ()) for b in case.scheduled),
            "keep-apart arrangement": sum(
                k.protect == key or key in k.kept_from for k in case.keep_apart
            ),
        }
    )


def uses_of_child(case: CaseHistory, key: str | None) -> dict[str, int]:
    """How many records of each kind name child ``key``."""
    if not key:
        return {}
    return _counted(
        {
            "person's tie": sum(
                any(link.child == key for link in p.children or ()) for p in case.parties
            ),
            "worry": sum(key in c.children for c in case.concerns),
            "strength": sum(key in s.children for s in case.strengths),
            "assessment": sum(key in a.children for a in case.assessments),
        }
    )


def describe_uses(uses: dict[str, int]) -> str:
    """``{"event": 2, "worry": 1}`` as "2 events and 1 worry"."""
    plural = {"worry": "worries", "person's tie": "people's ties"}
    parts = [f"{n} {kind if n == 1 else plural.get(kind, kind + 's')}" for kind, n in uses.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# -- a short name for a child, made when a record first names it ------------------------------


def _first_word(name: str) -> str:
    """The first word of a name as plain lower-case letters and digits ("Zoë-Mai" -> "zoemai")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    for word in text.split():
        cleaned = re.sub(r"[^a-z0-9]", "", word)
        if cleaned:
            return cleaned[:30]
    return ""


def suggested_child_keys(case: CaseHistory) -> dict[int, str]:
    """A short name for each child of the case without one, by position: the child's first
    name in lower case ("ruby"), made unique in the case ("ruby2") against the short names
    already given and each other. Children with a short name keep it (not listed)."""
    taken = {child.key for child in case.children if child.key}
    found: dict[int, str] = {}
    for index, child in enumerate(case.children):
        if child.key:
            continue
        base = _first_word(child.name) or "child"
        key, number = base, 2
        while key in taken:
            key, number = f"{base}{number}", number + 1
        taken.add(key)
        found[index] = key
    return found


def with_child_keys(case: CaseHistory) -> CaseHistory:
    """The case with every child given a short name (``suggested_child_keys``)."""
    keys = suggested_child_keys(case)
    if not keys:
        return case
    return replace(
        case,
        children=tuple(
            replace(child, key=keys[index]) if index in keys else child
            for index, child in enumerate(case.children)
        ),
    )
