"""Cases: the case service, the checks a save runs, the checks as a record is typed, and
the work lists.

Its parts: ``service`` (``CaseService``: list, read, create, every edit with versions,
delete), ``changes`` (a case as it would be once one record is saved into it or removed),
``checks`` (the exchange-format and chronology checks a save runs), ``rows`` (writing a
checked record into its database rows), ``drafts`` (the same checks while a form is typed,
without the database) and ``work_lists`` (the case list's rows kept in ``case_status``,
My cases, Letters to do). Reading cases out of
the database as domain records, which every service does, is ``services.records``.
"""

from __future__ import annotations

from plo_tracker.services.cases.checks import check_chronology, validate
from plo_tracker.services.cases.drafts import (
    BookingCheck,
    booking_check,
    draft_problem,
    header_problem,
)
from plo_tracker.services.cases.service import CaseHeader, CaseService, load_case_row
from plo_tracker.services.cases.work_lists import (
    CaseSummary,
    LetterToDo,
    WorkListService,
    rules_text,
)

__all__ = [
    "BookingCheck",
    "CaseHeader",
    "CaseService",
    "CaseSummary",
    "LetterToDo",
    "WorkListService",
    "booking_check",
    "check_chronology",
    "draft_problem",
    "header_problem",
    "load_case_row",
    "rules_text",
    "validate",
]
