"""The census records as the DfE's CIN census XML (the structure of cin-census.md).

One ``<Child>`` per LA child ID, holding ``<ChildIdentifiers><LAchildID>`` and one
``<CINdetails>`` with the child's ``<PreProceedingsandFGDM>`` block(s).  The council's data
team merges these into the return its case management system produces, matching children
by LAchildID (and placing each block in the right CIN episode).  Elements with no value are
left out; dates are YYYY-MM-DD; the FGDM flags are 1 or 0.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from plo_tracker import __version__
from plo_tracker.reports.census_records import PreProceedingsRecord

SOFTWARE_CODE = "PLO Tracker"
COLLECTION = "CIN"
SOURCE_LEVEL = "L"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True, slots=True)
class CensusHeader:
    reference_date: dt.date
    la_code: str
    serial_no: int
    generated_at: dt.datetime
    software_code: str = SOFTWARE_CODE
    release: str = __version__

    @property
    def year(self) -> int:
        """The collection year: the year of the reference date (2027 for 2027-03-31)."""
        return self.reference_date.year


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = value
    return element


def census_tree(header: CensusHeader, records: Iterable[PreProceedingsRecord]) -> ET.Element:
    message = ET.Element("Message")
    head = ET.SubElement(message, "Header")
    collection = ET.SubElement(head, "CollectionDetails")
    _text(collection, "Collection", COLLECTION)
    _text(collection, "Year", str(header.year))
    _text(collection, "ReferenceDate", header.reference_date.isoformat())
    source = ET.SubElement(head, "Source")
    _text(source, "SourceLevel", SOURCE_LEVEL)
    _text(source, "LEA", header.la_code)
    _text(source, "SoftwareCode", header.software_code)
    _text(source, "Release", header.release)
    _text(source, "SerialNo", str(header.serial_no))
    _text(source, "DateTime", header.generated_at.replace(microsecond=0).isoformat())

    by_child: dict[str, list[PreProceedingsRecord]] = defaultdict(list)
    for record in records:
        if record.la_child_id is None:  # never written: the rules report it
            continue
        by_child[record.la_child_id].append(record)
    children = ET.SubElement(message, "Children")
    for la_child_id in sorted(by_child):
        child = ET.SubElement(children, "Child")
        identifiers = ET.SubElement(child, "ChildIdentifiers")
        _text(identifiers, "LAchildID", la_child_id)
        details = ET.SubElement(child, "CINdetails")
        blocks = sorted(
            by_child[la_child_id], key=lambda r: (r.pp_start_date or dt.date.min, r.case)
        )
        for record in blocks:
            block = ET.SubElement(details, "PreProceedingsandFGDM")
            for name, value in record.elements():
                _text(block, name, value)
    return message


def census_xml(header: CensusHeader, records: Iterable[PreProceedingsRecord]) -> bytes:
    """The census file's bytes: UTF-8 XML with a declaration, indented for reading."""
    root = census_tree(header, records)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return (XML_DECLARATION + body + "\n").encode("utf-8")
