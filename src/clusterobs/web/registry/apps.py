"""The registry app: after every migrate, creates the member and curator groups and checks the SQLite FTS index."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RegistryConfig(AppConfig):
    name = "clusterobs.web.registry"
    label = "registry"
    verbose_name = "Cluster collaboration registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clusterobs.web.registry import roles

        post_migrate.connect(roles.roles_ensure_after_migrate, sender=self)
        post_migrate.connect(_fts_reinstall, sender=self)


def _fts_reinstall(sender, using="default", **kwargs) -> None:
    """SQLite rebuilds tables on some migrations, dropping triggers: put the FTS5 index back (idempotent)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from clusterobs.web.registry import fts_sqlite

    connection = connections[using]
    if connection.vendor == "sqlite" and MigrationRecorder(connection).migration_qs.filter(
            app="registry", name="0002_sqlite_fts").exists():
        fts_sqlite.install(connection)
