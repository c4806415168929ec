"""``clusterobs compute``: the stages of ``STAGES``, in order, from the published version into one new version.

The results are computed from the published version and written, with that version's tables, into a new version
that is published atomically, once (a failed compute leaves the previous version serving). The new version records
the parent version, the schemes with their thresholds as configured, the code version and the sources' checksums.

Each stage satisfies ``clusterobs.pipeline.Stage``: it declares its tables (``TABLES``) and computes them from the
published version and the tables of the stages before it (``compute_stage``). The user's scoreboard indicators
(``--scoreboard-indicators``, validated by ``scoreboard.stage.read_indicators``) are an input of the run: the
scoreboard stage scores them with the built-in indicators.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import pandas as pd

import clusterobs
from clusterobs.complexity import stage as complexity
from clusterobs.linkages import stage as linkages
from clusterobs.mapping import compute as mapping
from clusterobs.mapping import headlines, plausibility
from clusterobs.mapping.schemes import load_schemes
from clusterobs.pipeline import Progress, Stage
from clusterobs.scoreboard import stage as scoreboard
from clusterobs.store import Store

#: The stages of ``clusterobs compute``, in the order they run.
STAGES: tuple[Stage, ...] = (
    mapping,  # measures, stars and star tests per scheme, NUTS version and level; panel, totals, data quality
    headlines,  # region_headlines: each region's headline figures from the mapping
    linkages,  # relatedness, related pairs, opportunities, emerging industries
    complexity,  # economic complexity of the traded categories and of the NACE divisions
    plausibility,  # region_caveats: SBS against LFS employment
    scoreboard,  # the Regional Ecosystem Scoreboard, with the user's indicators
)


@dataclass
class ComputeSummary:
    version: str
    parent: str
    star_counts: dict[str, dict[int, int]] = field(default_factory=dict)
    """Cells per number of stars, per scheme: NUTS 2021 level 2, the latest year (``star_year``)."""
    star_year: int | None = None
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def run_compute(store: Store, *, units: tuple[tuple[int, int], ...] = mapping.DEFAULT_UNITS, impute: bool = True,
                progress: Progress | None = None, engine: str = "duckdb", spark_master: str = "local[2]",
                spark_conf: dict[str, str] | None = None,
                user_indicators: pd.DataFrame | None = None, workers: int | None = None) -> ComputeSummary:
    """Run every stage of ``STAGES`` from the published version and publish the result as one new version.

    ``units``, ``impute``, ``engine``, ``spark_master`` and ``spark_conf`` are the mapping's options (``units``: the
    NUTS versions and levels mapped, ``mapping.compute.select_units``; the linkages are computed for those of
    ``linkages.stage.UNITS`` among them, else for the first);
    ``user_indicators``: the user's scoreboard indicators (``scoreboard.stage.read_indicators``) in place of the
    published version's; ``workers``: the processes mapping NUTS versions in parallel on DuckDB (default: the cores
    this process may use, ``mapping.compute.default_workers``)."""
    started = datetime.now(UTC)
    schemes = load_schemes()
    parent = store.current()
    options = {mapping: {"units": units, "impute": impute, "schemes": schemes, "engine": engine,
                         "spark_master": spark_master, "spark_conf": spark_conf, "workers": workers},
               # the linkages' units that are mapped (a compute restricted to other units: the first of them)
               linkages: {"units": tuple(u for u in linkages.UNITS if u in units) or units[:1]}}
    tables: dict[str, pd.DataFrame] = {}
    if user_indicators is not None:
        tables[scoreboard.USER_TABLE] = user_indicators
    # each stage's tables are written (a background thread: DuckDB works without the GIL) while the next stages
    # compute; the version is published once, after the last write
    with store.derive() as writer, ThreadPoolExecutor(max_workers=1, thread_name_prefix="compute-write") as pool:
        writes: list[Future[str]] = []
        for stage in STAGES:
            for done in [w for w in writes if w.done()]:
                done.result()  # a write that failed stops the compute now, not after the last stage
            produced = stage.compute_stage(store, tables, progress, **options.get(stage, {}))
            if set(produced) != set(stage.TABLES):
                raise RuntimeError(f"compute stage {getattr(stage, '__name__', stage)} returned {sorted(produced)}, "
                                   f"declared {sorted(stage.TABLES)}")
            tables.update(produced)
            writes += [pool.submit(writer.write, name, df, description=stage.TABLES[name])
                       for name, df in produced.items()]
        for write in writes:
            write.result()
        writer.set_meta("compute", {
            "code_version": clusterobs.__version__, "impute": impute, "engine": engine,
            "units": [list(u) for u in units],
            "schemes": {k: asdict(v) for k, v in schemes.items()},
            "computed_at": started.isoformat(timespec="seconds"),
        })
        version = writer.publish()
    stars = tables["cluster_stars"]
    main = stars[(stars["nuts_version"] == 2021) & (stars["level"] == 2)]
    star_year = int(main["year"].max()) if len(main) else None
    main = main[main["year"] == star_year]
    counts = {s: {int(k): int(v) for k, v in g["stars"].value_counts().sort_index().items()}
              for s, g in main.groupby("scheme")}
    return ComputeSummary(version=version, parent=parent or "", star_counts=counts, star_year=star_year,
                          rows={k: len(v) for k, v in tables.items()},
                          seconds=(datetime.now(UTC) - started).total_seconds())
