"""letters: drafts, and each person's letter preference (easy read)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

``letters.draft``: a letter made as a draft (not ready to send) can never be recorded as
sent.  ``letter_preferences``: per person in a case, whether they get the easy-read letter
before proceedings (the case exchange format has no field for it, so it is kept here).

Plain ALTER TABLE for the new column, never a batch rebuild (see 0003).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "letters",
        sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "letter_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.String(length=64), nullable=False),
        sa.Column("easy_read", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_letter_preferences_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_letter_preferences")),
        sa.UniqueConstraint("case_id", "party_key", name=op.f("uq_letter_preferences_case_id")),
    )
    op.create_index(
        op.f("ix_letter_preferences_case_id"), "letter_preferences", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_letter_preferences_case_id"), table_name="letter_preferences")
    op.drop_table("letter_preferences")
    op.execute("ALTER TABLE letters DROP COLUMN draft")
