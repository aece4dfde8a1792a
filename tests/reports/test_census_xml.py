"""The census XML, parsed back: structure, element order, values, nothing extra."""

from __future__ import annotations

import ast
import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

from plo_tracker import __version__
from plo_tracker.reports.census import ELEMENTS, build_census
from plo_tracker.reports.census_xml import CensusHeader, census_xml
from tests.reports.test_census import AMELIA, EXAMPLE, EXAMPLE_VALUES, NOAH, REF, SETTINGS

HEADER = CensusHeader(REF, "893", 7, dt.datetime(2027, 4, 5, 10, 0, 0, 123456))


def parse(data: bytes) -> ET.Element:
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(data)


def test_structure_and_header() -> None:
    result = build_census([EXAMPLE], REF, SETTINGS)
    root = parse(census_xml(HEADER, result.written))
    assert root.tag == "Message"
    assert [c.tag for c in root] == ["Header", "Children"]
    header = root.find("Header")
    assert header is not None
    assert [c.tag for c in header] == ["CollectionDetails", "Source"]
    assert [(c.tag, c.text) for c in header.find("CollectionDetails")] == [  # type: ignore[union-attr]
        ("Collection", "CIN"),
        ("Year", "2027"),
        ("ReferenceDate", "2027-03-31"),
    ]
    assert [(c.tag, c.text) for c in header.find("Source")] == [  # type: ignore[union-attr]
        ("SourceLevel", "L"),
        ("LEA", "893"),
        ("SoftwareCode", "PLO Tracker"),
        ("Release", __version__),
        ("SerialNo", "7"),
        ("DateTime", "2027-04-05T10:00:00"),
    ]
    (child,) = root.findall("Children/Child")
    assert [c.tag for c in child] == ["ChildIdentifiers", "CINdetails"]
    assert [(c.tag, c.text) for c in child.find("ChildIdentifiers")] == [  # type: ignore[union-attr]
        ("LAchildID", "LA0001")
    ]
    (block,) = child.findall("CINdetails/PreProceedingsandFGDM")
    assert [(c.tag, c.text) for c in block] == list(EXAMPLE_VALUES.items())


def test_elements_without_a_value_are_left_out_and_order_is_kept() -> None:
    still_open = replace(EXAMPLE, events=EXAMPLE.events[:5])  # up to the first meeting
    result = build_census([still_open], REF, SETTINGS)
    root = parse(census_xml(HEADER, result.written))
    block = root.find("Children/Child/CINdetails/PreProceedingsandFGDM")
    assert block is not None
    tags = [c.tag for c in block]
    assert tags == [
        "PPStartDate",
        "LBPSentDate",
        "FGDMMeetingOffer",
        "FGDMMeetingFac",
        "InitialPPMeetingDate",
        "ReviewMeetingsCount",
        "PPOutcome",
    ]
    assert tags == [e for e in ELEMENTS if e in tags]  # the specification's order
    assert block.findtext("FGDMMeetingFac") == "0"
    assert block.findtext("ReviewMeetingsCount") == "0"
    assert all(c.text and c.text.strip() for c in block)


def test_only_ids_and_dates_leave_the_app() -> None:
    family = replace(
        EXAMPLE, children=(AMELIA, NOAH, replace(NOAH, name="No Id", la_child_id=None))
    )
    result = build_census([family], REF, SETTINGS)
    data = census_xml(HEADER, result.records)  # even if handed every record
    text = data.decode("utf-8")
    for private in ("Amelia", "Noah", "No Id", "PLO-EX", "Kelly", "Helen Price"):
        assert private not in text
    root = parse(data)
    assert [c.findtext("ChildIdentifiers/LAchildID") for c in root.iter("Child")] == [
        "LA0001",
        "LA0002",
    ]


def test_an_empty_return_is_still_a_valid_message() -> None:
    root = parse(census_xml(HEADER, []))
    assert root.find("Children") is not None and root.findall("Children/Child") == []


def test_text_is_escaped() -> None:
    odd = replace(EXAMPLE, children=(replace(AMELIA, la_child_id='A<&>"1'),))
    result = build_census([odd], REF, SETTINGS)
    root = parse(census_xml(HEADER, result.written))
    assert root.findtext("Children/Child/ChildIdentifiers/LAchildID") == 'A<&>"1'


def test_reports_package_touches_no_database_or_qt() -> None:
    root = Path(__file__).resolve().parents[2] / "plo_tracker" / "reports"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top not in {"sqlalchemy", "db", "PySide6", "ui", "alembic"}, path.name
                assert not name.startswith(("plo_tracker.services", "plo_tracker.cli")), path.name
