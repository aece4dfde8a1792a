"""One window start, for benchmarks/window_bench.py (not a test).

    python benchmarks/window_probe.py bare
    python benchmarks/window_probe.py app DB_PATH USER [--measure]

Both modes start the same way (offscreen Qt, a QApplication, a main window shown)
and print ``PAINTED`` when the window has first been painted; the parent times from
launch to that line.  ``bare`` is a plain PySide6 main window with an empty table:
the floor.  ``app`` starts the real window the way ``plo-tracker`` does
(``ui.app.start``: the window first, the database and the case list after), and
also prints ``FILLED`` when the case list holds every case, then a JSON line with
what it measured inside the process (and, with ``--measure``, sorting and filtering
times and the peak memory).
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

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def peak_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss carries over from the parent)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def say(text: str) -> None:
    print(text, flush=True)


def bare() -> dict[str, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QPaintEvent, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    class Window(QMainWindow):
        painted = False

        def paintEvent(self, event: QPaintEvent) -> None:
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                QTimer.singleShot(0, lambda: (say("PAINTED"), app.quit()))

    app = QApplication(sys.argv[:1])
    window = Window()
    window.setWindowTitle("bare")
    window.menuBar().addMenu("&File")
    table = QTableView()
    table.setModel(QStandardItemModel(0, 8))
    window.setCentralWidget(table)
    window.resize(1280, 800)
    window.show()
    app.exec()
    return {"painted_in_process_s": time.perf_counter() - STARTED, "peak_mb": peak_mb()}


def real(db: str, user: str, measure: bool) -> dict[str, float]:
    from ui import dialogs

    def refuse(_parent: object, title: str, message: str) -> None:
        raise SystemExit(f"{title}: {message}")

    dialogs.show_error = refuse
    from ui.app import start

    args = argparse.Namespace(db=db, user=user, demo=False, command=None)
    app, window, opener = start(args)
    window.resize(1280, 800)
    times: dict[str, float] = {}

    def painted() -> None:
        times["painted_in_process_s"] = time.perf_counter() - STARTED
        say("PAINTED")

    def filled() -> None:
        times["filled_in_process_s"] = time.perf_counter() - STARTED
        times["rows"] = window.case_list.model.rowCount()
        say("FILLED")
        app.quit()

    window.first_painted.connect(painted)
    window.case_list.loaded.connect(filled)
    app.exec()
    if measure:
        times.update(sort_and_filter(app, window))
    times["peak_mb"] = peak_mb()
    window.close()
    if opener.started is not None:
        opener.started.close()
    return times


def sort_and_filter(app: object, window: object) -> dict[str, float]:
    from PySide6.QtCore import Qt

    case_list = window.case_list  # type: ignore[attr-defined]
    case_list.scope.setCurrentIndex(case_list.scope.findData("all"))
    sorts: list[float] = []
    for column in range(case_list.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            began = time.perf_counter()
            case_list.table.sortByColumn(column, order)
            app.processEvents()  # type: ignore[attr-defined]
            sorts.append(time.perf_counter() - began)
    filters: list[float] = []
    for text in ("Jones", "PLO-2026-0001", "Case Management 2", "zzz-no-match", ""):
        began = time.perf_counter()
        case_list.search.setText(text)
        app.processEvents()  # type: ignore[attr-defined]
        filters.append(time.perf_counter() - began)
    return {
        "sort_median_s": statistics.median(sorts),
        "filter_median_s": statistics.median(filters),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["bare", "app"])
    parser.add_argument("db", nargs="?")
    parser.add_argument("user", nargs="?")
    parser.add_argument("--measure", action="store_true")
    options = parser.parse_args()
    measured = bare if options.mode == "bare" else None
    result = measured() if measured else real(options.db, options.user, options.measure)
    say(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
