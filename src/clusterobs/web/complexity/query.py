"""The complexity pages' state in the URL: the site's filters (year, level; a region's page has its region's
level) plus ``y``, the attractiveness axis of the growth opportunities chart (``pci`` or ``cog``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from clusterobs.web import dataset
from clusterobs.web.complexity import selectors as cs
from clusterobs.web.query import Query, parse_query

#: the parameters of each chart's export URL, besides year and level
CHART_KEYS = {"growth-opportunities": ("region", "y"), "industry-space": ("region",), "eci-map": (),
              "eci-years": ("region",)}


def parse_complexity_query(get: QueryDict, **path: Any) -> Query:
    """Validate the query; ``q.extra['y']`` holds the attractiveness axis, ``q.level`` the region's level."""
    rest = get.copy()
    axis = rest.pop("y", [None])[-1]
    region = path.get("region") or rest.get("region")
    level = int(dataset.region_get(region)["level"]) if region else None
    q = parse_query(rest, level=level, **path)
    return replace(q, extra={**q.extra, "y": cs.check_axis(axis)})


def params(q: Query, *keys: str) -> dict[str, str]:
    """The over-specified state of a complexity view (always year and level)."""
    values = {"region": q.region, "y": q.extra.get("y")}
    out = {"year": str(q.year), "level": str(q.level)}
    out.update({k: str(values[k]) for k in keys if values.get(k) not in (None, "")})
    return out


def figure_url(name: str, q: Query, fmt: str) -> str:
    return reverse("figure", args=[name, fmt]) + "?" + urlencode(params(q, *CHART_KEYS[name]))
