"""Small parts the letters screen's panels share: their labels and the letters folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from ui.widgets.problem_label import problem_label

__all__ = ["BUSY", "choose_folder", "default_folder", "note_label", "problem_label"]

BUSY = "Wait until the letters being made are finished."


def default_folder() -> Path:
    return Path.home() / "PLO Tracker letters"


def choose_folder(parent: QWidget | None, caption: str, start: Path) -> Path | None:
    """Pick a folder (tests replace this function)."""
    name = QFileDialog.getExistingDirectory(parent, caption, str(start))
    return Path(name) if name else None


def note_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def labelled(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
