"""``clusterobs serve``: apply migrations, collect the static files with hashed names, serve with waitress."""

from __future__ import annotations

import os
import signal
import sys

#: waitress worker threads: enough for 20 concurrent keep-alive clients without queueing behind slow requests
#: (answers from the caches take about a millisecond; the GIL, not the thread count, bounds the throughput)
THREADS = 24


#: what plotly's package_data holds besides plotly.min.js, not served
PLOTLY_EXTRAS = ["widgetbundle.js", "datasets", "templates"]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("createcachetable", verbosity=verbosity)  # only for CLUSTEROBS_CACHE_URL=db://…; else nothing


def collect_static(verbosity: int = 0) -> None:
    """Copy the static files (site, admin, API docs, plotly.min.js) to STATIC_ROOT with hashed names, compressed.

    About 1 s when nothing changed; the first run compresses plotly.min.js (4.6 MB) in gzip and brotli (a few s).
    """
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=verbosity, ignore_patterns=PLOTLY_EXTRAS)


def start_image_browser() -> None:
    """Start the image export's Chromium in the background (``reports.images``), so that the first PNG after
    ``serve`` does not wait for it; without Chromium nothing starts (the export answers 503 saying what to
    install, and the server says it once here)."""
    from clusterobs.reports import chromium, images

    try:
        chromium.browser_path()
    except chromium.ChromiumMissing as exc:
        print(f"Image export (PNG/SVG, report charts) is off: {exc}", flush=True)
        return
    images.start()


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    """Migrate the portal database, collect the static files, then serve the WSGI app with waitress."""
    os.environ["CLUSTEROBS_HASHED_STATIC"] = "1"
    start_image_browser()  # about 2 s (more on a busy machine) while the migrations and static files run
    setup_django()
    migrate()
    collect_static()
    from waitress import serve as waitress_serve

    from clusterobs.web.wsgi import application

    # SIGTERM (a service manager, `kill`) ends like Ctrl+C: the atexit handlers close Chromium and remove its profile
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    waitress_serve(application, host=host, port=port, threads=threads, ident="clusterobs")
