"""Partner search by category names (both databases: SQLite's FTS5 table, PostgreSQL's stored vector): a profile
tagged with the Aerospace category is found by "aerospace" though no word of its own says so; the stored names follow
a change of categories from either side, a renamed category, and include the French label."""

from __future__ import annotations

import pytest
from django.utils.translation import get_language

from clusterobs.web.registry import category_names
from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.models import Category, Organisation
from clusterobs.web.registry.search import ProfileFilters, profile_search

AERO = "aerospace_vehicles_and_defense"


def _names(q: str) -> list[str]:
    return [o.name for o in profile_search(ProfileFilters(q=q))]


@pytest.fixture
def wings(objects):
    """A profile whose own words never say "aerospace" (only its category does)."""
    org = Organisation.objects.create(name="Garonne Wings", region="FR62", keywords="composites, drones",
                                      description="Suppliers of wing parts around Toulouse.")
    org.categories.set(category_sync([AERO]))
    return org


def test_search_finds_a_profile_by_its_category_name(wings):
    name = Category.objects.get(slug=AERO).name
    assert "aerospace" in name.lower() and "aerospace" not in (wings.name + wings.keywords + wings.description).lower()
    assert _names("aerospace") == ["Garonne Wings"]
    assert _names("Aerosp") == ["Garonne Wings"]  # a prefix, any case
    assert _names("aerospace toulouse") == ["Garonne Wings"]  # every word, from the category or the profile
    assert _names("aerospace battery") == []
    # the English name and the project's French label (categories_fr.csv), so a French visitor finds it too
    assert Organisation.objects.get(pk=wings.pk).category_names == f"{name}; Aéronautique, espace et défense"
    assert _names("Aéronautique") == ["Garonne Wings"]


def test_the_names_follow_the_categories_from_either_side_and_a_rename(wings, objects):
    aero = Category.objects.get(slug=AERO)
    wings.categories.clear()
    assert _names("aerospace") == []
    aero.organisations.add(wings)  # the category's side of the relation
    assert _names("aerospace") == ["Garonne Wings"]
    aero.organisations.clear()
    assert _names("aerospace") == []
    wings.categories.add(aero, Category.objects.get(slug="automotive"))
    assert _names("aerospace") == ["Garonne Wings"]
    assert set(_names("automotive")) == {"Garonne Wings", objects.profile.name}  # the fixture's profile is automotive
    aero.name = "Aviation and space"
    aero.save()
    assert _names("aviation") == ["Garonne Wings"]
    wings.categories.remove(aero)
    assert _names("aviation") == []


def test_a_name_weighs_more_than_a_category(wings):
    Organisation.objects.create(name="Aerospace Valley", region="FR62", description="A profile without categories.")
    assert _names("aerospace") == ["Aerospace Valley", "Garonne Wings"]


def test_the_french_label_is_searched_too(objects, monkeypatch):
    french = {AERO: "Aéronautique, spatial et défense"}
    original = category_names._display_name
    monkeypatch.setattr(category_names, "_display_name",
                        lambda slug: french.get(slug) if get_language() == "fr" else original(slug))
    org = Organisation.objects.create(name="Garonne Wings", region="FR62")
    org.categories.set(category_sync([AERO]))
    stored = Organisation.objects.get(pk=org.pk).category_names
    assert stored == f"{Category.objects.get(slug=AERO).name}; Aéronautique, spatial et défense"
    assert _names("aéronautique") == _names("spatial") == _names("aerospace") == ["Garonne Wings"]
