"""``clusterobs report``: files written, errors named."""

from __future__ import annotations

from typer.testing import CliRunner

from clusterobs.cli import app


def test_report_region_writes_the_html(computed, tmp_path):
    store, _ = computed
    result = CliRunner().invoke(app, ["report", "region", "LU00", "--no-pdf", "--out", str(tmp_path),
                                      "--home", str(store.home)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "region_LU00_eco2007_2015.html").read_text(encoding="utf-8")
    assert "Region scorecard: " in html and "(LU00)" in html
    assert not (tmp_path / "region_LU00_eco2007_2015.pdf").exists()


def test_report_errors_name_the_parameter(computed, tmp_path):
    store, _ = computed
    runner = CliRunner()
    bad = runner.invoke(app, ["report", "region", "XX99", "--out", str(tmp_path), "--home", str(store.home)])
    assert bad.exit_code == 1 and "unknown region 'XX99'" in bad.output
    scheme = runner.invoke(app, ["report", "panorama", "--scheme", "nope", "--out", str(tmp_path),
                                 "--home", str(store.home)])
    assert scheme.exit_code == 1 and "`scheme` must be one of eco2007, eocic2019, uscmp" in scheme.output
    assert not list(tmp_path.iterdir())


def test_only_a_report_command_starts_the_browser_before_the_imports():
    from clusterobs.reports.prestart import browser_for

    assert browser_for(["clusterobs", "report", "region", "DE21"]) == (1, "basic")
    assert browser_for(["clusterobs", "report", "panorama", "--country", "DE"]) == (2, "full")
    assert browser_for(["clusterobs", "report", "region", "--help"]) is None
    assert browser_for(["clusterobs", "report"]) is None
    assert browser_for(["clusterobs", "compute"]) is None
    assert browser_for(["clusterobs", "serve", "report"]) is None
