"""Catalysts (each with its answers to the four questions) and the champion.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _now() -> sa.TextClause:
    return sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "catalysts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("answers", _json(), nullable=False),
        sa.Column("evidence", _json(), nullable=False),
        sa.Column("mainly_controls", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalysts")),
    )
    op.create_table(
        "champions",
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=40), nullable=True),
        sa.Column("conviction", sa.Boolean(), nullable=True),
        sa.Column("communicates", sa.Boolean(), nullable=True),
        sa.Column("air_cover", sa.Boolean(), nullable=True),
        sa.Column("unit_id", sa.String(length=200), nullable=True),
        sa.Column("vision", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("set_by", sa.String(length=320), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_champions")),
    )


def downgrade() -> None:
    op.drop_table("champions")
    op.drop_table("catalysts")
