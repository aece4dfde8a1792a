"""The census's files: every output checked before anything is written, then all written
atomically, so a refusal or a failure leaves every file as it was.

``check_outputs(outputs, inputs)`` refuses (``PloError``, nothing written) an output that is
a folder, whose folder does not exist or cannot be written in, that is one of the inputs
(the council's return, the PLO Tracker database) or another output, or a link to one of them
(a symbolic link, or a hard link: the same file under another name).  ``OutputSet`` then
writes each file under a temporary name in its own folder (flushed to disk), and only when
all are written puts them in place by renaming; if a rename fails, the files already put in
place are put back as they were.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from plo_tracker.errors import PloError

# A council's whole CIN census return is far smaller; both readers stream it.
RETURN_LIMIT = 4 * 1024**3

NOTHING_WRITTEN = "Nothing was written."

Writer = Callable[[Callable[[bytes], object]], None]


@dataclass(frozen=True)
class Named:
    """A file the command reads or writes, with the words that name it to the user."""

    label: str  # "the merged return", "the council's return"...
    path: Path


@dataclass(frozen=True)
class OutputFile:
    label: str
    path: Path
    write: Writer  # called with a function that takes the file's bytes, a chunk at a time
    mode: int = 0o600  # the file's permissions (owner only unless said otherwise)


def _real(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path.expanduser()))


def same_file(a: Path, b: Path) -> bool:
    """The same file: one path, a symbolic link to the other, or a hard link (two names)."""
    if _real(a) == _real(b):
        return True
    try:
        return os.path.samefile(a.expanduser(), b.expanduser())
    except OSError:
        return False


def _link_words(a: Path, b: Path) -> str:
    return "" if _real(a) == _real(b) and a.expanduser() == b.expanduser() else ", or a link to it"


def check_outputs(outputs: Sequence[Named], inputs: Sequence[Named]) -> None:
    """Refuse (PloError) any output that cannot or must not be written; writes nothing."""
    for index, output in enumerate(outputs):
        path = output.path.expanduser()
        if path.is_dir():
            raise PloError(
                f"{output.label.capitalize()} ({path}) is a folder; give a file name to write "
                f"to. {NOTHING_WRITTEN}"
            )
        folder = path.parent
        if not folder.is_dir():
            raise PloError(
                f"The folder {folder} for {output.label} does not exist. {NOTHING_WRITTEN}"
            )
        if not os.access(folder, os.W_OK | os.X_OK):
            raise PloError(
                f"You do not have permission to write in the folder {folder} ({output.label}). "
                f"{NOTHING_WRITTEN}"
            )
        for source in inputs:
            if same_file(path, source.path):
                raise PloError(
                    f"{output.label.capitalize()} ({path}) is {source.label} ({source.path}"
                    f"{_link_words(path, source.path)}): give a new file name; PLO Tracker "
                    f"never writes over {source.label}. {NOTHING_WRITTEN}"
                )
        for other in outputs[:index]:
            if same_file(path, other.path):
                raise PloError(
                    f"{other.label.capitalize()} and {output.label} are the same file ({path}): "
                    f"give each its own name. {NOTHING_WRITTEN}"
                )


def _aside(path: Path, kind: str) -> Path:
    return path.with_name(f".{path.name}.{kind}-{os.getpid()}")


class OutputSet:
    """Files written together: ``prepare`` (temporary files), ``commit`` (rename into place),
    then ``finish``; ``rollback`` at any point leaves every file as it was before."""

    def __init__(self, outputs: Sequence[OutputFile]) -> None:
        self.outputs = list(outputs)
        self.temps: list[Path] = []
        self.placed: list[tuple[Path, Path | None]] = []  # (file, its earlier version set aside)

    def prepare(self) -> None:
        for output in self.outputs:
            path = output.path.expanduser()
            temp = _aside(path, "partial")
            try:
                if os.path.lexists(temp):
                    temp.unlink()
                flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
                fd = os.open(temp, flags, 0o600)
                self.temps.append(temp)
                with os.fdopen(fd, "wb") as handle:
                    output.write(handle.write)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temp, output.mode)
            except PermissionError:
                raise PloError(
                    f"You do not have permission to write {path} ({output.label}). "
                    f"{NOTHING_WRITTEN}"
                ) from None
            except OSError as error:
                raise PloError(
                    f"Cannot write {path} ({output.label}): {error.strerror}. {NOTHING_WRITTEN}"
                ) from None

    def commit(self) -> None:
        for output, temp in zip(self.outputs, self.temps, strict=True):
            path = output.path.expanduser()
            earlier: Path | None = None
            try:
                if os.path.lexists(path):
                    earlier = _aside(path, "previous")
                    if os.path.lexists(earlier):
                        earlier.unlink()
                    try:
                        os.link(path, earlier, follow_symlinks=False)
                    except (OSError, NotImplementedError):  # no hard link here: a copy
                        shutil.copy2(path, earlier, follow_symlinks=False)
                os.replace(temp, path)
            except OSError as error:
                if earlier is not None and os.path.lexists(earlier):
                    earlier.unlink()
                raise PloError(
                    f"Cannot write {path} ({output.label}): {error.strerror}. {NOTHING_WRITTEN}"
                ) from None
            self.placed.append((path, earlier))

    def finish(self) -> None:
        for _path, earlier in self.placed:
            if earlier is not None and os.path.lexists(earlier):
                earlier.unlink()
        self.placed = []
        self._remove_temps()

    def rollback(self) -> None:
        for path, earlier in reversed(self.placed):
            try:
                if earlier is not None:
                    os.replace(earlier, path)
                elif os.path.lexists(path):
                    path.unlink()
            except OSError:  # pragma: no cover - the folder vanished under us
                pass
        self.placed = []
        self._remove_temps()

    def _remove_temps(self) -> None:
        for temp in self.temps:
            if os.path.lexists(temp):
                temp.unlink()
        self.temps = []


def write_all(outputs: Sequence[OutputFile], then: Callable[[], None] | None = None) -> None:
    """Write every file, then run ``then`` (the audit); if anything fails, nothing is left
    written and the error is raised."""
    files = OutputSet(outputs)
    try:
        files.prepare()
        files.commit()
        if then is not None:
            then()
    except BaseException:
        files.rollback()
        raise
    files.finish()


def check_return_file(path: Path) -> Path:
    """The council's CIN census return file, readable; a plain PloError saying why not
    (read by the census merge and by the CP plans import)."""
    path = path.expanduser()
    try:
        if path.is_dir():
            raise PloError(f"{path} is a folder; give the council's CIN census return file.")
        size = path.stat().st_size
        if size > RETURN_LIMIT:
            raise PloError(
                f"{path.name} is {size // (1024 * 1024)} MB, larger than any CIN census return "
                "PLO Tracker expects; check that it is the right file."
            )
        with path.open("rb") as handle:
            handle.read(1)
    except FileNotFoundError:
        raise PloError(f"There is no file {path}; give the council's CIN census return.") from None
    except PermissionError:
        raise PloError(f"You do not have permission to read {path}.") from None
    except OSError as error:
        raise PloError(f"Cannot read {path}: {error.strerror}.") from None
    return path
