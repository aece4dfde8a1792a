"""Every module the app loads by name (or only when first used) exists and loads.

A freezer such as PyInstaller follows ``import`` statements, not names in strings: a module
named only in a string is missed unless the build collects it (packaging/ collects every
submodule of plo_tracker, ui and db).  These tests keep the names right, and make sure
every module of the app can be imported on its own.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path

import pytest

from plo_tracker.cli import COMMAND_MODULES

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("plo_tracker", "ui", "db", "letter_templates")
DOTTED = re.compile(r"^(plo_tracker|ui|db|letter_templates)(\.[A-Za-z_][A-Za-z0-9_]*)+$")
# Modules that only make sense run by another program.
NOT_IMPORTABLE_ALONE = {
    "db.migrations.env",  # run by Alembic with a connection
    "plo_tracker.__main__",  # runs the command line
    "letter_templates.build_templates",  # the templates' build script
}


def every_module() -> list[str]:
    names: list[str] = []
    for package in PACKAGES:
        module = importlib.import_module(package)
        names.append(package)
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{package}."):
            names.append(info.name)
    return sorted(set(names) - NOT_IMPORTABLE_ALONE)


@pytest.mark.parametrize("name", every_module())
def test_every_module_of_the_app_imports(name: str) -> None:
    importlib.import_module(name)


def names_in_source() -> list[tuple[str, str, str | None]]:
    """(file, module, attribute) for each module named in a string in the app's code.

    A call with a string that names a module, followed by a string naming something in it
    (``_add_lazy_tab("letters", "&Letters", "ui.widgets.letters", "LettersWidget")``),
    is checked for both.
    """
    found: list[tuple[str, str, str | None]] = []
    for package in ("plo_tracker", "ui", "db"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                called = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if called == "getLogger":  # logger names look like modules but are not
                    continue
                texts = [
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                ]
                for index, text in enumerate(texts):
                    if DOTTED.match(text) and importlib.util.find_spec(text.split(".")[0]):
                        after = texts[index + 1] if index + 1 < len(texts) else None
                        attribute = after if after and after.isidentifier() else None
                        found.append((str(path.relative_to(ROOT)), text, attribute))
    return found


def test_the_main_windows_lazy_screens_are_found_by_the_scan() -> None:
    found = {(module, attr) for file, module, attr in names_in_source() if "main_window" in file}
    assert ("ui.widgets.letters", "LettersWidget") in found
    assert ("ui.widgets.drift_review", "DriftReviewWidget") in found
    assert ("ui.widgets.reports", "ReportsWidget") in found


@pytest.mark.parametrize(("file", "module", "attribute"), names_in_source(), ids=lambda v: str(v))
def test_modules_named_in_strings_exist(file: str, module: str, attribute: str | None) -> None:
    loaded = importlib.import_module(module)
    if attribute is not None:
        assert hasattr(loaded, attribute), f"{file}: {module} has no {attribute}"


@pytest.mark.parametrize("module", list(COMMAND_MODULES))
def test_command_modules_load_and_register(module: str) -> None:
    assert callable(importlib.import_module(module).register)


def test_lazily_imported_services_exist() -> None:
    """The letter and report services are imported on first use (plo_tracker/app.py)."""
    from plo_tracker.services.letters import LetterService
    from plo_tracker.services.reports import ReportService

    assert LetterService and ReportService
