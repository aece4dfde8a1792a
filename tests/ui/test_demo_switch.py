"""The demo's File → Switch demo person…: someone else, without starting again (issue 25,
item 9)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import (
    LEGAL,
    MANAGER,
    SOCIAL_WORKER,
    DialogLog,
    close_windows,
    show_active,
    start_args,
)
from ui.app import open_session
from ui.main_window import MainWindow


@pytest.fixture
def demo_window(qtbot: Any, demo_path: Path, dialog_log: DialogLog) -> Iterator[Any]:
    """The real window on the demo database, as ``plo-tracker --demo`` opens it."""
    sessions: list[Any] = []
    windows: list[MainWindow] = []

    def make(username: str, demo: bool = True) -> MainWindow:
        session = open_session(start_args(db=str(demo_path), user=username))
        assert session is not None, dialog_log.error_text()
        sessions.append(session)
        window = MainWindow(session.ctx, title=session.title, demo=demo)
        windows.append(window)
        show_active(qtbot, window)
        return window

    yield make
    close_windows(windows)
    for session in sessions:
        session.close()


def tab_texts(window: MainWindow) -> list[str]:
    return [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]


def test_switching_demo_person_gives_the_window_to_them(
    qtbot: Any, demo_window: Any, dialog_log: DialogLog
) -> None:
    window = demo_window(SOCIAL_WORKER)
    assert window.switch_person_action.isVisible()
    assert window.who.text().startswith("Signed in as Megan Hughes")
    assert "Drift review" not in tab_texts(window)
    reference = window.case_list.visible_references()[0]
    window.open_case(reference)

    dialog_log.chosen_user = MANAGER
    window.switch_person_action.trigger()
    assert [username for username, _label in dialog_log.user_choices[0]].count(MANAGER) == 1
    assert window.ctx.actor.username == MANAGER
    assert window.who.text().startswith("Signed in as Ann Wright (team manager")
    assert window.case_views == {} and reference not in tab_texts(window)
    assert "Drift review" in tab_texts(window) and "Reports" in tab_texts(window)
    assert window.tabs.currentWidget() is window.drift_review, "her start page"
    qtbot.waitUntil(lambda: window.drift_review.model.rowCount() > 0, timeout=10_000)
    assert window.case_list.proxy.me == "Ann Wright"

    dialog_log.chosen_user = LEGAL
    window.switch_person_action.trigger()
    assert window.who.text().startswith("Signed in as Sara Khan (legal liaison")
    texts = tab_texts(window)
    assert "Drift review" not in texts and "Reports" not in texts
    assert "Letters to do" in texts and "Letters" in texts
    assert window.tabs.currentWidget() is window.letters_todo
    assert window.new_case_action.isEnabled() is False
    assert dialog_log.errors == []


def test_a_form_with_changes_keeps_the_person(
    qtbot: Any, demo_window: Any, dialog_log: DialogLog
) -> None:
    window = demo_window(SOCIAL_WORKER)
    view = window.open_case(window.case_list.visible_references()[0])
    form = view.edit_details()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.keyClicks(form.court, "ZW26C00123")
    dialog_log.unsaved_answer = "cancel"
    dialog_log.chosen_user = MANAGER
    window.switch_person_action.trigger()
    assert dialog_log.unsaved, "asked about the changes"
    assert window.ctx.actor.username == SOCIAL_WORKER
    assert form.isVisible() and form.court.text() == "ZW26C00123"
    dialog_log.unsaved_answer = "discard"
    qtbot.keyClick(form, Qt.Key.Key_Escape)


def test_only_the_demo_offers_it(demo_window: Any) -> None:
    window = demo_window(SOCIAL_WORKER, demo=False)
    assert not window.switch_person_action.isVisible()
