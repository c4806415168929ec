"""A cluster over the years: one region × category's employment, LQ, stars under every scheme and wage per person
employed, year by year, with the years Eurostat flagged (the web's cluster page and its image export)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import (
    NOT_AVAILABLE,
    Translator,
    conversion_note,
    flag,
    flag_words,
    growth_text,
    level_label,
    measure_short,
    missing,
    sbs_sources,
    scheme_short,
    source_line,
    star_labels,
    value_text,
    years_text,
)

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads


def _series(t: Translator, rows: pd.DataFrame, column: str, series: str, measure: str) -> pd.DataFrame:
    values = pd.to_numeric(rows[column], errors="coerce").astype(float)
    hover = [f"<b>{series}</b> {int(y)}: {value_text(t, measure, v)}"
             + (f"<br>{flag_words(t, f)}" if flag_words(t, f) else "")
             for y, v, f in zip(rows["year"], values, rows["flags"], strict=True)]
    return pd.DataFrame({"series": series, "year": rows["year"].astype(int), "value": values, "hover": hover})


def cluster_timeline(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], category: Mapping[str, Any],
                     rows: pd.DataFrame, stars: pd.DataFrame, filename: str = "cluster-timeline") -> ChartOut:
    """The region's (``name``, ``level``) cells of the category (``name`` in the reader's language) over the years
    (``rows``: one per year, the cell's measures, flags and growth break; ``stars``: its stars under every scheme
    year by year)."""
    level = int(region["level"])
    if rows["employment"].notna().sum() == 0:
        raise EmptyChart(t.gettext("%(category)s in %(region)s has no employment data in any year (missing or "
                                   "confidential in the source, or the category is not mapped).")
                         % {"category": category["name"], "region": region["name"]})
    years = [int(y) for y in rows["year"]]
    employment, lq = measure_short(t, "employment"), measure_short(t, "lq")
    panels = [charts.Panel(employment + " " + t.gettext("(persons)"),
                           _series(t, rows, "employment", employment, "employment")),
              charts.Panel(lq + " " + t.gettext("(Europe = 1)"), _series(t, rows, "lq", lq, "lq"), reference=1.0)]
    schemes = list(dict.fromkeys(reads.schemes["scheme"]))
    labels = star_labels(t)
    star_frames = []
    for scheme in schemes:
        part = stars[stars["scheme"] == scheme].set_index("year").reindex(years)
        label = t.gettext("Stars, %(scheme)s") % {"scheme": scheme_short(scheme)}
        values = pd.to_numeric(part["stars"], errors="coerce").astype(float).to_numpy()
        star_frames.append(pd.DataFrame({
            "series": label, "year": years, "value": values,
            "hover": [f"<b>{label}</b> {y}: " + (labels[int(v)] if not missing(v) else t.gettext("not ranked"))
                      for y, v in zip(years, values, strict=True)]}))
    panels.append(charts.Panel(t.gettext("Stars by scheme"), pd.concat(star_frames, ignore_index=True),
                               y_range=(-0.3, 3.3), integer=True))
    wage = t.gettext("Wage per person employed")
    has_wages = rows["productivity"].notna().any()
    if has_wages:
        panels.append(charts.Panel(wage + " " + t.gettext("(EUR)"),
                                   _series(t, rows, "productivity", wage, "productivity")))
    broken = rows["growth_break"].fillna(False).astype(bool)
    flagged = rows[rows["flags"].notna() | broken]
    flagged = pd.DataFrame({"year": flagged["year"].astype(int),
                            "text": [f if isinstance(f, str) and f else "b" for f in flagged["flags"]]})
    title = t.gettext("%(category)s in %(region)s over the years") % {"category": category["name"],
                                                                      "region": region["name"]}
    subtitle = " · ".join([t.gettext("Employment, location quotient, stars by scheme and wage per person employed"),
                           years_text(years), f"{level_label(t, level)}, NUTS 2021"])
    notes = []
    if len(flagged):
        notes.append(t.gettext("Open diamonds: years whose inputs carry a Eurostat flag (%(list)s).") % {
            "list": "; ".join(f"{y}: {flag_words(t, x)}" for y, x in zip(flagged["year"], flagged["text"],
                                                                       strict=True))})
    if broken.any():
        notes.append(t.gettext("A break in series (b) lies inside the growth window of %(years)s: the growth there "
                               "compares figures compiled differently.") % {"years": ", ".join(
                                   str(int(y)) for y in rows.loc[broken, "year"])})
    gaps = [int(y) for y, e in zip(rows["year"], rows["employment"], strict=True) if missing(e)]
    if gaps:
        notes.append(t.gettext("No employment data in %(years)s (missing or confidential in the source): a gap, not a "
                               "zero.") % {"years": ", ".join(map(str, gaps))})
    unranked = [int(y) for y, e, r in zip(rows["year"], rows["employment"], rows["rankable"], strict=True)
                if not missing(e) and not flag(r)]
    if unranked:
        notes.append(t.gettext("Not ranked, so without stars, in %(years)s (coverage below 80%% of the category's "
                               "industries, or a region split by population).")
                     % {"years": ", ".join(map(str, unranked))})
    if not has_wages:
        notes.append(t.gettext("Wage per person employed is not drawn: the data of these years have no wages."))
    notes.append(conversion_note(t, level, reads.years))
    notes = [n for n in notes if n]
    caption = Caption(title, subtitle, source_line(t, reads, sbs_sources(reads)), notes)
    fig = charts.timeline_panels(panels, caption, years=years, flagged=flagged,
                                 flagged_label=t.gettext("Flagged year (Eurostat flag)"))
    have = rows.dropna(subset=["employment"])
    first, last = have.iloc[0], have.iloc[-1]
    summary = t.gettext("Employment in %(category)s in %(region)s: %(first)s in %(y0)s, %(last)s in %(y1)s.") % {
        "category": category["name"], "region": region["name"],
        "first": value_text(t, "employment", first["employment"]), "y0": int(first["year"]),
        "last": value_text(t, "employment", last["employment"]), "y1": int(last["year"])}
    if not missing(last["growth"]):
        summary += " " + t.gettext("Growth: %(growth)s.") % {
            "growth": growth_text(t, last["growth"], last["growth_window"], last["year"])}
    star_cols = [t.gettext("Stars, %(scheme)s") % {"scheme": scheme_short(s)} for s in schemes]
    table = [[t.gettext("Year"), employment, lq, *star_cols, wage, measure_short(t, "growth"), t.gettext("Flags")]]
    by_scheme = {s: stars[stars["scheme"] == s].set_index("year")["stars"] for s in schemes}
    for r in rows.itertuples():
        cells = [str(int(r.year)), value_text(t, "employment", r.employment), value_text(t, "lq", r.lq)]
        for s in schemes:
            v = by_scheme[s].get(r.year)
            cells.append(NOT_AVAILABLE if v is None or missing(v) else str(int(v)))
        cells += [value_text(t, "productivity", r.productivity), growth_text(t, r.growth, r.growth_window, r.year),
                  flag_words(t, r.flags)]
        table.append(cells)
    return ChartOut("cluster-timeline", fig, title, summary, table, filename, notes)
