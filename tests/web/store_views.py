"""The published version as the web shows it by default, for tests that check its answers by hand."""

from __future__ import annotations

import duckdb

#: tables of ``clusterobs compute`` with one set of rows per year of the SBS panel
PER_YEAR = {"cluster_measures", "cluster_stars", "cluster_star_tests", "region_totals", "region_data_quality",
            "industry_panel", "region_headlines", "region_opportunities", "region_caveats", "relatedness",
            "related_pairs", "emerging_shares"}


def latest_year_connection(store) -> duckdb.DuckDBPyConnection:
    """A read-only view of the published version as the web shows it by default: every table the mapping computes
    per year holds only its latest year (the API's default; rows with no year, such as the published US relatedness,
    stay); source tables (regional indicators, SBS, ...) are whole. The tests that check an answer against the store
    by hand query this."""
    path = store.path()
    con = duckdb.connect()
    con.execute(f"ATTACH '{path}' AS v (READ_ONLY)")
    latest = con.execute("SELECT max(year) FROM v.cluster_measures").fetchone()[0]
    cols = con.execute("SELECT table_name, column_name FROM information_schema.columns WHERE table_catalog = 'v'"
                       ).fetchall()
    with_year = {t for t, c in cols if c == "year"} & PER_YEAR
    for (name,) in con.execute("SELECT DISTINCT table_name FROM information_schema.tables WHERE table_catalog = 'v'"
                               ).fetchall():
        where = f" WHERE year = {int(latest)} OR year IS NULL" if name in with_year else ""
        con.execute(f'CREATE TEMP VIEW "{name}" AS SELECT * FROM v."{name}"{where}')
    return con
