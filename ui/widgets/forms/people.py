"""Forms for the people in a case: a child (with the short name records know it by), and a
parent or other person (their ties to each child, address, needs and solicitor)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.domain.keys import suggested_child_keys
from plo_tracker.domain.model import CaseHistory, Child, Party, Solicitor
from plo_tracker.errors import ValidationError
from plo_tracker.services.cases import draft_problem
from ui.widgets.forms.base import CaseRecordForm, Saver, optional_text, text_of
from ui.widgets.forms.pickers import ChildKeys
from ui.widgets.forms.ties import TiesGrid
from ui.widgets.inputs import DateEdit

RELATIONSHIPS = (
    "mother",
    "father",
    "stepmother",
    "stepfather",
    "grandmother",
    "grandfather",
    "aunt",
    "uncle",
    "special guardian",
    "foster carer",
    "other relative",
    "family friend",
)


class ChildForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        child: Child | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change child" if child else "Add a child", case, saver, parent)
        self.original = child
        self.name = self.add_row(
            "&Name:", QLineEdit(child.name if child else ""), "Child's name", "name"
        )
        self.born = QRadioButton("&Born")
        self.unborn = QRadioButton("&Unborn (expected)")
        status = QWidget()
        row = QVBoxLayout(status)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.born)
        row.addWidget(self.unborn)
        self.form.addRow("Status:", status)
        self.born.setAccessibleName("Child is born")
        self.unborn.setAccessibleName("Child is not born yet")
        self.watch(self.born)
        self.watch(self.unborn)
        # Never today by default: a date of birth is typed or chosen by the user.
        day = (child.date_of_birth or child.expected_birth) if child else None
        self.date = self.add_row(
            "&Date of birth or expected:", DateEdit(day), "Date of birth", "date_of_birth"
        )
        self._fields["expected_birth"] = self.date
        self.la_id = self.add_row(
            "Council &child ID:",
            QLineEdit(child.la_child_id or "" if child else ""),
            "Council child ID",
            "la_child_id",
        )
        self.key = self.add_row(
            "S&hort name:",
            QLineEdit(child.key or "" if child else ""),
            "Short name used in this case",
            "key",
        )
        self.key.setPlaceholderText("made from the first name when a record names this child")
        self.key.setToolTip(
            "How the case's records name this child, such as 'ruby'. Changing it changes it "
            "in every record that names the child."
        )
        # Once the case names children by short name, a new child needs one too: suggested
        # from the first name as it is typed, until the user types their own.
        self._key_typed = child is not None or not any(c.key for c in case.children)
        self.key.textEdited.connect(self._key_edited)
        self.name.textChanged.connect(self._suggest_key)
        (self.unborn if child and child.unborn else self.born).setChecked(True)
        self.ready()

    def _key_edited(self, _text: str) -> None:
        self._key_typed = True

    def _suggest_key(self, name: str) -> None:
        if self._key_typed:
            return
        with_new = replace(self.case, children=(*self.case.children, Child(name=name)))
        self.key.setText(suggested_child_keys(with_new).get(len(self.case.children), ""))

    def build(self) -> Child:
        day = self.date_of(self.date, "Date of birth", "date_of_birth")
        base = self.original
        return Child(
            name=text_of(self.name),
            date_of_birth=None if self.unborn.isChecked() else day,
            expected_birth=day if self.unborn.isChecked() else None,
            la_child_id=optional_text(self.la_id),
            key=optional_text(self.key),
            id=base.id if base else None,
            version=base.version if base else None,
        )


class PartyForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        party: Party | None,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        save_child: Saver | None = None,
    ) -> None:
        super().__init__(
            "Change person" if party else "Add a parent or other person", case, saver, parent
        )
        self.original = party
        self.keys = ChildKeys(case, save_child)
        p = party
        self.name = self.add_row("&Name:", QLineEdit(p.name if p else ""), "Person's name", "name")
        relationship = QComboBox()
        relationship.setEditable(True)
        relationship.addItems(RELATIONSHIPS)
        relationship.setCurrentText(p.relationship if p else "")
        self.relationship = self.add_row(
            "&Relationship:", relationship, "Relationship to child", "relationship"
        )
        self.key = self.add_row(
            "S&hort name:", QLineEdit(p.id if p else ""), "Short name used in this case", "id"
        )
        self.key.setPlaceholderText("for example mother, father2")
        self.key.setToolTip("A short name for this person within the case, such as 'mother'.")
        self._key_typed = p is not None
        self.key.textEdited.connect(self._key_edited)
        relationship.editTextChanged.connect(self._suggest_key)
        self.pr = self.add_row(
            "",
            QCheckBox("Has &parental responsibility"),
            "Has parental responsibility",
            "parental_responsibility",
        )
        self.pr.setChecked(bool(p and p.parental_responsibility))
        self.ties = TiesGrid(case, self.keys, party, RELATIONSHIPS, self._general_tie)
        self.form.addRow(self.ties)
        self.watch(self.ties, "children")
        self.ties.each.toggled.connect(self._show_pr)
        self._show_pr(self.ties.per_child())
        address = QPlainTextEdit("\n".join(p.address) if p else "")
        address.setTabChangesFocus(True)
        address.setFixedHeight(address.fontMetrics().lineSpacing() * 4 + 12)
        self.address = self.add_row("&Address (one line each):", address, "Address", "address")
        self.confidential = self.add_row(
            "",
            QCheckBox("Do not &disclose this address to other parties"),
            "Do not disclose this address",
        )
        self.confidential.setChecked(bool(p and p.address_confidential))
        self.language = self.add_row(
            "&Language or interpreter:",
            QLineEdit(p.language or "" if p else ""),
            "Language",
            "language",
        )
        self.needs = self.add_row(
            "Communication n&eeds:",
            QLineEdit(p.needs or "" if p else ""),
            "Communication needs",
            "needs",
        )
        box = QGroupBox("Solicitor")
        self.form.addRow(box)
        inner = QFormLayout(box)
        s = p.solicitor if p else None
        self.solicitor_name = QLineEdit(s.name if s else "")
        self.solicitor_firm = QLineEdit(s.firm or "" if s else "")
        self.solicitor_phone = QLineEdit(s.phone or "" if s else "")
        self.solicitor_email = QLineEdit(s.email or "" if s else "")
        for caption, edit, name, field in (
            ("Solicitor's na&me:", self.solicitor_name, "Solicitor's name", "solicitor"),
            ("&Firm:", self.solicitor_firm, "Solicitor's firm", "firm"),
            ("Ph&one:", self.solicitor_phone, "Solicitor's phone", "phone"),
            ("Ema&il:", self.solicitor_email, "Solicitor's email", "email"),
        ):
            label = QLabel(caption)
            label.setBuddy(edit)
            inner.addRow(label, edit)
            edit.setAccessibleName(name)
            self.watch(edit, field)
        self.ready()

    def _general_tie(self) -> tuple[str, bool]:
        return self.relationship.currentText().strip(), self.pr.isChecked()

    def _show_pr(self, per_child: bool) -> None:
        # Set for each child, parental responsibility is ticked child by child in the grid.
        self.form.setRowVisible(self.pr, not per_child)

    def revalidate(self) -> None:
        self.ties.summary.setText(self.ties.describe())
        super().revalidate()

    def check(self, record: Party) -> ValidationError | None:
        return self.ties.problem() or draft_problem(self.keys.keyed, record)

    def store(self, record: Party, confirm: bool = False) -> object:
        self.keys.store(link.child for link in record.children or ())
        return super().store(record, confirm)

    def _key_edited(self, _text: str) -> None:
        self._key_typed = True

    def _suggest_key(self, text: str) -> None:
        if self._key_typed:
            return
        base = "_".join(text.strip().lower().split())[:30]
        taken = {p.id for p in self.case.parties}
        key, number = base, 2
        while key in taken:
            key, number = f"{base}{number}", number + 1
        self.key.setText(key)

    def build(self) -> Party:
        lines = tuple(
            line.strip() for line in self.address.toPlainText().splitlines() if line.strip()
        )
        solicitor = None
        parts = (self.solicitor_name, self.solicitor_firm, self.solicitor_phone)
        if any(text_of(e) for e in (*parts, self.solicitor_email)):
            solicitor = Solicitor(
                name=text_of(self.solicitor_name),
                firm=optional_text(self.solicitor_firm),
                phone=optional_text(self.solicitor_phone),
                email=optional_text(self.solicitor_email),
            )
        base = self.original
        confidential: bool | None = True if self.confidential.isChecked() else None
        if confidential is None and base is not None and base.address_confidential is False:
            confidential = False
        links = self.ties.links()
        pr = (
            self.pr.isChecked()
            if links is None
            else any(link.parental_responsibility for link in links)
        )
        return Party(
            id=text_of(self.key),
            name=text_of(self.name),
            relationship=self.relationship.currentText().strip(),
            parental_responsibility=pr,
            children=links,
            address=lines,
            address_confidential=confidential,
            language=optional_text(self.language),
            needs=optional_text(self.needs),
            solicitor=solicitor,
            row_id=base.row_id if base else None,
            version=base.version if base else None,
        )
