"""The store's cluster categories as registry rows (copied on first use, by slug)."""

from __future__ import annotations

from clusterobs.web import dataset as selectors
from clusterobs.web.registry.models import Category

KINDS = ("traded", "emerging", "local")


def category_choices() -> list[tuple[str, str]]:
    """(slug, display name) of the store's categories, traded and emerging first (an emerging industry sharing a
    traded category's name is labelled as emerging); the registry's own rows without a dataset."""
    try:
        cats = selectors.categories_named()
    except selectors.NotFound:
        return [(c.slug, c.name) for c in Category.objects.all()]
    order = {k: i for i, k in enumerate(KINDS)}
    rows = sorted(cats[["category", "name", "kind"]].itertuples(index=False), key=lambda r: (order.get(r.kind, 9),
                                                                                             r.name))
    return [(r.category, r.name) for r in rows]


def category_sync(slugs: list[str]) -> list[Category]:
    """The Category rows for these store slugs, created when missing; unknown slugs raise ``ValueError``."""
    slugs = list(dict.fromkeys(slugs))
    existing = {c.slug: c for c in Category.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in existing]
    if missing:
        try:
            cats = selectors.data().categories.set_index("category")
        except selectors.NotFound as exc:
            raise ValueError(f"no dataset is published: cannot check categories {', '.join(missing)}") from exc
        unknown = [s for s in missing if s not in cats.index]
        if unknown:
            raise ValueError(f"unknown categories: {', '.join(unknown)}")
        for s in missing:
            existing[s] = Category.objects.create(slug=s, name=str(cats.loc[s, "name"]), kind=str(cats.loc[s, "kind"]))
    return [existing[s] for s in slugs]
