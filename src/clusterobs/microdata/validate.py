"""Validation of firm rows as Ibis expressions: every row gets a ``reason`` (NULL = accepted).

A row is checked in this order and quarantined for the first check it fails, so every rejected
row is counted once, under one reason:

1. the CSV reader could not split it (``malformed CSV row``);
2. firm id: missing;
3. year: missing, or not a whole number from 1900 to 2100;
4. NACE class: missing, or not a NACE Rev. 2 class (``C1011``, ``10.11``, ``1011`` and
   ``C10.11`` are the same class; a division or group is not a class);
5. region: the row's NUTS code, or (with a postcode table) the NUTS-3 code of its postcode
   when the row has no code: missing, malformed (not two letters and up to three letters or
   digits), extra-regio (``DEZ``, ``DEZZZ``), not a code of the NUTS version, or coarser than
   the finest level mapped (a NUTS-2 code cannot be mapped at NUTS-3);
6. employees: missing, not a number, negative, or 10¹³ or more; wages and turnover (when the
   columns exist): not a number, negative, or 10¹³ or more. A missing wage is not an error:
   the firm's employment counts, and the wages of its cell are missing (never a partial sum);
7. duplicate firm id within a year: among the rows that pass every check above, all rows of a
   (firm id, year) that appears more than once are quarantined: nothing says which copy is
   right, and the result must not depend on the order in which a parallel engine reads them.
   Found in two steps: the rows whose (firm id, year) hash is seen more than once (sorted on DuckDB,
   grouped on PySpark), then the exact count by (firm id, year) on those rows only; a hash
   collision only adds rows to the exact count, so the hash never decides.

Amounts are counted exactly in hundredths (``round(x × 100)`` as a 64-bit integer: cents of
wages, hundredths of an employee), so aggregated totals equal the accepted firms' totals to the
last digit on any engine, in any order.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

NUMBER = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
WHOLE_YEAR = r"^[0-9]{4}([.]0*)?$"
NUTS_SHAPE = r"^[A-Z]{2}[A-Z0-9]{0,3}$"
EXTRA_REGIO = r"^[A-Z]{2}Z+$"
TOO_LARGE = 1e13
FIRST_YEAR, LAST_YEAR = 1900, 2100
AMOUNTS = ("employees", "wages", "turnover")


class REASONS:
    """The quarantine reasons, word for word as they are counted and shown."""

    malformed_csv = "malformed CSV row (wrong number of fields)"
    missing_firm_id = "missing firm id"
    missing_year = "missing year"
    malformed_year = f"malformed year (not a whole number from {FIRST_YEAR} to {LAST_YEAR})"
    missing_nace = "missing NACE class"
    unknown_nace = "unknown NACE class"
    missing_region = "missing region code"
    missing_location = "missing region code and postcode"
    unknown_postcode = "unknown postcode"
    malformed_region = "malformed region code"
    extra_regio = "extra-regio region code"
    unknown_region = "unknown region code"
    coarse_region = "region code coarser than the finest level mapped"
    duplicate = "duplicate firm id within a year"

    @staticmethod
    def missing(column: str) -> str:
        return f"missing {column}"

    @staticmethod
    def not_a_number(column: str) -> str:
        return f"{column} is not a finite number"

    @staticmethod
    def negative(column: str) -> str:
        return f"{column} is negative"

    @staticmethod
    def too_large(column: str) -> str:
        return f"{column} is too large (10^13 or more)"

    @classmethod
    def all(cls) -> list[str]:
        """Every reason, in the order the checks run."""
        out = [cls.malformed_csv, cls.missing_firm_id, cls.missing_year, cls.malformed_year, cls.missing_nace,
               cls.unknown_nace, cls.missing_region, cls.missing_location, cls.unknown_postcode,
               cls.malformed_region, cls.extra_regio, cls.unknown_region, cls.coarse_region,
               cls.missing("employees")]
        for col in AMOUNTS:
            out += [cls.not_a_number(col), cls.negative(col), cls.too_large(col)]
        return [*out, cls.duplicate]


#: The code of the duplicate reason (the last check).
DUPLICATE_CODE = ibis.literal(REASONS.all().index(REASONS.duplicate), type="int16")


# ---- lookup tables ----------------------------------------------------------------------------------------


def class_aliases(classes: pd.Series | list[str]) -> pd.DataFrame:
    """``alias, code`` for NACE class codes in Eurostat form (``C1011``): the code and its four digits.

    Inputs are upper-cased with dots and spaces removed before the lookup, so ``C1011``,
    ``C10.11``, ``10.11`` and ``1011`` all find ``C1011``.
    """
    codes = pd.Series(sorted(set(map(str, classes))), dtype="string")
    digits = codes.str[1:].where(codes.str.match(r"^[A-U][0-9]{4}$"))
    out = pd.concat([pd.DataFrame({"alias": codes, "code": codes}),
                     pd.DataFrame({"alias": digits, "code": codes}).dropna()], ignore_index=True)
    out = out.drop_duplicates("alias", keep=False)
    return out.reset_index(drop=True)


def normalise_postcodes(df: pd.DataFrame, *, source: str = "postcode table") -> pd.DataFrame:
    """``country, postcode, nuts3`` from a postcode-to-NUTS table (GISCO TERCET's ``NUTS3``/``CODE`` too).

    Postcodes are upper-cased with spaces removed; ``country`` is the table's own column or the
    first two letters of the NUTS-3 code. A postcode given two different NUTS-3 codes in the same
    country is an error (the table cannot say where such a firm is).
    """
    from clusterobs.errors import InputError

    cols = {c.strip().lower().strip("'\""): c for c in df.columns}
    pc = cols.get("postcode") or cols.get("code")
    nuts = cols.get("nuts3") or cols.get("nuts_3") or cols.get("nuts")
    if pc is None or nuts is None:
        raise InputError(f"{source}: needs columns postcode (or CODE) and nuts3 (or NUTS3); "
                         f"found {', '.join(map(str, df.columns))}")

    def clean(s: pd.Series) -> pd.Series:
        return (s.astype("string").str.strip().str.strip("'\"").str.upper()
                .str.replace(r"\s+", "", regex=True))

    out = pd.DataFrame({"postcode": clean(df[pc]), "nuts3": clean(df[nuts])})
    country = cols.get("country")
    out["country"] = clean(df[country]) if country else out["nuts3"].str[:2]
    out = out.dropna(subset=["postcode", "nuts3"]).drop_duplicates()
    clash = out[out.duplicated(["country", "postcode"], keep=False)]
    if len(clash):
        first = clash.sort_values(["country", "postcode"]).head(2)
        raise InputError(f"{source}: postcode {first['postcode'].iloc[0]} ({first['country'].iloc[0]}) has two "
                         f"NUTS-3 codes: {', '.join(first['nuts3'])}")
    return out[["country", "postcode", "nuts3"]].reset_index(drop=True)


# ---- the checks ---------------------------------------------------------------------------------------------


def _strip(col: ir.StringValue) -> ir.StringValue:
    """Leading and trailing white space removed, alike on every engine.

    Not ``StringValue.strip``: Ibis 12 compiles it for PySpark to ``TRIM(' \\t\\n\\r\\v\\f' FROM x)``,
    and Spark reads ``\\v`` and ``\\f`` as the letters v and f: ``' fr101 '`` became ``r101``.
    """
    return col.re_replace(r"^\s+|\s+$", "")


def _text(col: ir.Value) -> ir.StringValue:
    """Trimmed, upper-cased text; empty → NULL."""
    return _strip(col.cast("string")).upper().nullif("")


def _year(col: ir.Value) -> tuple[ir.IntegerValue, ir.BooleanValue, ir.BooleanValue]:
    """(year, missing, malformed)."""
    t = col.type()
    if t.is_string():
        s = _strip(col)
        missing = col.isnull() | (s == "")
        ok = s.re_search(WHOLE_YEAR)
        value = ibis.ifelse(ok, s.try_cast("float64"), ibis.null("float64"))
    else:
        missing = col.isnull()
        value = col.cast("float64")
        if t.is_floating():
            missing = missing | value.isnan()
            value = ibis.ifelse(value.isnan() | (value != value.floor()), ibis.null("float64"), value)
    in_range = (value >= FIRST_YEAR) & (value <= LAST_YEAR)
    year = ibis.ifelse(in_range, value, ibis.null("float64")).cast("int64")
    return year, missing, (~missing & ~in_range.fill_null(False))


def _amount(col: ir.Value) -> tuple[ir.IntegerValue, ir.BooleanValue, ir.BooleanValue, ir.BooleanValue,
                                      ir.BooleanValue]:
    """(hundredths as int64, missing, not a finite number (text, NaN, ±inf, an overflow), negative, too large)."""
    t = col.type()
    if t.is_string():
        s = _strip(col)
        missing = col.isnull() | (s == "")
        ok = s.re_search(NUMBER)
        value = ibis.ifelse(ok, s.try_cast("float64"), ibis.null("float64"))
        # "1e400" has the form of a number but overflows to infinity: not finite, like "inf" and "nan"
        nan = ~missing & (~ok.fill_null(False) | value.isinf().fill_null(False))
        value = ibis.ifelse(nan, ibis.null("float64"), value)
    else:
        missing = col.isnull()
        value = col.cast("float64")
        nan = ibis.literal(False)
        if t.is_floating():
            nan = (value.isnan() | value.isinf()).fill_null(False)
            value = ibis.ifelse(nan, ibis.null("float64"), value)
    negative = (value < 0).fill_null(False)
    large = (value >= TOO_LARGE).fill_null(False)
    good = value.notnull() & ~negative & ~large
    cents = ibis.ifelse(good, (value * 100).round(), ibis.null("float64")).cast("int64")
    return cents, missing & ~nan, nan, negative, large


def check_firms(firms: ir.Table, *, classes: ir.Table, regions: ir.Table | None = None,
                postcodes: ir.Table | None = None, level: int = 3, duplicates: str | None = None) -> ir.Table:
    """The firm rows with their normalised values and a ``reason`` (NULL = accepted).

    ``firms``: the columns of ``read_firms`` (``firm_id, nace, year, employees`` and ``region``
    or ``postcode``; optional ``country, wages, turnover``; ``_file, _line``, optional
    ``_malformed``). ``classes``: ``alias, code`` (``class_aliases``). ``regions``: one column
    ``code``, every NUTS code of the version (any level); None checks the codes' shape only.
    ``postcodes``: ``country, postcode, nuts3`` (``normalise_postcodes``). ``level``: the finest
    NUTS level to be mapped. ``duplicates``: how the keys seen twice are first found, ``"sort"``
    (the rows sorted by their key's hash, each compared with the next: half the work of a hash
    table of every key on DuckDB) or ``"group"`` (grouped by the hash: what a cluster does
    without moving every row to one partition); None: ``"group"`` on PySpark, else ``"sort"``.
    Both give the same result.

    Added columns: ``_fid`` (firm id), ``_year``, ``_class`` (Eurostat class code), ``_nuts``
    (the region code cut to ``level``), ``_employees``, ``_wages``, ``_turnover`` (hundredths,
    int64; NULL where missing or invalid), ``_reason`` (the index of the reason in
    ``REASONS.all()``, NULL = accepted) and ``reason`` (its text). The lookups and the keys of
    duplicated firms are materialised (``cache``: small tables); the rest stays lazy.
    """
    if not 0 <= level <= 3:
        raise ValueError(f"`level` of check_firms must be one of 0-3; got {level}.")
    if duplicates not in (None, "sort", "group"):
        raise ValueError(f"`duplicates` of check_firms must be 'sort' or 'group'; got {duplicates!r}.")
    from clusterobs.errors import InputError

    cols = set(firms.columns)
    if "employees" not in cols:
        raise InputError("the firm data have no `employees` column")
    if postcodes is not None and "postcode" not in cols:
        raise InputError("a postcode table was given but the firm data have no `postcode` column")
    base = firms if "_malformed" in cols else firms.mutate(_malformed=ibis.literal(False))
    fid = base.firm_id
    fid = _strip(fid).nullif("") if fid.type().is_string() else fid
    year, year_missing, year_bad = _year(base.year)
    base = base.mutate(_fid=fid, _year=year, _year_missing=year_missing, _year_bad=year_bad)
    lookups = _lookups(base, classes=classes, regions=regions, postcodes=postcodes, level=level)
    t = _apply_checks(base, lookups)

    # Duplicates among the rows that pass every other check. First the rows whose (firm id, year) key hashes to
    # a value seen more than once at all (one integer column, no lookups), then, on those rows only, the other
    # checks and the exact count by (firm id, year): a hash collision only adds rows that this count clears.
    hashed = base.mutate(_key_hash=key_hash(base._fid, base._year))
    seen = hashed.filter(hashed._fid.notnull() & hashed._year.notnull())
    twice = _repeated_hashes(seen, duplicates or ("group" if _on_spark(firms) else "sort")).cache()
    if int(twice.count().execute()) > 0:
        rows = _apply_checks(hashed.semi_join(twice, hashed._key_hash == twice._c_hash).drop("_key_hash"), lookups)
        ok = rows.filter(rows._reason.isnull())
        dups = (ok.group_by(["_fid", "_year"]).aggregate(_n=ok.count()).filter(lambda g: g._n > 1)
                .select(_dup_fid="_fid", _dup_year="_year", _dup=ibis.literal(True))).cache()
        t = t.left_join(dups, [t._fid == dups._dup_fid, t._year == dups._dup_year]).drop("_dup_fid", "_dup_year")
        t = t.mutate(_reason=t._reason.fill_null(ibis.ifelse(t._dup.fill_null(False), DUPLICATE_CODE,
                                                              ibis.null("int16"))))
    keep = [c for c in firms.columns if c != "_malformed"]
    return t.select(*keep, "_fid", "_year", "_class", "_nuts", "_employees", "_wages", "_turnover", "_reason",
                    reason=reason_text(t._reason))


def key_hash(fid: ir.Value, year: ir.Value) -> ir.IntegerValue:
    """A hash of the (firm id, year) key as int64: 64 bits on DuckDB, Spark's 32-bit Murmur3 on PySpark.

    Equal keys hash alike on an engine; different keys may too (a collision), so a hash only
    selects candidate rows, never decides that two rows are duplicates.
    """
    return ibis.struct({"f": fid, "y": year}).hash()


def _repeated_hashes(seen: ir.Table, how: str) -> ir.Table:
    """``_c_hash``: every ``_key_hash`` of ``seen`` that occurs more than once (a small table).

    ``sort``: each hash compared with the next in hash order (DuckDB sorts 25 M hashes in about
    half the time it fills a hash table of 25 M groups); ``group``: grouped and counted.
    """
    if how == "group":
        g = seen.group_by("_key_hash").aggregate(_n=seen.count())
        return g.filter(g._n > 1).select(_c_hash=g._key_hash)
    h = seen.select("_key_hash")
    nxt = h.mutate(_next=h._key_hash.lead().over(ibis.window(order_by=h._key_hash)))
    return nxt.filter(nxt._key_hash == nxt._next).select(_c_hash=nxt._key_hash).distinct()


def _on_spark(table: ir.Table) -> bool:
    from clusterobs.mapping.backends import is_spark

    try:
        return is_spark(table.get_backend())
    except ibis.common.exceptions.IbisError:  # an unbound table: no engine to ask
        return False


def reason_text(code: ir.IntegerValue) -> ir.StringValue:
    """The text of a reason code (NULL for an accepted row)."""
    return ibis.cases(*[(code == i, r) for i, r in enumerate(REASONS.all())], else_=ibis.null("string"))


def _lookups(base: ir.Table, *, classes: ir.Table, regions: ir.Table | None, postcodes: ir.Table | None,
             level: int) -> dict[str, Any]:
    """The distinct NACE, region and postcode values of the data with what the checks need, materialised.

    Codes are normalised and looked up once per distinct value (a few thousand) and joined back:
    much cheaper than string functions on each of millions of rows, and once materialised the
    engine sees how small these tables are (DuckDB then builds its hash tables on them).
    """
    from clusterobs.errors import InputError

    cols = set(base.columns)
    out: dict[str, Any] = {"level": level, "postcodes": postcodes is not None, "has_region": "region" in cols,
                           "has_country": "country" in cols, "columns": cols}
    out["nv"] = _class_lookup(base.select(_nk=base.nace).distinct(), classes).cache()
    if postcodes is None:
        if "region" not in cols:
            raise InputError("the firm data have neither `region` nor `postcode` (with a postcode table)")
        rv = base.select(_rk=base.region).distinct()
        out["rv"] = _region_lookup(rv.mutate(_region_in=_text(rv._rk), _region_code=_text(rv._rk)), regions,
                                   level).cache()
        return out
    if "region" in cols:
        rv = base.select(_rk=base.region).distinct()
        out["rv"] = rv.mutate(_region_in=_text(rv._rk)).cache()
    has_country = out["has_country"]
    pv = base.select(_pk=base.postcode, _ck=base.country if has_country else ibis.null("string")).distinct()
    pv = pv.mutate(_pc_key=_text(pv._pk).re_replace(r"\s", "").nullif(""), _cc_key=_text(pv._ck))
    pc = postcodes.select(_pc_country=postcodes["country"], _pc=postcodes["postcode"], _pc_nuts=postcodes["nuts3"])
    preds = [pv._pc_key == pc._pc] + ([pv._cc_key == pc._pc_country] if has_country else [])
    out["pv"] = pv = pv.left_join(pc, preds).select("_pk", "_ck", "_pc_key", "_pc_nuts").cache()
    codes = pv.select(_ck2=pv._pc_nuts)
    if "region" in cols:
        codes = ibis.union(out["rv"].select(_ck2=out["rv"]._region_in), codes)
    codes = codes.filter(codes._ck2.notnull()).distinct()
    out["cv"] = _region_lookup(codes.mutate(_region_code2=codes._ck2), regions, level, code="_region_code2").cache()
    return out


def _apply_checks(base: ir.Table, lk: dict[str, Any]) -> ir.Table:
    """``base`` joined with the lookups, with ``_reason`` (a code, NULL = accepted) and the amounts in hundredths."""
    cols = lk["columns"]
    nv = lk["nv"]
    t = base.left_join(nv, base.nace == nv._nk).drop("_nk")
    if not lk["postcodes"]:
        rv = lk["rv"]
        t = t.left_join(rv, t.region == rv._rk).drop("_rk")
    else:
        if lk["has_region"]:
            rv = lk["rv"]
            t = t.left_join(rv, t.region == rv._rk).drop("_rk")
        else:
            t = t.mutate(_region_in=ibis.null("string"))
        pv, cv = lk["pv"], lk["cv"]
        on = [t.postcode == pv._pk] + ([t.country == pv._ck] if lk["has_country"] else [])
        t = t.left_join(pv, on).drop("_pk", "_ck")
        t = t.mutate(_region_code=t._region_in.fill_null(t._pc_nuts))
        t = t.left_join(cv, t._region_code == cv._ck2).drop("_ck2", "_region_code2")

    amounts: dict[str, tuple] = {col: _amount(t[col]) for col in AMOUNTS if col in cols}

    def present(x: ir.Value) -> ir.BooleanValue:
        return x.fill_null(False)

    cases: list[tuple[ir.BooleanValue, str]] = [
        (present(t._malformed), REASONS.malformed_csv),
        (t._fid.isnull(), REASONS.missing_firm_id),
        (present(t._year_missing), REASONS.missing_year),
        (present(t._year_bad), REASONS.malformed_year),
        (t._nace_key.isnull(), REASONS.missing_nace),
        (t._class.isnull(), REASONS.unknown_nace),
    ]
    if lk["postcodes"]:
        cases += [(t._region_in.isnull() & t._pc_key.isnull(), REASONS.missing_location),
                  (t._region_in.isnull() & t._pc_nuts.isnull(), REASONS.unknown_postcode)]
    else:
        cases.append((t._region_code.isnull(), REASONS.missing_region))
    cases += [
        (~present(t._region_shape), REASONS.malformed_region),
        (present(t._extra), REASONS.extra_regio),
        (present(t._region_unknown), REASONS.unknown_region),
        (present(t._coarse), REASONS.coarse_region),
    ]
    for col, (_cents, missing, nan, negative, large) in amounts.items():
        if col == "employees":
            cases.append((present(missing), REASONS.missing(col)))
        cases += [(present(nan), REASONS.not_a_number(col)), (negative, REASONS.negative(col)),
                  (large, REASONS.too_large(col))]
    codes = {r: i for i, r in enumerate(REASONS.all())}
    # an integer code, not the text: grouping millions of rows on a short integer is much cheaper
    reason = ibis.cases(*[(cond, ibis.literal(codes[r], type="int16")) for cond, r in cases],
                        else_=ibis.null("int16"))
    out = {f"_{col}": v[0] for col, v in amounts.items()}
    for col in AMOUNTS:
        out.setdefault(f"_{col}", ibis.null("int64"))
    return t.mutate(_reason=reason, **out)


def _class_lookup(values: ir.Table, classes: ir.Table) -> ir.Table:
    """``_nk`` (a raw NACE value) → ``_nace_key`` (normalised; NULL when empty) and ``_class`` (NULL: unknown)."""
    raw = values._nk
    # an integer column has lost its leading zero (0111 read as 111)
    key = (raw.cast("string").lpad(4, "0") if raw.type().is_integer()
           else _text(raw).re_replace(r"[.\s]", "").nullif(""))
    v = values.mutate(_nace_key=key)
    cl = classes.select(_alias=classes["alias"], _class=classes["code"])
    return v.left_join(cl, v._nace_key == cl._alias).select("_nk", "_nace_key", "_class")


def _region_lookup(values: ir.Table, regions: ir.Table | None, level: int, *, code: str = "_region_code"
                   ) -> ir.Table:
    """Distinct codes (column ``code``) with the flags of the region checks and ``_nuts`` (cut to ``level``)."""
    c = values[code]
    if regions is not None:
        known = regions.select(_known=regions["code"]).distinct()
        values = values.left_join(known, c == known._known)
        c = values[code]
        unknown = values._known.isnull()
    else:
        unknown = ibis.literal(False)
    v = values.mutate(_region_shape=c.re_search(NUTS_SHAPE), _extra=c.re_search(EXTRA_REGIO),
                      _region_unknown=unknown, _coarse=c.length() < level + 2, _nuts=c.substr(0, level + 2))
    return v.drop(*[k for k in ("_known",) if k in v.columns])


def reason_of(code: int) -> str:
    """The text of a reason code."""
    return REASONS.all()[int(code)]
