"""docs/api.md documents the API: every endpoint, every parameter and every measure column of the OpenAPI schema;
the interactive docs load nothing from the internet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from openapi_spec_validator import validate

from clusterobs.web.mapping.api_schemas import MeasureRow

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def guide() -> str:
    return (DOCS / "api.md").read_text(encoding="utf-8")


def test_every_endpoint_and_parameter_is_documented(client, guide):
    schema = client.get("/api/openapi.json").json()
    missing = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if f"`{method.upper()} {path}`" not in guide:
                missing.append(f"endpoint {method.upper()} {path}")
            for param in op.get("parameters", []):
                if f"`{param['name']}`" not in guide:
                    missing.append(f"parameter `{param['name']}` of {path}")
    assert not missing, "not in docs/api.md: " + ", ".join(missing)


def test_every_measure_column_is_documented(guide):
    section = guide[guide.index("### `GET /api/measures`"):guide.index("### `GET /api/geojson`")]
    documented = set(re.findall(r"^\| `([a-z_]+)`", section, re.M)) | {
        name for row in re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)+) \|", section, re.M)
        for name in re.findall(r"`([a-z_]+)`", row)}
    assert set(MeasureRow.model_fields) <= documented, set(MeasureRow.model_fields) - documented


def test_the_guide_is_linked_from_the_index():
    assert "](api.md)" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_the_interactive_docs_load_nothing_from_the_internet(client):
    page = client.get("/api/docs").content.decode()
    urls = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert urls and not [u for u in urls if "://" in u or u.startswith("//")]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_openapi_document_is_valid_openapi_3_without_duplicate_keys(client):
    """Swagger UI parses openapi.json as YAML, which refuses a key given twice in one object (a ``"200"`` entry
    added by ``openapi_extra`` beside Ninja's own ``200`` did that on every report endpoint)."""
    text = client.get("/api/openapi.json").content.decode()
    duplicates: list[list[str]] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        keys = [k for k, _ in items]
        if len(set(keys)) < len(keys):
            duplicates.append(sorted({k for k in keys if keys.count(k) > 1}))
        return dict(items)

    spec = json.loads(text, object_pairs_hook=pairs)
    assert not duplicates, duplicates
    assert spec["openapi"].startswith("3.")
    validate(spec)  # raises OpenAPIValidationError naming the first fault
    report = spec["paths"]["/api/reports/region/{code}.{fmt}"]["get"]["responses"]["200"]
    assert set(report["content"]) == {"application/pdf", "text/html; charset=utf-8"}
