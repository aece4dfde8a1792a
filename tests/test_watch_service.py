"""Importing the CP plans of a CIN return, the watch list and its reviews, through the
services and the command line, on a real database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.domain.model import Child
from plo_tracker.errors import NotFound, PermissionDenied, PloError, ValidationError
from plo_tracker.services.watch import ImportRefused
from tests.builders import D, add_staff, case, ev
from tests.conftest import as_role


def child_xml(
    la_id: str, *plans: tuple[str, str | None, str | None], born: str = "2019-05-14"
) -> str:
    blocks = []
    for start, end, previous in plans:
        parts = [f"<CPPstartDate>{start}</CPPstartDate>"]
        if end is not None:
            parts.append(f"<CPPendDate>{end}</CPPendDate>")
        parts.append("<InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>")
        if previous is not None:
            parts.append(f"<NumberOfPreviousCPP>{previous}</NumberOfPreviousCPP>")
        blocks.append("<ChildProtectionPlans>" + "".join(parts) + "</ChildProtectionPlans>")
    return (
        f"<Child><ChildIdentifiers><LAchildID>{la_id}</LAchildID>"
        f"<PersonBirthDate>{born}</PersonBirthDate></ChildIdentifiers>"
        "<CINdetails><CINreferralDate>2025-01-01</CINreferralDate>"
        + "".join(blocks)
        + "</CINdetails></Child>"
    )


def return_xml(
    *children: str,
    reference: str = "2027-03-31",
    made: str = "2027-04-07T09:30:00",
    collection: str = "CIN",
    doctype: str = "",
) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<Message><Header><CollectionDetails>'
        f"<Collection>{collection}</Collection><Year>2027</Year>"
        f"<ReferenceDate>{reference}</ReferenceDate></CollectionDetails>"
        f"<Source><LEA>999</LEA><DateTime>{made}</DateTime></Source></Header>"
        "<Children>" + "".join(children) + "</Children></Message>"
    ).encode()


GOOD = return_xml(
    child_xml("LA100123", ("2026-03-03", None, "0")),
    child_xml("LA100200", ("2024-01-01", "2024-09-01", "0"), ("2026-06-01", None, "1")),
    child_xml("LA100300", ("2025-02-01", None, "0")),
    "<Child><ChildIdentifiers><LAchildID>LA100400</LAchildID></ChildIdentifiers></Child>",
)


def write(tmp_path: Path, data: bytes, name: str = "return.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def plans_held(app: AppContext) -> int:
    held = app.watch.held()
    return 0 if held is None else held.plans


def test_import_keeps_only_ids_births_and_plan_dates(app: AppContext, tmp_path: Path) -> None:
    held = app.watch.import_return(write(tmp_path, GOOD))
    assert (held.children, held.children_with_plans, held.plans) == (4, 3, 4)
    assert held.reference_date == D("2027-03-31") and held.file_name == "return.xml"
    from db.models import CpPlan

    with app.db.read() as session:
        rows = session.query(CpPlan).order_by(CpPlan.la_child_id, CpPlan.start).all()
        kept = [(r.la_child_id, r.date_of_birth, r.start, r.end, r.previous_plans) for r in rows]
    assert kept[1] == ("LA100200", D("2019-05-14"), D("2024-01-01"), D("2024-09-01"), 0)
    with app.db.read() as session:
        from db.models import AuditEntry

        entry = session.query(AuditEntry).filter(AuditEntry.entity == "cp_plans").one()
        assert entry.action == "import" and entry.changes["plans"] == 4
        assert entry.changes["file"] == "return.xml"


BAD = {
    "not a CIN return": (b"<?xml version='1.0'?><Cases><Case/></Cases>", "not a CIN census return"),
    "another collection": (
        return_xml(child_xml("A", ("2026-01-01", None, "0")), collection="SCHOOL"),
        "not a CIN census return",
    ),
    "not XML": (b"this is not xml at all", "not well-formed XML"),
    "entities": (
        return_xml(
            child_xml("A", ("2026-01-01", None, "0")),
            doctype='<!DOCTYPE Message [<!ENTITY boom "x">]>',
        ),
        "has a DOCTYPE, where XML entities are declared",
    ),
    "no plans": (return_xml(child_xml("A")), "holds no child protection plans"),
    "duplicate children": (
        return_xml(
            child_xml("LA1", ("2026-01-01", None, "0")), child_xml("LA1", ("2026-02-01", None, "0"))
        ),
        "Child 2 (LA1): this LAchildID is given to another child earlier in the return",
    ),
    "ends before it starts": (
        return_xml(child_xml("LA1", ("2026-05-01", "2026-04-01", "0"))),
        "CP plan 1 ends (2026-04-01) before it starts (2026-05-01)",
    ),
    "previous not a number": (
        return_xml(child_xml("LA1", ("2026-05-01", None, "two"))),
        "NumberOfPreviousCPP 'two' is not a whole number",
    ),
    "start not a date": (
        return_xml(child_xml("LA1", ("01/05/2026", None, "0"))),
        "CPPstartDate '01/05/2026' is not a date",
    ),
    "too deep": (
        b"<Message><Children>" + b"<a>" * 300 + b"</a>" * 300 + b"</Children></Message>",
        "not well-formed XML",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_bad_input_is_refused_and_nothing_is_replaced(
    kind: str, sqlite_app: AppContext, tmp_path: Path
) -> None:
    app = sqlite_app
    app.watch.import_return(write(tmp_path, GOOD, "good.xml"))
    data, words = BAD[kind]
    with pytest.raises(PloError) as raised:
        app.watch.import_return(write(tmp_path, data, "bad.xml"))
    assert words in str(raised.value)
    held = app.watch.held()
    assert held is not None and held.file_name == "good.xml" and held.plans == 4


def test_every_finding_is_listed_at_once(sqlite_app: AppContext, tmp_path: Path) -> None:
    data = return_xml(
        child_xml("LA1", ("2026-05-01", "2026-04-01", "0")),
        child_xml("LA2", ("2026-05-01", None, "x")),
        child_xml("LA3", ("2026-05-01", None, "0")),
    )
    with pytest.raises(ImportRefused) as raised:
        sqlite_app.watch.import_return(write(tmp_path, data))
    assert [f.la_child_id for f in raised.value.findings] == ["LA1", "LA2"]
    assert "2 problem(s)" in str(raised.value) and plans_held(sqlite_app) == 0


def test_an_older_return_asks_for_replace_newer(sqlite_app: AppContext, tmp_path: Path) -> None:
    app = sqlite_app
    app.watch.import_return(write(tmp_path, GOOD, "2027.xml"))
    older = return_xml(child_xml("LA9", ("2025-05-01", None, "0")), reference="2026-03-31")
    with pytest.raises(ImportRefused, match="--replace-newer"):
        app.watch.import_return(write(tmp_path, older, "2026.xml"))
    assert app.watch.held().file_name == "2027.xml"  # type: ignore[union-attr]
    held = app.watch.import_return(write(tmp_path, older, "2026.xml"), replace_newer=True)
    assert held.plans == 1 and app.watch.held().file_name == "2026.xml"  # type: ignore[union-attr]
    # A newer one replaces it without being asked.
    app.watch.import_return(write(tmp_path, GOOD, "2027.xml"))
    assert plans_held(app) == 4


def _cases(app: AppContext) -> None:
    staff = add_staff(app)
    child = Child(name="Amelia Jones", date_of_birth=D("2019-05-14"), la_child_id="LA100300")
    met = case(
        ev("legal_planning_meeting", "2024-06-01", outcome="pre_proceedings"),
        ev("stepped_down", "2024-09-01", to="child_protection"),
        reference="PLO-W-1",
        children=(child,),
        social_worker=staff["social_worker"],
    )
    app.exchange.import_cases([met])


def test_the_watch_list_matches_children_to_cases(app: AppContext, tmp_path: Path) -> None:
    _cases(app)
    app.watch.import_return(write(tmp_path, GOOD))
    found = app.watch.watch_list(D("2026-12-05"))
    assert [(i.la_child_id, i.rule, i.case) for i in found.items] == [
        ("LA100123", "cp_plan_long", None),
        ("LA100200", "repeat_cp_plan", None),
        ("LA100300", "back_after_step_down", "PLO-W-1"),
        ("LA100300", "cp_plan_long", "PLO-W-1"),
    ]
    # A legal planning meeting for the child ends the items.
    app.cases.save_event(
        "PLO-W-1",
        ev("legal_planning_meeting", "2026-11-20", outcome="no_legal_action"),
        confirm=True,
    )
    assert [i.la_child_id for i in app.watch.watch_list(D("2026-12-05")).items] == [
        "LA100123",
        "LA100200",
    ]
    assert [i.la_child_id for i in app.watch.watch_list(D("2026-11-19")).items] == [
        "LA100200",
        "LA100300",
        "LA100300",
    ]
    # The team filter keeps the children whose case belongs to the team.
    assert [i.la_child_id for i in app.watch.watch_list(D("2026-11-19"), "Team A").items] == [
        "LA100300",
        "LA100300",
    ]


def test_a_manager_reviews_an_item_and_others_may_not(app: AppContext, tmp_path: Path) -> None:
    app.watch.import_return(write(tmp_path, GOOD))
    worker = as_role(app, "social_worker")
    liaison = as_role(app, "legal_liaison")
    manager = as_role(app, "team_manager")
    with pytest.raises(PermissionDenied):
        worker.watch.watch_list()
    assert liaison.watch.watch_list().items  # legal liaison see the list
    with pytest.raises(PermissionDenied):
        liaison.watch.review("LA100123", "cp_plan_long", rationale="Seen")
    with pytest.raises(ValidationError, match="Rationale"):
        manager.watch.review("LA100300", "cp_plan_long", rationale="   ")
    with pytest.raises(ValidationError, match="Until"):
        manager.watch.review("LA100300", "cp_plan_long", rationale="Seen", until=D("2026-11-01"))
    with pytest.raises(NotFound, match="not on the watch list today"):
        manager.watch.review("LA100400", "cp_plan_long", rationale="Seen")
    review = manager.watch.review(
        "LA100300", "cp_plan_long", rationale="Conference next week", until=D("2027-01-31")
    )
    [item] = [i for i in app.watch.watch_list().items if i.la_child_id == "LA100300"]
    assert item.reviewed == review
    with app.db.read() as session:
        from db.models import AuditEntry

        entry = session.query(AuditEntry).filter(AuditEntry.entity == "watch_reviews").one()
        assert entry.changes["rationale"] == "Conference next week"


def run(db: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    assert run(db, "init", capsys=capsys)[0] == 0
    code, out, err = run(db, "cp-plans", "import", str(write(tmp_path, GOOD)), capsys=capsys)
    assert code == 0, err
    assert "4 child(ren) read, 3 with child protection plans, 4 plan(s) kept" in out
    code, out, _ = run(db, "cp-plans", capsys=capsys)
    assert "From return.xml: the CIN census return for 31 March 2027" in out
    code, out, _ = run(db, "watch", "--as-of", "2026-12-05", "--format", "json", capsys=capsys)
    document = json.loads(out)
    assert document["as_of"] == "2026-12-05"
    assert [(i["la_child_id"], i["rule"]) for i in document["items"]] == [
        ("LA100123", "cp_plan_long"),
        ("LA100200", "repeat_cp_plan"),
        ("LA100300", "cp_plan_long"),
    ]
    assert set(document["items"][0]) == {"la_child_id", "rule", "since", "due", "case", "message"}
    code, out, err = run(
        db,
        "watch",
        "review",
        "LA100300",
        "cp_plan_long",
        "--rationale",
        "Agreed at panel",
        capsys=capsys,
    )
    assert code == 0, err
    code, out, _ = run(db, "watch", "--format", "json", capsys=capsys)
    items = json.loads(out)["items"]  # today, 25 November 2026
    assert [(i["la_child_id"], "reviewed" in i) for i in items] == [
        ("LA100200", False),
        ("LA100300", True),
    ]
    assert items[1]["reviewed"]["rationale"] == "Agreed at panel"
    code, out, _ = run(db, "watch", "--format", "csv", capsys=capsys)
    assert out.splitlines()[0] == "Child,Rule,Since,Due,Case,Reviewed,Message"
    code, out, _ = run(db, "watch", capsys=capsys)
    assert "2 item(s) for 2 child(ren)" in out and "second or subsequent: 1" in out
    code, out, err = run(db, "cp-plans", "import", str(tmp_path / "none.xml"), capsys=capsys)
    assert code != 0 and "There is no file" in err
    code, out, err = run(db, "watch", "--team", "No Such Team", capsys=capsys)
    assert code != 0 and "There is no team called 'No Such Team'" in err
    code, out, _ = run(db, "policy", capsys=capsys)
    assert "cp_plan_watch_months" in out and "product default" in out
