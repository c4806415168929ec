"""The parts of the history the region and sector pages show: the fastest growing and declining clusters, and a
region's structural change (``web.history`` selectors), formatted in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from clusterobs.web.labels import flag, flag_words, growth_text, missing, num, sig_pct


def points(change: Any) -> str:
    """A change of a share in percentage points, signed: "+2.10 pp" ("−0.20 pp")."""
    if missing(change):
        return ":"
    v = 100 * float(change)
    sign = "+" if v > 0 else "−" if v < 0 else ""
    return _("%(value)s pp") % {"value": sign + num(abs(v), 2)}


def windows_text(windows: list[tuple[int, int]]) -> str:
    """The growth windows in words: "2010–2015" when all cells share one, else the distinct windows."""
    return ", ".join(f"{a}–{b}" for a, b in windows)


def growth_lists(leaders: dict[str, Any], *, label: Callable[[Any], str], url: Callable[[Any], str]) -> dict[str, Any]:
    """The page's "fastest growing / declining" block from ``history.*_growth_leaders``."""

    def rows(df: pd.DataFrame) -> list[dict[str, Any]]:
        return [{"label": label(r), "url": url(r), "growth": growth_text(r.growth, r.growth_window, r.year),
                 "break": flag(getattr(r, "growth_break", None)),
                 "flags": flag_words(getattr(r, "flags", None))} for r in df.itertuples()]

    return {"growing": rows(leaders["growing"]), "declining": rows(leaders["declining"]),
            "windows": windows_text(leaders["windows"]), "ranked": leaders["ranked"],
            "with_growth": leaders["with_growth"], "year": leaders["year"]}


def change_rows(change: dict[str, Any] | None, *, url: Callable[[str], str]) -> dict[str, Any] | None:
    """The structural-change block from ``history.region_structural_change`` (None: fewer than two years)."""
    if change is None:
        return None

    def rows(df: pd.DataFrame) -> list[dict[str, Any]]:
        return [{"category": r.category, "name": r.category_name, "url": url(r.category),
                 "first": sig_pct(r.share_first), "last": sig_pct(r.share_last), "change": points(r.change)}
                for r in df.itertuples()]

    return {"first": change["first"], "last": change["last"], "gained": rows(change["gained"]),
            "lost": rows(change["lost"]), "left_out": change["left_out"], "compared": len(change["rows"])}
