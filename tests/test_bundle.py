"""The standalone bundle (``python3 dev.py package``), run as council IT would run it.

These run when ``PLO_TEST_BUNDLE`` names the built folder (``.ci/run`` builds it once and
sets it); otherwise they are skipped.  Each command runs with a clean environment: no
virtual environment on PATH, no PYTHONPATH, a fresh HOME, so the bundle has only itself.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE_ENV = "PLO_TEST_BUNDLE"
AS_OF = "2026-11-30"

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(
        not os.environ.get(BUNDLE_ENV), reason=f"{BUNDLE_ENV} is not set (no bundle built)"
    ),
]


@pytest.fixture(scope="module")
def bundle() -> Path:
    folder = Path(os.environ[BUNDLE_ENV])
    assert (folder / "plo-tracker").is_file() or (folder / "plo-tracker.exe").is_file()
    return folder


@pytest.fixture(scope="module")
def home() -> Path:
    return Path(tempfile.mkdtemp(prefix="plo-bundle-home-"))


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    env.update(extra)
    return env


def run(
    bundle: Path,
    home: Path,
    *args: str,
    launcher: str = "plo-tracker",
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
    timeout: float = 180,
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(bundle / launcher), *args],
        capture_output=True,
        text=True,
        env=env or clean_env(home),
        cwd=cwd or home,
        timeout=timeout,
    )
    if check:
        assert done.returncode == 0, f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def demo(bundle: Path, home: Path) -> Path:
    """A demo database in the default place of the fresh HOME (no --db)."""
    done = run(bundle, home, "demo-data", "--cases", "60")
    assert "60 new" in done.stdout
    path = home / ".local" / "share" / "PLO Tracker" / "plo-tracker.db"
    assert path.is_file()
    return path


def test_version_shows_the_pyproject_version_and_schemas(bundle: Path, home: Path) -> None:
    from db.migrate import head_revision

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = run(bundle, home, "--version")
    assert done.stdout.splitlines()[:2] == [
        f"PLO Tracker {version}",
        f"Database schema this version uses: {head_revision()}",
    ]


def test_flags_are_identical_to_the_venvs(bundle: Path, home: Path, demo: Path) -> None:
    frozen = run(bundle, home, "flags", "--as-of", AS_OF, "--format", "json").stdout
    venv = subprocess.run(
        [
            sys.executable,
            "-m",
            "plo_tracker",
            "--db",
            str(demo),
            "flags",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert frozen == venv
    assert json.loads(frozen)["flags"]
    table = run(bundle, home, "flags", "--as-of", AS_OF).stdout
    assert "flag(s) on" in table


def test_a_letter_and_its_plain_language_check(bundle: Path, home: Path, demo: Path) -> None:
    flags = json.loads(run(bundle, home, "flags", "--format", "json").stdout)["flags"]
    case = flags[0]["case"]
    out = home / "letters"
    done = run(
        bundle,
        home,
        "--user",
        "sara.khan",
        "letter",
        case,
        "letter_before_proceedings",
        "--out",
        str(out),
    )
    assert "letter(s) saved and recorded" in done.stdout
    letters = sorted(out.glob("*.docx"))
    assert letters
    check = run(bundle, home, "check-letter", str(letters[0]), "--format", "json")
    report = json.loads(check.stdout)
    assert report["reading_ease"] > 0 and report["grade"] > 0
    assert isinstance(report["long_sentences"], list)


def test_a_draft_letter_with_its_draft_header(bundle: Path, home: Path, demo: Path) -> None:
    # python-docx reads its header template through docx/parts/..: the folder must exist.
    flags = json.loads(run(bundle, home, "flags", "--format", "json").stdout)["flags"]
    out = home / "drafts"
    done = run(
        bundle,
        home,
        "--user",
        "sara.khan",
        "letter",
        flags[-1]["case"],
        "outcome_letter",
        "--draft",
        "--out",
        str(out),
    )
    assert "DRAFT" in done.stdout.upper(), done.stdout
    drafts = sorted(out.glob("*.docx"))
    assert drafts
    with zipfile.ZipFile(drafts[0]) as package:
        headers = [n for n in package.namelist() if n.startswith("word/header")]
        assert any(b"DRAFT" in package.read(n) for n in headers)


def test_the_shipped_fonts_and_an_urdu_letters_pdf(bundle: Path, home: Path, demo: Path) -> None:
    """The Noto fonts and their licence are in the bundle, and fontTools reads them there:
    an Urdu reader's letter becomes a PDF drawn with Noto Naskh Arabic (issue 21)."""
    fonts = bundle / "_internal" / "plo_tracker" / "fonts"
    assert sorted(p.name for p in fonts.iterdir()) == [
        "NotoNaskhArabic-Bold.ttf",
        "NotoNaskhArabic-Regular.ttf",
        "NotoSans-Bold.ttf",
        "NotoSans-Regular.ttf",
        "OFL.txt",
    ]
    if shutil.which("soffice", path="/usr/bin:/bin") is None:
        if os.environ.get("PLO_TEST_REQUIRE_PDF") == "1":
            pytest.fail("PLO_TEST_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    urdu = "یہ خط بہت اہم ہے۔ ترجمان کے لیے {phone} پر کال کریں۔"
    run(bundle, home, "letter-settings", "--language-line", f"Urdu={urdu}")
    flags = json.loads(run(bundle, home, "flags", "--format", "json").stdout)["flags"]
    for case in sorted({flag["case"] for flag in flags}):
        made = run(bundle, home, "--user", "sara.khan", "letter", case, "plan_summary",
                   "--out", str(home / f"urdu-{case}"), check=False)  # fmt: skip
        if made.returncode != 0:
            continue
        for docx in (home / f"urdu-{case}").glob("*.docx"):
            with zipfile.ZipFile(docx) as archive:
                if "ترجمان".encode() not in archive.read("word/document.xml"):
                    continue
            run(bundle, home, "--user", "sara.khan", "letter", case, "plan_summary", "--pdf",
                "--out", str(home / "urdu-pdf"), timeout=300)  # fmt: skip
            pdfs = list((home / "urdu-pdf").glob(f"*{docx.stem.split('_')[-2]}*.pdf"))
            assert pdfs, "the PDF was made (the glyph check passed in the bundle)"
            if shutil.which("pdffonts"):
                used = subprocess.run(["pdffonts", str(pdfs[0])], capture_output=True, text=True)
                assert "NotoNaskhArabic" in used.stdout, used.stdout
            return
    pytest.fail("the demo data has a reader of Urdu with a plan summary ready")


def test_timeliness_report_as_excel(bundle: Path, home: Path, demo: Path) -> None:
    import openpyxl

    target = home / "timeliness.xlsx"
    run(
        bundle,
        home,
        "--user",
        "ann.wright",
        "report",
        "timeliness",
        "--from",
        "2025-04-01",
        "--to",
        AS_OF,
        "--format",
        "xlsx",
        "--out",
        str(target),
    )
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) >= 2
    assert book[book.sheetnames[0]].max_row > 1


def test_census_check(bundle: Path, home: Path, demo: Path) -> None:
    # Demo data has records the census keeps out (children without an ID): exit code 4, the
    # summary last, as in the venv (docs/reports.md).
    done = run(bundle, home, "census", "--reference-date", "2027-03-31", "--check", check=False)
    assert done.returncode == 4, done.stderr
    assert "record(s) checked" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("Summary: Check only")
    allowed = run(
        bundle, home, "census", "--reference-date", "2027-03-31", "--check", "--allow-findings"
    )
    assert allowed.returncode == 0


def test_migrate_the_first_release_database(bundle: Path, home: Path) -> None:
    from db.migrate import head_revision

    old = home / "first-release.db"
    shutil.copyfile(ROOT / "tests" / "data" / "schema-0001.db", old)
    before = run(bundle, home, "--db", str(old), "--version").stdout
    assert f"schema 0001, will be upgraded to {head_revision()}" in before
    done = run(bundle, home, "--db", str(old), "migrate")
    assert f"The database is up to date (schema {head_revision()})" in done.stdout
    assert list(home.glob("first-release.db.bak-0001-*"))
    after = run(bundle, home, "--db", str(old), "--version").stdout
    assert f"schema {head_revision()}, up to date" in after
    document = run(
        bundle,
        home,
        "--db",
        str(old),
        "--user",
        "megan.hughes",
        "flags",
        "--as-of",
        "2024-03-20",
        "--format",
        "json",
    ).stdout
    assert {flag["case"] for flag in json.loads(document)["flags"]}


def test_the_computers_settings_file_is_read(bundle: Path, home: Path, demo: Path) -> None:
    site = home / "site-config.toml"
    site.write_text(f"database_url = '{demo}'\nlog_folder = '{home / 'it-logs'}'\n")
    env = clean_env(home, PLO_TRACKER_SITE_CONFIG=str(site))
    done = run(bundle, home, "config", "--format", "json", env=env)
    settings = {s["setting"]: s for s in json.loads(done.stdout)["settings"]}
    assert settings["database_url"]["from"] == f"this computer's settings file {site}, line 1"
    assert settings["log_folder"]["value"] == str(home / "it-logs")
    site.write_text("databse_url = 'x'\n")
    bad = run(bundle, home, "flags", env=env, check=False)
    assert bad.returncode == 1
    assert f"{site}, line 1: 'databse_url' is not a PLO Tracker setting" in bad.stderr


def test_a_locked_database_and_the_required_marker_in_the_bundle(
    bundle: Path, home: Path, demo: Path
) -> None:
    """The frozen program finds the marker beside itself; PLO_TRACKER_SITE_CONFIG is then
    ignored, and without IT's file the bundle stops before opening any database."""
    site = home / "locked-site.toml"
    site.write_text(f"database_url = '{demo}'\nlocked = [\"database_url\"]\n")
    env = clean_env(home, PLO_TRACKER_SITE_CONFIG=str(site))
    refused = run(bundle, home, "--db", str(home / "mine.db"), "flags", env=env, check=False)
    assert refused.returncode == 1
    assert f"locked by your IT team in this computer's settings file {site}" in refused.stderr
    assert not (home / "mine.db").exists()

    marker = bundle / "site-config-required.txt"
    assert not marker.exists()
    marker.write_text("installed with REQUIRE_SITE_CONFIG=1\n")
    try:
        stopped = run(bundle, home, "flags", env=env, check=False)
        assert stopped.returncode == 1
        assert "/etc/xdg/PLO Tracker/config.toml is missing" in stopped.stderr
        assert str(marker) in stopped.stderr
        shown = run(bundle, home, "--version", env=env).stdout
        assert "Database: none in force, because PLO Tracker stops" in shown
    finally:
        marker.unlink()


def test_every_module_of_the_app_is_in_the_bundle(bundle: Path) -> None:
    from PyInstaller.archive.readers import CArchiveReader, ZlibArchiveReader

    from tests.test_modules_by_name import every_module

    executable = bundle / ("plo-tracker.exe" if os.name == "nt" else "plo-tracker")
    archive = CArchiveReader(str(executable))
    name = next(n for n, entry in archive.toc.items() if entry[-1] == "z")
    with tempfile.NamedTemporaryFile(suffix=".pyz", delete=False) as handle:
        handle.write(archive.extract(name))
    try:
        bundled = set(ZlibArchiveReader(handle.name).toc)
    finally:
        os.unlink(handle.name)
    # Migrations ship as files Alembic runs; letter_templates' modules only build the .docx
    # files (the package itself is bundled, with its templates as data).
    missing = [
        m
        for m in every_module()
        if m not in bundled and not m.startswith(("db.migra", "letter_templates."))
    ]
    assert missing == []
    migrations = bundle / "_internal" / "db" / "migrations"
    assert (migrations / "env.py").is_file()
    assert sorted(p.name for p in (migrations / "versions").glob("0*.py")) == sorted(
        p.name for p in (ROOT / "db" / "migrations" / "versions").glob("0*.py")
    )
    assert sorted(p.name for p in (bundle / "_internal" / "letter_templates").glob("*.docx"))


def test_the_window_reaches_every_screen(bundle: Path, home: Path, demo: Path) -> None:
    xvfb = shutil.which("xvfb-run")
    assert xvfb, "xvfb-run is needed for the window's smoke test (Debian package xvfb)"
    report = home / "screens" / "check.json"
    env = clean_env(home)
    done = subprocess.run(
        [
            xvfb,
            "-a",
            "-s",
            "-screen 0 1600x1000x24",
            str(bundle / "PLO Tracker"),
            "--demo",
            "--user",
            "ann.wright",
            "--check-screens",
            str(report),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
        timeout=240,
    )
    assert report.is_file(), done.stderr
    result = json.loads(report.read_text())
    assert done.returncode == 0, f"{result}\n{done.stderr}"
    assert result["finished"] and result["errors"] == []
    screens = {s["tab"]: s["classes"] for s in result["screens"]}
    assert list(screens) == ["Cases", "Drift review", "Letters", "Reports", "Heading for PLO"]
    assert "CaseListWidget" in screens["Cases"]
    assert "HeadingForPloWidget" in screens["Heading for PLO"]
    assert "DriftReviewWidget" in screens["Drift review"]
    assert "LettersWidget" in screens["Letters"]
    assert "ReportsWidget" in screens["Reports"]
    for screen in result["screens"]:
        assert (report.parent / screen["screenshot"]).stat().st_size > 10_000
