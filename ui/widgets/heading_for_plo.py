"""Heading for PLO: the children on the watch list (for managers and legal liaison).

The list comes from ``WatchService.watch_list`` (the CP plans imported from the council's
CIN return, matched to cases by LA child id); the rule of the selected item is explained
in a sentence.  A team manager records a review with a rationale (``WatchService.review``)
or starts a case for the child with the legal planning meeting that considered them
(``WatchService.start_case``); the service's own message is shown if either is refused.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.domain import watch
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import Child
from plo_tracker.permissions import Permission
from plo_tracker.services.base import today
from ui import errors
from ui.models.watch import WatchFilterProxy, WatchModel
from ui.widgets.cp_plans_import import CpPlansImport
from ui.widgets.forms.case_details import CaseDetailsForm
from ui.widgets.inputs import DateEdit, OptionalDate
from ui.widgets.on_show import ReloadWhenShown
from ui.widgets.problem_label import problem_label
from ui.widgets.tables import list_view

if TYPE_CHECKING:
    from plo_tracker.app import AppContext

OUTCOMES = (
    ("Start pre-proceedings", "pre_proceedings"),
    ("Issue care proceedings now", "issue_proceedings"),
    ("No legal action: continue the current plan", "no_legal_action"),
)


class WatchReviewDialog(QDialog):
    """A manager's review of one watch item: a rationale, and optionally until when."""

    def __init__(
        self, ctx: AppContext, item: watch.WatchItem, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.item = item
        self.result_review: watch.Review | None = None
        self.setWindowTitle(f"Review – {item.la_child_id}")
        self.setAccessibleName("Review a watch-list item")
        layout = QVBoxLayout(self)
        about = QLabel(item.message)
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setAccessibleName("The item being reviewed")
        layout.addWidget(about)
        form = QFormLayout()
        self.until = OptionalDate("Set a date", None, default=today() + dt.timedelta(weeks=4))
        self.until.set_accessible("Reviewed until")
        until_label = QLabel("&Until:")
        until_label.setBuddy(self.until.check)
        form.addRow(until_label, self.until)
        self.rationale = QPlainTextEdit()
        self.rationale.setTabChangesFocus(True)
        self.rationale.setPlaceholderText("Why no legal planning meeting is needed yet (required)")
        self.rationale.setAccessibleName("Rationale")
        label = QLabel("&Rationale:")
        label.setBuddy(self.rationale)
        form.addRow(label, self.rationale)
        layout.addLayout(form)
        self.problem = problem_label()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save review")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys in ("Ctrl+S", "Ctrl+Return"):
            QShortcut(QKeySequence(keys), self, self.save)
        self.rationale.setFocus()

    def save(self) -> bool:
        if not self.rationale.toPlainText().strip():
            self.problem.setText("Rationale: write why no meeting is needed yet.")
            return False
        try:
            self.result_review = self.ctx.watch.review(
                self.item.la_child_id,
                self.item.rule,
                rationale=self.rationale.toPlainText(),
                until=self.until.value(),
            )
        except Exception as error:
            self.problem.setText(errors.describe(error, "watch review"))
            return False
        self.accept()
        return True


class StartCaseForm(CaseDetailsForm):
    """A new case for a watched child: the case, the child (LA child id and date of birth
    from the return; the return holds no names) and the legal planning meeting."""

    def __init__(
        self,
        ctx: AppContext,
        item: watch.WatchItem,
        born: dt.date | None,
        parent: QWidget | None = None,
    ) -> None:
        self.ctx = ctx
        self.item = item
        super().__init__(
            self._save, choices=ctx.cases.staff_choices(), actor=ctx.actor, parent=parent
        )
        self.setWindowTitle(f"Start a case for {item.la_child_id}")
        if born is not None:
            self.child_date.set_value(born)
        box = QGroupBox("Legal planning meeting")
        self.form.addRow(box)
        inner = QFormLayout(box)
        self.la_id = QLineEdit(item.la_child_id)
        self.la_id.setReadOnly(True)
        self.la_id.setAccessibleName("LA child id")
        inner.addRow(QLabel("LA child id:"), self.la_id)
        self.meeting = DateEdit(today())
        self.meeting.setAccessibleName("Meeting date")
        meeting_label = QLabel("Meeting &date:")
        meeting_label.setBuddy(self.meeting.edit)
        inner.addRow(meeting_label, self.meeting)
        self.outcome = QComboBox()
        for label, value in OUTCOMES:
            self.outcome.addItem(label, value)
        self.outcome.setAccessibleName("Outcome")
        outcome_label = QLabel("&Outcome:")
        outcome_label.setBuddy(self.outcome)
        inner.addRow(outcome_label, self.outcome)
        self.watch(self.meeting, "date")
        self.watch(self.outcome, "outcome")
        self.ready()

    def children(self) -> tuple[Child, ...]:
        (child,) = super().children()
        return (
            Child(
                name=child.name,
                date_of_birth=child.date_of_birth,
                expected_birth=child.expected_birth,
                la_child_id=self.item.la_child_id,
            ),
        )

    def build(self) -> Any:
        if not hasattr(self, "outcome"):  # the case form checks itself before these exist
            return (self.header(), self.children(), None, None)
        return (self.header(), self.children(), self.meeting.value(), self.outcome.currentData())

    def check(self, record: Any) -> Any:
        return super().check(record[:2])

    def _save(self, record: Any) -> Any:
        header, children, meeting, outcome = record
        if meeting is None:
            from plo_tracker.errors import ValidationError

            raise ValidationError("Meeting date: give the date of the meeting.", field="date")
        return self.ctx.watch.start_case(header, children[0], meeting, str(outcome))


class HeadingForPloWidget(ReloadWhenShown):
    """The watch list: children on long or repeat CP plans, or back after a step-down."""

    open_case = Signal(str)
    counted = Signal(str)  # the counts, for the tab and the start page

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._stale = True
        self.can_review = ctx.actor.can(Permission.REVIEW_FLAGS)
        self.can_start = ctx.actor.can(Permission.EDIT_CASES)
        self.policy = ctx.settings.policy()
        self.dialog: QDialog | None = None
        self.setAccessibleName("Heading for PLO")
        outer = QVBoxLayout(self)
        heading = QLabel("Heading for PLO")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        outer.addWidget(heading)
        intro = QLabel(
            "Children who may need a legal planning meeting, from the child protection plans "
            "in the council's CIN census return (Import a CIN return…). A child leaves "
            "the list when a legal planning meeting is held for them or their plan ends."
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.held = QLabel()
        self.held.setWordWrap(True)
        self.held.setAccessibleName("Which return the list comes from")
        outer.addWidget(self.held)
        self.importer = CpPlansImport(ctx.watch, self._done, self)
        self.importer.setVisible(ctx.actor.can(Permission.IMPORT_CASES))
        outer.addWidget(self.importer)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by child id, case or reason")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter the list")
        search_label = QLabel("F&ilter:")
        search_label.setBuddy(self.search)
        filters.addWidget(search_label)
        filters.addWidget(self.search, 1)
        self.hide_reviewed = QCheckBox("Hide revie&wed")
        filters.addWidget(self.hide_reviewed)
        outer.addLayout(filters)
        self.summary = QLabel()
        self.summary.setAccessibleName("Summary of the list")
        outer.addWidget(self.summary)
        self.model = WatchModel(parent=self)
        self.proxy = WatchFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Children heading for PLO", self.proxy, roomy=True)
        self.table.sortByColumn(WatchModel.DUE, Qt.SortOrder.AscendingOrder)
        outer.addWidget(self.table, 1)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        self.rule.setTextFormat(Qt.TextFormat.PlainText)
        self.rule.setAccessibleName("The rule of the selected item")
        outer.addWidget(self.rule)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAccessibleName("The selected item")
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.details)
        buttons = QHBoxLayout()
        self.review_button = QPushButton("&Review…")
        self.review_button.setAccessibleName("Review the selected item")
        self.review_button.setVisible(self.can_review)
        self.start_button = QPushButton("&Start a case with a legal planning meeting…")
        self.start_button.setAccessibleName("Start a case for the selected child")
        self.start_button.setVisible(self.can_start)
        self.open_button = QPushButton("&Open case")
        self.open_button.setAccessibleName("Open the child's case")
        for button in (self.review_button, self.start_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        outer.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Result of the last action")
        outer.addWidget(self.status)

        self.search.textChanged.connect(lambda text: self._filter(text=text))
        self.hide_reviewed.toggled.connect(lambda on: self._filter(hide_reviewed=on))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.review_button.clicked.connect(self.review_selected)
        self.start_button.clicked.connect(self.start_case)
        self.open_button.clicked.connect(self._open_selected)
        self.refresh()

    # -- loading ---------------------------------------------------------------------------
    def _reload(self) -> None:
        selected = self.selected()
        try:
            found = self.ctx.watch.watch_list()
            self.policy = self.ctx.settings.policy()
        except Exception as error:
            self.status.setText(errors.describe(error, "heading for PLO"))
            return
        held = found.held
        if held is None:
            self.held.setText(
                "No child protection plans are held yet: a team manager imports the council's "
                "CIN census return with Import a CIN return… (on the command line: "
                "plo-tracker cp-plans import RETURN.xml)."
            )
        else:
            self.held.setText(
                f"From {held.file_name} (the CIN return for {long_date(held.reference_date)}), "
                f"imported by {held.imported_by}: {held.describe()}."
            )
        self.model.set_rows(found.items)
        self.summary.setText(watch.counts_text(found.items) + f" as of {long_date(found.as_of)}.")
        self.counted.emit(watch.counts_text(found.items))
        if selected is not None:
            self.select(selected.la_child_id, selected.rule)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._selection_changed()

    def focus_start(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _filter(self, **values: Any) -> None:
        self.proxy.set_filter(**values)
        self._selection_changed()

    # -- selection -------------------------------------------------------------------------
    def selected(self) -> watch.WatchItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(rows[0].row()) if rows else None

    def select(self, la_child_id: str, rule: str) -> bool:
        row = self.model.find(la_child_id, rule)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        return True

    def _selection_changed(self, *_args: object) -> None:
        item = self.selected()
        self.review_button.setEnabled(item is not None)
        self.start_button.setEnabled(item is not None and item.case is None)
        self.open_button.setEnabled(item is not None and item.case is not None)
        if item is None:
            self.rule.setText("")
            self.details.setText("")
            return
        self.rule.setText(f"{watch.TITLES[item.rule]}: {watch.explain(item.rule, self.policy)}")
        text = item.message + "."
        if item.reviewed is not None:
            review = item.reviewed
            until = f" until {long_date(review.until)}" if review.until else ""
            text += (
                f"\nReviewed by {review.by} on {long_date(review.on)}{until}: {review.rationale}"
            )
        self.details.setText(text)

    # -- actions ---------------------------------------------------------------------------
    def review_selected(self) -> WatchReviewDialog | None:
        item = self.selected()
        if item is None or not self.can_review:
            return None
        dialog = WatchReviewDialog(self.ctx, item, self)
        dialog.accepted.connect(lambda: self._done(f"Review of {item.la_child_id} saved."))
        self.dialog = dialog
        dialog.open()
        return dialog

    def start_case(self) -> StartCaseForm | None:
        item = self.selected()
        if item is None or not self.can_start:
            return None
        try:
            born = self.ctx.watch.birth_date(item.la_child_id)
            form = StartCaseForm(self.ctx, item, born, self)
        except Exception as error:
            self.status.setText(errors.describe(error, "heading for PLO"))
            return None
        form.saved.connect(self._case_started)
        self.dialog = form
        form.open()
        return form

    def _case_started(self, history: Any) -> None:
        self._done(f"Case {history.reference} started with its legal planning meeting.")
        self.open_case.emit(history.reference)

    def _done(self, message: str) -> None:
        self.refresh()
        self.status.setText(message)

    def _open_selected(self) -> None:
        item = self.selected()
        if item is not None and item.case:
            self.open_case.emit(item.case)
