"""Alt + underlined letter: never two things on screen with the same letter (issue 13, item 7).

For each person's window, on every screen and every tab of a case, the letters of
what is visible at the same time (menus, tab bars, buttons, check boxes, labels with
a field) must all differ; the same holds in every form and dialog.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTabBar, QWidget

from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER
from ui.widgets.forms import (
    ActionForm,
    AssessmentForm,
    BookingForm,
    CaseDetailsForm,
    ChildForm,
    ConcernForm,
    EventForm,
    KeepApartForm,
    PartyForm,
    StrengthForm,
)
from ui.widgets.review_dialog import ReviewDialog

MNEMONIC = re.compile(r"(?<!&)&([^&\s])")
OTHER_SCREENS: tuple[str, ...] = ()


def _letter(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _inside(widget: QWidget, class_names: tuple[str, ...]) -> bool:
    parent: QWidget | None = widget
    while parent is not None:
        if type(parent).__name__ in class_names:
            return True
        parent = parent.parentWidget()
    return False


def letters_on_screen(
    window: QWidget, skip: tuple[str, ...] = OTHER_SCREENS
) -> dict[str, list[str]]:
    """Letter -> the visible things that use it, in this top-level window."""
    found: dict[str, list[str]] = defaultdict(list)

    def add(text: str, what: str) -> None:
        letter = _letter(text)
        if letter:
            found[letter].append(f"{what} '{text}'")

    menu_bar = getattr(window, "menuBar", None)
    if callable(menu_bar):
        for action in menu_bar().actions():
            if action.isVisible():
                add(action.text(), "menu")
    for bar in window.findChildren(QTabBar):
        if bar.isVisible() and not _inside(bar, skip):
            for index in range(bar.count()):
                if bar.isTabVisible(index):
                    add(bar.tabText(index), "tab")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and not _inside(button, skip):
            add(button.text(), "button")
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None and not _inside(label, skip):
            add(label.text(), "label")
    return found


def clashes(window: QWidget, skip: tuple[str, ...] = OTHER_SCREENS) -> dict[str, list[str]]:
    return {k: v for k, v in letters_on_screen(window, skip).items() if len(v) > 1}


def check(window: QWidget, where: str) -> None:
    QApplication.processEvents()
    assert clashes(window) == {}, f"{where}: the same Alt+letter twice"


@pytest.mark.parametrize("username", [SOCIAL_WORKER, MANAGER, LEGAL, "demo.admin"])
def test_every_screen_and_case_tab_has_unique_letters(window_as: Any, username: str) -> None:
    window = window_as(username)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        check(window, f"{username}: the {window.tabs.tabText(index)} screen")
    reference = window.case_list.model.rows()[0].reference
    view = window.open_case(reference)
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        check(window, f"{username}: case tab {view.tabs.tabText(index)}")


def test_every_form_and_dialog_has_unique_letters(qtbot: Any, window_as: Any) -> None:
    window = window_as("demo.admin")
    view = window.open_case(window.case_list.model.rows()[0].reference)
    case, actor = view.case, window.actor

    def saver(*_args: Any, **_options: Any) -> None:
        return None

    # Forms belong to the case view, as in the window (Qt deletes them, not Python's GC).
    forms: list[QWidget] = [
        ChildForm(case, None, saver, view),
        PartyForm(case, None, saver, view),
        AssessmentForm(case, None, saver, view),
        ActionForm(case, None, saver, view),
        BookingForm(case, None, saver, view),
        ConcernForm(case, None, saver, view),
        StrengthForm(case, None, saver, view),
        KeepApartForm(case, None, saver, view),
        CaseDetailsForm(saver, teams=[], actor=actor, parent=view),
        CaseDetailsForm(saver, case=case, teams=[], parent=view),
    ]
    for form in forms:
        form.show()
        check(form, type(form).__name__)
        form.discard()
        form.deleteLater()
    event_form = EventForm(case, None, actor, saver, view)
    event_form.show()
    for index in range(event_form.type_combo.count()):
        event_form.type_combo.setCurrentIndex(index)
        check(event_form, f"EventForm ({event_form.type_combo.currentText()})")
    event_form.discard()
    event_form.deleteLater()
    flag = next(iter(window.ctx.flags.flagged())).flag
    from ui.widgets.review_dialog import review_row_for

    for extend in (False, True):
        dialog = ReviewDialog(
            window.ctx, review_row_for(flag, case, view.today), view, extend=extend
        )
        dialog.show()
        check(dialog, "ReviewDialog")
        dialog.reject()
        dialog.deleteLater()
    users = window.show_users()
    check(users, "UsersDialog")
    form = users.add_user()
    check(form, "UserForm")
    form.discard()
    users.reject()
