"""The case history as plain, immutable records.

These mirror the case exchange format (``shared/contract/case-exchange.md``).
Records read from the database also carry their row ``id`` and ``version``;
those never take part in equality, so a case read back equals the case imported.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

EVENT_TYPES: tuple[str, ...] = (
    "legal_planning_meeting",
    "letter_before_proceedings",
    "pre_proceedings_meeting",
    "review_meeting",
    "fgc_referral",
    "fgc_held",
    "fgc_declined",
    "extension_agreed",
    "management_oversight",
    "decision_to_issue",
    "proceedings_issued",
    "letter_of_issue",
    "stepped_down",
    "fgdm_response",
    "fgdm_not_offered",
)
LPM_OUTCOMES: tuple[str, ...] = ("pre_proceedings", "issue_proceedings", "no_legal_action")
STEP_DOWN_TO: tuple[str, ...] = ("child_protection", "child_in_need", "no_further_action")
BOOKING_TYPES: tuple[str, ...] = ("pre_proceedings_meeting", "review_meeting", "fgc")
FGDM_RESPONSES: tuple[str, ...] = ("accepted", "declined")
# Event types that exist only from version 2 of the case exchange format.
V2_EVENT_TYPES: frozenset[str] = frozenset({"fgdm_response", "fgdm_not_offered"})

EVENT_LABELS: dict[str, str] = {
    "legal_planning_meeting": "Legal planning meeting",
    "letter_before_proceedings": "Letter before proceedings sent",
    "pre_proceedings_meeting": "Pre-proceedings meeting",
    "review_meeting": "Review meeting",
    "fgc_referral": "Family group conference referred",
    "fgc_held": "Family group conference held",
    "fgc_declined": "Family group conference declined",
    "extension_agreed": "Extension agreed",
    "management_oversight": "Management oversight",
    "decision_to_issue": "Decision to issue proceedings",
    "proceedings_issued": "Proceedings issued",
    "letter_of_issue": "Letter of issue sent",
    "stepped_down": "Stepped down",
    "fgdm_response": "Family meeting offer answered",
    "fgdm_not_offered": "Decision not to offer a family meeting",
}
BOOKING_LABELS: dict[str, str] = {
    "pre_proceedings_meeting": "Pre-proceedings meeting",
    "review_meeting": "Review meeting",
    "fgc": "Family group conference",
}

# The fields each event type may carry (besides type and date), and which are required.
EVENT_FIELDS: dict[str, dict[str, bool]] = {
    "legal_planning_meeting": {"outcome": True},
    "letter_before_proceedings": {"party": False, "fgdm_offered": False},
    "pre_proceedings_meeting": {},
    "review_meeting": {},
    "fgc_referral": {},
    "fgc_held": {},
    "fgc_declined": {"reason": True},
    "extension_agreed": {"until": True, "decided_by": True, "rationale": True},
    "management_oversight": {
        "decided_by": True,
        "rationale": True,
        "rule": False,
        "until": False,
    },
    "decision_to_issue": {"decided_by": True},
    "proceedings_issued": {},
    "letter_of_issue": {"party": False},
    "stepped_down": {"to": True},
    "fgdm_response": {"party": True, "response": True},
    "fgdm_not_offered": {"decided_by": True, "rationale": True},
}


EVENT_EXTRA_FIELDS: tuple[str, ...] = (
    "party",
    "outcome",
    "fgdm_offered",
    "reason",
    "until",
    "decided_by",
    "rationale",
    "rule",
    "to",
    "response",
)


@dataclass(frozen=True, slots=True)
class Solicitor:
    name: str
    firm: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Child:
    name: str
    date_of_birth: dt.date | None = None
    expected_birth: dt.date | None = None
    la_child_id: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

    @property
    def unborn(self) -> bool:
        return self.expected_birth is not None


@dataclass(frozen=True, slots=True)
class Party:
    id: str
    name: str
    relationship: str
    parental_responsibility: bool
    address: tuple[str, ...] = ()
    address_confidential: bool | None = None
    language: str | None = None
    needs: str | None = None
    solicitor: Solicitor | None = None
    row_id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Event:
    type: str
    date: dt.date
    party: str | None = None
    outcome: str | None = None
    fgdm_offered: bool | None = None
    reason: str | None = None
    until: dt.date | None = None
    decided_by: str | None = None
    rationale: str | None = None
    rule: str | None = None
    to: str | None = None
    response: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)
    recorded_by: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.type, self.type)


@dataclass(frozen=True, slots=True)
class Assessment:
    title: str
    commissioned: dt.date
    due: dt.date
    completed: dt.date | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class PlanAction:
    action: str
    due: dt.date
    party: str | None = None
    support: str | None = None
    completed: dt.date | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Booking:
    type: str
    date: dt.date
    time: dt.time | None = None
    place: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return BOOKING_LABELS.get(self.type, self.type)


@dataclass(frozen=True, slots=True)
class Concern:
    """What the council is worried about, in words the family will recognise.

    ``about`` names the people (party ids) it is about; empty means the whole household,
    so it goes to every recipient.
    """

    text: str
    about: tuple[str, ...] = ()
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

    @property
    def household(self) -> bool:
        return not self.about

    def is_for(self, party_key: str) -> bool:
        """True when the concern belongs in ``party_key``'s letters."""
        return self.household or party_key in self.about


@dataclass(frozen=True, slots=True)
class CaseHistory:
    """Everything known about one case: the drift engine's input."""

    reference: str
    children: tuple[Child, ...]
    team: str | None = None
    social_worker: str | None = None
    team_manager: str | None = None
    legal_liaison: str | None = None
    parties: tuple[Party, ...] = ()
    events: tuple[Event, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    plan_actions: tuple[PlanAction, ...] = ()
    scheduled: tuple[Booking, ...] = ()
    concerns: tuple[Concern, ...] = ()
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)
    court_reference: str | None = field(default=None, compare=False)

    def party(self, key: str | None) -> Party | None:
        if key is None:
            return None
        for party in self.parties:
            if party.id == key:
                return party
        return None

    def concerns_for(self, party_key: str) -> tuple[Concern, ...]:
        """The household's concerns and those about ``party_key``, in their order."""
        return tuple(c for c in self.concerns if c.is_for(party_key))

    def child_names(self) -> str:
        return ", ".join(child.name for child in self.children)

    def normalised(self) -> CaseHistory:
        """The same case with events in date order, for comparisons."""
        return replace(self, events=tuple(sorted(self.events, key=event_sort_key)))


def event_sort_key(event: Event) -> tuple[object, ...]:
    return (
        event.date,
        event.type,
        event.party or "",
        event.outcome or "",
        event.until or dt.date.min,
        event.rule or "",
        event.decided_by or "",
        event.rationale or "",
        event.reason or "",
        event.to or "",
        event.fgdm_offered is True,
        event.response or "",
    )


def event_for_type(event: Event) -> Event:
    """The event with only the fields its type has (the others emptied)."""
    spec = EVENT_FIELDS.get(event.type, {})
    return replace(event, **{key: None for key in EVENT_EXTRA_FIELDS if key not in spec})
