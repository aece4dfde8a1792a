"""The later letters: the letter of issue, the review invitation, the outcome letter and
the plan summary.

A later letter never gives a past date as a deadline (``plo_tracker/letters/deadlines.py``):
a plan action not done whose date has passed is "This was due on ... It is not done yet.",
an assessment "It was due to finish on ... It is not finished yet.", and in the plan
summary's tables "Was due on ...".
"""

from __future__ import annotations

from docx.document import Document as DocumentObject

from letter_templates.before_proceedings import SOLICITOR_LIST
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
    ASSESSMENT_WHEN,
    care_order_means,
    important,
    language_offer,
    lawyer_contact,
    lines_of,
    meeting_details,
    reading_help,
    who_will_be_there,
)
from plo_tracker.letters.templates import SHIPPED_BY_NAME


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
        "{{ your_children }}.",
    )
    care_order_means(doc, "{{ your_children }}")
    para(
        doc,
        "Or the judge may make a supervision order. This means a social worker would keep "
        "checking how things are at home.",
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
        "{{ a.what }}. {% if a.done %}Done on {{ a.done_on }}.{% elif a.late %}This was due on "
        "{{ a.due }}. It is not done yet.{% else %}Still to do, by {{ a.due }}.{% endif %}",
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
        "on {{ a.done_on }}.{% else %}" + ASSESSMENT_WHEN + "{% endif %}",
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
    bullet(doc, "{{ a.what }}, {{ a.when }}.")
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
            "{% if a.late %}Was due on {{ a.due }}{% else %}{{ a.due }}{% endif %}",
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
            "{% if a.late %}Was due on {{ a.due }}{% else %}{{ a.due }}{% endif %}",
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
