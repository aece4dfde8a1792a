"""Letters' files: the output folder, new owner-only files, safe names, hashes."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from plo_tracker.errors import PloError, ValidationError

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_file_part(text: str, limit: int = 60) -> str:
    """Text usable in a file name on every system (no personal names are put there)."""
    cleaned = _UNSAFE_FILE_CHARS.sub("_", text).strip("._-")
    return cleaned[:limit] or "x"


def template_name_for_file(path: Path) -> str:
    """The template name a council's file gets: its file name, made safe."""
    name = re.sub(r"[^a-z0-9_-]+", "_", path.stem.lower()).strip("_-")
    return (name or "council_letter")[:64]


def write_new_private(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write ``data`` to a new owner-only file (never replacing one); returns its path."""
    counter = 1
    while True:
        name = f"{stem}{suffix}" if counter == 1 else f"{stem}-{counter}{suffix}"
        path = folder / name
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            counter += 1
            continue
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path


def check_folder(folder: Path) -> Path:
    """The output folder, checked before any work: a folder (or one that can be made there)
    that the user may write in."""
    if not isinstance(folder, Path):
        raise ValidationError("Output folder: must be a folder path.")
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise PloError(f"{folder} is a file, not a folder to save letters in.")
    existing = folder if folder.exists() else folder.parent
    if not existing.is_dir():
        raise PloError(f"The folder {folder.parent} does not exist.")
    if not os.access(existing, os.W_OK):
        raise PloError(f"You do not have permission to save files in {existing}.")
    return folder


def make_folder(folder: Path) -> None:
    """Make the (checked) output folder, owner-only, when letters are about to be saved."""
    if folder.is_dir():
        return
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        if not folder.is_dir():
            raise PloError(f"{folder} is a file, not a folder to save letters in.") from None
    except OSError as error:
        raise PloError(f"Cannot make the folder {folder}: {error.strerror}.") from None


def remove_files(paths: Iterable[Path | None]) -> None:
    for path in paths:
        if path is not None:
            path.unlink(missing_ok=True)
