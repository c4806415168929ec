"""``clusterobs serve``: apply migrations, collect the static files with hashed names, serve with waitress."""

from __future__ import annotations

import os

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


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = THREADS) -> None:
    """Migrate the portal database, collect the static files, then serve the WSGI app with waitress."""
    os.environ["CLUSTEROBS_HASHED_STATIC"] = "1"
    setup_django()
    migrate()
    collect_static()
    from waitress import serve as waitress_serve

    from clusterobs.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="clusterobs")
