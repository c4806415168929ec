"""A number that is not finite (``1e400`` overflows to infinity, ``nan``, ``inf``, ``-inf``) never enters the store.

Every reader of a numeric source cell quarantines such a cell with file, line and reason; the shared cell parsers
are checked on hand-made text, then each reader on a copy of its real file with one cell replaced.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from clusterobs.sources import (
    cells,
    eurostat_api,
    eurostat_bulk,
    eurostat_indicators,
    eurostat_lfs,
    eurostat_sbs,
    i40_indicators,
    jrc_nuts,
    qog_eqi,
    rci_2022,
    rci_scores,
    ris,
    us_cbp,
)
from clusterobs.sources.eurostat_values import ParseError, parse_cell
from clusterobs.sources.ingestlog import IngestLog

NON_FINITE = ["1e400", "nan", "inf", "-inf"]


@pytest.mark.parametrize("text", [*NON_FINITE, "1e400 p", "Infinity", "NaN"])
def test_a_eurostat_cell_that_is_not_finite_is_a_parse_error(text):
    """Before: ``1e400`` was read as ``inf`` and ``inf`` as the flags i, n, f without a value."""
    with pytest.raises(ParseError, match="not a finite number"):
        parse_cell(text)


@pytest.mark.parametrize("text", NON_FINITE)
def test_cells_number_calls_it_not_finite(text):
    assert cells.number(text).problem == cells.NOT_FINITE


def test_sdmx_csv_quarantines_non_finite_values_with_their_line(tmp_path: Path):
    head = "DATAFLOW,LAST UPDATE,freq,nace_r2,indic_sbs,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG,CONF_STATUS\n"
    rows = [f"ESTAT:SBS_R_NUTS2021(1.0),x,A,C,EMP_LOC_NR,AT{i}1,2021,{v},," for i, v in
            enumerate(["5", *NON_FINITE], start=1)]
    path = tmp_path / "api.csv"
    path.write_text(head + "\n".join(rows) + "\n", encoding="utf-8")
    log = IngestLog()
    out = eurostat_api.parse_sdmx_csv(path, log=log, source_id="t")
    assert out["value"].iloc[0] == 5.0 and pd.isna(out["value"].iloc[1]) and len(out) == 2
    q = log.quarantine_frame()
    assert list(zip(q["line"], q["reason"], strict=True)) == [
        (3, "OBS_VALUE is not a finite number: '1e400'"),
        (5, "OBS_VALUE is not a finite number: 'inf'"),
        (6, "OBS_VALUE is not a finite number: '-inf'"),
    ]
    # SDMX's own missing-value marker NaN is read as missing and counted, not quarantined (docs/sources.md)
    assert log.quirks_frame()["quirk"].tolist() == ["OBS_VALUE 'nan' read as missing"]
    assert len(out) + len(q) == 5


def test_bulk_layout_quarantines_each_non_finite_cell(tmp_path: Path):
    path = tmp_path / "b.tsv"
    path.write_text("nace_r2,geo\\time\t2015\t2014\n" + "".join(
        f"C,AT{i}\t{v}\t7\n" for i, v in enumerate(NON_FINITE, start=1)), encoding="utf-8")
    log = IngestLog()
    table = eurostat_bulk.read_bulk(path, source="t", log=log)
    assert table.cells_quarantined == 4
    assert sorted(log.quarantine_frame()["line"]) == [2, 3, 4, 5]
    values = table.data.loc[table.data["year"] == 2015, "value"]
    assert values.isna().all() and (table.data.loc[table.data["year"] == 2014, "value"] == 7).all()


# ---- each reader on its real file with one cell replaced -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    module: ModuleType
    file: str
    column: str
    reason: str = "finite"
    """A word of the quarantine reason."""
    row: str = ""
    """A regular expression the chosen row's text must match (default: any row whose cell is a number)."""


CASES = [
    Case(eurostat_sbs, eurostat_sbs.FILE, "n2015"),
    Case(eurostat_lfs, eurostat_lfs.FILE, "Value"),
    Case(eurostat_indicators, eurostat_indicators.FILE, next(iter(eurostat_indicators.INDICATORS))),
    Case(qog_eqi, qog_eqi.FILE, next(iter(qog_eqi.INDICATORS))),
    Case(rci_scores, rci_scores.FILE, "value"),
    Case(rci_2022, rci_2022.POPULATION, rci_2022.POPULATION_COLUMNS[0]),
    Case(ris, ris.FILE, "Value"),
    Case(i40_indicators, i40_indicators.FILE, "", row=r"^\w+\t20\d\d\t"),
    Case(jrc_nuts, "n2_cm_v2016_v2021.csv", "pop21"),
    Case(us_cbp, us_cbp.FILE, "emp", reason="whole number", row=r'^"\d+","\d{6}","-",'),
]


@pytest.fixture(scope="module")
def reference(ingested) -> dict[str, pd.DataFrame]:
    store, _ = ingested
    return {name: store.table(name) for name in ("nace", "nuts_codes", "nuts_conversion")}


def _replace_cell(original: Path, column: str, value: str, row: str) -> tuple[str, int]:
    """The file's header and first lines, the first usable one's ``column`` cell made ``value`` (and its line)."""
    with original.open(encoding="utf-8", newline="") as fh:
        header_line = fh.readline()
        delimiter = "\t" if "\t" in header_line else ";" if ";" in header_line else ","
        header = next(csv.reader([header_line], delimiter=delimiter))
        names = [h.replace("\ufeff", "").strip() for h in header]
        if not column:
            column = names[2]
        j = names.index(column)
        kept = [header_line]
        for line in fh:
            cells_ = next(csv.reader([line], delimiter=delimiter))
            usable = len(cells_) == len(names) and cells.number(cells_[j].strip().strip('"')).value is not None
            if usable and (not row or re.search(row, line)):
                cells_[j] = value
                out = io.StringIO()
                csv.writer(out, delimiter=delimiter, lineterminator=line[len(line.rstrip("\r\n")):] or "\n"
                           ).writerow(cells_)
                kept.append(out.getvalue())
                number = len(kept)
                kept.extend(next(fh, "") for _ in range(200))  # later rows, so that the reader's tables are not empty
                return "".join(kept), number
            kept.append(line)
    raise AssertionError(f"no usable row in {original}")


@pytest.mark.parametrize("value", NON_FINITE)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.module.__name__.rsplit(".", 1)[-1])
def test_each_reader_quarantines_a_non_finite_cell(case: Case, value: str, reference, editable_mirror, monkeypatch):
    module = case.module
    folder = module.META.folder
    original = (editable_mirror.path / folder / case.file).resolve()
    text, line = _replace_cell(original, case.column, value, case.row)
    editable_mirror.replace(folder, case.file, text)
    small = dataclasses.replace(module.META, files=tuple(dataclasses.replace(f, min_rows=0)
                                                         for f in module.META.files))
    monkeypatch.setattr(module, "META", small)
    log = IngestLog()
    tables = module.read(editable_mirror.path, log, reference)
    q = log.quarantine_frame()
    hit = q[(q["file"] == case.file) & (q["line"] == line)]
    assert len(hit) >= 1, q.tail()
    assert case.reason in hit["reason"].iat[0], hit["reason"].iat[0]
    for name, df in tables.items():
        for col in df.columns:
            if pd.api.types.is_float_dtype(df[col]):
                assert not df[col].isin([float("inf"), float("-inf")]).any(), (name, col)


def test_a_count_too_long_for_a_float_is_not_finite(reference, editable_mirror, monkeypatch):
    """309 digits overflow to infinity: the whole-number check alone let it through."""
    original = (editable_mirror.path / us_cbp.META.folder / us_cbp.FILE).resolve()
    text, line = _replace_cell(original, "emp", "1" + "0" * 400, r'^"\d+","\d{6}","-",')
    editable_mirror.replace(us_cbp.META.folder, us_cbp.FILE, text)
    monkeypatch.setattr(us_cbp, "META", dataclasses.replace(
        us_cbp.META, files=tuple(dataclasses.replace(f, min_rows=0) for f in us_cbp.META.files)))
    log = IngestLog()
    out = us_cbp.read(editable_mirror.path, log, reference)["us_cbp_employment"]
    q = log.quarantine_frame()
    assert q.loc[q["line"] == line, "reason"].tolist() == ["emp is not a finite number: 10000000000000000000... "
                                                           "(401 digits)"]
    assert line not in set(out["line"])
