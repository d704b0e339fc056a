"""``smartmoves coaches`` and ``smartmoves charter``: supervisors as coaches, and each
workgroup's charter (every save a new version)."""

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
    settings_for,
)
from smartmoves.errors import ConfigError

if TYPE_CHECKING:
    from smartmoves.pathway.create import coaching
else:
    coaching = lazy("smartmoves.pathway.create.coaching")

coaches_app = typer.Typer(
    help="Coaches: a frontline supervisor per workgroup, and their checklist.",
    no_args_is_help=True,
)
charter_app = typer.Typer(
    help="Charters: what each workgroup's work is during the pilot (versioned).",
    no_args_is_help=True,
)

PilotOption = Annotated[int, typer.Option(help="The pilot's id.")]
# The store's COACH_PARTS and CHECK_STATUSES, written out so that --help imports nothing.
PARTS_HELP = "expectations, performance, development, focus, support"
STATUSES_HELP = "todo, in_progress, done"
WorkgroupOption = Annotated[int, typer.Option(help="The workgroup's id.")]


@coaches_app.command("assign")
def assign(
    pilot: PilotOption,
    workgroup: WorkgroupOption,
    coach: Annotated[str, typer.Option(help="The person_id of a frontline supervisor.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Make a frontline supervisor the coach of a workgroup (at most two each)."""
    view = coaching.assign_coach(settings_for(workspace), cli_account(), pilot, workgroup, coach)
    names = ", ".join(w.name for w in view.workgroups)
    out.print(f"{view.person_id} coaches {names} in pilot {pilot}", highlight=False)


@coaches_app.command("remove")
def remove(
    pilot: PilotOption, workgroup: WorkgroupOption, workspace: WorkspaceOption = None
) -> None:
    """Leave a workgroup without a coach (the coach's checklist is kept)."""
    group = coaching.remove_coach(settings_for(workspace), cli_account(), pilot, workgroup)
    out.print(f"{group.name} has no coach now, in pilot {pilot}", highlight=False)


@coaches_app.command("list")
def list_(
    pilot: PilotOption,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """The pilot's workgroups with their coaches, and each coach's checklist."""
    view = coaching.coaches_view(settings_for(workspace), cli_account(), pilot)
    if format == OutputFormat.json:
        print_json(view.model_dump(mode="json"))
        return
    print_table(
        "workgroups and coaches",
        ("workgroup", "id", "members", "coach", "focus"),
        [(w.name, w.id, w.members, w.coach_id or "-", w.focus or "") for w in view.workgroups],
    )
    print_table(
        "the shift, coach by coach",
        ("coach", *coaching.COACH_PARTS),
        [(c.person_id, *(p.status for p in c.checklist)) for c in view.coaches],
    )


@coaches_app.command("check")
def check(
    pilot: PilotOption,
    coach: Annotated[str, typer.Option(help="The coach's person_id.")],
    part: Annotated[str, typer.Option(help=PARTS_HELP)],
    status: Annotated[str | None, typer.Option(help=STATUSES_HELP, show_default=False)] = None,
    notes: Annotated[
        str | None, typer.Option(help="Notes on this part.", show_default=False)
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Update one part of a coach's checklist."""
    view = coaching.update_check(
        settings_for(workspace), cli_account(), pilot, coach, part, status=status, notes=notes
    )
    out.print(f"{coach}: {part} is {next(c.status for c in view.checklist if c.part == part)}")


@charter_app.command("show")
def show(
    workgroup: WorkgroupOption,
    format: OutputOption = OutputFormat.table,
    workspace: WorkspaceOption = None,
) -> None:
    """The workgroup's current charter, and what changed in each version."""
    view = coaching.charter_view(settings_for(workspace), cli_account(), workgroup)
    if format == OutputFormat.json:
        print_json(view.model_dump(mode="json"))
        return
    if view.current is None:
        out.print(f"workgroup {workgroup} has no charter yet (smartmoves charter set)")
        return
    current = view.current
    print_table(
        f"charter of workgroup {workgroup}, version {current.version} by {current.created_by}",
        ("field", "value"),
        [(f.label, _text(getattr(current.content, f.key))) for f in coaching.FIELDS],
    )
    for v in view.versions:
        changed = ", ".join(c.label.lower() for c in v.changes) or "no change"
        out.print(f"version {v.version} ({v.created_at:%Y-%m-%d %H:%M}, {v.created_by}): {changed}")


def _text(value: Any) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value)


def _read(path: Path) -> dict[str, Any]:
    """A charter from JSON or TOML, its keys the charter's fields."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(
            f"{path} is not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}"
        ) from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} must hold one object with the charter's fields")
    known = {f.key for f in coaching.FIELDS}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown field {', '.join(unknown)} (expected {', '.join(sorted(known))})"
        )
    metrics = raw.get("relaxed_metrics")
    if isinstance(metrics, str):
        raw["relaxed_metrics"] = [metrics]
    return raw


def _option(help: str) -> Any:
    return typer.Option(help=help, show_default=False)


@charter_app.command("set")
def set_(
    workgroup: WorkgroupOption,
    file: Annotated[
        Path | None,
        typer.Option(help="A .json or .toml file with the charter's fields.", show_default=False),
    ] = None,
    objective: Annotated[str | None, _option("The new value to create, not an output.")] = None,
    starting_problem: Annotated[str | None, _option("A real need to start on.")] = None,
    shared_outcome: Annotated[str | None, _option("The outcome every member commits to.")] = None,
    powerful_question: Annotated[str | None, _option("The question that guides the work.")] = None,
    may_touch: Annotated[str | None, _option("Customers and systems they may touch.")] = None,
    may_not_touch: Annotated[str | None, _option("Customers and systems off limits.")] = None,
    relaxed_metric: Annotated[
        list[str] | None, _option("A metric relaxed during the pilot (repeat the option).")
    ] = None,
    performance: Annotated[str | None, _option("How performance is judged in the pilot.")] = None,
    support: Annotated[str | None, _option("The support offered.")] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Save a new version of a workgroup's charter: the current version (or a prefilled
    draft), then the file, then the options; objective and starting problem required.
    Refused when someone saves another version between the read and the save."""
    settings, account = settings_for(workspace), cli_account()
    start = coaching.charter_view(settings, account, workgroup)
    values = start.draft.model_dump()
    if file is not None:
        values.update(_read(file))
    given = {
        "objective": objective,
        "starting_problem": starting_problem,
        "shared_outcome": shared_outcome,
        "powerful_question": powerful_question,
        "may_touch": may_touch,
        "may_not_touch": may_not_touch,
        "relaxed_metrics": relaxed_metric,
        "performance": performance,
        "support": support,
    }
    values.update({k: v for k, v in given.items() if v is not None})
    from pydantic import ValidationError

    try:
        content = coaching.CharterContent.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"charter field {where}: {first['msg']}") from None
    view = coaching.save_charter(settings, account, workgroup, content, base_version=start.version)
    assert view.current is not None
    changed = ", ".join(c.label.lower() for c in view.current.changes) or "no change"
    out.print(f"workgroup {workgroup}: charter version {view.current.version} ({changed})")


def register(app: typer.Typer) -> None:
    app.add_typer(coaches_app, name="coaches")
    app.add_typer(charter_app, name="charter")
