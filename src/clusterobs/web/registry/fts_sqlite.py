"""SQLite FTS5 index of organisation profiles: an external-content virtual table kept in step by triggers.

Installed by migration 0002 (SQLite only) and re-installed after every ``migrate`` (``apps.py``), because SQLite
migrations that rebuild ``registry_organisation`` drop its triggers. Idempotent; ``rebuild`` re-reads every row.
"""

from __future__ import annotations

from typing import Any

TABLE = "registry_organisation_fts"
COLUMNS = ("name", "acronym", "keywords", "description")
WEIGHTS = (10.0, 10.0, 5.0, 1.0)  # bm25 column weights, in COLUMNS order

_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
STATEMENTS = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5({_cols}, content='registry_organisation', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS registry_organisation_fts_ai AFTER INSERT ON registry_organisation BEGIN "
    f"INSERT INTO {TABLE}(rowid, {_cols}) VALUES (new.id, {_new}); END",
    f"CREATE TRIGGER IF NOT EXISTS registry_organisation_fts_ad AFTER DELETE ON registry_organisation BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old}); END",
    f"CREATE TRIGGER IF NOT EXISTS registry_organisation_fts_au AFTER UPDATE ON registry_organisation BEGIN "
    f"INSERT INTO {TABLE}({TABLE}, rowid, {_cols}) VALUES ('delete', old.id, {_old}); "
    f"INSERT INTO {TABLE}(rowid, {_cols}) VALUES (new.id, {_new}); END",
    f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')",
]


def install(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for sql in STATEMENTS:
            cur.execute(sql)


def uninstall(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        for trigger in ("ai", "ad", "au"):
            cur.execute(f"DROP TRIGGER IF EXISTS registry_organisation_fts_{trigger}")
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
