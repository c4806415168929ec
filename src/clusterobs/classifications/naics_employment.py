"""US employment of each NAICS 2017 code, from County Business Patterns 2012 (NAICS 2012): the concordance's weights.

* A NAICS 2017 code that exists in NAICS 2012 takes the CBP 2012 employment of the same code
  (withheld cells as estimated by ``sources.us_cbp``).
* A code created in 2017 (``NEW_IN_NAICS_2017``) takes the employment of the 2012 codes it
  replaced: the CBP codes absent from NAICS 2017 that share its 5-digit prefix, else its 4-digit,
  else its 3-digit prefix (the Census Bureau's 2012-2017 changes all stay within a 3-digit
  subsector), shared equally among the new codes that resolve to the same prefix. The equal split
  is our choice: CBP 2012 cannot say how the 2012 codes divide (e.g. 517110 wired and 517210
  wireless carriers, which became 517311 and 517312, are pooled and halved).
* Any other code (crop and animal production, rail, private households, government: what CBP
  leaves out) has no US employment (0), and ``basis`` says so.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

#: Six-digit codes created in NAICS 2017 (US Census Bureau, 2012-2017 concordance).
NEW_IN_NAICS_2017 = frozenset({
    "211120", "211130", "212230", "333914", "335220", "452210", "452311", "452319", "454110", "512250",
    "517311", "517312", "532281", "532282", "532283", "532284", "532289", "541713", "541714", "541715",
})
PREFIXES = (5, 4, 3)
BASES = ("cbp", "cbp_estimated", "predecessors", "absent")


def predecessors(new_codes: Iterable[str], cbp_codes: Iterable[str], naics2017: Iterable[str],
                 ) -> dict[str, tuple[str, tuple[str, ...], int]]:
    """``{new code: (prefix, the retired 2012 codes, number of new codes sharing them)}``.

    Retired codes are CBP 2012 codes absent from ``naics2017``. For each new code the longest
    prefix (5, 4, then 3 digits) under which some retired code not yet claimed by a longer prefix
    exists; the new codes resolving to the same prefix share its retired codes. A new code with no
    such prefix is left out.
    """
    retired = set(cbp_codes) - set(naics2017)
    claimed: set[str] = set()
    out: dict[str, tuple[str, tuple[str, ...], int]] = {}
    pending = sorted(set(new_codes))
    for n in PREFIXES:
        groups: dict[str, list[str]] = {}
        for code in pending:
            groups.setdefault(code[:n], []).append(code)
        pending = []
        resolved: set[str] = set()
        for prefix, members in groups.items():
            olds = tuple(sorted(c for c in retired - claimed if c.startswith(prefix)))
            if olds:
                resolved.update(olds)
                out.update({m: (prefix, olds, len(members)) for m in members})
            else:
                pending.extend(members)
        claimed |= resolved
    return out


def naics_employment(codes: Iterable[str], cbp: pd.DataFrame, naics2017: Iterable[str]) -> pd.DataFrame:
    """US employment of each code: ``naics2017, us_employment, basis, detail`` (one row per distinct code).

    ``cbp`` is the ``us_cbp_employment`` table; ``naics2017`` the NAICS 2017 6-digit codes (to tell
    which 2012 codes were retired).
    """
    codes = sorted(set(codes))
    emp = dict(zip(cbp["naics2012"], cbp["emp"].astype("float64"), strict=True))
    flag = dict(zip(cbp["naics2012"], cbp["empflag"], strict=True))
    new = predecessors([c for c in codes if c in NEW_IN_NAICS_2017 and c not in emp], emp, naics2017)
    rows: list[tuple[str, float, str, str]] = []
    for code in codes:
        if code in emp and pd.notna(flag[code]):
            rows.append((code, emp[code], "cbp_estimated", f"CBP 2012 {code}, withheld (flag {flag[code]}), estimated"))
        elif code in emp:
            rows.append((code, emp[code], "cbp", f"CBP 2012 {code}"))
        elif code in new:
            prefix, olds, k = new[code]
            share = "" if k == 1 else f"1/{k} of "
            withheld = [f"{o} withheld (flag {flag[o]}), estimated" for o in olds if pd.notna(flag[o])]
            rows.append((code, sum(emp[o] for o in olds) / k, "predecessors",
                         f"{share}CBP 2012 {'+'.join(olds)} (retired in NAICS 2017, prefix {prefix})"
                         + "".join(f"; {w}" for w in withheld)))
        else:
            why = ("created in NAICS 2017, no retired 2012 code under its prefix" if code in NEW_IN_NAICS_2017
                   else "not in CBP 2012 (CBP leaves out crop and animal production, rail, private households "
                   "and most of government)")
            rows.append((code, 0.0, "absent", why))
    return pd.DataFrame(rows, columns=["naics2017", "us_employment", "basis", "detail"]).astype(
        {"us_employment": "float64"})
