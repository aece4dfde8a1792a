"""The Concerns tab of a case: what we are worried about, and beside it what is going well.

Both are written in words the family will recognise and say whom (and which children) each
is about; the letters give a reader the worries and the strengths that are theirs.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ui.widgets.sections import ItemSection


def _titled(title: str, section: ItemSection) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    heading = QLabel(f"<b>{title}</b>")
    layout.addWidget(heading)
    layout.addWidget(section, 1)
    return box


class ConcernsPage(QWidget):
    def __init__(
        self, worries: ItemSection, strengths: ItemSection, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.worries = worries
        self.strengths = strengths
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(_titled("What we are worried about", worries))
        split.addWidget(_titled("What is going well", strengths))
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split)
