"""Pilots: capacity decisions and plans, selections, workgroups, cells, coaches, charters.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _now() -> sa.TextClause:
    return sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "pilots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.String(length=200), nullable=True),
        sa.Column("opportunity", sa.Text(), nullable=True),
        sa.Column("call_text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("target_free", sa.Float(), nullable=False),
        sa.Column("min_pilot", sa.Integer(), nullable=False),
        sa.Column("max_pilot", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pilots")),
    )
    op.create_table(
        "capacity_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.String(length=200), nullable=False),
        sa.Column("unit_id", sa.String(length=200), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_capacity_decisions_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_decisions")),
        sa.UniqueConstraint(
            "pilot_id", "activity_id", "unit_id", name=op.f("uq_capacity_decisions_pilot_id")
        ),
    )
    with op.batch_alter_table("capacity_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capacity_decisions_pilot_id"), ["pilot_id"], unique=False
        )

    op.create_table(
        "capacity_plans",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("parameters", _json(), nullable=False),
        sa.Column("result", _json(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_capacity_plans_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_plans")),
    )
    with op.batch_alter_table("capacity_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_capacity_plans_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "cells",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"], ["pilots.id"], name=op.f("fk_cells_pilot_id_pilots"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cells")),
        sa.UniqueConstraint("pilot_id", "name", name=op.f("uq_cells_pilot_id")),
    )
    with op.batch_alter_table("cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cells_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "coach_checks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.String(length=200), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_coach_checks_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_checks")),
        sa.UniqueConstraint("pilot_id", "coach_id", "part", name=op.f("uq_coach_checks_pilot_id")),
    )
    with op.batch_alter_table("coach_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coach_checks_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "selections",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("decided_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_selections_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selections")),
        sa.UniqueConstraint("pilot_id", "person_id", name=op.f("uq_selections_pilot_id")),
    )
    with op.batch_alter_table("selections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_selections_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "workgroups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("focus", sa.Text(), nullable=True),
        sa.Column("coach_id", sa.String(length=200), nullable=True),
        sa.Column("formation", _json(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_workgroups_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workgroups")),
        sa.UniqueConstraint("pilot_id", "name", name=op.f("uq_workgroups_pilot_id")),
    )
    with op.batch_alter_table("workgroups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workgroups_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "cell_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("cell_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_id"],
            ["cells.id"],
            name=op.f("fk_cell_members_cell_id_cells"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_cell_members_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cell_members")),
        sa.UniqueConstraint("pilot_id", "person_id", name=op.f("uq_cell_members_pilot_id")),
    )
    with op.batch_alter_table("cell_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cell_members_cell_id"), ["cell_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cell_members_pilot_id"), ["pilot_id"], unique=False)

    op.create_table(
        "charters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workgroup_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", _json(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.ForeignKeyConstraint(
            ["workgroup_id"],
            ["workgroups.id"],
            name=op.f("fk_charters_workgroup_id_workgroups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charters")),
        sa.UniqueConstraint("workgroup_id", "version", name=op.f("uq_charters_workgroup_id")),
    )
    with op.batch_alter_table("charters", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_charters_workgroup_id"), ["workgroup_id"], unique=False
        )

    op.create_table(
        "workgroup_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("pilot_id", sa.Integer(), nullable=False),
        sa.Column("workgroup_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["pilot_id"],
            ["pilots.id"],
            name=op.f("fk_workgroup_members_pilot_id_pilots"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workgroup_id"],
            ["workgroups.id"],
            name=op.f("fk_workgroup_members_workgroup_id_workgroups"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workgroup_members")),
        sa.UniqueConstraint("pilot_id", "person_id", name=op.f("uq_workgroup_members_pilot_id")),
    )
    with op.batch_alter_table("workgroup_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workgroup_members_pilot_id"), ["pilot_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workgroup_members_workgroup_id"), ["workgroup_id"], unique=False
        )

    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pilot_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_applications_pilot_id"), ["pilot_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_applications_pilot_id_pilots"),
            "pilots",
            ["pilot_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_applications_pilot_id_pilots"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_applications_pilot_id"))
        batch_op.drop_column("pilot_id")

    with op.batch_alter_table("workgroup_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workgroup_members_workgroup_id"))
        batch_op.drop_index(batch_op.f("ix_workgroup_members_pilot_id"))

    op.drop_table("workgroup_members")
    with op.batch_alter_table("charters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_charters_workgroup_id"))

    op.drop_table("charters")
    with op.batch_alter_table("cell_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cell_members_pilot_id"))
        batch_op.drop_index(batch_op.f("ix_cell_members_cell_id"))

    op.drop_table("cell_members")
    with op.batch_alter_table("workgroups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workgroups_pilot_id"))

    op.drop_table("workgroups")
    with op.batch_alter_table("selections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selections_pilot_id"))

    op.drop_table("selections")
    with op.batch_alter_table("coach_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coach_checks_pilot_id"))

    op.drop_table("coach_checks")
    with op.batch_alter_table("cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cells_pilot_id"))

    op.drop_table("cells")
    with op.batch_alter_table("capacity_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capacity_plans_pilot_id"))

    op.drop_table("capacity_plans")
    with op.batch_alter_table("capacity_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_capacity_decisions_pilot_id"))

    op.drop_table("capacity_decisions")
    op.drop_table("pilots")
