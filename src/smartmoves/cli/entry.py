"""``smartmoves entry-points``: every unit scored as a place to start a pilot.

Each unit gets three scores in [0, 1] (ability to free capacity, potential for impact,
likelihood of success) with the factors behind them; see ``docs/entry-points.md``.
``--weights FILE`` (JSON or TOML, names as in the docs) changes how much each counts;
without it the workspace's weights (set on the web) count.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from smartmoves.cli.common import (
    OutputFormat,
    OutputOption,
    WorkspaceOption,
    cli_account,
    lazy,
    out,
    print_json,
    print_table,
    progress_bar,
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.engines import entry as engine
    from smartmoves.pathway import recognize
    from smartmoves.pathway.act import connect
else:
    connect = lazy("smartmoves.pathway.act.connect")
    recognize = lazy("smartmoves.pathway.recognize")
    engine = lazy("smartmoves.engines.entry")


def _weights(path: Path | None) -> Any:
    if path is None:
        return None  # the workspace's (set on the Where-to-start page), else the defaults
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f'{path}: expected names and weights, e.g. {{"capacity": 2}}')
    try:
        return engine.Weights.from_mapping(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def entry_points(
    weights: Annotated[
        Path | None,
        typer.Option(
            help="Weights file (JSON or TOML); default: the workspace's weights (set on the "
            "Where-to-start page), else those of docs/entry-points.md.",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(
            help="The metric that matters (default: the top metric with the most "
            "frontline metrics below it).",
            show_default=False,
        ),
    ] = None,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Score every unit as an entry point: capacity, impact, likelihood, best first."""
    chosen = _weights(weights)
    settings = settings_for(workspace)
    with progress_bar("scoring entry points") as progress:
        found = recognize.entry_points(
            settings,
            cli_account(),
            weights=chosen,
            target=target,
            external_shares=lambda progress: connect.unit_external_shares(
                settings, compute=True, progress=progress
            ),
            progress=progress,
        )
    if format is OutputFormat.json:
        print_json(found.to_dict())
        return
    print_table(
        f"entry points against {found.target_name or 'no metric'}, best first",
        ("unit", "capacity", "impact", "likely", "overall", "can free", "weak on"),
        [
            (
                e.unit_id,
                f"{e.capacity:.2f}",
                f"{e.impact:.2f}",
                f"{e.likelihood:.2f}",
                f"{e.overall:.2f}",
                "?" if e.freeable_volunteers is None else e.freeable_volunteers,
                ", ".join(w.replace("_", " ") for w in e.weak_on),
            )
            for e in found.entry_points
        ],
    )
    for e in found.entry_points[:3]:
        out.print(f"{e.unit_id}: " + "; ".join(e.reasons), markup=False, highlight=False)
    for line in found.notes:
        out.print(f"note: {line}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("entry-points")(entry_points)
