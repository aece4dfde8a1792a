"""IT's hold on the settings: locked settings, an installation that requires the computer's
file, relative database paths, and ``--version`` / ``config`` telling the truth when the
settings stop the app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plo_tracker import config
from plo_tracker.about import about_lines, version_text
from plo_tracker.cli import main

TEAM = "postgresql://plo-db.council.local/plo"


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    site = tmp_path / "etc" / "config.toml"
    user = tmp_path / "home" / "config.toml"
    site.parent.mkdir()
    user.parent.mkdir()
    monkeypatch.setenv(config.SITE_CONFIG_ENV, str(site))
    monkeypatch.setenv(config.USER_CONFIG_ENV, str(user))
    monkeypatch.delenv(config.DB_ENV, raising=False)
    return site, user


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The program's folder, where the MSI puts the marker (an empty one here)."""
    folder = tmp_path / "Program Files" / "PLO Tracker"
    folder.mkdir(parents=True)
    monkeypatch.setattr(config, "program_folder", lambda: folder)
    return folder


def locked_site(site: Path, tmp_path: Path) -> None:
    site.write_text(
        f'database_url = "{TEAM}"\n'
        f"log_folder = '{tmp_path / 'it-logs'}'\n"
        'locked = ["database_url", "log_folder"]\n'
    )


def test_a_locked_database_comes_from_the_computers_file_only(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    site, user = files
    locked_site(site, tmp_path)
    setting = config.database_setting(None)
    assert (setting.value, setting.source, setting.locked) == (TEAM, config.SITE_FILE, True)
    assert setting.source_words == f"this computer's settings file {site}, line 1 (locked by IT)"

    # --db, the environment and the person's own file are each refused, naming IT's file.
    mine = str(tmp_path / "mine.db")
    with pytest.raises(config.ConfigError) as raised:
        config.database_setting(mine)
    message = str(raised.value)
    assert f"locked by your IT team in this computer's settings file {site}, line 1" in message
    assert "the --db option" in message and mine in message
    monkeypatch.setenv(config.DB_ENV, mine)
    with pytest.raises(config.ConfigError, match=f"environment variable {config.DB_ENV} cannot"):
        config.resolve_database_url(None)
    monkeypatch.delenv(config.DB_ENV)
    user.write_text(f"database_url = '{mine}'\n")
    with pytest.raises(config.ConfigError, match=r"so your settings file .*, line 1 cannot set"):
        config.resolve_database_url(None)
    # A command is refused before anything is opened or created.
    assert main(["flags"]) == 1
    assert "locked by your IT team" in capsys.readouterr().err
    assert not Path(mine).exists()
    # The same value as IT's is no override.
    user.write_text(f'database_url = "{TEAM}"\n')
    assert config.database_setting(TEAM).value == TEAM


def test_a_locked_log_folder_wins_over_the_data_folder_variable(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    site, _user = files
    locked_site(site, tmp_path)  # the tests set PLO_TRACKER_DATA_DIR
    assert config.log_dir() == tmp_path / "it-logs"


def test_config_shows_the_lock_and_every_source_in_order(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    site, user = files
    locked_site(site, tmp_path)
    user.write_text(f"template_folder = '{tmp_path}'\n")
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert "(locked by IT)" in out
    rows = [line.split("  ") for line in out.splitlines()]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in rows]
    assert ["Database", "computer's file", TEAM, "in force (locked by IT)"] in rows
    assert ["Database", "--db option", "-", "not set"] in rows
    assert [
        "Database",
        "default",
        str(config.default_database_path()),
        "not used: locked by IT",
    ] in rows
    assert ["Council's letter templates folder", "your file", str(tmp_path), "in force"] in rows

    monkeypatch.setenv(config.DB_ENV, str(tmp_path / "mine.db"))
    assert main(["config", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["starts"] is False
    database = document["settings"][0]
    assert database["value"] is None and "PLO Tracker stops" in database["from"]
    states = {(r["setting"], r["source"]): r["state"] for r in document["precedence"]}
    assert states[("database_url", "environment")] == "refused: locked by IT"
    assert states[("database_url", "site file")].startswith("locked by IT; PLO Tracker stops")
    assert states[("log_folder", "environment")] == "not used: locked by IT"
    assert "locked by your IT team" in document["problems"][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('locked = ["database_url"]\n', "locked names database_url, but this file does not set it"),
        ('database_url = "/srv/a.db"\nlocked = ["databse_url"]\n', "not a PLO Tracker setting"),
        ('database_url = "/srv/a.db"\nlocked = "database_url"\n', "must be a list of setting"),
    ],
)
def test_a_bad_lock_is_a_clear_error(files: tuple[Path, Path], text: str, expected: str) -> None:
    site, _user = files
    site.write_text(text)
    with pytest.raises(config.ConfigError, match=expected) as raised:
        config.database_setting(None)
    assert raised.value.path == site


def test_only_the_computers_file_can_lock(files: tuple[Path, Path]) -> None:
    _site, user = files
    user.write_text('database_url = "/srv/a.db"\nlocked = ["database_url"]\n')
    with pytest.raises(config.ConfigError, match="only this computer's settings file"):
        config.database_setting(None)


def test_the_marker_makes_a_missing_computers_file_stop_the_app(
    files: tuple[Path, Path], program: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    site, _user = files
    # Without the marker, no computer's file means the person's own database.
    assert config.database_setting(None).source == config.DEFAULT
    (program / config.REQUIRED_MARKER).write_text("written by the MSI\n")
    standard = tmp_path / "ProgramData" / "PLO Tracker" / "config.toml"
    monkeypatch.setattr(config, "standard_site_config_path", lambda: standard)
    # PLO_TRACKER_SITE_CONFIG no longer moves IT's file (anyone could set it).
    locked_site(site, tmp_path)
    assert config.site_config_path() == standard

    with pytest.raises(config.ConfigError) as raised:
        config.resolve_database_url(None)
    message = str(raised.value)
    assert f"settings file {standard} is missing" in message
    assert str(program / config.REQUIRED_MARKER) in message and "IT team" in message
    assert main(["flags"]) == 1
    assert "is missing" in capsys.readouterr().err
    assert not config.default_database_path().exists()  # no personal database was made
    assert main(["init"]) == 1
    assert not config.default_database_path().exists()

    assert main(["config"]) == 1
    out = capsys.readouterr().out
    assert "This installation requires this computer's file" in out
    assert "PLO Tracker will not open a database until the problem above is fixed." in out
    default_row = next(
        line for line in out.splitlines() if line.startswith("Database") and "default" in line
    )
    assert "in force" not in default_row and "PLO Tracker stops" in default_row
    text = version_text()
    assert "Database Database" not in text
    assert text.splitlines()[2].startswith("Database: none in force, because PLO Tracker stops")

    standard.parent.mkdir(parents=True)
    standard.write_text(f'database_url = "{TEAM}"\n')
    assert config.database_setting(None).value == TEAM


def test_relative_database_paths_are_refused_in_files_and_the_environment(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site, _user = files
    for written in ("plo.db", "data/plo.db", "sqlite:///plo.db"):
        site.write_text(f'database_url = "{written}"\n')
        with pytest.raises(config.ConfigError, match="is not a full path") as raised:
            config.resolve_database_url(None)
        assert raised.value.line == 1 and "folder PLO Tracker is started from" in str(raised.value)
    site.write_text(f'database_url = "sqlite:///{tmp_path / "plo.db"}"\n')
    assert config.resolve_database_url(None).database == str(tmp_path / "plo.db")
    site.unlink()
    monkeypatch.setenv(config.DB_ENV, "plo.db")
    with pytest.raises(config.ConfigError, match=f"{config.DB_ENV}: the database file 'plo.db'"):
        config.resolve_database_url(None)
    # On the command line a relative path means the current folder, as in any command.
    monkeypatch.delenv(config.DB_ENV)
    monkeypatch.chdir(tmp_path)
    assert config.resolve_database_url("here.db").database == str(tmp_path / "here.db")


def test_version_and_config_tell_the_truth_with_a_broken_file(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _user = files
    site.write_text('database_url = "unclosed\n')
    assert main(["flags"]) == 1  # the app stops ...
    capsys.readouterr()
    text = version_text()
    assert "Database Database" not in text
    line = text.splitlines()[2]
    assert (
        line.startswith("Database: none in force, because PLO Tracker stops: ")
        and str(site) in line
    )
    # ... so config lists no database in force (not the default it will not open).
    assert main(["config", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    database = document["settings"][0]
    assert database["value"] is None and "PLO Tracker stops" in database["from"]
    assert not any(
        r["state"] == "in force" for r in document["precedence"] if r["setting"] == "database_url"
    )
    assert any(
        line.startswith("Database: none (from none: PLO Tracker stops") for line in about_lines()
    )
