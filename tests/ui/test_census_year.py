"""The window's census view counts the reporting year as the DfE does: 1 April to 31 March."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from plo_tracker.app import AppContext
from plo_tracker.domain.model import Child
from plo_tracker.exchange import document_to_json
from tests.builders import D, case, ev
from ui.widgets import census_view
from ui.widgets.census_view import CensusView


def test_the_census_view_shows_the_year_from_1_april(
    qtbot, sqlite_app: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(census_view, "today", lambda: dt.date(2026, 12, 5))
    cases = [
        case(
            ev("legal_planning_meeting", day, outcome="pre_proceedings"),
            ev("letter_before_proceedings", "2026-04-02", party="mother"),
            reference=reference,
            children=(Child(name="Fictional Child", date_of_birth=D(born), la_child_id=la_id),),
        )
        for day, reference, la_id, born in (
            ("2026-03-31", "CY-BEFORE", "CY0001", "2015-01-01"),
            ("2026-04-01", "CY-FIRST", "CY0002", "2016-01-01"),
        )
    ]
    sqlite_app.exchange.import_text(json.dumps(document_to_json(cases)))
    view = CensusView(sqlite_app)
    qtbot.addWidget(view)
    assert view.reference_date == dt.date(2027, 3, 31)
    census = view.load_census()
    assert census is not None
    assert view.summary.text().startswith(
        "Census year Wednesday 1 April 2026 to Wednesday 31 March 2027: 2 record(s) checked; "
        "1 error(s) keep 1 record(s) out of the file"
    )
    shown = {
        view.proxy.row_at(i).case: view.proxy.row_at(i).rule for i in range(view.proxy.rowCount())
    }
    assert shown == {"CY-BEFORE": "9005"}
    assert [r.case for r in census.written] == ["CY-FIRST"]
