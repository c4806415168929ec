"""The Chromium that draws the images (``images``): where it is, what to say when it is missing, and its profile.

``browser_path`` finds the program (``BROWSER_PATH``; else Chromium's headless shell when it is installed: Debian's
``chromium-headless-shell`` package, or ``chrome-headless-shell`` / ``chromium-headless-shell`` on ``PATH``; else
Debian's ``/usr/bin/chromium``, else ``chromium``, ``chromium-browser`` or ``google-chrome`` on ``PATH``) and raises
``ChromiumMissing`` naming what to install when there is none, before anything waits for a browser that cannot start.

The headless shell is the same Blink and Skia without the browser's user interface: it draws the same images, byte
for byte (the charts of a scorecard, a MapLibre map through SwiftShader), and starts and draws with about half of
Chromium's CPU (1.5-1.8 s instead of 2.9-3.9 s for a scorecard's browser, 2 cores under load), which a cold
``clusterobs report region`` waits for.

Chromium writes its profile (``--user-data-dir``) while it runs, and its helper processes may still write into it
(``Default/``) for a moment after the main process has exited. kaleido's browser library removes the profile as
soon as the main process is gone, and removing it once failed with ``OSError: Directory not empty: 'Default'``. Here
the profile is a ``Profile`` of our own that the library does not remove: ``remove_after_exit`` removes it once the
whole process group of the browser has exited (bounded wait), retrying, and never raises.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from clusterobs.errors import ClusterobsError

log = logging.getLogger(__name__)

DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
#: Debian's ``chromium-headless-shell`` (the program itself: ``/usr/bin/chromium-headless-shell`` is a shell script
#: that runs it)
DEBIAN_HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
HEADLESS_SHELL_NAMES = ("chrome-headless-shell", "chromium-headless-shell")
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = ("install Chromium (Debian/Ubuntu: `apt-get install chromium-headless-shell chromium fonts-liberation`) or "
           "set BROWSER_PATH to a Chrome or Chromium program")


class ChromiumMissing(ClusterobsError):
    """No Chromium to draw images with: the message says what to install."""


class BrowserStartError(ClusterobsError):
    """Chromium is there but did not start (the message has the cause); a later attempt starts it afresh."""


def _runnable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def browser_path() -> Path:
    """The Chromium program to run (its headless shell when installed), or ``ChromiumMissing`` saying what to
    install."""
    if wanted := os.environ.get("BROWSER_PATH"):
        path = Path(wanted)
        if not _runnable(path):
            raise ChromiumMissing(f"Image export needs Chromium, but BROWSER_PATH={wanted} is not a program: "
                                  f"{INSTALL}.")
        return path
    if _runnable(DEBIAN_HEADLESS_SHELL):
        return DEBIAN_HEADLESS_SHELL
    for name in HEADLESS_SHELL_NAMES:
        if found := shutil.which(name):
            return Path(found)
    if _runnable(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    for name in NAMES:
        if found := shutil.which(name):
            return Path(found)
    raise ChromiumMissing(f"Image export needs Chromium, which is not installed (no {', '.join(NAMES)} on PATH): "
                          f"{INSTALL}.")


class Profile:
    """A Chromium profile directory in the place of choreographer's ``TmpDirectory`` (``path``, ``clean``), whose
    ``clean`` leaves it: it is removed by ``remove_after_exit`` once the browser has exited."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="clusterobs-chromium-"))
        self.exists = True

    def clean(self) -> None:
        """What choreographer calls as soon as the main process has exited: nothing yet."""


def _group_alive(pgid: int) -> bool:
    """Whether a process of group ``pgid`` runs (zombies, which no longer write, do not count)."""
    proc = Path("/proc")
    if proc.is_dir():
        for stat in proc.glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    return True
        return False
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def wait_group_exit(pgid: int | None, timeout: float = 10.0) -> bool:
    """Wait (at most ``timeout`` s) until no process of group ``pgid`` is left; whether none is."""
    if pgid is None:
        return True
    deadline = time.monotonic() + timeout
    while _group_alive(pgid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def remove_tree(path: Path, *, attempts: int = 10, delay: float = 0.2) -> bool:
    """Remove ``path`` (files still being written into it are retried ``attempts`` times); never raises. Whether it
    is gone (else a warning names it)."""
    for attempt in range(attempts):
        try:
            shutil.rmtree(path)
            return True
        except FileNotFoundError:
            return True
        except OSError as exc:
            if attempt == attempts - 1:
                log.warning("the Chromium profile %s could not be removed: %s", path, exc)
            else:
                time.sleep(delay)
    shutil.rmtree(path, ignore_errors=True)
    return not path.exists()


def remove_after_exit(profile: Profile, pgid: int | None, *, timeout: float = 10.0) -> bool:
    """Remove ``profile`` once the browser's process group ``pgid`` has exited (or after ``timeout`` s)."""
    if not wait_group_exit(pgid, timeout):
        log.warning("Chromium (process group %s) still runs %g s after closing; removing its profile anyway",
                    pgid, timeout)
    gone = remove_tree(profile.path)
    profile.exists = not gone
    return gone
