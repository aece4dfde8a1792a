"""Rows, CSV and Excel of the timeliness report: the cases behind figures; no formulas."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from openpyxl import load_workbook

from plo_tracker.cli.common import csv_text
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.reports.export import (
    CASE_HEADERS,
    FIGURE_HEADERS,
    MATRIX_HEADERS,
    case_rows,
    csv_bytes,
    figure_rows,
    matrix_rows,
    xlsx_bytes,
)
from plo_tracker.reports.timeliness import timeliness_report
from tests.builders import D
from tests.reports import handmade as hm

HOSTILE = '=HYPERLINK("http://example.invalid","x")'


def report(cases=hm.ALL):  # type: ignore[no-untyped-def]
    return timeliness_report(cases, Policy(), WorkingCalendar(), D("2024-01-01"), D("2024-06-30"))


def test_matrix_and_case_rows() -> None:
    r = report()
    rows = matrix_rows(r.teams)
    assert len(rows[0]) == len(MATRIX_HEADERS)
    team_a = rows[1]
    assert team_a[:3] == ["Team A", 3, "1/3 (33.3%)"]
    assert rows[0][2] == "0/0"  # (no team): its only letter is not yet due
    cases = case_rows(r)
    assert len(cases[0]) == len(CASE_HEADERS)
    b = next(c for c in cases if c[0] == "PLO-B")
    assert b[5:8] == ["2024-04-04", "2024-04-03", "late"]
    assert b[15] == "Proceedings issued" and b[17] == 6.3


def test_every_group_and_figure_has_a_row() -> None:
    r = report()
    rows = figure_rows(r)
    groups = 1 + len(r.teams) + len(r.workers)
    assert len(rows) == groups * (len(r.council.figures) + len(r.council.durations))
    assert all(len(row) == len(FIGURE_HEADERS) for row in rows)


def test_text_from_users_never_becomes_a_formula() -> None:
    hostile = replace(hm.A, team=HOSTILE, social_worker="+SUM(1,2)")
    r = report([hostile])
    text = csv_bytes(FIGURE_HEADERS, figure_rows(r)).decode("utf-8-sig")
    groups = {row[1] for row in csv.reader(io.StringIO(text))}
    assert "'" + HOSTILE in groups and "'+SUM(1,2)" in groups and HOSTILE not in groups
    assert csv_text(FIGURE_HEADERS, figure_rows(r)) == text  # the same as the command line's

    book = load_workbook(io.BytesIO(xlsx_bytes(r)))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert any(c.value == HOSTILE for c in cells)
    assert all(c.data_type != "f" for c in cells)
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(min_row=2)}
    assert about["Cases started from"] == "2024-01-01"
    assert about["Letter due (working days after the start)"] == 5
