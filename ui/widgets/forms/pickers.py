"""Tick lists for the forms: whom a record is about, which children, who a meeting is for.

A ``TickList`` is one field of a form: a box of tick boxes (one per person or child of the
case) with a line under it saying in words what the ticks mean ("Nobody ticked: about the
whole household"), set by the form as the ticks change. ``ChildKeys`` gives the children
short names (made from their first names) once a record names a child, saved just before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from plo_tracker.domain.keys import with_child_keys
from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.errors import ValidationError
from ui.formats import people_names
from ui.widgets.forms.base import FieldWidget, Saver

COLUMNS_FROM = 5  # more tick boxes than this are set out in two columns


def names(case: CaseHistory, keys: Iterable[str]) -> str:
    """'Chloe Evans, Gareth Evans and Pat Evans' (by name; a key nobody has, as it is)."""
    return people_names(case, list(keys))


def people_options(case: CaseHistory) -> list[tuple[str, str]]:
    return [(p.id, f"{p.name} ({p.relationship})") for p in case.parties]


def child_label(child: Child) -> str:
    return f"{child.name} (unborn)" if child.unborn else child.name


class TickList(FieldWidget):
    """A titled box of tick boxes, ``value()`` the keys ticked in the order shown."""

    def __init__(
        self,
        title: str,
        options: Sequence[tuple[str, str]],
        chosen: Iterable[str] = (),
        *,
        name: str,
        note: str | None = None,
        empty: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.box = QGroupBox(title)
        self.box.setAccessibleName(name)
        outer.addWidget(self.box)
        inner = QVBoxLayout(self.box)
        self.note = QLabel(note or "")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        inner.addWidget(self.note)
        grid = QGridLayout()
        inner.addLayout(grid)
        ticked = set(chosen)
        self.checks: dict[str, QCheckBox] = {}
        per_column = (len(options) + 1) // 2 if len(options) > COLUMNS_FROM else len(options)
        for number, (key, label) in enumerate(options):
            check = QCheckBox(label)
            check.setAccessibleName(f"{name}: {label}")
            check.setChecked(key in ticked)
            check.toggled.connect(lambda _on: self.changed.emit())
            grid.addWidget(check, number % max(per_column, 1), number // max(per_column, 1))
            self.checks[key] = check
        if not options and empty:
            inner.addWidget(QLabel(empty))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName(f"{name}: what the ticks mean")
        inner.addWidget(self.summary)
        self.setAccessibleName(name)

    def set_accessible(self, name: str) -> None:
        self.box.setAccessibleName(name)

    def chosen(self) -> tuple[str, ...]:
        return tuple(key for key, check in self.checks.items() if check.isChecked())

    def value(self) -> tuple[str, ...]:
        return self.chosen()

    def set_chosen(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for key, check in self.checks.items():
            check.setChecked(key in wanted)

    def focus_target(self) -> QWidget:
        return next(iter(self.checks.values()), self)


class ChildKeys:
    """The short names (keys) of the case's children, with one made for each child without
    one (its first name, unique in the case); ``store`` saves them just before a record that
    names a child, once."""

    def __init__(self, case: CaseHistory, save_child: Saver | None) -> None:
        self.case = case
        self.keyed = with_child_keys(case)
        self.save_child = save_child
        self._saved: set[int] = set()

    def key(self, index: int) -> str:
        key = self.keyed.children[index].key
        assert key is not None
        return key

    def options(self) -> list[tuple[str, str]]:
        return [(self.key(i), child_label(c)) for i, c in enumerate(self.case.children)]

    def store(self, named: Iterable[str]) -> None:
        """Once a record names a child, every child of the case needs a short name (the
        case exchange format's rule): the ones still without are saved first, once."""
        if not any(True for _ in named):
            return
        for index, child in enumerate(self.case.children):
            if child.key is not None or index in self._saved:
                continue
            if self.save_child is None:
                raise ValidationError(
                    f"{child.name} has no short name yet: give one in the child's details "
                    "(Children tab) first. Nothing was saved."
                )
            self.save_child(replace(child, key=self.key(index)))
            self._saved.add(index)
