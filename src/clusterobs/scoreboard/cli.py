"""``clusterobs scoreboard``: add your own indicators, show the registry and a region's scores."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from clusterobs.config import Settings
from clusterobs.errors import ClusterobsError

if TYPE_CHECKING:
    from clusterobs.store import Store

app = typer.Typer(help="The Regional Ecosystem Scoreboard: indicators, user indicators, scores.",
                  no_args_is_help=True)
console = Console()
err = Console(stderr=True)
HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data directory [env CLUSTEROBS_HOME; ./var]")]


def load_user_file(store: Store, file: Path, *, replace: bool = False) -> str:
    """Validate and publish a user indicator file; on error print it and exit 1 (nothing changes)."""
    from clusterobs.scoreboard.stage import add_indicators

    previous = store.current()
    try:
        version, user = add_indicators(store, file, replace=replace)
    except (ClusterobsError, OSError) as exc:
        err.print(f"[bold red]Indicators not loaded:[/] {exc}")
        err.print(f"The published version [bold]{previous}[/] is unchanged.")
        raise typer.Exit(1) from exc
    names = ", ".join(sorted(set(user["indicator"])))
    console.print(f"Loaded {len(user):,} values of {user['indicator'].nunique()} user indicator(s) ({names}) into "
                  f"version [bold green]{version}[/].")
    return version


@app.command("add-indicators")
def add_indicators(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV: indicator, name, dimension, subdimension, "
                                         "region, year, value [, unit, direction, transformation, weight]")],
    home: HomeOpt = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace user indicators loaded before with the "
                                          "same ids")] = False,
) -> None:
    """Add indicators from your own CSV file to the scoreboard (validated; a bad file changes nothing)."""
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    if store.current() is None:
        err.print(f"[bold red]no published dataset in {store.home}: run `clusterobs ingest` first[/]")
        raise typer.Exit(1)
    load_user_file(store, file, replace=replace)


@app.command("indicators")
def indicators(home: HomeOpt = None) -> None:
    """List the scoreboard's indicators as computed: dimension, source, direction, regions with a value."""
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    try:
        df = store.table("scoreboard_indicators")
    except Exception as exc:  # no compute yet
        err.print(f"[bold red]No scoreboard in the published version:[/] run `clusterobs compute` ({exc})")
        raise typer.Exit(1) from exc
    t = Table("id", "dimension / sub-dimension", "source", "dir.", "transf.", "regions", "imputed", "winsorised",
              title="Scoreboard indicators")
    for r in df.itertuples():
        t.add_row(r.id, f"{r.dimension} / {r.subdimension}", f"{r.source}:{r.source_id}"[:48],
                  f"{r.direction:+d}", r.transformation, str(r.regions), str(r.imputed), str(r.treated_values))
    console.print(t)
    left_out = int((df["excluded"].fillna("") != "").sum())
    console.print(f"{len(df)} indicators in {df['dimension'].nunique()} dimensions; {left_out} left out for too "
                  f"few regions; {int(df['user'].sum())} added by users.")


@app.command("run")
def run(
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV of the scores (region, level, name, score, "
                                         "rank, indicators_used, normalisation, aggregation)")],
    home: HomeOpt = None,
    normalisation: Annotated[str, typer.Option(help="minmax, zscore, rank or distance")] = "minmax",
    aggregation: Annotated[str, typer.Option(help="arithmetic or geometric")] = "arithmetic",
    min_coverage: Annotated[float, typer.Option(help="Share of a node's weight a region needs to be scored")] = 0.5,
    registry: Annotated[Path | None, typer.Option(help="Another registry YAML file [default: the built-in one]")]
    = None,
) -> None:
    """Recompute the scoreboard with other options from the published version, into a CSV (nothing is
    published)."""
    from clusterobs.scoreboard.build import build
    from clusterobs.scoreboard.pipeline import Settings as ScoreSettings
    from clusterobs.scoreboard.registry import REGISTRY_FILE, load_registry
    from clusterobs.scoreboard.stage import reader
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    settings = ScoreSettings(normalisation=normalisation, aggregation=aggregation, min_coverage=min_coverage)
    try:
        settings.check()
        reg = load_registry(registry or REGISTRY_FILE)
        sb = build(reader(store, {}), registry=reg, settings=settings, draws=0)
    except (ClusterobsError, ValueError) as exc:
        err.print(f"[bold red]Scoreboard not computed:[/] {exc}")
        raise typer.Exit(1) from exc
    sb.result.scores.to_csv(output, index=False)
    ov = sb.result.scores.query("level == 'overall'").dropna(subset=["score"])
    console.print(f"{len(ov)} regions scored ({normalisation}, {aggregation}); scores written to {output}.")
