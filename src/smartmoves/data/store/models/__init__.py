"""Tables of the operational store, one module per topic."""

from smartmoves.data.store.models.access import (
    AuditEntry,
    ImportRecord,
    LoginSession,
    LoginThrottle,
    User,
)
from smartmoves.data.store.models.act import MetricEntry, MetricTarget
from smartmoves.data.store.models.base import Base
from smartmoves.data.store.models.jobs import Job
from smartmoves.data.store.models.network import SuggestionOptOut
from smartmoves.data.store.models.org import (
    Activity,
    Allocation,
    Application,
    Metric,
    Person,
    Unit,
)
from smartmoves.data.store.models.pilot import (
    CapacityDecision,
    CapacityPlan,
    Cell,
    CellMember,
    Charter,
    CoachCheck,
    Pilot,
    Selection,
    Workgroup,
    WorkgroupMember,
)
from smartmoves.data.store.models.recognize import (
    Catalyst,
    Champion,
    EntryWeights,
    UnitAssessment,
)

__all__ = [
    "Activity",
    "Allocation",
    "Application",
    "AuditEntry",
    "Base",
    "CapacityDecision",
    "CapacityPlan",
    "Catalyst",
    "Cell",
    "CellMember",
    "Champion",
    "Charter",
    "CoachCheck",
    "EntryWeights",
    "ImportRecord",
    "Job",
    "LoginSession",
    "LoginThrottle",
    "Metric",
    "MetricEntry",
    "MetricTarget",
    "Person",
    "Pilot",
    "Selection",
    "SuggestionOptOut",
    "Unit",
    "UnitAssessment",
    "User",
    "Workgroup",
    "WorkgroupMember",
]
