"""The case's safety arrangements, plainly, at the top of the case whatever tab is open.

Who is kept apart from whom (and why), and whose address is confidential, in the core's own
sentences (``family.safety_summary``), so the window, the letters and the exports say the
same. Hidden when the case has none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from plo_tracker.domain import family
from plo_tracker.domain.model import CaseHistory

BANNER_STYLE = (
    "QFrame#safety { background: #fdf0ee; border: 2px solid #8a1c1c; border-radius: 4px; }"
    "QLabel { color: #5c1010; }"
)


class SafetyBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("safety")
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName("Safety arrangements for this case")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.heading = QLabel("Safety")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)  # names as typed, never markup
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Safety arrangements")
        layout.addWidget(self.text)
        self.lines: list[str] = []
        self.hide()

    def set_case(self, case: CaseHistory | None) -> None:
        self.lines = family.safety_summary(case) if case is not None else []
        count = len(self.lines)
        self.heading.setText(
            "Safety: read before arranging anything"
            + (f" ({count} arrangements)" if count > 1 else "")
        )
        self.text.setText("\n".join(f"• {line}" for line in self.lines))
        self.setAccessibleDescription(" ".join(self.lines))
        self.setVisible(bool(self.lines))
