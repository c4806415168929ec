"""The mapping of one unit, shared by ``compute`` (a NUTS version and level of the store: ``mapping.compute``) and
the microdata pipeline (a NUTS level of firm data: ``microdata.pipeline``).

From an industry panel: ``category_panel`` finds the categories the data cover (``coverage``: a category *not
covered* is never mapped), goes from industries to those categories (``to_categories``) and says which cells can
be ranked (``rankability``); ``schemes_applied`` measures the category panel (once per denominator) and applies
every star scheme; ``star_frames`` collects a scheme's result and its long table of star tests (``tests_long``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass

import ibis.expr.types as ir
import pandas as pd

from clusterobs.mapping.categories import coverage, rankability, to_categories
from clusterobs.mapping.schemes import StarScheme
from clusterobs.mapping.stars import apply_scheme, tests_long


@dataclass
class CategoryPanel:
    """``coverage``: every category's coverage by the data (executed); ``mapped``: the categories mapped (those
    not *not covered*), sorted; ``table``: the category panel of the mapped categories with ``rankable`` and
    ``caveat``."""

    coverage: pd.DataFrame
    mapped: list[str]
    table: ir.Table


def category_panel(panel: ir.Table, concordance: ir.Table, *, industries: ir.Table | None = None) -> CategoryPanel:
    """The category panel of the categories ``panel``'s industries cover.

    ``industries``: the panel to go to categories from when it carries more columns than ``panel`` (``compute``'s
    wages and local units, ``mapping.panel.with_indicators``); the coverage is ``panel``'s."""
    cov = coverage(panel, concordance).execute()
    mapped = sorted(cov.loc[cov["status"] != "not covered", "category"])
    cats = to_categories(panel if industries is None else industries, concordance)
    return CategoryPanel(coverage=cov, mapped=mapped, table=rankability(cats.filter(cats.category.isin(mapped))))


def schemes_applied(schemes: Iterable[StarScheme], measure: Callable[[StarScheme], ir.Table], *,
                    key: Callable[[StarScheme], Hashable] = lambda s: s.denominator,
                    ) -> Iterator[tuple[StarScheme, ir.Table, bool, ir.Table]]:
    """``(scheme, measured, first, wide)`` for each scheme: the measured category panel (``measure(scheme)``,
    called once per ``key``: the schemes sharing a denominator share their measures), whether this scheme
    measured it first, and the scheme applied (``apply_scheme``)."""
    measured: dict[Hashable, ir.Table] = {}
    for scheme in schemes:
        k = key(scheme)
        first = k not in measured
        if first:
            measured[k] = measure(scheme)
        yield scheme, measured[k], first, apply_scheme(measured[k], scheme)


def star_frames(wide: ir.Table, scheme: StarScheme) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A scheme's result (``apply_scheme``) as a frame, and its star tests, one row per region, category, year,
    test and condition (``tests_long``; ``passed`` nullable boolean, ``skipped`` boolean)."""
    wide = wide.cache()
    tests = tests_long(wide, scheme).execute()
    tests["passed"] = tests["passed"].astype("boolean")
    tests["skipped"] = tests["skipped"].astype(bool)
    return wide.execute(), tests
