"""The red, word-wrapped, selectable line a screen or dialog uses to say what needs fixing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

ERROR_STYLE = "color: #b00020;"


def problem_label(name: str = "What needs fixing") -> QLabel:
    """A plain-text label in the error colour; ``name`` is read out by screen readers."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(ERROR_STYLE)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
