"""Imported first by the ``clusterobs`` command (``clusterobs.cli``) for its side effect: for ``clusterobs report
...`` the kaleido browser (Chromium, about 2 s to start) starts at once, in the background, instead of after the
command's imports (pandas, the store, every subcommand: about 0.8 s). Any other command, or ``--help``, starts
nothing. The report command then finds the browser running (``images.start`` returns it).
"""

from __future__ import annotations

import sys

#: per report: kaleido tabs and plotly.js bundle (a scorecard's charts are scatter and bar traces: Plotly's
#: ``basic`` bundle opens in 0.6 s instead of 1.5 s; the Panorama has maps and bars: the full bundle)
BROWSERS = {"region": (1, "basic"), "panorama": (2, "full"), "trends": (1, "basic")}


def browser_for(argv: list[str]) -> tuple[int, str] | None:
    """(kaleido tabs, plotly.js bundle) that ``argv`` wants, or None for no browser."""
    if argv[1:2] != ["report"] or len(argv) < 3 or {"--help", "-h"} & set(argv):
        return None
    return BROWSERS.get(argv[2])


def prestart(argv: list[str]) -> None:
    wanted = browser_for(argv)
    if wanted is not None:
        from clusterobs.reports import images

        images.start(wanted[0], bundle=wanted[1])


prestart(sys.argv)
