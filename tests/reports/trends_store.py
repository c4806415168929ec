"""A small multi-year store built in code, whose growth, stars gained and lost and structural change are computed
by hand in tests/reports/test_report_trends.py.

Three NUTS-2 regions (AA11, AA12 in country AA; BB11 in BB), three traded categories and one emerging industry.
2015 is the base; 2010 is 2015 with known changes; 2008 is a copy of 2010 (outside the five-year window):

=========  ==========  ===========  ==========  ===========  =====================================================
region     category    2010 (stars) 2015 (stars) note
=========  ==========  ===========  ==========  ===========  =====================================================
AA11       automotive  8,000 (2)    10,000 (3)  gains a star and reaches three; 20% imputed in 2015
AA11       aerospace   2,000 (1)    2,000 (1)
AA11       textiles    500 (0)      500 (0)
AA12       automotive  4,000 (1)    4,000 (1)
AA12       aerospace   3,000 (3)    3,000 (2)   loses its third star
AA12       textiles    1,500        1,500 (1)   not rankable in 2010 (coverage 50%): not comparable
BB11       automotive  1,250 (0)    1,000 (0)
BB11       aerospace   500 (0)      500 (0)     an input flagged b in 2015: a break, left out of the sums
BB11       textiles    6,000 (3)    6,000 (3)
AA11/AA12/BB11  digital (emerging)  2,000/1,000/2,000 → 3,000/1,000/2,000
=========  ==========  ===========  ==========  ===========  =====================================================
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.store import Store

NUTS = 2021
REGIONS = [("AA", "Alpha", 0, None, "AA"), ("BB", "Beta", 0, None, "BB"),
           ("AA11", "Alpha North", 2, "AA1", "AA"), ("AA12", "Alpha South", 2, "AA1", "AA"),
           ("BB11", "Beta Centre", 2, "BB1", "BB")]
CATEGORIES = [("automotive", 10, "Automotive", "traded"), ("aerospace", 2, "Aerospace Vehicles and Defense", "traded"),
              ("textiles", 48, "Textile Manufacturing", "traded"), ("em_digital", None, "Digital industries",
                                                                     "emerging")]
#: (region, category): (employment 2010, stars 2010, employment 2015, stars 2015)
CELLS = {
    ("AA11", "automotive"): (8000, 2, 10000, 3), ("AA11", "aerospace"): (2000, 1, 2000, 1),
    ("AA11", "textiles"): (500, 0, 500, 0),
    ("AA12", "automotive"): (4000, 1, 4000, 1), ("AA12", "aerospace"): (3000, 3, 3000, 2),
    ("AA12", "textiles"): (1500, None, 1500, 1),
    ("BB11", "automotive"): (1250, 0, 1000, 0), ("BB11", "aerospace"): (500, 0, 500, 0),
    ("BB11", "textiles"): (6000, 3, 6000, 3),
    ("AA11", "em_digital"): (2000, 0, 3000, 0), ("AA12", "em_digital"): (1000, 0, 1000, 0),
    ("BB11", "em_digital"): (2000, 0, 2000, 0),
}
NOT_RANKABLE_2010 = {("AA12", "textiles")}
BREAK_2015 = {("BB11", "aerospace")}
IMPUTED_2015 = {("AA11", "automotive"): 0.2}


def _square(x: float, y: float) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]})


def _measures(years: list[int]) -> pd.DataFrame:
    kinds = {c: k for c, _, _, k in CATEGORIES}
    rows = []
    for year in years:
        for (region, category), (e10, _s10, e15, _s15) in CELLS.items():
            late = year >= 2015
            key = (region, category)
            rankable = not (year < 2015 and key in NOT_RANKABLE_2010)
            rows.append({"nuts_version": NUTS, "level": 2, "region": region, "category": category, "year": year,
                         "employment": float(e15 if late else e10),
                         "imputed_share": IMPUTED_2015.get(key, 0.0) if late else 0.0,
                         "coverage": 1.0 if rankable else 0.5, "split_share": 0.0, "rankable": rankable,
                         "caveat": None if rankable else "coverage 50% of the category's industries (below 80%)",
                         "flags": "b" if late and key in BREAK_2015 else "", "kind": kinds[category]})
    m = pd.DataFrame(rows)
    traded = m[m["kind"] == "traded"]
    region_total = traded.groupby(["region", "year"])["employment"].sum().rename("region_total")
    europe_cat = m.groupby(["category", "year"])["employment"].sum().rename("europe_cat")
    europe_total = traded.groupby("year")["employment"].sum().rename("europe_total")
    m = m.join(region_total, on=["region", "year"]).join(europe_cat, on=["category", "year"]).join(
        europe_total, on="year")
    m["share_europe"] = m["employment"] / m["europe_cat"]
    m["focus"] = m["employment"] / m["region_total"]
    m["lq"] = m["focus"] / (m["europe_cat"] / m["europe_total"])
    for column in ("productivity", "relative_productivity", "establishments", "avg_size"):
        m[column] = np.nan
    # the engine's growth: over the longest window of at most five years
    m["growth"], m["growth_window"], m["growth_break"] = np.nan, pd.array([pd.NA] * len(m), dtype="Int64"), False
    by = m.set_index(["region", "category", "year"])["employment"]
    for i, r in m.iterrows():
        base = [y for y in years if r["year"] - 5 <= y < r["year"]]
        if base:
            b = min(base)
            m.at[i, "growth"] = (r["employment"] / by[(r["region"], r["category"], b)]) ** (1 / (r["year"] - b)) - 1
            m.at[i, "growth_window"] = r["year"] - b
            m.at[i, "growth_break"] = r["flags"] == "b"
    m["denominator"] = "traded"
    return m.drop(columns=["kind", "europe_cat", "europe_total"])


def _stars(years: list[int]) -> pd.DataFrame:
    rows = []
    for year in years:
        for (region, category), (_e10, s10, _e15, s15) in CELLS.items():
            stars = s15 if year >= 2015 else s10
            rankable = not (year < 2015 and (region, category) in NOT_RANKABLE_2010)
            rows.append({"scheme": "eco2007", "nuts_version": NUTS, "level": 2, "region": region,
                         "category": category, "year": year, "stars": stars if rankable else None,
                         "tests_evaluated": 3 if rankable else 0, "rankable": rankable, "caveat": None,
                         "tests_passed": ",".join(["size", "specialisation", "focus"][: stars or 0])})
    out = pd.DataFrame(rows)
    out["stars"] = out["stars"].astype("Int64")
    return out


def build_history_store(home: Path, years: list[int]) -> Store:
    """Write and publish the small store with the cluster data of ``years`` (of 2008, 2010, 2015)."""
    store = Store(home)
    regions = pd.DataFrame(REGIONS, columns=["code", "name", "level", "parent", "country"]).assign(
        nuts_version=NUTS, name_latn=lambda d: d["name"], name_version=NUTS, has_geometry=True)
    categories = pd.DataFrame(CATEGORIES, columns=["category", "cmp_code", "name", "kind"]).assign(
        description="")
    categories["cmp_code"] = categories["cmp_code"].astype("Int64")
    geo = pd.DataFrame([{"nuts_version": NUTS, "scale": "60M", "kind": "region", "level": level, "code": code,
                         "geometry": _square(x, y)} for code, level, x, y in
                        (("AA11", 2, 10, 50), ("AA12", 2, 10, 49), ("BB11", 2, 12, 50), ("AA", 0, 10, 49),
                         ("BB", 0, 12, 50))])
    schemes = pd.DataFrame([{"scheme": "eco2007", "title": "European Cluster Observatory (2007)",
                             "denominator": "traded", "test": t, "test_description": d, "condition": c, "key": t,
                             "measure": ms, "op": ">=", "value": v, "percentile": p, "optional": False,
                             "ours": False} for t, d, c, ms, v, p in (
        ("size", "employment in the top 10% of regions", "employment >= p90", "employment", None, 90.0),
        ("specialisation", "LQ at least 2", "lq >= 2", "lq", 2.0, None),
        ("focus", "focus in the top 10% of cells", "focus >= p90", "focus", None, 90.0))])
    tests = pd.DataFrame({"scheme": ["eco2007"], "nuts_version": [NUTS], "level": [2], "region": ["AA11"],
                          "category": ["automotive"], "year": [max(years)], "test": ["specialisation"],
                          "condition": ["lq >= 2"], "measure": ["lq"], "op": [">="], "value": [2.5],
                          "threshold": [2.0], "passed": [True], "skipped": [False]})
    quality = pd.DataFrame([{"nuts_version": NUTS, "level": 2, "region": r, "year": y, "traded_categories": 3,
                             "traded_with_data": 3, "traded_rankable": 2 if (r == "AA12" and y < 2015) else 3,
                             "split_share": 0.0, "imputed_share": 0.0, "no_data": False, "no_data_reason": None}
                            for r in ("AA11", "AA12", "BB11") for y in years])
    sources = pd.DataFrame([{"source": s, "title": s, "file": f"{s}.csv", "sha256": "0" * 64, "bytes": 1, "url": "",
                             "publisher": "test", "publisher_url": "", "licence": "CC BY 4.0", "citation": c,
                             "origin": "", "notes": ""} for s, c in (
        ("eurostat_sbs_2015", "Eurostat, SBS regional (test extract)"),
        ("us_cmp_related", "US Cluster Mapping relatedness (test extract)"))])
    traded = [c for c, _, _, k in CATEGORIES if k == "traded"]
    rel = pd.DataFrame([{"method": "uscmp", "nuts_version": pd.NA, "level": pd.NA, "year": pd.NA,
                         "category_i": i, "category_j": j, "value": v, "regions_used": pd.NA}
                        for (i, j), v in {("aerospace", "automotive"): 40.0, ("aerospace", "textiles"): 5.0,
                                          ("automotive", "textiles"): 10.0}.items() for i, j in ((i, j), (j, i))])
    pairs = pd.DataFrame([{"method": "uscmp", "nuts_version": pd.NA, "level": pd.NA, "year": pd.NA,
                           "category_i": "aerospace", "category_j": "automotive", "value": 40.0, "rank": 1,
                           "cutoff": 30.0, "percentile": 90.0}])
    assert set(rel["category_i"]) == set(traded)
    with store.begin(label="history") as w:
        for name, df in (("regions", regions), ("categories", categories), ("nuts_geometries", geo),
                         ("cluster_measures", _measures(years)), ("cluster_stars", _stars(years)),
                         ("star_schemes", schemes), ("cluster_star_tests", tests), ("region_data_quality", quality),
                         ("sources", sources), ("relatedness", rel), ("related_pairs", pairs)):
            w.write(name, df, description=f"test {name}")
        w.set_meta("created_at", "2026-12-01T00:00:00")
        w.set_meta("code_version", "test")
        w.publish()
    return store
