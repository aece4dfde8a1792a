"""Run-time hook for PySide6 that only sets Qt's paths (replaces PyInstaller's own).

PyInstaller's hook imports ``PySide6.QtCore`` at every start to write an embedded qt.conf,
so even ``plo-tracker --help`` would load Qt (about 50 ms).  Here only the environment is
set; ``ui.launcher`` writes the qt.conf itself, just before the window is imported.
"""

import os
import sys


def _paths() -> None:
    if sys.platform.startswith("win"):
        qt = os.path.join(sys._MEIPASS, "PySide6")
        os.environ["PATH"] = sys._MEIPASS + os.pathsep + os.environ.get("PATH", "")
    else:
        qt = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt, "qml")
    if sys.platform == "darwin":
        previous = os.environ.get("DYLD_LIBRARY_PATH")
        os.environ["DYLD_LIBRARY_PATH"] = os.pathsep.join(p for p in (sys._MEIPASS, previous) if p)


_paths()
del _paths
