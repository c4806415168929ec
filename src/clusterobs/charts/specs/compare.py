"""Regions compared: their starred traded categories side by side, and a measure of their leading categories on one
shared axis (the web's compare page)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs import charts
from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import (
    IMPUTED_OUTLINE,
    NOT_AVAILABLE,
    SBS_SOURCES,
    Translator,
    cell_caveat,
    conversion_note,
    imputed_words,
    measure_absent_reason,
    measure_label,
    measure_short,
    measure_unit,
    missing,
    percent,
    scheme_short,
    scheme_title,
    source_line,
    star_labels,
    test_label,
    unit_subtitle,
    value_text,
)
from clusterobs.store.reads import ranked_mask, star_values

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

#: the measures a comparison draws (another: the LQ)
COMPARE_MEASURES = ("lq", "employment", "focus", "share_europe")
#: a category's page for a region at its level (a click)
CategoryUrl = Callable[[str, int, str], str]


def series_name(code: str, name: str) -> str:
    """A region's name in a legend or a column: its code and at most 22 characters of its name."""
    short = name if len(name) <= 22 else name[:21] + "…"
    return f"{code} {short}"


def compare_stars(t: Translator, reads: VersionReads, *, regions: Sequence[Mapping[str, Any]],
                  measures: pd.DataFrame, scheme: str, year: int, no_data_words: Mapping[str, str],
                  min_coverage: float, max_split: float, url: CategoryUrl | None = None,
                  filename: str = "compare-stars") -> ChartOut:
    """The stars of the traded categories starred in one of ``regions`` (each ``code``, ``name``), in each of them
    (``measures``: their cells under ``scheme`` in ``year``, each at its region's ``level``; ``no_data_words``: why
    a no-data region has no stars, by code; ``url``: a category's page for a region at its level)."""
    codes = [str(r["code"]) for r in regions]
    names = {str(r["code"]): series_name(str(r["code"]), str(r["name"])) for r in regions}
    m = measures[measures["kind"] == "traded"]  # counts of starred clusters are of traded categories (as headlines)
    ok = ranked_mask(m)
    m = m.assign(stars=star_values(m).where(ok))  # not ranked (coverage, split, no-data region): no stars
    starred = m[(m["stars"] > 0) & ok]
    if starred.empty:
        raise EmptyChart(t.gettext("None of these regions has a starred cluster under %(scheme)s in %(year)s.")
                         % {"scheme": scheme_short(scheme), "year": year})
    order = starred.groupby("category_name")["stars"].sum().sort_values(ascending=False).head(30)
    cells = m[m["category_name"].isin(order.index)].copy()
    cells["row"] = cells["category_name"]
    cells["column"] = [names[c] for c in cells["region"]]
    cells["stars"] = cells["stars"].astype(float)
    cells["url"] = [url(c, int(lv), r) for c, lv, r in zip(cells["category"], cells["level"], cells["region"],
                                                           strict=True)] if url else ""
    labels = star_labels(t)

    def why(r: Any) -> str:
        return (no_data_words.get(r.region, "")
                or cell_caveat(t, getattr(r, "employment", None), getattr(r, "rankable", None),
                               getattr(r, "coverage", None), getattr(r, "split_share", None),
                               min_coverage=min_coverage, max_split=max_split)
                or t.gettext("No data"))

    cells["hover"] = [f"<b>{r.category_name}</b><br>{names[r.region]}<br>"
                      + (labels[int(r.stars)] if not missing(r.stars) else why(r))
                      + (f" ({', '.join(test_label(t, x) for x in r.tests_passed.split(',') if x)})"
                         if not missing(r.stars) and r.tests_passed else "") for r in cells.itertuples()]
    title = t.gettext("Starred clusters compared")
    subtitle = " · ".join([t.gettext("Stars per category and region (%(scheme)s)")
                           % {"scheme": scheme_title(t, reads, scheme)}, str(year), "NUTS 2021"])
    notes = [t.gettext("Traded categories with at least one star in one of the regions (at most 30)."),
             t.gettext("×: no data, or a cell that cannot be ranked (coverage, split region, no-data region); hover "
                       "for the reason.") if cells["stars"].isna().any() else "",
             conversion_note(t, max(int(lv) for lv in m["level"]), reads.years)]
    fig = charts.star_strip(cells, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES),
                                           [n for n in notes if n]),
                            star_labels=labels, no_data_label=t.gettext("No data or not ranked"),
                            columns=[names[c] for c in codes], rows=list(order.index))
    counts = starred.groupby("region").size()
    summary = "; ".join(f"{names[c]}: {int(counts.get(c, 0))}" for c in codes)
    summary = t.gettext("Starred traded clusters per region: %(list)s.") % {"list": summary}
    table = [[t.gettext("Category"), *[names[c] for c in codes]]]
    for cat_name in order.index:
        row = [str(cat_name)]
        for c in codes:
            v = cells[(cells["category_name"] == cat_name) & (cells["region"] == c)]["stars"]
            row.append(NOT_AVAILABLE if v.empty or missing(v.iloc[0]) else str(int(v.iloc[0])))
        table.append(row)
    return ChartOut("compare-stars", fig, title, summary, table, filename, notes)


def compare_measure(t: Translator, reads: VersionReads, *, regions: Sequence[Mapping[str, Any]],
                    measures: pd.DataFrame, measure: str, level: int, year: int, url: CategoryUrl | None = None,
                    filename: str = "compare-measure") -> ChartOut:
    """``measure`` (one of ``COMPARE_MEASURES``, else the LQ) of the three highest traded categories of each of
    ``regions``, on one shared axis (``measures`` as for ``compare_stars``; ``level``: the page's, in the
    subtitle)."""
    measure = measure if measure in COMPARE_MEASURES else "lq"
    codes = [str(r["code"]) for r in regions]
    names = {str(r["code"]): series_name(str(r["code"]), str(r["name"])) for r in regions}
    m = measures[measures["kind"] == "traded"]
    ok = ranked_mask(m)
    not_ranked = int((m[measure].notna() & ~ok).sum())
    m = m.assign(**{measure: pd.to_numeric(m[measure], errors="coerce").where(ok)})  # never compare what isn't ranked
    have = m[m[measure].notna()]
    if have.empty:
        raise EmptyChart(t.gettext("No value of “%(measure)s” for these regions: %(why)s") % {
            "measure": measure_label(t, measure), "why": measure_absent_reason(t, reads, measure, year)})
    top = have.sort_values(measure, ascending=False).groupby("region").head(3)
    cats = list(dict.fromkeys(top.sort_values(measure, ascending=False)["category_name"]))[:15]
    rows = m[m["category_name"].isin(cats)].copy()
    rows["label"] = rows["category_name"]
    rows["series"] = [names[c] for c in rows["region"]]
    rows["value"] = rows[measure].astype(float)
    rows["imputed"] = rows["imputed_share"].fillna(0) >= IMPUTED_OUTLINE
    rows["url"] = [url(c, int(lv), r) for c, lv, r in zip(rows["category"], rows["level"], rows["region"],
                                                          strict=True)] if url else ""
    short = measure_short(t, measure)
    rows["hover"] = [f"<b>{r.category_name}</b><br>{names[r.region]}<br>{short}: "
                     f"{value_text(t, measure, r.value)}"
                     + (f"<br>{imputed_words(t, r.imputed_share)}" if r.imputed else "") for r in rows.itertuples()]
    rows = rows.set_index("label").loc[cats].reset_index()
    title = t.gettext("%(measure)s compared: the leading traded categories") % {"measure": short}
    subtitle = unit_subtitle(t, measure, year=year, level=level)
    notes = [t.gettext("The three highest categories of each region (at most 15); one shared axis."),
             t.gettext("Hatched bars: at least %(share)s of the value imputed.")
             % {"share": percent(t, IMPUTED_OUTLINE, 0)} if rows["imputed"].any() else "",
             t.gettext("Missing bars: no data, or a value that cannot be ranked (coverage, split region, no-data "
                       "region).") if rows["value"].isna().any() or not_ranked else ""]
    notes = [n for n in notes if n]
    fig = charts.grouped_bars(rows, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), notes),
                              value_title=f"{measure_label(t, measure)} ({measure_unit(t, measure)})",
                              series_order=[names[c] for c in codes],
                              reference=1.0 if measure == "lq" else 0.0 if measure == "growth" else None,
                              reference_label=t.gettext("Europe (LQ = 1)") if measure == "lq"
                              else t.gettext("no growth"))
    summary = t.gettext("%(measure)s of %(n)s categories in %(r)s regions, on one shared axis.") % {
        "measure": short, "n": len(cats), "r": len(codes)}
    table = [[t.gettext("Category"), *[names[c] for c in codes]]]
    for cat_name in cats:
        row = [cat_name]
        for c in codes:
            v = rows[(rows["label"] == cat_name) & (rows["region"] == c)]["value"]
            row.append(value_text(t, measure, v.iloc[0]) if len(v) else NOT_AVAILABLE)
        table.append(row)
    return ChartOut("compare-measure", fig, title, summary, table, filename, notes)
