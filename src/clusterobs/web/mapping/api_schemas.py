"""Output schemas of the Cluster Mapping Tool's API: the keys every JSON answer documents (and every other format
repeats). The error envelope, ``Format`` and ``Paged`` are the kernel's (``clusterobs.web.api_schemas``)."""

from __future__ import annotations

from typing import Any, Literal

from ninja import Field, Schema

from clusterobs.web.api_schemas import Paged

MapFormat = Literal["geojson", "csv", "xlsx", "parquet"]
RankFormat = Literal["json", "csv", "xlsx", "parquet", "geojson"]
Kind = Literal["traded", "local", "emerging"]
Measure = Literal["stars", "employment", "lq", "focus", "share_europe", "growth", "productivity"]  # selectors.MEASURES


# ---- regions and categories --------------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(..., description="NUTS 2021 code")
    name: str | None = Field(None, description="Name in the national language(s), in Latin script where GISCO's is "
                                                "Greek or Cyrillic (name_national)")
    name_latn: str | None = Field(None, description="Name in Latin script")
    name_national: str | None = Field(None, description="Name as GISCO writes it, in the national script")
    level: int = Field(..., description="NUTS level: 0 country, 1, 2")
    parent: str | None = Field(None, description="Code one level up; null for countries")
    country: str = Field(..., description="Country code (EL Greece)")
    has_geometry: bool = Field(..., description="The region has a polygon in the map layer")


class RegionPage(Paged):
    results: list[RegionOut]


class ContextIndicator(Schema):
    indicator: str
    value: float
    year: int = Field(..., description="Latest year with a value")
    unit: str | None = None
    description: str | None = None
    eurostat_table: str | None = None


class MeasureRow(Schema):
    nuts_version: int
    level: int
    region: str
    region_name: str | None = None
    country: str | None = None
    category: str
    category_name: str
    kind: str = Field(..., description="traded, local or emerging")
    year: int
    scheme: str
    stars: int | None = Field(None, description="Tests of the scheme passed; null when the cell cannot be ranked "
                              "(`rankable` false: no employment, coverage below 80%, region split by population)")
    tests_evaluated: int = Field(..., description="Tests in the scheme (0 when the cell cannot be ranked)")
    tests_passed: list[str] = Field(..., description="Names of the tests passed (comma-separated in files)")
    employment: float | None = Field(None, description="Persons employed; null when an industry is missing")
    imputed_share: float | None = Field(None, description="Part of employment from imputed cells (0–1)")
    imputed: bool | None = Field(None, description="Flag: employment includes imputed cells")
    coverage: float | None = Field(None, description="Share (0–1) of the category's concordance weight whose "
                                   "industries have data in this region and year")
    split_share: float | None = Field(None, description="Share (0–1) of the region's population from fractions of "
                                      "older NUTS regions split by population (1: the region's structure is an older "
                                      "region's)")
    rankable: bool | None = Field(None, description="The cell can be starred and ranked: employment known, coverage "
                                  "≥ 0.8 and split_share ≤ 0.5")
    caveat: str | None = Field(None, description="Why the cell cannot be ranked; null when rankable")
    region_no_data: bool = Field(False, description="The region is no-data at this level and year "
                                 "(region_data_quality): left out of rankings and headline figures")
    share_europe: float | None = None
    focus: float | None = None
    lq: float | None = Field(None, description="Location quotient")
    growth: float | None = Field(None, description="Compound annual growth of employment over `growth_window` years "
                                 "(rankable cells only)")
    growth_window: int | None = None
    growth_base_year: int | None = Field(None, description="The year growth is measured from")
    growth_yoy: float | None = Field(None, description="Growth on the year before (both cells rankable)")
    growth_break: bool | None = Field(None, description="A Eurostat break in series (flag b) lies inside the growth "
                                      "window")
    flags: str | None = Field(None, description="Eurostat flag letters on the cell's industries that year")
    wages: float | None = Field(None, description="Wages and salaries, million EUR; null unless every industry with "
                                "employment has its wages")
    productivity: float | None = Field(None, description="Wage per person employed, EUR")
    relative_productivity: float | None = None
    establishments: float | None = Field(None, description="Local units")
    avg_size: float | None = None


class MeasurePage(Paged):
    results: list[MeasureRow]


class DataQuality(Schema):
    traded_categories: int | None = Field(None, description="Traded categories mapped in the region")
    traded_with_data: int | None = Field(None, description="Of them, with employment")
    traded_rankable: int | None = Field(None, description="Of them, rankable (coverage ≥ 80%, not split)")
    split_share: float | None = Field(None, description="Share (0–1) of the region's population from fractions of "
                                      "older NUTS regions split by population")
    imputed_share: float | None = Field(None, description="Share (0–1) of the region's industry employment imputed")
    no_data: bool = Field(..., description="The region is no-data: grey on maps, out of rankings and headlines "
                          "(fewer than half of its traded categories rankable, or split by population)")
    no_data_reason: str | None = Field(None, description="Why the region is no-data; null otherwise")


class RegionCaveat(Schema):
    sector: str | None = Field(None, description="LFS activity aggregate compared (B-E, F, G-I, J, L, M_N, B-N_X_K)")
    sector_name: str | None = None
    sbs_employment: float | None = Field(None, description="SBS persons employed in the aggregate")
    lfs_employment: float | None = Field(None, description="LFS employment of the same aggregate and year")
    ratio: float | None = Field(None, description="SBS / LFS")
    flag: str | bool | None = Field(None, description="Why flagged (high / low)")
    caveat: str | None = Field(None, description="The caveat in words")


class RegionHeadline(Schema):
    kind: str = Field(..., description="Kind of categories counted: traded")
    stars_3: int
    stars_2: int
    stars_1: int
    starred: int = Field(..., description="Clusters with at least one star")
    clusters: int = Field(..., description="Cells counted: employment known and rankable")
    not_rankable: int = Field(..., description="Cells with employment left out (not rankable)")
    cells_without_data: int
    starred_employment: float
    employment: float = Field(..., description="Employment of the cells counted")
    starred_share: float | None = Field(None, description="Share of that employment in starred clusters")
    no_data: bool = Field(..., description="The region is no-data: left out of Europe's headline")


class RegionDetail(RegionOut):
    nuts_version: int
    children: list[str] = Field(..., description="Codes one level down")
    context: list[ContextIndicator] = Field(..., description="Regional context from Eurostat's NUTS-2 indicators "
                                                             "(NUTS 2016 codes, latest year of each)")
    scheme: str
    year: int
    version: str
    data_quality: DataQuality | None = Field(None, description="The region's row of region_data_quality at its "
                                             "level and the year; null when the version has none")
    caveats: list[RegionCaveat] = Field(..., description="Flagged SBS/LFS plausibility caveats (region_caveats), "
                                        "empty when none or when the version has no such table")
    headline: RegionHeadline | None = Field(None, description="The region's headline figures of traded categories "
                                            "(region_headlines)")
    starred_clusters: list[MeasureRow] = Field(..., description="Clusters with at least one star, most stars first")


class CategoryOut(Schema):
    category: str = Field(..., description="Category key, e.g. automotive")
    cmp_code: int | None = Field(None, description="US Cluster Mapping code; null for emerging industries")
    name: str
    kind: str = Field(..., description="traded, local or emerging")
    description: str | None = None
    status: str | None = Field(None, description="Data coverage: covered, partly covered or not covered (not mapped)")
    coverage_share: float | None = Field(None, description="Share of the category's industries the data hold")


class CategoryList(Schema):
    version: str
    count: int
    results: list[CategoryOut]


class CategoryDivision(Schema):
    division: str = Field(..., description="NACE Rev. 2 division feeding the category (Eurostat form), e.g. C29")
    name: str | None = Field(None, description="The division's NACE name")
    weight: float = Field(..., description="Concordance weight: share (0-1) of the division's employment assigned "
                          "to the category")
    classes: int = Field(..., description="Classes of the division with a weight in the category")
    division_us_employment: float | None = Field(None, description="US employment attributed to the division "
                                                 "(U.S. Census Bureau, County Business Patterns 2012)")
    us_employment: float | None = Field(None, description="US employment the category draws from the division: "
                                        "weight × division_us_employment")
    us_employment_share: float | None = Field(None, description="Share (0-1) of the category's US employment the "
                                              "division carries; null when the category has no US employment")
    in_sbs: bool = Field(..., description="The SBS business economy covers the division (sections B-N without K, "
                         "plus S95)")


class CategoryDivisions(Schema):
    version: str
    category: str
    name: str
    count: int
    results: list[CategoryDivision]


class CategoryDetail(CategoryOut):
    mapped: bool = Field(..., description="The category has cluster measures")
    scheme: str
    year: int
    level: int
    version: str
    regions: int = Field(..., description="Regions with a row for the category")
    regions_with_employment: int
    regions_ranked: int = Field(..., description="Regions whose cell can be ranked (rankable, region not no-data)")
    regions_not_ranked: int = Field(..., description="Regions with employment whose cell cannot be ranked")
    regions_by_stars: dict[str, int] = Field(..., description="Number of ranked regions by stars (\"0\"…\"3\"); "
                                             "regions without employment or not ranked are not counted")
    divisions: list[CategoryDivision] = Field(..., description="The NACE divisions feeding the category, largest "
                                              "share of its US employment first; empty when the dataset version "
                                              "has no category_divisions table")


# ---- views of the measures ---------------------------------------------------------------------------------------


class Portfolio(Schema):
    version: str
    region: str
    name: str | None
    level: int
    scheme: str
    year: int
    most_productive: list[MeasureRow]
    most_specialised: list[MeasureRow] = Field(..., description="Highest location quotients (traded)")
    largest: list[MeasureRow] = Field(..., description="Most employment (traded)")
    notes: list[str] = Field(..., description="Why a list is empty or shorter, and what was left out")
    data_quality: DataQuality | None = Field(None, description="The region's row of region_data_quality")
    count: int
    results: list[MeasureRow] = Field(..., description="Every category of the region")


class RankedRow(MeasureRow):
    rank: int | None = Field(None, description="1 = highest value of the measure; null when the value is missing, "
                             "the cell is not rankable or the region is no-data")


class CategoryRegions(Schema):
    version: str
    category: str
    name: str
    scheme: str
    year: int
    level: int
    measure: str
    note: str | None = Field(None, description="Why the list is empty")
    count: int
    results: list[RankedRow]


class StarCondition(Schema):
    test: str
    condition: str = Field(..., description="Readable condition, e.g. lq >= 2")
    measure: str
    op: str
    value: float | None = Field(None, description="The cluster's value; null when missing")
    threshold: float | None = Field(None, description="The threshold applied")
    passed: bool | None = Field(None, description="Whether the condition holds; null when skipped")
    skipped: bool


class StarTests(Schema):
    version: str
    region: str
    region_name: str | None
    category: str
    category_name: str
    scheme: str
    year: int
    level: int
    stars: int | None = Field(None, description="Null when the cell cannot be ranked (see `caveat`)")
    tests_evaluated: int | None
    rankable: bool | None = None
    caveat: str | None = Field(None, description="Why the cell cannot be ranked")
    coverage: float | None = None
    region_no_data: bool | None = Field(None, description="The region is no-data at this level and year")
    tests_passed: list[str]
    note: str | None = None
    conditions: list[StarCondition]


class MapProperties(Schema):
    code: str
    name: str | None = None
    country: str | None = None
    level: int
    category: str | None = None
    scheme: str
    year: int
    measure: str = Field(..., description="The measure in value, or starred_clusters without a category")
    value: float | None = Field(None, description="The measure's value; null with a no_data reason (a cell without "
                                "employment has no stars: null, never 0)")
    no_data: str | None = Field(None, description="Why value is null: no data, the cell not ranked (its caveat), "
                                "or a no-data region (its reason)")
    no_data_reason: str | None = Field(None, description="When the region is no-data (region_data_quality): why")
    region_no_data: bool = Field(..., description="The region is no-data at this level and year: grey, never ranked")
    in_statistics: bool = Field(..., description="False when the region has no cluster measures at this level and "
                                "year (outside the statistics)")
    categories_with_data: int | None = Field(None, description="Without a category: traded categories of the region "
                                             "with employment data")
    categories_not_ranked: int | None = Field(None, description="Without a category: of them, those that cannot be "
                                              "ranked (not counted)")
    categories_without_data: int | None = Field(None, description="Without a category: traded categories of the "
                                                "region without employment (not counted)")
    stars: int | None = Field(None, description="Stars of the cluster; null where employment is missing or the cell "
                              "cannot be ranked")
    employment: float | None = None
    imputed_share: float | None = None
    imputed: bool | None = None
    coverage: float | None = Field(None, description="With a category: the cell's coverage (0–1)")
    split_share: float | None = Field(None, description="With a category: the cell's split share (0–1)")
    rankable: bool | None = Field(None, description="With a category: the cell can be ranked")
    caveat: str | None = Field(None, description="With a category: why the cell cannot be ranked")
    lq: float | None = None
    focus: float | None = None
    share_europe: float | None = None
    growth: float | None = None
    productivity: float | None = None


class Feature(Schema):
    type: Literal["Feature"]
    id: str
    properties: MapProperties
    geometry: dict[str, Any]


class FeatureCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[Feature]


class Headline(Schema):
    version: str
    scheme: str
    level: int
    year: int
    kind: str = Field(..., description="Kind of categories counted (traded unless `kind` asks otherwise)")
    by_stars: dict[str, int] = Field(..., description="Clusters by stars (\"0\"…\"3\"), over the cells counted")
    starred: int = Field(..., description="Clusters with at least one star")
    starred_employment: float
    employment: float = Field(..., description="Employment of the cells counted")
    starred_share: float | None = Field(None, description="Share of that employment in starred clusters")
    clusters: int = Field(..., description="Cells counted: employment known, rankable, region not no-data")
    no_data: int = Field(..., description="Cells without employment (not counted)")
    not_rankable: int = Field(..., description="Cells with employment left out: not rankable or in a no-data region")
    regions: int = Field(..., description="Regions with at least one cell counted")
    excluded_regions: list[str] = Field(..., description="No-data regions left out")
    categories: int = Field(..., description="Categories with at least one cell counted")


# ---- provenance --------------------------------------------------------------------------------------------------


class VersionOut(Schema):
    version: str
    published: bool
    created_at: str | None = None
    parent_version: str | None = None


class VersionList(Schema):
    published: str = Field(..., description="The version the API serves")
    count: int
    results: list[VersionOut]


class SourceOut(Schema):
    source: str
    title: str
    file: str
    sha256: str
    bytes: int
    url: str | None = None
    publisher: str | None = None
    publisher_url: str | None = None
    licence: str | None = None
    citation: str | None = None


class SourceList(Schema):
    version: str
    count: int
    results: list[SourceOut]


# ---- history -----------------------------------------------------------------------------------------------------


class TimelineRow(Schema):
    year: int
    region: str
    category: str
    level: int
    scheme: str
    in_statistics: bool = Field(..., description="False when the cell has no row this year (every value null)")
    employment: float | None = Field(None, description="Persons employed; null when missing or confidential")
    imputed_share: float | None = Field(None, description="Part of employment from imputed cells (0–1)")
    coverage: float | None = Field(None, description="Share (0–1) of the category's concordance weight with data")
    rankable: bool | None = Field(None, description="The cell can be starred and ranked this year")
    caveat: str | None = Field(None, description="Why the cell cannot be ranked; null when rankable")
    region_no_data: bool = Field(False, description="The region is no-data this year (region_data_quality)")
    lq: float | None = Field(None, description="Location quotient")
    focus: float | None = Field(None, description="Share (0–1) of the region's traded employment")
    share_europe: float | None = Field(None, description="Share (0–1) of Europe's employment in the category")
    stars: int | None = Field(None, description="Tests of the scheme passed this year; null when not rankable")
    tests_evaluated: int | None = Field(None, description="Tests in the scheme (0 when the cell cannot be ranked)")
    tests_passed: list[str] = Field(..., description="Names of the tests passed (comma-separated in files)")
    productivity: float | None = Field(None, description="Wages per person employed, EUR")
    establishments: float | None = Field(None, description="Local units")
    avg_size: float | None = Field(None, description="Persons employed per local unit")
    wages: float | None = Field(None, description="Wages and salaries, million EUR (null in versions without them)")
    growth: float | None = Field(None, description="Compound annual growth of employment over `growth_window` years")
    growth_window: int | None = Field(None, description="Years the growth spans (the longest window of at most 5)")
    growth_yoy: float | None = Field(None, description="Growth on the previous year; null without the previous year")
    growth_break: bool | None = Field(None, description="A Eurostat break in series (flag b) on an input between the "
                                      "growth's base year and this year")
    flags: str | None = Field(None, description="Distinct Eurostat flag letters of the cell's inputs this year "
                              "(b break, p provisional, e estimated, u low reliability, d definition differs)")


class Timeline(Schema):
    version: str
    region: str
    region_name: str | None
    category: str
    category_name: str
    level: int
    scheme: str
    years: list[int] = Field(..., description="The years of the dataset version, one row each")
    count: int
    results: list[TimelineRow]
