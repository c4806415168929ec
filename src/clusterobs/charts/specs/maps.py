"""The maps of Europe's regions: the three-star clusters per region (the home page), one category's strength by
region (the cluster strength map) and where a region is (the locator)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import (
    GISCO,
    IMPUTED_OUTLINE,
    NOT_AVAILABLE,
    SBS_SOURCES,
    Translator,
    cell_caveat,
    conversion_note,
    flag,
    imputed_words,
    level_label,
    measure_absent_reason,
    measure_inline,
    measure_label,
    measure_short,
    missing,
    no_data_counts,
    number,
    percent,
    region_words,
    scheme_title,
    source_line,
    star_labels,
    unit_subtitle,
    value_text,
)

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads


def shapes_frame(reads: VersionReads, level: int, rows: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """One row per region shape of ``level`` (``code``, ``name``) with ``rows``' ``columns`` (by ``region``; NaN where
    a region has no row): the frame a map of every region draws, its regions without data included."""
    shapes = [f["id"] for f in reads.geojson(level)["features"]]
    names = reads.regions.set_index("code")["name"]
    return pd.DataFrame({"code": shapes, "name": [names.get(c, c) for c in shapes]}).merge(
        rows[["region", *columns]], left_on="code", right_on="region", how="left")


def not_covered_note(t: Translator, reads: VersionReads, level: int) -> str:
    """How many categories the SBS data do not cover (so no map draws them); "" when none."""
    cov = reads.category_coverage(level=level)
    n = int((cov["status"] == "not covered").sum())
    if not n:
        return ""
    return t.ngettext("%(n)s category is not covered by the SBS data and not mapped.",
                      "%(n)s categories are not covered by the SBS data and not mapped.", n) % {"n": n}


def map_frame(t: Translator, values: pd.DataFrame, measure: str, *, year: int, quality: pd.DataFrame,
              min_coverage: float, max_split: float, url: Callable[[str], str] | None = None,
              value_col: str = "value") -> pd.DataFrame:
    """The map frame of the version's region map values (``values``: one row per region of the map): value, hover
    texts, click-through (``url``: a region's page).

    A region outside the statistics, a no-data region (``quality``: the version's ``region_data_quality`` at the
    map's level and year, why in the hover) and (on a category map) a cell without employment or that cannot be
    ranked (``min_coverage``, ``max_split``: the engine's thresholds) are drawn as no data, the hover saying why."""
    frame = values.rename(columns={value_col: "value"}).copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    label = measure_short(t, measure)
    frame["value_text"] = [f"{label}: {value_text(t, measure, v)}" if not missing(v) else t.gettext("No data")
                           for v in frame["value"]]
    # a region with no row at all is outside the statistics; one with a row lacks this value
    absent = ~frame["in_statistics"].astype(bool) if "in_statistics" in frame else frame["value"].isna()
    no_region = frame["region_no_data"].fillna(False).astype(bool) if "region_no_data" in frame else absent & False
    cells = "rankable" in frame.columns
    details = []
    for row, out, region_out in zip(frame.itertuples(), absent, no_region, strict=True):
        if out:
            details.append(t.gettext("No data: not in the SBS regional statistics of %(year)s at this NUTS level")
                           % {"year": year})
        elif region_out:
            details.append(region_words(t, quality, row.code, max_split=max_split))
        elif cells and missing(row.employment):
            details.append(t.gettext("No data: employment missing or confidential in the source"))
        elif cells and not flag(row.rankable):
            details.append(cell_caveat(t, getattr(row, "employment", None), getattr(row, "rankable", None),
                                       getattr(row, "coverage", None), getattr(row, "split_share", None),
                                       min_coverage=min_coverage, max_split=max_split))
        elif missing(row.value):
            details.append(t.gettext("No data: %(measure)s missing or confidential in the source")
                           % {"measure": measure_inline(t, "employment" if measure == "stars" else measure)})
        else:
            words = imputed_words(t, getattr(row, "imputed_share", None))
            text = t.gettext("Year %(year)s") % {"year": year}
            base = getattr(row, "growth_base_year", None) if measure == "growth" else None
            if not missing(base):
                text = t.gettext("Growth %(from)s–%(to)s") % {"from": int(base), "to": year}
                if flag(getattr(row, "growth_break", None)):
                    text += "; " + t.gettext("b: a break in series (Eurostat) lies inside the window")
            details.append(text + (f"; {words}" if words else ""))
    frame["detail"] = details
    frame["url"] = [url(c) for c in frame["code"]] if url else ""
    if "imputed_share" in frame:
        frame["imputed"] = frame["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    return frame


def stars_map(t: Translator, reads: VersionReads, *, values: pd.DataFrame, level: int, scheme: str, year: int,
              quality: pd.DataFrame, min_coverage: float, max_split: float, url: Callable[[str], str] | None = None,
              filename: str = "stars-map") -> ChartOut:
    """The number of three-star traded clusters per region (``values``: the version's region map values with at
    least three stars, ``categories_without_data`` and ``categories_not_ranked`` per region)."""
    frame = map_frame(t, values, "stars", year=year, quality=quality, min_coverage=min_coverage,
                      max_split=max_split, url=url)
    frame["value_text"] = [t.ngettext("%(n)s three-star cluster", "%(n)s three-star clusters", int(v))
                           % {"n": int(v)} if not missing(v) else t.gettext("No data") for v in frame["value"]]
    frame["detail"] = [d + "".join(
        "; " + text for text, count in (
            (t.ngettext("%(n)s traded category without employment data, not counted",
                        "%(n)s traded categories without employment data, not counted", int(n or 0))
             % {"n": int(n or 0)}, n),
            (t.ngettext("%(n)s traded category that cannot be ranked, not counted",
                        "%(n)s traded categories that cannot be ranked, not counted", int(nr or 0))
             % {"n": int(nr or 0)}, nr)) if not missing(count) and count > 0) if not missing(v) else d
        for d, v, n, nr in zip(frame["detail"], frame["value"], frame["categories_without_data"],
                               frame["categories_not_ranked"], strict=True)]
    title = t.gettext("Europe's three-star clusters")
    subtitle = " · ".join([t.gettext("Traded clusters with three stars per region"), str(year),
                           f"{level_label(t, level)}, NUTS 2021", scheme_title(t, reads, scheme)])
    notes = [*no_data_counts(t, frame.drop(columns="imputed", errors="ignore"), min_coverage=min_coverage),
             not_covered_note(t, reads, level), conversion_note(t, level, reads.years)]
    notes = [n for n in notes if n]
    classing = charts.count_classes(["0", "1", "2", "3–4", t.gettext("5 or more")])
    fig = charts.choropleth_map(frame, reads.geojson(level), classing,
                                Caption(title, subtitle, source_line(t, reads, [*SBS_SOURCES, GISCO]), notes),
                                legend_title=t.gettext("Three-star clusters"), no_data_label=t.gettext("No data"),
                                no_data_detail=t.gettext("No data"))
    have = frame.dropna(subset=["value"]).sort_values(["value", "code"], ascending=[False, True])
    with_any = int((have["value"] > 0).sum())
    top = ", ".join(f"{r.name} ({int(r.value)})" for r in have.head(3).itertuples())
    summary = t.gettext("%(n)s of %(total)s regions have at least one three-star traded cluster; the most: "
                        "%(top)s.") % {"n": with_any, "total": len(have), "top": top}
    table = [[t.gettext("Code"), t.gettext("Region"), t.gettext("Three-star traded clusters"), t.gettext("Note")]] + [
        [r.code, r.name, NOT_AVAILABLE if missing(r.value) else str(int(r.value)), r.detail]
        for r in frame.sort_values(["value", "code"], ascending=[False, True]).itertuples()]
    return ChartOut("stars-map", fig, title, summary, table, filename, notes)


def strength_map(t: Translator, reads: VersionReads, *, category: Mapping[str, Any], values: pd.DataFrame,
                 measure: str, level: int, scheme: str, year: int, classes: int, method: str,
                 quality: pd.DataFrame, min_coverage: float, max_split: float,
                 url: Callable[[str], str] | None = None, filename: str = "strength-map") -> ChartOut:
    """One category (``category``: its ``name`` in the reader's language, ``status``, ``coverage_share``) on the
    map, coloured by stars or a measure (``values``: the version's region map values of that category and
    measure); ``classes`` and ``method``: the classing of a measure without fixed breaks."""
    frame = map_frame(t, values, measure, year=year, quality=quality, min_coverage=min_coverage,
                      max_split=max_split, url=url)
    if frame["value"].notna().sum() == 0:
        if category.get("status") == "not covered":
            raise EmptyChart(t.gettext(
                "%(name)s is not mapped: the SBS business statistics cover only %(share)s of its industries "
                "(finance, insurance, education, health and most of agriculture are outside them).") % {
                    "name": category["name"], "share": percent(t, float(category.get("coverage_share") or 0), 0)})
        raise EmptyChart(t.gettext("No region has a value of “%(measure)s” for %(name)s in %(year)s at this level: "
                                   "%(why)s") % {"measure": measure_label(t, measure), "name": category["name"],
                                                 "year": year,
                                                 "why": measure_absent_reason(t, reads, measure, year)})
    title = t.gettext("%(category)s: %(measure)s by region") % {"category": category["name"],
                                                                "measure": measure_inline(t, measure)}
    subtitle = unit_subtitle(t, measure, year=year, level=level, scheme=scheme if measure == "stars" else None)
    notes = no_data_counts(t, frame, min_coverage=min_coverage)
    if category.get("status") == "partly covered":
        notes.append(t.gettext("Partly covered category: the data hold %(share)s of its industries, so employment "
                               "is a lower bound.") % {"share": percent(t, float(category.get("coverage_share") or 0),
                                                                         0)})
    classing = None
    if measure == "employment":
        how = t.gettext("circle area proportional to employment")
    elif measure == "stars":
        classing = charts.star_classes(star_labels(t))
        how = t.gettext("one class per number of stars")
    elif measure == "lq":
        classing = charts.lq_classes(measure_short(t, "lq"),
                                     lambda x: number(t, x, 2).rstrip("0").rstrip(".,") or "0")
        how = t.gettext("fixed breaks around LQ = 1 (Europe's structure)")
    elif measure == "growth":
        classing = charts.growth_classes(measure_short(t, "growth"), lambda x: growth_break_text(t, x))
        how = t.gettext("fixed breaks around 0 (no growth): decline in orange, growth in purple")
    else:
        classing = charts.data_classes(frame["value"], k=classes, method=method, name="x",
                                       fmt=lambda x: value_text(t, measure, x))
        how = {"quantile": t.gettext("%(k)s quantile classes"),
               "equal": t.gettext("%(k)s equal intervals between the 2nd and 98th percentiles"),
               "jenks": t.gettext("%(k)s natural-breaks classes (Fisher-Jenks: least squared deviation within "
                                  "classes)"),
               }[method] % {"k": len(classing.bins)}
    if measure == "growth":
        notes.append(t.gettext("Growth: compound annual growth of employment over the longest window of at most five "
                               "years ending in %(year)s with data for the region."))
    notes += [conversion_note(t, level, reads.years), t.gettext("Classes: %(method)s.") % {"method": how}]
    notes = [n for n in notes if n]
    caption = Caption(title, subtitle, source_line(t, reads, [*SBS_SOURCES, GISCO]), notes)
    geo = reads.geojson(level)
    common = {"no_data_label": t.gettext("No data"), "imputed_label": t.gettext("Outlined: ≥ 10% imputed"),
              "no_data_detail": t.gettext("No data")}
    if classing is None:
        vmax = float(frame["value"].max())
        refs = [(v, number(t, v)) for v in round_refs(vmax)]
        fig = charts.symbol_map(frame, geo, reads.label_points(level), caption,
                                legend_title=t.gettext("Employment (circle area)"),
                                with_data_label=t.gettext("With data"), reference=refs, **common)
    else:
        fig = charts.choropleth_map(frame, geo, classing, caption, legend_title=measure_short(t, measure), **common)
    have = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    top = ", ".join(f"{r.name} ({value_text(t, measure, r.value)})" for r in have.head(3).itertuples())
    summary = t.gettext("%(measure)s of %(category)s in %(n)s regions with data; highest: %(top)s.") % {
        "measure": measure_short(t, measure), "category": category["name"], "n": len(have), "top": top}
    table = [[t.gettext("Code"), t.gettext("Region"), measure_short(t, measure), t.gettext("Note")]] + [
        [r.code, r.name, value_text(t, measure, r.value), r.detail]
        for r in frame.sort_values(["value", "code"], ascending=[False, True]).itertuples()]
    return ChartOut("strength-map", fig, title, summary, table, filename, caption.notes)


def growth_break_text(t: Translator, x: float) -> str:
    """A growth class break: signed whole percent ("−5%", "0%", "+2%")."""
    sign = "+" if x > 0 else "−" if x < 0 else ""
    return sign + percent(t, abs(x), 0)


def round_refs(vmax: float) -> list[float]:
    """The reference circles of a symbol map: the power of ten below the largest value (and a tenth of it)."""
    if not vmax or not math.isfinite(vmax):
        return []
    top = 10 ** math.floor(math.log10(vmax))
    return [top, top / 10] if top / 10 >= 1 else [top]


def locator(t: Translator, reads: VersionReads, *, region: Mapping[str, Any],
            filename: str = "locator") -> ChartOut:
    """Where the region (``code``, ``name``, ``level``, ``country``) is, among the regions of its country at its
    level.

    The scorecard draws its own locator (``reports.scorecard``): printed, zoomed on the regions around it, as
    outlines, with a sentence of its own."""
    code, name, level = str(region["code"]), str(region["name"]), int(region["level"])
    regions = reads.regions
    same = regions[(regions["country"] == region["country"]) & (regions["level"] == level)]["code"]
    title = t.gettext("Where %(name)s is") % {"name": region["name"]}
    subtitle = f"{code} · {level_label(t, level)}, NUTS 2021"
    fig = charts.locator_map(reads.geojson(level), code, name,
                             Caption(title, subtitle, source_line(t, reads, [GISCO])),
                             country_codes=list(same),
                             labels=(name, t.gettext("Same country"), t.gettext("Other regions")))
    summary = t.gettext("%(name)s (%(code)s) highlighted among the %(n)s regions of its country at this level.") % {
        "name": region["name"], "code": code, "n": len(same)}
    table = [[t.gettext("Code"), t.gettext("Region")], [code, name]]
    return ChartOut("locator", fig, title, summary, table, filename)
