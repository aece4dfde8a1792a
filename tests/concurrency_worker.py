"""A separate process writing to a shared database (run by tests/test_concurrency.py).

    python -m tests.concurrency_worker URL USERNAME ROUNDS DAY

DAY (an ISO date) is the test's day: the worker's clock is fixed to it, as the test's is.

Each round: records one event on the shared case, appends a marker to the shared
assessment's title with read-modify-write and the version it read (retrying on a
conflict or a busy database), and imports one case of its own.  Prints a JSON line
with how many conflicts and busy waits it met.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from dataclasses import replace

from db.errors import DatabaseBusyError
from plo_tracker import clock
from plo_tracker.app import AppContext, open_database
from plo_tracker.domain.model import CaseHistory, Child, Event
from plo_tracker.errors import ConflictError
from plo_tracker.services.users import find_actor

SHARED = "SHARED-1"


def retry(action, counts: dict[str, int]):
    while True:
        try:
            return action()
        except ConflictError:
            counts["conflicts"] += 1
        except DatabaseBusyError:
            counts["busy"] += 1
            time.sleep(0.05)


def main() -> int:
    url, username, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
    clock.fix(dt.date.fromisoformat(sys.argv[4]))
    db, _ = open_database(url)
    app = AppContext(db=db, actor=find_actor(db, username))
    counts = {"conflicts": 0, "busy": 0}
    today = clock.today()
    for i in range(rounds):
        retry(
            lambda i=i: app.cases.save_event(
                SHARED, Event(type="fgc_held", date=today - dt.timedelta(days=i))
            ),
            counts,
        )

        def append_marker(i: int = i) -> None:
            assessment = app.cases.get(SHARED).assessments[0]
            app.cases.save_assessment(
                SHARED, replace(assessment, title=f"{assessment.title} {username[-1]}.{i}")
            )

        retry(append_marker, counts)
        own = CaseHistory(
            reference=f"{username}-{i}",
            children=(Child(name="Ann Lee", date_of_birth=dt.date(2020, 1, 1)),),
        )
        retry(lambda own=own: app.exchange.import_cases([own]), counts)
    db.dispose()
    print(json.dumps(counts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
