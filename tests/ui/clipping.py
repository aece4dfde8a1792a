"""Finding text cut short on a screen: labels, buttons, tabs and column headings.

``clipped(widget)`` walks every visible QLabel, QAbstractButton (push buttons, check
boxes, radio buttons, tool buttons with text), QTabBar tab and horizontal QHeaderView
section under ``widget`` and returns one line per text that is wider than the room it
has (``QFontMetrics.horizontalAdvance`` of the text against the widget's contents
rect, or the section's size).  Left alone, because they are made to fit by other means:
word-wrapped labels, labels that elide on purpose (their class name says ``Elided``),
labels showing a picture, and empty texts.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QToolButton,
    QWidget,
)

SLACK = 1  # a pixel of rounding


def _plain(text: str, rich: bool) -> list[str]:
    if rich:
        document = QTextDocument()
        document.setHtml(text)
        text = document.toPlainText()
    text = re.sub(r"&(.)", r"\1", text) if not rich else text  # mnemonics: "&Save", "&&"
    return [line for line in text.splitlines() if line.strip()]


def _widest(metrics: QFontMetrics, lines: list[str]) -> int:
    return max((metrics.horizontalAdvance(line) for line in lines), default=0)


def _name(widget: QWidget) -> str:
    parts = [type(widget).__name__]
    accessible = widget.accessibleName() or widget.objectName()
    if accessible:
        parts.append(f"'{accessible}'")
    return " ".join(parts)


def _label_problem(label: QLabel) -> str | None:
    if label.wordWrap() or "Elided" in type(label).__name__ or not label.text():
        return None
    if label.pixmap() is not None and not label.pixmap().isNull():
        return None
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and GuiQt.mightBeRichText(label.text())
    )
    lines = _plain(label.text(), rich)
    if not lines:
        return None
    room = label.contentsRect().width() - 2 * label.margin() - max(label.indent(), 0)
    needed = _widest(label.fontMetrics(), lines)
    if needed > room + SLACK:
        return f"{_name(label)} {lines[0]!r}: text {needed} px in {room} px"
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = button.text()
    if not text:
        return None
    lines = _plain(text, False)
    needed = _widest(button.fontMetrics(), lines)
    style = button.style()
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = text
    if isinstance(button, QCheckBox):
        room = style.subElementRect(QStyle.SubElement.SE_CheckBoxContents, option, button).width()
    elif isinstance(button, QRadioButton):
        room = style.subElementRect(
            QStyle.SubElement.SE_RadioButtonContents, option, button
        ).width()
    elif isinstance(button, QPushButton):
        room = style.subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button).width()
        if not button.icon().isNull():
            room -= button.iconSize().width() + 4
    elif isinstance(button, QToolButton):
        if button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly:
            return None
        room = button.contentsRect().width()
    else:
        room = button.contentsRect().width()
    if needed > room + SLACK:
        return f"{_name(button)} {lines[0]!r}: text {needed} px in {room} px"
    return None


def _tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    metrics = bar.fontMetrics()
    space = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        lines = _plain(bar.tabText(index), False)
        needed = _widest(metrics, lines) + space
        for side in (QTabBar.ButtonPosition.LeftSide, QTabBar.ButtonPosition.RightSide):
            button = bar.tabButton(index, side)
            if button is not None and button.isVisibleTo(bar):
                needed += button.width()
        if not bar.tabIcon(index).isNull():
            needed += bar.iconSize().width()
        room = bar.tabRect(index).width()
        if needed > room + SLACK:
            text = lines[0] if lines else ""
            problems.append(f"{_name(bar)} tab {text!r}: needs {needed} px, has {room} px")
    return problems


def _header_problems(header: QHeaderView) -> list[str]:
    model = header.model()
    if model is None or header.orientation() != Qt.Orientation.Horizontal:
        return []
    style = header.style()
    margin = 2 * style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    if header.isSortIndicatorShown():
        margin += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
    metrics = QFontMetrics(header.font())
    bold = header.font()
    bold.setBold(True)  # some styles draw the sorted section's heading in bold
    problems = []
    shown = [s for s in range(header.count()) if not header.isSectionHidden(s)]
    fixed = QHeaderView.ResizeMode.Interactive, QHeaderView.ResizeMode.Fixed
    if shown and not any(header.sectionResizeMode(s) in fixed for s in shown):
        # Columns laid out to fit the list (stretched or sized to contents) that do not:
        # the last heading runs past the list's edge.
        room = header.viewport().width()
        if header.length() > room + SLACK:
            last = str(model.headerData(shown[-1], Qt.Orientation.Horizontal) or "")
            problems.append(
                f"{_name(header)} columns meant to fit are {header.length()} px in {room} px "
                f"(the heading {last!r} runs past the edge)"
            )
    for section in shown:
        text = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        lines = _plain(str(text or ""), False)
        if not lines:
            continue
        needed = _widest(metrics, lines) + margin
        room = header.sectionSize(section)
        if needed > room + SLACK:
            problems.append(
                f"{_name(header)} column {lines[0]!r}: needs {needed} px, has {room} px"
            )
    return problems


def clipped(top: QWidget) -> list[str]:
    """Every text under ``top`` (shown on screen) that is wider than its room."""
    problems: list[str] = []
    widgets = [top, *top.findChildren(QWidget)]
    for widget in widgets:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
            if problem:
                problems.append(problem)
        elif isinstance(widget, QAbstractButton):
            problem = _button_problem(widget)
            if problem:
                problems.append(problem)
        elif isinstance(widget, QTabBar):
            problems.extend(_tab_problems(widget))
        elif isinstance(widget, QHeaderView):
            problems.extend(_header_problems(widget))
    return problems
