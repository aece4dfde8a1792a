"""case status cache

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

``cases.revision``, bumped by every write to a case or anything in it, and the
``case_status`` table: the case list's row for each case, kept between starts and used
only while its revision matches (see db.models.CaseStatus).

The column is added and dropped with plain ALTER TABLE, never a batch rebuild: on
SQLite a rebuild drops and re-creates ``cases``, and with foreign keys on, dropping it
would cascade-delete every child, party and event.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_status",
        sa.Column("case_id", sa.Integer(), nullable=False),
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
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_status_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_status")),
    )
    op.execute("ALTER TABLE cases ADD COLUMN revision INTEGER DEFAULT 0 NOT NULL")


def downgrade() -> None:
    op.execute("ALTER TABLE cases DROP COLUMN revision")
    op.drop_table("case_status")
