"""The scenario format: pydantic sections, the place types and the need levels.

Every number carries its provenance: the mapping that holds it has a ``source`` (a seed
document, a data file) or an ``assumption`` (with how it was derived). Reading files,
``extends:`` and error reporting live in :mod:`optimizer.scenario`; this module is only the shape.
Every field has a ``description`` (ending in ``Unit: ….`` where it has a unit) and every model a
docstring: :mod:`optimizer.schema_docs` renders them as ``configs/README.md``.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

TYPES = ("closed", "hybrid", "open")
NEEDS = ("secure", "hybrid", "open")
PlaceType = Literal["closed", "hybrid", "open"]
Need = Literal["secure", "hybrid", "open"]
#: Kinds of school in the bundled schools (geodata schools.csv; ``geodata.SCHOOL_KINDS``).
SchoolKind = Literal["vo", "practical", "vso_cluster4", "vso_other", "jzplus_school"]


class Strict(BaseModel):
    """Base of every section: a key the schema does not know is an error, so typos are caught."""

    model_config = ConfigDict(extra="forbid")


class Provenance(Strict):
    """Where the numbers of a mapping come from: a source, an assumption, or both (at least one)."""

    source: str | None = Field(
        default=None,
        description="The document (and section) or data file the numbers of this mapping are "
        "taken from, for example 'plan §3.1.2' or 'geodata population.csv'.",
    )
    assumption: str | None = Field(
        default=None,
        description="How the numbers of this mapping were chosen or derived where no document "
        "gives them: the reasoning and the figures used, so that a reader can check or replace "
        "them.",
    )

    @model_validator(mode="after")
    def _one_provenance(self):
        if not (self.source or self.assumption):
            raise ValueError("needs a 'source' (document, data file) or an 'assumption'")
        return self

    @property
    def provenance(self) -> str:
        return self.source or ""


class Quantity(Provenance):
    """One number with its provenance."""

    value: float = Field(
        description="The number, in the unit of the field that holds it (for a reference figure, "
        "the unit its name gives)."
    )


class ByYear(Provenance):
    """Numbers per calendar year, with their provenance."""

    values: dict[int, float] = Field(
        description="One number per year, the year as key (`2026: 21.6`); the field that holds it "
        "says which years are needed and the unit."
    )


class ByType(Provenance):
    """Numbers per place type (closed, hybrid, open), with their provenance."""

    values: dict[PlaceType, float] = Field(
        description="One number per place type, in the unit of the field that holds it; give all "
        "three types, the model looks each one up."
    )


class ByRegionYear(Provenance):
    """A year per region, with its provenance."""

    values: dict[str, int] = Field(
        description="For each region (named as in the zones), a year. Unit: year."
    )


class NeedShares(Provenance):
    """How total demand splits over the three need levels, year by year."""

    values: dict[int, dict[Need, float]] = Field(
        description="For each year, the share of demand with each need level; a year's shares "
        "sum to 1 and none is negative, a need left out counts as 0. Every planning year needs "
        "an entry. Unit: share (0-1)."
    )

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
    """The planning horizon, and how much less a cost in a later year counts."""

    start_year: int = Field(
        description="The year of the existing situation the plan starts from: "
        "`sites.<site id>.existing` gives the groups of this year. Before `first_year`. "
        "Unit: year."
    )
    first_year: int = Field(
        description="First year the plan decides on; costs are discounted to this year. Unit: year."
    )
    last_year: int = Field(
        description="Last year the plan decides on (included; may equal `first_year`). Unit: year."
    )
    discount_rate: float = Field(
        ge=0,
        le=1,
        description="Yearly rate by which later costs count less: a cost in year t is weighed "
        "by (1 + rate)^-(t - first_year); 0.0225 is 2.25 %. Unit: per year (fraction).",
    )

    @model_validator(mode="after")
    def _order(self):
        if not self.start_year < self.first_year <= self.last_year:
            raise ValueError("expected start_year < first_year <= last_year")
        return self

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))


class Zones(Strict):
    """The zones youths come from (municipalities) and the region each belongs to."""

    kind: Literal["bundled", "national", "csv"] = Field(
        default="bundled",
        description="`bundled`: the municipalities of WBW, WBO and Zeeland shipped with jzplan "
        "(CBS/PDOK boundaries 2025, with population); `national`: all 342 municipalities of 2025 "
        "in their 42 youth-care regions (CBS jeugdregio 2025, geodata national/; their polygons "
        "are approximate cells, so use `travel.method: straight_line`); `csv`: the zones in the "
        "file `csv`.",
    )
    regions: list[str] = Field(
        default=["WBW", "WBO", "Zeeland"],
        description="With `kind: bundled`, the regions whose municipalities are the zones (any of "
        "WBW, WBO, Zeeland). With `kind: national`, the jeugdregio's by CBS name (such as "
        "`Zeeland`, `West Brabant West`); every one of the 42 when the field is not given. Not "
        "used with `kind: csv`, where the file gives each zone's region.",
    )

    def national_regions(self) -> list[str] | None:
        """With ``kind: national``, the regions asked for; None: every region (the field not
        given, or the three-region default a resolved scenario.yaml writes back)."""
        default = type(self).model_fields["regions"].default
        return (
            None
            if "regions" not in self.model_fields_set or self.regions == default
            else (self.regions)
        )

    csv: str | None = Field(
        default=None,
        description="Path of the zones file, required with `kind: csv` (see User files).",
    )
    geojson: str | None = Field(
        default=None,
        description="With `kind: csv`, optional path of a GeoJSON file with the zones' polygons "
        "(a `gm_code` property per feature). Needed for `travel.method: land_graph` and to find a "
        "site's zone from its coordinates; without it zones are points.",
    )

    @model_validator(mode="after")
    def _csv_given(self):
        if self.kind == "csv" and not self.csv:
            raise ValueError("zones.kind 'csv' needs a 'csv' path")
        return self


class ArrivalsByYear(Provenance):
    """Youths admitted per year, by need level: ``{year: {need: arrivals}}``."""

    values: dict[int, dict[Need, float]] = Field(
        description="For each year, the youths admitted with each need level; all three needs "
        "are given (0 for none), none is negative, and every planning year needs an entry. "
        "Unit: youths admitted per year."
    )

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

    values: dict[Need, float] = Field(
        description="Mean stay per need level in every region; all three needs are given, each "
        "more than 0. Unit: days."
    )
    by_region: dict[str, dict[Need, float]] = Field(
        default={},
        description="Per region (named as in the zones), the mean stay for the needs it names, "
        "in place of `values`; each more than 0. Unit: days.",
    )

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


class YouthKey(Provenance):
    """The youth key: each zone weighs ``share_0_14`` × its inhabitants aged 0-14 plus
    ``share_15_24`` × those aged 15-24 (CBS age bands of 1 January 2024, the bundled PC4 table
    summed per municipality; CBS gives no 12-17 band)."""

    share_0_14: float = Field(
        ge=0,
        le=1,
        description="Share of the 0-14 band counted, e.g. 0.2 for the ages 12-14 (3 of its 15 "
        "one-year ages). Unit: share of the age band (0-1).",
    )
    share_15_24: float = Field(
        ge=0,
        le=1,
        description="Share of the 15-24 band counted, e.g. 0.3 for the ages 15-17 (3 of its 10 "
        "one-year ages). Unit: share of the age band (0-1).",
    )

    @model_validator(mode="after")
    def _some_weight(self):
        if self.share_0_14 == 0 and self.share_15_24 == 0:
            raise ValueError("the youth key needs share_0_14 or share_15_24 above 0")
        return self


DEMAND_FORMS = ("totals", "totals_by_region", "arrivals_by_region", "table_csv")


class Demand(Strict):
    """Demand in average occupied beds per zone, need level and year, in one of four forms.

    Give exactly one of ``totals``, ``totals_by_region``, ``arrivals_by_region`` and
    ``table_csv``; a variant switches form by setting its parent's to ``null``.
    Totals and arrivals are spread over the zones by ``key``, exactly to 1/10,000 bed.
    ``arrivals_by_region`` with ``mean_stay_days`` gives the offered load a = arrivals per year x
    mean stay in days / 365 average occupied beds per region and need (Little's law).
    """

    totals: ByYear | None = Field(
        default=None,
        description="Form 1: average occupied beds per year for all zones and needs together, "
        "split into needs by `need_shares` and over the zones by `key`; every planning year "
        "needs a value. Unit: average occupied beds.",
    )
    totals_by_region: dict[str, ByYear] | None = Field(
        default=None,
        description="Form 2: as `totals`, per region (named as in the zones); each region given "
        "needs every planning year, a region left out has no demand. "
        "Unit: average occupied beds.",
    )
    arrivals_by_region: dict[str, ArrivalsByYear] | None = Field(
        default=None,
        description="Form 3: youths admitted per year and need level, per region; every region "
        "of the zones is given (zeros for none). Needs `mean_stay_days`, takes no "
        "`need_shares`. Unit: youths admitted per year.",
    )
    mean_stay_days: StayByNeed | None = Field(
        default=None,
        description="Mean length of stay per need level; required with `arrivals_by_region` and "
        "allowed only with it. Unit: days.",
    )
    need_shares: NeedShares | None = Field(
        default=None,
        description="Split of `totals` or `totals_by_region` into need levels per year: required "
        "with those forms, not allowed with `arrivals_by_region`, not used with `table_csv`. "
        "Unit: share (0-1).",
    )
    key: Literal["population", "youth", "csv"] = Field(
        default="population",
        description="How totals and arrivals are spread over the zones of the area or region: by "
        "`population` (CBS, 1 January 2024, for the bundled zones; every zone then needs one), by "
        "`youth` (the age bands weighed by `youth_key`; bundled zones only) or by the weights in "
        "`key_csv` (`csv`). Not used with `table_csv`.",
    )
    youth_key: YouthKey | None = Field(
        default=None,
        description="How much of each CBS age band the youth key counts; required with "
        "`key: youth` and allowed only with it.",
    )
    key_csv: str | None = Field(
        default=None,
        description="Path of the weights file (columns gm_code, weight), required with `key: csv`.",
    )
    table_csv: str | None = Field(
        default=None,
        description="Form 4: path of a file with the demand itself per year, zone and need "
        "(average occupied beds); pairs not listed have none, years outside the plan are ignored.",
    )

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
        if (self.key == "youth") != (self.youth_key is not None):
            raise ValueError(
                "key 'youth' needs a 'youth_key' (share_0_14, share_15_24) and another key takes "
                "none ('youth_key: null' in a variant)"
            )
        for v in (self.totals.values if self.totals else {}).values():
            if v < 0:
                raise ValueError("demand totals must not be negative")
        for by_year in (self.totals_by_region or {}).values():
            if any(v < 0 for v in by_year.values.values()):
                raise ValueError("demand totals must not be negative")
        return self


class PlaceTypeSpec(Provenance):
    """One place type: its group size, occupancy, how far youths may travel to it, critical mass."""

    group_size: int = Field(
        gt=0,
        description="Places in one group; a site runs whole groups. Unit: places per group.",
    )
    occupancy_target: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="Share of a group's places that may be occupied on average, leaving room "
        "for peaks; required with `capacity_rule: occupancy` and not used otherwise (the Erlang "
        "loss model sizes capacity). Unit: share of places (0-1).",
    )
    max_km: float = Field(
        gt=0,
        description="Longest trip from a youth's home zone to a site of this type; a site "
        "farther away is not considered for it. Unit: km.",
    )
    max_minutes: float = Field(
        gt=0,
        description="Longest travel time from a youth's home zone to a site of this type; both "
        "this and `max_km` must hold. Unit: minutes.",
    )
    min_groups_if_open: int = Field(
        ge=1,
        default=1,
        description="Critical mass: a site that runs this type at all runs at least this many "
        "groups of it. Unit: groups.",
    )
    min_group_years: int = Field(
        ge=1,
        default=1,
        description="A group added in a year stays at least this many years (staff are hired "
        "and a location fitted for it); 1 allows a group for a single year. Unit: years.",
    )
    fte_per_group: float = Field(
        ge=0,
        default=0.0,
        description="Staff one group needs, in full-time equivalents; counts against "
        "`policy.max_recruit_fte_per_year` when a group is added (a converted closed group "
        "keeps its staff). Unit: FTE per group.",
    )


class OnSiteOffer(Provenance):
    """Education the site can start on its own grounds (the Plein3 model, plan §3.2.2): an option
    the model takes only where it pays, with its set-up and yearly cost."""

    setup_eur: float = Field(
        ge=0, description="One-off cost of starting education on the site. Unit: EUR."
    )
    eur_per_year: float = Field(
        ge=0,
        description="Yearly cost of the education while it teaches the site's youths (teachers "
        "and rooms beyond what the school funding pays). Unit: EUR per year.",
    )
    capacity_pupils: float | None = Field(
        default=None,
        ge=0,
        description="Most of the site's youths it teaches at once; empty: all of them. Unit: "
        "average occupied beds.",
    )
    min_pupils: float = Field(
        default=0,
        ge=0,
        description="Pupils it needs to keep going; below it the model stops it. Unit: average "
        "occupied beds.",
    )


class Education(Provenance):
    """How the youths at one site get to school: on site, at a named school, a given distance, or
    (none of these) the nearest bundled school of a kind that suits each place type.

    The nearest school per type is found with ``education.school_kinds`` among the bundled
    schools (geodata schools.csv, DUO addresses of 22 November 2024); without ``school_kinds`` a
    site that gives none of the three has no school. A type whose school is farther than
    ``education.max_school_km`` (or that has none) runs no groups at the site.
    """

    on_site: bool = Field(
        default=False,
        description="Education is given at the site itself: the school distance is 0, so no "
        "school transport is paid.",
    )
    school: str | None = Field(
        default=None,
        description="`school_id` (DUO BRIN + vestiging, e.g. `02RH15`) of a bundled school "
        "(geodata schools.csv) the site's youths attend, whatever its kind, for every type; its "
        "distance is found like a trip (over the land graph when that is the travel method and "
        "the school lies in the area, else straight line × `travel.detour_factor`). With "
        "`on_site` or `school_km` only its name is used.",
    )
    school_km: float | None = Field(
        default=None,
        ge=0,
        description="Distance from the site to its school where it is known; used instead of "
        "computing it from `school` (not with `on_site`). Unit: km.",
    )
    offer_on_site: OnSiteOffer | None = Field(
        default=None,
        description="Education the site may start on its own grounds, with its costs (also "
        "beside a school on site, as its successor); the model chooses it, the site's own "
        "school or a suitable school within `education.max_school_km`.",
    )


class Site(Provenance):
    """A location that can run groups: an existing provider site or a candidate location."""

    name: str = Field(description="Name shown in the reports, the map and the explanations.")
    name_nl: str | None = Field(
        default=None,
        description="The name in Dutch pages (`--lang nl`: map, report, fact sheets, workbook); "
        "empty: `name`.",
    )
    gm_code: str | None = Field(
        default=None,
        description="Code of the zone (municipality) the site lies in, such as GM0873. Optional "
        "when the zones have polygons (it is then found from the coordinates); required when "
        "they have none.",
    )
    lat: float = Field(
        ge=-90,
        le=90,
        description="Latitude of the site; it must lie in (or within 2 km of) a zone of the "
        "area when zones have polygons. Unit: degrees latitude (WGS 84).",
    )
    lon: float = Field(
        ge=-180, le=180, description="Longitude of the site. Unit: degrees longitude (WGS 84)."
    )
    allowed_types: list[PlaceType] = Field(description="Place types the site may run.")
    max_groups: int = Field(
        ge=0, description="Most groups the site can hold, all types together. Unit: groups."
    )
    existing: dict[PlaceType, int] = Field(
        default={},
        description="Groups per place type at the site in `planning.start_year`, together at "
        "most `max_groups`; a type left out has none. Groups of a type the site may not run "
        "(or without school access) close in the first year. Unit: groups.",
    )
    education: Education = Field(
        description="School access of the site's youths; it decides whether the site may run "
        "groups at all (`education.max_school_km`)."
    )
    earliest_year: int | None = Field(
        default=None,
        description="First year groups can be added at the site (the lead time of fitting out "
        "a location and hiring staff); by default the first plan year. Unit: year.",
    )
    min_open_years: int = Field(
        ge=1,
        default=1,
        description="A site that opens (or reopens) in the plan stays open at least this many "
        "years, or to the end of the plan years. Unit: years.",
    )
    provider: str = Field(
        default="Almata",
        description="The care provider that runs the site's groups (plan §3.1: Almata, the sole "
        "contracted provider); its revenue and viability are reported per provider "
        "(`providers`).",
    )

    @model_validator(mode="after")
    def _existing_fits(self):
        if sum(self.existing.values()) > self.max_groups:
            raise ValueError("existing groups exceed max_groups")
        if any(v < 0 for v in self.existing.values()):
            raise ValueError("existing groups must not be negative")
        return self


class CandidateSite(Provenance):
    """The site settings every generated candidate gets (as `sites.<site id>` without
    `existing`: a generated candidate has no groups in the start year)."""

    allowed_types: list[PlaceType] = Field(
        min_length=1, description="Place types a generated candidate may run."
    )
    max_groups: int = Field(
        ge=1, description="Most groups a generated candidate can hold, all types. Unit: groups."
    )
    earliest_year: int | None = Field(
        default=None,
        description="First year groups can be added at a generated candidate; by default the "
        "first plan year. Unit: year.",
    )
    min_open_years: int = Field(
        ge=1,
        default=1,
        description="A generated candidate that opens stays open at least this many years, or "
        "to the end of the plan. Unit: years.",
    )
    education: Education | None = Field(
        default=None,
        description="School access of every generated candidate. Left out: with bundled zones "
        "the nearest school of a suitable kind (`education.school_kinds`), as for a listed "
        "site; with national zones the road distance (straight line × `travel.detour_factor`) "
        "to the nearest school of geodata national/schools.csv (special secondary with cluster "
        "4 or a residential RP- code), given as `school_km`.",
    )
    provider: str = Field(
        default="Almata", description="The care provider that would run the candidate's groups."
    )


class Candidates(Provenance):
    """Candidate sites generated by a rule instead of listed one by one: one per zone (or per
    PC4 area) that passes the filters. A generated candidate in a zone (municipality) that
    already has a listed site is skipped: the listed site keeps its state and no second site
    is made there."""

    at: Literal["zones", "pc4"] = Field(
        default="zones",
        description="`zones`: a candidate at every zone's point (id `<id_prefix><gm_code>`); "
        "`pc4`: at every postcode-4 area's point (id `<id_prefix><pc4>`), with bundled or "
        "national zones only.",
    )
    regions: list[str] | None = Field(
        default=None,
        description="Only zones (PC4 areas) of these regions; by default every region of the "
        "zones.",
    )
    min_population: int | None = Field(
        default=None,
        ge=0,
        description="Only zones (PC4 areas) with at least this many inhabitants (the zones' or "
        "PC4's population); by default no limit. Unit: inhabitants.",
    )
    near_school_km: float | None = Field(
        default=None,
        gt=0,
        description="Only points within this road distance (straight line × "
        "`travel.detour_factor`) of a suitable school: with bundled zones a located school "
        "of a kind in `school_kinds`, with national zones any school of geodata "
        "national/schools.csv; by default no limit. Unit: km.",
    )
    school_kinds: list[SchoolKind] = Field(
        default=["vso_cluster4", "jzplus_school"],
        description="With bundled zones and `near_school_km`, the kinds of bundled school that "
        "count as suitable.",
    )
    id_prefix: str = Field(
        default="cand_",
        pattern=r"^[A-Za-z][A-Za-z0-9_]*$",
        description="Start of every generated site id: a letter, then letters, digits or `_`.",
    )
    site: CandidateSite = Field(description="Settings every generated candidate gets.")


class FixedLink(Provenance):
    """A road connection between two zones that do not touch on land (tunnel, bridge, dam, a road
    abroad), or a named one between zones that do: an edge of the land graph."""

    name: str = Field(description="Name of the link, listed with every trip that uses it.")
    between: tuple[str, str] = Field(description="The two zone codes (gm_code) it joins.")
    extra_minutes: float = Field(
        ge=0,
        default=0.0,
        description="Minutes added to a trip that uses the link (toll plaza, congestion). "
        "Unit: minutes.",
    )
    km: float | None = Field(
        default=None,
        gt=0,
        description="Length of the whole edge between the two zone points, at least the straight "
        "line between them (a road abroad, say); not with `link`. When both are left out, "
        "straight line × `detour_factor`. Unit: km.",
    )
    link: str | None = Field(
        default=None,
        description="`link_id` of the crossing in the bundled fixed links (geodata "
        "fixed_links.csv, e.g. `westerscheldetunnel`): the edge is then the crossing's length "
        "from that file plus the rest of the straight line × `detour_factor`; not with `km`.",
    )

    @model_validator(mode="after")
    def _one_length(self):
        if self.km is not None and self.link is not None:
            raise ValueError(
                f"fixed link {self.name!r}: give 'km' (the whole edge) or 'link' (a bundled "
                "crossing whose length is in geodata fixed_links.csv), not both"
            )
        return self


class WaterBorder(Provenance):
    """Two zones whose polygons touch across water without a road: the land graph does not join
    them."""

    between: tuple[str, str] = Field(description="The two zone codes (gm_code) not to join.")
    water: str = Field(description="Name of the water between them, for the reader only.")


class Travel(Provenance):
    """How the distance (km) and travel time (minutes) from every zone to every site are found."""

    method: Literal["land_graph", "straight_line", "matrix"] = Field(
        default="land_graph",
        description="`land_graph`: shortest paths over the zones that touch on land, plus "
        "`fixed_links`, less `water_borders` (needs zone polygons); `straight_line`: the straight "
        "line × `detour_factor`; `matrix`: your own table in `matrix_csv`.",
    )
    detour_factor: float = Field(
        ge=1.0,
        description="Road distance per straight-line distance, at least 1: used on every edge "
        "and leg of the land graph (outside a bundled crossing's own length), for straight "
        "lines, and for school distances found without the land graph. "
        "Unit: ratio (road km / straight km).",
    )
    speed_kmh: float = Field(
        gt=0,
        description="Average door-to-door speed that turns km into minutes (not used with "
        "`matrix`). Unit: km per hour.",
    )
    matrix_csv: str | None = Field(
        default=None,
        description="Path of the travel matrix, required with `method: matrix` (see User "
        "files); a zone and site not listed together cannot be assigned to each other.",
    )
    fixed_links: list[FixedLink] = Field(
        default=[], description="Links added to the land graph (only with `land_graph`)."
    )
    water_borders: list[WaterBorder] = Field(
        default=[],
        description="Borders across water taken out of the land graph (only with `land_graph`).",
    )

    @model_validator(mode="after")
    def _matrix_given(self):
        if self.method == "matrix" and not self.matrix_csv:
            raise ValueError("method 'matrix' needs 'matrix_csv' (gm_code, site_id, km, minutes)")
        return self


class Costs(Strict):
    """Prices in EUR, undiscounted; the plan minimises their discounted sum over the plan years.

    Cash is what is paid: running, site, set-up, friction, exit (redundancy, site exit,
    write-off), project and school transport, and travel only with ``travel_reimbursed``. Travel
    (otherwise), restrictiveness and the prices of `unmet` and `overflow` are policy weights of
    the objective only; the run reports cash and weights apart. A budget
    (``policy.budget_eur_per_year``) counts the municipalities' own cash: cash less what
    `funding` pots pay.
    """

    running_eur_per_place_year: ByType = Field(
        description="Running cost per place and year of each type the contract does not price "
        "(a subsidy-based or estimated cost; `settlement.day_tariff_eur` or "
        "`settlement.tariff_from_advance` price the others, and a type takes its running cost "
        "from one of the two, never both), paid for every place of every group that runs, "
        "occupied or not. Unit: EUR per place per year."
    )
    site_eur_per_year: Quantity = Field(
        description="Cost of keeping a site open (running at least one group) for a year. "
        "Unit: EUR per year."
    )
    setup_new_eur_per_group: ByType = Field(
        description="One-off cost of adding a group of the type. Unit: EUR per group."
    )
    setup_conversion_eur_per_group: ByType = Field(
        description="One-off cost, in place of `setup_new_eur_per_group`, of a hybrid or open "
        "group added where a closed group is removed at the same site in the same year. "
        "Unit: EUR per group."
    )
    friction_eur_per_group_year: ByType = Field(
        description="Cost per year, during `friction_years`, of a removed group (vacancy, staff) "
        "beyond the free removals; a closed group converted at its site carries none. "
        "Unit: EUR per removed group per year."
    )
    friction_years: Quantity = Field(
        description="Years friction is paid after a removal (rounded to whole years), also past "
        "the last plan year. Unit: years."
    )
    free_group_removals_per_year: Quantity = Field(
        description="Groups of each type that may be removed each year without friction cost "
        "(natural staff turnover). Unit: groups per year."
    )
    travel_eur_per_bed_km_year: Quantity = Field(
        description="Cost per occupied bed and km of the one-way trip from the youth's home zone "
        "to the site, per year (family visits); not cash. Unit: EUR per bed-km per year."
    )
    school_transport_eur_per_bed_km_year: Quantity = Field(
        description="Cost per occupied bed and km from the site to its school, per year (none "
        "for a school on site); counted as cash. Unit: EUR per bed-km per year."
    )
    restrictiveness_eur_per_bed_year_per_level: Quantity = Field(
        description="Policy weight, not cash, per bed-year and per level a youth is placed more "
        "restrictively than the need (open → hybrid → closed). Unit: EUR per bed-year per level."
    )
    redundancy_eur_per_group: ByType | None = Field(
        default=None,
        description="One-off staff redundancy cost of a removed group beyond the free removals "
        "(a converted closed group keeps its staff); none if left out. Unit: EUR per group.",
    )
    site_exit_eur: Quantity | None = Field(
        default=None,
        description="One-off cost of closing a site that was open (lease and building exit), in "
        "the year it closes; none if left out. Unit: EUR per site closed.",
    )
    writeoff_eur_per_group: ByType | None = Field(
        default=None,
        description="One-off write-off of a converted group removed within `writeoff_years` of "
        "its conversion (the fit-out is lost); none if left out. Unit: EUR per group.",
    )
    writeoff_years: Quantity | None = Field(
        default=None,
        description="A converted group removed within this many years of its conversion is "
        "written off (`writeoff_eur_per_group`), rounded to whole years; 0 or 1 never. "
        "Unit: years.",
    )
    project_eur_per_year: ByYear | None = Field(
        default=None,
        description="Fixed project costs of the transformation (programme staff, the "
        "municipalities' and provider's project costs) in the years given; cash whatever the plan "
        "does, and a `funding` category. Unit: EUR per year.",
    )
    travel_reimbursed: bool = Field(
        default=False,
        description="Family travel (`travel_eur_per_bed_km_year`) is reimbursed and so counts as "
        "cash; by default it is a policy weight only.",
    )


class Compatibility(Provenance):
    """Which place types may serve each need level.

    Placing a youth in a type more restrictive than the need (levels open < hybrid < closed, and
    secure needs count as closed) costs ``costs.restrictiveness_eur_per_bed_year_per_level`` per
    level.
    """

    secure: list[PlaceType] = Field(
        description="Types that may take youths who need a closed setting."
    )
    hybrid: list[PlaceType] = Field(
        description="Types that may take youths with a closed-care authorisation who can live as "
        "in an open setting."
    )
    open: list[PlaceType] = Field(description="Types that may take youths with an open need.")

    def types_for(self, need: str) -> list[str]:
        return list(getattr(self, need))


class SchoolKinds(Provenance):
    """Which kinds of bundled school suit the youths of each place type (geodata schools.csv):
    ``vo`` regular secondary, ``practical`` practical education only, ``vso_cluster4`` special
    secondary for cluster 4 (behaviour, psychiatric), ``vso_other`` clusters 1-3,
    ``jzplus_school`` the school on a JeugdzorgPlus site (Olivijncollege)."""

    closed: list[SchoolKind] = Field(
        default=[],
        description="Kinds that suit youths on a closed group; none: a closed group needs "
        "education on site or a named school.",
    )
    hybrid: list[SchoolKind] = Field(
        default=[], description="Kinds that suit youths on a hybrid group."
    )
    open: list[SchoolKind] = Field(
        default=[], description="Kinds that suit youths on an open group."
    )

    def kinds_for(self, place_type: str) -> list[str]:
        return list(getattr(self, place_type))


class SchoolTerms(Provenance):
    """What a school offers the plan and what keeping it costs (defaults per kind of school).

    Pupils are the plan's youths at the school on an average day (average occupied beds). A
    school with a minimum or a cost is kept or closed by the model: while it teaches plan
    pupils it has at least ``min_pupils`` of them and costs ``fixed_eur_per_year``; stopping
    costs ``closing_eur`` once.
    """

    capacity_pupils: float | None = Field(
        default=None,
        ge=0,
        description="Most youths placed by the plan the school takes at once; empty: no limit "
        "of its own. Unit: average occupied beds.",
    )
    min_pupils: float = Field(
        default=0,
        ge=0,
        description="Pupils placed by the plan the school needs to stay viable while it takes "
        "any (0: its viability does not hang on the plan). Unit: average occupied beds.",
    )
    fixed_eur_per_year: float = Field(
        default=0,
        ge=0,
        description="Yearly cost of keeping the school for the plan's youths, whatever their "
        "number (counted as cash). Unit: EUR per year.",
    )
    closing_eur: float = Field(
        default=0,
        ge=0,
        description="One-off cost when the school stops teaching the plan's youths (staff, "
        "building). Unit: EUR.",
    )


class SchoolRule(Provenance):
    """One bundled school's own terms, over those of its kind (`education.school_terms`)."""

    capacity_pupils: float | None = Field(
        default=None, ge=0, description="As `school_terms`; empty: its kind's. Unit: average "
        "occupied beds."
    )  # fmt: skip
    min_pupils: float | None = Field(
        default=None, ge=0, description="As `school_terms`; empty: its kind's. Unit: average "
        "occupied beds."
    )  # fmt: skip
    fixed_eur_per_year: float | None = Field(
        default=None, ge=0, description="As `school_terms`; empty: its kind's. Unit: EUR per year."
    )
    closing_eur: float | None = Field(
        default=None, ge=0, description="As `school_terms`; empty: its kind's. Unit: EUR."
    )
    without_host_eur_per_year: float | None = Field(
        default=None,
        ge=0,
        description="A school on a care site's grounds (a site with `education.on_site` naming "
        "it) closes when that site runs no groups; with this price it may stay open for other "
        "sites' youths at this extra yearly cost. Unit: EUR per year.",
    )


class EducationPolicy(Provenance):
    """The school-access rule: youths on a group must be able to go to school.

    Each youth placed at a site is taught at a school of the site's options: its own education
    (on site, the named school, a given distance), education it may start on its grounds, or
    any located bundled school of a kind that suits the type within ``max_school_km``.
    """

    max_school_km: float = Field(
        ge=0,
        description="A site runs groups of a type only if its school for that type is at most "
        "this far (a school on site counts 0 km); a type with no school within it runs none "
        "there. Unit: km.",
    )
    school_kinds: SchoolKinds | None = Field(
        default=None,
        description="Kinds of bundled school that suit each place type; a site that names no "
        "school (`sites.<site id>.education`) then goes to the nearest located school of a "
        "suitable kind, per type (distance as for `school`). Without it such a site has no "
        "school.",
    )
    school_terms: dict[SchoolKind, SchoolTerms] = Field(
        default={},
        description="Capacity, minimum pupils and costs of the schools of each kind; a kind "
        "left out has no limit and no cost.",
    )
    schools: dict[str, SchoolRule] = Field(
        default={},
        description="Terms of single bundled schools by `school_id` (geodata schools.csv), "
        "over those of their kind.",
    )


class MinPlaces(Provenance):
    """At least ``places`` places of the listed types, all sites together, in each listed year."""

    name: str = Field(description="Name of the rule, used in the report and explanations.")
    years: list[int] = Field(
        description="Years the rule holds; each must be a planning year. Unit: year."
    )
    types: list[PlaceType] = Field(description="Place types whose places count.")
    places: int = Field(
        ge=0,
        description="Fewest places (groups × group size) in each of those years. Unit: places.",
    )
    reserve: bool = Field(
        default=False,
        description="A safety net: the report shows what these places buy, the refusal "
        "probability with and without them (Erlang loss model).",
    )


class FixedGroups(Provenance):
    """Exactly ``groups`` groups of one type at one site in each listed year, as a contract says."""

    site: str = Field(description="Site id (a key of `sites`).")
    type: PlaceType = Field(description="Place type of the groups.")
    years: list[int] = Field(
        description="Years the number is fixed; each must be a planning year. Unit: year."
    )
    groups: int = Field(ge=0, description="Number of groups in each of those years. Unit: groups.")


class Policy(Strict):
    """Limits the plan must keep to; each is optional."""

    budget_eur_per_year: ByYear | None = Field(
        default=None,
        description="Most cash a year may cost (running, site, set-up, friction, school "
        "transport; undiscounted), for the years given. Unit: EUR per year.",
    )
    max_closed_places: ByYear | None = Field(
        default=None,
        description="Most closed places (capacity), all sites together, in the years given. "
        "Unit: places.",
    )
    max_closed_beds_used: ByYear | None = Field(
        default=None,
        description="Most closed-care use, all sites together, in the years given: the average "
        "occupied closed beds the plan places (the plan's 'Gebruik/nodig', §3.1.2), not the "
        "places. Unit: beds.",
    )
    max_recruit_fte_per_year: ByYear | None = Field(
        default=None,
        description="Most new staff the plan may need in a year: the `fte_per_group` of every "
        "group added that year, converted groups excepted. Unit: FTE per year.",
    )
    hybrid_site_required_from: ByRegionYear | None = Field(
        default=None,
        description="Per region, the year from which at least one of its sites runs hybrid "
        "groups. Unit: year.",
    )
    min_places: list[MinPlaces] = Field(
        default=[],
        description="Minimum places of some types in some years (a purchase, a reserve).",
    )
    fixed_groups: list[FixedGroups] = Field(
        default=[],
        description="Groups of one type at one site fixed in some years (a contract).",
    )


class Pool(Provenance):
    """Sites whose places of the listed types are shared as one Erlang loss pool.

    A youth refused at one member site is admitted at another, so the pool's places together
    carry its load (for example two locations of one provider a short drive apart).
    """

    sites: list[str] = Field(
        min_length=1,
        description="Site ids (keys of `sites`) sharing their places; a site and type belong to "
        "one pool at most.",
    )
    types: list[PlaceType] = Field(
        default=list(TYPES),
        description="Place types shared in the pool; they must have one group size.",
    )


class ServiceLevel(Provenance):
    """Size capacity with the Erlang loss model instead of a flat occupancy target.

    Each pool gets enough whole groups that a referred youth finds every place of the pool taken
    at most ``max_refusal_probability`` of the time. Without ``pools`` every site and place type
    is its own pool.
    """

    max_refusal_probability: float = Field(
        gt=0,
        lt=1,
        description="Largest accepted probability that a referred youth is refused because all "
        "places of the pool are taken, for example 0.05. Unit: probability (0-1).",
    )
    pools: dict[str, Pool] = Field(
        default={},
        description="Named pools of sites sharing their places; every other site and type is a "
        "pool of its own.",
    )


class TariffFromAdvance(Provenance):
    """A day tariff derived from one municipality's advance, exactly: the contract value is the
    whole number of cents nearest to advance / the municipality's key share for which the key
    gives that municipality exactly the advance; the day tariff is that value / (contracted
    places × days of the year), kept as an exact fraction."""

    gm_code: str = Field(description="The municipality whose advance is known, such as GM0826.")
    advance_eur: float = Field(
        gt=0,
        allow_inf_nan=False,
        description="Its advance for the contract year, to the cent. Unit: EUR.",
    )


class Settlement(Provenance):
    """The contract, defined once: places per type in one year, day tariffs, the key.

    The contract's day tariffs (``day_tariff_eur``, or one tariff derived by
    ``tariff_from_advance``) are also the running cost of the types they price (× the days of the
    contract year), for the plan as for advances and ``jzplan settle``; without either, day
    tariffs are the running cost per place-year / days.

    ``key`` says how the cost is shared among municipalities: by ``population``; by agreed
    ``shares`` (``key_csv`` with columns gm_code, weight; the weights must sum to 1); or by any
    ``weights`` such as care days used in past years (``key_csv``; shares in proportion). Used by
    ``jzplan settle`` and by the report's expected advance per municipality.
    """

    year: int = Field(
        description="The contract year; its days (365 or 366) turn a day tariff into a running "
        "cost per place-year and back. Unit: year."
    )
    contract_places: dict[PlaceType, int] = Field(
        description="Places contracted per type; their value (places × day tariff × days) is "
        "the advance, split by `key`. Unit: places."
    )
    day_tariff_eur: dict[PlaceType, float] | None = Field(
        default=None,
        description="Day tariff per place type the contract prices; not with "
        "`tariff_from_advance`. Unit: EUR per place per day.",
    )
    tariff_from_advance: TariffFromAdvance | None = Field(
        default=None,
        description="Derive one day tariff for the contract's types from a municipality's "
        "advance, exactly (the advance then comes out to the cent); not with `day_tariff_eur`.",
    )
    tariff_types: list[PlaceType] | None = Field(
        default=None,
        description="With `tariff_from_advance`, the types paid at the derived day tariff; by "
        "default the types with contracted places. A type may be priced at it without "
        "contracted places (hybrid beds count as closed care).",
    )
    key: Literal["population", "shares", "weights"] = Field(
        default="population",
        description="How advances and settlement are shared among municipalities: `population`, "
        "agreed `shares` (summing to 1) or `weights` (shares in proportion).",
    )
    key_csv: str | None = Field(
        default=None,
        description="Path of the key file (columns gm_code, weight): required with `shares` or "
        "`weights`, not allowed with `population`.",
    )

    @model_validator(mode="after")
    def _key_file(self):
        if (self.key == "population") != (self.key_csv is None):
            raise ValueError(
                "key 'shares' or 'weights' needs a 'key_csv' (columns gm_code, weight); "
                "key 'population' takes none"
            )
        if self.day_tariff_eur is not None and self.tariff_from_advance is not None:
            raise ValueError("give 'day_tariff_eur' or 'tariff_from_advance', not both")
        if self.tariff_types is not None and self.tariff_from_advance is None:
            raise ValueError("'tariff_types' only applies with 'tariff_from_advance'")
        if self.tariff_from_advance is not None and not self.priced_types():
            raise ValueError("'tariff_from_advance' needs contracted places to derive a tariff")
        if any(v <= 0 for v in (self.day_tariff_eur or {}).values()):
            raise ValueError("day tariffs must be more than 0")
        return self

    def priced_types(self) -> list[str]:
        """The types whose running cost is the contract's day tariff (may be none)."""
        if self.day_tariff_eur is not None:
            return [k for k in TYPES if k in self.day_tariff_eur]
        if self.tariff_from_advance is None:
            return []
        if self.tariff_types is not None:
            return [k for k in TYPES if k in self.tariff_types]
        return [k for k in TYPES if self.contract_places.get(k, 0) > 0]


class Solver(Provenance):
    """Settings of HiGHS, the solver of the plan."""

    time_limit_s: float = Field(
        gt=0,
        description="Longest the solver may run; `jzplan run --time-limit` overrides it. "
        "Unit: seconds.",
    )
    mip_rel_gap: float = Field(
        ge=0,
        le=1,
        description="Relative gap between the best plan found and the bound at which the solver "
        "may stop; 0 asks for proven optimality. Unit: relative gap (fraction).",
    )
    formulation: Literal["reference", "fast"] = Field(
        default="reference",
        description="Which model of the plan is solved: `reference` (models.strategic, as "
        "written in docs/model.md) or `fast` (the same model plus valid inequalities, "
        "models.strategic_fast, solved LP → kernel MILP → the plans beyond the kernel with the "
        "kernel's plan as cutoff, optimizer.heuristic). Both have the same optimum. `fast` has a "
        "far stronger LP bound and found plans within 3-4 % in 60 s with 9-27 candidate sites "
        "over 5-7 years where the reference found none, and proved most shipped scenarios "
        "sooner; but not all of them, not reliably at ten years, and not the national scenario "
        "(benchmarks/bench_scale.py), so `reference` stays the default.",
    )
    method: Literal["direct", "kernel"] | None = Field(
        default=None,
        description="How the model is solved: `direct` (one HiGHS run) or `kernel` (LP → a "
        "start plan by relax-and-fix over the years → kernel MILP → the plans beyond the kernel "
        "with the kernel's plan as cutoff, optimizer.heuristic; the same optimum). Default: "
        "`kernel` with `formulation: fast`, `direct` with `reference`. On the national scenario "
        "the reference model with `kernel` returned a plan within 9.9 % in 300 s where `direct` "
        "returned the all-unmet start (93 %).",
    )


class UnmetRule(Provenance):
    """A need whose demand may go unplaced at a price: an explicit exception to the admission
    duty (plan §3.1), for example open need that regular youth care takes over."""

    eur_per_bed_year: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="Price per average occupied bed left unplaced for a year; a policy weight, "
        "not cash. Unit: EUR per bed-year.",
    )


class Overflow(Provenance):
    """Youths of a need may be placed in a type that does not serve that need by default.

    The safety net (plan §2.2): youths with a closed-care authorisation in the hybrid reserve
    places. Priced as a policy weight, optionally capped.
    """

    need: Need = Field(description="The need level that may overflow.")
    type: PlaceType = Field(description="The place type it may overflow into.")
    eur_per_bed_year: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="Weight per average occupied bed placed by overflow for a year; not cash. "
        "Unit: EUR per bed-year.",
    )
    max_beds: float | None = Field(
        default=None,
        ge=0,
        allow_inf_nan=False,
        description="Most average occupied beds placed by overflow in any year; no cap if left "
        "out. Unit: beds.",
    )
    max_share: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Most of the need's demand, as a share, placed by overflow in a year: a "
        "safety net takes the youths who find their own places full, not the need as a whole. "
        "Unit: share (0-1).",
    )


#: What funding pots pay for (models.strategic.CATEGORIES): `closing` friction and exit costs
#: (afbouw, plan §6.2 a); `converting` set-up of groups converted from closed groups and of new
#: small-scale closed groups (ombouw, b); `alternatives` set-up of new hybrid and open groups
#: (opbouw, c); `vacancy` running cost of empty places; `project` project costs.
Category = Literal["closing", "converting", "alternatives", "vacancy", "project"]


class FundingPot(Provenance):
    """Money that pays some categories of cash over some years, such as a SPUK grant.

    The amount holds for all its years together: spent in one year it is gone for the others.
    The run charges the plan's cash to the pots so that they pay as much as they can, earliest
    years first; what they do not pay falls to the municipalities (pots.csv).
    """

    name: str = Field(description="Name of the pot, used in pots.csv and messages.")
    amount_eur: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="Money in the pot for all its years together. Unit: EUR.",
    )
    years: list[int] = Field(
        min_length=1,
        description="Years the pot may pay for (plan years outside it pay none). Unit: year.",
    )
    categories: list[Category] = Field(
        min_length=1,
        description="Categories of cash the pot may pay: `closing` (friction and exit), "
        "`converting` (conversions and new small-scale closed groups), `alternatives` (new "
        "hybrid and open groups), `vacancy` (running cost of empty places), `project`.",
    )
    cofinancing_share: float = Field(
        default=0.0,
        ge=0,
        lt=1,
        description="Share of every euro charged to the pot that the municipalities pay "
        "themselves. Unit: share (0-1).",
    )
    covered_first: list[Category] = Field(
        default=[],
        description="Categories that must be covered in full (charged to the pots over all the "
        "pot's years) before the pot pays any of `paid_after` (plan §6.2: c only where a and b "
        "are covered).",
    )
    paid_after: list[Category] = Field(
        default=[],
        description="Categories the pot pays only once `covered_first` is covered.",
    )

    @model_validator(mode="after")
    def _order(self):
        stray = [c for c in self.paid_after if c not in self.categories]
        if stray:
            raise ValueError(f"pot {self.name!r}: paid_after {stray} are not among its categories")
        if bool(self.covered_first) != bool(self.paid_after):
            raise ValueError(f"pot {self.name!r}: give covered_first and paid_after together")
        if set(self.covered_first) & set(self.paid_after):
            raise ValueError(f"pot {self.name!r}: a category cannot be paid after itself")
        return self


class MustCover(Provenance):
    """A rule: the pots must pay these categories in these years in full (no own money for
    them); a plan whose cash there exceeds what the pots can pay is infeasible, and explained
    with the shortfall."""

    name: str = Field(description="Name of the rule, used in explanations.")
    categories: list[Category] = Field(min_length=1, description="Categories to cover in full.")
    years: list[int] = Field(
        min_length=1, description="Years they must be covered; planning years. Unit: year."
    )


class Funding(Strict):
    """Multi-year pots that pay part of the plan's cash, and rules on what they must cover."""

    pots: list[FundingPot] = Field(default=[], description="The funding pots.")
    must_cover: list[MustCover] = Field(
        default=[], description="Categories the pots must cover in full in some years."
    )


class Provider(Provenance):
    """A care provider's viability: the running cost of its places is its revenue, a share of
    which carries its fixed overhead; below overhead / share its revenue cannot carry it (plan
    §3.1.1: a further fall "means the end of its independence"; critical mass is needed)."""

    name: str = Field(description="The provider, as `sites.<site id>.provider` names it.")
    overhead_eur_per_year: float = Field(
        ge=0,
        allow_inf_nan=False,
        description="Fixed overhead the provider carries whatever its volume (management, "
        "support services, buildings not tied to a group). Unit: EUR per year.",
    )
    overhead_share: float = Field(
        gt=0,
        le=1,
        description="Share of its revenue (running cost of its places) that pays for the "
        "overhead; the rest pays the places. The viability level is overhead / share. "
        "Unit: share (0-1).",
    )
    min_revenue: bool = Field(
        default=False,
        description="Make the viability level a rule the plan must keep in every year; by "
        "default it is only reported (provider.csv: shortfall and the tariff increase that "
        "would cover it).",
    )


class Branch(Strict):
    """Where a path leaves another path's node (a multi-stage tree)."""

    path: str = Field(description="The path this one shares its decisions with until `year`.")
    year: int = Field(
        description="The first year whose decisions this path takes on its own; the years "
        "before it (after the first-stage years) it decides together with `path`. Unit: year."
    )


class DemandPath(Provenance):
    """One demand path: a probability and the demand that differs from the scenario's own."""

    probability: float = Field(
        gt=0,
        le=1,
        description="The weight of this path; the probabilities of all paths sum to 1. "
        "Unit: probability (0-1).",
    )
    description: str = Field(default="", description="What the path assumes, for the report.")
    demand: Demand = Field(
        description="This path's demand: the scenario's `demand` with what is written here "
        "merged over it (mappings merge, values replace, `null` removes), for example only "
        "`totals.values` for the years that differ."
    )
    branches_from: Branch | None = Field(
        default=None,
        description="A multi-stage tree: this path decides together with another path until a "
        "later year; without it a path takes its own decisions from the first year after "
        "`first_stage_years` (a two-stage tree).",
    )


class Risk(Provenance):
    """How the staged plan weighs its paths."""

    measure: Literal["expected", "cvar", "regret"] = Field(
        default="expected",
        description="`expected`: least expected cost (the default); `cvar`: least (1 - "
        "`weight`) x expected cost + `weight` x CVaR, the mean cost of the worst `1 - alpha` "
        "probability of paths; `regret`: least largest regret, a path's cost under the staged "
        "plan less its own optimum (minimax regret over the paths).",
    )
    alpha: float = Field(
        default=0.8,
        ge=0,
        lt=1,
        description="CVaR level: the worst 1 - alpha of the probability is averaged. "
        "Unit: share (0-1).",
    )
    weight: float = Field(
        default=1.0,
        ge=0,
        le=1,
        description="Weight of CVaR against the expected cost with `measure: cvar`. "
        "Unit: share (0-1).",
    )


class DemandPaths(Provenance):
    """Demand that may not fall as hoped: named paths with probabilities, and what is decided now.

    With this section ``jzplan run`` solves the staged plan: one set of decisions for the
    first-stage years shared by every path (the purchase now), the later years decided per path
    (recourse), at least expected cost or at a stated risk measure.
    """

    first_stage_years: list[int] = Field(
        min_length=1,
        description="The years decided now, the same on every path: groups, places and sites "
        "of these years (for example the contract years 2026 and 2027). Consecutive planning "
        "years from the first. Unit: year.",
    )
    paths: dict[str, DemandPath] = Field(
        min_length=2,
        description="The demand paths by name (letters, digits, `_`, `.`, `-`); at least two.",
    )
    risk: Risk | None = Field(
        default=None,
        description="The risk measure; without it the least expected cost.",
    )

    @model_validator(mode="after")
    def _consistent(self):
        names = list(self.paths)
        bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", n)]
        if bad:
            raise ValueError(f"path names must be letters, digits, '_', '.', '-'; got {bad}")
        total = sum(p.probability for p in self.paths.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"path probabilities sum to {total:.6g}; they must sum to 1")
        for name, path in self.paths.items():
            branch = path.branches_from
            if branch is None:
                continue
            if branch.path not in self.paths or branch.path == name:
                raise ValueError(
                    f"paths.{name}.branches_from.path: expected another path of {names}, "
                    f"got {branch.path!r}"
                )
            parent = self.paths[branch.path].branches_from
            if parent is not None and parent.year < branch.year:
                raise ValueError(
                    f"paths.{name}.branches_from: {branch.path!r} itself leaves "
                    f"{parent.path!r} in {parent.year}, before {branch.year}; branch from "
                    f"{parent.path!r} instead"
                )
        return self


class Scenario(Strict):
    """One planning problem: years, zones and demand, place types and sites, travel, costs,
    limits and solver settings."""

    name: str = Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
        description="Short identifier: letters, digits, `_`, `.` and `-`, starting with a letter "
        "or digit; used in messages and the run summary.",
    )
    title: str = Field(description="One-line title shown on the report, the map and comparisons.")
    description: str = Field(
        default="", description="What the scenario assumes, in a few sentences, for the report."
    )
    title_nl: str | None = Field(
        default=None, description="The title in Dutch pages (`--lang nl`); empty: `title`."
    )
    description_nl: str | None = Field(
        default=None,
        description="The description in Dutch pages (`--lang nl`); empty: `description`.",
    )
    extends: str | None = Field(
        default=None,
        description="Parent scenario file, relative to this file: this one holds only what "
        "differs (see Variants).",
    )
    planning: Planning = Field(description="Plan years and discount rate.")
    zones: Zones = Field(
        default=Zones(),
        description="The zones demand comes from; by default the bundled municipalities of WBW, "
        "WBO and Zeeland.",
    )
    demand: Demand = Field(description="Demand per zone, need level and year.")
    place_types: dict[PlaceType, PlaceTypeSpec] = Field(
        description="Settings of each place type; closed, hybrid and open must all be given."
    )
    compatibility: Compatibility = Field(description="Which place types serve which need.")
    education: EducationPolicy = Field(description="The school-access rule for every site.")
    sites: dict[str, Site] = Field(
        description="Existing and candidate locations by site id, the id used in rules, pools, "
        "matrix files and the results."
    )
    candidates: Candidates | None = Field(
        default=None,
        description="Candidate sites generated by a rule (every zone or PC4 area, filtered), "
        "added to `sites`; none by default.",
    )
    travel: Travel = Field(description="How distances and travel times are found.")
    costs: Costs = Field(description="Prices of places, sites, changes, travel and penalties.")
    policy: Policy = Field(
        default=Policy(),
        description="Limits: budget, closed places, a hybrid site per region, minimum places, "
        "fixed groups; by default none.",
    )
    solver: Solver = Field(description="Solver time limit and gap.")
    capacity_rule: Literal["service_level", "occupancy"] = Field(
        default="service_level",
        description="How places are sized: `service_level` (the Erlang loss model at "
        "`service_level.max_refusal_probability`, the default, as the admission duty asks) or "
        "`occupancy` (a flat `place_types.<type>.occupancy_target`, only when asked by name).",
    )
    service_level: ServiceLevel | None = Field(
        default=None,
        description="The refusal probability places are sized for, and the pools of sites "
        "sharing places; required with `capacity_rule: service_level`.",
    )
    unmet: dict[Need, UnmetRule] = Field(
        default={},
        description="Needs whose demand may go unplaced, with a price; every need not listed "
        "is an admission duty: all its demand must be placed or the scenario is infeasible.",
    )
    overflow: list[Overflow] = Field(
        default=[],
        description="Needs that may be placed in a type that does not serve them by default "
        "(the safety net), with a price and an optional cap.",
    )
    settlement: Settlement | None = Field(
        default=None,
        description="The contract, defined once: its day tariffs price the plan's places of the "
        "types they cover, and advances and `jzplan settle` are based on it (without it the "
        "report's day tariffs use 365 days and the population key).",
    )
    funding: Funding | None = Field(
        default=None,
        description="Funding pots (SPUK grants) and what they must cover; without it the "
        "municipalities pay all cash.",
    )
    providers: list[Provider] = Field(
        default=[],
        description="The providers' overhead and viability level; a provider not listed is "
        "reported with its revenue only.",
    )
    demand_paths: DemandPaths | None = Field(
        default=None,
        description="Demand paths with probabilities and the years decided now: the run is "
        "then the staged plan over the paths (see Demand paths).",
    )
    reference_figures: dict[str, Quantity] = Field(
        default={},
        description="Named figures from the source documents that the report sets beside the "
        "plan. Recognised names: `purchase_<year>_places` (places planned that year), "
        "`max_closed_beds_<year>` (closed places that year, an upper limit), "
        "`closed_beds_used_<year>` (closed places that year) and `hybrid_reserve_places` "
        "(hybrid places in the first year); others are listed without a comparison.",
    )

    @model_validator(mode="after")
    def _all_types(self):
        missing = [t for t in TYPES if t not in self.place_types]
        if missing:
            raise ValueError(f"place_types must define {', '.join(TYPES)}; missing {missing}")
        return self

    @model_validator(mode="after")
    def _running_cost_once(self):
        priced = set(self.settlement.priced_types()) if self.settlement else set()
        given = set(self.costs.running_eur_per_place_year.values)
        twice = sorted(priced & given)
        if twice:
            raise ValueError(
                f"the running cost of {', '.join(twice)} is defined twice: by the contract's day "
                "tariff (settlement) and by costs.running_eur_per_place_year; remove one "
                "('<type>: null' in a variant)"
            )
        missing = [k for k in TYPES if k not in priced | given]
        if missing:
            raise ValueError(
                f"no running cost for {', '.join(missing)}: give it in "
                "costs.running_eur_per_place_year or price it by the contract (settlement)"
            )
        names = [p.name for p in self.providers]
        if len(set(names)) != len(names):
            raise ValueError(f"providers: names must differ, got {names}")
        if self.funding:
            pots = [pot.name for pot in self.funding.pots]
            if len(set(pots)) != len(pots):
                raise ValueError(f"funding.pots: names must differ, got {pots}")
            plan = set(self.planning.years)
            for rule in self.funding.must_cover:
                outside = sorted(set(rule.years) - plan)
                if outside:
                    raise ValueError(
                        f"funding.must_cover {rule.name!r}: years {outside} are not planning years"
                    )
        return self

    @model_validator(mode="after")
    def _capacity_rule(self):
        if self.capacity_rule == "service_level" and self.service_level is None:
            raise ValueError(
                "capacity_rule 'service_level' (the default) needs a 'service_level' section "
                "with max_refusal_probability; or say capacity_rule: occupancy"
            )
        if self.capacity_rule == "occupancy":
            if self.service_level is not None:
                raise ValueError("capacity_rule 'occupancy' takes no 'service_level' section")
            missing = [k for k, spec in self.place_types.items() if spec.occupancy_target is None]
            if missing:
                raise ValueError(
                    f"capacity_rule 'occupancy' needs place_types.<type>.occupancy_target; "
                    f"missing for {', '.join(missing)}"
                )
        return self

    @model_validator(mode="after")
    def _staging(self):
        if self.demand_paths is None:
            return self
        years = self.planning.years
        first = self.demand_paths.first_stage_years
        if first != years[: len(first)]:
            raise ValueError(
                f"demand_paths.first_stage_years: expected consecutive planning years from "
                f"{years[0]} (such as {years[:2]}), got {first}"
            )
        if len(first) >= len(years):
            raise ValueError(
                "demand_paths.first_stage_years: leave at least one planning year to decide "
                "per path"
            )
        for name, path in self.demand_paths.paths.items():
            b = path.branches_from
            if b is not None and not (first[-1] < b.year <= years[-1]):
                raise ValueError(
                    f"demand_paths.paths.{name}.branches_from.year: expected a year after the "
                    f"first stage ({first[-1]}) up to {years[-1]}, got {b.year}"
                )
        return self
