"""Organization tables, users, audit log and imports.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = sa.String(length=200)


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _now() -> sa.TextClause:
    return sa.text("CURRENT_TIMESTAMP")


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("position", sa.String(length=10), nullable=True),
        sa.Column("leader_id", ID, nullable=True),
        sa.Column("attributes", _json(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id", name=op.f("pk_units")),
    )
    op.create_index(op.f("ix_units_parent_id"), "units", ["parent_id"])
    op.create_table(
        "people",
        sa.Column("person_id", ID, nullable=False),
        sa.Column("unit_id", ID, nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("level", sa.Text(), nullable=True),
        sa.Column("manager_id", ID, nullable=True),
        sa.Column("is_supervisor", sa.Boolean(), nullable=False),
        sa.Column("contracted_hours", sa.Float(), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=True),
        sa.Column("attributes", _json(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_people")),
    )
    op.create_index(op.f("ix_people_unit_id"), "people", ["unit_id"])
    op.create_table(
        "activities",
        sa.Column("activity_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("automation_potential", sa.Float(), nullable=True),
        sa.Column("eliminable", sa.Boolean(), nullable=True),
        sa.Column("skill", sa.Text(), nullable=True),
        sa.Column("attributes", _json(), nullable=False),
        sa.PrimaryKeyConstraint("activity_id", name=op.f("pk_activities")),
    )
    op.create_table(
        "allocations",
        sa.Column("person_id", ID, nullable=False),
        sa.Column("activity_id", ID, nullable=False),
        sa.Column("hours_per_week", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", "activity_id", name=op.f("pk_allocations")),
    )
    op.create_index("ix_allocations_activity", "allocations", ["activity_id"])
    op.create_table(
        "metrics",
        sa.Column("metric_id", ID, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_id", ID, nullable=True),
        sa.Column("direction", sa.String(length=4), nullable=False),
        sa.Column("unit", sa.Text(), nullable=True),
        sa.Column("attributes", _json(), nullable=False),
        sa.PrimaryKeyConstraint("metric_id", name=op.f("pk_metrics")),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("person_id", ID, nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("attributes", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
    )
    op.create_index(op.f("ix_applications_person_id"), "applications", ["person_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("person_id", sa.String(length=200), nullable=True),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("detail", _json(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=30), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("summary", _json(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=_now(), nullable=False),
        sa.Column("imported_by", sa.String(length=320), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    op.create_index(op.f("ix_imports_table_name"), "imports", ["table_name"])


def downgrade() -> None:
    for table in (
        "imports",
        "audit_log",
        "users",
        "applications",
        "metrics",
        "allocations",
        "activities",
        "people",
        "units",
    ):
        op.drop_table(table)
