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
in ``sections.py``; the letters before proceedings in ``before_proceedings.py``, the later
letters in ``later_letters.py``, and the easy-read version of every letter in
``easy_read.py`` and ``easy_read_later.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject

from letter_templates.before_proceedings import (
    letter_before_proceedings,
    letter_before_proceedings_unborn,
)
from letter_templates.easy_read import (
    letter_before_proceedings_easy_read,
    letter_before_proceedings_unborn_easy_read,
)
from letter_templates.easy_read_later import (
    letter_of_issue_easy_read,
    outcome_letter_easy_read,
    plan_summary_easy_read,
    review_invitation_easy_read,
)
from letter_templates.later_letters import (
    letter_of_issue,
    outcome_letter,
    plan_summary,
    review_invitation,
)
from plo_tracker.letters.render import check_template
from plo_tracker.letters.templates import FIELDS, FIELDS_BY_NAME, SHIPPED

HERE = Path(__file__).resolve().parent
SOLICITOR_LIST = "a list of local solicitors who know about children's law"
FAMILY_MEETING = (
    "Family and friends may be able to help. We can set up a meeting for the family. It is "
    "called a family group conference. At this meeting the family makes its own plan for "
    "{{ your_children }}. Someone who is not your social worker will run it."
)


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "letter_before_proceedings": letter_before_proceedings,
    "letter_before_proceedings_unborn": letter_before_proceedings_unborn,
    "letter_before_proceedings_easy_read": letter_before_proceedings_easy_read,
    "letter_of_issue": letter_of_issue,
    "review_invitation": review_invitation,
    "outcome_letter": outcome_letter,
    "plan_summary": plan_summary,
    "letter_before_proceedings_unborn_easy_read": letter_before_proceedings_unborn_easy_read,
    "letter_of_issue_easy_read": letter_of_issue_easy_read,
    "review_invitation_easy_read": review_invitation_easy_read,
    "outcome_letter_easy_read": outcome_letter_easy_read,
    "plan_summary_easy_read": plan_summary_easy_read,
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
