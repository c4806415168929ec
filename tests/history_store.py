"""A small multi-year store built in code for the history tests (web, API, browser).

The session's real store has the years the mirror has (2015 until SBS 2008-2015 lands). This copies its published
version into a new data directory and, in a derived version, replaces the other years of every year-keyed table of
the cluster mapping (measures, stars, star tests, totals, data quality, headlines) by copies of 2015 as 2013 and
2014, with employment and region totals scaled (x 0.8, x 0.9: shares and LQs unchanged) and growth left NULL. A few
cells get hand-set series whose growth, shares and stars the tests compute by hand (``HAND``); the columns the
engine adds with the history (``wages``, ``growth_yoy``, ``growth_break``, ``flags``) are added when the version
lacks them.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from clusterobs.store import Store

YEARS = (2013, 2014, 2015)
SCALE = {2013: 0.8, 2014: 0.9}
#: the year-keyed tables of ``clusterobs compute`` the pages read, copied to the earlier years
YEAR_TABLES = ("cluster_measures", "cluster_stars", "cluster_star_tests", "region_totals", "region_data_quality",
               "region_headlines")
NEW_COLUMNS = {"wages": "DOUBLE", "growth_yoy": "DOUBLE", "growth_break": "BOOLEAN", "flags": "VARCHAR"}
#: every hand-set cell's region total (so that focus = employment / 1,000,000)
TOTAL = 1_000_000.0

#: (region, category) → year → values set on the NUTS 2021 level-2 cell; growth is over the window since 2013
HAND: dict[tuple[str, str], dict[int, dict[str, object]]] = {
    ("DE11", "automotive"): {
        2013: {"employment": 100_000.0, "lq": 2.5, "wages": 4000.0, "establishments": 500.0},
        2014: {"employment": 110_000.0, "lq": 2.75, "wages": 4400.0, "establishments": 510.0, "growth": 0.1,
               "growth_window": 1, "growth_yoy": 0.1, "flags": "b", "growth_break": True},
        2015: {"employment": 121_000.0, "wages": 5082.0, "establishments": 520.0, "growth": 0.1, "growth_window": 2,
               "growth_yoy": 0.1, "flags": "p", "growth_break": True},
    },
    ("DE11", "metalworking_technology"): {
        2013: {"employment": 20_000.0},
        2014: {"employment": 19_000.0, "growth": -0.05, "growth_window": 1, "growth_yoy": -0.05},
        2015: {"employment": 18_000.0, "growth": (18_000 / 20_000) ** 0.5 - 1, "growth_window": 2,
               "growth_yoy": 18_000 / 19_000 - 1},
    },
    ("DE11", "plastics"): {
        2013: {"employment": 5_000.0},
        2014: {"employment": 5_500.0, "growth": 0.1, "growth_window": 1, "growth_yoy": 0.1},
        2015: {"employment": 7_200.0, "growth": 0.2, "growth_window": 2, "growth_yoy": 7200 / 5500 - 1},
    },
    # grows fastest but cannot be ranked in 2015: never in a "fastest growing" list nor the structural change
    ("DE11", "upstream_metal_manufacturing"): {
        2013: {"employment": 1_000.0},
        2015: {"employment": 2_250.0, "growth": 0.5, "growth_window": 2, "rankable": False,
               "caveat": "coverage 50% of the category's industries (below 80%)"},
    },
    ("FR10", "automotive"): {
        2013: {"employment": 40_000.0},
        2014: {"employment": 36_000.0, "growth": -0.1, "growth_window": 1, "growth_yoy": -0.1},
        2015: {"employment": 32_400.0, "growth": -0.1, "growth_window": 2, "growth_yoy": -0.1},
    },
    ("ITC4", "automotive"): {
        2013: {"employment": 10_000.0},
        2014: {"employment": 12_500.0, "growth": 0.25, "growth_window": 1, "growth_yoy": 0.25},
        2015: {"employment": 16_900.0, "growth": 0.3, "growth_window": 2, "growth_yoy": 16900 / 12500 - 1},
    },
    ("DE12", "automotive"): {
        2013: {"employment": 10_000.0},
        2015: {"employment": 22_500.0, "growth": 0.5, "growth_window": 2, "rankable": False,
               "caveat": "coverage 50% of the category's industries (below 80%)"},
    },
    ("DE21", "automotive"): {
        2013: {"employment": 50_000.0},
        2015: {"employment": 50_000.0, "growth": 0.0, "growth_window": 2},
    },
}
#: eco2007 stars (and tests passed) of DE11 automotive in the earlier years; 2015 keeps the real ones
HAND_STARS = {2013: (1, "size"), 2014: (2, "size,specialisation")}


def build_history_store(source: Store, home: Path) -> Store:
    """Copy ``source``'s published version into ``home`` and publish the multi-year version derived from it."""
    version = source.current()
    (home / "versions").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source.path(version), home / "versions" / f"{version}.duckdb")
    store = Store(home)
    store.publish(version)
    with store.derive(label="history") as writer:
        con = writer.con
        have = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                          "WHERE table_name = 'cluster_measures'").fetchall()}
        for column, dtype in NEW_COLUMNS.items():
            if column not in have:
                con.execute(f"ALTER TABLE cluster_measures ADD COLUMN {column} {dtype}")
        con.execute("UPDATE cluster_measures SET growth = NULL, growth_window = NULL, growth_yoy = NULL, "
                    "growth_break = NULL, flags = NULL")
        tables = {r[0] for r in con.execute("SELECT name FROM _tables").fetchall()}
        for table in YEAR_TABLES:
            if table not in tables:
                continue
            con.execute(f"DELETE FROM {table} WHERE year <> 2015")  # whatever years the real data have
            for year, factor in SCALE.items():
                replace = f"{year} AS year"
                if table == "cluster_measures":
                    replace += (f", employment * {factor} AS employment, region_total * {factor} AS region_total, "
                                f"wages * {factor} AS wages")
                elif table == "region_totals":
                    replace += f", business_total * {factor} AS business_total, traded_total * {factor} AS traded_total"
                con.execute(f"INSERT INTO {table} SELECT * REPLACE ({replace}) FROM {table} WHERE year = 2015")
            con.execute("UPDATE _tables SET rows = (SELECT count(*) FROM " + table + ") WHERE name = ?", [table])
        for (region, category), years in HAND.items():
            for year, values in years.items():
                values = {"region_total": TOTAL, "focus": float(values["employment"]) / TOTAL, **values}
                if values.get("wages") is not None:
                    values["productivity"] = float(values["wages"]) * 1e6 / float(values["employment"])
                sets = ", ".join(f"{k} = ?" for k in values)
                con.execute(f"UPDATE cluster_measures SET {sets} WHERE nuts_version = 2021 AND level = 2 AND "
                            "region = ? AND category = ? AND year = ?", [*values.values(), region, category, year])
                if values.get("rankable") is False:
                    con.execute("UPDATE cluster_stars SET stars = NULL, tests_evaluated = 0, tests_passed = NULL, "
                                "rankable = false, caveat = ? WHERE nuts_version = 2021 AND level = 2 AND region = ? "
                                "AND category = ? AND year = ?", [values["caveat"], region, category, year])
        for year, (stars, passed) in HAND_STARS.items():
            con.execute("UPDATE cluster_stars SET stars = ?, tests_passed = ? WHERE scheme = 'eco2007' AND "
                        "nuts_version = 2021 AND level = 2 AND region = 'DE11' AND category = 'automotive' AND "
                        "year = ?", [stars, passed, year])
        writer.publish()
    with contextlib.suppress(OSError):  # the copy of the session's version is no longer needed
        (home / "versions" / f"{version}.duckdb").unlink()
    return store
