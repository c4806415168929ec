"""A write whose body is left out, or is not a JSON object, says so: never by the endpoint's parameter name
(`` `payload` is required``, as Ninja would). A field left out of a body is named by ``BodyIn``
(``test_registry_api_writes.test_a_missing_or_mistyped_body_field_is_named``)."""

from __future__ import annotations

import pytest

from clusterobs.web.accounts.services import token_create


@pytest.fixture(autouse=True)
def _observatory_home(settings, tmp_path):
    """No store: the body is refused before anything is read (overrides the web suite's, which builds one)."""
    settings.CLUSTEROBS_HOME = tmp_path


#: the body is read before the object: an id that names none still gets the body's error first
ENDPOINTS = [("post", "/api/registry/profiles"), ("post", "/api/registry/requests/7/replies"),
             ("put", "/api/registry/events/7")]


def test_a_write_without_a_body_says_the_body_is_required(people, client):
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=people.owner)}"}
    for method, url in ENDPOINTS:
        response = getattr(client, method)(url, "", content_type="application/json", **bearer)
        assert response.status_code == 400, (url, response.content)
        assert response.json()["error"] == {"status": 400, "parameter": None,
                                            "message": "the request body is required: a JSON object"}, url
        for body, content_type in (("{", "application/json"), ("name=x", "application/x-www-form-urlencoded")):
            response = getattr(client, method)(url, body, content_type=content_type, **bearer)
            assert response.json()["error"] == {"status": 400, "parameter": None,
                                                "message": "the request body must be a JSON object; it is not JSON"}


def test_a_field_left_out_is_named_on_each_endpoint(people, client):
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=people.owner)}"}
    names = {"/api/registry/profiles": "name", "replies": "message", "events": "title"}
    for method, url in ENDPOINTS:
        field = next(v for k, v in names.items() if k in url)
        response = getattr(client, method)(url, "{}", content_type="application/json", **bearer)
        assert response.json()["error"] == {"status": 400, "parameter": field, "message": f"`{field}` is required."}
