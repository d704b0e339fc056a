"""Workgroups and cells: diverse workgroups for the pilot, cells drawn across them.

``form_workgroups`` splits people into workgroups of maximal diversity under size,
must-link, cannot-link, balance, fixed and existing-group constraints;
``diversity_figures`` scores any partition (e.g. after a move by hand); ``form_cells``
groups pilot members into cells that mix workgroups.
"""

from smartmoves.engines.teams._cells import Cell, CellsResult, form_cells
from smartmoves.engines.teams._figures import DiversityFigures, GroupDiversity, diversity_figures
from smartmoves.engines.teams._workgroups import (
    WorkgroupsResult,
    check_formation,
    form_workgroups,
)

__all__ = [
    "Cell",
    "CellsResult",
    "DiversityFigures",
    "GroupDiversity",
    "WorkgroupsResult",
    "check_formation",
    "diversity_figures",
    "form_cells",
    "form_workgroups",
]
