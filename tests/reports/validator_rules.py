"""The DfE CIN validator's 2026/27 pre-proceedings rules, re-implemented to check a return.

A re-implementation (no code copied) of what the public validator
``data-to-insight/csc-validator-be-cin`` checks, read from these files of that repository:

======  ============================================  ========================================
rule    file                                          commit
======  ============================================  ========================================
9000Q   cin_validator/rules/cin2026_27/rule_9000Q.py  b6753e78b1a59a18f269708bf43e6f0d7f5f025f
9005    cin_validator/rules/cin2026_27/rule_9005.py   e880364682d0753444963a5c38ced50004dbc8ba
9006    cin_validator/rules/cin2026_27/rule_9006.py   6705a56c1d3d1271e70191ded29b96dce1cd285e
9007    cin_validator/rules/cin2026_27/rule_9007.py   2928f47951fc10f19747c14ffff2ee33645c5014
9008    cin_validator/rules/cin2026_27/rule_9008.py   b6753e78b1a59a18f269708bf43e6f0d7f5f025f
9009    cin_validator/rules/cin2026_27/rule_9009.py   4f8cc4807edd6c876e1f606c2ba680e22f00324a
9010Q   cin_validator/rules/cin2026_27/rule_9010Q.py  7893b9d4f399237cb68cbd7095e1733dd868ff9f
9011    cin_validator/rules/cin2026_27/rule_9011.py   6705a56c1d3d1271e70191ded29b96dce1cd285e
9012    cin_validator/rules/cin2026_27/rule_9012.py   4f8cc4807edd6c876e1f606c2ba680e22f00324a
9013    cin_validator/rules/cin2026_27/rule_9013.py   4f8cc4807edd6c876e1f606c2ba680e22f00324a
9015Q   cin_validator/rules/cin2026_27/rule_9015Q.py  b6753e78b1a59a18f269708bf43e6f0d7f5f025f
======  ============================================  ========================================

How the validator reads a value, followed here: the text of the first child element of that
name, as written (``utils.get_values``: ``find(name).text``, absent or empty is missing);
every column whose name contains "date" goes through ``pd.to_datetime(errors="coerce")``
(``utils.process_date_columns``), so a date that cannot be read is missing (NaT), and any
comparison with a missing date is false.  The census period is ``make_census_period``:
the reference date minus one year plus one day, to the reference date, both included (the
corrected version; an older stored copy of ``utils.py``, commit 9a51184b, still subtracts
one year only: ``PERIOD_START_DAYS`` holds which).

The rules as the files have them (note where they differ from the specification's wording:
9007 only fails an offer *without* a letter date; 9011 fails a block with no PPOutcome; 9000Q
counts rows, so it fires only when the return holds no block at all).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

PERIOD_START_DAYS = 1  # make_census_period: reference date - 1 year + this many days

_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*")

PP_COLUMNS = (
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
)


@dataclass(frozen=True)
class Issue:
    rule: str
    row: int  # the block's position in the return's PreProceedings table (0 = first)
    la_child_id: str | None
    field: str


def to_datetime(text: str | None) -> dt.datetime | None:
    """``pd.to_datetime(errors="coerce")`` for the forms a CIN return uses; None is NaT."""
    if text is None:
        return None
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        return dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
    except ValueError:
        return None


def census_period(reference: str) -> tuple[dt.datetime, dt.datetime]:
    end = to_datetime(reference)
    assert end is not None, reference
    start = end.replace(year=end.year - 1) + dt.timedelta(days=PERIOD_START_DAYS)
    return start, end


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first_text(parent: ET.Element, name: str) -> str | None:
    for child in parent:
        if _local(child.tag) == name:
            return child.text  # as written; an empty element is None (missing)
    return None


def pre_proceedings_table(root: ET.Element) -> list[dict[str, object]]:
    """One row per ``<PreProceedingsandFGDM>``, with the child's LAchildID."""
    rows: list[dict[str, object]] = []
    for child in root.iter():
        if _local(child.tag) != "Child":
            continue
        la_id = None
        for part in child:
            if _local(part.tag) == "ChildIdentifiers":
                la_id = _first_text(part, "LAchildID")
        for block in child.iter():
            if _local(block.tag) != "PreProceedingsandFGDM":
                continue
            row: dict[str, object] = {"LAchildID": la_id}
            for column in PP_COLUMNS:
                text = _first_text(block, column)
                row[column] = to_datetime(text) if "date" in column.lower() else text
            rows.append(row)
    return rows


def _outside(value: object, start: dt.datetime, end: dt.datetime) -> bool:
    return isinstance(value, dt.datetime) and (value > end or value < start)


def _before(value: object, other: object) -> bool:
    return isinstance(value, dt.datetime) and isinstance(other, dt.datetime) and value < other


def validate(data: bytes) -> tuple[list[Issue], list[str]]:
    """The child-level issues and the return-level (LA) ones, as the rules find them."""
    root = ET.fromstring(data)
    reference = None
    for element in root.iter():
        if _local(element.tag) == "ReferenceDate":
            reference = element.text
            break
    assert reference is not None
    start, end = census_period(reference)
    rows = pre_proceedings_table(root)
    issues: list[Issue] = []

    def issue(rule: str, index: int, field: str) -> None:
        issues.append(Issue(rule, index, rows[index]["LAchildID"], field))  # type: ignore[arg-type]

    for index, row in enumerate(rows):
        pp_start, letter = row["PPStartDate"], row["LBPSentDate"]
        meeting, decision = row["InitialPPMeetingDate"], row["StepDecisionDate"]
        court, letter_of_issue = row["CourtAppDate"], row["LetterInitCPDate"]
        if _outside(pp_start, start, end):
            issue("9005", index, "PPStartDate")
        if (letter is not None and pp_start is not None) and (
            _outside(letter, start, end) or _before(letter, pp_start)
        ):
            issue("9006", index, "LBPSentDate")
        if row["FGDMMeetingOffer"] is not None and letter is None:
            issue("9007", index, "LBPSentDate")
        if _outside(meeting, start, end):
            issue("9008", index, "InitialPPMeetingDate")
        if (decision is not None and pp_start is not None) and (
            _outside(decision, start, end) or _before(decision, pp_start)
        ):
            issue("9009", index, "StepDecisionDate")
        if str(row["FGDMMeetingOffer"]) == "1" and row["FGDMMeetingFac"] is None:
            issue("9010Q", index, "FGDMMeetingFac")
        if row["PPOutcome"] not in ("A", "B", "C"):
            issue("9011", index, "PPOutcome")
        if (court is not None and decision is not None) and (
            _outside(court, start, end) or _before(court, decision)
        ):
            issue("9012", index, "CourtAppDate")
        if (court is not None and letter_of_issue is not None) and (
            _outside(letter_of_issue, start, end) or _before(letter_of_issue, court)
        ):
            issue("9013", index, "LetterInitCPDate")
        if meeting is not None and row["ReviewMeetingsCount"] is None:
            issue("9015Q", index, "ReviewMeetingsCount")
    la_level = ["9000Q"] if not rows else []
    return issues, la_level
