"""Build the shipped letter templates (.docx) and their field list (fields.md).

Run from the repository root after changing any wording here:

    .venv/bin/python -m letter_templates.build_templates

The .docx files are committed; a council opens one in Word, restyles it (fonts, logo,
letterhead, colours) and saves it in its own template folder.  Jinja tags stay as typed:
``{{ field }}`` prints a field, a paragraph holding only ``{%p if ... %}`` or
``{%p for ... %}`` shows or repeats the paragraphs up to its ``{%p endif %}`` /
``{%p endfor %}``, and ``{%tr for ... %}`` repeats a table row.

Writing rules for the wording (the plain-language check holds the letters to them):
"we" and "you"; short sentences (no sentence over 25 words, reading ease 70 or more);
say what, who and when; explain a legal term the first time it is used ("This means
...") or do not use it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from plo_tracker.letters.render import check_template
from plo_tracker.letters.templates import FIELDS, FIELDS_BY_NAME, SHIPPED, SHIPPED_BY_NAME

HERE = Path(__file__).resolve().parent
FONT = "Arial"


# -- building blocks ---------------------------------------------------------------------------


def new_document(title: str) -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 16), ("Heading 2", 13)):
        style = doc.styles[name]
        style.font.name = FONT
        _no_theme_font(style.element)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14)
        style.paragraph_format.space_after = Pt(6)
    address = doc.styles.add_style("Address", WD_STYLE_TYPE.PARAGRAPH)
    address.base_style = normal
    address.paragraph_format.space_after = Pt(0)
    bullet = doc.styles["List Bullet"]
    bullet.font.name = FONT
    bullet.paragraph_format.space_after = Pt(4)
    props = doc.core_properties
    props.title = title
    props.author = "PLO Tracker"
    props.subject = "PLO Tracker letter template"
    props.comments = "The fields this template uses are listed in fields.md."
    props.keywords = ""
    props.last_modified_by = "PLO Tracker"
    props.revision = 1
    footer = section.footer.paragraphs[0]
    footer.text = "Our reference: {{ case_reference }}"
    footer.style = doc.styles["Normal"]
    footer.runs[0].font.size = Pt(9)
    return doc


def _no_theme_font(style: Any) -> None:
    """Word prefers a style's theme font to its named font; drop the theme font."""
    fonts = style.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    if fonts is not None:
        for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attribute}"), None)


def para(doc: DocumentObject, text: str, *, bold: bool = False, style: str | None = None) -> None:
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(text)
    run.bold = bold


def tag(doc: DocumentObject, text: str) -> None:
    """A paragraph holding one {%p ... %} tag (it disappears from the letter)."""
    doc.add_paragraph(text)


def heading(doc: DocumentObject, text: str, level: int = 2) -> None:
    doc.add_heading(text, level=level)


def bullet(doc: DocumentObject, text: str) -> None:
    doc.add_paragraph(text, style="List Bullet")


def lines(doc: DocumentObject, items: list[str]) -> None:
    for text in items:
        paragraph: Paragraph = doc.add_paragraph(text, style="Address")
        paragraph.paragraph_format.space_after = Pt(0)


def spacer(doc: DocumentObject) -> None:
    doc.add_paragraph("", style="Address")


def letterhead(doc: DocumentObject) -> None:
    para(doc, "{{ council_name }}", bold=True, style="Address")
    tag(doc, "{%p for line in council_address %}")
    lines(doc, ["{{ line }}"])
    tag(doc, "{%p endfor %}")
    lines(doc, ["Phone: {{ council_phone }}"])
    tag(doc, "{%p if council_email %}")
    lines(doc, ["Email: {{ council_email }}"])
    tag(doc, "{%p endif %}")
    spacer(doc)
    lines(doc, ["{{ recipient_name }}"])
    tag(doc, "{%p for line in recipient_address %}")
    lines(doc, ["{{ line }}"])
    tag(doc, "{%p endfor %}")
    spacer(doc)
    lines(doc, ["Our reference: {{ case_reference }}", "{{ letter_date }}"])
    spacer(doc)
    para(doc, "Dear {{ recipient_name }},")


def sign_off(doc: DocumentObject, enclosed: list[str]) -> None:
    para(
        doc,
        "If you have any questions, please call {% if social_worker %}{{ social_worker }}, "
        "your social worker,{% else %}your social worker{% endif %} on {{ council_phone }}.",
    )
    para(doc, "Yours sincerely,")
    spacer(doc)
    lines(doc, ["{{ signed_by }}", "{{ signed_by_role }}, {{ council_name }}"])
    spacer(doc)
    if enclosed:
        para(doc, "With this letter:", style="Address")
        for item in enclosed:
            bullet(doc, item)
    tag(doc, "{%p if solicitor %}")
    para(
        doc,
        "Copy to: {{ solicitor.name }}{% if solicitor.firm %}, {{ solicitor.firm }}{% endif %}",
    )
    tag(doc, "{%p endif %}")


def language_offer(doc: DocumentObject) -> None:
    tag(doc, "{%p if recipient_language %}")
    para(
        doc,
        "If you would like this letter in {{ recipient_language }}, please call us. We can "
        "also have someone at the meeting to speak {{ recipient_language }} with you. This is "
        "free.",
    )
    tag(doc, "{%p endif %}")


def meeting_details(doc: DocumentObject, *, none_booked: str) -> None:
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
    para(doc, none_booked)
    tag(doc, "{%p endif %}")


def who_will_be_there(doc: DocumentObject) -> None:
    para(doc, "These people will be at the meeting:")
    bullet(doc, "you{% if solicitor %} and your solicitor{% endif %}")
    tag(doc, "{%p for p in other_parties %}")
    tag(doc, "{%p if p.has_pr %}")
    bullet(doc, "{{ p.name }} ({{ p.relationship }})")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if social_worker %}")
    bullet(doc, "{{ social_worker }}, your social worker")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if team_manager %}")
    bullet(doc, "{{ team_manager }}, who manages your social worker")
    tag(doc, "{%p endif %}")
    bullet(doc, "a lawyer from the council")
    para(
        doc,
        "Please bring your solicitor with you. Please call us on {{ council_phone }} to say you "
        "can come. If you cannot come, call us as soon as you can. We will try to find another "
        "time.",
    )


def lawyer_contact(doc: DocumentObject) -> None:
    para(
        doc,
        "Your solicitor can talk to our lawyer, {{ lawyer_name }}. The phone number is "
        "{{ lawyer_phone }}.{% if lawyer_email %} The email address is {{ lawyer_email }}."
        "{% endif %}",
    )


def worries(doc: DocumentObject) -> None:
    tag(doc, "{%p for w in worries %}")
    bullet(doc, "{{ w }}")
    tag(doc, "{%p endfor %}")


def changes(doc: DocumentObject, *, none_yet: str) -> None:
    tag(doc, "{%p if changes %}")
    para(doc, "These things must change. Each one has a date.")
    tag(doc, "{%p for a in changes %}")
    bullet(doc, "{{ a.what }}, by {{ a.due }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, none_yet)
    tag(doc, "{%p endif %}")


def help_section(doc: DocumentObject, *, assessments_intro: str) -> None:
    tag(doc, "{%p for h in help_given %}")
    para(doc, "{{ h }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if help_now %}")
    para(doc, "We will also help you in these ways:")
    tag(doc, "{%p for h in help_now %}")
    bullet(doc, "{{ h }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if open_assessments %}")
    para(doc, assessments_intro)
    tag(doc, "{%p for a in open_assessments %}")
    bullet(
        doc,
        "{{ a.title }}{% if a.plain %} ({{ a.plain }}){% endif %}. It should finish by "
        "{{ a.due }}.",
    )
    tag(doc, "{%p endfor %}")
    para(doc, "Your social worker will tell you who will do each one, and when.")
    tag(doc, "{%p endif %}")


def family_help(doc: DocumentObject, *, intro: str) -> None:
    para(doc, intro)
    tag(doc, '{%p if fgc_status == "held" %}')
    para(doc, "Thank you for taking part in the family group conference. We will use its plan.")
    tag(doc, '{%p elif fgc_status == "declined" %}')
    para(
        doc,
        "You told us before that you did not want one. You can change your mind at any time. "
        "Just tell your social worker.",
    )
    tag(doc, "{%p elif fgc %}")
    para(
        doc,
        "We have booked a family group conference on {{ fgc.date }}"
        "{% if fgc.time %} at {{ fgc.time }}{% endif %}"
        "{% if fgc.place %}. It will be at {{ fgc.place }}{% endif %}.",
    )
    tag(doc, '{%p elif fgc_status == "referred" %}')
    para(doc, "We have asked for one to be set up. Someone will call you soon to plan it.")
    tag(doc, "{%p else %}")
    para(
        doc,
        "Please tell your social worker if you would like one. Tell them who you would like "
        "to come.",
    )
    tag(doc, "{%p endif %}")


def important(doc: DocumentObject, text: str) -> None:
    para(doc, text, bold=True)


# -- the letters -------------------------------------------------------------------------------

FREE_ADVICE = (
    "Please take this letter to a solicitor now. Choose one who knows about children's law. "
    "Their advice is free for you. It does not matter how much money you have. We have put "
    "in a list of local solicitors."
)
SOLICITOR_ON_FILE = (
    "We have your solicitor as {{ solicitor.name }}{% if solicitor.firm %} at "
    "{{ solicitor.firm }}{% endif %}. We will send them a copy of this letter."
)
PLAN_AT_MEETING = (
    "We will agree with you at the meeting what must change. We will write down each thing "
    "and its date. You will get a copy."
)


def letter_before_proceedings() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_before_proceedings"].title)
    letterhead(doc)
    important(
        doc, "This letter is important. Please take it to a solicitor today. Their help is free."
    )
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
    heading(doc, "What must change")
    changes(doc, none_yet=PLAN_AT_MEETING)
    heading(doc, "The help we will give you")
    help_section(
        doc,
        assessments_intro="We have also asked for these assessments. They will show us how "
        "best to help your family:",
    )
    heading(doc, "Family and friends can help")
    family_help(
        doc,
        intro="Your family and friends may be able to help. We can set up a meeting for them. "
        "It is called a family group conference. At this meeting your family makes its own plan "
        "for {{ your_children }}. Someone who is not your social worker will run it.",
    )
    heading(doc, "Meeting with us")
    para(doc, "We would like to meet you to talk about this letter and agree a plan.")
    meeting_details(
        doc,
        none_booked="We have not booked the meeting yet. We will write to you soon with the "
        "date, time and place.",
    )
    who_will_be_there(doc)
    language_offer(doc)
    heading(doc, "Free legal advice")
    para(doc, FREE_ADVICE)
    tag(doc, "{%p if solicitor %}")
    para(doc, SOLICITOR_ON_FILE)
    tag(doc, "{%p endif %}")
    lawyer_contact(doc)
    heading(doc, "What happens if things do not change")
    para(
        doc,
        "We hope things will get better. If they do not get better enough, we may ask the "
        "family court to decide what should happen for {{ your_children }}.",
    )
    para(
        doc,
        "The court could make a care order. This would let us make decisions about the care of "
        "{{ your_children }}. Or the court could make a supervision order. This means a social "
        "worker would keep checking how things are at home.",
    )
    para(doc, "If we think there is danger, we may go to court straight away.")
    para(doc, "We know this letter is hard to read. We are here to help you make things better.")
    sign_off(doc, ["a list of local solicitors who know about children's law"])
    return doc


def letter_before_proceedings_unborn() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_before_proceedings_unborn"].title)
    letterhead(doc)
    important(
        doc, "This letter is important. Please take it to a solicitor today. Their help is free."
    )
    heading(doc, "Letter before proceedings: planning for your baby", 1)
    para(
        doc,
        "This letter is about your baby.{% if baby_due %} Your baby is due on "
        "{{ baby_due }}.{% endif %} We are worried about how safe your baby will be after the "
        "birth. We need to plan with you now, before your baby is born.",
    )
    tag(doc, "{%p if not one_child %}")
    para(doc, "This letter is also about your other children: {{ children_names }}.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "This letter is called a letter before proceedings. We want to work with you so that "
        "we do not need to go to court.",
    )
    heading(doc, "What we are worried about")
    worries(doc)
    heading(doc, "What must change before your baby is born")
    changes(doc, none_yet=PLAN_AT_MEETING)
    heading(doc, "The help we will give you")
    help_section(
        doc,
        assessments_intro="We have also asked for these assessments. We want them done before "
        "your baby is born:",
    )
    heading(doc, "Family and friends can help")
    family_help(
        doc,
        intro="Your family and friends may be able to help you care for your baby. We can set "
        "up a meeting for them. It is called a family group conference. At this meeting your "
        "family makes its own plan for your baby. Someone who is not your social worker will "
        "run it.",
    )
    heading(doc, "Meeting with us")
    para(doc, "We would like to meet you soon to talk about this letter and agree a plan.")
    meeting_details(
        doc,
        none_booked="We have not booked the meeting yet. We will write to you soon with the "
        "date, time and place.",
    )
    who_will_be_there(doc)
    language_offer(doc)
    heading(doc, "Free legal advice")
    para(doc, FREE_ADVICE)
    tag(doc, "{%p if solicitor %}")
    para(doc, SOLICITOR_ON_FILE)
    tag(doc, "{%p endif %}")
    lawyer_contact(doc)
    heading(doc, "What happens if things do not change")
    para(
        doc,
        "We cannot go to court before your baby is born. That is why we need to plan now. If "
        "things do not get better enough, we may ask the family court to decide where your "
        "baby will live after the birth.",
    )
    para(
        doc,
        "The court could make a care order. This would let us make decisions about your "
        "baby's care. Or the court could make a supervision order. This means a social worker "
        "would keep checking how your baby is.",
    )
    para(doc, "If we think your baby is in danger at birth, we may go to court straight away.")
    para(doc, "Please keep in touch with your social worker and your midwife.")
    sign_off(doc, ["a list of local solicitors who know about children's law"])
    return doc


def letter_of_issue() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_of_issue"].title)
    letterhead(doc)
    important(doc, "This letter is important. Please take it to a solicitor straight away.")
    heading(doc, "We have asked the family court to decide", 1)
    para(
        doc,
        "We have now asked the family court to decide what should happen for "
        "{{ children_names }}. This is called care proceedings. We know this is very hard "
        "news.{% if court_reference %} The court's number for this case is "
        "{{ court_reference }}.{% endif %}",
    )
    heading(doc, "What this means")
    para(
        doc,
        "A judge will now decide what is best for {{ your_children }}. The judge will listen "
        "to us, to you and to others in the family. You can tell the judge what you think. "
        "Your solicitor will help you do this.",
    )
    para(
        doc,
        "The judge may make a care order. This would let us make decisions about the care of "
        "{{ your_children }}. Or the judge may make a supervision order. This means a social "
        "worker would keep checking how things are at home.",
    )
    heading(doc, "The first hearing")
    tag(doc, "{%p if hearing %}")
    para(
        doc,
        "The first hearing is on {{ hearing.date }}{% if hearing.time %} at "
        "{{ hearing.time }}{% endif %}.{% if hearing.place %} It will be at "
        "{{ hearing.place }}.{% endif %}",
    )
    para(doc, "Please go to it with your solicitor. Please get there in good time.")
    tag(doc, "{%p else %}")
    para(
        doc,
        "We do not know the date of the first hearing yet. The court will write to you with "
        "the date, time and place. It may be soon, so please see a solicitor now.",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "Get a solicitor now")
    tag(doc, "{%p if recipient_has_pr %}")
    para(
        doc,
        "Legal aid is free for parents in these cases. This means the government pays for "
        "your solicitor. It does not matter how much money you have.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "You may be able to get legal aid. This means the government pays for your solicitor. "
        "A solicitor can tell you if you can get it.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if solicitor %}")
    para(
        doc,
        "Please give this letter to your solicitor straight away. We have your solicitor as "
        "{{ solicitor.name }}{% if solicitor.firm %} at {{ solicitor.firm }}{% endif %}.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Please choose a solicitor who knows about children's law. Call them today. We have "
        "put in a list of local solicitors.",
    )
    tag(doc, "{%p endif %}")
    lawyer_contact(doc)
    heading(doc, "We will keep working with you")
    para(
        doc,
        "{% if social_worker %}{{ social_worker }}, your social worker,{% else %}Your social "
        "worker{% endif %} will still see you and help you. Please keep doing the things in "
        "your plan. This helps the judge see the changes you are making.",
    )
    language_offer(doc)
    sign_off(
        doc,
        [
            "a copy of our application to the court",
            "a list of local solicitors who know about children's law",
        ],
    )
    return doc


def review_invitation() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["review_invitation"].title)
    letterhead(doc)
    heading(doc, "Please come to a review meeting", 1)
    para(
        doc,
        "We would like you to come to a meeting about {{ your_children }}. At the meeting we "
        "will look at how the plan is going. We will talk about what is going well. We will "
        "also talk about what still needs to change.",
    )
    heading(doc, "The meeting")
    meeting_details(
        doc,
        none_booked="We have not booked the meeting yet. We will write to you soon with the "
        "date, time and place.",
    )
    who_will_be_there(doc)
    language_offer(doc)
    heading(doc, "How the plan is going")
    tag(doc, "{%p if my_plan %}")
    para(doc, "This is what the plan asks of you, and how it is going:")
    tag(doc, "{%p for a in my_plan %}")
    bullet(
        doc,
        "{{ a.what }}. {% if a.done %}Done on {{ a.done_on }}.{% else %}Still to do, by "
        "{{ a.due }}.{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, "We have not yet agreed a plan with you. We will agree one at the meeting.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if assessments %}")
    para(doc, "These are the assessments:")
    tag(doc, "{%p for a in assessments %}")
    bullet(
        doc,
        "{{ a.title }}{% if a.plain %} ({{ a.plain }}){% endif %}. {% if a.done %}It finished "
        "on {{ a.done_on }}.{% else %}It should finish by {{ a.due }}.{% endif %}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    heading(doc, "Free legal advice")
    para(
        doc,
        "Advice from your solicitor is still free. Please show them this letter.",
    )
    lawyer_contact(doc)
    heading(doc, "If things do not change")
    para(
        doc,
        "The meeting is a chance to show us the changes you have made. If things do not get "
        "better enough, we may ask the family court to decide what should happen.",
    )
    sign_off(doc, [])
    return doc


def outcome_letter() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["outcome_letter"].title)
    letterhead(doc)
    heading(doc, "We will not go to court", 1)
    para(
        doc,
        "We have decided that we do not need to ask the family court to decide about "
        "{{ your_children }}. We wrote to you before about going to court. That process has "
        "now ended. Thank you for the work you have done to make things better.",
    )
    heading(doc, "What happens next")
    tag(doc, '{%p if step_down_to == "child_protection" %}')
    para(
        doc,
        "We will keep working with you through a child protection plan. This is a plan to keep "
        "{{ your_children }} safe. Your social worker will keep visiting. We will look at the "
        "plan with you at regular meetings.",
    )
    tag(doc, '{%p elif step_down_to == "child_in_need" %}')
    para(
        doc,
        "We will keep helping your family through a child in need plan. This is a plan of help "
        "for your family. Your social worker will keep in touch with you.",
    )
    tag(doc, '{%p elif step_down_to == "no_further_action" %}')
    para(
        doc,
        "We will stop working with your family. You can ask us for help at any time. Just call "
        "us on {{ council_phone }}.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "Your social worker will tell you which plan we will use now. They will keep working "
        "with you.",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "The plan that carries on")
    tag(doc, "{%p if changes %}")
    para(doc, "Please keep doing these things:")
    tag(doc, "{%p for a in changes %}")
    bullet(doc, "{{ a.what }}, by {{ a.due }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if help_now %}")
    para(doc, "We will keep helping you in these ways:")
    tag(doc, "{%p for h in help_now %}")
    bullet(doc, "{{ h }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p else %}")
    para(doc, "You have done everything in the plan we agreed. Well done, and thank you.")
    tag(doc, "{%p endif %}")
    heading(doc, "If things get worse")
    para(
        doc,
        "If we become very worried again, we will tell you. We may then need to ask the family "
        "court to decide. You can ask a solicitor for advice at any time.",
    )
    sign_off(doc, [])
    return doc


def plan_summary() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["plan_summary"].title)
    letterhead(doc)
    heading(doc, "Our plan together", 1)
    para(
        doc,
        "This is a summary of the plan for {{ children_names }}. It says what each person "
        "agreed to do. It shows the help they will get and the dates.",
    )
    heading(doc, "What each person will do")
    tag(doc, "{%p if plan %}")
    table(
        doc,
        ["Who", "What they will do", "Help we will give", "By when", "Done"],
        "{%tr for a in plan %}",
        [
            "{{ a.who }}",
            "{{ a.what }}",
            "{{ a.support }}",
            "{{ a.due }}",
            "{% if a.done %}Yes, {{ a.done_on }}{% else %}Not yet{% endif %}",
        ],
        [2.6, 4.6, 3.6, 2.9, 2.9],
    )
    tag(doc, "{%p else %}")
    para(doc, "We have not agreed a plan yet. We will agree it with you at the next meeting.")
    tag(doc, "{%p endif %}")
    heading(doc, "Assessments")
    tag(doc, "{%p if assessments %}")
    table(
        doc,
        ["Assessment", "Asked for", "Done by", "Finished"],
        "{%tr for a in assessments %}",
        [
            "{{ a.title }}{% if a.plain %} ({{ a.plain }}){% endif %}",
            "{{ a.started }}",
            "{{ a.due }}",
            "{% if a.done %}Yes, {{ a.done_on }}{% else %}Not yet{% endif %}",
        ],
        [6.6, 3.4, 3.4, 3.2],
    )
    tag(doc, "{%p else %}")
    para(doc, "There are no assessments in the plan.")
    tag(doc, "{%p endif %}")
    heading(doc, "The next meeting")
    tag(doc, "{%p if meeting %}")
    para(
        doc,
        "The next {{ meeting.kind }} is on {{ meeting.date }}{% if meeting.time %} at "
        "{{ meeting.time }}{% endif %}.{% if meeting.place %} It will be at "
        "{{ meeting.place }}.{% endif %}",
    )
    tag(doc, "{%p else %}")
    para(doc, "We will write to you with the date of the next meeting.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "If any part of this plan is not right, please tell your social worker. Please show "
        "this plan to your solicitor.",
    )
    sign_off(doc, [])
    return doc


def table(
    doc: DocumentObject, headers: list[str], loop: str, cells: list[str], widths: list[float]
) -> None:
    """A table with a heading row and one row repeated for each item of a list."""
    grid = doc.add_table(rows=4, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    grid.rows[1].cells[0].text = loop
    for cell, text in zip(grid.rows[2].cells, cells, strict=True):
        cell.text = text
    grid.rows[3].cells[0].text = "{%tr endfor %}"


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "letter_before_proceedings": letter_before_proceedings,
    "letter_before_proceedings_unborn": letter_before_proceedings_unborn,
    "letter_of_issue": letter_of_issue,
    "review_invitation": review_invitation,
    "outcome_letter": outcome_letter,
    "plan_summary": plan_summary,
}


# -- the field list ----------------------------------------------------------------------------


def fields_markdown(folder: Path = HERE) -> str:
    """fields.md: each template's fields with their meaning, then the whole catalogue."""
    out = [
        "# Letter templates and their fields",
        "",
        "Written by `letter_templates/build_templates.py`; do not edit by hand. How to write",
        "or change a template: `docs/letters.md`.",
        "",
    ]
    for spec in SHIPPED:
        data = (folder / f"{spec.name}.docx").read_bytes()
        check = check_template(data, spec.name, spec)
        out += [f"## {spec.title} (`{spec.name}.docx`)", "", spec.description, ""]
        if spec.sent_event:
            out += [f"Recording it as sent adds the case event `{spec.sent_event}`.", ""]
        if spec.meetings:
            out += ["`meeting` is the next booked " + " or ".join(spec.meetings) + ".", ""]
        out += ["| field | meaning |", "|---|---|"]
        for name in check.fields_used:
            root, _, attr = name.partition(".")
            field = FIELDS_BY_NAME[root]
            meaning = dict(field.attributes).get(attr, "") if attr else field.meaning
            out.append(f"| `{name}` | {meaning} |")
        out.append("")
    out += ["## Every field", ""]
    group = None
    for field in FIELDS:
        if field.group != group:
            group = field.group
            out += [f"### {group}", "", "| field | kind | meaning |", "|---|---|---|"]
        out.append(f"| `{field.name}` | {field.kind} | {field.meaning} |")
        for attr, meaning in field.attributes:
            out.append(f"| `{field.name}.{attr}` | | {meaning} |")
        if field is FIELDS[-1] or FIELDS[FIELDS.index(field) + 1].group != group:
            out.append("")
    return "\n".join(out)


def build(folder: Path = HERE) -> list[Path]:
    written = []
    for name, builder in BUILDERS.items():
        path = folder / f"{name}.docx"
        builder().save(str(path))
        written.append(path)
    (folder / "fields.md").write_text(fields_markdown(folder), encoding="utf-8")
    written.append(folder / "fields.md")
    return written


def main() -> int:
    for path in build():
        print(f"wrote {path.relative_to(HERE.parent)}")
    problems = 0
    for spec in SHIPPED:
        check = check_template((HERE / f"{spec.name}.docx").read_bytes(), spec.name, spec)
        for message in (*check.problems, *check.warnings):
            print(f"{spec.name}: {message}", file=sys.stderr)
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
