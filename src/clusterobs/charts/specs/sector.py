"""Data by sector: one category across regions, as its top 15 regions by a measure (coloured by stars) and as the
distribution of the measure (with Europe and the star threshold marked)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.palette import STAR_COLOURS
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import (
    IMPUTED_OUTLINE,
    SBS_SOURCES,
    Translator,
    conversion_note,
    imputed_words,
    measure_absent_reason,
    measure_inline,
    measure_label,
    measure_short,
    measure_unit,
    missing,
    percent,
    scheme_short,
    source_line,
    star_labels,
    unit_subtitle,
    value_text,
)
from clusterobs.store.reads import ranked_mask

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

#: the regions a top list draws
TOP = 15


def sector_measure(measure: str) -> str:
    """The measure a sector chart draws: employment in place of stars (stars colour the bars)."""
    return "employment" if measure == "stars" else measure


def check_rows(t: Translator, reads: VersionReads, category: Mapping[str, Any], rows: pd.DataFrame, measure: str,
               year: int) -> None:
    """``EmptyChart`` when no region has a value of ``measure`` for the category (not mapped, or the value absent)."""
    if rows[measure].notna().sum() == 0:
        if category.get("status") == "not covered" or rows.empty:
            raise EmptyChart(t.gettext("%(name)s is not mapped: the SBS business statistics do not cover enough of "
                                       "its industries.") % {"name": category["name"]})
        raise EmptyChart(t.gettext("No region has a value of “%(measure)s” for %(name)s: %(why)s") % {
            "measure": measure_label(t, measure), "name": category["name"],
            "why": measure_absent_reason(t, reads, measure, year)})


def sector_top(t: Translator, reads: VersionReads, *, category: Mapping[str, Any], rows: pd.DataFrame, measure: str,
               level: int, scheme: str, year: int, min_coverage: float, url: Callable[[str], str] | None = None,
               filename: str = "sector-top") -> ChartOut:
    """The top regions of the category (``category``: its ``name`` in the reader's language, ``status``) by
    ``measure`` (``rows``: the category's regions with ``measure``, stars under ``scheme``; ``url``: a region's
    page)."""
    measure = sector_measure(measure)
    check_rows(t, reads, category, rows, measure, year)
    ok = ranked_mask(rows)
    have = rows[rows[measure].notna() & ok]
    if have.empty:
        raise EmptyChart(t.gettext("No region of %(name)s can be ranked: every value lacks data or coverage.")
                         % {"name": category["name"]})
    not_ranked = int((rows[measure].notna() & ~ok).sum())
    top = have.sort_values([measure, "region"], ascending=[False, True]).head(TOP).copy()
    top["label"] = [f"{r.region_name} ({r.region})" for r in top.itertuples()]
    top["value"] = top[measure].astype(float)
    top["value_text"] = [value_text(t, measure, v) for v in top["value"]]
    top["imputed"] = top["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    top["url"] = [url(c) for c in top["region"]] if url else ""
    labels, short = star_labels(t), measure_short(t, measure)
    top["hover"] = [f"<b>{r.region_name}</b> ({r.region})<br>{short}: {r.value_text}<br>"
                    f"{labels[int(r.stars)]}" + (f"<br>{imputed_words(t, r.imputed_share)}" if r.imputed else "")
                    for r in top.itertuples()]
    colours = [STAR_COLOURS[int(s)] for s in top["stars"]]
    title = t.gettext("%(category)s: top regions by %(measure)s") % {"category": category["name"],
                                                                     "measure": measure_inline(t, measure)}
    subtitle = (unit_subtitle(t, measure, year=year, level=level, scheme=scheme) + " · "
                + t.gettext("bar colour: stars"))
    notes = [t.gettext("%(n)s of %(total)s regions have no value (not ranked).") % {
        "n": int(rows[measure].isna().sum()), "total": len(rows)} if rows[measure].isna().any() else "",
        t.ngettext("%(n)s region with a value is not ranked: coverage below %(min)s of the category's industries, "
                   "split from an older region by population, or a no-data region (listed in the table with the "
                   "reason).",
                   "%(n)s regions with a value are not ranked: coverage below %(min)s of the category's industries, "
                   "split from an older region by population, or a no-data region (listed in the table with the "
                   "reason).", not_ranked) % {"n": not_ranked, "min": percent(t, min_coverage, 0)}
        if not_ranked else "",
        t.gettext("Hatched bars: at least %(share)s of the value imputed.") % {"share": percent(t, IMPUTED_OUTLINE, 0)}
        if top["imputed"].any() else "", conversion_note(t, level, reads.years)]
    notes = [n for n in notes if n]
    fig = charts.ranked_bars(top, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes),
                             value_title=f"{measure_label(t, measure)} ({measure_unit(t, measure)})",
                             colours=colours,
                             reference=1.0 if measure == "lq" else 0.0 if measure == "growth" else None,
                             reference_label=t.gettext("Europe (LQ = 1)") if measure == "lq"
                             else t.gettext("no growth"))
    summary = t.gettext("Top region for %(category)s by %(measure)s: %(first)s; %(n)s regions ranked.") % {
        "category": category["name"], "measure": measure_inline(t, measure),
        "first": f"{top['label'].iloc[0]}, {top['value_text'].iloc[0]}", "n": len(have)}
    table = [[t.gettext("Rank"), t.gettext("Region"), short, t.gettext("Stars")]] + [
        [str(i + 1), r.label, r.value_text, str(int(r.stars))] for i, r in enumerate(top.itertuples())]
    return ChartOut("sector-top", fig, title, summary, table, filename, notes)


def sector_distribution(t: Translator, reads: VersionReads, *, category: Mapping[str, Any], rows: pd.DataFrame,
                        measure: str, level: int, scheme: str, year: int, region: str | None = None,
                        threshold: Mapping[str, Any] | None = None,
                        filename: str = "sector-distribution") -> ChartOut:
    """How ``measure`` is distributed across the category's regions (``rows`` as for ``sector_top``), with Europe
    (LQ = 1), the star threshold (``threshold``: the engine's ``threshold``, ``percentile`` and whether it is
    ``pooled`` over every traded cell, for employment and focus) and ``region`` marked."""
    measure = sector_measure(measure)
    check_rows(t, reads, category, rows, measure, year)
    ok = ranked_mask(rows)
    values = pd.to_numeric(rows[measure], errors="coerce").astype(float).where(ok)
    have = values.dropna()
    if have.empty:
        raise EmptyChart(t.gettext("No region of %(name)s can be ranked: every value lacks data or coverage.")
                         % {"name": category["name"]})
    not_ranked = int((rows[measure].notna() & ~ok).sum())
    positive = have[have > 0]
    log = measure in ("employment", "lq", "focus", "share_europe") and len(positive) > 0
    refs: list[tuple[float, str]] = []
    if measure == "lq":
        refs += [(1.0, t.gettext("Europe (LQ = 1)")), (2.0, t.gettext("LQ = 2 (star)"))]
    elif measure == "growth":
        refs.append((0.0, t.gettext("no growth")))
    elif measure in ("employment", "focus") and threshold is not None:
        # the engine's threshold (size: p90 of the category's rankable regions; focus under ECO 2007: p90 of every
        # rankable traded cell, categories pooled), as the star tests applied it
        refs.append((threshold["threshold"], t.gettext("star threshold (%(scheme)s, p%(p)s of all traded cells)")
                     % {"scheme": scheme_short(scheme), "p": threshold["percentile"]} if threshold["pooled"]
                     else t.gettext("star threshold (%(scheme)s, p%(p)s of the category's regions)")
                     % {"scheme": scheme_short(scheme), "p": threshold["percentile"]}))
    if region and region in set(rows["region"]):
        v = values[(rows["region"] == region).to_numpy()].iloc[0]
        if not missing(v):
            refs.append((float(v), str(region)))
    title = t.gettext("%(category)s: %(measure)s across regions") % {"category": category["name"],
                                                                     "measure": measure_inline(t, measure)}
    subtitle = unit_subtitle(t, measure, year=year, level=level) + (" · " + t.gettext("log scale") if log else "")
    notes = []
    if rows[measure].isna().any():
        notes.append(t.gettext("%(n)s of %(total)s regions have no value (not counted).")
                     % {"n": int(rows[measure].isna().sum()), "total": len(rows)})
    if not_ranked:
        notes.append(t.ngettext("%(n)s region whose value cannot be ranked is not counted (coverage, split region or "
                                "no-data region).",
                                "%(n)s regions whose value cannot be ranked are not counted (coverage, split region "
                                "or no-data region).", not_ranked) % {"n": not_ranked})
    if log and len(positive) < len(have):
        notes.append(t.gettext("%(n)s regions with zero are left out of the log scale.")
                     % {"n": len(have) - len(positive)})
    notes.append(conversion_note(t, level, reads.years))
    notes = [n for n in notes if n]
    hover = t.gettext("%(from)s to %(to)s: %(n)s regions") % {"from": "%{customdata[0]:.3g}",
                                                              "to": "%{customdata[1]:.3g}", "n": "%{y}"}
    fig = charts.histogram(pd.DataFrame({"value": have}),
                           Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes),
                           value_title=f"{measure_label(t, measure)} ({measure_unit(t, measure)})",
                           count_title=t.gettext("Regions"), references=refs, log=log, hover=hover)
    median = float(have.median())
    summary = t.gettext("%(n)s regions; median %(measure)s %(median)s, highest %(max)s.") % {
        "n": len(have), "measure": measure_inline(t, measure), "median": value_text(t, measure, median),
        "max": value_text(t, measure, float(have.max()))}
    qs = np.quantile(have, [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) if len(have) else []
    table = [[t.gettext("Statistic"), measure_short(t, measure)]] + [
        [name, value_text(t, measure, v)] for name, v in zip(
            [t.gettext("minimum"), "p10", "p25", t.gettext("median"), "p75", "p90", t.gettext("maximum")], qs,
            strict=True)]
    return ChartOut("sector-distribution", fig, title, summary, table, filename, notes)
