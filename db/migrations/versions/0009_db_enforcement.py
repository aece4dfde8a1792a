"""the case list's kept rows belong to the login that worked them out

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05

``case_status`` is a cache of what the core works out for each case (stage, RAG, flags).
On PostgreSQL any login could write it, so one login could make every drifting case show
green for everyone (issue 22).  Now each row carries the login that worked it out
(``computed_by``; '' on a SQLite file, which has one user) and the app reads only its own
login's rows; on PostgreSQL a login writes them only through the SECURITY DEFINER function
``plo_keep_case_status`` that ``db-setup`` makes (db/enforcement.py), which signs each
row with the caller's login.  So a login can mislead only itself.

``audit_statements`` (PostgreSQL's triggers fill it): each statement changing case data in
a transaction the app marks as audited by itself, with its login, so a login that sets the
mark by hand is still on record (db/enforcement.py).

``case_status`` is a cache: it is dropped and made again (empty) rather than altered, which is
also safe on SQLite (no batch rebuild of any other table; see 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _case_status(*, per_login: bool) -> None:
    keys = ["case_id", "computed_by"] if per_login else ["case_id"]
    op.create_table(
        "case_status",
        sa.Column("case_id", sa.Integer(), nullable=False),
        *(
            [sa.Column("computed_by", sa.String(length=128), nullable=False, server_default="")]
            if per_login
            else []
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("policy_stamp", sa.String(length=64), nullable=False),
        sa.Column("computed_for", sa.Date(), nullable=False),
        sa.Column("children", sa.Text(), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("weeks", sa.Integer(), nullable=True),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("rag", sa.String(length=10), nullable=False),
        sa.Column("overdue", sa.Integer(), nullable=False),
        sa.Column("due_soon", sa.Integer(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("overdue_rules", sa.Text(), server_default="", nullable=False),
        sa.Column("due_soon_rules", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_status_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(*keys, name=op.f("pk_case_status")),
    )


def upgrade() -> None:
    op.drop_table("case_status")
    _case_status(per_login=True)
    op.create_table(
        "audit_statements",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_statements")),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS plo_keep_case_status(jsonb)")
        for table in (
            "cases",
            "children",
            "parties",
            "events",
            "assessments",
            "plan_actions",
            "bookings",
            "concerns",
            "strengths",
            "keep_apart",
            "letters",
            "letter_preferences",
            "flag_reviews",
        ):
            op.execute(f'DROP TRIGGER IF EXISTS plo_audit_app_statements ON "{table}"')
        op.execute("DROP FUNCTION IF EXISTS plo_audit_app_statement()")
    op.drop_table("audit_statements")
    op.drop_table("case_status")
    _case_status(per_login=False)
