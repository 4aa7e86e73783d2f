"""The scenario format: pydantic sections, the place types and the need levels.

Every number carries its provenance: the mapping that holds it has a ``source`` (a seed
document, a data file) or an ``assumption`` (with how it was derived). Reading files,
``extends:`` and error reporting live in :mod:`optimizer.scenario`; this module is only the shape.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

TYPES = ("closed", "hybrid", "open")
NEEDS = ("secure", "hybrid", "open")
PlaceType = Literal["closed", "hybrid", "open"]
Need = Literal["secure", "hybrid", "open"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(Strict):
    """Where a number comes from: exactly one of a source or an assumption."""

    source: str | None = None
    assumption: str | None = None

    @model_validator(mode="after")
    def _one_provenance(self):
        if not (self.source or self.assumption):
            raise ValueError("needs a 'source' (document, data file) or an 'assumption'")
        return self

    @property
    def provenance(self) -> str:
        return self.source or ""


class Quantity(Provenance):
    value: float


class ByYear(Provenance):
    values: dict[int, float]


class ByType(Provenance):
    values: dict[PlaceType, float]


class ByRegionYear(Provenance):
    values: dict[str, int]


class NeedShares(Provenance):
    values: dict[int, dict[Need, float]]

    @model_validator(mode="after")
    def _sum_to_one(self):
        for year, shares in self.values.items():
            total = sum(shares.values())
            if abs(total - 1.0) > 1e-6:
                raise ValueError(f"need shares for {year} sum to {total:g}, expected 1")
            if any(v < 0 for v in shares.values()):
                raise ValueError(f"need shares for {year} must not be negative")
        return self


class Planning(Provenance):
    start_year: int = Field(description="the existing situation the plan starts from")
    first_year: int
    last_year: int
    discount_rate: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _order(self):
        if not self.start_year < self.first_year <= self.last_year:
            raise ValueError("expected start_year < first_year <= last_year")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class Zones(Strict):
    kind: Literal["bundled", "csv"] = "bundled"
    regions: list[str] = ["WBW", "WBO", "Zeeland"]
    csv: str | None = None
    geojson: str | None = None

    @model_validator(mode="after")
    def _csv_given(self):
        if self.kind == "csv" and not self.csv:
            raise ValueError("zones.kind 'csv' needs a 'csv' path")
        return self


class ArrivalsByYear(Provenance):
    """Youths admitted per year, by need level: ``{year: {need: arrivals}}``."""

    values: dict[int, dict[Need, float]]

    @model_validator(mode="after")
    def _every_need(self):
        for year, by_need in self.values.items():
            missing = [n for n in NEEDS if n not in by_need]
            if missing:
                raise ValueError(f"arrivals for {year} miss need(s) {missing}; give 0 for none")
            if any(v < 0 for v in by_need.values()):
                raise ValueError(f"arrivals for {year} must not be negative")
        return self


class StayByNeed(Provenance):
    """Mean length of stay in days per need level (a year counts 365 days).

    ``values`` holds for every region; ``by_region`` replaces it for the regions it names, for
    each need it gives (a region whose youths stay longer, say, for lack of follow-up care).
    """

    values: dict[Need, float]
    by_region: dict[str, dict[Need, float]] = {}

    @model_validator(mode="after")
    def _every_need(self):
        missing = [n for n in NEEDS if n not in self.values]
        if missing:
            raise ValueError(f"mean stay misses need(s) {missing}")
        stays = [*self.values.values()] + [v for d in self.by_region.values() for v in d.values()]
        if any(v <= 0 for v in stays):
            raise ValueError("mean stay must be more than 0 days")
        return self

    def for_region(self, region: str) -> dict[str, float]:
        """Stay per need in ``region``: the common values with the region's own on top."""
        return {**self.values, **self.by_region.get(region, {})}


DEMAND_FORMS = ("totals", "totals_by_region", "arrivals_by_region", "table_csv")


class Demand(Strict):
    """Demand in one of four forms (see DEMAND_FORMS).

    ``arrivals_by_region`` with ``mean_stay_days`` gives the offered load a = arrivals per year x
    mean stay in days / 365 average occupied beds per region and need (Little's law).
    """

    totals: ByYear | None = None
    totals_by_region: dict[str, ByYear] | None = None
    arrivals_by_region: dict[str, ArrivalsByYear] | None = None
    mean_stay_days: StayByNeed | None = None
    need_shares: NeedShares | None = None
    key: Literal["population", "csv"] = "population"
    key_csv: str | None = None
    table_csv: str | None = None

    @model_validator(mode="after")
    def _complete(self):
        given = [form for form in DEMAND_FORMS if getattr(self, form) is not None]
        if len(given) != 1:
            got = f"got {', '.join(given)}" if given else "got none"
            raise ValueError(
                f"give exactly one of {', '.join(DEMAND_FORMS)} ({got}); "
                "a variant removes its parent's form by setting it to null"
            )
        if given[0] in ("totals", "totals_by_region") and self.need_shares is None:
            raise ValueError("'need_shares' is required with totals")
        if given[0] == "arrivals_by_region":
            if self.mean_stay_days is None:
                raise ValueError("'arrivals_by_region' needs 'mean_stay_days' per need")
            if self.need_shares is not None:
                raise ValueError(
                    "'need_shares' does not apply to arrivals (they are given per need); "
                    "remove it ('need_shares: null' in a variant)"
                )
        elif self.mean_stay_days is not None:
            raise ValueError("'mean_stay_days' only applies with 'arrivals_by_region'")
        if self.key == "csv" and not self.key_csv:
            raise ValueError("key 'csv' needs a 'key_csv' path (columns gm_code, weight)")
        for v in (self.totals.values if self.totals else {}).values():
            if v < 0:
                raise ValueError("demand totals must not be negative")
        for by_year in (self.totals_by_region or {}).values():
            if any(v < 0 for v in by_year.values.values()):
                raise ValueError("demand totals must not be negative")
        return self


class PlaceTypeSpec(Provenance):
    group_size: int = Field(gt=0)
    occupancy_target: float = Field(gt=0, le=1)
    max_km: float = Field(gt=0)
    max_minutes: float = Field(gt=0)
    min_groups_if_open: int = Field(ge=1, default=1)


class Education(Provenance):
    on_site: bool = False
    school: str | None = Field(default=None, description="place_id of the nearest suitable school")
    school_km: float | None = Field(default=None, ge=0)


class Site(Provenance):
    name: str
    gm_code: str | None = None
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    allowed_types: list[PlaceType]
    max_groups: int = Field(ge=0)
    existing: dict[PlaceType, int] = {}
    education: Education

    @model_validator(mode="after")
    def _existing_fits(self):
        if sum(self.existing.values()) > self.max_groups:
            raise ValueError("existing groups exceed max_groups")
        if any(v < 0 for v in self.existing.values()):
            raise ValueError("existing groups must not be negative")
        return self


class FixedLink(Provenance):
    name: str
    between: tuple[str, str]
    extra_minutes: float = Field(ge=0, default=0.0)
    km: float | None = Field(default=None, gt=0)


class WaterBorder(Provenance):
    between: tuple[str, str]
    water: str


class Travel(Provenance):
    method: Literal["land_graph", "straight_line", "matrix"] = "land_graph"
    detour_factor: float = Field(ge=1.0)
    speed_kmh: float = Field(gt=0)
    matrix_csv: str | None = None
    fixed_links: list[FixedLink] = []
    water_borders: list[WaterBorder] = []

    @model_validator(mode="after")
    def _matrix_given(self):
        if self.method == "matrix" and not self.matrix_csv:
            raise ValueError("method 'matrix' needs 'matrix_csv' (gm_code, site_id, km, minutes)")
        return self


class Costs(Strict):
    running_eur_per_place_year: ByType
    site_eur_per_year: Quantity
    setup_new_eur_per_group: ByType
    setup_conversion_eur_per_group: ByType
    friction_eur_per_group_year: ByType
    friction_years: Quantity
    free_group_removals_per_year: Quantity
    travel_eur_per_bed_km_year: Quantity
    school_transport_eur_per_bed_km_year: Quantity
    restrictiveness_eur_per_bed_year_per_level: Quantity
    unmet_eur_per_bed_year: Quantity


class Compatibility(Provenance):
    secure: list[PlaceType]
    hybrid: list[PlaceType]
    open: list[PlaceType]

    def types_for(self, need: str) -> list[str]:
        return list(getattr(self, need))


class EducationPolicy(Provenance):
    max_school_km: float = Field(ge=0)


class MinPlaces(Provenance):
    name: str
    years: list[int]
    types: list[PlaceType]
    places: int = Field(ge=0)
    reserve: bool = Field(
        default=False, description="a safety net: the report shows what these places buy"
    )


class FixedGroups(Provenance):
    site: str
    type: PlaceType
    years: list[int]
    groups: int = Field(ge=0)


class Policy(Strict):
    budget_eur_per_year: ByYear | None = None
    max_closed_places: ByYear | None = None
    hybrid_site_required_from: ByRegionYear | None = None
    min_places: list[MinPlaces] = []
    fixed_groups: list[FixedGroups] = []


class Pool(Provenance):
    """Sites whose places of the listed types are shared as one Erlang loss pool.

    A youth refused at one member site is admitted at another, so the pool's places together
    carry its load (for example two locations of one provider a short drive apart).
    """

    sites: list[str] = Field(min_length=1)
    types: list[PlaceType] = list(TYPES)


class ServiceLevel(Provenance):
    """Size capacity with the Erlang loss model instead of a flat occupancy target.

    Without ``pools`` every site and place type is its own pool.
    """

    max_refusal_probability: float = Field(gt=0, lt=1)
    pools: dict[str, Pool] = {}


class Settlement(Provenance):
    """The contract a settlement is made on: places per type in one year (tariffs: running cost).

    ``key`` says how the cost is shared among municipalities: by ``population``; by agreed
    ``shares`` (``key_csv`` with columns gm_code, weight; the weights must sum to 1); or by any
    ``weights`` such as care days used in past years (``key_csv``; shares in proportion).
    """

    year: int
    contract_places: dict[PlaceType, int]
    key: Literal["population", "shares", "weights"] = "population"
    key_csv: str | None = None

    @model_validator(mode="after")
    def _key_file(self):
        if (self.key == "population") != (self.key_csv is None):
            raise ValueError(
                "key 'shares' or 'weights' needs a 'key_csv' (columns gm_code, weight); "
                "key 'population' takes none"
            )
        return self


class Solver(Provenance):
    time_limit_s: float = Field(gt=0)
    mip_rel_gap: float = Field(ge=0, le=1)


class Scenario(Strict):
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    description: str = ""
    extends: str | None = None
    planning: Planning
    zones: Zones = Zones()
    demand: Demand
    place_types: dict[PlaceType, PlaceTypeSpec]
    compatibility: Compatibility
    education: EducationPolicy
    sites: dict[str, Site]
    travel: Travel
    costs: Costs
    policy: Policy = Policy()
    solver: Solver
    service_level: ServiceLevel | None = None
    settlement: Settlement | None = None
    reference_figures: dict[str, Quantity] = {}

    @model_validator(mode="after")
    def _all_types(self):
        missing = [t for t in TYPES if t not in self.place_types]
        if missing:
            raise ValueError(f"place_types must define {', '.join(TYPES)}; missing {missing}")
        return self
