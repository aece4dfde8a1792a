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
    "hearing",
    "court_extension",
    "proceedings_concluded",
)
LPM_OUTCOMES: tuple[str, ...] = ("pre_proceedings", "issue_proceedings", "no_legal_action")
STEP_DOWN_TO: tuple[str, ...] = ("child_protection", "child_in_need", "no_further_action")
BOOKING_TYPES: tuple[str, ...] = ("pre_proceedings_meeting", "review_meeting", "fgc", "hearing")
FGDM_RESPONSES: tuple[str, ...] = ("accepted", "declined")
# After issue (version 3): the kinds of court hearing, the council's plans and the orders.
HEARING_KINDS: tuple[str, ...] = (
    "case_management",
    "further_case_management",
    "issues_resolution",
    "final",
    "other",
)
PLANS: tuple[str, ...] = (
    "care_order",
    "care_order_at_home",
    "adoption",
    "supervision_order",
    "special_guardianship_order",
    "private_law_order",
    "other",
)
ORDERS: tuple[str, ...] = (*PLANS, "no_order")
SHORT_NOTICE_REASONS: tuple[str, ...] = ("immediate_safety", "emergency_protection", "other")
# Event types that exist only from version 2 (and 3) of the case exchange format.
V2_EVENT_TYPES: frozenset[str] = frozenset({"fgdm_response", "fgdm_not_offered"})
V3_EVENT_TYPES: frozenset[str] = frozenset({"hearing", "court_extension", "proceedings_concluded"})
MEETING_EVENT_TYPES: frozenset[str] = frozenset({"pre_proceedings_meeting", "review_meeting"})

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
    "hearing": "Court hearing",
    "court_extension": "Court extended the timetable",
    "proceedings_concluded": "Proceedings concluded",
}
BOOKING_LABELS: dict[str, str] = {
    "pre_proceedings_meeting": "Pre-proceedings meeting",
    "review_meeting": "Review meeting",
    "fgc": "Family group conference",
    "hearing": "Court hearing",
}
HEARING_LABELS: dict[str, str] = {
    "case_management": "Case management hearing",
    "further_case_management": "Further case management hearing",
    "issues_resolution": "Issues resolution hearing",
    "final": "Final hearing",
    "other": "Other hearing",
}
PLAN_LABELS: dict[str, str] = {
    "care_order": "Care order (living away from home)",
    "care_order_at_home": "Care order (living at home)",
    "adoption": "Adoption (placement order)",
    "supervision_order": "Supervision order",
    "special_guardianship_order": "Special guardianship order",
    "private_law_order": "Private law order (child arrangements)",
    "other": "Other",
    "no_order": "No order",
}
SHORT_NOTICE_LABELS: dict[str, str] = {
    "immediate_safety": "Immediate safety",
    "emergency_protection": "Emergency protection",
    "other": "Other",
}

# The fields each event type may carry (besides type and date), and which are required.
EVENT_FIELDS: dict[str, dict[str, bool]] = {
    "legal_planning_meeting": {"outcome": True},
    "letter_before_proceedings": {"party": False, "fgdm_offered": False},
    "pre_proceedings_meeting": {"attendees": False, "effective": False},
    "review_meeting": {"attendees": False, "effective": False},
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
    "proceedings_issued": {"short_notice": False, "short_notice_reason": False},
    "letter_of_issue": {"party": False},
    "stepped_down": {"to": True},
    "fgdm_response": {"party": True, "response": True},
    "fgdm_not_offered": {"decided_by": True, "rationale": True},
    "hearing": {"kind": True, "la_plan": False, "plan_approved": False},
    "court_extension": {"until": True},
    "proceedings_concluded": {"order": True},
}
# The fields added to existing event types by version 3 (unknown keys in versions 1 and 2).
V3_EVENT_FIELDS: frozenset[str] = frozenset(
    {"attendees", "effective", "short_notice", "short_notice_reason"}
)


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
    "attendees",
    "effective",
    "short_notice",
    "short_notice_reason",
    "kind",
    "la_plan",
    "plan_approved",
    "order",
)


@dataclass(frozen=True, slots=True)
class Solicitor:
    name: str
    firm: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Child:
    """A child of the case. ``key`` is the exchange format's child ``id`` (version 3), which
    records name children by; ``id`` is the database row's id."""

    name: str
    date_of_birth: dt.date | None = None
    expected_birth: dt.date | None = None
    la_child_id: str | None = None
    key: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

    @property
    def unborn(self) -> bool:
        return self.expected_birth is not None


@dataclass(frozen=True, slots=True)
class ChildLink:
    """One person's tie to one child (version 3): how they are related, and whether they
    hold parental responsibility for that child."""

    child: str
    relationship: str
    parental_responsibility: bool


@dataclass(frozen=True, slots=True)
class Party:
    """A person in the case. ``children`` is None when the person's ``relationship`` and
    ``parental_responsibility`` hold for every child (the version 2 meaning); otherwise it
    lists their tie to each child they are tied to, and they hold PR for exactly the
    children whose link says so."""

    id: str
    name: str
    relationship: str
    parental_responsibility: bool
    address: tuple[str, ...] = ()
    address_confidential: bool | None = None
    language: str | None = None
    needs: str | None = None
    solicitor: Solicitor | None = None
    children: tuple[ChildLink, ...] | None = None
    row_id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class KeepApart:
    """The people in ``kept_from`` must not learn where ``protect`` lives or will be, nor
    anything recorded about them, and are never invited to the same meeting (the exchange
    format's APART, whose ``from`` is ``kept_from`` here)."""

    protect: str
    kept_from: tuple[str, ...]
    reason: str
    id: int | None = field(default=None, compare=False)
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
    # Version 3: who came to a meeting (None: not recorded) and whether it went ahead (None
    # means true, as the format's default); a short-notice application; a court hearing;
    # the court's final order.
    attendees: tuple[str, ...] | None = None
    effective: bool | None = None
    short_notice: bool | None = None
    short_notice_reason: str | None = None
    kind: str | None = None
    la_plan: str | None = None
    plan_approved: bool | None = None
    order: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)
    recorded_by: str | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        if self.type == "hearing" and self.kind:
            return HEARING_LABELS.get(self.kind, self.label_of_type)
        return self.label_of_type

    @property
    def label_of_type(self) -> str:
        return EVENT_LABELS.get(self.type, self.type)

    @property
    def went_ahead(self) -> bool:
        """False only for a meeting recorded as not having gone ahead (``effective``)."""
        return self.effective is not False


@dataclass(frozen=True, slots=True)
class Assessment:
    """An assessment; ``about`` the people assessed (empty: the household) and ``children``
    the children it concerns (empty: all)."""

    title: str
    commissioned: dt.date
    due: dt.date
    completed: dt.date | None = None
    about: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
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
    """A meeting booked for the future. ``attendees`` None means everyone who may meet
    everyone else (nobody kept apart from anyone); ``kind`` is a hearing's kind."""

    type: str
    date: dt.date
    time: dt.time | None = None
    place: str | None = None
    attendees: tuple[str, ...] | None = None
    kind: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        if self.type == "hearing" and self.kind:
            return HEARING_LABELS.get(self.kind, BOOKING_LABELS["hearing"])
        return BOOKING_LABELS.get(self.type, self.type)


@dataclass(frozen=True, slots=True)
class Concern:
    """What the council is worried about, in words the family will recognise.

    ``about`` names the people (party ids) it is about; empty means the whole household,
    so it goes to every recipient.
    """

    text: str
    about: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

    @property
    def household(self) -> bool:
        return not self.about

    def is_for(self, party_key: str) -> bool:
        """True when the concern belongs in ``party_key``'s letters."""
        return self.household or party_key in self.about


@dataclass(frozen=True, slots=True)
class Strength(Concern):
    """What is going well (version 3): the same shape as a concern, in the reader's letter
    under "what is going well"."""


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
    # Version 3: who is kept apart from whom, what is going well (same shape as a concern),
    # and the court's number once proceedings are issued.
    keep_apart: tuple[KeepApart, ...] = ()
    strengths: tuple[Strength, ...] = ()
    court_reference: str | None = None
    id: int | None = field(default=None, compare=False)
    version: int | None = field(default=None, compare=False)

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
        event.attendees or (),
        event.effective is False,
        event.kind or "",
        event.la_plan or "",
        event.order or "",
    )


def event_for_type(event: Event) -> Event:
    """The event with only the fields its type has (the others emptied)."""
    spec = EVENT_FIELDS.get(event.type, {})
    return replace(event, **{key: None for key in EVENT_EXTRA_FIELDS if key not in spec})
