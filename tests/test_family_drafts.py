"""The short names made for children when a record first names one (``domain.keys``), and
the booking checks a form runs as it is typed (``services.cases.drafts.booking_check``), on
the contract's blended family."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from plo_tracker.domain.keys import suggested_child_keys, with_child_keys
from plo_tracker.domain.model import Booking, CaseHistory, Child
from plo_tracker.domain.policy import Policy
from plo_tracker.domain.working_days import WorkingCalendar
from plo_tracker.exchange import parse_document
from plo_tracker.services import base
from plo_tracker.services.cases import booking_check

EXAMPLE = Path(__file__).resolve().parent / "data" / "example-cases-v3.json"


@pytest.fixture(scope="module")
def family() -> CaseHistory:
    cases = parse_document(EXAMPLE.read_text(encoding="utf-8"), dt.date(2024, 4, 2))
    return next(c for c in cases if c.reference == "PLO-2024-0031")


def test_children_get_short_names_from_their_first_names() -> None:
    case = CaseHistory(
        reference="X",
        children=(
            Child("Zoë-Mai Hart", key=None),
            Child("Ruby Evans", key="zoemai"),
            Child("Ruby Jones"),
            Child("  ", key=None),
            Child("ruby Grey", key="ruby"),
        ),
    )
    assert suggested_child_keys(case) == {0: "zoemai2", 2: "ruby2", 3: "child"}
    keyed = with_child_keys(case)
    assert [c.key for c in keyed.children] == ["zoemai2", "zoemai", "ruby2", "child", "ruby"]
    assert with_child_keys(keyed) is keyed


def test_a_booking_is_checked_as_typed_with_the_saves_own_words(
    family: CaseHistory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "now", lambda: dt.datetime(2024, 4, 2, 9, 0))
    policy, calendar = Policy(), WorkingCalendar()
    ok = Booking(
        "review_meeting",
        dt.date(2024, 4, 29),
        dt.time(12, 0),
        "Shirehall, meeting room 2",
        attendees=("alfie_father",),
    )
    assert booking_check(family, ok, policy, calendar).problem is None
    close = replace(ok, time=dt.time(11, 59))
    problem = booking_check(family, close, policy, calendar).problem
    assert problem is not None
    assert "less than 2 hours from the review meeting on Monday 29 April 2024 at 10:00" in str(
        problem
    )
    together = replace(ok, attendees=("alfie_father", "mother"))
    assert "must be kept apart, so they cannot both be at" in str(
        booking_check(family, together, policy, calendar).problem
    )
    past = replace(ok, date=dt.date(2024, 4, 1))
    assert "is in the past" in str(booking_check(family, past, policy, calendar).problem)
    sunday = booking_check(family, replace(ok, date=dt.date(2024, 5, 5)), policy, calendar)
    assert sunday.problem is None
    assert sunday.to_confirm == (
        "Sunday 5 May 2024 is not a working day (a weekend, bank holiday or closure day).",
    )
