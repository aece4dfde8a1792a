"""A legend: what each colour on a screen means (a colour is never the only signal).

Written as one word-wrapped line of coloured squares and words, so it never makes a
narrow pane wider than it is.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget


class Legend(QLabel):
    def __init__(
        self,
        items: Sequence[tuple[QColor, str]],
        title: str = "Colours:",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.items = [(QColor(colour), text) for colour, text in items]
        parts = [html.escape(title)]
        for colour, text in self.items:
            parts.append(
                f'<span style="color:{colour.name()}; font-size:large">&#9632;</span>'
                f"&nbsp;{html.escape(text)}"
            )
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText("&nbsp;&nbsp; ".join(parts))
        self.setWordWrap(True)
        self.setAccessibleName(title.rstrip(":"))
        self.setAccessibleDescription(
            "; ".join(f"{colour.name()}: {text}" for colour, text in self.items)
        )

    def texts(self) -> list[str]:
        return [text for _colour, text in self.items]

    def colours(self) -> set[str]:
        return {colour.name() for colour, _text in self.items}
