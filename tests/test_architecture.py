"""The arrows go one way: ui -> plo_tracker -> db; no module imports another in a circle.

The import graph is read from the source (every ``import``, including those under
``TYPE_CHECKING`` and inside functions) as the lead's before-stop checker builds it:
``plo_tracker``, ``ui``, ``db`` and ``letter_templates``, Alembic migrations left out.
One difference: a name imported from a package's ``__init__`` (``from
plo_tracker.services.cases import CaseService``) is an import of that ``__init__``, so a
module importing its own package's ``__init__`` back is a circle here too.
``docs/architecture.md`` describes the layers listed in ``LAYERS``.
"""

from __future__ import annotations

import ast
from collections.abc import Container, Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_ROOTS = ("plo_tracker", "ui", "db", "letter_templates")

# The layers, lowest first. A module may import its own layer and the layers below it,
# never one above. A module belongs to the longest name listed that it starts with, so a
# new module of a package lands in that package's layer, and a new top-level module of
# plo_tracker or ui lands in its foundations until it is listed here.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("db",),
    ("plo_tracker.domain",),
    (
        "plo_tracker",
        "plo_tracker.errors",
        "plo_tracker.logs",
        "plo_tracker.validation",
        "plo_tracker.permissions",
        "plo_tracker.spreadsheets",
        "plo_tracker.interrupts",
        "plo_tracker.config",
        "plo_tracker.about",
    ),
    (
        "plo_tracker.exchange",
        "plo_tracker.letters",
        "plo_tracker.reports",
        "plo_tracker.demo",
        "plo_tracker.demo_court",
        "plo_tracker.demo_family",
        "plo_tracker.demo_words",
    ),
    ("plo_tracker.services",),
    ("plo_tracker.app",),
    ("plo_tracker.cli", "plo_tracker.__main__"),
    ("letter_templates",),
    ("ui",),
    ("ui.models",),
    ("ui.widgets",),
    ("ui.window_import", "ui.window_menus", "ui.window_changes", "ui.main_window"),
    ("ui.app", "ui.launcher"),
)

# No circle is allowed: the last three (exchange, census, the database identity check and
# migrations) were removed by the issues that changed those parts.
KNOWN_CIRCLES: frozenset[frozenset[str]] = frozenset()


def imports_of(package: str) -> dict[Path, set[str]]:
    found: dict[Path, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[path] = names
    return found


def offenders(package: str, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path, names in imports_of(package).items():
        for name in names:
            if name.split(".")[0] in forbidden:
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return sorted(bad)


def source_modules() -> dict[str, Path]:
    """Module name -> file, for every module of ours (a package by its own name)."""
    modules: dict[str, Path] = {}
    for root in SOURCE_ROOTS:
        for path in (ROOT / root).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported_names(tree: ast.AST, package: str, modules: Container[str]) -> Iterable[str]:
    """Every name an import in the tree may load, relative imports made absolute."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            # ``from package import module`` loads that module; ``from package import name``
            # loads the package (its ``__init__``).
            for alias in node.names:
                yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports."""
    modules = source_modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for imported in imported_names(tree, package, modules):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                graph[name].add(imported)
    return graph


def circles(graph: Mapping[str, Iterable[str]]) -> list[frozenset[str]]:
    """The strongly connected parts of more than one module (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []
    for start in graph:
        if start in index:
            continue
        work: list[tuple[str, Iterable[str]]] = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(graph.get(target, ()))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    part = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        part.add(member)
                        if member == node:
                            break
                    if len(part) > 1:
                        found.append(frozenset(part))
    return found


def layer_of(module: str) -> int:
    best, level = "", -1
    for number, names in enumerate(LAYERS):
        for name in names:
            if (module == name or module.startswith(name + ".")) and len(name) > len(best):
                best, level = name, number
    assert level >= 0, f"{module} is in no layer: add it to LAYERS"
    return level


def upward_imports(graph: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    return sorted(
        (source, target)
        for source, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(source)
    )


def test_core_imports_no_qt_and_no_ui() -> None:
    assert offenders("plo_tracker", ("PySide6", "PyQt6", "PyQt5", "ui", "shiboken6")) == []


def test_db_imports_neither_core_nor_ui() -> None:
    assert offenders("db", ("plo_tracker", "ui", "PySide6")) == []


def test_domain_rules_touch_no_database() -> None:
    assert offenders("plo_tracker/domain", ("sqlalchemy", "db", "alembic", "psycopg")) == []


def test_ui_does_not_reach_into_the_database_directly() -> None:
    assert offenders("ui", ("db", "sqlalchemy")) == []


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph()
    assert "plo_tracker.domain.model" in graph["plo_tracker.domain.drift"]  # absolute
    assert "ui.main_window" in graph["ui.app"]  # inside a function or TYPE_CHECKING
    assert "plo_tracker.cli.common" in graph["plo_tracker.cli.case_commands"]  # module of a package
    # ``from ui import dialogs`` loads ui.dialogs; ``from package import Name``, the package.
    assert {"ui.dialogs", "ui.demo_process"} <= graph["ui.main_window"]
    assert "ui" not in graph["ui.main_window"]
    assert "plo_tracker.services.cases" in graph["ui.models.cases"]
    assert not any("migrations" in name for name in graph)


def test_circles_are_found_however_long() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e", "d"}}
    assert circles(graph) == [frozenset({"a", "b", "c"})]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circles() -> None:
    found = set(circles(import_graph()))
    new = sorted(" <-> ".join(sorted(part)) for part in found - KNOWN_CIRCLES)
    assert new == [], "modules importing each other in a circle: move the shared part down"


def test_layers_are_found_by_the_longest_name() -> None:
    assert layer_of("plo_tracker.domain.drift") < layer_of("plo_tracker.errors")
    assert layer_of("plo_tracker.reports.fgdm") < layer_of("plo_tracker.services.flags")
    assert layer_of("plo_tracker.something_new") == layer_of("plo_tracker.errors")
    assert upward_imports({"plo_tracker.errors": {"plo_tracker.services.cases"}}) == [
        ("plo_tracker.errors", "plo_tracker.services.cases")
    ]


def test_nothing_imports_upward() -> None:
    upward = upward_imports(import_graph())
    assert upward == [], "a module imports a layer above its own (see LAYERS)"
