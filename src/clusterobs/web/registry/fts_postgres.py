"""PostgreSQL full-text index of organisation profiles: the stored ``search_vector`` column, a trigger that fills it,
and its GIN index.

The vector is ``to_tsvector('simple', …)`` of name and acronym (weight A), keywords (B), description (C) and, since
migration 0004, the profile's category names in English and French (``category_names``, B), concatenated in that
order (the category names last, so the other words keep their positions). Installed by migration 0003 over the four
text columns (PostgreSQL only; the column itself is the model's ``search_vector``, always empty on SQLite, which
searches with FTS5: ``fts_sqlite``) and re-installed by 0004 over five; each also fills the column for existing rows.

A ``BEFORE INSERT OR UPDATE OF`` the columns trigger rather than a generated column: PostgreSQL refuses to change
the type of a column that a generated column reads ("cannot alter type of a column used by a generated column"), so
a later migration widening ``name`` would fail. A migration that renames or drops one of the columns, or the
``search_vector`` field, must re-install (``install``) or remove (``uninstall``) the trigger with it.
"""

from __future__ import annotations

from typing import Any

TABLE = "registry_organisation"
COLUMN = "search_vector"
CONFIG = "simple"
#: tsvector weights, in order, as migration 0003 installed them (its SQL must not change with the model)
WEIGHTS_0003 = (("name", "A"), ("acronym", "A"), ("keywords", "B"), ("description", "C"))
WEIGHTS = (*WEIGHTS_0003, ("category_names", "B"))  # since 0004
FUNCTION = TRIGGER = INDEX = "registry_organisation_search_vector"

Weights = tuple[tuple[str, str], ...]


def vector_sql(row: str = "", weights: Weights = WEIGHTS) -> str:
    """The weighted tsvector of a row as SQL; ``row`` qualifies the columns (``NEW`` in the trigger)."""
    prefix = f"{row}." if row else ""
    return " || ".join(f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({prefix}{column}, '')), '{weight}')"
                       for column, weight in weights)


def statements(weights: Weights = WEIGHTS) -> list[str]:
    """The SQL that (re)creates the trigger over ``weights``' columns, fills every row and creates the index."""
    columns = ", ".join(column for column, _ in weights)
    return [
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN NEW.{COLUMN} := {vector_sql('NEW', weights)}; RETURN NEW; END $$",
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
        f"CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE OF {columns} ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
        f"UPDATE {TABLE} SET {COLUMN} = {vector_sql('', weights)}",  # the rows already there
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin ({COLUMN})",
    ]


STATEMENTS = statements()
DROP_STATEMENTS = [f"DROP INDEX IF EXISTS {INDEX}", f"DROP TRIGGER IF EXISTS {TRIGGER} ON {TABLE}",
                   f"DROP FUNCTION IF EXISTS {FUNCTION}()"]


def install(connection: Any, weights: Weights = WEIGHTS) -> None:
    """Create or replace the trigger, fill the column of every row, create the index (PostgreSQL only)."""
    _execute(connection, statements(weights))


def uninstall(connection: Any) -> None:
    _execute(connection, DROP_STATEMENTS)


def migrate_forwards(apps: Any, schema_editor: Any) -> None:
    """Migration 0003: the trigger over the four text columns it knew."""
    install(schema_editor.connection, WEIGHTS_0003)


def migrate_backwards(apps: Any, schema_editor: Any) -> None:
    uninstall(schema_editor.connection)


def _execute(connection: Any, statements: list[str]) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for sql in statements:
                cur.execute(sql)
