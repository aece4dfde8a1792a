"""The merged demo return checked with the DfE validator's 2026/27 pre-proceedings rules
(``tests/reports/validator_rules.py``, re-implemented from the public validator's files):
no issue, with blocks starting on the first and the last day of the year, and the block
starting the day before the year kept out by PLO Tracker."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from plo_tracker.app import AppContext
from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.exchange import document_to_json
from plo_tracker.reports.census import OUTCOME_KEYS
from plo_tracker.services import demo_setup, exchange_service
from plo_tracker.services.demo_setup import DemoSetupService
from tests.builders import D, case, ev
from tests.reports import validator_rules
from tests.reports.demo_return import demo_children, make_return
from tests.reports.validator_rules import validate

REFERENCE = dt.date(2027, 3, 31)
CODES = {"proceedings_issued": "A", "decision_to_issue": "A", "open": "C"}


def boundary_cases() -> list[CaseHistory]:
    def started(day: str, reference: str, la_id: str, born: str, *more: object) -> CaseHistory:
        return case(
            ev("legal_planning_meeting", day, outcome="pre_proceedings"),
            *more,  # type: ignore[arg-type]
            reference=reference,
            children=(Child(name="Fictional Child", date_of_birth=D(born), la_child_id=la_id),),
        )

    return [
        started(
            "2026-04-01",
            "CM-FIRST-DAY",
            "BND0001",
            "2015-01-10",
            ev("letter_before_proceedings", "2026-04-01", party="mother"),
            ev("pre_proceedings_meeting", "2026-04-01"),
            ev("stepped_down", "2026-04-01", to="child_in_need"),
        ),
        started(
            "2027-03-31",
            "CM-LAST-DAY",
            "BND0002",
            "2016-02-20",
            ev("letter_before_proceedings", "2027-03-31", party="mother"),
            ev("pre_proceedings_meeting", "2027-03-31"),
        ),
        started(  # the day before the year: open through the year, so it is in the census
            "2026-03-31",
            "CM-DAY-BEFORE",
            "BND0003",
            "2017-03-30",
            ev("letter_before_proceedings", "2026-04-02", party="mother"),
        ),
    ]


def test_the_merged_demo_return_passes_the_validators_pre_proceedings_rules(
    sqlite_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The clock fixed on the reference date: the demo's dates, and what may be recorded.
    monkeypatch.setattr(demo_setup, "today", lambda: REFERENCE)
    monkeypatch.setattr(exchange_service, "today", lambda: REFERENCE)
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(count=150, seed=2024)
    sqlite_app.exchange.import_text(json.dumps(document_to_json(boundary_cases())))
    for key in OUTCOME_KEYS:
        sqlite_app.reports.set_census_outcome(key, CODES.get(key, "B"))
    sqlite_app.reports.set_census_la_code("999")
    census = sqlite_app.reports.census(REFERENCE)
    made = make_return(demo_children(census.records, {}), REFERENCE, "999", seed=5)
    council, merged = tmp_path / "council.xml", tmp_path / "merged.xml"
    council.write_bytes(made.data)
    written = sqlite_app.reports.write_merged_census(council, merged, REFERENCE)
    merge = written.merge
    data = merged.read_bytes()

    # The app keeps out the block starting on 31 March 2026 (rule 9005, as the DfE counts)...
    before = [f for f in census.findings if f.case == "CM-DAY-BEFORE"]
    assert [(f.rule, f.severity) for f in before] == [("9005", "error")]
    # ... and places the blocks starting on the first and the last day of the year.
    placed = {p.case: p.pp_start_date for p in merge.placements}
    assert placed["CM-FIRST-DAY"] == D("2026-04-01")
    assert placed["CM-LAST-DAY"] == D("2027-03-31")
    assert "CM-DAY-BEFORE" not in placed
    starts = [e.text for e in ET.fromstring(data).iter("PPStartDate")]
    assert "2026-04-01" in starts and "2027-03-31" in starts and "2026-03-31" not in starts
    assert len(starts) == len(merge.placements) > 50  # the demo's blocks, all in the file

    # The validator's pre-proceedings rules: no issue, child-level or for the whole return.
    issues, la_level = validate(data)
    assert issues == [] and la_level == []

    # The same rules do find what they are for: a block moved to 31 March 2026 fails 9005 and
    # 9006 (its letter is before it), as it would have passed before the validator's fix.
    moved = data.replace(
        b"<PPStartDate>2026-04-01</PPStartDate>\n          <LBPSentDate>2026-04-01<",
        b"<PPStartDate>2026-03-31</PPStartDate>\n          <LBPSentDate>2026-03-31<",
        1,
    )
    assert moved != data
    assert sorted({i.rule for i in validate(moved)[0]}) == ["9005", "9006"]
    monkeypatch.setattr(validator_rules, "PERIOD_START_DAYS", 0)
    assert validate(moved)[0] == []


def test_the_re_implemented_rules_on_hand_made_blocks() -> None:
    def message(*blocks: str) -> bytes:
        children = "".join(
            f"<Child><ChildIdentifiers><LAchildID>C{n}</LAchildID></ChildIdentifiers>"
            f"<CINdetails><CINreferralDate>2026-04-01</CINreferralDate>{block}</CINdetails></Child>"
            for n, block in enumerate(blocks)
        )
        return (
            "<Message><Header><CollectionDetails><ReferenceDate>2027-03-31</ReferenceDate>"
            f"</CollectionDetails></Header><Children>{children}</Children></Message>"
        ).encode()

    def rules(*elements: tuple[str, str]) -> set[str]:
        inner = "".join(f"<{name}>{value}</{name}>" for name, value in elements)
        issues, _ = validate(message(f"<PreProceedingsandFGDM>{inner}</PreProceedingsandFGDM>"))
        return {i.rule for i in issues}

    good = (("PPStartDate", "2026-04-01"), ("PPOutcome", "A"))
    assert rules(*good) == set()
    assert rules(("PPStartDate", "2026-03-31"), ("PPOutcome", "A")) == {"9005"}
    assert rules(("PPStartDate", "2026-04-01T00:00:00"), ("PPOutcome", "A")) == set()
    assert rules(("PPStartDate", "2026-05-01")) == {"9011"}
    assert rules(*good, ("LBPSentDate", "2026-03-30")) == {"9006"}
    assert rules(*good, ("FGDMMeetingOffer", "1")) == {"9007", "9010Q"}
    assert rules(*good, ("InitialPPMeetingDate", "2027-04-01")) == {"9008", "9015Q"}
    assert rules(*good, ("StepDecisionDate", "2026-03-31")) == {"9009"}
    assert rules(*good, ("StepDecisionDate", "2026-06-01"), ("CourtAppDate", "2026-05-01")) == {
        "9012"
    }
    assert rules(*good, ("CourtAppDate", "2026-06-01"), ("LetterInitCPDate", "2026-05-31")) == {
        "9013"
    }
    assert validate(message(""))[1] == ["9000Q"]
