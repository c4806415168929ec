"""The parameter checks and code lookups of the reads, one message form for every one: "`name` must be …; got …."
(``BadParameter``, naming the parameter), "unknown region 'XX99' (NUTS 2021)" (``NotFound``), and ``NoDataset`` for a
version without cluster measures. The web, the API and the reports check through these."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from clusterobs.errors import BadParameter, NoDataset, NotFound
from clusterobs.store.reads.catalogue import Catalogue
from clusterobs.store.reads.sql import MEASURE_SORTS, NUTS_VERSION

#: the NUTS levels of the cluster measures, and the one read when none is given
LEVELS = (0, 1, 2)
DEFAULT_LEVEL = 2
#: the kinds of cluster categories
KINDS = ("traded", "local", "emerging")
#: the measures a map or a category's ranking may show
MEASURES = ("stars", "employment", "lq", "focus", "share_europe", "growth", "productivity")
#: the most codes one filter may list
MAX_CODES = 100


class Checks(Catalogue):
    """Checks of the parameters of a read against what the version holds, and lookups of its codes."""

    def check_scheme(self, scheme: str) -> str:
        known = sorted(set(self.schemes["scheme"]))
        if scheme not in known:
            raise BadParameter("scheme", f"`scheme` must be one of {', '.join(known)}; got {scheme!r}.")
        return scheme

    def check_level(self, level: int) -> int:
        if level not in LEVELS:
            raise BadParameter("level", f"`level` must be one of 0, 1, 2; got {level}.")
        return level

    def check_year(self, year: int | None) -> int:
        """``year``, or the latest year when None; ``NoDataset`` when the version has no cluster measures."""
        years = self.years
        if not years:
            raise NoDataset("no cluster measures: run `clusterobs compute`")
        if year is None:
            return years[-1]
        if year not in years:
            raise BadParameter("year", f"`year` must be one of {', '.join(map(str, years))}; got {year}.")
        return year

    def check_measure(self, measure: str) -> str:
        if measure not in MEASURES:
            raise BadParameter("measure", f"`measure` must be one of {', '.join(MEASURES)}; got {measure!r}.")
        return measure

    def check_kind(self, kind: str | None) -> str | None:
        if kind is not None and kind not in KINDS:
            raise BadParameter("kind", f"`kind` must be one of {', '.join(KINDS)}; got {kind!r}.")
        return kind

    def check_codes(self, name: str, codes: Sequence[str] | None) -> Sequence[str] | None:
        if codes is not None and len(codes) > MAX_CODES:
            raise BadParameter(name, f"`{name}` must list at most {MAX_CODES} codes; got {len(codes)}.")
        return codes

    def check_min_stars(self, min_stars: int) -> int:
        if min_stars < 0:
            raise BadParameter("min_stars", f"`min_stars` must be at least 0; got {min_stars}.")
        return min_stars

    def check_sort(self, sort: str) -> list[tuple[str, bool]]:
        """``"-employment,region"`` → ``[("employment", True), ("region", False)]`` (True: descending)."""
        keys = [k.strip() for k in sort.split(",") if k.strip()]
        out = [(k.lstrip("-"), k.startswith("-")) for k in keys]
        bad = [k for k, _ in out if k not in MEASURE_SORTS]
        if bad or not out:
            raise BadParameter("sort", f"`sort` must be a comma-separated list of {', '.join(MEASURE_SORTS)}, each "
                               f"optionally prefixed by - for descending; got {sort!r}.")
        return out

    def check_country(self, country: str) -> str:
        """A country of the regions' ``country`` column (a filter: 400 otherwise)."""
        if country not in set(self.regions["country"]):
            raise BadParameter("country", f"`country` must be a NUTS country code such as DE, FR or EL; "
                               f"got {country!r}.")
        return country

    # ---- lookups ----------------------------------------------------------------------------------------------
    def region(self, code: str) -> dict[str, Any]:
        """The NUTS 2021 region ``code`` (``regions`` row); ``NotFound`` naming ``region`` otherwise."""
        row = self.regions[self.regions["code"] == code]
        if row.empty:
            raise NotFound(f"unknown region {code!r} (NUTS {NUTS_VERSION})", name="region")
        return row.iloc[0].to_dict()

    def country(self, code: str) -> dict[str, Any]:
        """The NUTS country ``code`` (the level-0 region); ``NotFound`` naming ``country`` otherwise."""
        regions = self.regions
        row = regions[(regions["code"] == code) & (regions["level"] == 0)]
        if row.empty:
            raise NotFound(f"unknown country {code!r}: a NUTS country code such as DE, FR or EL", name="country")
        return row.iloc[0].to_dict()

    def country_name(self, country: str) -> str:
        return str(self.country(country)["name"])

    def category(self, key: str) -> dict[str, Any]:
        """The category ``key`` as stored (its name untranslated); ``NotFound`` naming ``category`` otherwise."""
        cats = self.categories
        row = cats[cats["category"] == key]
        if row.empty:
            raise NotFound(f"unknown category {key!r}", name="category")
        return row.iloc[0].to_dict()
