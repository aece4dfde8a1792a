"""Shared fixtures: real databases (a SQLite file, and PostgreSQL when configured).

Every test runs on the same day, ``TODAY``: the app's one clock (``plo_tracker.clock``)
is fixed to it before any test or fixture runs, so demo data (made from a fixed seed
and the day) and every "today" are the same on any day the suite runs.  A test that
needs another day uses the ``clock_on`` fixture; a child process gets the day on its
command line (``tests.concurrency_worker``).  ``.ci/run`` runs the UI and letters
tests again with the computer's clock moved (libfaketime) to show nothing else leaks.

PostgreSQL tests use the server named by ``PLO_TEST_POSTGRES_URL`` (a URL to a
database on it, e.g. postgresql://postgres@127.0.0.1:5432/test).  When it is not
set they are skipped; when it is set and the server cannot be reached they fail.
Each test gets its own database, copied from a template migrated once per run.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

# Before anything imports Qt, and before anything writes to the user's folders.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_RUN_DIR = Path(tempfile.mkdtemp(prefix="plo-tests-"))
os.environ["PLO_TRACKER_DATA_DIR"] = str(_RUN_DIR / "data")
# No settings file of this computer or user applies (tests that need one write their own).
os.environ["PLO_TRACKER_SITE_CONFIG"] = str(_RUN_DIR / "site-config.toml")
os.environ["PLO_TRACKER_USER_CONFIG"] = str(_RUN_DIR / "user-config.toml")
os.environ.pop("PLO_TRACKER_DATABASE_URL", None)
os.environ.pop("PLO_TRACKER_USER", None)

import pytest  # noqa: E402
from sqlalchemy import URL, create_engine, make_url, text  # noqa: E402

from db import migrate  # noqa: E402
from db.engine import create_store_engine, sqlite_url  # noqa: E402
from plo_tracker import clock  # noqa: E402
from plo_tracker.app import AppContext, open_app  # noqa: E402
from plo_tracker.permissions import Role  # noqa: E402
from plo_tracker.services.users import UserService, find_actor  # noqa: E402

PG_ENV = "PLO_TEST_POSTGRES_URL"
RUN_ID = uuid.uuid4().hex[:8]

# The day every test runs on (a Wednesday in term time, no bank holiday near it).
TODAY = dt.date(2026, 11, 25)
clock.fix(TODAY)  # now, before any session fixture makes demo data


@pytest.fixture(autouse=True)
def _same_day_for_every_test() -> Iterator[None]:
    clock.fix(TODAY)
    yield
    clock.fix(TODAY)


@pytest.fixture
def clock_on() -> Callable[[dt.date], None]:
    """Move the app's day for this test: ``clock_on(dt.date(2027, 3, 31))``."""
    return clock.fix


def run_dir() -> Path:
    return _RUN_DIR


def log_file() -> Path:
    return _RUN_DIR / "data" / "logs" / "plo-tracker.log"


# -- PostgreSQL ------------------------------------------------------------------------------


class PostgresServer:
    """Makes and drops throw-away databases on the test server."""

    def __init__(self, url: str) -> None:
        self.base = make_url(url)
        if self.base.drivername == "postgresql":
            self.base = self.base.set(drivername="postgresql+psycopg")
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:  # fails the run loudly if unreachable
            conn.execute(text("SELECT 1"))
        self.template: str | None = None
        self.created: list[str] = []

    def url_for(self, name: str) -> URL:
        return self.base.set(database=name)

    def create(self, *, migrated: bool = True) -> URL:
        name = f"plo_test_{RUN_ID}_{len(self.created)}"
        with self.admin.connect() as conn:
            if migrated:
                conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self._template()}"'))
            else:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.url_for(name)

    def _template(self) -> str:
        if self.template is None:
            name = f"plo_tmpl_{RUN_ID}"
            with self.admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            self.created.append(name)
            engine = create_store_engine(self.url_for(name))
            migrate.upgrade(engine)
            engine.dispose()
            self.template = name
        return self.template

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in reversed(self.created):
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set; PostgreSQL tests skipped")
    server = PostgresServer(url)
    yield server
    server.drop_all()


@pytest.fixture
def pg_url(postgres: PostgresServer) -> URL:
    return postgres.create()


# -- any database ----------------------------------------------------------------------------


@pytest.fixture
def sqlite_db_url(tmp_path: Path) -> URL:
    return sqlite_url(tmp_path / "plo.db")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> URL:
    """Runs the test once on a SQLite file and once on PostgreSQL."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "plo.db")
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create()


@pytest.fixture
def app(db_url: URL) -> Iterator[AppContext]:
    """The app opened by an administrator (the database's first user)."""
    context = open_app(db_url, username="admin", create=True)
    yield context
    context.close()


@pytest.fixture
def sqlite_app(sqlite_db_url: URL) -> Iterator[AppContext]:
    context = open_app(sqlite_db_url, username="admin", create=True)
    yield context
    context.close()


def as_role(
    app: AppContext, role: Role | str, username: str | None = None, team: str | None = None
) -> AppContext:
    """The same database used by a (new) user with ``role`` (their team is added if new)."""
    from plo_tracker.services.teams import TeamService

    role = Role(role)
    username = username or f"{role.value}_{uuid.uuid4().hex[:6]}"
    users = UserService(app.db, app.actor)
    teams = TeamService(app.db, app.actor)
    if team is not None and team not in teams.names():
        teams.add(team)
    if username not in {u.username for u in users.list()}:
        users.add(username, username.replace("_", " ").title(), role, team)
    return AppContext(db=app.db, actor=find_actor(app.db, username))


# -- the whole run logs to one file, which the privacy test scans at the end -----------------


@pytest.fixture(scope="session", autouse=True)
def _log_to_file() -> None:
    import logging

    from plo_tracker import logs

    logs.configure(log_file().parent, level=logging.DEBUG)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``last`` run after everything else (the log scan needs a full run)."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)
