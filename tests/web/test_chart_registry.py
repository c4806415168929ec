"""Charts register in their app's ``AppConfig.ready()`` (``chart_registry.register``): the mapping tool's and each
other feature app's, with no app imported by the kernel's ``chart_registry`` and no import circle through it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.apps import apps

from clusterobs.web import chart_registry
from clusterobs.web.mapping import chartspecs_history

WEB = Path(chart_registry.__file__).resolve().parent


def _imports(path: Path) -> set[str]:
    """The clusterobs modules a module imports (submodules named in ``from X import Y`` included)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("clusterobs")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("clusterobs"):
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                out.add(sub if importlib.util.find_spec(node.module) and _is_module(sub) else node.module)
    return out


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _graph() -> dict[str, set[str]]:
    graph = {}
    for path in WEB.rglob("*.py"):
        rel = path.relative_to(WEB.parent.parent).with_suffix("")
        name = ".".join(rel.parts).removesuffix(".__init__")
        graph[name] = _imports(path)
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def test_the_chart_registry_imports_no_app_and_no_circle_goes_through_it():
    graph = _graph()
    registry = "clusterobs.web.chart_registry"
    apps_ = ("clusterobs.web.mapping", "clusterobs.web.linkages", "clusterobs.web.complexity",
             "clusterobs.web.scoreboard")
    assert not {m for m in graph[registry] if m.startswith(apps_)}
    assert not [m for m in graph if m.startswith(apps_) and _reaches(graph, registry, m)]
    circles = sorted(m for m in graph
                     if m != registry and _reaches(graph, registry, m) and _reaches(graph, m, registry))
    assert circles == []
    # the apps' chart modules do import it (that is how they declare their specs)
    for charts in ("clusterobs.web.linkages.charts", "clusterobs.web.mapping.chartspecs",
                   "clusterobs.web.mapping.chartspecs_history"):
        assert registry in graph[charts]


@pytest.mark.parametrize("label, module, parsed", [
    ("mapping", "clusterobs.web.mapping.chartspecs", False),
    ("mapping", "clusterobs.web.mapping.chartspecs_history", False),
    ("linkages", "clusterobs.web.linkages.charts", True), ("complexity", "clusterobs.web.complexity.charts", True),
    ("scoreboard", "clusterobs.web.scoreboard.charts", False)])
def test_each_app_registers_its_charts_when_ready(label, module, parsed):
    config = apps.get_app_config(label)
    assert type(config).__module__ == f"{config.name}.apps"  # its own AppConfig, whose ready() registers
    specs = chart_registry.specs_of(importlib.import_module(module))
    assert specs
    for name, fn in specs.items():
        assert chart_registry.CHARTS[name] is fn
        assert chart_registry.CHART_PARAMS[name] == fn.chart[1]
        assert (name in chart_registry.CHART_PARSERS) is parsed


def test_register_is_idempotent_and_refuses_a_name_twice(monkeypatch):
    monkeypatch.setattr(chart_registry, "CHARTS", dict(chart_registry.CHARTS))
    monkeypatch.setattr(chart_registry, "CHART_PARAMS", dict(chart_registry.CHART_PARAMS))
    assert chart_registry.register(chartspecs_history) == ["cluster-timeline"]
    chart_registry.CHARTS["cluster-timeline"] = chart_registry.CHARTS["region-stars"]  # another spec under its name
    with pytest.raises(ValueError, match="chart 'cluster-timeline' registered twice"):
        chart_registry.register(chartspecs_history)
    assert len(chart_registry.CHARTS) == 22
