"""Background jobs: kind, subject, status, progress and outcome of work run outside the
request (one job per kind and subject at a time).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("active_key", sa.String(length=260), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("params", _json(), nullable=False),
        sa.Column("stage", sa.Text(), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("problems", _json(), nullable=True),
        sa.Column("result", _json(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("account_email", sa.String(length=320), nullable=False),
        sa.Column("account_role", sa.String(length=20), nullable=False),
        sa.Column("account_person", sa.String(length=200), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.UniqueConstraint("active_key", name=op.f("uq_jobs_active_key")),
    )
    op.create_index(op.f("ix_jobs_subject"), "jobs", ["kind", "subject"])


def downgrade() -> None:
    op.drop_index(op.f("ix_jobs_subject"), table_name="jobs")
    op.drop_table("jobs")
