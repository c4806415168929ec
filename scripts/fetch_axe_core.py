"""Fetch axe-core (the accessibility engine the browser tests inject) from the npm registry, checked by sha256.

``make test`` runs it (``python scripts/fetch_axe_core.py``, into ``.venv/share/axe-core``): the test environment's
copy of a JavaScript library that no Python package ships at this version, beside the virtualenv like the Python
packages, not in the repository. Standard library only; the tarball and the file are both checked against the
pinned digests.
"""

from __future__ import annotations

import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "4.14.1"
URL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
TARBALL_SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
#: of ``axe.min.js`` (tests/e2e/test_accessibility_browser.py checks it again before injecting it)
SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
FILES = ("axe.min.js", "LICENSE")  # MPL-2.0, Deque Systems


#: where ``make test`` puts it (the tests read it there)
DEST = Path(__file__).resolve().parents[1] / ".venv" / "share" / "axe-core"


def script_path(dest: Path = DEST) -> Path:
    """Where ``fetch(dest)`` puts ``axe.min.js``."""
    return dest / VERSION / "axe.min.js"


def fetch(dest: Path = DEST) -> Path:
    """``script_path(dest)`` (and its licence beside it), downloaded unless already there with the pinned digest."""
    target = script_path(dest)
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == SHA256:
        return target
    with urllib.request.urlopen(URL, timeout=120) as response:
        data = response.read()
    if (digest := hashlib.sha256(data).hexdigest()) != TARBALL_SHA256:
        raise SystemExit(f"{URL}: sha256 {digest}, expected {TARBALL_SHA256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for name in FILES:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{URL}: no package/{name} in the tarball")
            content = member.read()
            if name == "axe.min.js" and hashlib.sha256(content).hexdigest() != SHA256:
                raise SystemExit(f"{URL}: package/axe.min.js does not have the pinned sha256 {SHA256}")
            partial = target.parent / f"{name}.partial"
            partial.write_bytes(content)
            partial.replace(target.parent / name)
    return target


if __name__ == "__main__":
    print(fetch(Path(sys.argv[1]) if len(sys.argv) > 1 else DEST))
