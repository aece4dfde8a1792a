"""Letters as PDF, through LibreOffice running headless (optional: .docx always works).

One ``soffice`` process converts a whole batch, to tagged (accessible) PDFs.  Each run
gets its own profile folder (``-env:UserInstallation``), because instances sharing the
default profile collide or hand the job to a running LibreOffice window that exits
without doing it.  The run has a time limit; every PDF is checked to exist and to be a
PDF, since soffice can exit 0 without writing anything.  PDFs are made in a private
temporary folder and then written next to their .docx, readable by the owner only
(letters hold personal data).

**Networking off.** A letter must never make LibreOffice fetch anything (a remote picture
would tell an outsider when each letter is made), although templates with external parts
are refused long before (``letters.parts``). Each run therefore:

* on Linux, runs in a network namespace of its own with no network at all
  (``unshare --user --map-root-user --net``), when the system allows it;
* everywhere, starts from a profile whose settings block links to anything outside the
  document (``BlockUntrustedRefererLinks``), switch macros off, and send any internet
  access to a proxy that does not exist (127.0.0.1, port 9, with no exceptions); the
  environment's proxy variables say the same to the network library.

soffice is found on the PATH (``soffice`` or ``libreoffice``), in the usual Windows and
macOS install folders, or at the path in ``PLO_TRACKER_SOFFICE``.

Before LibreOffice starts, every character of every letter is checked to have a font
(``letters.glyphs``): one without refuses the PDFs and names it.  The fonts shipped with
PLO Tracker (Noto, for Arabic-script text such as Urdu) go into the run's own profile
(``user/fonts``), where LibreOffice loads them on Linux; on Windows and macOS it does not,
and a letter with Arabic-script text carries Noto Naskh Arabic embedded (``embed.py``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from plo_tracker.letters import fonts, glyphs
from plo_tracker.letters.errors import PdfError

log = logging.getLogger("plo_tracker.letters")

SOFFICE_ENV = "PLO_TRACKER_SOFFICE"
_INSTALL_PATHS = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
)
# Tagged (accessible) PDF: headings, paragraphs and tables marked for screen readers.  JSON
# filter options need LibreOffice 7.4 or later; older versions ignore them (untagged PDF).
PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'
BASE_TIMEOUT = 90.0  # seconds: start-up with a fresh profile, plus the first file
PER_FILE_TIMEOUT = 5.0

NOT_INSTALLED = (
    "Saving letters as PDF needs LibreOffice, which is not installed on this computer "
    "(or PLO Tracker cannot find it). The .docx letters were saved. To get PDFs too, ask "
    "your IT team to install LibreOffice, or set PLO_TRACKER_SOFFICE to the path of its "
    "'soffice' program."
)


DEAD_PROXY = ("127.0.0.1", 9)  # the "discard" port: nothing answers there
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
{items}
</oor:items>
"""
_SETTINGS: tuple[tuple[str, str, str, str], ...] = (
    (
        "/org.openoffice.Office.Common/Security/Scripting",
        "BlockUntrustedRefererLinks",
        "boolean",
        "true",
    ),
    (
        "/org.openoffice.Office.Common/Security/Scripting",
        "DisableMacrosExecution",
        "boolean",
        "true",
    ),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "int", "3"),
    ("/org.openoffice.Office.Common/Misc", "PerformFileExtCheck", "boolean", "false"),
    ("/org.openoffice.Office.Common/Save/Document", "LoadPrinter", "boolean", "false"),
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "int", "1"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", "string", DEAD_PROXY[0]),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "int", str(DEAD_PROXY[1])),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", "string", DEAD_PROXY[0]),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "int", str(DEAD_PROXY[1])),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", "string", ""),
)
_NO_NETWORK_PREFIX = ["unshare", "--user", "--map-root-user", "--net"]
_namespace_works: bool | None = None


def write_profile(profile: Path) -> None:
    """A new LibreOffice profile whose settings keep it off the network (see above)."""
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, _kind, value in _SETTINGS
    )
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        _PROFILE_SETTINGS.format(items=items), encoding="utf-8"
    )


def no_network_prefix() -> list[str]:
    """The command that runs a program without any network, or [] where there is none."""
    global _namespace_works
    if sys.platform != "linux" or shutil.which("unshare") is None:
        return []
    if _namespace_works is None:
        try:
            _namespace_works = (
                subprocess.run(  # noqa: S603 - fixed program, no shell
                    [*_NO_NETWORK_PREFIX, "true"],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=10,
                    check=False,
                ).returncode
                == 0
            )
        except (OSError, subprocess.TimeoutExpired):
            _namespace_works = False
        if not _namespace_works:
            log.info("no network namespace for LibreOffice; its profile blocks the network")
    return list(_NO_NETWORK_PREFIX) if _namespace_works else []


def offline_environment(work_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["HOME"] = str(work_dir)  # nothing of LibreOffice's lands in the user's folders
    proxy = f"http://{DEAD_PROXY[0]}:{DEAD_PROXY[1]}"
    for name in ("http_proxy", "https_proxy", "ftp_proxy", "all_proxy"):
        env[name] = env[name.upper()] = proxy
    for name in ("no_proxy", "NO_PROXY"):
        env.pop(name, None)
    return env


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when it is not installed."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        path = Path(override).expanduser()
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _INSTALL_PATHS:
        if Path(candidate).is_file():
            return candidate
    return None


def available() -> bool:
    return find_soffice() is not None


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    path = folder / f"{stem}{suffix}"
    counter = 2
    while path.exists():
        path = folder / f"{stem}-{counter}{suffix}"
        counter += 1
    return path


def _write_private_new(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows only
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def convert(
    documents: Sequence[Path],
    *,
    timeout: float | None = None,
    soffice: str | None = None,
) -> dict[Path, Path]:
    """Convert .docx files to PDFs beside them, in one LibreOffice run.

    Returns {docx path: pdf path}.  Raises PdfError (nothing half-written) when
    LibreOffice is missing, fails, or runs past the time limit.
    """
    documents = [Path(d) for d in documents]
    if not documents:
        return {}
    program = soffice or find_soffice()
    if program is None:
        raise PdfError(NOT_INSTALLED)
    stems = [d.stem for d in documents]
    if len(set(stems)) != len(stems):
        raise PdfError("Two letters in one batch have the same file name; nothing was converted.")
    limit = timeout if timeout is not None else BASE_TIMEOUT + PER_FILE_TIMEOUT * len(documents)
    with tempfile.TemporaryDirectory(prefix="plo-pdf-") as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        out = work_dir / "out"
        out.mkdir()
        env = offline_environment(work_dir)
        # Every character must have a font, else it prints as an empty box.
        missing = glyphs.check(documents, soffice=program, env=env)
        if missing:
            log.warning("PDF refused: %s letter(s) with characters no font has", len(missing))
            raise PdfError(glyphs.refusal(missing))
        write_profile(profile)
        fonts.install_for_run(profile)  # the shipped fonts, for this run only
        command = [
            *no_network_prefix(),
            program,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(out),
            *[str(d.resolve()) for d in documents],
        ]
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed program, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                cwd=work_dir,
                start_new_session=sys.platform != "win32",
            )
        except OSError as error:
            raise PdfError(
                f"LibreOffice could not be started ({error.strerror}). The .docx letters were "
                "saved; no PDF was made."
            ) from None
        try:
            code = process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            _stop(process)
            log.warning("LibreOffice stopped after %s seconds", int(limit))
            raise PdfError(
                f"LibreOffice did not finish making the PDFs within {int(limit)} seconds, so it "
                "was stopped. The .docx letters were saved; no PDF was made."
            ) from None
        except BaseException:
            _stop(process)
            raise
        made: dict[Path, bytes] = {}
        missing = 0
        for document in documents:
            pdf = out / f"{document.stem}.pdf"
            data = pdf.read_bytes() if pdf.is_file() else b""
            if not data.startswith(b"%PDF"):
                missing += 1
                continue
            made[document] = data
        if missing:
            log.warning(
                "LibreOffice exit code %s, %s of %s PDFs missing", code, missing, len(documents)
            )
            raise PdfError(
                f"LibreOffice did not make {missing} of the {len(documents)} PDF(s) (it may be "
                "busy or damaged). The .docx letters were saved; no PDF was made. Close any "
                "open LibreOffice window and try again."
            )
    written: dict[Path, Path] = {}
    try:
        for document, data in made.items():
            target = _free_name(document.parent, document.stem, ".pdf")
            _write_private_new(target, data)
            written[document] = target
    except OSError as error:
        for path in written.values():
            path.unlink(missing_ok=True)
        raise PdfError(
            f"Cannot write the PDFs: {error.strerror}. The .docx letters were saved."
        ) from None
    log.info("converted %s letters to PDF", len(written))
    return written
