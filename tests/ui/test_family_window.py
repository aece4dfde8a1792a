"""Issue 20 in the window: who is whose (per-child ties and PR), who is kept apart, whose facts
are whose, and who a meeting is for (item 2; the window side of item 3).

Everything goes through the real window's widgets on a real database: the contract's blended
family (PLO-2024-0031) imported, or a demo case entered by hand. What is asserted is what a
user sees (the lists, the banner, the form's message) and what was saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QApplication

from plo_tracker import clock
from plo_tracker.domain.dates import long_date
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog
from tests.ui.family_case import (
    ALFIE_FATHER,
    FAMILY,
    GRAN,
    MOTHER,
    RUBY_FATHER,
    import_family,
    weekend_day_ahead,
    working_day_ahead,
)
from ui.models.case_items import ChildrenModel
from ui.models.family import PartiesModel
from ui.widgets.case_view import CaseView
from ui.widgets.forms import (
    AssessmentForm,
    BookingForm,
    ChildForm,
    ConcernForm,
    EventForm,
    KeepApartForm,
    PartyForm,
    StrengthForm,
)


def family_view(window: Any) -> CaseView:
    reference = import_family(window.ctx)
    return window.open_case(reference)


def select_person(view: CaseView, key: str) -> None:
    view.tabs.setCurrentWidget(view.people_page)
    for number in range(view.parties.proxy.rowCount()):
        if view.parties.proxy.row_at(number).party.id == key:
            view.parties.table.selectRow(number)
            return
    raise AssertionError(key)


def select_row(section: Any, matches: Any) -> None:
    for number in range(section.proxy.rowCount()):
        if matches(section.proxy.row_at(number)):
            section.table.selectRow(number)
            return
    raise AssertionError("no such row")


def cells(section: Any, column: int) -> list[str]:
    model = section.table.model()
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def a_case_without_child_keys(window: Any) -> CaseView:
    """An open demo case with two children or more, none with a short name yet."""
    for row in window.case_list.model.rows():
        if not window.ctx.actor.may_write_team(row.team):
            continue  # a social worker changes only their own team's cases
        case = window.ctx.cases.get(row.reference)
        if row.is_open and len(case.children) >= 2 and not any(c.key for c in case.children):
            return window.open_case(row.reference)
    raise AssertionError("no demo case with two children without short names")


# -- the people grid: per-child ties and PR ------------------------------------------------------


def test_a_person_tied_to_one_child_gives_the_children_short_names(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findData("all"))
    view = a_case_without_child_keys(window)
    first, second = view.case.children[0], view.case.children[1]
    view.tabs.setCurrentWidget(view.people_page)
    form = view.add_party()
    assert isinstance(form, PartyForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.keyClicks(form.name, "Dean Morgan")
    form.relationship.setCurrentText("father")
    form.pr.setChecked(True)
    # The same for every child (the version 2 meaning) until the user says otherwise.
    assert form.ties.same.isChecked() and not form.ties.grid_box.isVisible()
    assert "hold for every child" in form.ties.summary.text()
    form.ties.each.setChecked(True)
    assert form.ties.grid_box.isVisible() and not form.pr.isVisible()
    # The grid starts from what "the same for every child" meant, child by child.
    assert [c.currentText() for c in form.ties.relationships] == ["father"] * len(
        view.case.children
    )
    for combo in form.ties.relationships[1:]:
        combo.setCurrentText("")  # not tied to the other children
    form.ties.prs[0].setChecked(True)
    form.ties.prs[1].setChecked(True)  # PR for a child he is not tied to: explained
    assert not form.save_button.isEnabled()
    assert f"Parental responsibility for {second.name}" in form.message.text()
    form.ties.prs[1].setChecked(False)
    assert form.ties.summary.text().startswith(f"Father of {first.name} (parental responsibility)")
    assert form.save(), form.message.text()

    case = window.ctx.cases.get(view.reference)
    dean = next(p for p in case.parties if p.name == "Dean Morgan")
    key = first.name.split()[0].lower()
    assert case.children[0].key == key  # made from the first name, when first needed
    # Once one child is named, every child needs a short name (the format's rule).
    assert all(c.key for c in case.children)
    assert [
        (link.child, link.relationship, link.parental_responsibility) for link in dean.children
    ] == [(key, "father", True)]
    row = next(r for r in view.parties.model.rows() if r.party.name == "Dean Morgan")
    assert row.ties == f"{first.name}: father (PR)"
    assert row.pr == (f"For {first.name}" if len(case.children) > 1 else "Yes")
    # The short name is the child's to change, in the child's form: the tie follows it.
    view.tabs.setCurrentWidget(view.children)
    select_row(view.children, lambda c: c.name == first.name)
    child_form = view.edit_child()
    assert isinstance(child_form, ChildForm)
    assert child_form.key.text() == key
    child_form.key.setText(f"{key}_m")
    assert child_form.save(), child_form.message.text()
    dean = window.ctx.cases.get(view.reference).party(dean.id)
    assert dean.children[0].child == f"{key}_m"
    # Back to the same for every child: no ties listed (the version 2 meaning).
    select_person(view, dean.id)
    form = view.edit_party()
    assert form.ties.each.isChecked()
    assert form.ties.relationships[0].currentText() == "father"
    form.ties.same.setChecked(True)
    assert form.save(), form.message.text()
    assert window.ctx.cases.get(view.reference).party(dean.id).children is None
    assert dialog_log.errors == []


def test_the_blended_family_reads_per_child(window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    view.tabs.setCurrentWidget(view.people_page)
    rows = {r.party.id: r for r in view.parties.model.rows()}
    assert rows[ALFIE_FATHER].ties == "Alfie Morgan: father (PR); Baby Morgan: father"
    assert rows[ALFIE_FATHER].pr == "For Alfie Morgan"
    assert rows[RUBY_FATHER].ties == "Ruby Evans: father (PR)"
    assert rows[GRAN].ties == "Every child: the same"
    assert rows[GRAN].pr == "No"
    assert rows[MOTHER].apart == "Protected from Dean Morgan"
    assert rows[ALFIE_FATHER].apart == "Kept from Chloe Evans"
    shown = cells(view.parties, PartiesModel.TIES)
    assert "Alfie Morgan: father (PR); Baby Morgan: father" in shown
    select_person(view, ALFIE_FATHER)
    form = view.edit_party()
    assert form.ties.each.isChecked()
    assert [c.currentText() for c in form.ties.relationships] == ["", "father", "father"]
    assert [c.isChecked() for c in form.ties.prs] == [False, True, False]
    form.discard()


# -- keeping apart: who may record it, and the banner ----------------------------------------------


def test_the_safety_arrangement_is_at_the_top_whatever_tab_is_open(window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    expected = (
        "Keep apart: Dean Morgan must not learn where Chloe Evans lives or will be, or anything "
        "recorded about Chloe Evans; separate meetings only. (Domestic abuse: a "
        "non-molestation order protects the mother.)"
    )
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        assert view.safety.isVisible(), view.tabs.tabText(index)
        assert expected in view.safety.text.text()
        assert "Chloe Evans's address is confidential" in view.safety.text.text()
    # A case with no arrangement shows no banner.
    other = window.open_case(window.case_list.visible_references()[0])
    if not other.case.keep_apart and not any(p.address_confidential for p in other.case.parties):
        assert not other.safety.isVisible()


def test_only_managers_legal_liaison_and_administrators_keep_people_apart(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    worker = window_as(SOCIAL_WORKER)
    view = family_view(worker)
    select_person(view, MOTHER)
    apart = view.keep_apart
    # Read-only for a social worker: listed, every button off, and why.
    assert [(r.protect, r.kept_from) for r in apart.model.rows()] == [
        ("Chloe Evans", "Dean Morgan")
    ]
    apart.table.selectRow(0)
    assert apart.isVisible()
    assert not apart.add_buttons[0].isEnabled()
    assert not apart.edit_button.isEnabled() and not apart.delete_button.isEnabled()
    assert "a social worker may not record who must be kept apart" in apart.reason.text()
    assert apart.reason.isVisible()

    manager = window_as(MANAGER)
    mview = manager.open_case(view.reference)
    select_person(mview, GRAN)  # the person selected is the one protected
    form = mview.add_keep_apart()
    assert isinstance(form, KeepApartForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    assert form.protect.currentData() == GRAN
    assert not form.kept_from.checks[GRAN].isEnabled()  # nobody is kept from themselves
    assert not form.save_button.isEnabled()
    form.kept_from.checks[ALFIE_FATHER].setChecked(True)
    assert "Dean Morgan must not learn where Pat Evans lives" in form.kept_from.summary.text()
    qtbot.keyClicks(form.reason, "Threats made to the grandmother; police advice.")
    assert form.save(), form.message.text()
    case = manager.ctx.cases.get(view.reference)
    assert [(a.protect, a.kept_from) for a in case.keep_apart] == [
        (MOTHER, (ALFIE_FATHER,)),
        (GRAN, (ALFIE_FATHER,)),
    ]
    assert "Dean Morgan must not learn where Pat Evans lives" in mview.safety.text.text()
    trail = [line.text() for line in manager.ctx.audit.trail_in_words(view.reference)]
    assert any(t.startswith("Ann Wright added the keep-apart arrangement") for t in trail), trail

    # Legal liaison may change it, though she may not edit the rest of the case.
    legal = window_as(LEGAL)
    lview = legal.open_case(view.reference)
    lview.tabs.setCurrentWidget(lview.people_page)
    select_row(lview.keep_apart, lambda r: r.apart.protect == GRAN)
    assert lview.keep_apart.edit_button.isEnabled()
    assert not lview.parties.add_buttons[0].isEnabled()
    form = lview.edit_keep_apart()
    form.reason.setPlainText("Threats made to the grandmother; police advice given.")
    assert form.save(), form.message.text()
    select_row(lview.keep_apart, lambda r: r.apart.protect == GRAN)
    lview.delete_keep_apart()
    assert (
        "Delete the arrangement keeping Dean Morgan apart from Pat Evans"
        in (dialog_log.confirms[-1][1])
    )
    assert len(legal.ctx.cases.get(view.reference).keep_apart) == 1
    # The social worker's form is never reached; the service refuses it anyway.
    view.reload()
    assert not view.keep_apart.add_buttons[0].isEnabled()
    assert dialog_log.errors == []


def test_a_person_cannot_be_kept_apart_from_someone_at_their_meeting(
    qtbot: Any, window_as: Any
) -> None:
    manager = window_as(MANAGER)
    view = family_view(manager)
    select_person(view, RUBY_FATHER)
    form = view.add_keep_apart()
    form.kept_from.checks[MOTHER].setChecked(True)
    qtbot.keyClicks(form.reason, "Harassment.")
    # Gareth and Chloe are both at the review meeting of 29 April 2024.
    assert not form.save_button.isEnabled()
    assert "must be kept apart" in form.message.text()
    form.discard()


# -- whose facts are whose ---------------------------------------------------------------------


def test_worries_strengths_and_assessments_say_whom_and_which_children(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    view.tabs.setCurrentWidget(view.concerns_page)
    rows = {r.concern.text: r for r in view.concerns.model.rows()}
    hit = rows["The police were called to the home three times after you hit Chloe."]
    assert (hit.about, hit.children) == ("Dean Morgan (father)", "Alfie Morgan")
    assert rows["Ruby has missed 19 days of school this term."].about == "The whole household"
    assert view.strengths.isVisible()  # beside the worries
    strengths = {r.concern.text: r for r in view.strengths.model.rows()}
    assert strengths["You have come to every family time visit."].about == "Chloe Evans (mother)"
    assert strengths["Ruby is doing well at her after-school club."].children == "Ruby Evans"
    assert "and strengths (2)" in view.tabs.tabText(view.tabs.indexOf(view.concerns_page))

    form = view.add_strength()
    assert isinstance(form, StrengthForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    qtbot.keyClicks(form.text, "Alfie's nursery says he is settled and happy.")
    form.children_list.checks["alfie"].setChecked(True)
    assert form.children_list.summary.text() == "About Alfie Morgan only."
    assert form.household.text().startswith("About the whole household")
    assert form.save(), form.message.text()
    saved = window.ctx.cases.get(view.reference).strengths[-1]
    assert (saved.about, saved.children) == ((), ("alfie",))
    strengths = {r.concern.text: r for r in view.strengths.model.rows()}
    assert strengths["Alfie's nursery says he is settled and happy."].children == "Alfie Morgan"

    form = view.add_concern()
    assert isinstance(form, ConcernForm)
    qtbot.keyClicks(form.text, "Ruby has told school she is frightened at home.")
    form.people[MOTHER].setChecked(True)
    form.children_list.checks["ruby"].setChecked(True)
    assert form.save(), form.message.text()
    worry = window.ctx.cases.get(view.reference).concerns[-1]
    assert (worry.about, worry.children) == ((MOTHER,), ("ruby",))

    view.tabs.setCurrentWidget(view.assessments)
    rows = {r.assessment.title: r for r in view.assessments.model.rows()}
    assert rows["Domestic abuse perpetrator assessment"].about == "Dean Morgan (father)"
    assert rows["Domestic abuse perpetrator assessment"].children == "Alfie Morgan and Baby Morgan"
    assert rows["Parenting assessment"].children == "All"
    form = view.add_assessment()
    assert isinstance(form, AssessmentForm)
    qtbot.keyClicks(form.title, "Viability assessment of the grandmother")
    form.commissioned.set_value(clock.today() - dt.timedelta(days=2))
    form.about_list.checks[GRAN].setChecked(True)
    assert form.about_list.summary.text() == "Assesses: Pat Evans (maternal grandmother)."
    assert form.save(), form.message.text()
    assessment = window.ctx.cases.get(view.reference).assessments[-1]
    assert (assessment.about, assessment.children) == ((GRAN,), ())
    assert dialog_log.errors == []


def test_naming_a_child_in_a_worry_gives_the_children_short_names(
    qtbot: Any, window_as: Any
) -> None:
    window = window_as(SOCIAL_WORKER)
    window.case_list.scope.setCurrentIndex(window.case_list.scope.findData("all"))
    view = a_case_without_child_keys(window)
    form = view.add_concern()
    qtbot.keyClicks(form.text, "The baby's cot is unsafe.")
    keys = list(form.children_list.checks)
    assert keys[0] == view.case.children[0].name.split()[0].lower()
    form.children_list.checks[keys[0]].setChecked(True)
    assert form.save(), form.message.text()
    case = window.ctx.cases.get(view.reference)
    assert [c.key for c in case.children] == keys
    assert case.concerns[-1].children == (keys[0],)
    view.tabs.setCurrentWidget(view.children)

    assert cells(view.children, ChildrenModel.KEY) == keys


# -- meetings: who they are for, refusals naming both meetings ------------------------------


def book(view: CaseView, qtbot: Any, day: dt.date, time: str, place: str, *who: str) -> BookingForm:
    form = view.add_booking()
    assert isinstance(form, BookingForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    form.kind.setCurrentIndex(form.kind.findData("review_meeting"))
    form.date.set_value(day)
    form.time.check.setChecked(True)
    form.time.time.setTime(QTime.fromString(time, "HH:mm"))
    form.place.setText(place)
    for key in who:
        form.attendees.checks[key].setChecked(True)
    return form


def test_bookings_say_who_they_are_for_and_refuse_what_the_rules_refuse(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    day = working_day_ahead(window.ctx)
    place = "Shirehall, meeting room 2"

    form = book(view, qtbot, day, "10:00", place)
    # Nobody ticked: said in words, and who that leaves out.
    assert form.attendees.summary.text() == (
        "Nobody ticked: for everyone who may meet everyone else (Gareth Evans and Pat Evans), "
        "not Chloe Evans or Dean Morgan, who are kept apart: tick whom each meeting is for, "
        "and book a separate one for each of them."
    )
    form.attendees.checks[MOTHER].setChecked(True)
    form.attendees.checks[ALFIE_FATHER].setChecked(True)
    assert not form.save_button.isEnabled()
    assert (
        "Chloe Evans and Dean Morgan must be kept apart, so they cannot both be at the review "
        f"meeting on {long_date(day)} at 10:00 at {place}" in form.message.text()
    )
    form.attendees.checks[ALFIE_FATHER].setChecked(False)
    form.attendees.checks[RUBY_FATHER].setChecked(True)
    assert form.attendees.summary.text() == "For Chloe Evans and Gareth Evans only."
    assert form.save(), form.message.text()
    booked = [b for b in window.ctx.cases.get(view.reference).scheduled if b.date == day]
    assert [b.attendees for b in booked] == [(MOTHER, RUBY_FATHER)]
    rows = [r for r in view.chronology.model.rows() if r.day == day]
    assert rows[0].details == f"10am, {place}; for Chloe Evans and Gareth Evans"

    # Dean's meeting at the same place: 119 minutes apart refused, naming both meetings.
    form = book(view, qtbot, day, "11:59", place, ALFIE_FATHER)
    assert not form.save_button.isEnabled()
    message = form.message.text()
    when = f"{long_date(day)} at 11:59 at {place}"
    assert f"The review meeting on {when} (for Dean Morgan)" in message
    assert "is less than 2 hours from the review meeting on" in message
    assert f"at 10:00 at {place} (for Chloe Evans and Gareth Evans)" in message
    form.time.time.setTime(QTime(12, 0))  # 120 minutes: allowed
    assert form.save_button.isEnabled(), form.message.text()
    assert form.save(), form.message.text()

    # A date in the past is refused: a meeting that has happened is an event.
    form = book(view, qtbot, clock.today() - dt.timedelta(days=1), "10:00", "Guildhall", GRAN)
    assert not form.save_button.isEnabled()
    assert "is in the past" in form.message.text()
    assert "record a meeting that has happened as an event" in form.message.text()
    form.discard()

    # A weekend or a time outside 08:00-18:00 is possible, and confirmed on save.
    saturday = weekend_day_ahead()
    form = book(view, qtbot, saturday, "19:30", "Guildhall, room 4", GRAN)
    assert form.save_button.isEnabled()
    assert "you will be asked to confirm" in form.message.text()
    assert "is not a working day" in form.message.text()
    dialog_log.warnings_answer = False
    assert not form.save()
    assert "is not a working day" in " ".join(dialog_log.warnings[-1])
    assert "19:30 is outside 08:00 to 18:00." in dialog_log.warnings[-1]
    assert not any(b.date == saturday for b in window.ctx.cases.get(view.reference).scheduled)
    dialog_log.warnings_answer = True
    assert form.save()
    assert any(b.date == saturday for b in window.ctx.cases.get(view.reference).scheduled)
    assert dialog_log.errors == []


def test_a_booking_refused_at_save_names_the_meeting_booked_meanwhile(
    qtbot: Any, window_as: Any
) -> None:
    """Someone else books Dean's meeting while the form is open: the save is refused by
    the core with the message naming both meetings, shown in the form; nothing saved."""
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    day = working_day_ahead(window.ctx, weeks=4)
    place = "Guildhall, room 4"
    form = book(view, qtbot, day, "10:00", place, MOTHER)
    assert form.save_button.isEnabled()
    from plo_tracker.domain.model import Booking

    window.ctx.cases.save_booking(
        view.reference,
        Booking("review_meeting", day, dt.time(11, 0), place, attendees=(ALFIE_FATHER,)),
    )
    assert not form.save()
    message = form.message.text()
    assert f"at 10:00 at {place} (for Chloe Evans) is less than 2 hours from" in message
    assert f"at 11:00 at {place} (for Dean Morgan)" in message
    assert "Nothing was saved" in message
    booked = [b for b in window.ctx.cases.get(view.reference).scheduled if b.date == day]
    assert [b.attendees for b in booked] == [(ALFIE_FATHER,)]
    form.discard()


def test_meetings_record_who_came_and_that_one_did_not_go_ahead(
    qtbot: Any, window_as: Any, dialog_log: DialogLog
) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    form = view.add_event("review_meeting")
    assert isinstance(form, EventForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    assert form.came.isVisible() and form.not_ahead.isVisible()
    form.date.set_value(dt.date(2024, 4, 30))
    assert form.came.summary.text() == "Nobody ticked: who came is not recorded."
    form.came.checks[MOTHER].setChecked(True)
    form.came.checks[ALFIE_FATHER].setChecked(True)
    assert not form.save_button.isEnabled()
    assert "kept apart" in form.message.text()
    form.came.checks[MOTHER].setChecked(False)
    form.not_ahead.setChecked(True)
    assert form.came.box.title() == "Who it was for"
    assert form.came.summary.text() == "It was for Dean Morgan."
    assert form.save(), form.message.text()
    event = next(
        e
        for e in window.ctx.cases.get(view.reference).events
        if e.type == "review_meeting" and e.date == dt.date(2024, 4, 30)
    )
    assert (event.attendees, event.effective) == ((ALFIE_FATHER,), False)
    row = next(r for r in view.chronology.model.rows() if r.record == event)
    assert row.what == "Review meeting (did not go ahead)"
    assert row.details == "For: Dean Morgan"
    imported = next(r for r in view.chronology.model.rows() if r.day == dt.date(2024, 3, 18))
    assert imported.details == "Came: Chloe Evans, Gareth Evans and Pat Evans"
    # Other kinds of event have neither.
    form = view.add_event("fgc_held")
    assert not form.came.isVisible() and not form.not_ahead.isVisible()
    form.discard()
    assert dialog_log.errors == []


# -- what is listed for a person ---------------------------------------------------------------


def test_what_is_listed_for_a_person_never_lists_whom_they_are_kept_from(
    qtbot: Any, window_as: Any
) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    day = working_day_ahead(window.ctx)
    form = book(view, qtbot, day, "10:00", "Shirehall, meeting room 2", MOTHER, RUBY_FATHER)
    assert form.save(), form.message.text()
    form = book(view, qtbot, day, "14:00", "Guildhall, room 4", ALFIE_FATHER)
    assert form.save(), form.message.text()

    select_person(view, ALFIE_FATHER)
    dean = view.people_page.panel.plain_text()
    assert "For Dean Morgan (father)" in dean
    assert "Kept from Chloe Evans: nothing recorded about Chloe Evans is listed here" in dean
    assert "Father of Alfie Morgan (parental responsibility)" in dean
    assert f"The review meeting on {long_date(day)} at 14:00 at Guildhall, room 4" in dean
    assert "The police were called to the home three times" in dean  # about him
    assert "Domestic abuse perpetrator assessment" in dean
    assert "Start the domestic abuse programme" in dean
    for theirs in (
        "Shirehall",  # Chloe's meetings, where she will be
        "health checks",  # the worry about Chloe
        "every family time visit",  # the strength about Chloe
        "Parenting assessment",  # Chloe's assessment
        "Take Alfie to every health check",  # Chloe's plan action
        "Chloe Evans,",  # her name among who came
        "Ruby has missed",  # a household worry about a child he is not tied to
    ):
        assert theirs not in dean, theirs

    select_person(view, MOTHER)
    chloe = view.people_page.panel.plain_text()
    assert "Protected from Dean Morgan" in chloe
    assert "at 10:00 at Shirehall, meeting room 2 (for Chloe Evans and Gareth Evans)" in chloe
    assert "Guildhall" not in chloe and "The police were called" not in chloe
    assert "Pre-proceedings meeting, Monday 18 March 2024, with Gareth Evans and Pat Evans" in (
        chloe
    )
    select_person(view, GRAN)
    pat = view.people_page.panel.plain_text()
    assert "Ruby has missed 19 days of school this term." in pat  # the household's worry
    assert "Meetings booked for them\nNone." in pat  # every booking is for someone else


def test_the_family_on_both_databases(qtbot: Any, app: Any, db_window: Any) -> None:
    """SQLite and PostgreSQL: a manager keeps the grandmother apart too, and a booking for
    her is refused with Dean at the same meeting, then saved on its own."""
    import_family(app)
    window = db_window(MANAGER)
    view = window.open_case(FAMILY)
    assert view.safety.isVisible()
    select_person(view, GRAN)
    form = view.add_keep_apart()
    form.kept_from.checks[ALFIE_FATHER].setChecked(True)
    qtbot.keyClicks(form.reason, "Threats made to the grandmother.")
    assert form.save(), form.message.text()
    assert "Dean Morgan must not learn where Pat Evans lives" in view.safety.text.text()
    day = working_day_ahead(window.ctx)
    form = book(view, qtbot, day, "09:30", "Shirehall, meeting room 2", GRAN, ALFIE_FATHER)
    assert "Pat Evans and Dean Morgan must be kept apart" in form.message.text()
    form.attendees.checks[ALFIE_FATHER].setChecked(False)
    assert form.save(), form.message.text()
    booked = [b for b in window.ctx.cases.get(FAMILY).scheduled if b.date == day]
    assert [b.attendees for b in booked] == [(GRAN,)]


def test_a_new_child_in_a_case_that_names_children_is_given_a_short_name(
    qtbot: Any, window_as: Any
) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    view.tabs.setCurrentWidget(view.children)
    form = view.add_child()
    qtbot.keyClicks(form.name, "Ruby Morgan")
    assert form.key.text() == "ruby2"  # "ruby" is Ruby Evans's
    form.key.selectAll()
    qtbot.keyClicks(form.key, "ruby_m")
    qtbot.keyClicks(form.name, "-Rose")
    assert form.key.text() == "ruby_m"  # what the user typed is kept
    form.date.set_value(dt.date(2023, 1, 5))
    assert form.save(), form.message.text()
    assert window.ctx.cases.get(view.reference).children[-1].key == "ruby_m"


def test_a_court_hearing_is_booked_with_its_kind(qtbot: Any, window_as: Any) -> None:
    window = window_as(SOCIAL_WORKER)
    view = family_view(window)
    form = view.add_booking()
    assert not form.hearing.isVisible()
    form.kind.setCurrentIndex(form.kind.findData("hearing"))
    assert form.hearing.isVisible()
    form.date.set_value(working_day_ahead(window.ctx, weeks=6))
    form.attendees.checks[MOTHER].setChecked(True)
    assert not form.save_button.isEnabled()
    form.hearing.setCurrentIndex(form.hearing.findData("case_management"))
    assert form.save(), form.message.text()
    hearing = next(b for b in window.ctx.cases.get(view.reference).scheduled if b.type == "hearing")
    assert (hearing.kind, hearing.attendees) == ("case_management", (MOTHER,))
