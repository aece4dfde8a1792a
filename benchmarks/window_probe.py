"""One window start, for benchmarks/window_bench.py (not a test).

    python benchmarks/window_probe.py bare
    python benchmarks/window_probe.py app DB_PATH USER

Both modes start the same way (offscreen Qt, a QApplication, a window shown and the
event loop run once) and print READY when the window is on screen; the parent times
from launch to that line.  ``app`` opens the real main window on the database, so the
case list is filled, then times sorting by every column and filtering, and prints a
JSON line with those times and the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM).

    Not ``ru_maxrss``: on Linux that carries over from the parent across fork and exec,
    so a probe started by a large parent would report the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare() -> dict[str, float]:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    began = time.perf_counter()
    window = QMainWindow()
    table = QTableView()
    table.setModel(QStandardItemModel(0, 8))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    print("READY", flush=True)
    return {"in_process_s": time.perf_counter() - began, "peak_mb": peak_mb()}


def real(db: str, user: str) -> dict[str, float]:
    from PySide6.QtCore import Qt

    from ui.app import make_application, open_session
    from ui.main_window import MainWindow

    app = make_application()
    began = time.perf_counter()
    args = argparse.Namespace(db=db, user=user, demo=False, command=None)
    started = open_session(args)
    assert started is not None
    window = MainWindow(started.ctx, title=started.title, demo=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    in_process = time.perf_counter() - began
    print("READY", flush=True)
    case_list = window.case_list
    rows = case_list.model.rowCount()
    sorts: list[float] = []
    for column in range(case_list.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            start = time.perf_counter()
            case_list.table.sortByColumn(column, order)
            app.processEvents()
            sorts.append(time.perf_counter() - start)
    filters: list[float] = []
    for text in ("Jones", "PLO-2026-0001", "Case Management 2", "zzz-no-match", ""):
        start = time.perf_counter()
        case_list.search.setText(text)
        app.processEvents()
        filters.append(time.perf_counter() - start)
    for _ in range(2):
        start = time.perf_counter()
        case_list.drifting.toggle()
        app.processEvents()
        filters.append(time.perf_counter() - start)
    result = {
        "in_process_s": in_process,
        "rows": rows,
        "sort_median_s": statistics.median(sorts),
        "sort_max_s": max(sorts),
        "filter_median_s": statistics.median(filters),
        "filter_max_s": max(filters),
        "peak_mb": peak_mb(),
    }
    window.close()
    started.close()
    return result


def main() -> int:
    mode = sys.argv[1]
    result = bare() if mode == "bare" else real(sys.argv[2], sys.argv[3])
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
