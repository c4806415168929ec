"""Star schemes: read from ``schemes.yml``, validated with one message form.

A scheme behaves like an estimator's configuration: ``StarScheme`` keeps its parameters as
written; ``clusterobs.mapping.stars.apply_scheme`` computes the thresholds from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from clusterobs.errors import ClusterobsError

SCHEMES_FILE = Path(__file__).with_name("schemes.yml")
MEASURES = ("employment", "lq", "focus", "share_europe", "productivity", "relative_productivity", "growth",
            "establishments", "avg_size")
OPS = (">=", ">", "<=", "<")
DENOMINATORS = ("traded", "all")


class SchemeError(ClusterobsError):
    """A scheme definition is invalid."""


@dataclass(frozen=True)
class Condition:
    measure: str
    op: str
    value: float | None = None
    percentile: float | None = None
    optional: bool = False
    ours: bool = False
    #: a percentile over every cell of the level and year (the scheme's reference categories pooled), not over the
    #: regions of one category
    pooled: bool = False

    @property
    def name(self) -> str:
        rhs = f"p{self.percentile:g}" if self.percentile is not None else f"{self.value:g}"
        return f"{self.measure} {self.op} {rhs}" + (" of all cells" if self.pooled else "")


@dataclass(frozen=True)
class Test:
    name: str
    description: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class StarScheme:
    name: str
    title: str
    reference: str
    denominator: str
    tests: tuple[Test, ...]

    @property
    def test_names(self) -> list[str]:
        return [t.name for t in self.tests]


def _fail(scheme: str, what: str, must: str, got: Any) -> SchemeError:
    return SchemeError(f"`{what}` of scheme {scheme!r} must be {must}; got {got!r}.")


def parse_scheme(name: str, raw: dict[str, Any]) -> StarScheme:
    """Validate one scheme entry."""
    if not isinstance(raw, dict):
        raise _fail(name, "entry", "a mapping", raw)
    denominator = raw.get("denominator", "traded")
    if denominator not in DENOMINATORS:
        raise _fail(name, "denominator", f"one of {', '.join(DENOMINATORS)}", denominator)
    tests_raw = raw.get("tests")
    if not isinstance(tests_raw, list) or not tests_raw:
        raise _fail(name, "tests", "a non-empty list", tests_raw)
    tests = []
    for t in tests_raw:
        tname = t.get("name")
        if not isinstance(tname, str) or not tname.isidentifier():
            raise _fail(name, "tests[].name", "an identifier", tname)
        conds = []
        for c in t.get("conditions") or []:
            measure, op = c.get("measure"), c.get("op", ">=")
            if measure not in MEASURES:
                raise _fail(name, f"{tname}.measure", f"one of {', '.join(MEASURES)}", measure)
            if op not in OPS:
                raise _fail(name, f"{tname}.op", f"one of {' '.join(OPS)}", op)
            has_value, has_pct = "value" in c, "percentile" in c
            if has_value == has_pct:
                raise _fail(name, f"{tname}.{measure}", "given exactly one of value or percentile", c)
            pct = c.get("percentile")
            if has_pct and not (isinstance(pct, int | float) and 0 <= pct <= 100):
                raise _fail(name, f"{tname}.percentile", "a number from 0 to 100", pct)
            value = c.get("value")
            if has_value and not isinstance(value, int | float):
                raise _fail(name, f"{tname}.value", "a number", value)
            pooled = c.get("pooled", False)
            if not isinstance(pooled, bool) or (pooled and not has_pct):
                raise _fail(name, f"{tname}.pooled", "true or false, and true only with a percentile", pooled)
            conds.append(Condition(measure=measure, op=op, value=None if value is None else float(value),
                                   percentile=None if pct is None else float(pct),
                                   optional=bool(c.get("optional", False)), ours=bool(c.get("ours", False)),
                                   pooled=pooled))
        if not conds:
            raise _fail(name, f"{tname}.conditions", "a non-empty list", t.get("conditions"))
        tests.append(Test(name=tname, description=str(t.get("description", "")), conditions=tuple(conds)))
    if len({t.name for t in tests}) != len(tests):
        raise _fail(name, "tests[].name", "unique", [t.name for t in tests])
    return StarScheme(name=name, title=str(raw.get("title", name)), reference=str(raw.get("reference", "")),
                      denominator=denominator, tests=tuple(tests))


def load_schemes(path: Path | None = None) -> dict[str, StarScheme]:
    """Every scheme of ``schemes.yml`` (or of a user's file with the same layout)."""
    if path is None:
        return dict(_builtin())
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {name: parse_scheme(name, entry) for name, entry in raw.items()}


@cache
def _builtin() -> tuple[tuple[str, StarScheme], ...]:
    raw = yaml.safe_load(SCHEMES_FILE.read_text(encoding="utf-8"))
    return tuple((name, parse_scheme(name, entry)) for name, entry in raw.items())


def get_scheme(name: str | StarScheme) -> StarScheme:
    if isinstance(name, StarScheme):
        return name
    schemes = load_schemes()
    if name not in schemes:
        raise SchemeError(f"`scheme` must be one of {', '.join(schemes)}; got {name!r}.")
    return schemes[name]
