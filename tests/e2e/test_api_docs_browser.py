"""The interactive API docs in a real browser: Swagger UI (served from Django Ninja's static files) parses the
OpenAPI document and lists the endpoints with no console error. A duplicated ``"200"`` response key in openapi.json
made it stop at "Parser error … duplicated mapping key"."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def test_api_docs_render_every_endpoint_without_console_errors(page, api):
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    response = page.goto("/api/docs")
    assert response is not None and response.status == 200
    page.wait_for_selector(".swagger-ui .opblock", state="visible", timeout=60_000)
    page.wait_for_load_state("networkidle")
    schema = api.get("/api/openapi.json").json()
    operations = sum(len(ops) for ops in schema["paths"].values())
    assert page.locator(".swagger-ui .opblock").count() == operations
    assert page.locator(".swagger-ui .errors-wrapper").count() == 0, page.locator(".errors-wrapper").inner_text()
    assert "/api/reports/region/{code}.{fmt}" in page.locator(".swagger-ui").inner_text()
    assert not console, console
    assert not page.js_errors, page.js_errors
