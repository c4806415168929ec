"""SQLite FTS5 index of organisation profiles: an external-content virtual table kept in step by triggers.

Installed by migration 0002 (SQLite only) with the four text columns, re-installed by 0004 with the profile's
category names as a fifth, and re-installed after every ``migrate`` (``apps.py``), because SQLite migrations that
rebuild ``registry_organisation`` drop its triggers. Idempotent; ``rebuild`` re-reads every row.
"""

from __future__ import annotations

from typing import Any

TABLE = "registry_organisation_fts"
#: the indexed columns as migration 0002 made them (its SQL must not change with the model)
COLUMNS_0002 = ("name", "acronym", "keywords", "description")
WEIGHTS_0002 = (10.0, 10.0, 5.0, 1.0)
#: the indexed columns now (0004 added the category names, English and French, weighed as keywords)
COLUMNS = (*COLUMNS_0002, "category_names")
WEIGHTS = (*WEIGHTS_0002, 5.0)  # bm25 column weights, in COLUMNS order


def statements(columns: tuple[str, ...] = COLUMNS) -> list[str]:
    """The SQL that creates the FTS5 table over ``columns``, its three triggers, and fills it."""
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({cols}, content='registry_organisation', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER IF NOT EXISTS registry_organisation_fts_ai AFTER INSERT ON registry_organisation BEGIN "
        f"INSERT INTO {TABLE}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS registry_organisation_fts_ad AFTER DELETE ON registry_organisation BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER IF NOT EXISTS registry_organisation_fts_au AFTER UPDATE ON registry_organisation BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {TABLE}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
    ]


STATEMENTS = statements()


def install(connection: Any, columns: tuple[str, ...] = COLUMNS) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for sql in statements(columns):
            cur.execute(sql)


def uninstall(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for trigger in ("ai", "ad", "au"):
            cur.execute(f"DROP TRIGGER IF EXISTS registry_organisation_fts_{trigger}")
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")


def reinstall(connection: Any, columns: tuple[str, ...] = COLUMNS) -> None:
    """Drop and re-create the index over ``columns`` (a change of columns: ``install`` alone keeps the old table)."""
    uninstall(connection)
    install(connection, columns)
