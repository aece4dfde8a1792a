"""Issue 20 in the window: who is whose (per-child ties and PR), who is kept apart, whose facts
are whose, and who a meeting is for (item 2; the window side of item 3).

Everything goes through the real window's widgets on a real database: the contract's blended
family (PLO-2024-0031) imported, or a demo case entered by hand. What is asserted is what a
user sees (the lists, the banner, the form's message) and what was saved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QApplication

from plo_tracker.domain.dates import long_date
from tests.ui.conftest import LEGAL, MANAGER, SOCIAL_WORKER, DialogLog
from tests.ui.family_case import (
    ALFIE_FATHER,
    GRAN,
    MOTHER,
    RUBY_FATHER,
    import_family,
    weekend_day_ahead,
    working_day_ahead,
)
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
