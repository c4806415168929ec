"""``clusterobs report``: files written, errors named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

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


def _python(code: str) -> dict:
    """Run ``code`` in a new interpreter (its own ``sys.modules`` and processes); the JSON it prints."""
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_command_starts_no_browser():
    """``clusterobs.cli`` imported with the argv of a report command: no browser module, no kaleido thread, no child
    process (the browser is started by the report command itself, ``reports.cli._start_browser``)."""
    got = _python("""
        import json, os, sys, threading, time
        sys.argv = ["clusterobs", "report", "region", "DE21"]
        import clusterobs.cli
        time.sleep(1.0)  # a browser started in the background would have spawned Chromium by now

        def children():
            out = []
            for stat in os.listdir("/proc"):
                if stat.isdigit():
                    try:
                        fields = open(f"/proc/{stat}/stat").read().rsplit(")", 1)[1].split()
                    except OSError:
                        continue
                    if int(fields[1]) == os.getpid():
                        out.append(stat)
            return out

        print(json.dumps({"images": "clusterobs.reports.images" in sys.modules, "kaleido": "kaleido" in sys.modules,
                          "threads": sorted(t.name for t in threading.enumerate()), "children": children(),
                          "heavy": sorted(m for m in ("pandas", "duckdb", "ibis") if m in sys.modules)}))
    """)
    assert got == {"images": False, "kaleido": False, "threads": ["MainThread"], "children": [], "heavy": []}


def test_a_report_command_starts_the_browser_before_its_heavy_imports():
    """The report command starts Chromium (about 2 s, in the background) once its options are checked, before the
    dataset's and the report's modules are imported, pandas and plotly's figures included (docs/reports.md: the
    early start)."""
    got = _python("""
        import json, sys
        from clusterobs.reports import images

        HEAVY = ("duckdb", "ibis", "weasyprint", "scipy", "pandas", "plotly.graph_objects", "clusterobs.charts.bars",
                 "clusterobs.store.store", "clusterobs.reports.data", "clusterobs.reports.scorecard",
                 "clusterobs.reports.panorama", "clusterobs.reports.render")
        seen = []

        class Started(Exception):
            pass

        def start(tabs=2, *, bundle="full"):
            seen.append({"tabs": tabs, "bundle": bundle, "loaded": [m for m in HEAVY if m in sys.modules]})
            raise Started

        images.start = start
        from clusterobs.cli import app

        for argv in (["report", "region", "DE21"], ["report", "panorama"], ["report", "trends"]):
            try:
                app(argv, standalone_mode=False)
            except Started:
                pass
        print(json.dumps(seen))
    """)
    assert got == [{"tabs": 1, "bundle": "basic", "loaded": []}, {"tabs": 2, "bundle": "full", "loaded": []},
                   {"tabs": 1, "bundle": "basic", "loaded": []}]
