"""Recognize the opportunity: the organization as its data shows it (later: catalysts,
the champion, the metrics that matter and where to start).
"""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
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
    "UnitDetail",
    "drivers_from_files",
    "entry_points",
    "metric_tree",
    "overview",
    "start_pilot_here",
    "unit_detail",
    "workspace_drivers",
]
__getattr__ = lazy_exports(__name__, ("organization", "drivers", "entry"))
