"""The CIN census view: every finding to work through, and the merged return for the council.

The checks, the merge and the files are the core's (``ReportService``); this view picks the
census year and (optionally) the council's own return from its case management system,
lists every finding (the census rules' and, with a return, the merge's: blocks that cannot
be placed in a CIN episode), saves them as a CSV file, and writes the merged return.  A
double-click (or Enter) on a finding opens its case at the place to fix it: the event in the
chronology that gave the element its date, or the child on the Children tab.

Merging reads a whole council return, so it runs off the window's thread with a busy bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.app import AppContext
from plo_tracker.domain.dates import long_date
from plo_tracker.domain.model import Event
from plo_tracker.permissions import Permission
from plo_tracker.reports.census import CensusReturn, Finding
from plo_tracker.reports.census_fix import CHILDREN, CHRONOLOGY, FixPlace, fix_place
from plo_tracker.reports.census_records import OUTCOME_LABELS
from plo_tracker.services.base import today
from plo_tracker.services.reports import ReportService
from ui import dialogs, errors
from ui.models.census import FindingsModel, FindingsProxy
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.tables import list_view
from ui.workers import CancelCheck, Progress, Worker

if TYPE_CHECKING:  # lxml is loaded only when a return is merged
    from plo_tracker.reports.census_merge import CensusMerge


def census_dates(on: dt.date, before: int = 3) -> list[dt.date]:
    """The next census reference date (31 March) on or after ``on``, then earlier ones."""
    year = on.year if (on.month, on.day) <= (3, 31) else on.year + 1
    return [dt.date(year - n, 3, 31) for n in range(before + 1)]


def _plain(label: QLabel, name: str) -> QLabel:
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    return label


class CensusView(QWidget):
    """The census findings list, the council's return, and the files made from them."""

    open_case = Signal(str)

    def __init__(
        self, ctx: AppContext, service: ReportService | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = service or ReportService(ctx.db, ctx.actor)
        self.census: CensusReturn | None = None
        self.merge: CensusMerge | None = None
        self.return_path: Path | None = None
        self.worker: Worker | None = None
        self.setAccessibleName("CIN census")
        layout = QVBoxLayout(self)
        layout.addWidget(
            _plain(
                QLabel(
                    "The pre-proceedings records of the CIN census return, checked against "
                    "the DfE's rules and, once you choose the council's own return, placed in "
                    "each child's CIN episode. Correct the errors in the cases: a record with "
                    "an error is kept out of the file."
                ),
                "About the census check",
            )
        )
        row = QHBoxLayout()
        self.census_date = QComboBox()
        self.census_date.setAccessibleName("Census reference date")
        for day in census_dates(today()):
            self.census_date.addItem(long_date(day), day)
        date_label = QLabel("&Reference date:")
        date_label.setBuddy(self.census_date)
        self.check_button = QPushButton("Chec&k the records")
        self.check_button.setAccessibleName("Check the census records")
        self.only_errors = QCheckBox("&Only errors")
        self.only_errors.setAccessibleName("Show only errors")
        self.settings_button = QPushButton("Census se&ttings…")
        self.settings_button.setAccessibleName("Census settings: the LA code and outcome codes")
        self.settings_button.setVisible(ctx.actor.can(Permission.MANAGE_POLICY))
        for widget in (date_label, self.census_date, self.check_button, self.only_errors):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.settings_button)
        layout.addLayout(row)
        self.settings_dialog: Any = None

        row = QHBoxLayout()
        self.return_label = _plain(QLabel(), "The council's return")
        self.choose_button = QPushButton("Co&uncil's return…")
        self.choose_button.setAccessibleName("Choose the council's CIN census return")
        self.choose_button.setToolTip(
            "The whole CIN census return from the council's case management system (XML)"
        )
        self.forget_button = QPushButton("Check without it")
        self.forget_button.setAccessibleName("Check without the council's return")
        self.findings_button = QPushButton("&Save the findings…")
        self.findings_button.setAccessibleName("Save the findings as a CSV file")
        self.merged_button = QPushButton("&Make the merged return…")
        self.merged_button.setAccessibleName("Write the council's return with the blocks placed")
        self.merged_button.setVisible(ctx.actor.can(Permission.EXPORT_CASES))
        for widget in (
            self.return_label,
            self.choose_button,
            self.forget_button,
            self.findings_button,
            self.merged_button,
        ):
            row.addWidget(widget)
        row.setStretch(0, 1)
        layout.addLayout(row)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Census work in progress")
        self.progress.setRange(0, 0)
        self.progress.hide()
        layout.addWidget(self.progress)
        self.summary = _plain(
            QLabel("Choose the reference date and check the records."),
            "What the census check found",
        )
        layout.addWidget(self.summary)

        self.model = FindingsModel(parent=self)
        self.proxy = FindingsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Census findings", self.proxy)
        self.table.sortByColumn(FindingsModel.CASE, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        layout.addWidget(
            QLabel("Double-click a finding (or press Enter) to open its case at the place to fix.")
        )
        self.status = _plain(QLabel(), "Result of the last census action")
        layout.addWidget(self.status)

        self.check_button.clicked.connect(self.check)
        self.settings_button.clicked.connect(self.edit_settings)
        self.census_date.currentIndexChanged.connect(self._date_changed)
        self.only_errors.toggled.connect(lambda on: self.proxy.set_filter(only_errors=on))
        self.choose_button.clicked.connect(self.choose_return)
        self.forget_button.clicked.connect(self.forget_return)
        self.findings_button.clicked.connect(self.save_findings)
        self.merged_button.clicked.connect(self.make_merged_return)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self._show_return()

    # -- state -------------------------------------------------------------------------------
    @property
    def reference_date(self) -> dt.date:
        return self.census_date.currentData()

    @property
    def findings(self) -> tuple[Finding, ...]:
        if self.merge is not None:
            return self.merge.all_findings
        return self.census.findings if self.census is not None else ()

    @property
    def busy(self) -> bool:
        return self.worker is not None

    def _show_return(self) -> None:
        if self.return_path is None:
            self.return_label.setText("Council's return: none chosen (the rules only).")
        else:
            self.return_label.setText(f"Council's return: {self.return_path.name}")
        self.forget_button.setVisible(self.return_path is not None)
        self.merged_button.setEnabled(self.return_path is not None and not self.busy)
        self.merged_button.setToolTip(
            "" if self.return_path else "Choose the council's return first."
        )

    def _set_busy(self, worker: Worker | None, text: str = "") -> None:
        self.worker = worker
        for button in (self.check_button, self.choose_button, self.forget_button):
            button.setEnabled(worker is None)
        self.findings_button.setEnabled(worker is None)
        self.progress.setVisible(worker is not None)
        if worker is not None:
            self.status.setText(text)
        self._show_return()

    # -- checking ----------------------------------------------------------------------------
    def check(self) -> None:
        """Check the records; with a council's return, merge it (off the window's thread)."""
        if self.return_path is None:
            self.load_census()
        else:
            self._merge_check()

    def refresh(self) -> None:
        """Check again if a check was made (the reports screen calls this on reload)."""
        if (self.census is not None or self.merge is not None) and not self.busy:
            self.check()

    def load_census(self) -> CensusReturn | None:
        """The rules' findings alone (fast: in the window's thread)."""
        try:
            census = self.service.census(self.reference_date)
        except Exception as error:
            self.summary.setText(errors.describe(error, "census"))
            return None
        self.census, self.merge = census, None
        self._show(census.findings)
        self.summary.setText(self._census_text(census))
        return census

    def _census_text(self, census: CensusReturn) -> str:
        text = (
            f"Census year {long_date(census.year.start)} to {long_date(census.year.end)}: "
            f"{len(census.records)} record(s) checked; {len(census.errors)} error(s) keep "
            f"{census.records_blocked} record(s) out of the file; {len(census.queries)} "
            f"query(ies) to look at; {len(census.written)} record(s) for "
            f"{census.children_written} child(ren) would be written."
        )
        if census.setup_problems:
            text += "\nBefore a file can be made: " + self._setup_text(census)
        return text

    def _setup_text(self, census: CensusReturn) -> str:
        """What is still to set, said for the window (the button, not a command)."""
        try:
            settings = self.service.census_settings()
        except Exception:
            return " ".join(census.setup_problems)
        missing = []
        if settings.missing_outcomes:
            missing.append(
                "the PPOutcome code for "
                + "; ".join(OUTCOME_LABELS[key] for key in settings.missing_outcomes)
            )
        if settings.la_code is None:
            missing.append("the council's 3-digit LA code")
        where = (
            "press Census settings… above"
            if self.settings_button.isVisibleTo(self)
            else "a team manager or administrator sets them under Census settings…"
        )
        return f"set {' and '.join(missing)} ({where})."

    def edit_settings(self) -> Any:
        """The census settings dialog; once saved, the records are checked again."""
        from ui.widgets.census_settings import CensusSettingsDialog

        try:
            dialog = CensusSettingsDialog(self.service, self)
        except Exception as error:
            self.status.setText(errors.describe(error, "census settings"))
            return None
        self.settings_dialog = dialog
        dialog.accepted.connect(self._settings_saved)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.open()
        return dialog

    def _settings_saved(self) -> None:
        self.status.setText("Census settings saved.")
        if self.census is not None:
            self.check()

    def _merge_text(self, merge: CensusMerge) -> str:
        text = self._census_text(merge.census)
        return (
            f"{text}\nCouncil's return: {merge.children_in_return} child(ren) with "
            f"{merge.episodes_in_return} CIN episode(s). {len(merge.placements)} block(s) placed "
            f"for {merge.children_placed} child(ren); {merge.already_there} already there; "
            f"{merge.kept_out} record(s) kept out ({merge.census.records_blocked} by the "
            f"rules, {merge.not_placed} not placed in a CIN episode)."
        )

    def _show(self, findings: tuple[Finding, ...]) -> None:
        self.model.set_rows(sorted(findings, key=Finding.sort_key))
        fit_to_contents(self.table)
        for column in (FindingsModel.WHERE,):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 420))

    def _run(
        self,
        job: Callable[[Progress, CancelCheck], Any],
        text: str,
        done: Callable[[Any], None],
        failed_title: str,
    ) -> Worker:
        worker = Worker(job)
        worker.signals.progress.connect(self._progress)
        worker.signals.finished.connect(done)
        worker.signals.failed.connect(lambda error: self._failed(failed_title, error))
        worker.signals.done.connect(lambda: self._set_busy(None))
        self._set_busy(worker, text)
        worker.start()
        return worker

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, title: str, error: BaseException) -> None:
        message = errors.describe(error, "census")
        self.status.setText(message)
        dialogs.show_error(self, title, message)

    def _merge_check(self) -> Worker | None:
        path, day, service = self.return_path, self.reference_date, self.service
        assert path is not None

        def job(progress: Progress, _cancelled: CancelCheck) -> CensusMerge:
            return service.census_merge(path, day, progress)

        return self._run(job, f"Checking against {path.name}…", self._merged, "Census not checked")

    def _merged(self, merge: CensusMerge) -> None:
        self.merge, self.census = merge, merge.census
        self._show(merge.all_findings)
        self.summary.setText(self._merge_text(merge))
        self.status.setText("")

    def _date_changed(self, _index: int) -> None:
        self.refresh()

    # -- the council's return and the files ----------------------------------------------------
    def choose_return(self) -> Path | None:
        path = dialogs.open_file_name(
            self, "The council's CIN census return", "CIN census returns (*.xml);;All files (*)"
        )
        if path is None:
            return None
        self.return_path = path
        self._show_return()
        self._merge_check()
        return path

    def forget_return(self) -> None:
        self.return_path = None
        self.merge = None
        self._show_return()
        self.load_census()

    def save_findings(self) -> Path | None:
        if self.census is None and self.merge is None and self.load_census() is None:
            return None
        name = f"census-findings-{self.reference_date.isoformat()}.csv"
        path = dialogs.save_file_name(
            self, "Save the census findings", Path.home() / name, "CSV files (*.csv)"
        )
        if path is None:
            return None
        if path.suffix.lower() != ".csv":
            path = path.with_name(path.name + ".csv")
        try:
            count = self.service.write_census_findings(
                path, self.findings, self.reference_date, merge_into=self.return_path
            )
        except Exception as error:
            dialogs.show_error(self, "Findings not saved", errors.describe(error, "census"))
            return None
        self.status.setText(
            f"Saved {count} finding(s) to {path}. The file is readable only by you."
        )
        return path

    def make_merged_return(self) -> Worker | None:
        source, day, service = self.return_path, self.reference_date, self.service
        if source is None:
            return None
        suggested = source.with_name(f"{source.stem}-with-pre-proceedings.xml")
        target = dialogs.save_file_name(
            self, "Save the merged CIN census return", suggested, "CIN census returns (*.xml)"
        )
        if target is None:
            return None
        if target.suffix.lower() != ".xml":
            target = target.with_name(target.name + ".xml")

        def job(progress: Progress, _cancelled: CancelCheck) -> Any:
            return service.write_merged_census(source, target, day, progress)

        return self._run(job, f"Writing {target.name}…", self._written, "Return not written")

    def _written(self, written: Any) -> None:
        self._merged(written.merge)
        merge = written.merge
        self.status.setText(
            f"Wrote the council's return with {len(merge.placements)} block(s) placed to "
            f"{written.path} ({merge.kept_out} record(s) kept out: see the findings). It has "
            "the same permissions as the council's return."
        )

    # -- opening a case at the place to fix ---------------------------------------------------
    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_finding(self.proxy.row_at(index.row()))

    def open_finding(self, finding: Finding) -> bool:
        """Open the finding's case at the place to fix (through the window's ``open_case``)."""
        place = fix_place(finding)
        if finding.case is None or place.section not in (CHRONOLOGY, CHILDREN):
            self.status.setText(f"{place.label}: {finding.message}")
            return False
        self.open_case.emit(finding.case)
        window: Any = self.window()
        current = getattr(window, "current_case_view", None)
        view = current() if callable(current) else None
        if view is None or getattr(view, "reference", None) != finding.case:
            return False
        shown = show_place(view, place)
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(f"Census finding ({finding.rule}) to fix here: {place.label}", 60_000)
        return shown


def show_place(view: Any, place: FixPlace) -> bool:
    """Show the case view's part for ``place`` and select its record (False if not found)."""
    if place.section == CHILDREN:
        position = place.child_position or 0
        children = list(view.case.children) if view.case is not None else []
        wanted = children[position - 1] if 0 < position <= len(children) else None
        return bool(view.show_item("children", lambda row: row is wanted))

    def matches(row: Any) -> bool:
        record = getattr(row, "record", None)
        return isinstance(record, Event) and place.matches_event(record.type, record.date)

    return bool(view.show_item("chronology", matches if place.event_types else None))
