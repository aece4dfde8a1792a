"""The letters screen's Generate bar: why letters cannot be made yet, Generate, Make as
drafts, and while letters are made off the window's thread, a progress bar and Cancel.

``MakeBar`` owns the running request (``worker``) and says how it ended: ``made`` with
the result, ``message`` with one line for the person; a cancelled request saves nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.services.letters import GenerationResult
from ui import errors
from ui.widgets.letters.parts import BUSY, default_folder, problem_label
from ui.workers import CancelCheck, Progress, Worker

Job = Callable[[Progress, CancelCheck], GenerationResult]


def merge_results(results: list[GenerationResult]) -> GenerationResult:
    """One result for the letters of one case made a recipient at a time."""
    letters = tuple(letter for result in results for letter in result.letters)
    warnings: list[str] = []
    for result in results:
        warnings.extend(w for w in result.warnings if w not in warnings)
    note = next((r.pdf_note for r in results if r.pdf_note), None)
    return GenerationResult(
        letters=letters,
        pdf_note=note,
        warnings=tuple(warnings),
        cancelled=any(r.cancelled for r in results),
        draft=any(r.draft for r in results),
    )


class MakeBar(QWidget):
    """Generate letters, as drafts or not, with progress and Cancel."""

    made = Signal(object)  # the GenerationResult of a request that ended (cancelled or not)
    message = Signal(str)  # how the request is going or how it ended
    busy_changed = Signal()  # a request started or ended

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker: Worker | None = None
        self.folder: Path = default_folder()  # where the running or last request saved
        self.last_result: GenerationResult | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.problem = problem_label("Why letters cannot be made yet")
        box.addWidget(self.problem)
        actions = QHBoxLayout()
        self.generate_button = QPushButton("&Generate letters")
        self.generate_button.setAccessibleName("Generate letters")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel making letters")
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Letters made so far")
        self.progress.setFormat("%v of %m")
        self.progress.hide()
        self.draft = QCheckBox("Ma&ke as drafts")
        self.draft.setAccessibleName("Make as drafts")
        self.draft.setToolTip(
            "For preparing a letter that is not ready yet: each page is marked DRAFT, the "
            "letter lists what is missing, and it can never be recorded as sent."
        )
        actions.addWidget(self.generate_button, 1)
        actions.addWidget(self.draft)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        box.addLayout(actions)
        self.cancel_button.clicked.connect(self.cancel)

    def set_case_count(self, count: int) -> None:
        self.generate_button.setText(
            f"&Generate letters for {count} cases" if count > 1 else "&Generate letters"
        )

    def show_reason(self, reason: str | None) -> None:
        """Generate on, or off with why in one sentence (under the panel and its tooltip)."""
        self.problem.setText("" if reason in (None, BUSY) else reason)
        self.generate_button.setEnabled(reason is None)
        self.generate_button.setToolTip(reason or "Save the letters (as checked on the right)")

    def start(self, job: Job, folder: Path) -> Worker:
        worker = Worker(job)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        worker.signals.done.connect(self._done)
        self.worker = worker
        self.folder = folder
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.message.emit("Making the letters…")
        self.busy_changed.emit()
        worker.start()
        return worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.message.emit("Cancelling… nothing will be saved.")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, result: GenerationResult) -> None:
        self.last_result = result
        made = len(result.letters)
        if result.cancelled and not made:
            self.message.emit("Cancelled: no letters were saved.")
        else:
            parts = []
            if result.cancelled:
                parts.append(f"Cancelled after {made} letter(s); those were saved.")
            elif result.draft:
                parts.append(
                    f"Made {made} draft(s) in {self.folder}: marked DRAFT on every page, "
                    "they can never be recorded as sent."
                )
            else:
                parts.append(f"Made {made} letter(s) in {self.folder}.")
            if result.pdf_note:
                parts.append(result.pdf_note)
            parts.extend(result.warnings)
            self.message.emit(" ".join(parts))
        self.made.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.message.emit(errors.describe(error, "letters"))

    def _cancelled(self) -> None:
        self.message.emit("Cancelled: no letters were saved.")

    def _done(self) -> None:
        self.worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self.busy_changed.emit()
