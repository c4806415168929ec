"""``clusterobs microdata``: generate synthetic firms, check and map firm-level microdata (DuckDB or Spark)."""

from __future__ import annotations

import atexit
import gc
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from clusterobs.config import Settings
from clusterobs.errors import ClusterobsError

app = typer.Typer(help="Firm-level microdata: check, aggregate to NUTS regions and map clusters, on DuckDB or "
                  "Spark; a synthetic generator for tests and benchmarks.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

HomeOpt = Annotated[Path | None, typer.Option("--home", help="Data directory [env CLUSTEROBS_HOME; ./var]")]
InputArg = Annotated[str, typer.Argument(
    metavar="INPUT", help="Parquet or CSV file, a folder of them, a glob, or a Parquet folder address "
    "(hdfs://, s3a://) for Spark. Columns: firm_id, nace, year, employees, region (or postcode "
    "[, country]) [, wages, turnover]")]
LevelOpt = Annotated[list[int] | None, typer.Option(
    "--level", help="NUTS level to map, 0-3 (repeatable) [default: 2]")]
EngineOpt = Annotated[str, typer.Option(help="duckdb, or spark (needs clusterobs[spark] and Java 17 or 21)")]
MasterOpt = Annotated[str, typer.Option(help="Spark master: local[N], spark://host:7077, yarn, k8s://...")]
SparkConfOpt = Annotated[list[str] | None, typer.Option(
    "--spark-conf", help="Spark setting KEY=VALUE (repeatable), e.g. spark.executor.memory=8g")]
ConcOpt = Annotated[Path | None, typer.Option(
    help="Class-level concordance CSV/Parquet: industry, category, weight [default: the store's, level 4]")]
PostcodesOpt = Annotated[Path | None, typer.Option(
    help="Postcode-to-NUTS-3 table (CSV or Parquet: postcode, nuts3 [, country]; GISCO TERCET files too)")]
NutsOpt = Annotated[int, typer.Option(help="NUTS version region codes are checked against (the store's codes)")]
QuarantineOpt = Annotated[Path | None, typer.Option(
    help="Write every quarantined row (file, line, reason, values) to this CSV or Parquet file")]
SampleOpt = Annotated[int, typer.Option(help="Quarantined rows shown per reason")]
DelimOpt = Annotated[str, typer.Option(help="CSV delimiter")]
MemOpt = Annotated[str | None, typer.Option(help="DuckDB memory limit, e.g. 3GB [default: DuckDB's, 80% of RAM]")]
ThreadsOpt = Annotated[int | None, typer.Option(help="DuckDB threads [default: one per core]")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable JSON summary instead")]


def _years(text: str) -> list[int]:
    try:
        if "-" in text:
            lo, hi = (int(x) for x in text.split("-", 1))
            return list(range(lo, hi + 1))
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise typer.BadParameter(f"years must look like 2019-2023 or 2019,2021; got {text!r}") from exc


@app.command()
def generate(
    output: Annotated[Path, typer.Argument(metavar="OUTPUT", help="Parquet file to write")],
    rows: Annotated[int, typer.Option(help="Firm rows (firms × years)")] = 1_000_000,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same file")] = 7,
    years: Annotated[str, typer.Option(help="Years, e.g. 2019-2023 or 2019,2021")] = "2019-2023",
    bad_fraction: Annotated[float, typer.Option(
        help="Share of rows made invalid on purpose (each kind of quarantine reason in turn)")] = 0.0,
    synthetic_codes: Annotated[bool, typer.Option(
        help="Made-up NUTS-3-shaped region codes even when a store gives the real ones")] = False,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Write SYNTHETIC firm microdata (for tests and benchmarks only) to Parquet, chunk by chunk.

    Real NUTS 2016 level-3 codes and real NACE Rev. 2 classes when a store is published, else
    made-up codes of the same shape; heavy-tailed firm sizes, uneven regions, regional
    specialisation; see docs/scaling.md. Nothing in the file describes real firms.
    """
    from clusterobs.microdata.synthetic import write_firms

    if rows < 1:
        raise typer.BadParameter("rows must be at least 1")
    regions, classes = _store_codes(home)
    if synthetic_codes:
        regions = None
    g = write_firms(output, rows, seed=seed, years=_years(years), regions=regions, classes=classes,
                    bad_fraction=bad_fraction)
    summary = {"path": str(g.path), "rows": g.rows, "firms": g.firms, "years": list(g.years), "regions": g.regions,
               "real_regions": g.real_regions, "classes": g.classes, "seed": g.seed,
               "expected_quarantine": g.expected_quarantine, "seconds": round(g.seconds, 2),
               "bytes": g.path.stat().st_size}
    if as_json:
        console.print_json(json.dumps(summary))
        return
    codes = "real NUTS 2016 level-3 codes" if g.real_regions else "made-up NUTS-3-shaped codes"
    console.print(f"Wrote [cyan]{g.path}[/] (synthetic): {g.rows:,} rows = {g.firms:,} firms × {len(g.years)} years, "
                  f"{g.regions:,} regions ({codes}), {g.classes} NACE classes, seed {g.seed}, "
                  f"{g.path.stat().st_size / 2**20:,.0f} MiB in {g.seconds:.1f} s.")
    if g.expected_quarantine:
        console.print("Planted invalid rows: " + ", ".join(f"{k}: {v:,}" for k, v in g.expected_quarantine.items()))


def _store_codes(home: Path | None) -> tuple[list[str] | None, list[str] | None]:
    """(NUTS 2016 level-3 codes, NACE classes) of the published store, or (None, None)."""
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    if store.current() is None:
        return None, None
    codes = store.table("nuts_codes")
    regions = sorted(codes.loc[(codes["nuts_version"] == 2016) & (codes["level"] == 3), "code"].astype(str))
    nace = store.table("nace")
    return regions or None, sorted(nace.loc[nace["level"] == 4, "code"].astype(str))


def _lookups(home: Path | None, concordance: Path | None, postcodes: Path | None, nuts_version: int) -> Any:
    from clusterobs.microdata.pipeline import MicrodataError, file_lookups, read_concordance, store_lookups
    from clusterobs.microdata.read import read_table_file
    from clusterobs.microdata.validate import normalise_postcodes
    from clusterobs.store import Store

    store = Store(Settings.from_env(home=home).home)
    conc = read_concordance(concordance) if concordance else None
    pcs = normalise_postcodes(read_table_file(postcodes), source=str(postcodes)) if postcodes else None
    if store.current() is not None:
        return store_lookups(store, nuts_version=nuts_version, concordance=conc, postcodes=pcs)
    if conc is None:
        raise MicrodataError(f"no published store in {store.home} and no --concordance: run `clusterobs ingest` "
                             "or pass a class-level concordance file")
    return file_lookups(conc, postcodes=pcs)


def _backend(engine: str, spark_master: str, spark_conf: list[str] | None, memory_limit: str | None,
             threads: int | None) -> Any:
    from clusterobs.mapping.backends import duckdb_backend, parse_spark_conf, spark_backend

    if engine == "duckdb":
        con = duckdb_backend()
        # DuckDB draws a progress bar on stdout for queries over 2 s, even into a pipe: it broke --json
        con.raw_sql("SET enable_progress_bar = false")
        # spill files of an in-memory database go to the working directory unless told otherwise
        spill = Path(tempfile.gettempdir()) / f"clusterobs-duckdb-{os.getpid()}"
        con.raw_sql(f"SET temp_directory = '{spill}'")
        if memory_limit:
            con.raw_sql(f"SET memory_limit = '{memory_limit}'")
        if threads:
            con.raw_sql(f"SET threads = {int(threads)}")
        return con
    if engine == "spark":
        try:
            conf = parse_spark_conf(spark_conf)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
        return spark_backend(spark_master, conf=conf)
    raise typer.BadParameter(f"--engine must be duckdb or spark; got {engine!r}")


def _run(input_path: str, *, levels: list[int] | None, schemes: list[str], engine: str, spark_master: str,
         spark_conf: list[str] | None, concordance: Path | None, postcodes: Path | None, nuts_version: int,
         quarantine: Path | None, sample: int, delimiter: str, memory_limit: str | None, threads: int | None,
         home: Path | None, panels: bool, quiet: bool) -> Any:
    from clusterobs.microdata.pipeline import map_firms

    started = time.perf_counter()
    con = None
    try:
        lookups = _lookups(home, concordance, postcodes, nuts_version)
        con = _backend(engine, spark_master, spark_conf, memory_limit, threads)
        # the modules imported and the lookups out of the garbage collector's way while the pipeline runs: its
        # collections took 0.6 s of a 5 M-row run, 0.3 s so (unfrozen after, so that nothing stays uncollected in
        # a process that goes on); and no collection at exit, 0.3 s of CPU to free what the system takes back
        # anyway (the reports' commands do the same)
        gc.freeze()
        atexit.unregister(gc.freeze)  # once, however many runs a process makes
        atexit.register(gc.freeze)
        say = None if quiet else (lambda msg: err.print(f"[dim]{msg} ...[/]"))
        result = map_firms(con, input_path, lookups, levels=levels or [2], schemes=schemes, sample=sample,
                           quarantine_path=quarantine, panels=panels, delimiter=delimiter, progress=say)
        if engine == "spark":
            _report_retries(con)
    except (ClusterobsError, ValueError, ImportError, RuntimeError, OSError) as exc:
        err.print(f"[bold red]{type(exc).__name__}: {exc}[/]")
        raise typer.Exit(1) from exc
    finally:
        if con is not None:
            gc.collect()  # Ibis drops its cached tables when they are collected: before the connection goes
            con.disconnect()
        gc.unfreeze()
    result.steps["total"] = time.perf_counter() - started
    return result, lookups


def _report_retries(con: Any) -> None:
    from clusterobs.mapping.backends import spark_retries

    failed, rerun = spark_retries(con)
    if failed or rerun:
        err.print(f"[yellow]Spark re-ran {failed:,} failed tasks and {rerun:,} stages (a lost executor, or shuffle "
                  "output lost with it: see Spark's log above); every job succeeded, the results are complete.[/]")


def _report(result: Any, lookups: Any, extra: dict[str, str]) -> None:
    console.print(f"Engine [bold]{result.engine}[/]; codes from {lookups.source}.")
    console.print(f"{result.rows:,} firm rows read: {result.accepted:,} accepted, "
                  f"{result.rows - result.accepted:,} quarantined.")
    if result.quarantined:
        qt = Table("reason", "rows", "first rows (file, line)", title="Quarantined rows by reason")
        for reason, n in result.quarantined.items():
            rows = result.sample[result.sample["reason"] == reason].head(3)
            where = "; ".join(f"{r.file}:{r.line}" for r in rows.itertuples())
            qt.add_row(reason, f"{n:,}", where)
        console.print(qt)
    t = result.totals
    money = "" if t["wages"] is None else f", wages {t['wages'] / 100:,.2f}"
    console.print(f"Accepted totals: {t['firms']:,} firms, employees {t['employees'] / 100:,.2f}{money} "
                  "(every level sums to these).")
    for scheme, df in result.mapped.items():
        st = Table("level", "cells", "0", "1", "2", "3", title=f"Stars, {scheme}")
        for level, g in df.groupby("level"):
            counts = g["stars"].value_counts()
            st.add_row(f"NUTS-{level}", f"{len(g):,}", *[f"{int(counts.get(k, 0)):,}" for k in range(4)])
        console.print(st)
    for label, path in extra.items():
        console.print(f"Wrote {label} to [cyan]{path}[/].")
    console.print(f"Done in {result.steps['total']:.1f} s.")


@app.command()
def check(
    input_path: InputArg,
    level: Annotated[int, typer.Option(help="Finest NUTS level the data must reach (0-3)")] = 3,
    engine: EngineOpt = "duckdb",
    spark_master: MasterOpt = "local[2]",
    spark_conf: SparkConfOpt = None,
    concordance: ConcOpt = None,
    postcodes: PostcodesOpt = None,
    nuts_version: NutsOpt = 2016,
    quarantine: QuarantineOpt = None,
    sample: SampleOpt = 10,
    delimiter: DelimOpt = ",",
    memory_limit: MemOpt = None,
    threads: ThreadsOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check firm microdata: rows accepted, rows quarantined by reason with file and line, exact totals."""
    result, lookups = _run(input_path, levels=[level], schemes=[], engine=engine, spark_master=spark_master,
                           spark_conf=spark_conf, concordance=concordance, postcodes=postcodes,
                           nuts_version=nuts_version, quarantine=quarantine, sample=sample, delimiter=delimiter,
                           memory_limit=memory_limit, threads=threads, home=home, panels=False, quiet=as_json)
    if as_json:
        console.print_json(json.dumps(result.summary(), default=str))
        return
    _report(result, lookups, {"the quarantined rows": str(quarantine)} if result.quarantine_file else {})


@app.command("map")
def map_(
    input_path: InputArg,
    output: Annotated[Path, typer.Option("-o", "--output", help="Mapped clusters: CSV or Parquet, by extension")],
    level: LevelOpt = None,
    scheme: Annotated[str, typer.Option(help="Star scheme: eco2007, eocic2019, uscmp")] = "eco2007",
    engine: EngineOpt = "duckdb",
    spark_master: MasterOpt = "local[2]",
    spark_conf: SparkConfOpt = None,
    concordance: ConcOpt = None,
    postcodes: PostcodesOpt = None,
    nuts_version: NutsOpt = 2016,
    panel: Annotated[Path | None, typer.Option(
        help="Also write the region × NACE class × year table (firms, employees, wages, turnover)")] = None,
    quarantine: QuarantineOpt = None,
    sample: SampleOpt = 10,
    delimiter: DelimOpt = ",",
    memory_limit: MemOpt = None,
    threads: ThreadsOpt = None,
    home: HomeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Check, aggregate and map firm microdata: measures and stars per region, category and year.

    Rows that fail a check are quarantined and counted by reason (never dropped silently); the
    accepted firms are summed to region × NACE class × year at each NUTS level (codes nest by
    prefix), then mapped with the class-level concordance and the star scheme. The same code
    runs on DuckDB and, with --engine spark, on a Spark cluster.
    """
    from clusterobs.mapping.pipeline import write_output

    result, lookups = _run(input_path, levels=level, schemes=[scheme], engine=engine, spark_master=spark_master,
                           spark_conf=spark_conf, concordance=concordance, postcodes=postcodes,
                           nuts_version=nuts_version, quarantine=quarantine, sample=sample, delimiter=delimiter,
                           memory_limit=memory_limit, threads=threads, home=home, panels=panel is not None,
                           quiet=as_json)
    extra = {}
    try:
        write_output(result.mapped[scheme], output)
        extra["the mapped clusters"] = str(output)
        if panel is not None:
            import pandas as pd

            write_output(pd.concat(result.panels.values(), ignore_index=True), panel)
            extra["the region × class × year table"] = str(panel)
    except ClusterobsError as exc:
        err.print(f"[bold red]{exc}[/]")
        raise typer.Exit(1) from exc
    if result.quarantine_file:
        extra["the quarantined rows"] = str(result.quarantine_file)
    if as_json:
        console.print_json(json.dumps(result.summary(), default=str))
        return
    _report(result, lookups, extra)
