"""``smartmoves network``: who collaborates with whom, whom to meet, who can help.

``analyze`` runs straight on files (``--interactions``, ``--people``) or, without
``--interactions``, on the workspace's imported interactions (cached after the first
run). ``suggest`` and ``experts`` work on a workspace. ``--format json`` prints the
engine's result with stable keys (see ``docs/network.md``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    from smartmoves.engines.network import NetworkAnalysis, Suggestions
    from smartmoves.pathway import audit
    from smartmoves.pathway.act import connect
else:
    connect = lazy("smartmoves.pathway.act.connect")
    audit = lazy("smartmoves.pathway.audit")

network_app = typer.Typer(
    help="Connect to others: collaboration network, whom to meet, who can help.",
    no_args_is_help=True,
)


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


def _analysis_table(analysis: NetworkAnalysis, limit: int) -> None:
    summary = analysis.summary
    out.print(
        f"{summary['people']:,} people, {summary['ties']:,} ties "
        f"({summary['reciprocal_ties']:,} reciprocal), {summary['communities']:,} communities, "
        f"modularity {summary['modularity']:.2f}; {summary['external_ids']:,} external ids",
        highlight=False,
    )
    print_table(
        "units (suppressed below the minimum group size)",
        ("unit", "size", "I", "E", "E-I", "external weight", "top partners"),
        [
            (
                r["unit_id"],
                r["size"],
                r["internal_ties"],
                r["external_ties"],
                r["ei_index"],
                r["external_weight_share"],
                "suppressed" if r["suppressed"] else ", ".join(r["top_partners"] or []),
            )
            for r in analysis.to_dict()["units"]
        ],
    )
    brokers = analysis.to_dict()["brokers"][:limit]
    if brokers:
        print_table(
            "brokers (ties into at least two other units), by betweenness",
            ("rank", "person", "unit", "units reached", "betweenness"),
            [
                (b["rank"], b["person_id"], b["unit_id"], b["units_reached"], b["betweenness"])
                for b in brokers
            ],
        )


@network_app.command("analyze")
def analyze(
    interactions: Annotated[
        Path | None,
        typer.Option(
            help="Interactions file (CSV or Parquet), folder or glob; without it, the "
            "workspace's imported interactions.",
            show_default=False,
        ),
    ] = None,
    people: Annotated[
        Path | None,
        typer.Option(
            help="People file (person_id, unit_id...) for --interactions.", show_default=False
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only events at or after this date.", show_default=False)
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only events before this date.", show_default=False)
    ] = None,
    engine: Annotated[
        Engine | None,
        typer.Option(
            help="Analytics backend (default: duckdb, or the workspace's setting).",
            show_default=False,
        ),
    ] = None,
    min_group_size: Annotated[
        int | None,
        typer.Option(
            help="Units and communities smaller than this are suppressed (default: 5, or the "
            "workspace's setting).",
            show_default=False,
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write every table as Parquet and CSV into this folder.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Brokers to show in the table.")] = 20,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Figures for people, units, brokers and communities from collaboration metadata."""
    if interactions is None:
        if people is not None:
            raise ConfigError("--people goes with --interactions; a workspace has its people")
        settings = settings_for(workspace)
        options = connect.NetworkOptions(
            since=since,
            until=until,
            engine=str(engine or settings.analytics_engine),
            min_group_size=settings.min_group_size if min_group_size is None else min_group_size,
        )
        with progress_bar("analyzing the network") as progress:
            found = connect.workspace_network(settings, options, compute=True, progress=progress)
        analysis = found.analysis
        # The workspace's people, person by person: recorded as admins' views are.
        audit.viewed(settings, cli_account(), "network.people", "network analysis")
    else:
        options = connect.NetworkOptions(
            since=since,
            until=until,
            engine=str(engine or Engine.duckdb),
            min_group_size=5 if min_group_size is None else min_group_size,
        )
        with progress_bar("analyzing the network") as progress:
            analysis = connect.analyze_files(interactions, people, options, progress=progress)
    if out_dir is not None:
        written = connect.write_tables(analysis, out_dir)
        if interactions is None:
            audit.exported(
                settings_for(workspace),
                cli_account(),
                "network tables",
                folder=str(out_dir),
                files=len(written),
            )
        err.print(f"wrote {len(written)} files to {out_dir}", markup=False, highlight=False)
    if format == OutputFormat.json:
        print_json(analysis.to_dict())
        return
    _analysis_table(analysis, limit)


def _suggestions_table(title: str, found: Suggestions) -> None:
    rows = found.to_dict()["suggestions"]
    if not rows:
        out.print(f"{title}: none found", highlight=False)
        return
    key = "id" if found.kind == "similar" else "person_id"
    how = {"embeddings": "by meaning and exact words", "tfidf": "by exact words (TF-IDF)"}
    print_table(
        f"{title}, matched {how[found.method]}" if found.method in how else title,
        ("rank", "who", "unit", "why"),
        [(r["rank"], r[key], r.get("unit_id"), r["why"]) for r in rows],
    )


@network_app.command("suggest")
def suggest(
    person: Annotated[
        str | None, typer.Option(help="Suggest for this person.", show_default=False)
    ] = None,
    workgroup: Annotated[
        int | None, typer.Option(help="Suggest for this workgroup (its id).", show_default=False)
    ] = None,
    about: Annotated[
        str | None,
        typer.Option(
            help="Rank by relevance to this text (default: the workgroup's focus).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Suggestions to list.")] = 10,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """People two steps away in other units (weak, cross-silo ties), each with why."""
    found = connect.suggest(
        settings_for(workspace),
        cli_account(),
        person=person,
        workgroup=workgroup,
        about=about,
        limit=limit,
    )
    if format == OutputFormat.json:
        print_json(found.to_dict())
        return
    _suggestions_table("whom to meet", found)


@network_app.command("experts")
def experts(
    text: Annotated[str, typer.Argument(help="What help is needed, in a few words.")],
    limit: Annotated[int, typer.Option(min=1, help="People to list.")] = 10,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Who can help with TEXT: people whose topics, skills, activities and applications
    match it, each with the words that matched."""
    found = connect.experts(settings_for(workspace), cli_account(), text, limit=limit)
    if format == OutputFormat.json:
        print_json(found.to_dict())
        return
    _suggestions_table(f"who can help with {text!r}", found)


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
