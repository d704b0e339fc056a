"""``smartmoves capacity``: decisions per activity and a plan that frees the volunteers.

Every command runs straight on files (``--people``, ``--activities``, ``--allocations``)
or on a workspace's pilot (``--pilot ID``); ``--format json`` prints the engine's result
with stable keys (see ``docs/capacity.md``).
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
    progress_bar,
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway.create import capacity
else:
    capacity = lazy("smartmoves.pathway.create.capacity")


def _use_model(cell: object) -> bool:
    """A decisions file says "automate by the model's beta" with a yes word or "model"."""
    from smartmoves.data.values import parse_bool

    return parse_bool(cell) is True or str(cell or "").strip().lower() == "model"


_LOW, _HIGH = capacity.LOAD_RANGE

capacity_app = typer.Typer(
    help="Create capacity: decisions per activity, and a plan that frees the volunteers.",
    no_args_is_help=True,
)

PeopleOption = Annotated[
    Path | None, typer.Option(help="The people file (CSV, Parquet or Excel).", show_default=False)
]
ActivitiesOption = Annotated[
    Path | None, typer.Option(help="The activities file.", show_default=False)
]
AllocationsOption = Annotated[
    Path | None,
    typer.Option(help="The allocations file (the activity inventory).", show_default=False),
]
ModelOption = Annotated[
    Path | None,
    typer.Option(
        "--model",
        help="Exposure model (.npz): its beta stands in for empty automation potentials.",
        show_default=False,
    ),
]
PilotOption = Annotated[
    int | None,
    typer.Option(help="A pilot of the workspace: work on its entry point.", show_default=False),
]


def _inventory(
    people: Path | None, activities: Path | None, allocations: Path | None
) -> capacity.Inventory:
    missing = [
        f"--{name}"
        for name, path in (
            ("people", people),
            ("activities", activities),
            ("allocations", allocations),
        )
        if path is None
    ]
    if missing:
        raise ConfigError(
            f"on files, give --people, --activities and --allocations (missing "
            f"{', '.join(missing)}); or --pilot ID on a workspace"
        )
    assert people and activities and allocations
    return capacity.read_inventory(people, activities, allocations)


def _no_files(pilot: int, **given: Any) -> None:
    named = [f"--{k.replace('_', '-')}" for k, v in given.items() if v is not None]
    if named:
        raise ConfigError(
            f"--pilot {pilot} reads the workspace; {', '.join(named)} only apply on files"
        )


@capacity_app.command("suggest")
def suggest(
    people: PeopleOption = None,
    activities: ActivitiesOption = None,
    allocations: AllocationsOption = None,
    model: ModelOption = None,
    unit: Annotated[
        str | None, typer.Option(help="Only this unit's people (on files).", show_default=False)
    ] = None,
    pilot: PilotOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Rows of the table to show.")] = 25,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Rank activities by the hours automating or stopping each would free, with the
    people affected: a starting point for the organization's own decisions."""
    if pilot is not None:
        _no_files(pilot, people=people, activities=activities, allocations=allocations)
        _no_files(pilot, model=model, unit=unit)
        result = capacity.suggest_for_pilot(settings_for(workspace), cli_account(), pilot)
    else:
        inventory = _inventory(people, activities, allocations)
        result = capacity.suggest_from_files(inventory, model=model, unit_id=unit)
    if format == OutputFormat.json:
        print_json(result.to_dict())
        return
    table = result.suggestions
    print_table(
        "hours each decision would free per week",
        ("rank", "activity", "name", "decision", "hours freed", "hours", "people", "share"),
        [
            (
                r["rank"],
                r["activity_id"],
                r["name"],
                r["decision"],
                float(r["hours_freed"]),
                float(r["hours"]),
                r["people_affected"],
                "" if r["automation_share"] is None else f"{r['automation_share']:.0%}",
            )
            for r in table.head(limit).to_dict("records")
        ],
    )
    if len(table) > limit:
        out.print(f"... {len(table) - limit} more rows (--limit, or --format json)")
    if result.missing_estimates:
        err.print(
            "flagged: no automation potential and no model estimate for "
            f"{', '.join(result.missing_estimates)} (they cannot be automated until estimated)",
            markup=False,
            highlight=False,
        )


@capacity_app.command("decide")
def decide(
    decisions: Annotated[
        Path, typer.Argument(help="activity_id, decision[, unit_id][, note] per row.")
    ],
    pilot: Annotated[int, typer.Option(help="The pilot whose decisions these are.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Save a pilot's decisions (automate, stop, keep, relax-metric), replacing its
    earlier ones; nothing is saved when any row is wrong."""
    frame = capacity.read_decisions(decisions)
    rows = [
        capacity.DecisionIn(
            activity_id=str(r.get("activity_id") or ""),
            decision=str(r.get("decision") or ""),
            unit_id=r.get("unit_id") or None,
            use_model=_use_model(r.get("use_model")),
            note=r.get("note") or None,
        )
        for r in frame.to_dict("records")
    ]
    saved = capacity.save_decisions(settings_for(workspace), cli_account(), pilot, rows)
    counts: dict[str, int] = {}
    for row in saved:
        counts[row.decision] = counts.get(row.decision, 0) + 1
    summary = ", ".join(f"{n} {d}" for d, n in sorted(counts.items())) or "none"
    out.print(f"pilot {pilot}: {len(saved)} decisions saved ({summary})", highlight=False)


@capacity_app.command("plan")
def plan(
    people: PeopleOption = None,
    activities: ActivitiesOption = None,
    allocations: AllocationsOption = None,
    volunteers: Annotated[
        Path | None,
        typer.Option(
            help="A file with a person_id column (default on a workspace: the pilot's "
            "selected volunteers, else its applicants).",
            show_default=False,
        ),
    ] = None,
    decisions: Annotated[
        Path | None,
        typer.Option(
            help="activity_id, decision[, unit_id][, use_model][, note] (on files; a workspace "
            "uses the pilot's saved decisions).",
            show_default=False,
        ),
    ] = None,
    model: ModelOption = None,
    target_free: Annotated[
        float | None,
        typer.Option(
            help="Share of hours to free (default 0.75, or the pilot's).", show_default=False
        ),
    ] = None,
    max_load: Annotated[
        float,
        typer.Option(
            help="A receiver's hours after the plan, share of contracted: "
            f"{_LOW:g} to {_HIGH:g} (1.0 is a full week)."
        ),
    ] = 1.0,
    min_pilot: Annotated[
        int | None,
        typer.Option(help="Fewest volunteers (default 15, or the pilot's).", show_default=False),
    ] = None,
    max_pilot: Annotated[
        int | None,
        typer.Option(help="Most volunteers (default 60, or the pilot's).", show_default=False),
    ] = None,
    time_limit: Annotated[
        float,
        typer.Option(
            help=f"Seconds for the solver: {capacity.MIN_TIME_LIMIT:g} to "
            f"{capacity.MAX_CLI_TIME_LIMIT:g} (the page allows up to "
            f"{capacity.MAX_WEB_TIME_LIMIT:g})."
        ),
    ] = 30.0,
    seed: Annotated[int, typer.Option(help="The solver's seed.")] = 0,
    pilot: PilotOption = None,
    save: Annotated[
        bool, typer.Option("--save", help="Keep the plan as the pilot's current plan.")
    ] = False,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Free the volunteers for at least the target share of their hours by handing their
    remaining work to colleagues with room, never above the maximum load."""
    if save and pilot is None:
        raise ConfigError("--save keeps the plan as a pilot's: give --pilot ID on a workspace")
    # The command line searches longer than the page (nobody waits on it): its own bound.
    capacity.check_bounds(max_load, time_limit, max_time_limit=capacity.MAX_CLI_TIME_LIMIT)
    given = None if volunteers is None else capacity.read_volunteers(volunteers)
    with progress_bar(f"planning (up to {time_limit:g} s)"):
        if pilot is not None:
            _no_files(pilot, people=people, activities=activities, allocations=allocations)
            _no_files(pilot, decisions=decisions, model=model)
            saved = capacity.plan_for_pilot(
                settings_for(workspace),
                cli_account(),
                pilot,
                volunteers=given,
                target_free=target_free,
                max_load=max_load,
                min_pilot=min_pilot,
                max_pilot=max_pilot,
                time_limit=time_limit,
                max_time_limit=capacity.MAX_CLI_TIME_LIMIT,
                seed=seed,
                save=save,
            )
            result = saved.result
        else:
            if given is None:
                raise ConfigError("on files, give --volunteers FILE (a person_id column)")
            from smartmoves.engines.capacity import Consolidation

            options = Consolidation(
                target_free=0.75 if target_free is None else target_free,
                max_load=max_load,
                min_pilot=15 if min_pilot is None else min_pilot,
                max_pilot=60 if max_pilot is None else max_pilot,
                time_limit=time_limit,
                seed=seed,
            )
            inventory = _inventory(people, activities, allocations)
            chosen = None if decisions is None else capacity.read_decisions(decisions)
            result = capacity.plan_from_files(
                inventory, given, decisions=chosen, model=model, options=options
            ).to_dict()
            saved = None
    if format == OutputFormat.json:
        print_json(result)
    else:
        _print_plan(result)
    if saved is not None and saved.id is not None:
        err.print(f"saved as plan {saved.id} of pilot {pilot}", highlight=False)


def _print_plan(result: dict[str, Any]) -> None:
    freed, not_freed = result["freed"], result["not_freed"]
    total = len(freed) + len(not_freed)
    out.print(
        f"status: {result['status']} - {len(freed)} of {total} volunteers freed; "
        f"bound {result['bound']}, gap {result['gap']:.0%}",
        highlight=False,
    )
    for reason in result.get("reasons") or []:
        out.print(f"  - {reason}", highlight=False, markup=False)
    hours = result["hours"]
    out.print(
        "volunteers' hours per week: "
        + ", ".join(f"{k} {v:,.1f}" for k, v in hours.items() if k != "total")
        + f" (of {hours['total']:,.1f})",
        highlight=False,
    )
    if freed:
        print_table(
            "freed",
            (
                "person",
                "contracted",
                "remaining",
                "freed share",
                "automated",
                "stopped",
                "handed off",
            ),
            [
                (
                    r["person_id"],
                    r["contracted_hours"],
                    r["remaining_hours"],
                    f"{r['freed_share']:.0%}",
                    r["automated"],
                    r["stopped"],
                    r["handed_off"],
                )
                for r in freed
            ],
        )
    if not_freed:
        print_table(
            "not freed",
            ("person", "cause", "reason"),
            [(r["person_id"], r["cause"], r["reason"]) for r in not_freed],
        )
    if result["handoffs"]:
        print_table(
            "handoffs (hours per week)",
            ("activity", "from", "to", "hours"),
            [
                (h["activity_id"], h["from_person"], h["to_person"], h["hours"])
                for h in result["handoffs"]
            ],
        )
    if result["receivers"]:
        alert = capacity.LOAD_ALERT
        print_table(
            f"receivers' load (* above {alert:.0%})",
            ("person", "contracted", "before", "after", "share after", ""),
            [
                (
                    r["person_id"],
                    r["contracted_hours"],
                    r["load_before"],
                    r["load_after"],
                    f"{r['load_share_after']:.0%}",
                    "*" if r["load_share_after"] > alert else "",
                )
                for r in result["receivers"]
            ],
        )


def register(app: typer.Typer) -> None:
    app.add_typer(capacity_app, name="capacity")
