"""The easy-read letter before proceedings.

For a person who asked for easy read (for example a parent with a learning disability):
large print (14 pt text, 18 pt headings), short lines with one idea each, and headings
that are questions the reader would ask.  It says everything the standard letter says
(section 4 of the domain reference), in the same order.  It is chosen for a person
automatically when their letter preference says easy read (``LetterService``).
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


def _say(doc: DocumentObject, *texts: str) -> None:
    """One short line for each idea."""
    for text in texts:
        para(doc, text)


def letter_before_proceedings_easy_read() -> DocumentObject:
    doc = new_document(
        SHIPPED_BY_NAME["letter_before_proceedings_easy_read"].title,
        size=TEXT_SIZE,
        heading_sizes=HEADING_SIZES,
    )
    letterhead(doc)
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, "This letter is important.", bold=True)
    para(doc, "Please show it to a solicitor today.", bold=True)
    para(doc, "Their help is free for you.", bold=True)
    tag(doc, "{%p else %}")
    para(doc, "This letter is important.", bold=True)
    para(doc, "Please read it with someone you trust.", bold=True)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if reading_help %}")
    para(doc, "{{ reading_help }}")
    tag(doc, "{%p endif %}")

    heading(doc, "Why are we writing to you?", 1)
    tag(doc, "{%p if unborn %}")
    _say(doc, "This letter is about {{ the_baby }}.")
    tag(doc, "{%p if baby_due %}")
    _say(doc, "The baby is due on {{ baby_due }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    _say(doc, "This letter is about {{ children_names }}.")
    tag(doc, "{%p endif %}")
    _say(
        doc,
        "We are very worried about {{ your_children }}.",
        "We may ask a family court to decide what happens.",
        "We want to work with you so we do not need to go to court.",
        "This letter is called a letter before proceedings.",
    )

    heading(doc, "What are we worried about?")
    worries(doc)

    heading(doc, "What needs to change?")
    tag(doc, "{%p if changes %}")
    tag(doc, "{%p for a in changes %}")
    bullet(doc, "{{ a.what }}.")
    lines(doc, ["Do this by {{ a.due }}."])
    spacer(doc)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    _say(doc, "We will agree this with you at the meeting.", "We will write it down for you.")
    tag(doc, "{%p endif %}")

    heading(doc, "How will we help you?")
    tag(doc, "{%p for h in help_given %}")
    para(doc, "{{ h }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for h in help_now %}")
    bullet(doc, "{{ h }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p for a in open_assessments %}")
    bullet(doc, "{{ a.title }}{% if a.plain %}: {{ a.plain }}{% endif %}.")
    lines(doc, ["It will be done by {{ a.due }}."])
    spacer(doc)
    tag(doc, "{%p endfor %}")

    heading(doc, "Can the family help?")
    _say(
        doc,
        "Family and friends can meet to make a plan.",
        "This is called a family group conference.",
        "Someone who is not your social worker runs it.",
    )
    tag(doc, '{%p if fgdm_answer == "declined" %}')
    _say(doc, "You told us you did not want one.", "You can change your mind at any time.")
    tag(doc, '{%p elif fgdm_answer == "accepted" %}')
    _say(doc, "Thank you for saying yes to one.")
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if fgc_status == "held" %}')
    _say(doc, "A family group conference has taken place.", "We will use the family's plan.")
    tag(doc, "{%p elif fgc %}")
    _say(doc, "It is on {{ fgc.date }}.")
    tag(doc, '{%p elif fgc_status == "referred" or fgc_status == "booked" %}')
    _say(doc, "We have asked for one.", "Someone will call you to plan it.")
    tag(doc, '{%p elif fgdm_answer != "declined" %}')
    _say(doc, "Tell your social worker if you want one.")
    tag(doc, "{%p endif %}")

    heading(doc, "When is the meeting?")
    tag(doc, "{%p if meeting_separate %}")
    _say(doc, "We will meet you on your own.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting %}")
    lines(doc, ["Date: {{ meeting.date }}"])
    tag(doc, "{%p if meeting.time %}")
    lines(doc, ["Time: {{ meeting.time }}"])
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting.place %}")
    lines(doc, ["Place: {{ meeting.place }}"])
    tag(doc, "{%p endif %}")
    spacer(doc)
    tag(doc, "{%p else %}")
    _say(doc, "We will write to you with the date.")
    tag(doc, "{%p endif %}")
    _say(doc, "Please call us on {{ council_phone }} to say you can come.")

    heading(doc, "Who will be at the meeting?")
    bullet(doc, "You.")
    tag(doc, "{%p if solicitor %}")
    bullet(doc, "Your solicitor, {{ solicitor.name }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for p in meeting_with %}")
    bullet(doc, "{{ p.name }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if social_worker %}")
    bullet(doc, "{{ social_worker }}, your social worker.")
    tag(doc, "{%p endif %}")
    bullet(doc, "A lawyer from the council.")
    tag(doc, "{%p if recipient_language %}")
    _say(doc, "We can have someone there who speaks {{ recipient_language }}.", "This is free.")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if recipient_has_pr %}")
    heading(doc, "Can you get free help from a solicitor?")
    _say(
        doc,
        "Yes. A solicitor's help is free for you.",
        "It does not matter how much money you have.",
        "We have put in a list of solicitors.",
    )
    tag(doc, "{%p if solicitor %}")
    _say(doc, "We will send your solicitor a copy of this letter.")
    tag(doc, "{%p endif %}")
    lines_of(doc, "find_solicitor")
    _say(
        doc,
        "Your solicitor can call our lawyer, {{ lawyer_name }}.",
        "The number is {{ lawyer_phone }}.",
    )
    tag(doc, "{%p else %}")
    heading(doc, "Can you get help from a solicitor?")
    _say(
        doc,
        "You can ask a solicitor for advice.",
        "You may have to pay for it.",
        "A solicitor can tell you if you can get help with the cost.",
    )
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")

    heading(doc, "What happens if things do not change?")
    _say(
        doc,
        "We may ask the family court to decide.",
        "The court could make a care order.",
        "This means we could make decisions about the care of {{ your_children }}.",
        "Or the court could make a supervision order.",
        "This means a social worker would keep checking on things at home.",
    )

    heading(doc, "Who can you call?")
    _say(
        doc,
        "Call {% if social_worker %}{{ social_worker }}, your social worker,{% else %}your "
        "social worker{% endif %} on {{ council_phone }}.",
    )
    para(doc, "Yours sincerely,", keep_with_next=True)
    spacer(doc, keep_with_next=True)
    lines(doc, ["{{ signed_by }}"], keep_with_next=True)
    lines(doc, ["{{ signed_by_role }}, {{ council_name }}"])
    spacer(doc)
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, "With this letter: a list of solicitors.", style="Address")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if solicitor %}")
    para(
        doc,
        "Copy to: {{ solicitor.name }}{% if solicitor.firm %}, {{ solicitor.firm }}{% endif %}",
    )
    tag(doc, "{%p endif %}")
    return doc
