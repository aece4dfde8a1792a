"""The blended family of the case exchange contract, entered in the real window, photographed.

    .venv/bin/python scripts/screenshots_family.py OUTDIR

PLO-2024-0031 of ``tests/data/example-cases-v3.json`` (the contract's example): three
children by two fathers, the mother protected from one of them (a non-molestation order),
a grandmother. Everything is typed into the window's own forms, as a team manager would,
on a new database, on the day the family's story has reached (2 April 2024, set with
``faketime`` so that the review meetings of 29 and 30 April are still to come): the case,
the children, the people and their ties to each child, who is kept apart, the meetings held,
the worries and strengths, the assessments, the plan and the review meetings booked for each
side. Screenshots are taken along the way (under Xvfb), and of the social worker's view of
the arrangement she may read but not change; the case is exported (``family-export.json``)
and compared with the contract's example, and the differences (if any) are printed.

Needs Xvfb and faketime (Debian packages ``xvfb faketime``). Nothing is written outside
OUTDIR.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots import start_xvfb  # noqa: E402 - the sibling script's X server

DAY = "2024-04-02 10:00:00"
REFERENCE = "PLO-2024-0031"
EXAMPLE = ROOT / "tests" / "data" / "example-cases-v3.json"
MANAGER = "joanne.price"


def parent(outdir: Path) -> int:
    faketime = shutil.which("faketime")
    if faketime is None:
        raise SystemExit("faketime is not installed (Debian/Ubuntu: apt-get install faketime).")
    outdir.mkdir(parents=True, exist_ok=True)
    server, display = start_xvfb(1600, 1100)
    data = outdir / ".family-data"
    try:
        env = dict(os.environ)
        env.update(
            {
                "DISPLAY": display,
                "QT_QPA_PLATFORM": "xcb",
                "PLO_TRACKER_DATA_DIR": str(data),
            }
        )
        env.pop("PLO_TRACKER_DATABASE_URL", None)
        env.pop("WAYLAND_DISPLAY", None)
        command = [faketime, DAY, sys.executable, str(Path(__file__).resolve()), "--child"]
        return subprocess.call([*command, str(outdir)], cwd=ROOT, env=env)  # noqa: S603
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(data, ignore_errors=True)


def child(outdir: Path) -> int:
    sys.path.insert(0, str(ROOT))
    import datetime as dt

    from PySide6.QtCore import QEventLoop, QTime, QTimer
    from PySide6.QtWidgets import QWidget

    from plo_tracker.permissions import Role
    from ui import dialogs
    from ui.app import Started, make_application, open_database_for, setup_logging
    from ui.main_window import MainWindow

    setup_logging()
    app = make_application()
    saved: list[Path] = []
    dialogs.confirm_warnings = lambda *_args: True  # type: ignore[assignment]

    def settle(ms: int = 300) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shoot(widget: QWidget, name: str) -> None:
        settle()
        widget.raise_()
        widget.activateWindow()
        settle(300)
        frame = widget.frameGeometry()
        pixmap = widget.screen().grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height())
        path = outdir / f"{name}.png"
        if not pixmap.save(str(path)):
            raise SystemExit(f"Could not save {path}")
        saved.append(path)

    def saved_ok(form: Any) -> None:
        settle(50)
        if not form.save():
            raise SystemExit(f"{form.title}: not saved: {form.message.text()}")

    def day(text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    # A new database; its first user (the administrator) registers the team.
    database = outdir / ".family-data" / "family.db"
    database.parent.mkdir(parents=True, exist_ok=True)
    args = argparse.Namespace(db=str(database), user="jo.bloggs", demo=False, command=None)
    started = open_database_for(args, create=True)
    if not isinstance(started, Started):
        raise SystemExit("The app did not start on a new database.")
    for username, name, role in (
        ("megan.hughes", "Megan Hughes", Role.SOCIAL_WORKER),
        (MANAGER, "Joanne Price", Role.TEAM_MANAGER),
        ("sara.khan", "Sara Khan", Role.LEGAL_LIAISON),
    ):
        started.ctx.users.add(username, name, role, "Case Management 1")
    started.close()

    # The team manager enters the family.
    args = argparse.Namespace(db=str(database), user=MANAGER, demo=False, command=None)
    started = open_database_for(args)
    if not isinstance(started, Started):
        raise SystemExit("The app did not start as the team manager.")
    window = MainWindow(started.ctx, title=started.title)
    window.resize(1500, 980)
    window.move(10, 10)
    window.show()
    settle()

    form = window.new_case()
    form.reference.setText(REFERENCE)
    form.team.setCurrentText("Case Management 1")
    form.worker.setText("Megan Hughes")
    form.manager.setText("Joanne Price")
    form.legal.setText("Sara Khan")
    form.child_name.setText("Ruby Evans")
    form.child_date.set_value(day("2016-09-03"))
    saved_ok(form)
    settle()
    view = window.current_case_view()
    assert view is not None

    for name, born, unborn in (
        ("Alfie Morgan", "2021-04-22", False),
        ("Baby Morgan", "2024-06-10", True),
    ):
        form = view.add_child()
        form.name.setText(name)
        (form.unborn if unborn else form.born).setChecked(True)
        form.date.set_value(day(born))
        saved_ok(form)

    view.tabs.setCurrentWidget(view.people_page)

    def person(
        key: str,
        name: str,
        relationship: str,
        pr: bool,
        address: list[str],
        ties: list[tuple[str, bool]] | None = None,
        confidential: bool = False,
        shot: str | None = None,
    ) -> None:
        form = view.add_party()
        form.name.setText(name)
        form.relationship.setCurrentText(relationship)
        form.key.setText(key)
        form.pr.setChecked(pr)
        form.address.setPlainText("\n".join(address))
        form.confidential.setChecked(confidential)
        if ties is not None:
            form.ties.each.setChecked(True)
            for (text, has_pr), combo, check in zip(
                ties, form.ties.relationships, form.ties.prs, strict=True
            ):
                combo.setCurrentText(text)
                check.setChecked(has_pr)
        if shot:
            form.resize(form.width(), form.sizeHint().height())
            shoot(form, shot)
        saved_ok(form)

    person(
        "mother",
        "Chloe Evans",
        "mother",
        True,
        ["2 Rowan Court", "Church Stretton", "SY6 6AA"],
        confidential=True,
    )
    person(
        "ruby_father",
        "Gareth Evans",
        "father",
        True,
        ["41 Long Lane", "Craven Arms", "SY7 9AB"],
        ties=[("father", True), ("", False), ("", False)],
    )
    person(
        "alfie_father",
        "Dean Morgan",
        "father",
        True,
        ["7 Station Yard", "Shrewsbury", "SY1 1AA"],
        ties=[("", False), ("father", True), ("father", False)],
        shot="20-family-people-grid",
    )
    person("gran", "Pat Evans", "maternal grandmother", False, [])

    # Who is kept apart: the mother, from Dean.
    select(view.parties, lambda r: r.party.id == "mother")
    form = view.add_keep_apart()
    form.kept_from.checks["alfie_father"].setChecked(True)
    form.reason.setPlainText("Domestic abuse: a non-molestation order protects the mother.")
    shoot(form, "21-family-keep-apart-form")
    saved_ok(form)

    # What has happened so far.
    def event(kind: str, when: str, **fields: Any) -> Any:
        form = view.add_event(kind)
        form.date.set_value(day(when))
        if "outcome" in fields:
            form.outcome.setCurrentIndex(form.outcome.findData(fields["outcome"]))
        if "party" in fields:
            form.party.setCurrentIndex(form.party.findData(fields["party"]))
            form.fgdm.setChecked(False)
        for key in fields.get("came", ()):
            form.came.checks[key].setChecked(True)
        if fields.get("not_ahead"):
            form.not_ahead.setChecked(True)
        return form

    saved_ok(event("legal_planning_meeting", "2024-03-04", outcome="pre_proceedings"))
    for party in ("mother", "ruby_father", "alfie_father"):
        saved_ok(event("letter_before_proceedings", "2024-03-08", party=party))
    saved_ok(event("pre_proceedings_meeting", "2024-03-18", came=("mother", "ruby_father", "gran")))
    form = event("pre_proceedings_meeting", "2024-03-19", came=("alfie_father",), not_ahead=True)
    shoot(form, "22-family-meeting-did-not-go-ahead")
    saved_ok(form)
    saved_ok(event("pre_proceedings_meeting", "2024-03-26", came=("alfie_father",)))

    # Whose facts are whose.
    view.tabs.setCurrentWidget(view.concerns_page)
    for text, about, children in (
        ("Ruby has missed 19 days of school this term.", (), ("ruby",)),
        (
            "The police were called to the home three times after you hit Chloe.",
            ("alfie_father",),
            ("alfie",),
        ),
        ("You have not taken Alfie to his last two health checks.", ("mother",), ("alfie",)),
    ):
        form = view.add_concern()
        form.text.setPlainText(text)
        for key in about:
            form.people[key].setChecked(True)
        for key in children:
            form.children_list.checks[key].setChecked(True)
        if about == ("alfie_father",):
            shoot(form, "23-family-worry-about")
        saved_ok(form)
    for text, about, children in (
        ("Ruby is doing well at her after-school club.", (), ("ruby",)),
        ("You have come to every family time visit.", ("mother",), ()),
    ):
        form = view.add_strength()
        form.text.setPlainText(text)
        for key in about:
            form.people[key].setChecked(True)
        for key in children:
            form.children_list.checks[key].setChecked(True)
        saved_ok(form)
    for title, commissioned, due, about, children in (
        ("Parenting assessment", "2024-03-18", "2024-05-17", ("mother",), ()),
        (
            "Domestic abuse perpetrator assessment",
            "2024-03-26",
            "2024-05-24",
            ("alfie_father",),
            ("alfie", "baby"),
        ),
    ):
        form = view.add_assessment()
        form.title.setText(title)
        form.commissioned.set_value(day(commissioned))
        form.due.set_value(day(due))
        for key in about:
            form.about_list.checks[key].setChecked(True)
        for key in children:
            form.children_list.checks[key].setChecked(True)
        saved_ok(form)
    for who, action, support, due in (
        (
            "mother",
            "Take Alfie to every health check",
            "A family support worker will come with you",
            "2024-04-30",
        ),
        ("alfie_father", "Start the domestic abuse programme", "", "2024-04-15"),
    ):
        form = view.add_action()
        form.action.setText(action)
        form.who.setCurrentIndex(form.who.findData(who))
        form.support.setText(support)
        form.due.set_value(day(due))
        saved_ok(form)

    # The review meetings, one for each side; Dean's first tried in the same room too soon.
    def booking(when: str, time: str, place: str, who: tuple[str, ...]) -> Any:
        form = view.add_booking()
        form.kind.setCurrentIndex(form.kind.findData("review_meeting"))
        form.date.set_value(day(when))
        form.time.check.setChecked(True)
        form.time.time.setTime(QTime.fromString(time, "HH:mm"))
        form.place.setText(place)
        for key in who:
            form.attendees.checks[key].setChecked(True)
        return form

    form = booking("2024-04-29", "10:00", "Shirehall, meeting room 2", ("mother", "ruby_father"))
    shoot(form, "24-family-booking-attendees")
    saved_ok(form)
    form = booking("2024-04-29", "11:00", "Shirehall, meeting room 2", ("alfie_father",))
    settle(50)
    shoot(form, "25-family-booking-refused")
    form.discard()
    saved_ok(booking("2024-04-30", "14:00", "Guildhall, room 4", ("alfie_father",)))

    # The case as everyone sees it: the safety banner above every tab.
    view.tabs.setCurrentWidget(view.chronology)
    shoot(window, "26-family-case-safety-banner")
    view.tabs.setCurrentWidget(view.people_page)
    select(view.parties, lambda r: r.party.id == "alfie_father")
    shoot(window, "27-family-people-kept-apart")
    view.tabs.setCurrentWidget(view.concerns_page)
    shoot(window, "28-family-worries-and-strengths")
    view.tabs.setCurrentWidget(view.assessments)
    shoot(window, "29-family-assessments")

    exported = window.ctx.exchange.export_cases([REFERENCE])
    (outdir / "family-export.json").write_text(
        json.dumps(exported, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    differences = compare(exported)
    window.close()
    started.close()

    # The social worker reads the arrangement but may not change it.
    args = argparse.Namespace(db=str(database), user="megan.hughes", demo=False, command=None)
    started = open_database_for(args)
    if not isinstance(started, Started):
        raise SystemExit("The app did not start as the social worker.")
    window = MainWindow(started.ctx, title=started.title)
    window.resize(1500, 980)
    window.move(10, 10)
    window.show()
    view = window.open_case(REFERENCE)
    view.tabs.setCurrentWidget(view.people_page)
    select(view.parties, lambda r: r.party.id == "mother")
    view.keep_apart.table.selectRow(0)
    shoot(window, "30-family-keep-apart-read-only")
    window.close()
    started.close()
    for path in saved:
        print(f"saved {path.name}")
    print("export: the same as the contract's example" if not differences else "export differs:")
    for line in differences:
        print(f"  {line}")
    app.processEvents()
    return 0


def select(section: Any, matches: Any) -> None:
    for number in range(section.proxy.rowCount()):
        if matches(section.proxy.row_at(number)):
            section.table.selectRow(number)
            return
    raise SystemExit("row not found")


def compare(exported: dict[str, Any]) -> list[str]:
    """Where the exported case differs from the contract's example (its order kept)."""
    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    want = next(c for c in example["cases"] if c["reference"] == REFERENCE)
    got = next(c for c in exported["cases"] if c["reference"] == REFERENCE)
    found: list[str] = []

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(a.get(key), b.get(key), f"{path}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}[{i}]")
        elif a != b:
            found.append(f"{path}: example {json.dumps(a)}, entered {json.dumps(b)}")

    walk(want, got, "case")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    outdir = args.outdir.resolve()
    return child(outdir) if args.child else parent(outdir)


if __name__ == "__main__":
    raise SystemExit(main())
