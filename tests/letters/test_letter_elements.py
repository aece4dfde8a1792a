"""Issue 21, item 5: every element, every format.

* The letter before proceedings (standard, unborn, and both easy reads) says how long this
  stage usually lasts and when the plan is looked at again, what is going well, how to tell
  us they disagree, and what a care order can mean (the children could live somewhere else),
  for every demo reader.
* The unborn letter speaks of the unborn child alone about court: never "We cannot go to
  court before the baby is born" (untrue of a case's born children), never a born child.
* Every shipped template has an easy-read version keeping every required element of its
  standard version, chosen for a person whose preference or needs say so.
* No letter gives a past date as a deadline.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from plo_tracker.app import AppContext
from plo_tracker.domain.model import PlanAction, Strength
from plo_tracker.letters.context import build_context, letter_notes
from plo_tracker.letters.options import (
    CouncilDetails,
    Hearing,
    LetterOptions,
    SeparateMeeting,
    Wording,
)
from plo_tracker.letters.readiness import missing_items
from plo_tracker.letters.render import render_letter
from plo_tracker.letters.specimen import specimen_case
from plo_tracker.letters.templates import (
    EASY_READ_VERSIONS,
    SHIPPED,
    SHIPPED_BY_NAME,
    TemplateSpec,
    shipped_bytes,
)
from tests.letters.demo_letters import COUNCIL, TODAY, Made
from tests.letters.helpers import OPTIONS, with_examples

SPECIMEN_COUNCIL = CouncilDetails(
    name="Example Council",
    address=("Council House", "Exampletown", "ZZ1 9ZZ"),
    phone="01000 111111",
    email="children@example.gov.uk",
    lawyer_name="Pat Lawyer",
    lawyer_phone="01000 222222",
    lawyer_email="legal@example.gov.uk",
)
SPECIMEN_OPTIONS = LetterOptions(
    worries=("We are worried that the home is often cold and there is little food.",),
    hearing=Hearing(dt.date(2024, 3, 18), dt.time(10), "Family Court"),
    letter_date=dt.date(2024, 3, 4),
    meeting=SeparateMeeting(dt.date(2024, 3, 13), dt.time(11), "Town Hall, Room 4"),
)
STRENGTH = "You have kept every appointment with the midwife."
LONG_DATE = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} "
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{4}\b"
)


def deadlines(text: str) -> list[dt.date]:
    """Every date the text gives as a deadline ("by <date>")."""
    found = []
    for match in LONG_DATE.finditer(text):
        if text[: match.start()].rstrip().lower().endswith(" by"):
            found.append(dt.datetime.strptime(match.group(), "%A %d %B %Y").date())
    return found


def text_of(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(lines)


def render(
    spec: TemplateSpec,
    *,
    has_pr: bool = True,
    options: LetterOptions = SPECIMEN_OPTIONS,
    **case_changes: object,
) -> str:
    """The specimen case's letter to its mother (with or without parental responsibility)."""
    case, reader = specimen_case()
    reader = replace(reader, parental_responsibility=has_pr)
    changes = {"strengths": (Strength(STRENGTH),), **case_changes}
    case = replace(
        case, parties=tuple(reader if p.id == reader.id else p for p in case.parties), **changes
    )
    context = build_context(
        case,
        reader,
        spec,
        council=SPECIMEN_COUNCIL,
        wording=Wording(),
        options=options,
        today=options.letter_date or TODAY,
    )
    return text_of(render_letter(shipped_bytes(spec.name), spec.name, context).data)


# -- the letter before proceedings for every demo reader ------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(1500)  # the session fixture renders every demo letter once
def test_every_letter_before_proceedings_holds_every_element(letters: list[Made]) -> None:
    seen: dict[str, int] = {}
    for made in letters:
        if not made.spec.before_proceedings:
            continue
        seen[made.spec.name] = seen.get(made.spec.name, 0) + 1
        text = made.everything
        lower = text.lower()
        where = (made.spec.name, made.case.reference, made.reader.id)
        # How long this stage usually lasts, and when the plan is looked at again (never a
        # date already past).
        assert "this stage usually lasts about 16 weeks." in lower, where
        review = re.search(r"look at the plan again with you on (" + LONG_DATE.pattern + ")", text)
        if review:
            assert dt.datetime.strptime(review.group(1), "%A %d %B %Y").date() > TODAY, where
        else:
            assert "we will tell you when we will look at the plan again" in lower, where
        # What is going well.
        assert "going well" in lower, where
        # How to tell us they disagree: who to contact, that they may, and how.
        assert "if you do not agree" in lower and COUNCIL.phone in text, where
        assert "you can tell us at the meeting" in lower, where
        # What a care order can mean.
        assert "care order" in lower and "could live somewhere else" in lower, where
        assert "foster carers" in lower and "family or friends" in lower, where
        # The meeting and the court, in every format.
        assert "if you cannot come, call us" in lower, where
        assert "we may go to court straight away" in lower, where
        if made.has_pr:
            assert "please bring your solicitor" in lower, where
        else:
            assert "you can bring a solicitor or a friend" in lower, where
        if made.spec.kind == "letter_before_proceedings_unborn":
            # About court, the unborn child alone; no born child is named.
            assert "cannot go to court" not in lower, where
            assert "cannot make an order about" in lower, where
            for child in made.case.children:
                if not child.unborn:
                    assert child.name not in text, where
    assert set(seen) == {s.name for s in SHIPPED if s.before_proceedings}
    assert all(count >= 5 for count in seen.values()), seen


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_no_demo_letter_gives_a_past_date_as_a_deadline(letters: list[Made]) -> None:
    overdue = 0
    for made in letters:
        text = made.everything
        for day in deadlines(text):
            assert day >= TODAY, (made.spec.name, made.case.reference, made.reader.id, day)
        overdue += "it is not done yet" in text.lower()
    assert overdue > 10  # the demo plans have actions past their date


# -- what is going well, how long, the next review, the unborn letter -----------------------------


@pytest.mark.parametrize(
    "name",
    [
        "letter_before_proceedings",
        "letter_before_proceedings_easy_read",
        "letter_before_proceedings_unborn",
        "letter_before_proceedings_unborn_easy_read",
    ],
)
def test_the_letter_before_proceedings_says_what_is_going_well_and_when(name: str) -> None:
    text = render(SHIPPED_BY_NAME[name])
    assert STRENGTH in text
    assert "This stage usually lasts about 16 weeks." in text
    # The reader's next review meeting booked (the specimen's, Tuesday 23 April 2024).
    assert "We will look at the plan again with you on Tuesday 23 April 2024." in text
    assert "You can tell us if you do not agree with" in text
    assert "children@example.gov.uk" in text and "01000 111111" in text
    assert "Your solicitor can help you say what you think." in text
    without = render(SHIPPED_BY_NAME[name], has_pr=False, strengths=())
    assert "Your solicitor can help you say what you think." not in without
    assert "We will talk with you at the meeting about what is going well." in without


@pytest.mark.parametrize(
    "name", ["letter_before_proceedings_unborn", "letter_before_proceedings_unborn_easy_read"]
)
def test_the_unborn_letter_speaks_of_the_unborn_child_alone(name: str) -> None:
    case, _ = specimen_case()
    assert any(not c.unborn for c in case.children)  # Cara is born; the baby is not
    text = render(SHIPPED_BY_NAME[name])
    assert "Cara" not in text
    assert "cannot go to court" not in text.lower()
    assert "The court cannot make an order about your baby until the baby is born." in text
    assert "A care order can mean that the baby could live somewhere else" in text or (
        "A care order can mean the baby could live somewhere else." in text
    )


# -- easy read for every template, with every required element ------------------------------------

ALWAYS = ["Yours sincerely,", "Copy to: Sam Adviser"]
REQUIRED: dict[str, list[str]] = {
    "letter_before_proceedings": [
        "This letter is important.",
        "the home is often cold and there is little food",
        STRENGTH,
        "Go to the parenting course",
        "Friday 29 March 2024",
        "This stage usually lasts about 16 weeks.",
        "We pay the fare",
        "Parenting assessment",
        "Friday 19 April 2024",
        "family group conference",
        "Thank you for saying yes to a family group conference",
        "Date: Tuesday 12 March 2024",
        "Time: 10am",
        "Place: Town Hall, Room 2",
        "We will meet you on your own.",
        "to say you can come",
        "If you cannot come, call us as soon as you can.",
        "Please bring your solicitor with you.",
        "Sue Worker, your social worker",
        "Tom Manager, who manages your social worker",
        "will read this letter with you by Thursday 7 March 2024.",
        "Polish",
        "free for you",
        "It does not matter how much money you have.",
        "We have put in a list of",
        "Find a Solicitor",
        "0808 801 0366",
        "our lawyer, Pat Lawyer",
        "01000 222222",
        "if you do not agree",
        "we may ask the family court to decide",
        "care order",
        "could live somewhere else",
        "foster carers",
        "supervision order",
        "we may go to court straight away",
        "With this letter",
    ],
    "letter_of_issue": [
        "This letter is important.",
        "to a solicitor straight away",
        "care proceedings",
        "will read this letter with you by Thursday 7 March 2024.",
        "A judge will",
        "You can tell the judge what you think.",
        "care order",
        "could live somewhere else",
        "supervision order",
        "The first hearing is on Monday 18 March 2024",
        "Family Court",
        "Please go to it with your solicitor.",
        "Legal aid is free for parents in these cases.",
        "the government pays for your solicitor",
        "It does not matter how much money you have.",
        "We have your solicitor as Sam Adviser",
        "our lawyer, Pat Lawyer",
        "0808 801 0366",
        "will still see you and help you",
        "Please keep doing the things in your plan.",
        "Polish",
        "a copy of our application to the court",
    ],
    "review_invitation": [
        "review meeting",
        "how the plan is going",
        "will read this letter with you by Thursday 7 March 2024.",
        "Date: Wednesday 13 March 2024",
        "Place: Town Hall, Room 4",
        "to say you can come",
        "If you cannot come, call us as soon as you can.",
        "Please bring your solicitor with you.",
        "family group conference",
        "Go to the parenting course",
        "Friday 29 March 2024",
        "Parenting assessment",
        "finished on Friday 1 March 2024",
        "Advice from your solicitor is still free",
        "our lawyer, Pat Lawyer",
        "0808 801 0366",
        "we may ask the family court to decide",
    ],
    "outcome_letter": [
        "We will not go to court",
        "Thank you for working with us.",
        "will read this letter with you by Thursday 7 March 2024.",
        "child protection plan",
        "Your social worker will keep visiting.",
        "Please keep doing these things:",
        "Go to the parenting course",
        "Friday 29 March 2024",
        "We will keep helping you in these ways:",
        "We pay the fare",
        "If we become very worried again, we will tell you.",
        "You can ask a solicitor for advice at any time.",
        "0808 801 0366",
    ],
    "plan_summary": [
        "Cara Example",
        "what you agreed to do",
        "family group conference",
        "Go to the parenting course",
        "We pay the fare",
        "Friday 29 March 2024",
        "Keep the house safe",
        "Parenting assessment",
        "Hair strand test",
        "Tuesday 12 March 2024",
        "Town Hall, Room 2",
        "We will meet you on your own.",
        "please tell your social worker",
        "show this plan to your solicitor",
    ],
}
REQUIRED["letter_before_proceedings_unborn"] = [
    *(p for p in REQUIRED["letter_before_proceedings"] if "Cara" not in p),
    "The baby is due on Saturday 1 June 2024.",
    "before your baby is born",
    "The court cannot make an order about your baby until the baby is born.",
    "midwife",
]
NOT_PR: dict[str, list[str]] = {
    "letter_before_proceedings": [
        "Please read it",
        "You can bring a solicitor or a friend with you.",
        "You may have to pay for it.",
        "A solicitor can tell you if you can get help with the cost.",
    ],
    "letter_of_issue": [
        "A solicitor can tell you if you can take part in the court case.",
        "You may be able to get legal aid.",
        "If not, you may have to pay.",
    ],
    "review_invitation": ["You can bring a solicitor or a friend with you.", "You may have to pay"],
}
NOT_PR["letter_before_proceedings_unborn"] = NOT_PR["letter_before_proceedings"]
NEVER_WITHOUT_PR = ["free for you", "advice is free", "our lawyer, Pat Lawyer"]


def test_every_shipped_kind_of_letter_has_an_easy_read_version() -> None:
    standard = {s.kind for s in SHIPPED if not s.easy_read}
    assert set(EASY_READ_VERSIONS) == standard
    for kind, name in EASY_READ_VERSIONS.items():
        easy = SHIPPED_BY_NAME[name]
        assert easy.easy_read
        base = SHIPPED_BY_NAME[kind]
        assert (easy.meetings, easy.sent_event) == (base.meetings, base.sent_event)
        assert easy.before_proceedings == base.before_proceedings
    assert set(REQUIRED) == set(EASY_READ_VERSIONS)


@pytest.mark.parametrize("kind", sorted(EASY_READ_VERSIONS))
def test_the_easy_read_letter_keeps_every_required_element(kind: str) -> None:
    standard = render(SHIPPED_BY_NAME[kind])
    easy = render(SHIPPED_BY_NAME[EASY_READ_VERSIONS[kind]])
    for phrase in (*REQUIRED[kind], *ALWAYS):
        assert phrase.lower() in standard.lower(), ("standard", phrase)
        assert phrase.lower() in easy.lower(), ("easy read", phrase)
    # For a reader without parental responsibility: honest advice, in both.
    standard = render(SHIPPED_BY_NAME[kind], has_pr=False)
    easy = render(SHIPPED_BY_NAME[EASY_READ_VERSIONS[kind]], has_pr=False)
    for phrase in NOT_PR.get(kind, []):
        assert phrase.lower() in standard.lower(), ("standard", phrase)
        assert phrase.lower() in easy.lower(), ("easy read", phrase)
    for phrase in NEVER_WITHOUT_PR:
        assert phrase.lower() not in easy.lower(), ("easy read", phrase)


@pytest.mark.parametrize("name", [s.name for s in SHIPPED if s.easy_read])
def test_every_easy_read_letter_is_large_print_with_short_lines(name: str) -> None:
    case, reader = specimen_case()
    spec = SHIPPED_BY_NAME[name]
    context = build_context(
        case,
        reader,
        spec,
        council=SPECIMEN_COUNCIL,
        wording=Wording(),
        options=SPECIMEN_OPTIONS,
        today=TODAY,
    )
    letter = render_letter(shipped_bytes(name), name, context)
    document = Document(io.BytesIO(letter.data))
    assert document.styles["Normal"].font.size.pt >= 14
    assert document.styles["List Bullet"].font.size.pt >= 14
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) >= 4 and all(h.endswith("?") for h in headings), headings
    for p in document.paragraphs:
        if (
            p.text
            and not p.style.name.startswith("Heading")
            and p.style.name
            not in (
                "Address",
                "Language line",
            )
        ):
            assert len(p.text.split()) <= 20, (name, p.text)
            assert p.text.count(". ") <= 1, (name, p.text)
    assert not document.tables  # one thing at a time, in lines
    assert letter.report.reading_ease >= 80 and not letter.report.long_sentences


# -- the easy-read version is chosen for a person whose preference or needs say so ---------------

CASE = "PLO-2024-0007"


@pytest.fixture
def letters_app(app: AppContext) -> AppContext:
    return with_examples(app)


def _made(app: AppContext, out: Path, template: str, party: str) -> str:
    result = app.letters.generate(CASE, template, out, party=party, options=OPTIONS, draft=True)
    (made,) = result.letters
    return made.record.template


def test_easy_read_is_chosen_for_every_kind_of_letter(
    letters_app: AppContext, tmp_path: Path
) -> None:
    letters_app.letters.set_easy_read(CASE, "father", True)
    for kind, easy in EASY_READ_VERSIONS.items():
        if kind == "letter_before_proceedings_unborn":
            continue  # this case has no baby not yet born
        assert _made(letters_app, tmp_path, kind, "father") == easy
        assert _made(letters_app, tmp_path, kind, "mother") == kind
    # A template given as a file is used as it is; an easy-read one by name stays itself.
    assert _made(letters_app, tmp_path, "plan_summary_easy_read", "mother") == (
        "plan_summary_easy_read"
    )


def test_easy_read_is_chosen_when_the_persons_needs_say_so(
    letters_app: AppContext, tmp_path: Path
) -> None:
    case = letters_app.cases.get(CASE)
    mother = case.party("mother")
    assert mother is not None
    changed = replace(mother, needs="Learning disability: easy read letters please")
    letters_app.cases.save_party(CASE, changed, confirm=True)
    assert _made(letters_app, tmp_path, "review_invitation", "mother") == (
        "review_invitation_easy_read"
    )
    assert _made(letters_app, tmp_path, "letter_of_issue", "mother") == "letter_of_issue_easy_read"
    # Her letter preference, once set to standard, wins over her recorded needs.
    letters_app.letters.set_easy_read(CASE, "mother", False)
    assert _made(letters_app, tmp_path, "review_invitation", "mother") == "review_invitation"


# -- never a past date as a deadline ---------------------------------------------------------------

LATER = dt.date(2024, 4, 25)  # after the course (29 March) and the assessment (19 April)


@pytest.mark.parametrize("name", [s.name for s in SHIPPED])
def test_a_later_letter_never_gives_a_past_date_as_a_deadline(name: str) -> None:
    options = replace(SPECIMEN_OPTIONS, letter_date=LATER, hearing=None)
    text = render(SHIPPED_BY_NAME[name], options=options)
    assert all(day >= LATER for day in deadlines(text)), (name, deadlines(text))
    assert "by Friday 29 March 2024" not in text and "by Friday 19 April 2024" not in text
    # The reading help of the letter of 4 March (due 7 March) is not this letter's.
    assert "read this letter with you" not in text
    spec = SHIPPED_BY_NAME[name]
    if spec.kind in ("review_invitation", "outcome_letter", "plan_summary") or (
        spec.before_proceedings
    ):
        # The course is not done: it says when it was due, and that it is not done yet.
        assert re.search(r"(?i)was due on Friday 29 March 2024", text), name
        if spec.name != "plan_summary":  # (its table: "Was due on ...", "Not yet")
            assert "it is not done yet" in text.lower(), name
    if spec.before_proceedings:
        assert "It was due to finish on Friday 19 April 2024. It is not finished yet." in text
        # The review booked for 23 April has passed, and no other is booked: left out.
        assert "We will tell you when we will look at the plan again" in text
        assert "Tuesday 23 April 2024" not in text


def test_the_person_making_the_letter_is_told_of_dates_passed() -> None:
    case, reader = specimen_case()
    spec = SHIPPED_BY_NAME["review_invitation"]
    options = replace(SPECIMEN_OPTIONS, letter_date=LATER, hearing=None)
    notes = letter_notes(case, reader, spec, council=SPECIMEN_COUNCIL, options=options, today=LATER)
    (note,) = [n for n in notes if "passed their date" in n]
    assert re.match(r"\d plan actions and 1 assessment in this letter passed their date", note)
    assert "never the past date as a deadline" in note
    on_time = letter_notes(
        case, reader, spec, council=SPECIMEN_COUNCIL, options=SPECIMEN_OPTIONS, today=TODAY
    )
    assert not [n for n in on_time if "passed their date" in n]


def test_a_first_hearing_already_past_is_refused() -> None:
    case, reader = specimen_case()
    spec = SHIPPED_BY_NAME["letter_of_issue"]
    past = replace(SPECIMEN_OPTIONS, hearing=Hearing(dt.date(2024, 3, 1)))
    missing = missing_items(case, reader, spec, council=SPECIMEN_COUNCIL, options=past, today=TODAY)
    (item,) = [m for m in missing if "hearing" in m]
    assert item.startswith("a first hearing still to come: the date given (Friday 1 March 2024)")
    assert "before the letter's date (Monday 4 March 2024)" in item
    coming = missing_items(
        case, reader, spec, council=SPECIMEN_COUNCIL, options=SPECIMEN_OPTIONS, today=TODAY
    )
    assert not [m for m in coming if "hearing" in m]


def test_an_overdue_action_reads_as_not_done_yet() -> None:
    late = PlanAction("Mend the broken window", dt.date(2024, 2, 20), None, None)
    case, _ = specimen_case()
    text = render(
        SHIPPED_BY_NAME["review_invitation_easy_read"], plan_actions=(*case.plan_actions, late)
    )
    assert "This was due on Tuesday 20 February 2024. It is not done yet." in text
    text = render(SHIPPED_BY_NAME["letter_before_proceedings"], plan_actions=(late,))
    assert (
        "Mend the broken window, this was due on Tuesday 20 February 2024; it is not done yet."
        in text
    )
    assert "by Tuesday 20 February 2024" not in text
