"""Fixtures for the scoreboard-source tests: the reference tables a reader needs, and a mirror to edit."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest


@dataclass
class EditableMirror:
    """A mirror of symlinks to the real one whose files a test replaces one by one."""

    path: Path

    def text(self, folder: str, name: str, lines: int | None = None) -> str:
        """The real file's text, or its first ``lines`` lines."""
        with (self.path / folder / name).resolve().open(encoding="utf-8", newline="") as fh:
            return fh.read() if lines is None else "".join(next(fh) for _ in range(lines))

    @staticmethod
    def head(path: Path, lines: int) -> str:
        """The first ``lines`` lines of ``path``."""
        with path.open(encoding="utf-8", newline="") as fh:
            return "".join(next(fh) for _ in range(lines))

    def replace(self, folder: str, name: str, text: str) -> Path:
        target = self.path / folder / name
        target.unlink()
        target.write_text(text, encoding="utf-8")
        return target


@pytest.fixture(scope="session")
def ref(ingested) -> dict[str, pd.DataFrame]:
    """``nuts_codes`` and ``nuts_conversion`` of the session's ingest: what the scoreboard readers need."""
    store, _ = ingested
    return {name: store.table(name) for name in ("nuts_codes", "nuts_conversion")}


@pytest.fixture
def editable_mirror(symlink_mirror, tmp_path) -> EditableMirror:
    return EditableMirror(symlink_mirror(tmp_path / "mirror"))
