"""Vendor Plotly's prebuilt partial plotly.js bundles from the npm registry into ``charts/bundles/``.

Run after upgrading the ``plotly`` Python package (``make vendor-plotly``)::

    python -m clusterobs.charts.plotlyjs_vendor [--version 4.1.1] [--dest DIR]

It downloads the ``plotly.js`` release tarball whose version the Python package writes figures for, checks it
against the registry's ``dist.integrity`` (SHA-512), takes ``dist/plotly-<name>.min.js`` for each bundle of
``plotlyjs.PARTIAL`` (unchanged: no build step) and the MIT ``LICENSE``, checks each file's banner names that
bundle and version, and writes ``MANIFEST.json`` (version, tarball address, integrity, SHA-256 and size of every
file). Nothing in the destination changes unless every check passes.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import httpx
import plotly.offline

from clusterobs.charts.plotlyjs import BANNER, PARTIAL, VENDOR_DIR
from clusterobs.errors import ClusterobsError

REGISTRY = "https://registry.npmjs.org/plotly.js"
LICENCE_MEMBER = "package/LICENSE"


class VendorError(ClusterobsError):
    """The registry's answer or the tarball is not what was expected: nothing was changed."""


def release(client: httpx.Client, version: str) -> dict[str, str]:
    """The tarball address and SHA-512 integrity of ``plotly.js@version`` from the npm registry."""
    url = f"{REGISTRY}/{version}"
    r = client.get(url)
    if r.status_code != 200:
        raise VendorError(f"{url}: HTTP {r.status_code}")
    dist = r.json().get("dist", {})
    if not dist.get("tarball") or not str(dist.get("integrity", "")).startswith("sha512-"):
        raise VendorError(f"{url}: no dist.tarball or sha512 dist.integrity in the answer")
    return {"tarball": dist["tarball"], "integrity": dist["integrity"]}


def check_integrity(body: bytes, integrity: str, *, url: str) -> None:
    want = base64.b64decode(integrity.removeprefix("sha512-"))
    if hashlib.sha512(body).digest() != want:
        raise VendorError(f"{url}: SHA-512 of the {len(body):,} bytes downloaded differs from the registry's "
                          f"dist.integrity {integrity}")


def extract(body: bytes, version: str, *, url: str) -> dict[str, bytes]:
    """``{file name: bytes}`` of the partial bundles and the licence, each checked."""
    out: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(body), mode="r:gz") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        for name in PARTIAL:
            member = f"package/dist/plotly-{name}.min.js"
            if member not in members:
                raise VendorError(f"{url}: {member} is not in the tarball")
            data = tar.extractfile(members[member]).read()  # type: ignore[union-attr]
            m = BANNER.search(data[:400].decode("utf-8", "replace"))
            if not m or m["name"] != name or m["version"] != version:
                found = f"{m['name']} v{m['version']}" if m else "no banner"
                raise VendorError(f"{url}: {member} is {found}, expected {name} v{version}")
            out[f"plotly-{name}.min.js"] = data
        if LICENCE_MEMBER not in members:
            raise VendorError(f"{url}: {LICENCE_MEMBER} is not in the tarball")
        out["LICENSE"] = tar.extractfile(members[LICENCE_MEMBER]).read()  # type: ignore[union-attr]
    return out


def manifest(version: str, rel: dict[str, str], files: dict[str, bytes]) -> dict[str, Any]:
    return {
        "package": "plotly.js", "version": version, "licence": "MIT (LICENSE, Plotly Technologies Inc.)",
        "tarball": rel["tarball"], "integrity": rel["integrity"],
        "files": {name: {"name": f"plotly-{name}.min.js", "traces": sorted(traces),
                         "bytes": len(files[f"plotly-{name}.min.js"]),
                         "sha256": hashlib.sha256(files[f"plotly-{name}.min.js"]).hexdigest()}
                  for name, traces in PARTIAL.items()},
        "note": "Plotly's own prebuilt partial bundles, unchanged; "
                "written by python -m clusterobs.charts.plotlyjs_vendor",
    }


def vendor(version: str | None = None, dest: Path = VENDOR_DIR, *, client: httpx.Client | None = None) -> Path:
    """Download, check and write the bundles, the licence and ``MANIFEST.json`` into ``dest``; return it."""
    version = version or plotly.offline.get_plotlyjs_version()
    own = client is None
    client = client or httpx.Client(timeout=60, follow_redirects=True)
    try:
        rel = release(client, version)
        r = client.get(rel["tarball"])
        if r.status_code != 200:
            raise VendorError(f"{rel['tarball']}: HTTP {r.status_code}")
        body = r.content
    finally:
        if own:
            client.close()
    check_integrity(body, rel["integrity"], url=rel["tarball"])
    files = extract(body, version, url=rel["tarball"])
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        new = Path(tmp) / "new"
        new.mkdir()
        for name, data in files.items():
            (new / name).write_bytes(data)
        (new / "MANIFEST.json").write_text(json.dumps(manifest(version, rel, files), indent=2) + "\n",
                                           encoding="utf-8")
        if dest.exists():
            old = Path(tmp) / "old"
            dest.rename(old)
        new.rename(dest)
    return dest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", help="plotly.js version (default: the one the plotly package writes for)")
    parser.add_argument("--dest", type=Path, default=VENDOR_DIR)
    args = parser.parse_args(argv)
    out = vendor(args.version, args.dest)
    info = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    for entry in info["files"].values():
        print(f"{out / entry['name']}: {entry['bytes']:,} bytes, sha256 {entry['sha256']}")


if __name__ == "__main__":
    main()
