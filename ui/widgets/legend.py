"""A legend: what each colour on a screen means (a colour is never the only signal)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget


class Legend(QWidget):
    def __init__(
        self,
        items: Sequence[tuple[QColor, str]],
        title: str = "Colours:",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.items = [(QColor(colour), text) for colour, text in items]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        caption = QLabel(title)
        layout.addWidget(caption)
        size = max(10, self.fontMetrics().height() - 4)
        for colour, text in self.items:
            swatch = QLabel()
            pixmap = QPixmap(size, size)
            pixmap.fill(colour)
            swatch.setPixmap(pixmap)
            swatch.setAccessibleName(f"{text} colour")
            layout.addWidget(swatch)
            label = QLabel(text)
            layout.addWidget(label)
            layout.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        layout.addStretch(1)
        description = "; ".join(f"{colour.name()}: {text}" for colour, text in self.items)
        self.setAccessibleName(title.rstrip(":"))
        self.setAccessibleDescription(description)

    def texts(self) -> list[str]:
        return [text for _colour, text in self.items]

    def colours(self) -> set[str]:
        return {colour.name() for colour, _text in self.items}
