"""Letter settings in the window: the council's details printed in letters and the folder
of the council's own templates (what ``plo-tracker letter-settings`` sets).

For legal liaison and administrators (``MANAGE_TEMPLATES``), from File → Letter settings….
Saving goes through ``LetterService`` (its checks, its permission, audited); a refusal is
shown in the dialog and nothing is changed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.errors import KNOWN_ERRORS
from ui import errors
from ui.widgets.problem_label import problem_label

if TYPE_CHECKING:
    from plo_tracker.letters.options import CouncilDetails
    from plo_tracker.services.letters import LetterService

# The council's details, as the form asks for them: (field, label).
FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "Council &name:"),
    ("phone", "&Phone:"),
    ("email", "&Email:"),
    ("lawyer_name", "&Lawyer's name:"),
    ("lawyer_phone", "Lawyer's p&hone:"),
    ("lawyer_email", "Lawyer's e&mail:"),
    ("signatory", "Si&gns letters (no team manager):"),
    ("signatory_role", "Their &role:"),
)


def _shown(value: str) -> str:
    """A [placeholder] is shown as an empty box (with the placeholder as its hint)."""
    return "" if value.startswith("[") else value


class LetterSettingsDialog(QDialog):
    """The council's details in letters, and where the council's own templates are."""

    def __init__(self, letters: LetterService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.letters = letters
        self.setWindowTitle("Letter settings")
        self.setAccessibleName("Letter settings")
        self.council: CouncilDetails = letters.council()
        folder = letters.template_folder()
        layout = QVBoxLayout(self)
        intro = QLabel(
            "What every letter prints about the council, and where the council's own letter "
            "templates are kept (leave it empty to use the templates that come with PLO "
            "Tracker)."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.boxes: dict[str, QLineEdit] = {}
        for name, label_text in FIELDS:
            value = str(getattr(self.council, name))
            box = QLineEdit(_shown(value))
            box.setPlaceholderText(value if value.startswith("[") else "")
            box.setAccessibleName(label_text.replace("&", "").rstrip(":"))
            label = QLabel(label_text)
            label.setBuddy(box)
            form.addRow(label, box)
            self.boxes[name] = box
            if name == "name":
                self.address = QPlainTextEdit("\n".join(self.council.address))
                self.address.setTabChangesFocus(True)
                self.address.setAccessibleName("Council address, one line each")
                self.address.setMaximumHeight(self.fontMetrics().height() * 6)
                address_label = QLabel("&Address (one line each):")
                address_label.setBuddy(self.address)
                form.addRow(address_label, self.address)
        self.folder = QLineEdit(str(folder) if folder else "")
        self.folder.setAccessibleName("The council's template folder")
        self.folder.setPlaceholderText("Empty: the templates that come with PLO Tracker")
        folder_label = QLabel("&Template folder:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, self.folder)
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._folder = folder
        # Wide enough that an address, an email or a folder path reads whole.
        self.setMinimumWidth(min(self.fontMetrics().averageCharWidth() * 90, 1100))

    def details(self) -> CouncilDetails:
        values: dict[str, object] = {}
        for name, box in self.boxes.items():
            text = box.text().strip()
            values[name] = text or box.placeholderText() or ""
        lines = tuple(
            line.strip() for line in self.address.toPlainText().splitlines() if line.strip()
        )
        return replace(self.council, address=lines, **values)  # type: ignore[arg-type]

    def save(self) -> bool:
        """Save what changed; on a refusal, say why and keep the dialog open."""
        try:
            details = self.details()
            if details != self.council:
                self.council = self.letters.set_council(details)
            typed = self.folder.text().strip()
            folder = Path(typed).expanduser() if typed else None
            if folder != self._folder:
                self._folder = self.letters.set_template_folder(folder)
        except KNOWN_ERRORS as error:
            self.problem.setText(str(error))
            return False
        except Exception as error:
            self.problem.setText(errors.describe(error, "letter settings"))
            return False
        self.accept()
        return True
