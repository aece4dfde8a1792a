"""One case: its chronology as a timeline, its parts in tabs, its flags, and its audit trail.

Everything shown comes from the core's services, in people's words: names rather
than logins ("recorded by Megan Hughes"), the audit trail as sentences, the status
as what is late ("2 overdue: letter, review").  Every change goes through a form
(``ui.widgets.case_edits``); a flag is reviewed where it is read (``case_flags``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from plo_tracker import clock
from plo_tracker.domain import drift, stages
from plo_tracker.domain.model import EVENT_TYPES, CaseHistory, Event
from plo_tracker.domain.policy import Policy
from plo_tracker.errors import NotFound
from plo_tracker.permissions import Permission
from ui import dialogs, formats
from ui.errors import describe
from ui.models.case_items import (
    ActionsModel,
    AssessmentsModel,
    AuditModel,
    ChildrenModel,
    ChronologyModel,
    ChronologyRow,
    ConcernsModel,
    PartiesModel,
    StrengthsModel,
    action_rows,
    assessment_rows,
    chronology,
    concern_rows,
)
from ui.models.family import KeepApartModel, apart_rows, party_rows
from ui.widgets.case_edits import CaseEdits
from ui.widgets.case_flags import FlagsPage
from ui.widgets.concerns_page import ConcernsPage
from ui.widgets.court_page import CourtPage
from ui.widgets.forms import may_record, refusal
from ui.widgets.people_page import PeoplePage
from ui.widgets.safety_banner import SafetyBanner
from ui.widgets.sections import ItemSection, fit_columns, make_table
from ui.widgets.timeline import TimelineWidget

if TYPE_CHECKING:
    from plo_tracker.app import AppContext


class CaseView(CaseEdits, QWidget):
    """The social worker's (and manager's) view of one case."""

    changed = Signal(str)
    letters_requested = Signal(str)

    def __init__(self, ctx: AppContext, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.actor
        self.reference = reference
        self.case: CaseHistory | None = None
        self.flags: list[drift.Flag] = []
        self.names: dict[str, str] = {}
        self.today = clock.today()
        self.form: Any = None
        self.setAccessibleName(f"Case {reference}")
        self.edit_refusal = refusal(lambda: self.actor.require(Permission.EDIT_CASES))
        self.review_refusal = refusal(lambda: self.actor.require(Permission.REVIEW_FLAGS))
        self.keep_apart_refusal = refusal(lambda: self.actor.require(Permission.KEEP_APART))
        self.recordable = [t for t in EVENT_TYPES if may_record(self.actor, t)]

        layout = QVBoxLayout(self)
        layout.addLayout(self._build_header())
        # Who is kept apart, whose address is confidential: above every tab.
        self.safety = SafetyBanner()
        layout.addWidget(self.safety)

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
            ChronologyModel(), "Chronology", ["Record &an event…", "&Book a meeting…"]
        )
        self.chronology.can_change = self._chronology_refusal
        self.chronology.add_buttons[0].clicked.connect(self.add_event)
        self.chronology.add_buttons[1].clicked.connect(self.add_booking)
        self.chronology.edit_button.clicked.connect(self.edit_chronology)
        self.chronology.delete_button.clicked.connect(self.delete_chronology)
        self.chronology.table.activated.connect(self._chronology_activated)

        self.flags_page = FlagsPage(self.review_refusal)
        self.flags_page.review_requested.connect(self.review_flag)
        self.flags_table = self.flags_page.table
        self.flag_model = self.flags_page.model
        self.reviews_table = self.flags_page.reviews_table
        self.review_model = self.flags_page.review_model
        self.flags_summary = self.flags_page.summary

        self.concerns = self._section(ConcernsModel(), "Worries", "&Add a worry…", "concern")
        # The worries keep the order they were written in (the order letters give them).
        self.concerns.table.setSortingEnabled(False)
        self.concerns.table.setWordWrap(True)
        self.chronology.table.setWordWrap(True)
        self.strengths = self._section(
            StrengthsModel(), "What is going well", "Add &what is going well…", "strength"
        )
        self.strengths.table.setSortingEnabled(False)
        self.strengths.table.setWordWrap(True)
        self.children = self._section(ChildrenModel(), "Children", "&Add a child…", "child")
        self.parties = self._section(
            PartiesModel(), "Parents and others", "&Add a person…", "party"
        )
        self.keep_apart = self._section(
            KeepApartModel(), "Kept apart", "Keep someone apart…", "keep_apart"
        )
        self.keep_apart.can_change = lambda _row: self.keep_apart_refusal
        self.keep_apart.table.setWordWrap(True)
        self.people_page = PeoplePage(self.parties, self.keep_apart)
        self.assessments = self._section(
            AssessmentsModel(), "Assessments", "&Add an assessment…", "assessment"
        )
        self.actions = self._section(
            ActionsModel(), "Plan actions", "&Add a plan action…", "action"
        )

        self.tabs.addTab(self.chronology, "Ch&ronology")
        # Worries, and beside them what is going well.
        self.concerns_page = ConcernsPage(self.concerns, self.strengths)
        self.tabs.addTab(self.concerns_page, "C&oncerns")
        self.tabs.addTab(self.flags_page, "Fla&gs")
        self.tabs.addTab(self.children, "Childre&n")
        self.tabs.addTab(self.people_page, "&People and solicitors")
        self.tabs.addTab(self.assessments, "Assess&ments")
        self.tabs.addTab(self.actions, "Plan act&ions")
        self.court_page = CourtPage()
        self.tabs.addTab(self.court_page, "Court ke&y dates")
        self.audit_model: AuditModel | None = None
        if self.actor.can(Permission.VIEW_AUDIT):
            self.audit_model = AuditModel()
            self.audit_table, self.audit_proxy = make_table(self.audit_model, "Audit trail")
            self.audit_table.setWordWrap(True)
            self.tabs.addTab(self.audit_table, "A&udit trail")
        self.reload()

    def _build_header(self) -> QHBoxLayout:
        top = QHBoxLayout()
        heading = QVBoxLayout()
        self.title = QLabel(self.reference)
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
        self.details_button = QPushButton("Case detail&s…")
        self.details_button.setAccessibleName("Change the case details")
        self.details_button.clicked.connect(self.edit_details)
        self.details_button.setEnabled(self.edit_refusal is None)
        if self.edit_refusal:
            self.details_button.setToolTip(self.edit_refusal)
        buttons.addWidget(self.details_button)
        self.letters_button = QPushButton("Ma&ke letters…")
        self.letters_button.setAccessibleName("Letters for this case")
        self.letters_button.setVisible(self.actor.can(Permission.GENERATE_LETTERS))
        self.letters_button.clicked.connect(lambda: self.letters_requested.emit(self.reference))
        buttons.addWidget(self.letters_button)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setAccessibleName("Reload this case")
        self.reload_button.setToolTip("Reload this case (F5)")
        self.reload_button.clicked.connect(self.reload)
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        return top

    def _section(self, model: Any, name: str, add: str, kind: str) -> ItemSection:
        section = ItemSection(model, name, [add])
        section.can_change = self._edit_refusal
        section.add_buttons[0].clicked.connect(getattr(self, f"add_{kind}"))
        section.edit_button.clicked.connect(getattr(self, f"edit_{kind}"))
        section.delete_button.clicked.connect(getattr(self, f"delete_{kind}"))
        section.table.activated.connect(self._activated_edit(section))
        return section

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        self.today = clock.today()
        try:
            case = self.ctx.cases.get(self.reference)
            flags = self.ctx.cases.flags_for(self.reference, self.today)
            policy = self.ctx.settings.policy()
            reviews = self.ctx.flags.reviews(self.reference)
            self.names = self.ctx.audit.names()
            recorders = self.ctx.audit.recorders(self.reference)
            trail = self.ctx.audit.trail_in_words(self.reference) if self.audit_model else []
        except NotFound as error:
            self.case = None
            self.status_label.setText(html.escape(str(error)))
            self.setEnabled(True)
            for section in self._all_sections():
                section.setEnabled(False)
            return
        except Exception as error:
            dialogs.show_error(self, "Cannot show this case", describe(error))
            return
        self.case = case
        self.flags = flags
        self._show_header(case, flags, policy)
        self.court_page.set_case(case, policy, self.today)
        self.timeline.set_case(case, flags, self.today)
        self.chronology.model.set_rows(chronology(case, self.names, recorders))
        self.safety.set_case(case)
        self.children.model.set_rows(list(case.children))
        self.parties.model.set_rows(party_rows(case))
        self.keep_apart.model.set_rows(apart_rows(case))
        self.people_page.set_case(case)
        self.strengths.model.set_rows(concern_rows(case, case.strengths))
        self.assessments.model.set_rows(assessment_rows(case))
        self.actions.model.set_rows(action_rows(case))
        worries = concern_rows(case)
        self.concerns.model.set_rows(worries)
        self.flags_page.set_flags(flags, reviews, self.today)
        self.flags_page.set_concerns(worries)
        if self.audit_model is not None:
            self.audit_model.set_rows(trail)
            self.audit_table.sortByColumn(AuditModel.WHEN, Qt.SortOrder.DescendingOrder)
        self.chronology.table.sortByColumn(ChronologyModel.DATE, Qt.SortOrder.AscendingOrder)
        self._update_tab_titles(case, flags)
        self._update_buttons()
        tables = [self.chronology.table, self.flags_table, self.reviews_table]
        tables += [s.table for s in self._all_sections() if s is not self.chronology]
        if self.audit_model is not None:
            tables.append(self.audit_table)
        for table in tables:
            fit_columns(table)
        # Sentences are shown whole: their rows grow to fit (the lists are short).
        self.chronology.table.resizeRowsToContents()
        self.concerns.table.resizeRowsToContents()
        self.strengths.table.resizeRowsToContents()
        self.keep_apart.table.resizeRowsToContents()
        if self.audit_model is not None:
            self.audit_table.resizeRowsToContents()

    def show_item(self, section: str, matches: Callable[[Any], bool] | None = None) -> bool:
        """Show one part of the case ('chronology', 'children', 'parties', 'assessments',
        'actions') and select the first row ``matches`` accepts (False if none does)."""
        names = ("chronology", "children", "parties", "assessments", "actions")
        part = dict(zip(names, self._sections(), strict=True))[section]
        self.tabs.setCurrentWidget(self.people_page if part is self.parties else part)
        for row in range(part.proxy.rowCount()) if matches is not None else ():
            if matches(part.proxy.row_at(row)):
                part.table.selectRow(row)
                part.table.scrollTo(part.proxy.index(row, 0))
                part.table.setFocus()
                return True
        return False

    def _sections(self) -> list[ItemSection]:
        return [self.chronology, self.children, self.parties, self.assessments, self.actions]

    def _all_sections(self) -> list[ItemSection]:
        return [*self._sections(), self.concerns, self.strengths, self.keep_apart]

    def _show_header(self, case: CaseHistory, flags: list[drift.Flag], policy: Policy) -> None:
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
        stage = stages.stage(case, self.today, policy)
        weeks = stages.weeks_in_pre_proceedings(case, self.today)
        is_open = drift.raises_flags(case, self.today)
        overdue = [f for f in flags if f.severity == drift.OVERDUE]
        if is_open and overdue and all(f.reviewed is not None for f in overdue):
            key = "accepted"  # every overdue flag's delay accepted by a manager
        elif is_open:
            key = drift.rag_status(flags)
        else:
            key = "open" if stage == stages.NOT_STARTED else "closed"
        words = formats.flags_text(flags, is_open, stage == stages.NOT_STARTED)
        parts = [f"Stage: {stage}"]
        if weeks is not None:
            parts.append(f"{weeks} week{'s' if weeks != 1 else ''} in pre-proceedings")
        colour = formats.RAG_COLOURS.get(key)
        status = html.escape(words)
        if colour is not None:
            status = f'<span style="color:{colour.name()}; font-weight:600">{status}</span>'
        escaped = [html.escape(p) for p in parts]
        self.status_label.setText(" · ".join([*escaped, f"Status: {status}"]))
        self.status_label.setAccessibleDescription(f"Stage {stage}; status {words}")

    def _update_tab_titles(self, case: CaseHistory, flags: list[drift.Flag]) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.flags_page), f"Fla&gs ({len(flags)})")
        self.tabs.setTabText(
            self.tabs.indexOf(self.concerns_page),
            f"C&oncerns ({len(case.concerns)}) and strengths ({len(case.strengths)})",
        )
        for section, items, title in (
            (self.children, case.children, "Childre&n"),
            (self.people_page, case.parties, "&People and solicitors"),
            (self.assessments, case.assessments, "Assess&ments"),
            (self.actions, case.plan_actions, "Plan act&ions"),
        ):
            self.tabs.setTabText(self.tabs.indexOf(section), f"{title} ({len(items)})")
        self.tabs.setTabText(
            self.tabs.indexOf(self.court_page), f"Court ke&y dates ({self.court_page.count()})"
        )

    def _update_buttons(self) -> None:
        add_event_refusal = None if self.recordable else self.edit_refusal
        self.chronology.update_buttons(add_event_refusal)
        if not add_event_refusal:
            self.chronology.add_buttons[0].setEnabled(bool(self.recordable))
            booking = self.chronology.add_buttons[1]
            booking.setEnabled(self.edit_refusal is None)
            booking.setToolTip(self.edit_refusal or "")
        for section in (
            self.concerns,
            self.strengths,
            self.children,
            self.parties,
            self.assessments,
            self.actions,
        ):
            section.update_buttons(self.edit_refusal)
        self.keep_apart.update_buttons(self.keep_apart_refusal)

    # -- flags -----------------------------------------------------------------------------
    def show_flag(self, rule: str, item: str | None = None) -> bool:
        """Show the Flags tab with this flag selected (from the drift review)."""
        self.tabs.setCurrentWidget(self.flags_page)
        found = self.flags_page.select_flag(rule, item)
        self.flags_table.setFocus(Qt.FocusReason.OtherFocusReason)
        return found

    def review_flag(self, flag: drift.Flag, extend: bool = False) -> Any:
        """Review… / Extend… on the Flags tab: the drift review's own dialog."""
        from ui.widgets.review_dialog import ReviewDialog, review_row_for

        if self.case is None:
            return None
        if self.form is not None and not self.form.close_politely():
            return self.form
        dialog = ReviewDialog(
            self.ctx, review_row_for(flag, self.case, self.today), self, extend=extend
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.reviewed.connect(self._saved)
        dialog.finished.connect(self._form_closed)
        self.form = dialog
        dialog.open()
        return dialog

    # -- permissions -------------------------------------------------------------------------
    def _edit_refusal(self, _row: Any) -> str | None:
        return self.edit_refusal

    def _chronology_refusal(self, row: ChronologyRow) -> str | None:
        if isinstance(row.record, Event):
            event_type = row.record.type
            return refusal(lambda: self.actor.require_event_type(event_type))
        return self.edit_refusal
