"""Static files with hashed names, compressed once: what ``clusterobs serve`` collects and WhiteNoise serves.

``clusterobs serve`` runs ``collectstatic`` into ``<data directory>/static`` with this storage: every file gets
its content hash in its name (``plotly.min.<hash>.js``), so WhiteNoise serves it with a year-long
``Cache-Control: public, max-age=315360000, immutable``, and a gzip and a brotli copy for browsers that take them.
Only hashed files are kept (``WHITENOISE_KEEP_ONLY_HASHED_FILES``), so a compressed copy that exists is the
compressed copy of the same bytes: compressing plotly.min.js (4.6 MB) again at every start is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import brotli
from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage

#: brotli quality: 5 compresses plotly.min.js to about 25 % in well under a second; the default 11 takes ~15 s
BROTLI_QUALITY = 5


class QuickCompressor(Compressor):
    """WhiteNoise's compressor with a faster brotli setting (still smaller than gzip -9)."""

    @staticmethod
    def compress_brotli(data: bytes) -> bytes:
        return brotli.compress(data, quality=BROTLI_QUALITY)


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage that does not recompress a hashed file already compressed."""

    def create_compressor(self, **kwargs: object) -> Compressor:
        return QuickCompressor(**kwargs)

    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        todo, done = [], []
        for path in paths:
            full = Path(self.path(path))
            # the name holds the content's hash, so an existing non-empty copy is of these bytes (Django rewrites
            # hashed JS and CSS at every collectstatic, so their times say nothing)
            copies = [c for c in (full.with_name(full.name + ".gz"), full.with_name(full.name + ".br"))
                      if c.exists() and c.stat().st_size > 0]
            (done if copies else todo).append((path, copies))
        for path, copies in done:
            for copy in copies:
                yield path, path + copy.suffix
        yield from super().compress_files([p for p, _ in todo])
