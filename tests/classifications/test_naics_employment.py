"""US employment per NAICS 2017 code from CBP 2012: same code, predecessors of the codes created in 2017, absent."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from clusterobs.classifications.naics_employment import NEW_IN_NAICS_2017, naics_employment, predecessors
from clusterobs.sources import nace_classification, naics_nace, us_cbp
from clusterobs.sources.ingestlog import IngestLog

# The 20 codes created in NAICS 2017 and the NAICS 2012 codes they pool, written out from the Census Bureau's
# 2012-2017 changes (454110 replaces 454111-454113, ...). Department stores and general merchandise (452) and
# telecommunications carriers (517) were renumbered under a new 4-digit industry: the rule pools them at 3 digits.
POOLS = {
    ("211120", "211130"): ("211111", "211112"),
    ("212230",): ("212231", "212234"),
    ("333914",): ("333911", "333913"),
    ("335220",): ("335221", "335222", "335224", "335228"),
    ("452210", "452311", "452319"): ("452111", "452112", "452910", "452990"),
    ("454110",): ("454111", "454112", "454113"),
    ("512250",): ("512210", "512220"),
    ("517311", "517312"): ("517110", "517210"),
    ("532281", "532282", "532283", "532284", "532289"): ("532220", "532230", "532291", "532292", "532299"),
    ("541713", "541714", "541715"): ("541711", "541712"),
}


def _cbp(emp: dict[str, float], flags: dict[str, str] | None = None) -> pd.DataFrame:
    flags = flags or {}
    return pd.DataFrame([(c, float(e), 1, flags.get(c), c in flags, i + 2) for i, (c, e) in enumerate(emp.items())],
                        columns=["naics2012", "emp", "est", "empflag", "emp_estimated", "line"])


def test_a_2017_code_gets_the_employment_of_the_codes_it_replaced() -> None:
    # 454110 (2017) replaced 454111, 454112 and 454113 (2012): 100 + 50 + 30
    cbp = _cbp({"454111": 100, "454112": 50, "454113": 30, "454210": 7})
    e = naics_employment(["454110", "454210"], cbp, {"454110", "454210"}).set_index("naics2017")
    assert e.at["454110", "us_employment"] == 180
    assert e.at["454110", "basis"] == "predecessors"
    assert e.at["454110", "detail"] == "CBP 2012 454111+454112+454113 (retired in NAICS 2017, prefix 45411)"
    assert (e.at["454210", "us_employment"], e.at["454210", "basis"]) == (7, "cbp")


def test_codes_sharing_a_prefix_share_the_retired_codes_equally() -> None:
    # 541713, 541714, 541715 replaced 541711 and 541712: (900 + 300) / 3 each
    cbp = _cbp({"541711": 900, "541712": 300, "541720": 5}, flags={"541712": "C"})
    new = {"541713", "541714", "541715"}
    e = naics_employment([*new, "541720"], cbp, new | {"541720"}).set_index("naics2017")
    assert e.loc[sorted(new), "us_employment"].tolist() == [400, 400, 400]
    assert e.at["541714", "detail"] == ("1/3 of CBP 2012 541711+541712 (retired in NAICS 2017, prefix 54171); "
                                        "541712 withheld (flag C), estimated")


def test_the_longest_prefix_wins_and_claims_its_codes() -> None:
    # 452210 has no retired code under 45221 or 4522; under 452 it finds 452111 and 452910. 454110 finds its own
    # codes under 45411 first, so they are not pooled with 452's.
    got = predecessors(["452210", "454110"], ["452111", "452910", "454111", "454112", "452220"],
                       ["452210", "454110", "452220"])
    assert got == {"452210": ("452", ("452111", "452910"), 1), "454110": ("45411", ("454111", "454112"), 1)}
    # a retired code already claimed at 5 digits is not counted again by a code resolving at 4 digits
    got = predecessors(["211120", "211130"], ["211121", "211190"], ["211120", "211130"])
    assert got == {"211120": ("21112", ("211121",), 1), "211130": ("2111", ("211190",), 1)}
    assert predecessors(["999999"], ["111110"], ["999999"]) == {}


def test_codes_cbp_leaves_out_have_no_employment() -> None:
    e = naics_employment(["111110", "211120"], _cbp({"311111": 5}), {"111110", "211120", "311111"})
    e = e.set_index("naics2017")
    assert e["us_employment"].tolist() == [0.0, 0.0]
    assert e["basis"].tolist() == ["absent", "absent"]
    assert e.at["211120", "detail"] == "created in NAICS 2017, no retired 2012 code under its prefix"
    assert e.at["111110", "detail"].startswith("not in CBP 2012 (CBP leaves out crop and animal production")


def test_real_mirror_pools_are_the_census_changes(mirror: Path) -> None:
    log = IngestLog()
    t = nace_classification.read(mirror, log, {})
    t |= naics_nace.read(mirror, log, t)
    cbp = us_cbp.read(mirror, log, {})["us_cbp_employment"]
    naics2017 = set(t["naics"].loc[t["naics"]["level"] == 6, "code"])
    got = predecessors(NEW_IN_NAICS_2017, cbp["naics2012"], naics2017)
    assert set(got) == NEW_IN_NAICS_2017
    assert {tuple(sorted(c for c in got if got[c][1] == olds)): olds for _, olds, _ in got.values()} == POOLS
    # every NAICS 2012 code retired in 2017 is used by exactly one pool
    retired = set(cbp["naics2012"]) - naics2017
    assert sorted(retired) == sorted(c for olds in POOLS.values() for c in olds) and len(retired) == 28
    emp = cbp.set_index("naics2012")["emp"]
    e = naics_employment(t["naics_nace"]["naics2017"], cbp, naics2017).set_index("naics2017")
    for news, olds in POOLS.items():
        for code in news:
            assert e.at[code, "us_employment"] == pytest.approx(emp[list(olds)].sum() / len(news)), code
    # 454110 ← 454111 + 454112 (withheld, flag I: 7,499.5) + 454113
    assert e.at["454110", "us_employment"] == emp["454111"] + 7_499.5 + emp["454113"]
    assert e["basis"].value_counts().to_dict() == {"cbp": 935, "absent": 86, "predecessors": 20, "cbp_estimated": 15}
