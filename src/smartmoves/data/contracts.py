"""Table contracts: what every imported table must look like.

A contract is data, not code: the validator, the importer, the docs page and the
synthetic organization all read the same definitions. Columns not named here are kept
as attributes (``attributes`` JSON in the operational store).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CONTRACTS",
    "FORMATS",
    "IMPORT_ORDER",
    "Column",
    "Contract",
    "Reference",
    "contract",
]

Kind = Literal["id", "text", "number", "bool", "date", "datetime", "choice", "id_list", "email"]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a contract.

    ``required`` columns must be in the header and non-empty on every row; optional
    columns may be absent or empty (then ``default`` applies).
    """

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    default: object = None
    doc: str = ""

    def expected(self) -> str:
        """How a user should write a value of this column (for error messages)."""
        if self.kind == "number":
            if self.minimum is not None and self.maximum is not None:
                return f"a number from {self.minimum:g} to {self.maximum:g}"
            if self.minimum is not None:
                return f"a number >= {self.minimum:g}"
            return "a number"
        if self.kind == "bool":
            return "true/false, yes/no or 1/0"
        if self.kind == "date":
            return "a date YYYY-MM-DD"
        if self.kind == "datetime":
            return "a date-time YYYY-MM-DDTHH:MM[:SS]"
        if self.kind == "choice":
            return "one of " + ", ".join(self.choices)
        if self.kind == "id_list":
            return "ids separated by ';'"
        if self.kind == "email":
            return "an email address such as ana.silva@example.org"
        return "a non-empty value"


@dataclass(frozen=True, slots=True)
class Reference:
    """``column`` must name a row of ``table`` (its key column ``target``).

    ``external_ok``: unknown ids are kept as contacts outside the organization instead
    of being an error (interactions). ``when``: only rows whose ``scope`` column has this
    value are checked (metric_values point at units or people depending on scope).
    """

    column: str
    table: str
    target: str
    external_ok: bool = False
    when: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    store: Literal["operational", "analytics"] = "operational"
    doc: str = ""
    extra_as_attributes: bool = True

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


_NONNEG = 0.0

CONTRACTS: dict[str, Contract] = {
    c.name: c
    for c in (
        Contract(
            "units",
            (
                Column("unit_id", "id", required=True),
                Column("name", "text", required=True),
                Column("parent_id", "id", doc="the unit this one belongs to"),
                Column("kind", "choice", choices=("business_unit", "function")),
                Column("position", "choice", choices=("core", "edge")),
                Column("leader_id", "id", doc="person_id of the unit's leader"),
            ),
            key=("unit_id",),
            references=(Reference("parent_id", "units", "unit_id"),),
            doc="The organization's units and how they nest.",
        ),
        Contract(
            "people",
            (
                Column("person_id", "id", required=True),
                Column("unit_id", "id", required=True),
                Column("name", "text", doc="how pages name the person; empty = the id"),
                Column("email", "email", doc="where pages link to reach the person"),
                Column("role", "text"),
                Column("level", "text"),
                Column("manager_id", "id"),
                Column("is_supervisor", "bool", default=False),
                Column("contracted_hours", "number", minimum=0.0, maximum=168.0, default=40.0),
                Column("hire_date", "date"),
            ),
            key=("person_id",),
            references=(
                Reference("unit_id", "units", "unit_id"),
                Reference("manager_id", "people", "person_id"),
            ),
            doc="Everyone in scope; other columns are attributes usable for diversity.",
        ),
        Contract(
            "activities",
            (
                Column("activity_id", "id", required=True),
                Column("name", "text", required=True),
                Column("description", "text"),
                Column("category", "text"),
                Column(
                    "automation_potential",
                    "number",
                    minimum=0.0,
                    maximum=1.0,
                    doc="share of the hours automation can take; empty = estimate it",
                ),
                Column("eliminable", "bool"),
                Column("skill", "text", doc="the skill that qualifies someone to take it over"),
            ),
            key=("activity_id",),
            doc="The activity catalog.",
        ),
        Contract(
            "allocations",
            (
                Column("person_id", "id", required=True),
                Column("activity_id", "id", required=True),
                Column("hours_per_week", "number", required=True, minimum=_NONNEG),
            ),
            key=("person_id", "activity_id"),
            references=(
                Reference("person_id", "people", "person_id"),
                Reference("activity_id", "activities", "activity_id"),
            ),
            doc="The activity inventory: who spends how many hours a week on what.",
        ),
        Contract(
            "interactions",
            (
                Column("timestamp", "datetime", required=True),
                Column("sender_id", "id", required=True),
                Column("recipient_ids", "id_list", required=True),
                Column(
                    "channel",
                    "choice",
                    choices=("email", "chat", "meeting", "call", "other"),
                    default="other",
                ),
                Column("duration_minutes", "number", minimum=_NONNEG),
                Column("topic", "text", doc="short keywords, never message bodies"),
            ),
            references=(
                Reference("sender_id", "people", "person_id", external_ok=True),
                Reference("recipient_ids", "people", "person_id", external_ok=True),
            ),
            store="analytics",
            doc="Collaboration metadata: who interacted with whom, when, on which channel.",
            extra_as_attributes=False,
        ),
        Contract(
            "metrics",
            (
                Column("metric_id", "id", required=True),
                Column("name", "text", required=True),
                Column(
                    "level",
                    "choice",
                    required=True,
                    choices=("financial", "operating", "frontline"),
                ),
                Column("parent_id", "id"),
                Column("direction", "choice", choices=("up", "down"), default="up"),
                Column("unit", "text", doc="unit of measure, e.g. % or USD"),
            ),
            key=("metric_id",),
            references=(Reference("parent_id", "metrics", "metric_id"),),
            doc="The metric tree: frontline -> operating -> financial.",
        ),
        Contract(
            "metric_values",
            (
                Column("metric_id", "id", required=True),
                Column(
                    "scope",
                    "choice",
                    required=True,
                    choices=("org", "unit", "workgroup", "person", "market"),
                ),
                Column("scope_id", "id", required=True),
                Column("date", "date", required=True),
                Column("value", "number", required=True),
            ),
            key=("metric_id", "scope", "scope_id", "date"),
            references=(
                Reference("metric_id", "metrics", "metric_id"),
                Reference("scope_id", "units", "unit_id", when=("scope", "unit")),
                Reference("scope_id", "people", "person_id", when=("scope", "person")),
            ),
            store="analytics",
            doc="Metric history, one value per metric, scope and date.",
            extra_as_attributes=False,
        ),
        Contract(
            "applications",
            (
                Column("person_id", "id", required=True),
                Column("problem", "text", required=True),
                Column("why", "text", required=True),
                Column("submitted_at", "datetime"),
            ),
            key=("person_id", "submitted_at"),
            references=(Reference("person_id", "people", "person_id"),),
            doc="Volunteer applications: the problem a person wants to address, and why.",
        ),
    )
}

# The formats a file can come in: a table contract's own columns, or a connector's
# (Microsoft Viva Insights' person query, and its person-to-person query).
FORMATS = ("contract", "viva-person", "viva-p2p")

# Tables in the order their references need: an import of several tables at once
# writes them in this order.
IMPORT_ORDER: tuple[str, ...] = (
    "units",
    "people",
    "activities",
    "allocations",
    "metrics",
    "metric_values",
    "applications",
    "interactions",
)


def contract(name: str) -> Contract:
    """The contract called ``name``; ConfigError lists the known ones otherwise."""
    from smartmoves.errors import ConfigError

    try:
        return CONTRACTS[name]
    except KeyError:
        raise ConfigError(
            f"unknown table {name!r} (expected one of {', '.join(IMPORT_ORDER)})"
        ) from None
