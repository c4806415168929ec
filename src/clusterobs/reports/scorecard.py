"""The region scorecard: a region's cluster portfolio, its stars and why, trends, and (when the dataset holds
them) linkages and opportunities, scoreboard strengths and weaknesses, and peers.

Its headline figures are the engine's (``region_headlines``, ``clusterobs.mapping.headlines``): traded categories,
rankable cells. What limits them is said first, in a box under the title: a region left out for too little data
(no-data) or split by population, cells below the coverage threshold, much imputed employment, an SBS/LFS caveat
(``region_caveats``, when the dataset holds it). Tables mark each cell (``common.cell_marks``); a cell that cannot
be ranked is listed with its values and no stars."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pandas as pd

import clusterobs
from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.maps import bbox
from clusterobs.charts.specs import EmptyChart
from clusterobs.charts.specs.region_stars import region_stars
from clusterobs.charts.specs.text import (
    GISCO,
    INDICATORS,
    LFS,
    SBS_SOURCES,
    conversion_note,
    scheme_short,
    source_line,
    star_labels,
)
from clusterobs.reports import formatting as fmt
from clusterobs.reports import history, i18n
from clusterobs.reports.common import (
    IMPUTED_MARK,
    MAX_SPLIT_SHARE,
    MIN_CELL_COVERAGE,
    cell_marks,
    label_categories,
    level_label,
    marked,
    marks_note,
    methodology_annex,
    names_note,
    no_data_reason,
    sources_annex,
)
from clusterobs.reports.data import DEFAULT_SCHEME, NUTS_VERSION, ReportData, ReportError
from clusterobs.reports.formatting import T
from clusterobs.reports.i18n import _, ngettext, pgettext
from clusterobs.reports.model import Chart, OnChart, Report, Section, Table, announcing
from clusterobs.reports.scorecard_optional import (
    OPPORTUNITIES,
    RELATED_METHOD,
    complexity_section,
    linkages_section,
    peers_section,
    scoreboard_section,
)

IMPUTED_OUTLINE = IMPUTED_MARK
#: from this share of a region coming from fractions of older regions split by population, the scorecard warns
SPLIT_WARNING = 0.1
#: categories named in the coverage caveat (the others are counted)
CAVEAT_NAMES = 8
#: rows of the portfolio table (the chart draws every category; the web and the API list them all)
PORTFOLIO_ROWS = 20
TREND_SECTORS = ("TOTAL", "B-E", "F", "G-I", "J", "M_N")
#: starred traded categories drawn on the timeline (the region's top ones: most stars, then the largest)
TIMELINE_CATEGORIES = 5


def context_rows() -> list[tuple[str, str, int]]:
    """The regional indicators of the overview: (indicator, label, digits)."""
    return [("gdp_per_capita_eur", _("GDP per capita (EUR)"), 0), ("region_population", _("Population"), 0),
            ("unemployment_rate_t", _("Unemployment rate (%)"), 1),
            ("disp_income_household", _("Disposable household income (EUR)"), 0)]


def build_scorecard(data: ReportData, code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                    on_chart: OnChart | None = None, lang: str = i18n.DEFAULT_LANGUAGE) -> Report:
    """The scorecard of region ``code`` in ``lang`` (``i18n.LANGUAGES``); ``on_chart`` gets each chart as soon as
    its section is built (the renderer's ``start_drawing``: the charts are drawn while the rest is built)."""
    with i18n.language(lang):
        return _scorecard(data, code, scheme=scheme, year=year, on_chart=on_chart, lang=lang)


def _scorecard(data: ReportData, code: str, *, scheme: str, year: int | None, on_chart: OnChart | None,
               lang: str) -> Report:
    scheme, year = data.check_scheme(scheme), data.check_year(year)
    region = data.region(code)
    level = int(region["level"])
    if level not in (0, 1, 2):
        raise ReportError(f"region {code} is at NUTS level {level}; scorecards cover levels 0-2")  # not translated
    data.prefetch(*reads(data, code, scheme=scheme, year=year, level=level))
    name = str(region["name"])
    # every scheme (the star strip's); emerging industries named like a traded category say "(emerging)"
    every = label_categories(data.measures(scheme=None, year=year, level=level, region=code), data.categories)
    m = every[every["scheme"] == scheme].reset_index(drop=True)
    traded = m[m["kind"] == "traded"]
    starred = m[(m["stars"] > 0) & m["employment"].notna()].sort_values(["stars", "employment"],
                                                                        ascending=[False, False])
    quality = data.region_quality(year=year, level=level)
    quality = quality[quality["region"] == code] if quality is not None else None
    head = region_headline(data, m, quality, code=code, scheme=scheme, year=year, level=level)
    no_data = bool(quality is not None and len(quality) and bool(quality["no_data"].iloc[0]))
    emp = traded["employment"].sum()
    facts = {
        "code": code, "name": name, "country": region["country"], "level": level, "scheme": scheme, "year": year,
        "starred": [{"category": r.category, "category_name": r.data_name, "kind": r.kind, "stars": int(r.stars),
                     "employment": float(r.employment)} for r in starred.itertuples()],
        # the engine's headline: traded categories, rankable cells, nothing for a region left out
        "by_stars": head["by_stars"], "starred_traded": head["starred"],
        "ranked_employment": head["employment"], "starred_share": head["starred_share"],
        "not_rankable": head["not_rankable"], "no_data": no_data,
        "traded_employment": float(emp) if traded["employment"].notna().any() else None,
    }
    window, cells = history.past(data, scheme=scheme, year=year, level=level, region=code)
    new = history.new_stars(cells) if window is not None else pd.DataFrame()
    facts["growth_window"] = [window.first, window.last] if window is not None else None
    facts["new_stars"] = ([{"category": r.category, "stars_0": int(r.stars_0), "stars_1": int(r.stars_1)}
                           for r in new.itertuples()] if window is not None else None)
    ctx = dict(data=data, code=code, name=name, level=level, scheme=scheme, year=year, no_data=no_data,
               reason=no_data_reason(quality.iloc[0]) if no_data else "", window=window, cells=cells, new=new)
    context = data.region_indicators(code)
    built = announcing(on_chart)
    sections = [
        built(overview(ctx, region, m, starred, facts, context)),
        built(portfolio(ctx, traded)),
        built(stars(ctx, every, starred)),
        built(trends(ctx, context, starred)),
        built(linkages_section(data, code, name, year=year, level=level, starred=starred)),
        complexity_section(data, code, name, year=year, level=level),
        scoreboard_section(data, code, name),
        peers_section(data, code, name),
        methodology_annex(data, [scheme]),
        sources_annex(data, used=[*SBS_SOURCES, GISCO, INDICATORS, LFS, "nace_rev2", "naics2017_nace",
                                  "us_cmp_cluster_naics",
                                  "jrc_nuts_converter"], checksums=False),
    ]
    slug = f"region_{code}_{scheme}_{year}" + ("" if lang == i18n.DEFAULT_LANGUAGE else f"_{lang}")
    report = Report("region", slug, _("Region scorecard: {name} ({code})").format(name=name, code=code),
                    _("Cluster portfolio and stars ({scheme}), {year}, {level} (NUTS {nuts})").format(
                        scheme=data.scheme_title(scheme), year=year, level=level_label(level), nuts=NUTS_VERSION),
                    sections, facts=facts, version=data.version,
                    code_version=str(data.meta.get("code_version") or clusterobs.__version__),
                    created_at=str(data.meta.get("created_at") or ""),
                    generated_at=datetime.now(UTC).isoformat(timespec="seconds"), lang=lang)
    not_ranked = _("not ranked")
    report.highlights = [
        (_("Starred traded clusters"), not_ranked if no_data else fmt.integer(facts["starred_traded"])),
        (_("3-star traded clusters"), not_ranked if no_data else fmt.integer(facts["by_stars"].get(3, 0))),
        (_("Traded employment (SBS)"), fmt.integer(facts["traded_employment"])),
        (_("In starred clusters"), not_ranked if no_data else fmt.percent(facts["starred_share"])),
    ]
    report.caveats = caveats(ctx, m, quality, data.region_caveats(code, year=year, level=level))
    gdp = context[context["indicator"] == "gdp_per_capita_eur"]
    if len(gdp):
        last = gdp.iloc[-1]
        report.highlights.append((_("GDP per capita {year}").format(year=int(last["year"])),
                                  _("{value} EUR").format(value=fmt.integer(last["value"]))))
    return report


def reads(data: ReportData, code: str, *, scheme: str, year: int, level: int) -> list[Callable[[], object]]:
    """The scorecard's reads of the dataset, in the order its sections make them (``ReadAhead.prefetch`` reads
    their queries on a thread of its own while the first sections are built)."""
    out: list[Callable[[], object]] = [
        lambda: data.measures(scheme=None, year=year, level=level, region=code),
        lambda: data.categories,
        lambda: data.region_quality(year=year, level=level),
        lambda: data.region_headlines(scheme=scheme, year=year, level=level, kind="traded", region=code),
        lambda: history.past(data, scheme=scheme, year=year, level=level, region=code),
        lambda: data.region_indicators(code),
        lambda: data.meta,
        lambda: data.geojson(level),
        lambda: data.citations([GISCO]),
        lambda: data.citations(SBS_SOURCES),
        lambda: data.star_tests(region=code, scheme=scheme, year=year, level=level),
        lambda: data.years_with("productivity"),
        lambda: data.history(years=data.years, level=level, region=code),
        lambda: data.lfs_employment(code),
        lambda: data.citations([LFS]),
        lambda: data.citations([INDICATORS]),
    ]
    optional = [("region_opportunities", lambda: data.top_opportunities(code, year=year, level=level,
                                                                        limit=OPPORTUNITIES)),
                ("related_pairs", lambda: data.related_pairs(RELATED_METHOD, year=year, level=2)),
                ("complexity", lambda: data.region_complexity_named(code, level=level, year=year)),
                ("scoreboard_strengths", lambda: data.scoreboard_outliers(code)),
                ("scoreboard_scores", lambda: data.scoreboard_overall(code)),
                ("scoreboard_peers", lambda: data.scoreboard_peers(code))]
    out += [read for table, read in optional if data.has(table)]
    return [*out, lambda: data.sources(), lambda: data.region_caveats(code, year=year, level=level)]


def region_headline(data: ReportData, m: pd.DataFrame, quality: pd.DataFrame | None, *, code: str, scheme: str,
                    year: int, level: int) -> dict:
    """The region's headline figures as the engine computed them (``region_headlines``): clusters by stars, starred
    clusters, employment of the rankable traded cells and the share in starred clusters, cells left out. A region
    left out for too little data (no-data) has none. Without that table, ``clusterobs.mapping.headlines.headline``
    on the region's cells (imported only then: the mapping engine takes 0.3-0.5 s to import)."""
    rows = data.region_headlines(scheme=scheme, year=year, level=level, kind="traded", region=code)
    if rows is None:
        from clusterobs.mapping.headlines import headline

        h = headline(m, kind="traded", quality=quality)
        return {k: h[k] for k in ("by_stars", "starred", "employment", "starred_share", "not_rankable")}
    if rows.empty or bool(rows["no_data"].iloc[0]):
        not_rankable = int(rows[["clusters", "not_rankable"]].iloc[0].sum()) if len(rows) else 0
        return {"by_stars": {}, "starred": 0, "employment": 0.0, "starred_share": None, "not_rankable": not_rankable}
    r = rows.iloc[0]
    counts = {0: int(r["clusters"] - r["starred"]), 1: int(r["stars_1"]), 2: int(r["stars_2"]), 3: int(r["stars_3"])}
    share = r["starred_share"]
    return {"by_stars": {k: v for k, v in counts.items() if v}, "starred": int(r["starred"]),
            "employment": float(r["employment"]), "starred_share": None if fmt.missing(share) else float(share),
            "not_rankable": int(r["not_rankable"])}


def caveats(ctx: dict, m: pd.DataFrame, quality: pd.DataFrame | None, checks: pd.DataFrame | None) -> list[str]:
    """What limits the region's figures, for the box under the title: left out (no-data), split by population,
    traded cells below the coverage threshold, much imputation, the SBS/LFS check's flags."""
    name, out = ctx["name"], []
    q = quality.iloc[0] if quality is not None and len(quality) else None
    if ctx["no_data"]:
        out.append(_("{name} is left out of the maps, rankings and headline figures for too little data: {reason}. "
                     "Its values are shown below without stars; they are not zero stars.").format(
            name=name, reason=ctx["reason"]))
    split = float(q["split_share"]) if q is not None and not fmt.missing(q["split_share"]) else float(
        m["split_share"].max()) if len(m) and m["split_share"].notna().any() else 0.0
    if split >= SPLIT_WARNING and not (ctx["no_data"] and split > MAX_SPLIT_SHARE):  # else said by the first
        out.append(_("Split by population: {share} of {name} comes from fractions of older NUTS regions shared out "
                     "by population, so that part of its industry structure is the older regions', not data "
                     "collected for it.").format(share=fmt.percent(split, 0), name=name))
    traded = m[(m["kind"] == "traded") & m["employment"].notna()]
    low = traded[~traded["rankable"] & (traded["coverage"] < MIN_CELL_COVERAGE)]
    if len(low):
        names = ", ".join(f"{r.category_name} ({fmt.percent(r.coverage, 0)})"
                          for r in low.sort_values("coverage").head(CAVEAT_NAMES).itertuples())
        more = len(low) - min(len(low), CAVEAT_NAMES)
        out.append(ngettext(
            "{n} traded category has data for less than {coverage} of its industries ({names}): shown with its "
            "values and marked ‡, not starred or ranked.",
            "{n} traded categories have data for less than {coverage} of their industries ({names}{more}): shown "
            "with their values and marked ‡, not starred or ranked.", len(low)).format(
            n=fmt.integer(len(low)), coverage=fmt.percent(MIN_CELL_COVERAGE, 0), names=names,
            more=_(" and {n} more").format(n=fmt.integer(more)) if more else ""))
    imputed = q["imputed_share"] if q is not None else None
    if not fmt.missing(imputed) and float(imputed) >= IMPUTED_MARK:
        out.append(_("Imputation: {share} of the region's employment in the mapped industries is imputed "
                     "(confidential or missing values estimated within the national totals); cells with at least "
                     "{mark} imputed are marked *.").format(share=fmt.percent(imputed, 0),
                                                          mark=fmt.percent(IMPUTED_MARK, 0)))
    if checks is not None:
        out += [sbs_lfs_caveat(r) for r in checks.itertuples()]
    return out


def sbs_lfs_caveat(row: object) -> str:
    """A flagged row of ``region_caveats`` (SBS against LFS employment) in the report's language; the engine's own
    (English) text when the row lacks the ratio or the direction."""
    flag, ratio = str(getattr(row, "flag", "")).lower(), getattr(row, "ratio", None)
    sector = getattr(row, "sector_name", None) or getattr(row, "sector", None)
    if flag not in ("high", "low") or fmt.missing(ratio) or not sector:
        return _("SBS/LFS check: {caveat}").format(caveat=str(row.caveat))  # type: ignore[attr-defined]
    where = f"{sector} ({row.sector})" if getattr(row, "sector", None) else str(sector)  # type: ignore[attr-defined]
    if flag == "high":
        lower_bound = not fmt.missing(getattr(row, "sbs_missing", None)) and bool(getattr(row, "sbs_missing", ""))
        return (_("SBS/LFS check: the SBS counts at least {ratio}× the LFS employment in {sector}: head offices "
                  "registered here, or workers commuting in?") if lower_bound else
                _("SBS/LFS check: the SBS counts {ratio}× the LFS employment in {sector}: head offices registered "
                  "here, or workers commuting in?")).format(ratio=fmt.number(ratio, 1), sector=where)
    return _("SBS/LFS check: the SBS counts only {share} of the LFS employment in {sector}: employment registered in "
             "another region (head offices elsewhere), or residents working outside the region?").format(
        share=fmt.percent(ratio, 0), sector=where)


def _caption(ctx: dict, title: str, what: str, sources: list[str], notes: list[str] = ()) -> Caption:
    notes = [n for n in [*notes, conversion_note(T, ctx["level"], ctx["data"].years)] if n]
    sub = " · ".join([what, str(ctx["year"]), f"{level_label(ctx['level'])}, NUTS {NUTS_VERSION}"])
    return Caption(title, sub, source_line(T, ctx["data"], sources), notes)


def _locator(ctx: dict, country: str) -> Chart:
    """Where the region is, for print: not the web's locator spec (``charts.specs.maps.locator``) on purpose, but
    outlines zoomed on the regions around it (a smaller map renders faster and reads better on paper), 300 px high,
    with a sentence of its own."""
    data, code, level = ctx["data"], ctx["code"], ctx["level"]
    geo = data.geojson(level)
    target = next((f for f in geo["features"] if f["id"] == code), None)
    if target is not None:  # only the regions around it: a smaller map renders faster and reads better
        x0, y0, x1, y1 = bbox(target["geometry"])
        pad = max(x1 - x0, y1 - y0, 2.0) * 1.5  # the map is about 3:1, so 6 times the margin east and west
        near = [f for f in geo["features"] if _overlaps(bbox(f["geometry"]), (x0 - 6 * pad, y0 - pad, x1 + 6 * pad,
                                                                              y1 + pad))]
        geo = {"type": "FeatureCollection", "features": near}
    regions = data.regions
    same = regions.loc[(regions["country"] == country) & (regions["level"] == level), "code"]
    title = _("Where {name} is").format(name=ctx["name"])
    fig = charts.locator_outline(geo, code, ctx["name"], Caption(title, f"{level_label(level)}, NUTS {NUTS_VERSION}",
                                                             source_line(T, data, [GISCO])),
                             country_codes=same, labels=(ctx["name"], _("Same country"), _("Other regions")),
                             height=300)
    return Chart("locator", title, _("{name} ({code}) and the regions around it.").format(name=ctx["name"],
                                                                                         code=code), fig)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def overview(ctx: dict, region: dict, m: pd.DataFrame, starred: pd.DataFrame, facts: dict,
             context: pd.DataFrame) -> Section:
    traded = starred[starred["kind"] == "traded"]
    n = facts["starred_traded"]  # the engine's headline: traded clusters (local and emerging ones overlap them)
    best = ", ".join(f"{r.category_name} ({fmt.stars(r.stars)})" for r in traded.head(3).itertuples())
    says = dict(name=ctx["name"], code=ctx["code"], country=region["country"], n=fmt.integer(n),
                scheme=scheme_short(ctx["scheme"]), year=ctx["year"], best=best)
    if ctx["no_data"]:
        paragraphs = [
            _("{name} ({code}, {country}) cannot be ranked under {scheme} in {year}: {reason}. It is left out of "
              "the maps, rankings and headline figures; its clusters have no stars (not zero stars).").format(
                reason=ctx["reason"], **says),
            _("Its traded categories employ {employment} persons (SBS) as mapped; the values below are given for "
              "information.").format(employment=fmt.integer(facts["traded_employment"]))
            if facts["traded_employment"] is not None else
            _("None of its traded categories has employment data in {year}.").format(year=ctx["year"])]
    else:
        paragraphs = [
            (ngettext("{name} ({code}, {country}) has {n} starred traded cluster under {scheme} in {year}; the "
                      "strongest: {best}.", "{name} ({code}, {country}) has {n} starred traded clusters under {scheme} "
                      "in {year}; the strongest: {best}.", n) if n else
             _("{name} ({code}, {country}) has no starred traded cluster under {scheme} in {year}.")).format(
                **says),
            _("Its traded categories employ {employment} persons (SBS); of the {ranked} in the categories that can "
              "be ranked, {share} are in starred clusters.").format(
                employment=fmt.integer(facts["traded_employment"]), ranked=fmt.integer(facts["ranked_employment"]),
                share=fmt.percent(facts["starred_share"]))]
        others = len(starred) - len(traded)
        if others:
            paragraphs.append(ngettext(
                "{n} local or emerging category is starred too: these categories overlap the traded ones (the same "
                "jobs), so they are listed under Stars and their reasons but not added to the traded figures.",
                "{n} local or emerging categories are starred too: these categories overlap the traded ones (the "
                "same jobs), so they are listed under Stars and their reasons but not added to the traded figures.",
                others).format(n=fmt.integer(others)))
        if facts["not_rankable"]:
            paragraphs.append(ngettext(
                "{n} traded category with data cannot be ranked here (coverage below {coverage}): it is listed, "
                "marked ‡, without stars.", "{n} traded categories with data cannot be ranked here (coverage below "
                "{coverage}): they are listed, marked ‡, without stars.", facts["not_rankable"]).format(
                n=fmt.integer(facts["not_rankable"]), coverage=fmt.percent(MIN_CELL_COVERAGE, 0)))
    if i18n.current() != i18n.DEFAULT_LANGUAGE:
        paragraphs.append(names_note())
    rows = []
    for key, label, digits in context_rows():
        sub = context[context["indicator"] == key]
        if len(sub):
            last = sub.iloc[-1]
            rows.append([label, fmt.number(last["value"], digits), str(int(last["year"]))])
    tables = [Table(_("Regional context (Eurostat regional indicators, latest year)"),
                    [_("Indicator"), _("Value"), _("Year")], rows, numeric=(1, 2))] if rows else []
    if not rows:
        paragraphs.append(_("The Eurostat regional indicators have no value for this region's code."))
    return Section("overview", _("Overview"), paragraphs, charts=[_locator(ctx, str(region["country"]))],
                   tables=tables)


def portfolio(ctx: dict, traded: pd.DataFrame) -> Section:
    """The portfolio section: the web's portfolio rows (``charts.portfolio_rows``) drawn for print, not the web's
    spec (``charts.specs.portfolio``) on purpose: a printed page has no Table tab beside the chart, so the cells that
    cannot be ranked are drawn grey ("Not rankable") rather than left out and listed, the hover is short, and the
    table below lists the categories with the most stars."""
    # a cell that cannot be ranked has no stars (-1 there), drawn grey
    rows, growth = charts.portfolio_rows(traded, imputed_outline=IMPUTED_OUTLINE)
    rows["url"] = ""
    labels, lq, not_ranked = star_labels(T), _("LQ"), _("not ranked")
    rows["hover"] = [f"<b>{r.category_name}</b><br>{labels[int(r.stars)] if r.stars >= 0 else not_ranked}<br>"
                     f"{lq} {fmt.number(r.lq)}" for r in rows.itertuples()]
    drawn = rows[rows["drawn"]]
    section = Section("portfolio", _("Cluster portfolio"), [
        _("Every traded category of the region: its size (employment), specialisation (location quotient, LQ: the "
          "category's share of the region's traded employment relative to Europe's) and focus.")])
    if drawn.empty:
        section.absent = _("No traded category of {name} has employment data in {year}.").format(
            name=ctx["name"], year=ctx["year"])
        return section
    title = _("Cluster portfolio of {name}").format(name=ctx["name"])
    grey = drawn[drawn["stars"] < 0]
    if growth:
        x_note = ""
    elif len(ctx["data"].years) < 2:
        x_note = _("Growth needs two years of data; the dataset has one ({year}), so the x axis shows "
                   "employment.").format(year=ctx["year"])
    else:
        x_note = _("No traded cluster of this region has a growth figure in {year}, so the x axis shows "
                   "employment.").format(year=ctx["year"])
    notes = [x_note, _("{n} traded categories without employment data are not drawn.").format(
                 n=fmt.integer(len(rows) - len(drawn))) if len(rows) > len(drawn) else "",
             _("{n} bubbles with a black outline have at least 10% of the value imputed.").format(
                 n=fmt.integer(int(drawn["imputed"].sum()))) if drawn["imputed"].any() else "",
             ngettext("{n} grey bubble cannot be ranked (coverage below {coverage}, or a region left out): no stars.",
                      "{n} grey bubbles cannot be ranked (coverage below {coverage}, or a region left out): no stars.",
                      len(grey)).format(n=fmt.integer(len(grey)), coverage=fmt.percent(MIN_CELL_COVERAGE, 0))
             if len(grey) else ""]
    what = (_("x: growth; y: location quotient (log scale); bubble area: employment; colour: stars ({scheme})")
            if growth else _("x: employment; y: location quotient (log scale); bubble area: employment; colour: "
                             "stars ({scheme})")).format(scheme=scheme_short(ctx["scheme"]))
    fig = charts.bubble_portfolio(
        drawn, _caption(ctx, title, what, SBS_SOURCES, notes),
        x_title=_("Employment growth (CAGR)") if growth else _("Employment (persons, log scale)"),
        y_title=_("Location quotient"), star_labels=labels, x_log=not growth,
        x_reference=0.0 if growth else None, x_reference_label=_("no growth"),
        lq_labels=(pgettext("report", "LQ = 1: Europe's structure"), _("LQ = 2: specialisation star")),
        not_rankable_label=_("Not rankable"))
    spec = drawn[drawn["stars"] >= 0].sort_values("lq", ascending=False)
    summary = (_("{n} traded categories of {name}; most specialised: {top}.").format(
        n=fmt.integer(len(drawn)), name=ctx["name"],
        top=", ".join(f"{r.category_name} ({lq} {fmt.number(r.lq)})" for r in spec.head(3).itertuples()))
        if len(spec) else _("{n} traded categories of {name}, none of which can be ranked.").format(
            n=fmt.integer(len(drawn)), name=ctx["name"]))
    section.charts.append(Chart("portfolio", title, summary, fig))
    table_rows = rows.assign(stars=rows["stars"].where(rows["stars"] >= 0)).sort_values(
        ["stars", "employment"], ascending=[False, False])
    shown, rest = table_rows.head(PORTFOLIO_ROWS), table_rows.iloc[PORTFOLIO_ROWS:]
    notes = []
    if len(rest):
        starred_rest = int(((rest["stars"] > 0) & rest["employment"].notna()).sum())
        where = dict(n=fmt.integer(len(rest)), starred=fmt.integer(starred_rest), code=ctx["code"],
                     scheme=ctx["scheme"], year=ctx["year"])
        notes.append((_("The other {n} traded categories ({starred} of them starred: see their conditions under "
                        "Stars and their reasons) are in the chart above; every row is on the observatory's "
                        "portfolio page of {code} (/regions/{code}/portfolio/) and as CSV: "
                        "/api/regions/{code}/portfolio?scheme={scheme}&year={year}&fmt=csv.") if starred_rest else
                      _("The other {n} traded categories are in the chart above; every row is on the observatory's "
                        "portfolio page of {code} (/regions/{code}/portfolio/) and as CSV: "
                        "/api/regions/{code}/portfolio?scheme={scheme}&year={year}&fmt=csv.")).format(**where))
    marks = [cell_marks(r) for r in shown.itertuples()]
    notes.append(marks_note("".join(marks)))
    window, grew = ctx.get("window"), {}
    if window is not None:
        cells = ctx["cells"]
        grew = {c: _growth_cell(g, b) for c, g, b in zip(cells["category"], cells["growth"], cells["break"],
                                                         strict=True)}
        notes.append(_("Growth {period}: compound annual growth of employment, only for a cell that can be ranked "
                       "in both years; \"{mark}\" marks a break in series (Eurostat flag b) within the window: "
                       "compare with care.").format(period=window.label(), mark=history.MARK_BREAK))
    caption = (_("Traded categories of {name}, {year}: the {n} with the most stars, then the largest") if len(rest)
               else _("Traded categories of {name}, {year}")).format(name=ctx["name"], year=ctx["year"],
                                                                      n=fmt.integer(len(shown)))
    section.tables.append(Table(
        caption,
        [_("Category"), _("Stars"), _("Employment"), _("LQ"), _("Focus"), _("Share of Europe"), _("Imputed"),
         _("Coverage")] + ([_("Growth {period}").format(period=window.label())] if window is not None else []),
        [[marked(r.category_name, mark), _stars_cell(r), fmt.integer(r.employment), fmt.number(r.lq),
          fmt.percent(r.focus, 2), fmt.percent(r.share_europe, 2), fmt.percent(r.imputed_share, 0),
          fmt.percent(r.coverage, 0)] + ([grew.get(r.category, fmt.NOT_AVAILABLE)] if window is not None else [])
         for r, mark in zip(shown.itertuples(), marks, strict=True)],
        numeric=(2, 3, 4, 5, 6, 7, 8), note=" ".join(n for n in notes if n)))
    return section


def _growth_cell(growth: object, broken: bool) -> str:
    """A cell's growth over the window (``history.compare``), with the break mark; ":" when not comparable."""
    if fmt.missing(growth):
        return fmt.NOT_AVAILABLE
    return fmt.signed_percent(growth) + (f" {history.MARK_BREAK}" if broken else "")


def _stars_cell(r: object) -> str:
    """Stars of a cell; "not ranked" for a cell with data that cannot be ranked; ":" without data."""
    if fmt.missing(getattr(r, "employment", None)):
        return fmt.NOT_AVAILABLE
    if not bool(getattr(r, "rankable", True)) or fmt.missing(getattr(r, "stars", None)):
        return _("not ranked")
    return fmt.stars(r.stars)  # type: ignore[attr-defined]


def stars(ctx: dict, every: pd.DataFrame, starred: pd.DataFrame) -> Section:
    """``every``: the region's measures under every scheme."""
    data = ctx["data"]
    section = Section("stars", _("Stars and their reasons"), [
        _("Each test a cluster passes earns a star; the table gives, for every starred cluster, each condition "
          "with the region's value and the threshold used (from the dataset's star tests).")])
    try:  # the web's region-stars chart, from the one spec (printed: no links, no hover)
        out = region_stars(T, data, region={"code": ctx["code"], "name": ctx["name"], "level": ctx["level"]},
                           year=ctx["year"], scheme=ctx["scheme"], measures=every, min_coverage=MIN_CELL_COVERAGE,
                           max_split=MAX_SPLIT_SHARE, interactive=False)
    except EmptyChart:
        section.absent = (_("{name} cannot be ranked in {year}: {reason}. None of its clusters has stars, under any "
                            "scheme.").format(name=ctx["name"], year=ctx["year"], reason=ctx["reason"])
                          if ctx.get("no_data") else
                          _("{name} has no starred cluster under any scheme in {year}.").format(
                              name=ctx["name"], year=ctx["year"]))
        return section
    new_stars_table(ctx, section)
    section.charts.append(Chart("region-stars", out.title, out.summary, out.fig))
    if len(starred):
        tests = data.star_tests(region=ctx["code"], scheme=ctx["scheme"], year=ctx["year"], level=ctx["level"])
        tests = tests[tests["category"].isin(starred["category"])]
        rows, skipped, marks = [], pgettext("report", "skipped"), []
        for cell in starred.itertuples():
            conds = tests[tests["category"] == cell.category]
            reasons = "; ".join(
                f"{skipped if r.skipped else '✓' if r.passed else '✗'} {r.test}: {_value(r.measure, r.value)} "
                f"{r.op} {_value(r.measure, r.threshold)}" for r in conds.itertuples())
            marks.append(cell_marks(cell))
            rows.append([marked(cell.category_name, marks[-1]), fmt.stars(cell.stars), reasons])
        section.tables.append(Table(
            _("Why the stars: each condition of {scheme} for the starred clusters of {name} (✓ passed, ✗ not "
              "passed: the region's value, then the threshold)").format(scheme=scheme_short(ctx["scheme"]),
                                                                      name=ctx["name"]),
            [_("Cluster"), _("Stars"), _("Conditions: value against threshold")], rows,
            note=marks_note("".join(marks))))
    return section


def new_stars_table(ctx: dict, section: Section) -> None:
    """"New stars since <first year>": the region's traded clusters that gained stars over the growth window (cells
    that can be ranked in both years)."""
    window, new = ctx.get("window"), ctx.get("new")
    if window is None:
        return
    if new is None or new.empty:
        section.paragraphs.append(_("New stars since {first}: none of the traded clusters of {name} that can be "
                                    "ranked in both {first} and {last} has more stars in {last}.").format(
            first=window.first, last=window.last, name=ctx["name"]))
        return
    section.paragraphs.append(ngettext(
        "New stars since {first}: {n} traded cluster of {name} has more stars in {last} than in {first}.",
        "New stars since {first}: {n} traded clusters of {name} have more stars in {last} than in {first}.",
        len(new)).format(first=window.first, last=window.last, n=fmt.integer(len(new)), name=ctx["name"]))
    section.tables.append(Table(
        _("New stars since {first} ({scheme}): the clusters of {name} that gained stars").format(
            first=window.first, scheme=scheme_short(ctx["scheme"]), name=ctx["name"]),
        [_("Cluster"), str(window.first), str(window.last), _("Employment {year}").format(year=window.first),
         _("Employment {year}").format(year=window.last)],
        [[r.category_name, fmt.stars(r.stars_0), fmt.stars(r.stars_1), fmt.integer(r.employment_0),
          fmt.integer(r.employment_1)] for r in new.itertuples()], numeric=(3, 4)))


def _value(measure: str, v: object) -> str:
    if measure in ("focus", "share_europe"):
        return fmt.percent(v, 2)
    if measure in ("employment", "establishments"):
        return fmt.integer(v)
    return fmt.number(v)


def timeline(ctx: dict, starred: pd.DataFrame) -> Chart | None:
    """Employment of the region's top starred traded categories (most stars, then the largest) over every year of
    the cluster data; a year whose inputs break series (flag b) is said in the hover and the notes."""
    data = ctx["data"]
    top = starred[starred["kind"] == "traded"].head(TIMELINE_CATEGORIES)
    if len(data.years) < 2 or top.empty:
        return None
    h = data.history(years=data.years, level=ctx["level"], region=ctx["code"])
    h = h[h["category"].isin(set(top["category"]))]
    names = dict(zip(top["category"], top["category_name"], strict=True))
    frame = h.assign(series=h["category"].map(names), value=h["employment"])
    broken = frame["flags"].astype(str).str.contains(history.MARK_BREAK, regex=False)
    frame["hover"] = [(_("{series}, {year}: {n} persons") if not fmt.missing(v) else
                       _("{series}, {year}: no data")).format(series=s, year=y, n=fmt.integer(v))
                      + (" · " + _("break in series (b)") if b else "") + ("" if ok else " · " + _("not rankable"))
                      for s, y, v, b, ok in zip(frame["series"], frame["year"], frame["value"], broken,
                                                frame["counts"], strict=True)]
    title = _("Employment of the top starred clusters of {name}").format(name=ctx["name"])
    notes = [ngettext("{n} point has an input flagged b by Eurostat (break in series): compare across it with care.",
                      "{n} points have an input flagged b by Eurostat (break in series): compare across them with "
                      "care.", int(broken.sum())).format(n=fmt.integer(int(broken.sum()))) if broken.any() else "",
             _("Gaps: years without a value (confidential or missing), never zeros.")
             if frame["value"].isna().any() else ""]
    first, last = data.years[0], data.years[-1]
    fig = charts.line_chart(frame, Caption(title, _("Employment (persons) of the {n} starred traded clusters with "
                                                    "the most stars ({scheme}, {year}), {first}–{last}").format(
        n=fmt.integer(len(top)), scheme=scheme_short(ctx["scheme"]), year=ctx["year"], first=first, last=last),
        source_line(T, data, SBS_SOURCES), [n for n in notes if n]), value_title=_("Persons employed"),
        series_order=list(names.values()))
    lead = frame[frame["series"] == next(iter(names.values()))].dropna(subset=["value"]).sort_values("year")
    summary = (_("{series}: {first} persons in {first_year}, {last} in {last_year}.").format(
        series=lead["series"].iloc[0], first=fmt.integer(lead["value"].iloc[0]), first_year=lead["year"].iloc[0],
        last=fmt.integer(lead["value"].iloc[-1]), last_year=lead["year"].iloc[-1]) if len(lead) >= 2 else title)
    return Chart("timeline", title, summary, fig)


def trends(ctx: dict, context: pd.DataFrame, starred: pd.DataFrame | None = None) -> Section:
    data = ctx["data"]
    section = Section("trends", _("Trends"), [
        (_("Cluster growth needs employment by category in at least two years; this dataset has {n} year(s) of "
           "cluster data ({years}), so the trends below come from the Labour Force Survey (employment by "
           "activity) and the regional indicators.") if len(data.years) < 2 else
         _("Cluster growth needs employment by category in at least two years; the cluster data hold {n} ({years}): "
           "the timeline draws the employment of the region's top starred clusters over them, and the portfolio "
           "table gives each category's growth.")).format(n=len(data.years),
                                                          years=", ".join(map(str, data.years)))])
    line = timeline(ctx, starred) if starred is not None else None
    if line is not None:
        section.charts.append(line)
    lfs = data.lfs_employment(ctx["code"])
    lfs = lfs[lfs["sector"].isin(TREND_SECTORS)]
    if len(lfs) and lfs["value"].notna().any():
        frame = lfs.assign(series=lfs["label"].str.slice(0, 40), value=lfs["value"] / 1000)
        frame["hover"] = [_("{series}, {year}: {n} persons").format(series=s, year=y, n=fmt.integer(v * 1000))
                          if not fmt.missing(v) else _("{series}, {year}: no data").format(series=s, year=y)
                          for s, y, v in zip(frame["series"], frame["year"], frame["value"], strict=True)]
        title = _("Employment by activity in {name}").format(name=ctx["name"])
        years = sorted(frame["year"].unique())
        converted = bool(lfs["converted"].fillna(False).any())
        notes = [_("Gaps: years without a value (not available in the source).")
                 if frame["value"].isna().any() else "",
                 _("LFS employment converted from NUTS 2013 to NUTS 2021 with the JRC population weights.")
                 if converted else ""]
        fig = charts.line_chart(frame, Caption(title, _("Employment (thousand persons, aged 15+), {first}–{last}, "
                                                        "by NACE aggregate").format(first=years[0], last=years[-1]),
                                               source_line(T, data, [LFS]), [n for n in notes if n]),
                                value_title=_("Thousand persons"),
                                series_order=list(dict.fromkeys(frame.sort_values("sector")["series"])))
        total = frame[frame["sector"] == "TOTAL"].dropna(subset=["value"]).sort_values("year")
        summary = (_("Total employment went from {first} ({first_year}) to {last} ({last_year}).").format(
            first=fmt.integer(total["value"].iloc[0] * 1000), first_year=total["year"].iloc[0],
            last=fmt.integer(total["value"].iloc[-1] * 1000), last_year=total["year"].iloc[-1])
            if len(total) >= 2 else _("Employment by activity over the years."))
        section.charts.append(Chart("trend-employment", title, summary, fig))
    gdp = context[context["indicator"] == "gdp_per_capita_eur"]
    if len(gdp) >= 2:
        frame = gdp.assign(series=_("GDP per capita"), hover=[
            f"{y}: " + _("{value} EUR").format(value=fmt.integer(v)) for y, v in zip(gdp["year"], gdp["value"],
                                                                                      strict=True)])
        title = _("GDP per capita of {name}").format(name=ctx["name"])
        fig = charts.line_chart(frame, Caption(title, _("EUR per inhabitant, {first}–{last}").format(
            first=int(gdp["year"].min()), last=int(gdp["year"].max())), source_line(T, data, [INDICATORS])),
                                value_title=_("EUR per inhabitant"))
        first, last = gdp.iloc[0], gdp.iloc[-1]
        span = int(last["year"] - first["year"])
        cagr = (last["value"] / first["value"]) ** (1 / span) - 1 if span and first["value"] > 0 else float("nan")
        summary = _("GDP per capita went from {first} EUR ({first_year}) to {last} EUR ({last_year}), {cagr} a "
                    "year.").format(first=fmt.integer(first["value"]), first_year=int(first["year"]),
                                    last=fmt.integer(last["value"]), last_year=int(last["year"]),
                                    cagr=fmt.signed_percent(cagr))
        section.charts.append(Chart("trend-gdp", title, summary, fig))
    if not section.charts:
        section.absent = _("No employment or GDP series for {name} in this dataset.").format(name=ctx["name"])
    return section
