"""Unit assessments (the judgement inputs of where to start, kept with their history)
and the workspace's entry-point weights.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ID = sa.String(length=200)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "unit_assessments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("leader_support", sa.Float(), nullable=True),
        sa.Column("supervisor_motivation", sa.Float(), nullable=True),
        sa.Column("champion_influence", sa.String(length=10), nullable=True),
        sa.Column("opportunity_size", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("assessed_by", sa.Text(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("attributes", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_assessments")),
    )
    op.create_index("ix_unit_assessments_unit", "unit_assessments", ["unit_id", "assessed_at"])
    op.create_table(
        "entry_weights",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("weights", _json(), nullable=False),
        sa.Column("updated_by", sa.Text(), nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_weights")),
    )


def downgrade() -> None:
    op.drop_table("entry_weights")
    op.drop_index("ix_unit_assessments_unit", table_name="unit_assessments")
    op.drop_table("unit_assessments")
