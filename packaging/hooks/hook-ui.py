"""The window: every submodule, because the main window loads its screens by name."""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("ui")
