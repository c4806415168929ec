"""Colours of every chart: colour-blind safe, no red-green pairs, "No data" distinct from zero (UX.md §2, §4)."""

from __future__ import annotations

#: Okabe-Ito, colour-blind safe (jfly.uni-koeln.de/color); black last
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
#: Okabe-Ito reordered for series on white: the darker, more distinct hues first (region comparison)
SERIES = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442", "#7f7f7f",
          "#882255"]
#: stars 0-3: a sequential blue scale; 0 stars is a value (the lightest class), never the background colour
STAR_COLOURS = {0: "#deebf7", 1: "#6baed6", 2: "#2171b5", 3: "#08306b"}
#: not available: a neutral grey, distinct from every class colour (hue-free, so also for colour-blind readers)
NO_DATA = "#b0b0b0"
#: region outlines on maps: thin, mid grey, so near-white classes still show their shape
OUTLINE = "#6f6f6f"
#: outline of regions whose value is partly imputed (an overlay, since map choropleths have no pattern fill):
#: Okabe-Ito vermillion, at least 3:1 against the lightest and the darkest class (black vanished on the darkest
#: star and viridis classes), and a hue no class palette uses
IMPUTED_OUTLINE = "#D55E00"
IMPUTED_OUTLINE_WIDTH = 1.8
#: the accent of the site (text contrast 5.1:1 on white)
ACCENT = "#0072B2"
#: LQ classes: diverging PuOr centred on 1 (orange below, purple above), neutral in the middle
LQ_COLOURS = ["#b35806", "#f1a340", "#f4efe6", "#c2c0e0", "#8073ac", "#2d004b"]
#: growth classes: diverging PuOr centred on 0 (orange for decline, purple for growth), no neutral class: the break
#: at 0 separates decline from growth (ColorBrewer PuOr, 6 classes)
GROWTH_COLOURS = ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"]
#: sequential classes: viridis, reversed so that more is darker (5 to 7 classes are sampled from it)
VIRIDIS_R = ["#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878",
             "#440154"]


def sequential(k: int) -> list[str]:
    """``k`` colours from light to dark, evenly spread along reversed viridis."""
    if k <= 1:
        return [VIRIDIS_R[-1]]
    n = len(VIRIDIS_R) - 1
    return [VIRIDIS_R[round(i * n / (k - 1))] for i in range(k)]
