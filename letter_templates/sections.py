"""The parts several shipped letters share: worries, changes, help, family, meeting, advice.

Each is written for its reader only: what they said is theirs (``fgdm_answer``), other
people are named as coming to the meeting only when meetings are not separate
(``meeting_with``), and legal advice is worded for people with parental responsibility
(free, whatever their money; our lawyer's details) or without it (they may have to pay).
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from letter_templates.layout import bullet, lines, para, spacer, tag

FREE_ADVICE = (
    "Please take this letter to a solicitor now. Choose one who knows about children's law. "
    "Their advice is free for you. It does not matter how much money you have. We have put "
    "in a list of local solicitors."
)
NOT_FREE_ADVICE = (
    "You may want advice from a solicitor who knows about children's law. You may have to "
    "pay for it. A solicitor can tell you if you can get help with the cost."
)
SOLICITOR_ON_FILE = (
    "We have your solicitor as {{ solicitor.name }}{% if solicitor.firm %} at "
    "{{ solicitor.firm }}{% endif %}. We will send them a copy of this letter."
)
PLAN_AT_MEETING = (
    "We will agree with you at the meeting what must change. We will write down each thing "
    "and its date. You will get a copy."
)
# Never a past date as a deadline (plo_tracker/letters/deadlines.py).
ASSESSMENT_WHEN = (
    "{% if a.late %}It was due to finish on {{ a.due }}. It is not finished yet.{% else %}It "
    "should finish by {{ a.due }}.{% endif %}"
)
NO_MEETING_YET = (
    "We have not booked your meeting yet. We will write to you soon with the date, time and place."
)


def important(doc: DocumentObject, pr_text: str, other_text: str) -> None:
    """The clear first line: to a person with PR, take it to a solicitor (free)."""
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, pr_text, bold=True)
    tag(doc, "{%p else %}")
    para(doc, other_text, bold=True)
    tag(doc, "{%p endif %}")


def lines_of(doc: DocumentObject, field: str) -> None:
    """Each line of a 'lines' field as a paragraph."""
    tag(doc, f"{{%p for line in {field} %}}")
    para(doc, "{{ line }}")
    tag(doc, "{%p endfor %}")


def reading_help(doc: DocumentObject) -> None:
    tag(doc, "{%p if reading_help %}")
    para(doc, "{{ reading_help }}")
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


def meeting_details(doc: DocumentObject, *, none_booked: str = NO_MEETING_YET) -> None:
    tag(doc, "{%p if meeting_separate %}")
    para(doc, "We will meet you on your own. Nobody else from the family will be there.")
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
    para(doc, none_booked)
    tag(doc, "{%p endif %}")


def who_will_be_there(doc: DocumentObject) -> None:
    para(doc, "These people will be at the meeting:", keep_with_next=True)
    bullet(doc, "you{% if solicitor %} and your solicitor{% endif %}")
    tag(doc, "{%p for p in meeting_with %}")
    bullet(doc, "{{ p.name }} ({{ p.relationship }})")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if social_worker %}")
    bullet(doc, "{{ social_worker }}, your social worker")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if team_manager %}")
    bullet(doc, "{{ team_manager }}, who manages your social worker")
    tag(doc, "{%p endif %}")
    bullet(doc, "a lawyer from the council")
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, "Please bring your solicitor with you.")
    tag(doc, "{%p else %}")
    para(doc, "You can bring a solicitor or a friend with you.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Please call us on {{ council_phone }} to say you can come. If you cannot come, call "
        "us as soon as you can. We will try to find another time.",
    )


def lawyer_contact(doc: DocumentObject) -> None:
    para(
        doc,
        "Your solicitor can talk to our lawyer, {{ lawyer_name }}. The phone number is "
        "{{ lawyer_phone }}.{% if lawyer_email %} The email address is {{ lawyer_email }}."
        "{% endif %}",
    )


def legal_advice(doc: DocumentObject) -> None:
    """Free legal advice for people with PR; honest wording for others; the advice line."""
    tag(doc, "{%p if recipient_has_pr %}")
    doc.add_heading("Free legal advice", level=2)
    para(doc, FREE_ADVICE)
    tag(doc, "{%p if solicitor %}")
    para(doc, SOLICITOR_ON_FILE)
    tag(doc, "{%p endif %}")
    lines_of(doc, "find_solicitor")
    lawyer_contact(doc)
    tag(doc, "{%p else %}")
    doc.add_heading("Getting advice", level=2)
    para(doc, NOT_FREE_ADVICE)
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")


def worries(doc: DocumentObject) -> None:
    tag(doc, "{%p for w in worries %}")
    bullet(doc, "{{ w }}")
    tag(doc, "{%p endfor %}")


def changes(doc: DocumentObject, *, none_yet: str = PLAN_AT_MEETING) -> None:
    tag(doc, "{%p if changes %}")
    para(doc, "These things must change. Each one has a date.", keep_with_next=True)
    tag(doc, "{%p for a in changes %}")
    bullet(doc, "{{ a.what }}, {{ a.when }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, none_yet)
    tag(doc, "{%p endif %}")


def help_section(doc: DocumentObject, *, assessments_intro: str) -> None:
    tag(doc, "{%p for h in help_given %}")
    para(doc, "{{ h }}")
    tag(doc, "{%p endfor %}")
    reading_help(doc)
    tag(doc, "{%p if help_now %}")
    para(doc, "We will also help you in these ways:", keep_with_next=True)
    tag(doc, "{%p for h in help_now %}")
    bullet(doc, "{{ h }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if open_assessments %}")
    para(doc, assessments_intro, keep_with_next=True)
    tag(doc, "{%p for a in open_assessments %}")
    bullet(
        doc,
        "{{ a.title }}{% if a.plain %} ({{ a.plain }}){% endif %}. " + ASSESSMENT_WHEN,
    )
    tag(doc, "{%p endfor %}")
    para(doc, "Your social worker will tell you who will do each one, and when.")
    tag(doc, "{%p endif %}")


def family_help(doc: DocumentObject, *, intro: str) -> None:
    """The family group conference offer; the reader's own answer, never another's."""
    para(doc, intro)
    tag(doc, '{%p if fgdm_answer == "declined" %}')
    para(
        doc,
        "You told us you did not want a family group conference. You can change your mind at "
        "any time. Just tell your social worker.",
    )
    tag(doc, '{%p elif fgdm_answer == "accepted" %}')
    para(doc, "Thank you for saying yes to a family group conference.")
    tag(doc, "{%p endif %}")
    tag(doc, '{%p if fgc_status == "held" %}')
    para(doc, "A family group conference has taken place. We will use the plan the family made.")
    tag(doc, "{%p elif fgc %}")
    para(
        doc,
        "We have booked a family group conference on {{ fgc.date }}"
        "{% if fgc.time %} at {{ fgc.time }}{% endif %}"
        "{% if fgc.place %}. It will be at {{ fgc.place }}{% endif %}.",
    )
    tag(doc, '{%p elif fgc_status == "booked" %}')
    para(
        doc,
        "We have booked a family group conference. Your social worker will tell you the date, "
        "time and place.",
    )
    tag(doc, '{%p elif fgc_status == "referred" %}')
    para(doc, "We have asked for one to be set up. Someone will call you soon to plan it.")
    tag(doc, '{%p elif fgdm_answer != "declined" %}')
    para(
        doc,
        "Please tell your social worker if you would like one. Tell them who you would like "
        "to come.",
    )
    tag(doc, "{%p endif %}")


# -- what the letter before proceedings also says (domain reference, section 6) ------------------


def going_well(doc: DocumentObject, *, none_yet: str) -> None:
    """What is going well: the reader's and the household's strengths."""
    tag(doc, "{%p if strengths %}")
    para(doc, "We also want to say what is going well:", keep_with_next=True)
    tag(doc, "{%p for s in strengths %}")
    bullet(doc, "{{ s }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    para(doc, none_yet)
    tag(doc, "{%p endif %}")


def how_long(doc: DocumentObject) -> None:
    """The stage's usual length and when the plan is looked at again (never a past date)."""
    para(
        doc,
        "This stage usually lasts about {{ stage_weeks }} weeks. We will check how things are "
        "going all through it.",
    )
    tag(doc, "{%p if next_review %}")
    para(doc, "We will look at the plan again with you on {{ next_review }}.")
    tag(doc, "{%p else %}")
    para(doc, "We will tell you when we will look at the plan again with you.")
    tag(doc, "{%p endif %}")


def disagree(doc: DocumentObject) -> None:
    """The reader may disagree, and how to tell us."""
    para(
        doc,
        "You can tell us if you do not agree with anything in this letter. We want to hear "
        "what you think. You can tell us at the meeting.",
    )
    para(
        doc,
        "You can also call {% if social_worker %}{{ social_worker }}, your social worker,"
        "{% else %}your social worker{% endif %} on {{ council_phone }}.{% if council_email %} "
        "Or you can email us at {{ council_email }}.{% endif %}",
    )
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, "Your solicitor can help you say what you think.")
    tag(doc, "{%p endif %}")


def care_order_means(doc: DocumentObject, who: str) -> None:
    """What a care order can mean: the child may live somewhere else."""
    para(
        doc,
        f"A care order can mean that {who} could live somewhere else. This could be with "
        "family or friends. Or it could be with foster carers. Foster carers are people who "
        "look after children in their own home.",
    )
