"""``smartmoves demo``: the demo workspace that ``make demo`` serves."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from smartmoves.cli.common import lazy, out, progress_bar

if TYPE_CHECKING:
    from smartmoves.pathway.demo import build as demo_build
else:
    demo_build = lazy("smartmoves.pathway.demo.build")

demo_app = typer.Typer(help="The demo workspace: a synthetic regional bank.", no_args_is_help=True)


@demo_app.command("build")
def build(
    folder: Annotated[Path, typer.Argument(help="Folder for the demo workspace.")],
    people: Annotated[int, typer.Option(min=1, help="Headcount of the bank.")] = 2000,
    weeks: Annotated[int, typer.Option(min=1, help="Weeks of history.")] = 26,
    seed: Annotated[int, typer.Option(help="Same seed, same bank.")] = 0,
) -> None:
    """Build the demo (or reuse the one in FOLDER) and print one login per role."""
    with progress_bar("building the demo") as progress:
        logins = demo_build.build_demo(
            folder, people=people, weeks=weeks, seed=seed, progress=progress
        )
    # Plain lines, so that a narrow terminal never folds an email or a password.
    out.print(f"demo workspace: {folder}", highlight=False)
    out.print("logins (role, email, password, who):", highlight=False)
    for x in logins:
        out.print(f"  {x.role:<10} {x.email:<24} {x.password}  {x.who}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
