"""The main window: the case list, open cases in tabs, and what the user's role offers.

Social workers see the case list and their cases; team managers also get the
drift review; legal liaison and managers get letters.  Everyone sees a case's
audit trail.  The role decides what is offered, and the core's services still
check every call.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressDialog,
    QTabWidget,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.permissions import ROLE_LABELS, Permission, Role
from plo_tracker.services.exchange_service import ImportResult
from ui import dialogs
from ui.errors import describe
from ui.widgets.case_list import CaseListWidget
from ui.widgets.case_view import CaseView
from ui.widgets.forms import CaseDetailsForm, RecordForm
from ui.workers import CancelCheck, Progress, Worker

log = logging.getLogger("plo_tracker.ui")

MANAGER_ROLES = (Role.TEAM_MANAGER, Role.ADMINISTRATOR)


def _optional_widget(module: str, name: str) -> Any:
    """A screen built alongside this window, when its module is present."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError:
        return None


class MainWindow(QMainWindow):
    def __init__(
        self,
        ctx: AppContext,
        *,
        title: str = "PLO Tracker",
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.actor
        self.demo = demo
        self.setWindowTitle(title)
        self.setAccessibleName("PLO Tracker")
        self.case_views: dict[str, CaseView] = {}
        self.form: RecordForm | None = None
        self.import_worker: Worker | None = None
        self.import_progress: QProgressDialog | None = None

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setAccessibleName("Screens and open cases")
        self.tabs.tabCloseRequested.connect(self._close_tab)
        self.setCentralWidget(self.tabs)

        self.case_list = CaseListWidget(ctx)
        self.case_list.open_case.connect(self.open_case)
        self._add_fixed_tab(self.case_list, "&Cases")

        # The other screens are built the first time they are shown (or asked for), so a
        # window opens as fast as its case list: they import and load more.
        self._screens: dict[str, Any] = {"drift_review": None, "letters": None, "reports": None}
        self._waiting: dict[str, tuple[QWidget, str, str, str]] = {}
        if self.actor.can(Permission.REVIEW_FLAGS):
            self._add_lazy_tab(
                "drift_review", "&Drift review", "ui.widgets.drift_review", "DriftReviewWidget"
            )
        if self.actor.can(Permission.GENERATE_LETTERS):
            self._add_lazy_tab("letters", "&Letters", "ui.widgets.letters", "LettersWidget")
        if self.actor.can(Permission.VIEW_REPORTS) and self.actor.role in MANAGER_ROLES:
            self._add_lazy_tab("reports", "R&eports", "ui.widgets.reports", "ReportsWidget")
        self.tabs.currentChanged.connect(self._tab_shown)

        self._build_menus()
        who = QLabel(
            f"Signed in as {self.actor.display_name} ({ROLE_LABELS[self.actor.role]}"
            + (f", {self.actor.team}" if self.actor.team else "")
            + ")"
        )
        who.setAccessibleName("Who is signed in")
        self.statusBar().addPermanentWidget(who)
        where = QLabel("Demo database" if demo else f"Database: {ctx.db.display_name}")
        where.setAccessibleName("Which database is open")
        self.statusBar().addWidget(where)
        line = self.fontMetrics().height()
        self.resize(line * 80, line * 46)

    # -- tabs --------------------------------------------------------------------------------
    @property
    def drift_review(self) -> Any:
        return self._screen("drift_review")

    @property
    def letters(self) -> Any:
        return self._screen("letters")

    @property
    def reports(self) -> Any:
        return self._screen("reports")

    def _add_lazy_tab(self, name: str, label: str, module: str, class_name: str) -> None:
        placeholder = QWidget()
        placeholder.setAccessibleName(label.replace("&", ""))
        self._waiting[name] = (placeholder, label, module, class_name)
        self._add_fixed_tab(placeholder, label)

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for name, (placeholder, *_rest) in list(self._waiting.items()):
            if placeholder is widget:
                self._screen(name)

    def _screen(self, name: str) -> Any:
        """The screen, built now if it has not been yet (None if the role has none)."""
        waiting = self._waiting.pop(name, None)
        if waiting is not None:
            placeholder, label, module, class_name = waiting
            widget_class = _optional_widget(module, class_name)
            index = self.tabs.indexOf(placeholder)
            if widget_class is None:
                self.tabs.removeTab(index)
            else:
                widget = widget_class(self.ctx)
                if hasattr(widget, "open_case"):
                    widget.open_case.connect(self.open_case)
                current = self.tabs.currentIndex() == index
                self.tabs.blockSignals(True)
                self.tabs.removeTab(index)
                self._insert_fixed_tab(index, widget, label)
                if current:
                    self.tabs.setCurrentIndex(index)
                self.tabs.blockSignals(False)
                self._screens[name] = widget
            placeholder.deleteLater()
        return self._screens[name]

    def _add_fixed_tab(self, widget: QWidget, label: str) -> None:
        self._insert_fixed_tab(self.tabs.count(), widget, label)

    def _insert_fixed_tab(self, position: int, widget: QWidget, label: str) -> None:
        index = self.tabs.insertTab(position, widget, label)
        bar = self.tabs.tabBar()
        for side in (bar.ButtonPosition.RightSide, bar.ButtonPosition.LeftSide):
            button = bar.tabButton(index, side)
            if button is not None:
                button.hide()
                bar.setTabButton(index, side, None)

    def open_case(self, reference: str) -> CaseView:
        view = self.case_views.get(reference)
        if view is None:
            view = CaseView(self.ctx, reference)
            view.changed.connect(self._case_changed)
            view.letters_requested.connect(self.show_letters_for)
            self.case_views[reference] = view
            self.tabs.addTab(view, reference)
            index = self.tabs.indexOf(view)
            self.tabs.setTabToolTip(index, f"Case {reference} (Ctrl+W closes it)")
        self.tabs.setCurrentWidget(view)
        return view

    def close_case(self, reference: str) -> None:
        view = self.case_views.pop(reference, None)
        if view is None:
            return
        if view.form is not None:
            view.form.reject()
        self.tabs.removeTab(self.tabs.indexOf(view))
        view.deleteLater()

    def _close_tab(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, CaseView):
            self.close_case(widget.reference)

    def close_current_case(self) -> None:
        widget = self.tabs.currentWidget()
        if isinstance(widget, CaseView):
            self.close_case(widget.reference)

    def current_case_view(self) -> CaseView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, CaseView) else None

    def show_cases(self) -> None:
        self.tabs.setCurrentWidget(self.case_list)

    def show_letters_for(self, reference: str) -> None:
        if self.letters is None:
            return
        if hasattr(self.letters, "show_case"):
            self.letters.show_case(reference)
        self.tabs.setCurrentWidget(self.letters)

    def _case_changed(self, _reference: str) -> None:
        self.case_list.refresh()
        review = self._screens["drift_review"]  # not built just to be refreshed
        if review is not None:
            review.refresh()

    # -- menus and shortcuts -----------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.new_case_action = self._action("&New case…", self.new_case, "Ctrl+N")
        refused = not self.actor.can(Permission.EDIT_CASES)
        self.new_case_action.setEnabled(not refused)
        if refused:
            self.new_case_action.setToolTip(
                f"A {ROLE_LABELS[self.actor.role]} may not create cases."
            )
        menu.addAction(self.new_case_action)
        self.import_action = self._action("&Import cases…", self.import_cases)
        self.import_action.setVisible(self.actor.can(Permission.IMPORT_CASES))
        menu.addAction(self.import_action)
        menu.addSeparator()
        self.close_case_action = self._action("&Close case", self.close_current_case, "Ctrl+W")
        self.close_case_action.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence("Ctrl+F4")])
        menu.addAction(self.close_case_action)
        menu.addAction(self._action("&Quit", self.close, "Ctrl+Q"))

        menu = self.menuBar().addMenu("&View")
        self.find_action = self._action("&Find case…", self.find, "Ctrl+F")
        menu.addAction(self.find_action)
        self.refresh_action = self._action("&Refresh", self.refresh_current, "F5")
        menu.addAction(self.refresh_action)
        menu.addAction(self._action("Case &list", self.show_cases, "Ctrl+L"))

        menu = self.menuBar().addMenu("&Help")
        menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts, "F1"))
        menu.addAction(self._action("&About PLO Tracker", self.show_about))

    def find(self) -> None:
        """Ctrl+F: the current screen's search box (the case list's from a case)."""
        widget = self.tabs.currentWidget()
        if widget is not self.case_list and hasattr(widget, "focus_search"):
            widget.focus_search()
            return
        self.show_cases()
        self.case_list.focus_search()

    def refresh_current(self) -> None:
        widget = self.tabs.currentWidget()
        if isinstance(widget, CaseView):
            widget.reload()
        elif widget is not None and hasattr(widget, "refresh"):
            widget.refresh()

    def show_shortcuts(self) -> None:
        dialogs.show_info(
            self,
            "Keyboard shortcuts",
            "Ctrl+N  new case\n"
            "Ctrl+F  find a case (search the case list)\n"
            "Ctrl+L  back to the case list\n"
            "Enter  open the selected case, or change the selected entry\n"
            "Ctrl+S  save the open form\n"
            "Esc  close the form without saving\n"
            "F5  refresh what you are looking at\n"
            "Ctrl+W  close the case tab\n"
            "Ctrl+Tab  next tab\n"
            "Alt + underlined letter  go to that field or button",
        )

    def show_about(self) -> None:
        from plo_tracker import __version__

        dialogs.show_info(
            self,
            "About PLO Tracker",
            f"PLO Tracker {__version__}\nTracks Public Law Outline pre-proceedings cases.\n"
            f"Database: {'demo (fictional cases)' if self.demo else self.ctx.db.display_name}",
        )

    # -- new case ----------------------------------------------------------------------------
    def new_case(self) -> RecordForm | None:
        if not self.actor.can(Permission.EDIT_CASES):
            return None

        def save(record: Any) -> Any:
            header, children = record
            return self.ctx.cases.create(header, list(children))

        try:
            teams = self.ctx.cases.teams()
        except Exception as error:
            dialogs.show_error(self, "New case", describe(error))
            return None
        form = CaseDetailsForm(save, teams=teams, actor=self.actor, parent=self)
        form.saved.connect(self._case_created)
        form.finished.connect(self._new_case_closed)
        self.form = form
        form.open()
        return form

    def _case_created(self, history: Any) -> None:
        self.case_list.refresh()
        self.open_case(history.reference)

    def _new_case_closed(self, _code: int) -> None:
        if self.form is not None:
            self.form.deleteLater()
        self.form = None

    # -- import ------------------------------------------------------------------------------
    def import_cases(self, path: Path | None = None) -> Worker | None:
        if not isinstance(path, Path):
            path = dialogs.open_file_name(
                self, "Import cases", "Case exchange files (*.json);;All files (*)"
            )
        if path is None:
            return None
        exchange = self.ctx.exchange

        def job(progress: Progress, _cancelled: CancelCheck) -> ImportResult:
            # A cancel raises inside the import's progress callback, which rolls it back.
            return exchange.import_file(path, progress=progress)

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

    def _import_finished(self, result: ImportResult) -> None:
        self.case_list.refresh()
        review = self._screens["drift_review"]
        if review is not None:
            review.refresh()
        for view in self.case_views.values():
            view.reload()
        dialogs.show_info(self, "Import finished", f"Import finished. {result.describe()}")

    def _import_failed(self, error: BaseException) -> None:
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

    # -- closing -----------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if self.import_worker is not None:
            self.import_worker.cancel()
        QThreadPool.globalInstance().waitForDone(10_000)
        super().closeEvent(event)
