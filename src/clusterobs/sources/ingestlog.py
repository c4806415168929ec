"""The record of what an ingest did to each row it did not take as it was.

Two kinds of entries:

* ``reject``: the row is not loaded; it goes to the ``quarantine`` table with the file,
  line, value and reason.
* ``quirk``: the row is loaded but something was done to it (a flag split off the value,
  a spreadsheet artefact read as missing). Quirks are counted per kind in the
  ``quirks`` table with the first line where each was seen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class IngestLog:
    """Collects rejected rows and counted quirks while sources are read."""

    rejected: list[dict[str, object]] = field(default_factory=list)
    quirk_counts: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    quirk_first: dict[tuple[str, str, str], tuple[int | None, str]] = field(default_factory=dict)

    def reject(self, *, source: str, file: str | Path, line: int | None, value: object, reason: str) -> None:
        """Send a row to quarantine."""
        self.rejected.append(
            {"source": source, "file": Path(file).name, "line": line, "value": _text(value), "reason": reason}
        )

    def quirk(self, *, source: str, file: str | Path, kind: str, line: int | None, value: object,
              count: int = 1) -> None:
        """Count a row (or ``count`` rows, ``line`` the first) that was loaded after a deliberate fix."""
        key = (source, Path(file).name, kind)
        self.quirk_counts[key] += count
        self.quirk_first.setdefault(key, (line, _text(value)))

    def quarantine_frame(self) -> pd.DataFrame:
        cols = ["source", "file", "line", "value", "reason"]
        df = pd.DataFrame(self.rejected, columns=cols)
        df["line"] = df["line"].astype("Int64")
        return df.sort_values(["source", "file", "line", "reason"], kind="stable").reset_index(drop=True)

    def quirks_frame(self) -> pd.DataFrame:
        rows = [
            {"source": s, "file": f, "quirk": k, "rows": n,
             "first_line": self.quirk_first[(s, f, k)][0], "example": self.quirk_first[(s, f, k)][1]}
            for (s, f, k), n in self.quirk_counts.items()
        ]
        df = pd.DataFrame(rows, columns=["source", "file", "quirk", "rows", "first_line", "example"])
        df["first_line"] = df["first_line"].astype("Int64")
        df["rows"] = df["rows"].astype("int64")
        return df.sort_values(["source", "file", "quirk"]).reset_index(drop=True)


def _text(value: object) -> str:
    s = "" if value is None else str(value)
    return s if len(s) <= 200 else s[:197] + "..."
