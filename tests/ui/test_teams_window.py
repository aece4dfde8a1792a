"""Teams and staff are lists in the window (issue 20, item 5).

The administrator's File → Users… shows the people and teams "not yet registered" and
confirms, merges, renames, retires and adds them (on both databases); the New case and
case details forms choose the team and staff from lists; the window's import offers to
add the names a file has that the database does not.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from plo_tracker.app import AppContext
from plo_tracker.permissions import Role
from tests.conftest import as_role
from tests.ui.conftest import DialogLog, close_windows, show_active
from ui.main_window import MainWindow
from ui.widgets.teams import TeamsModel
from ui.widgets.users import UsersModel

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "example-cases.json"


@pytest.fixture
def admin_window(qtbot: Any, app: AppContext) -> Iterator[MainWindow]:
    """An administrator's window over the example cases, their names not yet registered."""
    app.exchange.import_file(EXAMPLE)
    window = MainWindow(AppContext(db=app.db, actor=app.actor), title="PLO Tracker – test")
    show_active(qtbot, window)
    yield window
    close_windows([window])


def texts(model: Any, column: int) -> list[str]:
    return [model.COLUMNS[column].text(row) for row in model.rows()]


def test_an_administrator_confirms_merges_renames_and_retires(
    qtbot: Any, admin_window: MainWindow, dialog_log: DialogLog
) -> None:
    window = admin_window
    ctx = window.ctx
    ctx.teams.confirm("Case Management 2")
    # A second spelling of Megan Hughes, added by an import that was asked to.
    data = EXAMPLE.read_text().replace('"Megan Hughes"', '"Megan Hughs"')
    ctx.exchange.import_text(data, create_missing=True)
    dialog = window.show_users()
    qtbot.addWidget(dialog)
    note = dialog.waiting_note
    assert note.isVisible()
    assert note.text().startswith("6 people and 1 team not yet registered")
    people = dialog.model
    states = dict(
        zip(texts(people, UsersModel.NAME), texts(people, UsersModel.ACTIVE), strict=True)
    )
    assert states["Tom Baker"] == "Not yet registered (found on cases)"
    assert states[ctx.actor.display_name] == "Yes"
    dialog.waiting_only.setChecked(True)
    assert {u.display_name for u in dialog.proxy.visible_rows()} == {
        "Ann Wright",
        "David Evans",
        "Megan Hughes",
        "Megan Hughs",
        "Sara Khan",
        "Tom Baker",
    }
    # Confirm Tom Baker with his login.
    tom = next(u for u in dialog.proxy.visible_rows() if u.display_name == "Tom Baker")
    assert dialog.select(tom.username)
    assert dialog.confirm_button.isEnabled() and dialog.merge_button.isEnabled()
    assert not dialog.change_button.isEnabled() and not dialog.switch_button.isEnabled()
    assert dialog.switch_button.toolTip() == "Not yet registered: confirm them first."
    form = dialog.confirm_person()
    assert form.team.currentData() == "Case Management 1"
    assert form.role.currentData() == Role.SOCIAL_WORKER
    assert not form.save_button.isEnabled()
    qtbot.keyClicks(form.username, "tom.baker")
    assert form.save(), form.message.text()
    assert dialog.status.text().startswith(
        "Confirmed Tom Baker: user name tom.baker, social worker. They can now use PLO Tracker."
    )
    if ctx.db.is_postgresql:  # their login is made by the database administrator
        assert 'GRANT "plo_social_worker" TO "tom.baker"' in dialog.status.text()
    assert ctx.users.get("tom.baker").registered and ctx.users.get("tom.baker").active
    assert "tom.baker" not in {u.username for u in dialog.proxy.visible_rows()}
    # Merge the second spelling into the person.
    hughs = next(u for u in dialog.proxy.visible_rows() if u.display_name == "Megan Hughs")
    assert dialog.select(hughs.username)
    form = dialog.merge_person()
    assert not form.save_button.isEnabled()
    megan = next(u for u in ctx.users.list() if u.display_name == "Megan Hughes")
    form.into.setCurrentIndex(form.into.findData(megan.username))
    assert form.save(), form.message.text()
    assert "Merged Megan Hughs into Megan Hughes" in dialog.status.text()
    assert ctx.cases.get("PLO-2024-0007").social_worker == "Megan Hughes"
    assert dialog.waiting_note.text().startswith("4 people and 1 team not yet registered")

    # Teams.
    dialog.tabs.setCurrentWidget(dialog.teams)
    panel = dialog.teams
    statuses = dict(zip(texts(panel.model, 0), texts(panel.model, TeamsModel.STATUS), strict=True))
    assert statuses == {
        "Case Management 1": "Not yet registered (found on cases)",
        "Case Management 2": "Current",
    }
    assert panel.select("Case Management 1")
    assert panel.confirm_button.isEnabled()
    assert panel.confirm_team() is not None
    assert dialog.status.text() == "Confirmed the team Case Management 1."
    assert not dialog.waiting_note.text().startswith("4 people and 1 team")
    assert panel.select("Case Management 1")
    form = panel.rename_team()
    assert not form.save_button.isEnabled()  # the same name is no change
    form.name.clear()
    qtbot.keyClicks(form.name, "Case Management North")
    assert form.save(), form.message.text()
    assert dialog.status.text() == (
        "Renamed Case Management 1 to Case Management North, on its cases and people too."
    )
    assert ctx.cases.get("PLO-2024-0011").team == "Case Management North"
    assert ctx.users.get("tom.baker").team == "Case Management North"
    team_column = {r.reference: r.team for r in window.case_list.model.rows()}
    window.case_list.refresh()
    qtbot.waitUntil(
        lambda: (
            {r.reference: r.team for r in window.case_list.model.rows()}.get("PLO-2024-0011")
            == "Case Management North"
        ),
        timeout=5000,
    )
    assert team_column  # the list had rows before the refresh too
    # Tom Baker uses the app and is in the team: retiring it is refused, with the reason.
    dialog_log.confirm_answer = True
    assert panel.select("Case Management North")
    assert panel.retire_team() is None
    assert "was not retired: it is the team of 1 person who uses PLO Tracker (Tom Baker)" in (
        dialog.status.text()
    )
    assert panel.select("Case Management 2")
    retired = panel.retire_team()
    assert retired is not None and not retired.active
    assert dialog_log.confirms[-1][1].startswith("Retire Case Management 2?")
    assert panel.retire_button.text() == "Re&instate"
    assert "Case Management 2" not in ctx.cases.teams()
    assert panel.retire_team() is not None  # reinstated
    assert "Case Management 2" in ctx.cases.teams()
    # Add a team; it is offered to people at once.
    form = panel.add_team()
    qtbot.keyClicks(form.name, "Edge of Care")
    assert form.save()
    assert panel.select("Edge of Care")
    dialog.tabs.setCurrentIndex(0)
    dialog.waiting_only.setChecked(False)
    assert dialog.select("tom.baker")
    form = dialog.change_user()
    assert form.team.findData("Edge of Care") >= 0
    form.discard()
    # Merge a team into another.
    dialog.tabs.setCurrentWidget(panel)
    assert panel.select("Edge of Care")
    form = panel.merge_team()
    form.into.setCurrentIndex(form.into.findData("Case Management 2"))
    assert form.save(), form.message.text()
    assert "Edge of Care" not in texts(panel.model, 0)
    assert dialog_log.errors == []
    dialog.reject()


def test_the_new_case_form_offers_the_teams_and_staff_as_lists(
    qtbot: Any, app: AppContext, dialog_log: DialogLog
) -> None:
    """A database with teams and staff but no case yet: the lists are never empty."""
    app.teams.add("Case Management 3")
    app.teams.add("Edge of Care")
    app.users.add("sam.taylor", "Sam Taylor", "social_worker", "Case Management 3")
    app.users.add("ann.wright", "Ann Wright", "team_manager", "Case Management 3")
    app.users.add("sara.khan", "Sara Khan", "legal_liaison")
    worker = as_role(app, Role.SOCIAL_WORKER, "jo.worker", team="Case Management 3")
    window = MainWindow(worker, title="test")
    show_active(qtbot, window)
    try:
        form = window.new_case()
        assert form is not None
        assert form.team.names() == ["Case Management 3", "Edge of Care"]
        assert form.team.currentText() == "Case Management 3"  # the worker's own team
        assert form.worker.text() == "Jo.Worker"  # a social worker's new case is theirs
        assert form.worker.names() == ["Ann Wright", "Jo.Worker", "Sam Taylor"]
        assert form.manager.names() == ["Ann Wright"]
        assert form.legal.names() == ["Sara Khan"]
        qtbot.keyClicks(form.reference, "PLO-NEW-0100")
        qtbot.keyClicks(form.child_name, "Ruby Lane")
        form.child_date.set_value(dt.date(2021, 4, 5))
        assert form.save_button.isEnabled(), form.message.text()
        # A name that is not listed stops the save, with the close match.
        form.team.setCurrentText("Case Managment 3")
        assert not form.save_button.isEnabled()
        assert "Did you mean: 'Case Management 3'" in form.message.text()
        form.team.setCurrentText("")
        assert "Team: a case needs a team" in form.message.text()
        form.team.setCurrentIndex(form.team.findText("Edge of Care"))
        form.manager.lineEdit().setText("ann wright")  # typed (the popup needs a display)
        form.manager.lineEdit().editingFinished.emit()
        assert form.manager.currentText() == "Ann Wright"  # as listed
        form.legal.setCurrentText("Sam Taylor")
        assert "Legal liaison: Sam Taylor is a social worker, not a legal liaison" in (
            form.message.text()
        )
        form.legal.setCurrentText("Sara Khan")
        # A social worker adds cases to their own team only (issue 22), told so in words.
        assert not form.save()
        assert "a social worker may change only their own team's cases" in form.message.text()
        form.team.setCurrentIndex(form.team.findText("Case Management 3"))
        assert form.save(), form.message.text()
        case = window.ctx.cases.get("PLO-NEW-0100")
        assert (case.team, case.social_worker, case.team_manager, case.legal_liaison) == (
            "Case Management 3",
            "Jo.Worker",
            "Ann Wright",
            "Sara Khan",
        )
        # The case's details offer the same lists, with the case's own names chosen.
        view = window.current_case_view()
        details = view.edit_details()
        assert details.team.currentText() == "Case Management 3"
        assert details.manager.currentText() == "Ann Wright"
        details.worker.setCurrentText("Ann Wright")  # a manager may hold a case
        assert details.save(), details.message.text()
        assert window.ctx.cases.get("PLO-NEW-0100").social_worker == "Ann Wright"
        assert dialog_log.errors == []
    finally:
        close_windows([window])


def test_the_window_s_import_offers_to_add_names_it_does_not_know(
    qtbot: Any, app: AppContext, dialog_log: DialogLog, tmp_path: Path
) -> None:
    app.teams.add("Case Management 1")  # a team is registered: unknown names are refused
    window = MainWindow(AppContext(db=app.db, actor=app.actor), title="test")
    show_active(qtbot, window)
    try:
        data = json.loads(EXAMPLE.read_text())
        path = tmp_path / "cases.json"
        path.write_text(json.dumps(data))
        dialog_log.confirm_answer = False
        assert window.import_cases(path) is not None
        qtbot.waitUntil(lambda: window.import_worker is None, timeout=20_000)
        title, message = dialog_log.confirms[-1]
        assert title == "Teams or people not in this database"
        assert "• team 'Case Management 2' (case PLO-2024-0007, cases[0].team)" in message
        assert "• user 'Megan Hughes' (case PLO-2024-0007, cases[0].social_worker)" in message
        assert app.cases.references() == []  # refused: nothing imported
        dialog_log.confirm_answer = True
        assert window.import_cases(path) is not None
        qtbot.waitUntil(lambda: window.import_worker is None, timeout=20_000)
        qtbot.waitUntil(lambda: "Import finished" in dialog_log.info_text(), timeout=20_000)
        info = dialog_log.info_text()
        assert "3 case(s) read: 3 new" in info
        assert "Added as not yet registered" in info and "Case Management 2" in info
        assert len(app.cases.references()) == 3
        assert dialog_log.errors == []
    finally:
        close_windows([window])


def test_a_screen_reader_hears_what_the_teams_list_holds(qtbot: Any, admin_window: Any) -> None:
    dialog = admin_window.show_users()
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentWidget(dialog.teams)
    table = dialog.teams.table
    assert table.accessibleName() == "Teams"
    index = table.model().index(0, TeamsModel.STATUS)
    assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "Not yet registered (found on cases)"
    dialog.reject()
