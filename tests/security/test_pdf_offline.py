"""LibreOffice makes PDFs with networking off, and never sees a template that fetches.

A picture linked to a web address made LibreOffice fetch it while making the PDF (a
tracking pixel tells an outsider when each letter is made). A template holding one is
refused before any letter is made; and each LibreOffice run has no network anyway
(``plo_tracker/letters/pdf.py``): a network namespace of its own where the system allows,
and a profile and environment that send any fetch to a proxy that does not exist.
"""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from plo_tracker.letters import pdf
from tests.letters.test_cli import CASE, run

from . import docx_parts as parts

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def pixel_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on this computer that counts every request (a tracking pixel)."""
    hits: list[str] = []

    class Pixel(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Pixel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/pixel.png", hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def soffice() -> str:
    found = pdf.find_soffice()
    if found is None:
        if os.environ.get("PLO_TEST_REQUIRE_PDF") == "1":
            pytest.fail("PLO_TEST_REQUIRE_PDF=1 but LibreOffice (soffice) is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.mark.timeout(240)
@pytest.mark.parametrize("layer", ["every layer", "profile and environment only"])
def test_libreoffice_fetches_nothing_while_making_a_pdf(
    tmp_path: Path,
    soffice: str,
    pixel_server: tuple[str, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    layer: str,
) -> None:
    """Even a document that slipped past the template checks fetches nothing."""
    url, hits = pixel_server
    if layer != "every layer":  # as on Windows and macOS: no network namespace
        monkeypatch.setattr(pdf, "no_network_prefix", lambda: [])
    document = parts.write(tmp_path / "pixel.docx", parts.linked_picture(url + "?letter=1"))
    made = pdf.convert([document], soffice=soffice)
    assert made[document].read_bytes().startswith(b"%PDF")
    assert hits == [], "LibreOffice fetched the picture"


def test_the_profile_blocks_remote_content(tmp_path: Path) -> None:
    pdf.write_profile(tmp_path / "profile")
    settings = (tmp_path / "profile" / "user" / "registrymodifications.xcu").read_text()
    for name, value in (
        ("BlockUntrustedRefererLinks", "true"),
        ("DisableMacrosExecution", "true"),
        ("ooInetProxyType", "1"),
        ("ooInetHTTPProxyPort", "9"),
        ("ooInetHTTPSProxyPort", "9"),
    ):
        assert f'<prop oor:name="{name}" oor:op="fuse"><value>{value}</value>' in settings
    env = pdf.offline_environment(tmp_path)
    assert env["https_proxy"] == env["HTTP_PROXY"] == "http://127.0.0.1:9"
    assert "no_proxy" not in env and "NO_PROXY" not in env


def test_a_template_with_a_remote_image_is_refused_before_any_conversion(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pixel_server: tuple[str, list[str]],
) -> None:
    url, hits = pixel_server
    calls = tmp_path / "calls.log"
    fake = tmp_path / "soffice"
    fake.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexit 0\n')
    fake.chmod(0o755)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake))
    folder = tmp_path / "council"
    folder.mkdir()
    assert run(db, "templates", "--folder", str(folder), capsys=capsys)[0] == 0
    (folder / "review_invitation.docx").write_bytes(parts.linked_picture(url))
    out_dir = tmp_path / "letters"
    code, out, err = run(
        db,
        "letter",
        CASE,
        "review_invitation",
        "--party",
        "mother",
        "--date",
        "2024-03-04",
        "--out",
        str(out_dir),
        "--pdf",
        capsys=capsys,
    )
    assert code == 1 and "an image taken from outside the document" in out + err
    assert not calls.exists(), "LibreOffice was never started"
    assert not out_dir.exists() or list(out_dir.iterdir()) == []
    assert hits == []
