"""Census settings in the window: the PPOutcome code of each outcome and the LA code.

What ``plo-tracker census-settings`` sets, for a team manager or administrator, from the
census view's *Census settings…* button.  The meanings of the codes A, B and C are in the
DfE's CIN census guide, so nothing is guessed: each outcome starts "Not set".  Saving goes
through ``ReportService`` (its checks, its permission, audited); a refusal is shown and
nothing else is changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.errors import KNOWN_ERRORS
from plo_tracker.reports.census_records import OUTCOME_KEYS, OUTCOME_LABELS, PP_OUTCOME_CODES
from ui import errors
from ui.widgets.problem_label import problem_label

if TYPE_CHECKING:
    from plo_tracker.services.reports import ReportService

NOT_SET = "Not set"


class CensusSettingsDialog(QDialog):
    """The council's LA code and a PPOutcome code (A, B or C) for each outcome."""

    def __init__(self, service: ReportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle("Census settings")
        self.setAccessibleName("Census settings")
        settings = service.census_settings()
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The codes the CIN census return needs. The meaning of each PPOutcome code (A, B "
            "or C) is in the DfE's CIN census guide: choose the one your council uses for "
            "each outcome."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.la_code = QLineEdit(settings.la_code or "")
        self.la_code.setAccessibleName("LA code")
        self.la_code.setPlaceholderText("3 digits, such as 123")
        self.la_code.setMaxLength(3)
        la_label = QLabel("&LA code:")
        la_label.setBuddy(self.la_code)
        form.addRow(la_label, self.la_code)
        self.outcomes: dict[str, QComboBox] = {}
        for key in OUTCOME_KEYS:
            combo = QComboBox()
            combo.addItem(NOT_SET, None)
            for code in PP_OUTCOME_CODES:
                combo.addItem(code, code)
            combo.setCurrentIndex(max(0, combo.findData(settings.code_for(key))))
            combo.setAccessibleName(f"PPOutcome code for: {OUTCOME_LABELS[key]}")
            label = QLabel(OUTCOME_LABELS[key][:1].upper() + OUTCOME_LABELS[key][1:] + ":")
            label.setBuddy(combo)
            form.addRow(label, combo)
            self.outcomes[key] = combo
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
        self._initial = settings

    def save(self) -> bool:
        """Save what changed; on a refusal, say why and keep the dialog open."""
        try:
            la_code = self.la_code.text().strip()
            if la_code and la_code != (self._initial.la_code or ""):
                self.service.set_census_la_code(la_code)
            for key, combo in self.outcomes.items():
                code = combo.currentData()
                if code is not None and code != self._initial.code_for(key):
                    self.service.set_census_outcome(key, code)
        except KNOWN_ERRORS as error:
            self.problem.setText(str(error))
            return False
        except Exception as error:
            self.problem.setText(errors.describe(error, "census settings"))
            return False
        self.accept()
        return True
