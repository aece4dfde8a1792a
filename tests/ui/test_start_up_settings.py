"""The window at start-up when IT's settings stop it: a clear dialog naming IT's file, and
no database of the person's own made or opened."""

from __future__ import annotations

from pathlib import Path

import pytest

from plo_tracker import config
from tests.ui.conftest import DialogLog, start_args
from ui import app as ui_app
from ui.app import open_session


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "ProgramData" / "PLO Tracker" / "config.toml"
    path.parent.mkdir(parents=True)
    monkeypatch.setenv(config.SITE_CONFIG_ENV, str(path))
    return path


def test_a_missing_required_settings_file_stops_the_window_with_a_message_for_it(
    tmp_path: Path, site: Path, monkeypatch: pytest.MonkeyPatch, dialog_log: DialogLog
) -> None:
    program = tmp_path / "Program Files" / "PLO Tracker"
    program.mkdir(parents=True)
    (program / config.REQUIRED_MARKER).write_text("installed with REQUIRE_SITE_CONFIG=1\n")
    monkeypatch.setattr(config, "program_folder", lambda: program)
    monkeypatch.setattr(config, "standard_site_config_path", lambda: site)
    assert open_session(start_args()) is None
    title, message = dialog_log.errors[0]
    assert title == ui_app.START_TITLE
    assert f"settings file {site} is missing" in message and "IT team" in message
    assert "Traceback" not in message
    assert dialog_log.confirms == []  # not even asked to create one
    assert not config.default_database_path().exists()


def test_a_db_option_against_a_locked_database_is_refused_in_the_window(
    tmp_path: Path, site: Path, dialog_log: DialogLog
) -> None:
    team = tmp_path / "team.db"
    site.write_text(f"database_url = '{team}'\nlocked = [\"database_url\"]\n")
    mine = tmp_path / "mine.db"
    assert open_session(start_args(db=str(mine))) is None
    message = dialog_log.error_text()
    assert f"locked by your IT team in this computer's settings file {site}, line 1" in message
    assert "the --db option" in message
    assert not mine.exists() and not team.exists()
