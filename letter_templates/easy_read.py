"""The easy-read letters before proceedings, and the parts every easy-read letter shares.

For a person who needs easy read (for example a parent with a learning disability): large
print (14 pt text, 18 pt headings), short lines with one idea each, and headings that are
questions the reader would ask.  Each easy-read letter says everything its standard
version says (the required elements of sections 4 and 6 of the domain reference), in the
same order: "Please bring your solicitor", "If you cannot come, call us", "we may go to
court straight away" where the standard has them.  It is chosen for a person
automatically when their letter preference or recorded needs say easy read
(``LetterService``), for every kind of letter.  Never a past date as a deadline: "This was
due on ... It is not done yet."
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from letter_templates.layout import (
    bullet,
    heading,
    letterhead,
    lines,
    new_document,
    para,
    spacer,
    tag,
)
from letter_templates.sections import lines_of, worries
from plo_tracker.letters.templates import SHIPPED_BY_NAME

TEXT_SIZE = 14
HEADING_SIZES = (20, 18)
SOCIAL_WORKER = (
    "{% if social_worker %}{{ social_worker }}, your social worker,{% else %}your social "
    "worker{% endif %}"
)


def say(doc: DocumentObject, *texts: str, together: bool = False) -> None:
    """One short line for each idea (``together``: kept on one page with what follows)."""
    for text in texts:
        para(doc, text, keep_with_next=together)


def item_gap(doc: DocumentObject) -> None:
    """A blank line between the items of a list (not after the last one)."""
    tag(doc, "{%p if not loop.last %}")
    spacer(doc)
    tag(doc, "{%p endif %}")


def easy_document(name: str) -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME[name].title, size=TEXT_SIZE, heading_sizes=HEADING_SIZES)
    letterhead(doc)
    return doc


def first_lines(doc: DocumentObject, pr_lines: list[str], other_lines: list[str]) -> None:
    """The clear first lines (bold), then who will read the letter with the reader."""
    tag(doc, "{%p if recipient_has_pr %}")
    for text in pr_lines:
        para(doc, text, bold=True)
    tag(doc, "{%p else %}")
    for text in other_lines:
        para(doc, text, bold=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if reading_help %}")
    para(doc, "{{ reading_help }}")
    tag(doc, "{%p endif %}")


def action_lines(doc: DocumentObject, items: str, *, done: bool = False) -> None:
    """Each plan action on its own lines, with its date; never a past date as a deadline."""
    tag(doc, f"{{%p for a in {items} %}}")
    bullet(doc, "{{ a.what }}.", keep_with_next=True)
    if done:
        para(
            doc,
            "{% if a.done %}Done on {{ a.done_on }}.{% elif a.late %}This was due on "
            "{{ a.due }}. It is not done yet.{% else %}Do this by {{ a.due }}.{% endif %}",
        )
    else:
        para(
            doc,
            "{% if a.late %}This was due on {{ a.due }}. It is not done yet.{% else %}Do "
            "this by {{ a.due }}.{% endif %}",
        )
    item_gap(doc)
    tag(doc, "{%p endfor %}")


def assessment_lines(doc: DocumentObject, items: str) -> None:
    tag(doc, f"{{%p for a in {items} %}}")
    bullet(doc, "{{ a.title }}{% if a.plain %}: {{ a.plain }}{% endif %}.", keep_with_next=True)
    para(
        doc,
        "{% if a.done %}It finished on {{ a.done_on }}.{% elif a.late %}It was due to "
        "finish on {{ a.due }}. It is not finished yet.{% else %}It will be done by "
        "{{ a.due }}.{% endif %}",
    )
    item_gap(doc)
    tag(doc, "{%p endfor %}")


def meeting_block(doc: DocumentObject, *, confirm: bool = True) -> None:
    """The meeting's date, time and place (or that we will write), and how to say you can
    come or cannot."""
    tag(doc, "{%p if meeting_separate %}")
    say(
        doc,
        "We will meet you on your own.",
        "Nobody else from the family will be there.",
        together=True,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting %}")
    lines(doc, ["Date: {{ meeting.date }}"], keep_with_next=True)
    tag(doc, "{%p if meeting.time %}")
    lines(doc, ["Time: {{ meeting.time }}"], keep_with_next=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting.place %}")
    lines(doc, ["Place: {{ meeting.place }}"])
    tag(doc, "{%p endif %}")
    spacer(doc)
    tag(doc, "{%p else %}")
    say(doc, "We will write to you with the date, time and place.")
    tag(doc, "{%p endif %}")
    if confirm:
        say(
            doc,
            "Please call us on {{ council_phone }} to say you can come.",
            "If you cannot come, call us as soon as you can.",
            "We will try to find another time.",
        )


def who_comes(doc: DocumentObject) -> None:
    heading(doc, "Who will be at the meeting?")
    bullet(doc, "You.")
    tag(doc, "{%p if solicitor %}")
    bullet(doc, "Your solicitor, {{ solicitor.name }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for p in meeting_with %}")
    bullet(doc, "{{ p.name }} ({{ p.relationship }}).")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if social_worker %}")
    bullet(doc, "{{ social_worker }}, your social worker.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if team_manager %}")
    bullet(doc, "{{ team_manager }}, who manages your social worker.")
    tag(doc, "{%p endif %}")
    bullet(doc, "A lawyer from the council.")
    tag(doc, "{%p if recipient_has_pr %}")
    say(doc, "Please bring your solicitor with you.")
    tag(doc, "{%p else %}")
    say(doc, "You can bring a solicitor or a friend with you.")
    tag(doc, "{%p endif %}")


def language_lines(doc: DocumentObject) -> None:
    tag(doc, "{%p if recipient_language %}")
    say(
        doc,
        "Would you like this letter in {{ recipient_language }}? Please call us.",
        "We can have someone at the meeting who speaks {{ recipient_language }}.",
        "This is free.",
    )
    tag(doc, "{%p endif %}")


def lawyer_lines(doc: DocumentObject) -> None:
    say(
        doc,
        "Your solicitor can call our lawyer, {{ lawyer_name }}.",
        "The number is {{ lawyer_phone }}.",
    )


def solicitor_help(doc: DocumentObject) -> None:
    """Free help from a solicitor for people with PR; honest wording for others."""
    tag(doc, "{%p if recipient_has_pr %}")
    heading(doc, "Can you get free help from a solicitor?")
    say(
        doc,
        "Yes. A solicitor's help is free for you.",
        "It does not matter how much money you have.",
        "Please take this letter to a solicitor now.",
        "We have put in a list of solicitors.",
    )
    tag(doc, "{%p if solicitor %}")
    say(doc, "We will send your solicitor a copy of this letter.")
    tag(doc, "{%p endif %}")
    lines_of(doc, "find_solicitor")
    lawyer_lines(doc)
    tag(doc, "{%p else %}")
    heading(doc, "Can you get help from a solicitor?")
    say(
        doc,
        "You can ask a solicitor for advice.",
        "You may have to pay for it.",
        "A solicitor can tell you if you can get help with the cost.",
    )
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")


def disagree_lines(doc: DocumentObject) -> None:
    heading(doc, "What if you do not agree?")
    say(
        doc,
        "You can tell us if you do not agree with this letter.",
        "We want to hear what you think.",
        "You can tell us at the meeting.",
        "Or call " + SOCIAL_WORKER + " on {{ council_phone }}.",
    )
    tag(doc, "{%p if council_email %}")
    say(doc, "Or email us at {{ council_email }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recipient_has_pr %}")
    say(doc, "Your solicitor can help you say what you think.")
    tag(doc, "{%p endif %}")


def sign(doc: DocumentObject, enclosed: list[str] | None = None) -> None:
    """Who to call, the signature block (kept together), enclosures, the copy line."""
    heading(doc, "Who can you call?")
    say(doc, "Call " + SOCIAL_WORKER + " on {{ council_phone }}.", together=True)
    para(doc, "Yours sincerely,", keep_with_next=True)
    spacer(doc, keep_with_next=True)
    lines(doc, ["{{ signed_by }}"], keep_with_next=True)
    # The enclosures and the copy line stay on the signature's page.
    lines(doc, ["{{ signed_by_role }}, {{ council_name }}"], keep_with_next=True)
    spacer(doc, keep_with_next=True)
    if enclosed:
        tag(doc, "{%p if recipient_has_pr %}")
        para(
            doc,
            "With this letter: " + " and ".join(enclosed) + ".",
            style="Address",
            keep_with_next=True,
        )
        tag(doc, "{%p endif %}")
    tag(doc, "{%p if solicitor %}")
    para(
        doc,
        "Copy to: {{ solicitor.name }}{% if solicitor.firm %}, {{ solicitor.firm }}{% endif %}",
    )
    tag(doc, "{%p endif %}")


# -- the letters before proceedings -----------------------------------------------------------


def _before_proceedings(doc: DocumentObject, *, unborn: bool) -> DocumentObject:
    first_lines(
        doc,
        [
            "This letter is important.",
            "Please show it to a solicitor today.",
            "Their help is free for you.",
        ],
        ["This letter is important.", "Please read it with someone you trust."],
    )
    heading(doc, "Why are we writing to you?", 1)
    if unborn:
        say(doc, "This letter is about {{ the_baby }}.")
        tag(doc, "{%p if baby_due %}")
        say(doc, "The baby is due on {{ baby_due }}.")
        tag(doc, "{%p endif %}")
        say(
            doc,
            "We are worried about how safe {{ the_baby }} will be after the birth.",
            "We need to plan with you now, before {{ the_baby }} is born.",
        )
    else:
        say(
            doc,
            "This letter is about {{ children_names }}.",
            "We are very worried about {{ your_children }}.",
            "We may ask a family court to decide what happens.",
        )
    say(
        doc,
        "We want to work with you so we do not need to go to court.",
        "This letter is called a letter before proceedings.",
    )

    heading(doc, "What are we worried about?")
    worries(doc)

    heading(doc, "What is going well?")
    tag(doc, "{%p if strengths %}")
    tag(doc, "{%p for s in strengths %}")
    bullet(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    say(doc, "We will talk with you at the meeting about what is going well.")
    tag(doc, "{%p endif %}")

    heading(
        doc, "What needs to change before the baby is born?" if unborn else "What needs to change?"
    )
    tag(doc, "{%p if changes %}")
    action_lines(doc, "changes")
    tag(doc, "{%p else %}")
    say(doc, "We will agree this with you at the meeting.", "We will write it down for you.")
    tag(doc, "{%p endif %}")

    heading(doc, "How long will this take?")
    say(doc, "This stage usually lasts about {{ stage_weeks }} weeks.")
    tag(doc, "{%p if next_review %}")
    say(doc, "We will look at the plan again with you on {{ next_review }}.")
    tag(doc, "{%p else %}")
    say(doc, "We will tell you when we will look at the plan again.")
    tag(doc, "{%p endif %}")

    heading(doc, "How will we help you?")
    tag(doc, "{%p for h in help_given %}")
    para(doc, "{{ h }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for h in help_now %}")
    bullet(doc, "{{ h }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if open_assessments %}")
    say(
        doc,
        "We have asked for these checks. We want them done before the baby is born:"
        if unborn
        else "We have asked for these checks:",
        together=True,
    )
    assessment_lines(doc, "open_assessments")
    tag(doc, "{%p endif %}")

    heading(doc, "Can the family help?")
    say(
        doc,
        "Family and friends can meet to make a plan for the baby."
        if unborn
        else "Family and friends can meet to make a plan.",
        "This is called a family group conference.",
        "Someone who is not your social worker runs it.",
    )
    tag(doc, '{%p if fgdm_answer == "declined" %}')
    say(doc, "You told us you did not want one.", "You can change your mind at any time.")
    tag(doc, '{%p elif fgdm_answer == "accepted" %}')
    say(doc, "Thank you for saying yes to a family group conference.")
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if fgc_status == "held" %}')
    say(doc, "A family group conference has taken place.", "We will use the family's plan.")
    tag(doc, "{%p elif fgc %}")
    say(doc, "It is on {{ fgc.date }}{% if fgc.time %} at {{ fgc.time }}{% endif %}.")
    tag(doc, "{%p if fgc.place %}")
    say(doc, "It will be at {{ fgc.place }}.")
    tag(doc, "{%p endif %}")
    tag(doc, '{%p elif fgc_status == "referred" or fgc_status == "booked" %}')
    say(doc, "We have asked for one.", "Someone will call you to plan it.")
    tag(doc, '{%p elif fgdm_answer != "declined" %}')
    say(doc, "Tell your social worker if you want one.")
    tag(doc, "{%p endif %}")

    heading(doc, "When is the meeting?")
    meeting_block(doc)
    who_comes(doc)
    language_lines(doc)
    solicitor_help(doc)
    disagree_lines(doc)

    heading(doc, "What happens if things do not change?")
    if unborn:
        say(
            doc,
            "The court cannot make an order about {{ the_baby }} until the baby is born.",
            "That is why we need to plan now.",
            "We may ask the family court to decide where the baby lives after the birth.",
        )
    else:
        say(doc, "We may ask the family court to decide.")
    who = "the baby" if unborn else "{{ your_children }}"
    say(
        doc,
        "The court could make a care order.",
        f"This means we could make decisions about the care of {who}.",
        f"A care order can mean {who} could live somewhere else.",
        "This could be with family or friends.",
        "Or it could be with foster carers.",
        "Foster carers look after children in their own home.",
        "Or the court could make a supervision order.",
        "This means a social worker would keep checking how things are.",
        "If we think there is danger, we may go to court straight away.",
    )
    if unborn:
        say(doc, "Please keep in touch with your social worker and the midwife.")
    sign(doc, ["a list of solicitors"])
    return doc


def letter_before_proceedings_easy_read() -> DocumentObject:
    doc = easy_document("letter_before_proceedings_easy_read")
    return _before_proceedings(doc, unborn=False)


def letter_before_proceedings_unborn_easy_read() -> DocumentObject:
    doc = easy_document("letter_before_proceedings_unborn_easy_read")
    return _before_proceedings(doc, unborn=True)
