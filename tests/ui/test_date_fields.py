"""Issue 10, item 5: dates the user typed are never changed silently, in every date field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from plo_tracker import clock
from tests.ui.conftest import SOCIAL_WORKER
from ui.widgets.forms import AssessmentForm, BookingForm, CaseDetailsForm, ChildForm, EventForm
from ui.widgets.inputs import DateEdit, OptionalDate

TODAY = clock.today()


@pytest.mark.parametrize("typed", ["29/11/2026", "29 Nov 2026", "2026-11-29", "29 November 2026"])
def test_the_usual_ways_are_understood_and_written_back_in_full(qtbot: Any, typed: str) -> None:
    field = DateEdit()
    qtbot.addWidget(field)
    field.show()
    field.edit.setFocus()
    qtbot.keyClicks(field.edit, typed)
    assert field.value() == dt.date(2026, 11, 29)
    assert field.problem() is None
    field.edit.clearFocus()
    field._left()  # what leaving the field does
    assert field.text() == "29 Nov 2026", "shown back as it was read (day first)"


def test_31_february_is_an_error_at_the_field_never_28_february(qtbot: Any) -> None:
    field = DateEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.keyClicks(field.edit, "31 Feb 2026")
    assert field.value() is None
    assert field.text() == "31 Feb 2026", "what was typed stays as typed"
    field.show_problem()
    assert field.problem_label.isVisible()
    assert "'31 Feb 2026' is not a real date: February 2026 has 28 days." in (
        field.problem_label.text()
    )


def test_anything_else_is_refused_with_an_example(qtbot: Any) -> None:
    field = DateEdit()
    qtbot.addWidget(field)
    field.set_text("next Tuesday")
    assert field.value() is None
    assert "29/11/2026" in (field.problem() or "")
    field.set_text("11/29/2026")  # US order
    assert "no month 29" in (field.problem() or "")


def test_the_calendar_fills_the_field(qtbot: Any) -> None:
    field = DateEdit()
    qtbot.addWidget(field)
    field.show()
    field._picked(field.calendar.selectedDate().addDays(-3))
    assert field.value() == TODAY - dt.timedelta(days=3)


def test_an_optional_date_may_be_empty_but_not_wrong(qtbot: Any) -> None:
    field = OptionalDate("Completed on", None)
    qtbot.addWidget(field)
    assert field.value() is None and field.problem() is None
    field.check.setChecked(True)
    assert field.value() is None and "Type a date" in (field.problem() or "")
    field.date.set_text("30/02/2026")
    assert "February 2026 has 28 days" in (field.problem() or "")


def test_no_date_of_birth_or_event_date_defaults_to_today(window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    view = window.open_case(window.case_list.visible_references()[0])
    case = view.case

    def saver(*_args: Any, **_options: Any) -> None:
        return None

    # Forms belong to the case view, as in the window (Qt deletes them, not Python's GC).
    for form, field in (
        (EventForm(case, None, window.actor, saver, view), "date"),
        (ChildForm(case, None, saver, view), "date"),
        (BookingForm(case, None, saver, view), "date"),
        (AssessmentForm(case, None, saver, view), "commissioned"),
        (CaseDetailsForm(saver, actor=window.actor, parent=view), "child_date"),
    ):
        assert getattr(form, field).text() == "", type(form).__name__
        assert not form.save_button.isEnabled()
        form.discard()
        form.deleteLater()


def test_an_impossible_date_in_a_form_is_shown_at_the_field_and_saves_nothing(
    qtbot: Any, window_as: Any
) -> None:
    window = window_as(SOCIAL_WORKER)
    reference = window.case_list.visible_references()[0]
    view = window.open_case(reference)
    before = window.ctx.cases.get(reference)
    form = view.add_booking()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    form.date.edit.setFocus()
    qtbot.keyClicks(form.date.edit, "31/04/2027")
    form.place.setFocus()
    assert form.date.problem_label.isVisible()
    assert "April 2027 has 30 days" in form.date.problem_label.text()
    assert not form.save_button.isEnabled()
    assert "April 2027 has 30 days" in form.message.text()
    assert not form.save()
    form.discard()
    assert window.ctx.cases.get(reference) == before
