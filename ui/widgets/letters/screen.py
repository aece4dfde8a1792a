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

The screen owns four parts, each with its own state and signals, and wires them:
``ChoosePanel`` (``choose``), ``MakeBar`` under it (``make``),
``CheckPanel`` (``check``) and ``HistoryPanel`` (``history``).
Everything goes through ``LetterService``: the rules are the core's.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from plo_tracker.app import AppContext
from plo_tracker.errors import ValidationError
from plo_tracker.services.letters import GenerationResult
from ui import errors
from ui.formats import and_list
from ui.widgets.letters.check import CheckPanel
from ui.widgets.letters.choose import ChoosePanel
from ui.widgets.letters.history import HistoryPanel
from ui.widgets.letters.make import MakeBar, merge_results
from ui.widgets.letters.parts import BUSY, problem_label
from ui.widgets.on_show import ReloadWhenShown
from ui.workers import CancelCheck, Cancelled, Progress, Worker

PREVIEW_DELAY_MS = 250


class _Shown:
    """A part's widget, value or method, offered under the screen's own name."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, screen: object, owner: type | None = None) -> Any:
        return getattr(getattr(screen, self.part), self.name)


class LettersWidget(ReloadWhenShown):
    open_case = Signal(str)

    # What the window, its tests and the screenshots drive, by the screen's names.
    case = _Shown("choose_panel")
    template = _Shown("choose_panel")
    case_table = _Shown("choose_panel")
    case_proxy = _Shown("choose_panel")
    recipients = _Shown("choose_panel")
    easy_read = _Shown("choose_panel")
    batch_note = _Shown("choose_panel")
    worries = _Shown("choose_panel")
    hearing_box = _Shown("choose_panel")
    hearing_date = _Shown("choose_panel")
    hearing_place = _Shown("choose_panel")
    meeting_box = _Shown("choose_panel")
    meeting_date = _Shown("choose_panel")
    meeting_time = _Shown("choose_panel")
    meeting_place = _Shown("choose_panel")
    folder = _Shown("choose_panel")
    pdf = _Shown("choose_panel")
    selected_references = _Shown("choose_panel")
    is_batch = _Shown("choose_panel")
    select_cases = _Shown("choose_panel")
    chosen_parties = _Shown("choose_panel")
    set_recipients = _Shown("choose_panel")
    worker = _Shown("maker")
    problem = _Shown("maker")
    generate_button = _Shown("maker")
    draft = _Shown("maker")
    progress = _Shown("maker")
    cancel_button = _Shown("maker")
    previews = _Shown("check_panel")
    preview_choice = _Shown("check_panel")
    readiness = _Shown("check_panel")
    summary = _Shown("check_panel")
    notes = _Shown("check_panel")
    findings_model = _Shown("check_panel")
    findings = _Shown("check_panel")
    text = _Shown("check_panel")
    history = _Shown("history_panel")
    history_model = _Shown("history_panel")
    open_file_button = _Shown("history_panel")
    open_folder_button = _Shown("history_panel")
    sent_date = _Shown("history_panel")
    sent_button = _Shown("history_panel")
    button_hint = _Shown("history_panel")
    status = _Shown("history_panel")
    selected_letter = _Shown("history_panel")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Letters")
        self._stale = True
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self.preview_timer.timeout.connect(self.preview_now)

        self.choose_panel = ChoosePanel(ctx)
        self.maker = MakeBar()
        choose_column = QWidget()
        column = QVBoxLayout(choose_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.choose_panel, 1)
        column.addWidget(self.maker)
        self.check_panel = CheckPanel(ctx.letters)
        self.history_panel = HistoryPanel(ctx, self.choose_panel.folder.text())

        outer = QVBoxLayout(self)
        self.folder_warning = problem_label("The council's template folder")
        self.folder_warning.setStyleSheet("color: #b00020; background: #fdecea; padding: 6px;")
        self.folder_warning.hide()
        outer.addWidget(self.folder_warning)
        vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.setChildrenCollapsible(False)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setChildrenCollapsible(False)
        top.addWidget(choose_column)
        top.addWidget(self.check_panel)
        top.setStretchFactor(0, 1)
        top.setStretchFactor(1, 1)
        vertical.addWidget(top)
        vertical.addWidget(self.history_panel)
        vertical.setStretchFactor(0, 3)
        vertical.setStretchFactor(1, 2)
        outer.addWidget(vertical, 1)
        self._wire()

    def _wire(self) -> None:
        choose, maker, history = self.choose_panel, self.maker, self.history_panel
        choose.case_chosen.connect(self._case_chosen)
        choose.wording_changed.connect(self._schedule_preview)
        choose.open_case.connect(self.open_case)
        choose.message.connect(history.status.setText)
        choose.folder.textChanged.connect(self._folder_changed)
        maker.draft.toggled.connect(self._update_buttons)
        maker.generate_button.clicked.connect(self.generate)
        maker.made.connect(history.add_made)
        maker.message.connect(history.status.setText)
        maker.busy_changed.connect(self._update_buttons)
        history.sent.connect(choose.reload_case)

    # -- loading -----------------------------------------------------------------------------
    def _reload(self) -> None:
        """Reload the cases, templates and history (``refresh()``: now if on screen, else when
        shown)."""
        self._load()

    def _load(self) -> None:
        self._stale = False
        try:
            summaries = self.ctx.cases.summaries()
            templates = self.ctx.letters.templates()
        except Exception as error:
            self.status.setText(errors.describe(error, "letters"))
            return
        self._check_folder()
        self.choose_panel.show_cases(summaries, templates)

    def _check_folder(self) -> None:
        """Say so when the council's template folder is set but cannot be reached."""
        try:
            problem = self.ctx.letters.template_folder_problem()
        except Exception as error:
            problem = errors.describe(error, "letters")
        if problem != self.check_panel.folder_problem:
            self.check_panel.folder_problem = problem
            self._schedule_preview()  # the letters' readiness says it too
        self.folder_warning.setText(problem or "")
        self.folder_warning.setVisible(bool(problem))

    _changed_while_hidden = False

    def data_changed(self) -> None:
        """Something was saved elsewhere (or here): the lists and the chosen case are read
        again, keeping what was chosen, ticked and typed; the letters are checked again."""
        if self._stale:
            return  # read in full when first shown
        if not self.isVisible():
            self._changed_while_hidden = True
            return
        self._changed_while_hidden = False
        try:
            summaries = self.ctx.cases.summaries()
        except Exception as error:
            self.status.setText(errors.describe(error, "letters"))
            return
        self._check_folder()
        self.choose_panel.update_cases(summaries)
        self.choose_panel.reload_case()
        self.history_panel.reload()
        if self.maker.worker is None:
            self._schedule_preview()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._changed_while_hidden:
            self.data_changed()
        elif not self._stale:
            self._check_folder()  # a network drive may have come (or gone) meanwhile

    def show_case(self, reference: str) -> None:
        """Make letters for this case (the case view's Letters… button)."""
        if self._stale:
            self._load()
        self.choose_panel.select_cases([reference])

    def _case_chosen(self) -> None:
        case = self.choose_panel.case
        self.history_panel.show_case(case.reference if case is not None else None)
        self.maker.set_case_count(len(self.choose_panel.selected_references()))
        self.preview_now()

    def _folder_changed(self, text: str) -> None:
        self.history_panel.set_folder(text)
        self._update_buttons()

    # -- checking before anything is saved ---------------------------------------------------
    def _schedule_preview(self, *_args: object) -> None:
        self.preview_timer.start()

    def preview_now(self) -> None:
        """Re-make the letters in memory and show what they need and their report."""
        self.preview_timer.stop()
        self.check_panel.check(self.choose_panel.request())
        self._mark_field(self.check_panel.problem)
        self._update_buttons()

    def _mark_field(self, problem: str | None) -> None:
        """A refused word typed for this letter: the box it was typed in says so too."""
        choose = self.choose_panel
        for field, box in (
            ("meeting.place", choose.meeting_place),
            ("hearing.place", choose.hearing_place),
            ("worries", choose.worries),
        ):
            if problem and f"(field {field}" in problem:
                box.setStyleSheet("border: 2px solid #b00020;")
                box.setToolTip(problem)
            elif box.styleSheet():
                box.setStyleSheet("")
                box.setToolTip("")

    def generate_off_reason(self) -> str | None:
        """Why Generate is off, in one sentence (None when it is on)."""
        check = self.check_panel
        if check.problem is not None:
            return check.problem
        if not self.choose_panel.folder.text().strip():
            return "Save in: choose a folder for the letters."
        if check.not_ready and not self.maker.draft.isChecked():
            waiting = len(check.not_ready)
            if self.is_batch():
                count = f"{waiting} {'letter is' if waiting == 1 else 'letters are'}"
            else:  # name the readers: the letter on show may be a ready one
                names = and_list([r.recipient_name for r in check.not_ready])
                count = f"The {'letter' if waiting == 1 else 'letters'} to {names}"
                count += " is" if waiting == 1 else " are"
            return (
                f"{count} not ready to send: add what is missing (listed on the right), or "
                "tick 'Make as drafts' to prepare them."
            )
        if self.maker.worker is not None:
            return BUSY
        return None

    def _update_buttons(self) -> None:
        self.maker.show_reason(self.generate_off_reason())
        self.history_panel.set_busy(self.maker.worker is not None)

    # -- making letters ----------------------------------------------------------------------
    def generate(self) -> Worker | None:
        self.preview_now()
        request = self.choose_panel.request()
        if self.generate_off_reason() is not None or request.case is None:
            return None
        assert request.template is not None
        folder = self.choose_panel.folder_path()
        pdf = self.pdf.isChecked() and self.pdf.isEnabled()
        draft = self.maker.draft.isChecked()
        try:
            options = request.options()
        except ValidationError as error:
            self.maker.problem.setText(str(error))
            return None
        letters = self.ctx.letters
        template = request.template.name
        references = list(request.references)
        parties = [] if request.batch else list(request.parties)
        reference = references[0]

        def job(progress: Progress, cancelled: CancelCheck) -> GenerationResult:
            def report(done: int, total: int) -> None:
                # The core stops cleanly when asked through ``cancelled``; never raise here.
                with contextlib.suppress(Cancelled):
                    progress(done, total)

            if len(references) > 1:
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

        return self.maker.start(job, folder)
