"""People who asked not to be suggested to others.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestion_opt_outs",
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column(
            "at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_suggestion_opt_outs")),
    )


def downgrade() -> None:
    op.drop_table("suggestion_opt_outs")
