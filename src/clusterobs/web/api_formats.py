"""How the API writes a table: JSON records, CSV, XLSX, Parquet, GeoJSON; pagination links; ETag and caching.

The same rows leave in every format with the same column names. Missing values stay missing: ``null`` in JSON,
an empty cell in CSV and XLSX, a null in Parquet; never 0. Downloads are named after the view they hold
(``measures_eco2007_2015_nuts2_DE11.csv``) and the XLSX carries the metadata and a readme beside the data.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from functools import wraps
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlencode

import numpy as np
import pandas as pd
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from clusterobs import __version__
from clusterobs.web import dataset, xlsx
from clusterobs.web.cache import CachedResponse, ResponseCache

FILE_FORMATS = ("csv", "xlsx", "parquet")
CONTENT_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "geojson": "application/geo+json",
}
CACHE_CONTROL = "public, max-age=300"
UNCACHED_PATHS = ("/api/registry/",)  # transactional data: changes without a new dataset version
DEFAULT_LIMIT = 100
LICENCE = ("Eurostat data: reuse authorised provided the source is acknowledged (Commission Decision 2011/833/EU). "
           "Computed by clusterobs (EUPL-1.2). The licence of every source is listed below and in the metadata sheet.")


# ---- rows -------------------------------------------------------------------------------------------------------


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values; NaN and <NA> become None (JSON null), never 0."""
    return df.astype(object).where(df.notna(), None).to_dict("records")


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """A selector's dict with plain Python scalars: NaN and <NA> become None, numpy numbers Python numbers."""
    return {k: _cell(v) for k, v in values.items()}


def measure_records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Measure rows for JSON: ``tests_passed`` as a list of test names (comma-separated text in files)."""
    rows = records(df)
    for row in rows:
        row["tests_passed"] = row["tests_passed"].split(",") if row.get("tests_passed") else []
    return rows


def split_list(values: str | list[str] | None) -> list[str] | None:
    """``["DE11, DE12", "DE13"]`` (repeated or comma-separated) → ``["DE11", "DE12", "DE13"]``; empty → None."""
    if values is None:
        return None
    items = [v.strip() for value in ([values] if isinstance(values, str) else values) for v in value.split(",")]
    return [v for v in items if v] or None


def view_name(*parts: object) -> str:
    """File name stem of a view: ``view_name("measures", "eco2007", 2015, "nuts2", "DE11")`` →
    ``measures_eco2007_2015_nuts2_DE11`` (empty parts left out; other characters than letters, digits, ``.``
    and ``-`` replaced by ``-``)."""
    words = [re.sub(r"[^A-Za-z0-9.-]+", "-", str(p)).strip("-") for p in parts if p not in (None, "")]
    return "_".join(w for w in words if w)[:150] or "data"


def page_links(request: HttpRequest, *, total: int, limit: int, offset: int) -> tuple[str | None, str | None]:
    """Absolute ``next`` and ``previous`` URLs for limit/offset pagination, keeping every other parameter."""

    def link(new_offset: int) -> str:
        query = request.GET.copy()
        query["limit"], query["offset"] = str(limit), str(new_offset)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    nxt = link(offset + limit) if offset + limit < total else None
    prev = link(max(offset - limit, 0)) if offset > 0 else None
    return nxt, prev


# ---- downloads --------------------------------------------------------------------------------------------------


def download(request: HttpRequest, df: pd.DataFrame, *, fmt: str, name: str, scheme: str | None = None,
             title: str = "") -> HttpResponse:
    """The rows as a CSV, XLSX or Parquet attachment named ``name`` plus the extension."""
    flat = _flatten(df)
    if fmt == "csv":
        body: bytes = flat.to_csv(index=False, na_rep="", lineterminator="\n").encode("utf-8")
    elif fmt == "xlsx":
        body = _xlsx(flat, metadata(request, scheme=scheme, title=title, rows=len(flat)))
    elif fmt == "parquet":
        body = _parquet(flat, metadata(request, scheme=scheme, title=title, rows=len(flat)))
    else:  # pragma: no cover - the endpoints declare their formats
        raise ValueError(fmt)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def geojson_response(collection: dict[str, Any], *, name: str) -> HttpResponse:
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    response = HttpResponse(body.encode("utf-8"), content_type=CONTENT_TYPES["geojson"])
    response["Content-Disposition"] = f'inline; filename="{name}.geojson"'
    return response


def metadata(request: HttpRequest, *, scheme: str | None, title: str, rows: int) -> dict[str, Any]:
    """What a download carries besides its rows: version, query, scheme conditions, sources, citation."""
    obs = dataset.dataset()
    schemes = obs.schemes
    return {
        "title": title,
        "dataset_version": obs.version,
        "query": request.build_absolute_uri(request.get_full_path()),
        "rows": rows,
        "nuts_version": dataset.NUTS_VERSION,
        "scheme": scheme,
        "scheme_conditions": schemes[schemes["scheme"] == scheme] if scheme else schemes.head(0),
        "sources": dataset.sources(),
        "citation": dataset.dataset_citation(),
        "software": f"clusterobs {__version__}",
    }


def _flatten(df: pd.DataFrame) -> pd.DataFrame:
    """Lists (JSON-only shapes) become comma-separated text so every file format holds the same columns."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, list | tuple)).any():
            out[col] = out[col].map(lambda v: ",".join(map(str, v)) if isinstance(v, list | tuple) else v)
    return out


def _cell(value: Any) -> Any:
    """One value as plain Python: missing → None, numpy scalar → Python scalar; lists and dicts recursively."""
    if isinstance(value, dict):
        return {k: _cell(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cell(v) for v in value]
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _rows(df: pd.DataFrame) -> Iterable[list[Any]]:
    """Header, then rows of plain Python values with None for missing (an empty cell)."""
    yield list(df.columns)
    clean = df.astype(object).where(df.notna(), None)
    for row in clean.itertuples(index=False, name=None):
        yield list(row)


def _readme_lines(meta: dict[str, Any]) -> list[str]:
    cite = meta["citation"]
    return [
        meta["title"] or "clusterobs data",
        "",
        "Cite as:",
        *cite["citations"],
        f"Processed with {meta['software']}, dataset version {meta['dataset_version']} "
        f"(NUTS {meta['nuts_version']}).",
        "",
        "Licence:",
        LICENCE,
        *cite["licences"],
        "",
        "Reading the data:",
        "An empty cell is a missing value (not published, confidential or not computable); it is never zero.",
        "imputed = TRUE marks a cluster whose employment includes imputed cells; imputed_share says how much.",
        "stars counts the tests of the scheme that the cluster passed; tests_passed names them. It is empty when the "
        "cell cannot be ranked (rankable = FALSE): coverage (the share of the category's industries with data) below "
        "0.8, or a region split from an older NUTS region by population (split_share above 0.5); caveat says why.",
        "region_no_data = TRUE marks a no-data region (split by population, or fewer than half of its traded "
        "categories rankable): its cells are listed but never ranked or counted in headline figures; rank is empty.",
        f"Query: {meta['query']}",
    ]


def _xlsx(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    """The rows (sheet ``data``), the metadata (version, query, scheme conditions, sources) and a readme."""
    info: list[list[Any]] = [[key, _cell(meta[key])] for key in ("title", "dataset_version", "nuts_version",
                                                                   "scheme", "rows", "query", "software")]
    info += [[], ["scheme conditions"], *_rows(meta["scheme_conditions"]), [], ["sources"], *_rows(meta["sources"])]
    return xlsx.workbook([("data", df), ("metadata", info), ("readme", [[line] for line in _readme_lines(meta)])])


def _parquet(df: pd.DataFrame, meta: dict[str, Any]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    extra = {"clusterobs.dataset_version": meta["dataset_version"], "clusterobs.query": meta["query"],
             "clusterobs.scheme": meta["scheme"] or "",
             "clusterobs.citation": "\n".join(meta["citation"]["citations"])}
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), **{k: str(v) for k, v in extra.items()}})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


# ---- caching ----------------------------------------------------------------------------------------------------


def etag(version: str, request: HttpRequest) -> str:
    key = f"{version}\n{request.path}\n{request.META.get('QUERY_STRING', '')}"
    return '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'


def gzip_tag(tag: str) -> str:
    """The ETag of the gzip-coded answer (a strong validator names one content coding)."""
    return tag[:-1] + '-gz"'


def _matches(header: str | None, *tags: str) -> bool:
    if not header:
        return False
    sent = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in sent or bool(sent.intersection(tags))


def accepts_gzip(request: HttpRequest) -> bool:
    """Does ``Accept-Encoding`` take gzip (by name or ``*``) with a q-value above 0?"""
    q: dict[str, float] = {}
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        weight = 1.0
        m = re.search(r"q\s*=\s*([0-9.]+)", params)
        if m:
            try:
                weight = float(m.group(1))
            except ValueError:
                weight = 0.0
        if name:
            q[name.strip().lower()] = weight
    return q.get("gzip", q.get("x-gzip", q.get("*", 0.0))) > 0


#: answers worth compressing once (XLSX and Parquet are compressed already)
GZIP_TYPES = ("application/json", "application/geo+json", "text/csv")
GZIP_MIN_BYTES = 1024


def gzipped(body: bytes, content_type: str) -> bytes | None:
    """``body`` gzip-compressed (level 6, no timestamp: the same bytes every time), or None if not worth it."""
    if len(body) < GZIP_MIN_BYTES or not content_type.startswith(GZIP_TYPES):
        return None
    packed = gzip.compress(body, compresslevel=6, mtime=0)
    return packed if len(packed) < len(body) else None


def _answer(hit: CachedResponse, tag: str, gzip_ok: bool) -> HttpResponse:
    """A kept answer as a response: gzip-coded when the client takes it and a compressed copy exists."""
    coded = gzip_ok and hit.gzipped is not None
    response = HttpResponse(hit.gzipped if coded else hit.body, content_type=hit.content_type)
    for name, value in hit.headers:
        response[name] = value
    if hit.gzipped is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    if coded:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = gzip_tag(tag) if coded else tag
    return response


#: whole 200 answers of the API, per (version, host, path, normalised query, language): see ``cache.py``
RESPONSES: ResponseCache[CachedResponse] = ResponseCache()
#: the modules whose endpoints' answers depend on nothing but the published version and the request, added by their
#: app (``keep_answers``; the mapping tool's: the other apps' routers read the portal database too, they get the
#: ETag, not the answer cache)
KEPT_MODULES: set[str] = set()
#: headers a cached answer carries besides its body and content type
KEPT_HEADERS = ("Content-Disposition", "Content-Language", "Vary")


def keep_answers(*modules: ModuleType) -> None:
    """Keep the answers of these modules' endpoints in ``RESPONSES`` (an app's ``AppConfig.ready()``): only for
    endpoints that read nothing but the published version and the request."""
    KEPT_MODULES.update(m.__name__ for m in modules)


def normalised_query(request: HttpRequest) -> tuple[tuple[str, str], ...]:
    """The query parameters sorted by name (the order of repeated values kept): ``b=2&a=1`` is ``a=1&b=2``."""
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    return tuple(sorted(pairs, key=lambda kv: kv[0]))


def response_key(version: str, request: HttpRequest) -> tuple[str, ...]:
    return (version, request.get_host(), request.path, urlencode(normalised_query(request)),
            getattr(request, "LANGUAGE_CODE", ""))


def cached(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja view decorator: ETag (dataset version + path + full query string), 304 on If-None-Match,
    Cache-Control on every successful answer, and the answer itself kept in ``RESPONSES`` until the version
    changes (a published version never changes). Errors are neither cached nor kept."""

    endpoint = getattr(getattr(run, "__self__", None), "view_func", run)  # Ninja passes the bound Operation.run
    module = getattr(endpoint, "__module__", "")

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        version = dataset.published_version()
        if version is None or request.method not in ("GET", "HEAD") or request.path.startswith(UNCACHED_PATHS):
            return run(request, *args, **kwargs)
        tag = etag(version, request)
        sent = request.headers.get("If-None-Match")
        if _matches(sent, tag, gzip_tag(tag)):
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = gzip_tag(tag) if _matches(sent, gzip_tag(tag)) else tag
        else:
            key = response_key(version, request)
            keep = module in KEPT_MODULES
            hit = RESPONSES.get(key) if keep else None
            if hit is None:
                response = run(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
                if not keep or response.streaming:
                    response["ETag"] = tag
                    response["Cache-Control"] = CACHE_CONTROL
                    return response
                body = response.content
                hit = CachedResponse(body, response["Content-Type"],
                                     tuple((h, response[h]) for h in KEPT_HEADERS if response.has_header(h)),
                                     gzipped(body, response["Content-Type"]))
                RESPONSES.put(key, hit)
            response = _answer(hit, tag, accepts_gzip(request))
        response["Cache-Control"] = CACHE_CONTROL
        return response

    return wrapper
