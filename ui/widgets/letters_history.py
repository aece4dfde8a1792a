"""The letters screen's third part: a case's letters, opening them, recording one as sent.

A mixin of ``LettersWidget``.  Every button that is off says why in one sentence (its
tooltip and the line under the buttons).  "Open letter" falls back to showing the folder,
with a message, when no program to open the file is installed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection

from plo_tracker.domain.dates import long_date
from plo_tracker.services.letters import LetterRecord
from ui import dialogs, errors

if TYPE_CHECKING:
    from ui.widgets.letters import LettersWidget

    _Base = LettersWidget
else:
    _Base = object

NO_VIEWER = (
    "No program to open {name} is installed on this computer, so its folder is shown "
    "instead: {folder}"
)


class LetterHistoryActions(_Base):
    """Loading a case's letters and acting on the one selected."""

    def _load_history(self) -> None:
        if self.case is None:
            self.history_model.set_rows([])
            self.history_heading.setText("<b>3. Letters of this case</b>")
        else:
            try:
                rows = self.letters.history(self.case.reference)
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

    def sent_off_reason(self, record: LetterRecord | None) -> str | None:
        """Why 'Record as sent' is off, in one sentence (None when it is on)."""
        if record is None:
            return "Select a letter in the list to record it as sent."
        if record.draft:
            return "This letter is a draft, and a draft can never be recorded as sent."
        if record.sent_on is not None:
            return f"This letter was already recorded as sent on {long_date(record.sent_on)}."
        if self.worker is not None:
            return "Wait until the letters being made are finished."
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
                f"{record.file_name} is not in {self.folder.text().strip()}. Letters stay in the "
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
        folder = path.parent if path is not None else Path(self.folder.text().strip())
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
        from ui.widgets.letters_panels import choose_folder

        start = Path(self.folder.text().strip() or str(Path.home())).expanduser()
        chosen = choose_folder(self, "Save letters in", start)
        if chosen is not None:
            self.folder.setText(str(chosen))
