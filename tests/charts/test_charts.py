"""The figure builders, without Django or a store: classes, "No data" legend entries, captions, hatching."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from clusterobs import charts
from clusterobs.charts.caption import Caption, caption_of, caption_space, without_caption
from clusterobs.charts.classing import nice
from clusterobs.charts.palette import IMPUTED_OUTLINE, NO_DATA, STAR_COLOURS


def square(code: str, x: float) -> dict:
    return {"type": "Feature", "id": code, "properties": {"name": code.lower()},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 50], [x + 1, 50], [x + 1, 51], [x, 51], [x, 50]]]}}


GEO = {"type": "FeatureCollection", "features": [square(c, i) for i, c in enumerate(["AA1", "AA2", "BB1", "BB2"])]}


def frame(values: dict[str, float], imputed: set[str] = frozenset()) -> pd.DataFrame:
    return pd.DataFrame([{"code": c, "name": c, "value": v, "value_text": f"{v}", "detail": "", "url": f"/r/{c}/",
                          "imputed": c in imputed} for c, v in values.items()])


def test_nice_rounds_to_two_significant_digits():
    assert nice(0.012345) == 0.012
    assert nice(23456) == 23000
    assert nice(0) == 0


def test_quantile_classes_are_nice_increasing_and_keep_missing_apart():
    values = pd.Series([0.0, 1, 2, 3, 5, 8, 13, 21, 34, 55, np.nan])
    cls = charts.data_classes(values, k=5)
    lowers = [b.lower for b in cls.bins if b.lower is not None]
    assert lowers == sorted(lowers) and len(cls.bins) == 5
    assigned = cls.assign(values)
    assert assigned.iloc[-1] == -1  # missing is no class, not the lowest
    assert assigned.iloc[0] == 0  # zero is a value: the lowest class
    assert cls.bins[0].label.startswith("x <") and cls.bins[-1].label.startswith("x ≥")


def test_equal_intervals_trim_outliers():
    values = pd.Series([*range(100), 10_000])
    cls = charts.data_classes(values, k=5, method="equal")
    assert cls.bins[-1].lower is not None and cls.bins[-1].lower < 200  # one outlier does not flatten the map


def test_lq_classes_are_fixed_and_centred_on_one():
    cls = charts.lq_classes()
    idx = cls.assign(pd.Series([0.1, 1.0, 1.9, 2.0, 9.0]))
    assert list(idx) == [0, 2, 3, 4, 5]
    assert cls.bins[2].label == "0.8 ≤ LQ < 1.25"


def test_choropleth_keeps_regions_without_data_on_the_map_with_their_own_entry():
    cls = charts.star_classes(["0 stars", "1 star", "2 stars", "3 stars"])
    fig = charts.choropleth_map(frame({"AA1": 0, "AA2": 3, "BB1": math.nan}, imputed={"AA2"}), GEO, cls,
                                Caption("T", "S", "Source: test", ["a note"]))
    by_name = {t.name.split(" (")[0]: t for t in fig.data if t.type == "choroplethmap"}
    assert set(by_name) == {"0 stars", "3 stars", "No data", "Partly imputed"}
    assert set(by_name["No data"].locations) == {"BB1", "BB2"}  # BB2 is absent from the frame: no data too
    assert by_name["No data"].colorscale[0][1] == NO_DATA != STAR_COLOURS[0]
    overlay = by_name["Partly imputed"]
    assert list(overlay.locations) == ["AA2"]
    # the overlay is an outline only: its fill is transparent, so the class colour under it stays visible
    assert {c for _, c in overlay.colorscale} == {"rgba(0,0,0,0)"}
    assert overlay.marker.line.color == IMPUTED_OUTLINE and overlay.showlegend is False
    # its legend entry is a line of the outline's colour (a choropleth swatch would show the transparent fill)
    key = next(t for t in fig.data if t.type == "scattermap" and t.name.startswith("Partly imputed"))
    assert key.showlegend and key.line.color == IMPUTED_OUTLINE and key.mode == "lines"
    assert fig.layout.map.style == "white-bg"
    footer = next(a for a in fig.layout.annotations if a.name == "caption-footer")
    assert "Source: test" in footer.text and "a note" in footer.text


def test_symbol_map_sizes_circles_by_area():
    fig = charts.symbol_map(frame({"AA1": 100.0, "AA2": 400.0}), GEO, {"AA1": (0.5, 50.5), "AA2": (1.5, 50.5)},
                            Caption("T"))
    circles = next(t for t in fig.data if t.type == "scattermap" and t.lat[0] is not None)
    assert circles.marker.sizemode == "area"
    assert list(circles.marker.size) == [400.0, 100.0]


def test_ranked_bars_hatch_imputed_and_label_zero():
    df = pd.DataFrame({"label": ["a", "b", "c"], "value": [0.0, 2.0, np.nan], "value_text": ["0", "2", ":"],
                       "imputed": [False, True, False], "url": ["", "", ""], "hover": ["", "", ""]})
    fig = charts.ranked_bars(df, Caption("T"), value_title="v")
    bars = fig.data[0]
    assert list(bars.y) == ["a", "b"]  # the missing value is not a bar
    assert list(bars.text) == ["0", "2"]
    assert list(bars.marker.pattern.shape) == ["", "/"]


def test_caption_wraps_long_footers():
    long = "word " * 80
    fig = charts.captioned(pytest.importorskip("plotly.graph_objects").Figure(), Caption("T", source=long))
    footer = next(a for a in fig.layout.annotations if a.name == "caption-footer")
    assert footer.text.count("<br>") >= 2
    assert fig.layout.meta["title"] == "T"


# ---- natural breaks (Fisher-Jenks) -----------------------------------------------------------------------------


def _sse(groups) -> float:
    return float(sum(((np.asarray(g) - np.mean(g)) ** 2).sum() for g in groups))


def test_jenks_two_classes_by_hand():
    # [1, 2, 6, 7, 8] in 2 classes, all four splits by hand: {1}{2,6,7,8} 20.75, {1,2}{6,7,8} 0.5 + 2 = 2.5,
    # {1,2,6}{7,8} 14 + 0.5 = 14.5, {1,2,6,7}{8} 26: the second wins; the roundest break in (2, 6] is 4
    from clusterobs.charts.classing import jenks_breaks, jenks_classes

    classes = jenks_classes([8, 1, 7, 2, 6], 2)
    assert [c.tolist() for c in classes] == [[1, 2], [6, 7, 8]]
    assert _sse(classes) == pytest.approx(2.5)
    assert jenks_breaks([8, 1, 7, 2, 6], 2) == [4]


def test_jenks_three_clusters_and_an_outlier_by_hand():
    from clusterobs.charts.classing import jenks_breaks, jenks_classes

    values = [1, 2, 3, 10, 11, 12, 30, 31]
    assert [c.tolist() for c in jenks_classes(values, 3)] == [[1, 2, 3], [10, 11, 12], [30, 31]]
    # midpoints 6.5 and 21 rounded to one significant digit: 6 (round half to even) in (3, 10], 20 in (12, 30]
    assert jenks_breaks(values, 3) == [6, 20]
    # one outlier gets its own class, where quantiles would split the bulk: median 2.25
    skewed = [1, 1.5, 2, 2.5, 3, 50]
    assert jenks_breaks(skewed, 2) == [30]
    assert charts.data_classes(pd.Series(skewed), k=2, method="quantile").bins[1].lower == pytest.approx(2.2)


def test_jenks_matches_brute_force_on_small_samples():
    import itertools

    from clusterobs.charts.classing import jenks_classes

    rng = np.random.default_rng(7)
    for _ in range(40):
        n, k = int(rng.integers(3, 9)), int(rng.integers(2, 5))
        v = np.sort(np.round(rng.lognormal(0, 1, n), 2))
        k = min(k, len(np.unique(v)))
        best = min(_sse(np.split(v, cuts)) for cuts in itertools.combinations(range(1, n), k - 1))
        got = jenks_classes(v, k)
        assert len(got) == k and _sse(got) == pytest.approx(best)


def test_jenks_classing_keeps_every_value_in_its_class_and_missing_apart():
    values = pd.Series([1, 2, 3, 10, 11, 12, 30, 31, None])
    classing = charts.data_classes(values, k=3, method="jenks", name="x")
    assert classing.method == "jenks" and [b.lower for b in classing.bins] == [None, 6, 20]
    assert classing.assign(values).tolist() == [0, 0, 0, 1, 1, 1, 2, 2, -1]
    assert [b.label for b in classing.bins] == ["x < 6", "6 ≤ x < 20", "x ≥ 20"]
    # fewer distinct values than classes: as many classes as values
    assert len(charts.data_classes(pd.Series([5, 5, 7]), k=5, method="jenks").bins) == 2


def test_without_caption_keeps_the_plot_and_drops_only_the_caption():
    rows = pd.DataFrame({"series": ["a", "a"], "year": [2010, 2011], "value": [1.0, 2.0], "hover": ["", ""]})
    subtitle = "s" + " long subtitle" * 10  # 141 characters: two lines at 100
    caption = Caption("Title", subtitle, "Source: somewhere", ["First note", "Second note"])
    fig = charts.line_chart(rows, caption, value_title="v", height=300)
    spec = without_caption(fig)
    layout = spec["layout"]
    assert caption_space(caption) == (40 + 17 * 2, 15 * 3)
    # the builder's own margins stay: 30 px of legend above the plot (plus 8 of padding), 36 + 12 below it
    assert (layout["margin"]["t"], layout["margin"]["b"]) == (30 + 8, 36 + 12)
    assert layout["height"] - layout["margin"]["t"] - layout["margin"]["b"] == 300  # the plot's own height
    assert "title" not in layout
    assert [a.get("name") for a in layout.get("annotations", [])] == []
    assert fig.layout.title.text == "<b>Title</b>" and fig.layout.height == 300 + 30 + 74 + 36 + 12 + 45
    assert caption_of(fig) == caption


def test_locator_outline_draws_the_region_last_and_keeps_regions_inside_holes_visible():
    ring = [[0, 60], [4, 60], [4, 64], [0, 64], [0, 60]]
    hole = [[1, 61], [2, 61], [2, 62], [1, 62], [1, 61]]
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "AA1", "properties": {"name": "Ring"},
         "geometry": {"type": "Polygon", "coordinates": [ring, hole]}},
        {"type": "Feature", "id": "AA2", "properties": {"name": "Inner"},
         "geometry": {"type": "Polygon", "coordinates": [hole]}},
        {"type": "Feature", "id": "BB1", "properties": {"name": "Islands"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[[[5, 60], [6, 60], [6, 61], [5, 60]]],
                                                              [[[7, 60], [8, 60], [8, 61], [7, 60]]]]}}]}
    fig = charts.locator_outline(geo, "AA2", "Inner region", Caption("Where", "NUTS 2"), country_codes=["AA1", "AA2"],
                                 labels=("Region", "Same country", "Other"))
    names = [t.name for t in fig.data]
    # the holed ring (same country) first, then the other regions, the region itself last
    assert names == ["Same country", "Other", "Inner region"]
    assert [t.fill for t in fig.data] == ["toself"] * 3
    same, other, target = fig.data
    assert list(zip(target.x, target.y, strict=True)) == [tuple(p) for p in hole]
    assert list(zip(same.x, same.y, strict=True)) == [tuple(p) for p in ring]  # the hole is not filled over
    # two islands: one trace, the rings apart (None between them, each filled on its own)
    assert list(other.x) == [5, 6, 6, 5, None, 7, 8, 8, 7] and list(other.y)[4] is None
    assert [t.showlegend for t in fig.data] == [True, True, True]
    # framed on the region, latitude stretched by 1/cos(latitude of its centre): an equirectangular view
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(61.5)))
    assert fig.layout.xaxis.range[0] < 1 < 2 < fig.layout.xaxis.range[1]
