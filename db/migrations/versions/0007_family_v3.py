"""families as they are (exchange format version 3), and teams and staff as lists

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05

What a blended, separated or unsafe family needs (``shared/contract/case-exchange.md``
version 3): a child's id (``children.key``), each person's tie to each child
(``parties.child_links``; null keeps the version 2 meaning: every party tied to every child
with its relationship and PR), who is kept apart (``keep_apart``), what is going well
(``strengths``), whom concerns and assessments are about, who a booking is for and who came to
a meeting and whether it went ahead, and the after-issue facts (hearings, court extensions,
short notice, the final order). Every new column is null for existing rows, which keeps what
each record meant.

Teams become records (``teams``) and users can be "not yet registered": the distinct team
names found on cases and users, and the social workers, team managers and legal liaison
named on cases who match no user's name, are added marked not yet registered, for an
administrator to confirm (one audit entry lists them). Nothing is removed or renamed.

A letter keeps the date it bears (``letters.letter_date``): it cannot be recorded as sent
before it.

Plain ALTER TABLE only, never a batch rebuild (see 0003).
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

STAFF_COLUMNS = (
    ("social_worker", "social_worker"),
    ("team_manager", "team_manager"),
    ("legal_liaison", "legal_liaison"),
)


def _case_table(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        *columns,
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f(f"fk_{name}_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_case_id"), name, ["case_id"], unique=False)


def upgrade() -> None:
    op.add_column("children", sa.Column("key", sa.String(length=64), nullable=True))
    op.add_column("parties", sa.Column("child_links", sa.JSON(), nullable=True))
    for column in (
        sa.Column("attendees", sa.JSON(), nullable=True),
        sa.Column("effective", sa.Boolean(), nullable=True),
        sa.Column("short_notice", sa.Boolean(), nullable=True),
        sa.Column("short_notice_reason", sa.String(length=40), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("la_plan", sa.String(length=40), nullable=True),
        sa.Column("plan_approved", sa.Boolean(), nullable=True),
        sa.Column("order_made", sa.String(length=40), nullable=True),
    ):
        op.add_column("events", column)
    op.add_column("assessments", sa.Column("about", sa.JSON(), nullable=True))
    op.add_column("assessments", sa.Column("children", sa.JSON(), nullable=True))
    op.add_column("bookings", sa.Column("attendees", sa.JSON(), nullable=True))
    op.add_column("bookings", sa.Column("kind", sa.String(length=40), nullable=True))
    op.add_column("concerns", sa.Column("children", sa.JSON(), nullable=True))
    op.add_column("letters", sa.Column("letter_date", sa.Date(), nullable=True))
    _case_table(
        "strengths",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("about", sa.JSON(), nullable=True),
        sa.Column("children", sa.JSON(), nullable=True),
    )
    _case_table(
        "keep_apart",
        sa.Column("protect", sa.String(length=64), nullable=False),
        sa.Column("kept_from", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
    )
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("registered", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.add_column(
        "users",
        sa.Column("registered", sa.Boolean(), nullable=False, server_default=sa.true()),
    )
    _teams_and_staff_from_free_text()


def _teams_and_staff_from_free_text() -> None:
    """The distinct free-text values become teams and users marked not yet registered."""
    bind = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    names: dict[str, str] = {}  # folded -> as first written
    for (value,) in bind.execute(
        sa.text(
            "SELECT team FROM cases WHERE team IS NOT NULL UNION "
            "SELECT team FROM users WHERE team IS NOT NULL"
        )
    ):
        cleaned = " ".join(str(value).split())
        if cleaned:
            names.setdefault(cleaned.casefold(), cleaned)
    teams = sorted(names.values(), key=str.casefold)
    teams_table = sa.table(
        "teams",
        sa.column("name", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("registered", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    if teams:
        op.bulk_insert(
            teams_table,
            [
                {"name": n, "active": True, "registered": False, "created_at": now, "version": 1}
                for n in teams
            ],
        )
    known = {
        " ".join(str(name).split()).casefold()
        for (name,) in bind.execute(sa.text("SELECT display_name FROM users"))
    }
    staff: dict[str, tuple[str, str, str | None]] = {}  # folded -> (name, role, team)
    for column, role in STAFF_COLUMNS:
        for value, team in bind.execute(
            sa.text(
                f"SELECT {column}, MIN(team) FROM cases WHERE {column} IS NOT NULL "
                f"GROUP BY {column} ORDER BY {column}"
            )
        ):
            cleaned = " ".join(str(value).split())
            if cleaned and cleaned.casefold() not in known:
                staff.setdefault(cleaned.casefold(), (cleaned, role, team))
    users_table = sa.table(
        "users",
        sa.column("username", sa.String),
        sa.column("display_name", sa.String),
        sa.column("role", sa.String),
        sa.column("team", sa.String),
        sa.column("active", sa.Boolean),
        sa.column("registered", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("version", sa.Integer),
    )
    people = sorted(staff.values(), key=lambda item: item[0].casefold())
    if people:
        # A login can never match these names ('~' is not allowed in a user name): the
        # administrator confirms each person with their real login.
        op.bulk_insert(
            users_table,
            [
                {
                    "username": f"~unregistered-{number}",
                    "display_name": name,
                    "role": role,
                    "team": team,
                    "active": False,
                    "registered": False,
                    "created_at": now,
                    "version": 1,
                }
                for number, (name, role, team) in enumerate(people, start=1)
            ],
        )
    if teams or people:
        audit = sa.table(
            "audit_log",
            sa.column("at", sa.DateTime(timezone=True)),
            sa.column("username", sa.String),
            sa.column("action", sa.String),
            sa.column("entity", sa.String),
            sa.column("changes", sa.JSON),
        )
        op.bulk_insert(
            audit,
            [
                {
                    "at": now,
                    "username": "(upgrade 0007)",
                    "action": "create",
                    "entity": "teams_and_staff",
                    "changes": json.loads(
                        json.dumps(
                            {
                                "not_yet_registered_teams": teams,
                                "not_yet_registered_staff": [p[0] for p in people],
                            }
                        )
                    ),
                }
            ],
        )


def downgrade() -> None:
    op.execute("DELETE FROM users WHERE registered = false AND username LIKE '~unregistered-%'")
    op.execute("ALTER TABLE users DROP COLUMN registered")
    op.drop_table("teams")
    op.drop_index(op.f("ix_keep_apart_case_id"), table_name="keep_apart")
    op.drop_table("keep_apart")
    op.drop_index(op.f("ix_strengths_case_id"), table_name="strengths")
    op.drop_table("strengths")
    for table, column in (
        ("letters", "letter_date"),
        ("concerns", "children"),
        ("bookings", "kind"),
        ("bookings", "attendees"),
        ("assessments", "children"),
        ("assessments", "about"),
        ("events", "order_made"),
        ("events", "plan_approved"),
        ("events", "la_plan"),
        ("events", "kind"),
        ("events", "short_notice_reason"),
        ("events", "short_notice"),
        ("events", "effective"),
        ("events", "attendees"),
        ("parties", "child_links"),
        ("children", "key"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
