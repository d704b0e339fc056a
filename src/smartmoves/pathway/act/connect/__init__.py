"""Connect to others: the collaboration network, who sees what of it, and suggestions."""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.act.connect.analysis import (
        ANALYSIS_JOB,
        RECENT_DAYS,
        Network,
        NetworkOptions,
        analyze_imported,
        unit_external_shares,
        warm,
        workspace_network,
    )
    from smartmoves.pathway.act.connect.files import (
        UNKNOWN_UNIT,
        analyze_files,
        write_tables,
    )
    from smartmoves.pathway.act.connect.optout import (
        SuggestedView,
        count_opted_out,
        is_suggested,
        opted_out,
        set_suggested,
    )
    from smartmoves.pathway.act.connect.suggestions import (
        SUGGESTIONS,
        Connection,
        ConnectView,
        Expert,
        SimilarChallenge,
        connect_view,
        experts,
        suggest,
    )
    from smartmoves.pathway.act.connect.views import (
        BrokerRow,
        CommunityRow,
        MatrixCell,
        MyNetworkView,
        PeopleView,
        PersonRow,
        UnitRow,
        UnitsView,
        my_network,
        people_view,
        units_view,
    )

__all__ = [
    "ANALYSIS_JOB",
    "RECENT_DAYS",
    "SUGGESTIONS",
    "UNKNOWN_UNIT",
    "BrokerRow",
    "CommunityRow",
    "ConnectView",
    "Connection",
    "Expert",
    "MatrixCell",
    "MyNetworkView",
    "Network",
    "NetworkOptions",
    "PeopleView",
    "PersonRow",
    "SimilarChallenge",
    "SuggestedView",
    "UnitRow",
    "UnitsView",
    "analyze_files",
    "analyze_imported",
    "connect_view",
    "count_opted_out",
    "experts",
    "is_suggested",
    "my_network",
    "opted_out",
    "people_view",
    "set_suggested",
    "suggest",
    "unit_external_shares",
    "units_view",
    "warm",
    "workspace_network",
    "write_tables",
]
__getattr__ = lazy_exports(__name__, ("analysis", "files", "optout", "suggestions", "views"))
