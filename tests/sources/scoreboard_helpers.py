"""Helpers for the scoreboard-source tests: the reference tables a reader needs, and a mirror with one file replaced."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REF_TABLES = ("nuts_codes", "nuts_conversion")


def ref_tables(store) -> dict[str, pd.DataFrame]:
    return {name: store.table(name) for name in REF_TABLES}


def replace_file(mirror: Path, folder: str, name: str, text: str) -> Path:
    """Replace the symlink ``mirror/folder/name`` by a file holding ``text``."""
    path = mirror / folder / name
    path.unlink()
    path.write_text(text, encoding="utf-8")
    return path


def head(path: Path, lines: int) -> str:
    with path.open(encoding="utf-8", newline="") as fh:
        return "".join(next(fh) for _ in range(lines))
