"""A DuckDB backend holding a small ``sbs_employment`` and ``nace``, for the hand-computed panel tests."""

from __future__ import annotations

import ibis
import pandas as pd


def sbs_backend(sbs_rows: list[tuple], nace_rows: list[tuple]):
    """``sbs_rows``: (region, level, nace, value) of NUTS 2021, 2015; ``nace_rows``: (code, level, section)."""
    con = ibis.duckdb.connect()
    sbs = pd.DataFrame(sbs_rows, columns=["region", "level", "nace", "value"]).assign(nuts_version=2021, year=2015)
    sbs["value"] = sbs["value"].astype("Float64")
    con.create_table("sbs_employment", sbs)
    con.create_table("nace", pd.DataFrame(nace_rows, columns=["code", "level", "section"]))
    return con
