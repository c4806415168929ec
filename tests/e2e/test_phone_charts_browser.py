"""Phones in a real browser: at 390 px the star strips of the region and compare pages keep every star column
inside the plot area, their legend sits below the plot without covering it or the source line, and no page
scrolls sideways; the compare page's form folds into the filter drawer once regions are chosen.

Geometry is read from what Plotly drew (the SVG's marker paths, the plot area's drag rectangle, the legend and the
caption footer), never from the figure JSON the server sent.
"""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

PHONE = {"width": 390, "height": 844}
YEAR = 2015
PAGES = {
    "region-stars": f"/regions/DE11/?scheme=eco2007&year={YEAR}",
    "compare-stars": f"/compare/?regions=DE11,FR10,ITC4&scheme=eco2007&year={YEAR}",
}

#: the drawn geometry of chart slot ``chart-<name>``: plot area, figure, legend, footer and every marker
GEOMETRY_JS = """
(name) => {
  const slot = document.getElementById('chart-' + name);
  const gd = slot && slot.querySelector('.js-plotly-plot');
  if (!gd) return null;
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const xa = gd._fullLayout.xaxis;
  const points = Array.from(gd.querySelectorAll('.scatterlayer .trace path.point')).map((p) => {
    const r = p.getBoundingClientRect();
    const i = p.__data__ ? Math.round(p.__data__.x) : -1;  // a category axis: the category's index
    return {x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, w: r.width,
            column: i >= 0 ? String(xa._categories[i]) : null};
  });
  const footer = Array.from(gd.querySelectorAll('.annotation'))
    .filter((a) => /Source/.test(a.textContent)).map(box)[0] || null;
  return {
    plot: box(gd.querySelector('.nsewdrag')), figure: box(gd.querySelector('.main-svg')),
    legend: box(gd.querySelector('.legend')), footer: footer, points: points,
    columns: (xa.categoryarray || []).map(String), ticks: Array.from(gd.querySelectorAll('.xtick text'))
      .map((t) => ({text: t.textContent, box: box(t)})),
    legendItems: gd.querySelectorAll('.legend .traces').length,
  };
}
"""


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] - 0.5 and b["left"] < a["right"] - 0.5 and \
        a["top"] < b["bottom"] - 0.5 and b["top"] < a["bottom"] - 0.5


def inside(p: dict[str, float], box: dict[str, float]) -> bool:
    return box["left"] <= p["x"] <= box["right"] and box["top"] <= p["y"] <= box["bottom"]


def phone_geometry(context, name: str) -> tuple[Any, dict[str, Any]]:
    page = context.new_page()
    page.set_viewport_size(PHONE)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    response = page.goto(PAGES[name])
    assert response is not None and response.status == 200
    page.wait_for_selector(f"#chart-{name}.drawn .js-plotly-plot .main-svg", state="visible")
    geo = page.evaluate(GEOMETRY_JS, name)
    assert geo is not None, f"no chart {name}"
    assert not errors, errors
    return page, geo


@pytest.mark.parametrize("name", list(PAGES))
def test_star_strip_keeps_its_star_columns_at_390_px(context, name):
    page, geo = phone_geometry(context, name)
    plot, fig = geo["plot"], geo["figure"]
    assert fig["right"] - fig["left"] <= PHONE["width"]
    # the plot area keeps most of the width: the category labels are abbreviated, not given 340 px
    assert plot["right"] - plot["left"] >= 0.5 * (fig["right"] - fig["left"]), (plot, fig)
    points = geo["points"]
    assert len(points) > 0
    outside = [p for p in points if not inside(p, plot)]
    assert not outside, f"{len(outside)} of {len(points)} markers outside the plot area {plot}: {outside[:3]}"
    # every column of the grid has its markers, side by side in the plot area
    columns = geo["columns"]
    assert len(columns) >= 3 if name == "region-stars" else len(columns) == 3
    drawn = {p["column"] for p in points}
    assert set(columns) <= drawn, (columns, drawn)
    xs = sorted({round(p["x"]) for p in points})
    assert len(xs) == len(columns) and xs[0] > plot["left"] and xs[-1] < plot["right"]
    # the column labels stay readable: no two of them overlap
    ticks = [t["box"] for t in geo["ticks"]]
    assert len(ticks) == len(columns)
    assert not any(overlap(a, b) for i, a in enumerate(ticks) for b in ticks[i + 1:]), geo["ticks"]
    # the legend sits below the plot, inside the figure, and covers neither the plot nor the source line
    legend = geo["legend"]
    assert legend is not None and geo["legendItems"] >= 2
    assert not overlap(legend, plot) and legend["top"] >= plot["bottom"], (legend, plot)
    assert legend["bottom"] <= fig["bottom"] + 1 and legend["right"] <= fig["right"] + 1, (legend, fig)
    assert geo["footer"] is not None and not overlap(legend, geo["footer"]), (legend, geo["footer"])
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert page.evaluate("() => document.body.scrollWidth <= window.innerWidth")


def test_star_strip_on_a_wide_screen_keeps_full_category_names(context):
    page = context.new_page()
    page.goto(PAGES["region-stars"])
    page.wait_for_selector("#chart-region-stars.drawn .js-plotly-plot .main-svg", state="visible")
    labels = page.evaluate("() => Array.from(document.querySelectorAll('#chart-region-stars .ytick text'))"
                           ".map((t) => t.textContent)")
    assert labels and not any(label.endswith("\u2026") for label in labels), labels


def test_compare_form_folds_once_regions_are_chosen_at_390_px(context):
    page = context.new_page()
    page.set_viewport_size(PHONE)
    page.goto(PAGES["compare-stars"])
    summary = page.locator("details.filter-drawer > summary")
    assert summary.is_visible() and not page.locator("#f-regions").is_visible()
    assert "DE11" in summary.inner_text() and "ITC4" in summary.inner_text()  # says what is compared
    summary.click()
    assert page.locator("#f-regions").is_visible()
    page.goto("/compare/")  # nothing chosen yet: the form stays open
    assert page.locator("#f-regions").is_visible()
