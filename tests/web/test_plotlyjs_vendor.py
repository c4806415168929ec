"""Vendoring Plotly's partial bundles from npm, against recorded registry answers the test writes itself."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile

import httpx
import pytest

from clusterobs.charts import plotlyjs_vendor
from clusterobs.charts.plotlyjs import PARTIAL
from clusterobs.charts.plotlyjs_vendor import VendorError, vendor

VERSION = "9.8.7"
TARBALL = f"https://registry.npmjs.org/plotly.js/-/plotly.js-{VERSION}.tgz"


def tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def bundle(name: str, version: str = VERSION) -> bytes:
    return f"/**\n* plotly.js ({name} - minified) v{version}\n* Licensed under the MIT license\n*/\nvar x=1;\n".encode()


def good_files() -> dict[str, bytes]:
    files = {f"package/dist/plotly-{n}.min.js": bundle(n) for n in PARTIAL}
    files["package/dist/plotly.min.js"] = b"/** plotly.js v9.8.7 */"  # not taken
    files["package/LICENSE"] = b"MIT License\n\nCopyright (c) Plotly"
    return files


def registry(body: bytes, *, integrity: str | None = None, status: int = 200) -> httpx.Client:
    """A client answering like registry.npmjs.org: release metadata, then the tarball."""
    digest = integrity or "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if str(request.url) == f"{plotlyjs_vendor.REGISTRY}/{VERSION}":
            return httpx.Response(status, json={"name": "plotly.js", "version": VERSION,
                                                "dist": {"tarball": TARBALL, "integrity": digest}})
        if str(request.url) == TARBALL:
            return httpx.Response(200, content=body)
        return httpx.Response(404)

    client = httpx.Client(transport=httpx.MockTransport(answer))
    client.seen = seen  # type: ignore[attr-defined]
    return client


def test_vendor_writes_the_bundles_the_licence_and_a_manifest(tmp_path):
    body = tarball(good_files())
    dest = vendor(VERSION, tmp_path / "bundles", client=registry(body))
    manifest = json.loads((dest / "MANIFEST.json").read_text())
    assert manifest["version"] == VERSION and manifest["tarball"] == TARBALL
    assert manifest["integrity"] == "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()
    for name in PARTIAL:
        data = (dest / f"plotly-{name}.min.js").read_bytes()
        assert data == bundle(name)
        assert manifest["files"][name]["sha256"] == hashlib.sha256(data).hexdigest()
        assert manifest["files"][name]["bytes"] == len(data)
    assert (dest / "LICENSE").read_bytes().startswith(b"MIT License")
    assert not (dest / "plotly.min.js").exists()  # only the partial bundles are taken


@pytest.mark.parametrize(("case", "message"), [
    ("integrity", "SHA-512"),
    ("banner", "expected basic v9.8.7"),
    ("missing", "plotly-map.min.js is not in the tarball"),
    ("http", "HTTP 503"),
])
def test_a_bad_answer_changes_nothing(tmp_path, case, message):
    dest = tmp_path / "bundles"
    dest.mkdir()
    (dest / "plotly-basic.min.js").write_bytes(b"previous")
    files = good_files()
    if case == "banner":
        files["package/dist/plotly-basic.min.js"] = bundle("basic", "1.0.0")
    if case == "missing":
        del files["package/dist/plotly-map.min.js"]
    body = tarball(files)
    client = registry(body, integrity="sha512-" + base64.b64encode(b"0" * 64).decode() if case == "integrity" else None,
                      status=503 if case == "http" else 200)
    with pytest.raises(VendorError, match=message):
        vendor(VERSION, dest, client=client)
    assert [p.name for p in dest.iterdir()] == ["plotly-basic.min.js"]
    assert (dest / "plotly-basic.min.js").read_bytes() == b"previous"
