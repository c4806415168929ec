"""`clusterobs microdata generate | check | map`: the contract on the command line."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
from microdata_cases import CONCORDANCE, ROWS, expected_counts, write_csv
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.microdata import REASONS


def run(*args: str):
    return CliRunner().invoke(app, ["microdata", *args])


def test_generate_without_a_store_uses_made_up_codes(tmp_path):
    out = tmp_path / "f.parquet"
    r = run("generate", str(out), "--rows", "5000", "--seed", "3", "--years", "2020-2021", "--bad-fraction", "0.01",
            "--home", str(tmp_path / "empty"), "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    assert summary["rows"] == 5000 and summary["firms"] == 2500 and summary["real_regions"] is False
    planted = summary["expected_quarantine"]
    assert sum(planted.values()) - planted[REASONS.duplicate] // 2 == 50  # a planted duplicate makes two rows
    assert pq.read_metadata(out).num_rows == 5000


def test_generate_with_a_store_uses_real_nuts3_codes_and_classes(tmp_path, ingested):
    store, _ = ingested
    out = tmp_path / "f.parquet"
    r = run("generate", str(out), "--rows", "1000", "--home", str(store.home))
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "real NUTS 2016 level-3 codes" in text and "(synthetic)" in text
    df = pd.read_parquet(out)
    codes = store.table("nuts_codes")
    assert set(df["region"].astype(str)) <= set(codes.loc[codes["nuts_version"] == 2016, "code"])
    assert df["region"].astype(str).str.len().eq(5).all()


def test_check_counts_reasons_without_a_store(tmp_path):
    src = write_csv(tmp_path / "firms.csv")
    conc = tmp_path / "conc.csv"
    CONCORDANCE.to_csv(conc, index=False)
    r = run("check", str(src), "--concordance", str(conc), "--home", str(tmp_path / "empty"), "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    # without a store region codes are checked by shape only: UKI31 is accepted
    want = {k: v for k, v in expected_counts().items() if k != REASONS.unknown_region}
    assert s["quarantined"] == want
    assert s["rows"] == len(ROWS) and s["accepted"] + sum(want.values()) == len(ROWS)


def test_map_writes_clusters_panel_and_quarantine(tmp_path):
    src = write_csv(tmp_path / "firms.csv")
    conc = tmp_path / "conc.csv"
    CONCORDANCE.to_csv(conc, index=False)
    out, panel, q = tmp_path / "out.parquet", tmp_path / "panel.csv", tmp_path / "q.parquet"
    r = run("map", str(src), "-o", str(out), "--level", "2", "--level", "0", "--scheme", "uscmp",
            "--concordance", str(conc), "--panel", str(panel), "--quarantine", str(q),
            "--home", str(tmp_path / "empty"))
    assert r.exit_code == 0, r.output
    assert "quarantined" in r.output and "Stars, uscmp" in r.output
    mapped = pd.read_parquet(out)
    assert set(mapped["level"]) == {0, 2} and "star_strong" in mapped.columns
    p = pd.read_csv(panel)
    assert set(p["level"]) == {0, 2}
    assert p.groupby("level")["employees"].sum().nunique() == 1  # the same total at every level
    quarantined = pd.read_parquet(q)  # mapped at NUTS-2 at finest: the NUTS-2 code is accepted too
    assert len(quarantined) == sum(v for k, v in expected_counts().items()
                                   if k not in (REASONS.unknown_region, REASONS.coarse_region))


def test_map_without_store_or_concordance_fails_clearly(tmp_path):
    src = write_csv(tmp_path / "firms.csv")
    r = run("map", str(src), "-o", str(tmp_path / "o.csv"), "--home", str(tmp_path / "empty"))
    assert r.exit_code == 1
    assert "no published store" in r.output and "--concordance" in r.output
    assert not (tmp_path / "o.csv").exists()


def test_map_with_the_store_at_nuts3(tmp_path, ingested):
    store, _ = ingested
    f = tmp_path / "f.parquet"
    assert run("generate", str(f), "--rows", "20000", "--home", str(store.home)).exit_code == 0
    out = tmp_path / "out.csv"
    r = run("map", str(f), "-o", str(out), "--level", "3", "--home", str(store.home), "--json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.output)
    assert s["accepted"] == 20000 and s["quarantined"] == {} and s["nuts_version"] == 2016
    assert sum(s["stars"]["eco2007"]["3"].values()) == len(pd.read_csv(out))
    r = run("map", str(f), "-o", str(out), "--level", "3", "--nuts-version", "2021", "--home", str(store.home))
    assert r.exit_code == 1 and "no level-3 codes" in r.output


def test_duckdb_draws_no_progress_bar_into_json_output(monkeypatch):
    """DuckDB prints a progress bar on stdout for queries over 2 s (seen under load): --json must stay JSON.

    Its default is on in a plain process and off under pytest's capture: the test turns it on first."""
    from clusterobs.mapping import backends
    from clusterobs.microdata.cli import _backend

    plain = backends.duckdb_backend

    def with_progress_bar(*a, **kw):
        con = plain(*a, **kw)
        con.raw_sql("SET enable_progress_bar = true")
        return con

    monkeypatch.setattr(backends, "duckdb_backend", with_progress_bar)
    con = _backend("duckdb", "local[2]", None, None, None)
    try:
        assert con.raw_sql("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
    finally:
        con.disconnect()
