"""Users and teams (administrators): who may use this database, with which role; teams.

File → Users… has two tabs.  People: add, change, switch off, and confirm the people
"not yet registered" (named on cases found by an upgrade or an import: they get their
real login and may then use the app) or merge them into someone already listed.  Teams:
``ui/widgets/teams.py``.

Everything goes through ``UserService`` and ``TeamService`` (which check the
administrator's permission, keep at least one active administrator, carry a new name to
the cases, and audit each change).  On PostgreSQL each person also needs a database
login; what the window's own login cannot do is shown as the statements for the
database administrator to run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.errors import ValidationError
from plo_tracker.permissions import ROLE_LABELS, Role
from ui import dialogs
from ui.errors import describe
from ui.models.base import Column, RowTableModel, SortProxy
from ui.widgets.column_widths import fit_to_contents
from ui.widgets.forms.base import RecordForm
from ui.widgets.tables import list_view
from ui.widgets.teams import WAITING, TeamsPanel

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.services.users import UserRecord

ROLE_ORDER = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.LEGAL_LIAISON, Role.ADMINISTRATOR)
NO_TEAM = "(no team)"


def _can_use(user: UserRecord) -> str:
    if not user.registered:
        return "Not yet registered (found on cases)"
    return "Yes" if user.active else "No (switched off)"


def _state_order(user: UserRecord) -> tuple[int, str]:
    return (0 if not user.registered else 1 if user.active else 2, user.display_name.casefold())


class UsersModel(RowTableModel):
    NAME, USERNAME, ROLE, TEAM, ACTIVE = range(5)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda u: u.display_name),
        Column("User name (login)", lambda u: u.username if u.registered else "(none yet)"),
        Column("Role", lambda u: ROLE_LABELS[u.role].capitalize()),
        Column("Team", lambda u: u.team or ""),
        Column(
            "Can use PLO Tracker",
            _can_use,
            sort=_state_order,
            colour=lambda u: None if u.registered else WAITING,
        ),
    )

    def find(self, username: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.username == username:
                return number
        return None

    def tie_key(self, row: Any) -> Any:
        return row.username


class UsersProxy(SortProxy):
    waiting_only = False

    def accepts(self, row: Any) -> bool:
        return not self.waiting_only or not row.registered


def team_box(teams: list[str], current: str | None) -> QComboBox:
    """A list of the current teams (and the person's own, if it is no longer offered)."""
    box = QComboBox()
    box.addItem(NO_TEAM, None)
    for name in teams:
        box.addItem(name, name)
    if current and current not in teams:
        box.addItem(f"{current} (retired)", current)
    box.setCurrentIndex(max(0, box.findData(current)) if current else 0)
    return box


class UserForm(RecordForm):
    """Add a user, or change one's name, role and team."""

    def __init__(
        self, ctx: AppContext, user: UserRecord | None, teams: list[str], parent: QWidget | None
    ) -> None:
        super().__init__(f"Change {user.display_name}" if user else "Add a user", parent)
        self.ctx = ctx
        self.original = user
        username = QLineEdit(user.username if user else "")
        username.setReadOnly(user is not None)
        username.setPlaceholderText("their login, for example megan.hughes")
        self.username = self.add_row("&User name (login):", username, "User name", "username")
        self.name = self.add_row(
            "&Name:", QLineEdit(user.display_name if user else ""), "Name", "name"
        )
        role = QComboBox()
        for value in ROLE_ORDER:
            role.addItem(ROLE_LABELS[value].capitalize(), value)
        role.setCurrentIndex(max(0, role.findData(user.role if user else Role.SOCIAL_WORKER)))
        self.role = self.add_row("&Role:", role, "Role", "role")
        self.team = self.add_row(
            "&Team:", team_box(teams, user.team if user else None), "Team", "team"
        )
        if not teams:
            self.team.setToolTip("No teams yet: add them in the Teams tab.")
        self.ready()

    def build(self) -> dict[str, Any]:
        return {
            "username": self.username.text().strip(),
            "display_name": self.name.text().strip(),
            "role": self.role.currentData(),
            "team": self.team.currentData(),
        }

    def check(self, record: dict[str, Any]) -> ValidationError | None:
        from plo_tracker.services.users import check_username

        if self.original is None:
            if not record["username"]:
                return ValidationError("User name: must not be empty.", field="username")
            try:
                check_username(record["username"])
            except ValidationError as error:
                return ValidationError(str(error), field="username")
        if not record["display_name"]:
            return ValidationError("Name: must not be empty.", field="name")
        return None

    def store(self, record: dict[str, Any], confirm: bool = False) -> Any:
        users = self.ctx.users
        if self.original is None:
            return users.add(
                record["username"], record["display_name"], record["role"], record["team"]
            )
        return users.update(
            self.original.username,
            self.original.version,
            role=record["role"],
            display_name=record["display_name"],
            team=record["team"] or "",
        )


class ConfirmPersonForm(RecordForm):
    """A person not yet registered gets their login (and may then use PLO Tracker)."""

    def __init__(
        self, ctx: AppContext, user: UserRecord, teams: list[str], parent: QWidget | None
    ) -> None:
        super().__init__(f"Confirm {user.display_name}", parent)
        self.ctx = ctx
        self.original = user
        note = QLabel(
            f"{user.display_name} is named on cases but has no login yet. Give their login "
            "(their database login on a shared database); check their name, role and team. "
            "Their cases follow a corrected name."
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        username = QLineEdit()
        username.setPlaceholderText("their login, for example megan.hughes")
        self.username = self.add_row("&User name (login):", username, "User name", "username")
        self.name = self.add_row("&Name:", QLineEdit(user.display_name), "Name", "name")
        role = QComboBox()
        for value in ROLE_ORDER:
            role.addItem(ROLE_LABELS[value].capitalize(), value)
        role.setCurrentIndex(max(0, role.findData(user.role)))
        self.role = self.add_row("&Role:", role, "Role", "role")
        self.team = self.add_row("&Team:", team_box(teams, user.team), "Team", "team")
        self.ready()

    def build(self) -> dict[str, Any]:
        return {
            "username": self.username.text().strip(),
            "display_name": self.name.text().strip(),
            "role": self.role.currentData(),
            "team": self.team.currentData(),
        }

    def check(self, record: dict[str, Any]) -> ValidationError | None:
        from plo_tracker.services.users import check_username

        if not record["username"]:
            return ValidationError("User name: give their login.", field="username")
        try:
            check_username(record["username"])
        except ValidationError as error:
            return ValidationError(str(error), field="username")
        if not record["display_name"]:
            return ValidationError("Name: must not be empty.", field="name")
        return None

    def store(self, record: dict[str, Any], confirm: bool = False) -> Any:
        return self.ctx.users.confirm(
            self.original.username,
            record["username"],
            role=record["role"],
            team=record["team"] or "",
            display_name=record["display_name"],
        )


class MergePersonForm(RecordForm):
    """A person not yet registered is someone already listed (another spelling)."""

    def __init__(
        self, ctx: AppContext, user: UserRecord, others: list[UserRecord], parent: QWidget | None
    ) -> None:
        super().__init__(f"Merge {user.display_name} into someone listed", parent)
        self.ctx = ctx
        self.original = user
        note = QLabel(
            f"Use this when '{user.display_name}' is another name (or spelling) of someone "
            "already listed: the cases naming them will name that person, and this record "
            "is removed (the audit trail keeps it)."
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        into = QComboBox()
        into.addItem("Choose the person…", None)
        for other in sorted(others, key=lambda u: u.display_name.casefold()):
            shown = other.username if other.registered else "not yet registered"
            into.addItem(f"{other.display_name} ({shown})", other.username)
        self.into = self.add_row("&Into:", into, "Merge into", "into")
        self.ready()

    def build(self) -> str | None:
        return self.into.currentData()

    def check(self, record: str | None) -> ValidationError | None:
        if record is None:
            return ValidationError("Into: choose the person to merge into.", field="into")
        return None

    def store(self, record: str | None, confirm: bool = False) -> Any:
        assert record is not None
        return self.ctx.users.merge(self.original.username, record)


class UsersDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form: RecordForm | None = None
        self.setWindowTitle("PLO Tracker – users and teams")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAccessibleName("Users and teams")
        layout = QVBoxLayout(self)
        self.waiting_note = QLabel()
        self.waiting_note.setWordWrap(True)
        self.waiting_note.setAccessibleName("Not yet registered")
        self.waiting_note.setStyleSheet(f"color: {WAITING.name()}; font-weight: 600;")
        layout.addWidget(self.waiting_note)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("People and teams")
        layout.addWidget(self.tabs, 1)
        people = QWidget()
        people_layout = QVBoxLayout(people)
        intro = QLabel(
            "The people who may use this database, and what their role lets them do. "
            "Switching someone off keeps their name on everything they recorded."
        )
        intro.setWordWrap(True)
        people_layout.addWidget(intro)
        self.waiting_only = QCheckBox("Show only people &not yet registered")
        people_layout.addWidget(self.waiting_only)
        self.model = UsersModel(parent=self)
        self.proxy = UsersProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Users", self.proxy, tab_leaves=True)
        # Those not yet registered first, then who may use the app, then who may not.
        self.table.sortByColumn(UsersModel.ACTIVE, Qt.SortOrder.AscendingOrder)
        people_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add a user…")
        self.change_button = QPushButton("&Change…")
        self.switch_button = QPushButton("Switch &off")
        self.confirm_button = QPushButton("Con&firm…")
        self.merge_button = QPushButton("&Merge into…")
        for button in (
            self.add_button,
            self.change_button,
            self.switch_button,
            self.confirm_button,
            self.merge_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        people_layout.addLayout(buttons)
        self.tabs.addTab(people, "&People")
        self.teams = TeamsPanel(ctx, self)
        self.tabs.addTab(self.teams, "&Teams")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setAccessibleName("Result of the last action")
        layout.addWidget(self.status)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.add_user)
        self.change_button.clicked.connect(self.change_user)
        self.switch_button.clicked.connect(self.switch_user)
        self.confirm_button.clicked.connect(self.confirm_person)
        self.merge_button.clicked.connect(self.merge_person)
        self.waiting_only.toggled.connect(lambda on: self.proxy.set_filter(waiting_only=on))
        self.table.activated.connect(lambda _index: self._open_selected())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.teams.said.connect(self.status.setText)
        self.teams.changed.connect(self.reload)
        line = self.fontMetrics().height()
        self.resize(line * 60, line * 30)
        self.reload()

    # -- data ------------------------------------------------------------------------------
    def data_changed(self) -> None:
        """Something was saved elsewhere in the window (an import naming new people, say)."""
        self.teams.reload()
        self.reload()

    def reload(self, select: str | None = None) -> None:
        try:
            users = self.ctx.users.list()
        except Exception as error:
            self.status.setText(describe(error, "users"))
            return
        current = select or (self.selected().username if self.selected() else None)
        self.model.set_rows(users)
        fit_to_contents(self.table)
        if current is not None:
            self.select(current)
        self._selection_changed()
        self._note_waiting()

    def _note_waiting(self) -> None:
        people = sum(1 for u in self.model.rows() if not u.registered)
        teams = self.teams.waiting()
        parts = []
        if people:
            parts.append(f"{people} {'person' if people == 1 else 'people'}")
        if teams:
            parts.append(f"{teams} {'team' if teams == 1 else 'teams'}")
        self.waiting_note.setVisible(bool(parts))
        self.waiting_note.setText(
            " and ".join(parts) + " not yet registered: found named on cases, they wait for "
            "you to confirm them (or to merge them into the right record)."
            if parts
            else ""
        )

    def selected(self) -> UserRecord | None:
        indexes = self.table.selectionModel().selectedRows()
        return self.proxy.row_at(indexes[0].row()) if indexes else None

    def select(self, username: str) -> bool:
        for row in range(self.proxy.rowCount()):
            if self.proxy.row_at(row).username == username:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self, *_args: object) -> None:
        user = self.selected()
        waiting = user is not None and not user.registered
        self.change_button.setEnabled(user is not None and not waiting)
        self.switch_button.setEnabled(
            user is not None and not waiting and user.username != self.ctx.actor.username
        )
        if user is None:
            why = "Select a user first."
        elif waiting:
            why = "Not yet registered: confirm them first."
        elif user.username == self.ctx.actor.username:
            why = "You cannot switch yourself off."
        else:
            why = ""
        self.switch_button.setToolTip(why)
        self.change_button.setToolTip("" if user and not waiting else why)
        self.switch_button.setText("Switch &on" if user and not user.active else "Switch &off")
        self.confirm_button.setEnabled(waiting)
        self.merge_button.setEnabled(waiting)
        only_waiting = "" if waiting else "Only for someone not yet registered."
        self.confirm_button.setToolTip(only_waiting)
        self.merge_button.setToolTip(only_waiting)

    # -- actions ---------------------------------------------------------------------------
    def _teams(self) -> list[str]:
        """The teams a person may be given (not retired)."""
        return [t.name for t in self.teams.model.rows() if t.active]

    def add_user(self) -> UserForm:
        return self._open(UserForm(self.ctx, None, self._teams(), self))

    def change_user(self) -> UserForm | None:
        user = self.selected()
        if user is None or not user.registered:
            return None
        return self._open(UserForm(self.ctx, user, self._teams(), self))

    def confirm_person(self) -> ConfirmPersonForm | None:
        user = self.selected()
        if user is None or user.registered:
            return None
        return self._open(ConfirmPersonForm(self.ctx, user, self._teams(), self))

    def merge_person(self) -> MergePersonForm | None:
        user = self.selected()
        if user is None or user.registered:
            return None
        others = [u for u in self.model.rows() if u.username != user.username]
        return self._open(MergePersonForm(self.ctx, user, others, self))

    def _open_selected(self) -> RecordForm | None:
        user = self.selected()
        if user is not None and not user.registered:
            return self.confirm_person()
        return self.change_user()

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

    def _saved(self, user: UserRecord) -> None:
        form = self.form
        self.reload(select=user.username)
        self.teams.reload()  # the teams' counts of people
        if isinstance(form, MergePersonForm):
            self.status.setText(
                f"Merged {form.original.display_name} into {user.display_name}: their cases "
                "name this person now."
            )
            return
        if isinstance(form, ConfirmPersonForm):
            self.status.setText(
                f"Confirmed {user.display_name}: user name {user.username}, "
                f"{ROLE_LABELS[user.role]}. They can now use PLO Tracker."
            )
        else:
            self.status.setText(f"Saved {user.display_name} ({ROLE_LABELS[user.role]}).")
        self._sync_login(user)

    def switch_user(self) -> UserRecord | None:
        user = self.selected()
        if user is None or user.username == self.ctx.actor.username:
            return None
        on = not user.active
        verb = "switch on" if on else "switch off"
        if not dialogs.confirm(
            self,
            "Users",
            f"{verb.capitalize()} {user.display_name}? "
            + (
                "They will be able to use PLO Tracker again."
                if on
                else "They will no longer be able to open this database; what they "
                "recorded keeps their name."
            ),
            verb.capitalize(),
        ):
            return None
        try:
            changed = self.ctx.users.update(user.username, user.version, active=on)
        except Exception as error:
            self.status.setText(describe(error, "users"))
            self.reload()
            return None
        self.reload(select=changed.username)
        self.status.setText(f"{changed.display_name} is {'switched on' if on else 'switched off'}.")
        self._sync_login(changed)
        return changed

    def _sync_login(self, user: UserRecord) -> None:
        """PostgreSQL: give (or take) the person's database login the role's rights."""
        try:
            statements = self.ctx.users.sync_login(user.username)
        except Exception as error:
            self.status.setText(f"{self.status.text()} {describe(error, 'users')}")
            return
        if statements:
            self.status.setText(
                f"{self.status.text()} Their database login needs setting up by your "
                "database administrator, who should run:\n" + ";\n".join(statements) + ";"
            )
