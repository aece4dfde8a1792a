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
from plo_tracker.errors import ChronologyWarning
from ui import dialogs, formats
from ui.errors import describe
from ui.models.case_items import ActionRow, ConcernRow
from ui.widgets.forms import (
    ActionForm,
    AssessmentForm,
    BookingForm,
    CaseDetailsForm,
    ChildForm,
    ConcernForm,
    EventForm,
    PartyForm,
    RecordForm,
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

    def reload(self) -> None:
        raise NotImplementedError

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

    def add_booking(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            BookingForm(self.case, None, self._save(self.ctx.cases.save_booking), self)
        )

    def edit_chronology(self) -> RecordForm | None:
        row = self.chronology.selected()
        if self.case is None or row is None:
            return None
        if isinstance(row.record, Booking):
            return self.open_form(
                BookingForm(self.case, row.record, self._save(self.ctx.cases.save_booking), self)
            )
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
            PartyForm(self.case, None, self._save(self.ctx.cases.save_party), self)
        )

    def edit_party(self) -> RecordForm | None:
        party = self.parties.selected()
        if self.case is None or party is None:
            return None
        return self.open_form(
            PartyForm(self.case, party, self._save(self.ctx.cases.save_party), self)
        )

    def delete_party(self) -> None:
        party = self.parties.selected()
        if party is not None:
            self._delete("party", party.row_id, party.version, party.name)

    def add_assessment(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            AssessmentForm(self.case, None, self._save(self.ctx.cases.save_assessment), self)
        )

    def edit_assessment(self) -> RecordForm | None:
        item = self.assessments.selected()
        if self.case is None or item is None:
            return None
        return self.open_form(
            AssessmentForm(self.case, item, self._save(self.ctx.cases.save_assessment), self)
        )

    def delete_assessment(self) -> None:
        item = self.assessments.selected()
        if item is not None:
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
            ConcernForm(self.case, None, self._save(self.ctx.cases.save_concern), self)
        )

    def edit_concern(self) -> RecordForm | None:
        row: ConcernRow | None = self.concerns.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            ConcernForm(self.case, row.concern, self._save(self.ctx.cases.save_concern), self)
        )

    def delete_concern(self) -> None:
        row: ConcernRow | None = self.concerns.selected()
        if row is not None:
            text = row.concern.text
            short = text if len(text) <= 60 else text[:57] + "..."
            self._delete("concern", row.concern.id, row.concern.version, f"the worry “{short}”")

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
