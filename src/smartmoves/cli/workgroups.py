"""``smartmoves workgroups`` and ``smartmoves cells``: diverse workgroups, and cells
drawn across them.

Both work straight on files (``--people``, ``--workgroups``) or on a workspace's pilot
(``--pilot ID``; ``--save`` keeps the result as the pilot's). ``--format json`` prints
stable keys (see ``docs/workgroups.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartmoves.cli.common import (
    OutputFormat,
    OutputOption,
    WorkspaceOption,
    cli_account,
    err,
    lazy,
    out,
    print_json,
    print_table,
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway.create import teams
else:
    teams = lazy("smartmoves.pathway.create.teams")

workgroups_app = typer.Typer(
    help="Form workgroups as diverse as possible, and move people between them.",
    no_args_is_help=True,
)
cells_app = typer.Typer(
    help="Form cells of 5-15 pilot members drawn across the teams.", no_args_is_help=True
)

PilotOption = Annotated[
    int | None,
    typer.Option(help="A pilot of the workspace (instead of files).", show_default=False),
]
SaveOption = Annotated[
    bool, typer.Option("--save", help="Keep the result as the pilot's (with --pilot).")
]
ColumnOption = Annotated[str | None, typer.Option(show_default=False)]


def _features(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [f.strip() for f in text.split(",") if f.strip()]
    if not names:
        raise ConfigError("--features needs column names separated by commas")
    return names


def _only_on_files(pilot: int | None, save: bool, **files: Any) -> None:
    if save and pilot is None:
        raise ConfigError("--save keeps the result as a pilot's: give --pilot ID on a workspace")
    named = [f"--{k}" for k, v in files.items() if v is not None]
    if pilot is not None and named:
        raise ConfigError(f"--pilot {pilot} reads the workspace; {', '.join(named)} is for files")


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _summary(diversity: Any, ratio: Any, dispersion: Any, deviation: Any) -> str:
    balance = (
        "no numeric feature to compare group means on"
        if deviation is None
        else f"largest group-mean deviation {_fmt(deviation)} SD"
    )
    return (
        f"diversity {_fmt(diversity, 2)} ({_fmt(ratio)} x the mean of random partitions), "
        f"dispersion {_fmt(dispersion)}, {balance}"
    )


@workgroups_app.command("form")
def form(
    people: Annotated[
        Path | None,
        typer.Option(help="People file (CSV, Parquet, Excel): one row each.", show_default=False),
    ] = None,
    features: Annotated[
        str | None,
        typer.Option(
            help="Columns that make people different, comma-separated (a pilot defaults to "
            "unit, role, level, tenure, location, background, age band and skills).",
            show_default=False,
        ),
    ] = None,
    groups: Annotated[
        int | None,
        typer.Option(help="Number of teams: 1 to the number of people.", show_default=False),
    ] = None,
    size: Annotated[
        int | None, typer.Option(help="Or: size of the teams (>= 1).", show_default=False)
    ] = None,
    min_size: Annotated[int, typer.Option(help="Smallest workgroup (>= 1).")] = 3,
    max_size: Annotated[int, typer.Option(help="Largest workgroup (>= min-size).")] = 15,
    keep_together: ColumnOption = None,
    apart: ColumnOption = None,
    balance: ColumnOption = None,
    fixed: Annotated[
        Path | None,
        typer.Option(help="person_id,group: people who must be in that group.", show_default=False),
    ] = None,
    existing: Annotated[
        Path | None,
        typer.Option(help="person_id,group: current groups; others join them.", show_default=False),
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same teams (>= 0).")] = 0,
    pilot: PilotOption = None,
    save: SaveOption = False,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Split people into workgroups of maximal diversity: sizes within bounds, and any
    keep-together, apart, balance, fixed and existing constraints kept."""
    _only_on_files(pilot, save, people=people)
    names = _features(features)
    options: dict[str, Any] = {
        "groups": groups,
        "size": size,
        "min_size": min_size,
        "max_size": max_size,
        "keep_together": keep_together,
        "apart": apart,
        "balance": balance,
        "seed": seed,
    }
    if pilot is not None:
        result = teams.form_for_pilot(
            settings_for(workspace),
            cli_account(),
            pilot,
            features=names,
            save=save,
            fixed=teams.read_assignment(fixed),
            existing=teams.read_assignment(existing),
            **options,
        ).model_dump()
    else:
        if people is None or names is None:
            raise ConfigError("on files, give --people FILE and --features a,b,c")
        result = teams.form_from_files(
            people, features=names, fixed=fixed, existing=existing, **options
        ).to_dict()
    if format == OutputFormat.json:
        print_json(result)
        return
    print_table(
        "workgroups",
        ("workgroup", "size", "diversity", "members"),
        [
            (g["group"], len(g["members"]), g["diversity"], ", ".join(map(str, g["members"])))
            for g in result["groups"]
        ],
    )
    keys = ("diversity", "vs_random", "dispersion", "max_mean_deviation_sd")
    out.print(_summary(*(result[k] for k in keys)), highlight=False)
    if result.get("saved"):
        err.print(f"saved as the workgroups of pilot {pilot}", highlight=False)


@workgroups_app.command("show")
def show(
    pilot: Annotated[int, typer.Option(help="The pilot.")],
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """The pilot's workgroups, their members and figures."""
    view = teams.workgroups_view(settings_for(workspace), cli_account(), pilot)
    if format == OutputFormat.json:
        print_json(view.model_dump(mode="json"))
        return
    print_table(
        f"workgroups of pilot {pilot}",
        ("id", "workgroup", "size", "diversity", "members"),
        [
            (g.id, g.name, g.size, g.diversity, ", ".join(m.person_id for m in g.members))
            for g in view.workgroups
        ],
    )
    if view.figures is not None:
        f = view.figures
        out.print(
            _summary(f.diversity, f.vs_random, f.dispersion, f.max_mean_deviation_sd),
            highlight=False,
        )


@workgroups_app.command("move")
def move(
    person: Annotated[str, typer.Argument(help="The person_id to move.")],
    to: Annotated[int, typer.Option("--to", help="The workgroup id (see `workgroups show`).")],
    pilot: Annotated[int, typer.Option(help="The pilot.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Move a person to another workgroup; the figures are recomputed, sizes kept in bounds."""
    settings, account = settings_for(workspace), cli_account()
    teams.move_person(settings, account, pilot, person, to)
    view = teams.workgroups_view(settings, account, pilot)
    target = next(g for g in view.workgroups if g.id == to)
    ratio = view.figures.vs_random if view.figures else None
    out.print(f"{person} moved to {target.name}; diversity {_fmt(ratio)} x random", highlight=False)


@cells_app.command("form")
def form_cells(
    workgroups_file: Annotated[
        Path | None,
        typer.Option(
            "--workgroups", help="File with person_id and workgroup columns.", show_default=False
        ),
    ] = None,
    min_size: Annotated[int, typer.Option(help="Smallest cell (>= 1).")] = 5,
    max_size: Annotated[int, typer.Option(help="Largest cell (>= min-size).")] = 15,
    seed: Annotated[int, typer.Option(help="Same seed, same cells (>= 0).")] = 0,
    pilot: PilotOption = None,
    save: SaveOption = False,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Put every pilot member in one cell, each cell drawing from as many workgroups as
    it can."""
    _only_on_files(pilot, save, workgroups=workgroups_file)
    options: dict[str, Any] = {"min_size": min_size, "max_size": max_size, "seed": seed}
    if pilot is not None:
        result = teams.form_cells_for_pilot(
            settings_for(workspace), cli_account(), pilot, save=save, **options
        )
    elif workgroups_file is None:
        raise ConfigError("on files, give --workgroups FILE (person_id and workgroup columns)")
    else:
        result = teams.form_cells_from_file(workgroups_file, **options)
    data = result.to_dict()
    if format == OutputFormat.json:
        print_json(data)
        return
    print_table(
        "cells",
        ("cell", "size", "workgroups", "members"),
        [
            (c["cell"], len(c["members"]), c["workgroups"], ", ".join(map(str, c["members"])))
            for c in data["cells"]
        ],
    )
    out.print(f"uneven cells: {data['uneven_cells']}", highlight=False)
    if save:
        err.print(f"saved as the cells of pilot {pilot}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(workgroups_app, name="workgroups")
    app.add_typer(cells_app, name="cells")
