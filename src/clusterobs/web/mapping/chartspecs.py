"""Every chart of the Cluster Mapping Tool's pages, one function each: from the page ``Query`` to a captioned Plotly
figure.

The pages draw these figures in the browser (Plotly.js); ``/api/figures/<name>.png|svg?<page query>`` renders the
same figure on the server with kaleido (``figures.py``), so an exported image is the chart the page showed.
Each spec also returns the numbers drawn (the chart's Table tab), a one-sentence summary (its text alternative),
its notes and a file name that encodes the view.

The charts defined once below Django (``clusterobs.charts.specs``: the region-stars chart, and the texts every chart
shares, ``charts.specs.text``) are called from here with the web's translator (``labels.T``), reads and links; the
others are still defined here. ``@chart`` (the kernel's ``chart_registry``) names a spec; the mapping app's
``AppConfig.ready()`` registers them (``chart_registry.register``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.palette import STAR_COLOURS
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.region_stars import region_stars as spec_region_stars
from clusterobs.charts.specs.text import (
    GISCO,
    SBS_SOURCES,
    cell_caveat,
    conversion_note,
    scheme_short,
    scheme_title,
    source_line,
    star_labels,
    years_text,
)
from clusterobs.mapping.categories import MAX_SPLIT_SHARE, MIN_CELL_COVERAGE
from clusterobs.web.chart_registry import IMPUTED_OUTLINE, chart, filename, geojson, no_data_counts, url
from clusterobs.web.labels import (
    LEVEL_LABELS,
    MEASURE_INLINE,
    MEASURE_LABELS,
    MEASURE_SHORT,
    MEASURE_UNITS,
    NOT_AVAILABLE,
    TEST_LABELS,
    T,
    flag,
    imputed_words,
    missing,
    num,
    pct,
    region_no_data_words,
    value_text,
)
from clusterobs.web.mapping import selectors
from clusterobs.web.query import Query

# ---- captions --------------------------------------------------------------------------------------------------


def unit_subtitle(q: Query, measure: str, *, with_scheme: bool) -> str:
    parts = [f"{MEASURE_LABELS[measure]} ({MEASURE_UNITS[measure]})", str(q.year),
             f"{LEVEL_LABELS[q.level]}, NUTS 2021"]
    if with_scheme:
        parts.append(_("stars: %(scheme)s") % {"scheme": scheme_short(q.scheme)})
    return " · ".join(parts)


def region_url(q: Query, code: str) -> str:
    return url("region", code, scheme=q.scheme, year=q.year)


def sector_url(q: Query, category: str, *, level: int | None = None, region: str | None = None) -> str:
    return url("sector", category, scheme=q.scheme, year=q.year, level=q.level if level is None else level,
               region=region)


def not_covered_note(level: int) -> str:
    cov = selectors.category_coverage(level=level)
    n = int((cov["status"] == "not covered").sum())
    if not n:
        return ""
    return ngettext("%(n)s category is not covered by the SBS data and not mapped.",
                    "%(n)s categories are not covered by the SBS data and not mapped.", n) % {"n": n}


# ---- maps ------------------------------------------------------------------------------------------------------


def cell_words(r: Any) -> str:
    """Why a measure row (a region × category cell) is not ranked, in the page's language ("" when it is)."""
    return cell_caveat(T, getattr(r, "employment", None), getattr(r, "rankable", None), getattr(r, "coverage", None),
                       getattr(r, "split_share", None), min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE)


def region_words(code: str, q: Query, level: int | None = None) -> str:
    """Why a region is no-data at its level (``region_data_quality``), in the page's language ("" when it is not)."""
    quality = selectors.region_quality(level=q.level if level is None else level, year=q.year)
    row = quality[quality["region"] == code]
    return region_no_data_words(row.iloc[0].to_dict() if len(row) else None, max_split=MAX_SPLIT_SHARE)


def ranked_rows(rows: pd.DataFrame) -> pd.Series:
    return selectors.ranked_mask(rows)


def _map_frame(vals: pd.DataFrame, q: Query, measure: str, value_col: str = "value") -> pd.DataFrame:
    """The map frame of ``selectors.region_map_values``: value, hover texts (translated here), click-through.

    A region outside the statistics, a no-data region and (on a category map) a cell without employment or that
    cannot be ranked are drawn as no data, the hover saying why."""
    frame = vals.rename(columns={value_col: "value"}).copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    label = MEASURE_SHORT.get(measure, measure)
    frame["value_text"] = [f"{label}: {value_text(measure, v)}" if not missing(v) else _("No data")
                           for v in frame["value"]]
    # a region with no row at all is outside the statistics; one with a row lacks this value
    absent = ~frame["in_statistics"].astype(bool) if "in_statistics" in frame else frame["value"].isna()
    no_region = frame["region_no_data"].fillna(False).astype(bool) if "region_no_data" in frame else absent & False
    cells = "rankable" in frame.columns
    details = []
    for row, out, region_out in zip(frame.itertuples(), absent, no_region, strict=True):
        if out:
            details.append(_("No data: not in the SBS regional statistics of %(year)s at this NUTS level")
                           % {"year": q.year})
        elif region_out:
            details.append(region_words(row.code, q))
        elif cells and missing(row.employment):
            details.append(_("No data: employment missing or confidential in the source"))
        elif cells and not flag(row.rankable):
            details.append(cell_words(row))
        elif missing(row.value):
            details.append(_("No data: %(measure)s missing or confidential in the source")
                           % {"measure": MEASURE_INLINE["employment" if measure == "stars" else measure]})
        else:
            words = imputed_words(getattr(row, "imputed_share", None))
            text = _("Year %(year)s") % {"year": q.year}
            base = getattr(row, "growth_base_year", None) if measure == "growth" else None
            if not missing(base):
                text = _("Growth %(from)s–%(to)s") % {"from": int(base), "to": q.year}
                if flag(getattr(row, "growth_break", None)):
                    text += "; " + _("b: a break in series (Eurostat) lies inside the window")
            details.append(text + (f"; {words}" if words else ""))
    frame["detail"] = details
    frame["url"] = [region_url(q, c) for c in frame["code"]]
    if "imputed_share" in frame:
        frame["imputed"] = frame["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    return frame


@chart("stars-map")
def stars_map(q: Query) -> ChartOut:
    """Home: the number of three-star traded clusters per region."""
    vals = selectors.region_map_values(level=q.level, scheme=q.scheme, year=q.year, min_stars=3)
    frame = _map_frame(vals, q, "stars")
    frame["value_text"] = [ngettext("%(n)s three-star cluster", "%(n)s three-star clusters", int(v)) % {"n": int(v)}
                           if not missing(v) else _("No data") for v in frame["value"]]
    frame["detail"] = [d + "".join(
        "; " + text for text, count in (
            (ngettext("%(n)s traded category without employment data, not counted",
                      "%(n)s traded categories without employment data, not counted", int(n or 0))
             % {"n": int(n or 0)}, n),
            (ngettext("%(n)s traded category that cannot be ranked, not counted",
                      "%(n)s traded categories that cannot be ranked, not counted", int(nr or 0))
             % {"n": int(nr or 0)}, nr)) if not missing(count) and count > 0) if not missing(v) else d
        for d, v, n, nr in zip(frame["detail"], frame["value"], frame["categories_without_data"],
                               frame["categories_not_ranked"], strict=True)]
    title = _("Europe's three-star clusters")
    subtitle = " · ".join([_("Traded clusters with three stars per region"), str(q.year),
                           f"{LEVEL_LABELS[q.level]}, NUTS 2021", scheme_title(T, selectors.data(), q.scheme)])
    notes = [*no_data_counts(frame.drop(columns="imputed", errors="ignore")), not_covered_note(q.level),
             conversion_note(T, q.level, selectors.data().years)]
    notes = [n for n in notes if n]
    classing = charts.count_classes(["0", "1", "2", "3–4", _("5 or more")])
    fig = charts.choropleth_map(frame, geojson(q.level), classing,
                                Caption(title, subtitle, source_line(T, selectors.data(), [*SBS_SOURCES, GISCO]),
                                        notes),
                                legend_title=_("Three-star clusters"), no_data_label=_("No data"),
                                no_data_detail=_("No data"))
    have = frame.dropna(subset=["value"]).sort_values(["value", "code"], ascending=[False, True])
    with_any = int((have["value"] > 0).sum())
    top = ", ".join(f"{r.name} ({int(r.value)})" for r in have.head(3).itertuples())
    summary = _("%(n)s of %(total)s regions have at least one three-star traded cluster; the most: %(top)s.") % {
        "n": with_any, "total": len(have), "top": top}
    table = [[_("Code"), _("Region"), _("Three-star traded clusters"), _("Note")]] + [
        [r.code, r.name, NOT_AVAILABLE if missing(r.value) else str(int(r.value)), r.detail]
        for r in frame.sort_values(["value", "code"], ascending=[False, True]).itertuples()]
    return ChartOut("stars-map", fig, title, summary, table, filename("stars-map", q), notes)


@chart("strength-map", "category", "measure", "classes", "method")
def strength_map(q: Query) -> ChartOut:
    """Module 4: one category on the map, coloured by stars or a measure."""
    if not q.category:
        raise selectors.BadParameter("category", "`category` is required for the cluster strength map.")
    cat = selectors.category_get(q.category)
    vals = selectors.region_map_values(level=q.level, category=q.category, scheme=q.scheme, year=q.year,
                                       measure=q.measure)
    frame = _map_frame(vals, q, q.measure)
    if frame["value"].notna().sum() == 0:
        if cat.get("status") == "not covered":
            raise EmptyChart(_("%(name)s is not mapped: the SBS business statistics cover only %(share)s of its "
                               "industries (finance, insurance, education, health and most of agriculture are "
                               "outside them).") % {"name": cat["name"], "share": pct(
                                   float(cat.get("coverage_share") or 0), 0)})
        raise EmptyChart(_("No region has a value of “%(measure)s” for %(name)s in %(year)s at this level: %(why)s")
                         % {"measure": MEASURE_LABELS[q.measure], "name": cat["name"], "year": q.year,
                            "why": _measure_absent_reason(q.measure, q.year)})
    title = _("%(category)s: %(measure)s by region") % {"category": cat["name"],
                                                        "measure": MEASURE_INLINE[q.measure]}
    subtitle = unit_subtitle(q, q.measure, with_scheme=q.measure == "stars")
    notes = no_data_counts(frame)
    if cat.get("status") == "partly covered":
        notes.append(_("Partly covered category: the data hold %(share)s of its industries, so employment is a "
                       "lower bound.") % {"share": pct(float(cat.get("coverage_share") or 0), 0)})
    classing = None
    if q.measure == "employment":
        method = _("circle area proportional to employment")
    elif q.measure == "stars":
        classing = charts.star_classes(star_labels(T))
        method = _("one class per number of stars")
    elif q.measure == "lq":
        classing = charts.lq_classes(str(MEASURE_SHORT["lq"]), lambda x: num(x, 2).rstrip("0").rstrip(".,") or "0")
        method = _("fixed breaks around LQ = 1 (Europe's structure)")
    elif q.measure == "growth":
        classing = charts.growth_classes(str(MEASURE_SHORT["growth"]), _growth_break_text)
        method = _("fixed breaks around 0 (no growth): decline in orange, growth in purple")
    else:
        classing = charts.data_classes(frame["value"], k=q.classes, method=q.method, name="x",
                                       fmt=lambda x: value_text(q.measure, x))
        method = {"quantile": _("%(k)s quantile classes"),
                  "equal": _("%(k)s equal intervals between the 2nd and 98th percentiles"),
                  "jenks": _("%(k)s natural-breaks classes (Fisher-Jenks: least squared deviation within classes)"),
                  }[q.method] % {"k": len(classing.bins)}
    if q.measure == "growth":
        notes.append(_("Growth: compound annual growth of employment over the longest window of at most five years "
                       "ending in %(year)s with data for the region."))
    notes += [conversion_note(T, q.level, selectors.data().years), _("Classes: %(method)s.") % {"method": method}]
    notes = [n for n in notes if n]
    caption = Caption(title, subtitle, source_line(T, selectors.data(), [*SBS_SOURCES, GISCO]), notes)
    geo = geojson(q.level)
    common = {"no_data_label": _("No data"), "imputed_label": _("Outlined: ≥ 10% imputed"),
              "no_data_detail": _("No data")}
    if classing is None:
        vmax = float(frame["value"].max())
        refs = [(v, num(v)) for v in _round_refs(vmax)]
        fig = charts.symbol_map(frame, geo, selectors.label_points(q.level), caption,
                                legend_title=_("Employment (circle area)"), with_data_label=_("With data"),
                                reference=refs, **common)
    else:
        fig = charts.choropleth_map(frame, geo, classing, caption, legend_title=str(MEASURE_SHORT[q.measure]),
                                    **common)
    have = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    top = ", ".join(f"{r.name} ({value_text(q.measure, r.value)})" for r in have.head(3).itertuples())
    summary = _("%(measure)s of %(category)s in %(n)s regions with data; highest: %(top)s.") % {
        "measure": MEASURE_SHORT[q.measure], "category": cat["name"], "n": len(have), "top": top}
    table = [[_("Code"), _("Region"), str(MEASURE_SHORT[q.measure]), _("Note")]] + [
        [r.code, r.name, value_text(q.measure, r.value), r.detail]
        for r in frame.sort_values(["value", "code"], ascending=[False, True]).itertuples()]
    return ChartOut("strength-map", fig, title, summary, table,
                    filename("strength-map", q, q.category, q.measure), caption.notes)


def _growth_break_text(x: float) -> str:
    """A growth class break: signed whole percent ("−5%", "0%", "+2%")."""
    sign = "+" if x > 0 else "−" if x < 0 else ""
    return sign + pct(abs(x), 0)


def _round_refs(vmax: float) -> list[float]:
    if not vmax or not math.isfinite(vmax):
        return []
    top = 10 ** math.floor(math.log10(vmax))
    return [top, top / 10] if top / 10 >= 1 else [top]


def _measure_absent_reason(measure: str, year: int) -> str:
    if measure == "growth":
        years = selectors.data().years
        if len(years) > 1:
            return _("growth needs an earlier year with employment data, at most five years before.")
        return _("growth needs two years of data and the dataset has one (%(year)s).") % {"year": years_text(years)}
    if measure in ("productivity", "relative_productivity"):
        wages = selectors.years_with("productivity")
        if year in wages:
            return _("wages are missing or confidential in the source for this category in %(year)s.") % {
                "year": year}
        if wages:
            return _("the SBS regional data of %(year)s have no wages (wages: %(years)s).") % {
                "year": year, "years": years_text(wages)}
        return _("the SBS regional data of this dataset have no wages.")
    return _("the value is missing or confidential in the source.")


@chart("locator", "region")
def locator(q: Query) -> ChartOut:
    if not q.region:
        raise selectors.BadParameter("region", "`region` is required for the locator map.")
    region = selectors.region_get(q.region)
    level = int(region["level"])
    regions = selectors.data().regions
    same = regions[(regions["country"] == region["country"]) & (regions["level"] == level)]["code"]
    title = _("Where %(name)s is") % {"name": region["name"]}
    subtitle = f"{region['code']} · {LEVEL_LABELS[level]}, NUTS 2021"
    fig = charts.locator_map(geojson(level), q.region, str(region["name"]),
                             Caption(title, subtitle, source_line(T, selectors.data(), [GISCO])),
                             country_codes=list(same),
                             labels=(str(region["name"]), _("Same country"), _("Other regions")))
    summary = _("%(name)s (%(code)s) highlighted among the %(n)s regions of its country at this level.") % {
        "name": region["name"], "code": q.region, "n": len(same)}
    table = [[_("Code"), _("Region")], [q.region, str(region["name"])]]
    return ChartOut("locator", fig, title, summary, table, filename("locator", q, q.region))


@chart("region-stars", "region")
def region_stars(q: Query) -> ChartOut:
    """Region overview: its starred categories under each scheme (the spec ``charts.specs.region_stars``, which the
    scorecard draws too), with links to the category's page."""
    if not q.region:
        raise selectors.BadParameter("region", "`region` is required for this chart.")
    region = selectors.region_get(q.region)
    level = int(region["level"])
    schemes = list(dict.fromkeys(selectors.data().schemes["scheme"]))
    m = pd.concat([selectors.measures(scheme=scheme, year=q.year, level=level, region=q.region) for scheme in schemes],
                  ignore_index=True)
    m = m.assign(stars=selectors.star_values(m))  # a cell that cannot be ranked has no stars: NaN, drawn as "×"
    head = selectors.region_headline(q.region, scheme=q.scheme, year=q.year)  # the engine's count
    return spec_region_stars(
        T, selectors.data(), region=region, year=q.year, scheme=q.scheme, measures=m,
        min_coverage=MIN_CELL_COVERAGE, max_split=MAX_SPLIT_SHARE,
        starred=head["starred"] if head and not head["no_data"] else 0, no_data_words=region_words(q.region, q, level),
        url=lambda c: sector_url(q, c, level=level, region=q.region), filename=filename("region-stars", q, q.region))


# ---- portfolio, sector ---------------------------------------------------------------------------------------


@chart("portfolio", "region")
def portfolio(q: Query) -> ChartOut:
    if not q.region:
        raise selectors.BadParameter("region", "`region` is required for the portfolio chart.")
    region = selectors.region_get(q.region)
    level = int(region["level"])
    every = selectors.region_portfolio(q.region, scheme=q.scheme, year=q.year)["rows"]
    traded = every[every["kind"] == "traded"]
    ok = ranked_rows(traded)
    not_ranked = int((traded["employment"].notna() & ~ok).sum())
    if not ok.any() and not_ranked:
        raise EmptyChart(region_words(q.region, q, level) or _(
            "No traded category of %(name)s can be ranked in %(year)s (coverage, or a region split by population): "
            "the table lists them with the reason.") % {"name": region["name"], "year": q.year})
    # only the clusters that can be ranked are drawn: colour is stars, and a cell that cannot be ranked has none
    rows, growth = charts.portfolio_rows(traded[ok], imputed_outline=IMPUTED_OUTLINE)
    rows["url"] = [sector_url(q, c, level=level, region=q.region) for c in rows["category"]]
    rows["hover"] = [
        f"<b>{r.category_name}</b><br>{star_labels(T)[int(r.stars)]}<br>"
        f"{MEASURE_SHORT['employment']}: {value_text('employment', r.employment)}<br>"
        f"{MEASURE_SHORT['lq']}: {value_text('lq', r.lq)}<br>{MEASURE_SHORT['focus']}: {value_text('focus', r.focus)}"
        + (f"<br>{MEASURE_SHORT['growth']}: {value_text('growth', r.growth)}" if growth else "")
        + (f"<br>{imputed_words(r.imputed_share)}" if r.imputed else "") for r in rows.itertuples()]
    drawn = rows[rows["drawn"]]
    if drawn.empty:
        raise EmptyChart(_("No traded category of %(name)s has employment data in %(year)s.")
                         % {"name": region["name"], "year": q.year})
    title = _("Cluster portfolio of %(name)s") % {"name": region["name"]}
    x_title = str(MEASURE_LABELS["growth"]) if growth else _("Employment (persons, log scale)")
    subtitle = " · ".join([
        _("x: %(x)s; y: location quotient (log scale); bubble area: employment; colour: stars (%(scheme)s)")
        % {"x": MEASURE_SHORT["growth"] if growth else MEASURE_SHORT["employment"], "scheme": scheme_short(q.scheme)},
        str(q.year), f"{LEVEL_LABELS[level]}, NUTS 2021"])
    notes = []
    if not growth:
        notes.append(_("No traded cluster of this region has a growth figure in %(year)s, so the x axis shows "
                       "employment.") % {"year": q.year} if len(selectors.data().years) > 1 else
                     _("Growth needs two years of data; the dataset has one (%(year)s), so the x axis shows "
                       "employment.") % {"year": q.year})
    if not_ranked:
        notes.append(ngettext("%(n)s traded category that cannot be ranked (coverage or split region) is not drawn; "
                              "the table lists it with the reason.",
                              "%(n)s traded categories that cannot be ranked (coverage or split region) are not "
                              "drawn; the table lists them with the reason.", not_ranked) % {"n": not_ranked})
    left_out = len(rows) - len(drawn)
    if left_out:
        notes.append(ngettext("%(n)s traded category without employment data is not drawn.",
                              "%(n)s traded categories without employment data or with zero employment are not "
                              "drawn.", left_out) % {"n": left_out})
    if drawn["imputed"].any():
        notes.append(_("%(n)s bubbles with a black outline have at least %(share)s of the value imputed.")
                     % {"n": int(drawn["imputed"].sum()), "share": pct(IMPUTED_OUTLINE, 0)})
    notes.append(conversion_note(T, level, selectors.data().years))
    notes = [n for n in notes if n]
    fig = charts.bubble_portfolio(
        drawn, Caption(title, subtitle, source_line(T, selectors.data(), SBS_SOURCES), notes), x_title=x_title,
        y_title=_("Location quotient"),
        star_labels=star_labels(T), x_log=not growth, x_reference=0.0 if growth else None,
        x_reference_label=_("no growth"), lq_labels=(_("LQ = 1: Europe's structure"),
                                                      _("LQ = 2: specialisation star")))
    spec = drawn.sort_values("lq", ascending=False)
    summary = _("%(n)s traded categories of %(name)s; most specialised: %(top)s.") % {
        "n": len(drawn), "name": region["name"],
        "top": ", ".join(f"{r.category_name} ({MEASURE_SHORT['lq']} {value_text('lq', r.lq)})"
                         for r in spec.head(3).itertuples())}
    table = [[_("Category"), _("Stars"), str(MEASURE_SHORT["employment"]), str(MEASURE_SHORT["lq"]),
              str(MEASURE_SHORT["growth"])]] + [
        [r.category_name, str(int(r.stars)), value_text("employment", r.employment), value_text("lq", r.lq),
         value_text("growth", r.growth)] for r in spec.itertuples()]
    return ChartOut("portfolio", fig, title, summary, table, filename("portfolio", q, q.region), notes)


def _sector_rows(q: Query) -> tuple[dict, pd.DataFrame, str]:
    if not q.category:
        raise selectors.BadParameter("category", "`category` is required for this chart.")
    cat = selectors.category_get(q.category)
    measure = "employment" if q.measure == "stars" else q.measure
    rows = selectors.category_regions(q.category, scheme=q.scheme, year=q.year, level=q.level, measure=measure)
    if rows[measure].notna().sum() == 0:
        if cat.get("status") == "not covered" or rows.empty:
            raise EmptyChart(_("%(name)s is not mapped: the SBS business statistics do not cover enough of its "
                               "industries.") % {"name": cat["name"]})
        raise EmptyChart(_("No region has a value of “%(measure)s” for %(name)s: %(why)s") % {
            "measure": MEASURE_LABELS[measure], "name": cat["name"], "why": _measure_absent_reason(measure, q.year)})
    return cat, rows, measure


@chart("sector-top", "category", "measure", "region")
def sector_top(q: Query) -> ChartOut:
    """Data by sector: the top 15 regions of a category by a measure, coloured by stars."""
    cat, rows, measure = _sector_rows(q)
    have = rows[rows[measure].notna() & ranked_rows(rows)]
    if have.empty:
        raise EmptyChart(_("No region of %(name)s can be ranked: every value lacks data or coverage.")
                         % {"name": cat["name"]})
    not_ranked = int((rows[measure].notna() & ~ranked_rows(rows)).sum())
    top = have.sort_values([measure, "region"], ascending=[False, True]).head(15).copy()
    top["label"] = [f"{r.region_name} ({r.region})" for r in top.itertuples()]
    top["value"] = top[measure].astype(float)
    top["value_text"] = [value_text(measure, v) for v in top["value"]]
    top["imputed"] = top["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    top["url"] = [region_url(q, c) for c in top["region"]]
    top["hover"] = [f"<b>{r.region_name}</b> ({r.region})<br>{MEASURE_SHORT[measure]}: {r.value_text}<br>"
                    f"{star_labels(T)[int(r.stars)]}" + (f"<br>{imputed_words(r.imputed_share)}" if r.imputed else "")
                    for r in top.itertuples()]
    colours = [STAR_COLOURS[int(s)] for s in top["stars"]]
    title = _("%(category)s: top regions by %(measure)s") % {"category": cat["name"],
                                                             "measure": MEASURE_INLINE[measure]}
    subtitle = unit_subtitle(q, measure, with_scheme=True) + " · " + _("bar colour: stars")
    notes = [_("%(n)s of %(total)s regions have no value (not ranked).") % {
        "n": int(rows[measure].isna().sum()), "total": len(rows)} if rows[measure].isna().any() else "",
        ngettext("%(n)s region with a value is not ranked: coverage below %(min)s of the category's industries, split "
                 "from an older region by population, or a no-data region (listed in the table with the reason).",
                 "%(n)s regions with a value are not ranked: coverage below %(min)s of the category's industries, "
                 "split from an older region by population, or a no-data region (listed in the table with the "
                 "reason).", not_ranked) % {"n": not_ranked, "min": pct(MIN_CELL_COVERAGE, 0)} if not_ranked else "",
        _("Hatched bars: at least %(share)s of the value imputed.") % {"share": pct(IMPUTED_OUTLINE, 0)}
        if top["imputed"].any() else "", conversion_note(T, q.level, selectors.data().years)]
    notes = [n for n in notes if n]
    fig = charts.ranked_bars(top, Caption(title, subtitle, source_line(T, selectors.data(), SBS_SOURCES), notes),
                             value_title=f"{MEASURE_LABELS[measure]} ({MEASURE_UNITS[measure]})", colours=colours,
                             reference=1.0 if measure == "lq" else 0.0 if measure == "growth" else None,
                             reference_label=_("Europe (LQ = 1)") if measure == "lq" else _("no growth"))
    summary = _("Top region for %(category)s by %(measure)s: %(first)s; %(n)s regions ranked.") % {
        "category": cat["name"], "measure": MEASURE_INLINE[measure],
        "first": f"{top['label'].iloc[0]}, {top['value_text'].iloc[0]}", "n": len(have)}
    table = [[_("Rank"), _("Region"), str(MEASURE_SHORT[measure]), _("Stars")]] + [
        [str(i + 1), r.label, r.value_text, str(int(r.stars))] for i, r in enumerate(top.itertuples())]
    return ChartOut("sector-top", fig, title, summary, table, filename("sector-top", q, q.category, measure), notes)


@chart("sector-distribution", "category", "measure", "region")
def sector_distribution(q: Query) -> ChartOut:
    """Data by sector: how a measure is distributed across regions, with Europe and the star threshold marked."""
    cat, rows, measure = _sector_rows(q)
    values = pd.to_numeric(rows[measure], errors="coerce").astype(float).where(ranked_rows(rows))
    have = values.dropna()
    if have.empty:
        raise EmptyChart(_("No region of %(name)s can be ranked: every value lacks data or coverage.")
                         % {"name": cat["name"]})
    not_ranked = int((rows[measure].notna() & ~ranked_rows(rows)).sum())
    positive = have[have > 0]
    log = measure in ("employment", "lq", "focus", "share_europe") and len(positive) > 0
    refs: list[tuple[float, str]] = []
    if measure == "lq":
        refs += [(1.0, _("Europe (LQ = 1)")), (2.0, _("LQ = 2 (star)"))]
    elif measure == "growth":
        refs.append((0.0, _("no growth")))
    elif measure in ("employment", "focus"):
        # the engine's threshold (size: p90 of the category's rankable regions; focus under ECO 2007: p90 of every
        # rankable traded cell, categories pooled), as the star tests applied it
        threshold = selectors.star_threshold(category=q.category, measure=measure, scheme=q.scheme, year=q.year,
                                             level=q.level)
        if threshold is not None:
            refs.append((threshold["threshold"], _("star threshold (%(scheme)s, p%(p)s of all traded cells)")
                         % {"scheme": scheme_short(q.scheme), "p": threshold["percentile"]} if threshold["pooled"]
                         else _("star threshold (%(scheme)s, p%(p)s of the category's regions)")
                         % {"scheme": scheme_short(q.scheme), "p": threshold["percentile"]}))
    if q.region and q.region in set(rows["region"]):
        v = values[(rows["region"] == q.region).to_numpy()].iloc[0]
        if not missing(v):
            refs.append((float(v), str(q.region)))
    title = _("%(category)s: %(measure)s across regions") % {"category": cat["name"],
                                                             "measure": MEASURE_INLINE[measure]}
    subtitle = unit_subtitle(q, measure, with_scheme=False) + (" · " + _("log scale") if log else "")
    notes = []
    if rows[measure].isna().any():
        notes.append(_("%(n)s of %(total)s regions have no value (not counted).")
                     % {"n": int(rows[measure].isna().sum()), "total": len(rows)})
    if not_ranked:
        notes.append(ngettext("%(n)s region whose value cannot be ranked is not counted (coverage, split region or "
                              "no-data region).",
                              "%(n)s regions whose value cannot be ranked are not counted (coverage, split region or "
                              "no-data region).", not_ranked) % {"n": not_ranked})
    if log and len(positive) < len(have):
        notes.append(_("%(n)s regions with zero are left out of the log scale.") % {"n": len(have) - len(positive)})
    notes.append(conversion_note(T, q.level, selectors.data().years))
    notes = [n for n in notes if n]
    hover = _("%(from)s to %(to)s: %(n)s regions") % {"from": "%{customdata[0]:.3g}", "to": "%{customdata[1]:.3g}",
                                                      "n": "%{y}"}
    fig = charts.histogram(pd.DataFrame({"value": have}),
                           Caption(title, subtitle, source_line(T, selectors.data(), SBS_SOURCES), notes),
                           value_title=f"{MEASURE_LABELS[measure]} ({MEASURE_UNITS[measure]})",
                           count_title=_("Regions"), references=refs, log=log, hover=hover)
    median = float(have.median())
    summary = _("%(n)s regions; median %(measure)s %(median)s, highest %(max)s.") % {
        "n": len(have), "measure": MEASURE_INLINE[measure], "median": value_text(measure, median),
        "max": value_text(measure, float(have.max()))}
    qs = np.quantile(have, [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) if len(have) else []
    table = [[_("Statistic"), str(MEASURE_SHORT[measure])]] + [
        [name, value_text(measure, v)] for name, v in zip(
            [_("minimum"), "p10", "p25", _("median"), "p75", "p90", _("maximum")], qs, strict=True)]
    return ChartOut("sector-distribution", fig, title, summary, table,
                    filename("sector-distribution", q, q.category, measure), notes)


# ---- comparison -------------------------------------------------------------------------------------------------


def compare_measures(q: Query) -> pd.DataFrame:
    """The measures of the compared regions, each at its own NUTS level."""
    if not q.regions:
        raise EmptyChart(_("Choose up to 10 regions to compare."))
    regions = [selectors.region_get(c) for c in q.regions]
    frames = []
    for level in sorted({int(r["level"]) for r in regions}):
        codes = [r["code"] for r in regions if int(r["level"]) == level]
        frames.append(selectors.measures(scheme=q.scheme, year=q.year, level=level, regions=codes).assign(
            level=level))
    return pd.concat(frames, ignore_index=True)


def _series_name(code: str, name: str) -> str:
    short = name if len(name) <= 22 else name[:21] + "…"
    return f"{code} {short}"


@chart("compare-stars", "regions")
def compare_stars(q: Query) -> ChartOut:
    m = compare_measures(q)
    m = m[m["kind"] == "traded"]  # counts of starred clusters are of traded categories (as every headline)
    names = {r["code"]: _series_name(r["code"], str(r["name"])) for r in map(selectors.region_get, q.regions)}
    ok = ranked_rows(m)
    m = m.assign(stars=selectors.star_values(m).where(ok))  # not ranked (coverage, split, no-data region): no stars
    starred = m[(m["stars"] > 0) & ok]
    if starred.empty:
        raise EmptyChart(_("None of these regions has a starred cluster under %(scheme)s in %(year)s.")
                         % {"scheme": scheme_short(q.scheme), "year": q.year})
    order = starred.groupby("category_name")["stars"].sum().sort_values(ascending=False).head(30)
    cells = m[m["category_name"].isin(order.index)].copy()
    cells["row"] = cells["category_name"]
    cells["column"] = [names[c] for c in cells["region"]]
    cells["stars"] = cells["stars"].astype(float)
    cells["url"] = [sector_url(q, c, level=int(lv), region=r) for c, lv, r in
                    zip(cells["category"], cells["level"], cells["region"], strict=True)]
    cells["hover"] = [f"<b>{r.category_name}</b><br>{names[r.region]}<br>"
                      + (star_labels(T)[int(r.stars)] if not missing(r.stars) else (
                          region_words(r.region, q, int(r.level)) or cell_words(r) or _("No data")))
                      + (f" ({', '.join(str(TEST_LABELS.get(t, t)) for t in r.tests_passed.split(',') if t)})"
                         if not missing(r.stars) and r.tests_passed else "") for r in cells.itertuples()]
    title = _("Starred clusters compared")
    subtitle = " · ".join([_("Stars per category and region (%(scheme)s)")
                           % {"scheme": scheme_title(T, selectors.data(), q.scheme)},
                           str(q.year), "NUTS 2021"])
    notes = [_("Traded categories with at least one star in one of the regions (at most 30)."),
             _("×: no data, or a cell that cannot be ranked (coverage, split region, no-data region); hover for the "
               "reason.") if cells["stars"].isna().any() else "",
             conversion_note(T, max(int(lv) for lv in m["level"]), selectors.data().years)]
    fig = charts.star_strip(cells, Caption(title, subtitle, source_line(T, selectors.data(), SBS_SOURCES),
                                           [n for n in notes if n]),
                            star_labels=star_labels(T), no_data_label=_("No data or not ranked"),
                            columns=[names[c] for c in q.regions], rows=list(order.index))
    counts = starred.groupby("region").size()
    summary = "; ".join(f"{names[c]}: {int(counts.get(c, 0))}" for c in q.regions)
    summary = _("Starred traded clusters per region: %(list)s.") % {"list": summary}
    table = [[_("Category"), *[names[c] for c in q.regions]]]
    for cat_name in order.index:
        row = [str(cat_name)]
        for c in q.regions:
            v = cells[(cells["category_name"] == cat_name) & (cells["region"] == c)]["stars"]
            row.append(NOT_AVAILABLE if v.empty or missing(v.iloc[0]) else str(int(v.iloc[0])))
        table.append(row)
    return ChartOut("compare-stars", fig, title, summary, table, filename("compare-stars", q, "-".join(q.regions)),
                    notes)


@chart("compare-measure", "regions", "measure")
def compare_measure(q: Query) -> ChartOut:
    measure = q.measure if q.measure in ("lq", "employment", "focus", "share_europe") else "lq"
    m = compare_measures(q)
    m = m[m["kind"] == "traded"]
    names = {r["code"]: _series_name(r["code"], str(r["name"])) for r in map(selectors.region_get, q.regions)}
    ok = ranked_rows(m)
    not_ranked = int((m[measure].notna() & ~ok).sum())
    m = m.assign(**{measure: pd.to_numeric(m[measure], errors="coerce").where(ok)})  # never compare what isn't ranked
    have = m[m[measure].notna()]
    if have.empty:
        raise EmptyChart(_("No value of “%(measure)s” for these regions: %(why)s") % {
            "measure": MEASURE_LABELS[measure], "why": _measure_absent_reason(measure, q.year)})
    top = have.sort_values(measure, ascending=False).groupby("region").head(3)
    cats = list(dict.fromkeys(top.sort_values(measure, ascending=False)["category_name"]))[:15]
    rows = m[m["category_name"].isin(cats)].copy()
    rows["label"] = rows["category_name"]
    rows["series"] = [names[c] for c in rows["region"]]
    rows["value"] = rows[measure].astype(float)
    rows["imputed"] = rows["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    rows["url"] = [sector_url(q, c, level=int(lv), region=r) for c, lv, r in
                   zip(rows["category"], rows["level"], rows["region"], strict=True)]
    rows["hover"] = [f"<b>{r.category_name}</b><br>{names[r.region]}<br>{MEASURE_SHORT[measure]}: "
                     f"{value_text(measure, r.value)}" + (f"<br>{imputed_words(r.imputed_share)}" if r.imputed else "")
                     for r in rows.itertuples()]
    rows = rows.set_index("label").loc[cats].reset_index()
    title = _("%(measure)s compared: the leading traded categories") % {"measure": MEASURE_SHORT[measure]}
    subtitle = unit_subtitle(q, measure, with_scheme=False)
    notes = [_("The three highest categories of each region (at most 15); one shared axis."),
             _("Hatched bars: at least %(share)s of the value imputed.") % {"share": pct(IMPUTED_OUTLINE, 0)}
             if rows["imputed"].any() else "",
             _("Missing bars: no data, or a value that cannot be ranked (coverage, split region, no-data "
               "region).") if rows["value"].isna().any() or not_ranked else ""]
    notes = [n for n in notes if n]
    fig = charts.grouped_bars(rows, Caption(title, subtitle, source_line(T, selectors.data(), SBS_SOURCES), notes),
                              value_title=f"{MEASURE_LABELS[measure]} ({MEASURE_UNITS[measure]})",
                              series_order=[names[c] for c in q.regions],
                              reference=1.0 if measure == "lq" else 0.0 if measure == "growth" else None,
                             reference_label=_("Europe (LQ = 1)") if measure == "lq" else _("no growth"))
    summary = _("%(measure)s of %(n)s categories in %(r)s regions, on one shared axis.") % {
        "measure": MEASURE_SHORT[measure], "n": len(cats), "r": len(q.regions)}
    table = [[_("Category"), *[names[c] for c in q.regions]]]
    for cat_name in cats:
        row = [cat_name]
        for c in q.regions:
            v = rows[(rows["label"] == cat_name) & (rows["region"] == c)]["value"]
            row.append(value_text(measure, v.iloc[0]) if len(v) else NOT_AVAILABLE)
        table.append(row)
    return ChartOut("compare-measure", fig, title, summary, table,
                    filename("compare-measure", q, "-".join(q.regions), measure), notes)

