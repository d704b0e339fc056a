"""The command reference (``docs/cli.md``), generated from the commands themselves.

``python -m smartmoves.cli.reference > docs/cli.md`` rewrites it; a test fails when the
file and the commands disagree.
"""

from __future__ import annotations

from typing import Any

import typer

__all__ = ["reference_markdown"]


def _walk(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    found = [(path, command)]
    for name in sorted(getattr(command, "commands", {}) or {}):
        found += _walk(command.commands[name], [*path, name])
    return found


def _option_line(param: Any) -> str:
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    help_text = (getattr(param, "help", None) or "").strip()
    default = param.default
    if default not in (None, False, "") and not callable(default) and not param.is_flag:
        shown = getattr(default, "value", default)
        help_text = f"{help_text} (default: {shown})".strip()
    return f"- {names}: {help_text}" if help_text else f"- {names}"


def reference_markdown(app: typer.Typer) -> str:
    """Markdown with one section per command: usage, description, arguments, options."""
    root = typer.main.get_command(app)
    lines = [
        "# Command reference",
        "",
        "Generated from the commands' own help by "
        "`python -m smartmoves.cli.reference > docs/cli.md`; do not edit by hand.",
        "",
    ]
    for path, command in _walk(root, ["smartmoves"])[1:]:
        if getattr(command, "hidden", False):
            continue
        ctx = typer.Context(command, info_name=" ".join(path))
        lines += [f"## {' '.join(path)}", "", "```", command.get_usage(ctx).strip(), "```", ""]
        text = (command.help or "").strip()
        if text:
            lines += [text, ""]
        arguments = [p for p in command.params if p.param_type_name == "argument"]
        options = [
            p
            for p in command.params
            if p.param_type_name == "option" and p.name not in ("help",) and not p.hidden
        ]
        if arguments:
            lines += ["Arguments:", ""]
            lines += [
                f"- `{p.name.upper()}`: {(getattr(p, 'help', '') or '').strip()}" for p in arguments
            ]
            lines.append("")
        if options:
            lines += ["Options:", ""]
            lines += [_option_line(p) for p in options]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - a maintenance script
    from smartmoves.cli.main import app

    print(reference_markdown(app), end="")
