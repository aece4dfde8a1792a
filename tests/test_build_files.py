"""The build's own files: the lock files agree with pyproject.toml and carry hashes, the
Windows version resource is one PyInstaller reads, and the MSI takes its manufacturer from
the build."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = {"app": ROOT / "requirements" / "app.txt", "build": ROOT / "requirements" / "build.txt"}


def pinned(lock: Path) -> dict[str, tuple[str, int]]:
    """name -> (version, number of hashes) for every package in a lock file."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)", line)
        if match:
            current = canonicalize_name(match.group(1).split("[")[0])
            found[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("app", PROJECT["project"]["dependencies"]),
        (
            "build",
            PROJECT["build-system"]["requires"]
            + PROJECT["project"]["optional-dependencies"]["package"],
        ),
    ],
)
def test_each_lock_file_pins_every_requirement_within_its_range(
    lock: str, requirements: list[str]
) -> None:
    versions = pinned(LOCKS[lock])
    assert versions, f"{LOCKS[lock]} lists no packages"
    for text in requirements:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in versions, f"{name} is not in {LOCKS[lock].name}: run python3 dev.py lock"
        version, _hashes = versions[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{LOCKS[lock].name} pins {name}=={version}, outside pyproject's {requirement}: "
            "run python3 dev.py lock"
        )
    assert all(hashes > 0 for _v, hashes in versions.values()), "a package without a hash"


def test_both_lock_files_agree_where_they_overlap() -> None:
    app, build = pinned(LOCKS["app"]), pinned(LOCKS["build"])
    for name in set(app) & set(build):
        assert app[name][0] == build[name][0], name


def test_the_lock_files_cover_windows() -> None:
    """Written for every platform: Windows-only needs such as pefile are in, with markers."""
    build = LOCKS["build"].read_text(encoding="utf-8")
    assert re.search(r"^pefile==\S+ ; sys_platform == 'win32'", build, re.M)
    assert re.search(r"^pywin32-ctypes==\S+ ; sys_platform == 'win32'", build, re.M)


def test_pyproject_uses_an_spdx_licence_and_a_bounded_setuptools() -> None:
    project = PROJECT["project"]
    assert isinstance(project["license"], str)
    for name in project["license-files"]:
        assert (ROOT / name).is_file()
    setuptools = next(
        Requirement(r) for r in PROJECT["build-system"]["requires"] if r.startswith("setuptools")
    )
    assert any(spec.operator == "<" for spec in setuptools.specifier)


def test_the_windows_version_resource_is_one_pyinstaller_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import windows_version
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    import ast

    monkeypatch.setenv(windows_version.MANUFACTURER_ENV, "Example Borough Council")
    text = windows_version.version_info_text(
        "0.1.0", windows_version.manufacturer(), "plo-tracker.exe", "PLO Tracker command line"
    )
    # PyInstaller eval()s the file with its version classes (which need pefile, a Windows
    # package); here the same expression is checked for its shape and values.
    tree = ast.parse(text, mode="eval").body
    assert isinstance(tree, ast.Call) and tree.func.id == "VSVersionInfo"  # type: ignore[attr-defined]
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    strings = {
        ast.literal_eval(c.args[0]): ast.literal_eval(c.args[1])
        for c in calls
        if getattr(c.func, "id", "") == "StringStruct"
    }
    assert strings["CompanyName"] == "Example Borough Council"
    assert strings["OriginalFilename"] == "plo-tracker.exe"
    assert strings["FileVersion"] == strings["ProductVersion"] == "0.1.0"
    fixed = next(c for c in calls if getattr(c.func, "id", "") == "FixedFileInfo")
    keywords = {k.arg: ast.literal_eval(k.value) for k in fixed.keywords}
    assert keywords["filevers"] == keywords["prodvers"] == (0, 1, 0, 0)
    assert windows_version.version_tuple("1.2") == (1, 2, 0, 0)


def test_the_msi_takes_its_manufacturer_and_icon_from_the_build() -> None:
    wxs = (ROOT / "packaging" / "windows" / "plo-tracker.wxs").read_text(encoding="utf-8")
    assert 'Manufacturer="$(Manufacturer)"' in wxs and "<?ifndef Manufacturer?>" in wxs
    assert 'Manufacturer="PLO Tracker"' not in wxs
    assert "ARPPRODUCTICON" in wxs and (ROOT / "packaging" / "icons" / "plo-tracker.ico").is_file()
    assert 'Condition="REQUIRE_SITE_CONFIG = 1"' in wxs
    assert (ROOT / "packaging" / "windows" / "site-config-required.txt").is_file()
    spec = (ROOT / "packaging" / "plo-tracker.spec").read_text(encoding="utf-8")
    assert spec.count("icon=str(ICON)") == 2 and spec.count("version=version_file(") == 2
