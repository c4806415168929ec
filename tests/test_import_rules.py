"""The import rules of docs/architecture.md, checked by import-linter on the installed package's source.

The contracts live in ``pyproject.toml`` (``[tool.importlinter]``): packages import downward in the order of the
layers, nothing below ``clusterobs.web`` imports Django or Django Ninja, no two sibling modules (at any depth)
import each other, directly or through others, the site kernel (``clusterobs.web``'s own modules) imports no
feature app and the feature apps import none of each other. ``make lint`` runs the same check (``lint-imports``).
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


WEB = PACKAGE / "web"


def _web_apps() -> set[str]:
    """The feature apps: the packages of ``clusterobs.web`` with an ``apps.py``."""
    return {f"clusterobs.web.{p.name}" for p in WEB.iterdir() if (p / "apps.py").is_file()}


def _web_kernel() -> set[str]:
    """The kernel: every other module and package of ``clusterobs.web`` (``__init__`` aside)."""
    names = {p.stem for p in WEB.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in WEB.iterdir() if (p / "__init__.py").is_file() and not (p / "apps.py").is_file()}
    return {f"clusterobs.web.{n}" for n in names}


def test_the_kernel_contract_names_every_kernel_module_and_every_app():
    """A new app, or a new kernel module, cannot escape the kernel rule by not being named in it."""
    contract = _contracts()["web-kernel"]
    assert {"clusterobs.web.mapping", "clusterobs.web.linkages", "clusterobs.web.registry"} <= _web_apps()
    assert {"clusterobs.web.api", "clusterobs.web.urls", "clusterobs.web.pages"} <= _web_kernel()
    assert set(contract["forbidden_modules"]) == _web_apps()
    assert set(contract["source_modules"]) == _web_kernel()


def test_the_feature_apps_are_independent():
    """Every app but the accounts, which the registry uses (its own contract forbids it every other app)."""
    assert set(_contracts()["web-apps"]["modules"]) == _web_apps() - {"clusterobs.web.accounts"}


def test_the_kernel_installs_every_app_it_does_not_import():
    """Every app under web/ is installed (its pages, router and charts come in by ``INSTALLED_APPS`` alone)."""
    from django.conf import settings

    assert _web_apps() <= set(settings.INSTALLED_APPS)


def test_the_accounts_app_may_import_no_other_feature_app():
    """Every feature app (an installed app under ``clusterobs.web``) but the accounts is forbidden to it."""
    from django.conf import settings

    apps = {app for app in settings.INSTALLED_APPS if app.startswith("clusterobs.web.")}
    assert "clusterobs.web.accounts" in apps and "clusterobs.web.registry" in apps
    contract = _contracts()["accounts-alone"]
    assert contract["source_modules"] == ["clusterobs.web.accounts"]
    assert set(contract["forbidden_modules"]) == apps - {"clusterobs.web.accounts"}
