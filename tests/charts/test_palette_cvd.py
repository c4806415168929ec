"""Chart and map colours stay distinguishable for colour-blind readers.

Each palette is passed through a simulation of full protanopia, deuteranopia and tritanopia (Machado, Oliveira and
Fernandes 2009, severity 1, as implemented by ``coloraide``) and the CIEDE2000 colour difference is measured between
what such a reader sees: adjacent classes of every ordered scale, the "No data" grey against every class, and every
pair of the categorical series colours. A ΔE00 of about 1 is a just-noticeable difference for patches side by side;
the bounds below (measured minima, rounded down) keep every pair several times above it.
"""

from __future__ import annotations

from itertools import combinations, pairwise

import pytest

from clusterobs.charts import palette

Color = pytest.importorskip("coloraide").Color

VISIONS = ("normal", "protan", "deutan", "tritan")
#: ordered class scales drawn on the maps and charts (sequential(k) for the k classes classing.py uses)
SCALES = {
    "stars": list(palette.STAR_COLOURS.values()),
    "lq": palette.LQ_COLOURS,
    "growth": palette.GROWTH_COLOURS,
    **{f"sequential({k})": palette.sequential(k) for k in range(3, 8)},
}
#: minimum ΔE00 between adjacent classes, between "No data" and any class, between any two series colours
MIN_ADJACENT = 6.0
MIN_NO_DATA = 6.0
MIN_SERIES = 8.0


def seen(hex_colour: str, vision: str) -> Color:
    c = Color(hex_colour)
    return c if vision == "normal" else c.filter(vision, method="machado")


def delta_e(a: str, b: str, vision: str) -> float:
    return seen(a, vision).delta_e(seen(b, vision), method="2000")


def test_simulation_is_the_published_one() -> None:
    """Anchors: deuteranopia maps pure red and green close together, tritanopia keeps them apart; the ΔE00 of
    black and white is 100."""
    assert delta_e("#000000", "#ffffff", "normal") == pytest.approx(100.0, abs=0.01)
    assert delta_e("#ff0000", "#00ff00", "deutan") < 25 < delta_e("#ff0000", "#00ff00", "tritan")
    assert seen("#0000ff", "tritan").convert("srgb").to_string(hex=True) != "#0000ff"


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("scale", list(SCALES))
def test_adjacent_classes_stay_apart(scale: str, vision: str) -> None:
    colours = SCALES[scale]
    worst = min((delta_e(a, b, vision), a, b) for a, b in pairwise(colours))
    assert worst[0] >= MIN_ADJACENT, f"{scale} for {vision} vision: {worst[1]} and {worst[2]} ΔE00 {worst[0]:.1f}"


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("scale", list(SCALES))
def test_no_data_differs_from_every_class(scale: str, vision: str) -> None:
    worst = min((delta_e(palette.NO_DATA, c, vision), c) for c in SCALES[scale])
    assert worst[0] >= MIN_NO_DATA, f"No data vs {worst[1]} ({scale}, {vision}): ΔE00 {worst[0]:.1f}"


@pytest.mark.parametrize("vision", VISIONS)
def test_series_colours_pairwise_apart(vision: str) -> None:
    worst = min((delta_e(a, b, vision), a, b) for a, b in combinations(palette.SERIES, 2))
    assert worst[0] >= MIN_SERIES, f"series {worst[1]} and {worst[2]} for {vision} vision: ΔE00 {worst[0]:.1f}"


def test_a_palette_that_is_not_safe_fails() -> None:
    """The check has teeth: a muted red and a green of equal lightness, far apart for most readers (ΔE00 50), fall
    below the bound for deuteranopes (2.0)."""
    red, green = "#cc6666", "#669966"
    assert delta_e(red, green, "normal") > 45
    assert delta_e(red, green, "deutan") < MIN_ADJACENT
