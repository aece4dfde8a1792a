"""Small builders for domain records in tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plo_tracker.domain.model import (
    Assessment,
    CaseHistory,
    Child,
    Event,
    Party,
    PlanAction,
    Solicitor,
)

D = dt.date.fromisoformat

SOLICITOR = Solicitor(name="Helen Price", firm="Price & Co")


def ev(event_type: str, day: str, /, **fields: Any) -> Event:
    for key in ("until",):
        if isinstance(fields.get(key), str):
            fields[key] = D(fields[key])
    return Event(type=event_type, date=D(day), **fields)


def mother(solicitor: bool = True) -> Party:
    return Party(
        id="mother",
        name="Kelly Jones",
        relationship="mother",
        parental_responsibility=True,
        solicitor=SOLICITOR if solicitor else None,
    )


def father(solicitor: bool = True, pr: bool = True) -> Party:
    return Party(
        id="father",
        name="Liam Jones",
        relationship="father",
        parental_responsibility=pr,
        solicitor=SOLICITOR if solicitor else None,
    )


def case(
    *events: Event,
    reference: str = "PLO-T-1",
    children: tuple[Child, ...] | None = None,
    parties: tuple[Party, ...] | None = None,
    assessments: tuple[Assessment, ...] = (),
    actions: tuple[PlanAction, ...] = (),
    team: str | None = "Team A",
    **more: Any,
) -> CaseHistory:
    """A case with these events (``more``: any other field, e.g. ``keep_apart``)."""
    return CaseHistory(
        reference=reference,
        team=team,
        children=children or (Child(name="Amelia Jones", date_of_birth=D("2019-05-14")),),
        parties=parties if parties is not None else (mother(),),
        events=tuple(events),
        assessments=assessments,
        plan_actions=actions,
        **more,
    )


def book(app: Any, reference: str, *bookings: Any) -> CaseHistory:
    """Put bookings on a case as an imported file would: a file may hold bookings already
    past (the window and the commands only book meetings still to come)."""
    from dataclasses import replace

    case_now = app.cases.get(reference)
    app.exchange.import_cases([replace(case_now, scheduled=(*case_now.scheduled, *bookings))])
    return app.cases.get(reference)
