"""PLO Tracker's core: every submodule (command modules are loaded by name), and its data."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("plo_tracker")
datas = collect_data_files("plo_tracker")
