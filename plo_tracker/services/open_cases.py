"""Which cases can raise flags on a day, as one SQL condition (the case list, the flags,
the drift review and the census choose their cases with it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, exists, or_, select

from db.models import Case as CaseRow
from db.models import Event as EventRow
from plo_tracker.domain.drift import END_TYPES, START_OUTCOMES


def open_case_filter(as_of: dt.date) -> Any:
    """SQL condition: the case can raise flags as of the date: it has started and not
    ended (open in pre-proceedings), or it is in care proceedings (its latest issue has
    no conclusion dated on or after it: ``domain.court``).

    Written on the tables (Core), so it compiles without the ORM's machinery."""
    events = EventRow.__table__.c
    started = select(events.case_id).where(
        events.type == "legal_planning_meeting",
        events.outcome.in_(sorted(START_OUTCOMES)),
        events.date <= as_of,
    )
    ended = select(events.case_id).where(
        events.type.in_(sorted(END_TYPES)),
        events.date <= as_of,
    )
    case_id = CaseRow.__table__.c.id
    open_before_issue = and_(case_id.in_(started), case_id.not_in(ended))
    return or_(open_before_issue, case_id.in_(_in_proceedings(as_of)))


def _in_proceedings(as_of: dt.date) -> Any:
    """The ids of the cases with an issue on or before the date and no conclusion dated
    between it and the date (a case whose later proceedings are open is among them; the
    drift engine looks at the latest issue). Uses the index on (case, type, date)."""
    issued = EventRow.__table__.alias("issued")
    concluded = EventRow.__table__.alias("concluded")
    return select(issued.c.case_id).where(
        issued.c.type == "proceedings_issued",
        issued.c.date <= as_of,
        ~exists().where(
            concluded.c.case_id == issued.c.case_id,
            concluded.c.type == "proceedings_concluded",
            concluded.c.date <= as_of,
            concluded.c.date >= issued.c.date,
        ),
    )
