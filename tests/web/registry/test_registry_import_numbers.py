"""A curator's CSV import of profiles: a number that is not finite (``1e400``, ``nan``, ``inf``, ``-inf``) in a
count or in ``management_fte`` is refused with the line and the column, and nothing is imported."""

from __future__ import annotations

import pytest

from clusterobs.web.registry import csvio, validators
from clusterobs.web.registry.models import Organisation

NON_FINITE = ["1e400", "nan", "inf", "-inf"]


@pytest.fixture(autouse=True)
def _observatory_home(monkeypatch):
    """No computed store (overrides the web tests' autouse fixture): the two regions used here are the known ones."""
    monkeypatch.setattr(validators, "known_regions", lambda: {"DE21": "Oberbayern", "FR10": "Ile-de-France"})


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("column", ["management_fte", "members_sme"])
def test_a_non_finite_number_is_refused_and_nothing_imported(db, column, value):
    before = Organisation.objects.count()
    result = csvio.profiles_import(f"name,region,{column}\nGood One,DE21,2\nBad One,FR10,{value}\n".encode())
    assert result.errors, result
    assert all(e.startswith(f"line 3, {column}: ") for e in result.errors), result.errors
    assert Organisation.objects.count() == before


def test_finite_numbers_are_imported(db):
    result = csvio.profiles_import(b"name,region,management_fte,members_sme\nGood One,DE21,1.5,3\n")
    assert result.errors == [] and result.created == 1
    org = Organisation.objects.get(name="Good One")
    assert float(org.management_fte) == 1.5 and org.members_sme == 3
