"""Recognize the opportunity: the organization as its data shows it (later: catalysts,
the champion, the metrics that matter and where to start).
"""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.recognize.assessments import (
        UnitAssessment,
        WeightsView,
        all_assessments,
        save_assessment,
        save_weights,
        unit_assessment,
        weights_view,
        workspace_weights,
    )
    from smartmoves.pathway.recognize.drivers import (
        MetricTree,
        drivers_from_files,
        metric_tree,
        workspace_drivers,
    )
    from smartmoves.pathway.recognize.entry import EntryPoints, entry_points, start_pilot_here
    from smartmoves.pathway.recognize.organization import (
        OrgOverview,
        UnitDetail,
        overview,
        unit_detail,
    )

__all__ = [
    "EntryPoints",
    "MetricTree",
    "OrgOverview",
    "UnitAssessment",
    "UnitDetail",
    "WeightsView",
    "all_assessments",
    "drivers_from_files",
    "entry_points",
    "metric_tree",
    "overview",
    "save_assessment",
    "save_weights",
    "start_pilot_here",
    "unit_assessment",
    "unit_detail",
    "weights_view",
    "workspace_drivers",
    "workspace_weights",
]
__getattr__ = lazy_exports(__name__, ("organization", "drivers", "entry", "assessments"))
