"""Teams (administrators): the council's teams; add, rename, merge, confirm, retire.

The Teams tab of File → Users….  Everything goes through ``TeamService``, which checks
the administrator's permission, carries a new name to every case and user of the team
in the same transaction, refuses to retire the team of someone who uses PLO Tracker,
and audits each change.  Teams "not yet registered" were found on cases (an upgrade or
an import) and are listed first until an administrator confirms, renames, merges or
retires them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.errors import ValidationError
from ui import dialogs
from ui.errors import describe
from ui.models.base import Column, RowTableModel, SortProxy
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.forms.base import RecordForm
from ui.widgets.tables import list_view

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.services.teams import TeamRecord

STATUS_TEXT = {
    "current": "Current",
    "not yet registered": "Not yet registered (found on cases)",
    "retired": "Retired (kept for its cases)",
}
STATUS_ORDER = {"not yet registered": 0, "current": 1, "retired": 2}
WAITING = QColor("#b36200")


def _status_colour(team: TeamRecord) -> QColor | None:
    return WAITING if team.status == "not yet registered" else None


class TeamsModel(RowTableModel):
    NAME, STATUS, CASES, PEOPLE = range(4)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Team", lambda t: t.name),
        Column(
            "Status",
            lambda t: STATUS_TEXT[t.status],
            sort=lambda t: (STATUS_ORDER[t.status], t.name.casefold()),
            colour=_status_colour,
        ),
        Column("Cases", lambda t: str(t.cases), sort=lambda t: t.cases, numeric=True),
        Column(
            "People",
            lambda t: str(t.members),
            sort=lambda t: t.members,
            numeric=True,
            header_tip="People in the team who use PLO Tracker",
        ),
    )

    def tie_key(self, row: Any) -> Any:
        return row.name


class TeamsProxy(SortProxy):
    waiting_only = False

    def accepts(self, row: Any) -> bool:
        return not self.waiting_only or not row.registered


class TeamNameForm(RecordForm):
    """A new team, or a new name for one (carried to its cases and people)."""

    def __init__(self, ctx: AppContext, team: TeamRecord | None, parent: QWidget | None) -> None:
        super().__init__(f"Rename {team.name}" if team else "Add a team", parent)
        self.ctx = ctx
        self.original = team
        self.name = self.add_row(
            "Team &name:", QLineEdit(team.name if team else ""), "Team name", "name"
        )
        self.name.setPlaceholderText("as the council writes it, for example Case Management 3")
        if team is not None and team.cases:
            note = QLabel(
                f"The {team.cases} case(s) and the people of this team will carry the new name."
            )
            note.setWordWrap(True)
            self.form.addRow(note)
        self.ready()

    def build(self) -> str:
        return self.name.text().strip()

    def check(self, record: str) -> ValidationError | None:
        if not record:
            return ValidationError("Team name: must not be empty.", field="name")
        if self.original is not None and record == self.original.name:
            return ValidationError("Team name: type the new name.", field="name")
        return None

    def store(self, record: str, confirm: bool = False) -> Any:
        if self.original is None:
            return self.ctx.teams.add(record)
        return self.ctx.teams.rename(self.original.name, record, self.original.version)


class MergeTeamForm(RecordForm):
    """Two names of one team: everything of this one moves to the team chosen."""

    def __init__(
        self, ctx: AppContext, team: TeamRecord, others: list[str], parent: QWidget | None
    ) -> None:
        super().__init__(f"Merge {team.name} into another team", parent)
        self.ctx = ctx
        self.original = team
        note = QLabel(
            f"Use this when '{team.name}' is another name (or spelling) of a team already "
            f"listed: its {team.cases} case(s) and its people move to the team you choose, "
            f"and '{team.name}' is removed (the audit trail keeps it)."
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        into = QComboBox()
        into.addItem("Choose the team…", None)
        for name in others:
            into.addItem(name, name)
        self.into = self.add_row("&Into:", into, "Merge into", "into")
        self.ready()

    def build(self) -> str | None:
        return self.into.currentData()

    def check(self, record: str | None) -> ValidationError | None:
        if record is None:
            return ValidationError("Into: choose the team to merge into.", field="into")
        return None

    def store(self, record: str | None, confirm: bool = False) -> Any:
        assert record is not None
        return self.ctx.teams.merge(self.original.name, record)


class TeamsPanel(QWidget):
    """The list of teams with what an administrator does to them."""

    said = Signal(str)  # what happened (or why not), for the dialog's status line
    changed = Signal()  # teams changed: the people's teams may have too

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form: RecordForm | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The council's teams. Cases and people belong to one. Renaming a team renames "
            "it on its cases and people; a retired team keeps its cases but is offered for "
            "no new case."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.waiting_only = QCheckBox("Show only teams &not yet registered")
        layout.addWidget(self.waiting_only)
        self.model = TeamsModel(parent=self)
        self.proxy = TeamsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Teams", self.proxy, tab_leaves=True)
        self.table.sortByColumn(TeamsModel.STATUS, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("A&dd a team…")
        self.rename_button = QPushButton("R&ename…")
        self.merge_button = QPushButton("&Merge into…")
        self.confirm_button = QPushButton("Con&firm")
        self.retire_button = QPushButton("&Retire")
        for button in (
            self.add_button,
            self.rename_button,
            self.merge_button,
            self.confirm_button,
            self.retire_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_team)
        self.rename_button.clicked.connect(self.rename_team)
        self.merge_button.clicked.connect(self.merge_team)
        self.confirm_button.clicked.connect(self.confirm_team)
        self.retire_button.clicked.connect(self.retire_team)
        self.waiting_only.toggled.connect(lambda on: self.proxy.set_filter(waiting_only=on))
        self.table.activated.connect(lambda _index: self.rename_team())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.reload()

    # -- data ------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        try:
            teams = self.ctx.teams.list()
        except Exception as error:
            self.said.emit(describe(error, "teams"))
            return
        current = select or (self.selected().name if self.selected() else None)
        self.model.set_rows(teams)
        fit_to_contents(self.table)
        if current is not None:
            self.select(current)
        self._selection_changed()

    def waiting(self) -> int:
        return sum(1 for t in self.model.rows() if not t.registered)

    def selected(self) -> TeamRecord | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(indexes[0].row()) if indexes else None

    def select(self, name: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).name == name:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self, *_args: object) -> None:
        team = self.selected()
        for button in (self.rename_button, self.merge_button, self.retire_button):
            button.setEnabled(team is not None)
            button.setToolTip("" if team else "Select a team first.")
        self.merge_button.setEnabled(team is not None and len(self.model.rows()) > 1)
        waiting = team is not None and not team.registered
        self.confirm_button.setEnabled(waiting)
        self.confirm_button.setToolTip(
            "" if waiting else "Only a team not yet registered needs confirming."
        )
        retired = team is not None and not team.active
        self.retire_button.setText("Re&instate" if retired else "&Retire")

    # -- actions ---------------------------------------------------------------------------
    def add_team(self) -> TeamNameForm:
        return self._open(TeamNameForm(self.ctx, None, self))

    def rename_team(self) -> TeamNameForm | None:
        team = self.selected()
        return self._open(TeamNameForm(self.ctx, team, self)) if team else None

    def merge_team(self) -> MergeTeamForm | None:
        team = self.selected()
        if team is None:
            return None
        others = [t.name for t in self.model.rows() if t.name != team.name and t.active]
        return self._open(MergeTeamForm(self.ctx, team, others, self))

    def _open(self, form: Any) -> Any:
        self.form = form
        form.saved.connect(self._saved)
        form.finished.connect(self._form_closed)
        form.open()
        return form

    def _form_closed(self, _code: int) -> None:
        if self.form is not None:
            self.form.deleteLater()
        self.form = None

    def _saved(self, team: TeamRecord) -> None:
        form = self.form
        self.reload(select=team.name)
        if isinstance(form, MergeTeamForm):
            text = f"Merged {form.original.name} into {team.name}."
        elif isinstance(form, TeamNameForm) and form.original is not None:
            text = f"Renamed {form.original.name} to {team.name}, on its cases and people too."
        else:
            text = f"Added the team {team.name}."
        self.said.emit(text)
        self.changed.emit()

    def confirm_team(self) -> TeamRecord | None:
        team = self.selected()
        if team is None or team.registered:
            return None
        return self._act(
            lambda: self.ctx.teams.confirm(team.name, team.version),
            lambda done: f"Confirmed the team {done.name}.",
        )

    def retire_team(self) -> TeamRecord | None:
        team = self.selected()
        if team is None:
            return None
        if not team.active:
            return self._act(
                lambda: self.ctx.teams.reinstate(team.name, team.version),
                lambda done: f"The team {done.name} is offered again.",
            )
        if not dialogs.confirm(
            self,
            "Teams",
            f"Retire {team.name}? Its {team.cases} case(s) keep it, but it will be offered "
            "for no new case or person. You can reinstate it later.",
            "Retire",
        ):
            return None
        return self._act(
            lambda: self.ctx.teams.retire(team.name, team.version),
            lambda done: f"Retired {done.name}: {done.cases} case(s) keep it.",
        )

    def _act(self, action: Any, said: Any) -> TeamRecord | None:
        try:
            done = action()
        except Exception as error:
            self.said.emit(describe(error, "teams"))
            self.reload()
            return None
        self.reload(select=done.name)
        self.said.emit(said(done))
        self.changed.emit()
        return done
