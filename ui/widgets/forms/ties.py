"""A person's ties to the children of the case: the same for every child, or one per child.

"The same for every child" keeps the person's relationship and parental responsibility for
every child (the record's ``children`` is None, as before version 3). "Set for each child"
shows a grid of this person × the case's children: how they are related to each child
(empty: not tied to that child) and whether they hold parental responsibility for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.domain.model import CaseHistory, ChildLink, Party
from plo_tracker.errors import ValidationError
from ui.widgets.forms.base import FieldWidget
from ui.widgets.forms.pickers import ChildKeys, child_label


class TiesGrid(FieldWidget):
    """``links()`` is None for the same ties to every child, else one link per tied child."""

    def __init__(
        self,
        case: CaseHistory,
        keys: ChildKeys,
        party: Party | None,
        relationships: Sequence[str],
        defaults: Callable[[], tuple[str, bool]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.case = case
        self.keys = keys
        self.defaults = defaults
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        box = QGroupBox("Ties to the children")
        box.setAccessibleName("Ties to the children")
        outer.addWidget(box)
        inner = QVBoxLayout(box)
        self.same = QRadioButton("The same for every &child")
        self.same.setAccessibleName(
            "The same relationship and parental responsibility for every child"
        )
        self.each = QRadioButton("Set for each child &below")
        self.each.setAccessibleName("A relationship and parental responsibility for each child")
        group = QButtonGroup(self)
        group.addButton(self.same)
        group.addButton(self.each)
        inner.addWidget(self.same)
        inner.addWidget(self.each)
        self.grid_box = QWidget()
        grid = QGridLayout(self.grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for column, heading in enumerate(("Child", "Relationship to this child", "")):
            label = QLabel(f"<b>{heading}</b>")
            grid.addWidget(label, 0, column)
        self.relationships: list[QComboBox] = []
        self.prs: list[QCheckBox] = []
        ties = self._ties_of(party)
        for row, child in enumerate(case.children, start=1):
            name = child_label(child)
            grid.addWidget(QLabel(name), row, 0)
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(["", *relationships])
            line = combo.lineEdit()
            if line is not None:
                line.setPlaceholderText("not tied to this child")
            combo.setAccessibleName(f"Relationship to {child.name}")
            pr = QCheckBox("Parental responsibility")
            pr.setAccessibleName(f"Parental responsibility for {child.name}")
            relationship, has_pr = ties.get(row - 1, ("", False))
            combo.setCurrentText(relationship)
            pr.setChecked(has_pr)
            combo.editTextChanged.connect(lambda _text: self.changed.emit())
            pr.toggled.connect(lambda _on: self.changed.emit())
            grid.addWidget(combo, row, 1)
            grid.addWidget(pr, row, 2)
            self.relationships.append(combo)
            self.prs.append(pr)
        grid.setColumnStretch(1, 1)
        inner.addWidget(self.grid_box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("What the ties mean")
        inner.addWidget(self.summary)
        (self.same if party is None or party.children is None else self.each).setChecked(True)
        self.grid_box.setVisible(self.each.isChecked())
        self.each.toggled.connect(self._mode_changed)

    def _ties_of(self, party: Party | None) -> dict[int, tuple[str, bool]]:
        if party is None or party.children is None:
            return {}
        index = {child.key: i for i, child in enumerate(self.case.children) if child.key}
        return {
            index[link.child]: (link.relationship, link.parental_responsibility)
            for link in party.children
            if link.child in index
        }

    def _mode_changed(self, each: bool) -> None:
        if each and not any(combo.currentText().strip() for combo in self.relationships):
            # From "the same for every child": start from what that meant, child by child.
            relationship, pr = self.defaults()
            for combo, check in zip(self.relationships, self.prs, strict=True):
                combo.setCurrentText(relationship)
                check.setChecked(pr)
        self.grid_box.setVisible(each)
        self.changed.emit()

    def per_child(self) -> bool:
        return self.each.isChecked()

    def value(self) -> object:
        if not self.per_child():
            return None
        return tuple(
            (combo.currentText().strip(), check.isChecked())
            for combo, check in zip(self.relationships, self.prs, strict=True)
        )

    def problem(self) -> ValidationError | None:
        if not self.per_child():
            return None
        for child, combo, check in zip(
            self.case.children, self.relationships, self.prs, strict=True
        ):
            if check.isChecked() and not combo.currentText().strip():
                return ValidationError(
                    f"Parental responsibility for {child.name}: say how they are related to "
                    f"{child.name} (an empty relationship means not tied to this child).",
                    field="children",
                )
        return None

    def links(self) -> tuple[ChildLink, ...] | None:
        if not self.per_child():
            return None
        return tuple(
            ChildLink(
                child=self.keys.key(index),
                relationship=combo.currentText().strip(),
                parental_responsibility=check.isChecked(),
            )
            for index, (combo, check) in enumerate(zip(self.relationships, self.prs, strict=True))
            if combo.currentText().strip()
        )

    def describe(self) -> str:
        links = self.links()
        if links is None:
            return "The relationship and parental responsibility above hold for every child."
        if not links:
            return "Tied to none of the children."
        labels = {self.keys.key(i): c.name for i, c in enumerate(self.case.children)}
        parts = [
            f"{link.relationship} of {labels[link.child]}"
            + (" (parental responsibility)" if link.parental_responsibility else "")
            for link in links
        ]
        untied = len(self.case.children) - len(links)
        text = "; ".join(parts)
        text = text[:1].upper() + text[1:]
        if untied:
            text += f"; not tied to the other {'child' if untied == 1 else 'children'}"
        return text + "."
