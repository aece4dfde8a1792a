"""Issue 10 in the window, on SQLite and PostgreSQL: worries (concerns), the family group
decision-making records, and chronologies that are impossible (refused at the form) or
unusual (saved only when the user confirms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QApplication

from tests.ui.conftest import MANAGER, SOCIAL_WORKER, DialogLog
from ui.main_window import MainWindow
from ui.widgets.case_view import CaseView
from ui.widgets.forms import ConcernForm, EventForm


def open_case_with(window: MainWindow, *kinds: str) -> CaseView:
    """An open case of this person's list whose events include all of ``kinds`` (of their own
    team, for a social worker: issue 22)."""
    for row in window.case_list.model.rows():
        if row.is_open and window.ctx.actor.may_write_team(row.team):
            case = window.ctx.cases.get(row.reference)
            types = {e.type for e in case.events}
            if set(kinds) <= types and len(case.parties) >= 2:
                return window.open_case(row.reference)
    raise AssertionError(f"no open demo case with {kinds}")


def first(case: Any, kind: str) -> dt.date:
    return min(e.date for e in case.events if e.type == kind)


def test_worries_are_written_ticked_audited_and_shown_with_the_flags(
    qtbot: Any, db_window: Any, dialog_log: DialogLog
) -> None:
    window = db_window(SOCIAL_WORKER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findData("all"))
    view = open_case_with(window, "letter_before_proceedings")
    before = len(view.case.concerns)
    view.tabs.setCurrentWidget(view.concerns_page)
    assert view.tabs.tabText(view.tabs.indexOf(view.concerns_page)).startswith("C&oncerns")

    # Checked as typed: no words, no save.
    form = view.add_concern()
    assert isinstance(form, ConcernForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    assert not form.save_button.isEnabled()
    assert "What we are worried about" in form.message.text()
    assert form.household.text().startswith("About the whole household")
    qtbot.keyClicks(form.text, "Jayden has missed 12 days of school since September.")
    mother = view.case.parties[0]
    form.people[mother.id].setChecked(True)
    assert form.household.text() == f"About: {mother.name} ({mother.relationship})."
    assert form.save(), form.message.text()

    saved = window.ctx.cases.get(view.reference).concerns
    assert len(saved) == before + 1
    worry = saved[-1]
    assert worry.about == (mother.id,) and not worry.household
    rows = {r.concern.text: r for r in view.concerns.model.rows()}
    assert rows[worry.text].about == f"{mother.name} ({mother.relationship})"
    # A second one about nobody in particular: the whole household.
    form = view.add_concern()
    qtbot.keyClicks(form.text, "The home has no working heating.")
    assert form.save()
    assert window.ctx.cases.get(view.reference).concerns[-1].household
    rows = {r.concern.text: r for r in view.concerns.model.rows()}
    assert rows["The home has no working heating."].about == "The whole household"
    # Beside the flags, where a manager reads them.
    worries = view.flags_page.worries.text()
    assert "Jayden has missed 12 days" in worries and "(about the whole household)" in worries
    # Audited, in words.
    trail = [line.text() for line in window.ctx.audit.trail_in_words(view.reference)]
    assert any(t.startswith("Megan Hughes added the worry “Jayden has missed") for t in trail)

    # Changed with the version seen; deleting asks first.
    def select(text: str) -> None:
        for number in range(view.concerns.proxy.rowCount()):
            if view.concerns.proxy.row_at(number).concern.text == text:
                view.concerns.table.selectRow(number)
                return
        raise AssertionError(text)

    select("The home has no working heating.")
    form = view.edit_concern()
    form.text.setPlainText("The home had no working heating in November.")
    assert form.save()
    assert window.ctx.cases.get(view.reference).concerns[-1].text.startswith("The home had")
    select("The home had no working heating in November.")
    view.delete_concern()
    assert "Delete the worry “The home had" in dialog_log.confirms[-1][1]
    assert len(window.ctx.cases.get(view.reference).concerns) == before + 1
    assert dialog_log.errors == []


def test_family_meeting_answers_and_the_managers_decision_not_to_offer(
    qtbot: Any, db_window: Any, dialog_log: DialogLog
) -> None:
    worker = db_window(SOCIAL_WORKER)
    worker.case_list.scope.setCurrentIndex(worker.case_list.scope.findData("all"))
    view = open_case_with(worker, "letter_before_proceedings")
    letter = first(view.case, "letter_before_proceedings")
    # Only a manager may record the decision not to offer a family meeting.
    form = view.add_event("fgdm_response")
    kinds = [form.type_combo.itemData(i) for i in range(form.type_combo.count())]
    assert "fgdm_response" in kinds and "fgdm_not_offered" not in kinds
    assert form.event_type() == "fgdm_response"
    caption = form.form.labelForField(form.party)
    assert caption.text() == "Who a&nswered:" and caption.isVisible()
    assert form.response.isVisible() and not form.rationale.isVisible()
    form.date.set_value(letter + dt.timedelta(days=2))
    answered_that_day = sum(
        e.type == "fgdm_response" and e.date == letter + dt.timedelta(days=2)
        for e in view.case.events
    )
    assert not form.save_button.isEnabled()  # who answered, and what, are needed
    party = view.case.parties[0]
    form.party.setCurrentIndex(form.party.findData(party.id))
    form.response.setCurrentIndex(form.response.findData("declined"))
    assert form.save(), form.message.text()
    day = letter + dt.timedelta(days=2)
    events = worker.ctx.cases.get(view.reference).events
    answer = next(e for e in events if e.type == "fgdm_response" and e.date == day)
    assert (answer.party, answer.response) == (party.id, "declined")
    details = [
        r.details
        for r in view.chronology.model.rows()
        if r.record.type == "fgdm_response" and r.day == day
    ]
    # (the demo case may already hold an answer that day: this one is added to it)
    assert details[-1] == f"{party.name} ({party.relationship}) declined the offer"
    assert len(details) == answered_that_day + 1

    manager = db_window(MANAGER)
    mview = manager.open_case(view.reference)
    form = mview.add_event("fgdm_not_offered")
    assert form.event_type() == "fgdm_not_offered"
    assert form.decided_by.text() == "Ann Wright" and form.rationale.isVisible()
    form.date.set_value(letter + dt.timedelta(days=3))
    qtbot.keyClicks(form.rationale, "A meeting would put the child at risk (best interests).")
    assert form.save(), form.message.text()
    decided = [
        e for e in manager.ctx.cases.get(view.reference).events if e.type == "fgdm_not_offered"
    ]
    assert decided and decided[0].decided_by == "Ann Wright"
    assert dialog_log.errors == []


def test_an_impossible_chronology_is_refused_at_the_form(
    qtbot: Any, db_window: Any, dialog_log: DialogLog
) -> None:
    window = db_window(SOCIAL_WORKER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findData("all"))
    view = open_case_with(window, "pre_proceedings_meeting")
    before = window.ctx.cases.get(view.reference)
    meeting = first(before, "pre_proceedings_meeting")
    form = view.add_event("review_meeting")
    assert isinstance(form, EventForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    form.date.set_value(meeting - dt.timedelta(days=1))
    assert not form.save_button.isEnabled()
    assert "review" in form.message.text().lower()
    assert form.message.text().startswith("Not ready to save.")
    assert not form.save()
    form.discard()
    assert window.ctx.cases.get(view.reference) == before


def test_an_unusual_order_is_saved_only_when_confirmed(
    qtbot: Any, db_window: Any, dialog_log: DialogLog
) -> None:
    window = db_window(SOCIAL_WORKER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findData("all"))
    view = open_case_with(window, "letter_before_proceedings")
    reference = view.reference
    letter = first(view.case, "letter_before_proceedings")
    party = view.case.parties[0]
    form = view.add_event("fgdm_response")
    form.date.set_value(letter - dt.timedelta(days=1))  # an answer before the offer
    form.party.setCurrentIndex(form.party.findData(party.id))
    form.response.setCurrentIndex(form.response.findData("accepted"))
    assert form.save_button.isEnabled(), "possible, so not refused as it is typed"

    dialog_log.warnings_answer = False
    assert not form.save()
    assert form.isVisible()
    assert dialog_log.warnings and "before the first letter" in " ".join(dialog_log.warnings[-1])
    assert form.message.text().startswith("Not saved: check the dates")
    day = letter - dt.timedelta(days=1)

    def answers() -> list[Any]:
        return [
            e
            for e in window.ctx.cases.get(reference).events
            if e.type == "fgdm_response" and e.date == day
        ]

    assert answers() == []

    dialog_log.warnings_answer = True
    assert form.save()
    assert len(dialog_log.warnings) == 2
    assert [e.response for e in answers()] == ["accepted"]
    assert dialog_log.errors == []
