"""Hand-made firm microdata whose aggregates and quarantine counts are known (imported by the tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from clusterobs.microdata import REASONS, Lookups

HEADER = "firm_id,region,nace,year,employees,wages"
# (line, text, what the checks must say: None = accepted)
ROWS = [
    (2, "1,DE111,C1011,2020,10,1000.50", None),
    (3, "2,DE112,10.11,2020,5,500.25", None),            # dotted class code
    (4, "3,DE121,1012,2020,2.5,250", None),              # four digits, a fraction of an employee
    (5, "4, fr101 ,c29.10,2020,100,10000", None),         # spaces, lower case
    (6, "5,FR102,J6201,2020,7,", None),                  # no wage: the cell's wages are missing
    (7, "6,ES511,C2910,2020,3,300", None),
    (8, "7,DE111,X9999,2020,1,1", REASONS.unknown_nace),
    (9, "8,DE111,,2020,1,1", REASONS.missing_nace),
    (10, "9,DEZZZ,C1011,2020,1,1", REASONS.extra_regio),
    (11, "10,D-E1,C1011,2020,1,1", REASONS.malformed_region),
    (12, "11,UKI31,C1011,2020,1,1", REASONS.unknown_region),
    (13, "12,DE11,C1011,2020,1,1", REASONS.coarse_region),  # NUTS-2 code, NUTS-3 mapped
    (14, "13,DE111,C1011,2020,-4,1", REASONS.negative("employees")),
    (15, "14,DE111,C1011,2020,abc,1", REASONS.not_a_number("employees")),
    (16, "15,DE111,C1011,2020,1,-1", REASONS.negative("wages")),
    (17, "16,DE111,C1011,2020,1,1e3x", REASONS.not_a_number("wages")),
    (18, "17,DE111,C1011,,1,1", REASONS.missing_year),
    (19, "18,DE111,C1011,20x0,1,1", REASONS.malformed_year),
    (20, ",DE111,C1011,2020,1,1", REASONS.missing_firm_id),
    (21, "19,DE111,C1011,2020,4,40", REASONS.duplicate),
    (22, "19,DE112,C1012,2020,6,60", REASONS.duplicate),
    (23, "20,DE111,C1011,2020,2", REASONS.malformed_csv),       # five fields
    (24, "21,DE111,C1011,2020,2,20,9", REASONS.malformed_csv),  # seven fields
    (25, "22,DE111,C1011,2021,8,80", None),
    (26, "1,DE111,C1011,2021,12,1200", None),            # firm 1 again, another year: no duplicate
    (27, "23,DE111,C1011,2020,,5", REASONS.missing("employees")),
    (28, "7,FR101,C2910,2021,1,10", None),
    (29, "24,DE111,X9999,2021,1,1", REASONS.unknown_nace),
    (30, "24,DE112,C1011,2021,3,30", None),              # its other row is invalid: not a duplicate
]
CLASSES = ["C1011", "C1012", "C2910", "G4711", "J6201"]
REGIONS = ["DE", "DE1", "DE11", "DE111", "DE112", "DE12", "DE121", "ES", "ES5", "ES51", "ES511",
           "FR", "FR1", "FR10", "FR101", "FR102"]
CONCORDANCE = pd.DataFrame({"industry": ["C1011", "C1012", "C1012", "C2910", "J6201"],
                            "category": ["food", "food", "drinks", "auto", "it"],
                            "weight": [1.0, 0.5, 0.5, 1.0, 1.0]})
# accepted totals in hundredths
EMPLOYEES = 10 + 5 + 2.5 + 100 + 7 + 3 + 8 + 12 + 1 + 3
WAGES = 1000.50 + 500.25 + 250 + 10000 + 300 + 80 + 1200 + 10 + 30


def expected_counts() -> dict[str, int]:
    out: dict[str, int] = {}
    for _line, _text, reason in ROWS:
        if reason:
            out[reason] = out.get(reason, 0) + 1
    return out


def write_csv(path: Path) -> Path:
    path.write_text("\n".join([HEADER, *[text for _l, text, _r in ROWS]]) + "\n", encoding="utf-8")
    return path


def hand_lookups() -> Lookups:
    return Lookups(classes=CLASSES, concordance=CONCORDANCE, regions=REGIONS, nuts_version=2016, source="hand")
