"""docs/architecture.md stays true: its map is the import contract's layers, its walked paths name real code."""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOC = (REPO / "docs" / "architecture.md").read_text()
MAP = DOC.split("## The map", 1)[1].split("\n## ", 1)[0]


def _layer_rows() -> list[str]:
    """The map's table, one row per layer, as the contract writes it: modules joined by `` | ``."""
    rows = [line for line in MAP.splitlines() if line.startswith("| `clusterobs")]
    return [" | ".join(re.findall(r"`(clusterobs[\w.]*)`", row.split(" | ")[0].replace("\\|", ","))) for row in rows]


def test_the_map_is_the_layers_contract():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["id"] == "layers")["layers"]
    assert _layer_rows() == layers


def _resolve(name: str) -> object:
    """The module, or the attribute of the longest importable module prefix, named ``name``."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)  # AttributeError: the doc names something that is not there
        return obj
    raise ModuleNotFoundError(name)


NAMES = sorted(set(re.findall(r"`(clusterobs\.[\w.]+)`", MAP)))


def test_the_paths_name_enough_code():
    assert len(NAMES) > 40


@pytest.mark.parametrize("name", NAMES)
def test_every_name_on_the_map_is_real(name):
    assert _resolve(name) is not None
