"""The registry app: after every migrate, creates the member and curator groups and checks the SQLite FTS index;
keeps each profile's searchable category names in step with its categories (``category_names``); makes confirmed
accounts members and adds its section to the account page (``on_accounts``)."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate

CATEGORY_NAMES_MIGRATION = "0004_organisation_category_names"


class RegistryConfig(AppConfig):
    name = "clusterobs.web.registry"
    label = "registry"
    verbose_name = "Cluster collaboration registry"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from clusterobs.web.registry import roles

        post_migrate.connect(roles.roles_ensure_after_migrate, sender=self)
        post_migrate.connect(_fts_reinstall, sender=self)
        from clusterobs.web.registry import category_names

        category_names.connect()
        from clusterobs.web.registry import on_accounts

        on_accounts.connect()
        from clusterobs.web import api
        from clusterobs.web.registry import api as registry_api

        api.add_router(registry_api.router)  # the kernel's API: every app adds its own router


def _fts_reinstall(sender, using="default", **kwargs) -> None:
    """SQLite rebuilds tables on some migrations, dropping triggers: put the FTS5 index back (idempotent)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from clusterobs.web.registry import fts_sqlite

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    applied = set(MigrationRecorder(connection).migration_qs.filter(app="registry").values_list("name", flat=True))
    if CATEGORY_NAMES_MIGRATION in applied:
        fts_sqlite.install(connection)
    elif "0002_sqlite_fts" in applied:  # migrated back to before the category names: the index 0002 made
        fts_sqlite.install(connection, fts_sqlite.COLUMNS_0002)
