"""The letters screen's first panel: choose the cases, the template, the recipients, the
wording the case record has no field for, and where to save.

``ChoosePanel`` owns what is chosen (the first chosen case, who gets easy-read letters,
the templates offered) and says so with signals; ``request()`` gives the choice to the
other panels as a ``LetterRequest``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain.model import CaseHistory
from plo_tracker.letters import pdf as pdf_conversion
from plo_tracker.letters.options import Hearing, LetterOptions, SeparateMeeting
from plo_tracker.letters.readiness import needs_easy_read
from plo_tracker.letters.templates import spec_for
from plo_tracker.services.cases import CaseSummary
from plo_tracker.services.letters import TemplateInfo
from ui import errors
from ui.models.letters import LetterCaseModel, LetterCaseProxy
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.inputs import OptionalDate, OptionalTime
from ui.widgets.letters.parts import choose_folder, default_folder, labelled
from ui.widgets.tables import list_view

DEFAULT_TEMPLATE = "letter_before_proceedings"
EASY_READ_TIP = (
    "Large print, short lines, headings as questions: chosen for this person whenever any "
    "letter is made for them (also when their recorded needs say easy read, unless this is "
    "set to standard)."
)


@dataclass(frozen=True)
class LetterRequest:
    """What is chosen: the letters the other panels check and make."""

    case: CaseHistory | None  # the first chosen case
    template: TemplateInfo | None
    references: tuple[str, ...]  # every chosen case, sorted
    chosen: tuple[str, ...]  # the people ticked under Recipients (one case)
    parties: tuple[str | None, ...]  # each letter's ``party`` for the service (None: all with PR)
    options: Callable[[], LetterOptions]  # the typed wording; ValidationError says what is wrong

    @property
    def batch(self) -> bool:
        return len(self.references) > 1


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


def _when_where(name: str) -> tuple[QWidget, OptionalDate, OptionalTime, QLineEdit]:
    box = QWidget()
    box.setAccessibleName(name)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    day = OptionalDate("On", None)
    day.set_accessible(f"{name} date")
    time = OptionalTime("at", None)
    time.set_accessible(f"{name} time")
    place = QLineEdit()
    place.setPlaceholderText("Place or video link")
    place.setAccessibleName(f"{name} place")
    layout.addWidget(day)
    layout.addWidget(time)
    layout.addWidget(place, 1)
    return box, day, time, place


class ChoosePanel(QScrollArea):
    """1. Choose: one case or several (a batch), the template, the recipients, the wording."""

    case_chosen = Signal()  # the chosen cases changed; ``case`` is the first, loaded
    wording_changed = Signal()  # something a letter's text depends on changed
    open_case = Signal(str)  # a case double-clicked
    message = Signal(str)  # what went wrong loading or saving a choice

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: CaseHistory | None = None
        self.easy: set[str] = set()  # people of the case who get easy-read letters
        self.templates: list[TemplateInfo] = []
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<b>1. Choose</b>"))
        layout.addLayout(self._build_search())
        self._build_cases(layout)
        layout.addLayout(self._build_recipients())
        layout.addWidget(self._build_wording())
        layout.addLayout(self._build_output())
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setAccessibleName("Choose the letter")
        self.meeting_box.hide()
        self.meeting_label.hide()
        self._wire()

    # -- layout ------------------------------------------------------------------------------
    def _build_search(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a case by reference, child or worker")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a case")
        row.addWidget(labelled("Fi&nd:", self.search))
        row.addWidget(self.search, 1)
        self.only_open = QCheckBox("Onl&y open cases")
        self.only_open.setChecked(True)
        self.only_open.setAccessibleName("Only open cases")
        row.addWidget(self.only_open)
        return row

    def _build_cases(self, layout: QVBoxLayout) -> None:
        self.case_model = LetterCaseModel(parent=self)
        self.case_proxy = LetterCaseProxy(self)
        self.case_proxy.setSourceModel(self.case_model)
        # Several cases at once (Ctrl+click) make the same letter for each.
        self.case_table = list_view("Cases to write for", self.case_proxy, single=False, roomy=True)
        self.case_table.horizontalHeader().setResizeContentsPrecision(200)
        self.case_table.sortByColumn(LetterCaseModel.REFERENCE, Qt.SortOrder.AscendingOrder)
        self.case_table.setMinimumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.case_table, 2)
        self.case_hint = QLabel(
            "Choose one case, or several (Ctrl+click) to make the same letter for each."
        )
        self.case_hint.setWordWrap(True)
        layout.addWidget(self.case_hint)

    def _build_recipients(self) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.template = QComboBox()
        self.template.setAccessibleName("Letter template")
        form.addRow(labelled("Te&mplate:", self.template), self.template)
        self.template_about = QLabel()
        self.template_about.setWordWrap(True)
        self.template_about.setAccessibleName("About this template")
        form.addRow("", self.template_about)

        self.recipients = QListWidget()
        self.recipients.setAccessibleName("Recipients")
        self.recipients.setMaximumHeight(self.fontMetrics().height() * 7)
        form.addRow(labelled("&Recipients:", self.recipients), self.recipients)
        self.easy_read = QCheckBox("Easy-read letters for the highlighted person")
        self.easy_read.setAccessibleName("Easy-read letters for the highlighted person")
        self.easy_read.setToolTip(EASY_READ_TIP)
        form.addRow("", self.easy_read)
        self.batch_note = QLabel(
            "Batch: one letter to each person with parental responsibility in each case."
        )
        self.batch_note.setWordWrap(True)
        self.batch_note.hide()
        form.addRow("", self.batch_note)
        return form

    def _text_box(self, placeholder: str, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(name)
        edit.setMaximumHeight(self.fontMetrics().height() * 5)
        return edit

    def _build_wording(self) -> QGroupBox:
        wording = QGroupBox("Wording the case record does not hold")
        form = QFormLayout(wording)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.worries = self._text_box(
            "For one person's letter: one worry a line, in words they will recognise (worries "
            "recorded on the case are used anyway)",
            "Worries",
        )
        form.addRow(labelled("&Worries:", self.worries), self.worries)
        self.help_given = self._text_box(
            "One line for each kind of help already given", "Help already given"
        )
        form.addRow(labelled("Help given:", self.help_given), self.help_given)
        self.letter_date = OptionalDate("Date the letter", None)
        self.letter_date.set_accessible("Letter date")
        form.addRow(labelled("Letter d&ate:", self.letter_date.check), self.letter_date)
        self.hearing_box, self.hearing_date, self.hearing_time, self.hearing_place = _when_where(
            "First hearing"
        )
        self.hearing_place.setPlaceholderText("Court and address")
        self.hearing_label = labelled("First hearing:", self.hearing_date.check)
        form.addRow(self.hearing_label, self.hearing_box)
        self.meeting_box, self.meeting_date, self.meeting_time, self.meeting_place = _when_where(
            "Separate meeting"
        )
        self.meeting_label = labelled("Se&parate meeting:", self.meeting_date.check)
        self.meeting_label.setToolTip(
            "Someone in this case has a confidential address, so this person's letter cannot "
            "give the booked meeting: give the meeting booked for them on their own."
        )
        form.addRow(self.meeting_label, self.meeting_box)
        return wording

    def _build_output(self) -> QFormLayout:
        output = QFormLayout()
        output.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(default_folder()))
        self.folder.setAccessibleName("Save letters in this folder")
        self.folder_button = QPushButton("Choose…")
        self.folder_button.setAccessibleName("Choose the folder for letters")
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        output.addRow(labelled("Save &in:", self.folder), folder_row)
        self.pdf = QCheckBox("Also save PDFs")
        self.pdf.setAccessibleName("Also save PDFs")
        if pdf_conversion.available():
            self.pdf.setToolTip("PDFs are made with LibreOffice after the .docx letters.")
        else:
            self.pdf.setEnabled(False)
            self.pdf.setToolTip(pdf_conversion.NOT_INSTALLED)
        output.addRow("", self.pdf)
        return output

    def _wire(self) -> None:
        self.search.textChanged.connect(self._search_changed)
        self.only_open.toggled.connect(self._only_open_changed)
        self.case_table.selectionModel().selectionChanged.connect(self._cases_changed)
        self.case_table.doubleClicked.connect(self._case_activated)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.recipients.itemChanged.connect(self.wording_changed)
        self.recipients.currentItemChanged.connect(self._show_easy_read)
        self.easy_read.clicked.connect(self._easy_read_clicked)
        for edit in (self.worries, self.help_given):
            edit.textChanged.connect(self.wording_changed)
        for line in (self.hearing_place, self.meeting_place):
            line.textChanged.connect(self.wording_changed)
        for optional in (
            self.letter_date,
            self.hearing_date,
            self.hearing_time,
            self.meeting_date,
            self.meeting_time,
        ):
            optional.changed.connect(self.wording_changed)
        self.folder_button.clicked.connect(self._choose_folder)

    # -- the cases and the templates ---------------------------------------------------------
    def show_cases(self, summaries: list[CaseSummary], templates: list[TemplateInfo]) -> None:
        """Fill the list and the templates, keeping the cases chosen before."""
        chosen = self.selected_references()
        self.case_model.set_rows(summaries)
        fit_to_contents(self.case_table)
        self._fill_templates(templates)
        if chosen:
            self.select_cases(chosen)
        else:
            self._cases_changed()

    def update_cases(self, summaries: list[CaseSummary]) -> None:
        """The list read again, the same cases still chosen (nothing else changes)."""
        chosen = self.selected_references()
        selection = self.case_table.selectionModel()
        selection.blockSignals(True)
        self.case_model.set_rows(summaries)
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        first: QModelIndex | None = None
        for reference in chosen:
            source = self.case_model.find(reference)
            if source is None:
                continue
            index = self.case_proxy.mapFromSource(self.case_model.index(source, 0))
            if index.isValid():
                selection.select(index, flags)
                first = first or index
        if first is not None:
            selection.setCurrentIndex(first, selection.SelectionFlag.NoUpdate)
        selection.blockSignals(False)
        if chosen != self.selected_references():
            self._cases_changed()

    def _fill_templates(self, templates: list[TemplateInfo]) -> None:
        current = self.template.currentData() or DEFAULT_TEMPLATE
        self.templates = templates
        self.template.blockSignals(True)
        self.template.clear()
        model = self.template.model()
        for number, info in enumerate(templates):
            label = info.title + (" (council's own)" if info.source == "council" else "")
            self.template.addItem(label, info.name)
            if not info.check.ok:
                item = model.item(number)  # type: ignore[attr-defined]
                item.setEnabled(False)
                item.setToolTip("; ".join(info.check.problems))
        index = self.template.findData(current)
        self.template.setCurrentIndex(max(0, index))
        self.template.blockSignals(False)
        self._template_changed()

    def template_info(self) -> TemplateInfo | None:
        name = self.template.currentData()
        return next((t for t in self.templates if t.name == name), None)

    def selected_references(self) -> list[str]:
        rows = self.case_table.selectionModel().selectedRows()
        return sorted(self.case_proxy.row_at(index.row()).reference for index in rows)

    def is_batch(self) -> bool:
        return len(self.selected_references()) > 1

    def select_cases(self, references: list[str]) -> None:
        self.case_proxy.set_filter(keep=set(references))
        selection = self.case_table.selectionModel()
        selection.blockSignals(True)
        self.case_table.clearSelection()
        first: QModelIndex | None = None
        for reference in references:
            source = self.case_model.find(reference)
            if source is None:
                continue
            index = self.case_proxy.mapFromSource(self.case_model.index(source, 0))
            if not index.isValid():
                continue
            flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
            selection.select(index, flags)
            first = first or index
        selection.blockSignals(False)
        if first is not None:
            self.case_table.scrollTo(first)
            selection.setCurrentIndex(first, selection.SelectionFlag.NoUpdate)
        self._cases_changed()

    def _search_changed(self, text: str) -> None:
        self.case_proxy.set_filter(text=text)

    def _only_open_changed(self, on: bool) -> None:
        self.case_proxy.set_filter(only_open=on)

    def _case_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.case_proxy.row_at(index.row()).reference)

    def _cases_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        references = self.selected_references()
        self.case_proxy.keep = set(references)
        batch = len(references) > 1
        self.batch_note.setVisible(batch)
        self.recipients.setEnabled(not batch)
        self.case = None
        self.easy = set()
        if references:
            try:
                self.case = self.ctx.cases.get(references[0])
                prefs = self.ctx.letters.preferences(references[0])
                # A preference set wins; without one, the person's recorded needs decide.
                chosen = {p.party_key: p.easy_read for p in prefs}
                self.easy = {
                    party.id
                    for party in self.case.parties
                    if chosen.get(party.id, needs_easy_read(party))
                }
            except Exception as error:
                self.message.emit(errors.describe(error, "letters"))
        self._fill_recipients()
        self._template_widgets()
        self.case_chosen.emit()

    def reload_case(self) -> None:
        """Read the chosen case again (a letter recorded as sent added an event)."""
        if self.case is not None:
            try:
                self.case = self.ctx.cases.get(self.case.reference)
            except Exception as error:
                self.message.emit(errors.describe(error, "letters"))

    # -- recipients, and easy read per person ------------------------------------------------
    def _fill_recipients(self) -> None:
        self.recipients.blockSignals(True)
        self.recipients.clear()
        if self.case is not None:
            for party in self.case.parties:
                marks = []
                if party.parental_responsibility:
                    marks.append("parental responsibility")
                if party.address_confidential:
                    marks.append("address confidential")
                if party.id in self.easy:
                    marks.append("easy read")
                extra = f" – {', '.join(marks)}" if marks else ""
                item = QListWidgetItem(f"{party.name} ({party.relationship}){extra}")
                item.setData(Qt.ItemDataRole.UserRole, party.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = party.parental_responsibility
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.recipients.addItem(item)
        self.recipients.blockSignals(False)
        self._show_easy_read()

    def chosen_parties(self) -> list[str]:
        found = []
        for number in range(self.recipients.count()):
            item = self.recipients.item(number)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return found

    def set_recipients(self, keys: list[str]) -> None:
        for number in range(self.recipients.count()):
            item = self.recipients.item(number)
            on = item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def _parties_argument(self) -> list[str | None]:
        """The ``party`` argument of each service call: None means everyone with PR."""
        chosen = self.chosen_parties()
        if self.case is None:
            return []
        with_pr = [p.id for p in self.case.parties if p.parental_responsibility]
        if with_pr and sorted(chosen) == sorted(with_pr):
            return [None]
        return list(chosen)

    def _show_easy_read(self, *_args: object) -> None:
        item = self.recipients.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.easy_read.blockSignals(True)
        self.easy_read.setChecked(key in self.easy)
        self.easy_read.blockSignals(False)
        on = key is not None and not self.is_batch()
        self.easy_read.setEnabled(on)
        self.easy_read.setToolTip(
            EASY_READ_TIP
            if on
            else "Highlight one person under Recipients to choose easy-read letters for them."
        )

    def _easy_read_clicked(self, on: bool) -> None:
        item = self.recipients.currentItem()
        if item is None or self.case is None:
            return
        key = str(item.data(Qt.ItemDataRole.UserRole))
        try:
            self.ctx.letters.set_easy_read(self.case.reference, key, on)
        except Exception as error:
            self.message.emit(errors.describe(error, "letters"))
        current = self.recipients.currentRow()
        chosen = self.chosen_parties()
        self._cases_changed()
        self.set_recipients(chosen)
        self.recipients.setCurrentRow(current)

    # -- the template and the typed wording --------------------------------------------------
    def _template_changed(self, _index: int = 0) -> None:
        self._template_widgets()
        self.wording_changed.emit()

    def _template_widgets(self) -> None:
        """Show the hearing for a letter of issue, a separate meeting where one is needed."""
        info = self.template_info()
        issue = info is not None and info.sent_event == "letter_of_issue"
        self.hearing_box.setVisible(issue)
        self.hearing_label.setVisible(issue)
        separate = (
            info is not None
            and bool(spec_for(info.name).meetings)
            and self.case is not None
            and not self.is_batch()
            and any(p.address_confidential for p in self.case.parties)
        )
        self.meeting_box.setVisible(separate)
        self.meeting_label.setVisible(separate)
        if info is None:
            self.template_about.setText("")
        else:
            sent = (
                f" Recording it as sent adds the '{info.sent_event.replace('_', ' ')}' event "
                "to the case."
                if info.sent_event
                else ""
            )
            self.template_about.setText(
                ("A council template. " if info.source == "council" else "") + sent.strip()
            )

    def options(self) -> LetterOptions:
        """The typed wording as the core's options; ValidationError says what is wrong."""
        hearing = meeting = None
        info = self.template_info()
        day = self.hearing_date.value()
        if day is not None and info is not None and info.sent_event == "letter_of_issue":
            hearing = Hearing(
                day, self.hearing_time.value(), self.hearing_place.text().strip() or None
            )
        day = self.meeting_date.value()
        if day is not None and self.meeting_box.isVisibleTo(self):
            place = self.meeting_place.text().strip() or None
            meeting = SeparateMeeting(day, self.meeting_time.value(), place)
        return LetterOptions(
            worries=_lines(self.worries),
            help_given=_lines(self.help_given),
            hearing=hearing,
            letter_date=self.letter_date.value(),
            meeting=meeting,
        ).checked()

    def request(self) -> LetterRequest:
        return LetterRequest(
            case=self.case,
            template=self.template_info(),
            references=tuple(self.selected_references()),
            chosen=tuple(self.chosen_parties()),
            parties=tuple(self._parties_argument()),
            options=self.options,
        )

    def folder_path(self) -> Path:
        return Path(self.folder.text().strip()).expanduser()

    def _choose_folder(self) -> None:
        start = Path(self.folder.text().strip() or str(Path.home())).expanduser()
        chosen = choose_folder(self, "Save letters in", start)
        if chosen is not None:
            self.folder.setText(str(chosen))
