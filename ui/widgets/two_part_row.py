"""A row of controls in two parts that puts its second part under the first when the
window is too narrow for both side by side (1280×720 at 150% scaling is 853 logical
pixels wide), instead of making the window wider than the screen."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLayout, QWidget


class TwoPartRow(QWidget):
    def __init__(
        self, first: QHBoxLayout, second: QHBoxLayout, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.first, self.second = QWidget(), QWidget()
        for part, layout in ((self.first, first), (self.second, second)):
            layout.setContentsMargins(0, 0, 0, 0)
            part.setLayout(layout)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.side_by_side: bool | None = None
        self._place(True)

    def _needed(self) -> int:
        spacing = max(self.grid.horizontalSpacing(), 0)
        return self.first.sizeHint().width() + spacing + self.second.sizeHint().width()

    def _place(self, side_by_side: bool) -> None:
        if side_by_side == self.side_by_side:
            return
        self.side_by_side = side_by_side
        self.grid.removeWidget(self.first)
        self.grid.removeWidget(self.second)
        self.grid.addWidget(self.first, 0, 0)
        if side_by_side:
            self.grid.addWidget(self.second, 0, 1)
        else:
            self.grid.addWidget(self.second, 1, 0)
        self.grid.setColumnStretch(0, 1)
        self.grid.setColumnStretch(1, 0)
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        first, second = self.first.minimumSizeHint(), self.second.minimumSizeHint()
        if self.side_by_side:
            height = max(first.height(), second.height())
        else:
            height = first.height() + max(self.grid.verticalSpacing(), 0) + second.height()
        return QSize(max(first.width(), second.width()), height)

    def sizeHint(self) -> QSize:
        first, second = self.first.sizeHint(), self.second.sizeHint()
        if self.side_by_side:
            return QSize(self._needed(), max(first.height(), second.height()))
        spacing = max(self.grid.verticalSpacing(), 0)
        return QSize(max(first.width(), second.width()), first.height() + spacing + second.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place(event.size().width() >= self._needed())
        super().resizeEvent(event)
