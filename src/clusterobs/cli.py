"""The ``clusterobs`` command: ingest, info, quarantine, download, gc.

Importing this module imports the commands' options only (typer, rich): each command imports what it uses when it
runs, so that ``clusterobs report`` starts its browser before the heavy imports (``reports.cli``) and importing the
module starts nothing."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from clusterobs.config import DEFAULT_KEEP, Settings
from clusterobs.errors import ClusterobsError, SourceError, StoreError
from clusterobs.microdata import cli as microdata_cli
from clusterobs.reports import cli as reports_cli
from clusterobs.scoreboard import cli as scoreboard_cli
from clusterobs.web.registry import cli as registry_cli

if TYPE_CHECKING:
    from clusterobs.store import Store

app = typer.Typer(help="clusterobs: the European Cluster Observatory toolkit.", no_args_is_help=True,
                  pretty_exceptions_enable=False)
console = Console()
err = Console(stderr=True)

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data directory [env CLUSTEROBS_HOME; ./var]")]
MirrorOpt = Annotated[
    Path | None, typer.Option("--mirror", help="Offline mirror [env CLUSTEROBS_MIRROR; ../shared/data]")
]

WaitOpt = Annotated[float, typer.Option(
    "--wait", metavar="SECONDS", help="If another ingest, compute or gc is writing to the same data directory, wait "
    "up to this long for it (default: refuse at once, exit code 75)")]
#: exit code when another writer holds the data directory (EX_TEMPFAIL: try again later)
EXIT_BUSY = 75


def _progress() -> Progress:
    return Progress(TextColumn("[bold]{task.description:<48}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=False)


def _still_serving(store: Store, previous: str | None) -> None:
    """Say which version serves after a failed run: re-read, since another run may have published meanwhile."""
    now = store.current()
    if now is None:
        err.print("No version has been published yet.")
    elif now == previous:
        err.print(f"The published version [bold]{now}[/] is unchanged and keeps serving.")
    else:
        err.print(f"Version [bold]{now}[/] was published meanwhile by another run (it replaced {previous}); "
                  "it is the one serving.")


def _cleaned(paths: list[tuple[Path, int]]) -> None:
    if paths:
        console.print(f"Removed {len(paths)} leftover file(s) of an interrupted run "
                      f"({sum(n for _, n in paths) / 1e6:.1f} MB): " + ", ".join(p.name for p, _ in paths))


@app.command()
def ingest(
    home: HomeOpt = None,
    mirror: MirrorOpt = None,
    accept_changed: Annotated[list[str] | None, typer.Option(
        "--accept-changed", metavar="SOURCE", help="Accept this source's files although their checksum differs from "
        "the one recorded for it (a deliberate update); repeatable. The new checksum and line count are recorded in "
        "the dataset version")] = None,
    wait: WaitOpt = 0.0,
) -> None:
    """Read every source of the mirror into a new dataset version and publish it atomically.

    Every raw file is checked first against the checksum and line count its source was written for; a file that
    differs (truncated, edited, a new release) stops the ingest before anything is published, unless its source is
    named with --accept-changed. One writer at a time per data directory: another running ingest, compute or gc
    makes this one refuse (exit code 75), or wait with --wait. Leftovers of an interrupted run are removed first.
    """
    from clusterobs.ingest import run_ingest
    from clusterobs.store import Store
    from clusterobs.store.lock import StoreBusy

    settings = Settings.from_env(home=home, mirror=mirror)
    store = Store(settings.home)
    previous = store.current()
    console.print(f"Ingesting the mirror [cyan]{settings.mirror}[/] into [cyan]{settings.home}[/]")
    with _progress() as bar:
        task = bar.add_task("checksumming raw files", total=None)

        def report(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        def waiting(holder: str) -> None:
            bar.update(task, description="waiting for the other writer")
            err.print(f"Waiting up to {wait:.0f} s: {holder} is writing to {settings.home}.")

        try:
            summary = run_ingest(settings, progress=report, accept_changed=accept_changed or (), wait=wait,
                                 on_wait=waiting)
        except ValueError as exc:
            bar.stop()
            err.print(f"[bold red]{exc}[/]")
            raise typer.Exit(2) from exc
        except StoreBusy as exc:
            bar.stop()
            err.print(f"[bold red]Ingest refused:[/] {exc}")
            _still_serving(store, previous)
            raise typer.Exit(EXIT_BUSY) from exc
        except (ClusterobsError, OSError) as exc:
            bar.stop()
            err.print(f"[bold red]Ingest failed:[/] {exc}")
            _still_serving(store, previous)
            raise typer.Exit(1) from exc
    _cleaned(summary.cleaned)
    for a in summary.accepted:
        console.print(f"Accepted changed file [cyan]{a['file']}[/] ({a['source']}): sha256 {a['sha256']}, "
                      f"{a['lines'] if a['lines'] is not None else 'n/a'} lines (expected {a['expected_sha256']}, "
                      f"{a['expected_lines'] if a['expected_lines'] is not None else 'n/a'} lines).")
    console.print(
        f"Published version [bold green]{summary.version}[/] in {summary.seconds:.1f} s: "
        f"{len(summary.tables)} tables, {summary.quarantined:,} rows quarantined, "
        f"{summary.quirks:,} rows loaded after a documented fix. Details: [cyan]clusterobs info[/]."
    )


@app.command()
def info(
    home: HomeOpt = None,
    version: Annotated[str | None, typer.Option(help="A dataset version (default: the published one)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON")] = False,
    svg: Annotated[Path | None, typer.Option(help="Also save the printed report as an SVG image")] = None,
) -> None:
    """Dataset versions, sources with checksums, row counts and quarantined rows by reason."""
    from clusterobs.store import Store

    console.record = svg is not None
    store = Store(Settings.from_env(home=home).home)
    try:
        v = version or store.current()
        if v is None:
            raise StoreError(f"no published dataset in {store.home}: run `clusterobs ingest` first")
        with contextlib.closing(store.connect(v)) as con:
            tables = con.sql("SELECT name, rows, checksum, description FROM _tables ORDER BY name").df()
            cols = {r[0] for r in con.sql("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'sources'").fetchall()}
            check = "\"check\"" if "check" in cols else "NULL AS \"check\""  # versions before the checks
            sources = con.sql(f"SELECT source, file, sha256, bytes, url, {check} FROM sources "
                              "ORDER BY source, file").df()
            reasons = con.sql(
                "SELECT source, reason, count(*) AS rows FROM quarantine GROUP BY ALL ORDER BY source, rows DESC"
            ).df()
            quirks = con.sql(
                "SELECT source, quirk, sum(rows)::BIGINT AS rows FROM quirks GROUP BY ALL ORDER BY source, rows DESC"
            ).df()
        meta = store.meta(v)
    except ClusterobsError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    versions = store.versions()
    if as_json:
        payload = {
            "version": v, "meta": meta,
            "versions": [{"version": i.version, "published": i.published} for i in versions],
            "tables": tables.to_dict("records"), "sources": sources.to_dict("records"),
            "quarantine_by_reason": reasons.to_dict("records"), "quirks": quirks.to_dict("records"),
        }
        console.print_json(json.dumps(payload, default=str))
        return
    console.print(f"[bold]Dataset version {v}[/] (code {meta.get('code_version')}, created {meta.get('created_at')})")
    vt = Table("version", "published", title="Versions in " + str(store.home))
    for i in versions:
        vt.add_row(i.version, "yes" if i.published else "")
    console.print(vt)
    st = Table("source", "file", "sha256", "bytes", "check", title="Sources")
    for r in sources.itertuples():
        st.add_row(r.source, r.file, r.sha256[:16] + "…", f"{r.bytes:,}", r.check if isinstance(r.check, str) else "")
    console.print(st)
    accepted = meta.get("accepted_changes") or []
    if accepted:
        at = Table("source", "file", "sha256 accepted", "lines", "sha256 expected", "lines expected",
                   title="Files accepted although they differ from the checksum recorded for their source "
                   "(--accept-changed)")
        for a in accepted:
            at.add_row(a["source"], a["file"], a["sha256"], str(a.get("lines")), str(a.get("expected_sha256")),
                       str(a.get("expected_lines")))
        console.print(at)
    tt = Table("table", "rows", "checksum", "description", title="Tables")
    for r in tables.itertuples():
        tt.add_row(r.name, f"{r.rows:,}", r.checksum[:12], r.description)
    console.print(tt)
    qt = Table("source", "reason", "rows", title=f"Quarantined rows by reason ({int(reasons['rows'].sum()):,})")
    for r in reasons.itertuples():
        qt.add_row(r.source, r.reason, f"{r.rows:,}")
    console.print(qt)
    kt = Table("source", "quirk", "rows", title="Rows loaded after a documented fix")
    for r in quirks.itertuples():
        kt.add_row(r.source, r.quirk, f"{r.rows:,}")
    console.print(kt)
    if svg is not None:
        console.save_svg(str(svg), title="clusterobs info")


@app.command()
def compute(
    home: HomeOpt = None,
    impute: Annotated[bool, typer.Option("--impute/--no-impute", help="Impute confidential and missing cells")] = True,
    engine: Annotated[str, typer.Option(help="duckdb, or spark (needs clusterobs[spark] and Java)")] = "duckdb",
    spark_master: Annotated[str, typer.Option(help="Spark master: local[N] or a cluster URL")] = "local[2]",
    spark_conf: Annotated[list[str] | None, typer.Option(
        "--spark-conf", help="Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=4g")] = None,
    nuts_version: Annotated[list[int] | None, typer.Option(
        "--nuts-version", metavar="V", help="Map only the units of this NUTS version (repeatable; default: every "
        "unit: NUTS 2021 levels 2, 1 and 0, NUTS 2016 and 2013 level 2)")] = None,
    level: Annotated[list[int] | None, typer.Option(
        "--level", metavar="L", help="Map only the units of this NUTS level (repeatable; with --nuts-version, the "
        "units of both)")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes mapping NUTS versions in parallel on DuckDB (default: the cores available; 1: one "
        "process)")] = None,
    scoreboard_indicators: Annotated[Path | None, typer.Option(
        "--scoreboard-indicators", help="A CSV of your own scoreboard indicators (as `clusterobs scoreboard "
        "add-indicators` reads), validated first and scored in this run's one new version (indicators loaded before "
        "with the same ids are replaced)")] = None,
    wait: WaitOpt = 0.0,
) -> None:
    """Map clusters for every scheme, year and NUTS level into a new dataset version.

    --nuts-version and --level restrict the mapping to some of its units (NUTS version and level); the later stages
    then work from those units only. One writer at a time per data directory: another running ingest, compute or gc
    makes this one refuse (exit code 75), or wait with --wait."""
    from clusterobs.compute import run_compute
    from clusterobs.mapping.backends import parse_spark_conf
    from clusterobs.mapping.compute import select_units
    from clusterobs.store import Store
    from clusterobs.store.lock import StoreBusy

    try:
        conf = parse_spark_conf(spark_conf)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        units = select_units(nuts_version, level)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--nuts-version' / '--level'") from exc
    store = Store(Settings.from_env(home=home).home)
    previous = store.current()
    if previous is None:
        err.print(f"[bold red]no published dataset in {store.home}: run `clusterobs ingest` first[/]")
        raise typer.Exit(1)
    user = None
    with contextlib.ExitStack() as stack:
        try:
            lock = stack.enter_context(store.lock(
                command="clusterobs compute", wait=wait,
                on_wait=lambda holder: err.print(f"Waiting up to {wait:.0f} s: {holder} is writing to {store.home}.")))
        except StoreBusy as exc:
            err.print(f"[bold red]Compute refused:[/] {exc}")
            _still_serving(store, previous)
            raise typer.Exit(EXIT_BUSY) from exc
        _cleaned(lock.cleaned)
        previous = store.current()  # another run may have published while this one waited
        if scoreboard_indicators is not None:  # checked before anything is computed: a bad file changes nothing
            from clusterobs.scoreboard.stage import read_indicators

            try:
                user = read_indicators(store, scoreboard_indicators, replace=True)
            except (ClusterobsError, OSError) as exc:
                err.print(f"[bold red]Indicators not loaded:[/] {exc}")
                _still_serving(store, previous)
                raise typer.Exit(1) from exc
        with _progress() as bar:
            task = bar.add_task("mapping", total=None)

            def report(label: str, done: int, total: int) -> None:
                bar.update(task, description=label, completed=done, total=total)

            try:
                summary = run_compute(store, units=units, impute=impute, progress=report, engine=engine,
                                      spark_master=spark_master, spark_conf=conf, user_indicators=user,
                                      workers=workers)
            except (ClusterobsError, OSError, ImportError, ValueError) as exc:
                bar.stop()
                err.print(f"[bold red]Compute failed:[/] {exc}")
                _still_serving(store, previous)
                raise typer.Exit(1) from exc
    t = Table("scheme", "0 stars", "1 star", "2 stars", "3 stars",
              title=f"Cluster stars, NUTS-2 (NUTS 2021), {summary.star_year or 'no year'}, traded, local and "
              "emerging categories")
    for scheme, counts in summary.star_counts.items():
        t.add_row(scheme, *[f"{counts.get(k, 0):,}" for k in range(4)])
    console.print(t)
    if user is not None:
        console.print(f"Scored {len(user):,} values of {user['indicator'].nunique()} user indicator(s) "
                      f"({', '.join(sorted(set(user['indicator'])))}) with the scoreboard.")
    console.print(f"Published version [bold green]{summary.version}[/] (from {summary.parent}) "
                  f"in {summary.seconds:.1f} s.")


@app.command("map")
def map_(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="CSV or Parquet: region, category, year, "
                                               "employment [, establishments, wages] (or industry for category)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV or Parquet, by extension")],
    scheme: Annotated[str, typer.Option(help="Star scheme: eco2007, eocic2019, uscmp")] = "eco2007",
    concordance: Annotated[Path | None, typer.Option(
        help="CSV industry, category, weight (default: the store's derived concordance)")] = None,
    home: HomeOpt = None,
) -> None:
    """Map your own data: location quotients, focus and stars for every region, category and year."""
    import pandas as pd

    from clusterobs.mapping.pipeline import map_table, read_input, write_output
    from clusterobs.store import Store

    try:
        df = read_input(input_path)
        conc = None
        if "category" not in df.columns:
            if concordance is not None:
                conc = pd.read_csv(concordance)
            else:
                store = Store(Settings.from_env(home=home).home)
                conc = store.table("concordance")
                conc = conc[conc["source"] == "derived"]
        result = map_table(df, scheme=scheme, concordance=conc, source=str(input_path))
        write_output(result, output)
    except ClusterobsError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    for note in result.attrs.get("notes", []):
        err.print(f"[yellow]Note: {note}[/]")
    counts = result["stars"].value_counts().sort_index()
    console.print(f"Wrote [cyan]{output}[/]: {len(result):,} rows; stars: "
                  + ", ".join(f"{int(k)}: {int(v):,}" for k, v in counts.items()))


@app.command()
def complexity(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="CSV or Parquet: region, category, year, "
                                               "employment (category: any industry code)")],
    output: Annotated[Path, typer.Option("-o", "--output", help="CSV or Parquet, by extension")],
    threshold: Annotated[float, typer.Option(help="M = 1 where RCA >= this")] = 1.0,
    proximity: Annotated[Path | None, typer.Option(
        help="Also write the proximity of every pair of categories per year (CSV or Parquet)")] = None,
) -> None:
    """Economic complexity of your own data: RCA, M, density, ECI, PCI, diversity, ubiquity, COI, COG."""
    from clusterobs.complexity.table import assemble, compute_years, proximity_frame, read_panel
    from clusterobs.mapping.pipeline import read_input, write_output

    try:
        panel = read_panel(read_input(input_path), source=str(input_path))
        years = compute_years(panel, threshold)
        result = assemble(panel, years)
        write_output(result, output)
        if proximity is not None:
            write_output(proximity_frame(panel, years), proximity)
    except ClusterobsError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    console.print(f"Wrote [cyan]{output}[/]: {len(result):,} rows ({len(panel.regions):,} regions × "
                  f"{len(panel.categories):,} categories × {len(panel.years)} years)"
                  + (f"; {panel.missing:,} missing employment cells counted as 0" if panel.missing else "")
                  + (f"; proximity in [cyan]{proximity}[/]" if proximity is not None else ""))


@app.command()
def trust(
    home: HomeOpt = None,
    version: Annotated[str | None, typer.Option(help="A dataset version (default: the published one)")] = None,
    nuts_version: Annotated[int, typer.Option("--nuts-version", help="NUTS version of the regions")] = 2021,
    level: Annotated[int, typer.Option(help="NUTS level")] = 2,
    year: Annotated[int | None, typer.Option(help="Year (default: the latest of the cluster measures)")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print Markdown instead of a table")] = False,
    update: Annotated[Path | None, typer.Option(
        "--update", help="Rewrite the generated block of this Markdown page (docs/trust.md) with the figures")] = None,
) -> None:
    """How far to trust the numbers: cells, missing and imputed employment, coverage, split regions, SBS/LFS
    caveats, the concordance's coverage and the biggest known limits, for one NUTS version, level and year."""
    from datetime import UTC, datetime

    from rich.markup import escape

    from clusterobs.mapping.trust import replace_block, to_markdown, trust_report
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    try:
        report = trust_report(store, nuts_version=nuts_version, level=level, year=year, version=version)
    except ClusterobsError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    if markdown or update is not None:
        text = to_markdown(report, date=datetime.now(UTC).date().isoformat())
        if update is None:
            typer.echo(text, nl=False)
            return
        try:
            update.write_text(replace_block(update.read_text(encoding="utf-8"), text), encoding="utf-8")
        except (OSError, ValueError) as exc:
            err.print(f"[bold red]{exc}[/]")
            raise typer.Exit(1) from exc
        console.print(f"Updated the figures in [cyan]{update}[/] (dataset version {report.version}).")
        return
    t = Table("figure", "value", "note", title=f"How far to trust the numbers: NUTS {report.nuts_version} level "
              f"{report.level}, {report.year} (version {report.version})")
    for f in report.figures:
        t.add_row(escape(f.label), escape(f.display), escape(f.note))
    console.print(t)
    if len(report.caveats):
        ct = Table("region", "name", "sector", "SBS / LFS", "caveat", title="Largest SBS/LFS deviations")
        for c in report.caveats.itertuples(index=False):
            ct.add_row(c.region, escape(c.name) if isinstance(c.name, str) else "", c.sector, f"{c.ratio:.2f}",
                       escape(c.caveat))
        console.print(ct)
    console.print("[bold]Known limits[/]")
    for limit in report.limits:
        console.print(f"• {escape(limit.replace('**', ''))}")


@app.command()
def quarantine(
    home: HomeOpt = None,
    source: Annotated[str | None, typer.Option(help="Only this source id")] = None,
    limit: Annotated[int, typer.Option(help="Rows to show")] = 50,
) -> None:
    """List quarantined rows with file, line, value and reason."""
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    try:
        df = store.table("quarantine")
    except ClusterobsError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    if source:
        df = df[df["source"] == source]
    t = Table("source", "file", "line", "value", "reason", title=f"Quarantine ({len(df):,} rows)")
    for r in df.head(limit).itertuples():
        t.add_row(r.source, r.file, str(r.line), r.value, r.reason)
    console.print(t)


@app.command()
def gc(
    home: HomeOpt = None,
    keep: Annotated[int, typer.Option(
        "--keep", min=0, metavar="N",
        help="Keep the N newest dataset versions (besides the protected ones)")] = DEFAULT_KEEP,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only list what would be removed")] = False,
    wait: WaitOpt = 0.0,
) -> None:
    """Remove old dataset versions and the leftovers of interrupted runs, and say how many bytes were freed.

    Never removed: the N newest versions (--keep), the published version, the version it replaced
    less than 10 minutes ago (requests already running may finish on it) and any version another process has
    open (a running `clusterobs serve`, a report, a notebook: DuckDB holds a lock on the file while it is open).
    Takes the writers' lock: no ingest or compute runs meanwhile.
    """
    from clusterobs.store import Store
    from clusterobs.store.lock import StoreBusy
    from clusterobs.store.retention import collect

    store = Store(Settings.from_env(home=home).home)
    try:
        with store.lock(command="clusterobs gc", wait=wait, clean=not dry_run,
                        on_wait=lambda h: err.print(f"Waiting up to {wait:.0f} s: {h} is writing.")) as lock:
            result = collect(store, keep=keep, dry_run=dry_run)
            result.leftovers = [(p, p.stat().st_size) for p in store.leftovers()] if dry_run else lock.cleaned
    except StoreBusy as exc:
        err.print(f"[bold red]gc refused:[/] {exc}")
        raise typer.Exit(EXIT_BUSY) from exc
    verb = "Would remove" if dry_run else "Removed"
    t = Table("file", "MB", "why", title=f"{verb} from {store.home}")
    for path, size in result.removed:
        t.add_row(path.name, f"{size / 1e6:.1f}", f"older than the {keep} newest versions")
    for path, size in result.leftovers:
        t.add_row(path.name, f"{size / 1e6:.1f}", "leftover of an interrupted run")
    console.print(t)
    kt = Table("version", "kept because", title="Kept")
    for v, why in result.kept.items():
        kt.add_row(v, why)
    console.print(kt)
    n = len(result.removed) + len(result.leftovers)
    console.print(f"{verb} {len(result.removed)} version(s) and {len(result.leftovers)} leftover file(s): "
                  f"{'would free' if dry_run else 'freed'} {result.freed:,} bytes ({result.freed / 1e6:.1f} MB)."
                  if n else "Nothing to remove.")


@app.command()
def download(
    sources: Annotated[list[str] | None, typer.Argument(
        help="Source ids (default: all mirrored sources; eurostat_sbs_api only when named)")] = None,
    to: Annotated[Path, typer.Option("--to", help="Folder to write, laid out like the offline mirror")] = Path(
        "./mirror"
    ),
    force: Annotated[bool, typer.Option(help="Download again even when the checksum matches")] = False,
    accept_changed: Annotated[list[str] | None, typer.Option(
        "--accept-changed", metavar="SOURCE", help="Keep this source's files although their checksum differs from "
        "the one recorded for it (a new release); repeatable. Ingest them with the same option")] = None,
) -> None:
    """Download the sources' raw files from their canonical addresses (for users who are online).

    Files the mirror derives (the US cluster CSVs from their xlsx, the NUTS-2 indicators CSV
    from twelve yearly GeoJSON files, the RIS 2023 and RCI 2022 CSVs from their workbooks, the
    NUTS-2 R&D panel from its zip, the US County Business Patterns 2012 file from the Census
    Bureau's zip) are rebuilt after the download. Then ingest them with
    ``clusterobs ingest --mirror DIR``.
    """
    from clusterobs.ingest import SOURCES
    from clusterobs.sources import eurostat_api
    from clusterobs.sources.download import after_download, download_source, make_client

    modules = {m.META.id: m for m in (*SOURCES, eurostat_api)}
    wanted = sources or [m for m in modules if m != eurostat_api.META.id]
    unknown = [s for s in (*wanted, *(accept_changed or ())) if s not in modules]
    if unknown:
        err.print(f"[bold red]unknown source(s): {', '.join(unknown)}[/]; known: {', '.join(modules)}")
        raise typer.Exit(2)
    with make_client() as client, _progress() as bar:
        for sid in wanted:
            meta = modules[sid].META
            task = bar.add_task(f"{sid}", total=None)

            def report(done: int, total: int | None, task: int = task) -> None:
                bar.update(task, completed=done, total=total)

            validate = eurostat_api.check_sdmx_csv if sid == eurostat_api.META.id else None
            try:
                records = download_source(meta, to, client=client, progress=report, force=force, validate=validate,
                                          accept_changed=sid in (accept_changed or ()))
            except SourceError as exc:
                bar.stop()
                err.print(f"[bold red]Download failed:[/] {exc}")
                raise typer.Exit(1) from exc
            bar.update(task, description=f"{sid}: {len(records)} file(s)")
            for r in records:
                if r.expected_sha256:
                    bar.add_task(f"{sid}: accepted changed {r.file} (sha256 {r.sha256[:12]}…, expected "
                                 f"{r.expected_sha256[:12]}…)", total=1, completed=1)
        for sid in wanted:  # after every download: a rebuild may read another source's files
            try:
                built = after_download(modules[sid], to)
            except SourceError as exc:
                bar.stop()
                err.print(f"[bold red]Rebuilding the derived files of {sid} failed:[/] {exc}")
                raise typer.Exit(1) from exc
            if built:
                bar.add_task(f"{sid}: rebuilt {', '.join(p.name for p in built)}", total=1, completed=1)
    console.print(f"Downloaded into [cyan]{to}[/]; checksums in each folder's DOWNLOADS.json.")


@app.command("fetch-eurostat")
def fetch_eurostat(
    dataset: Annotated[str, typer.Argument(help="Eurostat dataset code, e.g. sbs_r_nuts2021")] = "sbs_r_nuts2021",
    filters: Annotated[
        list[str] | None, typer.Option("--filter", help="dim=code1,code2 (repeatable), e.g. indic_sbs=EMP_LOC_NR")
    ] = None,
    start: Annotated[int | None, typer.Option(help="First year")] = None,
    end: Annotated[int | None, typer.Option(help="Last year")] = None,
    api: Annotated[str, typer.Option(help="SDMX API version: 2.1 or 3.0")] = "3.0",
    dest: Annotated[Path, typer.Option(
        help="Folder to write DATASET.csv into, created if missing (a path ending in .csv is the file itself)")] = Path(
        "./mirror/eurostat-sbs-api"),
) -> None:
    """Fetch a dataset from Eurostat's dissemination API as SDMX-CSV, with its checksum recorded.

    With the defaults the file lands where ``clusterobs ingest --mirror ./mirror`` reads it
    (``eurostat-sbs-api/sbs_r_nuts2021.csv``, table ``sbs_api_employment``).
    """
    from clusterobs.sources.download import make_client
    from clusterobs.sources.eurostat_api import fetch_dataset

    parsed: dict[str, list[str]] = {}
    for f in filters or []:
        key, _, codes = f.partition("=")
        if not key or not codes:
            err.print(f"[bold red]--filter must look like dim=code1,code2; got {f!r}[/]")
            raise typer.Exit(2)
        parsed[key.strip()] = [c.strip() for c in codes.split(",") if c.strip()]
    with make_client() as client:
        try:
            path = fetch_dataset(dataset, client=client, filters=parsed or None, start=start, end=end,
                                 api_version=api, dest=dest)
        except SourceError as exc:
            err.print(f"[bold red]Fetch failed:[/] {exc}")
            raise typer.Exit(1) from exc
    console.print(f"Wrote [cyan]{path}[/] (checksum in {path.parent / 'DOWNLOADS.json'}).")


@app.command()
def serve(
    home: HomeOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port")] = 8000,
    threads: Annotated[int, typer.Option(help="Worker threads")] = 24,
) -> None:
    """Serve the web observatory and its API (applies the portal's database migrations first)."""
    import os

    settings = Settings.from_env(home=home)
    os.environ["CLUSTEROBS_HOME"] = str(settings.home)
    settings.home.mkdir(parents=True, exist_ok=True)
    from clusterobs.web.server import serve as run_server

    console.print(f"Serving the observatory on [cyan]http://{host}:{port}/[/] (data: {settings.home}); Ctrl+C stops.")
    run_server(host=host, port=port, threads=threads)


app.add_typer(microdata_cli.app, name="microdata")
app.add_typer(reports_cli.app, name="report")
app.add_typer(scoreboard_cli.app, name="scoreboard")
app.add_typer(registry_cli.app, name="registry")


def main() -> None:  # pragma: no cover - console entry point
    app()
