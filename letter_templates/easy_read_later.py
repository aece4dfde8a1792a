"""The later letters in easy read: the letter of issue, the review invitation, the outcome
letter and the plan summary.

Each keeps every element of its standard version (``later_letters.py``), one short idea a
line, under headings that are questions; the plan summary's tables become lines, one thing
to do at a time.  Never a past date as a deadline.  The parts they share with the easy-read
letters before proceedings are in ``easy_read.py``.
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from letter_templates.easy_read import (
    action_lines,
    assessment_lines,
    easy_document,
    first_lines,
    item_gap,
    language_lines,
    lawyer_lines,
    meeting_block,
    say,
    sign,
    who_comes,
)
from letter_templates.layout import bullet, heading, lines, para, tag
from letter_templates.sections import lines_of

IMPORTANT_NOT_PR = ["This letter is important.", "Please read it with someone you trust."]
CARE_ORDER = (
    "The judge may make a care order.",
    "This means we could make decisions about the care of {{ your_children }}.",
    "A care order can mean {{ your_children }} could live somewhere else.",
    "This could be with family or friends, or with foster carers.",
    "Or the judge may make a supervision order.",
    "This means a social worker would keep checking how things are at home.",
)


def letter_of_issue_easy_read() -> DocumentObject:
    doc = easy_document("letter_of_issue_easy_read")
    first_lines(
        doc,
        ["This letter is important.", "Please take it to a solicitor straight away."],
        IMPORTANT_NOT_PR,
    )
    heading(doc, "Why are we writing to you?", 1)
    say(
        doc,
        "We have asked the family court to decide what happens for {{ children_names }}.",
        "This is called care proceedings.",
        "We know this is very hard news.",
    )
    tag(doc, "{%p if court_reference %}")
    say(doc, "The court's number for this case is {{ court_reference }}.")
    tag(doc, "{%p endif %}")

    heading(doc, "What does this mean?")
    say(
        doc,
        "A judge will decide what is best for {{ your_children }}.",
        "The judge will listen to us, to the parents and to the family.",
    )
    tag(doc, "{%p if recipient_has_pr %}")
    say(doc, "You can tell the judge what you think.", "Your solicitor will help you.")
    tag(doc, "{%p else %}")
    say(doc, "A solicitor can tell you if you can take part in the court case.")
    tag(doc, "{%p endif %}")
    say(doc, *CARE_ORDER)

    heading(doc, "When is the first hearing?")
    tag(doc, "{%p if hearing %}")
    say(doc, "The first hearing is on {{ hearing.date }}.")
    tag(doc, "{%p if hearing.time %}")
    say(doc, "It starts at {{ hearing.time }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if hearing.place %}")
    say(doc, "It will be at {{ hearing.place }}.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if recipient_has_pr %}")
    say(doc, "Please go to it with your solicitor.", "Please get there in good time.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif recipient_has_pr %}")
    say(
        doc,
        "We do not know the date yet.",
        "The court will write to you with the date, time and place.",
        "It may be soon, so please see a solicitor now.",
    )
    tag(doc, "{%p else %}")
    say(
        doc,
        "We do not know the date yet.",
        "The court will write to the parents with the date, time and place.",
    )
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if recipient_has_pr %}")
    heading(doc, "Can you get a free solicitor?")
    say(
        doc,
        "Yes. Legal aid is free for parents in these cases.",
        "This means the government pays for your solicitor.",
        "It does not matter how much money you have.",
    )
    tag(doc, "{%p if solicitor %}")
    say(
        doc,
        "Please give this letter to your solicitor straight away.",
        "We have your solicitor as {{ solicitor.name }}.",
    )
    tag(doc, "{%p else %}")
    say(
        doc,
        "Please choose a solicitor who knows about children's law.",
        "Call them today.",
        "We have put in a list of local solicitors.",
    )
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lawyer_lines(doc)
    tag(doc, "{%p else %}")
    heading(doc, "Can you get help from a solicitor?")
    say(
        doc,
        "You may be able to get legal aid.",
        "This means the government pays for your solicitor.",
        "A solicitor can tell you if you can get it.",
        "If not, you may have to pay.",
    )
    lines_of(doc, "find_solicitor")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")

    heading(doc, "Will we still help you?")
    say(doc, "Yes. Your social worker will still see you and help you.")
    tag(doc, "{%p if changes %}")
    say(
        doc,
        "Please keep doing the things in your plan.",
        "This helps the judge see the changes you are making.",
    )
    tag(doc, "{%p endif %}")
    language_lines(doc)
    sign(doc, ["a copy of our application to the court", "a list of solicitors"])
    return doc


def review_invitation_easy_read() -> DocumentObject:
    doc = easy_document("review_invitation_easy_read")
    first_lines(
        doc,
        ["This letter is important.", "Please show it to your solicitor."],
        IMPORTANT_NOT_PR,
    )
    heading(doc, "Why are we writing to you?", 1)
    say(
        doc,
        "We would like you to come to a meeting about {{ your_children }}.",
        "It is called a review meeting.",
        "We will look at how the plan is going.",
        "We will talk about what is going well.",
        "We will talk about what still needs to change.",
    )
    heading(doc, "When is the meeting?")
    meeting_block(doc)
    who_comes(doc)
    language_lines(doc)

    heading(doc, "How is the plan going?")
    say(
        doc,
        "Family and friends can still help.",
        "They can meet to make a plan.",
        "This is called a family group conference.",
    )
    tag(doc, "{%p if my_plan %}")
    say(doc, "This is what the plan asks of you:", together=True)
    action_lines(doc, "my_plan", done=True)
    tag(doc, "{%p else %}")
    say(doc, "The plan does not ask anything of you yet.", "We will talk about it at the meeting.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if assessments %}")
    say(doc, "These are the checks we asked for:", together=True)
    assessment_lines(doc, "assessments")
    tag(doc, "{%p endif %}")

    tag(doc, "{%p if recipient_has_pr %}")
    heading(doc, "Can you get free help from a solicitor?")
    say(doc, "Yes. Advice from your solicitor is still free.", "Please show them this letter.")
    lawyer_lines(doc)
    tag(doc, "{%p else %}")
    heading(doc, "Can you get help from a solicitor?")
    say(doc, "You can ask a solicitor for advice.", "You may have to pay for it.")
    tag(doc, "{%p endif %}")
    lines_of(doc, "advice_line")

    heading(doc, "What happens if things do not change?")
    say(
        doc,
        "The meeting is a chance to talk about the changes so far.",
        "If things do not get better enough, we may ask the family court to decide.",
    )
    sign(doc)
    return doc


def outcome_letter_easy_read() -> DocumentObject:
    doc = easy_document("outcome_letter_easy_read")
    heading(doc, "Why are we writing to you?", 1)
    say(
        doc,
        "We will not go to court.",
        "We do not need the family court to decide about {{ your_children }}.",
        "We wrote to you before about going to court.",
        "That has now ended.",
        "Thank you for working with us.",
    )
    tag(doc, "{%p if reading_help %}")
    say(doc, "{{ reading_help }}")
    tag(doc, "{%p endif %}")

    heading(doc, "What happens next?")
    tag(doc, '{%p if step_down_to == "child_protection" %}')
    say(
        doc,
        "We will keep working with the family through a child protection plan.",
        "This is a plan to keep {{ your_children }} safe.",
        "Your social worker will keep visiting.",
        "We will look at the plan with you at regular meetings.",
    )
    tag(doc, '{%p elif step_down_to == "child_in_need" %}')
    say(
        doc,
        "We will keep helping the family through a child in need plan.",
        "This is a plan of help for the family.",
        "Your social worker will keep in touch with you.",
    )
    tag(doc, '{%p elif step_down_to == "no_further_action" %}')
    say(
        doc,
        "We will stop working with the family.",
        "You can ask us for help at any time.",
        "Just call us on {{ council_phone }}.",
    )
    tag(doc, "{%p else %}")
    say(
        doc,
        "Your social worker will tell you which plan we will use now.",
        "They will keep working with you.",
    )
    tag(doc, "{%p endif %}")

    heading(doc, "What do you still need to do?")
    tag(doc, "{%p if changes %}")
    say(doc, "Please keep doing these things:", together=True)
    action_lines(doc, "changes")
    tag(doc, "{%p if help_now %}")
    say(doc, "We will keep helping you in these ways:", together=True)
    tag(doc, "{%p for h in help_now %}")
    bullet(doc, "{{ h }}.")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p elif my_plan %}")
    say(doc, "Everything the plan asked of you is done.", "Thank you.")
    tag(doc, "{%p else %}")
    say(doc, "There is nothing in the plan for you to do now.")
    tag(doc, "{%p endif %}")

    heading(doc, "What if things get worse?")
    say(
        doc,
        "If we become very worried again, we will tell you.",
        "We may then need to ask the family court to decide.",
        "You can ask a solicitor for advice at any time.",
    )
    lines_of(doc, "advice_line")
    sign(doc)
    return doc


def plan_summary_easy_read() -> DocumentObject:
    doc = easy_document("plan_summary_easy_read")
    heading(doc, "What is this letter?", 1)
    say(
        doc,
        "This is our plan for {{ children_names }}.",
        "It says what you agreed to do.",
        "It shows the help you will get and the dates.",
        "The plan may name a family group conference.",
        "This is a family meeting to make a plan.",
    )
    heading(doc, "What will you do?")
    tag(doc, "{%p if plan %}")
    tag(doc, "{%p for a in plan %}")
    bullet(doc, "{{ a.what }}.", keep_with_next=True)
    lines(
        doc,
        ["{% if a.mine %}You will do this.{% else %}Everyone will do this.{% endif %}"],
        keep_with_next=True,
    )
    tag(doc, "{%p if a.support %}")
    lines(doc, ["Our help: {{ a.support }}."], keep_with_next=True)
    tag(doc, "{%p endif %}")
    para(
        doc,
        "{% if a.done %}Done on {{ a.done_on }}.{% elif a.late %}This was due on "
        "{{ a.due }}. It is not done yet.{% else %}Do this by {{ a.due }}.{% endif %}",
    )
    item_gap(doc)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    say(doc, "We have not agreed a plan yet.", "We will agree it with you at the next meeting.")
    tag(doc, "{%p endif %}")

    heading(doc, "What checks will there be?")
    tag(doc, "{%p if assessments %}")
    assessment_lines(doc, "assessments")
    tag(doc, "{%p else %}")
    say(doc, "There are no checks in the plan.")
    tag(doc, "{%p endif %}")

    heading(doc, "When is the next meeting?")
    meeting_block(doc, confirm=False)
    heading(doc, "What if the plan is not right?")
    say(
        doc,
        "If any part of this plan is not right, please tell your social worker.",
        "Please show this plan to your solicitor.",
    )
    sign(doc)
    return doc
