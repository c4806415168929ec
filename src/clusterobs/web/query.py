"""The page state: every filter of every page lives in the query string (UX.md §6).

``Query`` is parsed and validated from ``request.GET`` with the selectors' checks (one message form for a bad
value); ``Query.params`` gives it back over-specified (defaults written out, so that changing a default never
changes what a shared link shows) for links, downloads and the image export.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict

from clusterobs.web import dataset
from clusterobs.web.labels import MEASURE_LABELS

MAX_COMPARE = 10
#: map classing of the measures without a natural pivot (``charts.classing.METHODS``)
METHODS = ("quantile", "equal", "jenks")
SORT_DIRS = ("asc", "desc")
#: parameters of feature apps' pages, carried as given in ``Query.extra`` (each app validates its own)
EXTRA_KEYS = ("dimension", "peers", "view")


@dataclass(frozen=True)
class Query:
    scheme: str = dataset.DEFAULT_SCHEME
    year: int = 0
    level: int = dataset.DEFAULT_LEVEL
    category: str | None = None
    measure: str = "stars"
    region: str | None = None
    regions: tuple[str, ...] = ()
    classes: int = 5
    method: str = "quantile"
    sort: str = ""
    dir: str = "desc"
    extra: dict[str, str] = field(default_factory=dict)

    def params(self, *keys: str, **overrides: Any) -> dict[str, str]:
        """The named parameters (always scheme, year, level) as strings, with ``overrides`` applied."""
        q = replace(self, **{k: v for k, v in overrides.items() if k in self.__dataclass_fields__})
        out: dict[str, str] = {"scheme": q.scheme, "year": str(q.year), "level": str(q.level)}
        for key in keys:
            value = getattr(q, key) if key in self.__dataclass_fields__ else self.extra.get(key)
            if key == "regions":
                if value:
                    out[key] = ",".join(value)
            elif value not in (None, ""):
                out[key] = str(value)
        out.update({k: str(v) for k, v in overrides.items() if k not in self.__dataclass_fields__ and v is not None})
        return out

    def qs(self, *keys: str, **overrides: Any) -> str:
        return urlencode(self.params(*keys, **overrides))


def _int(get: QueryDict, name: str, default: int | None) -> int | None:
    raw = get.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise dataset.BadParameter(name, f"`{name}` must be a whole number; got {raw!r}.") from exc


def parse_regions(raw: list[str]) -> tuple[str, ...]:
    """``regions=DE11,FR10`` or ``regions=DE11&regions=FR10`` (codes upper-cased, duplicates dropped)."""
    codes: list[str] = []
    for chunk in raw:
        codes.extend(c.strip().upper() for c in chunk.replace(" ", ",").split(",") if c.strip())
    codes = list(dict.fromkeys(codes))
    if len(codes) > MAX_COMPARE:
        raise dataset.BadParameter("regions", f"`regions` must list at most {MAX_COMPARE} regions; got {len(codes)}.")
    return tuple(codes)


def parse_query(get: QueryDict, *, measure: str = "stars", measures: tuple[str, ...] | None = None,
                level: int | None = None, **path: Any) -> Query:
    """Validate the page's query; ``measures`` limits the allowed measures, ``level`` fixes the level."""
    scheme = dataset.check_scheme(get.get("scheme") or dataset.DEFAULT_SCHEME)
    year = dataset.check_year(_int(get, "year", None))
    lvl = level if level is not None else dataset.check_level(_int(get, "level", dataset.DEFAULT_LEVEL))
    m = get.get("measure") or measure
    if m not in MEASURE_LABELS:
        dataset.check_measure(m)
    if measures is not None and m not in measures:
        raise dataset.BadParameter("measure", f"`measure` must be one of {', '.join(measures)}; got {m!r}.")
    classes = _int(get, "classes", 5)
    if classes not in (5, 6, 7):
        raise dataset.BadParameter("classes", f"`classes` must be one of 5, 6, 7; got {classes}.")
    method = get.get("method") or "quantile"
    if method not in METHODS:
        raise dataset.BadParameter("method", f"`method` must be one of {', '.join(METHODS)}; got {method!r}.")
    direction = get.get("dir") or "desc"
    if direction not in SORT_DIRS:
        raise dataset.BadParameter("dir", f"`dir` must be one of asc, desc; got {direction!r}.")
    category = path.pop("category", None) or get.get("category") or None
    region = path.pop("region", None) or get.get("region") or None
    return Query(scheme=scheme, year=year, level=lvl, category=category, measure=m, region=region,
                 regions=parse_regions(get.getlist("regions")), classes=classes, method=method,
                 sort=get.get("sort", ""), dir=direction,
                 extra={**{k: get[k] for k in EXTRA_KEYS if get.get(k)}, **{k: str(v) for k, v in path.items()}})
