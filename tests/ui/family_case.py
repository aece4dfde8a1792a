"""The blended family of the contract's ``example-cases-v3.json`` (PLO-2024-0031), for the
window's tests: three children by two fathers, the mother protected from one of them (a
non-molestation order), a grandmother; worries and strengths about some of them, meetings
for each side.

Imported through the real import service into the test's database, and a day for a new
booking worked out from the real clock and the council's calendar, so the tests pass on any
day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from plo_tracker import clock

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-cases-v3.json"
FAMILY = "PLO-2024-0031"
MOTHER, RUBY_FATHER, ALFIE_FATHER, GRAN = "mother", "ruby_father", "alfie_father", "gran"


def family_document() -> dict[str, Any]:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return {**data, "cases": [c for c in data["cases"] if c["reference"] == FAMILY]}


def import_family(ctx: Any) -> str:
    """Import PLO-2024-0031 (as someone who may import) and return its reference."""
    from plo_tracker.app import AppContext
    from plo_tracker.permissions import Permission
    from plo_tracker.services.users import find_actor

    importer = ctx
    if not ctx.actor.can(Permission.IMPORT_CASES):
        importer = AppContext(db=ctx.db, actor=find_actor(ctx.db, "demo.admin"))
    document = family_document()
    # The demo social worker's team (SOCIAL_WORKER, Case Management 2): a social worker
    # changes only their own team's cases (issue 22).
    document["cases"][0]["team"] = "Case Management 2"
    importer.exchange.import_text(json.dumps(document))
    return FAMILY


def working_day_ahead(ctx: Any, weeks: int = 3) -> dt.date:
    """A working day (no weekend, bank holiday or closure day) some weeks from the real
    today, so a booking made in the window is in the future and needs no confirming."""
    calendar = ctx.settings.calendar()
    day = clock.today() + dt.timedelta(weeks=weeks)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def weekend_day_ahead(weeks: int = 3) -> dt.date:
    day = clock.today() + dt.timedelta(weeks=weeks)
    while day.weekday() != 5:
        day += dt.timedelta(days=1)
    return day
