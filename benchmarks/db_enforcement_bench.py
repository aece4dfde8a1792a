#!/usr/bin/env python3
"""What PostgreSQL's enforcement (issue 22: row-level security, audit triggers, import locks)
costs.

    PLO_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python benchmarks/db_enforcement_bench.py --cases 2000 --runs 3

One demo database's cases are exported, imported into a new PostgreSQL database, and then
imported again with every case changed (all replaced: every case locked, its contents
cleared and written), first without ``db-setup`` and then with it, as the owner and as a
team manager's own login (row-level security checks each row written).  Then an
administrator's login deletes every event by hand: each row is audited by trigger.
Writes benchmarks/results/db_enforcement.md.  Not part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CACHE = RESULTS / "cache"
sys.path.insert(0, str(ROOT))


def plo(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "plo_tracker", *args],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", default=os.environ.get("PLO_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        print("set PLO_TEST_POSTGRES_URL", file=sys.stderr)
        return 2
    from sqlalchemy import create_engine, make_url, text

    CACHE.mkdir(parents=True, exist_ok=True)
    tag = uuid.uuid4().hex[:6]
    demo = CACHE / f"enforce-{tag}.db"
    exported = CACHE / f"enforce-{tag}.json"
    changed = CACHE / f"enforce-{tag}-changed.json"
    plo("--db", str(demo), "--user", "bench", "demo-data", "--cases", str(args.cases))
    plo("--db", str(demo), "--user", "bench", "export", str(exported))
    data = json.loads(exported.read_text())
    for case in data["cases"]:
        case["children"][0]["name"] += " B"
    changed.write_text(json.dumps(data))
    second = json.loads(changed.read_text())
    for case in second["cases"]:
        case["children"][0]["name"] += "C"
    changed_again = CACHE / f"enforce-{tag}-changed2.json"
    changed_again.write_text(json.dumps(second))

    base = make_url(args.postgres).set(drivername="postgresql+psycopg")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    manager_login, admin_login = f"bench_{tag}_manager", f"bench_{tag}_admin"
    rows: list[tuple[str, float, list[float], str]] = []

    def database(setup: bool) -> str:
        name = f"plo_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
        plo("--db", url, "import", str(exported), "--create-missing")
        if setup:
            plo("--db", url, "db-setup", "--apply")
        return name

    def drop(name: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def replace_all(setup: bool, login: str | None) -> float:
        name = database(setup)
        try:
            url = base.set(database=name)
            owner = url.render_as_string(hide_password=False)
            if login is not None:
                plo(
                    "--db",
                    owner,
                    "users",
                    "add",
                    login,
                    "--name",
                    f"Bench {login[-7:]}",
                    "--role",
                    "team_manager",
                )
                url = url.set(username=login)
            who = url.render_as_string(hide_password=False)
            # Twice, so the files alternate and every case is replaced each time.
            plo("--db", who, "import", str(changed), "--replace")
            return plo("--db", who, "import", str(changed_again), "--replace")
        finally:
            drop(name)

    try:
        with admin.connect() as conn:
            for login in (manager_login, admin_login):
                conn.execute(text(f'CREATE ROLE "{login}" LOGIN'))
        for label, setup, login in (
            ("replace every case, owner, without db-setup", False, None),
            ("replace every case, owner, with db-setup (triggers, RLS)", True, None),
            ("replace every case, a team manager's login, with db-setup", True, manager_login),
        ):
            values = [replace_all(setup, login) for _ in range(args.runs)]
            rows.append((label, statistics.median(values), values, "s"))
            print(label, f"{statistics.median(values):.3f}", values, flush=True)
        name = database(True)
        try:
            url = base.set(database=name)
            plo(
                "--db",
                url.render_as_string(hide_password=False),
                "users",
                "add",
                admin_login,
                "--name",
                "Bench Admin",
                "--role",
                "administrator",
            )
            engine = create_engine(url.set(username=admin_login))
            with engine.begin() as conn:
                start = time.perf_counter()
                deleted = conn.execute(text("DELETE FROM events")).rowcount
                took = time.perf_counter() - start
            with engine.connect() as conn:
                audited = conn.execute(
                    text("SELECT count(*) FROM audit_log WHERE action = 'sql_delete'")
                ).scalar()
            engine.dispose()
            rows.append(
                (
                    f"an administrator's login deletes every event by hand ({deleted:,} rows, "
                    f"{audited:,} audited by trigger)",
                    took,
                    [took],
                    "s",
                )
            )
            print(rows[-1], flush=True)
        finally:
            drop(name)
    finally:
        with admin.connect() as conn:
            for login in (manager_login, admin_login):
                conn.execute(text(f'DROP ROLE IF EXISTS "{login}"'))
        admin.dispose()
        for path in (demo, exported, changed, changed_again):
            path.unlink(missing_ok=True)
    lines = [
        "# PostgreSQL enforcement (issue 22): what it costs",
        "",
        f"{args.cases:,} demo cases; median of {args.runs} runs; "
        "`benchmarks/db_enforcement_bench.py`.",
        "",
        "| measure | median | unit | runs |",
        "|---|---|---|---|",
    ]
    for label, median, values, unit in rows:
        runs = ", ".join(f"{v:.3f}" for v in values)
        lines.append(f"| {label} | {median:.3f} | {unit} | {runs} |")
    (RESULTS / "db_enforcement.md").write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
