"""A region's cluster portfolio: its traded categories by growth (or employment), specialisation (LQ), size and
stars (the web's portfolio page and its image export).

The region scorecard draws its own portfolio (``reports.scorecard.portfolio``), on purpose: a printed page cannot
list the cells that cannot be ranked beside the chart, so it draws them as grey bubbles without stars ("Not
rankable") where the web leaves them out and lists them in the Table tab, and its hover is the short one of a
figure nobody hovers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import (
    IMPUTED_OUTLINE,
    SBS_SOURCES,
    Translator,
    conversion_note,
    imputed_words,
    level_label,
    measure_label,
    measure_short,
    percent,
    region_words,
    scheme_short,
    source_line,
    star_labels,
    value_text,
)
from clusterobs.store.reads import ranked_mask

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads


def portfolio(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], rows: pd.DataFrame, scheme: str,
              year: int, quality: pd.DataFrame, max_split: float, url: Callable[[str], str] | None = None,
              filename: str = "portfolio") -> ChartOut:
    """The region's (``code``, ``name``, ``level``) traded categories that can be ranked as bubbles (``rows``: the
    region's cells of every kind under ``scheme`` in ``year``, ``category_name`` in the reader's language);
    ``quality``: the version's ``region_data_quality`` at the region's level (why a no-data region has nothing to
    draw); ``url``: a category's page."""
    name, level = region["name"], int(region["level"])
    traded = rows[rows["kind"] == "traded"]
    ok = ranked_mask(traded)
    not_ranked = int((traded["employment"].notna() & ~ok).sum())
    if not ok.any() and not_ranked:
        raise EmptyChart(region_words(t, quality, str(region["code"]), max_split=max_split) or t.gettext(
            "No traded category of %(name)s can be ranked in %(year)s (coverage, or a region split by population): "
            "the table lists them with the reason.") % {"name": name, "year": year})
    # only the clusters that can be ranked are drawn: colour is stars, and a cell that cannot be ranked has none
    cells, growth = charts.portfolio_rows(traded[ok], imputed_outline=IMPUTED_OUTLINE)
    cells["url"] = [url(c) for c in cells["category"]] if url else ""
    labels = star_labels(t)
    short = {m: measure_short(t, m) for m in ("employment", "lq", "focus", "growth")}
    cells["hover"] = [
        f"<b>{r.category_name}</b><br>{labels[int(r.stars)]}<br>"
        f"{short['employment']}: {value_text(t, 'employment', r.employment)}<br>"
        f"{short['lq']}: {value_text(t, 'lq', r.lq)}<br>{short['focus']}: {value_text(t, 'focus', r.focus)}"
        + (f"<br>{short['growth']}: {value_text(t, 'growth', r.growth)}" if growth else "")
        + (f"<br>{imputed_words(t, r.imputed_share)}" if r.imputed else "") for r in cells.itertuples()]
    drawn = cells[cells["drawn"]]
    if drawn.empty:
        raise EmptyChart(t.gettext("No traded category of %(name)s has employment data in %(year)s.")
                         % {"name": name, "year": year})
    title = t.gettext("Cluster portfolio of %(name)s") % {"name": name}
    x_title = measure_label(t, "growth") if growth else t.gettext("Employment (persons, log scale)")
    subtitle = " · ".join([
        t.gettext("x: %(x)s; y: location quotient (log scale); bubble area: employment; colour: stars (%(scheme)s)")
        % {"x": short["growth"] if growth else short["employment"], "scheme": scheme_short(scheme)},
        str(year), f"{level_label(t, level)}, NUTS 2021"])
    notes = []
    if not growth:
        notes.append(t.gettext("No traded cluster of this region has a growth figure in %(year)s, so the x axis shows "
                               "employment.") % {"year": year} if len(reads.years) > 1 else
                     t.gettext("Growth needs two years of data; the dataset has one (%(year)s), so the x axis shows "
                               "employment.") % {"year": year})
    if not_ranked:
        notes.append(t.ngettext("%(n)s traded category that cannot be ranked (coverage or split region) is not "
                                "drawn; the table lists it with the reason.",
                                "%(n)s traded categories that cannot be ranked (coverage or split region) are not "
                                "drawn; the table lists them with the reason.", not_ranked) % {"n": not_ranked})
    left_out = len(cells) - len(drawn)
    if left_out:
        notes.append(t.ngettext("%(n)s traded category without employment data is not drawn.",
                                "%(n)s traded categories without employment data or with zero employment are not "
                                "drawn.", left_out) % {"n": left_out})
    if drawn["imputed"].any():
        notes.append(t.gettext("%(n)s bubbles with a black outline have at least %(share)s of the value imputed.")
                     % {"n": int(drawn["imputed"].sum()), "share": percent(t, IMPUTED_OUTLINE, 0)})
    notes.append(conversion_note(t, level, reads.years))
    notes = [n for n in notes if n]
    fig = charts.bubble_portfolio(
        drawn, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes), x_title=x_title,
        y_title=t.gettext("Location quotient"),
        star_labels=labels, x_log=not growth, x_reference=0.0 if growth else None,
        x_reference_label=t.gettext("no growth"), lq_labels=(t.gettext("LQ = 1: Europe's structure"),
                                                             t.gettext("LQ = 2: specialisation star")))
    spec = drawn.sort_values("lq", ascending=False)
    summary = t.gettext("%(n)s traded categories of %(name)s; most specialised: %(top)s.") % {
        "n": len(drawn), "name": name,
        "top": ", ".join(f"{r.category_name} ({short['lq']} {value_text(t, 'lq', r.lq)})"
                         for r in spec.head(3).itertuples())}
    table = [[t.gettext("Category"), t.gettext("Stars"), short["employment"], short["lq"], short["growth"]]] + [
        [r.category_name, str(int(r.stars)), value_text(t, "employment", r.employment), value_text(t, "lq", r.lq),
         value_text(t, "growth", r.growth)] for r in spec.itertuples()]
    return ChartOut("portfolio", fig, title, summary, table, filename, notes)
