"""The Cluster Mapping Tool's reads for its pages and its API: profiles, portfolios, maps, headlines, star tests.

Every page and endpoint of the mapping tool goes through these functions (HackSoft "selectors"): a threshold or a
join computed here serves the pages, the API and the exports alike. They read through the kernel's shared reads
(``clusterobs.web.dataset``: the published version, the checks, regions, categories and cluster measures, re-exported
here so the tool's modules name one module) and are memoized per version and named in the active language.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from clusterobs.classifications.concordance import in_sbs_business_economy
from clusterobs.mapping import headlines
from clusterobs.store.reads import missing, ranked_mask, star_values
from clusterobs.web.dataset import (
    DEFAULT_LEVEL,
    DEFAULT_SCHEME,
    KINDS,
    MAX_CODES,
    MEASURE_SORTS,
    MEASURES,
    NUTS_VERSION,
    QUALITY_COLUMNS,
    BadParameter,
    NoDataset,
    NotFound,
    Observatory,
    categories_named,
    category_coverage,
    category_get,
    category_list,
    check_codes,
    check_kind,
    check_level,
    check_measure,
    check_scheme,
    check_sort,
    check_year,
    data,
    dataset,
    dataset_citation,
    display_names,
    measures,
    memoized,
    named,
    no_data_regions,
    one_version,
    place_index,
    published,
    published_version,
    region_get,
    region_list,
    region_quality,
    region_search,
    sources,
    with_quality,
    years_with,
)

#: the kernel's shared reads, re-exported for the tool's modules (``selectors.data()``, ``selectors.measures()``…);
#: the tool's own selectors follow
__all__ = ["DEFAULT_LEVEL", "DEFAULT_SCHEME", "KINDS", "MAX_CODES", "MEASURES", "MEASURE_SORTS", "NUTS_VERSION",
           "QUALITY_COLUMNS", "BadParameter", "NoDataset", "NotFound", "Observatory", "categories_named",
           "category_coverage", "category_get", "category_list", "check_codes", "check_kind", "check_level",
           "check_measure", "check_scheme", "check_sort", "check_year", "data", "dataset", "dataset_citation",
           "display_names", "measures", "memoized", "named", "no_data_regions", "one_version", "place_index",
           "published", "published_version", "ranked_mask", "region_get", "region_list", "region_quality",
           "region_search", "sources", "star_values", "with_quality", "years_with"]


# ---- data quality: no-data regions, cells that cannot be ranked, caveats ----------------------------------------


def region_quality_get(code: str, *, year: int | None = None) -> dict[str, Any] | None:
    """One region's ``region_data_quality`` row (at its own level), or None when the version has none."""
    level = int(region_get(code)["level"])
    q = region_quality(level=level, year=year)
    row = q[q["region"] == code]
    if row.empty:
        return None
    out = {k: (None if missing(v) else v) for k, v in row.iloc[0].to_dict().items()}
    out.pop("region", None)
    for k in ("traded_categories", "traded_with_data", "traded_rankable"):
        out[k] = None if out[k] is None else int(out[k])
    for k in ("split_share", "imputed_share"):
        out[k] = None if out[k] is None else float(out[k])
    out["no_data"] = bool(out["no_data"])
    return out


def flagged_caveats(rows: pd.DataFrame, *, level: int | None = None, year: int | None = None) -> pd.DataFrame:
    """The flagged rows of ``region_caveats`` (SBS against LFS employment per sector group): ``flag`` true or a
    non-empty label (``high``/``low``), of the NUTS 2021 ``level`` and ``year`` when the table has those columns."""
    r = rows
    for col, value in (("nuts_version", NUTS_VERSION), ("level", level), ("year", year)):
        if value is not None and col in r.columns:
            r = r[r[col] == value]
    if "flag" not in r.columns:
        return r.head(0)
    flag = r["flag"]
    hit = flag.map(lambda v: False if missing(v) else (v.strip() != "" and v.strip().lower() not in (
        "false", "0", "no")) if isinstance(v, str) else bool(v))
    return r[hit.astype(bool)]


@memoized
def region_caveats(code: str, *, year: int | None = None) -> pd.DataFrame:
    """A region's flagged SBS/LFS plausibility caveats (table ``region_caveats``, when the version has it): the
    sector group, the ratio and the caveat in words; empty otherwise."""
    cols = ["sector", "sector_name", "sbs_employment", "lfs_employment", "ratio", "flag", "caveat"]
    rows = data().caveat_rows(code)
    if rows is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    level = int(region_get(code)["level"])
    year = check_year(year)
    if "year" in rows.columns and len(rows) and year not in set(rows["year"]):
        year = int(rows["year"].max())  # the plausibility check may use another reference year than the measures
    out = flagged_caveats(rows, level=level, year=year)
    return out[[c for c in cols if c in out.columns]].reset_index(drop=True)


@memoized
def star_tests(*, region: str, category: str, scheme: str = DEFAULT_SCHEME, year: int | None = None,
               level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Why the stars: every condition with its value and threshold."""
    return data().star_tests(region=region, category=category, year=check_year(year), scheme=check_scheme(scheme),
                             level=check_level(level)).drop(columns="category")


@memoized
def headline(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
             kind: str = "traded") -> dict[str, Any]:
    """The headline figures of the engine (``clusterobs.mapping.headlines.headline``) on the cells the pages read:
    ``kind`` categories (traded unless asked), clusters by stars, the share of employment in starred clusters;
    cells without employment (``no_data``), cells that cannot be ranked (``not_rankable``) and the no-data regions
    (``excluded_regions``) are left out and counted apart."""
    check_kind(kind)
    year = check_year(year)
    m = measures(scheme=scheme, year=year, level=level)
    head = headlines.headline(m, kind=kind, quality=region_quality(level=level, year=year))
    return {**head, "scheme": scheme, "level": level, "year": year}


HEADLINE_COLUMNS = ["region", "stars_3", "stars_2", "stars_1", "starred", "starred_employment", "employment",
                    "clusters", "not_rankable", "cells_without_data", "starred_share", "no_data"]


@memoized
def region_headlines(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
                     kind: str = "traded") -> pd.DataFrame:
    """Per region, the engine's headline figures of ``kind`` categories (table ``region_headlines`` of
    ``clusterobs compute``; computed by ``headlines.region_headlines`` on the same cells when the version lacks
    it): clusters with 3, 2, 1 stars, starred, employment in starred clusters and its share, cells ranked, not
    rankable and without data, and ``no_data`` for a no-data region."""
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    check_kind(kind)
    obs = data()
    out = obs.region_headlines(scheme=scheme, year=year, level=level, kind=kind)
    if out is None:
        m = obs.cluster_measures(scheme=scheme, year=year, level=level)
        q = region_quality(level=level, year=year).assign(nuts_version=NUTS_VERSION, level=level, year=year)
        out = headlines.region_headlines(m, m, obs.categories, q)
        out = out[out["kind"] == kind].reset_index(drop=True)
    return out[HEADLINE_COLUMNS].assign(no_data=out["no_data"].fillna(False).astype(bool))


def starred_at_least(heads: pd.DataFrame, min_stars: int) -> pd.Series:
    """From ``region_headlines`` rows: the number of clusters with at least ``min_stars`` stars (0: every ranked
    cluster)."""
    if min_stars <= 0:
        return heads["clusters"]
    cols = [f"stars_{s}" for s in (1, 2, 3) if s >= min_stars]
    return heads[cols].sum(axis=1) if cols else heads["clusters"] * 0


@memoized
def star_threshold(*, category: str, measure: str, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                   level: int = DEFAULT_LEVEL) -> dict[str, Any] | None:
    """The percentile threshold the scheme's star test applied to ``measure`` for ``category`` (``threshold``,
    ``percentile``, ``pooled``: over every traded cell, not the category's regions), or None when the scheme has no
    percentile test of that measure."""
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    return data().star_threshold(category=category, measure=measure, scheme=scheme, year=year, level=level)


@memoized
def region_context(code: str) -> dict[str, Any]:
    """Regional context from the Eurostat indicators (NUTS 2016 codes; the same code in 2021 when unchanged)."""
    return data().region_context(code)


def versions() -> list[dict[str, Any]]:
    store = data().store
    return [{"version": v.version, "published": v.published, "created_at": v.meta.get("created_at"),
             "parent_version": v.meta.get("parent_version")} for v in store.versions()]


# ---- API reads: lists, profiles, portfolios, maps (also usable by pages) -------------------------------------


@memoized
def measure_list(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
                 regions: list[str] | None = None, categories: list[str] | None = None, country: str | None = None,
                 kind: str | None = None, min_stars: int = 0, sort: str = "region,category",
                 limit: int | None = None, offset: int = 0) -> tuple[int, pd.DataFrame]:
    """Cluster measures with stars, filtered and sorted (missing values last): ``(total rows, the page)``."""
    obs = dataset(measures=True)
    scheme, level, year = check_scheme(scheme), check_level(level), check_year(year)
    order = check_sort(sort)
    check_kind(kind)
    obs.check_min_stars(min_stars)
    for name, codes, get in (("region", regions, region_get), ("category", categories, category_get)):
        for code in check_codes(name, codes) or ():
            get(code)
    filters = {"scheme": scheme, "year": year, "level": level, "regions": regions, "categories": categories,
               "country": country, "kind": kind, "min_stars": min_stars}
    rows = obs.cluster_measures(**filters, sort=order, limit=limit, offset=offset)
    return obs.cluster_measures_count(**filters), with_quality(rows, level=level, year=year)


@memoized
def indicator_catalogue() -> pd.DataFrame:
    return dataset().indicator_catalogue()


@memoized
def region_profile(code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None) -> dict[str, Any]:
    """A region with its regional context (latest year of each indicator) and its starred clusters."""
    region = region_get(code)
    catalogue = indicator_catalogue().set_index("indicator")
    context = [{"indicator": k, **v, **{c: catalogue.at[k, c] if k in catalogue.index else None
                                        for c in ("unit", "description", "eurostat_table")}}
               for k, v in sorted(region_context(code).items())]
    regions = dataset().regions
    _, starred = measure_list(scheme=scheme, year=year, level=int(region["level"]), regions=[code], min_stars=1,
                              sort="-stars,-employment")
    return {**region, "nuts_version": NUTS_VERSION, "children": regions.loc[regions["parent"] == code, "code"].tolist(),
            "context": context, "scheme": check_scheme(scheme), "year": check_year(year),
            "data_quality": region_quality_get(code, year=year), "caveats": region_caveats(code, year=year),
            "headline": region_headline(code, scheme=scheme, year=year), "starred_clusters": starred}


def region_headline(code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                    kind: str = "traded") -> dict[str, Any] | None:
    """One region's headline figures (``region_headlines``) of ``kind`` categories, or None without cells."""
    level = int(region_get(code)["level"])
    heads = region_headlines(scheme=scheme, year=year, level=level, kind=kind)
    row = heads[heads["region"] == code]
    if row.empty:
        return None
    r = row.iloc[0]
    return {"kind": kind, "stars_3": int(r["stars_3"]), "stars_2": int(r["stars_2"]), "stars_1": int(r["stars_1"]),
            "starred": int(r["starred"]), "clusters": int(r["clusters"]), "not_rankable": int(r["not_rankable"]),
            "cells_without_data": int(r["cells_without_data"]),
            "starred_employment": float(r["starred_employment"]), "employment": float(r["employment"]),
            "starred_share": None if missing(r["starred_share"]) else float(r["starred_share"]),
            "no_data": bool(r["no_data"])}


@memoized
def category_profile(category: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                     level: int = DEFAULT_LEVEL) -> dict[str, Any]:
    """A category, its data coverage, and how many regions hold it with each number of stars."""
    cat = category_get(category)
    _, rows = measure_list(scheme=scheme, year=year, level=level, categories=[category])
    have = rows["employment"].notna()
    ranked = ranked_mask(rows)
    # a cell without employment is no data, one that cannot be ranked has no stars: neither is counted as 0 stars
    by_stars = star_values(rows[ranked]).astype(int).value_counts().sort_index()
    return {**cat, "mapped": bool(len(rows)), "scheme": check_scheme(scheme), "year": check_year(year),
            "level": level, "regions": len(rows), "regions_with_employment": int(have.sum()),
            "regions_ranked": int(ranked.sum()), "regions_not_ranked": int((have & ~ranked).sum()),
            "regions_by_stars": {int(k): int(v) for k, v in by_stars.items()}}


#: the columns of ``category_divisions`` (the web's read of the store table of that name, plus ``in_sbs``)
DIVISION_COLUMNS = ["division", "name", "weight", "classes", "division_us_employment", "us_employment",
                    "us_employment_share", "in_sbs"]


@memoized
def category_divisions(category: str) -> pd.DataFrame:
    """The NACE divisions that feed a category (store table ``category_divisions``): concordance ``weight`` (share
    of the division's employment assigned to the category), the US employment (CBP 2012) the category draws from
    it and its ``us_employment_share`` of the category's, and ``in_sbs`` (the SBS business economy covers it:
    sections B-N without K, plus S95). Largest share first. No rows when the dataset version has no such table."""
    category_get(category)
    df = data().category_divisions(category)
    if df is None:
        return pd.DataFrame(columns=DIVISION_COLUMNS)
    df["in_sbs"] = [in_sbs_business_economy(d[:1], d) for d in df["division"]]
    return df[DIVISION_COLUMNS]


@memoized
def category_regions(category: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                     level: int = DEFAULT_LEVEL, measure: str = "employment", min_stars: int = 0) -> pd.DataFrame:
    """One category across all regions, ranked by ``measure`` (1 = highest). A row whose value is missing, whose
    cell cannot be ranked (``rankable`` false: low coverage, split region) or whose region is no-data has ``rank``
    null and comes after the ranked rows, still listed with its ``caveat``."""
    category_get(category)
    measure = check_measure(measure)
    sort = "-stars,-employment" if measure == "stars" else f"-{measure}"
    _, rows = measure_list(scheme=scheme, year=year, level=level, categories=[category], min_stars=min_stars,
                           sort=sort)
    ok = ranked_mask(rows)
    values = pd.to_numeric(rows[measure], errors="coerce").astype(float).where(ok)
    rows = rows.copy()
    rows.insert(0, "rank", values.rank(method="min", ascending=False).astype("Int64"))
    return rows.assign(_unranked=rows["rank"].isna()).sort_values("_unranked", kind="stable").drop(
        columns="_unranked").reset_index(drop=True)


@memoized
def region_portfolio(code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                     top: int = 5) -> dict[str, Any]:
    """A region's traded clusters: the most productive, most specialised and largest, and every category's row."""
    region = region_get(code)
    _, rows = measure_list(scheme=scheme, year=year, level=int(region["level"]), regions=[code], sort="category")
    traded = rows[rows["kind"] == "traded"]
    ranked = traded[ranked_mask(traded)]
    quality = region_quality_get(code, year=year)
    tops, notes = {}, []
    if quality and quality["no_data"]:
        notes.append(f"{code} is no-data ({quality['no_data_reason']}): its clusters are listed, never ranked")
    elif len(ranked) < len(traded[traded["employment"].notna()]):
        notes.append(f"{len(traded[traded['employment'].notna()]) - len(ranked)} traded categories of {code} with "
                     "employment cannot be ranked (see `caveat`) and are left out of the top lists")
    for key, col in (("most_productive", "productivity"), ("most_specialised", "lq"), ("largest", "employment")):
        have = ranked.dropna(subset=[col])
        tops[key] = have.sort_values([col, "category"], ascending=[False, True]).head(top)
        if have.empty and not (quality and quality["no_data"]):
            notes.append(f"{key}: no rankable traded category of {code} has a `{col}` value in this dataset")
    return {"region": code, "name": region["name"], "level": int(region["level"]), "scheme": check_scheme(scheme),
            "year": check_year(year), **tops, "notes": notes, "data_quality": quality, "rows": rows}


@memoized
def star_explanation(code: str, category: str, *, scheme: str = DEFAULT_SCHEME,
                     year: int | None = None) -> dict[str, Any]:
    """Why a region's cluster has its stars: each condition with its value, threshold and outcome."""
    region, cat = region_get(code), category_get(category)
    level = int(region["level"])
    _, row = measure_list(scheme=scheme, year=year, level=level, regions=[code], categories=[category])
    tests = star_tests(region=code, category=category, scheme=scheme, year=year, level=level)
    first = row.iloc[0] if len(row) else None
    return {"region": code, "region_name": region["name"], "category": category, "category_name": cat["name"],
            "scheme": check_scheme(scheme), "year": check_year(year), "level": level,
            "stars": None if first is None or missing(first["stars"]) else int(first["stars"]),
            "tests_evaluated": None if first is None else int(first["tests_evaluated"]),
            "rankable": None if first is None or missing(first["rankable"]) else bool(first["rankable"]),
            "caveat": None if first is None or missing(first["caveat"]) else str(first["caveat"]),
            "coverage": None if first is None or missing(first["coverage"]) else float(first["coverage"]),
            "region_no_data": None if first is None else bool(first["region_no_data"]),
            "tests_passed": [] if first is None or missing(first["tests_passed"]) or not first["tests_passed"]
            else first["tests_passed"].split(","),
            "note": None if first is not None else (
                f"no cluster measures for {code} and {category}: the category is not mapped or the region is "
                "absent from the source at this level and year"),
            "conditions": tests}


@memoized
def region_map_values(*, level: int = DEFAULT_LEVEL, category: str | None = None, scheme: str = DEFAULT_SCHEME,
                      year: int | None = None, measure: str | None = None, min_stars: int = 1) -> pd.DataFrame:
    """One row per region with a polygon: the measure's value, or ``no_data`` saying why there is none.

    With a category, ``value`` is ``measure`` (default stars) of that cluster, with the cell's ``rankable``,
    ``caveat``, ``coverage`` and ``split_share``; a cell without employment, one that cannot be ranked (coverage
    below the threshold, a region split by population) and any cell of a no-data region is drawn as no data:
    ``value`` null and ``no_data`` the caveat (its own measures stay in ``stars``, ``employment`` and the
    measure's column). Without a category, ``value`` is the engine's count (``region_headlines``) of traded
    clusters with at least ``min_stars`` stars among those that can be ranked (``categories_with_data``: with
    employment; ``categories_not_ranked``: with employment but not rankable; ``categories_without_data``); a
    no-data region is null with the reason. ``region_no_data`` marks a no-data region (``region_data_quality``);
    ``in_statistics`` is false for a region with no cluster measures at all at this level and year.
    """
    obs = dataset(measures=True)
    level, year = check_level(level), check_year(year)
    if category is None and measure is not None:
        raise BadParameter("measure", f"`measure` must be left out without a `category` (the value is then the "
                           f"number of starred clusters); got {measure!r}.")
    obs.check_min_stars(min_stars)
    shapes = [f["id"] for f in obs.geojson(level)["features"]]
    out = obs.regions.set_index("code").reindex(shapes)[["name", "country", "level"]].rename_axis("code").reset_index()
    out["level"] = level
    _, rows = measure_list(scheme=scheme, year=year, level=level, categories=[category] if category else None,
                           kind=None if category else "traded")
    has_rows = out["code"].isin(rows["region"])
    out["in_statistics"] = has_rows
    excluded = no_data_regions(level=level, year=year)
    out["region_no_data"] = out["code"].isin(set(excluded))
    absent = f"no cluster measures for this region at NUTS level {level} in {year}"
    if category is not None:
        measure = check_measure(measure or "stars")
        extra = [] if measure in ("stars", "employment") else [measure]
        if measure == "growth":  # the window and whether a break in series lies inside it
            extra += [c for c in ("growth_base_year", "growth_break") if c in rows.columns]
        cols = ["region", "stars", "employment", "imputed_share", "imputed", "coverage", "split_share", "rankable",
                "caveat", *extra]
        out = out.merge(rows[cols], left_on="code", right_on="region", how="left").drop(columns="region")
        out["stars"] = out["stars"].astype("Int64").mask(out["employment"].isna())
        shown = ranked_mask(out.assign(region_no_data=out["region_no_data"]))
        out["value"] = pd.to_numeric(out[measure], errors="coerce").where(shown)
        if measure == "stars":
            out["value"] = out["value"].astype("Int64")
        if category_get(category).get("status") == "not covered":
            absent = f"category {category} is not mapped: the data cover too few of its industries"
        missing = (f"{measure} not available (missing or confidential in the source)" if measure == "employment"
                   else "no stars: employment not available (missing or confidential in the source)"
                   if measure == "stars" else f"{measure} not available for this region")
        no_data = pd.Series(None, index=out.index, dtype=object)
        no_data[~has_rows] = absent
        no_data[has_rows & out["employment"].isna()] = missing
        cell = has_rows & out["employment"].notna() & ~out["rankable"].fillna(False).astype(bool)
        no_data[cell] = "not ranked: " + out.loc[cell, "caveat"].fillna("the cell cannot be ranked").astype(str)
        region = has_rows & out["region_no_data"] & no_data.isna()
        no_data[region] = "no-data region: " + out.loc[region, "code"].map(excluded).astype(str)
        no_data[has_rows & no_data.isna() & out["value"].isna()] = missing
        out["no_data"] = no_data
    else:
        measure = "starred_clusters"
        heads = region_headlines(scheme=scheme, year=year, level=level, kind="traded").set_index("region")
        counts = starred_at_least(heads, min_stars)
        with_data = rows[rows["employment"].notna()]
        n_with = with_data.groupby("region").size()
        n_all = rows.groupby("region").size()
        n_ranked = heads["clusters"]
        has_data = out["code"].isin(with_data["region"])
        shown = has_data & ~out["region_no_data"] & out["code"].map(n_ranked).fillna(0).gt(0)
        out["value"] = out["code"].map(counts).fillna(0).astype("Int64").where(shown)
        out["categories_with_data"] = out["code"].map(n_with).fillna(0).astype("Int64").where(has_rows)
        out["categories_not_ranked"] = (out["code"].map(n_with).fillna(0) - out["code"].map(n_ranked).fillna(0)
                                        ).clip(lower=0).astype("Int64").where(has_rows)
        out["categories_without_data"] = (out["code"].map(n_all).fillna(0) - out["code"].map(n_with).fillna(0)
                                          ).astype("Int64").where(has_rows)
        no_data = pd.Series(None, index=out.index, dtype=object)
        no_data[~has_rows] = absent
        no_data[has_rows & ~has_data] = ("no employment for any traded category of this region "
                                         "(missing or confidential in the source)")
        region = has_rows & out["region_no_data"] & no_data.isna()
        no_data[region] = "no-data region: " + out.loc[region, "code"].map(excluded).astype(str)
        no_data[has_rows & no_data.isna() & out["value"].isna()] = "no traded category of this region can be ranked"
        out["no_data"] = no_data
    out["no_data_reason"] = out["code"].map(excluded)
    out = out.assign(category=category, scheme=scheme, year=year, measure=measure)
    front = ["code", "name", "country", "level", "category", "scheme", "year", "measure", "value"]
    return out[front + [c for c in out.columns if c not in front]]


def region_map(*, level: int = DEFAULT_LEVEL, **query: Any) -> dict[str, Any]:
    """GeoJSON FeatureCollection of the level's NUTS 2021 polygons with ``region_map_values`` as properties."""
    values = region_map_values(level=level, **query)
    props = values.astype(object).where(values.notna(), None).to_dict("records")
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": f["id"], "properties": p, "geometry": f["geometry"]}
        for f, p in zip(dataset().geojson(level)["features"], props, strict=True)]}


# ---- pages of the Cluster Mapping Tool ------------------------------------------------------------------------


def dataset_meta() -> dict[str, Any]:
    """The published version's facts: version, created_at (extraction), compute (schemes, computed_at)."""
    return data().meta


@memoized
def citations(source_ids: list[str]) -> list[str]:
    """The distinct citations of the given sources, in the order asked (for a chart's source line)."""
    return data().citations(source_ids)


@memoized
def stars_by_region(*, scheme: str = DEFAULT_SCHEME, year: int | None = None, level: int = DEFAULT_LEVEL,
                    stars: int = 3, kind: str = "traded") -> pd.DataFrame:
    """Per region: the engine's count (``region_headlines``) of ``kind`` clusters with at least ``stars`` stars
    (``count``), of clusters that can be ranked (``ranked``) and whether the region is no-data. Cells without
    employment or that cannot be ranked are not counted, never as zero stars; a region absent from the measures
    (outside the statistics) is absent here."""
    heads = region_headlines(scheme=scheme, year=year, level=level, kind=kind)
    names = data().regions.set_index("code")["name"]
    return pd.DataFrame({"region": heads["region"], "region_name": heads["region"].map(names),
                         "count": starred_at_least(heads, stars).astype(int), "ranked": heads["clusters"].astype(int),
                         "not_rankable": heads["not_rankable"].astype(int),
                         "without_data": heads["cells_without_data"].astype(int), "no_data": heads["no_data"]})


@memoized
def category_star_counts(*, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                         level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Per mapped category: regions with data, regions ranked (``headlines.usable``: rankable cells outside the
    no-data regions), and regions with 1, 2 and 3 stars among the ranked ones; Europe's employment in it."""
    year = check_year(year)
    m = measures(scheme=scheme, year=year, level=level)
    ok = m.index.isin(headlines.usable(m, kind="", quality=region_quality(level=level, year=year)).index)
    st = star_values(m)
    m = m.assign(with_data=m["employment"].notna(), ranked=ok, s1=ok & (st == 1), s2=ok & (st == 2),
                 s3=ok & (st == 3))
    return m.groupby("category", as_index=False).agg(with_data=("with_data", "sum"), ranked=("ranked", "sum"),
                                                     stars_1=("s1", "sum"), stars_2=("s2", "sum"),
                                                     stars_3=("s3", "sum"), employment=("employment", "sum"))


@memoized
def region_star_tests(*, region: str, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                      level: int = DEFAULT_LEVEL) -> pd.DataFrame:
    """Every condition of the scheme for every category of one region: value, threshold, passed, skipped."""
    year = check_year(year)
    region_get(region)
    return data().star_tests(region=region, scheme=check_scheme(scheme), year=year, level=check_level(level))


@memoized
def region_employment(code: str) -> dict[str, Any]:
    """Employment in the whole economy (LFS, latest year with a value, NUTS-2 only), persons."""
    return data().region_employment(code)


def label_points(level: int = DEFAULT_LEVEL) -> dict[str, tuple[float, float]]:
    """(lon, lat) of each region's label point (GISCO's, NUTS-2 only); other levels: the polygon's bbox centre."""
    return data().label_points(level)


def peer_regions(code: str, *, limit: int = 9) -> pd.DataFrame:
    """Regions of the same country and NUTS level (the rule shown on the comparison page)."""
    region = region_get(code)
    regions = data().regions
    same = regions[(regions["country"] == region["country"]) & (regions["level"] == region["level"])
                   & (regions["code"] != code)]
    return same.head(limit)
