"""Never a past date as a deadline (domain reference section 6, "Access").

A later letter (a review invitation, a plan summary, an outcome letter) may come after some
of the plan's dates.  What the letter does with each kind of date:

* a plan action not done whose date has passed is written "this was due on ...; it is not
  done yet" (the action's ``when``), never "by ..." (the easy-read letters: "This was due
  on ... It is not done yet.");
* an assessment not finished whose date has passed: "It was due to finish on ... It is not
  finished yet." (the assessment's ``late``);
* the reading help of an earlier letter (its date before this letter's) is left out;
* the next review, when its usual date has passed and none is booked, is left out (the
  letter says we will tell the reader when);
* a first hearing given for a letter of issue with a date before the letter's is refused:
  the letter is not ready, and the message says so (``hearing_problem``).

The person making the letter is told, in its notes, how many of its dates have passed
(``past_date_notes``).
"""

from __future__ import annotations

import datetime as dt

from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import CaseHistory, Party
from plo_tracker.letters.options import LetterOptions
from plo_tracker.letters.privacy import UNBORN_KINDS
from plo_tracker.letters.reader_view import view_for
from plo_tracker.letters.templates import TemplateSpec


def hearing_problem(options: LetterOptions, day: dt.date) -> str:
    """Why the hearing given cannot be in a letter dated ``day`` ("" when it can)."""
    hearing = options.hearing
    if hearing is None or hearing.date >= day:
        return ""
    return (
        f"a first hearing still to come: the date given ({long_date(hearing.date)}) is before "
        f"the letter's date ({long_date(day)}). Give the next hearing, or none (the letter "
        "then says the court will write)"
    )


def past_date_notes(
    case: CaseHistory, reader: Party, spec: TemplateSpec, day: dt.date
) -> list[str]:
    """A note for the person making the letter when some of its plan dates have passed (the
    letter of issue gives none of the plan's dates)."""
    if spec.kind == "letter_of_issue":
        return []
    view = view_for(case, reader, unborn_only=spec.kind in UNBORN_KINDS)
    actions = sum(1 for a in view.actions if a.completed is None and a.due < day)
    assessments = sum(1 for a in view.assessments if a.completed is None and a.due < day)
    if not actions and not assessments:
        return []
    parts = []
    if actions:
        parts.append(f"{actions} plan action{'s' if actions > 1 else ''}")
    if assessments:
        parts.append(f"{assessments} assessment{'s' if assessments > 1 else ''}")
    return [
        f"{' and '.join(parts)} in this letter passed their date without being done: the "
        "letter says when each was due and that it is not done yet, never the past date as "
        "a deadline. Check the plan is up to date."
    ]
