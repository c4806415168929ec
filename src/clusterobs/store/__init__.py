"""The analytical store: one DuckDB file per dataset version, published atomically."""

from clusterobs.store.store import Store, VersionInfo, VersionWriter, frame_checksum

__all__ = ["Store", "VersionInfo", "VersionWriter", "frame_checksum"]
