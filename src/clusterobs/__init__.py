"""clusterobs: an open, self-hostable European Cluster Observatory.

Import the layers you need: ``clusterobs.store.Store`` for the published tables,
``clusterobs.sources`` for the public data readers, ``clusterobs.classifications``
for NUTS, NACE and cluster categories.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("clusterobs")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
