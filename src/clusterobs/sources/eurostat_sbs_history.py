"""Eurostat SBS 2008-2015 by NUTS 0/1/2 and NACE Rev. 2: persons employed, local units, wages and salaries.

Lineage: raw bulk file (checksum) → cells with flags kept apart (``eurostat_bulk.read_bulk``) → lines of the
three indicators kept, NACE codes and region codes checked (a code must be a NUTS 2013, 2010 or 2006 code:
the early years use the codes in force then) → ``sbs_history`` in the codes as published, one row per line and
year. ``ingest.sbs_series`` then puts every (code, year) on NUTS 2013 and merges the 2015 vintages.

Every line read is loaded or quarantined: lines of the derived indicators (V91290, V94310), of unknown NACE
codes, of extra-regio or unknown regions are quarantined whole with the reason; a cell with a negative count
is quarantined alone.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterobs.classifications.regions import is_extra_regio
from clusterobs.sources.base import load_meta, source_path
from clusterobs.sources.eurostat_bulk import BulkTable, read_bulk
from clusterobs.sources.ingestlog import IngestLog

META = load_meta(__file__)
FILE = "sbs_r_nuts06_r2.tsv.gz"
#: Eurostat SBS indicator code → the name the store uses.
INDICATORS = {"V16110": "persons_employed", "V11210": "local_units", "V13320": "wages"}
NOT_LOADED = {"V91290": "growth rate of employment (%)", "V94310": "share of employment in manufacturing (%)"}
#: NUTS versions a code of this file may be in, newest first (a code valid in several is read as the newest).
CODE_VERSIONS = (2013, 2010, 2006)
TABLES = {
    "sbs_history": "SBS 2008-2015 (bulk vintage of about August 2017) as published: region code in the NUTS "
    "version in force that year (code_version), level, NACE code, indicator (persons_employed, local_units, wages "
    "in million EUR), year, value (NULL = missing or confidential), Eurostat flag letters and the file line",
}


def read(mirror: Path, log: IngestLog, ref: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Read the bulk file; needs ``nace`` and ``nuts_conversion`` (for the 2006/2010 codes) in ``ref``."""
    path = source_path(mirror, META, FILE)
    bulk = read_bulk(path, source=META.id, log=log, min_rows=META.file(FILE).min_rows)
    return {"sbs_history": history_rows(bulk, path, log, nace_codes=set(ref["nace"]["code"]),
                                        versions=code_versions(ref["nuts_conversion"]))}


def code_versions(conversion: pd.DataFrame) -> dict[str, int]:
    """NUTS code (levels 1-2; countries are two letters) → the newest of ``CODE_VERSIONS`` it belongs to."""
    out: dict[str, int] = {}
    for version in CODE_VERSIONS:  # newest first: setdefault keeps the newest
        codes = conversion.loc[conversion["from_version"] == version, "code_from"]
        for code in codes:
            out.setdefault(code, version)
    return out


def history_rows(bulk: BulkTable, path: Path, log: IngestLog, *, nace_codes: set[str],
                 versions: dict[str, int]) -> pd.DataFrame:
    """The loaded lines of the three indicators as ``sbs_history`` rows; the other lines quarantined."""
    d = bulk.data
    per_line = d.drop_duplicates("line")[["line", "nace_r2", "indic_sb", "geo"]]
    reasons = pd.Series(pd.NA, index=per_line.index, dtype="string")
    geo = per_line["geo"].astype(str)
    level = geo.str.len() - 2
    known = geo.map(lambda c: len(c) == 2 or c in versions)
    extra = geo.map(is_extra_regio)
    indic = per_line["indic_sb"].astype(str)
    nace = per_line["nace_r2"].astype(str)
    reasons = reasons.mask(~known, "region code is not a NUTS 2013, 2010 or 2006 code")
    reasons = reasons.mask(extra, "extra-regio NUTS code (no territory)")
    reasons = reasons.mask(~level.between(0, 2), "not a NUTS 0/1/2 code")
    reasons = reasons.mask(~nace.isin(nace_codes), "unknown NACE Rev. 2 code " + nace)
    reasons = reasons.mask(~indic.isin(INDICATORS),
                           "indicator " + indic + " (" + indic.map(NOT_LOADED).fillna("unknown") + ") not loaded: "
                           "the observatory uses V16110, V11210 and V13320")
    for rec in per_line.loc[reasons.notna()].assign(reason=reasons).itertuples(index=False):
        log.reject(source=META.id, file=path, line=int(rec.line), value=f"{rec.nace_r2},{rec.indic_sb},{rec.geo}",
                   reason=str(rec.reason))
    keep = set(per_line.loc[reasons.isna(), "line"])
    d = d.loc[d["line"].isin(keep)]
    out = pd.DataFrame({
        "region": d["geo"].astype(str).to_numpy(),
        "nace": d["nace_r2"].astype(str).to_numpy(),
        "indicator": d["indic_sb"].astype(str).map(INDICATORS).to_numpy(),
        "year": d["year"].to_numpy(dtype="int64"),
        "value": d["value"].array,
        "flag": d["flag"].array,
        "line": d["line"].to_numpy(dtype="int64"),
    })
    negative = (out["value"] < 0).fillna(False).to_numpy(dtype=bool)
    for i in np.flatnonzero(negative):
        r = out.iloc[i]
        log.reject(source=META.id, file=path, line=int(r["line"]), value=f"{r['year']}: {r['value']}",
                   reason=f"negative {r['indicator']} in {r['year']}: read as missing")
    out.loc[negative, "value"] = pd.NA
    out.insert(1, "level", out["region"].str.len() - 2)
    out.insert(1, "code_version", out["region"].map(lambda c: versions.get(c, 2013)).astype("int64"))
    flagged = out["flag"].notna()
    if flagged.any():
        first = out.loc[flagged].iloc[0]
        log.quirk(source=META.id, file=path, kind="Eurostat flag kept apart from the value", line=int(first["line"]),
                  value=str(first["flag"]), count=int(flagged.sum()))
    return out.sort_values(["indicator", "region", "nace", "year"], kind="stable").reset_index(drop=True)
