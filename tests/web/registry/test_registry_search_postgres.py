"""PostgreSQL only: partner search reads the stored ``search_vector`` (fts_postgres), which follows every edit, is
the tsvector the search used to compute at query time (so ranking is unchanged), is filled for rows that exist when
migration 0003 runs, and is searched through its GIN index. SQLite's FTS5 index is tested by the search tests of
test_registry_pages.py, which run on both databases."""

from __future__ import annotations

import pytest
from django.db import connection

from clusterobs.web.registry import fts_postgres
from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.models import Organisation
from clusterobs.web.registry.search import ProfileFilters, profile_search

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")


def _names(qs):
    return [o.name for o in qs]


def _stored(org: Organisation) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT search_vector::text FROM registry_organisation WHERE id = %s", [org.pk])
        return cur.fetchone()[0]


def test_stored_vector_follows_create_and_edit(db):
    org = Organisation.objects.create(name="Hydrogen Valley", acronym="HV", region="DE11", keywords="fuel cells",
                                      description="Electrolysers for steel.")
    assert _stored(org) == ("'cells':5B 'electrolysers':6C 'for':7C 'fuel':4B 'hv':3A 'hydrogen':1A 'steel':8C "
                            "'valley':2A")
    assert _names(profile_search(ProfileFilters(q="electroly"))) == ["Hydrogen Valley"]
    org.categories.set(category_sync(["automotive"]))  # the category names come last: the positions above stay
    assert _stored(org).endswith("'valley':2A") and "'automotive':9B" in _stored(org)
    org.description = "Ammonia terminals."
    org.save()
    assert "'ammonia':6C" in _stored(org) and "electrolysers" not in _stored(org)
    assert _names(profile_search(ProfileFilters(q="ammonia"))) == ["Hydrogen Valley"]
    assert _names(profile_search(ProfileFilters(q="electrolysers"))) == []
    Organisation.objects.filter(pk=org.pk).update(keywords="pipelines")  # a queryset update fires the trigger too
    assert _names(profile_search(ProfileFilters(q="pipelines"))) == ["Hydrogen Valley"]
    assert _names(profile_search(ProfileFilters(q="fuel"))) == []


def test_stored_vector_is_the_query_time_vector(objects):
    """The vector the search computed for every row before 0003 (so ts_rank ranks exactly as before), with the
    category names since 0004."""
    from django.contrib.postgres.search import SearchVector

    Organisation.objects.create(name="Ölbaum", acronym="", region="ITC4", keywords="olive, oil; presses",
                                description="")
    computed = (SearchVector("name", weight="A", config="simple") + SearchVector("acronym", weight="A", config="simple")
                + SearchVector("keywords", weight="B", config="simple")
                + SearchVector("description", weight="C", config="simple")
                + SearchVector("category_names", weight="B", config="simple"))  # since 0004
    rows = Organisation.objects.annotate(computed=computed).values_list("search_vector", "computed")
    assert len(rows) == 3 and all(stored == fresh for stored, fresh in rows)


def test_search_uses_the_gin_index(objects):
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")  # the table is tiny: make the planner show it can use the index
    plan = profile_search(ProfileFilters(q="battery cells")).explain()
    assert f"Bitmap Index Scan on {fts_postgres.INDEX}" in plan, plan
    assert "Index Cond: (search_vector @@" in plan, plan


def test_migration_fills_the_column_of_existing_profiles(db):
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("registry", "0002_sqlite_fts")], [("registry", "0003_postgres_search_vector")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("registry", "Organisation")
    old.objects.create(name="Battery Valley", region="FR10", country="FR", description="Energy storage.")
    old.objects.create(name="Solar Alliance", region="ITC4", country="IT", keywords="battery")
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred foreign-key checks pending when 0003 alters
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM registry_organisation WHERE search_vector IS NULL")
        assert cur.fetchone()[0] == 0
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("registry"))  # on to today's schema (0004: category names)
    assert not Organisation.objects.filter(search_vector__isnull=True).exists()
    assert _names(profile_search(ProfileFilters(q="battery"))) == ["Battery Valley", "Solar Alliance"]
    assert _names(profile_search(ProfileFilters(q="storage"))) == ["Battery Valley"]


def test_migration_0004_indexes_the_category_names_of_existing_profiles(db):
    """Profiles tagged before 0004 are found by their categories' names once it has run."""
    from django.db.migrations.executor import MigrationExecutor

    before = [("registry", "0003_postgres_search_vector")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    state = executor.loader.project_state(before).apps
    category = state.get_model("registry", "Category").objects.create(slug="aerospace_vehicles_and_defense",
                                                                      name="Aerospace vehicles and defense",
                                                                      kind="traded")
    org = state.get_model("registry", "Organisation").objects.create(name="Garonne Wings", region="FR62",
                                                                     country="FR")
    org.categories.add(category)
    with connection.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes("registry"))
    # the English name and the French label (``category_names``: both languages, the French one from the catalogue)
    assert Organisation.objects.get(name="Garonne Wings").category_names == (
        "Aerospace vehicles and defense; Aéronautique, espace et défense")
    assert "'aerospace':3B" in _stored(Organisation.objects.get(name="Garonne Wings"))  # after the name's 2 words
    assert _names(profile_search(ProfileFilters(q="aerospace"))) == ["Garonne Wings"]
    assert _names(profile_search(ProfileFilters(q="aéronautique"))) == ["Garonne Wings"]
