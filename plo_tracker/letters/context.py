"""The values a letter's fields take, for one case and one reader.

Everything here is plain text, yes/no, numbers, lists and ``Record`` (a dict whose
keys are the attributes listed in the field catalogue), so a sandboxed template can
read it and reach nothing else.  An optional record that is absent (no meeting
booked, no solicitor) is ``Missing``: false in ``{% if meeting %}``, and printing one
of its attributes is refused with a message naming the field.

Where the case data has no field for something a letter must say, the value comes
from what the user typed when making the letter (``LetterOptions``), else from the
council's editable default wording (setting ``letters.wording``):

* the worries: typed for the letter, else ``wording["worries"]``;
* the help already given: typed, else ``wording["help_given"]``;
* what must change: the case's plan actions not yet done (the reader's own and those
  for everyone), each with its date and support.  With none, templates say the plan
  will be agreed at the meeting;
* the first court hearing: given for the letter (``LetterOptions.hearing``), else the
  letter of issue says the court will write with the date.

Only the reader's own address is ever put into the fields; other people appear by name
and relationship only, so a confidential address cannot reach another person's letter
whatever a template does.  ``confidential_lines`` lets the renderer check the finished
letter as well (typed text could hold an address).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from plo_tracker.domain.dates import clock_time, long_date
from plo_tracker.domain.model import BOOKING_LABELS, Booking, CaseHistory, Party, PlanAction
from plo_tracker.errors import ValidationError
from plo_tracker.letters.jargon import DEFAULT_TERMS
from plo_tracker.letters.templates import TemplateSpec
from plo_tracker.validation import LIMITS, date_problem, shown, text_problem

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
# Plain descriptions of common assessments that are not in the jargon list.
ASSESSMENT_PLAIN = {
    "parenting assessment": "a check of how you care for your children and the help you need",
    "psychological assessment": "meetings with a psychologist about how you feel and cope",
    "special guardianship assessment": (
        "a check of whether a relative could bring up your child until they are 18"
    ),
    "drug and alcohol test": "a test that shows drug or alcohol use",
}
ENGLISH = {"english", "en", "english (uk)", "en-gb"}


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


# -- council details, wording and per-letter options -------------------------------------------


@dataclass(frozen=True, slots=True)
class CouncilDetails:
    """The council's details printed in letters (setting ``letters.council``)."""

    name: str = "[council name]"
    address: tuple[str, ...] = ()
    phone: str = "[council phone number]"
    email: str = ""
    lawyer_name: str = "[council lawyer's name]"
    lawyer_phone: str = "[council lawyer's phone number]"
    lawyer_email: str = ""
    signatory: str = "[name of the person signing]"
    signatory_role: str = "Team manager"

    def missing(self) -> list[str]:
        """The details still showing a [placeholder]."""
        return [f.name for f in fields(self) if str(getattr(self, f.name)).startswith("[")]

    def to_json(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            values[item.name] = list(value) if isinstance(value, tuple) else value
        return values

    @classmethod
    def from_json(cls, value: Any) -> CouncilDetails:
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValidationError("Council details: must be a set of named values.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValidationError(
                f"Council details: '{unknown[0]}' is not a council detail. Known: "
                + ", ".join(sorted(known))
            )
        values: dict[str, Any] = {}
        for key, item in value.items():
            if key == "address":
                if not isinstance(item, list | tuple) or not all(isinstance(x, str) for x in item):
                    raise ValidationError("Council details, address: must be a list of lines.")
                for line in item:
                    _check_text(
                        f"Council details, address line '{shown(line)}'",
                        line,
                        "name",
                        required=False,
                    )
                values[key] = tuple(line.strip() for line in item if line.strip())
            else:
                if not isinstance(item, str):
                    raise ValidationError(f"Council details, {key}: must be text.")
                _check_text(f"Council details, {key}", item, "name", required=False)
                values[key] = item.strip()
        return cls(**values)


WORDING_DEFAULTS: dict[str, tuple[str, ...]] = {
    "worries": (
        "Your social worker has talked with you about our worries.",
        "We are worried that {children} may not be safe or well cared for at home.",
    ),
    "help_given": (
        "Your social worker has been working with you and your family.",
        "They will go through the help you have had so far.",
    ),
}


@dataclass(frozen=True, slots=True)
class Wording:
    """The council's default sentences where the case data has none (``letters.wording``).

    ``{children}`` in a sentence becomes the children's names ("your baby" before birth).
    """

    worries: tuple[str, ...] = WORDING_DEFAULTS["worries"]
    help_given: tuple[str, ...] = WORDING_DEFAULTS["help_given"]

    def to_json(self) -> dict[str, list[str]]:
        return {"worries": list(self.worries), "help_given": list(self.help_given)}

    @classmethod
    def from_json(cls, value: Any) -> Wording:
        if value is None:
            return cls()
        if not isinstance(value, Mapping):
            raise ValidationError("Letter wording: must be a set of named sentences.")
        unknown = sorted(set(value) - set(WORDING_DEFAULTS))
        if unknown:
            raise ValidationError(
                f"Letter wording: '{unknown[0]}' is not a wording the letters use. Known: "
                + ", ".join(sorted(WORDING_DEFAULTS))
            )
        values = {key: check_lines(f"Letter wording, {key}", item) for key, item in value.items()}
        for key, lines in values.items():
            if not lines:
                raise ValidationError(f"Letter wording, {key}: give at least one sentence.")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Hearing:
    """The first court hearing, when known (there is no field for it in the case data)."""

    date: dt.date
    time: dt.time | None = None
    place: str | None = None


@dataclass(frozen=True, slots=True)
class LetterOptions:
    """What the person making the letter adds to the case data."""

    worries: tuple[str, ...] = ()
    help_given: tuple[str, ...] = ()
    hearing: Hearing | None = None
    letter_date: dt.date | None = None

    def checked(self) -> LetterOptions:
        worries = check_lines("Worries", self.worries)
        help_given = check_lines("Help already given", self.help_given)
        if self.hearing is not None:
            if not isinstance(self.hearing, Hearing):
                raise ValidationError("Hearing: expected the hearing's date, time and place.")
            if not isinstance(self.hearing.date, dt.date):
                raise ValidationError("Hearing date: must be a date.")
            problem = date_problem(self.hearing.date)
            if problem:
                raise ValidationError(f"Hearing date: {problem}")
            if self.hearing.time is not None and not isinstance(self.hearing.time, dt.time):
                raise ValidationError("Hearing time: must be a time.")
            if self.hearing.place is not None:
                _check_text("Hearing place", self.hearing.place, "name")
        if self.letter_date is not None:
            if not isinstance(self.letter_date, dt.date):
                raise ValidationError("Letter date: must be a date.")
            problem = date_problem(self.letter_date)
            if problem:
                raise ValidationError(f"Letter date: {problem}")
        return LetterOptions(tuple(worries), tuple(help_given), self.hearing, self.letter_date)


def _check_text(label: str, value: str, limit: str, *, required: bool = True) -> None:
    problem = text_problem(value, LIMITS[limit], required=required)
    if problem:
        raise ValidationError(f"{label}: {problem}")


def check_lines(label: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValidationError(f"{label}: must be a list of sentences.")
    lines: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise ValidationError(f"{label}: every entry must be text.")
        _check_text(label, item, "text")
        lines.append(" ".join(item.split()))
    return tuple(lines)


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
    for term in DEFAULT_TERMS:
        if term.find(title):
            return term.suggestion
    for name, plain in ASSESSMENT_PLAIN.items():
        if name in lowered:
            return plain
    return ""


def _meeting(path: str, booking: Booking) -> Record:
    return Record(
        path,
        {
            "kind": MEETING_KINDS.get(booking.type, booking.type.replace("_", " ")),
            "date": long_date(booking.date),
            "time": clock_time(booking.time) if booking.time else "",
            "place": booking.place or "",
        },
    )


def next_booking(case: CaseHistory, types: Sequence[str], on_or_after: dt.date) -> Booking | None:
    upcoming = [b for b in case.scheduled if b.type in types and b.date >= on_or_after]
    return min(upcoming, key=lambda b: (b.date, b.time or dt.time.min), default=None)


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


def _action(path: str, action: PlanAction, reader: Party, names: Mapping[str, str]) -> Record:
    if action.party is None:
        who = "Everyone"
    elif action.party == reader.id:
        who = "You"
    else:
        who = names.get(action.party, action.party)
    return Record(
        path,
        {
            "who": who,
            "what": _sentence(action.action),
            "support": _sentence(action.support or ""),
            "due": long_date(action.due),
            "done": action.completed is not None,
            "done_on": long_date(action.completed) if action.completed else "",
            "mine": action.party == reader.id,
        },
    )


def _children_phrase(case: CaseHistory) -> str:
    if any(child.unborn for child in case.children) and len(case.children) == 1:
        return "your baby"
    return "your child" if len(case.children) == 1 else "your children"


def build_context(
    case: CaseHistory,
    reader: Party,
    spec: TemplateSpec,
    *,
    council: CouncilDetails,
    wording: Wording,
    options: LetterOptions,
    today: dt.date,
) -> dict[str, Any]:
    """Every field of the catalogue, for ``reader``'s letter about ``case``."""
    letter_day = options.letter_date or today
    names = {p.id: p.name for p in case.parties}
    child_names = [c.name for c in case.children]
    unborn = [c for c in case.children if c.unborn]
    children_text = join_names(child_names)
    your_children = _children_phrase(case)
    named_children = your_children if your_children == "your baby" else children_text

    def fill(lines: Sequence[str]) -> list[str]:
        return [line.replace("{children}", named_children) for line in lines]

    open_actions = [
        a for a in case.plan_actions if a.completed is None and a.party in (None, reader.id)
    ]
    open_actions.sort(key=lambda a: (a.due, a.action))
    changes = [_action("changes[]", a, reader, names) for a in open_actions]
    help_now: list[str] = []
    for item in changes:
        if item["support"] and item["support"] not in help_now:
            help_now.append(item["support"])
    in_order = sorted(case.plan_actions, key=lambda a: (a.due, a.party or "", a.action))
    plan = [_action("plan[]", a, reader, names) for a in in_order]
    my_plan = [
        _action("my_plan[]", a, reader, names) for a in in_order if a.party in (None, reader.id)
    ]
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
            },
        )
        for a in sorted(case.assessments, key=lambda a: (a.due, a.title))
    ]
    meeting_booking = next_booking(case, spec.meetings, letter_day)
    fgc_booking = next_booking(case, ("fgc",), letter_day)
    stepped = [e for e in case.events if e.type == "stepped_down"]
    step_down_to = (max(stepped, key=lambda e: e.date).to or "") if stepped else ""
    solicitor = reader.solicitor
    hearing = options.hearing
    language = (reader.language or "").strip()

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
        "case_reference": case.reference,
        "court_reference": case.court_reference or "",
        "team": case.team or "",
        "social_worker": case.social_worker or "",
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
                },
            )
            for c in case.children
        ],
        "children_names": children_text,
        "child_count": len(case.children),
        "one_child": len(case.children) == 1,
        "your_children": your_children,
        "unborn": bool(unborn),
        "baby_due": long_date(unborn[0].expected_birth)
        if unborn and unborn[0].expected_birth
        else "",
        "recipient_key": reader.id,
        "recipient_name": reader.name,
        "recipient_relationship": reader.relationship,
        "recipient_address": list(reader.address),
        "recipient_address_line": ", ".join(reader.address),
        "recipient_has_pr": reader.parental_responsibility,
        "recipient_language": "" if language.lower() in ENGLISH else language,
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
                    "has_pr": p.parental_responsibility,
                },
            )
            for p in case.parties
            if p.id != reader.id
        ],
        "worries": fill(options.worries or wording.worries),
        "worries_given": bool(options.worries),
        "changes": changes,
        "help_now": help_now,
        "help_given": fill(options.help_given or wording.help_given),
        "assessments": assessments,
        "open_assessments": [a for a in assessments if not a["done"]],
        "my_plan": my_plan,
        "plan": plan,
        "meeting": _meeting("meeting", meeting_booking)
        if meeting_booking is not None
        else Missing("meeting", "no meeting of this kind is booked on or after the letter's date"),
        "fgc": _meeting("fgc", fgc_booking)
        if fgc_booking is not None
        else Missing("fgc", "no family group conference is booked"),
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


_DIGIT = re.compile(r"\d")


def confidential_lines(case: CaseHistory, reader: Party) -> list[str]:
    """Address lines of *other* people marked confidential that must not appear.

    Lines with a digit (house number, flat, postcode) are distinctive enough to look
    for; a town name alone is not.
    """
    lines: list[str] = []
    for party in case.parties:
        if party.id == reader.id or not party.address_confidential:
            continue
        for line in party.address:
            cleaned = " ".join(line.split())
            if _DIGIT.search(cleaned) and len(cleaned) >= 4:
                lines.append(cleaned)
    return lines


def recipients(case: CaseHistory, party: str | None) -> tuple[Party, ...]:
    """The readers: one named party, else everyone with parental responsibility."""
    if party is not None:
        found = case.party(party)
        if found is None:
            known = ", ".join(p.id for p in case.parties) or "nobody"
            raise ValidationError(
                f"Case {case.reference} has no person with the ID '{party}'. "
                f"The people in it are: {known}."
            )
        return (found,)
    with_pr = tuple(p for p in case.parties if p.parental_responsibility)
    if not with_pr:
        raise ValidationError(
            f"Case {case.reference} has nobody recorded with parental responsibility, so there "
            "is nobody to write to. Add the parents to the case, or name a person with --party."
        )
    return with_pr


def letter_notes(
    case: CaseHistory,
    reader: Party,
    spec: TemplateSpec,
    *,
    council: CouncilDetails,
    options: LetterOptions,
    today: dt.date,
) -> list[str]:
    """Things the person making a letter should know before sending it (no personal text)."""
    notes: list[str] = []
    is_lbp = spec.sent_event == "letter_before_proceedings"
    unborn = any(child.unborn for child in case.children)
    if is_lbp and "unborn" in spec.name and not unborn:
        notes.append(
            "This case has no baby not yet born: the letter_before_proceedings template may "
            "suit it better."
        )
    elif is_lbp and "unborn" not in spec.name and unborn:
        notes.append(
            "This case is about a baby not yet born: the letter_before_proceedings_unborn "
            "template may suit it better."
        )
    if is_lbp and not options.worries:
        notes.append(
            "No worries were typed, so the letter uses the council's default wording. Type the "
            "worries in words the parent will recognise."
        )
    missing = council.missing()
    if case.team_manager:  # the case's team manager signs, not the council's signatory
        missing = [name for name in missing if not name.startswith("signatory")]
    if missing:
        notes.append(
            "Council details not set yet, so the letter shows [placeholders]: "
            + ", ".join(missing)
            + "."
        )
    letter_day = options.letter_date or today
    if spec.meetings and next_booking(case, spec.meetings, letter_day) is None:
        kinds = " or ".join(BOOKING_LABELS.get(kind, kind).lower() for kind in spec.meetings)
        notes.append(
            f"No meeting is booked ({kinds}), so the letter says we will write with the date."
        )
    if spec.sent_event == "letter_of_issue" and options.hearing is None:
        notes.append("No hearing date was given, so the letter says the court will write.")
    if not reader.address:
        notes.append("No address is recorded for this person.")
    if reader.address_confidential:
        notes.append("This person's address is confidential: it appears only in their own letter.")
    if reader.needs:
        notes.append("This person has communication needs recorded. Check the letter meets them.")
    return notes
