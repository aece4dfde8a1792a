"""A worry: what the council is worried about, in words the family will recognise.

Tick whom it is about; with nobody ticked it is about the whole household (and goes
into every recipient's letter).  Checked as it is typed, like every other record.
"""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from plo_tracker.domain.model import CaseHistory, Concern
from ui.widgets.forms.base import CaseRecordForm, Saver


class ConcernForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        concern: Concern | None,
        saver: Saver,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Change a worry" if concern else "Add a worry", case, saver, parent)
        self.original = concern
        text = QPlainTextEdit(concern.text if concern else "")
        text.setTabChangesFocus(True)
        text.setPlaceholderText(
            "In words the family will recognise, for example: 'Jayden has missed 12 days "
            "of school since September.'"
        )
        text.setFixedHeight(text.fontMetrics().lineSpacing() * 5 + 12)
        self.text = self.add_row("&What we are worried about:", text, "Worry", "text")
        box = QGroupBox("Who it is about")
        inner = QVBoxLayout(box)
        note = QLabel("Tick the people it is about. Nobody ticked: the whole household.")
        note.setWordWrap(True)
        inner.addWidget(note)
        self.people: dict[str, QCheckBox] = {}
        about = set(concern.about) if concern else set()
        for party in case.parties:
            check = QCheckBox(f"{party.name} ({party.relationship})")
            check.setAccessibleName(f"About {party.name}")
            check.setChecked(party.id in about)
            inner.addWidget(check)
            self.people[party.id] = check
            self.watch(check, "about")
        self.household = QLabel()
        self.household.setAccessibleName("Whom the worry is about")
        inner.addWidget(self.household)
        if not case.parties:
            inner.addWidget(QLabel("No people are recorded on this case yet."))
        self.form.addRow(box)
        self.ready()

    def about(self) -> tuple[str, ...]:
        return tuple(key for key, check in self.people.items() if check.isChecked())

    def revalidate(self) -> None:
        about = self.about()
        if not about:
            self.household.setText("About the whole household (every recipient's letter).")
        else:
            names = [self.people[k].text() for k in about]
            self.household.setText("About: " + ", ".join(names) + ".")
        super().revalidate()

    def build(self) -> Concern:
        base = self.original
        return Concern(
            text=self.text.toPlainText().strip(),
            about=self.about(),
            id=base.id if base else None,
            version=base.version if base else None,
        )
