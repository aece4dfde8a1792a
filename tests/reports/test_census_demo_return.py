"""A generated council return for demo data, merged: every placement checked independently
(with the standard library's parser) and every problem given on purpose found."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

from plo_tracker.app import AppContext
from plo_tracker.reports.census import OUTCOME_KEYS
from plo_tracker.services.demo_setup import DemoSetupService
from tests.reports.demo_return import demo_children, make_return

REFERENCE = dt.date(2027, 3, 31)


def test_demo_return_merges_with_exactly_the_problems_given(
    sqlite_app: AppContext, tmp_path: Path
) -> None:
    DemoSetupService(sqlite_app.db, sqlite_app.actor).fill(count=120)
    for key in OUTCOME_KEYS:
        sqlite_app.reports.set_census_outcome(key, "B")
    sqlite_app.reports.set_census_la_code("999")
    census = sqlite_app.reports.census(REFERENCE)
    made = make_return(demo_children(census.records, {}), REFERENCE, "999", seed=3)
    council = tmp_path / "council.xml"
    council.write_bytes(made.data)
    merge = sqlite_app.reports.write_merged_census(council, tmp_path / "merged.xml", REFERENCE)
    merge = merge.merge

    # Each problem given on purpose is found for each child whose record passed the rules.
    passed = {r.la_child_id for r in census.written}
    expected = {
        "not_in_return": {i for k in ("typo", "missing") for i in made.problems[k]} & passed,
        "no_cin_episode": set(made.problems["closed_early"]) & passed,
        "two_cin_episodes": set(made.problems["overlap"]) & passed,
    }
    found = {rule: {f.la_child_id for f in merge.findings if f.rule == rule} for rule in expected}
    assert found == expected
    assert all(expected.values()), "the seed gives each kind of problem to a written record"
    assert {f.rule for f in merge.findings} <= set(expected)
    placed = {p.la_child_id for p in merge.placements}
    assert placed == passed - set().union(*expected.values())

    # Independently: every block in the merged file sits in an episode containing its start.
    root = ET.fromstring((tmp_path / "merged.xml").read_bytes())
    blocks = 0
    for child in root.iter("Child"):
        for details in child.iter("CINdetails"):
            referral = dt.date.fromisoformat(details.findtext("CINreferralDate") or "")
            closure_text = details.findtext("CINclosureDate")
            closure = dt.date.fromisoformat(closure_text) if closure_text else dt.date.max
            for block in details.iter("PreProceedingsandFGDM"):
                start = dt.date.fromisoformat(block.findtext("PPStartDate") or "")
                assert referral <= start <= closure
                blocks += 1
    assert blocks == len(merge.placements)
    assert len(root.findall("Children/Child")) == made.children
