"""One case: its chronology as a timeline, its parts in tabs, its flags, and its audit trail.

Everything shown comes from the core's services; every change goes through a
form (``ui.widgets.forms``) that calls a service with the version the user saw.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain import drift, stages
from plo_tracker.domain.model import EVENT_TYPES, Booking, CaseHistory, Event
from plo_tracker.errors import NotFound
from plo_tracker.permissions import Permission
from ui import dialogs, formats
from ui.errors import describe
from ui.models.base import RowTableModel, SortProxy
from ui.models.case_items import (
    ActionRow,
    ActionsModel,
    AssessmentsModel,
    AuditModel,
    CaseFlagsModel,
    ChildrenModel,
    ChronologyModel,
    ChronologyRow,
    FlagRow,
    PartiesModel,
    ReviewsModel,
    action_rows,
    chronology,
)
from ui.widgets.forms import (
    ActionForm,
    AssessmentForm,
    BookingForm,
    CaseDetailsForm,
    ChildForm,
    EventForm,
    PartyForm,
    RecordForm,
    may_record,
    refusal,
)
from ui.widgets.timeline import TimelineWidget


def make_table(model: RowTableModel, name: str) -> tuple[QTableView, SortProxy]:
    proxy = SortProxy()
    proxy.setSourceModel(model)
    table = QTableView()
    table.setModel(proxy)
    table.setAccessibleName(name)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setTabKeyNavigation(False)
    return table, proxy


def fit_columns(table: QTableView) -> None:
    """Columns as wide as their contents, except the last, which takes the rest."""
    model = table.model()
    columns = model.columnCount() if model is not None else 0
    for column in range(max(0, columns - 1)):
        table.resizeColumnToContents(column)


class ItemSection(QWidget):
    """A table of one kind of record with Add / Change / Delete buttons."""

    def __init__(
        self,
        model: RowTableModel,
        name: str,
        add_labels: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self.table, self.proxy = make_table(model, name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.add_buttons: list[QPushButton] = []
        for label in add_labels:
            button = QPushButton(label)
            button.setAccessibleName(label.replace("&", "").rstrip("…"))
            self.add_buttons.append(button)
            row.addWidget(button)
        self.edit_button = QPushButton("C&hange…")
        self.edit_button.setAccessibleName(f"Change the selected {name.lower()} entry")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName(f"Delete the selected {name.lower()} entry")
        row.addWidget(self.edit_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(f"{name}: why some actions are not available")
        self.reason.setStyleSheet("color: #6b4e00;")
        self.reason.hide()
        layout.addWidget(self.reason)
        self.can_change: Callable[[Any], str | None] = lambda _row: None
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(self.update_buttons)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_button.click)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.update_buttons()

    def selected(self) -> Any:
        indexes = self.table.selectionModel().selectedRows()
        if not indexes:
            return None
        return self.proxy.row_at(indexes[0].row())

    def select_first(self) -> None:
        if self.proxy.rowCount():
            self.table.selectRow(0)

    def update_buttons(self, add_refusal: str | None = None) -> None:
        row = self.selected()
        reasons = []
        if isinstance(add_refusal, str):
            reasons.append(add_refusal)
            for button in self.add_buttons:
                button.setEnabled(False)
        refused = self.can_change(row) if row is not None else None
        allowed = row is not None and refused is None
        self.edit_button.setEnabled(allowed)
        self.delete_button.setEnabled(allowed)
        if refused and refused not in reasons:
            reasons.append(refused)
        self.reason.setText(" ".join(reasons))
        self.reason.setVisible(bool(reasons))


class CaseView(QWidget):
    """The social worker's view of one case."""

    changed = Signal(str)
    letters_requested = Signal(str)

    def __init__(self, ctx: AppContext, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.actor
        self.reference = reference
        self.case: CaseHistory | None = None
        self.flags: list[drift.Flag] = []
        self.today = dt.date.today()
        self.form: RecordForm | None = None
        self.setAccessibleName(f"Case {reference}")
        self.edit_refusal = refusal(lambda: self.actor.require(Permission.EDIT_CASES))
        self.recordable = [t for t in EVENT_TYPES if may_record(self.actor, t)]

        layout = QVBoxLayout(self)
        # -- header ---------------------------------------------------------------------------
        top = QHBoxLayout()
        heading = QVBoxLayout()
        self.title = QLabel(reference)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName("Case reference")
        self.children_label = QLabel()
        self.children_label.setAccessibleName("Children")
        self.people_label = QLabel()
        self.people_label.setWordWrap(True)
        self.people_label.setAccessibleName("Who works on this case")
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Where the case stands")
        for widget in (self.title, self.children_label, self.people_label, self.status_label):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            # Names are shown as typed, never read as markup; the status line escapes them.
            widget.setTextFormat(Qt.TextFormat.PlainText)
            heading.addWidget(widget)
        self.status_label.setTextFormat(Qt.TextFormat.RichText)
        top.addLayout(heading, 1)
        buttons = QVBoxLayout()
        self.details_button = QPushButton("Case &details…")
        self.details_button.setAccessibleName("Change the case details")
        self.details_button.clicked.connect(self.edit_details)
        self.details_button.setEnabled(self.edit_refusal is None)
        if self.edit_refusal:
            self.details_button.setToolTip(self.edit_refusal)
        buttons.addWidget(self.details_button)
        self.letters_button = QPushButton("&Letters…")
        self.letters_button.setAccessibleName("Letters for this case")
        self.letters_button.setVisible(self.actor.can(Permission.GENERATE_LETTERS))
        self.letters_button.clicked.connect(self._letters)
        buttons.addWidget(self.letters_button)
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setAccessibleName("Reload this case")
        self.reload_button.setToolTip("Reload this case (F5)")
        self.reload_button.clicked.connect(self.reload)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        layout.addLayout(top)

        # -- timeline and tabs ---------------------------------------------------------------
        self.timeline = TimelineWidget()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.timeline)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Parts of the case")
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

        self.chronology = ItemSection(
            ChronologyModel(), "Chronology", ["Record an &event…", "&Book a meeting…"]
        )
        self.chronology.can_change = self._chronology_refusal
        self.chronology.add_buttons[0].clicked.connect(self.add_event)
        self.chronology.add_buttons[1].clicked.connect(self.add_booking)
        self.chronology.edit_button.clicked.connect(self.edit_chronology)
        self.chronology.delete_button.clicked.connect(self.delete_chronology)
        self.chronology.table.activated.connect(self._chronology_activated)

        self.flag_model = CaseFlagsModel()
        self.flags_table, self.flags_proxy = make_table(self.flag_model, "Flags")
        self.review_model = ReviewsModel()
        self.reviews_table, self.reviews_proxy = make_table(self.review_model, "Flag reviews")
        flags_page = QWidget()
        flags_layout = QVBoxLayout(flags_page)
        self.flags_summary = QLabel()
        self.flags_summary.setWordWrap(True)
        self.flags_summary.setAccessibleName("Flags summary")
        flags_layout.addWidget(self.flags_summary)
        flags_layout.addWidget(self.flags_table, 2)
        reviews_label = QLabel("Managers' &reviews of this case's flags:")
        reviews_label.setBuddy(self.reviews_table)
        flags_layout.addWidget(reviews_label)
        flags_layout.addWidget(self.reviews_table, 1)

        self.children = ItemSection(ChildrenModel(), "Children", ["&Add a child…"])
        self.children.can_change = self._edit_refusal
        self.children.add_buttons[0].clicked.connect(self.add_child)
        self.children.edit_button.clicked.connect(self.edit_child)
        self.children.delete_button.clicked.connect(self.delete_child)
        self.children.table.activated.connect(self._activated_edit(self.children))

        self.parties = ItemSection(PartiesModel(), "Parents and others", ["&Add a person…"])
        self.parties.can_change = self._edit_refusal
        self.parties.add_buttons[0].clicked.connect(self.add_party)
        self.parties.edit_button.clicked.connect(self.edit_party)
        self.parties.delete_button.clicked.connect(self.delete_party)
        self.parties.table.activated.connect(self._activated_edit(self.parties))

        self.assessments = ItemSection(AssessmentsModel(), "Assessments", ["&Add an assessment…"])
        self.assessments.can_change = self._edit_refusal
        self.assessments.add_buttons[0].clicked.connect(self.add_assessment)
        self.assessments.edit_button.clicked.connect(self.edit_assessment)
        self.assessments.delete_button.clicked.connect(self.delete_assessment)
        self.assessments.table.activated.connect(self._activated_edit(self.assessments))

        self.actions = ItemSection(ActionsModel(), "Plan actions", ["&Add a plan action…"])
        self.actions.can_change = self._edit_refusal
        self.actions.add_buttons[0].clicked.connect(self.add_action)
        self.actions.edit_button.clicked.connect(self.edit_action)
        self.actions.delete_button.clicked.connect(self.delete_action)
        self.actions.table.activated.connect(self._activated_edit(self.actions))

        self.tabs.addTab(self.chronology, "Ch&ronology")
        self.tabs.addTab(flags_page, "&Flags")
        self.tabs.addTab(self.children, "C&hildren")
        self.tabs.addTab(self.parties, "&People and solicitors")
        self.tabs.addTab(self.assessments, "&Assessments")
        self.tabs.addTab(self.actions, "Plan ac&tions")
        self.audit_model: AuditModel | None = None
        if self.actor.can(Permission.VIEW_AUDIT):
            self.audit_model = AuditModel()
            self.audit_table, self.audit_proxy = make_table(self.audit_model, "Audit trail")
            self.tabs.addTab(self.audit_table, "A&udit trail")
        self.flags_page = flags_page
        self.reload()

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.today = dt.date.today()
        try:
            case = self.ctx.cases.get(self.reference)
            flags = self.ctx.cases.flags_for(self.reference, self.today)
            reviews = self.ctx.flags.reviews(self.reference)
            trail = self.ctx.audit.trail(self.reference) if self.audit_model else []
        except NotFound as error:
            self.case = None
            self.status_label.setText(html.escape(str(error)))
            self.setEnabled(True)
            for section in self._sections():
                section.setEnabled(False)
            return
        except Exception as error:
            dialogs.show_error(self, "Cannot show this case", describe(error))
            return
        self.case = case
        self.flags = flags
        self._show_header(case, flags)
        self.timeline.set_case(case, flags, self.today)
        self.chronology.model.set_rows(chronology(case))
        self.children.model.set_rows(list(case.children))
        self.parties.model.set_rows(list(case.parties))
        self.assessments.model.set_rows(list(case.assessments))
        self.actions.model.set_rows(action_rows(case))
        self.flag_model.set_rows([FlagRow(f, self.today) for f in flags])
        self.review_model.set_rows(reviews)
        if self.audit_model is not None:
            self.audit_model.set_rows(trail)
            self.audit_table.sortByColumn(AuditModel.WHEN, Qt.SortOrder.DescendingOrder)
        self.chronology.table.sortByColumn(ChronologyModel.DATE, Qt.SortOrder.AscendingOrder)
        self.flags_table.sortByColumn(CaseFlagsModel.LATE, Qt.SortOrder.DescendingOrder)
        self._update_tab_titles(case, flags)
        self._update_buttons()
        tables = [self.chronology.table, self.flags_table, self.reviews_table]
        tables += [s.table for s in (self.children, self.parties, self.assessments, self.actions)]
        if self.audit_model is not None:
            tables.append(self.audit_table)
        for table in tables:
            fit_columns(table)

    def show_item(self, section: str, matches: Callable[[Any], bool] | None = None) -> bool:
        """Show one part of the case ('chronology', 'children', 'parties', 'assessments',
        'actions') and select the first row ``matches`` accepts (False if none does)."""
        names = ("chronology", "children", "parties", "assessments", "actions")
        part = dict(zip(names, self._sections(), strict=True))[section]
        self.tabs.setCurrentWidget(part)
        for row in range(part.proxy.rowCount()) if matches is not None else ():
            if matches(part.proxy.row_at(row)):
                part.table.selectRow(row)
                part.table.scrollTo(part.proxy.index(row, 0))
                part.table.setFocus()
                return True
        return False

    def _sections(self) -> list[ItemSection]:
        return [self.chronology, self.children, self.parties, self.assessments, self.actions]

    def _show_header(self, case: CaseHistory, flags: list[drift.Flag]) -> None:
        self.title.setText(case.reference)
        count = len(case.children)
        self.children_label.setText(
            f"{'Child' if count == 1 else 'Children'}: {case.child_names()}"
        )
        people = [
            ("Team", case.team),
            ("Social worker", case.social_worker),
            ("Team manager", case.team_manager),
            ("Legal liaison", case.legal_liaison),
            ("Court reference", case.court_reference),
        ]
        self.people_label.setText(" · ".join(f"{k}: {v}" for k, v in people if v))
        stage = stages.stage(case, self.today)
        weeks = stages.weeks_in_pre_proceedings(case, self.today)
        rag = drift.rag_status(flags) if drift.case_is_open(case, self.today) else "none"
        overdue = sum(f.severity == drift.OVERDUE for f in flags)
        soon = len(flags) - overdue
        parts = [f"Stage: {stage}"]
        if weeks is not None:
            parts.append(f"{weeks} week{'s' if weeks != 1 else ''} in pre-proceedings")
        colour = formats.RAG_COLOURS.get(rag)
        status = html.escape(formats.rag_text(rag, overdue, soon))
        if colour is not None:
            status = f'<span style="color:{colour.name()}; font-weight:600">{status}</span>'
        parts.append(f"Status: {status}")
        escaped = [html.escape(p) for p in parts[:-1]]
        self.status_label.setText(" · ".join([*escaped, parts[-1]]))
        self.status_label.setAccessibleDescription(
            f"Stage {stage}; status {formats.rag_text(rag, overdue, soon)}"
        )

    def _update_tab_titles(self, case: CaseHistory, flags: list[drift.Flag]) -> None:
        overdue = sum(f.severity == drift.OVERDUE for f in flags)
        index = self.tabs.indexOf(self.flags_page)
        self.tabs.setTabText(index, f"&Flags ({len(flags)})")
        if flags:
            soon = len(flags) - overdue
            self.flags_summary.setText(
                f"{len(flags)} flag{'s' if len(flags) != 1 else ''}: {overdue} overdue, "
                f"{soon} due soon. Each line says what is late and by how long."
            )
        else:
            self.flags_summary.setText("No flags: nothing on this case is overdue or due soon.")
        for section, items, title in (
            (self.children, case.children, "C&hildren"),
            (self.parties, case.parties, "&People and solicitors"),
            (self.assessments, case.assessments, "&Assessments"),
            (self.actions, case.plan_actions, "Plan ac&tions"),
        ):
            self.tabs.setTabText(self.tabs.indexOf(section), f"{title} ({len(items)})")

    def _update_buttons(self) -> None:
        add_event_refusal = None if self.recordable else self.edit_refusal
        self.chronology.update_buttons(add_event_refusal)
        if not add_event_refusal:
            self.chronology.add_buttons[0].setEnabled(bool(self.recordable))
            self.chronology.add_buttons[1].setEnabled(self.edit_refusal is None)
        for section in (self.children, self.parties, self.assessments, self.actions):
            section.update_buttons(self.edit_refusal)

    # -- permissions -------------------------------------------------------------------------
    def _edit_refusal(self, _row: Any) -> str | None:
        return self.edit_refusal

    def _chronology_refusal(self, row: ChronologyRow) -> str | None:
        if isinstance(row.record, Event):
            event_type = row.record.type
            return refusal(lambda: self.actor.require_event_type(event_type))
        return self.edit_refusal

    # -- forms -------------------------------------------------------------------------------
    def open_form(self, form: RecordForm) -> RecordForm:
        if self.form is not None:
            self.form.close()
        self.form = form
        form.saved.connect(self._saved)
        form.finished.connect(self._form_closed)
        form.open()
        return form

    def _saved(self, _result: object) -> None:
        self.reload()
        self.changed.emit(self.reference)

    def _form_closed(self, _code: int) -> None:
        form = self.form
        self.form = None
        if form is not None and form.conflicted:
            self.reload()
        if form is not None:
            form.deleteLater()

    def _activated_edit(self, section: ItemSection) -> Callable[[QModelIndex], None]:
        def activated(_index: QModelIndex) -> None:
            if section.edit_button.isEnabled():
                section.edit_button.click()

        return activated

    def _chronology_activated(self, _index: QModelIndex) -> None:
        if self.chronology.edit_button.isEnabled():
            self.edit_chronology()

    def _save(self, method: Callable[[str, Any], Any]) -> Callable[[Any], Any]:
        reference = self.reference

        def save(record: Any) -> Any:
            return method(reference, record)

        return save

    def add_event(self, event_type: str | None = None) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            EventForm(
                self.case,
                None,
                self.actor,
                self._save(self.ctx.cases.save_event),
                self,
                event_type=event_type if isinstance(event_type, str) else None,
            )
        )

    def add_booking(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            BookingForm(self.case, None, self._save(self.ctx.cases.save_booking), self)
        )

    def edit_chronology(self) -> RecordForm | None:
        row = self.chronology.selected()
        if self.case is None or row is None:
            return None
        if isinstance(row.record, Booking):
            return self.open_form(
                BookingForm(self.case, row.record, self._save(self.ctx.cases.save_booking), self)
            )
        return self.open_form(
            EventForm(
                self.case, row.record, self.actor, self._save(self.ctx.cases.save_event), self
            )
        )

    def delete_chronology(self) -> None:
        row = self.chronology.selected()
        if row is None:
            return
        kind = "booking" if isinstance(row.record, Booking) else "event"
        self._delete(
            kind, row.record.id, row.record.version, f"{row.what} on {formats.short_date(row.day)}"
        )

    def add_child(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            ChildForm(self.case, None, self._save(self.ctx.cases.save_child), self)
        )

    def edit_child(self) -> RecordForm | None:
        child = self.children.selected()
        if self.case is None or child is None:
            return None
        return self.open_form(
            ChildForm(self.case, child, self._save(self.ctx.cases.save_child), self)
        )

    def delete_child(self) -> None:
        child = self.children.selected()
        if child is not None:
            self._delete("child", child.id, child.version, child.name)

    def add_party(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            PartyForm(self.case, None, self._save(self.ctx.cases.save_party), self)
        )

    def edit_party(self) -> RecordForm | None:
        party = self.parties.selected()
        if self.case is None or party is None:
            return None
        return self.open_form(
            PartyForm(self.case, party, self._save(self.ctx.cases.save_party), self)
        )

    def delete_party(self) -> None:
        party = self.parties.selected()
        if party is not None:
            self._delete("party", party.row_id, party.version, party.name)

    def add_assessment(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            AssessmentForm(self.case, None, self._save(self.ctx.cases.save_assessment), self)
        )

    def edit_assessment(self) -> RecordForm | None:
        item = self.assessments.selected()
        if self.case is None or item is None:
            return None
        return self.open_form(
            AssessmentForm(self.case, item, self._save(self.ctx.cases.save_assessment), self)
        )

    def delete_assessment(self) -> None:
        item = self.assessments.selected()
        if item is not None:
            self._delete("assessment", item.id, item.version, item.title)

    def add_action(self) -> RecordForm | None:
        if self.case is None:
            return None
        return self.open_form(
            ActionForm(self.case, None, self._save(self.ctx.cases.save_action), self)
        )

    def edit_action(self) -> RecordForm | None:
        row: ActionRow | None = self.actions.selected()
        if self.case is None or row is None:
            return None
        return self.open_form(
            ActionForm(self.case, row.action, self._save(self.ctx.cases.save_action), self)
        )

    def delete_action(self) -> None:
        row: ActionRow | None = self.actions.selected()
        if row is not None:
            self._delete("action", row.action.id, row.action.version, row.action.action)

    def edit_details(self) -> RecordForm | None:
        if self.case is None:
            return None
        case = self.case
        version = case.version

        def save(record: Any) -> Any:
            header, _children = record
            assert version is not None
            return self.ctx.cases.update_header(header, version)

        return self.open_form(
            CaseDetailsForm(save, case=case, teams=self.ctx.cases.teams(), parent=self)
        )

    def _delete(self, kind: str, item_id: int | None, version: int | None, what: str) -> None:
        if item_id is None or version is None:
            return
        if not dialogs.confirm(
            self,
            "Delete from the case",
            f"Delete {what} from case {self.reference}? The audit trail keeps a record of it.",
            "Delete",
        ):
            return
        try:
            self.ctx.cases.delete_item(self.reference, kind, item_id, version)
        except Exception as error:
            dialogs.show_error(self, "Not deleted", describe(error))
            self.reload()
            return
        self.reload()
        self.changed.emit(self.reference)

    def _letters(self) -> None:
        self.letters_requested.emit(self.reference)
