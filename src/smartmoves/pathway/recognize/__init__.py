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
    from smartmoves.pathway.recognize.metric_edits import (
        MetricView,
        add_metric,
        change_metric,
        remove_metric,
    )
    from smartmoves.pathway.recognize.organization import (
        OrgOverview,
        UnitDetail,
        overview,
        unit_detail,
    )

__all__ = [
    "EntryPoints",
    "MetricTree",
    "MetricView",
    "OrgOverview",
    "UnitDetail",
    "add_metric",
    "change_metric",
    "drivers_from_files",
    "entry_points",
    "metric_tree",
    "overview",
    "remove_metric",
    "start_pilot_here",
    "unit_detail",
    "workspace_drivers",
]
__getattr__ = lazy_exports(__name__, ("organization", "drivers", "metric_edits", "entry"))
