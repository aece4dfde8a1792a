"""The real window started in a process of its own, for tests that need a fresh one.

    python tests/ui/window_process.py MODE [--db DB] [--user USER] [--demo]

Modes:
  run          ``ui.app.run(args)``; prints ``EXIT <code>`` (dialogs print instead of
               showing: ``DIALOG <kind> <title>: <message>``).
  first-paint  ``ui.app.start(args)``; at the window's first paint prints
               ``MODULES <json list of the heavy modules already imported>``, then
               ``ATTACHED`` when the session is in place and ``LOADED <rows>`` when the
               case list is filled, and quits.

Questions (``dialogs.confirm``) print ``DIALOG confirm ...`` and are answered yes when
``PLO_TEST_CONFIRM=yes``, else no.  Used by tests/ui/test_start_up_order.py and
tests/ui/test_startup.py (not a test itself).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

HEAVY_PREFIXES = (
    "sqlalchemy",
    "alembic",
    "psycopg",
    "docx",
    "docxtpl",
    "jinja2",
    "openpyxl",
    "textstat",
    "holidays",
    "db.session",
    "db.engine",
    "db.models",
    "db.migrate",
    "plo_tracker.app",
    "plo_tracker.config",
    "plo_tracker.services",
    "plo_tracker.letters",
    "plo_tracker.reports",
    "plo_tracker.exchange",
)


def heavy_modules() -> list[str]:
    return sorted(
        name
        for name in list(sys.modules)
        if any(name == p or name.startswith(p + ".") for p in HEAVY_PREFIXES)
    )


def quiet_dialogs() -> None:
    from ui import dialogs

    def say(kind: str) -> Callable[..., None]:
        def show(_parent: object, title: str, message: str, *_rest: object) -> None:
            print(f"DIALOG {kind} {title}: {message}".replace("\n", " "), flush=True)

        return show

    dialogs.show_error = say("error")
    dialogs.show_info = say("info")
    dialogs.choose_user = lambda _parent, people: people[0][0]
    answer = os.environ.get("PLO_TEST_CONFIRM", "no") == "yes"

    def confirm(_parent: object, title: str, message: str, _action: str = "OK") -> bool:
        say("confirm")(None, title, message)
        return answer

    dialogs.confirm = confirm


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["run", "first-paint"])
    parser.add_argument("--db")
    parser.add_argument("--user")
    parser.add_argument("--demo", action="store_true")
    options = parser.parse_args()
    args = argparse.Namespace(db=options.db, user=options.user, demo=options.demo, command=None)
    quiet_dialogs()
    from ui import app as ui_app

    if options.mode == "run":
        code = ui_app.run(args)
        print(f"EXIT {code}", flush=True)
        return 0
    app, window, opener = ui_app.start(args)

    def painted() -> None:
        print(f"MODULES {json.dumps(heavy_modules())}", flush=True)

    def attached() -> None:
        print("ATTACHED", flush=True)

    def loaded() -> None:
        print(f"LOADED {window.case_list.model.rowCount()}", flush=True)
        window.close()

    window.first_painted.connect(painted)
    window.attached.connect(attached)
    window.case_list.loaded.connect(loaded)
    code = app.exec()
    if opener.started is not None:
        opener.started.close()
    return 1 if opener.failed else int(code)


if __name__ == "__main__":
    raise SystemExit(main())
