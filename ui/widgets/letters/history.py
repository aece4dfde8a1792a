"""The letters screen's third panel: a case's letters, opening them, recording one as sent.

``HistoryPanel`` owns the case's letters, the files made on this screen and the folder
letters are looked for in.  Every button that is off says why in one sentence (its
tooltip and the line under the buttons).  "Open letter" falls back to showing the folder,
with a message, when no program to open the file is installed.  The line under them says
the result of the screen's last action.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain.dates import long_date
from plo_tracker.services.base import today
from plo_tracker.services.letters import GenerationResult, LetterRecord
from ui import dialogs, errors
from ui.formats import and_list
from ui.models.letters import LetterHistoryModel
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.inputs import DateEdit
from ui.widgets.letters.parts import BUSY, note_label
from ui.widgets.tables import list_view

NO_VIEWER = (
    "No program to open {name} is installed on this computer, so its folder is shown "
    "instead: {folder}"
)


class HistoryPanel(QWidget):
    """3. Letters of this case."""

    sent = Signal()  # a letter was recorded as sent: its case has a new event

    def __init__(self, ctx: AppContext, folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.reference: str | None = None
        self.folder = folder  # where letters are looked for ("Save in")
        self.busy = False  # letters are being made
        self.paths: dict[int, tuple[Path, Path | None]] = {}  # letter id -> files made here
        layout = QVBoxLayout(self)
        self.history_heading = QLabel("<b>3. Letters of this case</b>")
        layout.addWidget(self.history_heading)
        self.history_model = LetterHistoryModel(parent=self)
        self.history = list_view(
            "Letters made for this case", self.history_model, sortable=False, roomy=True
        )
        # Several letters may be selected (Shift or Ctrl) and recorded as sent at once.
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.history.setMinimumHeight(self.fontMetrics().height() * 8)
        layout.addWidget(self.history, 1)
        buttons = QHBoxLayout()
        self.open_file_button = QPushButton("&Open letter")
        self.open_file_button.setAccessibleName("Open the selected letter")
        self.open_folder_button = QPushButton("Open folder")
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
        self.button_hint = note_label("Why a button is not available")
        layout.addWidget(self.button_hint)
        self.status = note_label("Result of the last action")
        layout.addWidget(self.status)
        self.history.selectionModel().selectionChanged.connect(self._history_selected)
        self.open_file_button.clicked.connect(self.open_selected_letter)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.sent_button.clicked.connect(self.record_sent)

    def set_folder(self, folder: str) -> None:
        self.folder = folder

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._history_selected()

    def show_case(self, reference: str | None) -> None:
        """The letters of this case (none chosen: an empty list)."""
        self.reference = reference
        self._load()

    def add_made(self, result: GenerationResult) -> None:
        """The letters just made: remember their files, list them, select the last."""
        for letter in result.letters:
            self.paths[letter.record.id] = (letter.path, letter.pdf_path)
        self._load()
        if result.letters:
            self._select(result.letters[-1].record.id)

    def _select(self, letter_id: int) -> None:
        row = self.history_model.find(letter_id)
        if row is not None:
            self.history.selectRow(row)

    def reload(self) -> None:
        """Read this case's letters again, keeping the one selected."""
        self._load()

    def _load(self) -> None:
        """Read the list again, keeping the letters selected (after a refusal too)."""
        selected = [r.id for r in self.selected_letters()]
        self._load_rows()
        self._select_many(selected)

    def _select_many(self, letter_ids: list[int]) -> None:
        selection = self.history.selectionModel()
        flags = selection.SelectionFlag.Select | selection.SelectionFlag.Rows
        first = True
        for letter_id in letter_ids:
            row = self.history_model.find(letter_id)
            if row is None:
                continue
            index = self.history_model.index(row, 0)
            if first:
                self.history.selectRow(row)
                first = False
            else:
                selection.select(index, flags)

    def _load_rows(self) -> None:
        if self.reference is None:
            self.history_model.set_rows([])
            self.history_heading.setText("<b>3. Letters of this case</b>")
        else:
            try:
                rows = self.ctx.letters.history(self.reference)
                names = self.ctx.audit.names()
            except Exception as error:
                self.status.setText(errors.describe(error, "letters"))
                rows, names = [], {}
            # People's names, not their logins (who made and who recorded each letter).
            self.history_model.set_rows(
                [
                    replace(
                        r,
                        generated_by=names.get(r.generated_by, r.generated_by),
                        sent_recorded_by=names.get(r.sent_recorded_by, r.sent_recorded_by)
                        if r.sent_recorded_by
                        else r.sent_recorded_by,
                    )
                    for r in rows
                ]
            )
            fit_to_contents(self.history)
            self.history_heading.setText(f"<b>3. Letters of {self.reference}</b>")
        self._history_selected()

    def selected_letter(self) -> LetterRecord | None:
        """The selected letter (the first, when several are)."""
        letters = self.selected_letters()
        return letters[0] if letters else None

    def selected_letters(self) -> list[LetterRecord]:
        rows = sorted(index.row() for index in self.history.selectionModel().selectedRows())
        return [self.history_model.row_at(row) for row in rows]

    def _sendable(self) -> list[LetterRecord]:
        return [r for r in self.selected_letters() if not r.draft and r.sent_on is None]

    def letter_path(self, record: LetterRecord) -> Path | None:
        known = self.paths.get(record.id)
        if known is not None and known[0].exists():
            return known[0]
        candidate = Path(self.folder.strip()).expanduser() / record.file_name
        return candidate if candidate.exists() else None

    def sent_off_reason(self, record: LetterRecord | None) -> str | None:
        """Why 'Record as sent' is off, in one sentence (None when it is on)."""
        if record is None:
            return "Select a letter in the list to record it as sent."
        if record.draft:
            return "This letter is a draft, and a draft can never be recorded as sent."
        if record.sent_on is not None:
            return f"This letter was already recorded as sent on {long_date(record.sent_on)}."
        if self.busy:
            return BUSY
        return None

    def _history_selected(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        record = self.selected_letter()
        self.open_file_button.setEnabled(record is not None)
        self.open_file_button.setToolTip(
            "Open the letter with this computer's program for .docx files"
            if record is not None
            else "Select a letter in the list to open it."
        )
        self.open_folder_button.setEnabled(True)
        reason = self.sent_off_reason(record)
        several = self.selected_letters()
        if len(several) > 1:
            sendable = len(self._sendable())
            reason = (
                (BUSY if self.busy else None)
                if sendable
                else "None of the selected letters can be recorded as sent (drafts, or "
                "already recorded)."
            )
            self.sent_button.setText(f"Record {sendable} letters as &sent on")
        else:
            self.sent_button.setText("Record as &sent on")
        self.sent_button.setEnabled(reason is None)
        self.sent_date.setEnabled(reason is None)
        self.sent_button.setToolTip(reason or "Record the date this letter was sent or handed over")
        self.button_hint.setText(reason if record is not None and reason else "")

    def open_selected_letter(self) -> None:
        record = self.selected_letter()
        if record is None:
            return
        path = self.letter_path(record)
        if path is None:
            self.status.setText(
                f"{record.file_name} is not in {self.folder.strip()}. Letters stay in the "
                "folder they were saved in; choose that folder under 'Save in' to open it."
            )
            return
        if dialogs.open_path(path):
            return
        if dialogs.open_path(path.parent):
            self.status.setText(NO_VIEWER.format(name=path.name, folder=path.parent))
        else:
            self.status.setText(
                f"No program to open {path.name} or its folder is installed on this "
                f"computer. The letter is saved as {path}."
            )

    def open_folder(self) -> None:
        record = self.selected_letter()
        path = self.letter_path(record) if record is not None else None
        folder = path.parent if path is not None else Path(self.folder.strip())
        folder = folder.expanduser()
        if not folder.is_dir():
            self.status.setText(f"The folder {folder} does not exist yet.")
            return
        if not dialogs.open_path(folder):
            self.status.setText(
                f"No program to show folders is installed on this computer. The letters are "
                f"in {folder}."
            )

    def record_sent(self) -> LetterRecord | None:
        if len(self.selected_letters()) > 1:
            done = self.record_several_sent()
            return done[-1] if done else None
        record = self.selected_letter()
        if record is None:
            return None
        day = self.sent_date.value()
        try:
            updated = self.ctx.letters.record_sent(record.id, day, record.version)
        except Exception as error:
            self.status.setText(errors.describe(error, "letters"))
            self._load()
            return None
        event = (
            f" The case now shows the {updated.sent_event.replace('_', ' ')} event."
            if updated.sent_event
            else ""
        )
        self.status.setText(
            f"Recorded the letter to {updated.recipient_name} as sent on {long_date(day)}.{event}"
        )
        self.sent.emit()
        self._load()
        self._select(updated.id)
        return updated

    def record_several_sent(self) -> list[LetterRecord]:
        """Every selected letter that may be recorded as sent, on the one date; a refusal
        of one is said and the others are still recorded."""
        day = self.sent_date.value()
        done: list[LetterRecord] = []
        refused: list[str] = []
        for record in self._sendable():
            try:
                done.append(self.ctx.letters.record_sent(record.id, day, record.version))
            except Exception as error:
                refused.append(f"{record.recipient_name}: {errors.describe(error, 'letters')}")
        skipped = len(self.selected_letters()) - len(done) - len(refused)
        parts = []
        if done:
            names = and_list([r.recipient_name for r in done])
            parts.append(
                f"Recorded {len(done)} {'letter' if len(done) == 1 else 'letters'} as sent on "
                f"{long_date(day)} (to {names})."
            )
        if skipped:
            parts.append(
                f"{skipped} selected {'letter was' if skipped == 1 else 'letters were'} left "
                "as they were (drafts, or already recorded)."
            )
        if refused:
            parts.append("Not recorded: " + " ".join(refused))
        self.status.setText(" ".join(parts))
        if done:
            self.sent.emit()
        self._load()
        return done
