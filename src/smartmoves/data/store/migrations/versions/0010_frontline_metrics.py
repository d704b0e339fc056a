"""Frontline metrics: the weekly values people enter for their workgroups, the targets
of each pilot's metrics, and the day each pilot started running.

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pilots") as batch:
        batch.add_column(sa.Column("started_on", sa.Date(), nullable=True))
    op.create_table(
        "metric_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "pilot_id", sa.Integer(), sa.ForeignKey("pilots.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("metric_id", sa.String(200), nullable=False),
        sa.Column("scope", sa.String(20), nullable=False),
        sa.Column("scope_id", sa.String(200), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("entered_by", sa.String(320), nullable=False),
        sa.Column(
            "entered_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_metric_entries_pilot_id", "metric_entries", ["pilot_id"])
    op.create_index(
        "ix_metric_entries_key", "metric_entries", ["metric_id", "scope", "scope_id", "week"]
    )
    op.create_table(
        "metric_targets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "pilot_id", sa.Integer(), sa.ForeignKey("pilots.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("metric_id", sa.String(200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("by_date", sa.Date(), nullable=False),
        sa.Column("set_by", sa.String(320), nullable=False),
        sa.Column(
            "set_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index("ix_metric_targets_pilot_id", "metric_targets", ["pilot_id"])


def downgrade() -> None:
    op.drop_index("ix_metric_targets_pilot_id", table_name="metric_targets")
    op.drop_table("metric_targets")
    op.drop_index("ix_metric_entries_key", table_name="metric_entries")
    op.drop_index("ix_metric_entries_pilot_id", table_name="metric_entries")
    op.drop_table("metric_entries")
    with op.batch_alter_table("pilots") as batch:
        batch.drop_column("started_on")
