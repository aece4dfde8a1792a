"""No personal data in the log file of a full test run."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from plo_tracker import demo, logs
from tests.conftest import log_file

EXAMPLE = Path(__file__).parent / "data" / "example-cases.json"


def personal_strings() -> set[str]:
    found: set[str] = set()
    for first in demo.FIRST_NAMES_F + demo.FIRST_NAMES_M:
        for surname in demo.SURNAMES:
            found.add(f"{first} {surname}")
    for _user, name, _role, _team in demo.demo_people():
        found.add(name)
    found.update(demo.STREETS)
    document = json.loads(EXAMPLE.read_text())

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in (
            "name",
            "social_worker",
            "team_manager",
            "legal_liaison",
            "email",
            "phone",
            "needs",
            "rationale",
            "reason",
            "action",
            "support",
            "place",
            "decided_by",
        ):
            found.add(value)

    walk(document)
    found.update({"Zoë Ølsen", "12 Castle Street", "SY8 1AS"})
    return {s for s in found if len(s) >= 5}


def test_the_filter_scrubs_arguments_and_exception_text() -> None:
    log = logging.getLogger("plo_tracker.privacy_check")
    try:
        raise ValueError("could not save Kelly Jones at 12 Castle Street")
    except ValueError:
        log.exception("failed for %s (case %s)", "Kelly Jones", logs.Safe("PLO-2024-0007"))
    text = log_file().read_text(encoding="utf-8")
    assert "case PLO-2024-0007" in text
    assert "failed for [redacted]" in text
    assert "builtins.ValueError" in text


@pytest.mark.last
def test_log_of_the_whole_run_holds_no_personal_data() -> None:
    path = log_file()
    assert path.exists()
    assert path.stat().st_mode & 0o777 == 0o600
    text = "\n".join(p.read_text(encoding="utf-8") for p in path.parent.glob("plo-tracker.log*"))
    assert len(text.splitlines()) > 50, "the run should have logged plenty"
    leaks = sorted(s for s in personal_strings() if re.search(re.escape(s), text))
    assert leaks == []
