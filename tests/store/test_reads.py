"""The reads the web and the reports share (``clusterobs.store.reads``), on the computed store of the real mirror;
and engine code (everything outside ``clusterobs.web``) never imports Django."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import clusterobs
from clusterobs.errors import BadParameter, ClusterobsError, InputError, NoDataset, NotFound, ReadError
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
    code = ("import sys, clusterobs.cli, clusterobs.charts, clusterobs.charts.specs.region_stars, "
            "clusterobs.reports.data, clusterobs.reports.panorama, "
            "clusterobs.reports.scorecard, clusterobs.store.reads; "
            "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); assert not loaded, loaded")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC.parent), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


# ---- the checks: one message form, typed errors naming the parameter ---------------------------------------------


@pytest.mark.parametrize(("check", "value", "name", "message"), [
    ("check_scheme", "eco2099", "scheme", "`scheme` must be one of eco2007, eocic2019, uscmp; got 'eco2099'."),
    ("check_level", 3, "level", "`level` must be one of 0, 1, 2; got 3."),
    ("check_measure", "wages", "measure",
     "`measure` must be one of stars, employment, lq, focus, share_europe, growth, productivity; got 'wages'."),
    ("check_kind", "global", "kind", "`kind` must be one of traded, local, emerging; got 'global'."),
    ("check_min_stars", -1, "min_stars", "`min_stars` must be at least 0; got -1."),
    ("check_country", "XX", "country", "`country` must be a NUTS country code such as DE, FR or EL; got 'XX'."),
])
def test_a_bad_parameter_names_itself(reads, check, value, name, message):
    with pytest.raises(BadParameter) as bad:
        getattr(reads, check)(value)
    assert bad.value.name == name and str(bad.value) == bad.value.message == message


def test_year_sort_and_codes_checks(reads, year):
    assert reads.check_year(None) == reads.years[-1] and reads.check_year(year) == year
    with pytest.raises(BadParameter, match=r"^`year` must be one of .*; got 1999\.$") as bad:
        reads.check_year(1999)
    assert bad.value.name == "year"
    assert reads.check_sort("-lq,region") == [("lq", True), ("region", False)]
    with pytest.raises(BadParameter, match="`sort` must be a comma-separated list") as bad:
        reads.check_sort("-salary")
    assert bad.value.name == "sort"
    with pytest.raises(BadParameter, match=r"`region` must list at most 100 codes; got 101\.") as bad:
        reads.check_codes("region", ["DE11"] * 101)
    assert bad.value.name == "region" and reads.check_codes("region", ["DE11"]) == ["DE11"]


def test_lookups_raise_not_found_naming_the_parameter(reads):
    assert reads.region("DE11")["level"] == 2 and reads.country_name("FR") == reads.region("FR")["name"]
    assert reads.category("automotive")["kind"] == "traded"
    for lookup, code, name, message in (("region", "XX99", "region", "unknown region 'XX99' (NUTS 2021)"),
                                        ("category", "cheese", "category", "unknown category 'cheese'"),
                                        ("country", "DE11", "country",
                                         "unknown country 'DE11': a NUTS country code such as DE, FR or EL")):
        with pytest.raises(NotFound) as missing:
            getattr(reads, lookup)(code)
        assert missing.value.name == name and str(missing.value) == message


def test_a_version_without_measures_is_no_dataset(ingested):
    store, _ = ingested
    con = store.connect(store.versions()[0].version)  # the ingest's version, before compute
    try:
        with pytest.raises(NoDataset, match="run `clusterobs compute`"):
            Reads(con).check_year(None)
    finally:
        con.close()


def test_the_typed_errors_are_read_errors():
    assert all(issubclass(e, ReadError) and issubclass(e, ClusterobsError) for e in (BadParameter, NotFound, NoDataset))
    assert BadParameter("level", "`level` must be …").name == "level" and NotFound("unknown").name is None
    assert InputError is __import__("clusterobs.mapping.pipeline", fromlist=["InputError"]).InputError
    assert InputError is __import__("clusterobs.microdata.read", fromlist=["InputError"]).InputError


def test_the_latest_relatedness_is_the_finest_newest_colocation(reads):
    latest = reads.relatedness_latest()
    if latest is None:
        pytest.skip("the linkages stage is not part of this build")
    method, level, year, pairs = latest
    assert (method, level) == ("colocation_share", 2) and year == reads.years[-1]
    assert len(pairs) and (pairs["category_i"] != pairs["category_j"]).all() and pairs["value"].notna().all()


# ---- who owns what ------------------------------------------------------------------------------------------------

#: a query of the store, by the text that runs one
_QUERY = re.compile(r"\.df\(|\.execute\(|\.sql\(|\bSELECT\b")


def test_the_read_layer_owns_every_query_of_the_web_and_the_reports():
    """No SQL outside ``clusterobs.store`` in the web and the reports (the registry's full-text search queries the
    portal database, not the store)."""
    found = [f"{path.relative_to(SRC)}:{i}" for folder in ("web", "reports")
             for path in sorted((SRC / folder).rglob("*.py")) if not path.name.startswith("fts_")
             and path.relative_to(SRC).as_posix() != "web/registry/search.py"
             for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if _QUERY.search(line)]
    assert not found


def test_every_bad_parameter_names_its_parameter():
    """Each ``BadParameter(name, message)`` raised passes the parameter's name, the one its message starts with."""
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)):
                continue
            func = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            owner = node.func.value.id if isinstance(node.func, ast.Attribute) and isinstance(
                node.func.value, ast.Name) else ""
            if func != "BadParameter" or owner == "typer":
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            if len(node.args) != 2:
                wrong.append(f"{where}: {len(node.args)} arguments")
                continue
            name, message = node.args
            first = message.values[0] if isinstance(message, ast.JoinedStr) else message
            text = first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None
            said = re.match(r"`(\w+)`", text) if text else None
            if isinstance(name, ast.Constant) and said and said.group(1) != name.value:
                wrong.append(f"{where}: named {name.value!r}, message about {said.group(1)!r}")
    assert not wrong
