"""Hash every output of the observatory over one store, to check a refactor: before and after, the same hashes (or
each difference explained).

What it hashes (sha256 of the normalised bytes, with the status code and content type of each):

- pages of the web (Cluster Mapping Tool, linkages, complexity, scoreboard, reports, registry, self-assessment), in
  English and French, through Django's test ``Client`` (no server); every chart export link and every API link a
  page carries is followed too;
- every GET endpoint of the OpenAPI schema (``/api/openapi.json``) with a few realistic parameter sets, and its file
  formats (CSV, XLSX, Parquet, GeoJSON) where it offers them;
- the figure JSON of every chart (``/api/figures/<chart>.svg?…`` with the image renderer replaced by the figure's
  JSON: no Chromium), for every chart link of the pages plus a table below for charts no page links;
- the selectors of ``clusterobs.web.selectors`` (and the feature apps'), called directly, and the public reads of
  ``clusterobs.reports.data.ReportData``;
- the region scorecard, country and European Panorama and the Cluster Trends as HTML, from the report code (charts
  stand as the hash of their figure JSON instead of an image; the PDF, which embeds dates, is not hashed); the web's
  report pages and documents are served from the same HTML (report generation stubbed: no background thread, no
  Chromium, nothing written into the store).

Run it on the same store before and after a refactor, then compare::

    PYTHONPATH=<tree>/src CLUSTEROBS_HOME=<store> python scripts/output_hashes.py --out before.json
    PYTHONPATH=<tree>/src CLUSTEROBS_HOME=<store> python scripts/output_hashes.py --out after.json
    python scripts/output_hashes.py --compare before.json after.json      # exit 1 when a key differs
    python scripts/output_hashes.py --out after.json --dump /tmp/after    # also the normalised bytes, to diff

The store is only read: the portal database is a throwaway SQLite in a temporary folder (migrated quietly), and
uploads and report files go there too; a run that finds a file of the store changed exits 2. DuckDB runs with one
thread per connection (``single_threaded_duckdb``: a parallel SUM of doubles varies in its last bits).
docs/operating.md ("Checking a refactor") says how to use it.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import hashlib
import importlib
import io
import json
import logging
import math
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# ==== ALTERNATIVE IMPORT PATHS ======================================================================================
# A refactor may move a selector or a report function. Every name this script calls is written below as it is on
# main today ("module.attr"); when it has moved, add its new home(s) here and the script finds it there. A name
# found nowhere is recorded as "missing" (and shows up in --compare), never a crash.
ALIASES: dict[str, tuple[str, ...]] = {
    # "clusterobs.web.selectors.measures": ("clusterobs.web.selectors.measures.measures",),
    # "clusterobs.web.selectors.region_map_values": ("clusterobs.web.maps.selectors.region_map_values",),
    # a method renamed (the read layer, clusterobs.store.reads, names it as the web does)
    "clusterobs.reports.data.ReportData.quality": ("clusterobs.reports.data.ReportData.region_quality",),
    # issue 20 item 3: the site kernel's registry and shared reads
    "clusterobs.web.chartspecs.CHARTS": ("clusterobs.web.chart_registry.CHARTS",),
    "clusterobs.web.history.store_years": ("clusterobs.web.dataset.store_years",),
}
#: a module moved whole: every name under the old prefix is also looked for under the new one(s)
PREFIX_ALIASES: dict[str, tuple[str, ...]] = {
    # issue 20 item 3: the Cluster Mapping Tool became an app over a site kernel (its selectors re-export the
    # kernel's shared reads, clusterobs.web.dataset)
    "clusterobs.web.selectors.": ("clusterobs.web.mapping.selectors.",),
    "clusterobs.web.history.": ("clusterobs.web.mapping.history.",),
}
# ====================================================================================================================

LANGS = ("en", "fr")
SCHEMES = ("eco2007", "eocic2019", "uscmp")
YEAR, FIRST_YEAR, MID_YEAR = 2015, 2008, 2010
REGIONS = ("DE11", "FR10", "ITC4")  # NUTS 2: Stuttgart, Ile-de-France, Lombardia
NUTS1, COUNTRY = "DE1", "DE"
CATEGORIES = ("automotive", "biopharmaceuticals", "financial_services")
EMERGING = ("emerging_digital", "emerging_blue_growth")
LOCAL = "local_health_services"

# ---- pages: every module, each in English and French ---------------------------------------------------------------
_Y = f"scheme=eco2007&year={YEAR}"
PAGES: list[str] = [
    "/", "/?kind=local", f"/?scheme=eocic2019&year={MID_YEAR}", "/?level=1",
    "/regions/",
    *[f"/regions/{r}/" for r in (*REGIONS, NUTS1, COUNTRY)],
    f"/regions/DE11/?scheme=uscmp&year={MID_YEAR}", "/regions/FR10/?scheme=eocic2019",
    "/regions/DE11/portfolio/", f"/regions/FR10/portfolio/?{_Y}&sort=lq&dir=asc", "/regions/DE1/portfolio/",
    "/regions/DE11/clusters/automotive/", "/regions/FR10/clusters/biopharmaceuticals/",
    f"/regions/ITC4/clusters/financial_services/?scheme=eocic2019&year={MID_YEAR}",
    "/regions/DE/clusters/automotive/",
    "/sectors/", "/sectors/?category=automotive",
    *[f"/sectors/{c}/" for c in (*CATEGORIES, *EMERGING, LOCAL)],
    f"/sectors/automotive/?measure=lq&level=1&{_Y}", "/sectors/biopharmaceuticals/?measure=growth&region=FR10",
    "/sectors/automotive/?measure=stars&scheme=eocic2019", "/sectors/automotive/?level=0",
    "/map/", "/map/?category=automotive&measure=stars", "/map/?category=automotive&measure=lq&classes=7&method=jenks",
    f"/map/?category=biopharmaceuticals&measure=employment&level=1&year={MID_YEAR}",
    "/map/?category=automotive&measure=growth", "/map/?measure=stars&scheme=uscmp", "/map/?level=0",
    "/compare/", "/compare/?regions=DE11,FR10,ITC4", "/compare/?regions=DE11,FR10,ITC4&measure=employment",
    f"/compare/?regions=DE11,DE1,DE&scheme=eocic2019&year={MID_YEAR}", "/compare/?regions=Stuttgart,Paris",
    "/categories/", "/categories/?kind=emerging", "/categories/?kind=local",
    "/search/?q=stutt", "/search/?q=Lombardia", "/search/?q=Munich", "/search/?q=automotive",
    "/methodology/", "/sources/", "/help/",
    "/linkages/", "/linkages/?method=uscmp", "/linkages/related/automotive/",
    "/linkages/related/biopharmaceuticals/?method=colocation_loglq&threshold=80",
    "/linkages/opportunities/DE11/", "/linkages/opportunities/FR10/",
    "/emerging/", *[f"/emerging/{e}/" for e in EMERGING],
    "/regions/DE11/opportunities/", "/regions/ITC4/opportunities/", "/complexity/eci/", "/complexity/eci/?level=1",
    "/scoreboard/", "/scoreboard/DE11/", "/scoreboard/FR10/?peers=DE11,ITC4", "/scoreboard/ITC4/?view=detail",
    "/reports/", f"/reports/?scheme=eocic2019&year={MID_YEAR}",
    "/reports/europe/", "/reports/europe.html",
    "/reports/region/DE11/", "/reports/region/DE11.html", "/reports/region/FR10.html",
    "/reports/country/DE/", "/reports/country/DE.html",
    "/reports/trends/", "/reports/trends.html", "/reports/trends/DE/", "/reports/trends/DE.html",
    "/self-assessment/",
    "/registry/", "/registry/regions/DE11/", "/registry/organisations/", "/registry/requests/",
    "/registry/events/", "/registry/events/calendar/2024/5/", "/registry/programmes/", "/registry/news/",
    "/registry/events.ics", "/registry/news/feed.atom",
    "/accounts/login/", "/accounts/signup/", "/accounts/password-reset/",
    "/api/docs",
    # what a user gets wrong: unknown codes and bad parameters
    "/regions/XX99/", "/sectors/no_such_category/", "/map/?measure=nonsense", "/regions/DE11/?year=1999",
    "/no/such/page/",
    # embedded (iframe) view
    "/map/?category=automotive&embed=1", "/regions/DE11/?embed=1",
]

# ---- API: parameter sets per OpenAPI path (a path missing here gets one call with the first values below) ----------
PATH_VALUES: dict[str, str] = {"code": "DE11", "category": "automotive", "industry": "emerging_digital",
                               "key": "stress_test", "version": "2026.1", "token": "no-such-token",
                               "public_token": "no-such-token", "pk": "1", "fmt": "html"}
API_CALLS: dict[str, list[dict[str, Any]]] = {
    "/api/places": [{"q": "stutt"}, {"q": "Paris", "limit": 5}, {"q": "Mailand"}],
    "/api/regions": [{}, {"level": 0}, {"level": 1, "country": "FR"}, {"q": "stutt"}, {"limit": 20, "offset": 40}],
    "/api/regions/{code}": [{"code": c} for c in (*REGIONS, NUTS1, COUNTRY)]
    + [{"code": "DE11", "scheme": "eocic2019", "year": MID_YEAR}, {"code": "XX99"}],
    "/api/regions/{code}/portfolio": [{"code": "DE11"}, {"code": "FR10", "scheme": "uscmp", "top": 10},
                                      {"code": "DE1", "year": MID_YEAR}, {"code": "DE"}],
    "/api/regions/{code}/clusters/{category}/tests": [
        {"code": "DE11", "category": "automotive"}, {"code": "FR10", "category": "biopharmaceuticals"},
        {"code": "ITC4", "category": "financial_services", "scheme": "eocic2019", "year": MID_YEAR}],
    "/api/categories": [{}, {"kind": "traded"}, {"kind": "emerging"}, {"kind": "local"}],
    "/api/categories/{category}": [{"category": c} for c in (*CATEGORIES, EMERGING[0], LOCAL)]
    + [{"category": "automotive", "level": 1, "scheme": "uscmp"}, {"category": "nonsense"}],
    "/api/categories/{category}/divisions": [{"category": c} for c in (*CATEGORIES, EMERGING[0])],
    "/api/categories/{category}/regions": [
        {"category": "automotive"}, {"category": "automotive", "measure": "lq", "level": 1},
        {"category": "biopharmaceuticals", "min_stars": 2, "scheme": "eocic2019", "year": MID_YEAR},
        {"category": "automotive", "measure": "growth"}],
    "/api/measures": [
        {}, {"region": "DE11"}, {"region": "DE11,FR10,ITC4", "category": "automotive"},
        {"category": "automotive", "min_stars": 1}, {"country": "DE", "level": 1},
        {"scheme": "eocic2019", "year": MID_YEAR, "kind": "traded", "region": "FR10"},
        {"scheme": "uscmp", "year": FIRST_YEAR, "region": "ITC4"}, {"level": 0, "sort": "-employment", "limit": 50},
        {"region": "DE11", "kind": "emerging"}, {"year": 1999}],
    "/api/geojson": [{}, {"category": "automotive"}, {"category": "automotive", "measure": "lq", "level": 1},
                     {"scheme": "eocic2019", "year": MID_YEAR, "min_stars": 2}],
    "/api/headline": [{}, *[{"scheme": s} for s in SCHEMES], {"year": MID_YEAR, "level": 1}, {"kind": "emerging"},
                      {"level": 0}],
    "/api/timeline": [{"region": "DE11", "category": "automotive"},
                      {"region": "FR10", "category": "biopharmaceuticals", "scheme": "eocic2019"},
                      {"region": "DE1", "category": "automotive"}],
    "/api/versions": [{}],
    "/api/sources": [{}],
    "/api/linkages/relatedness": [{}, {"category": "automotive"}, {"method": "uscmp", "threshold": 95},
                                  {"method": "colocation_loglq", "year": MID_YEAR}],
    "/api/linkages/opportunities/{code}": [{"code": c} for c in REGIONS],
    "/api/emerging": [{}, {"year": MID_YEAR}],
    "/api/emerging/{industry}": [{"industry": e} for e in EMERGING] + [{"industry": EMERGING[0], "part": "regions"}],
    "/api/regions/{code}/opportunities": [{"code": c} for c in REGIONS],
    "/api/complexity/eci": [{}, {"level": 1}, {"year": MID_YEAR}],
    "/api/scoreboard/scores": [{}, {"region": "DE11,FR10"}, {"name": "overall"}, {"level": "dimension"}],
    "/api/scoreboard/ranks": [{}, {"region": "DE11"}],
    "/api/scoreboard/intervals": [{}, {"region": "ITC4"}],
    "/api/scoreboard/values": [{}, {"region": "DE11"}, {"indicator": "rd_expenditure"}],
    "/api/scoreboard/indicators": [{}],
    "/api/scoreboard/strengths": [{"region": "DE11"}, {"region": "FR10", "peers": "DE11,ITC4"}],
    "/api/assessments/questionnaires": [{}],
    "/api/assessments/questionnaires/{key}/{version}": [{"key": "stress_test", "version": "2026.1"},
                                                        {"key": "stress_test", "version": "0"}],
    # the portal database is empty: the lists are empty, one object is a 404, the replies need a token (401)
    "/api/assessments/results/{token}": [{"token": "no-such-token"}],
    "/api/assessments/public/{public_token}": [{"public_token": "no-such-token"}],
    "/api/registry/profiles": [{}, {"country": "DE"}], "/api/registry/profiles/{pk}": [{"pk": 1}],
    "/api/registry/requests": [{}], "/api/registry/requests/{pk}": [{"pk": 1}],
    "/api/registry/replies": [{}], "/api/registry/replies/{pk}": [{"pk": 1}],
    "/api/registry/events": [{}], "/api/registry/events/{pk}": [{"pk": 1}],
    "/api/registry/programmes": [{}], "/api/registry/programmes/{pk}": [{"pk": 1}],
    "/api/registry/news": [{}], "/api/registry/news/{pk}": [{"pk": 1}],
    "/api/reports/europe.{fmt}": [{}],
    "/api/reports/country/{code}.{fmt}": [{"code": "DE"}],
    "/api/reports/region/{code}.{fmt}": [{"code": "DE11"}, {"code": "DE11", "lang": "fr"}],
    "/api/reports/trends.{fmt}": [{}],
    "/api/reports/trends/{code}.{fmt}": [{"code": "DE"}],
}
#: API calls repeated in French (category names and descriptions are translated)
API_FRENCH = ("/api/categories", "/api/categories/{category}", "/api/measures", "/api/regions/{code}/portfolio",
              "/api/emerging", "/api/headline")
#: file formats a call is repeated in (the first parameter set of each path), when the endpoint offers them
FILE_FORMATS = ("csv", "xlsx", "parquet", "geojson")

# ---- charts that no page links (each chart of CHARTS is hashed at least with these) --------------------------------
CHART_FALLBACK: dict[str, list[dict[str, str]]] = {
    "stars-map": [{}], "strength-map": [{"category": "automotive"}], "locator": [{"region": "DE11"}],
    "region-stars": [{"region": "DE11"}], "portfolio": [{"region": "DE11"}],
    "sector-top": [{"category": "automotive"}], "sector-distribution": [{"category": "automotive"}],
    "compare-stars": [{"regions": "DE11,FR10,ITC4"}], "compare-measure": [{"regions": "DE11,FR10,ITC4"}],
    "cluster-timeline": [{"region": "DE11", "category": "automotive"}],
    "related-network": [{"category": "automotive"}], "opportunities": [{"region": "DE11"}],
    "emerging-composition": [{"category": EMERGING[0]}], "emerging-map": [{"category": EMERGING[0]}],
    "growth-opportunities": [{"region": "DE11"}], "industry-space": [{"region": "DE11"}], "eci-map": [{}],
    "eci-years": [{"region": "DE11"}], "scoreboard-map": [{}], "scoreboard-profile": [{"region": "DE11"}],
    "scoreboard-ranks": [{"region": "DE11"}], "scoreboard-gaps": [{"region": "DE11"}],
}

# ---- selectors, called directly (name, kwargs); each in English, a few in French -----------------------------------
S = "clusterobs.web.selectors."
SELECTORS: list[tuple[str, dict[str, Any]]] = [
    (S + "measures", {}), (S + "measures", {"region": "DE11"}), (S + "measures", {"category": "automotive"}),
    (S + "measures", {"scheme": "eocic2019", "year": MID_YEAR, "level": 1}),
    (S + "measures", {"scheme": "uscmp", "year": FIRST_YEAR, "regions": list(REGIONS)}),
    (S + "measures", {"level": 0, "min_stars": 1}),
    (S + "headline", {}), (S + "headline", {"kind": "emerging"}), (S + "headline", {"scheme": "eocic2019", "level": 1}),
    (S + "headline", {"scheme": "uscmp", "year": MID_YEAR}),
    (S + "region_headlines", {}), (S + "region_headlines", {"level": 1, "kind": "local"}),
    (S + "region_headlines", {"scheme": "eocic2019", "year": MID_YEAR}),
    (S + "region_map_values", {}), (S + "region_map_values", {"category": "automotive", "measure": "stars"}),
    (S + "region_map_values", {"category": "automotive", "measure": "lq", "level": 1}),
    (S + "region_map_values", {"category": "biopharmaceuticals", "measure": "growth", "year": MID_YEAR}),
    (S + "region_map_values", {"scheme": "eocic2019", "min_stars": 2}),
    (S + "region_map", {"category": "automotive", "measure": "employment"}),
    (S + "star_threshold", {"category": "automotive", "measure": "lq"}),
    (S + "star_threshold", {"category": "automotive", "measure": "employment"}),
    (S + "star_threshold", {"category": "biopharmaceuticals", "measure": "focus", "scheme": "eocic2019"}),
    (S + "star_threshold", {"category": "automotive", "measure": "lq", "scheme": "uscmp", "level": 1}),
    *[(S + "region_context", {"code": c}) for c in (*REGIONS, NUTS1)],
    (S + "category_star_counts", {}), (S + "category_star_counts", {"scheme": "eocic2019", "year": MID_YEAR}),
    (S + "category_star_counts", {"level": 1}),
    (S + "region_quality", {}), (S + "region_quality", {"level": 1, "year": MID_YEAR}), (S + "no_data_regions", {}),
    *[(S + "region_quality_get", {"code": c}) for c in (*REGIONS, NUTS1)],
    *[(S + "region_caveats", {"code": c}) for c in REGIONS],
    (S + "star_tests", {"region": "DE11", "category": "automotive"}),
    (S + "star_tests", {"region": "FR10", "category": "biopharmaceuticals", "scheme": "eocic2019"}),
    (S + "region_star_tests", {"region": "DE11"}),
    (S + "category_get", {"category": "automotive"}), (S + "category_get", {"category": EMERGING[0]}),
    (S + "category_list", {}), (S + "category_list", {"kind": "emerging"}), (S + "categories_named", {}),
    (S + "display_names", {}),
    *[(S + "region_get", {"code": c}) for c in (*REGIONS, NUTS1, COUNTRY)],
    (S + "region_search", {"q": "stutt"}), (S + "region_search", {"q": "Paris"}),
    (S + "region_list", {}), (S + "region_list", {"level": 1, "country": "FR"}), (S + "region_list", {"q": "lomb"}),
    (S + "measure_list", {}), (S + "measure_list", {"regions": ["DE11"], "sort": "-lq", "limit": 20}),
    (S + "measure_list", {"country": "DE", "kind": "traded", "min_stars": 1}),
    (S + "indicator_catalogue", {}),
    *[(S + "region_profile", {"code": c}) for c in (*REGIONS, COUNTRY)],
    *[(S + "region_headline", {"code": c}) for c in (*REGIONS, NUTS1, COUNTRY)],
    *[(S + "category_profile", {"category": c}) for c in (*CATEGORIES, EMERGING[0])],
    *[(S + "category_divisions", {"category": c}) for c in CATEGORIES],
    (S + "category_regions", {"category": "automotive"}),
    (S + "category_regions", {"category": "biopharmaceuticals", "measure": "lq", "level": 1, "min_stars": 1}),
    *[(S + "region_portfolio", {"code": c}) for c in (*REGIONS, NUTS1)],
    (S + "star_explanation", {"code": "DE11", "category": "automotive"}),
    (S + "star_explanation", {"code": "FR10", "category": "biopharmaceuticals", "scheme": "eocic2019"}),
    (S + "dataset_citation", {}), (S + "dataset_meta", {}), (S + "versions", {}), (S + "sources", {}),
    (S + "category_coverage", {}), (S + "category_coverage", {"level": 1}),
    (S + "stars_by_region", {}), (S + "stars_by_region", {"stars": 2, "level": 1}),
    *[(S + "region_employment", {"code": c}) for c in REGIONS],
    (S + "label_points", {}), (S + "label_points", {"level": 1}),
    *[(S + "peer_regions", {"code": c}) for c in REGIONS],
    (S + "years_with", {"measure": "growth"}), (S + "years_with", {"measure": "productivity"}),
    ("clusterobs.web.history.store_years", {}),
    ("clusterobs.web.history.cluster_timeline", {"code": "DE11", "category": "automotive"}),
    ("clusterobs.web.history.region_growth_leaders", {"code": "DE11"}),
    ("clusterobs.web.history.category_growth_leaders", {"category": "automotive"}),
    ("clusterobs.web.history.region_structural_change", {"code": "FR10"}),
    ("clusterobs.web.linkages.selectors.relatedness", {"category": "automotive"}),
    ("clusterobs.web.linkages.selectors.related_to", {"category": "automotive"}),
    ("clusterobs.web.linkages.selectors.opportunities", {"code": "DE11"}),
    ("clusterobs.web.linkages.selectors.emerging_list", {}),
    ("clusterobs.web.linkages.selectors.emerging_composition", {"industry": EMERGING[0]}),
    ("clusterobs.web.linkages.selectors.emerging_regions", {"industry": EMERGING[0]}),
    ("clusterobs.web.complexity.selectors.eci_regions", {}),
    ("clusterobs.web.complexity.selectors.opportunities", {"code": "DE11"}),
    ("clusterobs.web.complexity.selectors.similar_regions", {"code": "DE11"}),
    ("clusterobs.web.complexity.selectors.industry_space", {"code": "DE11"}),
    ("clusterobs.web.scoreboard.selectors.scores", {}),
    ("clusterobs.web.scoreboard.selectors.ranks", {"region": ["DE11", "FR10"]}),
    ("clusterobs.web.scoreboard.selectors.strengths", {"code": "DE11"}),
    ("clusterobs.web.scoreboard.selectors.indicators", {}),
]
SELECTORS_FRENCH = (S + "measures", S + "category_list", S + "display_names", S + "category_profile",
                    S + "region_portfolio", S + "headline")

# ---- reports: built by the report code (clusterobs.reports), and the reads of ReportData ---------------------------
REPORTS: list[tuple[str, str | None, str, int | None, str]] = [  # kind, code, scheme, year, lang
    ("region", "DE11", "eco2007", None, "en"), ("region", "DE11", "eco2007", None, "fr"),
    ("region", "FR10", "eocic2019", MID_YEAR, "en"), ("region", "ITC4", "eco2007", None, "en"),
    ("region", NUTS1, "eco2007", None, "en"), ("region", COUNTRY, "eco2007", None, "en"),
    ("country", "DE", "eco2007", None, "en"), ("country", "FR", "eco2007", None, "fr"),
    ("panorama", None, "eco2007", None, "en"), ("panorama", None, "eco2007", None, "fr"),
    ("panorama", None, "eocic2019", MID_YEAR, "en"),
    ("trends", None, "eco2007", None, "en"), ("trends", "DE", "eco2007", None, "en"),
]
R = "clusterobs.reports.data.ReportData."
REPORT_READS: list[tuple[str, dict[str, Any]]] = [
    (R + "measures", {"scheme": "eco2007", "year": YEAR}), (R + "measures", {"scheme": "eco2007", "year": YEAR,
                                                                               "region": "DE11"}),
    (R + "quality", {"year": YEAR}), (R + "region_headlines", {"scheme": "eco2007", "year": YEAR}),
    (R + "region_caveats", {"code": "DE11", "year": YEAR, "level": 2}),
    (R + "history", {"years": [MID_YEAR, YEAR], "scheme": "eco2007"}),
    (R + "relatedness_pairs", {}), (R + "division_pairs", {}),
    (R + "indicator_values", {"indicator": "gdp_pps_per_inhabitant"}),
    (R + "region_indicators", {"code": "DE11"}), (R + "lfs_employment", {"code": "DE11"}),
    (R + "region", {"code": "DE11"}), (R + "country_name", {"country": "FR"}),
    (R + "scheme_title", {"scheme": "eocic2019"}),
]

# ---- normalisation: what differs between two processes, and nothing else --------------------------------------------
#: (pattern, replacement, why); applied to text answers (HTML, JSON, CSV, iCalendar, Atom, ...)
NORMALISE: list[tuple[re.Pattern[str], str, str]] = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*"'), r'\1CSRF"', "CSRF token: new for every request"),
    (re.compile(r'(\bnonce=")[^"]*"'), r'\1NONCE"', "CSP nonce (none today)"),
    (re.compile(r"\b(reference:? |ref |reference\": \"|\(ref )[0-9a-f]{8,12}\b"), r"\1REF",
     "error references (uuid4) on a chart, API or report error"),
    (re.compile(r"^(DTSTAMP:)\d{8}T\d{6}Z?$", re.M), r"\1TIME", "iCalendar DTSTAMP: when the feed was written"),
    (re.compile(r"(<feed\b[^>]*>.*?</id>)<updated>[^<]*</updated>", re.S), r"\1<updated>TIME</updated>",
     "an Atom feed's own <updated>: the time of the request while the (throwaway) registry holds no news"),
]
#: report fields set when the report is built
REPORT_STAMPS = {"generated_at": "GENERATED-AT"}


# ====================================================================================================================


def resolve(dotted: str) -> Any | None:
    """The object at ``dotted`` (or at one of its ``ALIASES`` or ``PREFIX_ALIASES``), or None when it is nowhere."""
    moved = [new + dotted[len(old):] for old, news in PREFIX_ALIASES.items() if dotted.startswith(old) for new in news]
    for name in (dotted, *ALIASES.get(dotted, ()), *moved):
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            try:
                obj: Any = importlib.import_module(".".join(parts[:i]))
            except ImportError:
                continue
            try:
                for attr in parts[i:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                break
            return obj
    return None


def canonical(value: Any) -> bytes:
    """Deterministic bytes of a selector's or a read's result (frames as CSV with their dtypes, figures as their
    JSON, mappings in their own order, sets sorted)."""
    import numpy as np
    import pandas as pd

    def plain(v: Any) -> Any:
        if isinstance(v, pd.DataFrame):
            return {"__frame__": {"columns": [str(c) for c in v.columns], "dtypes": [str(t) for t in v.dtypes],
                                  "index": str(v.index.dtype), "csv": v.to_csv()}}
        if isinstance(v, pd.Series):
            return {"__series__": {"name": str(v.name), "dtype": str(v.dtype), "csv": v.to_csv()}}
        if hasattr(v, "to_plotly_json"):
            return {"__figure__": json.loads(v.to_json())}
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {"__" + type(v).__name__ + "__": {f.name: plain(getattr(v, f.name))
                                                      for f in dataclasses.fields(v) if f.repr}}
        if isinstance(v, dict):
            return {"__dict__": [[plain(k), plain(x)] for k, x in v.items()]}
        if isinstance(v, list | tuple):
            return [plain(x) for x in v]
        if isinstance(v, set | frozenset):
            return {"__set__": sorted((plain(x) for x in v), key=repr)}
        if isinstance(v, np.ndarray):
            return {"__array__": [str(v.dtype), plain(v.tolist())]}
        if isinstance(v, np.generic):
            return plain(v.item())
        if isinstance(v, float):
            return repr(v) if math.isnan(v) or math.isinf(v) else v
        if isinstance(v, bytes):
            return {"__bytes__": hashlib.sha256(v).hexdigest()}
        if v is None or isinstance(v, bool | int | str):
            return v
        if v is pd.NA or v is pd.NaT:
            return repr(v)
        return {"__repr__": re.sub(r" at 0x[0-9a-f]+", "", repr(v))}

    return json.dumps(plain(value), ensure_ascii=False, allow_nan=False).encode()


def is_text(content_type: str) -> bool:
    ct = content_type.split(";")[0].strip().lower()
    return ct.startswith("text/") or ct.endswith(("json", "xml", "javascript")) or ct in (
        "application/geo+json", "image/svg+xml")


def normalise(body: bytes, content_type: str) -> bytes:
    """``body`` without what varies from one process to the next: a zip (XLSX) as its members' names and contents
    (the members' times are when it was written), text with ``NORMALISE`` applied."""
    if body[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            parts = [f"{i.filename}\0".encode() + normalise(z.read(i), "") for i in z.infolist()]
        return b"zip\0" + b"\0\0".join(parts)
    if not is_text(content_type) and content_type:
        return body
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body
    for pattern, repl, _why in NORMALISE:
        text = pattern.sub(repl, text)
    return text.encode("utf-8")


class Recorder:
    """The hashes by key; ``dump`` also writes each key's normalised bytes (to diff two runs)."""

    def __init__(self, dump: Path | None) -> None:
        self.out: dict[str, dict[str, Any]] = {}
        self.dump = dump
        if dump:
            dump.mkdir(parents=True, exist_ok=True)

    def add(self, key: str, body: bytes | None, *, status: int | str = 200, content_type: str = "",
            headers: dict[str, str] | None = None, note: str | None = None) -> None:
        entry: dict[str, Any] = {"status": status, "content_type": content_type,
                                 "sha256": hashlib.sha256(body).hexdigest() if body is not None else None,
                                 "bytes": len(body) if body is not None else None}
        if headers:
            entry["headers"] = headers
        if note:
            entry["note"] = note
        self.out[key] = entry
        if self.dump and body is not None:
            name = hashlib.sha256(key.encode()).hexdigest()[:16]
            (self.dump / f"{name}.bin").write_bytes(body)
            with (self.dump / "index.tsv").open("a", encoding="utf-8") as f:
                f.write(f"{name}\t{key}\n")


# ---- Django ---------------------------------------------------------------------------------------------------------


def setup_django(tmp: Path) -> None:
    """Django over ``CLUSTEROBS_HOME`` with a throwaway SQLite portal database and media folder in ``tmp``."""
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'portal.sqlite3'}"
    os.environ["CLUSTEROBS_MEDIA_ROOT"] = str(tmp / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    os.environ.pop("CLUSTEROBS_HASHED_STATIC", None)
    os.environ.pop("CLUSTEROBS_CACHE_URL", None)
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: the store has no collected static
    import django
    from django.conf import settings

    django.setup()
    settings.ALLOWED_HOSTS = ["testserver"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def single_threaded_duckdb() -> None:
    """Every DuckDB connection with one thread. A parallel SUM of doubles adds in the order its threads finish, so its
    last bits vary from one process to the next (seen: ``complexity.selectors.europe_employment``, 673383.4194840003
    or …0007 in 3 runs of 30); with one thread the order is the table's, every time. The code is unchanged."""
    import duckdb

    connect = duckdb.connect

    def connect_one_thread(database: Any = ":memory:", read_only: bool = False, config: dict | None = None,
                           **kwargs: Any) -> Any:
        return connect(database, read_only=read_only, config={**(config or {}), "threads": 1}, **kwargs)

    duckdb.connect = connect_one_thread


def stub_reports(tmp: Path, build_html: Callable[[str, str | None, str, int, str], str]) -> str | None:
    """Serve the web's reports from ``build_html`` (no background generation, no Chromium, no write into the
    store): the report cache folder is moved into ``tmp`` and ``report_get`` writes the HTML there, ready."""
    services = resolve("clusterobs.web.reports.services")
    if services is None or not hasattr(services, "ReportState"):
        return "clusterobs.web.reports.services not found: report pages generate as the server would"
    services.cache_dir = lambda version: tmp / "reports" / version

    def report_get(key: Any, *, wait: float | None = None) -> Any:
        folder = services.cache_dir(key.version)
        folder.mkdir(parents=True, exist_ok=True)
        html = folder / f"{key.slug}.html"
        if not html.exists():
            html.write_text(build_html(key.kind, key.code, key.scheme, key.year, key.lang), encoding="utf-8")
            (folder / f"{key.slug}.pdf").write_bytes(b"%PDF placeholder of scripts/output_hashes.py\n")
        return services.ReportState(key, "ready")

    for name in ("clusterobs.web.reports.services", "clusterobs.web.reports.views", "clusterobs.web.reports.api"):
        module = resolve(name)
        if module is not None and hasattr(module, "report_get"):
            module.report_get = report_get
    return None


def stub_images() -> str | None:
    """``/api/figures/<chart>.<fmt>`` answers the figure's JSON instead of an image drawn by Chromium."""
    figures = resolve("clusterobs.web.figures")
    if figures is None or not hasattr(figures, "render_image"):
        return "clusterobs.web.figures.render_image not found: chart exports are not hashed"
    figures.render_image = lambda fig, fmt, **kw: fig.to_json().encode()
    return None


# ---- the runs -------------------------------------------------------------------------------------------------------

HEADERS_KEPT = ("location", "content-disposition", "content-language", "x-dataset-version", "retry-after")


def fetch(client: Any, rec: Recorder, key: str, url: str, skip: list[re.Pattern[str]] | None = None) -> str | None:
    """GET ``url`` and record it; returns the text of an HTML answer (for its links)."""
    if any(p.search(url) for p in skip or ()):
        rec.add(key, None, status="skipped", note="its stub could not be installed (see the run's notes)")
        return None
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    with contextlib.suppress(Exception):
        response.close()
    ct = response.get("Content-Type", "")
    headers = {h: response[h] for h in HEADERS_KEPT if response.has_header(h)}
    rec.add(key, normalise(body, ct), status=response.status_code, content_type=ct, headers=headers)
    if ct.startswith("text/html"):
        return body.decode("utf-8", "replace")
    return None


LINK = re.compile(r'(?:href|src|data-[a-z-]+)="(/api/[^"#]*)"')


def page_links(html: str) -> Iterable[str]:
    for m in LINK.finditer(html):
        yield unescape(m.group(1))


def api_requests(schema: dict[str, Any]) -> tuple[list[tuple[str, str]], list[str]]:
    """(lang, url) of every GET endpoint of the schema with the parameter sets of ``API_CALLS`` (a path not in it:
    once, with ``PATH_VALUES``) and its file formats; and the paths the table does not know."""
    out: list[tuple[str, str]] = []
    unknown: list[str] = []
    for path, ops in schema.get("paths", {}).items():
        op = ops.get("get")
        if op is None:
            continue
        calls = API_CALLS.get(path)
        if calls is None:
            unknown.append(path)
            calls = [{}]
        formats: list[str] = []
        for p in op.get("parameters", []):
            if p.get("name") == "format":
                sch = p.get("schema", {})
                enum = sch.get("enum") or next((a.get("enum") for a in sch.get("anyOf", []) if a.get("enum")), [])
                formats = [f for f in enum if f in FILE_FORMATS]
        names = re.findall(r"{(\w+)}", path)
        for i, params in enumerate(calls):
            url_path = path
            query = dict(params)
            for name in names:
                url_path = url_path.replace("{" + name + "}", str(query.pop(name, PATH_VALUES.get(name, "x"))))
            qs = urlencode(query)
            url = url_path + ("?" + qs if qs else "")
            out.append(("en", url))
            if path in API_FRENCH:
                out.append(("fr", url))
            if i == 0:
                for f in formats:
                    out.append(("en", url_path + "?" + urlencode({**query, "format": f})))
    return out, unknown


def run(out: Path, dump: Path | None) -> int:
    start = time.perf_counter()
    rec = Recorder(dump)
    home = Path(os.environ["CLUSTEROBS_HOME"])
    before = files_of(home)
    tmp = Path(tempfile.mkdtemp(prefix="output-hashes-"))
    try:
        single_threaded_duckdb()
        setup_django(tmp)
        if not os.environ.get("OUTPUT_HASHES_VERBOSE"):
            logging.disable(logging.CRITICAL)  # 4xx/5xx answers are recorded; their log lines are noise here
        from django.test import Client
        from django.utils import translation

        # what would start Chromium or write into the store is replaced; if it cannot be, those URLs are skipped
        skip: list[re.Pattern[str]] = []
        for problem, pattern in ((stub_images(), r"^/api/figures/"),
                                 (stub_reports(tmp, lambda *a: report_html(rec, *a)[0]), r"^/(api/)?reports/[^?]")):
            if problem:
                print(f"note: {problem}: URLs matching {pattern} are skipped")
                skip.append(re.compile(pattern))
        clients = {}
        for lang in LANGS:
            c = Client(HTTP_ACCEPT_LANGUAGE=lang, raise_request_exception=False)
            c.cookies["django_language"] = lang
            clients[lang] = c

        # 1. pages, and the chart and API links they carry
        links: dict[tuple[str, str], None] = {}
        for i, url in enumerate(PAGES):
            for lang in LANGS:
                html = fetch(clients[lang], rec, f"page:{lang}:{url}", url, skip)
                for link in page_links(html or ""):
                    links[(lang if link.startswith("/api/figures/") else "en", link)] = None
            if (i + 1) % 20 == 0:
                print(f"pages: {i + 1}/{len(PAGES)} ({len(rec.out)} keys, {time.perf_counter() - start:.0f} s)",
                      flush=True)
        print(f"pages: {len(PAGES)} × {len(LANGS)} languages; {len(links)} links found "
              f"({time.perf_counter() - start:.0f} s)", flush=True)

        # 2. charts: every chart link of the pages (figure JSON), and the charts no page links
        charts = resolve("clusterobs.web.chartspecs.CHARTS") or {}
        chart_urls = {(lang, u) for lang, u in links if u.startswith("/api/figures/")}
        linked = {re.match(r"/api/figures/([a-z0-9-]+)\.", u).group(1) for _, u in chart_urls}
        for name in sorted(charts):
            if name not in linked:
                for params in CHART_FALLBACK.get(name, [{}]):
                    chart_urls.add(("en", f"/api/figures/{name}.svg" + ("?" + urlencode(params) if params else "")))
        chart_urls = {(lang, re.sub(r"\.png(\?|$)", r".svg\1", u)) for lang, u in chart_urls}  # one of the two
        for lang, url in sorted(chart_urls):
            fetch(clients[lang], rec, f"chart:{lang}:{url}", url, skip)
        for name in sorted(set(CHART_FALLBACK) - set(charts)):
            rec.add(f"chart:en:/api/figures/{name}.svg", None, status="missing", note="not in chartspecs.CHARTS")
        print(f"charts: {len(chart_urls)} figure JSONs of {len(charts)} charts ({time.perf_counter() - start:.0f} s)",
              flush=True)

        # 3. the API: the schema, every GET endpoint with its parameter sets and file formats, the pages' API links
        fetch(clients["en"], rec, "api:en:/api/openapi.json", "/api/openapi.json")
        schema = json.loads(clients["en"].get("/api/openapi.json").content)
        calls, unknown = api_requests(schema)
        for path in unknown:
            print(f"note: {path} is not in API_CALLS: called once with PATH_VALUES")
        for path in sorted(set(API_CALLS) - set(schema.get("paths", {}))):
            rec.add(f"api:en:{path}", None, status="missing", note="in API_CALLS, not in the OpenAPI schema")
        api_urls = dict.fromkeys(calls)
        api_urls.update(dict.fromkeys((lang, u) for lang, u in links if not u.startswith("/api/figures/")))
        for i, (lang, url) in enumerate(api_urls):
            fetch(clients[lang], rec, f"api:{lang}:{url}", url, skip)
            if (i + 1) % 100 == 0:
                print(f"api: {i + 1}/{len(api_urls)} ({time.perf_counter() - start:.0f} s)", flush=True)
        print(f"api: {len(api_urls)} answers ({time.perf_counter() - start:.0f} s)", flush=True)

        # 4. selectors, called directly
        for name, kwargs in SELECTORS:
            for lang in LANGS if name in SELECTORS_FRENCH else ("en",):
                with translation.override(lang):
                    call(rec, f"selector:{lang}:{short(name)}({args_text(kwargs)})", name, kwargs)
        print(f"selectors: {len(SELECTORS)} calls ({time.perf_counter() - start:.0f} s)", flush=True)

        # 5. reports: the report code's HTML (and each chart's figure JSON and the facts), and ReportData's reads
        for kind, code, scheme, year, lang in REPORTS:
            report_html(rec, kind, code, scheme, year, lang)
        report_reads(rec)
        print(f"reports: {len(REPORTS)} reports and {len(REPORT_READS)} reads ({time.perf_counter() - start:.0f} s)",
              flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    elapsed = time.perf_counter() - start
    statuses: dict[str, int] = {}
    for entry in rec.out.values():
        statuses[str(entry["status"])] = statuses.get(str(entry["status"]), 0) + 1
    meta = {"keys": len(rec.out), "seconds": round(elapsed, 1), "statuses": dict(sorted(statuses.items())),
            "home": os.environ.get("CLUSTEROBS_HOME"), "python_path": os.environ.get("PYTHONPATH")}
    out.write_text(json.dumps({"meta": meta, "hashes": dict(sorted(rec.out.items()))}, indent=1, ensure_ascii=False)
                   + "\n", encoding="utf-8")
    print(f"{len(rec.out)} keys hashed into {out} in {elapsed:.1f} s; statuses {meta['statuses']}")
    changed = sorted(str(p) for p, stamp in files_of(home).items() if before.get(p) != stamp)
    if changed:
        print(f"ERROR: the run wrote into the store {home}: {', '.join(changed[:10])}", file=sys.stderr)
        return 2
    return 0


def files_of(home: Path) -> dict[Path, tuple[int, int]]:
    """Every file under ``home`` with its size and modification time (the run must leave them as they were)."""
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in home.rglob("*") if p.is_file()}


def short(dotted: str) -> str:
    return dotted.removeprefix("clusterobs.").removeprefix("web.")


def args_text(kwargs: dict[str, Any]) -> str:
    return ",".join(f"{k}={v!r}" for k, v in kwargs.items())


def call(rec: Recorder, key: str, name: str, kwargs: dict[str, Any], obj: Any = None) -> None:
    """Call ``name`` (resolved; a method of ``obj`` when given) and record its result, or its error, or missing."""
    fn = resolve(name)
    if fn is None:
        rec.add(key, None, status="missing", note=f"{name} not found (add its new home to ALIASES)")
        return
    if obj is not None:  # a method: its name on ``obj``, or an alias's (a renamed method of the same class)
        fn = next((getattr(obj, n.rsplit(".", 1)[1]) for n in (name, *ALIASES.get(name, ()))
                   if hasattr(obj, n.rsplit(".", 1)[1])), None)
        if fn is None:
            rec.add(key, None, status="missing", note=f"{name} not found on {type(obj).__name__}")
            return
    try:
        value = fn(**kwargs)
    except Exception as exc:  # an error is an output too (its type and message)
        text = re.sub(r" at 0x[0-9a-f]+", "", f"{type(exc).__name__}: {exc}")
        rec.add(key, text.encode(), status="error", content_type="text/plain")
        return
    rec.add(key, canonical(value), status="ok", content_type="application/json")


_reports: dict[tuple[Any, ...], tuple[str, Any]] = {}
_report_data: list[Any] = []


def _data() -> Any:
    if not _report_data:
        store = resolve("clusterobs.store.Store")
        report_data = resolve("clusterobs.reports.data.ReportData") or resolve("clusterobs.reports.ReportData")
        if store is None or report_data is None:
            raise LookupError("clusterobs.store.Store or clusterobs.reports.data.ReportData not found (ALIASES)")
        _report_data.append(report_data.open(store(Path(os.environ.get("CLUSTEROBS_HOME", "var")))))
    return _report_data[0]


def report_html(rec: Recorder, kind: str, code: str | None, scheme: str, year: int | None,
                lang: str) -> tuple[str, Any]:
    """The HTML of one report from the report code (memoized): charts stand as the hash of their figure JSON, the
    build time as ``REPORT_STAMPS``; recorded with each chart's figure JSON and the report's facts."""
    try:
        data = _data()
    except Exception as exc:
        rec.add(f"report:{kind}:{code or 'EU'}:{scheme}:{year or 'latest'}:{lang}:html", None, status="missing",
                note=str(exc))
        return "", None
    with contextlib.suppress(Exception):
        year = data.check_year(year)  # None: the latest, named (the web's report keys name it)
    key = (kind, code, scheme, year, lang)
    if key in _reports:
        return _reports[key]
    stem = f"report:{kind}:{code or 'EU'}:{scheme}:{year or 'latest'}:{lang}"
    build = {"region": "clusterobs.reports.scorecard.build_scorecard",
             "trends": "clusterobs.reports.trends.build_trends"}.get(kind, "clusterobs.reports.panorama.build_panorama")
    fn, render_html = resolve(build), resolve("clusterobs.reports.html.render_html")
    _reports[key] = ("", None)
    if fn is None or render_html is None:
        rec.add(stem + ":html", None, status="missing", note=f"{build} or render_html not found")
        return _reports[key]
    try:
        _reports[key] = _report(rec, stem, fn, render_html, data, kind, code, scheme, year, lang)
    except Exception as exc:  # recorded (a refactor may break a report); the other outputs are still hashed
        rec.add(stem + ":html", f"{type(exc).__name__}: {exc}".encode(), status="error", content_type="text/plain")
    return _reports[key]


def _report(rec: Recorder, stem: str, fn: Callable[..., Any], render_html: Callable[[Any], str], data: Any,
            kind: str, code: str | None, scheme: str, year: int | None, lang: str) -> tuple[str, Any]:
    if kind == "region":
        report = fn(data, code, scheme=scheme, year=year, lang=lang)
    elif kind == "trends":
        report = fn(data, scheme=scheme, country=code, lang=lang)
    else:
        report = fn(data, scheme=scheme, year=year, country=code if kind == "country" else None, lang=lang)
    for attr, stamp in REPORT_STAMPS.items():
        if hasattr(report, attr):
            setattr(report, attr, stamp)
    for chart in report.charts:
        fig_json = chart.fig.to_json().encode()
        chart.image = b"figure-json-sha256:" + hashlib.sha256(fig_json).hexdigest().encode()
        chart.mime = "text/plain"
        rec.add(f"{stem}:chart:{chart.name}", fig_json, content_type="application/json")
    html = render_html(report)
    rec.add(stem + ":html", html.encode(), content_type="text/html")
    rec.add(stem + ":facts", canonical({"slug": report.slug, "title": report.title, "subtitle": report.subtitle,
                                        "facts": report.facts, "highlights": report.highlights,
                                        "caveats": report.caveats}), content_type="application/json")
    return html, report


def report_reads(rec: Recorder) -> None:
    try:
        data = _data()
    except Exception as exc:
        for name, kwargs in REPORT_READS:
            rec.add(f"reportdata:{name.rsplit('.', 1)[1]}({args_text(kwargs)})", None, status="missing", note=str(exc))
        return
    for name, kwargs in REPORT_READS:
        call(rec, f"reportdata:{name.rsplit('.', 1)[1]}({args_text(kwargs)})", name, kwargs, obj=data)


# ---- compare --------------------------------------------------------------------------------------------------------


def compare(a: Path, b: Path) -> int:
    """Print the keys whose hash, status or content type differ, and the keys only one file has; 1 when any."""
    ha = json.loads(a.read_text(encoding="utf-8"))["hashes"]
    hb = json.loads(b.read_text(encoding="utf-8"))["hashes"]
    fields = ("sha256", "status", "content_type", "headers")
    differ = [k for k in sorted(set(ha) & set(hb)) if any(ha[k].get(f) != hb[k].get(f) for f in fields)]
    only_a, only_b = sorted(set(ha) - set(hb)), sorted(set(hb) - set(ha))
    for k in differ:
        what = ", ".join(f"{f} {ha[k].get(f)!r} → {hb[k].get(f)!r}" if f != "sha256" else
                         f"sha256 {str(ha[k].get(f))[:12]} → {str(hb[k].get(f))[:12]} "
                         f"({ha[k].get('bytes')} → {hb[k].get('bytes')} bytes)"
                         for f in fields if ha[k].get(f) != hb[k].get(f))
        print(f"DIFFERS  {k}: {what}")
    for k in only_a:
        print(f"MISSING in {b.name}: {k}")
    for k in only_b:
        print(f"MISSING in {a.name}: {k}")
    missing_status = [k for k in sorted(set(ha) | set(hb)) if "missing" in (
        ha.get(k, {}).get("status"), hb.get(k, {}).get("status"))]
    for k in missing_status:
        print(f"NOT FOUND (a name to map in ALIASES?): {k}")
    print(f"{len(set(ha) | set(hb))} keys: {len(differ)} differ, {len(only_a)} only in {a.name}, "
          f"{len(only_b)} only in {b.name}")
    return 1 if differ or only_a or only_b else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the hashes of every output to this JSON file")
    group.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"), help="compare two hash files")
    parser.add_argument("--dump", type=Path, help="with --out: also write each key's normalised bytes here")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not os.environ.get("CLUSTEROBS_HOME"):
        parser.error("set CLUSTEROBS_HOME to the store to read")
    return run(args.out, args.dump)


if __name__ == "__main__":
    sys.exit(main())
