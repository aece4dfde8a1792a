"""The letters PLO Tracker ships, and the fields a template may use.

A template is a Word .docx file with Jinja tags (``{{ recipient_name }}``,
``{%p if meeting %}``, ``{%tr for a in plan %}``) filled by docxtpl.  The shipped
templates live in the ``letter_templates`` package; a council keeps its own in the
folder named by the setting ``letters.template_folder``.  A council template whose
name is a shipped template's name replaces it; one whose name starts with a shipped
name and ``_`` or ``-`` ("letter_of_issue_welsh") is that kind of letter (its meeting
and the event recorded when it is sent); any other name is a general letter.

``FIELDS`` is the field catalogue: every name a template may use, with its meaning.
``letter_templates/fields.md`` is written from it by ``letter_templates/build_templates.py``.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from plo_tracker.letters.errors import TemplateError
from plo_tracker.validation import shown

SHIPPED_PACKAGE = "letter_templates"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """What kind of letter a template is."""

    name: str
    title: str
    description: str
    meetings: tuple[str, ...] = ()  # booking types that fill `meeting`, the next one booked
    sent_event: str | None = None  # event recorded when a letter of this kind is sent
    kind: str = ""  # the shipped letter it is a version of ("" for a general letter)
    easy_read: bool = False  # large print, short lines, headings as questions

    @property
    def before_proceedings(self) -> bool:
        """A letter before proceedings (any variant): the readiness rules of section 4."""
        return self.kind in LBP_KINDS


SHIPPED: tuple[TemplateSpec, ...] = (
    TemplateSpec(
        "letter_before_proceedings",
        "Letter before proceedings",
        "To each parent and person with parental responsibility: our worries, what must "
        "change and by when, the help we will give, the family group conference offer, the "
        "meeting, free legal advice, and what happens if things do not change.",
        meetings=("pre_proceedings_meeting",),
        sent_event="letter_before_proceedings",
        kind="letter_before_proceedings",
    ),
    TemplateSpec(
        "letter_before_proceedings_unborn",
        "Letter before proceedings (baby not yet born)",
        "The letter before proceedings for a pregnancy: planning before the birth, "
        "assessments finished before the baby is born.",
        meetings=("pre_proceedings_meeting",),
        sent_event="letter_before_proceedings",
        kind="letter_before_proceedings_unborn",
    ),
    TemplateSpec(
        "letter_before_proceedings_easy_read",
        "Letter before proceedings (easy read)",
        "The letter before proceedings in easy read, for a person who asked for it (for "
        "example with a learning disability): large print, short lines, one idea each, "
        "headings as questions. Chosen for that person automatically.",
        meetings=("pre_proceedings_meeting",),
        sent_event="letter_before_proceedings",
        kind="letter_before_proceedings_easy_read",
        easy_read=True,
    ),
    TemplateSpec(
        "letter_of_issue",
        "Letter of issue",
        "We are applying to court now: what that means, the first hearing if known, see a "
        "solicitor at once, free legal aid for parents, what is enclosed.",
        sent_event="letter_of_issue",
        kind="letter_of_issue",
    ),
    TemplateSpec(
        "review_invitation",
        "Invitation to a review meeting",
        "The next review meeting (date, time, place) and how each part of the plan is going.",
        meetings=("review_meeting",),
        kind="review_invitation",
    ),
    TemplateSpec(
        "outcome_letter",
        "Outcome letter (no court)",
        "Pre-proceedings has ended without court: what happens next and the plan that continues.",
        kind="outcome_letter",
    ),
    TemplateSpec(
        "plan_summary",
        "Plan summary",
        "A table of what the reader (and everyone) agreed to do, the help they get and the "
        "dates, the assessments, and the next meeting.",
        meetings=("review_meeting", "pre_proceedings_meeting"),
        kind="plan_summary",
    ),
)
EASY_READ = "letter_before_proceedings_easy_read"


def _easy_read(spec: TemplateSpec) -> TemplateSpec:
    """The easy-read version of a shipped letter: the same kind (its meeting, readiness and
    the event recorded when sent), chosen automatically for a person who needs it."""
    return TemplateSpec(
        f"{spec.name}_easy_read",
        f"{spec.title}, easy read",
        f"{spec.description} In easy read, for a person who needs it (large print, short "
        "lines, headings as questions); chosen for that person automatically.",
        spec.meetings,
        spec.sent_event,
        spec.kind,
        easy_read=True,
    )


SHIPPED += tuple(
    _easy_read(s) for s in SHIPPED if s.name not in ("letter_before_proceedings", EASY_READ)
)
LBP_KINDS = frozenset({"letter_before_proceedings", "letter_before_proceedings_unborn", EASY_READ})
SHIPPED_BY_NAME: dict[str, TemplateSpec] = {spec.name: spec for spec in SHIPPED}
# The easy-read version of each shipped kind of letter (a person who needs easy read gets it
# whenever a letter of that kind is made for them).
EASY_READ_VERSIONS: dict[str, str] = {"letter_before_proceedings": EASY_READ} | {
    spec.kind: spec.name for spec in SHIPPED if spec.easy_read and spec.name != EASY_READ
}
TEMPLATE_NAMES: tuple[str, ...] = tuple(spec.name for spec in SHIPPED)
GENERAL_MEETINGS = ("pre_proceedings_meeting", "review_meeting")


def spec_for(name: str, title: str | None = None) -> TemplateSpec:
    """The kind of letter a (council) template of this name is."""
    if name in SHIPPED_BY_NAME:
        spec = SHIPPED_BY_NAME[name]
        return spec if title is None else _retitled(spec, name, title)
    for shipped in sorted(SHIPPED, key=lambda s: -len(s.name)):
        if name.startswith((shipped.name + "_", shipped.name + "-")):
            return _retitled(shipped, name, title or shipped.title)
    return TemplateSpec(
        name,
        title or name.replace("_", " ").replace("-", " ").capitalize(),
        "A council letter.",
        meetings=GENERAL_MEETINGS,
    )


def _retitled(spec: TemplateSpec, name: str, title: str) -> TemplateSpec:
    return TemplateSpec(
        name, title, spec.description, spec.meetings, spec.sent_event, spec.kind, spec.easy_read
    )


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise TemplateError(
            f"'{shown(name)}' cannot be a template name: use lower-case letters, digits, '_' "
            "and '-' (at most 64), starting with a letter or digit."
        )
    return name


def shipped_bytes(name: str) -> bytes:
    if name not in SHIPPED_BY_NAME:
        raise TemplateError(
            f"There is no template called '{shown(name)}'. The templates are: "
            + ", ".join(TEMPLATE_NAMES)
            + "."
        )
    return shipped_file(f"{name}.docx")


def shipped_file(file_name: str) -> bytes:
    """A file of the ``letter_templates`` package (importlib.resources)."""
    try:
        return resources.files(SHIPPED_PACKAGE).joinpath(file_name).read_bytes()
    except NotADirectoryError:
        # Python 3.11 cannot read resources of a namespace package made by an editable
        # install that predates letter_templates/__init__.py; read its folder directly.
        package = importlib.import_module(SHIPPED_PACKAGE)
        for folder in getattr(package, "__path__", ()):
            candidate = Path(folder) / file_name
            if candidate.is_file():
                return candidate.read_bytes()
        raise


# -- the field catalogue -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: str  # text, date, yes/no, number, lines, record, records
    meaning: str
    attributes: tuple[tuple[str, str], ...] = ()  # for records: (attribute, meaning)
    group: str = ""

    @property
    def attribute_names(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.attributes)


_CHILD = (
    ("name", "the child's name"),
    ("born", "date of birth, e.g. Monday 4 March 2024 (empty for a baby not yet born)"),
    ("due", "expected date of birth (empty for a child already born)"),
    ("unborn", "yes for a baby not yet born"),
    ("yours", "yes if the reader is this child's parent or has parental responsibility for it"),
)
_SOLICITOR = (
    ("name", "the solicitor's name"),
    ("firm", "their firm (may be empty)"),
    ("phone", "their phone number (may be empty)"),
    ("email", "their email address (may be empty)"),
)
_PARTY = (
    ("name", "the person's name"),
    ("relationship", "how they are related to the children, e.g. father"),
    ("has_pr", "yes if they have parental responsibility"),
)
_ACTION = (
    ("who", "who does it: a person's name, 'You' for the reader, or 'Everyone'"),
    ("what", "what they agreed to do (the plan action, without a final full stop)"),
    ("support", "the help given with it (may be empty)"),
    ("due", "the date it must be done by, e.g. Friday 5 April 2024"),
    ("done", "yes if it has been done"),
    ("done_on", "the date it was done (empty if not done)"),
    ("mine", "yes if it is the reader's own action"),
    ("late", "yes if it is not done and its date is before the letter's date"),
    (
        "when",
        "'by Friday 5 April 2024', or, once that date has passed, 'this was due on Friday 5 "
        "April 2024; it is not done yet' (never a past date as a deadline)",
    ),
)
_ASSESSMENT = (
    ("title", "the assessment, e.g. Parenting assessment"),
    ("plain", "what it means in plain words, for assessment names that are jargon (or empty)"),
    ("started", "the date it was asked for"),
    ("due", "the date it should be finished by"),
    ("done", "yes if it is finished"),
    ("done_on", "the date it finished (empty if not finished)"),
    (
        "late",
        "yes if it is not finished and its date is before the letter's date (then the date "
        "is not a deadline: 'it was due to finish on ...; it is not finished yet')",
    ),
)
_MEETING = (
    ("kind", "'meeting', 'review meeting' or 'family group conference'"),
    ("date", "the date, e.g. Tuesday 12 March 2024"),
    ("time", "the time, e.g. 10am or 2:30pm (empty if not booked)"),
    ("place", "the place or video link (empty if not booked)"),
)
_HEARING = (
    ("date", "the date of the first court hearing"),
    ("time", "its time (may be empty)"),
    ("place", "the court (may be empty)"),
)

FIELDS: tuple[Field, ...] = (
    # The letter and the council
    Field(
        "letter_date", "date", "the date of the letter, e.g. Monday 4 March 2024", group="Letter"
    ),
    Field("council_name", "text", "the council's name (setting letters.council)", group="Letter"),
    Field("council_address", "lines", "the council's address, one line each", group="Letter"),
    Field("council_phone", "text", "the phone number parents call", group="Letter"),
    Field("council_email", "text", "the email address parents write to", group="Letter"),
    Field(
        "lawyer_name", "text", "the council's lawyer, for the parent's solicitor", group="Letter"
    ),
    Field("lawyer_phone", "text", "the lawyer's phone number", group="Letter"),
    Field("lawyer_email", "text", "the lawyer's email address", group="Letter"),
    Field(
        "signed_by",
        "text",
        "who signs: the case's team manager, else the council's default signatory",
        group="Letter",
    ),
    Field("signed_by_role", "text", "their job title, e.g. Team manager", group="Letter"),
    Field(
        "council_logo",
        "image",
        "the council's logo when one is set (print it alone: {{ council_logo }}; test it with "
        "{% if council_logo %})",
        group="Letter",
    ),
    Field(
        "find_solicitor",
        "lines",
        "how to find a children law solicitor (setting letters.wording)",
        group="Letter",
    ),
    Field(
        "advice_line",
        "lines",
        "a free, independent advice line for families (setting letters.wording)",
        group="Letter",
    ),
    # The case
    Field("case_reference", "text", "the case reference, e.g. PLO-2024-0007", group="Case"),
    Field("court_reference", "text", "the court's case number (empty until issued)", group="Case"),
    Field("team", "text", "the social work team (may be empty)", group="Case"),
    Field("social_worker", "text", "the social worker's name (may be empty)", group="Case"),
    Field("team_manager", "text", "the team manager's name (may be empty)", group="Case"),
    Field("legal_liaison", "text", "the legal liaison's name (may be empty)", group="Case"),
    # Children
    Field(
        "children",
        "records",
        "the children the reader is tied to, in the case's order (never a child the reader "
        "has no tie to)",
        _CHILD,
        group="Children",
    ),
    Field(
        "children_names",
        "text",
        "those children's names joined with commas and 'and'",
        group="Children",
    ),
    Field("child_count", "number", "how many children the reader is tied to", group="Children"),
    Field("one_child", "yes/no", "yes when the reader is tied to one child", group="Children"),
    Field(
        "your_children",
        "text",
        "'your child', 'your children' or 'your baby' when they are all the reader's own (a "
        "parent of, or parental responsibility for); for anyone else the child's name, 'the "
        "children' or 'the baby'; 'your child Alfie and Ruby' when only some are",
        group="Children",
    ),
    Field(
        "the_baby",
        "text",
        "'your baby' for a parent of the baby not yet born (or with PR for it), else 'the baby'",
        group="Children",
    ),
    Field(
        "unborn",
        "yes/no",
        "yes when a child the reader is tied to is a baby not yet born",
        group="Children",
    ),
    Field(
        "born_children",
        "yes/no",
        "yes when the reader is tied to a child already born",
        group="Children",
    ),
    Field(
        "baby_due",
        "date",
        "the unborn baby's expected date of birth (empty if none)",
        group="Children",
    ),
    # The reader
    Field(
        "recipient_key", "text", "the reader's party ID in the case, e.g. mother", group="Reader"
    ),
    Field("recipient_name", "text", "the reader's name", group="Reader"),
    Field(
        "recipient_relationship", "text", "the reader's relationship, e.g. mother", group="Reader"
    ),
    Field(
        "recipient_address",
        "lines",
        "the reader's own address, one line each (empty if not recorded)",
        group="Reader",
    ),
    Field(
        "recipient_address_line",
        "text",
        "the reader's own address on one line",
        group="Reader",
    ),
    Field(
        "recipient_has_pr",
        "yes/no",
        "yes if the reader has parental responsibility",
        group="Reader",
    ),
    Field(
        "recipient_language",
        "text",
        "the reader's language when it is not English (else empty)",
        group="Reader",
    ),
    Field(
        "language_line",
        "text",
        "for a reader whose language is not English: the council's checked line in that "
        "language saying the letter is important and how to get an interpreter, else the "
        "same in English (empty for English readers)",
        group="Reader",
    ),
    Field(
        "reading_help",
        "text",
        "when the reader needs letters read with them: who will read this one with them, "
        "and by when (else empty)",
        group="Reader",
    ),
    Field(
        "fgdm_answer",
        "text",
        "the reader's own answer to the offer of a family group conference: 'accepted', "
        "'declined', or empty",
        group="Reader",
    ),
    Field(
        "solicitor",
        "record",
        "the reader's solicitor, if recorded (test it with {% if solicitor %})",
        _SOLICITOR,
        group="Reader",
    ),
    Field(
        "other_parties",
        "records",
        "the other people in the case the reader may know of: names and relationships, never "
        "addresses, never someone kept apart from the reader or anyone living with them",
        _PARTY,
        group="Reader",
    ),
    # Worries, plan and help
    Field(
        "worries",
        "lines",
        "what we are worried about: the case's worries about the reader or the whole "
        "household, then any typed for this letter (else, in a draft, the council's default "
        "wording)",
        group="Plan",
    ),
    Field(
        "strengths",
        "lines",
        "what is going well: the case's strengths about the reader or the household's "
        "children they are tied to",
        group="Plan",
    ),
    Field(
        "stage_weeks",
        "number",
        "how long this stage usually lasts, in weeks (the council's policy, 16 by default)",
        group="Plan",
    ),
    Field(
        "next_review",
        "date",
        "when the plan will be looked at again: the reader's next review meeting, else the "
        "usual interval after their meeting; empty when that date is not after the letter's "
        "date (never a past date)",
        group="Plan",
    ),
    Field(
        "worries_given",
        "yes/no",
        "yes when the worries come from the case or were typed (not the default wording)",
        group="Plan",
    ),
    Field(
        "changes",
        "records",
        "what must change: the plan actions not yet done for the reader or for the whole "
        "household, earliest first",
        _ACTION,
        group="Plan",
    ),
    Field(
        "help_now",
        "lines",
        "the help we give with those actions (their support), without repeats",
        group="Plan",
    ),
    Field(
        "help_given",
        "lines",
        "help already given: typed when the letter is made, else the council's default wording",
        group="Plan",
    ),
    Field("assessments", "records", "all the case's assessments", _ASSESSMENT, group="Plan"),
    Field(
        "open_assessments",
        "records",
        "the assessments not yet finished",
        _ASSESSMENT,
        group="Plan",
    ),
    Field(
        "my_plan",
        "records",
        "the plan actions for the reader or for everyone, done or not, earliest first",
        _ACTION,
        group="Plan",
    ),
    Field(
        "plan",
        "records",
        "the plan actions for the reader or the whole household, done or not, earliest first "
        "(another person's actions are theirs: never in this letter)",
        _ACTION,
        group="Plan",
    ),
    # Meetings and court
    Field(
        "meeting",
        "record",
        "the reader's meeting: the next one of the letter's kind booked after the letter's "
        "date that the reader attends, with nobody there they must not meet (test it with "
        "{% if meeting %})",
        _MEETING,
        group="Meetings",
    ),
    Field(
        "fgc",
        "record",
        "the next booked family group conference the reader attends (test it with "
        "{% if fgc %}); never one where someone they must not meet will be",
        _MEETING,
        group="Meetings",
    ),
    Field(
        "fgc_status",
        "text",
        "the family group conference for the case: 'held', 'declined' (recorded for the "
        "case, not said by the reader), 'booked', 'referred', or empty",
        group="Meetings",
    ),
    Field(
        "meeting_separate",
        "yes/no",
        "yes when someone in the case has a confidential address or is kept apart, so people "
        "are met at the meetings booked for them",
        group="Meetings",
    ),
    Field(
        "meeting_with",
        "records",
        "the other people with parental responsibility booked for the reader's meeting",
        _PARTY[:2],
        group="Meetings",
    ),
    Field(
        "hearing",
        "record",
        "the first court hearing, when given with the letter (test it with {% if hearing %})",
        _HEARING,
        group="Meetings",
    ),
    Field(
        "step_down_to",
        "text",
        "how pre-proceedings ended without court: child_protection, child_in_need, "
        "no_further_action, or empty",
        group="Meetings",
    ),
    Field(
        "plan_name",
        "text",
        "'child protection plan' or 'child in need plan' after stepping down (else empty)",
        group="Meetings",
    ),
)
FIELDS_BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
