"""The family group decision-making duty in the timeliness report (domain reference s.3).

Two rows, shown once the council has set ``fgdm_duty_from``: whether the letters offered
the meeting, and whether a meeting someone accepted was held before the application to
court. The facts come from the same records as the drift rules and the census
(``letter_before_proceedings.fgdm_offered``, ``fgdm_not_offered``, ``fgdm_response``,
``fgc_held``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from plo_tracker.reports.episode import Episode
from plo_tracker.reports.figures import Figure, refs

# Whether the letters offered a family group decision-making (FGDM) meeting.
FGDM_OFFERED = "offered"
FGDM_NOT_OFFERED = "not_offered"  # every letter says fgdm_offered false, no decision
FGDM_DECIDED_NOT_TO_OFFER = "decided_not_to_offer"  # a best-interests decision is recorded
FGDM_NO_LETTER = "no_letter"


@dataclass(frozen=True, slots=True)
class Fgdm:
    """The family group decision-making duty's facts of one case (domain reference s.3)."""

    offer: str
    letter: dt.date | None  # the first letter before proceedings
    accepted: dt.date | None  # the earliest acceptance of the offer
    decision: dt.date | None  # the earliest decision to issue
    held: dt.date | None  # the first family group conference on or after the acceptance
    applied: dt.date | None  # proceedings issued

    @property
    def held_before_application(self) -> bool:
        return self.held is not None and (self.applied is None or self.held <= self.applied)

    def to_json(self) -> dict[str, Any]:
        def day(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "offer": self.offer,
            "letter": day(self.letter),
            "accepted": day(self.accepted),
            "decision": day(self.decision),
            "held": day(self.held),
            "applied": day(self.applied),
        }


class FgdmRow(Protocol):
    """A report row carrying a case's duty facts (the timeliness report's ``CaseTimeliness``)."""

    @property
    def reference(self) -> str: ...

    @property
    def fgdm(self) -> Fgdm | None: ...


def fgdm_facts(episode: Episode) -> Fgdm:
    letters = episode.all("letter_before_proceedings")
    if not letters:
        offer = FGDM_NO_LETTER
    elif any(letter.fgdm_offered is not False for letter in letters):
        offer = FGDM_OFFERED  # the format's default is true
    elif episode.has("fgdm_not_offered"):
        offer = FGDM_DECIDED_NOT_TO_OFFER
    else:
        offer = FGDM_NOT_OFFERED
    accepted = [e for e in episode.all("fgdm_response") if e.response == "accepted"]
    acceptance = accepted[0].date if accepted else None
    decisions = episode.decisions_to_issue()
    held = [
        e.date for e in episode.all("fgc_held") if acceptance is not None and e.date >= acceptance
    ]
    issued = episode.first("proceedings_issued")
    return Fgdm(
        offer=offer,
        letter=letters[0].date if letters else None,
        accepted=acceptance,
        decision=decisions[0].date if decisions else None,
        held=held[0] if held else None,
        applied=issued.date if issued else None,
    )


def fgdm_figures(rows: Sequence[FgdmRow], duty_from: dt.date) -> list[Figure]:
    """The two duty rows, once the council has set the day the duty starts."""
    facts = [(r, r.fgdm) for r in rows if r.fgdm is not None]
    lettered = [(r, f) for r, f in facts if f.letter is not None and f.letter >= duty_from]
    offered = [r for r, f in lettered if f.offer == FGDM_OFFERED]
    not_offered = [r for r, f in lettered if f.offer == FGDM_NOT_OFFERED]
    decided = [r for r, f in lettered if f.offer == FGDM_DECIDED_NOT_TO_OFFER]
    due = [
        (r, f)
        for r, f in facts
        if f.accepted is not None and f.decision is not None and f.decision >= duty_from
    ]
    held = [r for r, f in due if f.held_before_application]
    return [
        Figure(
            key="fgdm_offered",
            label="FGDM offered: a family group decision-making meeting offered in the letter",
            count=len(offered),
            denominator=len(offered) + len(not_offered),
            cases=refs(offered),
            shortfall=refs(not_offered),
            excluded=refs(decided),
            shortfall_label="no offer and no decision that an offer is not in the child's "
            "best interests",
            note=f"Cases whose first letter before proceedings is on or after "
            f"{duty_from.isoformat()}, the day the duty starts; cases with a recorded "
            "decision not to offer are left out.",
        ),
        Figure(
            key="fgdm_held_before_application",
            label="FGDM held before application: an accepted meeting held before the court "
            "application",
            count=len(held),
            denominator=len(due),
            cases=refs(held),
            shortfall=refs(r for r, f in due if not f.held_before_application),
            shortfall_label="accepted, and not held before the application",
            note="Cases where someone accepted the offer and the council decided to issue on "
            f"or after {duty_from.isoformat()}; held means a family group conference on or "
            "after the earliest acceptance and, once issued, on or before the issue.",
        ),
    ]
