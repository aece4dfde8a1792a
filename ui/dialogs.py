"""Every modal question or message the window asks or shows goes through here.

Tests replace these functions with plain functions (never ``unittest.mock.Mock``),
so nothing blocks an offscreen run.  Call them as ``dialogs.show_error(...)``
(through the module) so a replacement takes effect everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

APP_TITLE = "PLO Tracker"
SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def _box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, message: str) -> QMessageBox:
    box = QMessageBox(
        icon, f"{APP_TITLE} – {title}", message, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName(title)
    box.setAccessibleDescription(message)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """A problem the user can act on; ``message`` is complete and plain."""
    _box(parent, QMessageBox.Icon.Warning, title, message).exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    _box(parent, QMessageBox.Icon.Information, title, message).exec()


def confirm(parent: QWidget | None, title: str, message: str, action: str = "OK") -> bool:
    """Ask before doing something that cannot easily be undone."""
    box = QMessageBox(QMessageBox.Icon.Question, f"{APP_TITLE} – {title}", message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is yes


def unsaved_box(parent: QWidget | None, what: str) -> QMessageBox:
    """The Save / Discard / Cancel question (built here so screenshots can show it)."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        f"{APP_TITLE} – unsaved changes",
        f"{what}: you have changes that are not saved.\n\n"
        "Save them, discard them, or go back to the form?",
        parent=parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName("Unsaved changes")
    save = box.addButton(QMessageBox.StandardButton.Save)
    save.setText("&Save")
    discard = box.addButton(QMessageBox.StandardButton.Discard)
    discard.setText("&Discard changes")
    back = box.addButton(QMessageBox.StandardButton.Cancel)
    back.setText("&Back to the form")
    box.setDefaultButton(save)
    box.setEscapeButton(back)
    return box


def ask_unsaved(parent: QWidget | None, what: str) -> str:
    """A form with changes is being closed: ``SAVE``, ``DISCARD`` or ``CANCEL``."""
    box = unsaved_box(parent, what)
    box.exec()
    clicked = box.standardButton(box.clickedButton())
    if clicked == QMessageBox.StandardButton.Save:
        return SAVE
    if clicked == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def warnings_box(parent: QWidget | None, what: str, warnings: Sequence[str]) -> QMessageBox:
    """The question for an unusual (possible) order of events (built here for screenshots)."""
    listed = "\n".join(f"• {text}" for text in warnings)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        f"{APP_TITLE} – please check the dates",
        f"{what}: saving this makes an unusual order of events:\n\n{listed}\n\n"
        "It can happen, but please check the dates. Save it as it is?",
        parent=parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAccessibleName("Unusual order of events")
    save = box.addButton("&Save as it is", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("&Go back and check", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.setProperty("save_button", save)
    return box


def confirm_warnings(parent: QWidget | None, what: str, warnings: Sequence[str]) -> bool:
    """Ask before saving a possible but unusual chronology; True to save it anyway."""
    box = warnings_box(parent, what, warnings)
    box.exec()
    return box.clickedButton() is box.property("save_button")


def save_file_name(
    parent: QWidget | None, caption: str, suggested: Path, filters: str
) -> Path | None:
    """Where to save a file (None if the user cancelled)."""
    name, _filter = QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)
    return Path(name) if name else None


def open_file_name(parent: QWidget | None, caption: str, filters: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, caption, "", filters)
    return Path(name) if name else None


def open_path(path: Path) -> bool:
    """Open a file or folder with the system's own program."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ChooseUserDialog(QDialog):
    """Pick which user to be (the demo database has one of each role)."""

    def __init__(self, people: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} – who are you?")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "This is a demo database with fictional cases. Choose who to be: each role sees "
            "what that person would see. To be someone else later: File → Switch demo person…"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.people = QListWidget()
        self.people.setAccessibleName("Demo users")
        intro.setBuddy(self.people)
        for username, label in people:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, username)
            self.people.addItem(item)
        self.people.setCurrentRow(0)
        self.people.itemActivated.connect(lambda _item: self.accept())
        layout.addWidget(self.people)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Open as this person")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 60, self.fontMetrics().height() * 24)

    def chosen(self) -> str | None:
        item = self.people.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    @classmethod
    def ask(cls, people: Sequence[tuple[str, str]], parent: QWidget | None = None) -> str | None:
        dialog = cls(people, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()


def choose_user(parent: QWidget | None, people: Sequence[tuple[str, str]]) -> str | None:
    """``people`` is (user name, "Name – role"); returns the chosen user name or None."""
    return ChooseUserDialog.ask(people, parent)
