"""The linkages pages' state in the URL: the site's filters (year, scheme, level) plus ``method`` (the relatedness
method; on the site's other pages ``method`` is the map classing, so these pages parse it themselves) and
``threshold`` (a percentile of the pair values)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from clusterobs.web.linkages import selectors as ls
from clusterobs.web.query import Query, parse_query

#: the parameters of each linkages chart's export URL, besides year
CHART_KEYS = {"related-network": ("category", "method", "threshold"), "opportunities": ("region",),
              "emerging-composition": ("category",), "emerging-map": ("category",)}


def parse_linkages_query(get: QueryDict, **path: Any) -> Query:
    """Validate the query; ``q.method`` holds the relatedness method, ``q.extra['threshold']`` the percentile."""
    rest = get.copy()
    method = rest.pop("method", [None])[-1]
    threshold = rest.pop("threshold", [None])[-1]
    q = parse_query(rest, level=ls.LEVEL, **path)
    return replace(q, method=ls.check_method(method),
                   extra={**q.extra, "threshold": str(ls.check_threshold(threshold))})


def params(q: Query, *keys: str) -> dict[str, str]:
    """The over-specified state of a linkages view (always year)."""
    values = {"category": q.category, "region": q.region, "method": q.method, "threshold": q.extra.get("threshold")}
    out = {"year": str(q.year)}
    out.update({k: str(values[k]) for k in keys if values.get(k) not in (None, "")})
    return out


def figure_url(name: str, q: Query, fmt: str) -> str:
    return reverse("figure", args=[name, fmt]) + "?" + urlencode(params(q, *CHART_KEYS[name]))
