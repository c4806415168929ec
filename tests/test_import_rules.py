"""The import rules of docs/architecture.md, checked by import-linter on the installed package's source.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``): packages import downward in the order of the
layers, nothing below ``clusterobs.web`` imports Django or Django Ninja, and no two sibling modules (at any depth)
import each other, directly or through others. ``make lint`` runs the same check (``lint-imports``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import clusterobs

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(clusterobs.__file__).resolve().parent


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    return {c["id"]: c for c in config["contracts"]}


def test_the_import_contracts_are_kept(tmp_path):
    from importlinter.cli import lint_imports

    # the checkout's own pyproject (the one beside these tests), whatever the working directory
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), cache_dir=str(tmp_path), no_logo=True) == 0


def _top_level_modules() -> set[str]:
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    return {f"clusterobs.{n}" for n in names}


def test_every_top_level_module_has_a_layer():
    """A new package cannot escape the rules by not being named in them."""
    layers = {m.strip() for layer in _contracts()["layers"]["layers"] for m in layer.replace(":", "|").split("|")}
    assert _top_level_modules() - layers == set()
    assert layers - _top_level_modules() == set(), "a layer names a module that does not exist"


@pytest.mark.parametrize("forbidden", ["django", "ninja"])
def test_every_package_below_the_web_is_forbidden_django(forbidden):
    contract = _contracts()["no-django"]
    above = {"clusterobs.web", "clusterobs.cli", "clusterobs.docs_reference"}
    assert set(contract["source_modules"]) == _top_level_modules() - above
    assert forbidden in contract["forbidden_modules"]


def test_the_accounts_app_may_import_no_other_feature_app():
    """Every feature app (an installed app under ``clusterobs.web``) but the accounts is forbidden to it."""
    from django.conf import settings

    apps = {app for app in settings.INSTALLED_APPS if app.startswith("clusterobs.web.")}
    assert "clusterobs.web.accounts" in apps and "clusterobs.web.registry" in apps
    contract = _contracts()["accounts-alone"]
    assert contract["source_modules"] == ["clusterobs.web.accounts"]
    assert set(contract["forbidden_modules"]) == apps - {"clusterobs.web.accounts"}
