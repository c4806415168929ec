"""Imported first by the ``clusterobs`` command (``clusterobs.cli``) for its side effect: for ``clusterobs report
...`` the kaleido browser (Chromium, about 2 s to start) starts at once, in the background, instead of after the
command's imports (pandas, the store, every subcommand: about 0.8 s). Any other command, or ``--help``, starts
nothing. The report command then finds the browser running (``images.start`` returns it).
"""

from __future__ import annotations

import sys


def tabs_for(argv: list[str]) -> int | None:
    """How many kaleido tabs ``argv`` wants (one for a scorecard, two for a Panorama), or None for no browser."""
    if argv[1:2] != ["report"] or len(argv) < 3 or {"--help", "-h"} & set(argv):
        return None
    return {"region": 1, "panorama": 2}.get(argv[2])


def prestart(argv: list[str]) -> None:
    tabs = tabs_for(argv)
    if tabs is not None:
        from clusterobs.reports import images

        images.start(tabs)


prestart(sys.argv)
