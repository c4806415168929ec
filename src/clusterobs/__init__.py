"""clusterobs: an open, self-hostable European Cluster Observatory.

Import the layers you need: ``clusterobs.store.Store`` for the published tables,
``clusterobs.sources`` for the public data readers, ``clusterobs.classifications``
for NUTS, NACE and cluster categories.

``clusterobs.__version__`` is read from the installed package's metadata on first use (``importlib.metadata``
takes about 0.1 s to import and search, which every command would pay at start).
"""

from __future__ import annotations

__all__ = ["__version__"]


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("clusterobs")
        except PackageNotFoundError:  # running from a source tree without installation
            found = "0.0.0"
        globals()["__version__"] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
