"""The case list's kept rows are always the rows a fresh computation gives."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db.models import CaseStatus
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Child, Event, Party
from plo_tracker.services.base import today
from plo_tracker.services.cases import CaseHeader, work_lists
from plo_tracker.services.settings import load_calendar, load_policy
from tests.builders import add_staff
from tests.conftest import as_role

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def fresh(app: AppContext, as_of: dt.date | None = None) -> list:
    as_of = as_of or today()
    with app.db.read() as session:
        rows = work_lists.compute(session, as_of, load_policy(session), load_calendar(session))
    return sorted(rows.values(), key=lambda r: r.reference)


def kept_rows(app: AppContext) -> int:
    with app.db.read() as session:
        return session.scalar(select(func.count()).select_from(CaseStatus)) or 0


def check(app: AppContext) -> None:
    assert app.cases.summaries() == fresh(app)
    assert kept_rows(app) == len(app.cases.references())
    assert app.cases.summaries() == fresh(app)  # and read back from the kept rows


@pytest.fixture
def loaded(app: AppContext) -> AppContext:
    app.exchange.import_file(EXAMPLE)
    document = json.loads(EXAMPLE.read_text())
    # An open case as of today, so date-dependent rows are involved too.
    start = (today() - dt.timedelta(days=20)).isoformat()
    document["cases"] = [
        {
            "reference": "OPEN-1",
            "team": "Team A",
            "social_worker": "Sam Taylor",
            "children": [{"name": "Ann Lee", "date_of_birth": "2020-01-01"}],
            "parties": [
                {
                    "id": "mother",
                    "name": "Kay Lee",
                    "relationship": "mother",
                    "parental_responsibility": True,
                }
            ],
            "events": [
                {"type": "legal_planning_meeting", "date": start, "outcome": "pre_proceedings"}
            ],
        }
    ]
    app.exchange.import_text(json.dumps(document))
    return app


def test_every_kind_of_write_keeps_the_list_right(loaded: AppContext) -> None:
    app = loaded
    check(app)
    worker = as_role(app, "social_worker")
    manager = as_role(app, "team_manager")
    add_staff(app, "Team B", "Priya Shah")
    day = today()
    steps = [
        lambda: worker.cases.save_event(
            "OPEN-1", Event(type="letter_before_proceedings", date=day, party="mother")
        ),
        lambda: worker.cases.save_child(
            "OPEN-1", replace(app.cases.get("OPEN-1").children[0], name="Ann Marie Lee")
        ),
        lambda: worker.cases.save_child(
            "OPEN-1", Child(name="Baby Lee", expected_birth=day + dt.timedelta(days=60))
        ),
        lambda: worker.cases.save_party(
            "OPEN-1",
            Party(id="father", name="Jon Lee", relationship="father", parental_responsibility=True),
        ),
        lambda: worker.cases.update_header(
            CaseHeader(reference="OPEN-1", team="Team B", social_worker="Priya Shah"),
            app.cases.get("OPEN-1").version,
        ),
        lambda: (
            manager.flags.review(
                "OPEN-1", "oversight_due", decision="accept", rationale="Checked in supervision"
            )
            if any(f.rule == "oversight_due" for f in app.cases.flags_for("OPEN-1"))
            else manager.cases.save_event(
                "OPEN-1",
                Event(type="management_oversight", date=day, decided_by="Ann", rationale="Checked"),
            )
        ),
        lambda: worker.cases.save_event(
            "PLO-2023-0042", Event(type="review_meeting", date=dt.date(2023, 8, 1))
        ),
        lambda: app.cases.delete_item(
            "OPEN-1",
            "event",
            app.cases.get("OPEN-1").events[-1].id,
            app.cases.get("OPEN-1").events[-1].version,
        ),
        lambda: app.settings.set_policy_value("letter_due_working_days", 2),
        lambda: app.settings.add_closure(day + dt.timedelta(days=1), "Closed"),
        # Puts the cases back as the file has them (undoing the edits above): a replacing
        # import must say so (issue 12), or it is refused for the records it removes.
        lambda: app.exchange.import_file(EXAMPLE, replace=True),
        lambda: worker.cases.save_event(
            "OPEN-1", Event(type="stepped_down", date=day, to="child_in_need")
        ),
        lambda: app.cases.delete_case("PLO-2024-0011", app.cases.get("PLO-2024-0011").version),
        lambda: app.cases.create(
            CaseHeader(reference="NEW-9", team="Team A", social_worker="Sam Taylor"),
            [Child(name="Tom Lee", date_of_birth=dt.date(2021, 5, 5))],
        ),
    ]
    for step in steps:
        step()
        check(app)


def test_a_replacing_import_refreshes_the_row(loaded: AppContext) -> None:
    check(loaded)
    document = json.loads(EXAMPLE.read_text())
    document["cases"][0]["children"][0]["name"] = "Renamed Child"
    loaded.exchange.import_text(json.dumps(document), replace=True)  # the old child goes
    rows = {r.reference: r for r in loaded.cases.summaries()}
    assert rows["PLO-2024-0007"].children.startswith("Renamed Child")
    check(loaded)


def test_open_cases_are_worked_out_again_on_a_new_day(loaded: AppContext) -> None:
    check(loaded)
    tomorrow = today() + dt.timedelta(days=1)
    later = work_lists.summaries(loaded.db, tomorrow, tomorrow, loaded.actor.username)
    assert later == fresh(loaded, tomorrow)
    opened = {r.reference: r for r in later}["OPEN-1"]
    assert opened.weeks is not None


def test_a_row_kept_for_another_revision_is_not_used(loaded: AppContext) -> None:
    check(loaded)
    with loaded.db.write("test") as session:
        session.execute(update(CaseStatus).values(stage="Tampered", revision=-1))
    assert all(r.stage != "Tampered" for r in loaded.cases.summaries())
    check(loaded)


def test_past_views_are_not_kept(loaded: AppContext) -> None:
    before = kept_rows(loaded)
    past = loaded.cases.summaries(dt.date(2024, 3, 20))
    assert past == fresh(loaded, dt.date(2024, 3, 20))
    assert kept_rows(loaded) == before
