"""Reviewing one drift flag: accept the delay, or agree an extension (team managers).

In the PLO an extension extends the pre-proceedings period, so only the flag for a
period past its planned end (``duration_exceeded``) offers one; for any other flag the
manager accepts the delay, until a date or with none.  Opened from the drift review or
from the case's own Flags tab (*Review…*, or *Extend…* / *Accept the delay until…*,
which starts at the date).  It checks as the user types with the
same checks the service makes (``flags.review_problem``), saves with Ctrl+S or
Ctrl+Enter, and asks before closing with changes.  If the save is refused, the
service's own message is shown and nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.domain import drift
from plo_tracker.domain.dates import long_date
from plo_tracker.errors import KNOWN_ERRORS
from plo_tracker.services.base import today
from plo_tracker.services.flags import (
    ACCEPT,
    EXTEND,
    ReviewRecord,
    may_extend,
    review_problem,
)
from plo_tracker.services.review_board import ReviewRow
from ui import dialogs, errors
from ui.widgets.inputs import OptionalDate
from ui.widgets.problem_label import ERROR_STYLE, problem_label

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.domain.model import CaseHistory


HINT_STYLE = "color: #555555;"


def reviewed_sentence(row: ReviewRow) -> str:
    if row.reviewed_on is None:
        return "not reviewed yet."
    text = f"by {row.reviewed_by or 'a manager'} on {long_date(row.reviewed_on)}"
    if row.reviewed_until is not None:
        text += f", delay accepted until {long_date(row.reviewed_until)}"
    return text + "."


def review_row_for(flag: drift.Flag, case: CaseHistory, as_of: dt.date) -> ReviewRow:
    """The drift review's row for one of a case's flags (so both places share one dialog)."""
    review = flag.reviewed
    return ReviewRow(
        case=flag.case,
        team=case.team or "",
        social_worker=case.social_worker or "",
        team_manager=case.team_manager or "",
        rule=flag.rule,
        rule_title=drift.RULES.get(flag.rule, flag.rule),
        item=flag.item,
        severity=flag.severity,
        due=flag.due,
        days_overdue=max(0, (as_of - flag.due).days),
        days_to_due=(flag.due - as_of).days,
        message=flag.message,
        reviewed_by=review.by if review else None,
        reviewed_on=review.on if review else None,
        reviewed_until=review.until if review else None,
    )


class ReviewDialog(QDialog):
    """Record a manager's review of one flag: accept the delay, or agree an extension."""

    reviewed = Signal(object)  # the ReviewRecord the service returned

    def __init__(
        self,
        ctx: AppContext,
        row: ReviewRow,
        parent: QWidget | None = None,
        *,
        extend: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.row = row
        self.result_record: ReviewRecord | None = None
        self.title = f"Review flag – {row.case}"
        self.setWindowTitle(self.title)
        self.setAccessibleName("Review a drift flag")
        layout = QVBoxLayout(self)

        about = QLabel(
            f"<b>{row.case}: {row.rule_title}</b><br>"
            f"{row.lateness[:1].upper()}{row.lateness[1:]} (due {long_date(row.due)})."
        )
        about.setWordWrap(True)
        about.setAccessibleName("The flag being reviewed")
        layout.addWidget(about)
        message = QLabel(row.message)
        message.setWordWrap(True)
        message.setTextFormat(Qt.TextFormat.PlainText)
        message.setAccessibleName("What is late")
        layout.addWidget(message)
        if row.reviewed_on is not None:
            earlier = QLabel(f"Already reviewed: {reviewed_sentence(row)}")
            earlier.setWordWrap(True)
            layout.addWidget(earlier)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        decision_box = QWidget()
        decision_layout = QVBoxLayout(decision_box)
        decision_layout.setContentsMargins(0, 0, 0, 0)
        # Only the pre-proceedings period is extended (PLO); any other flag's delay is
        # accepted, until a date or with none.
        self.can_extend = may_extend(row.rule)
        self.accept_choice = QRadioButton(
            "&Accept the delay (the flag stays, marked as accepted)"
            if self.can_extend
            else "&Accept the delay (until the date below, or with no end date)"
        )
        self.extend_choice = QRadioButton(
            "Agree an &extension of the pre-proceedings period to a date (moves its planned end)"
        )
        self.extend_choice.setVisible(self.can_extend)
        self.accept_choice.setAccessibleName("Decision: accept the delay")
        self.extend_choice.setAccessibleName("Decision: agree an extension")
        self.decision = QButtonGroup(self)
        self.decision.addButton(self.accept_choice)
        self.decision.addButton(self.extend_choice)
        decision_layout.addWidget(self.accept_choice)
        decision_layout.addWidget(self.extend_choice)
        decision_label = QLabel("Decision:")
        decision_label.setBuddy(self.accept_choice)
        form.addRow(decision_label, decision_box)

        self.until = OptionalDate("Set a date", None, default=today() + dt.timedelta(weeks=4))
        self.until.set_accessible("Accepted until")
        until_label = QLabel("&Until:")
        # Alt+U goes to the date (ticking "Set a date"); a check box as buddy would untick it.
        until_label.setBuddy(self.until.mnemonic_buddy())
        form.addRow(until_label, self.until)

        self.rationale = QPlainTextEdit()
        self.rationale.setTabChangesFocus(True)
        self.rationale.setPlaceholderText(
            "Why the delay is acceptable, or why more time is needed (required)"
        )
        self.rationale.setAccessibleName("Rationale")
        self.rationale.setMinimumHeight(self.fontMetrics().height() * 5)
        rationale_label = QLabel("&Rationale:")
        rationale_label.setBuddy(self.rationale)
        form.addRow(rationale_label, self.rationale)
        layout.addLayout(form)

        self.problem = problem_label()
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save review")
        self.save_button.setAccessibleName("Save review")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)

        extend_now = extend and self.can_extend
        (self.extend_choice if extend_now else self.accept_choice).setChecked(True)
        if extend:  # Extend… (or Accept the delay until…): starts at the date
            self.until.check.setChecked(True)
        self._initial = self._state()
        self._touched = False
        self.accept_choice.toggled.connect(self._decision_changed)
        self.until.changed.connect(self._changed)
        self.rationale.textChanged.connect(self._changed)
        self.setTabOrder(self.accept_choice, self.extend_choice)
        self.setTabOrder(self.extend_choice, self.until.check)
        self.setTabOrder(self.until.check, self.until.date.edit)
        self.setTabOrder(self.until.date.edit, self.rationale)
        self.setTabOrder(self.rationale, self.save_button)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())
        # An extension starts at its date; a review at its rationale.
        (self.until.date.edit if extend else self.rationale).setFocus()
        self.revalidate()

    # -- state -----------------------------------------------------------------------------
    def decision_value(self) -> str:
        return EXTEND if self.can_extend and self.extend_choice.isChecked() else ACCEPT

    def problem_text(self) -> str | None:
        date_problem = self.until.problem()
        if date_problem is not None:
            return f"Until: {date_problem}"
        return review_problem(
            self.decision_value(), self.rationale.toPlainText(), self.until.value(), today()
        )

    def _state(self) -> tuple[object, ...]:
        return (
            self.decision_value(),
            self.until.check.isChecked(),
            self.until.date.text(),
            self.rationale.toPlainText(),
        )

    def has_changes(self) -> bool:
        return self._state() != self._initial

    def _decision_changed(self, _on: bool) -> None:
        if self.decision_value() == EXTEND and self.until.value() is None:
            self.until.check.setChecked(True)
        self._changed()

    def _changed(self, *_args: object) -> None:
        self._touched = True
        self.revalidate()

    def revalidate(self) -> None:
        problem = self.problem_text()
        # An error once the manager has started; before that, a grey note of what is needed.
        if problem is None:
            self.problem.setText("")
        elif self._touched:
            self.problem.setStyleSheet(ERROR_STYLE)
            self.problem.setText(problem)
        else:
            self.problem.setStyleSheet(HINT_STYLE)
            self.problem.setText(f"Still needed before saving: {problem.split(':')[0]}.")
        self.save_button.setEnabled(problem is None)
        self.save_button.setToolTip(problem or "Record this review (Ctrl+S or Ctrl+Enter)")

    # -- saving and closing ----------------------------------------------------------------
    def save(self) -> bool:
        problem = self.problem_text()
        if problem is not None:
            self._touched = True
            self.until.show_problem()
            self.revalidate()
            return False
        try:
            record = self.ctx.flags.review(
                self.row.case,
                self.row.rule,
                decision=self.decision_value(),
                rationale=self.rationale.toPlainText(),
                until=self.until.value(),
                item=self.row.item,
            )
        except KNOWN_ERRORS as error:
            self.problem.setText(str(error))
            return False
        except Exception as error:
            self.problem.setText(errors.describe(error, "drift review"))
            return False
        self.result_record = record
        self.reviewed.emit(record)
        self.accept()
        return True

    def reject(self) -> None:
        if not self.has_changes():
            super().reject()
            return
        answer = dialogs.ask_unsaved(self, self.title)
        if answer == dialogs.SAVE:
            self.save()
        elif answer == dialogs.DISCARD:
            super().reject()

    def close_politely(self) -> bool:
        if self.isVisible():
            self.reject()
        return not self.isVisible()


def ask_review(
    ctx: AppContext, row: ReviewRow, parent: QWidget | None = None, *, extend: bool = False
) -> ReviewDialog:
    """Open the review dialog (window-modal, without blocking) and return it."""
    dialog = ReviewDialog(ctx, row, parent, extend=extend)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.open()
    return dialog
