"""One whole case of an exchange document: its records, then the rules across them.

Besides each record's own checks (``records``), a case must hold together: party and child
ids exist and are unique; once anything names a child, every child has an id; a keep-apart
entry never puts a protected person and someone kept from them in one meeting (the rules of
version 3); and the chronology can be true (``plo_tracker.domain.chronology``).
"""

from __future__ import annotations

from typing import Any

from plo_tracker.domain import chronology, family
from plo_tracker.domain.model import CaseHistory, Party, Strength
from plo_tracker.exchange import records
from plo_tracker.exchange.bounded import CASE_LIST_LIMITS
from plo_tracker.exchange.checker import Checker
from plo_tracker.validation import LIMITS, reference_problem, shown

CASE_KEYS = frozenset(
    {
        "reference",
        "team",
        "social_worker",
        "team_manager",
        "legal_liaison",
        "children",
        "parties",
        "events",
        "assessments",
        "plan_actions",
        "scheduled",
    }
)
CASE_KEYS_V2 = CASE_KEYS | {"concerns"}
CASE_KEYS_V3 = CASE_KEYS_V2 | {"keep_apart", "strengths", "court_reference"}


def _case_keys(version: int) -> frozenset[str]:
    return CASE_KEYS if version == 1 else CASE_KEYS_V2 if version == 2 else CASE_KEYS_V3


def read_case(c: Checker, raw: Any, path: str, *, check_chronology: bool = True) -> CaseHistory:
    c.case_ref = None
    if isinstance(raw, dict) and isinstance(raw.get("reference"), str):
        c.case_ref = shown(raw["reference"].strip(), LIMITS["reference"]) or None
    if isinstance(raw, dict) and c.version < 3:
        c.require_version(raw, tuple(sorted(CASE_KEYS_V3 - _case_keys(c.version))), path)
    data = c.obj(raw, path, _case_keys(c.version))
    reference = _reference(c, data, path)
    _bounded(c, data, path)
    children = [
        records.child(c, item, f"{path}.children[{i}]")
        for i, item in enumerate(c.items(data, "children", path, required=True))
    ]
    if not children:
        raise c.fail(f"{path}.children", "must list at least one child")
    child_ids: set[str] = set()
    for i, child in enumerate(children):
        if child.key is not None:
            if child.key in child_ids:
                raise c.fail(f"{path}.children[{i}].id", f"child id '{child.key}' is used twice")
            child_ids.add(child.key)
    parties: list[Party] = []
    seen: set[str] = set()
    for i, item in enumerate(c.items(data, "parties", path, required=False)):
        party = records.party(c, item, f"{path}.parties[{i}]", child_ids)
        if party.id in seen:
            raise c.fail(f"{path}.parties[{i}].id", f"party id '{party.id}' is used twice")
        seen.add(party.id)
        parties.append(party)

    def each(key: str) -> list[tuple[str, Any]]:
        return [
            (f"{path}.{key}[{i}]", item)
            for i, item in enumerate(c.items(data, key, path, required=False))
        ]

    case = CaseHistory(
        reference=reference,
        team=c.text(data, "team", path, required=False),
        social_worker=c.text(data, "social_worker", path, required=False),
        team_manager=c.text(data, "team_manager", path, required=False),
        legal_liaison=c.text(data, "legal_liaison", path, required=False),
        court_reference=c.text(data, "court_reference", path, required=False, limit="reference"),
        children=tuple(children),
        parties=tuple(parties),
        events=tuple(records.event(c, item, p, seen) for p, item in each("events")),
        assessments=tuple(
            records.assessment(c, item, p, seen, child_ids) for p, item in each("assessments")
        ),
        plan_actions=tuple(records.action(c, item, p, seen) for p, item in each("plan_actions")),
        scheduled=tuple(records.booking(c, item, p, seen) for p, item in each("scheduled")),
        concerns=tuple(
            records.concern(c, item, p, seen, child_ids) for p, item in each("concerns")
        ),
        strengths=tuple(
            records.concern(c, item, p, seen, child_ids, Strength) for p, item in each("strengths")
        ),
        keep_apart=tuple(records.keep_apart(c, item, p, seen) for p, item in each("keep_apart")),
    )
    _children_named(c, case, path)
    _kept_apart(c, case, path)
    if check_chronology:
        _chronology(c, case, path)
    return case


def _reference(c: Checker, data: dict[str, Any], path: str) -> str:
    """The case reference, trimmed, in the safe character set (``reference_problem``)."""
    value = c.get(data, "reference", path, required=True)
    if not isinstance(value, str) or not c.reference_rules or value in c.held:
        return c.text(data, "reference", path, required=True, limit="reference") or ""
    reference = value.strip()
    c.case_ref = shown(reference, LIMITS["reference"]) or None
    problem = reference_problem(reference)
    if problem:
        raise c.fail(f"{path}.reference", problem)
    return reference


def _bounded(c: Checker, data: dict[str, Any], path: str) -> None:
    """No case holds more records of a kind than ``CASE_LIST_LIMITS`` allows."""
    for key, limit in CASE_LIST_LIMITS.items():
        items = data.get(key)
        if isinstance(items, list) and len(items) > limit:
            raise c.fail(
                f"{path}.{key}",
                f"holds {len(items)} items; one case may hold at most {limit} "
                f"{key.replace('_', ' ')}",
            )


def _children_named(c: Checker, case: CaseHistory, path: str) -> None:
    """Once anything in the case names a child, every child needs an id."""
    named_at = _first_child_reference(case)
    if named_at is None:
        return
    for i, child in enumerate(case.children):
        if child.key is None:
            raise c.fail(
                f"{path}.children[{i}].id",
                f"is required: this case names children by id (at {path}.{named_at}), so "
                "every child needs one",
            )


def _first_child_reference(case: CaseHistory) -> str | None:
    for i, party in enumerate(case.parties):
        if party.children:
            return f"parties[{i}].children"
    for name, items in (
        ("concerns", case.concerns),
        ("strengths", case.strengths),
        ("assessments", case.assessments),
    ):
        for i, item in enumerate(items):
            if item.children:
                return f"{name}[{i}].children"
    return None


def _kept_apart(c: Checker, case: CaseHistory, path: str) -> None:
    """A protected person and someone kept from them are never in one meeting."""
    for clash in family.meeting_clashes(case):
        where = f"{path}.{clash.first}"
        if clash.second is None:
            raise c.fail(
                f"{where}.attendees",
                f"{clash.describe(case)} ({clash.protect} is protected from {clash.other}), "
                "so they cannot be at the same meeting; book separate meetings",
            )
        how = (
            "the same kind of meeting on the same day"
            if clash.second.startswith("events")
            else "the same meeting (same kind, day, time and place)"
        )
        raise c.fail(
            where,
            f"this booking and the one at {path}.{clash.second} are {how}, for "
            f"{clash.protect} and {clash.other}, who must be kept apart; book separate "
            "meetings",
        )


def _chronology(c: Checker, case: CaseHistory, path: str) -> None:
    """Refuse a case whose chronology cannot be true (the first broken rule)."""
    for finding in chronology.check(case):
        if finding.is_error:
            where = f"{path}.{finding.path}" if finding.path else path
            raise c.fail(where, f"{finding.message} (rule: {finding.rule})")
