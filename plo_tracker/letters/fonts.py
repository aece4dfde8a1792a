"""The fonts a letter's PDF is drawn with, and which characters each one has.

LibreOffice draws a character with the font its run names (Arial in the shipped
templates, which it replaces by a look-alike such as Liberation Sans when Arial is not
installed); when that font lacks the character it takes any other font it can find that
has it (its glyph fallback).  So a character can be drawn when some font LibreOffice sees
has it:

* the fonts shipped with PLO Tracker (``plo_tracker/fonts``: Noto Sans and Noto Naskh
  Arabic, SIL Open Font License), which ``pdf.convert`` puts in each run's own profile
  (``user/fonts``) so LibreOffice loads them without installing anything (Linux and
  other Unix; on Windows and macOS LibreOffice ignores that folder, so there only Noto
  Naskh Arabic counts, embedded in every letter with Arabic-script text: ``embed.py``);
* the computer's fonts: the ones fontconfig knows (``fc-match``/``fc-list``: Linux and
  most Unix), else the font folders of Windows, macOS or Linux; and LibreOffice's own.

The fonts the letter names are looked at first, then for what they lack, the fonts
fontconfig lists for those characters (or, without fontconfig, every font in the
folders).  Character maps are read with fontTools and kept for the life of the process,
keyed by file, size and modification time.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont, TTLibError

log = logging.getLogger("plo_tracker.letters")

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
FC_TIMEOUT = 30.0
# fontconfig is asked about one character at a time for up to this many; more than that
# and every font it lists is read once.
MAX_CHARACTER_QUERIES = 24


def bundled_folder() -> Path:
    """``plo_tracker/fonts`` (in the standalone build too: it is package data)."""
    return Path(str(resources.files("plo_tracker").joinpath("fonts")))


def bundled_fonts() -> list[Path]:
    folder = bundled_folder()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES)


def shipped_for_run() -> list[Path]:
    """The shipped fonts LibreOffice will have: all of them where it loads the fonts in
    its profile folder (Linux and other Unix); on Windows and macOS, where it does not,
    only Noto Naskh Arabic, which every letter with Arabic-script text carries embedded."""
    if sys.platform in ("win32", "darwin"):
        return [p for p in bundled_fonts() if p.name.startswith("NotoNaskhArabic")]
    return bundled_fonts()


@functools.lru_cache(maxsize=2048)
def _cmap(path: str, index: int, size: int, mtime: float) -> frozenset[int]:
    del size, mtime  # part of the cache key only: a changed file is read again
    try:
        if path.lower().endswith((".ttc", ".otc")) and index < 0:
            with TTCollection(path, lazy=True) as collection:
                return frozenset(
                    code for font in collection.fonts for code in (font.getBestCmap() or {})
                )
        with TTFont(path, lazy=True, fontNumber=max(index, 0)) as font:
            return frozenset(font.getBestCmap() or {})
    except (OSError, TTLibError, AssertionError, KeyError, ValueError, struct.error) as error:
        log.debug("font %s unreadable: %s", Path(path).name, type(error).__name__)
        return frozenset()


def characters_of(path: Path, index: int = 0) -> frozenset[int]:
    """The code points a font file draws (index -1: every font of a collection)."""
    try:
        stat = path.stat()
    except OSError:
        return frozenset()
    return _cmap(str(path), index, stat.st_size, stat.st_mtime)


# -- fontconfig ---------------------------------------------------------------------------------


def fontconfig_available() -> bool:
    return shutil.which("fc-list") is not None and shutil.which("fc-match") is not None


def _fc(arguments: list[str], env: Mapping[str, str] | None) -> list[tuple[Path, int]]:
    try:
        result = subprocess.run(  # noqa: S603 - fontconfig's own tools, no shell
            arguments,
            capture_output=True,
            timeout=FC_TIMEOUT,
            env=dict(env) if env is not None else None,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.warning("fontconfig (%s) failed: %s", arguments[0], type(error).__name__)
        return []
    found: list[tuple[Path, int]] = []
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        path, _, index = line.partition("\t")
        if path and Path(path).suffix.lower() in FONT_SUFFIXES:
            found.append((Path(path), int(index) if index.strip().isdigit() else 0))
    return found


def fontconfig_match(family: str, env: Mapping[str, str] | None = None) -> list[tuple[Path, int]]:
    """The font fontconfig gives for a family name (its substitute when not installed)."""
    name = family.replace("\\", "\\\\").replace("-", "\\-").replace(":", "\\:")
    return _fc(["fc-match", "--format", "%{file}\t%{index}\n", name], env)


def fontconfig_having(code: int, env: Mapping[str, str] | None = None) -> list[tuple[Path, int]]:
    """The fonts fontconfig says have this character."""
    return _fc(["fc-list", "--format", "%{file}\t%{index}\n", f":charset={code:x}"], env)


def fontconfig_all(env: Mapping[str, str] | None = None) -> list[tuple[Path, int]]:
    return _fc(["fc-list", "--format", "%{file}\t%{index}\n"], env)


# -- font folders (Windows, macOS, LibreOffice's own) -------------------------------------------


def font_folders(soffice: str | None = None) -> list[Path]:
    folders: list[Path] = []
    if sys.platform == "win32":  # pragma: no cover - Windows only
        windows = os.environ.get("WINDIR", r"C:\Windows")
        folders.append(Path(windows) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":  # pragma: no cover - macOS only
        folders += [Path("/System/Library/Fonts"), Path("/Library/Fonts")]
        folders.append(Path.home() / "Library" / "Fonts")
    elif not fontconfig_available():  # fontconfig's library without its tools
        folders += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    if soffice:
        program = Path(soffice).resolve().parent
        folders += [program.parent / "share" / "fonts", program.parent / "Resources" / "fonts"]
    return [f for f in folders if f.is_dir()]


def fonts_in(folders: Iterable[Path]) -> list[tuple[Path, int]]:
    found: list[tuple[Path, int]] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                found.append((path, -1))
    return found


# -- what is left without a font ----------------------------------------------------------------


def _take(remaining: set[int], fonts: Iterable[tuple[Path, int]]) -> None:
    for path, index in fonts:
        if not remaining:
            return
        remaining -= characters_of(path, index)


def missing_characters(
    codes: Iterable[int],
    families: Iterable[str] = (),
    *,
    soffice: str | None = None,
    env: Mapping[str, str] | None = None,
    system: bool = True,
) -> set[int]:
    """The code points no font LibreOffice will see can draw.

    ``families`` are the font names the letter uses (looked at first).  ``env`` is the
    environment LibreOffice runs with (its HOME decides which personal fonts it sees).
    ``system=False`` counts the shipped fonts only.
    """
    remaining = set(codes)
    _take(remaining, ((p, 0) for p in shipped_for_run()))
    if not remaining or not system:
        return remaining
    if fontconfig_available():
        for family in sorted(set(families)):
            _take(remaining, fontconfig_match(family, env))
        if len(remaining) > MAX_CHARACTER_QUERIES:
            _take(remaining, fontconfig_all(env))
        else:
            for code in sorted(remaining):
                if code in remaining:
                    _take(remaining, fontconfig_having(code, env))
    _take(remaining, fonts_in(font_folders(soffice)))
    return remaining


def install_for_run(profile: Path) -> None:
    """Put the shipped fonts in a LibreOffice profile's own font folder (``user/fonts``)."""
    target = profile / "user" / "fonts"
    target.mkdir(parents=True, exist_ok=True)
    for font in bundled_fonts():
        shutil.copyfile(font, target / font.name)
