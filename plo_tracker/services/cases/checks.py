"""Checking a changed case before it is saved: the exchange-format checks and the chronology.

The services (``CaseService``) and the as-you-type checks (``drafts``) share these, so a
form explains exactly what a save would refuse.
"""

from __future__ import annotations

from plo_tracker.domain import chronology
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import ChronologyError, ChronologyWarning, ExchangeError, ValidationError
from plo_tracker.exchange import case_to_json, check_case
from plo_tracker.services.base import today

FIELD_LABELS: dict[str, str] = {
    "reference": "Case reference",
    "team": "Team",
    "social_worker": "Social worker",
    "team_manager": "Team manager",
    "legal_liaison": "Legal liaison",
    "children": "Children",
    "name": "Name",
    "date_of_birth": "Date of birth",
    "expected_birth": "Expected date of birth",
    "la_child_id": "Council child ID",
    "id": "Short name (party ID)",
    "relationship": "Relationship",
    "parental_responsibility": "Parental responsibility",
    "address": "Address",
    "language": "Language",
    "needs": "Communication needs",
    "solicitor": "Solicitor",
    "firm": "Firm",
    "phone": "Phone",
    "email": "Email",
    "type": "Type",
    "date": "Date",
    "party": "Person",
    "outcome": "Outcome",
    "fgdm_offered": "Family meeting offered",
    "reason": "Reason",
    "until": "Until",
    "decided_by": "Decided by",
    "rationale": "Rationale",
    "rule": "Flag",
    "to": "Stepped down to",
    "response": "Answer",
    "text": "What we are worried about",
    "about": "About",
    "title": "Title",
    "commissioned": "Commissioned",
    "due": "Due",
    "completed": "Completed",
    "action": "Action",
    "support": "Support",
    "time": "Time",
    "place": "Place",
    "key": "Short name (child ID)",
    "attendees": "Who it is for",
    "effective": "Went ahead",
    "kind": "Kind of hearing",
    "la_plan": "The council's plan",
    "plan_approved": "Plan approved",
    "order": "Order made",
    "short_notice": "Short notice",
    "short_notice_reason": "Why short notice",
    "protect": "Protected person",
    "kept_from": "Kept from",
    "from": "Kept from",
    "court_reference": "Court reference",
}

KIND_LABELS: dict[str, str] = {
    "child": "This child's record",
    "party": "This person's record",
    "event": "This event",
    "assessment": "This assessment",
    "action": "This plan action",
    "booking": "This booked meeting",
    "concern": "This worry",
    "strength": "This strength",
    "keep_apart": "This keep-apart arrangement",
    "case": "This case",
}


def field_error(error: ExchangeError) -> ValidationError:
    """An import-style error turned into a message about the field being edited."""
    path = error.path or ""
    last = path.rsplit(".", 1)[-1].split("[", 1)[0] if path else ""
    label = FIELD_LABELS.get(last, last.replace("_", " ").capitalize())
    problem = error.problem
    message = f"{label}: {problem}" if label else problem[:1].upper() + problem[1:]
    return ValidationError(message, field=last or None)


def validate(case: CaseHistory, *, new: bool = False) -> CaseHistory:
    """The case checked as an import would check it, except for its chronology (and,
    unless it is ``new``, its reference, which it keeps)."""
    try:
        return check_case(case_to_json(case), today(), check_chronology=False, new_reference=new)
    except ExchangeError as error:
        raise field_error(error) from None


def check_chronology(
    before: CaseHistory | None, after: CaseHistory, *, confirm: bool = False
) -> list[chronology.Finding]:
    """Refuse what a change makes impossible; ask for confirmation of what it makes unusual.

    Only what the change introduces counts (a finding the case already had before it does
    not block an unrelated edit; it stays visible in the case's own chronology check).
    Raises ``ChronologyError`` or, unless ``confirm``, ``ChronologyWarning``; returns the
    new warnings that were confirmed.
    """
    found = chronology.check(after)
    new = chronology.new_findings(chronology.check(before) if before else [], found)
    broken = chronology.errors(new)
    if broken:
        lines = " ".join(f.message for f in broken)
        raise ChronologyError(
            f"Case {after.reference}: {lines} Nothing was saved.", findings=tuple(broken)
        )
    unusual = chronology.warnings(new)
    if unusual and not confirm:
        lines = " ".join(f.message for f in unusual)
        raise ChronologyWarning(
            f"Case {after.reference}: {lines} Save anyway if this is right.", tuple(unusual)
        )
    return unusual
