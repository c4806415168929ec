"""The reads the web and the reports share (``clusterobs.store.reads``), on the computed store of the real mirror;
and engine code (everything outside ``clusterobs.web``) never imports Django."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import clusterobs
from clusterobs.reports.data import ReportData
from clusterobs.store.reads import VersionReads

SRC = Path(clusterobs.__file__).parent


class Reads(VersionReads):
    """The shared reads over a connection of the test's own, as the reports open theirs."""

    def __init__(self, con) -> None:
        self._con = con

    def con(self):
        return self._con


@pytest.fixture(scope="module")
def reads(computed):
    store, _ = computed
    con = store.connect()
    yield Reads(con)
    con.close()


@pytest.fixture(scope="module")
def year(reads):
    return reads.years[-1]


def test_one_scheme_is_a_slice_of_every_scheme(reads, year):
    every = reads.cluster_measures(year=year, level=2, regions=["DE21"])
    assert set(every["scheme"]) == set(reads.schemes["scheme"])
    for scheme in set(every["scheme"]):
        one = reads.cluster_measures(year=year, level=2, regions=["DE21"], scheme=scheme)
        assert one.equals(every[every["scheme"] == scheme].reset_index(drop=True))


def test_filters_sort_page_and_count(reads, year):
    filters = {"year": year, "level": 2, "scheme": "eco2007", "country": "DE", "kind": "traded", "min_stars": 2}
    full = reads.cluster_measures(**filters, sort=[("lq", True)])
    assert reads.cluster_measures_count(**filters) == len(full) > 0
    assert (full["country"] == "DE").all() and (full["kind"] == "traded").all() and (full["stars"] >= 2).all()
    assert full["lq"].dropna().is_monotonic_decreasing
    page = reads.cluster_measures(**filters, sort=[("lq", True)], limit=5, offset=3)
    assert page.equals(full.iloc[3:8].reset_index(drop=True))
    two = reads.cluster_measures(year=year, level=2, scheme="eco2007", regions=["FR10", "DE21"],
                                 categories=["automotive"])
    assert two["region"].tolist() == ["DE21", "FR10"] and set(two["category"]) == {"automotive"}
    assert reads.cluster_measures(year=year, level=2, scheme="eco2007", regions=[]).shape[0] == \
        reads.cluster_measures_count(year=year, level=2, scheme="eco2007")  # no codes: no filter


def test_star_tests_of_one_category_are_those_of_the_region(reads, year):
    every = reads.star_tests(region="DE21", scheme="eco2007", year=year, level=2)
    one = reads.star_tests(region="DE21", scheme="eco2007", year=year, level=2, category="automotive")
    assert len(one) and one.equals(every[every["category"] == "automotive"].reset_index(drop=True))


def test_the_reports_read_through_the_shared_reads():
    assert issubclass(ReportData, VersionReads)


def _imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_engine_code_never_imports_django():
    """No module outside ``clusterobs/web`` imports Django, nor the web package (but ``cli.py``, whose ``serve``
    command starts it)."""
    bad = [f"{path.relative_to(SRC)}: {name}" for path in sorted(SRC.rglob("*.py"))
           if path.relative_to(SRC).parts[0] != "web" for name in _imports(path)
           if name.split(".")[0] == "django" or (name.startswith("clusterobs.web") and path.name != "cli.py")]
    assert not bad


def test_reports_and_shared_reads_load_without_django():
    code = ("import sys, clusterobs.cli, clusterobs.charts, clusterobs.reports.data, clusterobs.reports.panorama, "
            "clusterobs.reports.scorecard, clusterobs.store.reads; "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); assert not loaded, loaded")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC.parent), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
