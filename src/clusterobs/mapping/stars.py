"""Cluster stars: apply a scheme's tests to the measures and say why each star was or was not given.

For each condition the output carries the measure's value, the threshold used and the
boolean; a test passes when all its conditions do; ``stars`` counts the tests passed.
Percentile thresholds are computed per (category, year) over the regions of the universe
whose measure is present and whose employment in the category is positive, by linear
interpolation (numpy's default; DuckDB ``quantile_cont``, Spark ``percentile``); a ``pooled``
condition's threshold is computed per year over every cell of the pool (the measures' boolean
``pool`` column when there is one: the scheme's reference categories; else every cell).
A missing measure never passes: the cell is excluded, not counted as zero. When the measures
carry ``rankable`` (bool), a cell that is not rankable (too little coverage, split by
population) counts in no percentile, passes no test and has ``stars`` NULL.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from clusterobs.mapping.schemes import Condition, StarScheme, get_scheme

OPS = {">=": lambda a, b: a >= b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, "<": lambda a, b: a < b}


def condition_key(test: str, cond: Condition) -> str:
    """Column stem of one condition, e.g. ``strong_lq_p75`` or ``specialisation_lq_2``."""
    rhs = f"p{cond.percentile:g}" if cond.percentile is not None else f"{cond.value:g}"
    return f"{test}_{cond.measure}_{rhs}".replace(".", "_").replace("-", "m")


def apply_scheme(measures: ir.Table, scheme: str | StarScheme) -> ir.Table:
    """Wide result: the measures plus ``star_<test>``, ``<cond>_value``, ``<cond>_threshold``,
    ``<cond>_pass`` for every condition, ``stars`` and ``tests_evaluated``.

    The percentile thresholds that share a grouping (per category and year; pooled per year) are computed in one
    aggregate, each over its own universe (``quantile(..., where=...)``), and joined once: one join per grouping,
    not one per condition.
    """
    scheme = get_scheme(scheme)
    m = measures
    ranked = "rankable" in m.columns

    def eligible(tb: ir.Table) -> ir.BooleanValue:
        return (tb.employment > 0) & (tb.rankable.fill_null(False) if ranked else True)

    def pool(tb: ir.Table) -> ir.BooleanValue:
        return tb["pool"].fill_null(False) if "pool" in tb.columns else ibis.literal(True)

    conditions = [(test, cond, condition_key(test.name, cond)) for test in scheme.tests for cond in test.conditions]
    groupings: dict[tuple[str, ...], dict[str, ir.Scalar]] = {}
    for _test, cond, key in conditions:
        if cond.percentile is None or cond.measure not in m.columns:
            continue
        by = ("year",) if cond.pooled else ("category", "year")
        universe = m[cond.measure].notnull() & eligible(m) & (pool(m) if cond.pooled else True)
        groupings.setdefault(by, {})[f"{key}_threshold"] = m[cond.measure].cast("float64").quantile(
            cond.percentile / 100, where=universe)
    t = m
    for by, aggs in groupings.items():
        q = m.group_by(list(by)).aggregate(**aggs)
        t = t.left_join(q, [t[k] == q[k] for k in by]).drop(*[f"{k}_right" for k in by])

    cols: dict[str, ir.Value] = {}
    tests: dict[str, list[tuple[str, bool]]] = {}  # test → its conditions' pass columns (and whether optional)
    for test in scheme.tests:
        tests[test.name] = []
        for cond in test.conditions:
            key = condition_key(test.name, cond)
            if cond.measure not in m.columns:
                cols[f"{key}_value"] = ibis.null("float64")
                cols[f"{key}_threshold"] = ibis.null("float64")
                cols[f"{key}_pass"] = ibis.null("boolean") if cond.optional else ibis.literal(False)
                if not cond.optional:
                    tests[test.name].append((f"{key}_pass", False))
                continue
            if cond.percentile is not None:
                threshold = t[f"{key}_threshold"]
            else:
                threshold = ibis.literal(cond.value, type="float64")
            value = t[cond.measure].cast("float64")
            ok = (value.notnull() & eligible(t) & OPS[cond.op](value, threshold)).fill_null(False)
            if cond.optional:  # a cell without the measure skips the condition (NULL), as data without it do
                ok = ibis.ifelse(value.isnull() & eligible(t), ibis.null("boolean"), ok)
            cols[f"{key}_threshold"] = threshold
            cols[f"{key}_value"] = value
            cols[f"{key}_pass"] = ok
            tests[test.name].append((f"{key}_pass", cond.optional))
    w = t.select(*m.columns, **cols)
    star_cols: dict[str, ir.BooleanValue] = {}
    for name, passes in tests.items():
        test_ok = ibis.literal(True)
        for col, optional in passes:
            test_ok = test_ok & (w[col].fill_null(True) if optional else w[col])
        star_cols[f"star_{name}"] = test_ok
    w = w.mutate(**star_cols)
    stars = ibis.literal(0)
    for col in star_cols:
        stars = stars + w[col].cast("int64")
    evaluated = ibis.literal(len(star_cols))
    if ranked:
        stars = ibis.ifelse(w.rankable.fill_null(False), stars, ibis.null("int64"))
        evaluated = ibis.ifelse(w.rankable.fill_null(False), evaluated, 0)
    return w.mutate(stars=stars.cast("int64"), tests_evaluated=evaluated.cast("int64"))


def tests_long(wide: ir.Table, scheme: str | StarScheme, *, keys: tuple[str, ...] = ("region", "category", "year"),
               ) -> ir.Table:
    """One row per (keys, test, condition): measure, op, value, threshold, passed, skipped.

    ``value`` and ``threshold`` are doubles in every part: a fixed threshold such as 1.5 is a decimal literal, and
    Spark (unlike DuckDB) refuses a union whose parts' types differ."""
    scheme = get_scheme(scheme)
    parts = []
    for test in scheme.tests:
        for cond in test.conditions:
            key = condition_key(test.name, cond)
            skipped = cond.optional & wide[f"{key}_pass"].isnull()
            parts.append(wide.select(
                *keys, test=ibis.literal(test.name), condition=ibis.literal(cond.name),
                measure=ibis.literal(cond.measure), op=ibis.literal(cond.op),
                value=wide[f"{key}_value"].cast("float64"), threshold=wide[f"{key}_threshold"].cast("float64"),
                passed=wide[f"{key}_pass"].fill_null(False) if not cond.optional else wide[f"{key}_pass"],
                skipped=skipped if cond.optional else ibis.literal(False),
            ))
    return ibis.union(*parts)
