"""case list rows name their flags

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

The case list says what is late ("2 overdue: letter, review"), so its kept rows
(``case_status``) hold the rules of the case's overdue and due-soon flags.  The rows
are a cache: they are emptied here and worked out again on the next start.

Plain ALTER TABLE only (never a batch rebuild that could touch ``cases``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM case_status")
    op.add_column(
        "case_status",
        sa.Column("overdue_rules", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "case_status",
        sa.Column("due_soon_rules", sa.Text(), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE case_status DROP COLUMN due_soon_rules")
    op.execute("ALTER TABLE case_status DROP COLUMN overdue_rules")
