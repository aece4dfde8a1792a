"""Users (administrators): who may use this database, with which role; add, change, switch off.

Everything goes through ``UserService`` (which checks the administrator's permission,
keeps at least one active administrator, and audits each change).  On PostgreSQL
each person also needs a database login; what the window's own login cannot do is
shown as the statements for the database administrator to run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from plo_tracker.errors import ValidationError
from plo_tracker.permissions import ROLE_LABELS, Role
from ui import dialogs
from ui.errors import describe
from ui.models.base import Column, RowTableModel, SortProxy
from ui.widgets.forms.base import RecordForm
from ui.widgets.tables import list_view

if TYPE_CHECKING:
    from plo_tracker.app import AppContext
    from plo_tracker.services.users import UserRecord

ROLE_ORDER = (Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.LEGAL_LIAISON, Role.ADMINISTRATOR)


class UsersModel(RowTableModel):
    NAME, USERNAME, ROLE, TEAM, ACTIVE = range(5)
    COLUMNS: ClassVar[tuple[Column, ...]] = (
        Column("Name", lambda u: u.display_name),
        Column("User name (login)", lambda u: u.username),
        Column("Role", lambda u: ROLE_LABELS[u.role].capitalize()),
        Column("Team", lambda u: u.team or ""),
        Column(
            "Can use PLO Tracker",
            lambda u: "Yes" if u.active else "No (switched off)",
            sort=lambda u: (not u.active, u.display_name),
        ),
    )

    def find(self, username: str) -> int | None:
        for number, row in enumerate(self._rows):
            if row.username == username:
                return number
        return None


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
        team = QComboBox()
        team.setEditable(True)
        team.addItems(teams)
        team.setCurrentText(user.team or "" if user else "")
        self.team = self.add_row("&Team:", team, "Team", "team")
        self.ready()

    def build(self) -> dict[str, Any]:
        return {
            "username": self.username.text().strip(),
            "display_name": self.name.text().strip(),
            "role": self.role.currentData(),
            "team": self.team.currentText().strip() or None,
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


class UsersDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.form: UserForm | None = None
        self.setWindowTitle("PLO Tracker – users")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAccessibleName("Users")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "The people who may use this database, and what their role lets them do. "
            "Switching someone off keeps their name on everything they recorded."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = UsersModel(parent=self)
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = list_view("Users", self.proxy, tab_leaves=True)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("&Add a user…")
        self.change_button = QPushButton("&Change…")
        self.switch_button = QPushButton("Switch &off")
        for button in (self.add_button, self.change_button, self.switch_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
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
        self.table.activated.connect(lambda _index: self.change_user())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        line = self.fontMetrics().height()
        self.resize(line * 55, line * 28)
        self.reload()

    # -- data ------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        try:
            users = self.ctx.users.list()
        except Exception as error:
            self.status.setText(describe(error, "users"))
            return
        current = select or (self.selected().username if self.selected() else None)
        self.model.set_rows(users)
        self.table.resizeColumnsToContents()
        if current is not None:
            self.select(current)
        self._selection_changed()

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
        self.change_button.setEnabled(user is not None)
        self.switch_button.setEnabled(user is not None and user.username != self.ctx.actor.username)
        if user is None:
            why = "Select a user first."
        elif user.username == self.ctx.actor.username:
            why = "You cannot switch yourself off."
        else:
            why = ""
        self.switch_button.setToolTip(why)
        self.change_button.setToolTip("" if user else why)
        self.switch_button.setText("Switch &on" if user and not user.active else "Switch &off")

    # -- actions ---------------------------------------------------------------------------
    def _teams(self) -> list[str]:
        teams = {u.team for u in self.model.rows() if u.team}
        try:
            teams |= set(self.ctx.cases.teams())
        except Exception as error:  # the list of teams is a convenience only
            self.status.setText(describe(error, "users"))
        return sorted(teams)

    def add_user(self) -> UserForm:
        return self._open(UserForm(self.ctx, None, self._teams(), self))

    def change_user(self) -> UserForm | None:
        user = self.selected()
        if user is None:
            return None
        return self._open(UserForm(self.ctx, user, self._teams(), self))

    def _open(self, form: UserForm) -> UserForm:
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
        self.reload(select=user.username)
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
