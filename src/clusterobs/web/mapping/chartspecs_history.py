"""The charts of the years (registered in ``chart_registry.CHARTS`` by the mapping app's ``ready()``): a cluster's
timeline."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs.text import SBS, conversion_note, scheme_short, source_line, star_labels, years_text
from clusterobs.web.chart_registry import ChartOut, EmptyChart, chart, filename
from clusterobs.web.labels import (
    LEVEL_LABELS,
    MEASURE_SHORT,
    NOT_AVAILABLE,
    T,
    flag,
    flag_words,
    growth_text,
    missing,
    value_text,
)
from clusterobs.web.mapping import history, selectors
from clusterobs.web.query import Query


def sbs_sources() -> list[str]:
    """The SBS sources of the published version (the 2015 file and, once ingested, the 2008–2015 history)."""
    ids = list(dict.fromkeys(selectors.sources()["source"]))
    return [s for s in ids if s.startswith("eurostat_sbs")] or [SBS]


def _series(rows: pd.DataFrame, column: str, series: str, measure: str) -> pd.DataFrame:
    values = pd.to_numeric(rows[column], errors="coerce").astype(float)
    hover = [f"<b>{series}</b> {int(y)}: {value_text(measure, v)}" + (f"<br>{flag_words(f)}" if flag_words(f) else "")
             for y, v, f in zip(rows["year"], values, rows["flags"], strict=True)]
    return pd.DataFrame({"series": series, "year": rows["year"].astype(int), "value": values, "hover": hover})


@chart("cluster-timeline", "region", "category")
def cluster_timeline(q: Query) -> ChartOut:
    """Region × category: employment, LQ, stars under every scheme and wage per person over the years."""
    if not q.region or not q.category:
        raise selectors.BadParameter("region", "`region` and `category` are required for the cluster timeline.")
    region, cat = selectors.region_get(q.region), selectors.category_get(q.category)
    level = int(region["level"])
    rows = history.cluster_timeline(q.region, q.category, scheme=q.scheme)
    if rows["employment"].notna().sum() == 0:
        raise EmptyChart(_("%(category)s in %(region)s has no employment data in any year (missing or confidential "
                           "in the source, or the category is not mapped).")
                         % {"category": cat["name"], "region": region["name"]})
    years = [int(y) for y in rows["year"]]
    panels = [charts.Panel(str(MEASURE_SHORT["employment"]) + " " + _("(persons)"),
                           _series(rows, "employment", str(MEASURE_SHORT["employment"]), "employment")),
              charts.Panel(str(MEASURE_SHORT["lq"]) + " " + _("(Europe = 1)"),
                           _series(rows, "lq", str(MEASURE_SHORT["lq"]), "lq"), reference=1.0)]
    stars = history.timeline_stars(q.region, q.category)
    schemes = list(dict.fromkeys(selectors.data().schemes["scheme"]))
    star_frames = []
    for scheme in schemes:
        part = stars[stars["scheme"] == scheme].set_index("year").reindex(years)
        label = _("Stars, %(scheme)s") % {"scheme": scheme_short(scheme)}
        values = pd.to_numeric(part["stars"], errors="coerce").astype(float).to_numpy()
        star_frames.append(pd.DataFrame({
            "series": label, "year": years, "value": values,
            "hover": [f"<b>{label}</b> {y}: " + (star_labels(T)[int(v)] if not missing(v) else _("not ranked"))
                      for y, v in zip(years, values, strict=True)]}))
    panels.append(charts.Panel(_("Stars by scheme"), pd.concat(star_frames, ignore_index=True), y_range=(-0.3, 3.3),
                               integer=True))
    wage = _("Wage per person employed")
    has_wages = rows["productivity"].notna().any()
    if has_wages:
        panels.append(charts.Panel(wage + " " + _("(EUR)"), _series(rows, "productivity", wage, "productivity")))
    flagged = rows[rows["flags"].notna() | rows["growth_break"].fillna(False).astype(bool)]
    flagged = pd.DataFrame({"year": flagged["year"].astype(int),
                            "text": [f if isinstance(f, str) and f else "b" for f in flagged["flags"]]})
    title = _("%(category)s in %(region)s over the years") % {"category": cat["name"], "region": region["name"]}
    subtitle = " · ".join([_("Employment, location quotient, stars by scheme and wage per person employed"),
                           years_text(years), f"{LEVEL_LABELS[level]}, NUTS 2021"])
    notes = []
    if len(flagged):
        notes.append(_("Open diamonds: years whose inputs carry a Eurostat flag (%(list)s).") % {
            "list": "; ".join(f"{y}: {flag_words(t)}" for y, t in zip(flagged["year"], flagged["text"], strict=True))})
    if rows["growth_break"].fillna(False).astype(bool).any():
        notes.append(_("A break in series (b) lies inside the growth window of %(years)s: the growth there compares "
                       "figures compiled differently.") % {"years": ", ".join(
                           str(int(y)) for y in rows.loc[rows["growth_break"].fillna(False).astype(bool), "year"])})
    gaps = [int(y) for y, e in zip(rows["year"], rows["employment"], strict=True) if missing(e)]
    if gaps:
        notes.append(_("No employment data in %(years)s (missing or confidential in the source): a gap, not a zero.")
                     % {"years": ", ".join(map(str, gaps))})
    unranked = [int(y) for y, e, r in zip(rows["year"], rows["employment"], rows["rankable"], strict=True)
                if not missing(e) and not flag(r)]
    if unranked:
        notes.append(_("Not ranked, so without stars, in %(years)s (coverage below 80%% of the category's "
                       "industries, or a region split by population).") % {"years": ", ".join(map(str, unranked))})
    if not has_wages:
        notes.append(_("Wage per person employed is not drawn: the data of these years have no wages."))
    notes.append(conversion_note(T, level, selectors.data().years))
    notes = [n for n in notes if n]
    caption = Caption(title, subtitle, source_line(T, selectors.data(), sbs_sources()), notes)
    fig = charts.timeline_panels(panels, caption, years=years, flagged=flagged,
                                 flagged_label=_("Flagged year (Eurostat flag)"))
    have = rows.dropna(subset=["employment"])
    first, last = have.iloc[0], have.iloc[-1]
    summary = _("Employment in %(category)s in %(region)s: %(first)s in %(y0)s, %(last)s in %(y1)s.") % {
        "category": cat["name"], "region": region["name"], "first": value_text("employment", first["employment"]),
        "y0": int(first["year"]), "last": value_text("employment", last["employment"]), "y1": int(last["year"])}
    if not missing(last["growth"]):
        summary += " " + _("Growth: %(growth)s.") % {
            "growth": growth_text(last["growth"], last["growth_window"], last["year"])}
    star_cols = [_("Stars, %(scheme)s") % {"scheme": scheme_short(s)} for s in schemes]
    table = [[_("Year"), str(MEASURE_SHORT["employment"]), str(MEASURE_SHORT["lq"]), *star_cols, wage,
              str(MEASURE_SHORT["growth"]), _("Flags")]]
    by_scheme = {s: stars[stars["scheme"] == s].set_index("year")["stars"] for s in schemes}
    for r in rows.itertuples():
        cells = [str(int(r.year)), value_text("employment", r.employment), value_text("lq", r.lq)]
        for s in schemes:
            v = by_scheme[s].get(r.year)
            cells.append(NOT_AVAILABLE if v is None or missing(v) else str(int(v)))
        cells += [value_text("productivity", r.productivity), growth_text(r.growth, r.growth_window, r.year),
                  flag_words(r.flags)]
        table.append(cells)
    return ChartOut("cluster-timeline", fig, title, summary, table,
                    filename("cluster-timeline", q, q.region, q.category), notes)
