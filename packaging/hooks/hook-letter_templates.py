"""The shipped letter templates (.docx), read through importlib.resources."""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("letter_templates", excludes=["**/build_templates.py"])
