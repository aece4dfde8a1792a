"""The command line loads only what a command uses, and never loses a command silently."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from plo_tracker import cli
from plo_tracker.cli import COMMAND_MODULES, build_parser, command_name, main, modules_for
from tests.conftest import log_file

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("sqlalchemy", "PySide6", "docxtpl", "openpyxl", "docx", "alembic", "textstat")


def loaded_after(argv_list: list[list[str]], env: dict[str, str] | None = None) -> dict:
    """Run the command lines in a new interpreter; which heavy packages each one loaded."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from ui.launcher import main
        found = {{}}
        for argv in {argv_list!r}:
            try:
                main(argv)
            except SystemExit:
                pass
            found[" ".join(argv)] = sorted(
                {{m.split(".")[0] for m in sys.modules}} & set({HEAVY!r})
            )
        sys.stderr.write("RESULT" + json.dumps(found))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=True,
    )
    return json.loads(done.stderr.split("RESULT", 1)[1])


def test_help_version_and_command_help_load_no_heavy_library(tmp_path: Path) -> None:
    commands = [c for names in COMMAND_MODULES.values() for c in names]
    argv_list = [["--help"], ["--version"], ["config"]] + [[c, "--help"] for c in commands]
    found = loaded_after(argv_list, env={"PLO_TRACKER_DATA_DIR": str(tmp_path)})
    assert found == {" ".join(a): [] for a in argv_list}


def test_version_reads_an_existing_database_without_sqlalchemy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "cases.db"
    assert main(["--db", str(db), "migrate"]) == 0
    capsys.readouterr()
    found = loaded_after([["--db", str(db), "--version"]])
    assert found == {f"--db {db} --version": []}
    done = subprocess.run(
        [sys.executable, "-m", "plo_tracker", "--db", str(db), "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    from db.migrate import head_revision
    from plo_tracker import __version__

    lines = done.stdout.splitlines()
    assert lines[0] == f"PLO Tracker {__version__}"
    assert lines[1] == f"Database schema this version uses: {head_revision()}"
    assert lines[2] == f"Database {db}: schema {head_revision()}, up to date"


def test_version_creates_no_database(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "plo_tracker", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PLO_TRACKER_DATA_DIR": str(tmp_path / "data")},
    )
    assert "Database: none yet" in done.stdout
    assert not (tmp_path / "data").exists()
    missing = tmp_path / "elsewhere.db"
    done = subprocess.run(
        [sys.executable, "-m", "plo_tracker", "--version", "--db", str(missing)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"Database {missing}: this file does not exist yet" in done.stdout
    assert not missing.exists()


def test_version_of_an_old_database_says_it_will_be_upgraded(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.write_bytes((ROOT / "tests" / "data" / "schema-0001.db").read_bytes())
    from plo_tracker.about import version_text

    text = version_text(str(old))
    assert f"Database {old}: schema 0001, will be upgraded to" in text


@pytest.mark.postgres
def test_version_reads_a_postgresql_schema(pg_url) -> None:
    from db.migrate import head_revision
    from plo_tracker.about import version_text

    text = version_text(pg_url.render_as_string(hide_password=False))
    assert f"/{pg_url.database}: schema {head_revision()}, up to date" in text


def test_the_package_version_comes_from_pyproject() -> None:
    import tomllib

    from plo_tracker import __version__, version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert __version__ == version() == project["version"]


def test_expected_schema_agrees_with_the_migrations() -> None:
    from db.migrate import head_revision
    from plo_tracker.about import expected_schema

    assert expected_schema() == head_revision()


def test_only_the_commands_module_is_loaded_to_run_it() -> None:
    assert command_name(["--db", "x.db", "--user", "ann", "flags", "--format", "json"]) == "flags"
    assert modules_for(["--db", "x.db", "flags"]) == ["plo_tracker.cli.case_commands"]
    assert modules_for(["--help"]) == list(COMMAND_MODULES)
    assert modules_for(["no-such-command"]) == list(COMMAND_MODULES)
    assert modules_for(["--db", "x.db", "--demo"]) == []  # the window: no command module


def test_no_command_prints_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    for commands in COMMAND_MODULES.values():
        for command in commands:
            assert f"    {command} " in out or f"    {command}\n" in out


def test_each_module_declares_exactly_its_listed_commands() -> None:
    """COMMAND_MODULES must name every command each module registers (so a module that
    fails to load still shows its commands, and a command runs with its module alone)."""
    import importlib

    for module_name, commands in COMMAND_MODULES.items():
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers(dest="command")
        importlib.import_module(module_name).register(subparsers)
        assert tuple(subparsers.choices) == commands, module_name


def test_a_command_module_that_cannot_be_loaded_is_named_not_hidden(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = {**COMMAND_MODULES, "plo_tracker.cli.missing_commands": ("ghost", "phantom")}
    monkeypatch.setattr(cli, "COMMAND_MODULES", broken)
    with pytest.raises(SystemExit):
        main(["--help"])
    out, err = capsys.readouterr()
    assert "ghost" in out and "(not available" in out
    assert "plo_tracker.cli.missing_commands" in err
    code = main(["ghost"])
    out, err = capsys.readouterr()
    assert code == 1
    assert (
        "The command(s) ghost, phantom cannot be used: part of PLO Tracker "
        "(plo_tracker.cli.missing_commands) could not be loaded"
    ) in err
    assert "please tell your IT team" in err
    logged = log_file().read_text()
    assert "could not be loaded: plo_tracker.cli.missing_commands" in logged
    assert "missing module plo_tracker.cli.missing_commands" in logged
    # The other commands still work.
    assert main(["config"]) == 0


def test_a_module_that_fails_while_loading_keeps_the_others(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "exploding_commands.py").write_text("raise RuntimeError('broken on purpose')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = {**COMMAND_MODULES, "exploding_commands": ("boom",)}
    monkeypatch.setattr(cli, "COMMAND_MODULES", broken)
    failures: list[cli.LoadFailure] = []
    parser = build_parser(None, failures)
    assert [f.module for f in failures] == ["exploding_commands"]
    assert "RuntimeError: broken on purpose" in failures[0].message()
    assert parser.parse_args(["flags"]).command == "flags"


def test_a_part_missing_when_a_command_runs_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plo_tracker.cli import case_commands

    def broken_flags(ctx, args) -> int:
        import plo_tracker.services.no_such_service  # noqa: F401

        return 0

    assert main(["--db", str(tmp_path / "x.db"), "init"]) == 0  # reading commands never create
    capsys.readouterr()
    monkeypatch.setattr(case_commands, "cmd_flags", broken_flags)
    code = main(["--db", str(tmp_path / "x.db"), "flags"])
    _out, err = capsys.readouterr()
    assert code == 3
    assert "The 'flags' command cannot run: part of PLO Tracker" in err
    assert "plo_tracker.services.no_such_service" in err
    logged = log_file().read_text()
    assert "missing module plo_tracker.services.no_such_service" in logged


def test_version_finds_db_given_after_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "later.db"
    with pytest.raises(SystemExit):
        main(["--version", "--db", str(db)])
    assert f"Database {db}: this file does not exist yet" in capsys.readouterr().out
    assert not db.exists()


def test_the_launcher_runs_as_a_module(tmp_path: Path) -> None:
    """``python3 dev.py start`` runs ``python -m ui.launcher``: it must do something."""
    done = subprocess.run(
        [sys.executable, "-m", "ui.launcher", "--version"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PLO_TRACKER_DATA_DIR": str(tmp_path)},
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("PLO Tracker ")
