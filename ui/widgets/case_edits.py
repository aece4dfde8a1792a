"""Adding, changing and deleting the parts of a case (the case view's forms).

Every change goes through a form (``ui.widgets.forms``) that calls a service with
the version the user saw; a delete asks first.  Mixed into ``CaseView``, which
provides ``ctx``, ``actor``, ``reference``, ``case``, the sections and ``reload``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex

from plo_tracker.domain.model import Booking
from plo_tracker.errors import KNOWN_ERRORS, ChronologyWarning
from ui import dialogs, formats
from ui.errors import describe
from ui.models.case_items import ActionRow, AssessmentRow, ConcernRow
from ui.models.family import ApartRow, PartyRow
from ui.widgets.forms import (
    ActionForm,
    AssessmentForm,
    BookingForm,
    CaseDetailsForm,
    ChildForm,
    ConcernForm,
    EventForm,
    KeepApartForm,
    PartyForm,
    RecordForm,
    StrengthForm,
)

if TYPE_CHECKING:
    from ui.widgets.sections import ItemSection


class CaseEdits:
    """The case view's add / change / delete actions."""

    ctx: Any
    actor: Any
    reference: str
    case: Any
    form: Any
    changed: Any
    chronology: ItemSection
    children: ItemSection
    parties: ItemSection
    assessments: ItemSection
    actions: ItemSection
    concerns: ItemSection
    strengths: ItemSection
    keep_apart: ItemSection

    def reload(self) -> None:
        raise NotImplementedError

    _changed_elsewhere = False

    def data_changed(self) -> None:
        """Something was saved elsewhere in the window: read the case again, now if it is
        on show and no form is open, else when next shown (or once the form closes)."""
        if self.isVisible() and self.form is None:  # type: ignore[attr-defined]
            self._changed_elsewhere = False
            self.reload()
        else:
            self._changed_elsewhere = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._changed_elsewhere and self.form is None:
            self._changed_elsewhere = False
            self.reload()

    # -- forms -------------------------------------------------------------------------------
    def open_form(self, form: Any) -> Any:
        """Show a form (or the review dialog) for this case; one at a time."""
        if self.form is not None and not self.form.close_politely():
            form.deleteLater()
            return self.form
        self.form = form
        form.saved.connect(self._saved)
        form.finished.connect(self._form_closed)
        form.open()
        return form

    def _saved(self, _result: object) -> None:
        self.reload()
        self.changed.emit(self.reference)

    def _form_closed(self, _code: int) -> None:
        form = self.form
        self.form = None
        if form is not None and getattr(form, "conflicted", False):
            self.reload()
        elif self._changed_elsewhere and self.isVisible():  # type: ignore[attr-defined]
            self._changed_elsewhere = False
            self.reload()
        if form is not None:
            form.deleteLater()

    def _activated_edit(self, section: ItemSection) -> Callable[[QModelIndex], None]:
        def activated(_index: QModelIndex) -> None:
            if section.edit_button.isEnabled():
                section.edit_button.click()

        return activated

    def _chronology_activated(self, _index: QModelIndex) -> None:
        if self.chronology.edit_button.isEnabled():
            self.edit_chronology()

    def _save(self, method: Callable[..., Any]) -> Callable[..., Any]:
        reference = self.reference

        def save(record: Any, **options: Any) -> Any:
            return method(reference, record, **options)

        return save

    def add_event(self, event_type: str | None = None) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            EventForm(
                self.case,
                None,
                self.actor,
                self._save(self.ctx.cases.save_event),
                self,
                event_type=event_type if isinstance(event_type, str) else None,
            )
        )

    def _child_saver(self) -> Callable[..., Any]:
        """Saves a child's new short name, made when a form first names the child."""
        return self._save(self.ctx.cases.save_child)

    def _booking_form(self, booking: Booking | None) -> RecordForm:
        try:
            rules = (self.ctx.settings.policy(), self.ctx.settings.calendar())
        except KNOWN_ERRORS:
            rules = None  # checked as typed without the booking rules; the save applies them
        return BookingForm(
            self.case, booking, self._save(self.ctx.cases.save_booking), self, rules=rules
        )

    def add_booking(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(self._booking_form(None))

    def edit_chronology(self) -> RecordForm | None:
        row = self.chronology.selected()
        if self.case is None or row is None:
            return None
        if isinstance(row.record, Booking):
            return self.open_form(self._booking_form(row.record))
        return self.open_form(
            EventForm(
                self.case, row.record, self.actor, self._save(self.ctx.cases.save_event), self
            )
        )

    def delete_chronology(self) -> None:
        row = self.chronology.selected()
        if row is None:
            return
        kind = "booking" if isinstance(row.record, Booking) else "event"
        self._delete(
            kind, row.record.id, row.record.version, f"{row.what} on {formats.short_date(row.day)}"
        )

    def add_child(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            ChildForm(self.case, None, self._save(self.ctx.cases.save_child), self)
        )

    def edit_child(self) -> RecordForm | None:
        child = self.children.selected()
        if self.case is None or child is None:
            return None
        return self.open_form(
            ChildForm(self.case, child, self._save(self.ctx.cases.save_child), self)
        )

    def delete_child(self) -> None:
        child = self.children.selected()
        if child is not None:
            self._delete("child", child.id, child.version, child.name)

    def add_party(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            PartyForm(
                self.case,
                None,
                self._save(self.ctx.cases.save_party),
                self,
                save_child=self._child_saver(),
            )
        )

    def edit_party(self) -> RecordForm | None:
        row: PartyRow | None = self.parties.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            PartyForm(
                self.case,
                row.party,
                self._save(self.ctx.cases.save_party),
                self,
                save_child=self._child_saver(),
            )
        )

    def delete_party(self) -> None:
        row: PartyRow | None = self.parties.selected()
        if row is not None:
            self._delete("party", row.party.row_id, row.party.version, row.party.name)

    def add_assessment(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            AssessmentForm(
                self.case,
                None,
                self._save(self.ctx.cases.save_assessment),
                self,
                save_child=self._child_saver(),
            )
        )

    def edit_assessment(self) -> RecordForm | None:
        row: AssessmentRow | None = self.assessments.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            AssessmentForm(
                self.case,
                row.assessment,
                self._save(self.ctx.cases.save_assessment),
                self,
                save_child=self._child_saver(),
            )
        )

    def delete_assessment(self) -> None:
        row: AssessmentRow | None = self.assessments.selected()
        if row is not None:
            item = row.assessment
            self._delete("assessment", item.id, item.version, item.title)

    def add_action(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            ActionForm(self.case, None, self._save(self.ctx.cases.save_action), self)
        )

    def edit_action(self) -> RecordForm | None:
        row: ActionRow | None = self.actions.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            ActionForm(self.case, row.action, self._save(self.ctx.cases.save_action), self)
        )

    def delete_action(self) -> None:
        row: ActionRow | None = self.actions.selected()
        if row is not None:
            self._delete("action", row.action.id, row.action.version, row.action.action)

    def add_concern(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            ConcernForm(
                self.case,
                None,
                self._save(self.ctx.cases.save_concern),
                self,
                save_child=self._child_saver(),
            )
        )

    def edit_concern(self) -> RecordForm | None:
        row: ConcernRow | None = self.concerns.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            ConcernForm(
                self.case,
                row.concern,
                self._save(self.ctx.cases.save_concern),
                self,
                save_child=self._child_saver(),
            )
        )

    def delete_concern(self) -> None:
        row: ConcernRow | None = self.concerns.selected()
        if row is not None:
            self._delete(
                "concern", row.concern.id, row.concern.version, f"the worry “{_short(row)}”"
            )

    def add_strength(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            StrengthForm(
                self.case,
                None,
                self._save(self.ctx.cases.save_strength),
                self,
                save_child=self._child_saver(),
            )
        )

    def edit_strength(self) -> RecordForm | None:
        row: ConcernRow | None = self.strengths.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            StrengthForm(
                self.case,
                row.concern,
                self._save(self.ctx.cases.save_strength),
                self,
                save_child=self._child_saver(),
            )
        )

    def delete_strength(self) -> None:
        row: ConcernRow | None = self.strengths.selected()
        if row is not None:
            self._delete(
                "strength", row.concern.id, row.concern.version, f"the strength “{_short(row)}”"
            )

    def add_keep_apart(self, protect: str | None = None) -> RecordForm | None:
        """Keep people apart; the person selected in the People tab is the one protected."""
        if self.case is None:
            return None
        if not isinstance(protect, str):
            selected: PartyRow | None = self.parties.selected()
            protect = selected.party.id if selected is not None else None
        return self.open_form(
            KeepApartForm(
                self.case, None, self._save(self.ctx.cases.save_keep_apart), self, protect=protect
            )
        )

    def edit_keep_apart(self) -> RecordForm | None:
        row: ApartRow | None = self.keep_apart.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            KeepApartForm(self.case, row.apart, self._save(self.ctx.cases.save_keep_apart), self)
        )

    def delete_keep_apart(self) -> None:
        row: ApartRow | None = self.keep_apart.selected()
        if row is not None:
            self._delete(
                "keep_apart",
                row.apart.id,
                row.apart.version,
                f"the arrangement keeping {row.kept_from} apart from {row.protect}",
            )

    def edit_details(self) -> RecordForm | None:
        if self.case is None:
            return None
        case = self.case
        version = case.version

        def save(record: Any) -> Any:
            header, _children = record
            assert version is not None
            return self.ctx.cases.update_header(header, version)

        try:
            choices = self.ctx.cases.staff_choices()
        except Exception as error:
            dialogs.show_error(self, "Case details", describe(error))
            return None
        return self.open_form(CaseDetailsForm(save, case=case, choices=choices, parent=self))

    def _delete(self, kind: str, item_id: int | None, version: int | None, what: str) -> None:
        if item_id is None or version is None:
            return
        if not dialogs.confirm(
            self,
            "Delete from the case",
            f"Delete {what} from case {self.reference}? The audit trail keeps a record of it.",
            "Delete",
        ):
            return
        try:
            try:
                self.ctx.cases.delete_item(self.reference, kind, item_id, version)
            except ChronologyWarning as warning:
                texts = [finding.message for finding in warning.warnings] or [str(warning)]
                if not dialogs.confirm_warnings(self, f"Delete {what}", texts):
                    return
                self.ctx.cases.delete_item(self.reference, kind, item_id, version, confirm=True)
        except Exception as error:
            dialogs.show_error(self, "Not deleted", describe(error))
            self.reload()
            return
        self.reload()
        self.changed.emit(self.reference)


def _short(row: ConcernRow) -> str:
    text = row.concern.text
    return text if len(text) <= 60 else text[:57] + "..."
