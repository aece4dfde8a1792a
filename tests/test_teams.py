"""Teams and staff are lists, not free text (issue 20, item 5): the services and commands.

On both databases: teams as records (add, rename on every case and user, merge, retire,
reinstate, confirm); people "not yet registered" confirmed with their login or merged;
a case's team and staff chosen from the teams and users whose role fits.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from plo_tracker.app import AppContext
from plo_tracker.cli import main
from plo_tracker.domain.model import Child
from plo_tracker.errors import (
    ConflictError,
    IdentityError,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from plo_tracker.permissions import Role
from plo_tracker.services.cases import CaseHeader
from plo_tracker.services.users import find_actor, identify
from tests.conftest import as_role

DATA = Path(__file__).parent / "data"
EXAMPLE = DATA / "example-cases.json"
CHILD = [Child(name="Ruby Marsh", date_of_birth=dt.date(2019, 4, 2))]


@pytest.fixture
def loaded(app: AppContext) -> AppContext:
    """The example cases imported into a new database: their teams and staff are not yet
    registered (no team was registered, so the import added them)."""
    result = app.exchange.import_file(EXAMPLE)
    assert result.added_names.teams == ("Case Management 1", "Case Management 2")
    return app


def team_of(app: AppContext, reference: str) -> str | None:
    return app.cases.get(reference).team


# -- teams ---------------------------------------------------------------------------------


def test_teams_found_on_cases_wait_to_be_confirmed(loaded: AppContext) -> None:
    teams = {t.name: t for t in loaded.teams.list()}
    assert {n: (t.status, t.cases, t.members) for n, t in teams.items()} == {
        "Case Management 1": ("not yet registered", 2, 0),
        "Case Management 2": ("not yet registered", 1, 0),
    }
    confirmed = loaded.teams.confirm("Case Management 1")
    assert confirmed.registered and confirmed.status == "current" and confirmed.cases == 2
    with pytest.raises(ValidationError, match="already confirmed"):
        loaded.teams.confirm("Case Management 1")
    with pytest.raises(NotFound, match="Did you mean: 'Case Management 2'"):
        loaded.teams.confirm("Case Managment 2")


def test_adding_a_team_refuses_a_name_taken_in_any_case(app: AppContext) -> None:
    assert app.cases.teams() == []
    added = app.teams.add("  Case Management 3 ")
    assert (added.name, added.registered, added.active) == ("Case Management 3", True, True)
    # The team list is never empty when teams exist, though no case names one yet.
    assert app.cases.teams() == ["Case Management 3"]
    with pytest.raises(ValidationError, match="already a team called 'Case Management 3'"):
        app.teams.add("case management 3")
    with pytest.raises(ValidationError, match="Team: must not be empty"):
        app.teams.add("   ")
    with pytest.raises(ValidationError, match="Team: contains control characters"):
        app.teams.add("Case\nManagement")


def test_renaming_a_team_renames_it_on_every_case_and_user_audited(loaded: AppContext) -> None:
    app = loaded
    manager = as_role(app, Role.TEAM_MANAGER, "ann.w", team="Case Management 1")
    before = app.cases.get("PLO-2024-0011")
    renamed = app.teams.rename("Case Management 1", "Case Management North")
    assert renamed.name == "Case Management North" and renamed.cases == 2
    assert team_of(app, "PLO-2024-0011") == team_of(app, "PLO-2023-0042")
    assert team_of(app, "PLO-2023-0042") == "Case Management North"
    assert team_of(app, "PLO-2024-0007") == "Case Management 2"  # other teams untouched
    assert app.users.get("ann.w").team == "Case Management North"
    assert "Case Management 1" not in {t.name for t in app.teams.list()}
    # Each case changed has its own audit entry, and its version moved on: a form opened on
    # the old name is refused as out of date, never saved over the new one.
    changes = [e.changes for e in app.audit.trail("PLO-2024-0011") if e.entity == "cases"]
    assert {"team": ["Case Management 1", "Case Management North"]} in changes
    stale = CaseHeader(reference="PLO-2024-0011", team="Case Management 1")
    with pytest.raises(ConflictError):
        manager.cases.update_header(stale, before.version)
    # The list of cases shows the new name (kept rows were refreshed).
    rows = {r.reference: r for r in app.cases.summaries()}
    assert rows["PLO-2024-0011"].team == "Case Management North"
    with pytest.raises(ValidationError, match="already a team called 'Case Management 2'"):
        app.teams.rename("Case Management North", "CASE MANAGEMENT 2")
    # A change of case only is a rename, not a clash with itself.
    assert app.teams.rename("Case Management North", "case management north").cases == 2


def test_merging_two_names_of_one_team(loaded: AppContext) -> None:
    app = loaded
    app.teams.add("CM2")
    worker = as_role(app, Role.SOCIAL_WORKER, "sam", team="CM2")
    assert worker.actor.team == "CM2"
    merged = app.teams.merge("CM2", "Case Management 2")
    assert merged.name == "Case Management 2"
    assert app.users.get("sam").team == "Case Management 2"
    assert "CM2" not in {t.name for t in app.teams.list()}
    with pytest.raises(ValidationError, match="same team"):
        app.teams.merge("Case Management 2", "Case Management 2")
    merged = app.teams.merge("Case Management 1", "Case Management 2")
    assert {team_of(app, r) for r in app.cases.references()} == {"Case Management 2"}
    assert merged.cases == 3


def test_retiring_a_team_keeps_its_cases_and_offers_it_for_nothing_new(
    loaded: AppContext,
) -> None:
    app = loaded
    as_role(app, Role.SOCIAL_WORKER, "megan.h", team="Case Management 2")
    # Refused while someone who uses the app is in it: their views would point nowhere.
    with pytest.raises(ValidationError, match=r"team of 1 person .*\(Megan\.H\)"):
        app.teams.retire("Case Management 2")
    user = app.users.get("megan.h")
    app.users.update("megan.h", user.version, team="Case Management 1")
    retired = app.teams.retire("Case Management 2")
    assert not retired.active and retired.cases == 1 and retired.status == "retired"
    assert "Case Management 2" not in app.cases.teams()
    assert "Case Management 2" in app.lookup.teams()  # its cases can still be filtered
    with pytest.raises(ValidationError, match="has been retired"):
        app.cases.create(
            CaseHeader(reference="NEW-1", team="Case Management 2", social_worker="Tom Baker"),
            CHILD,
        )
    with pytest.raises(ValidationError, match="Team: the team 'Case Management 2' has been"):
        app.users.update("megan.h", app.users.get("megan.h").version, team="Case Management 2")
    # Its case can still be saved as it is (only what changes is checked).
    case = app.cases.get("PLO-2024-0007")
    header = CaseHeader(
        reference=case.reference,
        team=case.team,
        social_worker=case.social_worker,
        team_manager=case.team_manager,
        legal_liaison=case.legal_liaison,
        court_reference="BR24C00123",
    )
    assert app.cases.update_header(header, case.version).court_reference == "BR24C00123"
    with pytest.raises(ValidationError, match="already retired"):
        app.teams.retire("Case Management 2")
    assert app.teams.reinstate("Case Management 2").active
    assert "Case Management 2" in app.cases.teams()


def test_only_administrators_change_teams(loaded: AppContext) -> None:
    for role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.LEGAL_LIAISON):
        other = as_role(loaded, role)
        assert [t.name for t in other.teams.list()] == ["Case Management 1", "Case Management 2"]
        for attempt in (
            lambda o=other: o.teams.add("Edge of Care"),
            lambda o=other: o.teams.rename("Case Management 1", "X"),
            lambda o=other: o.teams.retire("Case Management 1"),
            lambda o=other: o.teams.confirm("Case Management 1"),
            lambda o=other: o.teams.merge("Case Management 1", "Case Management 2"),
            lambda o=other: o.users.confirm("Tom Baker", "tom.baker"),
        ):
            with pytest.raises(PermissionDenied, match="manage users and teams"):
                attempt()
    assert all(not t.registered for t in loaded.teams.list())


# -- people not yet registered -------------------------------------------------------------


def test_people_found_on_cases_are_users_not_yet_registered_who_cannot_sign_in(
    loaded: AppContext,
) -> None:
    waiting = {u.display_name: u for u in loaded.users.unregistered()}
    assert {n: (u.role, u.team, u.active) for n, u in waiting.items()} == {
        "Ann Wright": (Role.TEAM_MANAGER, "Case Management 1", False),
        "David Evans": (Role.TEAM_MANAGER, "Case Management 2", False),
        "Megan Hughes": (Role.SOCIAL_WORKER, "Case Management 2", False),
        "Sara Khan": (Role.LEGAL_LIAISON, None, False),
        "Tom Baker": (Role.SOCIAL_WORKER, "Case Management 1", False),
    }
    assert all(u.username.startswith("~unregistered-") for u in waiting.values())
    assert all(not u.registered for u in waiting.values())
    assert loaded.users.get(loaded.actor.username).registered
    username = waiting["Tom Baker"].username
    if not loaded.db.is_postgresql:  # there the login decides (tests/test_postgres_roles.py)
        with pytest.raises(IdentityError, match="not registered"):
            identify(loaded.db, username)
    with pytest.raises(NotFound):
        as_role(loaded, Role.SOCIAL_WORKER, username)
    with pytest.raises(ValidationError, match="not yet registered: confirm them"):
        loaded.users.update(username, waiting["Tom Baker"].version, active=True)


def test_confirming_a_person_gives_them_their_login_and_carries_their_name(
    loaded: AppContext,
) -> None:
    app = loaded
    app.teams.confirm("Case Management 1")
    with pytest.raises(ValidationError, match="Tom Baker is already listed, not yet registered"):
        app.users.add("tom.baker", "Tom Baker", "social_worker")
    confirmed = app.users.confirm(
        "tom baker", "tom.baker", role="team_manager", display_name="Thomas Baker"
    )
    assert (confirmed.username, confirmed.display_name, confirmed.role) == (
        "tom.baker",
        "Thomas Baker",
        Role.TEAM_MANAGER,
    )
    assert confirmed.registered and confirmed.active and confirmed.team == "Case Management 1"
    assert app.cases.get("PLO-2024-0011").social_worker == "Thomas Baker"
    changes = [e.changes for e in app.audit.trail("PLO-2024-0011") if e.entity == "cases"]
    assert {"social_worker": ["Tom Baker", "Thomas Baker"]} in changes
    actor = find_actor(app.db, "tom.baker")
    if not app.db.is_postgresql:
        actor = identify(app.db, "tom.baker")
    assert (actor.role, actor.team) == (Role.TEAM_MANAGER, "Case Management 1")
    with pytest.raises(ValidationError, match="Thomas Baker is already registered"):
        app.users.confirm("Thomas Baker", "tb2")
    with pytest.raises(ValidationError, match=r"tom\.baker is already registered"):
        app.users.confirm("Megan Hughes", "tom.baker")
    with pytest.raises(NotFound, match="Did you mean: 'Megan Hughes'"):
        app.users.confirm("Megan Hughs", "megan.hughes")
    with pytest.raises(ValidationError, match="User name"):
        app.users.confirm("Megan Hughes", "~megan")
    # A corrected name is carried to the cases, and never clashes with someone else's.
    with pytest.raises(ValidationError, match="already listed, not yet registered"):
        app.users.update("tom.baker", confirmed.version, display_name="megan hughes")
    record = app.users.update("tom.baker", confirmed.version, display_name="Tom Baker")
    assert app.cases.get("PLO-2024-0011").social_worker == record.display_name == "Tom Baker"


def test_merging_a_second_spelling_into_the_person(loaded: AppContext) -> None:
    app = loaded
    app.teams.confirm("Case Management 1")
    document = EXAMPLE.read_text().replace('"Tom Baker"', '"Tom Bakr"')
    result = app.exchange.import_text(document, create_missing=True)
    assert [n for n, _r in result.added_names.people] == ["Tom Bakr"]
    assert app.cases.get("PLO-2024-0011").social_worker == "Tom Bakr"
    kept = app.users.merge("Tom Bakr", "Tom Baker")
    assert kept.display_name == "Tom Baker"
    assert app.cases.get("PLO-2024-0011").social_worker == "Tom Baker"
    assert "Tom Bakr" not in {u.display_name for u in app.users.list()}
    with pytest.raises(ValidationError, match=r"already registered \(user name .*nothing to"):
        app.users.merge(app.actor.username, "Tom Baker")


# -- cases choose their team and staff from the lists --------------------------------------


def test_a_new_case_needs_a_listed_team_and_a_social_worker_of_a_fitting_role(
    loaded: AppContext,
) -> None:
    app = loaded
    legal = as_role(app, Role.LEGAL_LIAISON, "legal.l")
    worker = as_role(app, Role.SOCIAL_WORKER, "sw.one", team="Case Management 1")
    off = as_role(app, Role.SOCIAL_WORKER, "gone.now", team="Case Management 1")
    app.users.update("gone.now", app.users.get("gone.now").version, active=False)

    def create(**fields: str) -> object:
        return worker.cases.create(CaseHeader(reference="NEW-1", **fields), CHILD)

    refusals = [
        ({"social_worker": "Sw.One"}, "Team: a case needs a team"),
        ({"team": "Case Management 1"}, "Social worker: a case needs a social worker"),
        (
            {"team": "Case Managment 1", "social_worker": "Sw.One"},
            "Team: 'Case Managment 1' is not one of the council's teams. Did you mean: "
            "'Case Management 1'",
        ),
        (
            {"team": "Case Management 1", "social_worker": "Sw One"},
            "Social worker: 'Sw One' is not a user of this database. Did you mean: 'Sw.One'",
        ),
        (
            {"team": "Case Management 1", "social_worker": legal.actor.display_name},
            "Social worker: Legal.L is a legal liaison, not a social worker or team manager",
        ),
        (
            {"team": "Case Management 1", "social_worker": "Sw.One", "team_manager": "Sw.One"},
            "Team manager: Sw.One is a social worker, not a team manager",
        ),
        (
            {"team": "Case Management 1", "social_worker": "Gone.Now"},
            "Social worker: Gone.Now has been switched off",
        ),
        (
            {"team": "Case Management 1", "social_worker": "Sw.One", "legal_liaison": "Sw.One"},
            "Legal liaison: Sw.One is a social worker, not a legal liaison",
        ),
    ]
    for fields, message in refusals:
        with pytest.raises(ValidationError, match=message.replace(".", r"\.")) as caught:
            create(**fields)
        assert caught.value.field in ("team", "social_worker", "team_manager", "legal_liaison")
    assert app.cases.references() == ["PLO-2023-0042", "PLO-2024-0007", "PLO-2024-0011"]
    assert off.actor.username == "gone.now"
    # Listed names, trimmed; a team manager may hold a case as its social worker, and people
    # not yet registered are offered like anyone else.
    created = create(
        team=" Case Management 1 ",
        social_worker="Ann Wright",
        team_manager="David Evans",
        legal_liaison=legal.actor.display_name,
    )
    assert (created.team, created.social_worker) == ("Case Management 1", "Ann Wright")
    choices = worker.cases.staff_choices()
    assert choices.offered("team") == ["Case Management 1", "Case Management 2"]
    assert "Gone.Now" not in choices.offered("social_worker")
    assert {"Sw.One", "Tom Baker", "Ann Wright"} <= set(choices.offered("social_worker"))
    assert choices.offered("team_manager") == ["Ann Wright", "David Evans"]
    assert choices.offered("legal_liaison") == ["Legal.L", "Sara Khan"]


def test_changing_case_details_checks_only_what_changes(loaded: AppContext) -> None:
    app = loaded
    case = app.cases.get("PLO-2024-0011")
    header = CaseHeader(reference=case.reference, team=case.team, social_worker=case.social_worker)
    # Tom Baker is switched off later: the case still saves as it is...
    tom = next(u for u in app.users.list() if u.display_name == "Tom Baker")
    app.users.confirm("Tom Baker", "tom.baker")
    app.users.update("tom.baker", app.users.get("tom.baker").version, active=False)
    assert tom.username.startswith("~")
    saved = app.cases.update_header(header, case.version)
    assert saved.social_worker == "Tom Baker"
    # ...but nobody can newly choose him, nor take the team or social worker away.
    other = app.cases.get("PLO-2024-0007")
    with pytest.raises(ValidationError, match="Tom Baker has been switched off"):
        app.cases.update_header(
            dataclasses.replace(header, reference=other.reference, team=other.team),
            other.version,
        )
    with pytest.raises(ValidationError, match="a case needs a social worker"):
        app.cases.update_header(dataclasses.replace(header, social_worker=None), saved.version)
    with pytest.raises(ValidationError, match="a case needs a team"):
        app.cases.update_header(dataclasses.replace(header, team="  "), saved.version)
    # A case that never had a team (an old record) can still have its other details saved.
    bare = app.cases.get("PLO-2023-0042")
    assert bare.social_worker is None
    app.cases.update_header(
        CaseHeader(reference=bare.reference, team=bare.team, court_reference="X1"), bare.version
    )


# -- the commands --------------------------------------------------------------------------


def test_teams_and_users_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "cases.db")
    base = ["--db", db, "--user", "admin"]
    assert main([*base, "init"]) == 0
    assert main([*base, "teams"]) == 0
    assert "No teams are recorded yet" in capsys.readouterr().out
    assert main([*base, "import", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Added as not yet registered" in out and "Tom Baker (social worker)" in out
    assert main([*base, "teams", "list"]) == 0
    out = capsys.readouterr().out
    assert "Case Management 1  not yet registered  2" in out
    assert "2 team(s) not yet registered" in out
    assert main([*base, "teams", "confirm", "Case Management 1"]) == 0
    assert main([*base, "teams", "add", "Edge of Care"]) == 0
    assert main([*base, "teams", "rename", "Case Management 2", "Case Management South"]) == 0
    out = capsys.readouterr().out
    assert "Renamed the team to Case Management South, on 1 case and its people" in out
    assert main([*base, "teams", "retire", "Edge of Care"]) == 0
    assert "Retired the team Edge of Care" in capsys.readouterr().out
    assert main([*base, "teams", "reinstate", "Edge of Care"]) == 0
    assert main([*base, "teams", "merge", "Edge of Care", "Case Management 1"]) == 0
    assert "Merged Edge of Care into Case Management 1" in capsys.readouterr().out
    assert main([*base, "teams", "retire", "Edge of Kare"]) == 1
    assert "Did you mean: 'Edge of Care'" not in capsys.readouterr().err  # merged away
    assert main([*base, "teams", "confirm", "Case Managment 1"]) == 1
    assert "Did you mean: 'Case Management 1'" in capsys.readouterr().err
    assert main([*base, "users", "list"]) == 0
    out = capsys.readouterr().out
    assert "Megan Hughes" in out and "not yet registered" in out
    assert "5 person(s) not yet registered" in out
    code = main(
        [
            *base,
            "users",
            "confirm",
            "Megan Hughes",
            "--username",
            "megan.hughes",
            "--team",
            "Case Management South",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "Confirmed Megan Hughes: user name megan.hughes, social worker, Case Management South."
    )
    assert main([*base, "users", "set-name", "megan.hughes", "Megan Hughes-Price"]) == 0
    assert "on their cases too" in capsys.readouterr().out
    assert main(["--db", db, "--user", "megan.hughes", "users", "whoami"]) == 0
    assert "Megan Hughes-Price (megan.hughes), social worker" in capsys.readouterr().out
    assert main(["--db", db, "--user", "megan.hughes", "teams", "add", "X"]) == 1
    assert "may not manage users and teams" in capsys.readouterr().err
    assert main([*base, "export", str(tmp_path / "out.json")]) == 0
    exported = (tmp_path / "out.json").read_text()
    assert '"Megan Hughes-Price"' in exported and '"Case Management South"' in exported
