"""The letter before proceedings, and its variant for a baby not yet born.

Each holds, in this order, the elements of sections 4 and 6 of the domain reference: the
clear first line; what we are worried about; what is going well; what must change, each with
a date (never a past date as a deadline); how long this stage usually lasts and when the
plan is looked at again; the help we will give; family and friends (the family group
conference); the meeting; legal advice; how to tell us they disagree; and what happens if
things do not change, with what a care order can mean (the children could live somewhere
else) and that we may go to court straight away.

The letter about a baby not yet born speaks of the unborn child alone: what it says about
court is about the baby (it never says "we cannot go to court", which is not true of a
case's other children).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from letter_templates.layout import heading, letterhead, new_document, para, sign_off, tag
from letter_templates.sections import (
    care_order_means,
    changes,
    disagree,
    family_help,
    going_well,
    help_section,
    how_long,
    important,
    language_offer,
    legal_advice,
    meeting_details,
    who_will_be_there,
    worries,
)
from plo_tracker.letters.templates import SHIPPED_BY_NAME

SOLICITOR_LIST = "a list of local solicitors who know about children's law"
FAMILY_MEETING = (
    "Family and friends may be able to help. We can set up a meeting for the family. It is "
    "called a family group conference. At this meeting the family makes its own plan for "
    "{{ your_children }}. Someone who is not your social worker will run it."
)
NO_STRENGTHS = "We will talk with you at the meeting about what is going well."
PR_FIRST_LINE = "This letter is important. Please take it to a solicitor today. Their help is free."
OTHER_FIRST_LINE = "This letter is important. Please read it carefully."


def letter_before_proceedings() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_before_proceedings"].title)
    letterhead(doc)
    important(doc, PR_FIRST_LINE, OTHER_FIRST_LINE)
    heading(doc, "Letter before proceedings", 1)
    para(
        doc,
        "This letter is about {{ children_names }}. We are very worried about "
        "{{ your_children }}. We are thinking about asking the family court to decide what "
        "should happen. This letter is called a letter before proceedings. We want to work "
        "with you so that we do not need to go to court.",
    )
    heading(doc, "What we are worried about")
    worries(doc)
    heading(doc, "What is going well")
    going_well(doc, none_yet=NO_STRENGTHS)
    heading(doc, "What must change")
    changes(doc)
    heading(doc, "How long this will take")
    how_long(doc)
    heading(doc, "The help we will give you")
    help_section(
        doc,
        assessments_intro="We have also asked for these assessments. They will show us how "
        "best to help the family:",
    )
    heading(doc, "Family and friends can help")
    family_help(doc, intro=FAMILY_MEETING)
    heading(doc, "Meeting with us")
    para(doc, "We would like to meet you to talk about this letter and agree a plan.")
    meeting_details(doc)
    who_will_be_there(doc)
    language_offer(doc)
    legal_advice(doc)
    heading(doc, "If you do not agree")
    disagree(doc)
    heading(doc, "What happens if things do not change")
    para(
        doc,
        "We hope things will get better. If they do not get better enough, we may ask the "
        "family court to decide what should happen for {{ your_children }}.",
    )
    para(
        doc,
        "The court could make a care order. This would let us make decisions about the care of "
        "{{ your_children }}.",
    )
    care_order_means(doc, "{{ your_children }}")
    para(
        doc,
        "Or the court could make a supervision order. This means a social worker would keep "
        "checking how things are at home.",
    )
    para(doc, "If we think there is danger, we may go to court straight away.")
    para(doc, "We know this letter is hard to read. We are here to help make things better.")
    sign_off(doc, [SOLICITOR_LIST], enclosed_if="recipient_has_pr")
    return doc


def letter_before_proceedings_unborn() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_before_proceedings_unborn"].title)
    letterhead(doc)
    important(doc, PR_FIRST_LINE, OTHER_FIRST_LINE)
    heading(doc, "Letter before proceedings: planning for the baby", 1)
    para(doc, "This letter is about {{ the_baby }}.")
    tag(doc, "{%p if baby_due %}")
    para(doc, "The baby is due on {{ baby_due }}.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "We are worried about how safe {{ the_baby }} will be after the birth. We need to plan "
        "with you now, before {{ the_baby }} is born.",
    )
    para(
        doc,
        "This letter is called a letter before proceedings. We want to work with you so that "
        "we do not need to go to court.",
    )
    heading(doc, "What we are worried about")
    worries(doc)
    heading(doc, "What is going well")
    going_well(doc, none_yet=NO_STRENGTHS)
    heading(doc, "What must change before the baby is born")
    changes(doc)
    heading(doc, "How long this will take")
    how_long(doc)
    heading(doc, "The help we will give you")
    help_section(
        doc,
        assessments_intro="We have also asked for these assessments. We want them done before "
        "the baby is born:",
    )
    heading(doc, "Family and friends can help")
    family_help(
        doc,
        intro="Family and friends may be able to help care for the baby. We can set up a "
        "meeting for the family. It is called a family group conference. At this meeting the "
        "family makes its own plan for the baby. Someone who is not your social worker will "
        "run it.",
    )
    heading(doc, "Meeting with us")
    para(doc, "We would like to meet you soon to talk about this letter and agree a plan.")
    meeting_details(doc)
    who_will_be_there(doc)
    language_offer(doc)
    legal_advice(doc)
    heading(doc, "If you do not agree")
    disagree(doc)
    heading(doc, "What happens if things do not change")
    para(
        doc,
        "The court cannot make an order about {{ the_baby }} until the baby is born. That is "
        "why we need to plan now. If things do not get better enough, we may ask the family "
        "court to decide where {{ the_baby }} will live after the birth.",
    )
    para(
        doc,
        "The court could make a care order. This would let us make decisions about the baby's "
        "care.",
    )
    care_order_means(doc, "the baby")
    para(
        doc,
        "Or the court could make a supervision order. This means a social worker would keep "
        "checking how the baby is.",
    )
    para(doc, "If we think the baby is in danger at birth, we may go to court straight away.")
    para(doc, "Please keep in touch with your social worker and the midwife.")
    sign_off(doc, [SOLICITOR_LIST], enclosed_if="recipient_has_pr")
    return doc
