"""Is a letter ready to go out?  What is missing, in plain words.

A letter that is not ready is not made (section 4 of the domain reference): it can only
be made as a draft, marked DRAFT on every page, which can never be recorded as sent.

For every letter: the council's details it prints (name, address, phone, our lawyer;
the default signatory when the case has no team manager).

For a letter before proceedings (any variant), for its reader:

* at least one specific worry: a concern about them or the whole household recorded on
  the case, or one typed for this letter (the council's default sentences do not count);
* at least one change with a date: a plan action not yet done, for them or the whole
  household (the action to read the letter with them does not count);
* the help we will give: the support on one of those actions, or an assessment under way;
* their meeting: a booking the reader attends (``privacy.may_give``: never one where
  someone kept apart from them, or someone with a confidential address, will be), with its
  date, time and place, at least ``meeting_notice_days`` working days after the letter's
  date and on a working day; a time outside 08:00-18:00 only once confirmed for the letter.
  A separate meeting given for the letter is booked on the case first (the letter service),
  so the letter never promises a meeting the case does not hold.

Other letters need the case to be in the matching state: a letter of issue once
proceedings are issued; an outcome letter once the case has stepped down without court;
a review invitation with a review meeting booked (as above, with date, time and place);
the unborn-baby letter with a baby not yet born; a plan summary with plan actions for the
reader or the household.

A person who needs letters read with them ("read aloud", dyslexia, a learning
disability...) gets an action on the case: someone reads the letter with them, by a date
before their meeting (``reading_action``).

Pure: no database, no Qt.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from plo_tracker.domain import family, meetings
from plo_tracker.domain.dates import long_date, short_date
from plo_tracker.domain.model import Booking, CaseHistory, Event, Party, PlanAction
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.letters.deadlines import hearing_problem
from plo_tracker.letters.options import CouncilDetails, LetterOptions
from plo_tracker.letters.privacy import UNBORN_KINDS, guarded, may_give
from plo_tracker.letters.reader_view import ReaderView, view_for
from plo_tracker.letters.templates import TemplateSpec

READING_NEED = re.compile(
    r"\b(read\w*|aloud|dyslexi\w*|literacy|learning disabilit\w*|easy[- ]?read|"
    r"blind\w*|sight|partially sighted|visual\w*)\b",
    re.IGNORECASE,
)
READING_ACTION = re.compile(r"^Go through our letter of .+ with your social worker$")
READING_SUPPORT = "Your social worker will read it with you and explain it"
READING_DAYS = 3  # working days after the letter's date


def needs_reading_help(party: Party) -> bool:
    """True when the person's recorded needs say letters must be read with them."""
    return bool(party.needs and READING_NEED.search(party.needs))


EASY_READ_NEED = re.compile(
    r"\b(easy[- ]?read\w*|learning (disabilit|difficult)\w*)", re.IGNORECASE
)


def needs_easy_read(party: Party) -> bool:
    """True when the person's recorded needs say they need easy-read letters (easy read, a
    learning disability or difficulty): they get the easy-read version of every letter
    unless their letter preference says standard."""
    return bool(party.needs and EASY_READ_NEED.search(party.needs))


def is_reading_action(action: PlanAction) -> bool:
    return bool(READING_ACTION.match(action.action))


def open_reading_action(
    case: CaseHistory, reader: Party, day: dt.date | None = None
) -> PlanAction | None:
    """The reader's open action to go through a letter with them (due on or after ``day``,
    when given: one due before a later letter's date was for an earlier letter)."""
    found = [
        a
        for a in case.plan_actions
        if a.party == reader.id
        and a.completed is None
        and is_reading_action(a)
        and (day is None or a.due >= day)
    ]
    return min(found, key=lambda a: a.due, default=None)


def reading_action(
    case: CaseHistory,
    reader: Party,
    letter_day: dt.date,
    calendar: WorkingCalendar,
    meeting_day: dt.date | None,
) -> PlanAction | None:
    """The action to add for a reader who needs letters read with them (None when they do
    not, or already have one open): by ``READING_DAYS`` working days after the letter, and
    before their meeting."""
    if not needs_reading_help(reader) or open_reading_action(case, reader, letter_day):
        return None
    due = calendar.add_working_days(letter_day, READING_DAYS)
    if meeting_day is not None and meeting_day > letter_day:
        due = min(due, meeting_day - dt.timedelta(days=1))
    due = max(due, letter_day)
    return PlanAction(
        action=f"Go through our letter of {short_date(letter_day)} with your social worker",
        due=due,
        party=reader.id,
        support=READING_SUPPORT,
    )


# -- meetings ----------------------------------------------------------------------------------


def next_booking(
    case: CaseHistory, types: Sequence[str], after: dt.date, reader: Party | None = None
) -> Booking | None:
    """The first booking of these types dated after ``after`` (the letter's date); with a
    reader, the first one their letter may give (``privacy.may_give``)."""
    upcoming = [
        b
        for b in case.scheduled
        if b.type in types and b.date > after and (reader is None or may_give(case, reader, b))
    ]
    return min(upcoming, key=lambda b: (b.date, b.time or dt.time.min), default=None)


@dataclass(frozen=True, slots=True)
class ReaderMeeting:
    """The meeting a reader's letter gives: a booking on the case they attend."""

    date: dt.date
    time: dt.time | None
    place: str | None
    type: str
    separate: bool  # booked for some of the people only (attendees listed)
    booking: Booking | None = None


def with_given_meeting(
    case: CaseHistory, reader: Party, spec: TemplateSpec, options: LetterOptions
) -> CaseHistory:
    """The case with the separate meeting given for this letter as a booking for the reader
    (the letter service books it on the case before the letter is made)."""
    given = options.meeting
    if given is None or not spec.meetings:
        return case
    booking = Booking(spec.meetings[0], given.date, given.time, given.place, (reader.id,))
    if booking in case.scheduled:
        return case
    return replace(case, scheduled=(*case.scheduled, booking))


def reader_meeting(
    case: CaseHistory, reader: Party, spec: TemplateSpec, options: LetterOptions, day: dt.date
) -> ReaderMeeting | None:
    """The meeting this reader is invited to (None when there is none to give)."""
    if not spec.meetings:
        return None
    case = with_given_meeting(case, reader, spec, options)
    booking = next_booking(case, spec.meetings, day, reader)
    if booking is None:
        return None
    return ReaderMeeting(
        booking.date,
        booking.time,
        booking.place,
        booking.type,
        booking.attendees is not None,
        booking,
    )


# -- what is missing ---------------------------------------------------------------------------

MEETING_NAMES = {
    "pre_proceedings_meeting": "pre-proceedings meeting",
    "review_meeting": "review meeting",
}


def _reader_actions(view: ReaderView) -> list[PlanAction]:
    return [a for a in view.actions if a.completed is None and not is_reading_action(a)]


def _ended(case: CaseHistory, day: dt.date) -> Event | None:
    """The event that ended the case, when it ended after its latest start (else None)."""
    starts = [
        e.date
        for e in case.events
        if e.type == "legal_planning_meeting"
        and e.outcome in ("pre_proceedings", "issue_proceedings")
        and e.date <= day
    ]
    ends = [
        e for e in case.events if e.type in ("stepped_down", "proceedings_issued") and e.date <= day
    ]
    last = max(ends, key=lambda e: e.date, default=None)
    if last is None or (starts and max(starts) > last.date):
        return None
    return last


def _meeting_problem(
    case: CaseHistory,
    reader: Party,
    spec: TemplateSpec,
    options: LetterOptions,
    day: dt.date,
    policy: Policy,
    calendar: WorkingCalendar,
) -> str | None:
    kind = MEETING_NAMES.get(spec.meetings[0], "meeting")
    meeting = reader_meeting(case, reader, spec, options, day)
    others = guarded(case, reader)
    names = " and ".join(p.name for p in others)
    if meeting is None:
        shared = next_booking(case, spec.meetings, day)
        if others and shared is not None:
            why = (
                "has a confidential address"
                if all(p.address_confidential for p in others)
                else f"must be kept apart from {reader.name}"
            )
            return (
                f"their own {kind}: {names} {why} and may be at the one booked, so this "
                "letter cannot give it (it would say where and when they will be). Book a "
                "separate meeting for this person, in the case or by giving its date, time "
                "and place for this letter"
            )
        return f"a {kind} booked after the letter's date ({long_date(day)})"
    if meeting.booking is not None:
        for other in case.scheduled:
            if other is meeting.booking or other == meeting.booking:
                continue
            if (
                other.type == meeting.booking.type
                and other.date == meeting.date
                and meeting.time is not None
                and other.time == meeting.time
                and not may_give(case, reader, other)
                and any(p.id in family.attendees(case, other.attendees) for p in others)
            ):
                return (
                    f"their separate {kind} is at the same date and time as the booked one, "
                    f"which {names} may be at; choose another time"
                )
    lacking = [
        word for word, value in (("time", meeting.time), ("place", meeting.place)) if not value
    ]
    if lacking:
        return f"the {' and '.join(lacking)} of the {kind} on {long_date(meeting.date)}" + (
            " (given for this letter)" if options.meeting else " (add it to the booking)"
        )
    if spec.before_proceedings and meeting.booking is not None:
        problem = meetings.notice_problem(meeting.booking, day, policy, calendar)
        if problem:
            return f"a {kind} that gives notice: {problem}"
        if meetings.out_of_hours(meeting.booking) and not options.confirmed_hours:
            time = meeting.time.strftime("%H:%M") if meeting.time else ""
            return (
                f"a confirmed time for the {kind}: {time} is outside 08:00 to 18:00 (confirm "
                "it for this letter if it is right)"
            )
    return None


def missing_items(
    case: CaseHistory,
    reader: Party,
    spec: TemplateSpec,
    *,
    council: CouncilDetails,
    options: LetterOptions,
    today: dt.date,
    policy: Policy | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[str]:
    """Everything this letter still needs before it may go out, in plain words ([] = ready).

    ``policy`` and ``calendar`` give the notice a meeting needs (the product defaults and
    bank holidays only, when not given)."""
    day = options.letter_date or today
    policy = policy or Policy()
    calendar = calendar or WorkingCalendar()
    view = view_for(case, reader, unborn_only=spec.kind in UNBORN_KINDS)
    name = reader.name
    missing: list[str] = []
    kind = spec.kind
    if spec.before_proceedings:
        if not any(
            e.type == "legal_planning_meeting" and e.outcome == "pre_proceedings" and e.date <= day
            for e in case.events
        ):
            missing.append(
                "the start of pre-proceedings: no legal planning meeting decided to start "
                f"pre-proceedings on or before the letter's date ({long_date(day)})"
            )
        ended = _ended(case, day)
        if ended is not None:
            missing.append(
                "a case in pre-proceedings: this one has ended ("
                + (
                    "proceedings were issued"
                    if ended.type == "proceedings_issued"
                    else "it stepped down"
                )
                + f" on {long_date(ended.date)}), so a letter before proceedings does not fit it"
            )
        if not view.concerns and not options.worries:
            missing.append(
                f"what we are worried about: no worry is recorded about {name} or the whole "
                "household (add one to the case)"
            )
        actions = _reader_actions(view)
        if not actions:
            missing.append(
                f"what must change: no plan action with a date for {name} or the whole household"
            )
        open_assessments = [a for a in view.assessments if a.completed is None]
        if not any(a.support for a in actions) and not open_assessments:
            missing.append(
                "the help we will give: no plan action for them or the household says what "
                "help we give, and no assessment is under way"
            )
        problem = _meeting_problem(case, reader, spec, options, day, policy, calendar)
        if problem:
            missing.append(problem)
        unborn = any(child.unborn for child in case.children)
        if kind == "letter_before_proceedings_unborn" and not unborn:
            missing.append(
                "a baby not yet born: this case has none, so use the letter before proceedings"
            )
    elif kind == "letter_of_issue":
        if hearing_problem(options, day):
            missing.append(hearing_problem(options, day))
        if not any(e.type == "proceedings_issued" and e.date <= day for e in case.events):
            missing.append(
                "proceedings issued: a letter of issue can only be made once the case records "
                f"that proceedings were issued (on or before {long_date(day)})"
            )
    elif kind == "outcome_letter":
        ends = [
            e
            for e in case.events
            if e.type in ("stepped_down", "proceedings_issued") and e.date <= day
        ]
        last = max(ends, key=lambda e: (e.date, e.type == "stepped_down"), default=None)
        if last is None:
            missing.append(
                "the end of the case: an outcome letter can only be made once the case has "
                "stepped down without court (this case is still open)"
            )
        elif last.type != "stepped_down":
            missing.append(
                "an end without court: proceedings were issued, so a letter saying we will not "
                "go to court does not fit this case"
            )
    elif kind == "review_invitation":
        problem = _meeting_problem(case, reader, spec, options, day, policy, calendar)
        if problem:
            missing.append(problem)
    elif kind == "plan_summary" and not view.actions:
        missing.append(f"a plan: no plan action is recorded for {name} or the whole household")
    details = council.missing_for(has_team_manager=bool(case.team_manager))
    if details:
        missing.append(
            "the council's details: " + ", ".join(details) + " (set them in the letter settings)"
        )
    return missing


# -- telling the user --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterReadiness:
    """One letter of a request, and what it still needs before it may go out."""

    case_reference: str
    recipient_key: str
    recipient_name: str
    relationship: str
    template: str
    template_title: str
    missing: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.missing


DRAFT_HINT = (
    "Add what is missing to the case (or the letter settings) and make the letters again. To "
    "prepare a letter before then, make it as a draft: a draft is marked DRAFT on every page "
    "and can never be recorded as sent."
)


def not_ready_message(letters: Sequence[LetterReadiness]) -> str:
    """One message listing everything missing, letter by letter, in plain words."""
    waiting = [letter for letter in letters if letter.missing]
    out = [
        f"No letters were made: {len(waiting)} of {len(letters)} "
        f"{'letter is' if len(letters) == 1 else 'letters are'} not ready to send."
    ]
    for letter in waiting:
        who = letter.relationship
        if letter.recipient_key != letter.relationship:
            who += f", ID {letter.recipient_key}"
        out.append(
            f"Case {letter.case_reference}, {letter.template_title.lower()} to "
            f"{letter.recipient_name} ({who}) needs:"
        )
        out.extend(f"  - {item}" for item in letter.missing)
    out.append(DRAFT_HINT)
    return "\n".join(out)
