"""The case exchange format, versions 1, 2 and 3 (``shared/contract/case-exchange.md``).

The public face:

* ``parse_document(text, today)``: check and read a whole document, all or nothing;
  ``ExchangeError`` names the case, the JSON path and the problem.
* ``check_case(data, today)``: one case in exchange form (version 3), as the services check
  every edit made in the app, so the app can never hold a case it could not export.
* ``case_to_json`` / ``document_to_json``: what ``export`` writes (version 3).
* ``stream``: reading a file as a stream (``read_header``, ``cases``), so memory stays small.

The parts: ``checker`` (values with their paths), ``records`` (one record each),
``case`` (a whole case and the rules across its records), ``writing``, ``stream``.
A version 1 or 2 file means exactly what it meant before: the keys and event types of a
later version are unknown keys there, hence errors.

Choices where the contract leaves room (also in docs/exchange-format.md):

* A ``null`` value for an optional key means the same as leaving the key out.
* "Before the child's case could start": no event may be dated before the earliest child
  could have been conceived, taken as 42 weeks before the earliest date of birth or expected
  birth among the case's children (a chronology rule, ``before_conception``).
* A list of people or children (``about``, ``children``, ``attendees``, ``from``) may not
  name anyone twice; ``"about": []`` and ``"children": []`` on a concern, strength or
  assessment mean the same as leaving them out. A person's ``"children": []`` means they are
  tied to no child (unlike leaving it out: tied to every child). A booking's ``attendees``
  may not be empty; a meeting's may (nobody from the family came).
* Once anything in a case names a child by id, every child of the case needs an id.
* Besides event dates, an assessment's commission and completion dates and a plan action's
  completion date record what happened, so they may not be in the future either; a born
  child's date of birth may not be in the future.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from plo_tracker.domain.model import CaseHistory
from plo_tracker.exchange import stream
from plo_tracker.exchange.case import CASE_KEYS, CASE_KEYS_V2, CASE_KEYS_V3, read_case
from plo_tracker.exchange.checker import FORMAT, VERSION, VERSIONS, Checker
from plo_tracker.exchange.writing import case_to_json, document_to_json

TOP_KEYS = stream.TOP_KEYS

__all__ = [
    "CASE_KEYS",
    "CASE_KEYS_V2",
    "CASE_KEYS_V3",
    "FORMAT",
    "TOP_KEYS",
    "VERSION",
    "VERSIONS",
    "case_to_json",
    "check_case",
    "document_to_json",
    "parse_document",
    "stream",
]


def parse_document(
    text: str | bytes,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> list[CaseHistory]:
    """Check and read a whole exchange document; all or nothing.

    The reading itself streams (``stream``), so a file can also be checked and imported
    without holding it in memory.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    source = io.BytesIO(data)
    header = stream.read_header(source)
    cases: list[CaseHistory] = []
    for i, case in enumerate(stream.cases(source, today, header)):
        cases.append(case)
        if progress is not None and (i + 1) % 200 == 0:
            progress(i + 1, header.count)
    return cases


def check_case(
    data: dict[str, Any],
    today: dt.date,
    *,
    check_chronology: bool = True,
    new_reference: bool = True,
) -> CaseHistory:
    """Check one case in exchange form, version 3 (used to validate edits made in the app).

    The services check the chronology themselves (``check_chronology=False``), so that a
    change is refused only for what it breaks, and unusual orders can be confirmed. An edit
    of a case already held (``new_reference=False``) keeps its reference as it is; a new
    reference must be in the safe set (docs/exchange-format.md, "Case references").
    """
    checker = Checker(today, VERSION, reference_rules=new_reference)
    return read_case(checker, data, "case", check_chronology=check_chronology)
