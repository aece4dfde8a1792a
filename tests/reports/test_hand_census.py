"""The CIN census module, checked against shared/domain/cin-census.md by hand.

Census year 2026/27: reference date 31 March 2027; the reporting year the validator checks
runs from 1 April 2026 to 31 March 2027, both included.  Each rule has a record that
passes and one that breaks it; the XML is parsed back and compared with the spec's example.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from plo_tracker.domain.model import CaseHistory, Child, Event
from plo_tracker.reports.census import (
    OUTCOME_KEYS,
    CensusReturn,
    CensusSettings,
    PreProceedingsRecord,
    build_census,
    reporting_year,
)
from plo_tracker.reports.census_rules import check_record
from plo_tracker.reports.census_xml import CensusHeader, census_xml
from tests.builders import D, case, ev

REF = D("2027-03-31")
YEAR = reporting_year(REF)

# The element order of <PreProceedingsandFGDM>, typed from cin-census.md (not imported).
SPEC_ORDER = [
    "PPStartDate",
    "LBPSentDate",
    "FGDMMeetingOffer",
    "FGDMMeetingFac",
    "InitialPPMeetingDate",
    "ReviewMeetingsCount",
    "StepDecisionDate",
    "PPOutcome",
    "CourtAppDate",
    "LetterInitCPDate",
]

# Arbitrary test codes: the real meanings are in the DfE's guide (a council setting).
CODES = {key: ("A" if key == "proceedings_issued" else "B") for key in OUTCOME_KEYS}
SETTINGS = CensusSettings.from_values("893", CODES)


def child(la_id: str | None, name: str = "Amelia Jones", **kw: dt.date) -> Child:
    if not kw:
        kw = {"date_of_birth": D("2019-05-14")}
    return Child(name=name, la_child_id=la_id, **kw)


def lpm(day: str, outcome: str = "pre_proceedings") -> Event:
    return ev("legal_planning_meeting", day, outcome=outcome)


def spec_example(reference: str = "PLO-EX", la_id: str = "LA0001") -> CaseHistory:
    """The case behind the example block in cin-census.md, event for event."""
    return case(
        lpm("2026-09-09"),
        ev("letter_before_proceedings", "2026-09-20", party="mother"),
        ev("fgc_referral", "2026-09-21"),
        ev("pre_proceedings_meeting", "2026-09-28"),
        ev("fgc_held", "2026-10-10"),
        ev("review_meeting", "2026-10-19"),
        ev("review_meeting", "2026-11-09"),
        ev("review_meeting", "2026-11-30"),
        ev("decision_to_issue", "2026-12-01", decided_by="Ann Wright"),
        ev("proceedings_issued", "2026-12-18"),
        ev("letter_of_issue", "2027-02-05", party="mother"),
        reference=reference,
        children=(child(la_id),),
    )


SPEC_BLOCK = {
    "PPStartDate": "2026-09-09",
    "LBPSentDate": "2026-09-20",
    "FGDMMeetingOffer": "1",
    "FGDMMeetingFac": "1",
    "InitialPPMeetingDate": "2026-09-28",
    "ReviewMeetingsCount": "3",
    "StepDecisionDate": "2026-12-01",
    "PPOutcome": "A",
    "CourtAppDate": "2026-12-18",
    "LetterInitCPDate": "2027-02-05",
}


def census(*cases: CaseHistory, settings: CensusSettings = SETTINGS) -> CensusReturn:
    return build_census(list(cases), REF, settings)


def rules_of(result: CensusReturn, reference: str | None) -> set[str]:
    return {f.rule for f in result.findings if f.case == reference}


def only_record(result: CensusReturn) -> PreProceedingsRecord:
    assert len(result.records) == 1
    return result.records[0]


def record_rules(record: PreProceedingsRecord, **changes: object) -> set[str]:
    return {f.rule for f in check_record(dataclasses.replace(record, **changes), YEAR)}


@pytest.fixture(scope="module")
def good() -> PreProceedingsRecord:
    result = census(spec_example())
    assert result.findings == ()
    return only_record(result)


# -- the reporting year and the fields -------------------------------------------------------


def test_the_reporting_year_runs_from_1_april_to_the_reference_date() -> None:
    assert (YEAR.start, YEAR.end) == (D("2026-04-01"), D("2027-03-31"))
    with pytest.raises(ValueError):
        reporting_year(D("2027-04-01"))


def test_the_spec_example_gives_the_spec_block(good: PreProceedingsRecord) -> None:
    assert dict(good.elements()) == SPEC_BLOCK
    assert [name for name, _ in good.elements()] == SPEC_ORDER
    assert good.la_child_id == "LA0001"


def test_elements_without_a_value_are_left_out() -> None:
    result = census(case(lpm("2026-10-05"), reference="PLO-OPEN", children=(child("LA0002"),)))
    record = only_record(result)
    # Open, no letter, no meeting: the start and the outcome code (for "still open") only.
    assert dict(record.elements()) == {"PPStartDate": "2026-10-05", "PPOutcome": "B"}
    assert result.written == (record,)


def test_an_offer_refused_in_the_letter_is_written_0_and_an_fgc_before_the_letter_is_0() -> None:
    result = census(
        case(
            lpm("2026-05-04"),
            ev("fgc_held", "2026-05-05"),
            ev("letter_before_proceedings", "2026-05-06", party="mother", fgdm_offered=False),
            ev("pre_proceedings_meeting", "2026-05-20"),
            reference="PLO-NO-OFFER",
            children=(child("LA0003"),),
        )
    )
    values = dict(only_record(result).elements())
    assert values["FGDMMeetingOffer"] == "0"
    assert values["FGDMMeetingFac"] == "0"
    assert values["ReviewMeetingsCount"] == "0"  # 0 counts, and is written


def test_review_meetings_are_counted_after_the_first_meeting_only() -> None:
    result = census(
        case(
            lpm("2026-05-04"),
            ev("letter_before_proceedings", "2026-05-06", party="mother"),
            ev("review_meeting", "2026-05-10"),  # before the first meeting: not counted
            ev("pre_proceedings_meeting", "2026-05-20"),
            ev("review_meeting", "2026-06-20"),
            ev("stepped_down", "2026-07-01", to="child_in_need"),
            ev("review_meeting", "2026-07-20"),  # after the step-down: not counted
            reference="PLO-REVIEWS",
            children=(child("LA0004"),),
        )
    )
    values = dict(only_record(result).elements())
    assert values["ReviewMeetingsCount"] == "1"
    assert values["StepDecisionDate"] == "2026-07-01"
    assert "CourtAppDate" not in values


def test_the_letter_of_issue_is_the_first_on_or_after_the_application() -> None:
    result = census(
        case(
            lpm("2026-05-04", "issue_proceedings"),
            ev("proceedings_issued", "2026-05-08"),
            ev("letter_of_issue", "2026-05-08", party="mother"),
            ev("letter_of_issue", "2026-05-12", party="father"),
            reference="PLO-IMMEDIATE",
            children=(child("LA0005"),),
        )
    )
    values = dict(only_record(result).elements())
    assert values["CourtAppDate"] == values["LetterInitCPDate"] == "2026-05-08"
    # an immediate issue: the start is the decision to issue
    assert values["StepDecisionDate"] == values["PPStartDate"] == "2026-05-04"
    assert "LBPSentDate" not in values and "FGDMMeetingOffer" not in values


def test_a_case_with_no_activity_in_the_year_is_not_in_the_return() -> None:
    ended_before = case(
        lpm("2025-10-01"),
        ev("letter_before_proceedings", "2025-10-03", party="mother"),
        ev("stepped_down", "2026-01-10", to="child_protection"),
        reference="PLO-OLD",
        children=(child("LA0006"),),
    )
    not_started = case(lpm("2026-06-01", "no_legal_action"), reference="PLO-NLA")
    result = census(ended_before, not_started, spec_example())
    assert {r.case for r in result.records} == {"PLO-EX"}


# -- each rule: a record that passes and one that breaks it ----------------------------------


def test_9005_start_on_1_april_passes_and_on_31_march_is_kept_out() -> None:
    result = census(case(lpm("2026-04-01"), reference="P", children=(child("LA0010"),)))
    assert "9005" not in rules_of(result, "P")
    assert len(result.written) == 1
    result = census(case(lpm("2026-03-31"), reference="P", children=(child("LA0010"),)))
    assert rules_of(result, "P") == {"9005"}
    assert result.written == ()


def test_9005_an_episode_started_before_the_year_is_a_finding_not_written() -> None:
    result = census(
        case(
            lpm("2026-03-30"),
            ev("letter_before_proceedings", "2026-04-02", party="mother"),
            reference="F",
            children=(child("LA0011"),),
        )
    )
    finding = next(f for f in result.findings if f.rule == "9005")
    assert (finding.case, finding.severity, finding.la_child_id) == ("F", "error", "LA0011")
    assert "F" in finding.message
    assert result.written == ()


def test_9005_activity_without_a_start_is_a_finding() -> None:
    result = census(
        case(
            ev("letter_before_proceedings", "2026-06-02", party="mother"),
            reference="F",
            children=(child("LA0012"),),
        )
    )
    assert "9005" in rules_of(result, "F")
    assert result.written == ()


def test_9006_letter_after_the_start_passes_and_before_it_fails() -> None:
    passes = census(
        case(
            lpm("2026-06-10"),
            ev("letter_before_proceedings", "2026-06-10", party="mother"),  # same day is fine
            reference="P",
            children=(child("LA0020"),),
        )
    )
    fails = census(
        case(
            lpm("2026-06-10"),
            ev("letter_before_proceedings", "2026-06-05", party="mother"),
            reference="F",
            children=(child("LA0021"),),
        )
    )
    assert "9006" not in rules_of(passes, "P") and len(passes.written) == 1
    assert "9006" in rules_of(fails, "F") and fails.written == ()


def test_9006_letter_outside_the_year_fails(good: PreProceedingsRecord) -> None:
    assert "9006" in record_rules(good, lbp_sent_date=D("2027-04-01"))


def test_9007_letter_and_offer_together(good: PreProceedingsRecord) -> None:
    assert "9007" not in record_rules(good)
    assert "9007" not in record_rules(
        good, lbp_sent_date=None, fgdm_meeting_offer=None, fgdm_meeting_fac=None
    )
    assert "9007" in record_rules(good, fgdm_meeting_offer=None)
    assert "9007" in record_rules(good, lbp_sent_date=None)


def test_9008_first_meeting_in_the_year_passes_and_before_it_fails() -> None:
    fails = census(
        case(
            lpm("2026-04-01"),
            ev("pre_proceedings_meeting", "2026-03-20"),
            reference="F",
            children=(child("LA0030"),),
        )
    )
    assert "9008" in rules_of(fails, "F") and fails.written == ()
    passes = census(
        case(
            lpm("2026-04-01"),
            ev("pre_proceedings_meeting", "2026-04-20"),
            reference="P",
            children=(child("LA0031"),),
        )
    )
    assert "9008" not in rules_of(passes, "P")


def test_9009_step_decision_after_the_start_passes_and_before_it_fails(
    good: PreProceedingsRecord,
) -> None:
    assert "9009" not in record_rules(good)
    fails = census(
        case(
            lpm("2026-05-10"),
            ev("stepped_down", "2026-05-01", to="child_in_need"),
            reference="F",
            children=(child("LA0040"),),
        )
    )
    assert "9009" in rules_of(fails, "F") and fails.written == ()
    assert "9009" in record_rules(good, step_decision_date=D("2027-04-02"))


def test_9010q_offer_with_facilitated_given_passes_without_it_is_a_query(
    good: PreProceedingsRecord,
) -> None:
    assert "9010Q" not in record_rules(good, fgdm_meeting_fac=False)
    assert "9010Q" not in record_rules(good, fgdm_meeting_offer=False, fgdm_meeting_fac=None)
    findings = check_record(dataclasses.replace(good, fgdm_meeting_fac=None), YEAR)
    assert [(f.rule, f.severity) for f in findings] == [("9010Q", "query")]


def test_9011_outcome_code_a_b_or_c(good: PreProceedingsRecord) -> None:
    for code in ("A", "B", "C"):
        assert "9011" not in record_rules(good, pp_outcome=code)
    assert "9011" in record_rules(good, pp_outcome=None)
    assert "9011" in record_rules(good, pp_outcome="D")


def test_9012_application_after_the_decision_passes_before_it_fails(
    good: PreProceedingsRecord,
) -> None:
    passes = census(
        case(
            lpm("2026-07-01"),
            ev("decision_to_issue", "2026-08-01", decided_by="Ann Wright"),
            ev("proceedings_issued", "2026-08-05"),
            reference="P",
            children=(child("LA0050"),),
        )
    )
    assert "9012" not in rules_of(passes, "P") and len(passes.written) == 1
    no_decision = census(
        case(
            lpm("2026-07-01"),
            ev("proceedings_issued", "2026-08-05"),
            ev("decision_to_issue", "2026-08-10", decided_by="Ann Wright"),
            reference="F",
            children=(child("LA0051"),),
        )
    )
    assert "9012" in rules_of(no_decision, "F") and no_decision.written == ()
    assert "9012" in record_rules(good, court_app_date=D("2026-11-30"))


def test_9013_letter_of_issue_after_the_application_passes_before_it_fails(
    good: PreProceedingsRecord,
) -> None:
    assert "9013" not in record_rules(good)
    fails = census(
        case(
            lpm("2026-07-01"),
            ev("decision_to_issue", "2026-07-20", decided_by="Ann Wright"),
            ev("letter_of_issue", "2026-08-01", party="mother"),
            ev("proceedings_issued", "2026-08-05"),
            reference="F",
            children=(child("LA0060"),),
        )
    )
    assert "9013" in rules_of(fails, "F") and fails.written == ()


def test_9015q_first_meeting_with_a_count_passes_without_is_a_query(
    good: PreProceedingsRecord,
) -> None:
    assert "9015Q" not in record_rules(good, review_meetings_count=0)
    findings = check_record(dataclasses.replace(good, review_meetings_count=None), YEAR)
    assert [(f.rule, f.severity) for f in findings] == [("9015Q", "query")]


def test_9000q_a_return_with_a_start_passes_an_empty_one_is_a_query() -> None:
    assert "9000Q" not in rules_of(census(spec_example()), None)
    empty = census()
    assert [(f.rule, f.severity, f.case) for f in empty.findings] == [("9000Q", "query", None)]
    # only blocked records: nothing with a PPStartDate is written either
    blocked = census(spec_example(la_id=""))
    assert "9000Q" in rules_of(blocked, None)


def test_a_query_is_reported_and_the_record_still_written() -> None:
    # An immediate issue is reported for the data team to check (a query), and written.
    result = census(
        case(
            lpm("2026-05-04", "issue_proceedings"),
            ev("proceedings_issued", "2026-05-08"),
            reference="Q",
            children=(child("LA0070"),),
        )
    )
    assert result.findings and all(f.severity == "query" for f in result.findings)
    assert len(result.written) == 1


# -- children ---------------------------------------------------------------------------------


def test_a_child_without_la_child_id_is_a_finding_never_dropped() -> None:
    siblings = dataclasses.replace(
        spec_example(reference="PLO-SIB"),
        children=(child("LA0080", "Amelia Jones"), child(None, "Noah Jones"), child("  ")),
    )
    result = census(siblings)
    assert len(result.records) == 3
    missing = [f for f in result.findings if f.rule == "LAchildID"]
    assert [(f.case, f.child_position, f.severity) for f in missing] == [
        ("PLO-SIB", 2, "error"),
        ("PLO-SIB", 3, "error"),
    ]
    assert all("PLO-SIB" in f.message and "child ID" in f.message for f in missing)
    assert [r.la_child_id for r in result.written] == ["LA0080"]


def test_an_unborn_child_with_an_id_is_written_like_any_child() -> None:
    unborn = dataclasses.replace(
        spec_example(reference="PLO-PRE"),
        children=(child("LA0090", "Baby Jones", expected_birth=D("2027-01-20")),),
    )
    result = census(unborn)
    record = only_record(result)
    assert record.unborn and result.written == (record,)
    assert dict(record.elements()) == SPEC_BLOCK
    root = ET.fromstring(census_xml(header(), result.written))
    identifiers = root.find("Children/Child/ChildIdentifiers")
    assert identifiers is not None
    assert [e.tag for e in identifiers] == ["LAchildID"]  # no date of birth in this block


def test_an_unborn_child_without_an_id_is_a_finding() -> None:
    unborn = dataclasses.replace(
        spec_example(reference="PLO-PRE2"),
        children=(child(None, "Baby Jones", expected_birth=D("2027-01-20")),),
    )
    result = census(unborn)
    assert [f.rule for f in result.findings if f.case == "PLO-PRE2"] == ["LAchildID"]
    assert result.written == ()


# -- the XML ------------------------------------------------------------------------------------


def header() -> CensusHeader:
    return CensusHeader(
        reference_date=REF,
        la_code="893",
        serial_no=7,
        generated_at=dt.datetime(2027, 4, 5, 10, 0, 0),
    )


def test_the_xml_follows_the_spec_structure_and_order() -> None:
    result = census(
        spec_example(),
        case(lpm("2026-10-05"), reference="PLO-OPEN", children=(child("LA0002"),)),
    )
    data = census_xml(header(), result.written)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    assert root.tag == "Message"
    assert [e.tag for e in root] == ["Header", "Children"]
    head = root.find("Header")
    assert head is not None
    assert [e.tag for e in head] == ["CollectionDetails", "Source"]
    collection = root.find("Header/CollectionDetails")
    assert collection is not None
    assert [(e.tag, e.text) for e in collection] == [
        ("Collection", "CIN"),
        ("Year", "2027"),
        ("ReferenceDate", "2027-03-31"),
    ]
    source = root.find("Header/Source")
    assert source is not None
    assert [e.tag for e in source] == [
        "SourceLevel",
        "LEA",
        "SoftwareCode",
        "Release",
        "SerialNo",
        "DateTime",
    ]
    assert source.findtext("SourceLevel") == "L"
    assert source.findtext("LEA") == "893"
    assert source.findtext("SerialNo") == "7"
    assert source.findtext("DateTime") == "2027-04-05T10:00:00"

    children = root.findall("Children/Child")
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in children] == ["LA0001", "LA0002"]
    for item in children:
        assert [e.tag for e in item] == ["ChildIdentifiers", "CINdetails"]
    block = children[0].find("CINdetails/PreProceedingsandFGDM")
    assert block is not None
    assert [(e.tag, e.text) for e in block] == list(SPEC_BLOCK.items())
    short = children[1].find("CINdetails/PreProceedingsandFGDM")
    assert short is not None
    assert [e.tag for e in short] == ["PPStartDate", "PPOutcome"]


def test_one_child_in_two_cases_gets_one_child_element_with_two_blocks() -> None:
    first = spec_example(reference="PLO-1", la_id="LA0100")
    second = case(
        lpm("2026-04-15"),
        ev("letter_before_proceedings", "2026-04-16", party="mother"),
        ev("stepped_down", "2026-06-01", to="no_further_action"),
        reference="PLO-0",
        children=(child("LA0100"),),
    )
    result = census(first, second)
    assert len(result.written) == 2
    root = ET.fromstring(census_xml(header(), result.written))
    children = root.findall("Children/Child")
    assert len(children) == 1
    blocks = children[0].findall("CINdetails/PreProceedingsandFGDM")
    assert [b.findtext("PPStartDate") for b in blocks] == ["2026-04-15", "2026-09-09"]


def test_records_with_errors_are_not_in_the_xml() -> None:
    result = census(spec_example(), spec_example(reference="PLO-NOID", la_id=""))
    root = ET.fromstring(census_xml(header(), result.written))
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in root.findall("Children/Child")] == [
        "LA0001"
    ]


def test_text_is_escaped_in_the_xml() -> None:
    odd = spec_example(la_id="A<&>'\"1")
    result = census(odd)
    root = ET.fromstring(census_xml(header(), result.written))
    assert root.findtext("Children/Child/ChildIdentifiers/LAchildID") == "A<&>'\"1"


# -- settings -----------------------------------------------------------------------------------


def test_without_the_outcome_codes_nothing_is_coded_and_setup_says_what_to_set() -> None:
    unset = CensusSettings.from_values("893", {})
    result = census(spec_example(), settings=unset)
    assert not result.ready
    assert any("census-settings set-outcome" in p for p in result.setup_problems)
    assert only_record(result).pp_outcome is None
    partly = CensusSettings.from_values("893", {"proceedings_issued": "A"})
    assert not partly.outcomes_set
    assert "open" in " ".join(partly.problems())


def test_bad_stored_settings_count_as_not_set() -> None:
    bad = CensusSettings.from_values("89", {key: "Z" for key in OUTCOME_KEYS})
    assert bad.la_code is None and not bad.outcomes_set
    assert len(bad.problems()) == 2
    assert SETTINGS.problems() == []


def test_a_second_episode_started_in_the_year_is_its_own_block() -> None:
    # Stepped down in October 2025, started again on 1 June 2026: the episode in the year
    # is the second, and it is written on its own (the first had no activity in the year).
    restarted = case(
        lpm("2025-06-01"),
        ev("stepped_down", "2025-10-01", to="child_in_need"),
        lpm("2026-06-01"),
        ev("letter_before_proceedings", "2026-06-03", party="mother"),
        reference="R",
        children=(child("LA0200"),),
    )
    result = census(restarted)
    assert result.findings == ()
    record = only_record(result)
    assert dict(record.elements()) == {
        "PPStartDate": "2026-06-01",
        "LBPSentDate": "2026-06-03",
        "FGDMMeetingOffer": "1",
        "FGDMMeetingFac": "0",
        "PPOutcome": "B",
    }
    assert result.written == (record,)


def test_two_episodes_in_the_year_give_two_blocks_for_the_child() -> None:
    twice = case(
        lpm("2026-04-06"),
        ev("letter_before_proceedings", "2026-04-08", party="mother"),
        ev("stepped_down", "2026-06-01", to="child_protection"),
        lpm("2026-09-01"),
        ev("letter_before_proceedings", "2026-09-03", party="mother", fgdm_offered=False),
        reference="T",
        children=(child("LA0201"),),
    )
    result = census(twice)
    assert [dict(r.elements()).get("PPStartDate") for r in result.written] == [
        "2026-04-06",
        "2026-09-01",
    ]
    assert [dict(r.elements()).get("StepDecisionDate") for r in result.written] == [
        "2026-06-01",
        None,
    ]
    assert [dict(r.elements())["FGDMMeetingOffer"] for r in result.written] == ["1", "0"]
    root = ET.fromstring(census_xml(header(), result.written))
    assert len(root.findall("Children/Child")) == 1
    assert len(root.findall("Children/Child/CINdetails/PreProceedingsandFGDM")) == 2
