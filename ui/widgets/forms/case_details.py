"""The case itself: a new case (with its first child), or an existing case's details.

The team, social worker, team manager and legal liaison are chosen from lists (the
council's current teams, and the users whose role fits each field): editable boxes that
complete what is typed, but what is saved must be a listed name (the form says so as
the user types, and the save checks again).  A case's current team or person stays
listed even when no longer offered (retired, switched off), so its details can still
be saved unchanged.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.errors import ValidationError
from plo_tracker.permissions import Actor
from plo_tracker.services.cases import CaseHeader, header_problem
from plo_tracker.services.cases.staff import StaffChoices
from plo_tracker.validation import clean_optional
from ui.widgets.forms.base import RecordForm, Saver, optional_text, text_of
from ui.widgets.inputs import DateEdit, buddy_for


class NameBox(QComboBox):
    """An editable list of names that completes what is typed (anywhere in a name, any
    case); a typed name differing from a listed one only in case becomes the listed one."""

    def __init__(self, names: list[str], current: str | None, *, optional: bool) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if optional:
            self.addItem("")
        self.addItems(names)
        if current and current not in names:
            self.addItem(current)  # the case's own, no longer offered: kept as it is
        completer = QCompleter(self.model(), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setCurrentText(current or "")
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText("type to search, or choose from the list")
        line.editingFinished.connect(self._as_listed)

    def text(self) -> str:
        return self.currentText()

    def setText(self, text: str) -> None:  # as QLineEdit, for the form's users
        self.setCurrentText(text)

    def names(self) -> list[str]:
        return [self.itemText(i) for i in range(self.count()) if self.itemText(i)]

    def _as_listed(self) -> None:
        typed = self.currentText().strip()
        for name in self.names():
            if name != typed and name.casefold() == typed.casefold():
                self.setCurrentText(name)
                return


class CaseDetailsForm(RecordForm):
    """A new case (with its first child), or the details of an existing case."""

    def __init__(
        self,
        saver: Saver,
        *,
        case: CaseHistory | None = None,
        choices: StaffChoices | None = None,
        actor: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Change case details – {case.reference}" if case else "New case", parent)
        self.case = case
        self.saver = saver
        self.choices = choices
        offered = choices or StaffChoices()
        reference = QLineEdit(case.reference if case else "")
        reference.setReadOnly(case is not None)
        self.reference = self.add_row("Case &reference:", reference, "Case reference", "reference")
        defaults = _defaults(actor, offered) if case is None else {}

        def current(key: str) -> str | None:
            return getattr(case, key) if case is not None else defaults.get(key)

        self.team = self.add_row(
            "&Team:",
            NameBox(offered.offered("team"), current("team"), optional=False),
            "Team",
            "team",
        )
        self.worker = self.add_row(
            "Social &worker:",
            NameBox(offered.offered("social_worker"), current("social_worker"), optional=False),
            "Social worker",
            "social_worker",
        )
        self.manager = self.add_row(
            "Team &manager:",
            NameBox(offered.offered("team_manager"), current("team_manager"), optional=True),
            "Team manager",
            "team_manager",
        )
        self.legal = self.add_row(
            "&Legal liaison:",
            NameBox(offered.offered("legal_liaison"), current("legal_liaison"), optional=True),
            "Legal liaison",
            "legal_liaison",
        )
        if case is not None:
            self.court = self.add_row(
                "C&ourt reference:",
                QLineEdit(case.court_reference or ""),
                "Court reference",
                "court_reference",
            )
        else:
            box = QGroupBox("First child (add more children in the case)")
            self.form.addRow(box)
            inner = QFormLayout(box)
            self.child_name = QLineEdit()
            self.child_unborn = QCheckBox("&Unborn: the date is the expected date of birth")
            self.child_date = DateEdit(None)
            for caption, widget, name, field in (
                ("Child's &name:", self.child_name, "Child's name", "name"),
                ("", self.child_unborn, "Child is not born yet", None),
                ("&Date of birth:", self.child_date, "Child's date of birth", "date_of_birth"),
            ):
                label = QLabel(caption)
                label.setBuddy(buddy_for(widget))
                inner.addRow(label, widget)
                widget.setAccessibleName(name)
                self.watch(widget, field)
            self._fields["expected_birth"] = self.child_date
            self._fields["children"] = self.child_name
        self.ready()

    def header(self) -> CaseHeader:
        return CaseHeader(
            reference=text_of(self.reference),
            team=clean_optional(self.team.currentText()),
            social_worker=clean_optional(self.worker.currentText()),
            team_manager=clean_optional(self.manager.currentText()),
            legal_liaison=clean_optional(self.legal.currentText()),
            court_reference=optional_text(self.court) if self.case is not None else None,
        )

    def children(self) -> tuple[Child, ...]:
        if self.case is not None:
            return self.case.children
        day = self.date_of(self.child_date, "Child's date of birth", "date_of_birth")
        unborn = self.child_unborn.isChecked()
        return (
            Child(
                name=text_of(self.child_name),
                date_of_birth=None if unborn else day,
                expected_birth=day if unborn else None,
            ),
        )

    def build(self) -> tuple[CaseHeader, tuple[Child, ...]]:
        return self.header(), self.children()

    def check(self, record: tuple[CaseHeader, tuple[Child, ...]]) -> ValidationError | None:
        header, children = record
        if not header.reference:
            return ValidationError("Case reference: must not be empty.", field="reference")
        return header_problem(header, children, self.case, self.choices)

    def store(self, record: tuple[CaseHeader, tuple[Child, ...]], confirm: bool = False) -> Any:
        return self.saver(record)


def _defaults(actor: Actor | None, choices: StaffChoices) -> dict[str, str]:
    """A new case starts as its maker's: their team, and them in their own role's field."""
    if actor is None:
        return {}
    found: dict[str, str] = {}
    if actor.team and actor.team in choices.offered("team"):
        found["team"] = actor.team
    for key, role in (("social_worker", "social_worker"), ("team_manager", "team_manager")):
        if actor.role.value == role and actor.display_name in choices.offered(key):
            found[key] = actor.display_name
    return found
