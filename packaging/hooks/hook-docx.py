"""python-docx: its templates (default.docx, the default header, footer, comments, styles and
settings parts), and the folder ``docx/parts`` on disk.

python-docx opens the header and footer templates as ``docx/parts/../templates/...``; in the
bundle the ``parts`` modules live in the archive, so without a real ``docx/parts`` folder that
path does not resolve and a draft letter (its DRAFT header) fails with FileNotFoundError.
One small file of the package, copied as data, makes the folder exist (this hook replaces the
contributed hook-docx, which collected the templates only).
"""

from PyInstaller.utils.hooks import collect_data_files

datas = collect_data_files("docx") + collect_data_files(
    "docx", include_py_files=True, includes=["parts/__init__.py"]
)
