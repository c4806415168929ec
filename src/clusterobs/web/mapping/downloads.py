"""How many rows a download of the Cluster Mapping Tool's API holds (the count beside a page's download links)."""

from __future__ import annotations

from typing import Any

from clusterobs.web.mapping import selectors


def _codes(value: Any) -> list[str] | None:
    if value in (None, ""):
        return None
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(v).strip() for v in items if str(v).strip()] or None


def download_rows(endpoint: str, params: dict[str, Any]) -> int | None:
    """How many rows the CSV/XLSX download of ``endpoint`` with ``params`` holds (the selectors are memoized, so
    this is the count of the rows the download will carry); None for an endpoint it does not know."""
    p = {k: v for k, v in params.items() if v not in (None, "")}
    common = {"scheme": p.get("scheme", selectors.DEFAULT_SCHEME),
              "year": int(p["year"]) if "year" in p else None}
    level = int(p.get("level", selectors.DEFAULT_LEVEL))
    parts = endpoint.strip("/").split("/")
    try:
        if parts == ["measures"]:
            total, _rows = selectors.measure_list(**common, level=level, regions=_codes(p.get("region")),
                                                  categories=_codes(p.get("category")), country=p.get("country"),
                                                  kind=p.get("kind"), min_stars=int(p.get("min_stars", 0)), limit=1)
            return total
        if parts == ["geojson"]:
            return len(selectors.region_map_values(**common, level=level, category=p.get("category"),
                                                   measure=p.get("measure"), min_stars=int(p.get("min_stars", 1))))
        if parts == ["categories"]:
            return len(selectors.category_list(p.get("kind")))
        if len(parts) == 3 and parts[0] == "categories" and parts[2] == "regions":
            return len(selectors.category_regions(parts[1], **common, level=level,
                                                  measure=p.get("measure", "employment"),
                                                  min_stars=int(p.get("min_stars", 0))))
        if len(parts) == 3 and parts[0] == "regions" and parts[2] == "portfolio":
            return len(selectors.region_portfolio(parts[1], **common)["rows"])
    except (selectors.NotFound, selectors.BadParameter, selectors.NoDataset, ValueError):
        return None
    return None
