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


def ev(kind: str, day: str, **fields: Any) -> Event:
    for key in ("until",):
        if isinstance(fields.get(key), str):
            fields[key] = D(fields[key])
    return Event(type=kind, date=D(day), **fields)


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
) -> CaseHistory:
    return CaseHistory(
        reference=reference,
        team=team,
        children=children or (Child(name="Amelia Jones", date_of_birth=D("2019-05-14")),),
        parties=parties if parties is not None else (mother(),),
        events=tuple(events),
        assessments=assessments,
        plan_actions=actions,
    )
