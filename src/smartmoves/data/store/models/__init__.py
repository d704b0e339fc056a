"""Tables of the operational store, one module per topic."""

from smartmoves.data.store.models.access import AuditEntry, ImportRecord, User
from smartmoves.data.store.models.base import Base
from smartmoves.data.store.models.org import (
    Activity,
    Allocation,
    Application,
    Metric,
    Person,
    Unit,
)

__all__ = [
    "Activity",
    "Allocation",
    "Application",
    "AuditEntry",
    "Base",
    "ImportRecord",
    "Metric",
    "Person",
    "Unit",
    "User",
]
