"""The Windows version resource of the two programs (Properties → Details in Explorer).

The spec (packaging/plo-tracker.spec) writes one file per program with ``version_file`` and
passes it to PyInstaller's EXE(version=...), which embeds it when building on Windows (it is
ignored elsewhere).  The company name is the build's manufacturer: the council that builds
and signs PLO Tracker, from the environment variable PLO_BUILD_MANUFACTURER (the same value
the MSI takes as -d Manufacturer=...).
"""

from __future__ import annotations

import os
import re

MANUFACTURER_ENV = "PLO_BUILD_MANUFACTURER"
DEFAULT_MANUFACTURER = "PLO Tracker"


def manufacturer() -> str:
    return os.environ.get(MANUFACTURER_ENV, "").strip() or DEFAULT_MANUFACTURER


def version_tuple(version: str) -> tuple[int, int, int, int]:
    """'0.1.0' -> (0, 1, 0, 0); Windows wants four numbers."""
    numbers = [int(n) for n in re.findall(r"\d+", version.split("+")[0])[:4]]
    return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]


def version_info_text(version: str, company: str, file_name: str, description: str) -> str:
    """PyInstaller's version-file format (a VSVersionInfo expression)."""
    numbers = version_tuple(version)
    strings = {
        "CompanyName": company,
        "FileDescription": description,
        "FileVersion": version,
        "InternalName": file_name.removesuffix(".exe"),
        "LegalCopyright": f"Copyright (c) {company}",
        "OriginalFilename": file_name,
        "ProductName": "PLO Tracker",
        "ProductVersion": version,
    }
    entries = ",\n          ".join(f"StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return f"""VSVersionInfo(
  ffi=FixedFileInfo(
    filevers={numbers},
    prodvers={numbers},
    mask=0x3f,
    flags=0x0,
    OS=0x40004,
    fileType=0x1,
    subtype=0x0,
    date=(0, 0)
  ),
  kids=[
    StringFileInfo([
      StringTable(
        '080904B0',
        [
          {entries}
        ])
    ]),
    VarFileInfo([VarStruct('Translation', [2057, 1200])])
  ]
)
"""
