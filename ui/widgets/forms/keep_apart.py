"""Keeping people apart: who is protected, from whom, and why.

The people ticked must not learn where the protected person lives or will be, nor anything
recorded about them, and are never invited to the same meeting. Only team managers, legal
liaison and administrators may add, change or remove an arrangement (the service checks and
audits it); everyone else sees the arrangements but cannot open this form.
"""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from plo_tracker.domain.model import CaseHistory, KeepApart
from plo_tracker.errors import ValidationError
from ui.widgets.forms.base import CaseRecordForm, Saver
from ui.widgets.forms.pickers import TickList, names, people_options
from ui.widgets.inputs import choice_combo


class KeepApartForm(CaseRecordForm):
    def __init__(
        self,
        case: CaseHistory,
        apart: KeepApart | None,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        protect: str | None = None,
    ) -> None:
        super().__init__(
            "Change who is kept apart" if apart else "Keep people apart", case, saver, parent
        )
        self.original = apart
        chosen = apart.protect if apart else protect
        options: list[tuple[str, object]] = [("Choose the person to protect…", None)]
        options += [(label, key) for key, label in people_options(case)]
        self.protect = self.add_row(
            "&Who is protected:", choice_combo(options, chosen), "Who is protected", "protect"
        )
        self.kept_from = TickList(
            "Kept from",
            people_options(case),
            apart.kept_from if apart else (),
            name="Who they are kept from",
            note=(
                "Tick the people who must not learn where the protected person lives or will "
                "be, nor anything recorded about them, and who are never invited to the same "
                "meeting."
            ),
        )
        self.form.addRow(self.kept_from)
        self.watch(self.kept_from, "kept_from")
        reason = QPlainTextEdit(apart.reason if apart else "")
        reason.setTabChangesFocus(True)
        reason.setPlaceholderText(
            "For example: Domestic abuse: a non-molestation order protects the mother."
        )
        reason.setFixedHeight(reason.fontMetrics().lineSpacing() * 3 + 12)
        self.reason = self.add_row("Wh&y:", reason, "Why they are kept apart", "reason")
        self.protect.currentIndexChanged.connect(self._protected_changed)
        self._protected_changed()
        self.ready()

    def _protected_changed(self, *_args: object) -> None:
        protected = self.protect.currentData()
        for key, check in self.kept_from.checks.items():
            if key == protected:
                check.setChecked(False)
            check.setEnabled(key != protected)
            check.setToolTip("This is the protected person." if key == protected else "")

    def revalidate(self) -> None:
        protected = self.protect.currentData()
        kept = self.kept_from.chosen()
        if protected is None or not kept:
            self.kept_from.summary.setText(
                "Choose the person to protect and tick whom they are kept from."
            )
        else:
            who = self.case.party(protected)
            name = who.name if who is not None else protected
            self.kept_from.summary.setText(
                f"{names(self.case, kept)} must not learn where {name} lives or will be, nor "
                f"anything recorded about {name}, and will never be invited to the same "
                "meeting."
            )
        super().revalidate()

    def check(self, record: KeepApart) -> ValidationError | None:
        if not record.protect:
            return ValidationError("Who is protected: choose the person.", field="protect")
        if not record.kept_from:
            return ValidationError(
                "Kept from: tick at least one person they are kept from.", field="kept_from"
            )
        return super().check(record)

    def build(self) -> KeepApart:
        base = self.original
        return KeepApart(
            protect=self.protect.currentData() or "",
            kept_from=self.kept_from.chosen(),
            reason=self.reason.toPlainText().strip(),
            id=base.id if base else None,
            version=base.version if base else None,
        )
