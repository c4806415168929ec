"""The names a profile's categories go by, stored on the profile (``Organisation.category_names``) so that partner
search finds it by them on both databases (SQLite's FTS5 table and PostgreSQL's ``search_vector`` index that column
like the others): each category's English name and its French label, without repeats (case aside).

The French label is the site's display name of the category in French (``selectors.display_names`` under French,
which also goes through the French catalogue), falling back to the catalogue's translation of the stored name, and
is left out where it is the English one. Signals keep the column in step when a profile's categories change (from
either side of the relation) or a category is renamed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import m2m_changed, post_save
from django.utils import translation
from django.utils.translation import gettext

from clusterobs.web import dataset as selectors

SEPARATOR = "; "
LANGUAGES = ("en", "fr")


def _display_name(slug: str) -> str | None:
    try:
        return selectors.display_names().get(slug)
    except (selectors.NotFound, selectors.NoDataset):  # no published dataset: the stored name only
        return None


def labels(slug: str, name: str) -> list[str]:
    """One category's names: the stored one, then its display name in each of the site's languages."""
    names = [name]
    for lang in LANGUAGES:
        with translation.override(lang):
            names.append(_display_name(slug) or gettext(name))
    kept: dict[str, str] = {}
    for n in names:  # a repeat differing only in case says nothing new
        if n:
            kept.setdefault(n.casefold(), n)
    return list(kept.values())


def text(categories: Iterable[Any]) -> str:
    """The searchable text of these categories (objects with ``slug`` and ``name``)."""
    return SEPARATOR.join(label for c in sorted(categories, key=lambda c: c.slug) for label in labels(c.slug, c.name))


def refresh(organisation_ids: Iterable[int]) -> int:
    """Rewrite the stored category names of these profiles where they changed; returns how many changed.

    A queryset ``update``: the search triggers (FTS5 on SQLite, the vector's on PostgreSQL) follow it, and the
    profile's ``updated`` time stays (its own fields did not change)."""
    from clusterobs.web.registry.models import Organisation

    changed = 0
    for org in Organisation.objects.filter(pk__in=list(organisation_ids)).prefetch_related("categories"):
        new = text(org.categories.all())
        if new != org.category_names:
            changed += Organisation.objects.filter(pk=org.pk).update(category_names=new)
    return changed


def _categories_changed(sender: Any, instance: Any, action: str, reverse: bool, pk_set: set | None,
                        **kwargs: Any) -> None:
    if not reverse:  # organisation.categories.add/remove/set/clear
        if action in ("post_add", "post_remove", "post_clear"):
            refresh([instance.pk])
    elif action == "pre_clear":  # category.organisations.clear(): remember whose names change
        instance._category_names_cleared = list(instance.organisations.values_list("pk", flat=True))
    elif action == "post_clear":
        refresh(getattr(instance, "_category_names_cleared", []))
    elif action in ("post_add", "post_remove"):
        refresh(pk_set or [])


def _category_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:  # a renamed category: its profiles' names
        refresh(instance.organisations.values_list("pk", flat=True))


def connect() -> None:
    """Connect the signals (``RegistryConfig.ready``)."""
    from clusterobs.web.registry.models import Category, Organisation

    m2m_changed.connect(_categories_changed, sender=Organisation.categories.through,
                        dispatch_uid="registry_category_names_m2m")
    post_save.connect(_category_saved, sender=Category, dispatch_uid="registry_category_names_category")
