"""A small horizontal bar chart drawn with QPainter (Qt Charts is deprecated and heavy).

Each bar has its label on the left and its count at its end, so the numbers can
be read without judging lengths; the same numbers are the widget's accessible
description, for screen readers.  Labels are shown whole: one too long for its
space wraps onto a second line (two bars never read the same, as "Family group
conferenc…" did).  Sizes come from the font, so it scales.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class BarChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.items: list[tuple[str, float | None]] = []
        self.highlighted: set[int] = set()
        self.maximum: float | None = None  # the full length of a bar (else the largest value)
        self.value_text: Callable[[float | None], str] = _plain_number
        self.highlight_colour = QColor("#c62828")
        self.empty_text = "Nothing to show."
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    # -- data ------------------------------------------------------------------------------
    def set_data(
        self,
        items: Sequence[tuple[str, float | None]],
        highlighted: Sequence[int] = (),
        *,
        maximum: float | None = None,
        value_text: Callable[[float | None], str] | None = None,
    ) -> None:
        """``items`` are (label, value); bars whose index is in ``highlighted`` stand out.

        A value of None (nothing to measure) is shown as its text with no bar.
        """
        self.items = [(str(label), value) for label, value in items]
        self.highlighted = set(highlighted)
        self.maximum = maximum
        if value_text is not None:
            self.value_text = value_text
        description = "; ".join(f"{label}: {self.value_text(v)}" for label, v in self.items)
        self.setAccessibleDescription(description or self.empty_text)
        self.setToolTip(description.replace("; ", "\n") if description else self.empty_text)
        self.updateGeometry()
        self.update()

    def total(self) -> float:
        return sum(value or 0 for _label, value in self.items)

    # -- geometry --------------------------------------------------------------------------
    def _row_height(self, lines: int = 1) -> int:
        return int(self.fontMetrics().height() * (0.5 + lines))

    def _label_width(self) -> int:
        metrics = self.fontMetrics()
        widths = [metrics.horizontalAdvance(label) for label, _count in self.items]
        return min(max(widths, default=0), metrics.averageCharWidth() * 40)

    def _label_space(self, width: int) -> int:
        return max(1, min(self._label_width(), int(width * 0.45)))

    def label_lines(self, width: int | None = None) -> list[list[str]]:
        """Each label as it is drawn at ``width``: whole, on as many lines as it needs."""
        space = self._label_space(self.width() if width is None else width)
        metrics = self.fontMetrics()
        result = []
        for label, _value in self.items:
            lines: list[str] = []
            for word in _pieces(label, space, metrics):
                joined = (
                    f"{lines[-1]}{'' if lines[-1].endswith('-') else ' '}{word}" if lines else ""
                )
                if lines and metrics.horizontalAdvance(joined) <= space:
                    lines[-1] = joined
                else:
                    lines.append(word)
            result.append(lines or [""])
        return result

    def _title_height(self, width: int) -> int:
        """The title's height when wrapped to ``width`` (it wraps rather than being cut)."""
        font = self.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        box = metrics.boundingRect(
            QRect(0, 0, max(1, width), 10_000), int(Qt.TextFlag.TextWordWrap), self.title
        )
        return box.height() + metrics.height() // 2

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        metrics = self.fontMetrics()
        rows = sum(self._row_height(len(lines)) for lines in self.label_lines(width))
        return self._title_height(width) + max(rows, self._row_height()) + metrics.height() // 2

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        width = self._label_width() + metrics.averageCharWidth() * 30
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        width = self.fontMetrics().averageCharWidth() * 24
        return QSize(width, self.heightForWidth(width))

    # -- drawing ---------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        metrics = self.fontMetrics()
        text_colour = palette.color(QPalette.ColorRole.WindowText)
        pad = metrics.averageCharWidth()
        title_font = self.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_rect = QRectF(0, 0, self.width(), self._title_height(self.width()))
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            | int(Qt.TextFlag.TextWordWrap),
            self.title,
        )
        painter.setFont(self.font())
        top = title_rect.bottom() + metrics.height() * 0.25
        values = [value or 0 for _label, value in self.items]
        if not self.items or (self.maximum is None and self.total() == 0):
            painter.drawText(
                QRectF(0, top, self.width(), metrics.height() * 1.5),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                self.empty_text,
            )
            return
        label_lines = self.label_lines()
        # As wide as the widest line (a long word is never cut), leaving room for the bars.
        widest = max((metrics.horizontalAdvance(x) for ls in label_lines for x in ls), default=0)
        label_width = max(self._label_space(self.width()), min(widest, int(self.width() * 0.6)))
        texts = [self.value_text(value) for _label, value in self.items]
        count_width = max(metrics.horizontalAdvance(t) for t in texts) + pad * 2
        bar_left = label_width + pad * 2
        bar_space = max(1.0, self.width() - bar_left - count_width)
        biggest = self.maximum or max(values) or 1
        normal = palette.color(QPalette.ColorRole.Highlight)
        y = top
        bar_height = self._row_height() * 0.6
        for index, ((_label, value), lines) in enumerate(zip(self.items, label_lines, strict=True)):
            row_height = self._row_height(len(lines))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, y, label_width + pad, row_height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                "\n".join(lines),
            )
            length = bar_space * min(value or 0, biggest) / biggest
            bar = QRectF(bar_left, y + (row_height - bar_height) / 2, length, bar_height)
            colour = self.highlight_colour if index in self.highlighted else normal
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            if length > 0:
                painter.drawRoundedRect(bar, 2, 2)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(bar_left + length + pad * 0.5, y, count_width, row_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                texts[index],
            )
            y += row_height


def _plain_number(value: float | None) -> str:
    """'3', '2.5', or '–' for nothing to measure."""
    if value is None:
        return "–"
    return f"{value:g}"


def _pieces(label: str, space: int, metrics: QFontMetrics) -> list[str]:
    """The label's words, a word too wide for ``space`` broken after its hyphens
    ("pre-proceedings" as "pre-" and "proceedings"), so no word is drawn cut off."""
    pieces: list[str] = []
    for word in label.split():
        if metrics.horizontalAdvance(word) <= space or "-" not in word:
            pieces.append(word)
            continue
        parts = word.split("-")
        pieces.extend(f"{part}-" for part in parts[:-1])
        pieces.append(parts[-1])
    return pieces
