"""The values a letter's fields take, for one case and one reader.

Everything here is plain text, yes/no, numbers, lists and ``Record`` (a dict whose
keys are the attributes listed in the field catalogue), so a sandboxed template can
read it and reach nothing else.  An optional record that is absent (no meeting
booked, no solicitor) is ``Missing``: false in ``{% if meeting %}``, and printing one
of its attributes is refused with a message naming the field.

A letter is about its reader only (sections 4 and 6 of the domain reference; the case as
the reader may see it is ``letters.reader_view``):

* the children are those the reader is tied to; "your children" only the reader's own (a
  parent of, or PR for); a child they have no tie to is never named;
* the worries, strengths and assessments are those about the reader or about the household's
  children they are tied to (then worries typed for this one letter); the council's default
  sentences only fill a draft; nothing about a person the reader is kept apart from;
* what must change and the plan are the reader's own plan actions and the household's,
  never another person's; a date already past is never given as a deadline;
* only the reader's own address is given; other people appear by name and relationship,
  never those the reader is kept from or anyone living with them;
* a meeting is given only when the reader attends it and nobody kept apart from them, or
  with a confidential address, will be there (``letters.privacy``); the letter names the
  others coming only from the booking's attendees;
* what a person said (their answer to the family meeting offer) is theirs: ``fgdm_answer``
  is the reader's own answer;
* a reader without parental responsibility reads about the children by name, not "your
  children", and the templates give them the advice that fits them.

A text that would still say too much (a worry naming a child the reader has no tie to, or
someone living with a person they are kept from) refuses the letter, drafts included
(``PrivacyError``), naming the item to split or re-scope.

Where the case data has no field for something a letter must say, the value comes from
what the user typed when making the letter (``LetterOptions``), else from the council's
editable wording (``letters.wording``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from plo_tracker.domain import family
from plo_tracker.domain.dates import clock_time, long_date
from plo_tracker.domain.model import BOOKING_LABELS, CaseHistory, Child, Party, PlanAction
from plo_tracker.domain.policy import Policy
from plo_tracker.letters.deadlines import past_date_notes
from plo_tracker.letters.errors import PrivacyError
from plo_tracker.letters.jargon import DEFAULT_TERMS
from plo_tracker.letters.options import (
    ENGLISH,
    ENGLISH_LANGUAGE_LINE,
    CouncilDetails,
    Hearing,
    LanguageLines,
    LetterOptions,
    Logo,
    SeparateMeeting,
    Wording,
    check_lines,
    language_key,
)
from plo_tracker.letters.privacy import (
    UNBORN_KINDS,
    address_parts,
    meetings_are_separate,
    recipients,
)
from plo_tracker.letters.reader_view import ReaderView, naming_problems, view_for, view_items
from plo_tracker.letters.readiness import (
    ReaderMeeting,
    is_reading_action,
    needs_reading_help,
    next_booking,
    open_reading_action,
    reader_meeting,
    with_given_meeting,
)
from plo_tracker.letters.templates import TemplateSpec

__all__ = [
    "ENGLISH",
    "CouncilDetails",
    "Hearing",
    "LanguageLines",
    "LetterOptions",
    "Logo",
    "Missing",
    "Record",
    "SeparateMeeting",
    "Wording",
    "address_parts",
    "build_context",
    "check_lines",
    "letter_notes",
    "next_booking",
    "recipients",
]

MEETING_KINDS = {
    "pre_proceedings_meeting": "meeting",
    "review_meeting": "review meeting",
    "fgc": "family group conference",
}
PLAN_NAMES = {
    "child_protection": "child protection plan",
    "child_in_need": "child in need plan",
    "no_further_action": "",
}
# Plain descriptions of common assessments that are not in the jargon list (assessments are
# the case's, not one person's, so the wording names nobody).
ASSESSMENT_PLAIN = {
    "viability assessment": "a check that a relative could care for the children",
    "hair strand test": "a test of a small piece of hair that shows drug or alcohol use",
    "parenting assessment": "a check of the care the children get",
    "psychological assessment": "talks with a psychologist about how a person feels",
    "special guardianship assessment": "a check that a relative could bring up the child",
    "drug and alcohol test": "a test that shows drug or alcohol use",
}


class Record(dict[str, Any]):
    """A group of fields (``meeting.date``); ``_path`` names it in error messages."""

    __slots__ = ("_path",)

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        super().__init__(values)
        self._path = path

    @property
    def field_path(self) -> str:
        return self._path


class Missing:
    """An optional record with no value for this letter (false in ``{% if %}``)."""

    __slots__ = ("_field", "_reason")

    def __init__(self, field_name: str, reason: str) -> None:
        self._field = field_name
        self._reason = reason

    @property
    def field_name(self) -> str:
        return self._field

    @property
    def reason(self) -> str:
        return self._reason

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"Missing({self._field!r})"


# -- building the fields -----------------------------------------------------------------------


def join_names(names: Sequence[str]) -> str:
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _sentence(text: str) -> str:
    """Plan text as a list item: no final full stop (templates add their own punctuation)."""
    return " ".join(text.split()).rstrip(" .;,")


def assessment_plain(title: str) -> str:
    lowered = title.lower()
    for name, plain in ASSESSMENT_PLAIN.items():
        if name in lowered:
            return plain
    for term in DEFAULT_TERMS:
        if term.find(title):
            return term.suggestion
    return ""


def _meeting(path: str, meeting: ReaderMeeting) -> Record:
    return Record(
        path,
        {
            "kind": MEETING_KINDS.get(meeting.type, meeting.type.replace("_", " ")),
            "date": long_date(meeting.date),
            "time": clock_time(meeting.time) if meeting.time else "",
            "place": meeting.place or "",
        },
    )


def fgc_status(case: CaseHistory, booked: bool) -> str:
    latest = None
    for event in case.events:
        if event.type in ("fgc_referral", "fgc_held", "fgc_declined") and (
            latest is None or event.date >= latest.date
        ):
            latest = event
    if latest is not None and latest.type == "fgc_held":
        return "held"
    if latest is not None and latest.type == "fgc_declined":
        return "declined"
    if booked:
        return "booked"
    return "referred" if latest is not None else ""


def fgdm_answer(case: CaseHistory, reader: Party, day: dt.date) -> str:
    """The reader's own latest answer to the family meeting offer, up to the letter's date."""
    answers = [
        e
        for e in case.events
        if e.type == "fgdm_response" and e.party == reader.id and e.date <= day
    ]
    latest = max(answers, key=lambda e: e.date, default=None)
    return (latest.response or "") if latest is not None else ""


def _action(path: str, action: PlanAction, reader: Party, day: dt.date) -> Record:
    late = action.completed is None and action.due < day
    return Record(
        path,
        {
            "who": "You" if action.party == reader.id else "Everyone",
            "what": _sentence(action.action),
            "support": _sentence(action.support or ""),
            "due": long_date(action.due),
            "done": action.completed is not None,
            "done_on": long_date(action.completed) if action.completed else "",
            "mine": action.party == reader.id,
            "late": late,
            # Never a past date as a deadline: "by Friday 3 May 2024" or, once that has
            # passed, "this was due on Friday 3 May 2024; it is not done yet".
            "when": f"this was due on {long_date(action.due)}; it is not done yet"
            if late
            else f"by {long_date(action.due)}",
        },
    )


def _names(children: Sequence[Child]) -> str:
    return join_names([c.name for c in children])


def children_phrase(view: ReaderView) -> str:
    """How the letter speaks of the reader's children: "your child", "your children" or
    "your baby" for their own (a parent of, or PR for); the child's name, "the children" or
    "the baby" for others; "your child Alfie and Ruby" when some are theirs and some not."""
    tied, own = view.children, view.own
    if not tied:
        return "the children"
    only_unborn = len(tied) == 1 and tied[0].unborn
    if len(own) == len(tied):
        if only_unborn:
            return "your baby"
        return "your child" if len(tied) == 1 else "your children"
    if not own:
        if only_unborn:
            return "the baby"
        return tied[0].name if len(tied) == 1 else "the children"
    mine_ids = {id(c) for c in own}
    others = [c for c in tied if id(c) not in mine_ids]
    mine = ("your child " if len(own) == 1 else "your children ") + _names(own)
    return f"{mine} and {_names(others)}"


def language_line(reader: Party, lines: LanguageLines, phone: str) -> str:
    if not language_key(reader.language):
        return ""
    line = lines.line_for(reader.language) or ENGLISH_LANGUAGE_LINE
    return line.replace("{phone}", phone)


def build_context(
    case: CaseHistory,
    reader: Party,
    spec: TemplateSpec,
    *,
    council: CouncilDetails,
    wording: Wording,
    options: LetterOptions,
    today: dt.date,
    language_lines: LanguageLines | None = None,
    logo: Logo | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Every field of the catalogue, for ``reader``'s letter about ``case``.

    Raises ``PrivacyError`` when a text the letter would print says too much for this
    reader (``reader_view.naming_problems``)."""
    policy = policy or Policy()
    letter_day = options.letter_date or today
    case = with_given_meeting(case, reader, spec, options)
    view = view_for(case, reader, unborn_only=spec.kind in UNBORN_KINDS)
    problems = naming_problems(case, view, view_items(view, options.worries))
    if problems:
        raise PrivacyError(
            f"The letter to {reader.name} was not made, drafts included: "
            + "; ".join(problems)
            + "."
        )
    tied = view.children
    unborn = [c for c in tied if c.unborn]
    children_text = _names(tied)
    your_children = children_phrase(view)
    baby = your_children in ("your baby", "the baby")
    named_children = your_children if baby else children_text
    has_pr = family.has_pr(case, reader)
    own_ids = {id(c) for c in view.own}

    def fill(lines: Sequence[str]) -> list[str]:
        return [line.replace("{children}", named_children) for line in lines]

    open_actions = sorted(
        (a for a in view.actions if a.completed is None and not is_reading_action(a)),
        key=lambda a: (a.due, a.action),
    )
    changes = [_action("changes[]", a, reader, letter_day) for a in open_actions]
    help_now: list[str] = []
    for item in changes:
        if item["support"] and item["support"] not in help_now:
            help_now.append(item["support"])
    in_order = sorted(view.actions, key=lambda a: (a.due, a.party or "", a.action))
    plan = [_action("plan[]", a, reader, letter_day) for a in in_order]
    my_plan = [_action("my_plan[]", a, reader, letter_day) for a in in_order]
    assessments = [
        Record(
            "assessments[]",
            {
                "title": _sentence(a.title),
                "plain": assessment_plain(a.title),
                "started": long_date(a.commissioned),
                "due": long_date(a.due),
                "done": a.completed is not None,
                "done_on": long_date(a.completed) if a.completed else "",
                "late": a.completed is None and a.due < letter_day,
            },
        )
        for a in sorted(view.assessments, key=lambda a: (a.due, a.title))
    ]
    meeting = reader_meeting(case, reader, spec, options, letter_day)
    separate = meetings_are_separate(case)
    fgc_booking = next_booking(case, ("fgc",), letter_day, reader)
    stepped = [e for e in case.events if e.type == "stepped_down"]
    step_down_to = (max(stepped, key=lambda e: e.date).to or "") if stepped else ""
    solicitor = reader.solicitor
    hearing = options.hearing
    language = (reader.language or "").strip()
    reading = open_reading_action(case, reader, letter_day) if needs_reading_help(reader) else None
    worker = case.social_worker
    worries = [c.text for c in view.concerns] + list(options.worries)
    coming: list[Party] = []
    booked = meeting.booking if meeting is not None else None
    if booked is not None and (booked.attendees is not None or not separate):
        present = family.attendees(case, booked.attendees)
        coming = [p for p in view.others if p.id in present and family.has_pr(case, p)]

    return {
        "letter_date": long_date(letter_day),
        "council_name": council.name,
        "council_address": list(council.address),
        "council_phone": council.phone,
        "council_email": council.email,
        "lawyer_name": council.lawyer_name,
        "lawyer_phone": council.lawyer_phone,
        "lawyer_email": council.lawyer_email,
        "signed_by": case.team_manager or council.signatory,
        "signed_by_role": "Team manager" if case.team_manager else council.signatory_role,
        "council_logo": logo if logo else "",
        "find_solicitor": list(wording.find_solicitor),
        "advice_line": list(wording.advice_line),
        "case_reference": case.reference,
        "court_reference": case.court_reference or "",
        "team": case.team or "",
        "social_worker": worker or "",
        "team_manager": case.team_manager or "",
        "legal_liaison": case.legal_liaison or "",
        "children": [
            Record(
                "children[]",
                {
                    "name": c.name,
                    "born": long_date(c.date_of_birth) if c.date_of_birth else "",
                    "due": long_date(c.expected_birth) if c.expected_birth else "",
                    "unborn": c.unborn,
                    "yours": id(c) in own_ids,
                },
            )
            for c in tied
        ],
        "children_names": children_text,
        "child_count": len(tied),
        "one_child": len(tied) == 1,
        "your_children": your_children,
        "the_baby": "your baby" if any(id(c) in own_ids for c in unborn) else "the baby",
        "unborn": bool(unborn),
        "born_children": any(not c.unborn for c in tied),
        "baby_due": long_date(unborn[0].expected_birth)
        if unborn and unborn[0].expected_birth
        else "",
        "recipient_key": reader.id,
        "recipient_name": reader.name,
        "recipient_relationship": reader.relationship,
        "recipient_address": list(reader.address),
        "recipient_address_line": ", ".join(reader.address),
        "recipient_has_pr": has_pr,
        "recipient_language": "" if not language_key(language) else language,
        "language_line": language_line(reader, language_lines or LanguageLines(), council.phone),
        "reading_help": (
            f"{worker + ', your social worker,' if worker else 'Your social worker'} will "
            f"read this letter with you by {long_date(reading.due)}."
        )
        if reading is not None
        else "",
        "fgdm_answer": fgdm_answer(case, reader, letter_day),
        "solicitor": Record(
            "solicitor",
            {
                "name": solicitor.name,
                "firm": solicitor.firm or "",
                "phone": solicitor.phone or "",
                "email": solicitor.email or "",
            },
        )
        if solicitor is not None
        else Missing("solicitor", "no solicitor is recorded for this person"),
        "other_parties": [
            Record(
                "other_parties[]",
                {
                    "name": p.name,
                    "relationship": p.relationship,
                    "has_pr": family.has_pr(case, p),
                },
            )
            for p in view.others
        ],
        "worries": worries or fill(wording.worries),
        "worries_given": bool(worries),
        "strengths": [s.text for s in view.strengths],
        "changes": changes,
        "help_now": help_now,
        "help_given": fill(options.help_given or wording.help_given),
        "assessments": assessments,
        "open_assessments": [a for a in assessments if not a["done"]],
        "my_plan": my_plan,
        "plan": plan,
        "stage_weeks": policy.duration_weeks,
        "next_review": _next_review(case, reader, meeting, letter_day, policy),
        "meeting": _meeting("meeting", meeting)
        if meeting is not None
        else Missing("meeting", "no meeting for this person is booked after the letter's date"),
        "meeting_separate": separate,
        "meeting_with": [
            Record("meeting_with[]", {"name": p.name, "relationship": p.relationship})
            for p in coming
        ],
        "fgc": _meeting(
            "fgc",
            ReaderMeeting(
                fgc_booking.date, fgc_booking.time, fgc_booking.place, "fgc", False, fgc_booking
            ),
        )
        if fgc_booking is not None
        else Missing("fgc", "no family group conference this person attends is booked"),
        "fgc_status": fgc_status(case, fgc_booking is not None),
        "hearing": Record(
            "hearing",
            {
                "date": long_date(hearing.date),
                "time": clock_time(hearing.time) if hearing.time else "",
                "place": hearing.place or "",
            },
        )
        if hearing is not None
        else Missing("hearing", "no hearing date was given for this letter"),
        "step_down_to": step_down_to,
        "plan_name": PLAN_NAMES.get(step_down_to, ""),
    }


def _next_review(
    case: CaseHistory,
    reader: Party,
    meeting: ReaderMeeting | None,
    day: dt.date,
    policy: Policy,
) -> str:
    """When the plan will be looked at again: the reader's next review meeting booked, else
    the review's usual interval after their meeting (or the last meeting held)."""
    review = next_booking(case, ("review_meeting",), day, reader)
    if review is not None:
        return long_date(review.date)
    held = [
        e.date
        for e in case.events
        if e.type in ("pre_proceedings_meeting", "review_meeting")
        and family.went_ahead(e)
        and e.date <= day
    ]
    base = meeting.date if meeting is not None else max(held, default=None)
    if base is None:
        return ""
    due = base + dt.timedelta(weeks=policy.review_weeks)
    return long_date(due) if due > day else ""  # never a past date


def letter_notes(
    case: CaseHistory,
    reader: Party,
    spec: TemplateSpec,
    *,
    council: CouncilDetails,
    options: LetterOptions,
    today: dt.date,
    language_lines: LanguageLines | None = None,
) -> list[str]:
    """Things the person making a letter should know before sending it (no personal text)."""
    notes: list[str] = []
    unborn = any(child.unborn for child in case.children)
    if spec.kind == "letter_before_proceedings" and unborn:
        notes.append(
            "This case is about a baby not yet born: the letter_before_proceedings_unborn "
            "template may suit it better."
        )
    letter_day = options.letter_date or today
    if spec.meetings and reader_meeting(case, reader, spec, options, letter_day) is None:
        kinds = " or ".join(BOOKING_LABELS.get(kind, kind).lower() for kind in spec.meetings)
        notes.append(
            f"No meeting for this person is booked ({kinds}), so the letter says we will write "
            "with the date."
        )
    if meetings_are_separate(case):
        notes.append(
            "Someone in this case has a confidential address or is kept apart from someone, so "
            "the letter offers a meeting on their own unless a booking lists who it is for, "
            "and gives nothing of a person this reader is kept apart from."
        )
    if spec.sent_event == "letter_of_issue" and options.hearing is None:
        notes.append("No hearing date was given, so the letter says the court will write.")
    notes.extend(past_date_notes(case, reader, spec, letter_day))
    if not reader.address:
        notes.append("No address is recorded for this person.")
    if reader.address_confidential:
        notes.append("This person's address is confidential: it appears only in their own letter.")
    if (
        language_key(reader.language)
        and (language_lines or LanguageLines()).line_for(reader.language) is None
    ):
        notes.append(
            "This person's language has no checked first line in the letter settings, so the "
            "line about an interpreter is in English."
        )
    if needs_reading_help(reader):
        notes.append(
            "This person needs letters read with them: the plan gets an action for their "
            "social worker to go through the letter with them."
        )
    elif reader.needs:
        notes.append("This person has communication needs recorded. Check the letter meets them.")
    if not family.has_pr(case, reader):
        notes.append(
            "This person does not have parental responsibility: the letter does not say legal "
            "advice is free for them."
        )
    missing = council.missing()
    if case.team_manager:
        missing = [name for name in missing if not name.startswith("signatory")]
    if missing:
        notes.append(
            "Council details not set yet, so the letter shows [placeholders]: "
            + ", ".join(missing)
            + "."
        )
    return notes
