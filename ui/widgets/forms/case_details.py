"""The case itself: a new case (with its first child), or an existing case's details."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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
from plo_tracker.validation import clean_optional
from ui.widgets.forms.base import RecordForm, Saver, optional_text, text_of
from ui.widgets.inputs import DateEdit, buddy_for


class CaseDetailsForm(RecordForm):
    """A new case (with its first child), or the details of an existing case."""

    def __init__(
        self,
        saver: Saver,
        *,
        case: CaseHistory | None = None,
        teams: list[str] | None = None,
        actor: Actor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"Change case details – {case.reference}" if case else "New case", parent)
        self.case = case
        self.saver = saver
        reference = QLineEdit(case.reference if case else "")
        reference.setReadOnly(case is not None)
        self.reference = self.add_row("Case &reference:", reference, "Case reference", "reference")
        team = QComboBox()
        team.setEditable(True)
        team.addItems(teams or [])
        team.setCurrentText((case.team or "") if case else (actor.team or "" if actor else ""))
        self.team = self.add_row("&Team:", team, "Team", "team")
        worker_default = ""
        if case is None and actor is not None and actor.role.value == "social_worker":
            worker_default = actor.display_name
        self.worker = self.add_row(
            "Social &worker:",
            QLineEdit((case.social_worker or "") if case else worker_default),
            "Social worker",
            "social_worker",
        )
        self.manager = self.add_row(
            "Team &manager:",
            QLineEdit((case.team_manager or "") if case else ""),
            "Team manager",
            "team_manager",
        )
        self.legal = self.add_row(
            "&Legal liaison:",
            QLineEdit((case.legal_liaison or "") if case else ""),
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
            social_worker=optional_text(self.worker),
            team_manager=optional_text(self.manager),
            legal_liaison=optional_text(self.legal),
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
        return header_problem(header, children, self.case)

    def store(self, record: tuple[CaseHeader, tuple[Child, ...]], confirm: bool = False) -> Any:
        return self.saver(record)
