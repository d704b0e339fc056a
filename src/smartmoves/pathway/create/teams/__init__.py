"""Form the teams: diverse workgroups of the selected volunteers, and cells across them."""

from typing import TYPE_CHECKING

from smartmoves.pathway._exports import lazy_exports

if TYPE_CHECKING:
    from smartmoves.pathway.create.teams.bounds import (
        MAX_SEED,
        cell_bounds,
        workgroup_bounds,
    )
    from smartmoves.pathway.create.teams.cells import (
        CellsView,
        CellView,
        cells_view,
        form_cells_for_pilot,
        form_cells_from_file,
    )
    from smartmoves.pathway.create.teams.files import (
        DEFAULT_FEATURES,
        assignment_from_text,
        check_columns,
        default_features,
        form_from_files,
        read_assignment,
        typed,
        usable_features,
    )
    from smartmoves.pathway.create.teams.formation_jobs import (
        FORMATION_JOB,
        formation_job,
        start_formation,
    )
    from smartmoves.pathway.create.teams.moves import (
        move_person,
    )
    from smartmoves.pathway.create.teams.roster import (
        WorkgroupsView,
        WorkgroupView,
        workgroups_view,
    )
    from smartmoves.pathway.create.teams.workgroups import (
        Formation,
        default_groups,
        form_for_pilot,
        prepare_formation,
    )

__all__ = [
    "DEFAULT_FEATURES",
    "FORMATION_JOB",
    "MAX_SEED",
    "CellView",
    "CellsView",
    "Formation",
    "WorkgroupView",
    "WorkgroupsView",
    "assignment_from_text",
    "cell_bounds",
    "cells_view",
    "check_columns",
    "default_features",
    "default_groups",
    "form_cells_for_pilot",
    "form_cells_from_file",
    "form_for_pilot",
    "form_from_files",
    "formation_job",
    "move_person",
    "prepare_formation",
    "read_assignment",
    "start_formation",
    "typed",
    "usable_features",
    "workgroup_bounds",
    "workgroups_view",
]
__getattr__ = lazy_exports(
    __name__,
    (
        "bounds",
        "cells",
        "files",
        "formation_jobs",
        "moves",
        "roster",
        "workgroups",
    ),
)
