"""Matchmaking: the three-organisation example of the module docstring, computed by hand; the page shows reasons."""

from __future__ import annotations

import math

import pytest
from django.urls import reverse

from clusterobs.web.registry import matchmaking
from clusterobs.web.registry.categories import category_sync
from clusterobs.web.registry.matchmaking import Party, score


def test_three_organisation_example_by_hand():
    s = Party(0, "DE11", frozenset({"a", "b"}), "battery cell recycling")
    c1 = Party(1, "FR10", frozenset({"b", "c"}), "battery recycling plants")
    c2 = Party(2, "DE12", frozenset({"d"}), "organic food")
    idf2, idf1 = math.log(4 / 3) + 1, math.log(4 / 2) + 1
    assert idf2 == pytest.approx(1.28768, abs=1e-5) and idf1 == pytest.approx(1.69315, abs=1e-5)
    cos = (2 * idf2**2) / (2 * idf2**2 + idf1**2)
    assert cos == pytest.approx(0.53635, abs=1e-5)
    m1, m2 = score(s, [c2, c1], related={frozenset(("a", "c"))})
    assert (m1.key, m2.key) == (1, 2)
    assert m1.parts == pytest.approx({"shared": 1 / 3, "complementary": 1.0, "text": 0.53635, "geography": 1.0},
                                     abs=1e-5)
    assert m1.score == pytest.approx(0.65076, abs=1e-5)
    assert m1.shared == ["b"] and m1.complementary == [("c", "a")]
    assert m2.parts == {"shared": 0.0, "complementary": 0.0, "text": 0.0, "geography": 0.5}
    assert m2.score == pytest.approx(0.075)


def test_without_relatedness_complementary_counts_zero():
    s = Party(0, "DE11", frozenset({"a"}), "x")
    c = Party(1, "DE11", frozenset({"a", "c"}), "x")
    (m,) = score(s, [c], related=None)
    assert m.parts["complementary"] == 0.0 and m.parts["geography"] == 0.0
    assert m.parts["shared"] == 0.5


def test_geography():
    assert matchmaking.geography("DE11", "FR10") == 1.0
    assert matchmaking.geography("DE11", "DE12") == 0.5
    assert matchmaking.geography("DE1", "DE11") == 0.0


def test_related_pairs_top_decile():
    import pandas as pd

    rows = pd.DataFrame({"category_i": list("abcdefghij"), "category_j": list("bcdefghijk"),
                         "value": [0.1 * i for i in range(10)]})

    class Reads:  # what related_pairs reads of the store (``VersionReads.relatedness_latest``)
        def __init__(self, latest):
            self.latest = latest

        def relatedness_latest(self):
            return self.latest

    pairs, source = matchmaking.related_pairs(Reads(("m", 2, 2020, rows)))
    assert pairs == {frozenset(("j", "k"))} and source == "m, NUTS 2, 2020"
    assert matchmaking.related_pairs(Reads(None)) == (None, None)  # no relatedness table
    assert matchmaking.related_pairs(Reads(("m", 2, 2020, rows.head(0)))) == (None, None)


def test_matches_page_shows_score_and_reasons(objects, client):
    from clusterobs.web.registry.models import Organisation

    auto = category_sync(["automotive"])
    lyon = Organisation.objects.create(name="Lyon Auto Cluster", region="FRK2",
                                       description="Electric drive trains and battery cells.")
    lyon.categories.set(auto)
    response = client.get(reverse("registry:profile_matches", args=[objects.profile.pk]))
    assert response.status_code == 200
    matches = response.context["matches"]
    assert matches[0]["profile"] == lyon and matches[0]["shared"] == ["Automotive"]
    assert matches[0]["parts"]["geography"] == 1.0 and matches[0]["parts"]["text"] > 0.3
    # the computed dataset has the linkages stage's relatedness: its default method, latest year, NUTS 2
    assert response.context["related_from"] == "colocation_share, NUTS 2, 2015"
    body = response.content.decode()
    assert "Shared categories: Automotive" in body and "In another country" in body
    assert "no relatedness table" not in body
    # for a request: the requesting organisation itself is never recommended
    response = client.get(reverse("registry:request_matches", args=[objects.request.pk]))
    assert objects.profile not in [m["profile"] for m in response.context["matches"]]
