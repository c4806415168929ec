"""``clusterobs serve``: apply migrations, collect nothing (WhiteNoise serves from the package), serve."""

from __future__ import annotations

import os


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterobs.web.settings")
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def serve(host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    """Migrate the portal database, then serve the WSGI app with waitress (a production server)."""
    setup_django()
    migrate()
    from waitress import serve as waitress_serve

    from clusterobs.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="clusterobs")
