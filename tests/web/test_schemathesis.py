"""API fuzzing: schemathesis generates requests from the OpenAPI schema and calls the Django WSGI app in-process.

No generated request may answer 5xx; answers must match the documented status codes, media types and schemas.

``make test`` runs it derandomized (the same examples on every run, no example database): a suite that draws new
examples each run once failed a fresh clone at random. ``make fuzz`` runs it with fresh random examples and many more
of them (``CLUSTEROBS_FUZZ_EXAMPLES``, default 200 per operation); a failure prints the seed to replay it with
``pytest --hypothesis-seed=N``, and what it finds becomes a test case here or beside the endpoint.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from clusterobs.web.wsgi import application

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Calling the WSGI app directly fires request_started/finished, whose close_old_connections would close the
    test's PostgreSQL connection mid-transaction (endpoints that read the portal database); Django's test client
    disconnects it the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


FUZZ = os.environ.get("CLUSTEROBS_FUZZ") == "1"
#: ``make test``: derandomize draws the examples from a seed fixed per test, and database=None replays nothing saved
#: by an earlier run, so every run sends the same requests. ``make fuzz``: random, many more examples.
RUN = (settings(max_examples=int(os.environ.get("CLUSTEROBS_FUZZ_EXAMPLES", "200")), derandomize=False, deadline=None,
                database=None, suppress_health_check=list(HealthCheck)) if FUZZ else
       settings(max_examples=15, derandomize=True, database=None, deadline=None,
                suppress_health_check=list(HealthCheck)))


@schema.parametrize()
@RUN
def test_no_server_error(case):
    # positive_data_acceptance is left out: a schema-valid value can still be unknown to the data (a country
    # code, a scheme, a year), and that is a 400 by design
    # identity: called in-process through WSGI, nothing decodes a gzip-coded answer before the checks read it (the
    # gzip coding itself is tested in test_cache.py, against the same answer uncoded)
    case.call_and_validate(excluded_checks=[positive_data_acceptance], headers={"Accept-Encoding": "identity"})


def test_a_map_answer_of_the_category_ranking_matches_its_schema():
    """A case the fuzzer once found: ``format=geojson`` answers a FeatureCollection, which the schema must say."""
    op = schema["/api/categories/{category}/regions"]["GET"]
    case = op.Case(path_parameters={"category": "automotive"},
                   query={"level": 0, "measure": "growth", "format": "geojson"})
    case.call_and_validate(excluded_checks=[positive_data_acceptance], headers={"Accept-Encoding": "identity"})


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_the_timeline_of_a_real_cluster_matches_its_schema(fmt):
    """The history endpoint with a region and category that exist (random codes mostly answer 404): every format's
    answer is one the schema documents."""
    op = schema["/api/timeline"]["GET"]
    case = op.Case(query={"region": "DE11", "category": "automotive", "scheme": "uscmp", "format": fmt})
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance],
                                      headers={"Accept-Encoding": "identity"})
    assert response.status_code == 200


def test_the_timeline_errors_match_the_schema():
    op = schema["/api/timeline"]["GET"]
    for query in ({"region": "XX99", "category": "automotive"}, {"region": "DE11", "category": "automotive",
                                                                   "level": 1}):
        case = op.Case(query=query)
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance],
                                          headers={"Accept-Encoding": "identity"})
        assert response.status_code in (400, 404)
