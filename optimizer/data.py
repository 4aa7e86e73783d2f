"""From a validated scenario to the plain tables every later stage uses (:class:`InputData`).

This is where files a user points to are read (through the declared schemas of
:mod:`optimizer.userfiles`) and cross-checked against the scenario: codes that must be known,
every planning year in a demand table, every zone-site pair in a travel matrix, sites inside the
area, policy years inside the plan. Every problem found is collected and raised together as a
ScenarioError naming the file (the scenario file that set a field, under ``extends:``), the field
or the line and column, and what was expected.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

import geodata
import geodata.national
from optimizer import candidates, erlang, travel, userfiles
from optimizer import demand as demand_model
from optimizer.errors import Finding, Findings
from optimizer.scenario import origin_file
from optimizer.schema import NEEDS, TYPES, ByYear, Scenario
from optimizer.schools import plan_schools
from optimizer.userfiles import TableFinding, UserTable, shorten

ZONE_COLUMNS = ["gm_code", "name", "region", "lat", "lon"]
AGE_COLUMNS = ["age_0_14", "age_15_24"]  # CBS age bands of the bundled zones (youth key)
SITE_COLUMNS = [
    "site_id", "name", "gm_code", "region", "lat", "lon", "allowed_types", "max_groups",
    "min_groups", "school_name", "school_on_site", "school_km", "education_types",
    "existing_closed", "existing_hybrid", "existing_open",
]  # fmt: skip


@dataclass
class InputData:
    """Everything the models need, as tables with units in their column names."""

    scenario: Scenario
    zones: gpd.GeoDataFrame  # gm_code, name, region, lat, lon, population, population_date, ...
    sites: pd.DataFrame  # SITE_COLUMNS
    demand: pd.DataFrame  # year, gm_code, need, beds
    distances: pd.DataFrame  # gm_code, site_id, km, minutes, links
    place_types: pd.DataFrame  # type, group_size, occupancy_target, max_km, max_minutes, ...
    places: pd.DataFrame  # place_id, name, type, lat, lon
    files: dict[str, Path] = field(default_factory=dict)  # user files read, for the manifest
    settlement_weights: pd.Series | None = None  # gm_code -> weight; None: population key
    population_gaps: list[Finding] = field(default_factory=list)  # zones without a population
    site_schools: pd.DataFrame | None = None  # SITE_SCHOOL_COLUMNS: each site's school per type
    schools: pd.DataFrame | None = None  # optimizer.schools.SCHOOL_COLUMNS: the plan's schools
    school_options: pd.DataFrame | None = None  # schools.OPTION_COLUMNS: (site, type, school)
    path_demand: dict[str, pd.DataFrame] | None = None  # demand per demand path (staged plan)

    @property
    def years(self) -> list[int]:
        return self.scenario.planning.years

    def compatible(self) -> pd.DataFrame:
        """need → type pairs allowed, with how many levels more restrictive the type is."""
        level_need = {"open": 0, "hybrid": 1, "secure": 2}
        level_type = {"open": 0, "hybrid": 1, "closed": 2}
        rows = [
            (n, t, max(0, level_type[t] - level_need[n]))
            for n in NEEDS
            for t in self.scenario.compatibility.types_for(n)
        ]
        return pd.DataFrame(rows, columns=["need", "type", "extra_levels"])


def _at(base: Path, rel: str) -> Path:
    """A user file's path: ``rel`` (as the scenario gives it) from ``base``, ``..`` folded."""
    return Path(os.path.normpath(base / rel))


class _Problems(Findings):
    """Findings whose default file is the scenario file that set the field (``extends:`` aware)."""

    def __init__(self, config_file: str, scenario: Scenario):
        super().__init__(config_file)
        self.scenario = scenario

    def file_of(self, field_path: str) -> str:
        return origin_file(self.scenario, field_path, self.config_file)

    def add(self, field_path: str, message: str, file=None, blame: str | None = None) -> None:
        super().add(field_path, message, file or self.file_of(blame or field_path))

    def table(self, path: Path, spec: userfiles.Spec, field_path: str) -> UserTable | None:
        """A user file read against its declared schema; problems collected here."""
        return userfiles.read_table(path, spec, self.items, (self.file_of(field_path), field_path))


def unknown_codes(table: UserTable, column: str, known, what: str) -> list[Finding]:
    """One finding per code in ``column`` that is not ``known``, naming its lines."""
    values, known = table.frame[column], sorted(map(str, known))
    bad = values.notna() & ~values.isin(known)
    sample = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    groups = values[bad].groupby(values[bad], sort=True).groups
    return [
        table.at(r, column, f"unknown {what} {c!r}; known: {sample}") for c, r in groups.items()
    ]


def lacking(table: UserTable, column: str, expected, what: str, hint: str) -> list[Finding]:
    """A finding for the values of ``column`` that must appear at least once and do not."""
    present = set(table.frame[column].dropna())
    absent = [str(v) for v in expected if v not in present]
    message = f"no {what} {shorten(absent)}; {hint}"
    return [TableFinding(str(table.path), f"column {column!r}", message)] if absent else []


def missing_pairs(table: UserTable, zones, sites) -> list[Finding]:
    """A finding for the zone-site pairs a travel matrix does not list."""
    have = set(zip(table.frame["gm_code"], table.frame["site_id"], strict=True))
    absent = [f"{z}-{s}" for z in zones for s in sites if (z, s) not in have]
    message = (
        f"{len(absent)} zone-site pair(s) not listed: {shorten(absent)}; give every zone and "
        "site a row (a km above the place types' max_km keeps a pair from being used)"
    )
    return [TableFinding(str(table.path), "(pairs)", message)] if absent else []


def _population_gaps(table: UserTable) -> list[Finding]:
    """Zones of a zones file without a usable population (empty, 'onbekend', no column)."""
    if "population" not in table.frame:
        return [TableFinding(str(table.path), "(columns)", "no column 'population'")]
    unknown = table.unknown.get("population", {})
    return [
        table.at([row], "population", f"no population (got {raw!r})")
        for row, raw in sorted(unknown.items())
    ]


def _zones(scenario: Scenario, base: Path, problems: _Problems):
    """The zones as a GeoDataFrame and the zones without a population (findings)."""
    spec = scenario.zones
    if spec.kind == "national":
        return _national_zones(spec, problems)
    if spec.kind == "bundled":
        zones = geodata.load_municipalities()
        unknown = sorted(set(spec.regions) - set(zones["region"]))
        if unknown:
            problems.add(
                "zones.regions", f"unknown region(s) {unknown}; expected WBW, WBO, Zeeland"
            )
        zones = zones[zones["region"].isin(spec.regions)].reset_index(drop=True)
        gaps = [
            Finding("geodata population.csv", "gm_code", f"no population for zone {code!r}")
            for code in zones.loc[zones["population"].isna(), "gm_code"]
        ]
        keep = ZONE_COLUMNS + ["population", "population_date", *AGE_COLUMNS, "geometry"]
        return zones[keep], gaps
    read = problems.table(_at(base, spec.csv), userfiles.ZONES, "zones.csv")
    if read is None:
        return None, []
    table, gaps = read.frame, _population_gaps(read)
    for column in ("population", "population_date"):
        if column not in table:
            table[column] = np.nan
    geometry = None
    if spec.geojson:
        path = _at(base, spec.geojson)
        if not path.is_file():
            problems.add("zones.geojson", f"file not found: {path}")
        else:
            try:
                shapes = gpd.read_file(path).to_crs(geodata.DISPLAY_CRS)
            except Exception as exc:  # noqa: BLE001 - any reader error is the file's problem
                problems.add("(file)", f"not a readable GeoJSON file: {exc}", file=str(path))
                shapes = pd.DataFrame({"gm_code": []})
            if "gm_code" not in shapes:
                problems.add("(properties)", "expected a 'gm_code' property", file=str(path))
            else:
                geometry = table[["gm_code"]].merge(shapes[["gm_code", "geometry"]], how="left")
                geometry = geometry["geometry"]
    if geometry is None:
        geometry = gpd.points_from_xy(table["lon"], table["lat"])
    return gpd.GeoDataFrame(table, geometry=geometry, crs=geodata.DISPLAY_CRS), gaps


def _national_zones(spec, problems: _Problems):
    """The 342 municipalities of geodata national/ (all regions, or ``zones.regions``)."""
    zones = geodata.national.load_municipalities()
    asked = spec.national_regions()
    if asked is not None:
        unknown = sorted(set(asked) - set(zones["region"]))
        if unknown:
            sample = ", ".join(sorted(set(zones["region"]))[:6])
            problems.add(
                "zones.regions", f"unknown jeugdregio(s) {unknown}; CBS names such as {sample}, …"
            )
        zones = zones[zones["region"].isin(asked)].reset_index(drop=True)
    keep = ZONE_COLUMNS + ["population", "population_date", *AGE_COLUMNS, "geometry"]
    return zones[keep], []


def _key_weights(scenario: Scenario, zones: pd.DataFrame, base: Path, problems, gaps):
    spec = scenario.demand
    if spec.key == "population":
        weights = pd.to_numeric(zones["population"], errors="coerce")
        if weights.isna().any():
            missing = zones.loc[weights.isna(), "gm_code"].tolist()
            problems.add("demand.key", f"no population for zone(s) {missing}; use key: csv")
            need = "demand.key: population needs one for every zone (or use key: csv)"
            problems.items.extend(replace(g, message=f"{g.message}; {need}") for g in gaps)
            return None
        return weights
    if spec.key == "youth":
        return _youth_weights(spec.youth_key, zones, problems)
    return _weights_csv(_at(base, spec.key_csv), "demand.key_csv", zones, problems)


def _youth_weights(key, zones: pd.DataFrame, problems: _Problems):
    """share_0_14 × inhabitants 0-14 + share_15_24 × inhabitants 15-24 per zone (bundled zones)."""
    if not set(AGE_COLUMNS) <= set(zones.columns):
        problems.add(
            "demand.key",
            "key 'youth' needs the bundled zones (CBS age bands 0-14 and 15-24); with zones from "
            "a file give the weights yourself (key: csv)",
        )
        return None
    ages = zones[AGE_COLUMNS].apply(pd.to_numeric, errors="coerce").astype(float)
    weights = key.share_0_14 * ages["age_0_14"] + key.share_15_24 * ages["age_15_24"]
    if weights.isna().any():
        missing = zones.loc[weights.isna().to_numpy(), "gm_code"].tolist()
        problems.add("demand.key", f"no age bands for zone(s) {missing}; use key: csv")
        return None
    return weights.reset_index(drop=True)


def _weights_csv(path: Path, field: str, zones: pd.DataFrame, problems: _Problems):
    """A gm_code, weight table aligned to the zones: every zone once, nothing unknown."""
    read = problems.table(path, userfiles.WEIGHTS, field)
    if read is None:
        return None
    unknown = unknown_codes(read, "gm_code", zones["gm_code"], "zone code")
    problems.items.extend(unknown)
    if unknown or not read.valid:
        return None
    weights = zones[["gm_code"]].merge(read.frame[["gm_code", "weight"]], how="left")["weight"]
    if weights.isna().any():
        missing = zones.loc[weights.isna().to_numpy(), "gm_code"].tolist()
        problems.add("gm_code", f"no weight for zone(s) {missing}", file=str(path))
        return None
    return weights


def _settlement_weights(scenario: Scenario, zones: pd.DataFrame, base: Path, problems):
    """The settlement key's weights per zone, or None for the population key (or no section)."""
    spec = scenario.settlement
    if spec is None or spec.key == "population":
        return None
    weights = _weights_csv(_at(base, spec.key_csv), "settlement.key_csv", zones, problems)
    if weights is None:
        return None
    total = float(weights.sum())
    if spec.key == "shares" and abs(total - 1.0) > 1e-6:
        problems.add(
            "weight",
            f"agreed shares must sum to 1, they sum to {total:.9g}; use key: weights to share "
            "in proportion to any numbers",
            file=str(_at(base, spec.key_csv)),
        )
        return None
    if total <= 0:
        problems.add(
            "weight", "at least one weight must be more than 0", file=str(_at(base, spec.key_csv))
        )
        return None
    return pd.Series(weights.to_numpy(), index=zones["gm_code"].to_numpy(), name="weight")


def _demand(scenario: Scenario, zones: pd.DataFrame, base: Path, problems: _Problems, gaps):
    spec = scenario.demand
    years = scenario.planning.years
    if spec.table_csv:
        read = problems.table(_at(base, spec.table_csv), userfiles.DEMAND, "demand.table_csv")
        if read is None:
            return None
        problems.items.extend(unknown_codes(read, "gm_code", zones["gm_code"], "zone code"))
        if not read.valid:
            return None
        hint = f"the plan years are {years[0]}-{years[-1]}; give 0 beds for a year without demand"
        problems.items.extend(lacking(read, "year", years, "rows for planning year(s)", hint))
        table = read.frame.astype({"year": int})
        return table[table["year"].isin(years)][["year", "gm_code", "need", "beds"]]
    weights = _key_weights(scenario, zones, base, problems, gaps)
    if weights is None:
        return None
    keyed = zones[["gm_code", "region"]].assign(weight=weights.to_numpy())
    if spec.arrivals_by_region is not None:
        return _arrivals_demand(spec, keyed, years, problems)
    if spec.totals is not None:
        totals = {"*": spec.totals.values}
    else:
        totals = {region: by_year.values for region, by_year in spec.totals_by_region.items()}
        unknown = sorted(set(totals) - set(zones["region"]))
        if unknown:
            problems.add("demand.totals_by_region", f"unknown region(s) {unknown}")
            return None
    for area, by_year in totals.items():
        missing = [y for y in years if y not in by_year]
        if missing:
            problems.add(
                f"demand.totals{'' if area == '*' else '_by_region.' + area}.values",
                f"no total for year(s) {missing}",
            )
    missing = [y for y in years if y not in spec.need_shares.values]
    if missing:
        problems.add("demand.need_shares.values", f"no shares for year(s) {missing}")
    if problems:
        return None
    return demand_model.distribute(keyed, totals, spec.need_shares.values, years)


def _path_demands(scenario: Scenario, zones, base: Path, problems: _Problems):
    """Each demand path's demand table, built as the scenario's own; its problems are named
    under ``demand_paths.paths.<name>.demand``."""
    if scenario.demand_paths is None:
        return None
    tables = {}
    for name, path in scenario.demand_paths.paths.items():
        own = _Problems(problems.config_file, scenario)
        variant = scenario.model_copy(update={"demand": path.demand})
        tables[name] = _demand(variant, zones, base, own, [])
        prefix = f"demand_paths.paths.{name}."
        for finding in own.items:
            at = finding.field
            named = prefix + at if at.startswith("demand") else at
            problems.items.append(replace(finding, field=named))
    return tables


def _arrivals_demand(spec, keyed: pd.DataFrame, years: list[int], problems: Findings):
    """Offered load from arrivals and mean stay per region and need (demand.distribute_arrivals)."""
    arrivals = {region: by_year.values for region, by_year in spec.arrivals_by_region.items()}
    regions = set(keyed["region"])
    unknown = sorted(set(arrivals) - regions)
    if unknown:
        problems.add(
            "demand.arrivals_by_region", f"unknown region(s) {unknown}; expected {sorted(regions)}"
        )
    missing = sorted(regions - set(arrivals))
    if missing:
        problems.add(
            "demand.arrivals_by_region",
            f"no arrivals for region(s) {missing}; give zeros for a region without demand",
        )
    for region, by_year in arrivals.items():
        absent = [y for y in years if y not in by_year]
        if absent:
            problems.add(
                f"demand.arrivals_by_region.{region}.values", f"no arrivals for year(s) {absent}"
            )
    stay_regions = sorted(set(spec.mean_stay_days.by_region) - regions)
    if stay_regions:
        problems.add(
            "demand.mean_stay_days.by_region",
            f"unknown region(s) {stay_regions}; expected {sorted(regions)}",
        )
    if problems:
        return None
    stays = {region: spec.mean_stay_days.for_region(region) for region in arrivals}
    return demand_model.distribute_arrivals(keyed, arrivals, stays, years)


def _site_zone(site, zones: gpd.GeoDataFrame, has_polygons: bool, problems: Findings, sid: str):
    """The zone a site lies in: its gm_code if given and known, else by point in polygon."""
    codes = set(zones["gm_code"])
    if site.gm_code is not None and site.gm_code not in codes:
        problems.add(f"sites.{sid}.gm_code", f"unknown municipality code {site.gm_code!r}")
        return None
    point = Point(site.lon, site.lat)
    if has_polygons:
        metric = zones.to_crs(geodata.METRIC_CRS)
        p = gpd.GeoSeries([point], crs=geodata.DISPLAY_CRS).to_crs(geodata.METRIC_CRS).iloc[0]
        dist = metric.distance(p)
        if dist.min() > 2000:  # 2 km: the polygons are generalised (SOURCES.md §1)
            problems.add(
                f"sites.{sid}",
                f"location ({site.lat}, {site.lon}) lies outside every "
                f"zone of the regions {sorted(set(zones['region']))}",
                blame=f"sites.{sid}.lat",
            )
            return None
        if site.gm_code is None:
            return zones["gm_code"].iloc[int(dist.argmin())]
    elif site.gm_code is None:
        problems.add(f"sites.{sid}.gm_code", "required when zones have no polygons")
        return None
    return site.gm_code


SITE_SCHOOL_COLUMNS = [
    "site_id",
    "type",
    "basis",
    "school_id",
    "school_name",
    "kind",
    "km",
    "access",
]


def _site_schools(scenario: Scenario, sid: str, site, code: str, schools, travel_model, problems):
    """The school of each type the site may run: rows of SITE_SCHOOL_COLUMNS, or None on error.

    ``basis`` says how it was found: ``on_site`` (0 km), ``school_km`` (the distance given),
    ``named`` (the bundled school ``education.school``, whatever its kind), ``nearest`` (the
    nearest located bundled school of a kind in ``education.school_kinds`` for the type) or
    ``none`` (no school: ``km`` empty).
    """
    edu, limit = site.education, scenario.education.max_school_km
    detour, here = scenario.travel.detour_factor, (code, site.lat, site.lon)
    named = None
    if edu.school is not None:
        if edu.school not in schools.index:
            problems.add(
                f"sites.{sid}.education.school",
                f"unknown school_id {edu.school!r}; expected a school_id of geodata schools.csv "
                "(DUO BRIN + vestiging, e.g. 02RH15 for Het Olivijncollege)",
            )
            return None
        named = schools.loc[edu.school]
    fixed = None  # (basis, school_id, name, kind, km) shared by every type
    if edu.on_site or edu.school_km is not None:
        basis = "on_site" if edu.on_site else "school_km"
        km = 0.0 if edu.on_site else edu.school_km
        name = named["name"] if named is not None else ("on site" if edu.on_site else "school")
        fixed = (basis, edu.school or "", name, "" if named is None else named["kind"], km)
    elif named is not None:
        if named["flag"] in geodata.UNLOCATED or pd.isna(named["lat"]):
            problems.add(
                f"sites.{sid}.education.school",
                f"school {edu.school!r} has no usable coordinate in geodata schools.csv (flag "
                f"{named['flag']!r}); give education.school_km or name another school",
            )
            return None
        point = (named["gm_code"], named["lat"], named["lon"])
        km = travel.trip_km(travel_model, detour, here, point)
        fixed = ("named", edu.school, named["name"], named["kind"], km)
    kinds = scenario.education.school_kinds
    if fixed is None and kinds is not None:
        wanted = {k for t in site.allowed_types for k in kinds.kinds_for(t)}
        located = schools[schools["kind"].isin(wanted) & schools["located"]]
        km_to = pd.Series(
            [travel.trip_km(travel_model, detour, here, (s.gm_code, s.lat, s.lon))
             for s in located.itertuples(index=False)],
            index=located.index, dtype=float,
        )  # fmt: skip
    rows = []
    for t in site.allowed_types:
        row = fixed
        if row is None and kinds is not None:
            near = km_to[located["kind"].isin(kinds.kinds_for(t)).to_numpy()].dropna()
            if not near.empty:
                best = min(near.index, key=lambda i: (near[i], i))  # ties: lower school_id
                row = ("nearest", best, schools.at[best, "name"], schools.at[best, "kind"],
                       float(near[best]))  # fmt: skip
        basis, school_id, name, kind, km = row or ("none", "", "", "", None)
        access = km is not None and km <= limit
        values = (sid, t, basis, school_id, name, kind, km, access)
        rows.append(dict(zip(SITE_SCHOOL_COLUMNS, values, strict=True)))
    return rows


def _summary_school(rows: list[dict]) -> tuple[str, float | None, list[str]]:
    """A site's school name, school km and education types from its per-type rows.

    The school km is the longest trip of the types with access (each type's youths go to their
    own school; the school transport cost is per site), or, without access, the nearest school
    found (shown in the explanations). Several schools are named with their types.
    """
    access = [r for r in rows if r["access"]]
    known = [r for r in rows if r["km"] is not None]
    shown = access or sorted(known, key=lambda r: r["km"])[:1]
    names = list(dict.fromkeys(r["school_name"] for r in shown))
    if len(names) > 1:
        names = [
            f"{n} ({', '.join(r['type'] for r in shown if r['school_name'] == n)})" for n in names
        ]
    km = max((r["km"] for r in shown), default=None)
    return " / ".join(names), km, [r["type"] for r in access]


def _sites(scenario: Scenario, zones, travel_model, has_polygons, problems: Findings):
    """The sites (SITE_COLUMNS) and their school per type (SITE_SCHOOL_COLUMNS)."""
    region_of = dict(zip(zones["gm_code"], zones["region"], strict=True))
    schools = geodata.load_schools().set_index("school_id", drop=False)
    located = set(geodata.load_schools(located=True)["school_id"])
    schools["located"] = schools["school_id"].isin(located)
    rows, per_type = [], []
    for sid, site in scenario.sites.items():
        code = _site_zone(site, zones, has_polygons, problems, sid)
        if code is None:
            continue
        found = _site_schools(scenario, sid, site, code, schools, travel_model, problems)
        if found is None:
            continue
        per_type.extend(found)
        school_name, school_km, education_types = _summary_school(found)
        rows.append({
            "site_id": sid, "name": site.name, "gm_code": code, "region": region_of[code],
            "lat": site.lat, "lon": site.lon, "allowed_types": ";".join(site.allowed_types),
            "max_groups": site.max_groups, "min_groups": 0,
            "school_name": school_name, "school_on_site": bool(site.education.on_site),
            "school_km": np.nan if school_km is None else school_km,
            "education_types": ";".join(education_types),
            **{f"existing_{t}": site.existing.get(t, 0) for t in TYPES},
        })  # fmt: skip
    sites = pd.DataFrame(rows, columns=SITE_COLUMNS)
    return sites, pd.DataFrame(per_type, columns=SITE_SCHOOL_COLUMNS)


def _places(site_schools: pd.DataFrame) -> pd.DataFrame:
    """Named places for the map: the bundled places and the schools the sites go to."""
    places = geodata.load_places()[["place_id", "name", "type", "gm_code", "lat", "lon"]]
    used = site_schools.loc[site_schools["school_id"] != "", "school_id"].unique()
    schools = geodata.load_schools(located=True)
    schools = schools[schools["school_id"].isin(used)].rename(
        columns={"school_id": "place_id", "kind": "type"}
    )
    return pd.concat([places, schools[places.columns]], ignore_index=True)


def _check_policy(scenario: Scenario, regions: set, problems: Findings) -> None:
    """Rules name known sites and regions, and only years of the plan."""
    years = set(scenario.planning.years)
    pol = scenario.policy
    plan = f"years outside the plan {scenario.planning.first_year}-{scenario.planning.last_year}"
    for name in type(pol).model_fields:  # every per-year limit
        rule = getattr(pol, name)
        outside = sorted(set(rule.values) - years) if isinstance(rule, ByYear) else []
        if outside:
            problems.add(f"policy.{name}.values", f"{plan}: {outside} (it would never apply)")
    last = scenario.planning.last_year
    for region, year in (pol.hybrid_site_required_from.values if pol.hybrid_site_required_from
                         else {}).items():  # fmt: skip
        if year > last:
            problems.add(
                f"policy.hybrid_site_required_from.values.{region}",
                f"{year} is after the last plan year {last}: the rule would never apply",
            )
    for i, rule in enumerate(pol.fixed_groups):
        if rule.site not in scenario.sites:
            problems.add(f"policy.fixed_groups.{i}.site", f"unknown site {rule.site!r}")
        if not set(rule.years) <= years:
            outside = sorted(set(rule.years) - years)
            problems.add(f"policy.fixed_groups.{i}.years", f"{plan}: {outside}")
    for i, rule in enumerate(pol.min_places):
        if not set(rule.years) <= years:
            outside = sorted(set(rule.years) - years)
            problems.add(f"policy.min_places.{i}.years", f"{plan}: {outside}")
    if pol.hybrid_site_required_from:
        unknown = sorted(set(pol.hybrid_site_required_from.values) - regions)
        if unknown:
            problems.add("policy.hybrid_site_required_from", f"unknown region(s) {unknown}")
    _check_pools(scenario, problems)


def _check_pools(scenario: Scenario, problems: Findings) -> None:
    """Pools name known sites, share no site and type, and have one group size."""
    if scenario.service_level is None:
        return
    owner: dict[tuple[str, str], str] = {}
    for name, pool in scenario.service_level.pools.items():
        where = f"service_level.pools.{name}"
        unknown = sorted(set(pool.sites) - set(scenario.sites))
        if unknown:
            problems.add(f"{where}.sites", f"unknown site(s) {unknown}")
        sizes = {scenario.place_types[k].group_size for k in pool.types}
        places = max(sizes) * sum(scenario.sites[s].max_groups for s in pool.sites
                                  if s in scenario.sites)  # fmt: skip
        if places > erlang.MAX_TABLE_PLACES:
            problems.add(
                f"{where}.sites",
                f"the pool can hold {places:,} places, more than the {erlang.MAX_TABLE_PLACES:,} "
                "the loss model sizes in one pool; lower max_groups or split the pool",
            )
        if len(sizes) > 1:
            problems.add(
                f"{where}.types",
                f"types {pool.types} have different group sizes {sorted(sizes)}; "
                "a pool counts whole groups of one size",
            )
        for pair in ((s, k) for s in pool.sites for k in pool.types):
            if pair in owner and owner[pair] != name:
                problems.add(
                    f"{where}.sites",
                    f"site {pair[0]!r}, type {pair[1]!r} is already in pool {owner[pair]!r}",
                )
            owner[pair] = name


def _travel_model(scenario: Scenario, zones, has_polygons, problems: Findings):
    spec = scenario.travel
    if spec.method != "land_graph":
        return None
    if not has_polygons:
        problems.add("travel.method", "land_graph needs zone polygons; use straight_line or matrix")
        return None
    codes = set(zones["gm_code"])
    for i, item in enumerate(spec.fixed_links + spec.water_borders):
        unknown = [c for c in item.between if c not in codes]
        kind = "fixed_links" if i < len(spec.fixed_links) else "water_borders"
        if unknown:
            j = i if kind == "fixed_links" else i - len(spec.fixed_links)
            problems.add(f"travel.{kind}.{j}.between", f"unknown zone code(s) {unknown}")
    crossings = geodata.load_fixed_links().set_index("link_id")["length_km"]
    for j, lk in enumerate(spec.fixed_links):
        if lk.link is not None and lk.link not in crossings.index:
            known = ", ".join(crossings.index)
            problems.add(
                f"travel.fixed_links.{j}.link",
                f"unknown link_id {lk.link!r}; geodata fixed_links.csv has {known}",
            )
    if problems:
        return None
    links = [
        travel.Link(lk.name, *lk.between, km=lk.km, extra_minutes=lk.extra_minutes,
                    crossing_km=_crossing_km(crossings, lk.link))
        for lk in spec.fixed_links
    ]  # fmt: skip
    borders = [tuple(w.between) for w in spec.water_borders]
    return travel.TravelModel.land_graph(zones, spec.detour_factor, spec.speed_kmh, links, borders)


def _crossing_km(crossings: pd.Series, link_id: str | None) -> float | None:
    """The bundled crossing's length in km; None without a link or a length in the file."""
    if link_id is None or pd.isna(crossings.get(link_id)):
        return None
    return float(crossings[link_id])


def _distances(scenario: Scenario, travel_model, zones, sites, base: Path, problems: _Problems):
    spec = scenario.travel
    if spec.method == "matrix":
        read = problems.table(_at(base, spec.matrix_csv), userfiles.MATRIX, "travel.matrix_csv")
        if read is None:
            return None
        unknown = unknown_codes(read, "gm_code", zones["gm_code"], "zone code")
        unknown += unknown_codes(read, "site_id", sites["site_id"], "site id")
        problems.items.extend(unknown)
        if read.valid and not unknown:
            problems.items.extend(missing_pairs(read, zones["gm_code"], sites["site_id"]))
        table = read.frame
        table["links"] = table["links"].fillna("") if "links" in table else ""
        return table[["gm_code", "site_id", "km", "minutes", "links"]]
    return travel.zone_site_distances(
        travel_model, zones, sites, spec.detour_factor, spec.speed_kmh
    )


def _place_types(scenario: Scenario) -> pd.DataFrame:
    rows = [
        {"type": t, **scenario.place_types[t].model_dump(exclude={"source", "assumption"})}
        for t in TYPES
    ]
    return pd.DataFrame(rows)


def build_input_data(scenario: Scenario, base: Path, config_file: str = "(scenario)") -> InputData:
    """Read and cross-check everything a scenario points to; raise all problems at once."""
    problems = _Problems(config_file, scenario)
    zones, gaps = _zones(scenario, base, problems)
    problems.raise_if_any()
    scenario = candidates.expand(scenario, zones, problems)  # generated sites join the listed
    problems.raise_if_any()
    has_polygons = bool(zones.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all())
    _check_policy(scenario, set(zones["region"]), problems)
    demand = _demand(scenario, zones, base, problems, gaps)
    path_demand = _path_demands(scenario, zones, base, problems)
    travel_model = _travel_model(scenario, zones, has_polygons, problems)
    sites, site_schools = _sites(scenario, zones, travel_model, has_polygons, problems)
    sites, schools, school_options = plan_schools(
        scenario, sites, site_schools, travel_model, problems
    )
    problems.raise_if_any()
    places = _places(site_schools)
    distances = _distances(scenario, travel_model, zones, sites, base, problems)
    settlement_weights = _settlement_weights(scenario, zones, base, problems)
    problems.raise_if_any()
    files = {}
    for rel in (
        scenario.zones.csv,
        scenario.zones.geojson,
        scenario.demand.key_csv,
        scenario.demand.table_csv,
        scenario.travel.matrix_csv,
        scenario.settlement.key_csv if scenario.settlement else None,
    ):
        if rel and _at(base, rel) not in files.values():
            files[_copy_name(rel, files)] = _at(base, rel)
    return InputData(
        scenario=scenario, zones=zones, sites=sites, demand=demand, distances=distances,
        place_types=_place_types(scenario), places=places, files=files,
        settlement_weights=settlement_weights, population_gaps=gaps, site_schools=site_schools,
        schools=schools, school_options=school_options,
        path_demand=path_demand,
    )  # fmt: skip


def _copy_name(rel: str, taken: dict) -> str:
    """Where a user file's copy goes under the run folder's inputs/user/: its path relative to
    the scenario, less any ``..`` or root (a parent's file in another folder), made unique."""
    parts = [p for p in PurePath(rel).parts if p not in ("..", ".") and p != PurePath(rel).anchor]
    name = PurePath(*parts).as_posix() if parts else "file"
    stem, n = name, 1
    while name in taken:
        n += 1
        name = f"{stem}.{n}"
    return name
