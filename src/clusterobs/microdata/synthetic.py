"""A **synthetic** firm-level microdata generator, for tests and benchmarks only.

Nothing here is real data about firms: every firm, size, wage and location is drawn from seeded
random distributions. Only the code lists are real when a store is available (the NUTS 2016
level-3 codes of ``nuts_codes`` and the 615 NACE Rev. 2 classes of ``nace``); without one the
region codes are made up in the shape of NUTS-3 codes (``XA01A``) and the classes are the
concordance's (or made up in the shape ``C1011``).

The distributions, chosen to look like European business registers (Eurostat SBS: about 93 % of
enterprises have fewer than 10 persons employed, 0.2 % have 250 or more):

* **firm size** (employees in the first year): ``floor(exp(N(0.45 + class effect, 1.3)))``, a
  lognormal body in which about a third of firms have no employee and nine in ten fewer than
  10, plus a Pareto tail (α = 1.2, from 250 employees up) for 0.2 % of firms; the class effect
  is N(0, 0.35) per NACE class, so some industries have larger firms;
* **region**: a NUTS-3 region drawn with probability proportional to a lognormal weight
  (σ = 1.0), so a few metropolitan regions hold many firms and most regions few;
* **industry**: a NACE class drawn from a lognormal mix of classes (σ = 1.5), with each region
  specialised in 6 classes whose weight there is 25 times the European one (clusters to find);
* **years**: every firm is present in every year (a balanced panel, rows = firms × years);
  its size grows by a firm trend N(0.01, 0.04) per year plus N(0, 0.08) noise;
* **wages** (whole euros): employees × a wage per employee = country level (lognormal around
  32,000 €, σ = 0.45 across countries) × class level (σ = 0.25) × firm noise (σ = 0.2);
  **turnover** = wages × exp(N(1.0, 0.5)).

The output is deterministic for the same (seed, rows, years, code lists): chunks of a fixed
number of firms each draw from ``numpy.random.default_rng([seed, chunk])``. It is written to
Parquet chunk by chunk (row groups of about a million rows), so 50 M rows need about 100 MB of
memory. ``bad_fraction`` plants invalid rows of known kinds (unknown class, malformed or unknown
region, negative employees or wages, missing year, missing firm id, duplicate firm id within a
year) and the generator returns how many rows each quarantine reason must count.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from clusterobs.microdata.validate import REASONS

FIRMS_PER_CHUNK = 200_000
DEFAULT_YEARS = (2019, 2020, 2021, 2022, 2023)
SPECIALISED_CLASSES, SPECIALISATION = 6, 25.0
TAIL_SHARE, TAIL_START, TAIL_ALPHA = 0.002, 250.0, 1.2
#: The kinds of bad rows planted by ``bad_fraction``, each with the quarantine reason it must get.
#: A planted duplicate makes two rows of the same firm id and year: both are quarantined.
BAD_KINDS = {
    "unknown_class": REASONS.unknown_nace,
    "malformed_region": REASONS.malformed_region,
    "unknown_region": REASONS.unknown_region,
    "negative_employees": REASONS.negative("employees"),
    "negative_wages": REASONS.negative("wages"),
    "missing_year": REASONS.missing_year,
    "missing_firm_id": REASONS.missing_firm_id,
    "duplicate": REASONS.duplicate,
}

# Countries of the made-up NUTS-3-shaped codes used when no store is available (Eurostat codes).
_COUNTRIES = ("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
              "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "NO", "CH", "IS")


@dataclass
class GeneratedFirms:
    """What ``write_firms`` wrote: rows, firms, the code lists used and the planted bad rows."""

    path: Path
    rows: int
    firms: int
    years: tuple[int, ...]
    regions: int
    classes: int
    real_regions: bool
    seed: int
    expected_quarantine: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def expected_accepted(self) -> int:
        return self.rows - sum(self.expected_quarantine.values())


def synthetic_regions(n: int = 1_500) -> list[str]:
    """``n`` made-up codes shaped like NUTS-3 codes: country + letter + two digits (``DEA07``)."""
    out = []
    for k in range(n):
        country = _COUNTRIES[k % len(_COUNTRIES)]
        j = k // len(_COUNTRIES)
        out.append(f"{country}{'ABCDEFGHJK'[j // 99 % 10]}{j % 99 + 1:02d}")
    return out


def synthetic_classes() -> list[str]:
    """Made-up class codes in Eurostat form (``C1011``) over the 88 NACE Rev. 2 divisions, 615 in all."""
    sections = {"A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
                "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
                "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
                "S": (94, 96), "T": (97, 98), "U": (99, 99)}
    gaps = {4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89}
    divisions = [(s, d) for s, (lo, hi) in sections.items() for d in range(lo, hi + 1) if d not in gaps]
    per, extra = divmod(615, len(divisions))
    return [f"{s}{d:02d}{j // 3 + 1}{j % 3 + 1}" for k, (s, d) in enumerate(divisions)
            for j in range(per + (k < extra))]


class _Model:
    """The seeded parameters shared by every chunk: region, class and country weights."""

    def __init__(self, seed: int, regions: Sequence[str], classes: Sequence[str]) -> None:
        rng = np.random.default_rng([seed, 0xC1])
        self.regions = np.asarray(regions, dtype=object)
        self.classes = np.asarray(classes, dtype=object)
        nr, nc = len(regions), len(classes)
        w = rng.lognormal(0.0, 1.0, nr)
        self.region_p = w / w.sum()
        base = rng.lognormal(0.0, 1.5, nc)
        boost = np.ones((nr, nc))
        for r in range(nr):
            boost[r, rng.choice(nc, size=min(SPECIALISED_CLASSES, nc), replace=False)] = SPECIALISATION
        p = base[None, :] * boost
        self.class_cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
        self.class_cum[:, -1] = 1.0
        self.class_size = rng.normal(0.0, 0.35, nc)
        self.class_wage = rng.lognormal(0.0, 0.25, nc)
        countries = sorted({c[:2] for c in regions})
        level = dict(zip(countries, rng.lognormal(math.log(32_000), 0.45, len(countries)), strict=True))
        self.region_wage = np.array([level[c[:2]] for c in regions])


def _chunk(model: _Model, seed: int, index: int, first_firm: int, firms: int, years: Sequence[int]) -> dict:
    """Columns (numpy) of ``firms`` firms × ``years``, rows ordered by firm then year."""
    rng = np.random.default_rng([seed, index + 1])
    ny = len(years)
    region = rng.choice(len(model.regions), size=firms, p=model.region_p)
    klass = np.empty(firms, dtype=np.int64)
    order = np.argsort(region, kind="stable")
    bounds = np.searchsorted(region[order], np.arange(len(model.regions) + 1))
    u = rng.random(firms)
    for r in np.flatnonzero(np.diff(bounds)):
        idx = order[bounds[r]:bounds[r + 1]]
        klass[idx] = np.minimum(np.searchsorted(model.class_cum[r], u[idx], side="right"),
                                len(model.classes) - 1)
    log_size = rng.normal(0.45 + model.class_size[klass], 1.3)
    tail = rng.random(firms) < TAIL_SHARE
    log_size[tail] = np.log(TAIL_START) + rng.exponential(1.0 / TAIL_ALPHA, int(tail.sum()))
    trend = rng.normal(0.01, 0.04, firms)
    t = np.arange(ny, dtype=np.float64)
    log_e = log_size[:, None] + trend[:, None] * t[None, :] + rng.normal(0.0, 0.08, (firms, ny))
    employees = np.floor(np.exp(log_e)).astype(np.int64)
    wage_pe = (model.region_wage[region] * model.class_wage[klass] * rng.lognormal(0.0, 0.2, firms))[:, None]
    wages = np.round(employees * wage_pe).astype(np.int64)
    turnover = np.round(wages * np.exp(rng.normal(1.0, 0.5, (firms, ny)))).astype(np.int64)
    return {
        "firm_id": np.repeat(np.arange(first_firm, first_firm + firms, dtype=np.int64) + 1, ny),
        "region": np.repeat(region, ny),
        "nace": np.repeat(klass, ny),
        "year": np.tile(np.asarray(years, dtype=np.int64), firms),
        "employees": employees.ravel(),
        "wages": wages.ravel(),
        "turnover": turnover.ravel(),
    }


def _plant(cols: dict, rng: np.random.Generator, n_bad: int, ny: int, kinds: Sequence[str],
           counts: Counter, firms: int) -> dict[str, np.ndarray]:
    """Plant ``n_bad`` bad rows of ``kinds`` in turn; returns the masks of string and null overrides.

    Bad rows sit on odd firms among the first ``firms`` of the chunk (the ones written whole), at
    most one per firm; a duplicate copies the firm id of the even firm just before it (same
    year), which no other bad row touches, so both rows of the pair are quarantined for the
    duplicate and for nothing else.
    """
    odd = np.arange(1, firms, 2)
    n_bad = min(n_bad, len(odd))
    chosen = rng.choice(odd, size=n_bad, replace=False)
    year_of = rng.integers(0, ny, n_bad)
    masks = {k: np.zeros(len(cols["firm_id"]), dtype=bool) for k in ("unknown_class", "malformed_region",
                                                                       "unknown_region", "missing_year",
                                                                       "missing_firm_id")}
    for i, (f, y) in enumerate(zip(chosen, year_of, strict=True)):
        kind = kinds[i % len(kinds)]
        row = f * ny + y
        if kind == "negative_employees":
            cols["employees"][row] = -1 - cols["employees"][row]
        elif kind == "negative_wages":
            cols["wages"][row] = -1 - cols["wages"][row]
        elif kind == "duplicate":
            cols["firm_id"][row] = cols["firm_id"][(f - 1) * ny + y]
            counts[BAD_KINDS[kind]] += 1  # the copied row of the even firm is quarantined too
        else:
            masks[kind][row] = True
        counts[BAD_KINDS[kind]] += 1
    return masks


def firm_chunks(rows: int, *, seed: int = 7, years: Sequence[int] = DEFAULT_YEARS,
                regions: Sequence[str] | None = None, classes: Sequence[str] | None = None,
                bad_fraction: float = 0.0, known_regions: bool = True,
                expected: Counter | None = None) -> Iterator[pa.Table]:
    """Yield the synthetic firms as Arrow tables of about a million rows (see the module doc).

    ``known_regions`` says whether the region list is a real NUTS list the validation will check
    codes against (then "unknown region" rows are planted; otherwise they could not be told apart).
    ``expected`` (a Counter) receives the number of rows each quarantine reason must count.
    """
    regions = list(regions) if regions else synthetic_regions()
    classes = list(classes) if classes else synthetic_classes()
    years = tuple(sorted(years))
    ny = len(years)
    model = _Model(seed, regions, classes)
    counts = expected if expected is not None else Counter()
    kinds = [k for k in BAD_KINDS if known_regions or k != "unknown_region"]
    firms_total = -(-rows // ny)
    region_dict = pa.array(regions, pa.string())
    class_dict = pa.array(classes, pa.string())
    done = 0
    for index, first in enumerate(range(0, firms_total, FIRMS_PER_CHUNK)):
        firms = min(FIRMS_PER_CHUNK, firms_total - first)
        cols = _chunk(model, seed, index, first, firms, years)
        take = min(firms * ny, rows - done)
        n_bad = round(bad_fraction * take)
        masks = (_plant(cols, np.random.default_rng([seed, index + 1, 0xBAD]), n_bad, ny, kinds, counts,
                        take // ny) if n_bad else {})
        region = pa.DictionaryArray.from_arrays(pa.array(cols["region"], pa.int32()), region_dict)
        nace = pa.DictionaryArray.from_arrays(pa.array(cols["nace"], pa.int32()), class_dict)
        if masks:
            region = _override(region, masks["malformed_region"], "??")
            region = _override(region, masks["unknown_region"], "ZZ999")
            nace = _override(nace, masks["unknown_class"], "X9999")
        table = pa.table({
            "firm_id": pa.array(cols["firm_id"], pa.int64(), mask=masks.get("missing_firm_id")),
            "region": region,
            "nace": nace,
            "year": pa.array(cols["year"], pa.int16(), mask=masks.get("missing_year")),
            "employees": pa.array(cols["employees"], pa.int32()),
            "wages": pa.array(cols["wages"], pa.int64()),
            "turnover": pa.array(cols["turnover"], pa.int64()),
        })
        if take < table.num_rows:  # the last firm is cut: it has only its first years
            table = table.slice(0, take)
        done += table.num_rows
        yield table


def _override(arr: pa.DictionaryArray, mask: np.ndarray, value: str) -> pa.DictionaryArray:
    if not mask.any():
        return arr
    dictionary = pa.concat_arrays([arr.dictionary, pa.array([value])])
    indices = arr.indices.to_numpy(zero_copy_only=False).copy()
    indices[mask] = len(arr.dictionary)
    return pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), dictionary)


def write_firms(path: str | Path, rows: int, *, seed: int = 7, years: Sequence[int] = DEFAULT_YEARS,
                regions: Sequence[str] | None = None, classes: Sequence[str] | None = None,
                bad_fraction: float = 0.0, real_regions: bool | None = None) -> GeneratedFirms:
    """Write ``rows`` synthetic firm rows to one Parquet file, chunk by chunk; see the module doc.

    ``real_regions`` (default: whether ``regions`` was given) says the regions are real NUTS
    codes the validation knows, so "unknown region" rows can be planted.
    """
    import time

    start = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    real = bool(regions) if real_regions is None else real_regions
    expected: Counter = Counter()
    writer = None
    tmp = path.with_name(path.name + ".part")
    try:
        for table in firm_chunks(rows, seed=seed, years=years, regions=regions, classes=classes,
                                 bad_fraction=bad_fraction, known_regions=real, expected=expected):
            if writer is None:
                note = (f"SYNTHETIC firm microdata made by clusterobs.microdata.synthetic (seed {seed}, "
                        f"{rows} rows): not real firms, for tests and benchmarks only")
                schema = table.schema.with_metadata({"clusterobs": note})
                writer = pq.ParquetWriter(tmp, schema, compression="zstd")
            writer.write_table(table.replace_schema_metadata(writer.schema.metadata), row_group_size=1 << 20)
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(path)
    n_regions = len(regions) if regions else len(synthetic_regions())
    n_classes = len(classes) if classes else len(synthetic_classes())
    return GeneratedFirms(path=path, rows=rows, firms=-(-rows // len(years)), years=tuple(sorted(years)),
                          regions=n_regions, classes=n_classes, real_regions=real, seed=seed,
                          expected_quarantine={k: v for k, v in sorted(expected.items())},
                          seconds=time.perf_counter() - start)
