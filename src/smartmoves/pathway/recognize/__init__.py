"""Recognize the opportunity: the organization as its data shows it, its catalysts and
its champion, the metrics that matter and where to start.
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
    from smartmoves.pathway.recognize.catalysts import (
        CatalystIn,
        CatalystsView,
        CatalystView,
        add_catalyst,
        catalyst,
        delete_catalyst,
        edit_catalyst,
        list_catalysts,
    )
    from smartmoves.pathway.recognize.champion import (
        ChampionIn,
        ChampionPage,
        ChampionView,
        set_champion,
        show_champion,
    )
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
    from smartmoves.pathway.recognize.why import WhyAndWho, why_and_who

__all__ = [
    "CatalystIn",
    "CatalystView",
    "CatalystsView",
    "ChampionIn",
    "ChampionPage",
    "ChampionView",
    "EntryPoints",
    "MetricTree",
    "MetricView",
    "OrgOverview",
    "UnitAssessment",
    "UnitDetail",
    "WeightsView",
    "WhyAndWho",
    "add_catalyst",
    "add_metric",
    "all_assessments",
    "catalyst",
    "change_metric",
    "delete_catalyst",
    "drivers_from_files",
    "edit_catalyst",
    "entry_points",
    "list_catalysts",
    "metric_tree",
    "overview",
    "remove_metric",
    "save_assessment",
    "save_weights",
    "set_champion",
    "show_champion",
    "start_pilot_here",
    "unit_assessment",
    "unit_detail",
    "weights_view",
    "why_and_who",
    "workspace_drivers",
    "workspace_weights",
]
__getattr__ = lazy_exports(
    __name__,
    (
        "catalysts",
        "champion",
        "why",
        "organization",
        "drivers",
        "metric_edits",
        "entry",
        "assessments",
    ),
)
