"""The service layer on both databases: edits, validation, versions, roles, audit, reviews."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Assessment, Booking, Child, Event, Party, PlanAction, Solicitor
from plo_tracker.errors import (
    ConflictError,
    ExchangeError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from plo_tracker.services.cases import CaseHeader
from tests.conftest import as_role

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"
TODAY = clock.today()


@pytest.fixture
def loaded(app: AppContext) -> AppContext:
    app.exchange.import_file(EXAMPLE)
    return app


def trail(app: AppContext, reference: str) -> list:
    return app.audit.trail(reference)


def test_create_case_and_add_each_kind_of_record(app: AppContext) -> None:
    app.teams.add("Team A")
    worker = as_role(app, "social_worker", "sw1", team="Team A")
    case = worker.cases.create(
        CaseHeader(reference="NEW-1", team="Team A", social_worker="Sw1"),
        [Child(name="Ruby Marsh", date_of_birth=dt.date(2019, 4, 2))],
    )
    assert case.reference == "NEW-1" and case.children[0].id is not None
    start = TODAY - dt.timedelta(days=30)
    case = worker.cases.save_party(
        "NEW-1",
        Party(
            id="mother",
            name="Gemma Marsh",
            relationship="mother",
            parental_responsibility=True,
            address=("1 Mill Lane", "Ludlow"),
            solicitor=Solicitor(name="A Lawyer", firm="Firm & Co"),
        ),
    )
    case = worker.cases.save_event(
        "NEW-1", Event(type="legal_planning_meeting", date=start, outcome="pre_proceedings")
    )
    case = worker.cases.save_event(
        "NEW-1",
        Event(type="letter_before_proceedings", date=start + dt.timedelta(days=2), party="mother"),
    )
    case = worker.cases.save_assessment(
        "NEW-1", Assessment("Parenting assessment", start, start + dt.timedelta(days=60))
    )
    case = worker.cases.save_action(
        "NEW-1", PlanAction("Go to the course", start + dt.timedelta(days=20), party="mother")
    )
    # A working day at least three days ahead (a weekend or bank holiday would ask first).
    calendar = worker.settings.calendar()
    meeting_day = TODAY + dt.timedelta(days=3)
    while not calendar.is_working_day(meeting_day):
        meeting_day += dt.timedelta(days=1)
    case = worker.cases.save_booking(
        "NEW-1",
        Booking("pre_proceedings_meeting", meeting_day, dt.time(10, 0), "Shirehall"),
    )
    assert len(case.events) == 2 and case.events[1].party == "mother"
    assert case.parties[0].solicitor.firm == "Firm & Co"
    assert case.scheduled[0].time == dt.time(10, 0)
    flags = {f.rule for f in worker.cases.flags_for("NEW-1")}
    assert "first_meeting_due" in flags and "action_overdue" in flags
    entries = trail(app, "NEW-1")
    assert {(e.action, e.entity) for e in entries} >= {
        ("create", "cases"),
        ("create", "children"),
        ("create", "parties"),
        ("create", "events"),
        ("create", "assessments"),
        ("create", "plan_actions"),
        ("create", "bookings"),
    }
    assert all(e.username == "sw1" for e in entries)
    created_event = next(e for e in entries if e.entity == "events")
    assert created_event.changes["type"] == [None, "legal_planning_meeting"]


def test_edit_records_from_and_to_in_the_audit(loaded: AppContext) -> None:
    case = loaded.cases.get("PLO-2024-0007")
    action = case.plan_actions[0]
    updated = loaded.cases.save_action(
        "PLO-2024-0007", replace(action, completed=dt.date(2024, 3, 25))
    )
    assert updated.plan_actions[0].completed == dt.date(2024, 3, 25)
    assert updated.plan_actions[0].version == action.version + 1
    change = [e for e in trail(loaded, "PLO-2024-0007") if e.action == "update"][-1]
    assert change.entity == "plan_actions"
    assert change.changes == {"completed": [None, "2024-03-25"]}


def test_stale_save_is_refused_and_nothing_is_overwritten(loaded: AppContext) -> None:
    first = as_role(loaded, "social_worker", "sw_a")
    second = as_role(loaded, "social_worker", "sw_b")
    seen = first.cases.get("PLO-2024-0007").assessments[0]
    second.cases.save_assessment("PLO-2024-0007", replace(seen, due=dt.date(2024, 5, 1)))
    with pytest.raises(ConflictError) as caught:
        first.cases.save_assessment("PLO-2024-0007", replace(seen, title="Overwritten?"))
    assert "changed by someone else" in str(caught.value)
    now = loaded.cases.get("PLO-2024-0007").assessments[0]
    assert now.title == "Parenting assessment" and now.due == dt.date(2024, 5, 1)


def test_stale_delete_is_refused(loaded: AppContext) -> None:
    seen = loaded.cases.get("PLO-2024-0007").scheduled[0]
    loaded.cases.save_booking("PLO-2024-0007", replace(seen, place="Town Hall"))
    with pytest.raises(ConflictError):
        loaded.cases.delete_item("PLO-2024-0007", "booking", seen.id, seen.version)
    assert loaded.cases.get("PLO-2024-0007").scheduled[0].place == "Town Hall"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda c: ("event", Event(type="review_meeting", date=TODAY + dt.timedelta(days=1))),
            "in the future",
        ),
        (
            lambda c: (
                "event",
                Event(type="letter_before_proceedings", date=TODAY, party="nobody"),
            ),
            "does not exist",
        ),
        (lambda c: ("event", Event(type="stepped_down", date=TODAY)), "required"),
        (lambda c: ("child", replace(c.children[0], name="  ")), "must not be empty"),
        (lambda c: ("child", replace(c.children[0], name="x" * 500)), "too long"),
        (
            lambda c: ("child", replace(c.children[0], expected_birth=dt.date(2025, 1, 1))),
            "exactly one",
        ),
        (
            lambda c: ("assessment", replace(c.assessments[0], due=dt.date(2020, 1, 1))),
            "before it was commissioned",
        ),
        (lambda c: ("party", replace(c.parties[0], id="father")), "used twice"),
        (lambda c: ("party", replace(c.parties[0], name="Bad\x07Name")), "control characters"),
    ],
)
def test_bad_edits_get_a_clear_message_and_change_nothing(
    loaded: AppContext, change, words: str
) -> None:
    case = loaded.cases.get("PLO-2024-0007")
    before = len(loaded.audit.trail("PLO-2024-0007"))
    kind, record = change(case)
    save = {
        "event": loaded.cases.save_event,
        "child": loaded.cases.save_child,
        "assessment": loaded.cases.save_assessment,
        "party": loaded.cases.save_party,
    }[kind]
    with pytest.raises(ValidationError) as caught:
        save("PLO-2024-0007", record)
    assert words in str(caught.value)
    assert loaded.cases.get("PLO-2024-0007") == case
    assert len(loaded.audit.trail("PLO-2024-0007")) == before


def test_cannot_delete_the_last_child_or_a_party_still_named(loaded: AppContext) -> None:
    case = loaded.cases.get("PLO-2024-0011")
    child = case.children[0]
    with pytest.raises(ValidationError, match="at least one child"):
        loaded.cases.delete_item("PLO-2024-0011", "child", child.id, child.version)
    party = case.parties[0]
    with pytest.raises(ValidationError, match="named in 1 event"):
        loaded.cases.delete_item("PLO-2024-0011", "party", party.row_id, party.version)


def test_renaming_a_party_key_keeps_its_events(loaded: AppContext) -> None:
    case = loaded.cases.get("PLO-2024-0011")
    updated = loaded.cases.save_party("PLO-2024-0011", replace(case.parties[0], id="mum"))
    assert updated.events[1].party == "mum"


def test_roles_decide_who_may_do_what(loaded: AppContext) -> None:
    worker = as_role(loaded, "social_worker")
    legal = as_role(loaded, "legal_liaison")
    manager = as_role(loaded, "team_manager")
    oversight = Event(type="management_oversight", date=TODAY, decided_by="X", rationale="y")
    with pytest.raises(PermissionDenied, match="social worker may not record management"):
        worker.cases.save_event("PLO-2024-0007", oversight)
    manager.cases.save_event("PLO-2024-0007", oversight)
    with pytest.raises(PermissionDenied):
        legal.cases.save_assessment(
            "PLO-2024-0007", Assessment("X", TODAY, TODAY + dt.timedelta(days=1))
        )
    legal.cases.save_event(
        "PLO-2024-0011", Event(type="letter_before_proceedings", date=TODAY, party="m")
    )
    with pytest.raises(PermissionDenied):
        worker.exchange.import_file(EXAMPLE)
    with pytest.raises(PermissionDenied):
        worker.users.add("someone", "Some One", "administrator")
    with pytest.raises(PermissionDenied):
        worker.settings.set_policy_value("review_weeks", 8)
    with pytest.raises(PermissionDenied):
        manager.cases.delete_case("PLO-2024-0007", 1)
    with pytest.raises(PermissionDenied):
        worker.flags.review("PLO-2024-0007", "solicitor_missing", decision="accept", rationale="x")


def test_admin_deletes_a_case_and_the_trail_survives(loaded: AppContext) -> None:
    case = loaded.cases.get("PLO-2023-0042")
    loaded.cases.delete_case("PLO-2023-0042", case.version)
    with pytest.raises(NotFound):
        loaded.cases.get("PLO-2023-0042")
    entries = loaded.audit.trail("PLO-2023-0042")
    deletion = [e for e in entries if e.action == "delete" and e.entity == "case"]
    assert deletion and deletion[0].changes["deleted_case"]["reference"] == "PLO-2023-0042"


def test_manager_reviews_a_flag(loaded: AppContext) -> None:
    manager = as_role(loaded, "team_manager", "david.evans")
    case = loaded.cases.get("PLO-2024-0007")
    # The father's missing solicitor has been overdue since 2024.
    record = manager.flags.review(
        "PLO-2024-0007",
        "solicitor_missing",
        decision="accept",
        rationale="Father refuses legal advice; recorded.",
        until=TODAY + dt.timedelta(days=14),
    )
    assert record.reviewed_by == "david.evans"
    flags = [
        f
        for f in manager.flags.flags()
        if f.case == "PLO-2024-0007" and f.rule == "solicitor_missing"
    ]
    assert flags[0].reviewed is not None
    assert flags[0].reviewed.until == TODAY + dt.timedelta(days=14)
    assert flags[0].severity == "overdue"
    assert manager.flags.reviews("PLO-2024-0007")[0].rationale.startswith("Father refuses")
    after = manager.cases.get("PLO-2024-0007")
    assert len(after.events) == len(case.events) + 1
    assert after.events[-1].type == "management_oversight"
    # The oversight also resets oversight_due.
    assert not any(f.rule == "oversight_due" for f in manager.cases.flags_for("PLO-2024-0007"))
    with pytest.raises(ValidationError, match="Rationale"):
        manager.flags.review("PLO-2024-0007", "review_due", decision="accept", rationale=" ")
    with pytest.raises(NotFound, match="no 'Family group"):
        manager.flags.review("PLO-2023-0042", "fgc_held_due", decision="accept", rationale="x")


def test_extension_moves_the_duration_due_date(loaded: AppContext) -> None:
    manager = as_role(loaded, "team_manager")
    assert any(f.rule == "duration_exceeded" for f in manager.cases.flags_for("PLO-2024-0007"))
    manager.flags.review(
        "PLO-2024-0007",
        "duration_exceeded",
        decision="extend",
        rationale="Assessment needs four more weeks.",
        until=TODAY + dt.timedelta(days=60),
    )
    assert not any(f.rule == "duration_exceeded" for f in manager.cases.flags_for("PLO-2024-0007"))
    assert manager.cases.get("PLO-2024-0007").events[-1].type == "extension_agreed"


def test_import_replaces_a_case_and_audits_before_and_after(loaded: AppContext) -> None:
    document = json.loads(EXAMPLE.read_text())
    document["cases"][0]["team"] = "Case Management 3"
    del document["cases"][0]["assessments"]
    # Removing the assessments needs --replace (issue 12); without it nothing changes.
    with pytest.raises(ExchangeError, match=r"PLO-2024-0007: 1 assessment\. If the file"):
        loaded.exchange.import_text(json.dumps(document))
    assert loaded.cases.get("PLO-2024-0007").team == "Case Management 2"
    result = loaded.exchange.import_text(json.dumps(document), replace=True)
    assert (result.created, result.replaced, result.unchanged) == (0, 1, 2)
    case = loaded.cases.get("PLO-2024-0007")
    assert case.team == "Case Management 3" and case.assessments == ()
    entry = [e for e in loaded.audit.trail("PLO-2024-0007") if e.action == "import"][-1]
    assert entry.changes["before"]["team"] == "Case Management 2"
    assert entry.changes["after"]["team"] == "Case Management 3"


def test_flags_as_of_a_past_date_and_summaries(loaded: AppContext) -> None:
    assert [f.rule for f in loaded.flags.flags(dt.date(2024, 3, 20))] == [
        "fgc_held_due",
        "solicitor_missing",
    ]
    rows = {r.reference: r for r in loaded.cases.summaries(dt.date(2024, 3, 20))}
    assert rows["PLO-2024-0007"].rag == "red" and rows["PLO-2024-0007"].is_open
    assert rows["PLO-2024-0007"].stage == "Plan agreed"
    assert rows["PLO-2024-0007"].weeks == 6
    assert rows["PLO-2024-0007"].children == "Amelia Jones, Noah Jones"
    assert rows["PLO-2024-0011"].rag == "green"
    assert rows["PLO-2023-0042"].stage == "Stepped down" and rows["PLO-2023-0042"].weeks == 12


def test_policy_changes_are_stored_and_used(loaded: AppContext) -> None:
    line = next(x for x in loaded.settings.policy_lines() if x.key == "fgc_held_weeks")
    assert line.value == 6 and not line.changed
    loaded.settings.set_policy_value("fgc_held_weeks", 7)
    assert not any(f.rule == "fgc_held_due" for f in loaded.flags.flags(dt.date(2024, 3, 20)))
    assert loaded.settings.policy().fgc_held_weeks == 7
    loaded.settings.reset_policy_value("fgc_held_weeks")
    assert loaded.settings.policy().fgc_held_weeks == 6


def test_users_and_first_administrator(app: AppContext) -> None:
    assert app.actor.role == "administrator"
    app.teams.add("Case Management 2")
    added = app.users.add("megan.hughes", "Megan Hughes", "social_worker", "Case Management 2")
    assert added.role == "social_worker"
    with pytest.raises(ValidationError, match="already registered"):
        app.users.add("megan.hughes", "Megan Hughes", "social_worker")
    with pytest.raises(ValidationError, match="User name"):
        app.users.add("bad name; drop table", "X", "social_worker")
    me = app.users.get(app.actor.username)
    with pytest.raises(ValidationError, match="only active administrator"):
        app.users.update(app.actor.username, me.version, role="social_worker")
    changed = app.users.update("megan.hughes", added.version, role="team_manager")
    with pytest.raises(ConflictError):
        app.users.update("megan.hughes", added.version, role="legal_liaison")
    assert changed.role == "team_manager"


def test_reviews_made_outside_the_review_dialog_are_listed(app: AppContext) -> None:
    """An imported review (an oversight naming a rule) shows in the case's list of reviews."""
    data = json.loads(EXAMPLE.read_text())
    data["cases"][0]["events"].append(
        {
            "type": "management_oversight",
            "date": "2024-03-05",
            "decided_by": "David Evans",
            "rationale": "Father refuses legal advice; reviewed in supervision.",
            "rule": "solicitor_missing",
            "until": "2024-04-05",
        }
    )
    app.exchange.import_text(json.dumps(data))
    (review,) = app.flags.reviews("PLO-2024-0007")
    assert (review.rule, review.decided_by, review.on, review.until) == (
        "solicitor_missing",
        "David Evans",
        dt.date(2024, 3, 5),
        dt.date(2024, 4, 5),
    )
    assert review.rationale.startswith("Father refuses")
