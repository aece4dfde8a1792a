"""Several processes writing to one database at once: nothing lost, nothing duplicated."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import URL, func, select

from db.models import AuditEntry
from plo_tracker import clock
from plo_tracker.app import AppContext
from plo_tracker.domain.model import Assessment, Child, Event
from plo_tracker.services.cases import CaseHeader
from tests.builders import add_staff

ROOT = Path(__file__).resolve().parents[1]
WORKERS = 4
ROUNDS = 8


@pytest.mark.slow
def test_parallel_writers_lose_and_duplicate_nothing(app: AppContext, db_url: URL) -> None:
    names = [f"writer{n}" for n in range(WORKERS)]
    for name in names:
        app.users.add(name, name.title(), "team_manager")
    start = clock.today() - dt.timedelta(days=40)
    app.cases.create(
        CaseHeader(reference="SHARED-1", **add_staff(app)),
        [Child(name="Ann Lee", date_of_birth=dt.date(2020, 1, 1))],
    )
    app.cases.save_event(
        "SHARED-1", Event(type="legal_planning_meeting", date=start, outcome="pre_proceedings")
    )
    app.cases.save_assessment("SHARED-1", Assessment("Log", start, start + dt.timedelta(days=90)))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    dsn = db_url.render_as_string(hide_password=False)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.concurrency_worker",
                dsn,
                name,
                str(ROUNDS),
                clock.today().isoformat(),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))

    case = app.cases.get("SHARED-1")
    reviews = [e for e in case.events if e.type == "fgc_held"]
    assert len(reviews) == WORKERS * ROUNDS  # none lost, none duplicated
    title = case.assessments[0].title
    markers = title.split()[1:]
    expected = {f"{name[-1]}.{i}" for name in names for i in range(ROUNDS)}
    assert sorted(markers) == sorted(expected)  # every read-modify-write kept, once
    assert case.assessments[0].version == 1 + WORKERS * ROUNDS
    references = set(app.cases.references())
    assert {f"{name}-{i}" for name in names for i in range(ROUNDS)} <= references
    with app.db.read() as session:
        audited_events = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.entity == "events",
                AuditEntry.action == "create",
                AuditEntry.case_reference == "SHARED-1",
            )
        )
    assert audited_events == 1 + WORKERS * ROUNDS
    # The optimistic locks did their job: with four writers, some saves were refused and
    # retried rather than overwriting each other.
    print(
        "conflicts retried:",
        sum(r["conflicts"] for r in results),
        "busy waits:",
        sum(r["busy"] for r in results),
    )
