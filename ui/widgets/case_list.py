"""The case list: every case with its stage, weeks, next due date and status; filters.

The list exists before the database is open (the window shows it, with a loading
note, while the database opens); ``attach`` gives it the session.  At start-up the
rows are read off the window's thread (``load_in_background``) and added a chunk at
a time, so the search box can be typed in while they arrive; after a change the
list is simply read again (``refresh``).  On an empty database a welcome page
takes the list's place.  Each person's filters, sort and column widths are kept
between starts (``ui.settings``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui import dialogs, formats
from ui.errors import describe
from ui.models.cases import EVERYONE, MINE, TEAM, CaseFilterProxy, CaseListModel
from ui.settings import PersonSettings
from ui.widgets.column_widths import fit_to_contents, widen_kept
from ui.widgets.legend import Legend
from ui.widgets.tables import list_view
from ui.workers import CancelCheck, Progress, Worker

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.services.cases import CaseSummary

ALL_TEAMS = "All teams"
ALL_WORKERS = "All social workers"
SIZE_SAMPLE_ROWS = 200
CHUNK = 2000  # rows added per turn of the event loop while the list loads
SCOPES = ((MINE, "My cases"), (TEAM, "My team's cases"), (EVERYONE, "All cases"))


class WelcomePage(QWidget):
    """What an empty database shows instead of an empty table: the ways forward."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Welcome")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        heading = QLabel("Welcome to PLO Tracker")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.intro = QLabel("There are no cases in this database yet. Start with one of these:")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.admin_note = QLabel()
        self.admin_note.setWordWrap(True)
        self.admin_note.setTextFormat(Qt.TextFormat.PlainText)
        self.admin_note.setAccessibleName("About your role")
        self.admin_note.setStyleSheet("background: #eef3fb; padding: 8px;")
        self.admin_note.hide()
        layout.addWidget(self.admin_note)
        self.create_button = QPushButton("Create a &new case… (Ctrl+N)")
        self.create_button.setAccessibleName("Create a new case")
        self.import_button = QPushButton("&Import cases from a case file…")
        self.import_button.setAccessibleName("Import cases from a case exchange file")
        self.import_button.setToolTip(
            "A case exchange file (.json) exported from PLO Tracker or made from your "
            "case management system's export"
        )
        self.demo_button = QPushButton("Try the de&mo (fictional cases, a separate window)…")
        self.demo_button.setAccessibleName("Open the demo")
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        self.reasons.setStyleSheet("color: #6b4e00;")
        self.reasons.setAccessibleName("Why some buttons are off")
        for widget in (self.create_button, self.import_button, self.demo_button, self.reasons):
            row = QHBoxLayout()
            row.addWidget(widget)
            row.addStretch(1)
            layout.addLayout(row)
        layout.addStretch(2)

    def set_offers(
        self, create_refusal: str | None, import_refusal: str | None, admin_note: str | None
    ) -> None:
        self.create_button.setEnabled(create_refusal is None)
        self.import_button.setEnabled(import_refusal is None)
        reasons = [r for r in (create_refusal, import_refusal) if r]
        self.create_button.setToolTip(create_refusal or "")
        self.reasons.setText(" ".join(reasons))
        self.reasons.setVisible(bool(reasons))
        self.admin_note.setText(admin_note or "")
        self.admin_note.setVisible(bool(admin_note))


class CaseListWidget(QWidget):
    open_case = Signal(str)
    loaded = Signal()  # every row is in (after a start-up load or a refresh)
    create_case = Signal()
    import_cases = Signal()
    try_demo = Signal()

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.person: PersonSettings | None = None
        self.loading = False
        self.loader: Worker | None = None
        self._pending: list[CaseSummary] = []
        self._load_order: Any = None
        self._sized = False
        self._restored: dict[str, Any] = {}
        self.model = CaseListModel()
        self.proxy = CaseFilterProxy()
        self.proxy.setSourceModel(self.model)

        layout = QVBoxLayout(self)
        self.filters = QWidget()
        filters_layout = QVBoxLayout(self.filters)
        filters_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        search_label = QLabel("&Search:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Reference, child, social worker, team or stage (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search cases")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 2)
        scope_label = QLabel("Sh&ow:")
        self.scope = QComboBox()
        self.scope.setAccessibleName("Whose cases to show")
        for key, label in SCOPES:
            self.scope.addItem(label, key)
        self.scope.setCurrentIndex(self.scope.findData(EVERYONE))
        scope_label.setBuddy(self.scope)
        filters.addWidget(scope_label)
        filters.addWidget(self.scope)
        team_label = QLabel("Tea&m:")
        self.team = QComboBox()
        self.team.setAccessibleName("Show cases of team")
        self.team.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        team_label.setBuddy(self.team)
        filters.addWidget(team_label)
        filters.addWidget(self.team)
        worker_label = QLabel("Social &worker:")
        self.worker = QComboBox()
        self.worker.setAccessibleName("Show cases of social worker")
        self.worker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        worker_label.setBuddy(self.worker)
        filters.addWidget(worker_label)
        filters.addWidget(self.worker)
        filters_layout.addLayout(filters)

        options = QHBoxLayout()
        self.drifting = QCheckBox("Only d&rifting (overdue or due soon)")
        self.drifting.setAccessibleName("Only drifting cases")
        self.open_only = QCheckBox("Only in &pre-proceedings")
        self.open_only.setAccessibleName("Only cases open in pre-proceedings")
        options.addWidget(self.drifting)
        options.addWidget(self.open_only)
        options.addStretch(1)
        self.count = QLabel()
        self.count.setAccessibleName("How many cases are shown")
        options.addWidget(self.count)
        self.open_button = QPushButton("Open c&ase")
        self.open_button.setAccessibleName("Open the selected case")
        self.open_button.clicked.connect(self._open_selected)
        options.addWidget(self.open_button)
        filters_layout.addLayout(options)
        layout.addWidget(self.filters)

        # A filter (often remembered from last time) that hides every case says so.
        self.hidden_note = QWidget()
        hidden_row = QHBoxLayout(self.hidden_note)
        hidden_row.setContentsMargins(0, 0, 0, 0)
        self.hidden_text = QLabel()
        self.hidden_text.setWordWrap(True)
        self.hidden_text.setTextFormat(Qt.TextFormat.PlainText)
        self.hidden_text.setAccessibleName("Why no case is shown")
        self.hidden_text.setStyleSheet("background: #fff4ce; color: #4a3800; padding: 6px;")
        self.clear_button = QPushButton("C&lear the filters (Esc)")
        self.clear_button.setAccessibleName("Clear the search and filters")
        self.clear_button.clicked.connect(self.clear_filters)
        hidden_row.addWidget(self.hidden_text, 1)
        hidden_row.addWidget(self.clear_button)
        self.hidden_note.hide()
        filters_layout.addWidget(self.hidden_note)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.clear_filters)

        self.table = list_view("Cases", self.proxy, tab_leaves=True)
        # Column widths from a sample of rows: measuring 10,000 rows takes ~0.4 s.
        self.table.horizontalHeader().setResizeContentsPrecision(SIZE_SAMPLE_ROWS)
        self.table.sortByColumn(CaseListModel.STATUS, Qt.SortOrder.AscendingOrder)
        self.welcome = WelcomePage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.welcome)
        layout.addWidget(self.stack, 1)
        self.legend = Legend(
            [(formats.RAG_COLOURS[key], formats.RAG_LABELS[key]) for key in formats.STATUS_LEGEND],
            "Status colours:",
        )
        layout.addWidget(self.legend)
        self.status = QLabel("Opening the database…")
        self.status.setAccessibleName("Loading the cases")
        self.status.setStyleSheet("color: #555555;")
        layout.addWidget(self.status)

        self.search.textChanged.connect(self._filters_changed)
        self.scope.currentIndexChanged.connect(self._filters_changed)
        self.team.currentIndexChanged.connect(self._filters_changed)
        self.worker.currentIndexChanged.connect(self._filters_changed)
        self.drifting.toggled.connect(self._filters_changed)
        self.open_only.toggled.connect(self._filters_changed)
        self.table.activated.connect(self._activated)
        # Enter in the search box opens the case when exactly one matches.
        self.search.returnPressed.connect(self._search_entered)
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        down.activated.connect(self._to_table)
        self.welcome.create_button.clicked.connect(self.create_case.emit)
        self.welcome.import_button.clicked.connect(self.import_cases.emit)
        self.welcome.demo_button.clicked.connect(self.try_demo.emit)
        self.setTabOrder(self.search, self.scope)
        self.setTabOrder(self.scope, self.team)
        self.setTabOrder(self.team, self.worker)
        self.setTabOrder(self.worker, self.drifting)
        self.setTabOrder(self.drifting, self.open_only)
        self.setTabOrder(self.open_only, self.open_button)
        self.setTabOrder(self.open_button, self.table)
        self._update_count()
        if ctx is not None:
            self.attach(ctx)

    # -- the session -----------------------------------------------------------------------
    def attach(self, ctx: AppContext, *, background: bool = False) -> None:
        """Show this person's cases: their usual scope and their remembered filters."""
        from plo_tracker.permissions import Permission, Role

        self.ctx = ctx
        actor = ctx.actor
        self.proxy.me = actor.display_name
        self.proxy.my_team = actor.team or ""
        default = MINE if actor.role == Role.SOCIAL_WORKER else EVERYONE
        if actor.role == Role.TEAM_MANAGER and actor.team:
            default = TEAM
        for index in range(self.scope.count()):  # no "my team" without a team
            if self.scope.itemData(index) == TEAM:
                self.scope.model().item(index).setEnabled(bool(actor.team))
        self.person = PersonSettings(actor.username)
        self._restore(default)
        edit_refusal = _refusal(lambda: actor.require(Permission.EDIT_CASES))
        import_refusal = _refusal(lambda: actor.require(Permission.IMPORT_CASES))
        note = None
        if actor.role == Role.ADMINISTRATOR:
            note = (
                f"You ({actor.display_name}) are this database's administrator: the first "
                "person to open a new database looks after it. Under File → Users… you add "
                "your colleagues, choose their roles, and can put in your own full name."
            )
        self.welcome.set_offers(edit_refusal, import_refusal, note)
        if background:
            self.load_in_background()
        else:
            self.refresh()

    # -- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the list again now (after a change, or F5)."""
        if self.ctx is None or self.loading:
            return
        try:
            rows = self.ctx.cases.summaries()
        except Exception as error:
            dialogs.show_error(self, "Cannot load the cases", describe(error))
            return
        selected = self.selected_reference()
        self.model.set_rows(rows)
        self._finish_loading(selected)

    def load_in_background(self) -> Worker | None:
        """Read the rows off the window's thread; they are added a chunk at a time."""
        if self.ctx is None:
            return None
        cases = self.ctx.cases
        model = self.model
        order = model.sort_order()
        self._load_order = order
        self.loading = True
        self.status.setText("Loading the cases…")
        self.status.show()

        def job(_progress: Progress, _cancelled: CancelCheck) -> list[CaseSummary]:
            # Read and put in order here, off the window's thread; the window then only
            # appends them, a chunk at a time.
            return model.sorted_rows(cases.summaries(), order)

        loader = Worker(job)
        loader.signals.finished.connect(self._rows_read)
        loader.signals.failed.connect(self._load_failed)
        self.loader = loader
        loader.start()
        return loader

    def _rows_read(self, rows: list[CaseSummary]) -> None:
        self.loader = None
        self.model.set_rows([])
        self._pending = list(rows)
        self._total = len(rows)
        self._add_chunk()

    def _add_chunk(self) -> None:
        chunk, self._pending = self._pending[:CHUNK], self._pending[CHUNK:]
        first = self.model.rowCount() == 0
        # In order unless the person sorted the list differently while it loaded.
        self.model.add_rows(chunk, in_order=self.model.sort_order() == self._load_order)
        if first:
            self._fill_filters(self.model.rows())
        self._update_count()
        if not self._sized and self.model.rowCount():
            self._size_columns()
        if self._pending:
            self.status.setText(f"Loading the cases… {self.model.rowCount():,} of {self._total:,}")
            QTimer.singleShot(0, self, self._add_chunk)
            return
        self.loading = False
        self._finish_loading(None)

    def _load_failed(self, error: BaseException) -> None:
        self.loader = None
        self.loading = False
        message = describe(error)
        self.status.setText(f"The cases could not be loaded. {message}")
        dialogs.show_error(self, "Cannot load the cases", message)

    def _finish_loading(self, selected: str | None) -> None:
        rows = self.model.rows()
        self._fill_filters(rows)
        self._restored.pop("team", None)  # a remembered team or worker no longer listed
        self._restored.pop("worker", None)
        if not self._sized and rows:
            self._size_columns()
        empty = not rows
        self.stack.setCurrentWidget(self.welcome if empty else self.table)
        self.filters.setVisible(not empty)
        self.legend.setVisible(not empty)
        self.status.hide()
        if selected:
            self.select(selected)
        self._update_count()
        self.loaded.emit()

    def _size_columns(self) -> None:
        """Columns sized to their contents the first time (unless the person set them)."""
        self._sized = True
        if "header" not in self._restored:
            fit_to_contents(self.table)
        else:  # widths kept from last time never cut a heading or a value short
            widen_kept(self.table)

    def _fill_filters(self, rows: Sequence[CaseSummary]) -> None:
        self._fill_combo(self.team, ALL_TEAMS, sorted({r.team for r in rows if r.team}), "team")
        self._fill_combo(
            self.worker,
            ALL_WORKERS,
            sorted({r.social_worker for r in rows if r.social_worker}),
            "worker",
        )

    def _fill_combo(self, combo: QComboBox, everyone: str, values: list[str], key: str) -> None:
        wanted = self._restored.get(key)
        if wanted is not None and wanted in values:  # remembered from last time
            del self._restored[key]
            current = wanted
        else:
            current = combo.currentData()
        if combo.count() == len(values) + 1 and all(
            combo.itemData(i + 1) == v for i, v in enumerate(values)
        ):
            if current != combo.currentData():
                combo.setCurrentIndex(max(0, combo.findData(current)))
            return
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everyone, None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)
        self._filters_changed()

    def _filters_changed(self, *_args: object) -> None:
        self.proxy.set_filter(
            scope=self.scope.currentData() or EVERYONE,
            text=self.search.text().strip(),
            team=self.team.currentData(),
            worker=self.worker.currentData(),
            only_drifting=self.drifting.isChecked(),
            only_open=self.open_only.isChecked(),
        )
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        scope = self.scope.currentText().lower() if self.scope.currentData() != EVERYONE else ""
        if self.loading and self.ctx is not None:
            self.count.setText(f"{shown} shown so far")
        elif shown != total:
            what = f" ({scope})" if scope else ""
            self.count.setText(
                f"{shown} of {formats.count(total, 'case')}{what}{self._why_none(shown)}"
            )
        else:
            self.count.setText(formats.count(total, "case"))
        self._show_hidden_note(shown, total)

    def active_filters(self) -> list[str]:
        """The search and filters in force, in words ('the search "smith"', 'only drifting')."""
        found = []
        text = self.search.text().strip()
        if text:
            found.append(f"the search \u201c{text}\u201d")
        if self.team.currentData():
            found.append(f"team {self.team.currentData()}")
        if self.worker.currentData():
            found.append(f"social worker {self.worker.currentData()}")
        if self.drifting.isChecked():
            found.append("\u201conly drifting\u201d")
        if self.open_only.isChecked():
            found.append("\u201conly in pre-proceedings\u201d")
        return found

    def _show_hidden_note(self, shown: int, total: int) -> None:
        filters = self.active_filters()
        if shown == 0 and total and filters and not self.loading:
            total = sum(self.proxy.in_scope(row) for row in self.model.rows())
        hides_all = not self.loading and total > 0 and shown == 0 and bool(filters)
        if hides_all:
            scope = self.scope.currentData()
            among = "" if scope == EVERYONE else f" ({self.scope.currentText().lower()})"
            what = formats.and_list(filters)
            verb = "hides" if len(filters) == 1 else "hide"
            every = "the only case" if total == 1 else f"all {formats.count(total, 'case')}"
            clear = "it" if len(filters) == 1 else "them"
            self.hidden_text.setText(
                f"{what[0].upper()}{what[1:]} {verb} {every}{among}. Press Esc to clear {clear}."
            )
        self.hidden_note.setVisible(hides_all)

    def clear_filters(self) -> None:
        """Esc: the search and filters cleared (whose cases, My or All, stays)."""
        if not self.active_filters():
            return
        self.search.clear()
        self.team.setCurrentIndex(0)
        self.worker.setCurrentIndex(0)
        self.drifting.setChecked(False)
        self.open_only.setChecked(False)
        self._filters_changed()

    def _why_none(self, shown: int) -> str:
        """When "My cases" or "My team's cases" is empty, whose name or team it looked for
        (a name or team spelt differently on the cases would otherwise look like no work)."""
        if shown:
            return ""
        scope = self.scope.currentData()
        if scope == MINE and not any(
            r.social_worker.casefold() == self.proxy.me.casefold() for r in self.model.rows()
        ):
            return f": no case names {self.proxy.me or 'you'} as its social worker"
        if scope == TEAM and not any(r.team == self.proxy.my_team for r in self.model.rows()):
            if not self.proxy.my_team:
                return ": your user record names no team"
            return f": no case belongs to {self.proxy.my_team}"
        return ""

    # -- remembered between starts ---------------------------------------------------------
    def forget_person(self) -> None:
        """Before ``attach`` for someone else (the demo's Switch person): nothing of theirs."""
        self.search.clear()
        self._restored.clear()
        self._sized = False

    def _restore(self, default_scope: str) -> None:
        person = self.person
        assert person is not None
        scope = person.get("case_list/scope", default_scope)
        index = self.scope.findData(scope)
        if index < 0 or not self.scope.model().item(index).isEnabled():
            index = self.scope.findData(default_scope)
        self.scope.setCurrentIndex(index)
        if not self.search.text():  # never overwrite what the user typed while it opened
            self.search.setText(str(person.get("case_list/search", "")))
        self.drifting.setChecked(person.get_bool("case_list/drifting"))
        self.open_only.setChecked(person.get_bool("case_list/open_only"))
        for key in ("team", "worker"):
            value = person.get(f"case_list/{key}")
            if value:
                self._restored[key] = str(value)
        header = person.get_bytes("case_list/header")
        if header is not None and self.table.horizontalHeader().restoreState(header):
            self._restored["header"] = True
        self._filters_changed()

    def save_settings(self) -> None:
        if self.person is None:
            return
        self.person.put_many(
            {
                "case_list/scope": self.scope.currentData(),
                "case_list/search": self.search.text(),
                "case_list/team": self.team.currentData() or "",
                "case_list/worker": self.worker.currentData() or "",
                "case_list/drifting": self.drifting.isChecked(),
                "case_list/open_only": self.open_only.isChecked(),
                "case_list/header": self.table.horizontalHeader().saveState(),
            }
        )

    # -- selection ---------------------------------------------------------------------------
    def focus_start(self) -> None:
        """As a start page: the search box has the focus."""
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def selected_reference(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        row: CaseSummary = self.proxy.row_at(rows[0].row())
        return row.reference

    def select(self, reference: str) -> bool:
        for proxy_row in range(self.proxy.rowCount()):
            if self.proxy.row_at(proxy_row).reference == reference:
                self.table.selectRow(proxy_row)
                return True
        return False

    def visible_references(self) -> list[str]:
        return [row.reference for row in self.proxy.visible_rows()]

    def _activated(self, index: QModelIndex) -> None:
        row: CaseSummary = self.proxy.row_at(index.row())
        self.open_case.emit(row.reference)

    def _open_selected(self) -> None:
        reference = self.selected_reference()
        if reference is None and self.proxy.rowCount():
            self.table.selectRow(0)
            reference = self.selected_reference()
        if reference is not None:
            self.open_case.emit(reference)

    def _search_entered(self) -> None:
        """Enter in the search box: open the case if exactly one matches, else go to the list."""
        if self.proxy.rowCount() == 1:
            self.table.selectRow(0)
            self.open_case.emit(self.proxy.row_at(0).reference)
        elif self.proxy.rowCount():
            self._to_table()

    def _to_table(self) -> None:
        if self.proxy.rowCount():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.table.selectionModel().selectedRows():
                self.table.selectRow(0)


def _refusal(check: Any) -> str | None:
    from plo_tracker.errors import PermissionDenied

    try:
        check()
    except PermissionDenied as error:
        return str(error).removesuffix(" Nothing was changed.")
    return None
