"""The image browser's Chromium: a clear message when it is missing (no traceback, no wait), and its profile removed
only once every Chromium process has exited, even when a helper still writes into it after the main one."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import plotly.graph_objects as go
import pytest

from clusterobs.reports import chromium, images

MISSING = "/nonexistent/chromium"


# ---- Chromium missing -------------------------------------------------------------------------------------------


def test_a_missing_browser_path_says_what_to_install(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", MISSING)
    with pytest.raises(chromium.ChromiumMissing) as caught:
        chromium.browser_path()
    message = str(caught.value)
    assert f"BROWSER_PATH={MISSING} is not a program" in message
    assert "apt-get install chromium" in message


def test_no_chromium_anywhere_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(chromium, "DEBIAN_CHROMIUM", tmp_path / "chromium")
    monkeypatch.setattr(chromium, "DEBIAN_HEADLESS_SHELL", tmp_path / "chromium-headless-shell")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(chromium.ChromiumMissing, match=r"not installed .*apt-get install chromium-headless-shell"):
        chromium.browser_path()


def _program(path: Path) -> Path:
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return path


def test_the_headless_shell_is_preferred_to_chromium(monkeypatch, tmp_path):
    """Chromium's headless shell (the same images, half the CPU) when installed; BROWSER_PATH still wins."""
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setattr(chromium, "DEBIAN_CHROMIUM", _program(tmp_path / "chromium"))
    monkeypatch.setattr(chromium, "DEBIAN_HEADLESS_SHELL", tmp_path / "missing-shell")
    assert chromium.browser_path() == tmp_path / "chromium"
    on_path = _program(tmp_path / "bin" / "chrome-headless-shell")
    assert chromium.browser_path() == on_path
    monkeypatch.setattr(chromium, "DEBIAN_HEADLESS_SHELL", _program(tmp_path / "chromium-headless-shell"))
    assert chromium.browser_path() == tmp_path / "chromium-headless-shell"
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "chromium"))
    assert chromium.browser_path() == tmp_path / "chromium"


def test_an_image_without_chromium_fails_at_once_with_the_message(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", MISSING)
    images.stop()
    try:
        start = time.monotonic()
        job = images.submit(go.Figure(go.Bar(x=[1], y=[2])), fmt="png")
        with pytest.raises(chromium.ChromiumMissing, match="apt-get install chromium"):
            job.result(timeout=20)
        assert time.monotonic() - start < 10  # not START_TIMEOUT (30 s) twice
    finally:
        images.stop()


def test_report_cli_without_chromium_says_what_to_install(computed, tmp_path):
    store, _ = computed
    env = {**os.environ, "BROWSER_PATH": MISSING}
    run = subprocess.run([sys.executable, "-c", "from clusterobs.cli import app; app()", "report", "region",
                          "DE21", "--home", str(store.home), "--out", str(tmp_path), "--no-pdf"],
                         env=env, capture_output=True, text=True, timeout=300)
    output = run.stdout + run.stderr
    assert run.returncode == 1, output
    assert "Report failed" in output and "apt-get install chromium" in output
    assert "Traceback" not in output


# ---- the profile ---------------------------------------------------------------------------------------------


def _leader_with_a_late_writer(profile: Path, files: int) -> subprocess.Popen:
    """A process group like Chromium's: its leader exits at once, a helper keeps writing into ``Default/``."""
    script = (f"mkdir -p {profile}/Default; (for i in $(seq {files}); do echo x > {profile}/Default/f$i; "
              f"sleep 0.02; done; touch {profile}/Default/done) & exit 0")
    leader = subprocess.Popen(["sh", "-c", script], start_new_session=True)
    leader.wait()
    return leader


def test_the_profile_is_removed_after_every_chromium_process_has_exited():
    profile = chromium.Profile()
    assert profile.path.is_dir() and profile.path.name.startswith("clusterobs-chromium-")
    profile.clean()  # what choreographer calls when the main process is gone: nothing yet
    leader = _leader_with_a_late_writer(profile.path, files=40)
    assert profile.path.exists()
    assert chromium.remove_after_exit(profile, leader.pid, timeout=30) is True
    assert not profile.path.exists() and profile.exists is False
    assert not chromium._group_alive(leader.pid)


def test_removal_retries_a_directory_that_is_not_empty_yet(monkeypatch, tmp_path):
    calls = []
    real = chromium.shutil.rmtree

    def flaky(path, *args, **kwargs):
        calls.append(path)
        if len(calls) < 3:
            raise OSError(39, "Directory not empty", "Default")
        real(path, *args, **kwargs)

    target = tmp_path / "profile"
    (target / "Default").mkdir(parents=True)
    monkeypatch.setattr(chromium.shutil, "rmtree", flaky)
    assert chromium.remove_tree(target, delay=0) is True
    assert len(calls) == 3 and not target.exists()


def test_removal_never_raises_and_names_what_it_left(monkeypatch, tmp_path, caplog):
    def stuck(path, *args, **kwargs):
        if not kwargs.get("ignore_errors"):
            raise OSError(39, "Directory not empty", "Default")

    target = tmp_path / "profile"
    target.mkdir()
    monkeypatch.setattr(chromium.shutil, "rmtree", stuck)
    with caplog.at_level(logging.WARNING, logger="clusterobs.reports.chromium"):
        assert chromium.remove_tree(target, attempts=3, delay=0) is False
    assert "could not be removed" in caplog.text and str(target) in caplog.text


needs_chromium = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="no chromium")


@pytest.mark.browser
@needs_chromium
def test_closing_the_browser_leaves_no_profile_and_no_process():
    images.stop()
    browser = images.start(1, bundle="basic")
    png = images.image(go.Figure(go.Bar(x=["a"], y=[1]), layout={"height": 200}), fmt="png", width=200)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    profile, pgid = browser.profile.path, browser.kaleido.subprocess.pid
    assert (profile / "Default").is_dir()  # Chromium's profile is ours
    images.stop()
    assert not profile.exists()
    assert not chromium._group_alive(pgid)
