"""Long work off the window's thread: a QRunnable whose results come back as signals.

A job is a plain function ``job(progress, cancelled) -> result`` that calls the
core's services (each call opens its own short session).  It must never touch a
widget.  ``progress(done, total)`` is safe to call from the job; ``cancelled()``
says whether the user pressed Cancel, and ``check_cancelled()`` raises
``Cancelled`` so a job can stop at a safe point (a core callback that raises
rolls its transaction back, so nothing is half-written).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]
Job = Callable[[Progress, CancelCheck], Any]


class Cancelled(Exception):
    """The user cancelled a job; raised inside the job to stop it."""


class WorkerSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    done = Signal()  # after any of finished, failed or cancelled


class Worker(QRunnable):
    def __init__(self, job: Job) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.job = job
        self.signals = WorkerSignals()
        self._cancel = threading.Event()

    # -- for the window --------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def start(self, pool: QThreadPool | None = None) -> None:
        (pool or QThreadPool.globalInstance()).start(self)

    # -- for the job -----------------------------------------------------------------------
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> None:
        """The job's progress callback; stops the job if the user cancelled.

        A report of the whole (``done >= total``) never stops it: by then the work is
        done (an import reports its total after committing), so it is reported as
        finished rather than wrongly as cancelled.
        """
        if self._cancel.is_set() and done < total:
            raise Cancelled
        self.signals.progress.emit(done, total)

    # -- the thread ------------------------------------------------------------------------
    def run(self) -> None:
        try:
            result = self.job(self.report, self.is_cancelled)
        except Cancelled:
            self.signals.cancelled.emit()
        except BaseException as error:
            self.signals.failed.emit(error)
        else:
            self.signals.finished.emit(result)
        self.signals.done.emit()


def check_cancelled(cancelled: CancelCheck) -> None:
    if cancelled():
        raise Cancelled
