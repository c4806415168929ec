"""Render the command-line reference (``docs/cli.md``) from the Typer help of ``clusterobs.cli.app``.

The reference is generated, never written by hand: ``tests/test_docs.py`` fails when the
committed file differs from what this module renders, so a changed help text, option or
command must be followed by::

    .venv/bin/python -m clusterobs.docs_reference > docs/cli.md

The output does not depend on the terminal: usage lines are built from the commands'
usage pieces, not from Click's width-dependent formatter.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from typing import Any

import typer

REGENERATE = ".venv/bin/python -m clusterobs.docs_reference > docs/cli.md"
PROGRAM = "clusterobs"


def walk(app: typer.Typer | None = None) -> Iterator[tuple[str, Any, Any]]:
    """Yield ``(command_path, command, context)`` for the root command and every sub-command, depth first."""
    if app is None:
        from clusterobs.cli import app as default_app

        app = default_app
    root = typer.main.get_command(app)
    ctx = root.make_context(PROGRAM, [], resilient_parsing=True)
    yield from _walk(root, ctx)


def _walk(command: Any, ctx: Any) -> Iterator[tuple[str, Any, Any]]:
    yield ctx.command_path, command, ctx
    list_commands = getattr(command, "list_commands", None)
    if list_commands is None:
        return
    for name in list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is None or getattr(sub, "hidden", False):
            continue
        sub_ctx = sub.make_context(name, [], parent=ctx, resilient_parsing=True)
        yield from _walk(sub, sub_ctx)


def render(app: typer.Typer | None = None) -> str:
    """The Markdown reference of every command: usage, help text, arguments and options."""
    out = [
        "# Command-line reference",
        "",
        f"<!-- Generated from the Typer help of clusterobs.cli.app; do not edit. Regenerate with: {REGENERATE} -->",
        "",
        "Every command of `clusterobs`, as its `--help` describes it. Paths default to the environment variables",
        "`CLUSTEROBS_HOME` (data directory, default `./var`) and `CLUSTEROBS_MIRROR` (offline mirror, default",
        "`../shared/data`) when the option is not given.",
    ]
    for path, command, ctx in walk(app):
        out += ["", f"## `{path}`", "", "```", f"{path} {' '.join(command.collect_usage_pieces(ctx))}".rstrip(),
                "```"]
        help_text = inspect.cleandoc(command.help or "")
        if help_text:
            out += ["", help_text]
        subs = _subcommands(command, ctx)
        if subs:
            out += ["", "| Command | Summary |", "|---|---|"]
            out += [f"| [`{name}`](#{_anchor(f'{path} {name}')}) | {_cell(summary)} |" for name, summary in subs]
        params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
        arguments = [p for p in params if p.param_type_name == "argument"]
        options = [p for p in params if p.param_type_name == "option"]
        for title, group in (("Argument", arguments), ("Option", options)):
            if not group:
                continue
            out += ["", f"| {title} | Description |", "|---|---|"]
            for param in group:
                record = param.get_help_record(ctx)
                if record is None:
                    continue
                names, description = record
                out.append(f"| `{names}` | {_cell(description)} |")
    return "\n".join(out) + "\n"


def _subcommands(command: Any, ctx: Any) -> list[tuple[str, str]]:
    list_commands = getattr(command, "list_commands", None)
    if list_commands is None:
        return []
    rows = []
    for name in list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is not None and not getattr(sub, "hidden", False):
            rows.append((name, sub.get_short_help_str(limit=500)))
    return rows


def _anchor(heading: str) -> str:
    """The GitHub-style anchor of a ``## `heading` `` line."""
    return "".join(ch for ch in heading.lower().replace(" ", "-") if ch.isalnum() or ch in "-_")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def main() -> None:  # pragma: no cover - console entry point
    sys.stdout.write(render())


if __name__ == "__main__":  # pragma: no cover
    main()
