"""``clusterobs compute --spark-master … --spark-conf KEY=VALUE`` reaches the Spark session (no Spark needed)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from clusterobs.cli import app
from clusterobs.mapping.backends import parse_spark_conf
from clusterobs.store import Store


def test_parse_spark_conf():
    assert parse_spark_conf(["spark.driver.host=127.0.0.1", " spark.executor.memory = 768m ", "a.b=x=y"]) == {
        "spark.driver.host": "127.0.0.1", "spark.executor.memory": "768m", "a.b": "x=y"}
    assert parse_spark_conf(None) == {}
    with pytest.raises(ValueError, match=re.escape("KEY=VALUE; got 'spark.driver.host'")):
        parse_spark_conf(["spark.driver.host"])
    with pytest.raises(ValueError, match="KEY=VALUE"):
        parse_spark_conf(["=1"])


def test_compute_passes_master_and_settings_to_the_engine(monkeypatch, tmp_path):
    seen = {}

    def fake_run_compute(store, **kw):
        seen.update(kw)
        raise ValueError("stop here")

    monkeypatch.setattr("clusterobs.compute.run_compute", fake_run_compute)
    monkeypatch.setattr(Store, "current", lambda self: "v1")
    res = CliRunner().invoke(app, ["compute", "--home", str(tmp_path), "--engine", "spark",
                                   "--spark-master", "spark://127.0.0.1:7077",
                                   "--spark-conf", "spark.driver.host=127.0.0.1",
                                   "--spark-conf", "spark.executor.memory=768m"])
    assert res.exit_code == 1, res.output
    assert seen["engine"] == "spark" and seen["spark_master"] == "spark://127.0.0.1:7077"
    assert seen["spark_conf"] == {"spark.driver.host": "127.0.0.1", "spark.executor.memory": "768m"}
    assert "v1" in res.output and "unchanged" in res.output


def test_compute_rejects_a_setting_without_value(tmp_path):
    res = CliRunner().invoke(app, ["compute", "--home", str(tmp_path), "--engine", "spark",
                                   "--spark-conf", "spark.executor.memory"])
    assert res.exit_code == 2
    assert "KEY=VALUE" in res.output
