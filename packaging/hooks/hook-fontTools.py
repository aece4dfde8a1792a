"""fontTools (reads fonts' character maps for the glyph check before a PDF).

fontTools imports each font table's module by name when a table is read
(``fontTools.ttLib.tables._c_m_a_p`` for ``cmap``), which PyInstaller cannot see.
"""

from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("fontTools.ttLib.tables")
