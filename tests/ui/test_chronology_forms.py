"""Every impossible chronology is refused at the form in the window, on SQLite and PostgreSQL.

The same rules as an import (``tests/test_chronology.py``): the user fills the real form
with the record that would break the rule, the form says what is wrong before Save, Save
does nothing, and the case is as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from plo_tracker.domain import chronology
from plo_tracker.domain.model import Event
from plo_tracker.exchange import case_to_json
from tests.builders import D, ev
from tests.test_chronology import ERROR_CASES, base
from tests.ui.conftest import MANAGER, DialogLog
from ui.widgets.case_view import CaseView
from ui.widgets.forms import AssessmentForm, EventForm


@dataclass
class Attempt:
    """What the user types for one rule; ``before`` are saved first (they are fine)."""

    kind: str  # an event type, or "assessment"
    fill: dict[str, Any]
    before: list[Event] = field(default_factory=list)


ATTEMPTS: dict[str, Attempt] = {
    "before_conception": Attempt("fgc_held", {"date": D("2017-01-02")}),
    "before_legal_planning": Attempt(
        "letter_before_proceedings", {"date": D("2024-02-01"), "party": "mother"}
    ),
    "meeting_before_letter": Attempt("pre_proceedings_meeting", {"date": D("2024-02-06")}),
    "review_before_first_meeting": Attempt("review_meeting", {"date": D("2024-02-15")}),
    "issue_without_decision": Attempt("proceedings_issued", {"date": D("2024-05-01")}),
    "extension_ends_before_start": Attempt(
        "extension_agreed",
        {"date": D("2024-05-01"), "until": D("2024-05-01"), "rationale": "More time."},
    ),
    "review_until_before_date": Attempt(
        "management_oversight",
        {
            "date": D("2024-05-01"),
            "until_optional": D("2024-04-01"),
            "rationale": "Accepted.",
            "rule": "review_due",
        },
    ),
    "letter_of_issue_before_issue": Attempt(
        "letter_of_issue",
        {"date": D("2024-05-09"), "party": "mother"},
        before=[
            ev("decision_to_issue", "2024-05-01", decided_by="Ann Wright"),
            ev("proceedings_issued", "2024-05-10"),
        ],
    ),
    "court_before_issue": Attempt(
        "hearing",
        {"date": D("2024-05-09"), "kind": "case_management"},
        before=[
            ev("decision_to_issue", "2024-05-01", decided_by="Ann Wright"),
            ev("proceedings_issued", "2024-05-10"),
        ],
    ),
    "assessment_due_before_commissioned": Attempt(
        "assessment",
        {"title": "Viability", "commissioned": D("2024-03-01"), "due": D("2024-02-01")},
    ),
    "assessment_completed_before_commissioned": Attempt(
        "assessment",
        {
            "title": "Viability",
            "commissioned": D("2024-03-01"),
            "due": D("2024-04-01"),
            "completed": D("2024-02-27"),
        },
    ),
}


def test_every_error_rule_has_a_window_attempt() -> None:
    assert set(ATTEMPTS) == chronology.ERROR_RULES == set(ERROR_CASES)


def choose(combo: Any, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def fill(form: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        widget = getattr(form, name)
        if name in ("party", "rule", "kind"):
            choose(widget, value)
        elif name == "rationale":
            widget.setPlainText(value)
        elif name == "title":
            widget.setText(value)
        else:
            widget.set_value(value)


@pytest.mark.parametrize("rule", sorted(ATTEMPTS))
def test_the_form_refuses_each_impossible_chronology(
    qtbot: Any, app: Any, db_window: Callable[[str], Any], dialog_log: DialogLog, rule: str
) -> None:
    attempt = ATTEMPTS[rule]
    app.exchange.import_text(
        json.dumps(
            {"format": "plo-tracker-cases", "version": 2, "cases": [case_to_json(base())]}
        )
    )
    for event in attempt.before:
        app.cases.save_event("PLO-CHRON-1", event)
    before = app.cases.get("PLO-CHRON-1")
    window = db_window(MANAGER)  # a manager may record every kind of event
    view = window.open_case("PLO-CHRON-1")
    assert isinstance(view, CaseView)
    if attempt.kind == "assessment":
        form = view.add_assessment()
        assert isinstance(form, AssessmentForm)
    else:
        form = view.add_event(attempt.kind)
        assert isinstance(form, EventForm)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    fill(form, attempt.fill)
    form.revalidate()
    words = ERROR_CASES[rule][2]
    assert not form.save_button.isEnabled(), form.message.text()
    assert form.message.text().startswith("Not ready to save."), form.message.text()
    assert words in form.message.text()
    assert not form.save()
    form.discard()
    assert app.cases.get("PLO-CHRON-1") == before
    assert dialog_log.errors == []
