"""The Cluster Trends report (Europe's, or one country's): categories and emerging industries by employment growth,
regions gaining and losing starred clusters, structural change, the co-growth of related categories, and the caveats
of the data, over one comparable window (``history``: from at most five years before the last year to the last year,
2010–2015 with the SBS 2008–2015 panel).

Every growth figure counts comparable cells only (rankable in both years, no break in series: ``history.counted``).
On a dataset with one year the report still builds: each section says that growth needs two years."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd

import clusterobs
from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.palette import ACCENT, STAR_COLOURS
from clusterobs.charts.specs.text import sbs_sources, scheme_short, source_line
from clusterobs.reports import formatting as fmt
from clusterobs.reports import history, i18n
from clusterobs.reports.common import (
    MIN_CELL_COVERAGE,
    label_categories,
    level_label,
    methodology_annex,
    names_note,
    sources_annex,
)
from clusterobs.reports.data import DEFAULT_LEVEL, NUTS_VERSION, ReportData
from clusterobs.reports.formatting import T
from clusterobs.reports.i18n import _, ngettext, pgettext
from clusterobs.reports.model import Chart, OnChart, Report, Section, Table, announcing

#: the scheme whose three-star counts the report compares (the Observatory's first-phase stars)
DEFAULT_SCHEME = "eco2007"
#: bars of the fastest and the slowest growing traded categories each (the table lists every category)
CATEGORY_BARS = 10
#: regions listed among the gainers and among the losers of three-star clusters
STAR_ROWS = 15
#: below this difference of mean co-growth (Pearson's r) related and unrelated pairs grew together "about as much"
MIN_COGROWTH_GAP = 0.05
#: related pairs listed with their co-growth
PAIR_ROWS = 10
LINKAGES = "us_cmp_related"


def build_trends(data: ReportData, *, scheme: str = DEFAULT_SCHEME, country: str | None = None,
                 level: int = DEFAULT_LEVEL, on_chart: OnChart | None = None,
                 lang: str = i18n.DEFAULT_LANGUAGE) -> Report:
    """The Cluster Trends report of Europe, or of one ``country``, in ``lang``; ``on_chart`` gets each chart as soon
    as its section is built."""
    with i18n.language(lang):
        return _trends(data, scheme=scheme, country=country, level=level, on_chart=on_chart, lang=lang)


class _Ctx:
    def __init__(self, data: ReportData, scheme: str, level: int, country: str | None, place: str,
                 w: history.Window | None) -> None:
        self.data, self.scheme, self.level, self.country, self.place, self.window = (data, scheme, level, country,
                                                                                     place, w)
        self.sbs = sbs_sources(data)

    def caption(self, title: str, what: str, notes: list[str] = (), sources: list[str] | None = None) -> Caption:
        period = self.window.label() if self.window else str(self.data.years[-1])
        sub = " · ".join([what, period, f"{level_label(self.level)}, NUTS {NUTS_VERSION}"])
        return Caption(title, sub, source_line(T, self.data, sources or self.sbs), [n for n in notes if n])


def _trends(data: ReportData, *, scheme: str, country: str | None, level: int, on_chart: OnChart | None,
            lang: str) -> Report:
    scheme = data.check_scheme(scheme)
    place = data.country_name(country) if country else _("Europe")
    years = data.years
    w = history.window(years)
    ctx = _Ctx(data, scheme, level, country, place, w)
    facts: dict = {"place": place, "country": country, "scheme": scheme, "level": level, "years": list(years),
                   "window": [w.first, w.last] if w else None}
    built = announcing(on_chart)
    if w is None:
        sections = [built(_one_year(ctx))]
        facts.update(categories={}, emerging={}, regions_gaining=0, regions_losing=0, new_stars=0, co_growth=None)
    else:
        h = data.history(years=[y for y in years if w.first <= y <= w.last], level=level, scheme=scheme,
                         country=country)
        h = label_categories(h, data.categories)
        cells = history.compare(h, w)
        growth = history.category_growth(cells, w)
        counts = history.caveat_counts(cells[cells["kind"] == "traded"], h, w)
        changes = history.star_changes(cells)
        new = history.new_stars(cells)
        cg_section, cg = cross_sectoral(ctx, cells)
        facts.update(
            categories=_growth_facts(growth[growth["kind"] == "traded"]),
            emerging=_growth_facts(growth[growth["kind"] == "emerging"]),
            traded_growth=_number(history.grouped_growth(cells[cells["kind"] == "traded"].assign(all="all"), "all",
                                                         w)["growth"].sum(min_count=1)),
            regions_gaining=int((changes["three_change"] > 0).sum()),
            regions_losing=int((changes["three_change"] < 0).sum()),
            three_star_first=int(changes["three_0"].sum()), three_star_last=int(changes["three_1"].sum()),
            new_stars=len(new), new_three_star=int((new["stars_1"] == 3).sum()),
            co_growth=cg.as_dict() if cg is not None else None,
            caveats={k: (_number(v) if isinstance(v, float) else v) for k, v in counts.items()})
        facts["co_growth"] = _clean(facts["co_growth"])
        sections = [
            built(overview(ctx, facts, counts)),
            built(by_category(ctx, growth, kind="traded")),
            built(by_category(ctx, growth, kind="emerging")),
            built(star_section(ctx, changes, new)),
            built(structure(ctx, cells)),
            built(cg_section),
            built(caveat_section(ctx, counts)),
        ]
    sections += [methodology_annex(data, [scheme]), sources_annex(data, checksums=False)]
    # named by the last year, as the web's report cache names it (``web.reports.services.ReportKey``)
    slug = (f"trends_{country}_{scheme}" if country else f"trends_{scheme}") + f"_{years[-1]}" + (
        "" if lang == i18n.DEFAULT_LANGUAGE else f"_{lang}")
    title = _("Cluster Trends: {place}").format(place=place) if country else _("European Cluster Trends")
    subtitle = (_("Employment growth {period} ({n} years), stars ({scheme}), {level} (NUTS {nuts})").format(
        period=w.label(), n=w.years, scheme=data.scheme_title(scheme), level=level_label(level), nuts=NUTS_VERSION)
        if w else _("One year of cluster data ({year}): no growth yet, {level} (NUTS {nuts})").format(
            year=years[-1], level=level_label(level), nuts=NUTS_VERSION))
    report = Report("trends", slug, title, subtitle, sections, facts=facts, version=data.version,
                    code_version=str(data.meta.get("code_version") or clusterobs.__version__),
                    created_at=str(data.meta.get("created_at") or ""),
                    generated_at=datetime.now(UTC).isoformat(timespec="seconds"), lang=lang)
    if w is None:
        report.highlights = [(_("Years of cluster data"), fmt.integer(len(years))),
                             (_("Growth window"), _("none (one year)"))]
        report.caveats = [_one_year_sentence(years)]
    else:
        report.highlights = [
            (_("Growth window"), w.label()),
            (_("Traded employment, compound annual growth"), fmt.signed_percent(facts["traded_growth"])),
            (_("Regions gaining three-star clusters"), fmt.integer(facts["regions_gaining"])),
            (_("Regions losing three-star clusters"), fmt.integer(facts["regions_losing"])),
            (_("Clusters that gained stars"), fmt.integer(facts["new_stars"])),
        ]
        report.caveats = caveat_box(ctx, counts)
    return report


def _number(x: object) -> float | None:
    return None if fmt.missing(x) else float(x)  # type: ignore[arg-type]


def _clean(d: dict | None) -> dict | None:
    """A facts dict without NaN (facts are compared between languages: NaN is not equal to itself)."""
    if d is None:
        return None
    return {k: (_number(v) if isinstance(v, float) else v) for k, v in d.items()}


def _growth_facts(g: pd.DataFrame) -> dict:
    return {r.category: {"growth": _number(r.growth), "cells": int(r.cells), "employment_0": float(r.employment_0),
                         "employment_1": float(r.employment_1), "breaks": int(r.breaks)} for r in g.itertuples()}


def _one_year_sentence(years: list[int]) -> str:
    return ngettext("This dataset holds cluster data for {n} year ({years}): growth, stars gained or lost and "
                    "structural change need two years at least, so this report states the window it would use and "
                    "the data it is waiting for.", "This dataset holds cluster data for {n} years ({years}), none "
                    "within five years before the last: growth, stars gained or lost and structural change need "
                    "two years at most five years apart.", len(years)).format(
        n=fmt.integer(len(years)), years=", ".join(map(str, years)))


def _one_year(ctx: _Ctx) -> Section:
    years = ctx.data.years
    section = Section("overview", _("Key figures"), [
        _one_year_sentence(years),
        _("When the store holds several years (the SBS regional panel 2008–2015), the window is the longest of at "
          "most five years ending in the last year (2010–2015), and every figure counts only the cells that can be "
          "ranked in both years."),
    ])
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        section.paragraphs.append(names_note())
    return section


def overview(ctx: _Ctx, facts: dict, counts: dict) -> Section:
    w = ctx.window
    paragraphs = [
        _("Growth is the compound annual growth rate of employment from {first} to {last} ({n} years): the longest "
          "window of at most five years ending in the last year with data.").format(first=w.first, last=w.last,
                                                                                   n=w.years)
        + " " + _("A cell (region × category) counts when it can be ranked in both years (employment known, "
                  "coverage of at least {coverage}, not from a region split by population, its region not no-data) "
                  "and its inputs do not break series in between; a group's growth is that of its summed "
                  "employment.").format(coverage=fmt.percent(MIN_CELL_COVERAGE, 0)),
        _("Over {place}'s {n} comparable traded cells, employment grew by {growth} a year.").format(
            place=ctx.place, n=fmt.integer(sum(c["cells"] for c in facts["categories"].values())),
            growth=fmt.signed_percent(facts["traded_growth"])) + " " +
        _("Under {scheme}: regions gaining three-star clusters {gaining}, losing {losing}; clusters that gained "
          "stars since {first} {new}, of which {three} reached three stars.").format(
            scheme=scheme_short(ctx.scheme), gaining=fmt.integer(facts["regions_gaining"]),
            losing=fmt.integer(facts["regions_losing"]), new=fmt.integer(facts["new_stars"]), first=w.first,
            three=fmt.integer(facts["new_three_star"])),
    ]
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        paragraphs.append(names_note())
    return Section("overview", _("Key figures"), paragraphs)


def _growth_bars(ctx: _Ctx, g: pd.DataFrame, title: str, what: str, notes: list[str]) -> object:
    bars = g.assign(label=g["category_name"], value=g["growth"] * 100,
                    value_text=[fmt.signed_percent(v) for v in g["growth"]], imputed=False, url="",
                    hover=[_("{category}: {growth} a year ({first} → {last} persons)").format(
                        category=c, growth=fmt.signed_percent(v), first=fmt.integer(a), last=fmt.integer(b))
                        for c, v, a, b in zip(g["category_name"], g["growth"], g["employment_0"], g["employment_1"],
                                              strict=True)])
    colours = [STAR_COLOURS[3] if v >= 0 else "#D55E00" for v in bars["value"].fillna(0)]
    return charts.ranked_bars(bars, ctx.caption(title, what, notes), value_title=_("% a year (CAGR)"),
                              colours=colours, reference=0.0, reference_label=_("no growth"))


def by_category(ctx: _Ctx, growth: pd.DataFrame, *, kind: str) -> Section:
    w = ctx.window
    g = growth[(growth["kind"] == kind) & growth["growth"].notna()]
    traded = kind == "traded"
    sid, heading = (("categories", _("Traded categories by growth")) if traded else
                    ("emerging", _("Emerging industries by growth")))
    section = Section(sid, heading, [
        _("Employment growth of each traded category over its comparable cells, {period}.") if traded else
        _("Employment growth of the ten emerging industries (cross-sectoral: they overlap the traded categories) "
          "over their comparable cells, {period}.")])
    section.paragraphs[0] = section.paragraphs[0].format(period=w.label())
    if g.empty:
        section.absent = _("No comparable cell of this kind in {place} over {period}.").format(place=ctx.place,
                                                                                          period=w.label())
        return section
    shown = pd.concat([g.head(CATEGORY_BARS), g.tail(CATEGORY_BARS)]).drop_duplicates("category") if (
        traded and len(g) > 2 * CATEGORY_BARS) else g
    title = (_("Fastest and slowest growing traded categories: {place}") if traded else
             _("Emerging industries by employment growth: {place}")).format(place=ctx.place)
    notes = [_("The {n} fastest and the {n} slowest of {total} categories; every category is in the table.").format(
        n=CATEGORY_BARS, total=len(g)) if len(shown) < len(g) else "",
        _("Comparable cells only (rankable in both years, no break in series).")]
    fig = _growth_bars(ctx, shown, title, _("Compound annual growth of employment"), notes)
    first, last = g.iloc[0], g.iloc[-1]
    summary = _("Fastest: {fast} ({fast_growth} a year); slowest: {slow} ({slow_growth}).").format(
        fast=first["category_name"], fast_growth=fmt.signed_percent(first["growth"]), slow=last["category_name"],
        slow_growth=fmt.signed_percent(last["growth"]))
    section.paragraphs.append(summary)
    section.charts.append(Chart(f"growth-{sid}", title, summary, fig))
    section.tables.append(Table(
        _("{what}, {period}: employment of the comparable cells and compound annual growth").format(
            what=heading, period=w.label()),
        [_("Category"), _("Regions"), str(w.first), str(w.last), _("Growth a year"), _("Left out (break)")],
        [[r.category_name, fmt.integer(r.cells), fmt.integer(r.employment_0), fmt.integer(r.employment_1),
          fmt.signed_percent(r.growth), fmt.integer(r.breaks)] for r in g.itertuples()],
        numeric=(1, 2, 3, 4, 5),
        note=_("Regions: comparable cells counted; left out (break): comparable cells whose inputs break series "
               "within the window.")))
    return section


def star_section(ctx: _Ctx, changes: pd.DataFrame, new: pd.DataFrame) -> Section:
    w = ctx.window
    section = Section("stars", _("Regions gaining and losing starred clusters"), [
        _("Three-star clusters ({scheme}) per region in {first} and {last}, counted over the traded cells that can "
          "be ranked in both years (a cell that could not be ranked in one year is neither a gain nor a "
          "loss).").format(scheme=scheme_short(ctx.scheme), first=w.first, last=w.last)])
    if changes.empty:
        section.absent = _("No region of {place} has traded cells that can be ranked in both {first} and "
                           "{last}.").format(place=ctx.place, first=w.first, last=w.last)
        return section
    moved = changes[changes["three_change"] != 0]
    gainers = moved[moved["three_change"] > 0].head(STAR_ROWS)
    losers = moved[moved["three_change"] < 0].sort_values(["three_change", "region"]).head(STAR_ROWS)
    section.paragraphs.append(_("Regions with more three-star clusters in {last} than in {first}: {gaining}; with "
                                "fewer: {losing}; with as many: {same}.").format(
        gaining=fmt.integer((changes["three_change"] > 0).sum()),
        losing=fmt.integer((changes["three_change"] < 0).sum()),
        same=fmt.integer((changes["three_change"] == 0).sum()), first=w.first, last=w.last))
    both = pd.concat([gainers, losers])
    if len(both):
        bars = both.assign(label=both["region_name"].fillna(both["region"]) + " (" + both["region"] + ")",
                           value=both["three_change"].astype(float),
                           value_text=[f"{int(v):+d}" for v in both["three_change"]], imputed=False, url="",
                           hover=[_("{name}: {first} → {last} three-star clusters").format(
                               name=n, first=a, last=b) for n, a, b in zip(both["region_name"], both["three_0"],
                                                                           both["three_1"], strict=True)])
        title = _("Change in three-star clusters per region: {place}").format(place=ctx.place)
        fig = charts.ranked_bars(bars, ctx.caption(title, _("Three-star traded clusters, last year minus first"), [
            _("The {n} regions gaining and losing the most.").format(n=STAR_ROWS) if len(moved) > len(both) else ""]),
            value_title=_("Three-star clusters"), colours=[STAR_COLOURS[3] if v > 0 else "#D55E00"
                                                          for v in bars["value"]], reference=0.0)
        first = bars.iloc[0]
        summary = (_("Most gained: {region} ({n}).") if first["value"] > 0 else _("Most lost: {region} ({n}).")).format(
            region=first["label"], n=first["value_text"])
        section.charts.append(Chart("stars-change", title, summary, fig))
    header = [_("Region"), _("Three-star {year}").format(year=w.first), _("Three-star {year}").format(year=w.last),
              pgettext("report", "Change"), _("Starred {year}").format(year=w.first),
              _("Starred {year}").format(year=w.last)]
    for caption, rows in ((_("Regions gaining the most three-star clusters, {period}"), gainers),
                          (_("Regions losing the most three-star clusters, {period}"), losers)):
        if len(rows):
            section.tables.append(Table(caption.format(period=w.label()), header, [
                [f"{r.region_name} ({r.region})", fmt.integer(r.three_0), fmt.integer(r.three_1),
                 f"{int(r.three_change):+d}", fmt.integer(r.starred_0), fmt.integer(r.starred_1)]
                for r in rows.itertuples()], numeric=(1, 2, 3, 4, 5)))
    if len(new):
        section.paragraphs.append(ngettext(
            "New stars since {first}: {n} traded cluster has more stars in {last} than in {first}.",
            "New stars since {first}: {n} traded clusters have more stars in {last} than in {first}.",
            len(new)).format(n=fmt.integer(len(new)), first=w.first, last=w.last))
        top = new.head(STAR_ROWS)
        section.tables.append(Table(
            _("New stars since {first}: the clusters that gained stars (most stars first)").format(first=w.first),
            [_("Region"), _("Category"), str(w.first), str(w.last), _("Employment {year}").format(year=w.last)],
            [[f"{r.region_name} ({r.region})", r.category_name, fmt.stars(r.stars_0), fmt.stars(r.stars_1),
              fmt.integer(r.employment_1)] for r in top.itertuples()], numeric=(4,),
            note=_("{n} of {total}; every cell is in the API's cluster measures of each year.").format(
                n=fmt.integer(len(top)), total=fmt.integer(len(new))) if len(new) > len(top) else ""))
    return section


def structure(ctx: _Ctx, cells: pd.DataFrame) -> Section:
    w = ctx.window
    by = "region" if ctx.country else "country"
    change = history.structural_change(cells, by=by)
    summary = history.structural_summary(change, by=by)
    section = Section("structure", _("Structural change by region") if ctx.country else
                      _("Structural change by country"), [
        _("Each traded category's share of the comparable traded employment of the {unit} in {first} and {last}; "
          "the category that gained the most share, the one that lost the most (in percentage points), and the "
          "structural change index: half the sum of the absolute changes in share, the share of employment that "
          "would have to move between categories to turn the {first} structure into the {last} one.").format(
            unit=pgettext("report", "region") if ctx.country else pgettext("report", "country"), first=w.first,
            last=w.last)])
    if summary.empty:
        section.absent = _("No comparable traded cell in {place} over {period}.").format(place=ctx.place,
                                                                                     period=w.label())
        return section
    names = ctx.data.regions.set_index("code")["name"].to_dict()
    summary["label"] = [f"{names.get(u, u)} ({u})" if ctx.country else str(u) for u in summary[by]]
    summary = summary.sort_values(["index", by], ascending=[False, True])
    bars = summary.head(40).assign(value=lambda d: d["index"] * 100,
                                   value_text=lambda d: [fmt.percent(v) for v in d["index"]], imputed=False, url="",
                                   hover=lambda d: [f"{lab}: {fmt.percent(v)}" for lab, v in
                                                    zip(d["label"], d["index"], strict=True)])
    title = _("Structural change index: {place}").format(place=ctx.place)
    fig = charts.ranked_bars(bars, ctx.caption(title, _("Half the sum of the absolute changes in the categories' "
                                                        "shares of traded employment, %"), [
        _("The 40 with the most change.") if len(summary) > 40 else "",
        _("Comparable cells only (rankable in both years, no break in series).")]),
        value_title=_("% of traded employment"), colour=ACCENT)
    top = summary.iloc[0]
    chart_summary = _("Most change: {unit} ({index}).").format(unit=top["label"], index=fmt.percent(top["index"]))
    section.charts.append(Chart("structural-change", title, chart_summary, fig))
    section.tables.append(Table(
        _("Structural change, {period}: the category gaining and the category losing the most share").format(
            period=w.label()),
        [_("Region") if ctx.country else _("Country"), _("Gained most share"), pgettext("report", "Change"),
         _("Lost most share"), pgettext("report", "Change"), _("Index")],
        [[r.label, r.gainer, _points(r.gain), r.loser, _points(r.loss), fmt.percent(r.index)]
         for r in summary.itertuples()], numeric=(2, 4, 5),
        note=_("Changes in percentage points of the comparable traded employment.")))
    return section


def _points(x: float) -> str:
    """A share change as signed percentage points: +1.2 pp."""
    return _("{value} pp").format(value=("+" if x >= 0 else "") + fmt.number(100 * x, 1))


def cross_sectoral(ctx: _Ctx, cells: pd.DataFrame) -> tuple[Section, history.CoGrowth | None]:
    w = ctx.window
    section = Section("cross-sectoral", _("Cross-sectoral trends: do related categories grow together?"), [
        _("For every pair of traded categories, the correlation across regions of their employment growth "
          "{period} (Pearson's r over the regions where both cells are comparable, at least {n}) is set against "
          "their relatedness. If related categories grow together, the related pairs have a higher co-growth "
          "than the others, and co-growth rises with relatedness.").format(period=w.label(),
                                                                          n=history.MIN_PAIR_REGIONS)])
    rel = ctx.data.relatedness_pairs(year=w.first, level=ctx.level)
    if rel is None:
        section.absent = _("Not in this dataset: the linkages (tables relatedness and related_pairs) have not been "
                           "computed; run `clusterobs compute`.")
        return section, None
    method, pairs = rel
    cg = history.co_growth(cells, pairs, method=method, exclude=ctx.data.division_pairs())
    source = (_("the US Cluster Mapping relatedness (input-output, occupation and co-location links in the US: "
                "independent of the European employment data), related pairs its top 10%") if method == "uscmp"
              else _("co-location relatedness in {year} (the correlation across regions of the categories' "
                     "employment shares), related pairs its top 10%").format(year=w.first))
    section.paragraphs.append(_("Relatedness: {source}.").format(source=source))
    section.paragraphs.append(ngettext(
        "Left out: {n} pair of categories that share a NACE division in the concordance (both have a weight on the "
        "same division). Their employment is partly the same industries' employment, so they move together by "
        "construction and their co-growth would say more about the concordance than about the regions.",
        "Left out: {n} pairs of categories that share a NACE division in the concordance (both have a weight on "
        "the same division). Their employment is partly the same industries' employment, so they move together "
        "by construction and their co-growth would say more about the concordance than about the regions.",
        cg.shared_n).format(n=fmt.integer(cg.shared_n)) if cg.shared_n else _(
        "No pair of categories compared here shares a NACE division in the concordance: none moves with another "
        "by construction."))
    if cg.rho_n == 0:
        section.absent = _("Too few regions with comparable cells: no pair of categories has the growth of both in "
                           "{n} regions or more.").format(n=history.MIN_PAIR_REGIONS)
        return section, cg
    section.paragraphs.append(_(
        "Mean co-growth of the {related_n} related pairs: r = {related}; of the {other_n} other pairs: r = {other}. "
        "Spearman's ρ between relatedness and co-growth over the {n} pairs: {rho}.").format(
        related_n=fmt.integer(cg.related_n), related=fmt.corr(cg.related_mean), other_n=fmt.integer(cg.other_n),
        other=fmt.corr(cg.other_mean), n=fmt.integer(cg.rho_n), rho=fmt.corr(cg.rho)))
    if not math.isnan(cg.related_mean) and not math.isnan(cg.other_mean):
        section.paragraphs.append(co_growth_verdict(cg.related_mean, cg.other_mean))
    have = cg.pairs.dropna(subset=["r"])
    names = ctx.data.categories.set_index("category")["name"].to_dict()
    frame = pd.DataFrame({"x": have["value"], "y": have["r"],
                          "label": [f"{names.get(i, i)} / {names.get(j, j)}" for i, j in
                                    zip(have["category_i"], have["category_j"], strict=True)], "url": ""})
    frame["hover"] = [_("{pair}: relatedness {value}, co-growth r = {r} ({n} regions)").format(
        pair=lab, value=fmt.number(v), r=fmt.corr(r), n=n) for lab, v, r, n in
        zip(frame["label"], frame["x"], frame["y"], have["regions"], strict=True)]
    title = _("Relatedness and co-growth of traded categories: {place}").format(place=ctx.place)
    fit = None
    if len(frame) >= 3 and frame["x"].nunique() > 1:
        from clusterobs.reports import stats

        fit = stats.fit_line(frame["x"], frame["y"])
    fig = charts.scatter(frame, ctx.caption(title, _("x: relatedness; y: correlation across regions of the two "
                                                     "categories' growth"), [
        _("One point per pair of traded categories with {n} regions or more.").format(n=history.MIN_PAIR_REGIONS)],
        sources=[*ctx.sbs, LINKAGES] if method == "uscmp" else ctx.sbs),
        x_title=pgettext("report", "Relatedness"), y_title=_("Co-growth (r)"), line=fit,
        line_label=_("least-squares line"),
        label_top=4)
    section.charts.append(Chart("co-growth", title, _("Related pairs: r = {related}; other pairs: r = {other}.").format(
        related=fmt.corr(cg.related_mean), other=fmt.corr(cg.other_mean)), fig))
    top = have[have["related"]].sort_values(["r", "category_i"], ascending=[False, True]).head(PAIR_ROWS)
    if len(top):
        section.tables.append(Table(
            _("Related pairs growing most together, {period}").format(period=w.label()),
            [_("Category"), _("Related category"), pgettext("report", "Relatedness"), _("Co-growth (r)"), _("Regions")],
            [[names.get(r.category_i, r.category_i), names.get(r.category_j, r.category_j), fmt.number(r.value),
              fmt.corr(r.r), fmt.integer(r.regions)] for r in top.itertuples()], numeric=(2, 3, 4)))
    return section, cg


def caveat_section(ctx: _Ctx, counts: dict) -> Section:
    return Section("caveats", _("What the data allow"), [
        *caveat_box(ctx, counts),
        _("Growth is computed from the employment of each year as published then mapped; a cell is never compared "
          "across a change in its coverage, a region split by population or a break in series: it is left out "
          "and counted above.")])


def caveat_box(ctx: _Ctx, counts: dict) -> list[str]:
    """The data's caveats stated in the text: breaks, comparability (coverage, split and no-data regions),
    imputation, and the 2015 vintage."""
    w = ctx.window
    out = [
        _("Of {with_data} traded cells with employment in both {first} and {last}, {comparable} can be ranked in both "
          "years; the others ({not_comparable}: coverage below {coverage}, a region split by population or a "
          "no-data region in one of the years) are left out of every figure.").format(
            with_data=fmt.integer(counts["with_data"]), first=w.first, last=w.last,
            comparable=fmt.integer(counts["comparable"]), not_comparable=fmt.integer(counts["not_comparable"]),
            coverage=fmt.percent(MIN_CELL_COVERAGE, 0)),
        ngettext("Breaks in series: {n} comparable cell has an input flagged b (break in series) by Eurostat within "
                 "the window; it is left out of the sums, shares and correlations.",
                 "Breaks in series: {n} comparable cells have an input flagged b (break in series) by Eurostat "
                 "within the window; they are left out of the sums, shares and correlations.",
                 counts["breaks"]).format(n=fmt.integer(counts["breaks"])),
        _("Imputation: {first_share} of the counted traded employment in {first} and {last_share} in {last} is imputed "
          "(confidential or missing values estimated within national totals); a change in what is confidential "
          "moves imputed values, so growth of a cell with much imputation is uncertain.").format(
            first_share=fmt.percent(counts["imputed_0"]), first=w.first,
            last_share=fmt.percent(counts["imputed_1"]), last=w.last),
    ]
    if counts["split_regions"] or counts["no_data_regions"]:
        out.append(_("Regions split from an older NUTS region by population ({split}) and no-data regions ({no_data}) "
                     "in either year are not compared.").format(
            split=fmt.integer(len(counts["split_regions"])), no_data=fmt.integer(len(counts["no_data_regions"]))))
    if w.last == 2015:
        out.append(_("Vintages: the 2015 values come from a later, fuller release of the SBS regional table than "
                     "the 2008–2014 values (the ingest chooses one vintage per cell; see the sources "
                     "documentation); part of a change ending in 2015 can be a revision rather than a change in "
                     "employment."))
    return out


def co_growth_verdict(related_mean: float, other_mean: float) -> str:
    """The sentence on the mean co-growth of related pairs against the others: "more" only beyond
    ``MIN_COGROWTH_GAP`` (a difference of 0.01 in r is no finding), "about as much" within it."""
    gap = related_mean - other_mean
    if gap > MIN_COGROWTH_GAP:
        return _("Related categories grew together more than unrelated ones over this window.")
    if gap >= -MIN_COGROWTH_GAP:
        return _("Over this window, related and unrelated categories grew together about as much (a difference of "
                 "{gap} in r, within ±{limit}).").format(gap=fmt.corr(gap), limit=fmt.corr(MIN_COGROWTH_GAP))
    return _("Over this window, related categories did not grow together more than unrelated ones.")
