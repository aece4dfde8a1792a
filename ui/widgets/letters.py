"""Letters (legal liaison and managers): choose, check the plain language, make, record.

1. Choose the case (or several, for a batch), the template and the recipients, and add
   the wording the case data has no field for (worries, help given, hearing).
2. The plain-language report of each letter appears before anything is saved: it is
   re-made whenever a choice changes (``LetterService.preview``; nothing is stored).
3. Generate: the .docx letters (and PDFs when LibreOffice is there) are made off the
   window's thread with a progress bar and a Cancel button; a cancelled request saves
   nothing.  Then open the letter or its folder, and record it as sent.

Everything goes through ``LetterService``; the rules (who gets a letter, what may be
put in it, what "sent" records) are the core's.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import KNOWN_ERRORS, ValidationError
from plo_tracker.letters import pdf as pdf_conversion
from plo_tracker.letters.context import Hearing, LetterOptions
from plo_tracker.letters.readability import READING_EASE_TARGET
from plo_tracker.services.base import today
from plo_tracker.services.letters import (
    GenerationResult,
    LetterPreview,
    LetterRecord,
    TemplateInfo,
)
from ui import dialogs, errors
from ui.models.letters import FindingsModel, LetterCaseModel, LetterCaseProxy, LetterHistoryModel
from ui.widgets.inputs import DateEdit, OptionalDate, OptionalTime
from ui.widgets.on_show import ReloadWhenShown
from ui.workers import CancelCheck, Cancelled, Progress, Worker

DEFAULT_TEMPLATE = "letter_before_proceedings"
PREVIEW_DELAY_MS = 250


def default_folder() -> Path:
    return Path.home() / "PLO Tracker letters"


def choose_folder(parent: QWidget | None, caption: str, start: Path) -> Path | None:
    """Pick a folder (tests replace this function)."""
    name = QFileDialog.getExistingDirectory(parent, caption, str(start))
    return Path(name) if name else None


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


def _problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #b00020;")
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _table(name: str) -> QTableView:
    table = QTableView()
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(int(table.fontMetrics().height() * 1.6))
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


def report_summary(preview: LetterPreview) -> str:
    report = preview.report
    verdict = (
        "plain enough"
        if report.plain_enough
        else "needs work before it is sent"
        if report.reading_ease < READING_EASE_TARGET - 10 or report.long_sentences
        else "nearly there"
    )
    return (
        f"Letter to {preview.recipient_name}: reading ease {report.reading_ease:.0f} "
        f"(aim for {READING_EASE_TARGET:.0f} or more), grade {report.grade:.1f}, "
        f"{report.sentence_count} sentences, {len(report.long_sentences)} too long, "
        f"{len(report.jargon)} jargon. This letter is {verdict}."
    )


def merge_results(results: list[GenerationResult]) -> GenerationResult:
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
    )


class LettersWidget(ReloadWhenShown):
    open_case = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.letters = ctx.letters
        self.setAccessibleName("Letters")
        self._stale = True
        self.case: CaseHistory | None = None
        self.previews: list[LetterPreview] = []
        self.preview_problem: str | None = None
        self.templates: list[TemplateInfo] = []
        self.worker: Worker | None = None
        self.last_result: GenerationResult | None = None
        self.last_folder: Path = default_folder()
        self.paths: dict[int, tuple[Path, Path | None]] = {}  # letter id -> files made here
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.preview_now)

        outer = QVBoxLayout(self)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setChildrenCollapsible(False)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(self._build_choose())
        top.addWidget(self._build_check())
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        vertical.addWidget(top)
        vertical.addWidget(self._build_history())
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        outer.addWidget(vertical, 1)
        self._wire()

    # -- building ----------------------------------------------------------------------------
    def _build_choose(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        heading = QLabel("<b>1. Choose</b>")
        layout.addWidget(heading)

        search_row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a case by reference, child or worker")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a case")
        search_label = QLabel("&Find:")
        search_label.setBuddy(self.search)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search, 1)
        self.only_open = QCheckBox("Only &open cases")
        self.only_open.setChecked(True)
        self.only_open.setAccessibleName("Only open cases")
        search_row.addWidget(self.only_open)
        layout.addLayout(search_row)

        self.case_model = LetterCaseModel(parent=self)
        self.case_proxy = LetterCaseProxy(self)
        self.case_proxy.setSourceModel(self.case_model)
        self.case_table = _table("Cases to write for")
        self.case_table.setModel(self.case_proxy)
        self.case_table.horizontalHeader().setResizeContentsPrecision(200)
        self.case_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.case_table.setSortingEnabled(True)
        self.case_table.sortByColumn(LetterCaseModel.REFERENCE, Qt.SortOrder.AscendingOrder)
        self.case_table.setMinimumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.case_table, 2)
        self.case_hint = QLabel(
            "Choose one case, or several (Ctrl+click) to make the same letter for each."
        )
        self.case_hint.setWordWrap(True)
        layout.addWidget(self.case_hint)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.template = QComboBox()
        self.template.setAccessibleName("Letter template")
        template_label = QLabel("&Template:")
        template_label.setBuddy(self.template)
        form.addRow(template_label, self.template)
        self.template_about = QLabel()
        self.template_about.setWordWrap(True)
        self.template_about.setAccessibleName("About this template")
        form.addRow("", self.template_about)

        self.recipients = QListWidget()
        self.recipients.setAccessibleName("Recipients")
        self.recipients.setMaximumHeight(self.fontMetrics().height() * 7)
        recipients_label = QLabel("&Recipients:")
        recipients_label.setBuddy(self.recipients)
        form.addRow(recipients_label, self.recipients)
        self.batch_note = QLabel(
            "Batch: one letter to each person with parental responsibility in each case."
        )
        self.batch_note.setWordWrap(True)
        self.batch_note.hide()
        form.addRow("", self.batch_note)
        layout.addLayout(form)

        wording = QGroupBox("Wording the case record does not hold")
        wording_form = QFormLayout(wording)
        wording_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.worries = QPlainTextEdit()
        self.worries.setTabChangesFocus(True)
        self.worries.setPlaceholderText("One worry a line, in words the parent will recognise")
        self.worries.setAccessibleName("Worries")
        self.worries.setMaximumHeight(self.fontMetrics().height() * 5)
        worries_label = QLabel("&Worries:")
        worries_label.setBuddy(self.worries)
        wording_form.addRow(worries_label, self.worries)
        self.help_given = QPlainTextEdit()
        self.help_given.setTabChangesFocus(True)
        self.help_given.setPlaceholderText("One line for each kind of help already given")
        self.help_given.setAccessibleName("Help already given")
        self.help_given.setMaximumHeight(self.fontMetrics().height() * 5)
        help_label = QLabel("&Help given:")
        help_label.setBuddy(self.help_given)
        wording_form.addRow(help_label, self.help_given)
        self.letter_date = OptionalDate("Date the letter", None)
        self.letter_date.set_accessible("Letter date")
        date_label = QLabel("Letter &date:")
        date_label.setBuddy(self.letter_date.check)
        wording_form.addRow(date_label, self.letter_date)
        self.hearing_box = QWidget()
        hearing_layout = QHBoxLayout(self.hearing_box)
        hearing_layout.setContentsMargins(0, 0, 0, 0)
        self.hearing_date = OptionalDate("Known", None)
        self.hearing_date.set_accessible("First hearing date")
        self.hearing_time = OptionalTime("at", None)
        self.hearing_time.set_accessible("First hearing time")
        self.hearing_place = QLineEdit()
        self.hearing_place.setPlaceholderText("Court and address")
        self.hearing_place.setAccessibleName("First hearing place")
        hearing_layout.addWidget(self.hearing_date)
        hearing_layout.addWidget(self.hearing_time)
        hearing_layout.addWidget(self.hearing_place, 1)
        self.hearing_label = QLabel("First &hearing:")
        self.hearing_label.setBuddy(self.hearing_date.check)
        wording_form.addRow(self.hearing_label, self.hearing_box)
        layout.addWidget(wording)

        output = QFormLayout()
        output.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        folder_row = QHBoxLayout()
        self.folder = QLineEdit(str(default_folder()))
        self.folder.setAccessibleName("Save letters in this folder")
        self.folder_button = QPushButton("C&hoose…")
        self.folder_button.setAccessibleName("Choose the folder for letters")
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.folder_button)
        folder_label = QLabel("Save &in:")
        folder_label.setBuddy(self.folder)
        output.addRow(folder_label, folder_row)
        self.pdf = QCheckBox("Also save &PDFs")
        self.pdf.setAccessibleName("Also save PDFs")
        if pdf_conversion.available():
            self.pdf.setToolTip("PDFs are made with LibreOffice after the .docx letters.")
        else:
            self.pdf.setEnabled(False)
            self.pdf.setToolTip(pdf_conversion.NOT_INSTALLED)
        output.addRow("", self.pdf)
        layout.addLayout(output)

        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName("Choose the letter")
        container = QWidget()
        box = QVBoxLayout(container)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(scroll, 1)
        self.problem = _problem_label("Why letters cannot be made yet")
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
        actions.addWidget(self.generate_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        box.addLayout(actions)

        return container

    def _build_check(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(QLabel("<b>2. Check the plain language before saving</b>"))
        row = QHBoxLayout()
        self.preview_choice = QComboBox()
        self.preview_choice.setAccessibleName("Show the letter to")
        preview_label = QLabel("Letter &to:")
        preview_label.setBuddy(self.preview_choice)
        row.addWidget(preview_label)
        row.addWidget(self.preview_choice, 1)
        layout.addLayout(row)
        self.summary = QLabel("Choose a case to see its letter.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAccessibleName("Plain-language report")
        layout.addWidget(self.summary)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setAccessibleName("Check before sending")
        layout.addWidget(self.notes)
        self.findings_model = FindingsModel(parent=self)
        self.findings = _table("Plain-language advice")
        self.findings.setModel(self.findings_model)
        self.findings.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.findings.horizontalHeader()
        header.setSectionResizeMode(FindingsModel.SEVERITY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FindingsModel.ADVICE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FindingsModel.SENTENCE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.findings, 1)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("The letter's text")
        self.text.setTabChangesFocus(True)
        layout.addWidget(self.text, 2)
        return panel

    def _build_history(self) -> QWidget:
        panel = QWidget()
        layout = QVBoxLayout(panel)
        self.history_heading = QLabel("<b>3. Letters of this case</b>")
        layout.addWidget(self.history_heading)
        self.history_model = LetterHistoryModel(parent=self)
        self.history = _table("Letters made for this case")
        self.history.setModel(self.history_model)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.setMinimumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.history, 1)
        buttons = QHBoxLayout()
        self.open_file_button = QPushButton("Open &letter")
        self.open_file_button.setAccessibleName("Open the selected letter")
        self.open_folder_button = QPushButton("Open f&older")
        self.open_folder_button.setAccessibleName("Open the folder of the letters")
        self.sent_date = DateEdit(today())
        self.sent_date.setAccessibleName("Date the letter was sent")
        self.sent_button = QPushButton("Record as &sent on")
        self.sent_button.setAccessibleName("Record the selected letter as sent")
        for widget in (self.open_file_button, self.open_folder_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.sent_button)
        buttons.addWidget(self.sent_date)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setAccessibleName("Result of the last action")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)
        return panel

    def _wire(self) -> None:
        self.search.textChanged.connect(self._search_changed)
        self.only_open.toggled.connect(self._only_open_changed)
        self.case_table.selectionModel().selectionChanged.connect(self._cases_changed)
        self.case_table.doubleClicked.connect(self._case_activated)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.recipients.itemChanged.connect(self._schedule_preview)
        for edit in (self.worries, self.help_given):
            edit.textChanged.connect(self._schedule_preview)
        self.hearing_place.textChanged.connect(self._schedule_preview)
        for optional in (self.letter_date, self.hearing_date, self.hearing_time):
            optional.changed.connect(self._schedule_preview)
        self.folder.textChanged.connect(self._update_buttons)
        self.folder_button.clicked.connect(self._choose_folder)
        self.preview_choice.currentIndexChanged.connect(self._show_preview)
        self.generate_button.clicked.connect(self.generate)
        self.cancel_button.clicked.connect(self.cancel)
        self.history.selectionModel().selectionChanged.connect(self._history_selected)
        self.open_file_button.clicked.connect(self.open_selected_letter)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.sent_button.clicked.connect(self.record_sent)

    # -- loading -----------------------------------------------------------------------------
    def _reload(self) -> None:
        """Reload the cases, templates and history (``refresh()``: now if on screen, else when
        shown)."""
        self._load()

    def _load(self) -> None:
        self._stale = False
        chosen = self.selected_references()
        try:
            summaries = self.ctx.cases.summaries()
            templates = self.letters.templates()
        except Exception as error:
            self.status.setText(errors.describe(error, "letters"))
            return
        self.case_model.set_rows(summaries)
        self.case_table.resizeColumnsToContents()
        self._fill_templates(templates)
        if chosen:
            self.select_cases(chosen)
        else:
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

    # -- choosing ----------------------------------------------------------------------------
    def selected_references(self) -> list[str]:
        rows = self.case_table.selectionModel().selectedRows()
        found = [self.case_proxy.row_at(index.row()).reference for index in rows]
        return sorted(found)

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

    def show_case(self, reference: str) -> None:
        """Make letters for this case (the case view's Letters… button)."""
        if self._stale:
            self._load()
        self.select_cases([reference])

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
        if references:
            try:
                self.case = self.ctx.cases.get(references[0])
            except Exception as error:
                self.status.setText(errors.describe(error, "letters"))
        self._fill_recipients()
        self._load_history()
        self.generate_button.setText(
            f"&Generate letters for {len(references)} cases" if batch else "&Generate letters"
        )
        self.preview_now()

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
                extra = f" – {', '.join(marks)}" if marks else ""
                item = QListWidgetItem(f"{party.name} ({party.relationship}){extra}")
                item.setData(Qt.ItemDataRole.UserRole, party.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                checked = party.parental_responsibility
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                self.recipients.addItem(item)
        self.recipients.blockSignals(False)

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

    def _template_changed(self, _index: int = 0) -> None:
        info = self.template_info()
        issue = info is not None and info.sent_event == "letter_of_issue"
        self.hearing_box.setVisible(issue)
        self.hearing_label.setVisible(issue)
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
        self._schedule_preview()

    def _schedule_preview(self, *_args: object) -> None:
        self.preview_timer.start()

    # -- options -----------------------------------------------------------------------------
    def options(self) -> LetterOptions:
        """The typed wording as the core's options; ValidationError says what is wrong."""
        hearing = None
        if self.hearing_box.isVisible() or self.hearing_date.value() is not None:
            day = self.hearing_date.value()
            if day is not None:
                hearing = Hearing(
                    date=day,
                    time=self.hearing_time.value(),
                    place=self.hearing_place.text().strip() or None,
                )
            info = self.template_info()
            if info is None or info.sent_event != "letter_of_issue":
                hearing = None
        return LetterOptions(
            worries=_lines(self.worries),
            help_given=_lines(self.help_given),
            hearing=hearing,
            letter_date=self.letter_date.value(),
        ).checked()

    # -- the plain-language check ------------------------------------------------------------
    def preview_now(self) -> None:
        """Re-make the letters in memory and show their report (nothing is saved)."""
        self.preview_timer.stop()
        self.previews = []
        self.preview_problem = None
        info = self.template_info()
        if self.case is None or info is None:
            self.preview_problem = (
                "Choose a case first." if self.case is None else "Choose a template."
            )
        elif not self.is_batch() and not self.chosen_parties():
            self.preview_problem = "Recipients: tick at least one person to write to."
        else:
            try:
                options = self.options()
                calls = [None] if self.is_batch() else self._parties_argument()
                for party in calls:
                    self.previews.extend(
                        self.letters.preview(
                            self.case.reference, info.name, party=party, options=options
                        )
                    )
            except KNOWN_ERRORS as error:
                self.preview_problem = str(error)
            except Exception as error:
                self.preview_problem = errors.describe(error, "letter preview")
        self.preview_choice.blockSignals(True)
        self.preview_choice.clear()
        for preview in self.previews:
            self.preview_choice.addItem(
                f"{preview.recipient_name} ({preview.case_reference})", preview.recipient_key
            )
        self.preview_choice.blockSignals(False)
        self._show_preview()
        self._update_buttons()

    def _show_preview(self, _index: int = 0) -> None:
        number = self.preview_choice.currentIndex()
        if not self.previews or number < 0:
            self.summary.setText(
                "No letter to check yet." if self.preview_problem else "Choose a case."
            )
            self.notes.setText("")
            self.findings_model.set_rows([])
            self.text.setPlainText("")
            return
        preview = self.previews[number]
        batch = " (the first case of the batch; the others are checked as they are made)"
        self.summary.setText(report_summary(preview) + (batch if self.is_batch() else ""))
        self.notes.setText(
            "Check before sending:\n" + "\n".join(f"• {note}" for note in preview.notes)
            if preview.notes
            else ""
        )
        self.findings_model.set_findings(preview.report.findings())
        self.text.setPlainText(preview.text)

    def _update_buttons(self) -> None:
        busy = self.worker is not None
        problem = self.preview_problem
        if problem is None and not self.folder.text().strip():
            problem = "Save in: choose a folder for the letters."
        self.problem.setText(problem or "")
        self.generate_button.setEnabled(problem is None and not busy)
        self.generate_button.setToolTip(problem or "Save the letters (as checked on the right)")
        self._history_selected()

    # -- making letters ----------------------------------------------------------------------
    def generate(self) -> Worker | None:
        self.preview_now()
        if self.preview_problem is not None or self.case is None or self.worker is not None:
            return None
        info = self.template_info()
        assert info is not None
        folder = Path(self.folder.text().strip()).expanduser()
        references = self.selected_references()
        pdf = self.pdf.isChecked() and self.pdf.isEnabled()
        try:
            options = self.options()
        except ValidationError as error:
            self.problem.setText(str(error))
            return None
        letters = self.letters
        template = info.name
        batch = len(references) > 1
        parties = [] if batch else self._parties_argument()
        reference = references[0]

        def job(progress: Progress, cancelled: CancelCheck) -> GenerationResult:
            def report(done: int, total: int) -> None:
                # The core stops cleanly when asked through ``cancelled``; never raise here.
                with contextlib.suppress(Cancelled):
                    progress(done, total)

            if batch:
                return letters.generate_batch(
                    references,
                    template,
                    folder,
                    pdf=pdf,
                    options=options,
                    progress=report,
                    cancelled=cancelled,
                )
            results = []
            for number, party in enumerate(parties):
                if cancelled():
                    results.append(GenerationResult(cancelled=True))
                    break
                results.append(
                    letters.generate(
                        reference,
                        template,
                        folder,
                        party=party,
                        pdf=pdf,
                        options=options,
                        cancelled=cancelled,
                    )
                )
                report(number + 1, len(parties))
            return merge_results(results)

        worker = Worker(job)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(self._finished)
        worker.signals.failed.connect(self._failed)
        worker.signals.cancelled.connect(self._cancelled)
        worker.signals.done.connect(self._done)
        self.worker = worker
        self.last_folder = folder
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        self.status.setText("Making the letters…")
        self._update_buttons()
        worker.start()
        return worker

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText("Cancelling… nothing will be saved.")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _finished(self, result: GenerationResult) -> None:
        self.last_result = result
        for letter in result.letters:
            self.paths[letter.record.id] = (letter.path, letter.pdf_path)
        made = len(result.letters)
        if result.cancelled and not made:
            self.status.setText("Cancelled: no letters were saved.")
        else:
            parts = []
            if result.cancelled:
                parts.append(f"Cancelled after {made} letter(s); those were saved.")
            else:
                parts.append(f"Made {made} letter(s) in {self.last_folder}.")
            if result.pdf_note:
                parts.append(result.pdf_note)
            parts.extend(result.warnings)
            self.status.setText(" ".join(parts))
        self._load_history()
        if result.letters:
            row = self.history_model.find(result.letters[-1].record.id)
            if row is not None:
                self.history.selectRow(row)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(errors.describe(error, "letters"))

    def _cancelled(self) -> None:
        self.status.setText("Cancelled: no letters were saved.")

    def _done(self) -> None:
        self.worker = None
        self.progress.hide()
        self.cancel_button.hide()
        self._update_buttons()

    # -- the letters of the case -------------------------------------------------------------
    def _load_history(self) -> None:
        if self.case is None:
            self.history_model.set_rows([])
            self.history_heading.setText("<b>3. Letters of this case</b>")
        else:
            try:
                rows = self.letters.history(self.case.reference)
            except Exception as error:
                self.status.setText(errors.describe(error, "letters"))
                rows = []
            self.history_model.set_rows(rows)
            self.history.resizeColumnsToContents()
            self.history_heading.setText(f"<b>3. Letters of {self.case.reference}</b>")
        self._history_selected()

    def selected_letter(self) -> LetterRecord | None:
        rows = self.history.selectionModel().selectedRows()
        return self.history_model.row_at(rows[0].row()) if rows else None

    def letter_path(self, record: LetterRecord) -> Path | None:
        known = self.paths.get(record.id)
        if known is not None and known[0].exists():
            return known[0]
        candidate = Path(self.folder.text().strip()).expanduser() / record.file_name
        return candidate if candidate.exists() else None

    def _history_selected(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        record = self.selected_letter()
        self.open_file_button.setEnabled(record is not None)
        self.open_folder_button.setEnabled(True)
        can_send = record is not None and record.sent_on is None and self.worker is None
        self.sent_button.setEnabled(can_send)
        self.sent_date.setEnabled(can_send)
        if record is not None and record.sent_on is not None:
            self.sent_button.setToolTip(f"Already recorded as sent on {long_date(record.sent_on)}")
        else:
            self.sent_button.setToolTip("Record the date this letter was sent or handed over")

    def open_selected_letter(self) -> None:
        record = self.selected_letter()
        if record is None:
            return
        path = self.letter_path(record)
        if path is None:
            self.status.setText(
                f"{record.file_name} is not in {self.folder.text().strip()}. Letters stay in the "
                "folder they were saved in; choose that folder under 'Save in' to open it."
            )
            return
        dialogs.open_path(path)

    def open_folder(self) -> None:
        record = self.selected_letter()
        path = self.letter_path(record) if record is not None else None
        folder = path.parent if path is not None else Path(self.folder.text().strip())
        folder = folder.expanduser()
        if not folder.is_dir():
            self.status.setText(f"The folder {folder} does not exist yet.")
            return
        dialogs.open_path(folder)

    def record_sent(self) -> LetterRecord | None:
        record = self.selected_letter()
        if record is None:
            return None
        day = self.sent_date.value()
        try:
            updated = self.letters.record_sent(record.id, day, record.version)
        except Exception as error:
            self.status.setText(errors.describe(error, "letters"))
            self._load_history()
            return None
        event = (
            f" The case now shows the {updated.sent_event.replace('_', ' ')} event."
            if updated.sent_event
            else ""
        )
        self.status.setText(
            f"Recorded the letter to {updated.recipient_name} as sent on {long_date(day)}.{event}"
        )
        if self.case is not None:
            try:
                self.case = self.ctx.cases.get(self.case.reference)
            except Exception as error:
                self.status.setText(errors.describe(error, "letters"))
        self._load_history()
        row = self.history_model.find(updated.id)
        if row is not None:
            self.history.selectRow(row)
        return updated

    def _choose_folder(self) -> None:
        start = Path(self.folder.text().strip() or str(Path.home())).expanduser()
        chosen = choose_folder(self, "Save letters in", start)
        if chosen is not None:
            self.folder.setText(str(chosen))
