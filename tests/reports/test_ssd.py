"""The Standard Safeguarding Dataset's pre-proceedings extract (issue 27): hand-made cases and
the row each column must hold, the range, the blank counts, and the command's files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from plo_tracker.domain.model import Child, Party, Solicitor
from plo_tracker.reports.ssd import SSD_FIELDS, ssd_extract
from tests.builders import D, case, ev

AS_OF = D("2026-11-25")
SOLICITOR = Solicitor(name="Helen Price", firm="Price & Co")
MOTHER = Party("mother", "Kelly Jones", "mother", True, solicitor=SOLICITOR)
FATHER = Party("father", "Liam Jones", "father", True)  # no solicitor recorded
GRAN = Party("gran", "Rose Jones", "maternal grandmother", False)
AMELIA = Child("Amelia Jones", date_of_birth=D("2019-05-14"), la_child_id="LA-1001", key="amelia")
NOAH = Child("Noah Jones", date_of_birth=D("2021-02-01"), key="noah")  # no council child ID

# Case 1: an earlier period stepped down in 2024, then pre-proceedings again and court.
HAND = case(
    # Period 1
    ev("legal_planning_meeting", "2024-01-08", outcome="pre_proceedings"),
    ev("letter_before_proceedings", "2024-01-10", party="mother"),
    ev("pre_proceedings_meeting", "2024-01-22"),
    ev("stepped_down", "2024-04-15", to="child_in_need"),
    # Period 2
    ev("legal_planning_meeting", "2025-09-01", outcome="pre_proceedings"),
    ev("letter_before_proceedings", "2025-09-03", party="mother"),
    ev("letter_before_proceedings", "2025-09-04", party="father"),
    ev("pre_proceedings_meeting", "2025-09-15"),
    ev("review_meeting", "2025-10-27"),
    ev("review_meeting", "2025-11-10", effective=False),  # did not go ahead: not counted
    ev("review_meeting", "2025-12-08"),
    ev("decision_to_issue", "2026-01-12", decided_by="Ann Wright"),
    ev(
        "proceedings_issued",
        "2026-01-19",
        short_notice=True,
        short_notice_reason="emergency_protection",
    ),
    ev("letter_of_issue", "2026-01-20", party="mother"),
    ev("hearing", "2026-02-02", kind="case_management", la_plan="care_order", plan_approved=True),
    ev("hearing", "2026-05-11", kind="issues_resolution", la_plan="adoption"),
    ev("hearing", "2026-07-06", kind="final", la_plan="adoption", plan_approved=False),
    ev("proceedings_concluded", "2026-07-06", order="special_guardianship_order"),
    reference="HAND-1",
    children=(AMELIA, NOAH),
    parties=(MOTHER, FATHER, GRAN),
    court_reference="ZW26C00123",
)
# Case 2: Amelia's earlier care proceedings, in another case (matched by council child ID).
EARLIER = case(
    ev("legal_planning_meeting", "2022-03-07", outcome="issue_proceedings"),
    ev("proceedings_issued", "2022-03-09"),
    ev("proceedings_concluded", "2022-09-05", order="supervision_order"),
    reference="EARLY-0",
    children=(Child("Amelia Jones", date_of_birth=D("2019-05-14"), la_child_id="LA-1001"),),
)
# Case 3: still in pre-proceedings, nobody recorded as a parent.
OPEN = case(
    ev("legal_planning_meeting", "2026-10-05", outcome="pre_proceedings"),
    reference="OPEN-3",
    children=(Child("Baby Hill", expected_birth=D("2027-01-20"), la_child_id="LA-3003"),),
    parties=(),
)

AMELIA_ROW = {
    "prep_table_id": "HAND-1/amelia/2",
    "prep_person_id": "LA-1001",
    "prep_plo_family_id": "HAND-1",
    "prep_pre_pro_decision_date": "01/09/2025",
    "prep_initial_pre_pro_meeting_date": "15/09/2025",
    "prep_pre_pro_outcome": "Decision to Issue Care Proceedings",
    "prep_agree_stepdown_issue_date": "12/01/2026",
    "prep_cp_plans_referral_period": "",
    "prep_legal_gateway_outcome": "B",
    "prep_prev_pre_proc_child": "2",  # the 2024 period and EARLY-0
    "prep_prev_care_proc_child": "1",  # EARLY-0's proceedings
    "prep_pre_pro_letter_date": "03/09/2025",
    "prep_care_pro_letter_date": "20/01/2026",
    "prep_pre_pro_meetings_num": "2",  # two reviews held after the first meeting
    "prep_pre_pro_parents_legal_rep": "No",  # the father has no solicitor
    "prep_parents_legal_rep_point_of_issue": "No",
    "prep_court_reference": "ZW26C00123",
    "prep_care_proc_court_hearings": "3",
    "prep_care_proc_short_notice": "Yes",
    "prep_proc_short_notice_reason": "B",
    "prep_la_inital_plan_approved": "Yes",
    "prep_la_initial_care_plan": "A",
    "prep_la_final_plan_approved": "No",
    "prep_la_final_care_plan": "C",
}
NOAH_ROW = {
    **AMELIA_ROW,
    "prep_table_id": "HAND-1/noah/2",
    "prep_person_id": "",
    "prep_prev_pre_proc_child": "1",  # only the same case's 2024 period
    "prep_prev_care_proc_child": "",  # none in the record
}
FIRST_PERIOD_ROW = {
    "prep_table_id": "HAND-1/amelia/1",
    "prep_person_id": "LA-1001",
    "prep_plo_family_id": "HAND-1",
    "prep_pre_pro_decision_date": "08/01/2024",
    "prep_initial_pre_pro_meeting_date": "22/01/2024",
    "prep_pre_pro_outcome": "Decision to step down",
    "prep_agree_stepdown_issue_date": "15/04/2024",
    "prep_cp_plans_referral_period": "",
    "prep_legal_gateway_outcome": "B",
    "prep_prev_pre_proc_child": "1",  # EARLY-0
    "prep_prev_care_proc_child": "1",
    "prep_pre_pro_letter_date": "10/01/2024",
    "prep_care_pro_letter_date": "",
    "prep_pre_pro_meetings_num": "0",
    "prep_pre_pro_parents_legal_rep": "No",
    "prep_parents_legal_rep_point_of_issue": "Not in care proceedings",
    "prep_court_reference": "",
    "prep_care_proc_court_hearings": "",
    "prep_care_proc_short_notice": "Not in care proceedings",
    "prep_proc_short_notice_reason": "No short notice applications",
    "prep_la_inital_plan_approved": "",
    "prep_la_initial_care_plan": "Not in care proceedings",
    "prep_la_final_plan_approved": "",
    "prep_la_final_care_plan": "",
}
EARLIER_ROW = {
    "prep_table_id": "EARLY-0/1/1",
    "prep_person_id": "LA-1001",
    "prep_plo_family_id": "EARLY-0",
    "prep_pre_pro_decision_date": "",  # straight to court
    "prep_initial_pre_pro_meeting_date": "",
    "prep_pre_pro_outcome": "Decision to Issue Care Proceedings",
    "prep_agree_stepdown_issue_date": "07/03/2022",
    "prep_cp_plans_referral_period": "",
    "prep_legal_gateway_outcome": "C",
    "prep_prev_pre_proc_child": "",
    "prep_prev_care_proc_child": "",
    "prep_pre_pro_letter_date": "",
    "prep_care_pro_letter_date": "",
    "prep_pre_pro_meetings_num": "0",
    "prep_pre_pro_parents_legal_rep": "Yes",  # the builder's mother has a solicitor
    "prep_parents_legal_rep_point_of_issue": "Yes",
    "prep_court_reference": "",
    "prep_care_proc_court_hearings": "0",
    "prep_care_proc_short_notice": "Unknown",
    "prep_proc_short_notice_reason": "",
    "prep_la_inital_plan_approved": "",
    "prep_la_initial_care_plan": "",
    "prep_la_final_plan_approved": "",
    "prep_la_final_care_plan": "",  # concluded without a final hearing recorded
}
OPEN_ROW = {
    "prep_table_id": "OPEN-3/1/1",
    "prep_person_id": "LA-3003",
    "prep_plo_family_id": "OPEN-3",
    "prep_pre_pro_decision_date": "05/10/2026",
    "prep_initial_pre_pro_meeting_date": "",
    "prep_pre_pro_outcome": "",
    "prep_agree_stepdown_issue_date": "",
    "prep_cp_plans_referral_period": "",
    "prep_legal_gateway_outcome": "B",
    "prep_prev_pre_proc_child": "",
    "prep_prev_care_proc_child": "",
    "prep_pre_pro_letter_date": "",
    "prep_care_pro_letter_date": "",
    "prep_pre_pro_meetings_num": "0",
    "prep_pre_pro_parents_legal_rep": "Unknown",
    "prep_parents_legal_rep_point_of_issue": "Not in care proceedings",
    "prep_court_reference": "",
    "prep_care_proc_court_hearings": "",
    "prep_care_proc_short_notice": "Not in care proceedings",
    "prep_proc_short_notice_reason": "No short notice applications",
    "prep_la_inital_plan_approved": "",
    "prep_la_initial_care_plan": "Not in care proceedings",
    "prep_la_final_plan_approved": "",
    "prep_la_final_care_plan": "",
}
TABLE = [
    ("HAND-1/amelia/2", AMELIA_ROW),
    ("HAND-1/noah/2", NOAH_ROW),
    ("HAND-1/amelia/1", FIRST_PERIOD_ROW),
    ("EARLY-0/1/1", EARLIER_ROW),
    ("OPEN-3/1/1", OPEN_ROW),
]


def rows_by_id(date_from=None, date_to=None, as_of=AS_OF):
    extract = ssd_extract([HAND, EARLIER, OPEN], date_from, date_to, as_of)
    return {row["prep_table_id"]: row for row in extract.rows}, extract


def test_the_columns_are_the_ssds_in_its_order() -> None:
    assert len(SSD_FIELDS) == 24
    assert SSD_FIELDS[:3] == ("prep_table_id", "prep_person_id", "prep_plo_family_id")
    assert SSD_FIELDS[-1] == "prep_la_final_care_plan"
    assert "prep_la_inital_plan_approved" in SSD_FIELDS  # the SSD's own spelling
    for _row_id, expected in TABLE:
        assert tuple(expected) == SSD_FIELDS


@pytest.mark.parametrize("name", SSD_FIELDS)
@pytest.mark.parametrize(("row_id", "expected"), TABLE, ids=[t[0] for t in TABLE])
def test_each_column_of_each_hand_made_row(row_id: str, expected: dict, name: str) -> None:
    rows, _extract = rows_by_id()
    assert rows[row_id][name] == expected[name]


def test_every_period_and_child_is_a_row_without_a_range() -> None:
    rows, extract = rows_by_id()
    assert sorted(rows) == [
        "EARLY-0/1/1",
        "HAND-1/amelia/1",
        "HAND-1/amelia/2",
        "HAND-1/noah/1",
        "HAND-1/noah/2",
        "OPEN-3/1/1",
    ]
    assert len(extract.values()[0]) == 24


def test_a_range_keeps_the_periods_open_at_any_time_in_it() -> None:
    rows, _ = rows_by_id(D("2024-04-15"), D("2025-09-01"))  # first ends, second starts
    assert sorted(rows) == ["HAND-1/amelia/1", "HAND-1/amelia/2", "HAND-1/noah/1", "HAND-1/noah/2"]
    rows, _ = rows_by_id(D("2024-04-16"), D("2025-08-31"))
    assert rows == {}
    rows, _ = rows_by_id(D("2026-11-01"), None)
    assert sorted(rows) == ["OPEN-3/1/1"]


def test_values_are_as_of_the_end_of_the_range() -> None:
    rows, _ = rows_by_id(D("2025-01-01"), D("2026-03-31"))
    row = rows["HAND-1/amelia/2"]
    assert row["prep_care_proc_court_hearings"] == "1"
    assert row["prep_la_final_care_plan"] == "H"  # still in care proceedings then
    assert row["prep_la_final_plan_approved"] == ""


def test_the_summary_counts_each_blank_with_its_reason() -> None:
    _rows, extract = rows_by_id()
    summary = extract.summary()
    cp = "prep_cp_plans_referral_period blank for 6 rows: child protection plans not imported"
    assert f"{cp} (plo-tracker cp-plans import)" in summary
    assert "prep_person_id blank for 2 rows: no council child ID recorded" in summary
    assert "prep_prev_care_proc_child blank for 4 rows: no earlier history" in summary
    assert "prep_pre_pro_outcome blank for 1 row: still in pre-proceedings" in summary
    assert not any(line.startswith("prep_table_id") for line in summary)
    order = [line.split(" ")[0] for line in summary]
    assert order == sorted(order, key=SSD_FIELDS.index)


def cli_database(tmp_path: Path, capsys) -> Path:
    """A database made by the command line's import of the hand-made cases."""
    from plo_tracker.cli import main
    from plo_tracker.exchange.writing import document_to_json

    source = tmp_path / "cases.json"
    source.write_text(json.dumps(document_to_json([HAND, EARLIER, OPEN])), encoding="utf-8")
    db = tmp_path / "ssd.db"
    assert main(["--db", str(db), "import", str(source)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return db


def test_the_command_writes_csv_and_xlsx(tmp_path: Path, capsys) -> None:
    from plo_tracker.cli import main

    db = cli_database(tmp_path, capsys)
    out = tmp_path / "ssd.csv"
    code = main(["--db", str(db), "report", "ssd", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "6 row(s), one per child per pre-proceedings period" in printed
    assert "  prep_prev_care_proc_child blank for 4 rows: no earlier history" in printed
    with out.open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert tuple(table[0]) == SSD_FIELDS
    found = {r[0]: dict(zip(SSD_FIELDS, r, strict=True)) for r in table[1:]}
    assert found["HAND-1/amelia/2"] == AMELIA_ROW
    assert out.stat().st_mode & 0o077 == 0  # owner-only

    book = tmp_path / "ssd.xlsx"
    code = main(["--db", str(db), "report", "ssd", "--out", str(book), "--from", "2026-01-01"])
    assert code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(book).active
    values = list(sheet.iter_rows(values_only=True))
    assert tuple(values[0]) == SSD_FIELDS
    assert len(values) == 1 + 3  # HAND-1's second period (two children) and OPEN-3
    assert "open between 2026-01-01 and today" in capsys.readouterr().out


def test_the_command_refuses_another_format(tmp_path: Path, capsys) -> None:
    from plo_tracker.cli import main

    db = cli_database(tmp_path, capsys)
    code = main(["--db", str(db), "report", "ssd", "--out", str(tmp_path / "x.json")])
    assert code != 0
    assert "Choose --format csv or xlsx" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_cp_plans_in_the_period_come_from_the_imported_return(tmp_path: Path, capsys) -> None:
    # PREP007A: the child's plans in the imported CIN return started by the period's end.
    from plo_tracker.cli import main
    from tests.test_watch_service import child_xml, return_xml

    db = cli_database(tmp_path, capsys)
    source = tmp_path / "return.xml"
    source.write_bytes(
        return_xml(
            # Amelia: one plan before her second period ended (19 January 2026), one after.
            child_xml("LA-1001", ("2025-06-02", "2025-12-01", "0"), ("2026-03-02", None, "1")),
            child_xml("LA-9999", ("2026-01-05", None, "0")),
        )
    )
    assert main(["--db", str(db), "cp-plans", "import", str(source)]) == 0, capsys.readouterr()
    capsys.readouterr()
    out = tmp_path / "ssd.csv"
    assert main(["--db", str(db), "report", "ssd", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    with out.open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    found = {r[0]: dict(zip(SSD_FIELDS, r, strict=True)) for r in table[1:]}
    assert found["HAND-1/amelia/2"]["prep_cp_plans_referral_period"] == "1"
    assert found["HAND-1/amelia/1"]["prep_cp_plans_referral_period"] == "0"  # ended 2024
    assert found["HAND-1/noah/2"]["prep_cp_plans_referral_period"] == ""  # no child ID
    assert found["OPEN-3/1/1"]["prep_cp_plans_referral_period"] == ""  # not in the return
    assert "the child is not in the imported CIN return" in printed
    assert "not imported" not in printed
