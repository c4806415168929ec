"""The European Cluster Panorama (or one country's): the statistical map of clusters and its correlation with
competitiveness, from the store and the shared chart builders (``clusterobs.charts``).

Every figure counts what can be trusted, as the engine says (``clusterobs.mapping.headlines``): traded categories,
rankable cells only (coverage of at least 80%, not from a region split by population), no-data regions
(``region_data_quality``) left out of the headline, the tables, the rankings, the maps' classes and the
correlations, and named with the reason."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
import pandas as pd

import clusterobs
from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.maps import bbox
from clusterobs.charts.palette import ACCENT, STAR_COLOURS
from clusterobs.charts.specs.text import GISCO, SBS_SOURCES, conversion_note, scheme_short, source_line, star_labels
from clusterobs.mapping.headlines import headline, usable
from clusterobs.reports import competitiveness_sources, history, i18n, stats
from clusterobs.reports import formatting as fmt
from clusterobs.reports.common import (
    MIN_CELL_COVERAGE,
    label_categories,
    level_label,
    methodology_annex,
    names_note,
    no_data_reason,
    sources_annex,
)
from clusterobs.reports.competitiveness import Indicator, indicators
from clusterobs.reports.data import DEFAULT_LEVEL, DEFAULT_SCHEME, NUTS_VERSION, ReportData
from clusterobs.reports.formatting import T
from clusterobs.reports.i18n import _, ngettext
from clusterobs.reports.model import Chart, OnChart, Report, Section, Table, announcing

#: the star count from which a cluster is "starred" in the employment share and in cluster strength
STARRED = 1
TOP_CATEGORIES = 20


STRENGTH_COLUMNS = ["region", "region_name", "country", "employment", "starred_employment", "stars_1", "stars_2",
                    "stars_3", "clusters", "not_rankable", "strength"]


def strength(data: ReportData, m: pd.DataFrame, quality: pd.DataFrame | None, *, scheme: str, year: int,
             level: int) -> pd.DataFrame:
    """Per region that can be ranked: traded employment in rankable cells, employment in starred traded clusters and
    its share (cluster strength), and the traded clusters with 1, 2 and 3 stars: the engine's ``region_headlines``
    (or, for a dataset without that table, ``headline`` per region). No-data regions and regions without a rankable
    traded cell are not in it."""
    names = m.drop_duplicates("region").set_index("region")[["region_name", "country"]]
    rows = data.region_headlines(scheme=scheme, year=year, level=level, kind="traded")
    if rows is None:
        parts = []
        for region, cells in m.groupby("region", sort=True):
            h = headline(cells, kind="traded", quality=quality)
            parts.append({"region": region, "employment": h["employment"],
                          "starred_employment": h["starred_employment"], "clusters": h["clusters"],
                          "not_rankable": h["not_rankable"], "no_data": bool(h["excluded_regions"]),
                          **{f"stars_{k}": h["by_stars"].get(k, 0) for k in (1, 2, 3)}})
        rows = pd.DataFrame(parts, columns=["region", "employment", "starred_employment", "clusters",
                                            "not_rankable", "no_data", "stars_1", "stars_2", "stars_3"])
    rows = rows[rows["region"].isin(names.index) & ~rows["no_data"].astype(bool) & (rows["clusters"] > 0)]
    out = rows.join(names, on="region").reset_index(drop=True)
    out["strength"] = (out["starred_employment"] / out["employment"]).where(out["employment"] > 0)
    for c in ("stars_1", "stars_2", "stars_3", "clusters", "not_rankable"):
        out[c] = out[c].astype(int)
    return out[STRENGTH_COLUMNS]


def left_out(data: ReportData, m: pd.DataFrame, quality: pd.DataFrame | None) -> pd.DataFrame:
    """The no-data regions among those of ``m`` (``region_data_quality``): region, region_name, country, the
    reason in the report's language, and the traded categories with data and rankable."""
    columns = ["region", "region_name", "country", "reason", "traded_with_data", "traded_rankable",
               "traded_categories"]
    if quality is None or quality.empty:
        return pd.DataFrame(columns=columns)
    q = quality[quality["no_data"].astype(bool) & quality["region"].isin(set(m["region"]))]
    names = m.drop_duplicates("region").set_index("region")[["region_name", "country"]]
    q = q.join(names, on="region").sort_values("region")
    return q.assign(reason=[no_data_reason(r) for r in q.itertuples()])[columns].reset_index(drop=True)


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
    place = data.country_name(country) if country else _("Europe")
    m = label_categories(data.measures(scheme=scheme, year=year, level=level, country=country), data.categories)
    if m.empty:
        raise_empty(place, level, year)
    quality = data.region_quality(year=year, level=level)
    traded = m[m["kind"] == "traded"]
    ctx = _Context(data, scheme, year, level, country, place)
    ctx.left_out = left_out(data, m, quality)
    ctx.ranked = usable(m, kind="traded", quality=quality)  # the cells every table and ranking counts
    per_region = strength(data, m, quality, scheme=scheme, year=year, level=level)
    ctx.window, ctx.cells = history.past(data, scheme=scheme, year=year, level=level, country=country)
    facts = headline(m, kind="traded", quality=quality)  # the engine's headline, on the same cells
    three = ctx.ranked.loc[ctx.ranked["stars"] == 3, "employment"].sum()
    facts.update(place=place, country=country, scheme=scheme, year=year, level=level,
                 traded_employment=facts["employment"],
                 three_star_share=float(three / facts["employment"]) if facts["employment"] else None)
    facts.update(history_facts(ctx))
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
    annex = methodology_annex(data, [scheme])
    if len(ctx.left_out):
        annex.tables.append(left_out_table(ctx))
    sections += [corr_section, annex, sources_annex(data)]
    kind, slug = ("country", f"country_{country}_{scheme}_{year}") if country else ("panorama",
                                                                                     f"panorama_{scheme}_{year}")
    slug += "" if lang == i18n.DEFAULT_LANGUAGE else f"_{lang}"
    title = _("Cluster Panorama: {place}").format(place=place) if country else _("European Cluster Panorama")
    report = Report(kind, slug, title,
                    _("Cluster stars ({scheme}), {year}, {level} (NUTS {nuts}), with the correlation of cluster "
                      "strength and competitiveness").format(scheme=data.scheme_title(scheme), year=year,
                                                             level=level_label(level), nuts=NUTS_VERSION),
                    sections, facts=facts, version=data.version,
                    code_version=str(data.meta.get("code_version") or clusterobs.__version__),
                    created_at=str(data.meta.get("created_at") or ""),
                    generated_at=datetime.now(UTC).isoformat(timespec="seconds"), lang=lang)
    report.highlights = [
        (_("Regions mapped"), fmt.integer(facts["regions"])),
        (_("Regions left out (too little data)"), fmt.integer(len(facts["excluded_regions"]))),
        (_("Traded categories"), fmt.integer(facts["categories"])),
        (_("3-star clusters"), fmt.integer(facts["by_stars"].get(3, 0))),
        (_("2-star clusters"), fmt.integer(facts["by_stars"].get(2, 0))),
        (_("1-star clusters"), fmt.integer(facts["by_stars"].get(1, 0))),
        (_("Traded employment in starred clusters"), fmt.percent(facts["starred_share"])),
    ]
    return report


def history_facts(ctx: _Context) -> dict:
    """The history's headline: the window, and the traded clusters that gained stars since its first year."""
    if ctx.window is None:
        return {"growth_window": None, "new_stars": None, "new_three_star": None}
    new = history.new_stars(ctx.cells)
    return {"growth_window": [ctx.window.first, ctx.window.last], "new_stars": len(new),
            "new_three_star": int((new["stars_1"] == 3).sum())}


def new_stars_sentence(ctx: _Context, facts: dict) -> str:
    if ctx.window is None:
        return ""
    return ngettext("New stars since {first}: {n} traded cluster that can be ranked in both {first} and {last} has "
                    "more stars in {last} ({three} of them reached three stars).",
                    "New stars since {first}: {n} traded clusters that can be ranked in both {first} and {last} have "
                    "more stars in {last} ({three} of them reached three stars).", facts["new_stars"]).format(
        first=ctx.window.first, last=ctx.window.last, n=fmt.integer(facts["new_stars"]),
        three=fmt.integer(facts["new_three_star"]))


def growth_column(ctx: _Context, by: str | list[str]) -> dict:
    """Compound annual growth of the counted traded cells (``history.counted``) per ``by``, for a table's growth
    column; empty without a window."""
    if ctx.window is None or ctx.cells.empty:
        return {}
    g = history.grouped_growth(ctx.cells[ctx.cells["kind"] == "traded"], by, ctx.window)
    return dict(zip(g[by], g["growth"], strict=True))


def raise_empty(place: str, level: int, year: int) -> None:
    from clusterobs.reports.data import ReportError

    raise ReportError(f"no cluster measures for {place} at NUTS level {level} in {year}")


class _Context:
    def __init__(self, data: ReportData, scheme: str, year: int, level: int, country: str | None,
                 place: str) -> None:
        self.data, self.scheme, self.year, self.level, self.country, self.place = (data, scheme, year, level,
                                                                                   country, place)
        #: the no-data regions (``left_out``) and the cells that count (``headlines.usable``)
        self.left_out = pd.DataFrame(columns=["region", "region_name", "country", "reason"])
        self.ranked = pd.DataFrame()
        #: the growth window ending in ``year`` and the cells compared over it (``history.compare``); None and
        #: empty with one year of data
        self.window: history.Window | None = None
        self.cells = pd.DataFrame()

    def subtitle(self, what: str) -> str:
        return " · ".join([what, str(self.year), f"{level_label(self.level)}, NUTS {NUTS_VERSION}",
                           scheme_short(self.scheme)])

    def caption(self, title: str, what: str, sources: list[str], notes: list[str] = ()) -> Caption:
        notes = [n for n in [*notes, conversion_note(T, self.level, self.data.years)] if n]
        return Caption(title, self.subtitle(what), source_line(T, self.data, sources), notes)


def _in_sentence(label: str) -> str:
    """A NUTS level's label inside a sentence: its first letter lowered, unless it opens with an acronym (NUTS)."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[:1].lower() + label[1:]


def _indicator(label: str) -> str:
    """An indicator's name inside a sentence: lower case in English; otherwise as the data give it (a French
    sentence quotes the English name)."""
    return label.lower() if i18n.current() == i18n.DEFAULT_LANGUAGE else label


def _list(items: list[str]) -> str:
    return ("\u00a0; " if i18n.current() == "fr" else "; ").join(items)


def _interval(value: object, low: object, high: object) -> str:
    return _("{value} [{low}, {high}]").format(value=fmt.corr(value), low=fmt.corr(low), high=fmt.corr(high))


def left_out_sentence(ctx: _Context) -> str:
    """"N regions left out for too little data: …" (the reasons are in the methodology annex)."""
    lo = ctx.left_out
    if lo.empty:
        return ""
    names = ", ".join(f"{r.region_name} ({r.region})" for r in lo.itertuples())
    return ngettext("{n} region left out for too little data: {regions}. It is grey on the maps and not in the "
                    "figures, tables, rankings or correlations; the reason is in the methodology annex.",
                    "{n} regions left out for too little data: {regions}. They are grey on the maps and not in the "
                    "figures, tables, rankings or correlations; the reasons are in the methodology annex.",
                    len(lo)).format(n=fmt.integer(len(lo)), regions=names)


def overview(ctx: _Context, traded: pd.DataFrame, per_region: pd.DataFrame, facts: dict) -> Section:
    by_stars = facts["by_stars"]
    if not facts["regions"]:
        paragraphs = [_("In {year}, no region of {place} can be ranked: each is left out for too little data, and the "
                        "figures below are empty.").format(year=ctx.year, place=ctx.place)]
        if len(ctx.left_out):
            paragraphs.append(left_out_sentence(ctx))
        if i18n.current() != i18n.DEFAULT_LANGUAGE:
            paragraphs.append(names_note())
        return Section("overview", _("Key figures"), paragraphs)
    paragraphs = [
        _("In {year}, {regions} {level} of {place} hold {categories} traded cluster categories with employment "
          "data that can be ranked.").format(year=ctx.year, regions=fmt.integer(facts["regions"]),
                                             level=_in_sentence(level_label(ctx.level)), place=ctx.place,
                                             categories=fmt.integer(facts["categories"])) + " " +
        _("Under the {scheme} scheme, {three} region-category cells earn three stars, {two} two and {one} one.").format(
            scheme=ctx.data.scheme_title(ctx.scheme), three=fmt.integer(by_stars.get(3, 0)),
            two=fmt.integer(by_stars.get(2, 0)), one=fmt.integer(by_stars.get(1, 0))),
        ngettext("Starred clusters (at least {n} star) employ {share} of the traded employment ({employment} "
                 "persons); three-star clusters {three}.", "Starred clusters (at least {n} stars) employ {share} of "
                 "the traded employment ({employment} persons); three-star clusters {three}.", STARRED).format(
            n=STARRED, share=fmt.percent(facts["starred_share"]), employment=fmt.integer(facts["traded_employment"]),
            three=fmt.percent(facts["three_star_share"])),
    ]
    if len(ctx.left_out):
        paragraphs.append(left_out_sentence(ctx))
    if ctx.window is not None:
        paragraphs.append(new_stars_sentence(ctx, facts))
    if facts["not_rankable"]:
        paragraphs.append(ngettext(
            "{n} region-category cell with employment data cannot be ranked (data for less than {coverage} of the "
            "category's industries, or in a region left out): it is shown in the region's scorecard, never starred "
            "or counted here.", "{n} region-category cells with employment data cannot be ranked (data for less "
            "than {coverage} of the category's industries, or in a region left out): they are shown in the regions' "
            "scorecards, never starred or counted here.", facts["not_rankable"]).format(
            n=fmt.integer(facts["not_rankable"]), coverage=fmt.percent(MIN_CELL_COVERAGE, 0)))
    if facts["no_data"]:
        paragraphs.append(ngettext(
            "{n} region-category cell has no employment value (confidential or missing in the source): it is "
            "counted as no data, never as zero.", "{n} region-category cells have no employment value (confidential "
            "or missing in the source): they are counted as no data, never as zero.", facts["no_data"]).format(
            n=fmt.integer(facts["no_data"])))
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        paragraphs.append(names_note())
    return Section("overview", _("Key figures"), paragraphs)

def by_category(ctx: _Context, traded: pd.DataFrame) -> Section:
    have = ctx.ranked
    counts = have.assign(s1=have["stars"] == 1, s2=have["stars"] == 2, s3=have["stars"] == 3).groupby(
        "category_name").agg(regions=("region", "count"), s1=("s1", "sum"), s2=("s2", "sum"), s3=("s3", "sum"),
                             employment=("employment", "sum"))
    with_data = traded[traded["employment"].notna()].groupby("category_name")["region"].count()
    counts = counts.reindex(with_data.index, fill_value=0).rename_axis("category_name").reset_index()
    counts["left"] = [int(with_data[c]) - int(n) for c, n in zip(counts["category_name"], counts["regions"],
                                                                   strict=True)]
    counts["starred"] = counts["s1"] + counts["s2"] + counts["s3"]
    counts = counts.sort_values(["s3", "starred", "category_name"], ascending=[False, False, True])
    top = counts.head(TOP_CATEGORIES)
    rows = []
    for stars, col in ((1, "s1"), (2, "s2"), (3, "s3")):
        for r in top.itertuples():
            v = int(getattr(r, col))
            rows.append({"label": r.category_name, "series": star_labels(T)[stars], "value": float(v),
                         "imputed": False, "url": "", "hover": _("{category}: {n} regions with {stars}").format(
                             category=r.category_name, n=fmt.integer(v), stars=star_labels(T)[stars])})
    frame = pd.DataFrame(rows)
    title = _("Clusters by stars per category: {place}").format(place=ctx.place)
    fig = charts.grouped_bars(frame, ctx.caption(title, _("Regions with 1, 2 and 3 stars per traded category"),
                                                 SBS_SOURCES, [
        _("The {n} categories with the most three-star regions (of {total}).").format(
            n=fmt.integer(len(top)), total=fmt.integer(len(counts))), ranked_note(ctx)]),
        value_title=_("Regions"), series_order=star_labels(T)[1:])
    for i, trace in enumerate(fig.data):  # the star blues, as on the maps
        trace.marker.color = STAR_COLOURS[i + 1]
    first = top.iloc[0] if len(top) else None
    summary = (_("{category} has the most three-star regions ({n}).").format(
        category=first["category_name"], n=fmt.integer(first["s3"]))
               if first is not None else _("No traded category has data."))
    grew = growth_column(ctx, "category_name")
    table = Table(_("Clusters by stars per traded category, {place}, {year}").format(place=ctx.place, year=ctx.year),
                  [_("Category"), _("Regions ranked"), *star_labels(T)[1:], _("Employment"), _("Not rankable")]
                  + ([_("Growth {period}").format(period=ctx.window.label())] if ctx.window else []),
                  [[r.category_name, fmt.integer(r.regions), fmt.integer(r.s1), fmt.integer(r.s2),
                    fmt.integer(r.s3), fmt.integer(r.employment), fmt.integer(r.left)]
                   + ([fmt.signed_percent(grew.get(r.category_name))] if ctx.window else [])
                   for r in counts.itertuples()],
                  numeric=(1, 2, 3, 4, 5, 6, 7),
                  note=_("Regions ranked: regions whose cell can be ranked (coverage of at least {coverage}, in a "
                         "region not left out); not rankable: the other cells with employment data, left out of the "
                         "counts and the employment.").format(coverage=fmt.percent(MIN_CELL_COVERAGE, 0))
                  + (" " + growth_note(ctx) if ctx.window else ""))
    return Section("categories", _("Clusters by stars per category"), [
        _("How many regions hold each traded category with one, two or three stars. A category with many "
          "three-star regions is concentrated in several strong locations.")],
        charts=[Chart("stars-by-category", title, summary, fig)], tables=[table])


def growth_note(ctx: _Context) -> str:
    return _("Growth {period}: compound annual growth of the summed employment of the cells that can be ranked in "
             "both years and whose inputs do not break series in between.").format(period=ctx.window.label())


def ranked_note(ctx: _Context) -> str:
    """The chart note saying what is left out of the counts."""
    n = len(ctx.left_out)
    return (ngettext("Rankable cells only; {n} region left out for too little data.",
                     "Rankable cells only; {n} regions left out for too little data.", n).format(n=fmt.integer(n))
            if n else _("Rankable cells only."))

def by_country(ctx: _Context, traded: pd.DataFrame, per_region: pd.DataFrame) -> Section:
    """Per country (Europe) or per region (a country's report): starred clusters and the employment share."""
    if ctx.country:
        unit = per_region.assign(label=per_region["region_name"] + " (" + per_region["region"] + ")")
        key, what = "label", "region"
        texts = (_("Share of traded employment in starred clusters, by region: {place}"),
                 _("The 40 regions with the highest share."), _("Starred clusters by region, {year}"),
                 _("Clusters by region"), _("The number of starred traded clusters and the share of traded "
                                            "employment they hold, by region."))
    else:
        # a country counts its rankable cells in the regions not left out (the regions' engine figures, summed)
        unit = per_region.groupby("country", as_index=False).agg(
            regions=("region", "count"), employment=("employment", "sum"),
            starred_employment=("starred_employment", "sum"), stars_1=("stars_1", "sum"),
            stars_2=("stars_2", "sum"), stars_3=("stars_3", "sum"))
        left = ctx.left_out.groupby("country")["region"].count()
        unit = unit.merge(left.rename("left_out"), left_on="country", right_index=True, how="outer")
        unit["country"] = unit["country"].astype(str)
        unit = unit.fillna({c: 0 for c in ("regions", "employment", "starred_employment", "stars_1", "stars_2",
                                           "stars_3", "left_out")})
        unit["strength"] = (unit["starred_employment"] / unit["employment"]).where(unit["employment"] > 0)
        unit["label"] = unit["country"]
        key, what = "label", "country"
        texts = (_("Share of traded employment in starred clusters, by country: {place}"),
                 _("The 40 countries with the highest share."), _("Starred clusters by country, {year}"),
                 _("Clusters by country"), _("The number of starred traded clusters and the share of traded "
                                             "employment they hold, by country."))
    title_text, top_note, table_title, heading, intro = texts
    unit = unit.sort_values(["strength", key], ascending=[False, True])
    bars = unit[unit["strength"].notna()].head(40).assign(
        value=lambda d: d["strength"] * 100, value_text=lambda d: [fmt.percent(v) for v in d["strength"]],
        imputed=False, url="", hover=lambda d: [_("{name}: {value}").format(name=lab, value=fmt.percent(v))
                                                for lab, v in zip(d[key], d["strength"], strict=True)])
    title = title_text.format(place=ctx.place)
    notes = [top_note if len(unit) > 40 else "", ranked_note(ctx)]
    fig = charts.ranked_bars(bars, ctx.caption(title, _("Employment in clusters with at least one star, % of the "
                                                        "traded employment"), SBS_SOURCES, notes),
                             value_title=_("% of traded employment"), colour=ACCENT)
    summary = (_("Highest share: {first} ({first_value}); lowest shown: {last} ({last_value}).").format(
        first=bars[key].iloc[0], first_value=bars["value_text"].iloc[0], last=bars[key].iloc[-1],
        last_value=bars["value_text"].iloc[-1]) if len(bars) else _("No data."))
    header = [_("Region") if ctx.country else _("Country"), *star_labels(T)[1:], _("Traded employment"),
              _("In starred clusters")]
    if not ctx.country:
        header[1:1] = [_("Regions ranked"), _("Regions left out")]
    grew = growth_column(ctx, "region" if ctx.country else "country")
    if ctx.window:
        header.append(_("Growth {period}").format(period=ctx.window.label()))
    rows = []
    for r in unit.itertuples():
        row = [getattr(r, key), fmt.integer(r.stars_1), fmt.integer(r.stars_2), fmt.integer(r.stars_3),
               fmt.integer(r.employment), fmt.percent(r.strength)]
        if not ctx.country:
            row[1:1] = [fmt.integer(r.regions), fmt.integer(r.left_out)]
        if ctx.window:
            row.append(fmt.signed_percent(grew.get(r.region if ctx.country else r.country)))
        rows.append(row)
    table = Table(table_title.format(year=ctx.year), header, rows, numeric=tuple(range(1, len(header))),
                  note=_("Starred clusters and employment of the rankable traded cells of the regions ranked.")
                  + (" " + growth_note(ctx) if ctx.window else ""))
    paragraphs = [intro]
    if len(ctx.left_out):
        paragraphs.append(left_out_sentence(ctx))
    return Section("countries", heading, paragraphs,
        charts=[Chart("strength-by-" + what, title, summary, fig)], tables=[table])


def _map_frame(ctx: _Context, per_region: pd.DataFrame, geo: dict, value: pd.Series,
               text: list[str]) -> pd.DataFrame:
    """One row per region of the map; the regions left out (and those without data) have no value: grey."""
    codes = [f["id"] for f in geo["features"]]
    names = {f["id"]: f["properties"]["name"] for f in geo["features"]}
    frame = pd.DataFrame({"code": codes, "name": [names[c] for c in codes]})
    vals = dict(zip(per_region["region"], value, strict=True))
    texts = dict(zip(per_region["region"], text, strict=True))
    reasons = dict(zip(ctx.left_out["region"], ctx.left_out["reason"], strict=True))
    frame["value"] = [vals.get(c, math.nan) for c in codes]
    frame["value_text"] = [texts.get(c, _("Not rankable") if c in reasons else _("No data")) for c in codes]
    outside = _("No data: not in the SBS regional statistics of {year} at this level").format(year=ctx.year)
    frame["detail"] = ["" if c in vals else
                       _("Left out: {reason}").format(reason=reasons[c]) if c in reasons else
                       outside for c in codes]
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
    return (_("Outside the map frame (outermost regions, in the tables): {regions}.").format(regions=", ".join(out))
            if out else "")


def maps(ctx: _Context, per_region: pd.DataFrame) -> Section:
    geo, view = _geo(ctx)
    three = per_region["stars_3"].astype(float)
    frame = _map_frame(ctx, per_region, geo, three, [ngettext("{n} three-star cluster", "{n} three-star clusters",
                                                         int(v)).format(n=int(v)) for v in three])
    title = _("Three-star clusters per region: {place}").format(place=ctx.place)
    no_data = int(frame["value"].isna().sum())
    drawn_left = int(frame["code"].isin(set(ctx.left_out["region"])).sum())
    notes = [_("{n} of {total} regions: no data or not rankable (grey).").format(n=no_data, total=len(frame))
             if no_data else "",
             ngettext("Of them, {n} region is left out for too little data (see the methodology annex).",
                      "Of them, {n} regions are left out for too little data (see the methodology annex).",
                      drawn_left).format(n=fmt.integer(drawn_left)) if drawn_left else "",
             _outside_note(geo, view)]
    grey = dict(no_data_label=_("No data / not rankable"), no_data_detail=_("No data"))
    fig1 = charts.choropleth_map(frame, geo, charts.count_classes(["0", "1", "2", "3–4", _("5 or more")]),
                                 ctx.caption(title, _("Traded categories with three stars per region"),
                                             [*SBS_SOURCES, GISCO],
                                             notes), legend_title=_("Three-star clusters"), view=view, **grey)
    have = frame.dropna(subset=["value"]).sort_values(["value", "code"], ascending=[False, True])
    s1 = _("{n} of {total} regions have at least one three-star traded cluster; the most: {top}.").format(
        n=fmt.integer((have["value"] > 0).sum()), total=fmt.integer(len(have)),
        top=", ".join(f"{r.name} ({int(r.value)})" for r in have.head(3).itertuples()))
    share = per_region["strength"] * 100
    frame2 = _map_frame(ctx, per_region, geo, share, [_("{share} of traded employment in starred clusters").format(
        share=fmt.percent(v)) for v in per_region["strength"]])
    title2 = _("Share of traded employment in starred clusters: {place}").format(place=ctx.place)
    classing = charts.data_classes(frame2["value"], k=5, name="%", fmt=fmt.compact)
    fig2 = charts.choropleth_map(frame2, geo, classing, ctx.caption(
        title2, _("Employment in clusters with at least one star, % of the region's traded employment"),
        [*SBS_SOURCES, GISCO], [*notes, _("Quantile classes (5).")]), legend_title=_("% in starred clusters"),
        view=view,
        **grey)
    have2 = frame2.dropna(subset=["value"])
    s2 = (_("Median region: {median} of traded employment in starred clusters; highest {highest}.").format(
        median=fmt.percent(np.median(have2["value"]) / 100), highest=fmt.percent(have2["value"].max() / 100))
          if len(have2) else _("No data."))
    return Section("maps", _("Maps"), [_("Regions without data, and those left out for too little data, stay on "
                                         "the map in grey (no data / not rankable): their absence is information.")],
                   charts=[Chart("map-three-star", title, s1, fig1), Chart("map-starred-share", title2, s2, fig2)])


def top_regions(ctx: _Context, traded: pd.DataFrame, per_region: pd.DataFrame) -> Section:
    have = ctx.ranked.sort_values(["category_name", "stars", "employment", "region"],
                                  ascending=[True, False, False, True])
    rows = []
    for name, g in have.groupby("category_name", sort=True):
        best = g.head(3)
        cells = [f"{r.region_name} ({r.region}) {fmt.stars(r.stars)}" for r in best.itertuples()]
        rows.append([str(name), *cells, *[""] * (3 - len(cells))])
    table = Table(_("The top three regions of each traded category, {year} (by stars, then employment)").format(
        year=ctx.year), [_("Category"), _("First"), _("Second"), _("Third")], rows)
    best = per_region.sort_values(["stars_3", "stars_2", "region"], ascending=[False, False, True]).head(15)
    bars = best.assign(label=best["region_name"] + " (" + best["region"] + ")", value=best["stars_3"].astype(float),
                       value_text=[str(int(v)) for v in best["stars_3"]], imputed=False, url="",
                       hover=[ngettext("{name}: {n} three-star cluster", "{name}: {n} three-star clusters",
                                       int(v)).format(name=n, n=int(v))
                              for n, v in zip(best["region_name"], best["stars_3"], strict=True)])
    title = _("Regions with the most three-star clusters: {place}").format(place=ctx.place)
    fig = charts.ranked_bars(bars, ctx.caption(title, _("Traded categories with three stars"), SBS_SOURCES,
                                               [ranked_note(ctx)]),
                             value_title=_("Three-star clusters"), colour=STAR_COLOURS[3])
    summary = _("Most three-star clusters: {regions}.").format(regions=", ".join(
        f"{r.label} ({int(r.value)})" for r in bars.head(3).itertuples())) if len(bars) else ""
    return Section("top-regions", _("Top regions per category"), [
        _("The leading regions of every traded category: stars first, then employment as the tie-breaker. Only "
          "cells that can be ranked compete; the regions left out for too little data are not ranked.")],
        charts=[Chart("top-regions", title, summary, fig)], tables=[table])


def left_out_table(ctx: _Context) -> Table:
    """The methodology annex's list of the regions left out, with the reason."""
    lo = ctx.left_out
    return Table(_("Regions left out for too little data, {year}").format(year=ctx.year),
                 [_("Region"), _("Traded categories with data"), _("Rankable"), _("Reason")],
                 [[f"{r.region_name} ({r.region})", fmt.integer(r.traded_with_data), fmt.integer(r.traded_rankable),
                   r.reason] for r in lo.itertuples()], numeric=(1, 2),
                 note=_("Of {n} traded categories mapped; a region is left out when it was split from an older "
                        "region by population or when fewer than half its traded categories can be "
                        "ranked.").format(n=fmt.integer(lo["traded_categories"].max()) if len(lo) else "0"))


def correlation(ctx: _Context, per_region: pd.DataFrame) -> tuple[Section, dict]:
    """Cluster strength against GDP per capita and the other competitiveness indicators: scatter plots, Pearson
    and Spearman with 95% intervals and the number of regions used."""
    y = per_region.set_index("region")["strength"] * 100
    names = per_region.set_index("region")["region_name"]
    section = Section("competitiveness", _("Cluster strength and competitiveness"), [
        ngettext("Cluster strength is the share of a region's traded employment in starred clusters (at least {n} "
                 "star, {scheme}).", "Cluster strength is the share of a region's traded employment in starred "
                 "clusters (at least {n} stars, {scheme}).", STARRED).format(n=STARRED,
                                                                            scheme=scheme_short(ctx.scheme)) + " " +
        _("It is set against regional prosperity and competitiveness indicators. "
          "Pearson's r comes with the Fisher z 95% interval; Spearman's ρ with the Fisher z interval using the "
          "Bonett–Wright standard error sqrt((1 + ρ²/2)/(n − 3)). n is the number of regions with both values; "
          "indicator codes (NUTS 2016 for the Eurostat indicators) are matched to the NUTS 2021 regions by identical "
          "code, so regions whose code changed in 2021 are left out and counted. Correlation is not causation: "
          "capital regions, for instance, combine high GDP per capita with a services-heavy structure.")])
    if len(ctx.left_out):
        section.paragraphs.append(ngettext(
            "The {n} region left out for too little data has no cluster strength and is not correlated.",
            "The {n} regions left out for too little data have no cluster strength and are not correlated.",
            len(ctx.left_out)).format(n=fmt.integer(len(ctx.left_out))))
    results: dict[str, dict] = {}
    rows = []
    for ind in indicators(ctx.data, ctx.year):
        x = ind.values.reindex(y.index)
        c = stats.correlate(x, y)
        unmatched = int(y.notna().sum() - c.n)
        results[ind.key] = {**c.as_dict(), "year": ind.year, "label": ind.label, "unmatched": unmatched}
        rows.append([ind.label, str(ind.year or ""), fmt.integer(c.n),
                     _interval(c.pearson, c.pearson_low, c.pearson_high),
                     fmt.p_value(c.pearson_p),
                     _interval(c.spearman, c.spearman_low, c.spearman_high),
                     fmt.p_value(c.spearman_p)])
        if ind.chart and c.n >= stats.MIN_REGIONS:
            section.charts.append(_scatter(ctx, ind, x, y, names, c, unmatched))
    section.tables.append(Table(
        _("Correlation of cluster strength with competitiveness indicators, {place}").format(place=ctx.place),
        [_("Indicator"), _("Year"), _("Regions (n)"), _("Pearson r [95% CI]"), "p", _("Spearman ρ [95% CI]"), "p"],
        rows,
        numeric=(2, 3, 4, 5, 6)))
    absent = competitiveness_sources.absent(ctx.data)
    if absent:
        section.paragraphs.append(_("Not in this dataset (so not correlated here): {sources}.").format(
            sources=_list(absent)))
    return section, results


def _scatter(ctx: _Context, ind: Indicator, x: pd.Series, y: pd.Series, names: pd.Series,
             c: stats.Correlation, unmatched: int) -> Chart:
    frame = pd.DataFrame({"x": x, "y": y})
    frame["label"] = list(frame.index)
    frame["url"] = ""
    frame["hover"] = [_("<b>{name}</b> ({code})<br>{indicator}: {x}<br>strength: {y}%").format(
        name=names.get(code, code), code=code, indicator=ind.label, x=fmt.number(a), y=fmt.number(b, 1))
                      for code, a, b in zip(frame.index, frame["x"], frame["y"], strict=True)]
    indicator = _indicator(ind.label)
    title = _("Cluster strength and {indicator}: {place}").format(indicator=indicator, place=ctx.place)
    notes = [_("Pearson r = {pearson}, Spearman ρ = {spearman}, n = {n} regions.").format(
                 pearson=_interval(c.pearson, c.pearson_low, c.pearson_high),
                 spearman=_interval(c.spearman, c.spearman_low, c.spearman_high), n=fmt.integer(c.n)),
             ngettext("{n} region with a cluster strength has no {indicator} value for a matching code.",
                      "{n} regions with a cluster strength have no {indicator} value for a matching code.",
                      unmatched).format(n=fmt.integer(unmatched), indicator=indicator) if unmatched else "", ind.note]
    cap = Caption(title, " · ".join([_("x: {indicator} ({unit}), {year}").format(indicator=ind.label, unit=ind.unit,
                                                                                 year=ind.year),
                                     _("y: % of traded employment in starred clusters, {year}").format(year=ctx.year),
                                     scheme_short(ctx.scheme)]),
                  source_line(T, ctx.data, [*SBS_SOURCES, ind.source]), [n for n in notes if n])
    fig = charts.scatter(frame, cap, x_title=f"{ind.label} ({ind.unit})", y_title=_("Cluster strength (%)"),
                         line=stats.fit_line(frame["x"], frame["y"]))
    summary = _("Across {n} regions, cluster strength and {indicator} correlate with Pearson r = {pearson} and "
                "Spearman ρ = {spearman}.").format(n=fmt.integer(c.n), indicator=indicator,
                                                   pearson=fmt.corr(c.pearson), spearman=fmt.corr(c.spearman))
    return Chart(f"scatter-{ind.key}", title, summary, fig)
