"""Merging the census blocks into hand-made council returns: placement, untouched content,
and every kind of finding (all dates and IDs are fictional)."""

from __future__ import annotations

import codecs
import datetime as dt
from typing import Any

import pytest
from lxml import etree

from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.reports.census import OUTCOME_KEYS, CensusReturn, CensusSettings, build_census
from plo_tracker.reports.census_merge import MERGE_RULES, CensusMerge, merge_into
from plo_tracker.reports.census_return import (
    CINDETAILS_ORDER,
    CouncilReturn,
    ReturnError,
    elements,
    local,
    read_return,
)
from tests.builders import D, case, ev
from tests.reports.census_returns import NS, Ep, Kid, council_return

REFERENCE = D("2027-03-31")
CODES = {key: ("C" if key == "open" else "A") for key in OUTCOME_KEYS}
SETTINGS = CensusSettings("893", tuple(CODES.items()))


def kid(name: str, la_id: str, born: str) -> Child:
    return Child(name=name, date_of_birth=D(born), la_child_id=la_id)


def start(day: str) -> Any:
    return ev("legal_planning_meeting", day, outcome="pre_proceedings")


def cases() -> list[CaseHistory]:
    return [
        case(  # two episodes: one in a closed CIN episode, one in an open one
            start("2026-05-04"),
            ev("letter_before_proceedings", "2026-05-06", party="mother"),
            ev("pre_proceedings_meeting", "2026-05-18"),
            ev("review_meeting", "2026-06-22"),
            ev("stepped_down", "2026-08-03", to="child_in_need"),
            start("2026-11-10"),
            ev("letter_before_proceedings", "2026-11-12", party="mother"),
            reference="CM-01",
            children=(kid("Ruby Fox", "LA1001", "2017-02-03"),),
        ),
        case(  # two children: one placed, one whose CIN episode closed before the start
            start("2026-07-01"),
            ev("letter_before_proceedings", "2026-07-03", party="mother"),
            ev("decision_to_issue", "2026-09-01", decided_by="Ann Wright"),
            ev("proceedings_issued", "2026-09-08"),
            ev("letter_of_issue", "2026-09-09", party="mother"),
            reference="CM-02",
            children=(
                kid("Leo Hart", "LA1002", "2019-04-05"),
                kid("Mia Hart", "LA1003", "2021-07-08"),
            ),
        ),
        case(
            start("2026-08-01"),
            reference="CM-03",
            children=(kid("Zoe Lee", "LA1004", "2016-01-01"),),
        ),
        case(
            start("2026-06-15"),
            reference="CM-04",
            children=(kid("Sam Ray", "LA1005", "2015-05-05"),),
        ),
        case(
            start("2026-06-20"),
            reference="CM-05",
            children=(kid("Ava Cole", "LA1006", "2014-03-03"),),
        ),
        case(
            start("2026-10-05"),
            ev("letter_before_proceedings", "2026-10-07", party="mother"),
            reference="CM-06",
            children=(kid("Eli Moss", "LA1007", "2018-08-08"),),
        ),
        case(
            start("2026-10-12"),
            reference="CM-07",
            children=(kid("Finn Day", "LA1008", "2013-09-09"),),
        ),
        case(
            start("2026-11-02"),
            reference="CM-08",
            children=(kid("Ivy Shaw", "LA1009", "2020-02-02"),),
        ),
        case(
            start("2026-11-02"),
            reference="CM-09",
            children=(kid("Ivy Shaw", "LA1009", "2020-02-02"),),
        ),
        case(
            start("2026-02-02"),
            reference="CM-10",
            children=(kid("Kai North", "LA1010", "2012-12-12"),),
        ),
        case(
            start("2026-04-20"),
            reference="CM-11",
            children=(kid("Noor Amin", "LA1011", "2019-11-11"),),
        ),
    ]


def census() -> CensusReturn:
    return build_census(cases(), REFERENCE, SETTINGS)


def values_of(
    result: CensusReturn, reference: str, episode: int = 1
) -> tuple[tuple[str, str], ...]:
    record = next(r for r in result.records if (r.case, r.episode) == (reference, episode))
    return tuple(record.elements())


def kids(result: CensusReturn) -> list[Kid]:
    same = values_of(result, "CM-06")
    differs = tuple((n, "B" if n == "PPOutcome" else v) for n, v in values_of(result, "CM-07"))
    later = (("PPStartDate", "2026-12-01"), ("PPOutcome", "A"))
    return [
        Kid("LA2000", "2011-01-01", (Ep("2026-05-01", "2026-06-01"),)),  # not in PLO Tracker
        Kid(
            "LA1001",
            "2017-02-03",
            (
                Ep("2025-06-01", "2025-12-20"),
                Ep("2026-04-10", "2026-09-30", comment="closed after step-down"),
                Ep("2026-11-01"),
            ),
        ),
        Kid("LA1002", "2019-04-05", (Ep("2026-04-01", full=True),)),
        Kid("LA1003", "2021-07-08", (Ep("2026-01-05", "2026-05-31"), Ep("2026-10-15"))),
        Kid("LA1004", "2016-01-01", (Ep("2026-04-01", "2026-10-01"), Ep("2026-06-15"))),
        Kid("LA1O05", "2015-05-05", (Ep("2026-04-01"),)),  # the letter O, not a zero
        Kid("LA1006", "2014-03-03", (Ep("2026-04-01"),)),
        Kid("LA1006", "2014-03-03", (Ep("2026-05-01"),)),
        Kid("LA1007", "2018-08-08", (Ep("2026-09-01", blocks=(same,)),)),
        Kid("LA1008", "2013-09-09", (Ep("2026-09-01", blocks=(differs,)),)),
        Kid("LA1009", "2020-02-02", (Ep("2026-10-01"),)),
        Kid("LA1010", "2012-12-12", (Ep("2026-01-01"),)),
        Kid("LA1011", "2019-11-11", (Ep("2026-04-01", blocks=(later,)),)),
    ]


STYLES = {
    "no namespace": {},
    "default namespace": {"namespace": NS},
    "prefixed namespace": {"namespace": NS, "prefix": "cin"},
}


def merged(style: str = "default namespace", **options: Any) -> tuple[bytes, CensusMerge]:
    result = census()
    source = council_return(kids(result), **{**STYLES[style], **options})
    return source, merge_into(read_return(source), result)


def child_element(root: Any, la_id: str) -> Any:
    found = [
        c
        for c in root.iter("{*}Child")
        if elements(elements(c, "ChildIdentifiers")[0], "LAchildID")[0].text == la_id
    ]
    assert len(found) == 1
    return found[0]


def block_starts(details: Any) -> list[str]:
    return [elements(b, "PPStartDate")[0].text for b in elements(details, "PreProceedingsandFGDM")]


# -- placement ---------------------------------------------------------------------------------


@pytest.mark.parametrize("style", list(STYLES))
def test_each_block_goes_into_the_episode_containing_its_start(style: str) -> None:
    source, merge = merged(style)
    root = etree.fromstring(merge.data)
    placed = {
        (p.case, p.episode, p.la_child_id): (p.return_child, p.cin_episode)
        for p in merge.placements
    }
    assert placed == {
        ("CM-01", 1, "LA1001"): (2, 2),  # 4 May 2026 in 10 April to 30 September 2026
        ("CM-01", 2, "LA1001"): (2, 3),  # 10 November 2026 in the episode open since 1 November
        ("CM-02", 1, "LA1002"): (3, 1),
        ("CM-08", 1, "LA1009"): (11, 1),
        ("CM-11", 1, "LA1011"): (13, 1),
    }
    ruby = elements(child_element(root, "LA1001"), "CINdetails")
    assert [block_starts(d) for d in ruby] == [[], ["2026-05-04"], ["2026-11-10"]]
    # The values are the record's, in the specification's order, in the parent's namespace.
    block = elements(ruby[1], "PreProceedingsandFGDM")[0]
    assert [(local(e), e.text) for e in block] == list(values_of(merge.census, "CM-01"))
    namespace = STYLES[style].get("namespace")
    assert etree.QName(block).namespace == namespace
    assert all(etree.QName(e).namespace == namespace for e in block)
    # No namespace declared again on the new elements.
    assert merge.data.count(b"xmlns") == source.count(b"xmlns")


def test_blocks_follow_the_schemas_order_inside_cin_details() -> None:
    _source, merge = merged()
    root = etree.fromstring(merge.data)
    details = elements(child_element(root, "LA1002"), "CINdetails")[0]
    names = [local(e) for e in elements(details)]
    assert names[-2:] == ["ChildProtectionPlans", "PreProceedingsandFGDM"]
    assert names == sorted(names, key=CINDETAILS_ORDER.index)
    # Among blocks already there, by start date: ours (20 April) before the CMS's (1 December).
    noor = elements(child_element(root, "LA1011"), "CINdetails")[0]
    assert block_starts(noor) == ["2026-04-20", "2026-12-01"]
    # A comment after the schema's elements stays after them.
    ruby = elements(child_element(root, "LA1001"), "CINdetails")[1]
    assert isinstance(ruby[-1], etree._Comment)
    assert local(ruby[-2]) == "PreProceedingsandFGDM"


def test_the_new_block_is_indented_like_its_siblings() -> None:
    _source, merge = merged("prefixed namespace")
    text = merge.data.decode()
    assert (
        "        <cin:ReferralNFA>false</cin:ReferralNFA>\n"
        "        <cin:PreProceedingsandFGDM>\n"
        "          <cin:PPStartDate>2026-05-04</cin:PPStartDate>\n"
    ) in text
    assert (
        "          <cin:PPOutcome>A</cin:PPOutcome>\n        </cin:PreProceedingsandFGDM>\n" in text
    )
    assert "xmlns:cin" not in text.split("<cin:Message", 1)[1].split(">", 1)[1]  # declared once


# -- everything else is untouched --------------------------------------------------------------


def remove_added(merge: CensusMerge, data: bytes) -> CouncilReturn:
    """The merged return with PLO Tracker's blocks taken out again (tails put back)."""
    council = read_return(data)
    for placement in merge.placements:
        child = council.children[placement.return_child - 1]
        details = child.episodes[placement.cin_episode - 1].element
        ours = [
            b
            for b in elements(details, "PreProceedingsandFGDM")
            if elements(b, "PPStartDate")[0].text == placement.pp_start_date.isoformat()
        ]
        assert len(ours) == 1
        block = ours[0]
        previous = block.getprevious()
        if previous is not None:
            previous.tail = block.tail
        else:
            details.text = block.tail
        details.remove(block)
    return council


def same_tree(a: Any, b: Any, path: str = "") -> None:
    """Element by element: the same kind of node, name, attributes, namespaces, text, tail."""
    where = f"{path}/{a.tag if isinstance(a.tag, str) else type(a).__name__}"
    assert type(a) is type(b), where
    assert a.tag == b.tag, where
    assert a.text == b.text, where
    assert a.tail == b.tail, where
    if isinstance(a.tag, str):
        assert dict(a.attrib) == dict(b.attrib), where
        assert a.nsmap == b.nsmap, where
    assert len(a) == len(b), where
    for x, y in zip(a, b, strict=True):
        same_tree(x, y, where)


@pytest.mark.parametrize("style", list(STYLES))
def test_everything_else_is_the_same_element_by_element_and_byte_for_byte(style: str) -> None:
    source, merge = merged(style)
    assert merge.data != source
    cleaned = remove_added(merge, merge.data)
    original = read_return(source)
    same_tree(original.root, cleaned.root)
    for a, b in zip(
        original.root.itersiblings(preceding=True),
        cleaned.root.itersiblings(preceding=True),
        strict=True,
    ):
        same_tree(a, b)
    # Written back without our blocks, it is the council's file again, byte for byte.
    cleaned.source = source
    assert cleaned.to_bytes() == source
    # And the merged file starts with the council's own declaration and comment.
    assert merge.data.startswith(source[: source.index(b"<", source.index(b"-->"))])


def test_crlf_latin1_and_a_single_quoted_declaration_are_kept() -> None:
    result = census()
    source = council_return(
        kids(result),
        declaration="<?xml version='1.0' encoding='ISO-8859-1' standalone='yes'?>",
        encoding="iso-8859-1",
        newline="\r\n",
        header_comment="Exporté par le système fictif",
    )
    merge = merge_into(read_return(source), result)
    assert merge.data.startswith(
        b"<?xml version='1.0' encoding='ISO-8859-1' standalone='yes'?>\r\n"
    )
    assert "Exporté".encode("iso-8859-1") in merge.data
    assert merge.data.count(b"\n") == merge.data.count(b"\r\n")
    cleaned = remove_added(merge, merge.data)
    cleaned.source = source
    assert cleaned.to_bytes() == source
    assert len(merge.placements) == 5


def test_a_compact_return_gets_a_compact_block() -> None:
    result = census()
    source = council_return(kids(result), newline="", step="")
    merge = merge_into(read_return(source), result)
    assert (
        b"<ReferralNFA>false</ReferralNFA><PreProceedingsandFGDM><PPStartDate>2026-05-04<"
        in merge.data
    )
    cleaned = remove_added(merge, merge.data)
    cleaned.source = source
    assert cleaned.to_bytes() == source


def test_a_bom_is_kept() -> None:
    result = census()
    source = codecs.BOM_UTF8 + council_return(kids(result))
    merge = merge_into(read_return(source), result)
    assert merge.data.startswith(codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="UTF-8"?>\n')


# -- findings ----------------------------------------------------------------------------------


def findings_by_rule(merge: CensusMerge) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for finding in merge.findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_every_kind_of_finding_names_the_case_the_child_and_why() -> None:
    _source, merge = merged()
    found = findings_by_rule(merge)
    assert set(found) == set(MERGE_RULES)
    assert all(len(items) == 1 for items in found.values())
    for finding in merge.findings:
        assert finding.case and finding.case in finding.message
        assert finding.la_child_id and finding.la_child_id in finding.message
        assert f"(rule {finding.rule})" in finding.message
        assert finding.severity == MERGE_RULES[finding.rule].severity

    mia = found["no_cin_episode"][0]
    assert (mia.case, mia.la_child_id, mia.child_position) == ("CM-02", "LA1003", 2)
    assert mia.date == D("2026-07-01") and mia.element == "PPStartDate"
    assert (
        "CIN episode 1 (referral 2026-01-05, closed 2026-05-31), closed 31 days before the start"
        in mia.message
    )
    assert (
        "CIN episode 2 (referral 2026-10-15, open), referred 106 days after the start"
        in mia.message
    )

    zoe = found["two_cin_episodes"][0]
    assert zoe.case == "CM-03" and "falls in 2 of" in zoe.message
    assert "CIN episode 1 (referral 2026-04-01, closed 2026-10-01)" in zoe.message
    assert "CIN episode 2 (referral 2026-06-15, open)" in zoe.message

    sam = found["not_in_return"][0]
    assert sam.case == "CM-04" and sam.la_child_id == "LA1005"
    assert "similar IDs in the return: LA1O05" in sam.message
    assert "born on the same day: LA1O05" in sam.message

    ava = found["child_twice_in_return"][0]
    assert ava.case == "CM-05" and "children 7, 8 in the file" in ava.message

    assert found["already_in_return"][0].case == "CM-06"
    assert found["already_in_return"][0].severity == "query"
    finn = found["differs_from_return"][0]
    assert finn.case == "CM-07" and "PPOutcome: return B, PLO Tracker C" in finn.message
    twice = found["same_start_twice"][0]
    assert twice.case == "CM-09" and "CM-08 already gives" in twice.message


def test_findings_are_never_silent_and_never_guessed() -> None:
    _source, merge = merged()
    result = merge.census
    # Every record that passed the rules is placed, already there, or a finding.
    accounted = {(p.case, p.episode, p.child_position) for p in merge.placements}
    accounted |= {(f.case, f.episode, f.child_position) for f in merge.findings}
    assert accounted == {(r.case, r.episode, r.child_position) for r in result.written}
    # Nothing of the unplaced ones is in the file: Mia, Zoe, Sam, Ava, Finn's value, Ivy twice.
    root = etree.fromstring(merge.data)
    for la_id in ("LA1003", "LA1004", "LA1O05", "LA2000", "LA1010"):
        assert all(
            block_starts(d) == [] for d in elements(child_element(root, la_id), "CINdetails")
        )
    finn = elements(child_element(root, "LA1008"), "CINdetails")[0]
    assert [e.text for e in elements(elements(finn, "PreProceedingsandFGDM")[0], "PPOutcome")] == [
        "B"
    ]
    ivy = elements(child_element(root, "LA1009"), "CINdetails")[0]
    assert block_starts(ivy) == ["2026-11-02"]
    # The record the rules keep out (started before the year) is not merged either.
    assert any(f.case == "CM-10" and f.rule == "9005" for f in merge.all_findings)
    assert merge.kept_out == result.records_blocked + 6
    assert merge.not_placed == 6 and merge.already_there == 1
    counts = merge.counts_by_rule()
    assert counts["9005"] == 1 and counts["no_cin_episode"] == 1
    assert sum(counts.values()) == len(merge.all_findings)


def test_a_return_for_another_year_or_council_is_refused() -> None:
    result = census()
    with pytest.raises(ReturnError, match="reference date 2026-03-31"):
        merge_into(read_return(council_return(kids(result), reference="2026-03-31")), result)
    with pytest.raises(ReturnError, match="LA 201"):
        merge_into(read_return(council_return(kids(result), lea="201")), result)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<Message><Header>", "not well-formed"),
        (b"<Other/>", "root element is <Other>"),
        (b'<!DOCTYPE Message [<!ENTITY x "y">]><Message/>', "entities"),
        (
            b"<Message><Header><CollectionDetails/></Header><Children/></Message>",
            "no census reference date",
        ),
        ("<?xml version='1.0' encoding='UTF-16'?><Message/>".encode("utf-16"), "UTF-16"),
        (
            b"<Message><Header><CollectionDetails><Collection>SWF</Collection>"
            b"<ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header></Message>",
            "not a CIN census return",
        ),
    ],
)
def test_what_is_not_a_cin_return_is_refused_in_plain_words(data: bytes, message: str) -> None:
    with pytest.raises(ReturnError, match=message):
        read_return(data)


def test_unreadable_episode_dates_are_candidates_not_guesses() -> None:
    result = build_census(cases()[:1], REFERENCE, SETTINGS)
    source = council_return(
        [Kid("LA1001", "2017-02-03", (Ep("2026-04-31", "2026-09-30"), Ep("2026-11-01")))]
    )
    merge = merge_into(read_return(source), result)
    (finding,) = merge.findings
    assert finding.rule == "no_cin_episode" and finding.date == dt.date(2026, 5, 4)
    assert (
        "CIN episode 1 (referral 2026-04-31, closed 2026-09-30), whose dates cannot be read"
        in finding.message
    )
    assert [p.cin_episode for p in merge.placements] == [2]


def test_likely_typing_slips_come_first_among_similar_ids() -> None:
    one = case(
        start("2026-06-01"), reference="CM-T", children=(kid("Tia Roe", "LA2468", "2015-01-01"),)
    )
    result = build_census([one], REFERENCE, SETTINGS)

    def candidates(*others: tuple[str, str]) -> str:
        source = council_return([Kid(i, born, (Ep("2026-04-01"),)) for i, born in others])
        (finding,) = merge_into(read_return(source), result).findings
        assert finding.rule == "not_in_return"
        return finding.message.split("(", 2)[2].split(")")[0]

    neighbours = [(f"LA246{n}", "2010-01-01") for n in (1, 2, 3, 5)]
    # Two neighbours swapped beats IDs one digit away; capitals beat both.
    assert candidates(*neighbours, ("LA2648", "2010-01-01")).startswith(
        "similar IDs in the return: LA2648, "
    )
    assert candidates(*neighbours, ("LA2648", "2010-01-01"), ("la2468", "2010-01-01")).startswith(
        "similar IDs in the return: la2468, LA2648, "
    )
    # Born the same day beats everything; far-off IDs are never offered.
    text = candidates(*neighbours, ("LA2465", "2015-01-01"), ("XY9999", "2010-01-01"))
    assert text.startswith("similar IDs in the return: LA2465, ")
    assert "born on the same day: LA2465" in text and "XY9999" not in text
    assert candidates(("XY9999", "2010-01-01")) == "no similar ID is in the return"
