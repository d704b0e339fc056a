"""Capacity decisions: ``use_model`` (automate by the exposure model's beta rather than
the activity's own automation potential).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("capacity_decisions") as batch:
        batch.add_column(
            sa.Column("use_model", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("capacity_decisions") as batch:
        batch.drop_column("use_model")
