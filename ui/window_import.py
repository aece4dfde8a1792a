"""Importing cases from the window: a case exchange file read off the window's thread.

Mixed into ``MainWindow`` (which provides ``ctx``, ``case_list``, ``case_views`` and
``_screens``).  A progress dialog shows how far it has got; Cancel rolls the import
back, so the database is as it was; the result (or the refusal) is said in a dialog.

A file naming teams or people the database does not have is refused, and the window
asks whether to add them as "not yet registered" (for an administrator to confirm) and
import it: the window's ``--create-missing``.  An import that would remove records asks
too.  Each answer keeps the other's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QProgressDialog

from plo_tracker.errors import RemovalRefused, UnknownNames
from ui import dialogs
from ui.errors import describe
from ui.workers import CancelCheck, Progress, Worker


class ImportCases:
    ctx: Any
    case_list: Any
    case_views: dict[str, Any]
    _screens: dict[str, Any]
    import_worker: Worker | None
    import_progress: QProgressDialog | None
    import_path: Path | None = None
    import_options: dict[str, bool] | None = None

    def import_cases(
        self, path: Path | None = None, *, replace: bool = False, create_missing: bool = False
    ) -> Worker | None:
        if self.ctx is None:
            return None
        if not isinstance(path, Path):
            path = dialogs.open_file_name(
                self, "Import cases", "Case exchange files (*.json);;All files (*)"
            )
        if path is None:
            return None
        exchange = self.ctx.exchange
        self.import_path = path
        self.import_options = {"replace": replace, "create_missing": create_missing}

        def job(progress: Progress, _cancelled: CancelCheck) -> Any:
            # A cancel raises inside the import's progress callback, which rolls it back.
            return exchange.import_file(
                path, progress=progress, replace=replace, create_missing=create_missing
            )

        worker = Worker(job)
        progress = QProgressDialog("Importing cases…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Import cases")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(worker.cancel)
        worker.signals.progress.connect(self._import_progress)
        worker.signals.finished.connect(self._import_finished)
        worker.signals.failed.connect(self._import_failed)
        worker.signals.cancelled.connect(self._import_cancelled)
        worker.signals.done.connect(self._import_done)
        self.import_worker = worker
        self.import_progress = progress
        progress.show()
        worker.start()
        return worker

    def _import_progress(self, done: int, total: int) -> None:
        if self.import_progress is not None:
            self.import_progress.setMaximum(max(total, 1))
            self.import_progress.setValue(done)

    def _import_finished(self, result: Any) -> None:
        self.case_list.refresh()
        review = self._screens.get("drift_review")
        if review is not None:
            review.refresh()
        for view in self.case_views.values():
            view.reload()
        dialogs.show_info(self, "Import finished", f"Import finished. {result.describe()}")

    def _import_failed(self, error: BaseException) -> None:
        options = dict(self.import_options or {})
        if isinstance(error, RemovalRefused) and self.import_path is not None:
            # Never a silent loss: say what would go, and go ahead only if the user says so.
            path = self.import_path
            if dialogs.confirm(
                self,
                "Import would remove records",
                f"{error.removed}\n\nNothing has been imported yet. Import the file anyway "
                "and remove these records? (The audit trail keeps what each case held.)",
                "Import and remove",
            ):
                options["replace"] = True
                QTimer.singleShot(0, lambda: self.import_cases(path, **options))
            return
        if isinstance(error, UnknownNames) and self.import_path is not None:
            path = self.import_path
            listed = "\n".join(f"• {item}" for item in error.unknown[:15])
            more = len(error.unknown) - 15
            if more > 0:
                listed += f"\n… and {more} more"
            if dialogs.confirm(
                self,
                "Teams or people not in this database",
                "The file names teams or people this database does not have:\n"
                f"{listed}\n\nNothing has been imported yet. If the names are right, add them "
                "as not yet registered (an administrator confirms them in File → Users…) and "
                "import the file? If a name is misspelt, correct the file instead.",
                "Add them and import",
            ):
                options["create_missing"] = True
                QTimer.singleShot(0, lambda: self.import_cases(path, **options))
            return
        dialogs.show_error(self, "Import refused", describe(error))

    def _import_cancelled(self) -> None:
        dialogs.show_info(
            self, "Import cancelled", "The import was cancelled; nothing was changed."
        )

    def _import_done(self) -> None:
        if self.import_progress is not None:
            self.import_progress.close()
            self.import_progress.deleteLater()
        self.import_progress = None
        self.import_worker = None
