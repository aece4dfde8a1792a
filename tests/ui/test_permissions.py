"""The role decides what the window offers; anything refused says why and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt

from plo_tracker import clock
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog
from tests.ui.test_social_worker import case_with_flag, column_texts
from ui.models.case_items import ChronologyModel
from ui.widgets.forms import ChildForm, EventForm


def test_a_social_worker_may_not_change_a_managers_decision(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = case_with_flag(window, "review_due")
    view = window.open_case(reference)
    whats = column_texts(view.chronology.table, ChronologyModel.WHAT)
    assert "Management oversight" in whats
    view.chronology.table.selectRow(whats.index("Management oversight"))
    assert not view.chronology.edit_button.isEnabled()
    assert not view.chronology.delete_button.isEnabled()
    assert view.chronology.reason.isVisible()
    assert "a social worker may not record management oversight" in view.chronology.reason.text()
    # Their own kind of entry is fine.
    view.chronology.table.selectRow(whats.index("Legal planning meeting"))
    assert view.chronology.edit_button.isEnabled()
    assert not view.chronology.reason.isVisible()
    # The event form does not offer managers' decisions to a social worker.
    form = view.add_event()
    assert isinstance(form, EventForm)
    offered = [form.type_combo.itemData(i) for i in range(form.type_combo.count())]
    assert "management_oversight" not in offered
    assert "extension_agreed" not in offered
    assert "pre_proceedings_meeting" in offered
    form.reject()


def test_a_manager_is_offered_oversight_events(window_as: Any) -> None:
    window = window_as(MANAGER)
    reference = case_with_flag(window, "review_due")
    view = window.open_case(reference)
    form = view.add_event()
    offered = [form.type_combo.itemData(i) for i in range(form.type_combo.count())]
    assert "management_oversight" in offered
    form.type_combo.setCurrentIndex(form.type_combo.findData("management_oversight"))
    assert form.decided_by.text() == "Ann Wright"
    assert "Rationale" in form.message.text()
    form.reject()


def test_legal_liaison_records_letters_but_not_other_changes(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(LEGAL)
    assert not window.new_case_action.isEnabled()
    assert "may not create cases" in window.new_case_action.toolTip()
    assert window.drift_review is None
    reference = case_with_flag(window, "letter_due")
    view = window.open_case(reference)
    assert not view.details_button.isEnabled()
    view.tabs.setCurrentWidget(view.children)
    assert not view.children.add_buttons[0].isEnabled()
    assert "a legal liaison may not create and edit cases" in view.children.reason.text()
    assert not view.chronology.add_buttons[1].isEnabled()  # booking meetings

    form = view.add_event()
    offered = {form.type_combo.itemData(i) for i in range(form.type_combo.count())}
    assert offered == {
        "letter_before_proceedings",
        "letter_of_issue",
        "proceedings_issued",
        "hearing",
        "court_extension",
        "proceedings_concluded",
    }
    form.type_combo.setCurrentIndex(form.type_combo.findData("letter_before_proceedings"))
    form.date.set_value(clock.today())
    form.save_button.click()
    assert "Letter before proceedings sent" in column_texts(
        view.chronology.table, ChronologyModel.WHAT
    )
    assert dialog_log.errors == []


def test_a_refused_call_shows_the_core_refusal_in_the_form(qtbot: Any, window_as: Any) -> None:
    """Even if a form is reached (here directly), the service refuses and says why."""
    window = window_as(LEGAL)
    reference = case_with_flag(window, "letter_due")
    view = window.open_case(reference)
    before = window.ctx.cases.get(reference)
    form = view.add_child()
    assert isinstance(form, ChildForm)
    qtbot.keyClicks(form.name, "Noah Test")
    form.date.set_value(dt.date(2021, 1, 2))
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert "a legal liaison may not create and edit cases" in form.message.text()
    assert "Nothing was changed" in form.message.text()
    form.reject()
    assert window.ctx.cases.get(reference) == before


def test_everyone_sees_the_audit_trail(window_as: Any) -> None:
    for user in (SOCIAL_WORKER, MANAGER, LEGAL):
        window = window_as(user)
        reference = window.case_list.visible_references()[0]
        view = window.open_case(reference)
        assert view.audit_model is not None
        assert view.audit_model.rowCount() >= 1
        # The trail reads as sentences with names (issue 13), oldest entry an import.
        assert "imported the case" in column_texts(view.audit_table, 2)[-1]
