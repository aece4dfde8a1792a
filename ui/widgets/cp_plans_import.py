"""Importing the council's CIN census return's child protection plans from the window
(what ``plo-tracker cp-plans import`` does): a button, the work off the UI thread with a busy
bar, an older return replaced only when the manager says so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from ui import dialogs, errors
from ui.workers import Worker

if TYPE_CHECKING:
    from plo_tracker.services.watch import HeldImport, WatchService

TITLE = "Import the council's CIN census return"


class CpPlansImport(QWidget):
    """The "Import a CIN return…" button and its progress; ``done`` gets the sentence to show."""

    def __init__(
        self, service: WatchService, done: Callable[[str], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.done = done
        self.worker: Worker | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QPushButton("I&mport a CIN return…")
        self.button.setAccessibleName(TITLE)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(160)
        self.busy.setVisible(False)
        self.busy_text = QLabel()
        layout.addWidget(self.button)
        layout.addWidget(self.busy)
        layout.addWidget(self.busy_text)
        layout.addStretch(1)
        self.button.clicked.connect(self.choose)

    def choose(self) -> Worker | None:
        path = dialogs.open_file_name(self, TITLE, "CIN census returns (*.xml);;All files (*)")
        return None if path is None else self.start(path)

    def start(self, path: Path, *, replace_newer: bool = False) -> Worker:
        service = self.service
        worker = Worker(
            lambda _report, _cancelled: service.import_return(path, replace_newer=replace_newer)
        )
        worker.signals.finished.connect(self._imported)
        worker.signals.failed.connect(lambda error: self._failed(path, error))
        worker.signals.done.connect(lambda: self._set_busy(False))
        self.worker = worker
        self._set_busy(True, f"Reading {path.name}…")
        worker.start()
        return worker

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.button.setEnabled(not busy)
        self.busy.setVisible(busy)
        self.busy_text.setText(text)

    def _imported(self, held: HeldImport) -> None:
        self.done(f"Imported {held.file_name}: {held.describe()}.")

    def _failed(self, path: Path, error: BaseException) -> None:
        if getattr(error, "older", False):
            question = (
                f"{path.name} is older than the return held now. Replace the newer return's "
                "child protection plans with this older one's?"
            )
            if dialogs.confirm(self, TITLE, question, "Replace"):
                self.start(path, replace_newer=True)
                return
            self.done("Nothing was replaced: the newer return is still held.")
            return
        message = errors.describe(error, "the CIN return")
        self.done(message)
        dialogs.show_error(self, "Return not imported", message)
