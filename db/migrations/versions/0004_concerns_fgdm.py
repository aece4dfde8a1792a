"""concerns and the family group decision-making duty (exchange format version 2)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

The ``concerns`` table (what the council is worried about, and whom it is about) and
``events.response`` (a person's answer to the offer of a family group decision-making
meeting, for ``fgdm_response`` events).

Plain ALTER TABLE for the new column, never a batch rebuild of ``events`` (see 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("about", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_concerns_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
    )
    op.create_index(op.f("ix_concerns_case_id"), "concerns", ["case_id"], unique=False)
    op.execute("ALTER TABLE events ADD COLUMN response VARCHAR(40)")


def downgrade() -> None:
    op.execute("ALTER TABLE events DROP COLUMN response")
    op.drop_index(op.f("ix_concerns_case_id"), table_name="concerns")
    op.drop_table("concerns")
