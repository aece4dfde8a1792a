"""Issue 22, item 2: an import never removes a colleague's edit it did not see.

On PostgreSQL an import reads the cases it will replace, then writes them; a colleague's
plan action saved in between used to vanish (exit 0, and the audit's "before" never saw
it).  Now the import locks the cases it replaces and refuses, naming the case and the
change, when one changed since it was read.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL, select, text

from db.models import AuditEntry
from db.models import PlanAction as PlanActionRow
from plo_tracker import clock
from plo_tracker.app import AppContext, open_app
from plo_tracker.domain.model import Event
from plo_tracker.errors import ImportConflict, PermissionDenied
from plo_tracker.permissions import Role
from plo_tracker.services.cases import load_case_row
from tests.conftest import as_role

EXAMPLE = Path(__file__).parent.parent / "data" / "example-cases.json"
CASE = "PLO-2024-0011"


def file_with_one_more_event() -> str:
    """The example file with a new event on CASE: nothing removed, so no --replace needed."""
    data = json.loads(EXAMPLE.read_text())
    case = next(c for c in data["cases"] if c["reference"] == CASE)
    case["events"].append({"type": "fgc_referral", "date": "2024-03-20"})
    return json.dumps(data)


@pytest.fixture
def shared(pg_url: URL) -> Iterator[AppContext]:
    owner = open_app(pg_url, username="admin", create=True)
    owner.exchange.import_file(EXAMPLE)
    yield owner
    owner.close()


def _wait_for_lock_wait(owner: AppContext, timeout: float = 30.0) -> None:
    """Until some connection to this database waits for a row lock (the import)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with owner.db.engine.connect() as conn:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            ).scalar()
        if waiting:
            return
        time.sleep(0.05)
    raise AssertionError("the import never waited for the colleague's lock")


@pytest.mark.postgres
def test_a_colleagues_plan_action_saved_during_an_import_refuses_it(
    shared: AppContext,
) -> None:
    colleague = as_role(shared, Role.SOCIAL_WORKER, "priya_shah")
    manager = as_role(shared, Role.TEAM_MANAGER, "ann_manager")
    before = shared.cases.get(CASE)
    outcome: dict[str, object] = {}

    def run_import() -> None:
        try:
            outcome["result"] = manager.exchange.import_text(file_with_one_more_event())
        except Exception as error:  # the test reads it below
            outcome["error"] = error

    # The colleague adds a plan action: saved (flushed, audited, revision moved on) but not
    # yet committed when the import reads the case, committed while the import runs.
    saving = colleague.db.write(colleague.actor.username)
    session = saving.__enter__()
    row = load_case_row(session, CASE)
    row.plan_actions.append(
        PlanActionRow(position=1, action="Mother to attend a parenting course", due=clock.today())
    )
    session.flush()
    importer = threading.Thread(target=run_import)
    importer.start()
    try:
        _wait_for_lock_wait(shared)
    finally:
        saving.__exit__(None, None, None)  # the colleague's change commits
        importer.join(60)
    error = outcome.get("error")
    assert isinstance(error, ImportConflict), outcome
    message = str(error)
    assert message.startswith("Import refused, nothing was changed. Case PLO-2024-0011:")
    assert "Priya Shah (priya_shah) added a plan action" in message
    assert "nothing was imported" in message
    # The colleague's plan action is there, and the import changed nothing.
    after = shared.cases.get(CASE)
    assert [a.action for a in after.plan_actions] == ["Mother to attend a parenting course"]
    assert len(after.events) == len(before.events)
    with shared.db.read() as read:
        imports = read.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "import", AuditEntry.case_reference == CASE
            )
        ).all()
    assert len(imports) == 1  # the first import only

    # Imported again, the file's case replaces the one the import now sees: its "before"
    # holds the colleague's plan action in full, so nothing is replaced unrecorded.
    result = manager.exchange.import_text(file_with_one_more_event(), replace=True)
    assert result.replaced == 1
    with shared.db.read() as read:
        last = read.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "import", AuditEntry.case_reference == CASE)
            .order_by(AuditEntry.id.desc())
        ).first()
        assert last is not None
        replaced = last.changes
    assert replaced["before"]["plan_actions"][0]["action"] == (
        "Mother to attend a parenting course"
    )


def test_a_social_worker_changes_only_their_own_teams_cases_in_the_app(
    sqlite_app: AppContext,
) -> None:
    """The app refuses in words what PostgreSQL's row-level security refuses (on any
    database); a manager works across teams."""
    sqlite_app.exchange.import_file(EXAMPLE)
    sqlite_app.teams.confirm("Case Management 1")
    worker = as_role(sqlite_app, Role.SOCIAL_WORKER, "sw_one", team="Case Management 1")
    manager = as_role(sqlite_app, Role.TEAM_MANAGER, "tm_one", team="Case Management 1")
    referral = Event(type="fgc_referral", date=clock.today())
    worker.cases.save_event(CASE, referral)  # their own team's case
    other = "PLO-2024-0007"  # Case Management 2
    before = sqlite_app.cases.get(other)
    with pytest.raises(PermissionDenied) as caught:
        worker.cases.save_event(other, referral)
    assert str(caught.value) == (
        "Case PLO-2024-0007 belongs to Case Management 2, and you are signed in as Sw One "
        "(social worker, Case Management 1): a social worker may change only their own "
        "team's cases. Nothing was changed."
    )
    assert sqlite_app.cases.get(other) == before
    manager.cases.save_event(other, referral)
    assert len(sqlite_app.cases.get(other).events) == len(before.events) + 1
