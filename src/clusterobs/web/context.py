"""Template context shared by every page: the dataset version and the navigation."""

from __future__ import annotations

from django.http import HttpRequest

from clusterobs.web import dataset


def observatory(request: HttpRequest) -> dict[str, object]:
    try:
        version = dataset.data().version
    except Exception:  # no store yet: pages say so themselves
        version = None
    return {"dataset_version": version}
