"""The main window: the case list, open cases in tabs, and what the user's role offers.

The window is built before the database is open (``MainWindow()``: title, menus and
an empty case list saying it is loading), so it is on screen at once; ``attach``
then gives it the session.  Nothing here imports the database code at module
level: a case, a form or a screen imports what it needs when first used.

Each person starts where their work is: a social worker on *My cases*, a team
manager on the drift review (*My team's drift*), legal liaison on *Letters to do*.
The role decides what is offered, and the core's services still check every call.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QProgressDialog,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.logs import Safe
from ui import demo_process, dialogs
from ui.changes import ChangeHub
from ui.errors import describe
from ui.settings import PersonSettings
from ui.widgets.case_list import CaseListWidget
from ui.window_changes import WindowChanges
from ui.window_geometry import restore_geometry, save_geometry
from ui.window_import import ImportCases
from ui.workers import Worker

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from ui.widgets.case_view import CaseView
    from ui.widgets.forms import RecordForm

log = logging.getLogger("plo_tracker.ui")

APP_NAME = "PLO Tracker"
STILL_OPENING = "The database is still opening."


class Screen(NamedTuple):
    """A tab built the first time it is shown: its label, and where its class is."""

    label: str
    module: str
    class_name: str


SCREENS: dict[str, Screen] = {
    "drift_review": Screen("&Drift review", "ui.widgets.drift_review", "DriftReviewWidget"),
    "letters_todo": Screen("Letters &to do", "ui.widgets.letters_todo", "LettersToDoWidget"),
    "letters": Screen("&Letters", "ui.widgets.letters", "LettersWidget"),
    "reports": Screen("R&eports", "ui.widgets.reports", "ReportsWidget"),
    "heading_for_plo": Screen(
        "Heading for PLO", "ui.widgets.heading_for_plo", "HeadingForPloWidget"
    ),
}


class ElidedLabel(QLabel):
    """A one-line label that, when short of room, leaves out the middle ("…") rather than
    being cut off at the end; the whole text is its tooltip (a long database path)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * 12, super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideMiddle, rect.width()
        )
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), shown
        )


class ScreenUnavailable(QWidget):
    """Shown in a screen's place when its module cannot be loaded: says which, and why."""

    def __init__(self, title: str, module: str, error: BaseException) -> None:
        super().__init__()
        self.module = module
        self.setAccessibleName(f"{title} is not available")
        layout = QVBoxLayout(self)
        self.message = QLabel(screen_error_message(title, module, error))
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #8a1c1c;")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        layout.addStretch(1)


def screen_error_message(title: str, module: str, error: BaseException) -> str:
    return (
        f"The {title} screen could not be loaded: its part of PLO Tracker ({module}) is "
        f"missing or damaged ({type(error).__name__}: {error}). The rest of PLO Tracker "
        "works. Please tell your IT team; the details are in the log file."
    )


def load_screen(module: str, name: str) -> Any:
    """The screen's class; raises (never returns None) when its module cannot be loaded."""
    return getattr(importlib.import_module(module), name)


class MainWindow(WindowChanges, ImportCases, QMainWindow):
    first_painted = Signal()  # once, after the window has first been drawn
    attached = Signal()  # the session is in place (the case list may still be loading)

    def __init__(
        self,
        ctx: AppContext | None = None,
        *,
        title: str = APP_NAME,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.actor: Any = None
        self.demo = demo
        self.db_option: str | None = None  # the --db the window was started with, if any
        self.person: PersonSettings | None = None
        self._painted = False
        self.setWindowTitle(title)
        self.setAccessibleName("PLO Tracker")
        self.case_views: dict[str, CaseView] = {}
        self.form: RecordForm | None = None
        self.import_worker: Worker | None = None
        self.import_progress: QProgressDialog | None = None
        self.users_dialog: Any = None
        self.changes: ChangeHub | None = None

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setAccessibleName("Screens and open cases")
        self.tabs.tabCloseRequested.connect(self._close_tab)
        # On a small screen (1280x720 at 150%: 853x480) a screen scrolls rather than
        # making the window taller than the screen or cutting its text short.
        self.scroller = QScrollArea(widgetResizable=True, frameShape=QFrame.Shape.NoFrame)
        self.scroller.setWidget(self.tabs)
        self.setCentralWidget(self.scroller)

        self.case_list = CaseListWidget()
        self.case_list.open_case.connect(self.open_case)
        self.case_list.create_case.connect(self.new_case)
        self.case_list.import_cases.connect(self.import_cases)
        self.case_list.try_demo.connect(self.try_demo)
        self._add_fixed_tab(self.case_list, "&Cases")
        self._screens: dict[str, Any] = dict.fromkeys(SCREENS)
        self._waiting: dict[str, QWidget] = {}
        self.tabs.currentChanged.connect(self._tab_shown)

        self._build_menus()
        self.who = QLabel("Opening the database…")
        self.who.setAccessibleName("Who is signed in")
        self.statusBar().addPermanentWidget(self.who)
        self.where = ElidedLabel("")
        self.where.setAccessibleName("Which database is open")
        self.statusBar().addWidget(self.where)
        self.heading_count = QLabel("")
        self.heading_count.setAccessibleName("Children heading for PLO")
        self.heading_count.setVisible(False)
        self.statusBar().addWidget(self.heading_count)
        line = self.fontMetrics().height()
        self.resize(line * 80, line * 46)
        restore_geometry(self, None)
        if ctx is not None:
            self.attach(ctx, title=title, demo=demo)

    # -- the session -------------------------------------------------------------------------
    def attach(
        self,
        ctx: AppContext,
        *,
        title: str | None = None,
        demo: bool = False,
        background: bool = False,
    ) -> None:
        """Give the window its session: role's tabs, menus, the person's start page."""
        from plo_tracker.permissions import ROLE_LABELS, Permission, Role

        self.ctx = ctx
        self.actor = actor = ctx.actor
        self.demo = demo
        if title:
            self.setWindowTitle(title)
        self.person = PersonSettings(actor.username)
        if self.changes is not None:
            self.changes.stop()
        self.changes = ChangeHub(ctx, self)
        self.changes.changed.connect(self.data_changed)
        if actor.can(Permission.REVIEW_FLAGS):
            self._add_lazy_tab("drift_review")
        if actor.role in (Role.LEGAL_LIAISON, Role.ADMINISTRATOR) and actor.can(
            Permission.GENERATE_LETTERS
        ):
            self._add_lazy_tab("letters_todo")
        if actor.can(Permission.GENERATE_LETTERS):
            self._add_lazy_tab("letters")
        if actor.can(Permission.VIEW_REPORTS) and actor.role in (
            Role.TEAM_MANAGER,
            Role.ADMINISTRATOR,
        ):
            self._add_lazy_tab("reports")
        if actor.can(Permission.VIEW_WATCH):
            self._add_lazy_tab("heading_for_plo")
            self._count_heading_for_plo()
        self._enable_menus()
        team = f", {actor.team}" if actor.team else ""
        self.who.setText(f"Signed in as {actor.display_name} ({ROLE_LABELS[actor.role]}{team})")
        self.where.setText("Demo database" if demo else f"Database: {ctx.db.display_name}")
        restore_geometry(self, self.person)
        self.case_list.attach(ctx, background=background)
        self._show_start_page()
        self.attached.emit()

    def _count_heading_for_plo(self) -> None:
        """The start page's line: how many children are heading for PLO (off the UI thread)."""
        ctx = self.ctx
        assert ctx is not None
        worker = Worker(lambda _progress, _cancelled: ctx.watch.counts())
        worker.signals.finished.connect(self.show_heading_count)
        self._count_worker = worker
        worker.start()

    def show_heading_count(self, text: str) -> None:
        """Shown in the status bar of every page, and on the Heading for PLO tab."""
        self.heading_count.setText(text + " (see Heading for PLO)")
        self.heading_count.setVisible(True)

    def _show_start_page(self) -> None:
        """A social worker's cases, a manager's team's drift, legal liaison's letters to do.

        If the person has already started typing in the case list's search box while the
        database opened, they stay there.
        """
        from plo_tracker.permissions import Role

        role = self.actor.role
        typed = bool(self.case_list.search.text()) and self.case_list.search.hasFocus()
        if typed:
            page: QWidget = self.case_list
        elif role == Role.TEAM_MANAGER and "drift_review" in self._waiting:
            page = self._waiting["drift_review"]
        elif role == Role.LEGAL_LIAISON and "letters_todo" in self._waiting:
            page = self._waiting["letters_todo"]
        else:
            page = self.case_list
        self.tabs.setCurrentWidget(page)
        if not typed:
            QTimer.singleShot(0, self, self._focus_start)

    def _focus_start(self) -> None:
        page = self.tabs.currentWidget()
        if hasattr(page, "focus_start"):
            page.focus_start()

    def start_page(self) -> QWidget:
        """The screen this person starts on (built if it has not been yet)."""
        from plo_tracker.permissions import Role

        role = self.actor.role
        if role == Role.TEAM_MANAGER and self.drift_review is not None:
            return self.drift_review
        if role == Role.LEGAL_LIAISON and self.letters_todo is not None:
            return self.letters_todo
        return self.case_list

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            # After this paint has reached the screen: the database is opened then.
            QTimer.singleShot(0, self, self._emit_first_painted)

    def _emit_first_painted(self) -> None:
        self.first_painted.emit()

    # -- tabs --------------------------------------------------------------------------------
    @property
    def drift_review(self) -> Any:
        return self._screen("drift_review")

    @property
    def letters_todo(self) -> Any:
        return self._screen("letters_todo")

    @property
    def letters(self) -> Any:
        return self._screen("letters")

    @property
    def reports(self) -> Any:
        return self._screen("reports")

    def _add_lazy_tab(self, name: str) -> None:
        if name in self._waiting or self._screens.get(name) is not None:
            return
        label = SCREENS[name][0]
        placeholder = QWidget()
        placeholder.setAccessibleName(label.replace("&", ""))
        self._waiting[name] = placeholder
        self._add_fixed_tab(placeholder, label)

    def _tab_shown(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for name, placeholder in list(self._waiting.items()):
            if placeholder is widget:
                self._screen(name)

    def _screen(self, name: str) -> Any:
        """The screen, built now if it has not been yet (None if the role has none).

        A screen whose module cannot be loaded is not quietly dropped: its tab says so,
        naming the module, the error is logged, and the user is told once.
        """
        placeholder = self._waiting.pop(name, None)
        if placeholder is not None:
            label, module, class_name = SCREENS[name]
            title = label.replace("&", "")
            try:
                widget = load_screen(module, class_name)(self.ctx)
            except Exception as error:
                log.error(
                    "screen %s could not be loaded from module %s (%s)",
                    Safe(title),
                    Safe(module),
                    Safe(type(error).__name__),
                    exc_info=True,
                )
                widget = ScreenUnavailable(title, module, error)
                message = screen_error_message(title, module, error)
                QTimer.singleShot(0, self, lambda: self._tell_unavailable(title, message))
            else:
                if hasattr(widget, "open_flag"):
                    widget.open_flag.connect(self.open_flag)
                elif hasattr(widget, "open_case"):
                    widget.open_case.connect(self.open_case)
                if hasattr(widget, "counted"):
                    widget.counted.connect(self.show_heading_count)
                if hasattr(widget, "make_letters"):
                    widget.make_letters.connect(self.show_letters_for)
            index = self.tabs.indexOf(placeholder)
            current = self.tabs.currentIndex() == index
            self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self._insert_fixed_tab(index, widget, label)
            if current:
                self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
            self._screens[name] = None if isinstance(widget, ScreenUnavailable) else widget
            placeholder.deleteLater()
        return self._screens.get(name)

    def _tell_unavailable(self, title: str, message: str) -> None:
        dialogs.show_error(self, f"{title} is not available", message)

    def _add_fixed_tab(self, widget: QWidget, label: str) -> None:
        self._insert_fixed_tab(self.tabs.count(), widget, label)

    def _insert_fixed_tab(self, position: int, widget: QWidget, label: str) -> None:
        # Fixed screens come before any open case.
        cases = [self.tabs.indexOf(v) for v in self.case_views.values()]
        position = min([position, *[c for c in cases if c >= 0]])
        index = self.tabs.insertTab(position, widget, label)
        bar = self.tabs.tabBar()
        for side in (bar.ButtonPosition.RightSide, bar.ButtonPosition.LeftSide):
            button = bar.tabButton(index, side)
            if button is not None:
                button.hide()
                bar.setTabButton(index, side, None)

    # -- cases -------------------------------------------------------------------------------
    def open_case(self, reference: str) -> CaseView:
        from ui.widgets.case_view import CaseView

        assert self.ctx is not None
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

    def open_flag(self, reference: str, rule: str, item: str | None = None) -> CaseView:
        """Open the case on one of its flags, with Review… and Extend… right there."""
        view = self.open_case(reference)
        view.show_flag(rule, item)
        return view

    def close_case(self, reference: str) -> bool:
        """Close a case's tab (asking first about a form with changes); False if kept."""
        view = self.case_views.get(reference)
        if view is None:
            return True
        if view.form is not None and not view.form.close_politely():
            return False
        self.case_views.pop(reference, None)
        self.tabs.removeTab(self.tabs.indexOf(view))
        view.deleteLater()
        return True

    def _close_tab(self, index: int) -> None:
        reference = self._case_at(index)
        if reference is not None:
            self.close_case(reference)

    def _case_at(self, index: int) -> str | None:
        widget = self.tabs.widget(index)
        for reference, view in self.case_views.items():
            if view is widget:
                return reference
        return None

    def close_current_case(self) -> None:
        reference = self._case_at(self.tabs.currentIndex())
        if reference is not None:
            self.close_case(reference)

    def current_case_view(self) -> CaseView | None:
        reference = self._case_at(self.tabs.currentIndex())
        return None if reference is None else self.case_views[reference]

    def show_cases(self) -> None:
        self.tabs.setCurrentWidget(self.case_list)

    def show_letters_for(self, reference: str) -> None:
        if self.letters is None:
            return
        if hasattr(self.letters, "show_case"):
            self.letters.show_case(reference)
        self.tabs.setCurrentWidget(self.letters)

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
        from ui.window_menus import build_menus

        build_menus(self)

    def _enable_menus(self) -> None:
        from ui.window_menus import enable_menus

        enable_menus(self)

    def find(self) -> None:
        """Ctrl+F: the current screen's search box (the case list's from a case)."""
        widget = self.tabs.currentWidget()
        if widget is not self.case_list and hasattr(widget, "focus_search"):
            widget.focus_search()
            return
        self.show_cases()
        self.case_list.focus_search()

    def refresh_current(self) -> None:
        if self.ctx is None:
            return
        view = self.current_case_view()
        if view is not None:
            view.reload()
            return
        widget = self.tabs.currentWidget()
        if widget is not None and hasattr(widget, "refresh"):
            widget.refresh()

    def show_shortcuts(self) -> None:
        from ui.window_menus import SHORTCUTS

        dialogs.show_info(self, "Keyboard shortcuts", SHORTCUTS)

    def show_about(self) -> None:
        from ui.window_menus import about_text

        dialogs.show_info(self, "About PLO Tracker", about_text(self))

    def show_users(self) -> Any:
        from ui.widgets.users import UsersDialog

        if self.ctx is None:
            return None
        dialog = UsersDialog(self.ctx, self)
        self.users_dialog = dialog
        dialog.finished.connect(self._users_closed)
        dialog.open()
        return dialog

    def _users_closed(self, _code: int) -> None:
        self.users_dialog = None

    def try_demo(self) -> bool:
        """Open the demo (fictional cases) in a window of its own."""
        started = demo_process.launch_demo()
        if not started:
            dialogs.show_error(
                self,
                "Demo",
                "The demo could not be started from here. Start it with: plo-tracker --demo",
            )
        return started

    # -- new case ----------------------------------------------------------------------------
    def new_case(self) -> RecordForm | None:
        from plo_tracker.permissions import Permission
        from ui.widgets.forms import CaseDetailsForm

        if self.ctx is None or not self.actor.can(Permission.EDIT_CASES):
            return None

        def save(record: Any) -> Any:
            header, children = record
            return self.ctx.cases.create(header, list(children))  # type: ignore[union-attr]

        try:
            choices = self.ctx.cases.staff_choices()
        except Exception as error:
            dialogs.show_error(self, "New case", describe(error))
            return None
        form = CaseDetailsForm(save, choices=choices, actor=self.actor, parent=self)
        form.saved.connect(self._case_created)
        form.finished.connect(self._new_case_closed)
        self.form = form
        form.open()
        return form

    def _case_created(self, history: Any) -> None:
        if self.changes is not None:
            self.changes.flush()
        self.open_case(history.reference)

    def _new_case_closed(self, _code: int) -> None:
        if self.form is not None:
            self.form.deleteLater()
        self.form = None

    # -- closing -----------------------------------------------------------------------------
    def open_forms(self) -> list[RecordForm]:
        forms = [self.form] if self.form is not None else []
        forms += [v.form for v in self.case_views.values() if v.form is not None]
        return forms

    def closeEvent(self, event: QCloseEvent) -> None:
        for form in self.open_forms():
            if not form.close_politely():
                event.ignore()
                return
        self.save_settings()
        if self.changes is not None:
            self.changes.stop()
        if self.import_worker is not None:
            self.import_worker.cancel()
        QThreadPool.globalInstance().waitForDone(10_000)
        super().closeEvent(event)

    def save_settings(self) -> None:
        save_geometry(self, self.person)
        if self.person is not None:
            self.case_list.save_settings()
            review = self._screens.get("drift_review")
            if review is not None and hasattr(review, "save_settings"):
                review.save_settings(self.person)
