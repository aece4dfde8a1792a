"""Letters (legal liaison and managers): choose, check, make, record.

1. Choose the case (or several, for a batch), the template and the recipients, and add
   what the case data has no field for (help given, the hearing, a separate meeting).
2. Before anything is saved, each letter is made in memory (``LetterService.preview``)
   and shown with what it still needs before it may go out and its plain-language
   report; it is re-made whenever a choice changes.  For a batch, every letter's
   readiness is checked (``readiness_batch``).
3. Generate is off while a letter is not ready, as the command line refuses it, unless
   "Make as drafts" is ticked; the reason is one sentence under the panel and in the
   button's tooltip.  Letters are made off the window's thread with a progress bar and
   a Cancel button; a cancelled request saves nothing.  Then open a letter or its
   folder, and record it as sent (never a draft).

Layout: ``letters_panels.py``; the case's letters: ``letters_history.py``.  Everything
goes through ``LetterService``: the rules are the core's.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidgetItem, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from plo_tracker.app import AppContext
from plo_tracker.domain.model import CaseHistory
from plo_tracker.errors import ValidationError
from plo_tracker.letters.options import Hearing, LetterOptions, SeparateMeeting
from plo_tracker.letters.readiness import LetterReadiness
from plo_tracker.letters.templates import spec_for
from plo_tracker.services.letters import GenerationResult, LetterPreview, TemplateInfo
from ui import errors
from ui.widgets.letters_check import LetterCheckActions
from ui.widgets.letters_history import LetterHistoryActions
from ui.widgets.letters_panels import (
    build_check,
    build_choose,
    build_history,
    default_folder,
    merge_results,
)
from ui.widgets.on_show import ReloadWhenShown
from ui.workers import CancelCheck, Cancelled, Progress, Worker

DEFAULT_TEMPLATE = "letter_before_proceedings"
PREVIEW_DELAY_MS = 250


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())


class LettersWidget(LetterCheckActions, LetterHistoryActions, ReloadWhenShown):
    open_case = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.letters = ctx.letters
        self.setAccessibleName("Letters")
        self._stale = True
        self.case: CaseHistory | None = None
        self.previews: list[LetterPreview] = []
        self.not_ready: list[LetterReadiness] = []  # every letter of the request not ready
        self.preview_problem: str | None = None
        self.templates: list[TemplateInfo] = []
        self.easy: set[str] = set()  # people of the case who get easy-read letters
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
        top.addWidget(build_choose(self))
        top.addWidget(build_check(self))
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        vertical.addWidget(top)
        vertical.addWidget(build_history(self))
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        outer.addWidget(vertical, 1)
        self.meeting_box.hide()
        self.meeting_label.hide()
        self._wire()

    def _wire(self) -> None:
        self.search.textChanged.connect(self._search_changed)
        self.only_open.toggled.connect(self._only_open_changed)
        self.case_table.selectionModel().selectionChanged.connect(self._cases_changed)
        self.case_table.doubleClicked.connect(self._case_activated)
        self.template.currentIndexChanged.connect(self._template_changed)
        self.recipients.itemChanged.connect(self._schedule_preview)
        self.recipients.currentItemChanged.connect(self._show_easy_read)
        self.easy_read.clicked.connect(self._easy_read_clicked)
        for edit in (self.worries, self.help_given):
            edit.textChanged.connect(self._schedule_preview)
        for line in (self.hearing_place, self.meeting_place):
            line.textChanged.connect(self._schedule_preview)
        for optional in (
            self.letter_date,
            self.hearing_date,
            self.hearing_time,
            self.meeting_date,
            self.meeting_time,
        ):
            optional.changed.connect(self._schedule_preview)
        self.folder.textChanged.connect(self._update_buttons)
        self.draft.toggled.connect(self._update_buttons)
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
        self.easy = set()
        if references:
            try:
                self.case = self.ctx.cases.get(references[0])
                prefs = self.letters.preferences(references[0])
                self.easy = {p.party_key for p in prefs if p.easy_read}
            except Exception as error:
                self.status.setText(errors.describe(error, "letters"))
        self._fill_recipients()
        self._load_history()
        self.generate_button.setText(
            f"&Generate letters for {len(references)} cases" if batch else "&Generate letters"
        )
        self._template_widgets()
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

    # -- easy read, per person ---------------------------------------------------------------
    def _show_easy_read(self, *_args: object) -> None:
        item = self.recipients.currentItem()
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        self.easy_read.blockSignals(True)
        self.easy_read.setChecked(key in self.easy)
        self.easy_read.blockSignals(False)
        on = key is not None and not self.is_batch()
        self.easy_read.setEnabled(on)
        self.easy_read.setToolTip(
            "Large print, short lines, headings as questions: chosen for this person whenever a "
            "letter before proceedings is made for them."
            if on
            else "Highlight one person under Recipients to choose easy-read letters for them."
        )

    def _easy_read_clicked(self, on: bool) -> None:
        item = self.recipients.currentItem()
        if item is None or self.case is None:
            return
        key = str(item.data(Qt.ItemDataRole.UserRole))
        try:
            self.letters.set_easy_read(self.case.reference, key, on)
        except Exception as error:
            self.status.setText(errors.describe(error, "letters"))
        current = self.recipients.currentRow()
        chosen = self.chosen_parties()
        self._cases_changed()
        self.set_recipients(chosen)
        self.recipients.setCurrentRow(current)

    # -- template and options ----------------------------------------------------------------
    def _template_changed(self, _index: int = 0) -> None:
        self._template_widgets()
        self._schedule_preview()

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

    def _schedule_preview(self, *_args: object) -> None:
        self.preview_timer.start()

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

    def generate_off_reason(self) -> str | None:
        """Why Generate is off, in one sentence (None when it is on)."""
        if self.preview_problem is not None:
            return self.preview_problem
        if not self.folder.text().strip():
            return "Save in: choose a folder for the letters."
        if self.not_ready and not self.draft.isChecked():
            waiting = len(self.not_ready)
            if self.is_batch():
                count = f"{waiting} {'letter is' if waiting == 1 else 'letters are'}"
            else:
                total = len(self.previews)
                count = f"{waiting} of {total} {'letter is' if total == 1 else 'letters are'}"
            return (
                f"{count} not ready to send: add what is missing (listed on the right), or "
                "tick 'Make as drafts' to prepare them."
            )
        if self.worker is not None:
            return "Wait until the letters being made are finished."
        return None

    def _update_buttons(self) -> None:
        reason = self.generate_off_reason()
        shown = None if reason == "Wait until the letters being made are finished." else reason
        self.problem.setText(shown or "")
        self.generate_button.setEnabled(reason is None)
        self.generate_button.setToolTip(reason or "Save the letters (as checked on the right)")
        self._history_selected()

    # -- making letters ----------------------------------------------------------------------
    def generate(self) -> Worker | None:
        self.preview_now()
        if self.generate_off_reason() is not None or self.case is None:
            return None
        info = self.template_info()
        assert info is not None
        folder = Path(self.folder.text().strip()).expanduser()
        references = self.selected_references()
        pdf = self.pdf.isChecked() and self.pdf.isEnabled()
        draft = self.draft.isChecked()
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
                    draft=draft,
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
                        draft=draft,
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
            elif result.draft:
                parts.append(
                    f"Made {made} draft(s) in {self.last_folder}: marked DRAFT on every page, "
                    "they can never be recorded as sent."
                )
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
