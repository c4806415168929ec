"""Partner search: filters plus ranked full-text search (PostgreSQL full-text search, SQLite FTS5).

The text is cut into word tokens (letters and digits); every token must match, as a prefix, one of name, acronym,
keywords, description or the names of the profile's categories in English and French (``category_names``: searching
"aerospace" finds a profile tagged "Aerospace vehicles and defense"). Punctuation and SQL or query-syntax characters
(``'``, ``%``, ``_``, ``"``, ``--``) are never passed on: they only separate words. Rank: name and acronym weigh
most, then keywords and category names, then description (PostgreSQL ``ts_rank`` over the stored, GIN-indexed
``search_vector`` with weights A/A/B/C/B, ``fts_postgres``; SQLite ``bm25`` over the FTS5 table with weights
10/10/5/1/5, ``fts_sqlite``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

from django.db import connection
from django.db.models import Case, F, FloatField, QuerySet, Value, When

from clusterobs.web.registry import fts_postgres, fts_sqlite
from clusterobs.web.registry.models import Organisation

TOKEN = re.compile(r"[^\W_]+", re.UNICODE)  # letters and digits; "_" separates, as in FTS5
MAX_TOKENS = 12


def tokens(text: str) -> list[str]:
    return [t.lower() for t in TOKEN.findall(text or "")][:MAX_TOKENS]


@dataclass(frozen=True)
class ProfileFilters:
    q: str = ""
    country: str = ""
    region: str = ""
    category: str = ""
    emerging: str = ""
    label: str = ""
    keywords: str = ""
    validated: bool = False


def profile_search(filters: ProfileFilters, qs: QuerySet[Organisation] | None = None) -> QuerySet[Organisation]:
    """Profiles matching the filters; ranked by relevance (``rank`` annotation) when there is search text."""
    filters = replace(filters, **{f.name: getattr(filters, f.name).replace("\x00", "") for f in fields(filters)
                                  if isinstance(getattr(filters, f.name), str)})  # PostgreSQL refuses NUL
    qs = (qs if qs is not None else Organisation.objects.all()).prefetch_related("categories")
    if filters.country:
        qs = qs.filter(country=filters.country.upper()[:2])
    if filters.region:
        qs = qs.filter(region__startswith=filters.region.upper())
    for slug in (filters.category, filters.emerging):
        if slug:
            qs = qs.filter(categories__slug=slug)
    if filters.label:
        qs = qs.filter(label=filters.label)
    for word in tokens(filters.keywords):
        qs = qs.filter(keywords__icontains=word)
    if filters.validated:
        ids = [o.pk for o in qs if o.is_validated]
        qs = qs.filter(pk__in=ids)
    words = tokens(filters.q)
    if not words:
        return qs.distinct().order_by("name")
    if connection.vendor == "postgresql":
        return _postgres(qs.distinct(), words)
    return _sqlite(qs.distinct(), words)


def _postgres(qs: QuerySet[Organisation], words: list[str]) -> QuerySet[Organisation]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config=fts_postgres.CONFIG)
    return (qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
            .defer("search_vector").order_by("-rank", "name"))


def _sqlite(qs: QuerySet[Organisation], words: list[str]) -> QuerySet[Organisation]:
    match = " ".join(f'"{w}"*' for w in words)  # tokens are \w+: no quote can reach the FTS5 query
    weights = ", ".join(str(w) for w in fts_sqlite.WEIGHTS)
    with connection.cursor() as cur:
        cur.execute(f"SELECT rowid, -bm25({fts_sqlite.TABLE}, {weights}) FROM {fts_sqlite.TABLE} "
                    f"WHERE {fts_sqlite.TABLE} MATCH %s", [match])
        scores = dict(cur.fetchall())
    if not scores:
        return qs.none()
    rank = Case(*[When(pk=pk, then=Value(score)) for pk, score in scores.items()], output_field=FloatField())
    return qs.filter(pk__in=list(scores)).annotate(rank=rank).order_by("-rank", "name")
