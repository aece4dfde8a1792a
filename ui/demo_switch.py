"""The demo's File → Switch demo person…: be someone else without starting again.

The demo database has one person of each role.  Switching saves the current person's
layout, closes their open cases (asking first about a form with changes), takes away
the screens their role had, and gives the window the new person's session on the same
database: their tabs, menus, status bar and start page, as if they had started the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui import dialogs
from ui.errors import describe

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

TITLE = "Switch demo person"


def demo_people_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(user name, 'Name – role, team') for everyone in the demo database."""
    from plo_tracker.permissions import ROLE_LABELS

    choices = []
    users = sorted(ctx.users.list(), key=lambda u: (u.role != "administrator", u.role, u.username))
    for user in users:
        if not user.active:
            continue
        label = f"{user.display_name} – {ROLE_LABELS[user.role]}"
        if user.team:
            label += f", {user.team}"
        choices.append((user.username, label))
    return choices


def switch_demo_person(window: Any, username: str | None = None) -> bool:
    """Ask who to be (unless ``username`` is given) and become them; False if not switched."""
    from plo_tracker.app import AppContext
    from plo_tracker.services.users import find_actor

    ctx = window.ctx
    if ctx is None or not window.demo:
        return False
    if username is None:
        username = dialogs.choose_user(window, demo_people_choices(ctx))
    if username is None or username == ctx.actor.username:
        return False
    try:
        actor = find_actor(ctx.db, username)
    except Exception as error:
        dialogs.show_error(window, TITLE, describe(error))
        return False
    if not close_everything(window):
        return False
    window.save_settings()
    forget_screens(window)
    window.case_list.forget_person()
    window.attach(AppContext(db=ctx.db, actor=actor), demo=True)
    return True


def close_everything(window: Any) -> bool:
    """Every case tab and form closed (each form with changes asks first)."""
    if window.form is not None and not window.form.close_politely():
        return False
    for reference in list(window.case_views):
        if not window.close_case(reference):
            return False
    if window.users_dialog is not None:
        window.users_dialog.reject()
    return True


def forget_screens(window: Any) -> None:
    """The tabs the last person's role had (built or not) removed; the case list stays."""
    widgets = [w for w in window._screens.values() if w is not None]
    widgets += list(window._waiting.values())
    for widget in widgets:
        index = window.tabs.indexOf(widget)
        if index >= 0:
            window.tabs.removeTab(index)
        widget.deleteLater()
    window._screens = dict.fromkeys(window._screens)
    window._waiting = {}
    window.heading_count.setVisible(False)
