"""The star strip of one region: its starred categories under each scheme (the web's region overview, its image
export and the region scorecard)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from clusterobs.charts.caption import Caption
from clusterobs.charts.specs import ChartOut, EmptyChart
from clusterobs.charts.specs.text import (
    NOT_AVAILABLE,
    SBS_SOURCES,
    Translator,
    cell_caveat,
    conversion_note,
    level_label,
    missing,
    scheme_short,
    source_line,
    star_labels,
    test_label,
    wage_note,
)
from clusterobs.charts.stars import region_star_cells, star_strip

if TYPE_CHECKING:
    from clusterobs.store.reads import VersionReads

#: the categories drawn (every one with two or three stars under some scheme, then the most stars)
ROWS = 20


def region_stars(t: Translator, reads: VersionReads, *, region: Mapping[str, Any], year: int, scheme: str,
                 measures: pd.DataFrame, min_coverage: float, max_split: float, starred: int | None = None,
                 no_data_words: str = "", url: Callable[[str], str] | None = None,
                 filename: str = "region-stars", interactive: bool = True) -> ChartOut:
    """The region's (``code``, ``name``, ``level``) starred categories under every scheme of the version.

    ``measures``: the region's cells under every scheme in ``year`` (``category_name`` in the reader's language;
    ``stars`` NaN where the cell cannot be ranked); ``min_coverage`` and ``max_split``: the engine's thresholds (a
    cell's caveat in the hover); ``starred``: the engine's count of the region's starred traded clusters under
    ``scheme`` (by default the cells'); ``no_data_words``: why the region has no data ("" when it has);
    ``url``: a category's page, for a click (none in a report); ``interactive``: the figure is drawn where a reader
    can hover (a report is printed: its notes do not send the reader to the hover)."""
    name, level = region["name"], int(region["level"])
    schemes = list(dict.fromkeys(reads.schemes["scheme"]))
    m = measures
    cells, rows, more = region_star_cells(m, schemes, rows=ROWS)
    if not rows:
        raise EmptyChart(no_data_words or t.gettext("%(name)s has no starred cluster under any scheme in %(year)s.")
                         % {"name": name, "year": year})
    labels = star_labels(t)

    def hover(r: Any) -> str:
        head = f"<b>{r.category_name}</b><br>{scheme_short(r.scheme)}: "
        if missing(r.stars):
            return head + (cell_caveat(t, getattr(r, "employment", None), getattr(r, "rankable", None),
                                       getattr(r, "coverage", None), getattr(r, "split_share", None),
                                       min_coverage=min_coverage, max_split=max_split) or t.gettext("No data"))
        passed = [test_label(t, x) for x in (r.tests_passed or "").split(",") if x]
        return head + labels[int(r.stars)] + (f" ({', '.join(passed)})" if passed else "")

    cells["column"] = [scheme_short(s) for s in cells["scheme"]]
    cells["url"] = [url(c) for c in cells["category"]] if url else ""
    cells["hover"] = [hover(r) for r in cells.itertuples()]
    title = t.gettext("Starred clusters of %(name)s") % {"name": name}
    subtitle = " · ".join([t.gettext("Stars under each scheme (tests passed)"), str(year),
                           f"{level_label(t, level)}, NUTS 2021"])
    notes = [t.gettext("US CMP has one test (strong cluster): one star at most."), wage_note(t, reads, year),
             conversion_note(t, level, reads.years)]
    if more:
        notes.insert(0, t.gettext("The %(n)s categories with the most stars; %(more)s more in the table of starred "
                                  "clusters.") % {"n": len(rows), "more": more})
    if cells["stars"].isna().any():
        notes.append(t.gettext("×: no data, or a cell that cannot be ranked (hover for the reason).") if interactive
                     else t.gettext("×: no data, or a cell that cannot be ranked."))
    fig = star_strip(cells, Caption(title, subtitle, source_line(t, reads, SBS_SOURCES), [n for n in notes if n]),
                     star_labels=labels, no_data_label=t.gettext("No data or not ranked"),
                     columns=[scheme_short(s) for s in schemes], rows=rows)
    by_scheme = m[(m["scheme"] == scheme) & (m["stars"] > 0) & m["employment"].notna() & (m["kind"] == "traded")]
    n_starred = len(by_scheme) if starred is None else starred
    summary = t.ngettext("%(name)s has %(n)s starred traded cluster under %(scheme)s",
                         "%(name)s has %(n)s starred traded clusters under %(scheme)s", n_starred) % {
        "name": name, "n": n_starred, "scheme": scheme_short(scheme)}
    if len(by_scheme):
        best = by_scheme.sort_values(["stars", "employment"], ascending=False).head(3)
        summary += ": " + ", ".join(f"{r.category_name} ({'★' * int(r.stars)})" for r in best.itertuples())
    summary += "."
    table = [[t.gettext("Category"), *[scheme_short(s) for s in schemes]]]
    stars_of: dict[tuple[Any, str], Any] = {}  # (row, scheme) -> the first cell's stars
    for key, v in zip(zip(cells["category_name"], cells["scheme"], strict=True), cells["stars"], strict=True):
        stars_of.setdefault(key, v)
    for row_name in rows:
        row = [str(row_name)]
        for s in schemes:
            v = stars_of.get((row_name, s))
            row.append(NOT_AVAILABLE if missing(v) else str(int(v)))
        table.append(row)
    return ChartOut("region-stars", fig, title, summary, table, filename, notes)
