"""The bulk loader (Core rows, only the needed columns) builds exactly the records the
one-case loader (ORM objects) builds: every field, ids and versions included.

If a column is added to a record (say, a new event field) and only one loader learns it,
this fails, so flags, the case list and reports never see less than a case's own screen.
"""

from __future__ import annotations

import datetime as dt

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Event
from plo_tracker.services.cases import load_case_row
from plo_tracker.services.demo_setup import DemoSetupService
from plo_tracker.services.records import history_from_row, load_histories


def test_bulk_and_single_loads_give_identical_records(app: AppContext) -> None:
    DemoSetupService(app.db, app.actor).fill(80, seed=7)
    # A record saved through the app carries who recorded it.
    reference = app.cases.references()[0]
    history = app.cases.get(reference)
    day = max(e.date for e in history.events) if history.events else dt.date(2024, 1, 2)
    app.cases.save_event(
        reference,
        Event(
            type="management_oversight",
            date=day,
            decided_by="A Manager",
            rationale="Checked the plan.",
        ),
    )
    with app.db.read() as session:
        everything = load_histories(session)
        assert len(everything) == 80
        assert [h.reference for h in everything] == sorted(h.reference for h in everything)
        chosen = [h.id for h in everything[::3] if h.id is not None]
        some = load_histories(session, case_ids=chosen)
        open_now = load_histories(session, open_as_of=clock.today())
        for history in everything:
            single = history_from_row(load_case_row(session, history.reference))
            # repr shows every field, including those equality ignores (ids, versions).
            assert repr(history) == repr(single), history.reference
        by_reference = {h.reference: repr(h) for h in everything}
        assert [h.id for h in some] == sorted(
            chosen, key=lambda i: next(h.reference for h in everything if h.id == i)
        )
        for history in [*some, *open_now]:
            assert repr(history) == by_reference[history.reference]
    kinds = {
        "events": sum(len(h.events) for h in everything),
        "parties": sum(len(h.parties) for h in everything),
        "solicitors": sum(1 for h in everything for p in h.parties if p.solicitor),
        "assessments": sum(len(h.assessments) for h in everything),
        "plan_actions": sum(len(h.plan_actions) for h in everything),
        "scheduled": sum(len(h.scheduled) for h in everything),
        "children": sum(len(h.children) for h in everything),
    }
    assert all(kinds.values()), kinds  # the demo data exercises every part
    assert any(e.recorded_by for h in everything for e in h.events)
