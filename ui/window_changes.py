"""The window's part that keeps every list right: something saved anywhere (this window,
a dialog, a background job) reaches every screen through ``ui.changes.ChangeHub``; an
administrator's own rename reaches the status bar; the letter settings dialog.

A mixin of ``MainWindow`` (as ``ImportCases``), so the window itself stays short.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ui import dialogs
from ui.errors import describe


class WindowChanges:
    ctx: Any
    actor: Any
    changes: Any
    case_list: Any
    case_views: dict[str, Any]
    users_dialog: Any
    who: Any
    _screens: dict[str, Any]
    letter_settings_dialog: Any = None

    def _case_changed(self, reference: str) -> None:
        """A case view saved (and has read itself again): every other list, now."""
        if self.changes is not None:
            self.changes.pending = False
        self.data_changed(skip=reference)

    def data_changed(self, skip: str | None = None) -> None:
        """Something was saved, here or by a background job: every list reads itself again.

        A screen on show reads at once; one not on show when next shown.  Screens not
        yet built are not built for this; a case with a form open is not disturbed.
        """
        if self.ctx is None:
            return
        self.case_list.refresh()
        for screen in self._screens.values():  # not built just to be refreshed
            if screen is None:
                continue
            if hasattr(screen, "data_changed"):
                screen.data_changed()
            elif hasattr(screen, "refresh"):
                screen.refresh()
        for reference, view in self.case_views.items():
            if reference != skip:
                view.data_changed()
        if self.users_dialog is not None and hasattr(self.users_dialog, "data_changed"):
            self.users_dialog.data_changed()
        self._refresh_who()

    def _refresh_who(self) -> None:
        """An administrator may rename themselves (File → Users…): the status bar and
        "My cases" follow at once, not after a restart."""
        from plo_tracker.permissions import ROLE_LABELS, Permission

        if self.ctx is None or not self.actor.can(Permission.MANAGE_USERS):
            return
        try:
            record = self.ctx.users.get(self.actor.username)
        except Exception:
            return
        if (record.display_name, record.team) == (self.actor.display_name, self.actor.team):
            return
        self.ctx.renamed(record.display_name, record.team)
        self.actor = actor = self.ctx.actor
        team = f", {actor.team}" if actor.team else ""
        self.who.setText(f"Signed in as {actor.display_name} ({ROLE_LABELS[actor.role]}{team})")
        self.case_list.proxy.me = actor.display_name
        self.case_list.proxy.my_team = actor.team or ""
        self.case_list._filters_changed()

    def show_letter_settings(self) -> Any:
        """File → Letter settings…: the council's details in letters, its template folder."""
        from ui.widgets.letter_settings import LetterSettingsDialog

        if self.ctx is None:
            return None
        try:
            dialog = LetterSettingsDialog(self.ctx.letters, self)
        except Exception as error:
            dialogs.show_error(self, "Letter settings", describe(error))
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.letter_settings_dialog = dialog
        return dialog
