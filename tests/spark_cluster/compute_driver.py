"""A Spark driver process for the cluster tests: ``compute_unit`` of NUTS 2021 level 2 on the engine's
Spark backend (``engine_backend``: what ``clusterobs compute --engine spark`` opens), tables to Parquet.

    python compute_driver.py HOME MASTER OUT_DIR [KEY=VALUE ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from clusterobs.mapping.backends import parse_spark_conf
from clusterobs.mapping.compute import compute_unit, engine_backend
from clusterobs.mapping.schemes import load_schemes
from clusterobs.store import Store


def main(home: str, master: str, out: str, *conf: str) -> None:
    started = time.perf_counter()
    con = engine_backend(Store(home), "spark", spark_master=master, spark_conf=parse_spark_conf(list(conf)),
                         nuts_versions={2021})
    print(f"session on {con._session.sparkContext.master} and tables shipped in "
          f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
    tables = compute_unit(con, nuts_version=2021, level=2, schemes=load_schemes())
    Path(out).mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df.to_parquet(Path(out) / f"{name}.parquet", index=False)
    print(f"NUTS 2021 level 2 mapped on {master} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    con.disconnect()


if __name__ == "__main__":
    main(*sys.argv[1:])
