"""The letters screen's three panels, built onto the screen: choose, check, the case's letters.

Layout only: the widgets are attributes of ``LettersWidget`` (``ui/widgets/letters.py``),
which wires and drives them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
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
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.letters import pdf as pdf_conversion
from plo_tracker.letters.readability import READING_EASE_TARGET
from plo_tracker.services.base import today
from plo_tracker.services.letters import GenerationResult, LetterPreview
from ui.models.letters import FindingsModel, LetterCaseModel, LetterCaseProxy, LetterHistoryModel
from ui.widgets.inputs import DateEdit, OptionalDate, OptionalTime
from ui.widgets.tables import list_view

if TYPE_CHECKING:
    from ui.widgets.letters import LettersWidget


def default_folder() -> Path:
    return Path.home() / "PLO Tracker letters"


def choose_folder(parent: QWidget | None, caption: str, start: Path) -> Path | None:
    """Pick a folder (tests replace this function)."""
    name = QFileDialog.getExistingDirectory(parent, caption, str(start))
    return Path(name) if name else None


def problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet("color: #b00020;")
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def note_label(name: str) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


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
        draft=any(r.draft for r in results),
    )


def _labelled(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _when_where(
    w: LettersWidget, name: str, box_name: str
) -> tuple[QWidget, OptionalDate, OptionalTime, QLineEdit]:
    box = QWidget()
    box.setAccessibleName(box_name)
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


def build_choose(w: LettersWidget) -> QWidget:
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(QLabel("<b>1. Choose</b>"))

    search_row = QHBoxLayout()
    w.search = QLineEdit()
    w.search.setPlaceholderText("Find a case by reference, child or worker")
    w.search.setClearButtonEnabled(True)
    w.search.setAccessibleName("Find a case")
    search_row.addWidget(_labelled("Fi&nd:", w.search))
    search_row.addWidget(w.search, 1)
    w.only_open = QCheckBox("Onl&y open cases")
    w.only_open.setChecked(True)
    w.only_open.setAccessibleName("Only open cases")
    search_row.addWidget(w.only_open)
    layout.addLayout(search_row)

    w.case_model = LetterCaseModel(parent=w)
    w.case_proxy = LetterCaseProxy(w)
    w.case_proxy.setSourceModel(w.case_model)
    # Several cases at once (Ctrl+click) make the same letter for each.
    w.case_table = list_view("Cases to write for", w.case_proxy, single=False, roomy=True)
    w.case_table.horizontalHeader().setResizeContentsPrecision(200)
    w.case_table.sortByColumn(LetterCaseModel.REFERENCE, Qt.SortOrder.AscendingOrder)
    w.case_table.setMinimumHeight(w.fontMetrics().height() * 8)
    layout.addWidget(w.case_table, 2)
    w.case_hint = QLabel(
        "Choose one case, or several (Ctrl+click) to make the same letter for each."
    )
    w.case_hint.setWordWrap(True)
    layout.addWidget(w.case_hint)

    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    w.template = QComboBox()
    w.template.setAccessibleName("Letter template")
    form.addRow(_labelled("Te&mplate:", w.template), w.template)
    w.template_about = QLabel()
    w.template_about.setWordWrap(True)
    w.template_about.setAccessibleName("About this template")
    form.addRow("", w.template_about)

    w.recipients = QListWidget()
    w.recipients.setAccessibleName("Recipients")
    w.recipients.setMaximumHeight(w.fontMetrics().height() * 7)
    form.addRow(_labelled("&Recipients:", w.recipients), w.recipients)
    w.easy_read = QCheckBox("Easy-read letters for the highlighted person")
    w.easy_read.setAccessibleName("Easy-read letters for the highlighted person")
    w.easy_read.setToolTip(
        "Large print, short lines, headings as questions: chosen for this person whenever a "
        "letter before proceedings is made for them."
    )
    form.addRow("", w.easy_read)
    w.batch_note = QLabel(
        "Batch: one letter to each person with parental responsibility in each case."
    )
    w.batch_note.setWordWrap(True)
    w.batch_note.hide()
    form.addRow("", w.batch_note)
    layout.addLayout(form)

    wording = QGroupBox("Wording the case record does not hold")
    wording_form = QFormLayout(wording)
    wording_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    w.worries = QPlainTextEdit()
    w.worries.setTabChangesFocus(True)
    w.worries.setPlaceholderText(
        "For one person's letter: one worry a line, in words they will recognise (worries "
        "recorded on the case are used anyway)"
    )
    w.worries.setAccessibleName("Worries")
    w.worries.setMaximumHeight(w.fontMetrics().height() * 5)
    wording_form.addRow(_labelled("&Worries:", w.worries), w.worries)
    w.help_given = QPlainTextEdit()
    w.help_given.setTabChangesFocus(True)
    w.help_given.setPlaceholderText("One line for each kind of help already given")
    w.help_given.setAccessibleName("Help already given")
    w.help_given.setMaximumHeight(w.fontMetrics().height() * 5)
    wording_form.addRow(_labelled("Help given:", w.help_given), w.help_given)
    w.letter_date = OptionalDate("Date the letter", None)
    w.letter_date.set_accessible("Letter date")
    wording_form.addRow(_labelled("Letter d&ate:", w.letter_date.check), w.letter_date)
    w.hearing_box, w.hearing_date, w.hearing_time, w.hearing_place = _when_where(
        w, "First hearing", "First hearing"
    )
    w.hearing_place.setPlaceholderText("Court and address")
    w.hearing_label = _labelled("First hearing:", w.hearing_date.check)
    wording_form.addRow(w.hearing_label, w.hearing_box)
    w.meeting_box, w.meeting_date, w.meeting_time, w.meeting_place = _when_where(
        w, "Separate meeting", "Separate meeting"
    )
    w.meeting_label = _labelled("Se&parate meeting:", w.meeting_date.check)
    w.meeting_label.setToolTip(
        "Someone in this case has a confidential address, so this person's letter cannot "
        "give the booked meeting: give the meeting booked for them on their own."
    )
    wording_form.addRow(w.meeting_label, w.meeting_box)
    layout.addWidget(wording)

    output = QFormLayout()
    output.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    folder_row = QHBoxLayout()
    w.folder = QLineEdit(str(default_folder()))
    w.folder.setAccessibleName("Save letters in this folder")
    w.folder_button = QPushButton("Choose…")
    w.folder_button.setAccessibleName("Choose the folder for letters")
    folder_row.addWidget(w.folder, 1)
    folder_row.addWidget(w.folder_button)
    output.addRow(_labelled("Save &in:", w.folder), folder_row)
    w.pdf = QCheckBox("Also save PDFs")
    w.pdf.setAccessibleName("Also save PDFs")
    if pdf_conversion.available():
        w.pdf.setToolTip("PDFs are made with LibreOffice after the .docx letters.")
    else:
        w.pdf.setEnabled(False)
        w.pdf.setToolTip(pdf_conversion.NOT_INSTALLED)
    output.addRow("", w.pdf)
    layout.addLayout(output)

    scroll = QScrollArea()
    scroll.setWidget(panel)
    scroll.setWidgetResizable(True)
    scroll.setAccessibleName("Choose the letter")
    container = QWidget()
    box = QVBoxLayout(container)
    box.setContentsMargins(0, 0, 0, 0)
    box.addWidget(scroll, 1)
    w.problem = problem_label("Why letters cannot be made yet")
    box.addWidget(w.problem)
    actions = QHBoxLayout()
    w.generate_button = QPushButton("&Generate letters")
    w.generate_button.setAccessibleName("Generate letters")
    w.cancel_button = QPushButton("Cancel")
    w.cancel_button.setAccessibleName("Cancel making letters")
    w.cancel_button.hide()
    w.progress = QProgressBar()
    w.progress.setAccessibleName("Letters made so far")
    w.progress.setFormat("%v of %m")
    w.progress.hide()
    w.draft = QCheckBox("Ma&ke as drafts")
    w.draft.setAccessibleName("Make as drafts")
    w.draft.setToolTip(
        "For preparing a letter that is not ready yet: each page is marked DRAFT, the letter "
        "lists what is missing, and it can never be recorded as sent."
    )
    actions.addWidget(w.generate_button, 1)
    actions.addWidget(w.draft)
    actions.addWidget(w.progress, 1)
    actions.addWidget(w.cancel_button)
    box.addLayout(actions)
    return container


def build_check(w: LettersWidget) -> QWidget:
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(QLabel("<b>2. Check the letter before saving</b>"))
    row = QHBoxLayout()
    w.preview_choice = QComboBox()
    w.preview_choice.setAccessibleName("Show the letter to")
    row.addWidget(_labelled("Letter to:", w.preview_choice))
    row.addWidget(w.preview_choice, 1)
    layout.addLayout(row)
    w.readiness = problem_label("What this letter still needs")
    layout.addWidget(w.readiness)
    w.summary = note_label("Plain-language report")
    w.summary.setText("Choose a case to see its letter.")
    layout.addWidget(w.summary)
    w.notes = note_label("Check before sending")
    layout.addWidget(w.notes)
    w.findings_model = FindingsModel(parent=w)
    w.findings = list_view("Plain-language advice", w.findings_model, sortable=False, wrap=True)
    header = w.findings.horizontalHeader()
    header.setSectionResizeMode(FindingsModel.SEVERITY, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(FindingsModel.ADVICE, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(FindingsModel.SENTENCE, QHeaderView.ResizeMode.Stretch)
    layout.addWidget(w.findings, 1)
    w.text = QPlainTextEdit()
    w.text.setReadOnly(True)
    w.text.setAccessibleName("The letter's text")
    w.text.setTabChangesFocus(True)
    layout.addWidget(w.text, 2)
    return panel


def build_history(w: LettersWidget) -> QWidget:
    panel = QWidget()
    layout = QVBoxLayout(panel)
    w.history_heading = QLabel("<b>3. Letters of this case</b>")
    layout.addWidget(w.history_heading)
    w.history_model = LetterHistoryModel(parent=w)
    w.history = list_view("Letters made for this case", w.history_model, sortable=False, roomy=True)
    w.history.setMinimumHeight(w.fontMetrics().height() * 8)
    layout.addWidget(w.history, 1)
    buttons = QHBoxLayout()
    w.open_file_button = QPushButton("&Open letter")
    w.open_file_button.setAccessibleName("Open the selected letter")
    w.open_folder_button = QPushButton("Open folder")
    w.open_folder_button.setAccessibleName("Open the folder of the letters")
    w.sent_date = DateEdit(today())
    w.sent_date.setAccessibleName("Date the letter was sent")
    w.sent_button = QPushButton("Record as &sent on")
    w.sent_button.setAccessibleName("Record the selected letter as sent")
    for widget in (w.open_file_button, w.open_folder_button):
        buttons.addWidget(widget)
    buttons.addStretch(1)
    buttons.addWidget(w.sent_button)
    buttons.addWidget(w.sent_date)
    layout.addLayout(buttons)
    w.button_hint = note_label("Why a button is not available")
    layout.addWidget(w.button_hint)
    w.status = note_label("Result of the last action")
    layout.addWidget(w.status)
    return panel
