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
...") or do not use it.  Each letter is about its reader: "your children" only for a
reader with parental responsibility (``{{ your_children }}`` is the children's names for
anyone else), free legal advice only for them, and what someone said is theirs only.

The page layout (logo, footer with reference, date and "Page x of y", signature kept
together, repeating table headings) is in ``layout.py``; the shared parts of the letters
in ``sections.py``; the easy-read letter in ``easy_read.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject

from letter_templates.easy_read import letter_before_proceedings_easy_read
from letter_templates.layout import (
    bullet,
    heading,
    letterhead,
    new_document,
    para,
    sign_off,
    table,
    tag,
)
from letter_templates.sections import (
    changes,
    family_help,
    help_section,
    important,
    language_offer,
    lawyer_contact,
    legal_advice,
    lines_of,
    meeting_details,
    reading_help,
    who_will_be_there,
    worries,
)
from plo_tracker.letters.render import check_template
from plo_tracker.letters.templates import FIELDS, FIELDS_BY_NAME, SHIPPED, SHIPPED_BY_NAME

HERE = Path(__file__).resolve().parent
SOLICITOR_LIST = "a list of local solicitors who know about children's law"
FAMILY_MEETING = (
    "Family and friends may be able to help. We can set up a meeting for the family. It is "
    "called a family group conference. At this meeting the family makes its own plan for "
    "{{ your_children }}. Someone who is not your social worker will run it."
)


# -- the letters -------------------------------------------------------------------------------


def letter_before_proceedings() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_before_proceedings"].title)
    letterhead(doc)
    important(
        doc,
        "This letter is important. Please take it to a solicitor today. Their help is free.",
        "This letter is important. Please read it carefully.",
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
    changes(doc)
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
    para(doc, "We know this letter is hard to read. We are here to help make things better.")
    sign_off(doc, [SOLICITOR_LIST], enclosed_if="recipient_has_pr")
    return doc


def letter_before_proceedings_unborn() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_before_proceedings_unborn"].title)
    letterhead(doc)
    important(
        doc,
        "This letter is important. Please take it to a solicitor today. Their help is free.",
        "This letter is important. Please read it carefully.",
    )
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
    tag(doc, "{%p if not one_child %}")
    para(doc, "This letter is also about these children: {{ children_names }}.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "This letter is called a letter before proceedings. We want to work with you so that "
        "we do not need to go to court.",
    )
    heading(doc, "What we are worried about")
    worries(doc)
    heading(doc, "What must change before the baby is born")
    changes(doc)
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
    heading(doc, "What happens if things do not change")
    para(
        doc,
        "We cannot go to court before the baby is born. That is why we need to plan now. If "
        "things do not get better enough, we may ask the family court to decide where the "
        "baby will live after the birth.",
    )
    para(
        doc,
        "The court could make a care order. This would let us make decisions about the baby's "
        "care. Or the court could make a supervision order. This means a social worker would "
        "keep checking how the baby is.",
    )
    para(doc, "If we think the baby is in danger at birth, we may go to court straight away.")
    para(doc, "Please keep in touch with your social worker and the midwife.")
    sign_off(doc, [SOLICITOR_LIST], enclosed_if="recipient_has_pr")
    return doc


def letter_of_issue() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["letter_of_issue"].title)
    letterhead(doc)
    important(
        doc,
        "This letter is important. Please take it to a solicitor straight away.",
        "This letter is important. Please read it carefully.",
    )
    heading(doc, "We have asked the family court to decide", 1)
    para(
        doc,
        "We have now asked the family court to decide what should happen for "
        "{{ children_names }}. This is called care proceedings. We know this is very hard "
        "news.{% if court_reference %} The court's number for this case is "
        "{{ court_reference }}.{% endif %}",
    )
    reading_help(doc)
    heading(doc, "What this means")
    para(
        doc,
        "A judge will now decide what is best for {{ your_children }}. The judge will listen "
        "to us, to the parents and to others in the family.",
    )
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, "You can tell the judge what you think. Your solicitor will help you do this.")
    tag(doc, "{%p else %}")
    para(doc, "A solicitor can tell you if you can take part in the court case.")
    tag(doc, "{%p endif %}")
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
    tag(doc, "{%p if recipient_has_pr %}")
    para(doc, "Please go to it with your solicitor. Please get there in good time.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif recipient_has_pr %}")
    para(
        doc,
        "We do not know the date of the first hearing yet. The court will write to you with "
        "the date, time and place. It may be soon, so please see a solicitor now.",
    )
    tag(doc, "{%p else %}")
    para(
        doc,
        "We do not know the date of the first hearing yet. The court will write to the parents "
        "with the date, time and place.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recipient_has_pr %}")
    heading(doc, "Get a solicitor now")
    para(
        doc,
        "Legal aid is free for parents in these cases. This means the government pays for "
        "your solicitor. It does not matter how much money you have.",
    )
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
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lawyer_contact(doc)
    tag(doc, "{%p else %}")
    heading(doc, "Getting advice")
    para(
        doc,
        "You may be able to get legal aid. This means the government pays for your solicitor. "
        "A solicitor can tell you if you can get it. If not, you may have to pay.",
    )
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")
    heading(doc, "We will keep working with you")
    para(
        doc,
        "{% if social_worker %}{{ social_worker }}, your social worker,{% else %}Your social "
        "worker{% endif %} will still see you and help you.",
    )
    tag(doc, "{%p if changes %}")
    para(
        doc,
        "Please keep doing the things in your plan. This helps the judge see the changes you "
        "are making.",
    )
    tag(doc, "{%p endif %}")
    language_offer(doc)
    sign_off(
        doc,
        ["a copy of our application to the court", SOLICITOR_LIST],
        enclosed_if="recipient_has_pr",
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
    reading_help(doc)
    heading(doc, "The meeting")
    meeting_details(doc)
    who_will_be_there(doc)
    language_offer(doc)
    heading(doc, "How the plan is going")
    para(
        doc,
        "Family and friends can still help. We can set up a meeting for the family to make a "
        "plan. It is called a family group conference.",
    )
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
    para(doc, "The plan does not ask anything of you yet. We will talk about it at the meeting.")
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
    tag(doc, "{%p if recipient_has_pr %}")
    heading(doc, "Free legal advice")
    para(doc, "Advice from your solicitor is still free. Please show them this letter.")
    lawyer_contact(doc)
    tag(doc, "{%p else %}")
    heading(doc, "Getting advice")
    para(doc, "You can ask a solicitor for advice. You may have to pay for it.")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")
    heading(doc, "If things do not change")
    para(
        doc,
        "The meeting is a chance to talk about the changes made so far. If things do not get "
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
        "now ended. Thank you for working with us.",
    )
    reading_help(doc)
    heading(doc, "What happens next")
    tag(doc, '{%p if step_down_to == "child_protection" %}')
    para(
        doc,
        "We will keep working with the family through a child protection plan. This is a plan "
        "to keep {{ your_children }} safe. Your social worker will keep visiting. We will look "
        "at the plan with you at regular meetings.",
    )
    tag(doc, '{%p elif step_down_to == "child_in_need" %}')
    para(
        doc,
        "We will keep helping the family through a child in need plan. This is a plan of help "
        "for the family. Your social worker will keep in touch with you.",
    )
    tag(doc, '{%p elif step_down_to == "no_further_action" %}')
    para(
        doc,
        "We will stop working with the family. You can ask us for help at any time. Just call "
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
    tag(doc, "{%p elif my_plan %}")
    para(doc, "Everything the plan asked of you is done. Thank you.")
    tag(doc, "{%p else %}")
    para(doc, "There is nothing in the plan for you to do now.")
    tag(doc, "{%p endif %}")
    heading(doc, "If things get worse")
    para(
        doc,
        "If we become very worried again, we will tell you. We may then need to ask the family "
        "court to decide. You can ask a solicitor for advice at any time.",
    )
    lines_of(doc, "advice_line")
    sign_off(doc, [])
    return doc


def plan_summary() -> DocumentObject:
    doc = new_document(SHIPPED_BY_NAME["plan_summary"].title)
    letterhead(doc)
    heading(doc, "Our plan together", 1)
    para(
        doc,
        "This is a summary of the plan for {{ children_names }}. It says what you agreed to "
        "do. It shows the help you will get and the dates.",
    )
    para(
        doc,
        "The plan may name a family group conference. This is a family meeting to make a plan.",
    )
    heading(doc, "What you will do")
    tag(doc, "{%p if plan %}")
    table(
        doc,
        ["Who", "What to do", "Help we will give", "By when", "Done"],
        "{%tr for a in plan %}",
        [
            "{{ a.who }}",
            "{{ a.what }}",
            "{{ a.support }}",
            "{{ a.due }}",
            "{% if a.done %}Yes, {{ a.done_on }}{% else %}Not yet{% endif %}",
        ],
        [2.4, 4.8, 3.6, 2.9, 2.9],
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
    tag(doc, "{%p if meeting_separate %}")
    para(doc, "We will meet you on your own. Nobody else from the family will be there.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if meeting %}")
    para(
        doc,
        "Your next {{ meeting.kind }} is on {{ meeting.date }}{% if meeting.time %} at "
        "{{ meeting.time }}{% endif %}.{% if meeting.place %} It will be at "
        "{{ meeting.place }}.{% endif %}",
    )
    tag(doc, "{%p else %}")
    para(doc, "We will write to you with the date of your next meeting.")
    tag(doc, "{%p endif %}")
    para(
        doc,
        "If any part of this plan is not right, please tell your social worker. Please show "
        "this plan to your solicitor.",
    )
    sign_off(doc, [])
    return doc


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "letter_before_proceedings": letter_before_proceedings,
    "letter_before_proceedings_unborn": letter_before_proceedings_unborn,
    "letter_before_proceedings_easy_read": letter_before_proceedings_easy_read,
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
