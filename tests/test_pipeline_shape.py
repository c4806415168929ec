"""The pipeline's shape: ``ingest`` reads an ordered tuple of source modules, ``compute`` runs an ordered tuple of
stages, both typed (``clusterobs.pipeline``) and imported as modules; imports between the engine's packages go one
way (docs/architecture.md, "The pipeline")."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import clusterobs
import clusterobs.sources
from clusterobs import compute, ingest
from clusterobs.complexity import stage as complexity_stage
from clusterobs.linkages import stage as linkages_stage
from clusterobs.mapping import compute as mapping_stage
from clusterobs.mapping import headlines, plausibility
from clusterobs.pipeline import OptionalSource, Source, Stage
from clusterobs.scoreboard import stage as scoreboard_stage

SRC = Path(clusterobs.__file__).parent


def test_every_source_module_is_read_by_ingest_once_and_is_a_source():
    modules = [importlib.import_module(f"clusterobs.sources.{m.name}")
               for m in pkgutil.iter_modules(clusterobs.sources.__path__)]
    with_meta = {m for m in modules if hasattr(m, "META")}
    read = [*ingest.SOURCES, *ingest.OPTIONAL_SOURCES]
    assert len(read) == len(set(read)) == len(with_meta) == 17 and set(read) == with_meta
    assert all(isinstance(m, Source) for m in ingest.SOURCES)
    assert all(isinstance(m, OptionalSource) for m in ingest.OPTIONAL_SOURCES)
    assert not any(isinstance(m, OptionalSource) for m in ingest.SOURCES)  # a required source has no `present`
    # the classification sources come first: the others are validated against them
    first = ingest.SOURCES[:len(ingest.CLASSIFICATION_SOURCES)]
    assert first == ingest.CLASSIFICATION_SOURCES and ingest.SOURCES[0].META.id == "nace_rev2"


def test_compute_runs_the_stages_in_order_each_a_stage_with_its_own_tables():
    order = (mapping_stage, headlines, linkages_stage, complexity_stage, plausibility, scoreboard_stage)
    assert order == compute.STAGES
    assert all(isinstance(s, Stage) for s in compute.STAGES)
    names = [n for s in compute.STAGES for n in s.TABLES]
    assert len(names) == len(set(names)) == 27  # no table is written by two stages
    assert {"cluster_stars", "cluster_star_tests", "star_schemes"} <= set(mapping_stage.TABLES)
    assert scoreboard_stage.USER_TABLE in scoreboard_stage.TABLES  # the user's indicators are the scoreboard's


def _imports(path: Path) -> set[str]:
    """Every ``clusterobs...`` module a file imports, at the top or inside a function, and any dynamic import."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("clusterobs")}
            out |= {"<importlib>" for a in node.names if a.name == "importlib"}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("clusterobs"):
                out |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            if node.module == "importlib":
                out.add("<importlib>")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            out.add("<importlib>")
    return out


def _package_imports(package: str) -> set[str]:
    return set().union(*(_imports(p) for p in (SRC / package).rglob("*.py")))


def test_the_commands_name_their_stages_by_import_not_by_strings():
    for path in (SRC / "compute.py", SRC / "ingest" / "__init__.py", SRC / "cli.py", SRC / "mapping" / "compute.py"):
        assert "<importlib>" not in _imports(path), path


def test_imports_go_one_way_ingest_sources_classifications():
    def reaches(package: str, other: str) -> bool:
        target = f"clusterobs.{other}"
        return any(m == target or m.startswith(f"{target}.") for m in _package_imports(package))

    assert reaches("ingest", "sources") and reaches("sources", "classifications")
    assert not reaches("classifications", "sources") and not reaches("classifications", "ingest")
    assert not reaches("sources", "ingest")
    # the stages are below the command that runs them: none imports clusterobs.compute
    for package in ("mapping", "linkages", "complexity", "scoreboard"):
        assert not reaches(package, "compute"), package


def test_a_failed_background_write_stops_compute_at_the_next_stage_and_publishes_nothing(tmp_path, monkeypatch):
    """Each stage's tables are written by a background thread while the next stage computes: a write that fails must
    stop the compute before a later stage starts (not after the last), and keep the published version."""
    import threading

    import pandas as pd
    import pytest

    from clusterobs import compute
    from clusterobs.store import Store
    from clusterobs.store.store import VersionWriter

    store = Store(tmp_path)
    with store.begin() as w:
        w.write("parent", pd.DataFrame({"a": [1]}), description="")
        parent = w.publish()
    written = threading.Event()
    calls: list[str] = []

    class FakeStage:
        def __init__(self, name: str) -> None:
            self.TABLES, self.__name__ = {name: name}, name

        def compute_stage(self, store, tables, progress=None):
            calls.append(self.__name__)
            if self.__name__ == "second":
                assert written.wait(10)  # the first stage's write has failed by now
            return {self.__name__: pd.DataFrame({"x": [1.0]})}

    real_write = VersionWriter.write

    def failing_write(self, name, df, *, description):
        if name == "first":
            written.set()
            raise OSError("disk full (test)")
        return real_write(self, name, df, description=description)

    monkeypatch.setattr(VersionWriter, "write", failing_write)
    monkeypatch.setattr(compute, "STAGES", (FakeStage("first"), FakeStage("second"), FakeStage("third")))
    with pytest.raises(OSError, match="disk full"):
        compute.run_compute(store)
    # stopped before the third stage: before the second when the failed write was over by then, else after it
    assert calls in (["first"], ["first", "second"])
    assert store.current() == parent
