"""The whole ingest: idempotent, atomic, and loud about bad input (file, line, reason)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.config import Settings
from clusterobs.errors import SourceError
from clusterobs.ingest import run_ingest
from clusterobs.sources import eurostat_sbs, eurostat_sbs_history
from clusterobs.store import Store, VersionWriter
from shared_store import copy_store
from subset_ingest import limit_ingest

SBS = ("eurostat-sbs-nuts2-2015", "sbs_r_nuts06_r2_2015.csv")



def replace(mirror: Path, folder: str, name: str, text: str) -> Path:
    target = mirror / folder / name
    target.unlink()
    target.write_text(text, encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def served(tmp_path_factory, ingested):
    """A data directory with one good version published, shared by the failure tests: a copy of the run's ingest
    (``ingested``), which they must leave serving."""
    home = tmp_path_factory.mktemp("served")
    copy_store(ingested[0].home, home)
    version = Store(home).current()
    assert version is not None
    return home, version


@pytest.fixture
def sbs_ingest(monkeypatch):
    """``run_ingest`` over the classifications and both SBS sources (checksums, reading, the SBS panel, writing,
    publishing): a fifth of a whole ingest, for the tests about a rule of the ingest that the SBS file shows."""
    limit_ingest(monkeypatch, (eurostat_sbs, eurostat_sbs_history), panel=True)


@pytest.fixture
def nuts_ingest(monkeypatch):
    """``run_ingest`` over the classification sources the NUTS codes need: for the tests about writing."""
    limit_ingest(monkeypatch)


@pytest.fixture
def bad_mirror(tmp_path, symlink_mirror):
    return symlink_mirror(tmp_path / "mirror")


def sbs_lines(mirror: Path) -> list[str]:
    return (mirror / SBS[0] / SBS[1]).read_text(encoding="utf-8").splitlines(keepends=True)


def assert_still_serving(home: Path, version: str) -> None:
    store = Store(home)
    assert store.current() == version
    assert store.table("sbs_employment").shape[0] > 0
    assert not list((home / "versions").glob("*.building"))


def test_two_ingests_give_identical_tables(ingested, mirror, tmp_path):
    store_a, summary = ingested
    steps: list[tuple[str, int, int]] = []
    second = run_ingest(Settings(home=tmp_path / "home", mirror=mirror),  # the module's one whole ingest
                        progress=lambda label, done, total: steps.append((label, done, total)))
    store_b = Store(tmp_path / "home")
    a = store_a.tables(summary.version).set_index("name")[["rows", "checksum"]]
    b = store_b.tables(second.version).set_index("name")[["rows", "checksum"]]
    assert a.equals(b)
    assert len(a) >= 25
    # every table written once, counted against the number of tables, and the summary's rows are the store's
    wrote = [(label.removeprefix("wrote "), done, total) for label, done, total in steps if label.startswith("wrote ")]
    assert sorted(name for name, _, _ in wrote) == sorted(b.index)
    assert [done for _, done, _ in wrote] == list(range(1, len(b) + 1))
    assert {total for _, _, total in wrote} == {len(b)}
    assert second.tables == b["rows"].to_dict()
    # the large tables are written as soon as no later step reads them, not all at the end (the ingest's peak memory)
    labels = [label for label, _, _ in steps]
    converted = labels.index("converted employment to NUTS 2016 and 2021")
    for name in ("i40_indicators", "sbs_history", "sbs_employment", "sbs_wages"):
        assert labels.index(f"wrote {name}") < converted
    assert labels.index("wrote sbs_history") > labels.index("read eurostat_sbs_2008_2015")


def test_truncated_file_fails_and_keeps_previous_version(served, bad_mirror, mirror):
    home, version = served
    replace(bad_mirror, *SBS, "".join(sbs_lines(mirror)[:500]))
    with pytest.raises(SourceError, match=r"sbs_r_nuts06_r2_2015.csv: differs from the file its source was written"):
        run_ingest(Settings(home=home, mirror=bad_mirror))
    # accepted as a deliberate change, the file still has too few rows for its source
    with pytest.raises(SourceError, match=r"sbs_r_nuts06_r2_2015.csv: only 499 data rows, expected at least 40000"):
        run_ingest(Settings(home=home, mirror=bad_mirror), accept_changed={"eurostat_sbs_2015"})
    assert_still_serving(home, version)


def test_wrong_delimiter_fails_naming_file_and_line(served, bad_mirror, mirror):
    home, version = served
    replace(bad_mirror, *SBS, "".join(line.replace(";", ",") for line in sbs_lines(mirror)))
    with pytest.raises(SourceError, match=r"sbs_r_nuts06_r2_2015.csv, line 1: .*wrong delimiter") as exc:
        run_ingest(Settings(home=home, mirror=bad_mirror), accept_changed={"eurostat_sbs_2015"})
    assert exc.value.line == 1
    assert_still_serving(home, version)


def test_missing_source_file_fails(served, bad_mirror):
    home, version = served
    (bad_mirror / "jrc-nuts-converter" / "n2_cm_v2013_v2021.csv").unlink()
    with pytest.raises(SourceError, match=r"n2_cm_v2013_v2021.csv: missing file of source 'jrc_nuts_converter'"):
        run_ingest(Settings(home=home, mirror=bad_mirror))
    assert_still_serving(home, version)


def test_disk_error_while_writing_keeps_previous_version(served, mirror, monkeypatch, nuts_ingest):
    home, version = served
    real_write = VersionWriter.write
    calls = {"n": 0}

    def failing_write(self, name, df, *, description):
        calls["n"] += 1
        if calls["n"] == 5:
            raise OSError(28, "No space left on device")
        return real_write(self, name, df, description=description)

    monkeypatch.setattr(VersionWriter, "write", failing_write)
    with pytest.raises(OSError, match="No space left"):
        run_ingest(Settings(home=home, mirror=mirror))
    assert_still_serving(home, version)


def test_bad_rows_go_to_quarantine_with_file_line_and_reason(tmp_path, bad_mirror, mirror, sbs_ingest):
    lines = sbs_lines(mirror)
    assert lines[3462] == "C10;FI1B;8156\n"  # line 3463
    lines[3462] = "C10;FI1B;-8156\n"  # negative value
    lines.append("C10;XX99;120\n")  # unknown region: line 46861
    lines.append("C10;FI1C;1\n")  # duplicate of the real C10;FI1C row: line 46862
    lines.append("C10;FI1D\n")  # truncated row: line 46863
    replace(bad_mirror, *SBS, "".join(lines))
    home = tmp_path / "home"
    run_ingest(Settings(home=home, mirror=bad_mirror), accept_changed={"eurostat_sbs_2015"})
    q = Store(home).table("quarantine")
    q = q[q["source"] == "eurostat_sbs_2015"].set_index("line")
    assert q.loc[3463, "reason"] == "negative employment"
    assert q.loc[3463, "file"] == SBS[1]
    assert "not a NUTS 2013 code" in q.loc[46861, "reason"]
    assert q.loc[46862, "reason"].startswith("duplicate of line ")
    assert q.loc[46863, "reason"] == "expected 3 fields, found 2 (truncated or malformed row)"
    sbs = Store(home).table("sbs_employment")
    fi1b = sbs[(sbs["region"] == "FI1B") & (sbs["nace"] == "C10") & (sbs["nuts_version"] == 2013)]
    assert not (fi1b["vintage"] == "eurostat_sbs_2015").any()  # the quarantined row is not loaded
    # 2015 then comes from the bulk vintage, which has ':' there (sbs_r_nuts06_r2.tsv.gz line 14037:
    # "C10,V16110,FI1B\t: \t8030 \t7165 b\t..."): missing, never -8156
    row = fi1b[fi1b["year"] == 2015].iloc[0]
    assert pd.isna(row["value"]) and row["vintage"] == "eurostat_sbs_2008_2015" and row["line"] == 14037


def test_cli_reports_failure_and_the_version_still_serving(served, bad_mirror, mirror):
    home, version = served
    replace(bad_mirror, *SBS, "".join(sbs_lines(mirror)[:10]))
    result = CliRunner().invoke(app, ["ingest", "--home", str(home), "--mirror", str(bad_mirror)],
                                env={**os.environ, "COLUMNS": "200"})
    assert result.exit_code == 1
    assert "Ingest failed" in result.output
    assert "sbs_r_nuts06_r2_2015.csv" in result.output
    assert "lines expected 46,860, found 10" in " ".join(result.output.split())
    assert f"The published version {version} is unchanged" in result.output
    assert_still_serving(home, version)


def test_cli_info_lists_sources_and_quarantine(served):
    home, version = served
    result = CliRunner().invoke(app, ["info", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["version"] == version
    files = {s["file"]: s for s in payload["sources"]}
    assert len(files[SBS[1]]["sha256"]) == 64
    reasons = {(r["source"], r["reason"]): r["rows"] for r in payload["quarantine_by_reason"]}
    assert reasons[("eurostat_sbs_2015", "extra-regio NUTS code (no territory)")] == 1_212  # 16 codes, counted by hand
    assert sum(r["rows"] for r in payload["quarantine_by_reason"]) == Store(home).table("quarantine").shape[0]


def test_env_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("CLUSTEROBS_HOME", str(tmp_path / "h"))
    monkeypatch.setenv("CLUSTEROBS_MIRROR", str(tmp_path / "m"))
    s = Settings.from_env()
    assert s.home == tmp_path / "h" and s.mirror == tmp_path / "m"
    monkeypatch.delenv("CLUSTEROBS_HOME")
    monkeypatch.delenv("CLUSTEROBS_MIRROR")
    s = Settings.from_env()
    assert s.home == Path("./var").resolve() and s.mirror == Path("../shared/data").resolve()
