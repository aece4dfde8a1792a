"""Reading .docx files safely: size limits, a plain refusal for anything that is not one."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject

from plo_tracker.errors import PloError
from plo_tracker.letters.errors import NotADocxError, UnsafeTemplateError
from plo_tracker.letters.parts import package_problems

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb must not fill the memory
DOCX_MAIN_PART = "word/document.xml"


def read_bytes(path: Path) -> bytes:
    """A .docx file's bytes, with plain messages for the usual problems."""
    path = Path(path).expanduser()
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise NotADocxError(f"{path.name} is larger than 50 MB, too large for a letter.")
        return path.read_bytes()
    except FileNotFoundError:
        raise PloError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise PloError(f"{path} is a folder, not a .docx file.") from None
    except PermissionError:
        raise PloError(f"You do not have permission to read {path}.") from None
    except OSError as error:
        raise PloError(f"Cannot read {path}: {error.strerror}.") from None


def check_package(data: bytes, name: str) -> None:
    """Refuse anything that is not a Word document before python-docx parses it."""
    not_docx = NotADocxError(
        f"{name} is not a Word .docx document. Save it from Word as 'Word Document (.docx)' "
        "and try again.",
        template=name,
    )
    if not data.startswith(b"PK"):
        raise not_docx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            unpacked = sum(info.file_size for info in infos)
            if DOCX_MAIN_PART not in names or "[Content_Types].xml" not in names:
                raise not_docx
            if unpacked > MAX_UNPACKED_BYTES:
                raise NotADocxError(
                    f"{name} unpacks to more than 200 MB; it was refused.", template=name
                )
            problems = package_problems(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise not_docx from None
    if problems:
        raise UnsafeTemplateError(
            f"{name} was refused: it holds " + "; ".join(problems) + ". A letter template may "
            "hold only the document itself (nothing fetched from outside, no macros, ActiveX "
            "controls or embedded objects, and a letter's size); remove these in Word and save "
            "it again as a Word Document (.docx).",
            template=name,
        )


def open_document(data: bytes, name: str) -> DocumentObject:
    check_package(data, name)
    try:
        return Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds for a damaged file
        raise NotADocxError(
            f"{name} could not be opened as a Word .docx document; it may be damaged.",
            template=name,
        ) from None
