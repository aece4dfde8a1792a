"""Settings for every user (the computer's file), for one user, and from the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from plo_tracker import config, config_sources
from plo_tracker.about import about_lines
from plo_tracker.cli import main


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


def test_without_files_the_defaults_apply(files: tuple[Path, Path]) -> None:
    sources = config_sources.describe_sources()
    database, folder, logs = sources.settings
    assert database.source == config.DEFAULT
    assert database.value == str(config.default_database_path())
    assert folder.value is None and folder.source == config.DEFAULT
    assert logs.source == config.ENVIRONMENT  # the tests move the data folder
    assert [exists for _scope, _path, exists in sources.files] == [False, False]
    assert sources.problems == ()


def test_the_computers_file_sets_every_setting_for_every_user(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _user = files
    templates = tmp_path / "templates"
    templates.mkdir()
    site.write_text(
        "# council IT\n"
        f'database_url = "{tmp_path / "team.db"}"\n'
        f"template_folder = '{templates}'\n"
        f"log_folder = '{tmp_path / 'logs'}'\n"
    )
    monkeypatch.delenv(config.DATA_DIR_ENV)
    database, folder, logs = config_sources.describe_sources().settings
    assert (database.source, database.value) == (config.SITE_FILE, str(tmp_path / "team.db"))
    assert database.where == f"this computer's settings file {site}, line 2"
    assert (folder.value, folder.where) == (
        str(templates),
        f"this computer's settings file {site}, line 3",
    )
    assert (logs.value, logs.source) == (str(tmp_path / "logs"), config.SITE_FILE)
    assert config.resolve_database_url(None).database == str(tmp_path / "team.db")
    assert config.template_folder() == templates
    assert config.log_dir() == tmp_path / "logs"


def test_the_users_file_then_the_environment_then_db_override_the_computers(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, user = files
    site.write_text(f'database_url = "{tmp_path / "site.db"}"\n')
    user.write_text(f'database_url = "{tmp_path / "mine.db"}"\n')
    setting = config.database_setting(None)
    assert (setting.source, setting.value) == (config.USER_FILE, str(tmp_path / "mine.db"))
    assert setting.where == f"your settings file {user}, line 1"
    monkeypatch.setenv(config.DB_ENV, str(tmp_path / "env.db"))
    assert config.database_setting(None).source == config.ENVIRONMENT
    assert config.resolve_database_url(None).database == str(tmp_path / "env.db")
    setting = config.database_setting(str(tmp_path / "option.db"))
    assert (setting.source, setting.where) == (config.OPTION, "the --db option")


def test_folders_expand_environment_variables(
    files: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, _user = files
    monkeypatch.setenv("PLO_TEST_SHARE", str(tmp_path))
    site.write_text("template_folder = '$PLO_TEST_SHARE/templates'\n")
    assert config.template_folder() == tmp_path / "templates"


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        (
            'database_url = "/srv/x.db"\ndatabse_url = "y"\n',
            2,
            "'databse_url' is not a PLO Tracker setting. Did you mean 'database_url'?",
        ),
        ("\n\ntemplate_folder = 3\n", 3, "template_folder must be text in quotes, for example"),
        ('log_folder = "relative/logs"\n', 1, "log_folder 'relative/logs' is not a full folder"),
        (
            'database_url = "mysql://db/plo"\n',
            1,
            "database_url uses 'mysql': PLO Tracker works with SQLite and PostgreSQL",
        ),
        ('database_url = ""\n', 1, "database_url is empty"),
        ('# fine\ndatabase_url = "unclosed\n', 2, "is not valid TOML"),
    ],
)
def test_bad_settings_are_clear_errors_naming_the_file_and_line(
    files: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    text: str,
    line: int,
    expected: str,
) -> None:
    site, _user = files
    site.write_text(text)
    with pytest.raises(config.ConfigError) as raised:
        config.resolve_database_url(None)
    assert raised.value.path == site and raised.value.line == line
    assert str(site) in str(raised.value) and expected in str(raised.value)
    # Every command that needs the database says so plainly and changes nothing.
    assert main(["flags"]) == 1
    _out, err = capsys.readouterr()
    assert err.startswith("Error: ") and str(site) in err and "Traceback" not in err
    # 'config' still runs, lists the problem and exits non-zero; the window's About too.
    assert main(["config"]) == 1
    out, _err = capsys.readouterr()
    assert f"Problem: {site}" in out
    assert any(line.startswith(f"Problem: {site}") for line in about_lines())


def test_an_unreadable_file_is_a_clear_error(files: tuple[Path, Path]) -> None:
    site, _user = files
    site.write_bytes(b'database_url = "caf\xe9.db"\n')
    with pytest.raises(config.ConfigError, match="is not UTF-8 text"):
        config.database_setting(None)
    site.unlink()
    site.mkdir()
    with pytest.raises(config.ConfigError, match="cannot be read"):
        config.database_setting(None)


def test_config_command_shows_each_source(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site, user = files
    site.write_text(
        'database_url = "postgresql://plo_owner:s3cret@db.example/plo"\n'
        f"template_folder = '{tmp_path / 'gone'}'\n"
    )
    assert main(["config", "--format", "json"]) == 1  # the folder cannot be found
    document = json.loads(capsys.readouterr().out)
    by_key = {s["setting"]: s for s in document["settings"]}
    assert by_key["database_url"] == {
        "setting": "database_url",
        "value": "postgresql://plo_owner:***@db.example/plo",
        "source": "site file",
        "from": f"this computer's settings file {site}, line 1",
        "locked": False,
    }
    assert by_key["template_folder"]["source"] == "site file"
    assert document["files"] == [
        {"scope": "user file", "path": str(user), "exists": False},
        {"scope": "site file", "path": str(site), "exists": True},
    ]
    assert "cannot be found from this computer" in document["problems"][0]
    assert "s3cret" not in json.dumps(document)
    assert main(["--db", str(tmp_path / "given.db"), "config"]) == 1
    out = capsys.readouterr().out
    assert "the --db option" in out and str(tmp_path / "given.db") in out
    assert "s3cret" not in out


def test_config_example_is_a_valid_settings_file(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    site, _user = files
    assert main(["config", "--example"]) == 0
    example = capsys.readouterr().out
    site.write_text(example)
    settings = config.read_settings_file(site, config.SITE_FILE)
    assert settings.values["database_url"] == "postgresql://plo-db.council.local/plo"
    assert settings.values["template_folder"] == "/mnt/plo/Letter templates"
    from plo_tracker.cli.config_commands import EXAMPLE_WINDOWS

    assert r"template_folder = '\\fileserver\PLO\Letter templates'" in EXAMPLE_WINDOWS


def test_the_template_folder_from_a_settings_file_is_used_for_letters(
    files: tuple[Path, Path], tmp_path: Path, sqlite_app
) -> None:
    from plo_tracker.errors import PloError

    site, _user = files
    templates = tmp_path / "council templates"
    templates.mkdir()
    site.write_text(f"template_folder = '{templates}'\n")
    assert sqlite_app.letters.template_folder() == templates
    with pytest.raises(PloError, match=r"set to .* in this computer's settings file"):
        sqlite_app.letters.set_template_folder(tmp_path)
    site.unlink()
    assert sqlite_app.letters.template_folder() is None


def test_about_lines_name_version_schema_and_sources(files: tuple[Path, Path]) -> None:
    from plo_tracker import __version__

    lines = about_lines()
    assert lines[0] == f"PLO Tracker {__version__}"
    assert any(line.startswith("Database: ") and "(from the default" in line for line in lines)
    assert os.environ[config.SITE_CONFIG_ENV] == str(files[0])
