"""The region scorecard: a region's cluster portfolio, its stars and why, trends, and (when the dataset holds
them) linkages and opportunities, scoreboard strengths and weaknesses, and peers."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from clusterobs import __version__, charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.maps import bbox
from clusterobs.reports import formatting as fmt
from clusterobs.reports.common import (
    GISCO,
    INDICATORS,
    LEVEL_LABELS,
    LFS,
    SBS,
    STAR_LABELS,
    conversion_note,
    methodology_annex,
    scheme_short,
    source_line,
    sources_annex,
)
from clusterobs.reports.data import DEFAULT_SCHEME, NUTS_VERSION, ReportData, ReportError
from clusterobs.reports.model import Chart, OnChart, Report, Section, Table, announcing
from clusterobs.reports.scorecard_optional import linkages_section, peers_section, scoreboard_section

IMPUTED_OUTLINE = 0.1
#: rows of the portfolio table (the chart draws every category; the web and the API list them all)
PORTFOLIO_ROWS = 20
#: rows of the star strip (as the web's region overview)
STAR_ROWS = 20
TREND_SECTORS = ("TOTAL", "B-E", "F", "G-I", "J", "M_N")
CONTEXT = [("gdp_per_capita_eur", "GDP per capita (EUR)", 0), ("region_population", "Population", 0),
           ("unemployment_rate_t", "Unemployment rate (%)", 1), ("disp_income_household",
                                                                  "Disposable household income (EUR)", 0)]


def build_scorecard(data: ReportData, code: str, *, scheme: str = DEFAULT_SCHEME, year: int | None = None,
                    on_chart: OnChart | None = None) -> Report:
    """The scorecard of region ``code``; ``on_chart`` gets each chart as soon as its section is built (the
    renderer's ``start_drawing``: the charts are drawn while the rest is built)."""
    scheme, year = data.check_scheme(scheme), data.check_year(year)
    region = data.region(code)
    level = int(region["level"])
    if level not in (0, 1, 2):
        raise ReportError(f"region {code} is at NUTS level {level}; scorecards cover levels 0-2")
    name = str(region["name"])
    every = data.measures(scheme=None, year=year, level=level, region=code)  # every scheme: the star strip's
    m = every[every["scheme"] == scheme].reset_index(drop=True)
    traded = m[m["kind"] == "traded"]
    starred = m[(m["stars"] > 0) & m["employment"].notna()].sort_values(["stars", "employment"],
                                                                        ascending=[False, False])
    emp = traded["employment"].sum()
    facts = {
        "code": code, "name": name, "country": region["country"], "level": level, "scheme": scheme, "year": year,
        "starred": [{"category": r.category, "category_name": r.category_name, "stars": int(r.stars),
                     "employment": float(r.employment)} for r in starred.itertuples()],
        "by_stars": {int(k): int(v) for k, v in starred["stars"].value_counts().sort_index().items()},
        "traded_employment": float(emp) if len(traded) else None,
        "starred_share": float(traded.loc[traded["stars"] > 0, "employment"].sum() / emp) if emp else None,
    }
    ctx = dict(data=data, code=code, name=name, level=level, scheme=scheme, year=year)
    context = data.region_indicators(code)
    built = announcing(on_chart)
    sections = [
        built(overview(ctx, region, m, starred, facts, context)),
        built(portfolio(ctx, traded)),
        built(stars(ctx, every, starred)),
        built(trends(ctx, context)),
        built(linkages_section(data, code, name, year=year, level=level, starred=starred)),
        scoreboard_section(data, code, name),
        peers_section(data, code, name),
        methodology_annex(data, [scheme]),
        sources_annex(data, used=[SBS, GISCO, INDICATORS, LFS, "nace_rev2", "naics2017_nace", "us_cmp_cluster_naics",
                                  "jrc_nuts_converter"], checksums=False),
    ]
    report = Report("region", f"region_{code}_{scheme}_{year}", f"Region scorecard: {name} ({code})",
                    f"Cluster portfolio and stars ({data.scheme_title(scheme)}), {year}, {LEVEL_LABELS[level]} "
                    f"(NUTS {NUTS_VERSION})", sections, facts=facts, version=data.version,
                    code_version=str(data.meta.get("code_version") or __version__),
                    created_at=str(data.meta.get("created_at") or ""),
                    generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    report.highlights = [
        ("Starred clusters", fmt.integer(len(starred))),
        ("3-star clusters", fmt.integer(facts["by_stars"].get(3, 0))),
        ("Traded employment (SBS)", fmt.integer(facts["traded_employment"])),
        ("In starred clusters", fmt.percent(facts["starred_share"])),
    ]
    gdp = context[context["indicator"] == "gdp_per_capita_eur"]
    if len(gdp):
        last = gdp.iloc[-1]
        report.highlights.append((f"GDP per capita {int(last['year'])}", f"{fmt.integer(last['value'])} EUR"))
    return report


def _caption(ctx: dict, title: str, what: str, sources: list[str], notes: list[str] = ()) -> Caption:
    notes = [n for n in [*notes, conversion_note(ctx["level"])] if n]
    sub = " · ".join([what, str(ctx["year"]), f"{LEVEL_LABELS[ctx['level']]}, NUTS {NUTS_VERSION}"])
    return Caption(title, sub, source_line(ctx["data"], sources), notes)


def _locator(ctx: dict, country: str) -> Chart:
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
    title = f"Where {ctx['name']} is"
    fig = charts.locator_outline(geo, code, ctx["name"], Caption(title, f"{LEVEL_LABELS[level]}, NUTS {NUTS_VERSION}",
                                                             source_line(data, [GISCO])),
                             country_codes=same, labels=(ctx["name"], "Same country", "Other regions"), height=300)
    return Chart("locator", title, f"{ctx['name']} ({code}) and the regions around it.", fig)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def overview(ctx: dict, region: dict, m: pd.DataFrame, starred: pd.DataFrame, facts: dict,
             context: pd.DataFrame) -> Section:
    n = len(starred)
    best = ", ".join(f"{r.category_name} ({fmt.stars(r.stars)})" for r in starred.head(3).itertuples())
    paragraphs = [
        f"{ctx['name']} ({ctx['code']}, {region['country']}) has {n} starred cluster{'s' if n != 1 else ''} under "
        f"{scheme_short(ctx['scheme'])} in {ctx['year']}" + (f"; the strongest: {best}." if n else "."),
        f"Its traded categories employ {fmt.integer(facts['traded_employment'])} persons (SBS), "
        f"{fmt.percent(facts['starred_share'])} of them in starred clusters."]
    rows = []
    for key, label, digits in CONTEXT:
        sub = context[context["indicator"] == key]
        if len(sub):
            last = sub.iloc[-1]
            rows.append([label, fmt.number(last["value"], digits), str(int(last["year"]))])
    tables = [Table("Regional context (Eurostat regional indicators, latest year)", ["Indicator", "Value", "Year"],
                    rows, numeric=(1, 2))] if rows else []
    if not rows:
        paragraphs.append("The Eurostat regional indicators have no value for this region's code.")
    return Section("overview", "Overview", paragraphs, charts=[_locator(ctx, str(region["country"]))],
                   tables=tables)


def portfolio(ctx: dict, traded: pd.DataFrame) -> Section:
    rows, growth = charts.portfolio_rows(traded, imputed_outline=IMPUTED_OUTLINE)  # the web's portfolio chart's rows
    rows["url"] = ""
    rows["hover"] = [f"<b>{r.category_name}</b><br>{STAR_LABELS[int(r.stars)]}<br>LQ {fmt.number(r.lq)}"
                     for r in rows.itertuples()]
    drawn = rows[rows["drawn"]]
    section = Section("portfolio", "Cluster portfolio", [
        "Every traded category of the region: its size (employment), specialisation (location quotient, LQ: the "
        "category's share of the region's traded employment relative to Europe's) and focus."])
    if drawn.empty:
        section.absent = f"No traded category of {ctx['name']} has employment data in {ctx['year']}."
        return section
    title = f"Cluster portfolio of {ctx['name']}"
    notes = ["Growth needs two years of data; SBS 2015 has one, so the x axis shows employment." if not growth
             else "", f"{len(rows) - len(drawn)} traded categories without employment data are not drawn."
             if len(rows) > len(drawn) else "",
             f"{int(drawn['imputed'].sum())} bubbles with a black outline have at least 10% of the value imputed."
             if drawn["imputed"].any() else ""]
    fig = charts.bubble_portfolio(
        drawn, _caption(ctx, title, f"x: {'growth' if growth else 'employment'}; y: location quotient (log scale); "
                                    f"bubble area: employment; colour: stars ({scheme_short(ctx['scheme'])})",
                        [SBS], notes),
        x_title="Employment growth (CAGR)" if growth else "Employment (persons, log scale)",
        y_title="Location quotient", star_labels=STAR_LABELS, x_log=not growth,
        x_reference=0.0 if growth else None, x_reference_label="no growth",
        lq_labels=("LQ = 1: Europe's structure", "LQ = 2: specialisation star"))
    spec = drawn.sort_values("lq", ascending=False)
    summary = (f"{len(drawn)} traded categories of {ctx['name']}; most specialised: "
               + ", ".join(f"{r.category_name} (LQ {fmt.number(r.lq)})" for r in spec.head(3).itertuples()) + ".")
    section.charts.append(Chart("portfolio", title, summary, fig))
    table_rows = rows.sort_values(["stars", "employment"], ascending=[False, False])
    shown, rest = table_rows.head(PORTFOLIO_ROWS), table_rows.iloc[PORTFOLIO_ROWS:]
    note = ""
    if len(rest):
        starred_rest = int(((rest["stars"] > 0) & rest["employment"].notna()).sum())
        note = (f"The other {len(rest)} traded categories"
                + (f" ({starred_rest} of them starred: see their conditions under Stars and their reasons)"
                   if starred_rest else "")
                + f" are in the chart above; every row is on the observatory's portfolio page of {ctx['code']} "
                  f"(/regions/{ctx['code']}/portfolio/) and as CSV: /api/regions/{ctx['code']}/portfolio?scheme="
                  f"{ctx['scheme']}&year={ctx['year']}&fmt=csv.")
    section.tables.append(Table(
        f"Traded categories of {ctx['name']}, {ctx['year']}"
        + (f": the {len(shown)} with the most stars, then the largest" if len(rest) else ""),
        ["Category", "Stars", "Employment", "LQ", "Focus", "Share of Europe", "Imputed"],
        [[r.category_name, fmt.stars(r.stars) if not fmt.missing(r.employment) else fmt.NOT_AVAILABLE,
          fmt.integer(r.employment), fmt.number(r.lq), fmt.percent(r.focus, 2), fmt.percent(r.share_europe, 2),
          fmt.percent(r.imputed_share, 0)] for r in shown.itertuples()], numeric=(2, 3, 4, 5, 6), note=note))
    return section


def stars(ctx: dict, every: pd.DataFrame, starred: pd.DataFrame) -> Section:
    """``every``: the region's measures under every scheme."""
    data = ctx["data"]
    schemes = list(dict.fromkeys(data.schemes["scheme"]))
    section = Section("stars", "Stars and their reasons", [
        "Each test a cluster passes earns a star; the table gives, for every starred cluster, each condition "
        "with the region's value and the threshold used (from the dataset's star tests)."])
    cells, order, more = charts.region_star_cells(every, schemes, rows=STAR_ROWS)  # the web's region-stars cells
    if not order:
        section.absent = f"{ctx['name']} has no starred cluster under any scheme in {ctx['year']}."
        return section
    cells["column"] = [scheme_short(s) for s in cells["scheme"]]
    cells["url"] = ""
    cells["hover"] = [f"{r.category_name}: {r.tests_passed or ''}" for r in cells.itertuples()]
    title = f"Starred clusters of {ctx['name']}"
    fig = charts.star_strip(cells, _caption(ctx, title, "Stars under each scheme (tests passed)", [SBS], [
        f"The {len(order)} categories with the most stars; {more} more in the table below." if more > 0 else "",
        "US CMP has one test (strong cluster): one star at most. EOCIC 2019's productivity test needs wages, "
        "which SBS 2015 lacks."]), star_labels=STAR_LABELS, no_data_label="No data",
        columns=[scheme_short(s) for s in schemes], rows=order)
    section.charts.append(Chart("region-stars", title, f"{len(starred)} starred clusters under "
                                f"{scheme_short(ctx['scheme'])}.", fig))
    if len(starred):
        tests = data.star_tests(region=ctx["code"], scheme=ctx["scheme"], year=ctx["year"], level=ctx["level"])
        tests = tests[tests["category"].isin(starred["category"])]
        names = dict(zip(starred["category"], starred["category_name"], strict=True))
        stars_of = dict(zip(starred["category"], starred["stars"], strict=True))
        rows = []
        for cat in starred["category"]:
            conds = tests[tests["category"] == cat]
            reasons = "; ".join(
                f"{'skipped' if r.skipped else '✓' if r.passed else '✗'} {r.test}: {_value(r.measure, r.value)} "
                f"{r.op} {_value(r.measure, r.threshold)}" for r in conds.itertuples())
            rows.append([names[cat], fmt.stars(stars_of[cat]), reasons])
        section.tables.append(Table(
            f"Why the stars: each condition of {scheme_short(ctx['scheme'])} for the starred clusters of "
            f"{ctx['name']} (✓ passed, ✗ not passed: the region's value, then the threshold)",
            ["Cluster", "Stars", "Conditions: value against threshold"], rows))
    return section


def _value(measure: str, v: object) -> str:
    if measure in ("focus", "share_europe"):
        return fmt.percent(v, 2)
    if measure in ("employment", "establishments"):
        return fmt.integer(v)
    return fmt.number(v)


def trends(ctx: dict, context: pd.DataFrame) -> Section:
    data = ctx["data"]
    section = Section("trends", "Trends", [
        "Cluster growth needs employment by category in at least two years; "
        + (f"this dataset has {len(data.years)} year(s) of cluster data ({', '.join(map(str, data.years))}), "
           "so the trends below come from the Labour Force Survey (employment by activity) and the regional "
           "indicators." if len(data.years) < 2 else "the cluster measures give it per category.")])
    lfs = data.lfs_employment(ctx["code"])
    lfs = lfs[lfs["sector"].isin(TREND_SECTORS)]
    if len(lfs) and lfs["value"].notna().any():
        frame = lfs.assign(series=lfs["label"].str.slice(0, 40), value=lfs["value"] / 1000)
        frame["hover"] = [f"{s}, {y}: {fmt.integer(v * 1000)} persons" if not fmt.missing(v) else f"{s}, {y}: no data"
                          for s, y, v in zip(frame["series"], frame["year"], frame["value"], strict=True)]
        title = f"Employment by activity in {ctx['name']}"
        years = sorted(frame["year"].unique())
        converted = bool(lfs["converted"].fillna(False).any())
        notes = ["Gaps: years without a value (not available in the source)."
                 if frame["value"].isna().any() else "",
                 "LFS employment converted from NUTS 2013 to NUTS 2021 with the JRC population weights."
                 if converted else ""]
        fig = charts.line_chart(frame, Caption(title, f"Employment (thousand persons, aged 15+), {years[0]}–"
                                               f"{years[-1]}, by NACE aggregate", source_line(data, [LFS]),
                                               [n for n in notes if n]), value_title="Thousand persons",
                                series_order=list(dict.fromkeys(frame.sort_values("sector")["series"])))
        total = frame[frame["sector"] == "TOTAL"].dropna(subset=["value"]).sort_values("year")
        summary = (f"Total employment went from {fmt.integer(total['value'].iloc[0] * 1000)} ({total['year'].iloc[0]}) "
                   f"to {fmt.integer(total['value'].iloc[-1] * 1000)} ({total['year'].iloc[-1]})."
                   if len(total) >= 2 else "Employment by activity over the years.")
        section.charts.append(Chart("trend-employment", title, summary, fig))
    gdp = context[context["indicator"] == "gdp_per_capita_eur"]
    if len(gdp) >= 2:
        frame = gdp.assign(series="GDP per capita", hover=[f"{y}: {fmt.integer(v)} EUR" for y, v in
                                                          zip(gdp["year"], gdp["value"], strict=True)])
        title = f"GDP per capita of {ctx['name']}"
        fig = charts.line_chart(frame, Caption(title, f"EUR per inhabitant, {int(gdp['year'].min())}–"
                                               f"{int(gdp['year'].max())}", source_line(data, [INDICATORS])),
                                value_title="EUR per inhabitant")
        first, last = gdp.iloc[0], gdp.iloc[-1]
        span = int(last["year"] - first["year"])
        cagr = (last["value"] / first["value"]) ** (1 / span) - 1 if span and first["value"] > 0 else float("nan")
        summary = (f"GDP per capita went from {fmt.integer(first['value'])} EUR ({int(first['year'])}) to "
                   f"{fmt.integer(last['value'])} EUR ({int(last['year'])}), {fmt.signed_percent(cagr)} a year.")
        section.charts.append(Chart("trend-gdp", title, summary, fig))
    if not section.charts:
        section.absent = f"No employment or GDP series for {ctx['name']} in this dataset."
    return section
