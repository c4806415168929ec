"""PostgreSQL full-text index of organisation profiles: the stored ``search_vector`` column, a trigger that fills it,
and its GIN index.

The vector is ``to_tsvector('simple', …)`` of name and acronym (weight A), keywords (B) and description (C),
concatenated in that order: the same tsvector ``search`` used to compute for every row at query time, so ``ts_rank``
ranks as before. Installed by migration 0003 (PostgreSQL only; the column itself is the model's ``search_vector``,
always empty on SQLite, which searches with FTS5: ``fts_sqlite``), which also fills the column for existing rows.

A ``BEFORE INSERT OR UPDATE OF`` the four columns trigger rather than a generated column: PostgreSQL refuses to change
the type of a column that a generated column reads ("cannot alter type of a column used by a generated column"), so
a later migration widening ``name`` would fail. A migration that renames or drops one of the four columns, or the
``search_vector`` field, must re-install (``install``) or remove (``uninstall``) the trigger with it.
"""

from __future__ import annotations

from typing import Any

TABLE = "registry_organisation"
COLUMN = "search_vector"
CONFIG = "simple"
WEIGHTS = (("name", "A"), ("acronym", "A"), ("keywords", "B"), ("description", "C"))  # tsvector weights, in order
FUNCTION = TRIGGER = INDEX = "registry_organisation_search_vector"


def vector_sql(row: str = "") -> str:
    """The weighted tsvector of a row as SQL; ``row`` qualifies the columns (``NEW`` in the trigger)."""
    prefix = f"{row}." if row else ""
    return " || ".join(f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({prefix}{column}, '')), '{weight}')"
                       for column, weight in WEIGHTS)


_columns = ", ".join(column for column, _ in WEIGHTS)
STATEMENTS = [
    f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN NEW.{COLUMN} := {vector_sql('NEW')}; RETURN NEW; END $$",
    f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
    f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF {_columns} ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
    f"UPDATE {TABLE} SET {COLUMN} = {vector_sql()}",  # the rows already there
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ({COLUMN})",
]


DROP_STATEMENTS = [f"DROP INDEX IF EXISTS {INDEX}", f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
                   f"DROP FUNCTION IF EXISTS {FUNCTION}()"]


def install(connection: Any) -> None:
    """Create or replace the trigger, fill the column of every row, create the index (PostgreSQL only)."""
    _execute(connection, STATEMENTS)


def uninstall(connection: Any) -> None:
    _execute(connection, DROP_STATEMENTS)


def migrate_forwards(apps: Any, schema_editor: Any) -> None:
    install(schema_editor.connection)


def migrate_backwards(apps: Any, schema_editor: Any) -> None:
    uninstall(schema_editor.connection)


def _execute(connection: Any, statements: list[str]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
