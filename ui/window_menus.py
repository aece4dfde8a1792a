"""The main window's menus, its keyboard shortcuts list, and Help → About.

Menus exist from the first paint; what needs the database is switched on by
``enable_menus`` once the session is in place (until then their tooltips say the
database is still opening), and what a role may not do stays off with the reason.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenuBar


class MenuWindow(Protocol):
    """What the menus need of the main window: its menu bar, its commands, who is using it."""

    ctx: Any
    actor: Any
    demo: bool
    new_case_action: QAction
    import_action: QAction
    users_action: QAction
    letter_settings_action: QAction
    switch_person_action: QAction
    close_case_action: QAction
    find_action: QAction
    refresh_action: QAction
    about_action: QAction

    def menuBar(self) -> QMenuBar: ...
    def _action(
        self, text: str, slot: Any, shortcut: QKeySequence | str | None = None
    ) -> QAction: ...
    def new_case(self) -> Any: ...
    def import_cases(self) -> Any: ...
    def show_users(self) -> Any: ...
    def show_letter_settings(self) -> Any: ...
    def close_current_case(self) -> None: ...
    def close(self) -> bool: ...
    def find(self) -> None: ...
    def refresh_current(self) -> None: ...
    def show_cases(self) -> None: ...
    def show_shortcuts(self) -> None: ...
    def show_about(self) -> None: ...


SHORTCUTS = (
    "Ctrl+N  new case\n"
    "Ctrl+F  find a case (search the case list)\n"
    "Enter in the search box  open the case if only one matches\n"
    "Ctrl+L  back to the case list\n"
    "Enter  open the selected case or flag, or change the selected entry\n"
    "Ctrl+S or Ctrl+Enter  save the open form\n"
    "Esc  close the form (asks first if you changed something)\n"
    "F5  refresh what you are looking at\n"
    "Ctrl+W  close the case tab\n"
    "Ctrl+Tab  next tab\n"
    "Alt + underlined letter  go to that field, button or tab"
)


def build_menus(window: MenuWindow) -> None:
    still_opening = "The database is still opening."
    menu = window.menuBar().addMenu("&File")
    window.new_case_action = window._action("&New case…", window.new_case, "Ctrl+N")
    menu.addAction(window.new_case_action)
    window.import_action = window._action("&Import cases…", window.import_cases)
    menu.addAction(window.import_action)
    window.users_action = window._action("&Users…", window.show_users)
    window.users_action.setVisible(False)
    menu.addAction(window.users_action)
    window.letter_settings_action = window._action("Letter se&ttings…", window.show_letter_settings)
    window.letter_settings_action.setVisible(False)
    menu.addAction(window.letter_settings_action)
    window.switch_person_action = window._action("S&witch demo person…", _switch(window))
    window.switch_person_action.setVisible(False)
    menu.addAction(window.switch_person_action)
    menu.addSeparator()
    window.close_case_action = window._action("&Close case", window.close_current_case, "Ctrl+W")
    window.close_case_action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Ctrl+F4")])
    menu.addAction(window.close_case_action)
    menu.addAction(window._action("&Quit", window.close, "Ctrl+Q"))

    menu = window.menuBar().addMenu("&View")
    window.find_action = window._action("&Find case…", window.find, "Ctrl+F")
    menu.addAction(window.find_action)
    window.refresh_action = window._action("&Refresh", window.refresh_current, "F5")
    menu.addAction(window.refresh_action)
    menu.addAction(window._action("Case &list", window.show_cases, "Ctrl+L"))

    menu = window.menuBar().addMenu("&Help")
    menu.addAction(window._action("&Keyboard shortcuts", window.show_shortcuts, "F1"))
    window.about_action = window._action("&About PLO Tracker", window.show_about)
    menu.addAction(window.about_action)
    for action in (window.new_case_action, window.import_action, window.refresh_action):
        action.setEnabled(False)
        action.setToolTip(still_opening)


def _switch(window: MenuWindow) -> Any:
    def switch() -> None:
        from ui.demo_switch import switch_demo_person

        switch_demo_person(window)

    return switch


def enable_menus(window: MenuWindow) -> None:
    from plo_tracker.permissions import ROLE_LABELS, Permission

    actor = window.actor
    role = ROLE_LABELS[actor.role]
    may_create = actor.can(Permission.EDIT_CASES)
    window.new_case_action.setEnabled(may_create)
    window.new_case_action.setToolTip("" if may_create else f"A {role} may not create cases.")
    may_import = actor.can(Permission.IMPORT_CASES)
    window.import_action.setEnabled(may_import)
    window.import_action.setVisible(may_import)
    window.users_action.setVisible(actor.can(Permission.MANAGE_USERS))
    window.letter_settings_action.setVisible(actor.can(Permission.MANAGE_TEMPLATES))
    window.switch_person_action.setVisible(window.demo)
    window.refresh_action.setEnabled(True)
    window.refresh_action.setToolTip("")


def about_text(window: MenuWindow) -> str:
    from plo_tracker import __version__

    text = f"PLO Tracker version {__version__}\nTracks Public Law Outline pre-proceedings cases."
    if window.ctx is None:
        return text + "\nThe database is still opening."
    from plo_tracker.services.about import about

    try:
        info = about(window.ctx.db)
    except Exception as error:  # the version is still worth showing
        from ui.errors import describe

        return text + f"\nThe database's schema could not be read: {describe(error)}"
    lines = info.lines()
    if window.demo:
        lines[-1] = "Database: the demo (fictional cases, deleted on close)"
    lines = [lines[0], "Tracks Public Law Outline pre-proceedings cases.", *lines[1:]]
    # Which settings are in force, and where each comes from (issue 16): --db, the
    # environment, the person's or the computer's config.toml, or the default.
    from plo_tracker.config import DATABASE_URL, TEMPLATE_FOLDER
    from plo_tracker.config_sources import describe_sources

    sources = describe_sources(getattr(window, "db_option", None))
    lines.append("")
    lines.append("Settings in force:")
    for setting in sources.settings:
        if setting.key == TEMPLATE_FOLDER and setting.value is None:
            lines.append(f"  {setting.label}: {_database_folder(window)}")
            continue
        demo_database = window.demo and setting.key == DATABASE_URL
        shown = "the demo's own (not a setting)" if demo_database else setting.shown
        lines.append(f"  {setting.label}: {shown} (from {setting.source_words})")
    lines.extend(f"  Problem: {problem}" for problem in sources.problems)
    return "\n".join(lines)


def _database_folder(window: MenuWindow) -> str:
    """The template folder when no settings file sets one: the database's own, or none."""
    try:
        folder = window.ctx.letters.template_folder() if window.ctx is not None else None
    except Exception:
        folder = None
    if folder is not None:
        return f"{folder} (from the letter settings kept in the database)"
    return "none set, so letters use the templates that come with PLO Tracker"
