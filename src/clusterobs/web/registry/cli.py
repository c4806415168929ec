"""``clusterobs registry``: give an account a role; load or remove the fictitious example records."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

app = typer.Typer(help="The cluster collaboration registry: roles, fictitious examples.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data directory [env CLUSTEROBS_HOME; ./var]")]


def _django(home: Path | None) -> None:
    """Point Django at the data directory, start it and apply the portal's migrations."""
    from clusterobs.config import Settings

    settings = Settings.from_env(home=home)
    os.environ["CLUSTEROBS_HOME"] = str(settings.home)
    settings.home.mkdir(parents=True, exist_ok=True)
    from clusterobs.web.server import migrate, setup_django

    setup_django()
    migrate()


@app.command("set-role")
def set_role(username: Annotated[str, typer.Argument(help="Account name")],
             role: Annotated[str, typer.Argument(help="visitor, member, curator or admin")],
             home: HomeOpt = None) -> None:
    """Give an account one role (curators and admins get the admin site)."""
    _django(home)
    from django.contrib.auth import get_user_model

    from clusterobs.web.registry import roles

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        err.print(f"[bold red]No account named {username!r}.[/]")
        raise typer.Exit(1)
    try:
        roles.role_set(user, role)
    except ValueError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(2) from exc
    console.print(f"{username} is now [cyan]{role}[/].")


@app.command("load-examples")
def load_examples(home: HomeOpt = None) -> None:
    """Load three fictitious organisations, a request, an event, three programmes and three news items, each shown
    as an example."""
    _django(home)
    from clusterobs.web.registry.examples import examples_load

    try:
        n = examples_load()
    except ValueError as exc:  # no published dataset: categories cannot be checked
        err.print(f"[bold red]{exc}[/] (run `clusterobs ingest` first)")
        raise typer.Exit(1) from exc
    loaded = ", ".join(f"{count} {kind}" for kind, count in n.items() if count)
    console.print(f"Loaded example records: {loaded}." if loaded else "The examples are already loaded.")


@app.command("remove-examples")
def remove_examples(home: HomeOpt = None) -> None:
    """Delete every fictitious example record."""
    _django(home)
    from clusterobs.web.registry.examples import examples_remove

    console.print(f"Removed {examples_remove()} example organisations (and their requests, events, programmes, news).")
