"""Reading firm-level microdata (CSV or Parquet) into an Ibis table on DuckDB or PySpark.

The columns, matched case-insensitively: ``firm_id``, ``nace`` (or ``industry``), ``year``,
``employees``, and ``region`` (a NUTS code at any level) or ``postcode`` (with a postcode table,
optionally with ``country``); optional ``wages``, ``turnover``. Other columns are ignored.

Every row carries where it came from: ``_file`` (the file's name) and ``_line``:

* Parquet: the row's number in its file, counting from 1 (DuckDB ``file_row_number``, Spark
  ``_metadata.row_index``);
* CSV: the record's number counting the header as 1, which is the file's line when every record
  is one line and no line is blank (a record spanning lines, or a blank line, shifts it; the two
  engines then may differ on the lines of malformed rows, never on the counts). A row that does
  not split into the header's number of fields is kept as a row with ``_malformed`` true and
  quarantined: DuckDB's ``store_rejects`` gives its line (and the other rows are renumbered
  around it by ``FirmInput.fix_lines``), Spark's ``columnNameOfCorruptRecord`` keeps it in place.

Only this module knows the backends apart; everything after it is the same Ibis code.
"""

from __future__ import annotations

import glob
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ibis.expr.types as ir
import numpy as np
import pandas as pd

from clusterobs.errors import InputError
from clusterobs.mapping.backends import checkpoint, is_spark

ALIASES = {"industry": "nace", "nace_class": "nace", "firm": "firm_id", "nuts": "region", "nuts_code": "region"}
REQUIRED = ("firm_id", "nace", "year", "employees")
OPTIONAL = ("region", "postcode", "country", "wages", "turnover")
_views = itertools.count(1)


@dataclass
class FirmInput:
    """The firm rows as an Ibis table, with what is needed to report lines exactly."""

    table: ir.Table
    files: list[str]
    format: str
    #: CSV on DuckDB: per file, the sorted lines of malformed rows (the reader skips them and
    #: numbers the others as if they were not there; ``fix_lines`` puts them back in place).
    skipped_lines: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def single_file(self) -> str | None:
        """The name of the only file read (a local file, not a folder of parts), else None."""
        if len(self.files) == 1 and "://" not in self.files[0] and Path(self.files[0]).is_file():
            return Path(self.files[0]).name
        return None

    def fix_lines(self, df: pd.DataFrame) -> pd.DataFrame:
        """Correct ``line`` of collected rows (columns ``file``, ``line``, ``reason``) for skipped rows."""
        if not self.skipped_lines or df.empty:
            return df
        from clusterobs.microdata.validate import REASONS

        df = df.copy()
        for name, lines in self.skipped_lines.items():
            rows = (df["file"] == name) & (df["reason"] != REASONS.malformed_csv)
            if not rows.any():
                continue
            # the k-th row the reader kept (line k + 1 if nothing was skipped) comes after every
            # skipped line L_i with L_i - 2 - i < k
            k = df.loc[rows, "line"].to_numpy(dtype=np.int64) - 1
            before = np.searchsorted(lines - 2 - np.arange(len(lines)), k, side="left")
            df.loc[rows, "line"] = k + 1 + before
        return df


def resolve_paths(source: str | Path | list[str | Path]) -> tuple[list[str], str]:
    """The files of ``source`` (a file, a folder of .parquet or .csv files, a glob, or a list) and their format.

    Addresses with a scheme (``s3a://``, ``hdfs://``, ``file:/``) are passed to the engine as they are.
    """
    items = source if isinstance(source, list) else [source]
    files: list[str] = []
    for item in items:
        s = str(item)
        if "://" in s or s.startswith("file:"):
            files.append(s)
            continue
        p = Path(s)
        if p.is_dir():
            found = sorted(str(f.resolve()) for f in p.iterdir()
                           if f.suffix.lower() in (".parquet", ".pq", ".csv") and f.is_file())
            if not found:
                raise InputError(f"{p}: no .parquet or .csv file in this folder")
            files += found
        elif any(ch in s for ch in "*?["):
            found = sorted(str(Path(f).resolve()) for f in glob.glob(s))
            if not found:
                raise InputError(f"{s}: no file matches")
            files += found
        elif p.is_file():
            files.append(str(p.resolve()))
        else:
            raise InputError(f"{p}: no such file")
    kinds = {_format(f) for f in files}
    if len(kinds) != 1:
        raise InputError(f"{', '.join(files[:3])}: mixed or unknown formats (use .parquet or .csv files)")
    return files, kinds.pop()


def _format(path: str) -> str:
    low = path.lower().rstrip("/")
    if low.endswith((".parquet", ".pq")) or "." not in low.rsplit("/", 1)[-1]:
        return "parquet"  # a folder address on shared storage is read as a Parquet dataset
    if low.endswith((".csv", ".csv.gz")):
        return "csv"
    return "unknown"


def canonical_names(columns: list[str], *, source: str) -> dict[str, str]:
    """``{name in the file: canonical name}`` for the columns used; raises when a required one is missing."""
    out: dict[str, str] = {}
    for col in columns:
        key = str(col).strip().lower().replace(" ", "_")
        key = ALIASES.get(key, key)
        if key in (*REQUIRED, *OPTIONAL) and key not in out.values():
            out[col] = key
    have = set(out.values())
    missing = [c for c in REQUIRED if c not in have]
    if "region" not in have and "postcode" not in have:
        missing.append("region (or postcode)")
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}; found {', '.join(map(str, columns))}")
    return out


def read_firms(con: Any, source: str | Path | list[str | Path], *, delimiter: str = ",") -> FirmInput:
    """Register the firm data on ``con`` (an Ibis DuckDB or PySpark backend) and return them."""
    files, fmt = resolve_paths(source)
    name = f"_firms_{next(_views)}"
    if is_spark(con):
        return _read_spark(con, files, fmt, name, delimiter)
    return _read_duckdb(con, files, fmt, name, delimiter)


def _sql_list(files: list[str]) -> str:
    return "[" + ", ".join("'" + f.replace("'", "''") + "'" for f in files) + "]"


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def _select_list(mapping: dict[str, str]) -> str:
    return ", ".join(f"{_quote(src)} AS {dst}" for src, dst in mapping.items())


def _read_duckdb(con: Any, files: list[str], fmt: str, name: str, delimiter: str) -> FirmInput:
    raw = con.con
    if fmt == "parquet":
        scan = f"read_parquet({_sql_list(files)}, filename = '_file', file_row_number = true)"
        try:
            columns = [r[0] for r in raw.sql(f"DESCRIBE SELECT * FROM {scan}").fetchall()]
        except Exception as exc:  # duckdb.Error: unreadable or not Parquet
            raise InputError(f"{files[0]}: cannot read as Parquet: {exc}") from exc
        mapping = canonical_names([c for c in columns if c not in ("_file", "file_row_number")], source=files[0])
        raw.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {_select_list(mapping)}, "
                    f"regexp_extract(_file, '[^/]+$') AS _file, file_row_number + 1 AS _line FROM {scan}")
        return FirmInput(con.table(name), files, fmt)

    options = (f"header = true, all_varchar = true, delim = '{delimiter}', quote = '\"', escape = '\"', "
               "auto_detect = false")
    parts, skipped = [], {}
    for k, f in enumerate(files):
        path = _sql_list([f])[1:-1]
        header = csv_header(f, delimiter)
        mapping = canonical_names(header, source=f)
        cols = "columns = {" + ", ".join(f"'{c.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for c in header) + "}"
        rejects = f"{name}_rej{k}"
        try:
            raw.execute(f"SELECT count(*) FROM read_csv({path}, {options}, {cols}, store_rejects = true, "
                        f"rejects_table = '{rejects}', rejects_scan = '{rejects}_scan')").fetchall()
            bad = raw.sql(f"SELECT DISTINCT line FROM {rejects} ORDER BY line").fetchnumpy()["line"]
        except Exception as exc:
            raise InputError(f"{f}: cannot read as CSV: {exc}") from exc
        base = Path(f).name.replace("'", "''")
        nulls = ", ".join(f"NULL::VARCHAR AS {dst}" for dst in mapping.values())
        parts.append(
            f"SELECT {_select_list(mapping)}, '{base}' AS _file, row_number() OVER () + 1 AS _line, "
            "false AS _malformed, NULL::VARCHAR AS _raw "
            f"FROM read_csv({path}, {options}, {cols}, ignore_errors = true)")
        if len(bad):
            skipped[Path(f).name] = np.asarray(bad, dtype=np.int64)
            parts.append(f"SELECT {nulls}, '{base}' AS _file, line::BIGINT AS _line, true AS _malformed, "
                         f"first(csv_line ORDER BY byte_position) AS _raw FROM {rejects} GROUP BY line")
    # files may differ in their optional columns: BY NAME fills the missing ones with NULL
    raw.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS " + " UNION ALL BY NAME ".join(f"({p})" for p in parts))
    return FirmInput(con.table(name), files, fmt, skipped_lines=skipped)


def csv_header(path: str, delimiter: str) -> list[str]:
    """The header of a local CSV file (a byte-order mark removed)."""
    import csv

    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh, delimiter=delimiter), None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read as CSV: {exc}") from exc
    if not header:
        raise InputError(f"{path}, line 1: empty file (no header)")
    return [h.strip() for h in header]


def _read_spark(con: Any, files: list[str], fmt: str, name: str, delimiter: str) -> FirmInput:
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    session = con._session
    if fmt == "parquet":
        try:
            df = session.read.parquet(*files)
        except Exception as exc:
            raise InputError(f"{files[0]}: cannot read as Parquet: {exc}") from exc
        mapping = canonical_names(df.columns, source=files[0])
        df = df.select(*[F.col(f"`{src}`").alias(dst) for src, dst in mapping.items()],
                       F.col("_metadata.file_name").alias("_file"),
                       (F.col("_metadata.row_index") + 1).alias("_line"))
        df.createOrReplaceTempView(name)
        return FirmInput(con.table(name), files, fmt)

    try:
        header = session.read.csv(files[0], header=True, sep=delimiter).columns
    except Exception as exc:
        raise InputError(f"{files[0]}: cannot read as CSV: {exc}") from exc
    mapping = canonical_names(header, source=files[0])
    schema = T.StructType([T.StructField(c, T.StringType()) for c in header]
                          + [T.StructField("_corrupt", T.StringType())])
    # multiLine: each file is read whole, in order (records may hold quoted line breaks)
    df = session.read.csv(files, header=True, sep=delimiter, quote='"', escape='"', multiLine=True, schema=schema,
                          mode="PERMISSIVE", columnNameOfCorruptRecord="_corrupt", enforceSchema=False)
    df = df.select(*[F.col(f"`{src}`").alias(dst) for src, dst in mapping.items()],
                   F.col("_corrupt").isNotNull().alias("_malformed"), F.col("_corrupt").alias("_raw"),
                   F.col("_metadata.file_name").alias("_file"), F.monotonically_increasing_id().alias("_id"))
    line = F.row_number().over(Window.partitionBy("_file").orderBy("_id")) + 1
    # checkpointed: Spark forbids queries on the corrupt-record column alone over a raw CSV scan
    df = checkpoint(df.select(*[c for c in df.columns if c != "_id"], line.cast("long").alias("_line")))
    df = df.select(*[F.when(F.col("_malformed"), None).otherwise(F.col(c)).alias(c) if c in mapping.values()
                     else F.col(c) for c in df.columns])
    df.createOrReplaceTempView(name)
    return FirmInput(con.table(name), files, fmt)


def read_table_file(path: str | Path, *, source: str | None = None) -> pd.DataFrame:
    """A small CSV (delimiter sniffed: , ; tab |) or Parquet lookup file as strings, e.g. a postcode table."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file")
    if p.suffix.lower() in (".parquet", ".pq"):
        return pd.read_parquet(p)
    head = p.read_text(encoding="utf-8-sig", errors="replace").splitlines()[:1]
    sep = max((",", ";", "\t", "|"), key=lambda d: head[0].count(d) if head else 0)
    return pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
