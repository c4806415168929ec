"""The European Cluster Panorama (or one country's): the statistical map of clusters and its correlation with
competitiveness, from the store and the shared chart builders (``clusterobs.charts``)."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from clusterobs import __version__, charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.maps import bbox
from clusterobs.charts.palette import ACCENT, STAR_COLOURS
from clusterobs.reports import competitiveness_sources, i18n, stats
from clusterobs.reports import formatting as fmt
from clusterobs.reports.common import (
    GISCO,
    SBS,
    conversion_note,
    level_label,
    methodology_annex,
    scheme_short,
    source_line,
    sources_annex,
    star_labels,
)
from clusterobs.reports.competitiveness import Indicator, indicators
from clusterobs.reports.data import DEFAULT_LEVEL, DEFAULT_SCHEME, NUTS_VERSION, ReportData
from clusterobs.reports.model import Chart, OnChart, Report, Section, Table, announcing

#: the star count from which a cluster is "starred" in the employment share and in cluster strength
STARRED = 1
TOP_CATEGORIES = 20


def strength(m: pd.DataFrame) -> pd.DataFrame:
    """Per region: traded employment, employment in starred traded clusters and its share (cluster strength),
    and the number of traded clusters with 1, 2 and 3 stars (cells without employment are left out)."""
    traded = m[(m["kind"] == "traded") & m["employment"].notna()]
    grouped = traded.assign(starred_emp=traded["employment"].where(traded["stars"] >= STARRED, 0.0),
                            s1=traded["stars"] == 1, s2=traded["stars"] == 2, s3=traded["stars"] == 3)
    out = grouped.groupby(["region", "region_name", "country"], as_index=False).agg(
        employment=("employment", "sum"), starred_employment=("starred_emp", "sum"), stars_1=("s1", "sum"),
        stars_2=("s2", "sum"), stars_3=("s3", "sum"))
    out["strength"] = (out["starred_employment"] / out["employment"]).where(out["employment"] > 0)
    return out


def build_panorama(data: ReportData, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                   country: str | None = None, level: int = DEFAULT_LEVEL, on_chart: OnChart | None = None,
                   lang: str = i18n.DEFAULT_LANGUAGE) -> Report:
    """The Panorama of Europe, or of one ``country`` (the same analysis over its regions), in ``lang``;
    ``on_chart`` gets each chart as soon as its section is built."""
    with i18n.language(lang):
        return _panorama(data, scheme=scheme, year=year, country=country, level=level, on_chart=on_chart, lang=lang)


def _panorama(data: ReportData, *, scheme: str, year: int | None, country: str | None, level: int,
              on_chart: OnChart | None, lang: str) -> Report:
    scheme, year = data.check_scheme(scheme), data.check_year(year)
    place = data.country_name(country) if country else "Europe"
    m = data.measures(scheme=scheme, year=year, level=level, country=country)
    if m.empty:
        raise_empty(place, level, year)
    traded = m[m["kind"] == "traded"]
    per_region = strength(m)
    ctx = _Context(data, scheme, year, level, country, place)
    facts = headline(traded)
    facts.update(place=place, country=country, scheme=scheme, year=year, level=level)
    built = announcing(on_chart)
    sections = [
        built(overview(ctx, traded, per_region, facts)),
        built(by_category(ctx, traded)),
        built(by_country(ctx, traded, per_region)),
        built(maps(ctx, per_region)),
        built(top_regions(ctx, traded, per_region)),
    ]
    corr_section, correlations = correlation(ctx, per_region)
    built(corr_section)
    facts["correlations"] = correlations
    sections += [corr_section, methodology_annex(data, [scheme]), sources_annex(data)]
    kind, slug = ("country", f"country_{country}_{scheme}_{year}") if country else ("panorama",
                                                                                     f"panorama_{scheme}_{year}")
    slug += "" if lang == i18n.DEFAULT_LANGUAGE else f"_{lang}"
    title = f"Cluster Panorama: {place}" if country else "European Cluster Panorama"
    report = Report(kind, slug, title,
                    f"Cluster stars ({data.scheme_title(scheme)}), {year}, {level_label(level)} (NUTS "
                    f"{NUTS_VERSION}), with the correlation of cluster strength and competitiveness",
                    sections, facts=facts, version=data.version,
                    code_version=str(data.meta.get("code_version") or __version__),
                    created_at=str(data.meta.get("created_at") or ""),
                    generated_at=datetime.now(UTC).isoformat(timespec="seconds"), lang=lang)
    report.highlights = [
        ("Regions mapped", fmt.integer(facts["regions"])),
        ("Traded categories", fmt.integer(facts["categories"])),
        ("3-star clusters", fmt.integer(facts["by_stars"].get(3, 0))),
        ("2-star clusters", fmt.integer(facts["by_stars"].get(2, 0))),
        ("1-star clusters", fmt.integer(facts["by_stars"].get(1, 0))),
        ("Traded employment in starred clusters", fmt.percent(facts["starred_share"])),
    ]
    return report


def raise_empty(place: str, level: int, year: int) -> None:
    from clusterobs.reports.data import ReportError

    raise ReportError(f"no cluster measures for {place} at NUTS level {level} in {year}")


class _Context:
    def __init__(self, data: ReportData, scheme: str, year: int, level: int, country: str | None,
                 place: str) -> None:
        self.data, self.scheme, self.year, self.level, self.country, self.place = (data, scheme, year, level,
                                                                                   country, place)

    def subtitle(self, what: str) -> str:
        return " · ".join([what, str(self.year), f"{level_label(self.level)}, NUTS {NUTS_VERSION}",
                           scheme_short(self.scheme)])

    def caption(self, title: str, what: str, sources: list[str], notes: list[str] = ()) -> Caption:
        notes = [n for n in [*notes, conversion_note(self.level)] if n]
        return Caption(title, self.subtitle(what), source_line(self.data, sources), notes)


def headline(traded: pd.DataFrame) -> dict:
    """Clusters by stars and the share of traded employment in starred clusters (the web's ``headline``)."""
    by_stars = {int(k): int(v) for k, v in traded["stars"].value_counts().sort_index().items()}
    emp = traded["employment"].sum()
    starred = traded.loc[traded["stars"] >= STARRED, "employment"].sum()
    three = traded.loc[traded["stars"] == 3, "employment"].sum()
    return {"by_stars": by_stars, "starred_share": float(starred / emp) if emp else None,
            "three_star_share": float(three / emp) if emp else None,
            "regions": int(traded["region"].nunique()), "categories": int(traded.loc[
                traded["employment"].notna(), "category"].nunique()), "traded_employment": float(emp)}


def overview(ctx: _Context, traded: pd.DataFrame, per_region: pd.DataFrame, facts: dict) -> Section:
    n_missing = int(traded["employment"].isna().sum())
    paragraphs = [
        f"In {ctx.year}, {facts['regions']} {level_label(ctx.level).lower()} of {ctx.place} hold "
        f"{facts['categories']} traded cluster categories with employment data. Under the "
        f"{ctx.data.scheme_title(ctx.scheme)} scheme, {facts['by_stars'].get(3, 0):,} region-category cells earn "
        f"three stars, {facts['by_stars'].get(2, 0):,} two and {facts['by_stars'].get(1, 0):,} one.",
        f"Starred clusters (at least {STARRED} star) employ {fmt.percent(facts['starred_share'])} of the traded "
        f"employment ({fmt.integer(facts['traded_employment'])} persons); three-star clusters "
        f"{fmt.percent(facts['three_star_share'])}.",
    ]
    if n_missing:
        paragraphs.append(f"{n_missing:,} region-category cells have no employment value (confidential or missing "
                          "in the source): they are counted as no data, never as zero.")
    return Section("overview", "Key figures", paragraphs)


def by_category(ctx: _Context, traded: pd.DataFrame) -> Section:
    have = traded[traded["employment"].notna()]
    counts = have.assign(s1=have["stars"] == 1, s2=have["stars"] == 2, s3=have["stars"] == 3).groupby(
        "category_name", as_index=False).agg(regions=("region", "count"), s1=("s1", "sum"), s2=("s2", "sum"),
                                             s3=("s3", "sum"), employment=("employment", "sum"))
    counts["starred"] = counts["s1"] + counts["s2"] + counts["s3"]
    counts = counts.sort_values(["s3", "starred", "category_name"], ascending=[False, False, True])
    top = counts.head(TOP_CATEGORIES)
    rows = []
    for stars, col in ((1, "s1"), (2, "s2"), (3, "s3")):
        for r in top.itertuples():
            v = int(getattr(r, col))
            rows.append({"label": r.category_name, "series": star_labels()[stars], "value": float(v),
                         "imputed": False, "url": "", "hover": f"{r.category_name}: {v} regions with "
                                                               f"{star_labels()[stars]}"})
    frame = pd.DataFrame(rows)
    title = f"Clusters by stars per category: {ctx.place}"
    fig = charts.grouped_bars(frame, ctx.caption(title, "Regions with 1, 2 and 3 stars per traded category", [SBS], [
        f"The {len(top)} categories with the most three-star regions (of {len(counts)})."]),
        value_title="Regions", series_order=star_labels()[1:])
    for i, trace in enumerate(fig.data):  # the star blues, as on the maps
        trace.marker.color = STAR_COLOURS[i + 1]
    first = top.iloc[0] if len(top) else None
    summary = (f"{first['category_name']} has the most three-star regions ({int(first['s3'])})."
               if first is not None else "No traded category has data.")
    table = Table(f"Clusters by stars per traded category, {ctx.place}, {ctx.year}",
                  ["Category", "Regions with data", "1 star", "2 stars", "3 stars", "Employment"],
                  [[r.category_name, fmt.integer(r.regions), fmt.integer(r.s1), fmt.integer(r.s2),
                    fmt.integer(r.s3), fmt.integer(r.employment)] for r in counts.itertuples()],
                  numeric=(1, 2, 3, 4, 5))
    return Section("categories", "Clusters by stars per category", [
        "How many regions hold each traded category with one, two or three stars. A category with many "
        "three-star regions is concentrated in several strong locations."],
        charts=[Chart("stars-by-category", title, summary, fig)], tables=[table])


def by_country(ctx: _Context, traded: pd.DataFrame, per_region: pd.DataFrame) -> Section:
    """Per country (Europe) or per region (a country's report): starred clusters and the employment share."""
    if ctx.country:
        unit = per_region.assign(label=per_region["region_name"] + " (" + per_region["region"] + ")")
        key, what = "label", "region"
    else:
        unit = per_region.groupby("country", as_index=False).agg(
            regions=("region", "count"), employment=("employment", "sum"),
            starred_employment=("starred_employment", "sum"), stars_1=("stars_1", "sum"),
            stars_2=("stars_2", "sum"), stars_3=("stars_3", "sum"))
        unit["strength"] = (unit["starred_employment"] / unit["employment"]).where(unit["employment"] > 0)
        unit["label"] = unit["country"]
        key, what = "label", "country"
    unit = unit.sort_values(["strength", key], ascending=[False, True])
    bars = unit[unit["strength"].notna()].head(40).assign(
        value=lambda d: d["strength"] * 100, value_text=lambda d: [fmt.percent(v) for v in d["strength"]],
        imputed=False, url="", hover=lambda d: [f"{lab}: {fmt.percent(v)}" for lab, v in zip(d[key], d["strength"],
                                                                                           strict=True)])
    title = f"Share of traded employment in starred clusters, by {what}: {ctx.place}"
    notes = [f"The 40 {what}s with the highest share." if len(unit) > 40 else ""]
    fig = charts.ranked_bars(bars, ctx.caption(title, "Employment in clusters with at least one star, % of the "
                                               "traded employment", [SBS], notes),
                             value_title="% of traded employment", colour=ACCENT)
    summary = (f"Highest share: {bars[key].iloc[0]} ({bars['value_text'].iloc[0]}); lowest shown: "
               f"{bars[key].iloc[-1]} ({bars['value_text'].iloc[-1]})." if len(bars) else "No data.")
    header = ["Region" if ctx.country else "Country", "1 star", "2 stars", "3 stars", "Traded employment",
              "In starred clusters"]
    if not ctx.country:
        header.insert(1, "Regions")
    rows = []
    for r in unit.itertuples():
        row = [getattr(r, key), fmt.integer(r.stars_1), fmt.integer(r.stars_2), fmt.integer(r.stars_3),
               fmt.integer(r.employment), fmt.percent(r.strength)]
        if not ctx.country:
            row.insert(1, fmt.integer(r.regions))
        rows.append(row)
    table = Table(f"Starred clusters by {what}, {ctx.year}", header, rows, numeric=tuple(range(1, len(header))))
    return Section("countries", f"Clusters by {what}", [
        f"The number of starred traded clusters and the share of traded employment they hold, by {what}."],
        charts=[Chart("strength-by-" + what, title, summary, fig)], tables=[table])


def _map_frame(per_region: pd.DataFrame, geo: dict, value: pd.Series, text: list[str]) -> pd.DataFrame:
    codes = [f["id"] for f in geo["features"]]
    names = {f["id"]: f["properties"]["name"] for f in geo["features"]}
    frame = pd.DataFrame({"code": codes, "name": [names[c] for c in codes]})
    vals = dict(zip(per_region["region"], value, strict=True))
    texts = dict(zip(per_region["region"], text, strict=True))
    frame["value"] = [vals.get(c, math.nan) for c in codes]
    frame["value_text"] = [texts.get(c, "No data") for c in codes]
    frame["detail"] = ["" if c in vals else "No data: not in the SBS 2015 regional statistics at this level"
                       for c in codes]
    frame["url"] = ""
    return frame


def _geo(ctx: _Context) -> tuple[dict, dict | None]:
    geo = ctx.data.geojson(ctx.level)
    if not ctx.country:
        return geo, None
    regions = ctx.data.regions
    mine = set(regions.loc[(regions["country"] == ctx.country) & (regions["level"] == ctx.level), "code"])
    sub = {"type": "FeatureCollection", "features": [f for f in geo["features"] if f["id"] in mine]}
    if not sub["features"]:
        return sub, None
    framed = [f for f in sub["features"] if _in_frame(bbox(f["geometry"]))] or sub["features"]
    coords = {"type": "MultiPolygon", "coordinates": []}
    for f in framed:
        g = f["geometry"]
        coords["coordinates"] += [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    return sub, _country_view(coords)


def _country_view(geometry: dict, width: int = 980, height: int = 560) -> dict:
    """Centre and zoom fitting ``geometry`` into a ``width`` × ``height`` map (web-Mercator tiles of 512 px)."""
    x0, y0, x1, y1 = bbox(geometry)
    span_lon, span_lat = max(x1 - x0, 0.5), max(y1 - y0, 0.3)
    stretch = 1 / max(math.cos(math.radians((y0 + y1) / 2)), 0.3)  # Mercator: latitude degrees get longer
    zoom = min(math.log2(width * 360 / (512 * 1.15 * span_lon)),
               math.log2(height * 360 / (512 * 1.15 * span_lat * stretch)))
    return {"center": {"lat": (y0 + y1) / 2, "lon": (x0 + x1) / 2}, "zoom": max(2.5, min(7.0, zoom))}


#: the continental frame a country's map is centred on (outermost regions stay drawn, outside the view)
FRAME = (-12.0, 34.0, 45.0, 72.0)


def _in_frame(box: tuple[float, float, float, float]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return FRAME[0] <= cx <= FRAME[2] and FRAME[1] <= cy <= FRAME[3]


def _outside_note(geo: dict, view: dict | None) -> str:
    if view is None:
        return ""
    out = [f["properties"]["name"] for f in geo["features"] if not _in_frame(bbox(f["geometry"]))]
    return (f"Outside the map frame (outermost regions, in the tables): {', '.join(out)}." if out else "")


def maps(ctx: _Context, per_region: pd.DataFrame) -> Section:
    geo, view = _geo(ctx)
    three = per_region["stars_3"].astype(float)
    frame = _map_frame(per_region, geo, three, [f"{int(v)} three-star clusters" for v in three])
    title = f"Three-star clusters per region: {ctx.place}"
    no_data = int(frame["value"].isna().sum())
    notes = [f"{no_data} of {len(frame)} regions: no data (grey)." if no_data else "", _outside_note(geo, view)]
    fig1 = charts.choropleth_map(frame, geo, charts.count_classes(["0", "1", "2", "3–4", "5 or more"]),
                                 ctx.caption(title, "Traded categories with three stars per region", [SBS, GISCO],
                                             notes), legend_title="Three-star clusters", view=view)
    have = frame.dropna(subset=["value"]).sort_values(["value", "code"], ascending=[False, True])
    s1 = (f"{int((have['value'] > 0).sum())} of {len(have)} regions have at least one three-star traded cluster; "
          f"the most: " + ", ".join(f"{r.name} ({int(r.value)})" for r in have.head(3).itertuples()) + ".")
    share = per_region["strength"] * 100
    frame2 = _map_frame(per_region, geo, share, [f"{fmt.percent(v)} of traded employment in starred clusters"
                                                 for v in per_region["strength"]])
    title2 = f"Share of traded employment in starred clusters: {ctx.place}"
    classing = charts.data_classes(frame2["value"], k=5, name="%", fmt=lambda x: f"{x:g}")
    fig2 = charts.choropleth_map(frame2, geo, classing, ctx.caption(
        title2, "Employment in clusters with at least one star, % of the region's traded employment", [SBS, GISCO],
        [*notes, "Quantile classes (5)."]), legend_title="% in starred clusters", view=view)
    have2 = frame2.dropna(subset=["value"])
    s2 = (f"Median region: {np.median(have2['value']):.1f}% of traded employment in starred clusters; highest "
          f"{have2['value'].max():.1f}%." if len(have2) else "No data.")
    return Section("maps", "Maps", ["Regions without data stay on the map, in grey: their absence is information."],
                   charts=[Chart("map-three-star", title, s1, fig1), Chart("map-starred-share", title2, s2, fig2)])


def top_regions(ctx: _Context, traded: pd.DataFrame, per_region: pd.DataFrame) -> Section:
    have = traded[traded["employment"].notna()].sort_values(["category_name", "stars", "employment", "region"],
                                                            ascending=[True, False, False, True])
    rows = []
    for name, g in have.groupby("category_name", sort=True):
        best = g.head(3)
        cells = [f"{r.region_name} ({r.region}) {fmt.stars(r.stars)}" for r in best.itertuples()]
        rows.append([str(name), *cells, *[""] * (3 - len(cells))])
    table = Table(f"The top three regions of each traded category, {ctx.year} (by stars, then employment)",
                  ["Category", "First", "Second", "Third"], rows)
    best = per_region.sort_values(["stars_3", "stars_2", "region"], ascending=[False, False, True]).head(15)
    bars = best.assign(label=best["region_name"] + " (" + best["region"] + ")", value=best["stars_3"].astype(float),
                       value_text=[str(int(v)) for v in best["stars_3"]], imputed=False, url="",
                       hover=[f"{n}: {int(v)} three-star clusters" for n, v in zip(best["region_name"],
                                                                                  best["stars_3"], strict=True)])
    title = f"Regions with the most three-star clusters: {ctx.place}"
    fig = charts.ranked_bars(bars, ctx.caption(title, "Traded categories with three stars", [SBS]),
                             value_title="Three-star clusters", colour=STAR_COLOURS[3])
    summary = ("Most three-star clusters: " + ", ".join(f"{r.label} ({int(r.value)})"
                                                        for r in bars.head(3).itertuples()) + ".") if len(bars) else ""
    return Section("top-regions", "Top regions per category", [
        "The leading regions of every traded category: stars first, then employment as the tie-breaker."],
        charts=[Chart("top-regions", title, summary, fig)], tables=[table])


def correlation(ctx: _Context, per_region: pd.DataFrame) -> tuple[Section, dict]:
    """Cluster strength against GDP per capita and the other competitiveness indicators: scatter plots, Pearson
    and Spearman with 95% intervals and the number of regions used."""
    y = per_region.set_index("region")["strength"] * 100
    names = per_region.set_index("region")["region_name"]
    section = Section("competitiveness", "Cluster strength and competitiveness", [
        f"Cluster strength is the share of a region's traded employment in starred clusters (at least {STARRED} "
        f"star, {scheme_short(ctx.scheme)}). It is set against regional prosperity and competitiveness indicators. "
        "Pearson's r comes with the Fisher z 95% interval; Spearman's ρ with the Fisher z interval using the "
        "Bonett–Wright standard error sqrt((1 + ρ²/2)/(n − 3)). n is the number of regions with both values; "
        "indicator codes (NUTS 2016 for the Eurostat indicators) are matched to the NUTS 2021 regions by identical "
        "code, so regions whose code changed in 2021 are left out and counted. Correlation is not causation: "
        "capital regions, for instance, combine high GDP per capita with a services-heavy structure."])
    results: dict[str, dict] = {}
    rows = []
    for ind in indicators(ctx.data, ctx.year):
        x = ind.values.reindex(y.index)
        c = stats.correlate(x, y)
        unmatched = int(y.notna().sum() - c.n)
        results[ind.key] = {**c.as_dict(), "year": ind.year, "label": ind.label, "unmatched": unmatched}
        rows.append([ind.label, str(ind.year or ""), fmt.integer(c.n),
                     f"{fmt.corr(c.pearson)} [{fmt.corr(c.pearson_low)}, {fmt.corr(c.pearson_high)}]",
                     fmt.p_value(c.pearson_p),
                     f"{fmt.corr(c.spearman)} [{fmt.corr(c.spearman_low)}, {fmt.corr(c.spearman_high)}]",
                     fmt.p_value(c.spearman_p)])
        if ind.chart and c.n >= stats.MIN_REGIONS:
            section.charts.append(_scatter(ctx, ind, x, y, names, c, unmatched))
    section.tables.append(Table(
        f"Correlation of cluster strength with competitiveness indicators, {ctx.place}",
        ["Indicator", "Year", "Regions (n)", "Pearson r [95% CI]", "p", "Spearman ρ [95% CI]", "p"], rows,
        numeric=(2, 3, 4, 5, 6)))
    absent = competitiveness_sources.absent(ctx.data)
    if absent:
        section.paragraphs.append("Not in this dataset (so not correlated here): " + "; ".join(absent) + ".")
    return section, results


def _scatter(ctx: _Context, ind: Indicator, x: pd.Series, y: pd.Series, names: pd.Series,
             c: stats.Correlation, unmatched: int) -> Chart:
    frame = pd.DataFrame({"x": x, "y": y})
    frame["label"] = list(frame.index)
    frame["url"] = ""
    frame["hover"] = [f"<b>{names.get(code, code)}</b> ({code})<br>{ind.label}: {fmt.number(a)}<br>strength: "
                      f"{fmt.number(b, 1)}%" for code, a, b in zip(frame.index, frame["x"], frame["y"], strict=True)]
    title = f"Cluster strength and {ind.label.lower()}: {ctx.place}"
    notes = [f"Pearson r = {fmt.corr(c.pearson)} [{fmt.corr(c.pearson_low)}, {fmt.corr(c.pearson_high)}], "
             f"Spearman ρ = {fmt.corr(c.spearman)} [{fmt.corr(c.spearman_low)}, {fmt.corr(c.spearman_high)}], "
             f"n = {c.n} regions.",
             f"{unmatched} regions with a cluster strength have no {ind.label.lower()} value for a matching code."
             if unmatched else "", ind.note]
    cap = Caption(title, " · ".join([f"x: {ind.label} ({ind.unit}), {ind.year}",
                                     f"y: % of traded employment in starred clusters, {ctx.year}",
                                     scheme_short(ctx.scheme)]),
                  source_line(ctx.data, [SBS, ind.source]), [n for n in notes if n])
    fig = charts.scatter(frame, cap, x_title=f"{ind.label} ({ind.unit})", y_title="Cluster strength (%)",
                         line=stats.fit_line(frame["x"], frame["y"]))
    summary = (f"Across {c.n} regions, cluster strength and {ind.label.lower()} correlate with Pearson r = "
               f"{fmt.corr(c.pearson)} and Spearman ρ = {fmt.corr(c.spearman)}.")
    return Chart(f"scatter-{ind.key}", title, summary, fig)
