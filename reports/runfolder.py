"""The run-folder contract, as data, and the reader that loads a run folder by it.

:data:`CONTRACT` lists every file a run folder may hold; each table names its columns in file
order with a type, a unit and a one-line description. Everything else comes from it:

- the writer (``optimizer/runfolder.py``) writes tables in this column order and refuses a table
  whose columns differ;
- :func:`load_run` takes column order and types from it (optional or empty files become empty
  tables with these columns, so every report works for any valid run);
- the workbook (``reports/excel.py``) takes its headers from it (:func:`header`);
- ``docs/run-folder.md`` is :func:`markdown`, written by ``python -m optimizer.docs``.

Kept light on purpose (pandas and json only): the writer imports it.
"""

from __future__ import annotations

import fnmatch
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

# -- the vocabulary ---------------------------------------------------------------------------

DTYPES: dict[str, str] = {
    "str": "text (may be empty)",
    "int64": "whole number",
    "float64": "decimal number; empty when unknown",
    "bool": "`True` or `False`",
}


@dataclass(frozen=True)
class Unit:
    """A unit named in the contract: ``header`` is how a table header shows it ('' for none)."""

    name: str
    header: str
    meaning: str


UNITS: dict[str, Unit] = {
    unit.name: unit
    for unit in (
        Unit(
            "beds",
            "average occupied beds",
            "average occupied beds: youths in care on an average day of the year (a bed "
            "occupied all year is 1; summed over years it counts bed-years)",
        ),
        Unit("places", "places", "places of capacity (beds a plan provides): groups × group size"),
        Unit("groups", "number", "living groups of one place type"),
        Unit("places/group", "places per group", "places in one group"),
        Unit("eur", "EUR", "euros, prices of the scenario (undiscounted unless the column says)"),
        Unit("cents", "cents", "euro cents, exact whole numbers"),
        Unit("fte", "FTE", "full-time equivalents of staff"),
        Unit("km", "km", "kilometres by road (the scenario's travel model)"),
        Unit("minutes", "min", "minutes of travel by road"),
        Unit("seconds", "s", "seconds of wall-clock time"),
        Unit("1", "", "dimensionless: a probability or a share between 0 and 1"),
        Unit("year", "", "calendar year"),
        Unit("years", "years", "a duration in whole years"),
        Unit("fte/group", "FTE per group", "full-time equivalents of staff per group"),
        Unit("degrees", "degrees", "degrees latitude or longitude, WGS 84 (EPSG:4326)"),
        Unit("persons", "residents", "residents"),
        Unit("levels", "levels", "steps of restrictiveness (open 0, hybrid 1, closed/secure 2)"),
    )
}


@dataclass(frozen=True)
class Column:
    """One column of a table: name, dtype (a key of :data:`DTYPES`), unit (a key of
    :data:`UNITS`, '' for text and codes), description; ``label`` is the header words and
    ``values`` lists the codes a column takes when they are a fixed set."""

    name: str
    dtype: str
    unit: str
    description: str
    label: str = ""
    values: tuple[tuple[str, str], ...] = ()  # the codes a column takes, each explained

    def __post_init__(self) -> None:
        if self.dtype not in DTYPES:
            raise ValueError(f"column {self.name}: unknown dtype {self.dtype!r}")
        if self.unit and self.unit not in UNITS:
            raise ValueError(f"column {self.name}: unknown unit {self.unit!r}")

    @property
    def words(self) -> str:
        return self.label or self.name.replace("_", " ")


def header(column: Column) -> str:
    """A column's header for people: its words and, when it has one, its unit in brackets."""
    unit = UNITS[column.unit].header if column.unit else ""
    return f"{column.words} ({unit})" if unit else column.words


@dataclass(frozen=True)
class Table:
    """A CSV file: ``path`` relative to the run folder, columns in file order.

    ``field`` names the :class:`RunFolder` attribute it loads into; ``optional`` files may be
    absent (the reader then gives an empty table with these columns). A ``per_path`` table of a
    staged run (paths.csv present) starts with :data:`PATH_COLUMN`: every path has its rows.
    """

    path: str
    description: str
    columns: tuple[Column, ...]
    field: str
    optional: bool = False
    per_path: bool = False

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def dtypes(self) -> dict[str, str]:
        return {column.name: column.dtype for column in self.columns}

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.path} has no column {name!r}; it has {self.names}")


@dataclass(frozen=True)
class Key:
    """A key of a JSON document; nested keys are dotted (``solver.status``) and ``[]`` marks
    the items of a list (``features[].geometry``)."""

    name: str
    kind: str
    unit: str
    description: str

    def __post_init__(self) -> None:
        if self.unit and self.unit not in UNITS:
            raise ValueError(f"key {self.name}: unknown unit {self.unit!r}")


@dataclass(frozen=True)
class Document:
    """Any other file: JSON (with its keys), YAML, the rendered map, report and workbook.

    A ``path`` ending in ``/`` stands for every file under that folder. ``rendered`` files are
    written by the reports while the folder is still temporary, after manifest.json.
    """

    path: str
    description: str
    keys: tuple[Key, ...] = ()
    optional: bool = False
    rendered: bool = False

    @property
    def top_keys(self) -> list[str]:
        return list(dict.fromkeys(key.name.split(".")[0] for key in self.keys))


# -- the contract -----------------------------------------------------------------------------

YEAR = Column("year", "int64", "year", "planning year")
GM_CODE = Column(
    "gm_code", "str", "", "municipality (zone) code, CBS `GMxxxx`", label="municipality code"
)
NEED = Column("need", "str", "", "the youths' need: `secure`, `hybrid` or `open`")
SITE_ID = Column("site_id", "str", "", "site key of the scenario's `sites`", label="site id")
TYPE = Column("type", "str", "", "place type: `closed`, `hybrid` or `open`", label="place type")
LAT = Column("lat", "float64", "degrees", "latitude of the point")
LON = Column("lon", "float64", "degrees", "longitude of the point")

PATH_COLUMN = Column(
    "path",
    "str",
    "",
    "the demand path (paths.csv) the row belongs to; only in a staged run",
)
PATHS = Table(
    "paths.csv",
    "Only in a staged run (the scenario's `demand_paths`): one row per demand path, what defines "
    "it, and what the staged plan costs on it. The tables marked *per path* then start with a "
    "`path` column and hold every path's rows, the first-stage years included (equal on every "
    "path: they are decided now).",
    (
        Column("path", "str", "", "the path's name", label="demand path"),
        Column("probability", "float64", "1", "the path's weight; all paths sum to 1"),
        Column("description", "str", "", "what the path assumes"),
        Column("provenance", "str", "", "its source or assumption, as the scenario states it"),
        Column(
            "shares_until",
            "str",
            "",
            "`path@year`: the path decides together with that path before that year (a "
            "multi-stage tree); empty: its own decisions right after the first stage",
            label="shares decisions until",
        ),
        Column(
            "demand_beds",
            "float64",
            "beds",
            "the path's demand, summed over zones, needs, years",
            label="demand",
        ),
        Column(
            "demand_by_year",
            "str",
            "beds",
            "the path's demand per year, `year: beds; …`",
            label="demand by year",
        ),
        Column(
            "cost_eur",
            "float64",
            "eur",
            "the path's objective (discounted) under the staged plan",
            label="cost under the plan",
        ),
        Column(
            "cash_eur",
            "float64",
            "eur",
            "of which cash, undiscounted (costs.csv kind `cash`)",
            label="of which cash",
        ),
        Column(
            "own_optimum_eur",
            "float64",
            "eur",
            "the path's optimum planned knowing its demand",
            label="own optimum",
        ),
        Column("regret_eur", "float64", "eur", "`cost_eur` − `own_optimum_eur`", label="regret"),
    ),
    field="paths",
    optional=True,
)

PLAN = Table(
    "plan.csv",
    "Groups and places per site, place type and year: one row per site, type and year with "
    "groups > 0 or a change.",
    (
        YEAR,
        SITE_ID,
        Column("site_name", "str", "", "the site's name"),
        TYPE,
        Column("groups", "int64", "groups", "groups of the type the site runs in the year"),
        Column("beds", "float64", "places", "places the groups provide: groups × group size"),
        Column("added_groups", "int64", "groups", "groups opened in the year"),
        Column("removed_groups", "int64", "groups", "groups closed in the year"),
        Column("fte", "float64", "fte", "staff the groups need: groups × fte_per_group"),
        Column(
            "converted_groups",
            "int64",
            "groups",
            "of `added_groups`, those rebuilt from closed groups removed at the same site in the "
            "year (conversion set-up cost; no friction for the closed group)",
        ),
    ),
    field="plan",
    per_path=True,
)
ASSIGNMENTS = Table(
    "assignments.csv",
    "Average occupied beds of a zone's need placed at a site in a place type, per year; one row "
    "per placement with beds > 0.",
    (
        YEAR,
        GM_CODE,
        NEED,
        SITE_ID,
        TYPE,
        Column("beds", "float64", "beds", "beds of the need placed there", label="placed"),
        Column("distance_km", "float64", "km", "road distance zone → site", label="distance"),
        Column("minutes", "float64", "minutes", "travel time zone → site", label="travel time"),
    ),
    field="assignments",
    per_path=True,
)
UNMET = Table(
    "unmet.csv",
    "Demand the plan cannot place, and why; header only when all demand is placed.",
    (
        YEAR,
        GM_CODE,
        NEED,
        Column("beds", "float64", "beds", "beds of the need not placed", label="unmet"),
        Column("reason", "str", "", "why the demand stays unmet, in words"),
    ),
    field="unmet",
    per_path=True,
)
COST_COMPONENTS = (
    ("running", "cash: running cost of the places: EUR per place-year × places"),
    ("site", "cash: yearly cost of every open site (running at least one group)"),
    ("setup", "cash: set-up of added groups (converted groups at the conversion price)"),
    (
        "friction",
        "cash: removed groups beyond the free removals (vacancy, staff), for `friction_years`",
    ),
    (
        "exit",
        "cash: staff redundancy of those removals, lease and building exit of a site that "
        "closes, write-off of a conversion undone within `writeoff_years`",
    ),
    ("project", "cash: the scenario's fixed project costs"),
    (
        "travel",
        "family visits: EUR per bed-km-year × beds × km home zone → site; a weight, cash only "
        "with `costs.travel_reimbursed`",
    ),
    (
        "school_transport",
        "cash: EUR per bed-km-year × pupils × km site → school (school_pupils.csv)",
    ),
    (
        "education",
        "cash: the schools' yearly fixed cost while in use, closing and set-up costs, and the "
        "price of a school kept with its host site empty (schools.csv)",
    ),
    ("restrictiveness", "weight per bed-year and level of placement more restrictive than needed"),
    ("overflow", "weight per bed-year of demand placed in a type only an overflow rule allows"),
    ("unmet_penalty", "weight: penalty per bed-year of demand left unmet"),
)
COST_KINDS = (
    ("cash", "money paid, by the pots or the municipalities"),
    ("weight", "a policy weight of the objective, not money"),
)
COSTS = Table(
    "costs.csv",
    "Cost per year and component; `eur_discounted` sums to the objective, the rows of kind "
    "`cash` to the cash total and those of kind `weight` to the policy weights. Friction rows "
    "run on past the last planning year while removed groups are still paid for.",
    (
        Column("year", "int64", "year", "the year the cost falls in"),
        Column(
            "component", "str", "", "cost component, one of the list below", values=COST_COMPONENTS
        ),
        Column("kind", "str", "", "`cash` or `weight`", values=COST_KINDS),
        Column("eur", "float64", "eur", "cost in the year, undiscounted", label="cost"),
        Column(
            "eur_discounted",
            "float64",
            "eur",
            "`eur` × (1 + discount rate) ^ −(year − first planning year)",
            label="cost, discounted",
        ),
    ),
    field="costs",
    per_path=True,
)
SERVICE = Table(
    "service.csv",
    "The refusal probability a referred youth faces, per service pool and year "
    "(optimizer.service): a pool is a set of (site, type) pairs sharing places (the scenario's "
    "`service_level.pools`; every other pair is a pool of its own). Its offered load is the "
    "average occupied beds the plan places there (all needs, overflow included); a youth routed "
    "to it is refused with the Erlang B probability B(places, load). Rows of `variant` "
    "`without_reserve` are the same scenario planned without its reserve rules.",
    (
        Column("variant", "str", "", "`plan`, or `without_reserve` (the plan without reserves)"),
        Column("pool", "str", "", "pool name (`site/type` for a pool of one pair)"),
        YEAR,
        Column("sites", "str", "", "';'-joined site ids of the pool"),
        Column("types", "str", "", "';'-joined place types of the pool"),
        Column("groups", "int64", "groups", "groups of the pool in the year"),
        Column("places", "int64", "places", "places of the pool: groups × group size"),
        Column(
            "offered_load_beds",
            "float64",
            "beds",
            "average occupied beds the plan places in the pool",
            label="offered load",
        ),
        Column(
            "refusal_probability",
            "float64",
            "1",
            "Erlang B: the chance a youth routed to the pool finds every place taken",
            label="refusal probability",
        ),
        Column(
            "max_refusal_probability",
            "float64",
            "1",
            "the scenario's target (empty with capacity_rule: occupancy)",
            label="target",
        ),
    ),
    field="service",
    per_path=True,
)
RESERVE = Table(
    "reserve.csv",
    "What reserve places buy: for every year of a `policy.min_places` rule marked "
    "`reserve: true`, the plan as solved and the same scenario solved without its reserve rules: "
    "places of the reserve's types, the load placed there, the load-weighted refusal probability "
    "over their pools (service.csv) and the objective of each plan. Header only when the scenario "
    "marks no reserve.",
    (
        YEAR,
        Column("rule", "str", "", "name of the `policy.min_places` rule"),
        Column("types", "str", "", "';'-joined place types the rule counts"),
        Column("reserve_places", "int64", "places", "the places the rule asks for"),
        Column("places_with", "int64", "places", "places of the rule's types, plan with reserve"),
        Column(
            "places_without",
            "float64",
            "places",
            "the same, plan without the reserve rules (empty when that plan is infeasible)",
        ),
        Column(
            "load_with_beds", "float64", "beds", "load placed in those types, plan with reserve"
        ),
        Column("load_without_beds", "float64", "beds", "the same, plan without the reserve"),
        Column("refusal_with", "float64", "1", "load-weighted refusal probability, with reserve"),
        Column("refusal_without", "float64", "1", "the same, plan without the reserve"),
        Column("objective_with_eur", "float64", "eur", "objective of the plan with the reserve"),
        Column(
            "objective_without_eur",
            "float64",
            "eur",
            "objective of the plan without it (empty when the plan is infeasible without it)",
        ),
    ),
    field="reserve",
    per_path=True,
)
ADVANCES = Table(
    "advances.csv",
    "Expected advance per municipality and year: the plan's places per type × day tariff × days "
    "in the year (365 or 366), split by the settlement key (population unless the scenario names "
    "agreed shares or weights) with largest remainder. The day tariff is the running cost per "
    "place-year divided by the days of the settlement year (365 without a `settlement` section). "
    "Header only when the population key is asked for and a zone has no population.",
    (
        YEAR,
        GM_CODE,
        Column(
            "advance_cents",
            "int64",
            "cents",
            "the advance, exact; per year it sums to that year's contract value (rounded half "
            "up to the cent once)",
            label="expected advance",
        ),
        Column(
            "advance_eur",
            "float64",
            "eur",
            "`advance_cents` / 100, for display",
            label="expected advance",
        ),
    ),
    field="advances",
    per_path=True,
)
VACANCY = Table(
    "vacancy.csv",
    "The running cost of empty places: per site, place type and year with places, "
    "`vacancy_eur` = running cost per place-year × (places − occupied beds). Part of `running` "
    "in costs.csv, not added to it.",
    (
        YEAR,
        SITE_ID,
        TYPE,
        Column("places", "int64", "places", "places of the type at the site"),
        Column("occupied_beds", "float64", "beds", "average occupied beds the plan places there"),
        Column(
            "running_eur_per_place_year",
            "float64",
            "eur",
            "running cost per place-year of the type (EUR per place-year)",
            label="running cost per place-year",
        ),
        Column(
            "vacancy_eur", "float64", "eur", "running cost of the empty places", label="vacancy"
        ),
    ),
    field="vacancy",
    per_path=True,
    optional=True,
)
SCHOOL_ID = Column(
    "school_id",
    "str",
    "",
    "DUO school id (BRIN + vestiging, geodata schools.csv), or `on_site_<site id>` / "
    "`school_<site id>` for a site's own education, `offer_<site id>` for education it may "
    "start on its grounds",
    label="school id",
)
SCHOOLS = Table(
    "schools.csv",
    "The plan's schools per year (models.education): every school a site may use, with its "
    "capacity and minimum for plan pupils, whether it is in use and how many of the plan's "
    "youths it teaches. A school in use with a minimum teaches at least that many; a school not "
    "in use teaches none.",
    (
        YEAR,
        SCHOOL_ID,
        Column("school_name", "str", "", "the school's name", label="school"),
        Column(
            "kind",
            "str",
            "",
            "kind of school: `vo`, `practical`, `vso_cluster4`, `vso_other`, `jzplus_school` "
            "(geodata schools.csv), `on_site` (a site's education on its grounds) or `own` (a "
            "site's school at a given distance, `education.school_km`)",
        ),
        GM_CODE,
        LAT,
        LON,
        Column(
            "host_site",
            "str",
            "",
            "the care site on whose grounds the school is (it closes with that site's groups "
            "unless allowed and priced); empty for others",
        ),
        Column(
            "capacity_pupils",
            "float64",
            "beds",
            "most plan pupils the school takes; empty: no limit of its own",
            label="capacity",
        ),
        Column(
            "min_pupils",
            "float64",
            "beds",
            "plan pupils the school needs while in use (its viability threshold)",
            label="minimum pupils",
        ),
        Column("decided", "bool", "", "whether the model decides if the school is in use"),
        Column("in_use", "bool", "", "whether the school teaches plan pupils in the year"),
        Column("pupils", "float64", "beds", "plan pupils taught (average occupied beds)"),
        Column("started", "bool", "", "the school started teaching plan pupils this year"),
        Column("stopped", "bool", "", "the school stopped (closing cost) this year"),
    ),
    field="schools",
    per_path=True,
    optional=True,
)
SCHOOL_PUPILS = Table(
    "school_pupils.csv",
    "Which school the youths of each site and place type attend, per year: one row per site, "
    "type and school with pupils > 0; summed per site and type it equals the beds of "
    "assignments.csv, and `school_transport` in costs.csv is its pupils × km × the scenario's "
    "EUR per bed-km-year.",
    (
        YEAR,
        SITE_ID,
        TYPE,
        SCHOOL_ID,
        Column("pupils", "float64", "beds", "youths of the site and type taught at the school"),
        Column("km", "float64", "km", "distance site → school (0 on site)"),
        Column(
            "basis",
            "str",
            "",
            "how the option arose",
            values=(
                ("on_site", "the site's education on site"),
                ("named", "the school the site names (`education.school`)"),
                ("school_km", "the site's school at a given distance"),
                ("offer_on_site", "education the site may start on its grounds"),
                ("suitable", "a bundled school of a suitable kind within reach"),
            ),
        ),
    ),
    field="school_pupils",
    per_path=True,
    optional=True,
)
POT_CATEGORIES = (
    ("closing", "friction and exit costs (afbouw, plan §6.2 a)"),
    ("converting", "set-up of converted groups and of new closed groups (ombouw, b)"),
    ("alternatives", "set-up of new hybrid and open groups (opbouw, c)"),
    ("vacancy", "running cost of empty places (vacancy.csv)"),
    ("project", "the scenario's project costs"),
)
POTS = Table(
    "pots.csv",
    "What each funding pot pays per year of its window, by category: the allocation of the "
    "plan's cash that uses the pots the most, earliest years first (the model keeps the budget on "
    "own money and the `must_cover` rules). Cash not paid by a pot falls to the municipalities "
    "(summary `funding_by_year`). Header only without `funding.pots`. Categories: "
    + "; ".join(f"`{name}` {text}" for name, text in POT_CATEGORIES)
    + ".",
    (
        Column("pot", "str", "", "the pot's name"),
        YEAR,
        Column("amount_eur", "float64", "eur", "the pot's amount for all its years together"),
        *(
            Column(f"paid_{name}_eur", "float64", "eur", f"paid for {name} in the year")
            for name, _ in POT_CATEGORIES
        ),
        Column("paid_eur", "float64", "eur", "paid in the year, all categories"),
        Column(
            "cofinanced_eur",
            "float64",
            "eur",
            "the municipalities' co-financing share of what was charged to the pot",
        ),
        Column("remaining_eur", "float64", "eur", "left in the pot after the year"),
    ),
    field="pots",
    per_path=True,
    optional=True,
)
PROVIDER = Table(
    "provider.csv",
    "Each provider's revenue (the running cost of the places at its sites) and viability per "
    "year: a share of the revenue carries its fixed overhead, so below overhead / share it "
    "cannot carry its critical mass (plan §3.1.1). The tariff increase is what would cover the "
    "overhead at the planned volume: (overhead − share × revenue) / contract revenue. Overhead "
    "columns are empty for a provider the scenario does not list in `providers`.",
    (
        Column("provider", "str", "", "the provider (`sites.<site id>.provider`)"),
        YEAR,
        Column("places", "int64", "places", "places at its sites"),
        Column("revenue_eur", "float64", "eur", "running cost of those places", label="revenue"),
        Column(
            "contract_revenue_eur",
            "float64",
            "eur",
            "the part of the revenue from types the contract prices (day tariffs)",
            label="contract revenue",
        ),
        Column("overhead_eur", "float64", "eur", "its fixed overhead per year"),
        Column("overhead_share", "float64", "1", "share of revenue that carries the overhead"),
        Column(
            "viability_level_eur",
            "float64",
            "eur",
            "overhead / share: the least revenue that carries the overhead",
            label="viability level",
        ),
        Column("shortfall_eur", "float64", "eur", "viability level − revenue, at least 0"),
        Column("shortfall_share", "float64", "1", "shortfall / viability level"),
        Column(
            "tariff_increase_share",
            "float64",
            "1",
            "tariff increase on the contract places that would carry the overhead at the planned "
            "volume (empty when it has no contract revenue)",
            label="tariff increase needed",
        ),
        Column("min_revenue", "bool", "", "whether the viability level is a rule of the plan"),
    ),
    field="provider",
    per_path=True,
    optional=True,
)
ZONES = Table(
    "inputs/zones.csv",
    "The planning zones (municipalities) with a point for each.",
    (
        GM_CODE,
        Column("name", "str", "", "the zone's name", label="municipality"),
        Column("region", "str", "", "the region the zone belongs to (e.g. `WBW`, `WBO`)"),
        Column("lat", "float64", "degrees", "latitude of the zone's point (centroid)"),
        Column("lon", "float64", "degrees", "longitude of the zone's point (centroid)"),
        Column("population", "float64", "persons", "residents; empty when unknown"),
        Column("population_date", "str", "", "reference date of `population`"),
    ),
    field="zones",
)
SITES = Table(
    "inputs/sites.csv",
    "The candidate and existing sites, with their school access.",
    (
        SITE_ID,
        Column("name", "str", "", "the site's name", label="site name"),
        Column("gm_code", "str", "", "the zone the site lies in", label="municipality code"),
        Column("region", "str", "", "the region of that zone"),
        LAT,
        LON,
        Column("allowed_types", "str", "", "';'-joined place types the site may run"),
        Column("max_groups", "int64", "groups", "most groups the site can hold, all types"),
        Column("min_groups", "int64", "groups", "fewest groups the site must keep (always 0)"),
        Column("school_name", "str", "", "the school the site's youths attend"),
        Column("school_on_site", "bool", "", "whether the school is on the site"),
        Column("school_km", "float64", "km", "distance site → school; empty when unknown"),
        Column(
            "education_types",
            "str",
            "",
            "';'-joined types the site may run given its education access (school within "
            "`education.max_school_km`)",
        ),
        Column("existing_closed", "int64", "groups", "closed groups in the start year"),
        Column("existing_hybrid", "int64", "groups", "hybrid groups in the start year"),
        Column("existing_open", "int64", "groups", "open groups in the start year"),
    ),
    field="sites",
)
DEMAND = Table(
    "inputs/demand.csv",
    "Demand per year, zone and need, as the scenario produced it.",
    (
        YEAR,
        GM_CODE,
        NEED,
        Column("beds", "float64", "beds", "expected demand of the need", label="demand"),
    ),
    field="demand",
    per_path=True,
)
DISTANCES = Table(
    "inputs/distances.csv",
    "Road distance and travel time from every zone to every site.",
    (
        GM_CODE,
        SITE_ID,
        Column("km", "float64", "km", "road distance zone → site", label="distance"),
        Column("minutes", "float64", "minutes", "travel time zone → site", label="travel time"),
        Column("links", "str", "", "';'-joined names of fixed links the path uses"),
    ),
    field="distances",
)
PLACE_TYPES = Table(
    "inputs/place_types.csv",
    "The place types with their group size, occupancy target and travel limits.",
    (
        TYPE,
        Column("group_size", "int64", "places/group", "places in one group"),
        Column(
            "occupancy_target",
            "float64",
            "1",
            "target share of places occupied on average: beds ≤ target × places",
        ),
        Column(
            "max_km", "float64", "km", "longest road distance zone → site", label="distance limit"
        ),
        Column(
            "max_minutes",
            "float64",
            "minutes",
            "longest travel time zone → site",
            label="travel time limit",
        ),
        Column(
            "min_groups_if_open",
            "int64",
            "groups",
            "critical mass: fewest groups of the type a site runs if it runs the type at all",
        ),
        Column(
            "min_group_years",
            "int64",
            "years",
            "a group added stays at least this many years (1: a group may run a single year)",
        ),
        Column(
            "fte_per_group",
            "float64",
            "fte/group",
            "staff one group needs; counts against `policy.max_recruit_fte_per_year` when added",
        ),
    ),
    field="place_types",
)
COMPATIBILITY = Table(
    "inputs/compatibility.csv",
    "Which place types may serve which need.",
    (
        NEED,
        TYPE,
        Column(
            "extra_levels",
            "int64",
            "levels",
            "how much more restrictive the type is than the need (priced by `restrictiveness`)",
        ),
    ),
    field="compatibility",
)
PLACES = Table(
    "inputs/places.csv",
    "Named places for the map: schools, courts, care locations.",
    (
        Column("place_id", "str", "", "the place's key (what a site's `education.school` names)"),
        Column("name", "str", "", "the place's name"),
        Column("type", "str", "", "kind of place, e.g. `jeugdzorgplus_gesloten`, `vso_cluster4`"),
        LAT,
        LON,
    ),
    field="places",
)
PARAMETERS = Table(
    "inputs/parameters.csv",
    "The assumptions table: every number the scenario used, with its unit and provenance.",
    (
        Column("path", "str", "", "dotted path of the number in the scenario", label="parameter"),
        Column("value", "str", "", "the number (its unit is in `unit`)"),
        Column("unit", "str", "", "the number's unit, by the field's name (optimizer/units.py)"),
        Column("source", "str", "", "`source` of the nearest mapping holding the number"),
        Column("assumption", "str", "", "`assumption` of the nearest mapping holding the number"),
    ),
    field="parameters",
)

SUMMARY = Document(
    "summary.json",
    "What was solved and how well, and the headline figures; its presence makes a folder a run "
    "folder.",
    (
        Key("scenario", "text", "", "scenario name"),
        Key("title", "text", "", "scenario title"),
        Key("description", "text", "", "scenario description"),
        Key("created", "text", "", "when the plan was solved, ISO 8601 in UTC"),
        Key("years", "list of int", "year", "the planning years"),
        Key("solver", "object", "", "the solver's report:"),
        Key("solver.status", "text", "", "`optimal`, `feasible`, `infeasible`, …"),
        Key("solver.proven_optimal", "bool", "", "whether optimality is proven"),
        Key("solver.describe", "text", "", "the status in words"),
        Key("solver.mip_gap", "number or null", "1", "relative gap when the solver stopped"),
        Key("solver.termination", "text", "", "the solver's termination condition"),
        Key("solver.time_limit_s", "number", "seconds", "the time limit used"),
        Key("solver.mip_rel_gap", "number", "1", "the relative gap asked for"),
        Key("solver.highs_version", "text", "", "the HiGHS version"),
        Key(
            "objective_eur",
            "number",
            "eur",
            "the objective: cash and policy weights discounted together (not money alone)",
        ),
        Key(
            "objective_from_costs_eur",
            "number",
            "eur",
            "sum of `eur_discounted` in costs.csv; equals `objective_eur` up to rounding",
        ),
        Key("cash_total_eur", "number", "eur", "costs.csv `eur` of kind `cash`, summed"),
        Key(
            "cash_total_discounted_eur",
            "number",
            "eur",
            "costs.csv `eur_discounted` of kind `cash`, summed: what the plan costs in money",
        ),
        Key(
            "weights_total_discounted_eur",
            "number",
            "eur",
            "costs.csv `eur_discounted` of kind `weight`, summed: policy weights, not money",
        ),
        Key(
            "weighted_total_eur",
            "number",
            "eur",
            "cash and weights discounted together: the objective (`objective_from_costs_eur`)",
        ),
        Key("vacancy_by_year", "object", "eur", "`{year: eur}`: vacancy.csv `vacancy_eur` summed"),
        Key(
            "funding_by_year",
            "object",
            "eur",
            "`{year: {cash_eur, pots_eur, own_eur}}`: cash, what the pots pay (pots.csv), what "
            "falls to the municipalities",
        ),
        Key(
            "provider",
            "object",
            "",
            "`{provider: {year: {places, revenue_eur, viability_level_eur, shortfall_share, "
            "tariff_increase_share}}}` from provider.csv",
        ),
        Key(
            "provider_viability",
            "list of text",
            "",
            "a sentence per provider and year below its viability level",
        ),
        Key(
            "contract",
            "object or null",
            "",
            "the one contract (scenario `settlement`; null without one): `year`, `days`, "
            "`places` per type, `priced` (types whose running cost is its day tariff), "
            "`value_cents` (exact; null without a key), `day_tariff_eur` per type, `derivation` "
            "in words",
        ),
        Key("build_seconds", "number", "seconds", "time to build the model"),
        Key("solve_seconds", "number", "seconds", "time to solve it"),
        Key(
            "cost_by_year",
            "object",
            "eur",
            "`{year: {component: eur, …, total: eur}}`, undiscounted, from costs.csv",
        ),
        Key(
            "beds_by_year_type",
            "object",
            "places",
            "`{year: {type: places}}`: plan.csv `beds` summed",
        ),
        Key("unmet", "list", "beds", "`[{year, need, beds}]`: unmet.csv summed by year and need"),
        Key("unmet_total_beds", "number", "beds", "unmet.csv `beds` summed over all rows"),
        Key("explanations", "list of text", "", "the planner's sentences on unmet demand"),
        Key(
            "explanations_nl",
            "list of text",
            "",
            "the same sentences in Dutch, one per English sentence (Dutch pages show these)",
        ),
        Key(
            "reasons_nl",
            "object",
            "",
            "`{reason: Dutch reason}` for unmet.csv's `reason` texts",
        ),
        Key(
            "public",
            "bool",
            "",
            "`true` in a public run folder (`--public`: small counts suppressed in every file, "
            "public.json), else `false`",
        ),
        Key("service", "object", "", "how places were sized:"),
        Key("service.capacity_rule", "text", "", "`service_level` or `occupancy`"),
        Key(
            "service.max_refusal_probability",
            "number",
            "1",
            "the scenario's refusal target (null with `occupancy`)",
        ),
        Key(
            "service.highest_refusal_by_year",
            "object",
            "1",
            "`{year: p}`: the highest refusal probability of any pool that year (service.csv)",
        ),
        Key("benchmarks", "object", "", "the scenario's `reference_figures`: `{name: value}`"),
        Key("counts", "object", "", "sizes:"),
        Key("counts.zones", "int", "", "zones"),
        Key("counts.sites", "int", "", "sites"),
        Key("counts.variables", "int", "", "model variables"),
        Key("counts.constraints", "int", "", "model constraints"),
        Key("objective", "object", "", "what the plan optimises (optimizer/equity.py):"),
        Key(
            "objective.kind",
            "text",
            "",
            "`cost` (least cost), `worst-trip` or `p90-trip` (`jzplan run --objective`), "
            "`alternative` (`jzplan alternatives`)",
        ),
        Key("objective.description", "text", "", "the objective and its ceiling in words"),
        Key(
            "objective.differ",
            "text or null",
            "",
            "an alternative's objective: `sites` (most site-type-years changed) or `worst-trip`",
        ),
        Key("objective.cost_slack", "number or null", "1", "the slack over the least cost"),
        Key(
            "objective.cost_ceiling_eur",
            "number or null",
            "eur",
            "the ceiling on the objective (cash and weights, discounted) the plan was held to",
        ),
        Key(
            "objective.least_cost_eur",
            "number or null",
            "eur",
            "the least-cost plan's objective the slack and extra cost are measured from",
        ),
        Key("objective.extra_eur", "number or null", "eur", "`objective_eur` − `least_cost_eur`"),
        Key("objective.extra_share", "number or null", "1", "`extra_eur` / `least_cost_eur`"),
        Key(
            "objective.trip_km",
            "number or null",
            "km",
            "the trip minimised: the longest (`worst-trip`) or the p90 (`p90-trip`)",
        ),
        Key("objective.trip_proven", "bool or null", "", "whether that trip is proven least"),
        Key(
            "objective.differs_from_nearest",
            "int or null",
            "",
            "an alternative: site-type-years (which type runs where, when) in which it differs "
            "from the closest plan found before it",
        ),
        Key(
            "trips",
            "object",
            "",
            "trips of placed youth over all plan years, weighted by beds (bed-years): "
            "`{bed_years, longest_km, p90_km, share_within_limit}` (p90: the smallest km that at "
            "least 90 % of the bed-years travel at most; within limit: the type's `max_km`)",
        ),
        Key("trips.all", "object", "km", "all regions together"),
        Key("trips.by_region", "object", "km", "`{region: {…}}` by the youth's home region"),
        Key("stochastic", "object or null", "", "a staged run (demand paths), else `null`:"),
        Key("stochastic.paths", "list of text", "", "the demand paths, as in paths.csv"),
        Key("stochastic.probabilities", "object", "1", "`{path: probability}`"),
        Key("stochastic.first_stage_years", "list of int", "year", "the years decided now"),
        Key(
            "stochastic.nodes",
            "object",
            "",
            "`{path: {year: node}}`: paths sharing a node in "
            "a year share that year's decisions (`root` in the first-stage years)",
        ),
        Key("stochastic.headline_path", "text", "", "the path the per-path pages show"),
        Key("stochastic.risk", "object", "", "`{measure, alpha, weight}`: what was minimised"),
        Key("stochastic.objective_eur", "number", "eur", "the minimised risk objective"),
        Key("stochastic.expected_cost_eur", "number", "eur", "Σ probability × path cost (RP)"),
        Key("stochastic.cost_by_path_eur", "object", "eur", "`{path: cost}` under the staged plan"),
        Key("stochastic.cash_by_path_eur", "object", "eur", "`{path: cash}`, undiscounted"),
        Key("stochastic.own_optimum_by_path_eur", "object", "eur", "`{path: its own optimum}`"),
        Key("stochastic.regret_by_path_eur", "object", "eur", "`{path: cost − own optimum}`"),
        Key("stochastic.wait_and_see_eur", "number", "eur", "Σ probability × own optimum (WS)"),
        Key(
            "stochastic.expected_value_plan_eur",
            "number or null",
            "eur",
            "EEV: the plan made for the expected demand, its first stage fixed, over every "
            "path; null when it cannot serve some path",
        ),
        Key(
            "stochastic.expected_value_plan_status",
            "text",
            "",
            "`found`; `infeasible`: "
            "the expected-demand plan cannot serve some path; `not_found`: no plan within the "
            "time limit",
        ),
        Key(
            "stochastic.own_optimum_proven_by_path",
            "object",
            "",
            "`{path: bool}`: each own "
            "optimum proven optimal (else the best plan found in the time limit)",
        ),
        Key("stochastic.evpi_eur", "number", "eur", "expected cost − WS (≥ 0)"),
        Key(
            "stochastic.vss_eur",
            "number or null",
            "eur",
            "EEV − expected cost (≥ 0); null when the expected-demand plan cannot serve some path",
        ),
        Key("stochastic.cvar_eur", "number or null", "eur", "CVaR of the path costs at `alpha`"),
        Key("stochastic.engine", "text", "", "`extensive-form` (HiGHS) or `mpi-sppy`"),
        Key("stochastic.ranks", "int", "", "MPI ranks used (1 for the extensive form)"),
        Key("stochastic.method", "text", "", "`ef` or mpi-sppy's `ph` (hub and spokes)"),
        Key(
            "stochastic.bound_eur",
            "number or null",
            "eur",
            "the proven lower bound on the "
            "minimised objective (the solver's dual bound; mpi-sppy's outer bound)",
        ),
        Key("stochastic.gap", "number or null", "1", "(objective − bound) / objective"),
        Key("stochastic.seconds", "number", "seconds", "time of the staged solve"),
    ),
)
MANIFEST = Document(
    "manifest.json",
    "Versions, hashes and timings, for re-checking an archived run. Written last before the "
    "reports; rendered files are not in `files`.",
    (
        Key("jzplan", "text", "", "jzplan version"),
        Key("pyomo", "text", "", "Pyomo version (`not installed` when absent)"),
        Key("highs", "text", "", "HiGHS version the solver reported"),
        Key("highspy", "text", "", "highspy version"),
        Key("python", "text", "", "Python version"),
        Key(
            "files",
            "object",
            "",
            "`{relative path: sha256}` of every file written before the manifest: inputs/, "
            "the plan tables and summary.json",
        ),
        Key("timings", "object", "", "timings:"),
        Key("timings.build_seconds", "number", "seconds", "as in summary.json"),
        Key("timings.solve_seconds", "number", "seconds", "as in summary.json"),
        Key(
            "public",
            "bool",
            "",
            "`true` in a public run folder (public.json; `files` then hashes the public files), "
            "else `false`",
        ),
    ),
)
SCENARIO = Document(
    "inputs/scenario.yaml",
    "The fully resolved scenario (after `extends:`), every default filled in; its fields are "
    "described in configs/README.md.",
)
ZONES_GEOJSON = Document(
    "inputs/zones.geojson",
    "Zone polygons (EPSG:4326), one feature per zone; absent when the zones have no polygons "
    "(points only).",
    (
        Key("type", "text", "", "`FeatureCollection`"),
        Key("name", "text", "", "layer name, `zones`"),
        Key("crs", "object", "", "`urn:ogc:def:crs:OGC:1.3:CRS84` (longitude before latitude)"),
        Key("features", "list", "", "one feature per zone:"),
        Key("features[].properties.gm_code", "text", "", "the zone's code, as in zones.csv"),
        Key("features[].properties.name", "text", "", "the zone's name"),
        Key("features[].properties.region", "text", "", "the zone's region"),
        Key("features[].geometry", "object", "", "a `Polygon` or `MultiPolygon`"),
    ),
    optional=True,
)
USER_FILES = Document(
    "inputs/user/",
    "Byte-for-byte copies of the files the scenario points to (zones, zone polygons, demand "
    "table or key, travel matrix, settlement key), under their path relative to the scenario "
    "file; absent when it points to none.",
    optional=True,
)
RENDERED = (
    Document("map.html", "The interactive map (reports/map.py).", optional=True, rendered=True),
    Document(
        "map-*.html",
        "Only in a staged run: the map of each demand path besides the headline path's "
        "(map.html), `map-<path>.html`; every path's map links to the others.",
        optional=True,
        rendered=True,
    ),
    Document(
        "report.html",
        "The standalone report, linking to the map (reports/report.py).",
        optional=True,
        rendered=True,
    ),
    Document(
        "plan.xlsx",
        "The workbook: the tables above as sheets with the headers and units of this contract, "
        "a per-municipality summary and the assumptions (reports/excel.py).",
        optional=True,
        rendered=True,
    ),
    Document(
        "screenshots/",
        "PNG screenshots of the map and report, when the browser tests rendered them.",
        optional=True,
        rendered=True,
    ),
    Document(
        "municipalities/",
        "A printable fact sheet per municipality, `municipalities/<gm_code>.html` (a code that "
        "is not a plain file name gets a safe name with a short hash): its demand by need and "
        "year, where its youth are placed and how far, its expected advance, the plan's main "
        "figures (reports/factsheet.py); linked from the map's popups and the report.",
        optional=True,
        rendered=True,
    ),
    Document(
        "public.json",
        "Only in a public run (`--public`): the threshold, the rule, and per file what was "
        "suppressed or removed (reports/public.py). In such a folder every table's counts (unit "
        "`beds`) below the threshold read `<5` (a lone one per group takes its smallest "
        "neighbour with it: `suppressed`), figures that would give them away are `suppressed`, "
        "the summary's explanations are left out, inputs/user/ is removed, and manifest.json's "
        "hashes are those of the public files.",
        (
            Key("public", "bool", "", "always `true`"),
            Key("threshold", "number", "beds", "the smallest count shown"),
            Key("rule", "text", "", "the suppression rule in words"),
            Key("files", "object", "", "`{relative path: what was done}`"),
        ),
        optional=True,
        rendered=True,
    ),
)

#: Every file of a run folder, in the order the reference lists them.
CONTRACT: tuple[Table | Document, ...] = (
    SUMMARY,
    PATHS,
    PLAN,
    ASSIGNMENTS,
    UNMET,
    COSTS,
    SERVICE,
    RESERVE,
    ADVANCES,
    VACANCY,
    POTS,
    PROVIDER,
    SCHOOLS,
    SCHOOL_PUPILS,
    SCENARIO,
    ZONES,
    ZONES_GEOJSON,
    SITES,
    DEMAND,
    DISTANCES,
    PLACE_TYPES,
    COMPATIBILITY,
    PLACES,
    PARAMETERS,
    USER_FILES,
    MANIFEST,
    *RENDERED,
)
TABLES: dict[str, Table] = {entry.path: entry for entry in CONTRACT if isinstance(entry, Table)}


def entry(path: str) -> Table | Document | None:
    """The contract's entry for ``path`` (relative, '/'-separated); None when it lists none."""
    for item in CONTRACT:
        if item.path == path or (item.path.endswith("/") and path.startswith(item.path)):
            return item
        if "*" in item.path and "/" not in path and fnmatch.fnmatchcase(path, item.path):
            return item
    return None


def unlisted(folder: Path) -> list[str]:
    """Files under ``folder`` that the contract does not list (should be none)."""
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return [name for name in files if entry(name) is None]


def missing(folder: Path) -> list[str]:
    """Files the contract requires that ``folder`` lacks."""
    return [
        item.path for item in CONTRACT if not item.optional and not (folder / item.path).exists()
    ]


# -- the reference page -------------------------------------------------------------------------

INTRO = (
    "`jzplan run CONFIG --out DIR` writes one folder. It holds everything needed to re-check the "
    "plan without jzplan, and everything the reports need: maps and reports are rendered from "
    "this folder alone, so a reviewer's map can be rebuilt from an archived run without solving "
    "again."
)
ATOMIC = (
    "The folder is written to a temporary sibling (`.DIR.….tmp`) first — tables, summary, "
    "manifest, then the map, report and workbook — and renamed only when complete, so a crash "
    "or a failing report never leaves a half-written run that looks finished. An existing folder "
    "is never replaced unless `--force` is given, and never when it is not a run folder (no "
    "`summary.json`)."
)
AUTHORITY = (
    "This page is generated from the contract in `reports/runfolder.py`. The writer "
    "(`optimizer/runfolder.py`) writes every table in the column order below and refuses to "
    "write one whose columns differ; the reader and the workbook take columns, types and units "
    "from the same place."
)
SUMMARY_EXAMPLE = """\
{
  "scenario": "baseline-2026",
  "title": "…",
  "description": "…",
  "created": "2026-11-27T15:00:00+00:00",
  "years": [2026, 2027, 2028, 2029, 2030],
  "solver": {"status": "optimal", "proven_optimal": true, "describe": "proven optimal",
             "mip_gap": 0.0, "termination": "…", "time_limit_s": 120, "mip_rel_gap": 0.0,
             "highs_version": "1.16.0"},
  "objective_eur": 123.0,
  "objective_from_costs_eur": 123.0,
  "cash_total_eur": 100.0, "cash_total_discounted_eur": 95.0,
  "weights_total_discounted_eur": 28.0, "weighted_total_eur": 123.0,
  "vacancy_by_year": {"2026": 0.0},
  "funding_by_year": {"2026": {"cash_eur": 20.0, "pots_eur": 5.0, "own_eur": 15.0}},
  "provider": {"Almata": {"2026": {"places": 36, "revenue_eur": 0.0, "…": 0.0}}},
  "provider_viability": ["…"],
  "contract": {"year": 2026, "days": 365, "places": {"closed": 24}, "priced": ["closed"],
               "value_cents": 837433045, "day_tariff_eur": {"closed": 955.97}, "derivation": "…"},
  "build_seconds": 0.5, "solve_seconds": 1.2,
  "cost_by_year": {"2026": {"running": 0.0, "…": 0.0, "total": 0.0}},
  "beds_by_year_type": {"2026": {"closed": 24, "hybrid": 12, "open": 0}},
  "unmet": [{"year": 2026, "need": "secure", "beds": 0.0}],
  "unmet_total_beds": 0.0,
  "explanations": ["…planner's words…"],
  "explanations_nl": ["…dezelfde zinnen in het Nederlands…"],
  "reasons_nl": {"…reason…": "…reden…"},
  "public": false,
  "service": {"capacity_rule": "service_level", "max_refusal_probability": 0.05,
              "highest_refusal_by_year": {"2026": 0.05}},
  "benchmarks": {"purchase_2026_places": 24, "hybrid_reserve_places": 12},
  "counts": {"zones": 27, "sites": 8, "variables": 2385, "constraints": 704},
  "objective": {"kind": "cost", "description": "least cost", "differ": null,
                "cost_slack": null, "cost_ceiling_eur": null, "least_cost_eur": null,
                "extra_eur": null, "extra_share": null, "trip_km": null, "trip_proven": null,
                "differs_from_nearest": null},
  "trips": {"all": {"bed_years": 90.0, "longest_km": 61.2, "p90_km": 44.0,
                    "share_within_limit": 1.0},
            "by_region": {"Zeeland": {"bed_years": 30.0, "…": 0.0}}},
  "stochastic": null
}"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(*cells: str) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _when(item: Table | Document) -> str:
    if getattr(item, "rendered", False):
        return "rendered"
    return "optional" if item.optional else "always"


def _unit(name: str) -> str:
    return f"`{name}`" if name else ""


def markdown() -> str:
    """The body of docs/run-folder.md: narrative, units, the file list, then every file."""
    out = ["# The run folder", "", INTRO, "", ATOMIC, "", AUTHORITY, ""]
    out += ["## Files", "", _row("file", "present", "content"), _row("---", "---", "---")]
    out += [_row(f"`{item.path}`", _when(item), item.description) for item in CONTRACT]
    out += ["", "## Types and units", ""]
    out += [_row("type", "values"), _row("---", "---")]
    out += [_row(f"`{name}`", text) for name, text in DTYPES.items()]
    out += ["", _row("unit", "meaning"), _row("---", "---")]
    out += [_row(f"`{unit.name}`", unit.meaning) for unit in UNITS.values()]
    out += ["", "An empty unit means text or a code."]
    out += ["", "## Tables", "", "Columns in file order."]
    for table in TABLES.values():
        note = " Optional." if table.optional else ""
        if table.per_path:
            note += " *Per path* in a staged run (see `paths.csv`)."
        out += ["", f"### `{table.path}`", "", table.description + note, ""]
        out += [_row("column", "type", "unit", "description"), _row("---", "---", "---", "---")]
        out += [
            _row(f"`{c.name}`", f"`{c.dtype}`", _unit(c.unit), c.description) for c in table.columns
        ]
        for column in table.columns:
            if column.values:
                out += ["", _row(f"`{column.name}`", "meaning"), _row("---", "---")]
                out += [_row(f"`{value}`", text) for value, text in column.values]
    out += ["", "## Other files"]
    for item in CONTRACT:
        if isinstance(item, Table):
            continue
        out += ["", f"### `{item.path}`", "", item.description]
        if item.keys:
            out += ["", _row("key", "kind", "unit", "description")]
            out += [_row("---", "---", "---", "---")]
            out += [_row(f"`{k.name}`", k.kind, _unit(k.unit), k.description) for k in item.keys]
        if item is SUMMARY:
            out += ["", "For example:", "", "```json", SUMMARY_EXAMPLE, "```"]
    return "\n".join(out) + "\n"


# -- the reader ---------------------------------------------------------------------------------


def _read(path: Path, table: Table) -> pd.DataFrame:
    """A CSV with the contract's columns, in its order and types; a missing file or column
    becomes empty (whole numbers 0, decimals NaN, text ''); a per-path table keeps its
    ``path`` column when it has one."""
    if path.exists() and path.stat().st_size > 0:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        frame = pd.DataFrame(columns=table.names)
    names = table.names
    if table.per_path and PATH_COLUMN.name in frame.columns:
        names = [PATH_COLUMN.name, *names]
        frame[PATH_COLUMN.name] = frame[PATH_COLUMN.name].astype(str)
    for column, kind in table.dtypes.items():
        if column not in frame:
            frame[column] = ""
        if kind == "str":
            frame[column] = frame[column].fillna("").astype(str)
        elif kind == "bool":
            words = frame[column].fillna("").astype(str).str.strip().str.lower()
            frame[column] = words.isin(("true", "1", "yes", "ja", "y"))
        else:
            numbers = pd.to_numeric(frame[column].replace("", None), errors="coerce")
            frame[column] = (
                numbers.fillna(0).astype(kind) if kind == "int64" else numbers.astype(kind)
            )
    return frame[names].reset_index(drop=True)


def _json(path: Path) -> dict | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


@dataclass(frozen=True)
class RunFolder:
    """Every table of one run, as written by ``jzplan run`` (fields named by ``Table.field``)."""

    path: Path
    summary: dict
    plan: pd.DataFrame
    assignments: pd.DataFrame
    unmet: pd.DataFrame
    costs: pd.DataFrame
    service: pd.DataFrame
    reserve: pd.DataFrame
    advances: pd.DataFrame
    vacancy: pd.DataFrame
    pots: pd.DataFrame
    provider: pd.DataFrame
    schools: pd.DataFrame
    school_pupils: pd.DataFrame
    zones: pd.DataFrame
    sites: pd.DataFrame
    demand: pd.DataFrame
    distances: pd.DataFrame
    place_types: pd.DataFrame
    compatibility: pd.DataFrame
    places: pd.DataFrame
    parameters: pd.DataFrame
    zones_geojson: dict | None
    manifest: dict
    paths: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PATHS.names))
    shown_path: str | None = None  # a staged run: the path the per-path tables hold

    @property
    def staged(self) -> bool:
        """A staged run (demand paths): paths.csv lists the paths."""
        return not self.paths.empty

    @property
    def years(self) -> list[int]:
        """Planning years from summary.json, else every year any table mentions."""
        listed = [int(y) for y in self.summary.get("years") or []]
        if listed:
            return sorted(set(listed))
        found: set[int] = set()
        for table in (self.plan, self.assignments, self.unmet, self.costs, self.demand):
            found.update(int(y) for y in table["year"])
        return sorted(found)

    @property
    def types(self) -> list[str]:
        """Place types in the order of place_types.csv, then any others the plan uses."""
        known = list(self.place_types["type"])
        extra = sorted(set(self.plan["type"]) - set(known))
        return known + extra

    @property
    def scenario(self) -> str:
        return str(self.summary.get("scenario") or self.path.name)

    @property
    def title(self) -> str:
        return str(self.summary.get("title") or self.scenario)


#: ``load_run(..., path=ALL_PATHS)`` keeps every path's rows (and the ``path`` column).
ALL_PATHS = "*"


def headline_path(summary: dict) -> str | None:
    """The path a staged run's pages show by default (summary.json ``stochastic``)."""
    return (summary.get("stochastic") or {}).get("headline_path")


def load_run(run_dir: Path, path: str | None = None) -> RunFolder:
    """Load ``run_dir``; raises FileNotFoundError when summary.json is missing (not a run).

    In a staged run the per-path tables hold one path: ``path``, by default the headline path
    of summary.json (so every page reads a plan as it would a single run's); ``ALL_PATHS``
    keeps every path's rows with their ``path`` column."""
    run_dir = Path(run_dir)
    summary = _json(run_dir / SUMMARY.path)
    if summary is None:
        raise FileNotFoundError(f"{run_dir} is not a run folder: summary.json is missing")
    tables = {table.field: _read(run_dir / name, table) for name, table in TABLES.items()}
    shown = None
    if not tables["paths"].empty and path != ALL_PATHS:
        shown = path or headline_path(summary) or str(tables["paths"]["path"].iloc[0])
        if shown not in set(tables["paths"]["path"]):
            raise KeyError(f"{run_dir}: no demand path {shown!r}; paths.csv lists "
                           f"{list(tables['paths']['path'])}")  # fmt: skip
        for table in TABLES.values():
            frame = tables[table.field]
            if table.per_path and PATH_COLUMN.name in frame.columns:
                kept = frame[frame[PATH_COLUMN.name] == shown]
                tables[table.field] = kept.drop(columns=PATH_COLUMN.name).reset_index(drop=True)
    return RunFolder(
        path=run_dir,
        summary=summary,
        zones_geojson=_json(run_dir / ZONES_GEOJSON.path),
        manifest=_json(run_dir / MANIFEST.path) or {},
        shown_path=shown,
        **tables,
    )
