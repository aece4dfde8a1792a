"""Letters as PDF through LibreOffice: the real program when installed, and a stand-in.

The tests with the real LibreOffice run when ``soffice`` is found; when the environment
variable PLO_TEST_REQUIRE_PDF=1 is set (.ci/run sets it when LibreOffice is installed)
they fail instead of skipping if it is missing.  The stand-in (a small shell script
named by PLO_TRACKER_SOFFICE) checks how LibreOffice is called, its time limit, and what
happens when it writes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plo_tracker.app import AppContext
from plo_tracker.letters import pdf
from plo_tracker.letters.errors import PdfError

from .helpers import OPTIONS, make_docx, with_examples

CASES = ["PLO-2024-0007", "PLO-2024-0011"]  # three people with PR between them


@pytest.fixture
def soffice() -> str:
    found = pdf.find_soffice()
    if found is None:
        if os.environ.get("PLO_TEST_REQUIRE_PDF") == "1":
            pytest.fail("PLO_TEST_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.fixture
def letters_app(sqlite_app: AppContext) -> AppContext:
    return with_examples(sqlite_app)


def pdf_info(path: Path) -> str | None:
    """``pdfinfo``'s report (poppler-utils), or None when it is not installed."""
    if shutil.which("pdfinfo") is None:
        return None
    return subprocess.run(
        ["pdfinfo", str(path)], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8", "replace")


def pdf_text(path: Path) -> str | None:
    if shutil.which("pdftotext") is None:
        return None
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode("utf-8")


# -- the real LibreOffice ---------------------------------------------------------------------


def test_a_batch_becomes_pdfs_recorded_with_their_hashes(
    letters_app: AppContext, tmp_path: Path, soffice: str
) -> None:
    out = tmp_path / "out"
    calls: list[tuple[int, int]] = []
    result = letters_app.letters.generate_batch(
        CASES,
        "plan_summary",
        out,
        pdf=True,
        options=OPTIONS,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert result.pdf_note is None
    assert calls[-1] == (4, 4)  # three letters, then the PDF step
    assert len(result.letters) == 3
    for letter in result.letters:
        assert letter.pdf_path is not None
        data = letter.pdf_path.read_bytes()
        assert data.startswith(b"%PDF")
        assert letter.pdf_path.stat().st_mode & 0o777 == 0o600
        assert letter.pdf_path.stem == letter.path.stem
        assert letter.record.pdf_file_name == letter.pdf_path.name
        assert letter.record.pdf_sha256 == hashlib.sha256(data).hexdigest()
        text = pdf_text(letter.pdf_path)
        if text is not None:
            assert letter.record.recipient_name in text
            assert "Monday 4 March 2024" in text
            # Every page's footer: the reference, the date and "Page x of y".
            assert f"Our reference: {letter.record.case_reference}" in text
            assert re.search(r"Page 1 of [1-9]", text)
        info = pdf_info(letter.pdf_path)
        if info is not None:  # a tagged (accessible) PDF
            assert re.search(r"^Tagged:\s+yes$", info, re.MULTILINE), info
    assert not list(out.glob(".*")), "no temporary files are left behind"


def test_convert_in_one_run_with_names_that_are_never_overwritten(
    tmp_path: Path, soffice: str
) -> None:
    first = make_docx(tmp_path / "a.docx", "Dear Zoë Ølsen & <Bob>,")
    second = make_docx(tmp_path / "b.docx", "Second letter.")
    (tmp_path / "a.pdf").write_bytes(b"an older PDF")
    made = pdf.convert([first, second])
    assert made[first] == tmp_path / "a-2.pdf" and made[second] == tmp_path / "b.pdf"
    assert (tmp_path / "a.pdf").read_bytes() == b"an older PDF"
    text = pdf_text(made[first])
    if text is not None:
        assert "Dear Zoë Ølsen & <Bob>," in text


# -- a stand-in for LibreOffice -----------------------------------------------------------------

pytestmark_posix = pytest.mark.skipif(sys.platform == "win32", reason="shell script stand-in")


def fake_soffice(tmp_path: Path, body: str) -> Path:
    """A script that logs how it was called, then runs ``body`` (sh)."""
    script = tmp_path / "fake-soffice"
    log = tmp_path / "calls.log"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{log}"\n'
        'for a in "$@"; do case "$a" in -env:UserInstallation=file://*) '
        f'echo "${{a#-env:UserInstallation=file://}}" >> "{tmp_path}/profiles.log";; esac; done\n'
        + body
    )
    script.chmod(0o755)
    return script


WRITE_PDFS = (
    'out=""; prev=""\n'
    'for a in "$@"; do\n'
    '  if [ "$prev" = "--outdir" ]; then out="$a"; fi\n'
    '  case "$a" in *.docx) n=$(basename "$a" .docx); printf "%%PDF-1.4 fake" > "$out/$n.pdf";; '
    "esac\n"
    '  prev="$a"\n'
    "done\n"
)


@pytestmark_posix
def test_one_libreoffice_run_per_batch_with_its_own_profile(
    letters_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake_soffice(tmp_path, WRITE_PDFS)))
    result = letters_app.letters.generate_batch(
        CASES, "plan_summary", tmp_path / "out", pdf=True, options=OPTIONS
    )
    assert result.pdf_note is None
    calls = (tmp_path / "calls.log").read_text().splitlines()
    assert len(calls) == 1, "one LibreOffice process for the whole batch"
    args = calls[0].split()
    assert {"--headless", "--norestore", "--convert-to", "--outdir"} <= set(args)
    assert pdf.PDF_FILTER in args  # tagged PDFs
    assert sum(a.endswith(".docx") for a in args) == 3
    (profile,) = (tmp_path / "profiles.log").read_text().splitlines()
    assert "plo-pdf-" in profile and not Path(profile).exists()  # private, then removed
    for letter in result.letters:
        assert letter.pdf_path is not None
        assert letter.pdf_path.read_bytes() == b"%PDF-1.4 fake"
        assert letter.record.pdf_sha256 == hashlib.sha256(b"%PDF-1.4 fake").hexdigest()
    # A second batch gets a new profile folder.
    letters_app.letters.generate_batch(CASES[:1], "plan_summary", tmp_path / "out", pdf=True)
    profiles = (tmp_path / "profiles.log").read_text().splitlines()
    assert len(profiles) == 2 and profiles[0] != profiles[1]


@pytestmark_posix
def test_libreoffice_that_hangs_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = fake_soffice(tmp_path, "sleep 60\n")
    letter = make_docx(tmp_path / "a.docx", "Hello.")
    started = time.monotonic()
    with pytest.raises(PdfError, match="did not finish making the PDFs within 1 seconds"):
        pdf.convert([letter], timeout=1, soffice=str(script))
    assert time.monotonic() - started < 15
    assert not (tmp_path / "a.pdf").exists()


@pytestmark_posix
def test_libreoffice_that_writes_nothing_is_reported(
    letters_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake_soffice(tmp_path, "exit 0\n")))
    with pytest.raises(PdfError, match="did not make 1 of the 1 PDF"):
        pdf.convert([make_docx(tmp_path / "a.docx", "Hello.")])
    # Through the service: the .docx letters stand, recorded without a PDF.
    result = letters_app.letters.generate(
        CASES[0], "plan_summary", tmp_path / "out", pdf=True, options=OPTIONS
    )
    assert result.pdf_note is not None and "did not make 2 of the 2" in result.pdf_note
    assert all(g.pdf_path is None and g.record.pdf_sha256 is None for g in result.letters)
    assert len(list((tmp_path / "out").glob("*.docx"))) == 2
    assert list((tmp_path / "out").glob("*.pdf")) == []


def test_missing_libreoffice(
    letters_app: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "not-installed"))
    assert pdf.find_soffice() is None and not pdf.available()
    with pytest.raises(PdfError, match="needs LibreOffice"):
        pdf.convert([make_docx(tmp_path / "a.docx", "Hello.")])
    assert pdf.convert([]) == {}
    result = letters_app.letters.generate(
        CASES[1], "plan_summary", tmp_path / "out", pdf=True, options=OPTIONS
    )
    assert result.pdf_note == pdf.NOT_INSTALLED
    (letter,) = result.letters
    assert letter.path.exists() and letter.pdf_path is None
