"""Merging the census blocks into hand-made council returns: placement, untouched content,
and every kind of finding (all dates and IDs are fictional)."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from plo_tracker.domain.model import CaseHistory, Child
from plo_tracker.reports import census_return, census_return_index
from plo_tracker.reports.census import OUTCOME_KEYS, CensusReturn, CensusSettings, build_census
from plo_tracker.reports.census_merge import MERGE_RULES, CensusMerge, merge_into, wanted_for
from plo_tracker.reports.census_return import (
    CINDETAILS_ORDER,
    ReturnError,
    read_return,
)
from tests.builders import D, case, ev
from tests.reports.census_returns import NS, Ep, Kid, council_return

REFERENCE = D("2027-03-31")


def local(element: Any) -> str:
    """An element's name without its namespace ('' for comments and instructions)."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def elements(parent: Any, name: str | None = None) -> list[Any]:
    """The element children of ``parent`` (named ``name``, in any namespace)."""
    return [c for c in parent if isinstance(c.tag, str) and (name is None or local(c) == name)]


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
        case(  # stepped down before the block the case management system already has
            start("2026-04-20"),
            ev("stepped_down", "2026-06-01", to="child_in_need"),
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


def one_case(*events: Any, la_id: str = "LA3001", born: str = "2016-06-06") -> CensusReturn:
    """A census of one case with one child."""
    return build_census(
        [case(*events, reference="CM-X", children=(kid("Tia Roe", la_id, born),))],
        REFERENCE,
        SETTINGS,
    )


def merge_one(result: CensusReturn, *others: Kid, **options: Any) -> CensusMerge:
    return merge_into(read_return(council_return(list(others), **options)), result)


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
    # Before a block already there: indented the same, and the CMS's block keeps its place.
    assert (
        "          <cin:PPOutcome>A</cin:PPOutcome>\n        </cin:PreProceedingsandFGDM>\n"
        "        <cin:PreProceedingsandFGDM>\n          <cin:PPStartDate>2026-12-01<"
    ) in text
    assert "xmlns:cin" not in text.split("<cin:Message", 1)[1].split(">", 1)[1]  # declared once


def test_after_an_empty_element_tag_even_one_with_a_slash_in_an_attribute() -> None:
    result = one_case(start("2026-06-01"))
    merge = merge_one(
        result,
        Kid("LA3001", "2016-06-06", (Ep("2026-04-01", empty_nfa=True),)),
        prefix="c",
        namespace=NS,
    )
    assert (
        b'<c:ReferralNFA xsi:nil="true" note="a/>b"/>\n        <c:PreProceedingsandFGDM>\n'
        in merge.data
    )
    assert b"</c:PreProceedingsandFGDM>\n      </c:CINdetails>" in merge.data


# -- everything else is untouched --------------------------------------------------------------


def without_added(merge: CensusMerge, data: bytes) -> bytes:
    """The merged file with each inserted run of bytes taken out again."""
    shift = 0
    kept = bytearray()
    position = 0
    for insertion in sorted(merge.insertions):
        at = insertion.offset + shift
        assert data[at : at + len(insertion.data)] == insertion.data
        kept += data[position:at]
        position = at + len(insertion.data)
        shift += len(insertion.data)
    kept += data[position:]
    return bytes(kept)


def without_blocks(data: bytes, merge: CensusMerge) -> Any:
    """The merged return parsed, with PLO Tracker's blocks taken out (tails put back)."""
    root = etree.fromstring(data)
    children = list(root.iter("{*}Child"))
    for placement in merge.placements:
        child = children[placement.return_child - 1]
        details = elements(child, "CINdetails")[placement.cin_episode - 1]
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
    return root


def same_tree(a: Any, b: Any, path: str = "") -> None:
    """Element by element: the same kind of node, name, attributes, namespaces, text, tail."""
    where = f"{path}/{a.tag if isinstance(a.tag, str) else type(a).__name__}"
    assert type(a) is type(b), where
    assert a.tag == b.tag, where
    assert a.text == b.text, where
    assert (a.tail or "").strip() == (b.tail or "").strip(), where
    if isinstance(a.tag, str):
        assert dict(a.attrib) == dict(b.attrib), where
        assert a.nsmap == b.nsmap, where
    assert len(a) == len(b), where
    for x, y in zip(a, b, strict=True):
        same_tree(x, y, where)


@pytest.mark.parametrize("style", list(STYLES))
def test_everything_else_is_the_same_element_by_element_and_byte_for_byte(style: str) -> None:
    source, merge = merged(style)
    data = merge.data
    assert data != source
    # Parsed independently (lxml), with our blocks taken out: the council's tree.
    same_tree(etree.fromstring(source), without_blocks(data, merge))
    # Byte for byte: the merged file is the council's file with only the new blocks put in.
    assert len(data) == len(source) + sum(len(i.data) for i in merge.insertions)
    assert without_added(merge, data) == source
    assert all(i.data.lstrip().startswith(b"<") for i in merge.insertions)
    assert all(
        i.data.count(b"<PreProceedingsandFGDM") + i.data.count(b":PreProceedingsandFGDM>")
        for i in merge.insertions
    )


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
    assert without_added(merge, merge.data) == source
    assert len(merge.placements) == 5


def test_windows_1252_is_kept_byte_for_byte() -> None:
    result = census()
    source = council_return(
        kids(result),
        declaration='<?xml version="1.0" encoding="windows-1252"?>',
        encoding="cp1252",
        header_comment="Export – fictional “CMS” €",
    )
    merge = merge_into(read_return(source), result)
    assert merge.council.encoding == "windows-1252"
    assert without_added(merge, merge.data) == source
    assert "“CMS” €".encode("cp1252") in merge.data


def test_a_compact_return_gets_a_compact_block() -> None:
    result = census()
    source = council_return(kids(result), newline="", step="")
    merge = merge_into(read_return(source), result)
    assert (
        b"<ReferralNFA>false</ReferralNFA><PreProceedingsandFGDM><PPStartDate>2026-05-04<"
        in merge.data
    )
    assert without_added(merge, merge.data) == source


def test_a_bom_is_kept() -> None:
    result = census()
    source = codecs.BOM_UTF8 + council_return(kids(result))
    merge = merge_into(read_return(source), result)
    assert merge.data.startswith(codecs.BOM_UTF8 + b'<?xml version="1.0" encoding="UTF-8"?>\n')
    assert without_added(merge, merge.data) == source


def test_read_from_a_file_in_small_chunks_the_same_as_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tags and texts cut across reads, offsets looked up behind the parser's window."""
    result = census()
    source = council_return(kids(result), namespace=NS, prefix="cin")
    path = tmp_path / "return.xml"
    path.write_bytes(source)
    expected = merge_into(read_return(source), result)
    seen: list[tuple[int, int]] = []
    monkeypatch.setattr(census_return, "CHUNK", 7)
    monkeypatch.setattr(census_return_index, "CHUNK", 7)
    council = read_return(path, wanted_for(result), progress=lambda d, t: seen.append((d, t)))
    streamed = merge_into(council, result)
    assert streamed.placements == expected.placements
    assert streamed.all_findings == expected.all_findings
    assert streamed.insertions == expected.insertions
    written = io.BytesIO()
    streamed.write_to(written.write)
    assert written.getvalue() == expected.data
    assert seen[-1] == (len(source), len(source)) and len(seen) > 100
    # Only the children asked about are kept, but every child and episode is counted.
    assert {c.la_child_id for c in council.children} <= wanted_for(result).ids
    assert (council.children_count, council.episode_count) == (13, 17)


# -- findings ----------------------------------------------------------------------------------


def findings_by_rule(merge: CensusMerge) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for finding in merge.findings:
        found.setdefault(finding.rule, []).append(finding)
    return found


def test_every_kind_of_finding_names_the_case_the_child_and_why() -> None:
    _source, merge = merged()
    found = findings_by_rule(merge)
    assert set(found) == set(MERGE_RULES) - {"overlaps_return_block"}
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
    assert (
        "a child born the same day has a similar ID in the return: LA1O05 (look-alike "
        "characters or two characters swapped)" in sam.message
    )

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
    assert (merge.blocks_in_file, merge.children_in_file) == (6, 5)
    counts = merge.counts_by_rule()
    assert counts["9005"] == 1 and counts["no_cin_episode"] == 1
    assert sum(counts.values()) == len(merge.all_findings)


def test_merging_the_merged_return_again_adds_nothing_and_counts_what_is_there() -> None:
    _source, first = merged()
    again = merge_into(read_return(first.data), census())
    assert again.placements == () and again.insertions == ()
    assert again.already_there == len(first.placements) + first.already_there == 6
    assert (again.blocks_in_file, again.children_in_file) == (6, 5)
    assert again.data == first.data
    assert {f.rule for f in again.findings if f.blocks} == {
        f.rule for f in first.findings if f.blocks
    }


def test_a_return_for_another_year_or_council_is_refused() -> None:
    result = census()
    with pytest.raises(ReturnError, match="reference date 2026-03-31"):
        merge_into(read_return(council_return(kids(result), reference="2026-03-31")), result)
    with pytest.raises(ReturnError, match="LA 201"):
        merge_into(read_return(council_return(kids(result), lea="201")), result)
    # Told as soon as the header has been read, when the census's are given.
    with pytest.raises(ReturnError, match="reference date 2026-03-31"):
        read_return(
            council_return([], reference="2026-03-31") + b"<not xml", reference_date=REFERENCE
        )


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
        ("<?xml version='1.0' encoding='UTF-16'?><Message/>".encode("utf-16-le"), "UTF-16"),
        ("<Message/>".encode("utf-16-be"), "UTF-16 \\(without a byte-order mark\\)"),
        ("<Message/>".encode("utf-32"), "UTF-32"),
        (b"<?xml version='1.0' encoding='shift_jis'?><Message/>", "shift_jis"),
        (b"<?xml version='1.0' encoding='no-such'?><Message/>", "does not know"),
        (
            b"<Message><Header><CollectionDetails><Collection>SWF</Collection>"
            b"<ReferenceDate>2027-03-31</ReferenceDate></CollectionDetails></Header></Message>",
            "not a CIN census return",
        ),
        (
            b"<Message><Header><CollectionDetails><ReferenceDate>2027-03-31</ReferenceDate>"
            b"</CollectionDetails></Header></Message>",
            "no <Children>",
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
        "CIN episode 1 (referral CINreferralDate '2026-04-31' is not a date, closed 2026-09-30), "
        "whose dates cannot be read" in finding.message
    )
    assert [p.cin_episode for p in merge.placements] == [2]


# -- dates as the validator reads them (item 5) ------------------------------------------------


def test_a_time_of_midnight_and_an_empty_closure_date_are_read_as_the_validator_reads_them() -> (
    None
):
    result = one_case(start("2026-06-30"))
    for referral, closure, empty in (
        ("2026-06-30T00:00:00", "2026-09-30T00:00:00", False),
        ("2026-06-30 00:00:00.000", None, True),
        ("2026-06-30T00:00", None, False),
        (" 2026-06-30 ", "2026-06-30", False),
    ):
        kid_ = Kid("LA3001", "2016-06-06", (Ep(referral, closure, empty_closure=empty),))
        merge = merge_one(result, kid_)
        assert [p.cin_episode for p in merge.placements] == [1], (referral, closure)
        assert merge.findings == ()
    # Any other time of day is not a date the validator would compare as that day.
    merge = merge_one(result, Kid("LA3001", "2016-06-06", (Ep("2026-06-30T10:15:00"),)))
    (finding,) = merge.findings
    assert finding.rule == "no_cin_episode"
    assert "CINreferralDate '2026-06-30T10:15:00' has a time of day other than midnight" in (
        finding.message
    )


# -- every block the return already holds for the child (item 3) ------------------------------


def test_a_block_is_compared_with_every_block_of_the_child_in_any_episode() -> None:
    result = one_case(
        start("2026-06-01"),
        ev("stepped_down", "2026-08-01", to="child_in_need"),
    )
    ours = values_of(result, "CM-X")
    episodes = (Ep("2026-04-01", "2026-05-31"), Ep("2026-06-01"))

    def with_block(index: int, block: tuple[tuple[str, str], ...]) -> CensusMerge:
        eps = list(episodes)
        eps[index] = Ep(eps[index].referral, eps[index].closure, blocks=(block,))
        return merge_one(result, Kid("LA3001", "2016-06-06", tuple(eps)))

    def one(merge: CensusMerge) -> Any:
        (finding,) = merge.findings
        assert merge.placements == () and merge.insertions == ()
        return finding

    # The same block in another CIN episode: there already, nothing added (a query).
    finding = one(with_block(0, ours))
    assert finding.rule == "already_in_return" and finding.severity == "query"
    assert "in CIN episode 1 (referral 2026-04-01, closed 2026-05-31)" in finding.message
    # The same start with other values, in another episode: an error naming both.
    other = tuple((n, "B" if n == "PPOutcome" else v) for n, v in ours)
    finding = one(with_block(0, other))
    assert finding.rule == "differs_from_return" and "PPOutcome: return B, PLO Tracker A" in (
        finding.message
    )
    # A start one day off: the periods overlap; an error naming both, never a second block.
    off = tuple((n, "2026-06-02" if n == "PPStartDate" else v) for n, v in ours)
    for index in (0, 1):
        finding = one(with_block(index, off))
        assert finding.rule == "overlaps_return_block" and finding.severity == "error"
        assert "running 2026-06-02 to 2026-08-01" in finding.message
        assert "this block (2026-06-01 to 2026-08-01) overlaps it" in finding.message
    # A block still open in the return, started before ours: ours starts within it.
    open_before = (("PPStartDate", "2026-05-01"), ("PPOutcome", "C"))
    finding = one(with_block(0, open_before))
    assert finding.rule == "overlaps_return_block" and "running 2026-05-01, still open" in (
        finding.message
    )
    # A block whose start cannot be read: never guessed to be another episode.
    finding = one(with_block(1, (("PPStartDate", "01/06/2026"), ("PPOutcome", "A"))))
    assert finding.rule == "overlaps_return_block"
    assert "whose PPStartDate '01/06/2026' cannot be read" in finding.message
    # An earlier episode of pre-proceedings that ended before ours began: ours is added.
    ended = (("PPStartDate", "2026-04-02"), ("StepDecisionDate", "2026-05-20"), ("PPOutcome", "A"))
    merge = with_block(0, ended)
    assert merge.findings == () and [p.cin_episode for p in merge.placements] == [2]
    # The same block written with a time of midnight is the same block.
    midnight = tuple((n, f"{v}T00:00:00" if n.endswith("Date") else v) for n, v in ours)
    assert one(with_block(1, midnight)).rule == "already_in_return"


# -- IDs as the DfE compares them (item 4) -----------------------------------------------------


def test_ids_match_exactly_after_trimming_and_suggestions_need_the_same_birthday() -> None:
    result = one_case(start("2026-06-01"), la_id="la100021", born="2016-06-06")
    # Trimmed: spaces around the ID in the return do not matter.
    merge = merge_one(
        one_case(start("2026-06-01"), la_id="LA100021"),
        Kid(" LA100021 ", "2016-06-06", (Ep("2026-04-01"),)),
    )
    assert [p.la_child_id for p in merge.placements] == ["LA100021"]
    # Capitals count, as in the DfE's validator (rule 8510 compares IDs exactly).
    merge = merge_one(result, Kid("LA100021", "2016-06-06", (Ep("2026-04-01"),)))
    (finding,) = merge.findings
    assert finding.rule == "not_in_return" and merge.placements == ()
    assert (
        "a child born the same day has a similar ID in the return: LA100021 (the same but for "
        "capital letters: the DfE's validator matches IDs exactly, capitals included)"
        in finding.message
    )
    # Other children's sequential IDs, born on other days, are never offered.
    result = one_case(start("2026-06-01"), la_id="LA100004", born="2016-06-06")
    others = [
        Kid(i, born, (Ep("2026-04-01"),))
        for i, born in (
            ("LA100040", "2012-01-01"),
            ("LA100005", "2013-02-02"),
            ("LA100003", "2014-03-03"),
        )
    ]
    (finding,) = merge_one(result, *others).findings
    assert "no child born the same day has a similar ID in the return" in finding.message
    assert "LA100040" not in finding.message and "LA100005" not in finding.message
    # Born the same day: the likeliest slips first, far-off IDs never.
    others = [
        Kid(i, "2016-06-06", (Ep("2026-04-01"),))
        for i in ("LA100009", "LA100040", "la100004", "XY999999")
    ]
    (finding,) = merge_one(result, *others).findings
    assert "similar ID in the return: la100004 (the same but for capital letters" in finding.message
    assert finding.message.index("la100004") < finding.message.index("LA100040 (look-alike")
    assert "XY999999" not in finding.message
    # No date of birth in PLO Tracker: nothing suggested.
    unborn = build_census(
        [
            case(
                start("2026-06-01"),
                reference="CM-U",
                children=(
                    Child(name="Baby Roe", expected_birth=D("2027-05-01"), la_child_id="LA100004"),
                ),
            )
        ],
        REFERENCE,
        SETTINGS,
    )
    (finding,) = merge_one(unborn, *others).findings
    assert "PLO Tracker has no date of birth for the child, so no other ID is suggested" in (
        finding.message
    )
