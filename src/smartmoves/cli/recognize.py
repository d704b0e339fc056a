"""``smartmoves catalysts`` and ``smartmoves champion``: why the organization should
redefine work now (each catalyst judged against the seeds' four questions), and who
champions it (checked against the seeds). See ``docs/entry-points.md``."""

from __future__ import annotations

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
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway import recognize
else:
    recognize = lazy("smartmoves.pathway.recognize")

catalysts_app = typer.Typer(
    help="Catalysts: why redefine work now, each judged against the four questions.",
    no_args_is_help=True,
)
champion_app = typer.Typer(
    help="The champion: who sponsors the pilot, checked against the seeds.",
    no_args_is_help=True,
)

# The engine's CATALYST_TYPES and the answers, written out so that --help imports nothing.
TYPES_HELP = (
    "market_pressure, skills_gap, technology_change, automation_program, "
    "reorganization_or_merger, compelling_opportunity, other"
)
QUESTIONS = ("break_status_quo", "urgent_now", "beyond_optimization", "pilot_can_be_freed")
LEVELS_HELP = "c_level, executive, senior_manager, manager, other"


def _answer(help: str) -> Any:
    return typer.Option(help=f"{help} yes, no or unsure.", show_default=False)


def _evidence(items: list[str] | None) -> dict[str, str]:
    notes: dict[str, str] = {}
    for item in items or []:
        question, sep, note = item.partition("=")
        if not sep or question.strip() not in QUESTIONS:
            raise ConfigError(
                f"--evidence takes QUESTION=NOTE, the question one of {', '.join(QUESTIONS)} "
                f"(got {item!r})"
            )
        notes[question.strip()] = note
    return notes


def _print_catalyst(c: Any) -> None:
    out.print(
        f"catalyst {c.id}: {c.title} ({c.kind_label}), version {c.version}: {c.verdict}",
        highlight=False,
    )
    print_table(
        "the four questions",
        ("question", "answer", "evidence"),
        [(a.question, a.answer, a.evidence or "-") for a in c.answers],
    )
    for r in c.reasons:
        out.print(f"  - {r}", highlight=False)
    for w in c.warnings:
        out.print(f"  ! {w}", highlight=False)


@catalysts_app.command("list")
def list_(format: OutputOption = OutputFormat.table, workspace: WorkspaceOption = None) -> None:
    """Every catalyst with its verdict."""
    view = recognize.list_catalysts(settings_for(workspace), cli_account())
    if format == OutputFormat.json:
        print_json([c.model_dump(mode="json") for c in view.catalysts])
        return
    if not view.catalysts:
        out.print("no catalyst yet (smartmoves catalysts add)")
        return
    print_table(
        "catalysts",
        ("id", "type", "title", "verdict", "why"),
        [(c.id, c.kind_label, c.title, c.verdict, "; ".join(c.reasons)) for c in view.catalysts],
    )


@catalysts_app.command("show")
def show(
    catalyst_id: Annotated[int, typer.Argument(help="The catalyst's id.")],
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """One catalyst: its four answers with their evidence, its verdict and why."""
    c = recognize.catalyst(settings_for(workspace), cli_account(), catalyst_id)
    if format == OutputFormat.json:
        print_json(c.model_dump(mode="json"))
        return
    _print_catalyst(c)


@catalysts_app.command("add")
def add(
    type: Annotated[str, typer.Option("--type", help=TYPES_HELP)],
    title: Annotated[str, typer.Option(help="What pushes the organization to act.")],
    break_status_quo: Annotated[str, _answer("Must we break from the status quo?")] = "unsure",
    urgent_now: Annotated[str, _answer("Is it urgent to act now?")] = "unsure",
    beyond_optimization: Annotated[
        str, _answer("Must we think beyond optimization, toward value and meaning?")
    ] = "unsure",
    pilot_can_be_freed: Annotated[
        str, _answer("Can a pilot group be freed to do redefined work full time?")
    ] = "unsure",
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            help="QUESTION=NOTE, the evidence for an answer (repeat the option).",
            show_default=False,
        ),
    ] = None,
    mainly_controls: Annotated[
        bool, typer.Option("--mainly-controls", help="It mainly calls for controls.")
    ] = False,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """Record a catalyst and print its verdict."""
    answers = {
        "break_status_quo": break_status_quo,
        "urgent_now": urgent_now,
        "beyond_optimization": beyond_optimization,
        "pilot_can_be_freed": pilot_can_be_freed,
    }
    body = recognize.CatalystIn(
        kind=type,
        title=title,
        answers=answers,
        evidence=_evidence(evidence),
        mainly_controls=mainly_controls,
    )
    c = recognize.add_catalyst(settings_for(workspace), cli_account(), body)
    if format == OutputFormat.json:
        print_json(c.model_dump(mode="json"))
        return
    _print_catalyst(c)


def _print_champion(page: Any) -> None:
    ch = page.champion
    if ch is None:
        out.print("no champion yet (smartmoves champion set)")
        return
    area = f"{ch.unit_name} ({ch.unit_id}), {ch.area_units} units" if ch.unit_id else "-"
    print_table(
        f"champion, version {ch.version} by {ch.set_by}",
        ("", ""),
        [
            ("person", f"{ch.name} ({ch.person_id})"),
            ("role", ch.role or "-"),
            ("level", ch.level_label or "not recorded"),
            ("convinced", ch.conviction),
            ("communicates", ch.communicates),
            ("air cover", ch.air_cover),
            ("area", area),
            ("vision", ch.vision or "-"),
        ],
    )
    if ch.ready:
        out.print("ready: nothing to warn about")
    for w in ch.warnings:
        out.print(f"  ! {w}", highlight=False)


@champion_app.command("show")
def champion_show(
    format: OutputOption = OutputFormat.table, workspace: WorkspaceOption = None
) -> None:
    """The champion and the seeds' warnings."""
    page = recognize.show_champion(settings_for(workspace), cli_account())
    if format == OutputFormat.json:
        print_json(None if page.champion is None else page.champion.model_dump(mode="json"))
        return
    _print_champion(page)


def _option(help: str) -> Any:
    return typer.Option(help=help, show_default=False)


@champion_app.command("set")
def champion_set(
    person: Annotated[str | None, _option("The champion's person_id.")] = None,
    level: Annotated[str | None, _option(LEVELS_HELP)] = None,
    conviction: Annotated[
        str | None, _option("Convinced that redefining work is the answer: yes, no or unsure.")
    ] = None,
    communicates: Annotated[str | None, _option("Commits to communicate: yes/no/unsure.")] = None,
    air_cover: Annotated[str | None, _option("Commits to give air cover: yes/no/unsure.")] = None,
    area: Annotated[str | None, _option("The unit they control or influence (and below).")] = None,
    vision: Annotated[str | None, _option("The vision statement the frontline will hear.")] = None,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:  # fmt: skip
    """Set the champion: the current one (if any), changed by the options given.
    Refused when someone sets it between the read and the save."""
    settings, account = settings_for(workspace), cli_account()
    start = recognize.show_champion(settings, account)
    ch = start.champion
    values: dict[str, Any] = (
        {
            "person_id": ch.person_id, "level": ch.level or "", "conviction": ch.conviction,
            "communicates": ch.communicates, "air_cover": ch.air_cover,
            "unit_id": ch.unit_id or "", "vision": ch.vision,
        }
        if ch is not None
        else {}
    )  # fmt: skip
    given = {
        "person_id": person, "level": level, "conviction": conviction,
        "communicates": communicates, "air_cover": air_cover, "unit_id": area, "vision": vision,
    }  # fmt: skip
    values.update({k: v for k, v in given.items() if v is not None})
    base = 0 if ch is None else ch.version
    page = recognize.set_champion(
        settings, account, recognize.ChampionIn(**values), base_version=base
    )
    if format == OutputFormat.json:
        print_json(None if page.champion is None else page.champion.model_dump(mode="json"))
        return
    _print_champion(page)


def register(app: typer.Typer) -> None:
    app.add_typer(catalysts_app, name="catalysts")
    app.add_typer(champion_app, name="champion")
