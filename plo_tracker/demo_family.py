"""What the demo data needs for letters and version 2 of the format: each family's worries,
the answers to the family meeting offer, and what a letter before proceedings proposes.

Each part uses its own random stream (seeded by the case number), so the rest of the demo
data stays exactly as it was.  All fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from plo_tracker.domain.model import Booking, CaseHistory, Concern, Event, Party, PlanAction
from plo_tracker.domain.working_days import WorkingCalendar

# What the council is worried about, in words a family recognises (all fictional).
HOUSEHOLD_CONCERNS = (
    "The children have missed many school days this term.",
    "When we visited, the home often had no food or heating.",
    "The children have seen adults at home shouting and fighting.",
    "The children have often been left without an adult to look after them.",
)
PERSONAL_CONCERNS: dict[str, tuple[str, ...]] = {
    "mother": (
        "You have told us you are finding it hard to stop drinking.",
        "You have told us you feel very low and some days cannot get out of bed.",
        "You have been using drugs while looking after the children.",
    ),
    "father": (
        "The police were called to the home twice after you hurt the children's mother.",
        "You have been using drugs while looking after the children.",
        "You have not come to most of the meetings about the children.",
    ),
}
FGDM_NOT_OFFERED_RATIONALE = (
    "A family meeting would tell the father where the mother and children now live; "
    "that is not safe for them."
)


# What the letter before proceedings proposes, for cases waiting for it (all fictional).
PROPOSED_ACTIONS = (
    ("Go to every appointment with the drug and alcohol team", "We will pay for bus travel"),
    ("Go to the parenting course on Tuesdays", "We will book and pay for the course"),
    ("Go to the domestic abuse programme each week", "Free creche while you attend"),
    ("Let the social worker visit and see the children alone", "Visits at times that suit you"),
)
HOUSEHOLD_ACTIONS = (
    ("Take the children to school on time every day", "Breakfast club place paid for"),
    ("Keep the house safe and warm for the children", "Family support worker visits weekly"),
)
LETTER_STAGE = frozenset({"letter_overdue", "letter_soon"})


def letter_stage_plan(
    case: CaseHistory, index: int, today: dt.date, cal: WorkingCalendar, scenario: str
) -> CaseHistory:
    """Cases waiting for their letter before proceedings: what it proposes and its meeting.

    A letter before proceedings is made only when ready: a worry for each reader (the
    concerns above), a change with a date and the help for each (proposed plan actions,
    due well after the warning window so no drift flag changes), and the pre-proceedings
    meeting booked after the letter.  A separate random stream keeps every other part of
    the demo data as it was.
    """
    started = any(
        e.type == "legal_planning_meeting" and e.outcome == "pre_proceedings" for e in case.events
    )
    sent = any(e.type == "letter_before_proceedings" for e in case.events)
    if scenario not in LETTER_STAGE or not started or sent:
        return case
    rng = random.Random(f"plo-demo-letters-{index}")
    actions: list[PlanAction] = []
    for party in (p for p in case.parties if p.parental_responsibility):
        what, support = rng.choice(PROPOSED_ACTIONS)
        due = today + dt.timedelta(weeks=rng.randint(6, 10))
        actions.append(PlanAction(what, due, party=party.id, support=support))
    what, support = rng.choice(HOUSEHOLD_ACTIONS)
    actions.append(PlanAction(what, today + dt.timedelta(weeks=rng.randint(4, 8)), None, support))
    meeting = cal.add_working_days(today, rng.randint(7, 10))
    booking = Booking(
        "pre_proceedings_meeting",
        meeting,
        dt.time(rng.choice((10, 11, 14))),
        rng.choice(("Shirehall, Meeting Room 3", "Family Centre, Room 2")),
    )
    return replace(
        case,
        plan_actions=(*case.plan_actions, *actions),
        scheduled=(*case.scheduled, booking),
    )


def family_meetings_and_concerns(
    case: CaseHistory, index: int, today: dt.date, cal: WorkingCalendar, scenario: str
) -> CaseHistory:
    """What version 2 of the format adds: worries, and the family meeting offer's answers.

    A separate random stream (seeded by the case number) leaves everything the earlier
    demo data had exactly as it was.
    """
    rng = random.Random(f"plo-demo-v2-{index}")
    pr = [p for p in case.parties if p.parental_responsibility]
    concerns = _concerns(pr, rng)
    events = list(case.events)
    letters = [e for e in events if e.type == "letter_before_proceedings"]
    if letters and scenario == "fgc_not_referred":
        events = _meeting_not_offered(case, events, letters, rng)
    elif letters:
        events += _answers(events, letters, rng, today, cal)
        decided = any(e.type == "decision_to_issue" for e in events)
        if scenario == "issue_overdue" and decided and rng.random() < 0.6:
            events = _accepted_before_court(events, letters, pr, cal)
    return replace(
        case, events=tuple(sorted(events, key=lambda e: e.date)), concerns=tuple(concerns)
    )


def _concerns(pr: list[Party], rng: random.Random) -> list[Concern]:
    """A worry about the household, and one about each parent with PR."""
    concerns = [Concern(rng.choice(HOUSEHOLD_CONCERNS))]
    for party in pr:
        texts = PERSONAL_CONCERNS.get(party.relationship)
        if texts:
            concerns.append(Concern(rng.choice(texts), about=(party.id,)))
    return concerns


def _meeting_not_offered(
    case: CaseHistory, events: list[Event], letters: list[Event], rng: random.Random
) -> list[Event]:
    """No family meeting offered: half of these have a manager's decision saying why."""
    events = [replace(e, fgdm_offered=False) if e in letters else e for e in events]
    if rng.random() < 0.5:
        events.append(
            Event(
                "fgdm_not_offered",
                letters[0].date,
                decided_by=case.team_manager or "Team Manager",
                rationale=FGDM_NOT_OFFERED_RATIONALE,
            )
        )
    return events


def _answers(
    events: list[Event],
    letters: list[Event],
    rng: random.Random,
    today: dt.date,
    cal: WorkingCalendar,
) -> list[Event]:
    """Most readers answer the offer within a week: most accept, unless the family declined
    the conference."""
    declined_fgc = any(e.type == "fgc_declined" for e in events)
    answers = []
    for letter in letters:
        answered = cal.add_working_days(letter.date, rng.randint(1, 5))
        if letter.party is None or answered > today or rng.random() < 0.15:
            continue
        accepted = rng.random() < 0.65 and not declined_fgc
        response = "accepted" if accepted else "declined"
        answers.append(Event("fgdm_response", answered, party=letter.party, response=response))
    return answers


def _accepted_before_court(
    events: list[Event], letters: list[Event], pr: list[Party], cal: WorkingCalendar
) -> list[Event]:
    """Accepted, not yet held, and the council has decided to go to court."""
    events = [e for e in events if e.type not in ("fgc_held", "fgc_declined")]
    if not any(e.type == "fgc_referral" for e in events):
        events.append(Event("fgc_referral", cal.add_working_days(letters[0].date, 2)))
    if not any(e.type == "fgdm_response" and e.response == "accepted" for e in events):
        events.append(
            Event(
                "fgdm_response",
                cal.add_working_days(letters[0].date, 1),
                party=letters[0].party or (pr[0].id if pr else None),
                response="accepted",
            )
        )
    return [e for e in events if e.type != "fgdm_response" or e.party is not None]
