"""The mapping stage of ``clusterobs compute`` (the first of ``clusterobs.compute.STAGES``): measures, stars and
their tests for every scheme, NUTS version and level, with the industry panel, region totals, data quality and the
categories' coverage.

``compute_unit`` maps one NUTS version and level on an Ibis backend (``engine_backend``: the store's DuckDB file, or
a Spark session loaded with ``engine_frames``, the columns and rows the units read); ``compute_stage`` maps every
unit of ``units`` (``select_units``: ``clusterobs compute --nuts-version --level``) in turn.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from clusterobs.classifications.categories import emerging_anchors
from clusterobs.errors import StoreError
from clusterobs.mapping.categories import MAX_SPLIT_SHARE, apply_anchors
from clusterobs.mapping.measures import SBS_WAGE_UNIT
from clusterobs.mapping.panel import division_concordance, region_totals, sbs_industry_panel, with_indicators
from clusterobs.mapping.pipeline import measure_panel
from clusterobs.mapping.schemes import StarScheme, load_schemes
from clusterobs.mapping.stars import condition_key
from clusterobs.mapping.unit import category_panel, schemes_applied, star_frames
from clusterobs.pipeline import Progress
from clusterobs.store import Store

#: (NUTS version, level) pairs mapped by default: NUTS 2021 (the maps' geometry) at levels 0-2,
#: NUTS 2016 level 2 (RCI 2010-2019, EQI) and the data's own NUTS 2013 level 2.
DEFAULT_UNITS = ((2021, 2), (2021, 1), (2021, 0), (2016, 2), (2013, 2))
MEASURE_COLUMNS = ["employment", "imputed_share", "coverage", "split_share", "rankable", "caveat", "share_europe",
                   "focus", "lq", "region_total", "wages", "productivity", "relative_productivity", "establishments",
                   "avg_size", "growth", "growth_window", "growth_base_year", "growth_yoy", "growth_break", "flags"]
#: A region is no-data (grey on maps, out of rankings and headlines) when fewer than this share of the traded
#: categories mapped in its data set can be ranked there.
MIN_REGION_RANKABLE = 0.5
TABLES = {
    "industry_panel": "The mapped industry panel: employment by region, NACE division and year per NUTS version and "
    "level, with imputed cells flagged (imputed, imputation_basis) and the region's split_share",
    "region_totals": "Per NUTS version, level, region and year: the reported business-economy total and the traded "
    "total used as LQ and focus denominators, and how they were obtained",
    "region_data_quality": "Per NUTS version, level, region and year: traded categories mapped and rankable, imputed "
    "and split shares, and whether the region is no-data (excluded from maps, rankings and headlines) with the reason",
    "category_data_coverage": "Per data set and category: share of its concordance weight on industries the data "
    "hold; status covered / partly covered / not covered (not covered categories are not mapped)",
    "cluster_measures": "Cluster measures per NUTS version, level, region, category and year",
    "cluster_stars": "Stars per scheme, NUTS version, level, region, category and year, with the tests passed",
    "cluster_star_tests": "Every condition of every star test: measure value, threshold used, passed, skipped",
    "star_schemes": "The star schemes as configured when computed: tests, conditions, thresholds",
}


def scheme_table(schemes: dict[str, StarScheme]) -> pd.DataFrame:
    rows = []
    for s in schemes.values():
        for t in s.tests:
            for c in t.conditions:
                rows.append({"scheme": s.name, "title": s.title, "denominator": s.denominator, "test": t.name,
                             "test_description": t.description, "condition": c.name, "key": condition_key(t.name, c),
                             "measure": c.measure, "op": c.op, "value": c.value, "percentile": c.percentile,
                             "optional": c.optional, "ours": c.ours})
    return pd.DataFrame(rows)


def compute_unit(con, *, nuts_version: int, level: int, schemes: dict[str, StarScheme], impute: bool = True,
                 panels: dict[tuple[int, int], ir.Table] | None = None) -> dict[str, pd.DataFrame]:
    """Everything for one NUTS version and level, as pandas frames.

    ``panels`` keeps each level's materialised industry panel for the level above (levels reconcile upward):
    map a version's levels from the most detailed up and each panel is built once."""
    panels = {} if panels is None else panels
    below = panels.get((nuts_version, level + 1)) if impute else None
    panel = sbs_industry_panel(con, nuts_version=nuts_version, level=level, impute=impute, below=below).cache()
    panels[(nuts_version, level)] = panel
    conc = division_concordance(con)
    cats = con.table("categories")
    mapping = category_panel(panel, conc, industries=with_indicators(con, panel, nuts_version=nuts_version,
                                                                       level=level))
    cov, mapped = mapping.coverage, mapping.mapped
    traded = cats.filter(cats.kind == "traded").select("category")
    traded_keys = list(traded.category.execute())
    # the traded share over the traded categories mapped here: focus then sums to the covered share of the total
    mapped_traded = traded.filter(traded.category.isin(mapped))
    totals = region_totals(con, panel, conc, mapped_traded, nuts_version=nuts_version, level=level).cache()
    cat_panel = apply_anchors(mapping.table, panel, totals.select("region", "year", "business_total"),
                              emerging_anchors())
    # pooled percentiles (the ECO focus test) are taken over the traded cells: the schemes' reference set
    cat_panel = cat_panel.mutate(pool=cat_panel.category.isin(traded_keys))
    out: dict[str, list[pd.DataFrame]] = {"cluster_measures": [], "cluster_stars": [], "cluster_star_tests": []}
    keys = {"nuts_version": nuts_version, "level": level}
    cat_panel = cat_panel.cache()

    def measure(scheme: StarScheme) -> ir.Table:
        column = "traded_total" if scheme.denominator == "traded" else "business_total"
        return measure_panel(cat_panel, totals=totals.select("region", "year", total=totals[column]),
                             wage_unit=SBS_WAGE_UNIT)

    for scheme, measured, first, applied in schemes_applied(schemes.values(), measure):
        if first and not out["cluster_measures"]:  # the measures table: the first denominator's
            m = measured.execute().reindex(columns=["region", "category", "year", *MEASURE_COLUMNS])
            out["cluster_measures"].append(m.assign(**keys, denominator=scheme.denominator))
        wide, tests = star_frames(applied, scheme)
        star_cols = [f"star_{t}" for t in scheme.test_names]
        passed = pd.Series("", index=wide.index, dtype="string")
        for col in star_cols:  # vectorised: "size,focus" for the tests passed
            hit = wide[col].fillna(False).astype(bool)
            passed = passed.mask(hit, passed + "," + col[5:])
        passed = passed.str.lstrip(",")
        stars = wide[["region", "category", "year", "stars", "tests_evaluated", "rankable", "caveat"]]
        out["cluster_stars"].append(stars.assign(stars=stars["stars"].astype("Int64"), scheme=scheme.name,
                                                 tests_passed=passed.astype("string"), **keys))
        out["cluster_star_tests"].append(tests.assign(scheme=scheme.name, **keys)[
            ["scheme", "nuts_version", "level", "region", "category", "year", "test", "condition", "measure", "op",
             "value", "threshold", "passed", "skipped"]])
    frames = {k: pd.concat(v, ignore_index=True) for k, v in out.items()}
    m = frames["cluster_measures"]
    for col in ("growth_window", "growth_base_year"):
        m[col] = m[col].astype("Int64")
    m["growth_break"] = m["growth_break"].astype("boolean")
    m["flags"] = m["flags"].astype("string")
    front = ["nuts_version", "level", "region", "category", "year"]
    frames["cluster_measures"] = m[[*front, *[c for c in m.columns if c not in front]]]
    st = frames["cluster_stars"]
    frames["cluster_stars"] = st[["scheme", *front, *[c for c in st.columns if c not in (*front, "scheme")]]]
    ip = panel.execute().assign(**keys)
    frames["industry_panel"] = ip[["nuts_version", "level", "region", "industry", "year", "employment", "imputed",
                                   "imputation_basis", "split_share"]]
    tot = totals.execute().assign(**keys)
    frames["region_totals"] = tot[["nuts_version", "level", "region", "year", "business_total", "traded_total",
                                   "total_basis"]]
    frames["region_data_quality"] = data_quality(frames["cluster_measures"], ip, set(traded_keys) & set(mapped))
    frames["category_data_coverage"] = cov.assign(dataset="eurostat_sbs", **keys)[
        ["dataset", "nuts_version", "level", "category", "status", "coverage_share", "weight_total", "weight_covered",
         "industries", "industries_covered"]]
    return frames


def data_quality(measures: pd.DataFrame, panel: pd.DataFrame, traded: set[str]) -> pd.DataFrame:
    """One row per region and year: how much of its traded mapping can be trusted, and whether it is no-data."""
    m = measures[measures["category"].isin(traded)]
    m = m.assign(_split_emp=m["split_share"].fillna(0.0) * m["employment"].fillna(0.0))
    keys = ["nuts_version", "level", "region", "year"]
    g = m.groupby(keys).agg(traded_categories=("category", "size"),
                            traded_with_data=("employment", "count"),
                            traded_rankable=("rankable", "sum"),
                            _split_emp=("_split_emp", "sum"), _emp=("employment", "sum"))
    # employment-weighted: the part of the region's traded employment copied from a split older region
    g["split_share"] = (g["_split_emp"] / g["_emp"]).where(g["_emp"] > 0, 0.0)
    g = g.drop(columns=["_split_emp", "_emp"])
    p = panel.assign(_imp=panel["employment"].where(panel["imputed"], 0.0))
    imp = p.groupby(keys).agg(_imp=("_imp", "sum"), _all=("employment", "sum"))
    g = g.join(imp)
    g["imputed_share"] = (g["_imp"] / g["_all"]).where(g["_all"] > 0)
    g = g.drop(columns=["_imp", "_all"]).reset_index()
    g["traded_rankable"] = g["traded_rankable"].astype("int64")
    n = len(traded)
    split = g["split_share"].fillna(0.0) > MAX_SPLIT_SHARE
    few = g["traded_rankable"] < MIN_REGION_RANKABLE * n
    g["no_data"] = split | few
    reason = pd.Series(pd.NA, index=g.index, dtype="string")
    reason = reason.mask(few, g["traded_rankable"].astype(str) + f" of {n} traded categories can be ranked "
                         f"(fewer than {MIN_REGION_RANKABLE:.0%}: too little data or coverage)")
    reason = reason.mask(split, "split from an older NUTS region by population: its industry structure is the older "
                         "region's, not data collected for it")
    g["no_data_reason"] = reason
    return g


#: The store's tables the engine reads, with the columns it reads of each (``engine_frames``).
ENGINE_COLUMNS = {
    "sbs_employment": ("nuts_version", "level", "region", "year", "nace", "value", "flag", "split_share"),
    "sbs_wages": ("nuts_version", "level", "region", "year", "nace", "value"),
    "sbs_local_units": ("nuts_version", "level", "region", "year", "nace", "value"),
    "nace": ("code", "level", "section"),
    "concordance": ("industry", "level", "category", "weight"),
    "categories": ("category", "kind"),
    "nuts_split_shares": ("nuts_version", "level", "region", "split_share"),
}
ENGINE_TABLES = tuple(ENGINE_COLUMNS)
#: Rows of the tables without NUTS units that the engine reads: sections and divisions, the division concordance.
ENGINE_ROWS = {"nace": "level IN (1, 2)", "concordance": "level = 2"}


def select_units(nuts_versions: list[int] | None = None, levels: list[int] | None = None, *,
                 units: tuple[tuple[int, int], ...] = DEFAULT_UNITS) -> tuple[tuple[int, int], ...]:
    """The units of ``units`` with a NUTS version of ``nuts_versions`` and a level of ``levels`` (each: all when
    empty), in ``units``' order. ValueError when a version or level given selects none of them."""
    versions, wanted = set(nuts_versions or ()), set(levels or ())
    chosen = tuple(u for u in units if (not versions or u[0] in versions) and (not wanted or u[1] in wanted))
    missing = [f"NUTS version {v}" for v in sorted(versions) if all(u[0] != v for u in chosen)]
    missing += [f"level {lv}" for lv in sorted(wanted) if all(u[1] != lv for u in chosen)]
    if missing or not chosen:
        known = ", ".join(f"NUTS {v} level {lv}" for v, lv in units)
        raise ValueError(f"--nuts-version and --level of compute must select some of {known}; got no unit of "
                         f"{' or '.join(missing)}.")
    return chosen


def unit_levels(level: int, *, impute: bool = True) -> dict[str, set[int]]:
    """The NUTS levels of the rows of each table with NUTS units that mapping a unit of ``level`` reads.

    ``sbs_employment``: the level, and when imputing the national level (the reference structure) and every level
    below it up to NUTS 2 (levels reconcile upward, ``sbs_industry_panel``); wages and local units: the level
    (``with_indicators``); ``nuts_split_shares``: the levels above NUTS 2 reconciled with their children."""
    below = set(range(level + 1, 3)) if impute else set()
    return {"sbs_employment": {level, *below} | ({0} if impute else set()),
            "sbs_wages": {level}, "sbs_local_units": {level},
            "nuts_split_shares": {lv for lv in (level, *below) if lv < 2} if impute else set()}


def engine_frames(store: Store, units: tuple[tuple[int, int], ...] = DEFAULT_UNITS, *,
                  impute: bool = True) -> dict[str, pd.DataFrame]:
    """The engine's input tables for ``units``, read from the store's DuckDB file: only the columns the engine
    reads (``ENGINE_COLUMNS``) and only the rows of the NUTS versions and levels it reads for those units
    (``unit_levels``). Mapping ``units`` from these frames gives what mapping them from the store gives."""
    present = set(store.tables()["name"])
    frames = {}
    with contextlib.closing(store.connect()) as con:
        for name, wanted in ENGINE_COLUMNS.items():
            if name not in present:
                continue
            have = {row[0] for row in con.execute(f'DESCRIBE "{name}"').fetchall()}
            cols = ", ".join(f'"{c}"' for c in wanted if c in have)
            if "nuts_version" in have:
                pairs = sorted({(v, lv) for v, level in units for lv in unit_levels(level, impute=impute)[name]})
                where = " OR ".join(f"(nuts_version = {v} AND level = {lv})" for v, lv in pairs) or "FALSE"
            else:
                where = ENGINE_ROWS.get(name, "TRUE")
            frames[name] = con.sql(f'SELECT {cols} FROM "{name}" WHERE {where}').df()
    return frames


def engine_backend(store: Store, engine: str = "duckdb", *, spark_master: str = "local[2]",
                   spark_conf: dict[str, str] | None = None, units: tuple[tuple[int, int], ...] = DEFAULT_UNITS,
                   impute: bool = True) -> Any:
    """An Ibis backend holding the tables the engine reads to map ``units``: the store's DuckDB file, or a Spark
    session (``spark_master``: ``local[N]`` or a cluster URL, settings ``spark_conf``) loaded with them.

    Spark: the driver reads the tables from the store's DuckDB file (``engine_frames``: the columns and rows
    ``units`` need, nothing else) and ships them to the executors inside the job, so the executors need no access
    to the store."""
    if engine == "duckdb":
        return store.ibis()
    if engine == "spark":
        from clusterobs.mapping.backends import load_tables, spark_backend

        backend = spark_backend(spark_master, conf=spark_conf)
        load_tables(backend, engine_frames(store, units, impute=impute))
        return backend
    raise ValueError(f"`engine` of run_compute must be one of duckdb, spark; got {engine!r}.")


Unit = tuple[int, int]
UnitFrames = dict[Unit, dict[str, pd.DataFrame]]


def unit_chains(units: tuple[Unit, ...]) -> list[tuple[Unit, ...]]:
    """``units`` grouped by NUTS version, each group in ``units``' order: a version's levels are mapped in one
    chain (a level's panel is reconciled with the level below it, ``compute_unit``'s ``panels``); chains are
    independent of each other."""
    chains: dict[int, list[Unit]] = {}
    for unit in units:
        chains.setdefault(unit[0], []).append(unit)
    return [tuple(chain) for chain in chains.values()]


def default_workers() -> int:
    """The cores this process may run on (``os.sched_getaffinity`` where there is one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def map_chain(con: Any, chain: tuple[Unit, ...], *, schemes: dict[str, StarScheme], impute: bool,
              progress: Callable[[Unit], None] | None = None) -> UnitFrames:
    """The tables of every unit of ``chain`` (``compute_unit``), mapped in turn on the backend ``con``."""
    panels: dict[Unit, ir.Table] = {}
    out: UnitFrames = {}
    try:
        for unit in chain:
            out[unit] = compute_unit(con, nuts_version=unit[0], level=unit[1], schemes=schemes, impute=impute,
                                     panels=panels)
            if progress:
                progress(unit)
    finally:
        panels.clear()  # drop the cached panels while the connection is open (ibis drops them when collected)
        gc.collect()
    return out


def _map_chain_in_process(home: str, version: str, chain: tuple[Unit, ...], schemes: dict[str, StarScheme],
                          impute: bool, threads: int) -> UnitFrames:
    """``map_chain`` in a worker process, over its own read-only connection to ``version`` of the store at
    ``home`` with ``threads`` DuckDB threads."""
    con = Store(Path(home)).ibis(version)
    try:
        con.raw_sql(f"SET threads = {int(threads)}")
        con.raw_sql("SET enable_progress_bar = false")  # a worker's bar would garble the command's own
        return map_chain(con, chain, schemes=schemes, impute=impute)
    finally:
        con.disconnect()


def map_in_processes(store: Store, chains: list[tuple[Unit, ...]], *, schemes: dict[str, StarScheme],
                     impute: bool, workers: int, progress: Callable[[Unit], None] | None = None) -> UnitFrames:
    """Map the ``chains`` in up to ``workers`` processes (spawned: no DuckDB or thread state is forked), each
    reading the published version with ``workers // processes`` DuckDB threads (at least one). Memory: each process
    holds one chain's tables until it returns them."""
    version = store.current()
    if version is None:
        raise StoreError(f"no published version in {store.home}")
    processes = min(workers, len(chains))
    threads = max(1, workers // processes)
    out: UnitFrames = {}
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        futures = {pool.submit(_map_chain_in_process, str(store.home), version, chain, schemes, impute, threads):
                   chain for chain in chains}
        for future in as_completed(futures):
            out.update(future.result())
            if progress:
                for unit in futures[future]:
                    progress(unit)
    return out


def compute_stage(store: Store, tables: dict[str, pd.DataFrame], progress: Progress | None = None, *,
                  units: tuple[Unit, ...] = DEFAULT_UNITS, impute: bool = True,
                  schemes: dict[str, StarScheme] | None = None, engine: str = "duckdb",
                  spark_master: str = "local[2]", spark_conf: dict[str, str] | None = None,
                  workers: int | None = None) -> dict[str, pd.DataFrame]:
    """Every table of ``TABLES``: each unit of ``units`` mapped (``compute_unit``) from the published version on
    ``engine`` (``engine_backend``), and the schemes as configured (``star_schemes``).

    On DuckDB, the chains of units (``unit_chains``: one per NUTS version) are mapped in parallel processes, up to
    ``workers`` (default: the cores this process may use; 1 maps them in this process); on Spark the cluster
    parallelises and the units are mapped in turn. The tables are the same either way, rows in ``units``' order."""
    schemes = load_schemes() if schemes is None else schemes
    workers = default_workers() if workers is None else max(1, workers)
    chains = unit_chains(units)
    done: list[Unit] = []

    def step(unit: Unit) -> None:
        done.append(unit)
        if progress:
            progress(f"mapped NUTS {unit[0]} level {unit[1]}", len(done), len(units))

    if engine == "duckdb" and workers > 1 and len(chains) > 1:
        frames = map_in_processes(store, chains, schemes=schemes, impute=impute, workers=workers, progress=step)
    else:
        con = engine_backend(store, engine, spark_master=spark_master, spark_conf=spark_conf, units=units,
                             impute=impute)
        try:
            frames = {}
            for chain in chains:
                frames.update(map_chain(con, chain, schemes=schemes, impute=impute, progress=step))
        finally:
            con.disconnect()
    out = {name: pd.concat([frames[unit][name] for unit in units], ignore_index=True) for name in frames[units[0]]}
    out["star_schemes"] = scheme_table(schemes)
    return out

