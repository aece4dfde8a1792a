"""heading for PLO: child protection plans from the council's CIN return, and watch reviews

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

Three new tables, nothing else changes: ``cp_plan_imports`` (who imported which return,
its reference date and counts), ``cp_plans`` (each child's CP plans from the latest import:
LA child id, date of birth, start, end, NumberOfPreviousCPP; the return holds no names) and
``watch_reviews`` (a manager's review of a watch-list item, with the rationale).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cp_plan_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("file_datetime", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lea", sa.String(length=40), nullable=True),
        sa.Column("imported_by", sa.String(length=128), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("children", sa.Integer(), nullable=False),
        sa.Column("children_with_plans", sa.Integer(), nullable=False),
        sa.Column("plans", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cp_plan_imports")),
    )
    op.create_table(
        "cp_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("la_child_id", sa.String(length=64), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("previous_plans", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["cp_plan_imports.id"],
            name=op.f("fk_cp_plans_import_id_cp_plan_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cp_plans")),
    )
    op.create_index(op.f("ix_cp_plans_import_id"), "cp_plans", ["import_id"], unique=False)
    op.create_index(op.f("ix_cp_plans_la_child_id"), "cp_plans", ["la_child_id"], unique=False)
    op.create_table(
        "watch_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("la_child_id", sa.String(length=64), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=128), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch_reviews")),
    )
    op.create_index(
        op.f("ix_watch_reviews_la_child_id"), "watch_reviews", ["la_child_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_watch_reviews_la_child_id"), table_name="watch_reviews")
    op.drop_table("watch_reviews")
    op.drop_index(op.f("ix_cp_plans_la_child_id"), table_name="cp_plans")
    op.drop_index(op.f("ix_cp_plans_import_id"), table_name="cp_plans")
    op.drop_table("cp_plans")
    op.drop_table("cp_plan_imports")
