"""The classic location models on zones and sites, with distances and radii that carry units.

Why a layer over :mod:`models.classic`: the models see a bare cost matrix whose numbers mean
nothing to them, while users hold zones and sites as GeoDataFrames in EPSG:4326 and think in
"30 km" or "45 minutes". Distances taken in degrees, or in whatever CRS a frame happens to have,
are silently wrong, and so is a radius of "30" against a matrix in metres. Here every matrix knows
its units (km always; minutes when a travel model gave them), a radius must name its unit, and
the answer comes back as tables keyed by the user's own zone and site ids.

- :func:`straight_line`: km between zone points and sites in RD New (:data:`geodata.METRIC_CRS`);
  polygons are first reduced to their representative point (always inside, unlike a centroid).
- :func:`from_table`: km and minutes from a long table (a scenario's ``InputData.distances``,
  :func:`optimizer.travel.zone_site_distances` or a router's matrix).
- :func:`locate`: solve one model and return :class:`Location` (sites, assignments, coverage).
- :func:`scenario_inputs`: a loaded scenario's zones (with a weight), sites and travel matrix.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyomo.environ as pyo

import geodata
from models import classic
from optimizer.classic.instances import EXACT_REL_GAP, nearest_open_assignment
from optimizer.classic.pmedian import solve_p_median
from optimizer.errors import JzplanError
from optimizer.solve import SolveResult, solve

Unit = Literal["km", "min"]
ModelKind = Literal["pmedian", "pcenter", "mclp", "lscp", "uflp", "cflp"]
PROBLEMS: tuple[str, ...] = ("pmedian", "pcenter", "mclp", "lscp", "uflp", "cflp")
_UNIT_WORDS = {
    "km": "km",
    "kilometre": "km",
    "kilometres": "km",
    "kilometer": "km",
    "kilometers": "km",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
}


class ClassicInputError(JzplanError, ValueError):
    """Input a user can fix (unknown site, unit-less radius, p out of range), in their terms."""


def parse_unit(text: str, what: str = "unit") -> Unit:
    """'km' or 'min' from the usual spellings; anything else is an error naming both."""
    unit = _UNIT_WORDS.get(str(text).strip().lower())
    if unit is None:
        raise ClassicInputError(f"{what}: expected 'km' or 'min', got {text!r}")
    return unit  # type: ignore[return-value]


@dataclass(frozen=True)
class Radius:
    """A coverage radius: a positive distance in km or a travel time in minutes."""

    value: float
    unit: Unit

    def __post_init__(self) -> None:
        if self.unit not in ("km", "min"):
            raise ClassicInputError(f"radius unit: expected 'km' or 'min', got {self.unit!r}")
        number = isinstance(self.value, numbers.Real) and not isinstance(self.value, bool)
        if not (number and math.isfinite(self.value) and self.value > 0):
            raise ClassicInputError(f"radius: expected a positive number, got {self.value!r}")

    @classmethod
    def parse(cls, radius: Radius | str) -> Radius:
        """``Radius`` as is, or text such as "30 km", "45 min", "45 minutes", "30km".

        A bare number is refused on purpose: whether 30 means km, minutes or metres is exactly
        the mistake this type exists to prevent.
        """
        if isinstance(radius, Radius):
            return radius
        if not isinstance(radius, str):
            raise ClassicInputError(
                f"radius: expected text with a unit such as '30 km' or '45 min', got {radius!r}"
            )
        match = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([A-Za-z]*)\s*", radius)
        if match is None or not match.group(2):
            raise ClassicInputError(
                f"radius: expected a number and a unit such as '30 km' or '45 min', got {radius!r}"
            )
        return cls(float(match.group(1)), parse_unit(match.group(2), "radius unit"))

    def __str__(self) -> str:
        return f"{self.value:g} {self.unit}"


@dataclass(frozen=True, eq=False)  # holds arrays, so field-wise == would be ambiguous
class DistanceMatrix:
    """km (and minutes, if known) from each zone to each site; inf where no route exists."""

    zone_ids: tuple[str, ...]
    site_ids: tuple[str, ...]
    km: np.ndarray
    minutes: np.ndarray | None = None
    source: str = ""

    def in_unit(self, unit: Unit) -> np.ndarray:
        if unit == "km":
            return self.km
        if self.minutes is None:
            raise ClassicInputError(
                f"these distances ({self.source or 'straight line'}) have no travel times; "
                "give the radius or unit in km, or use a travel matrix with minutes"
            )
        return self.minutes


def _metric_points(frame: gpd.GeoDataFrame, what: str) -> np.ndarray:
    """(n, 2) x/y in metres in RD New; polygons become their representative points.

    A plain table with ``lat``/``lon`` (WGS84 degrees, as :func:`geodata.load_places` and the
    scenario's sites) is read as points in EPSG:4326.
    """
    if not isinstance(frame, gpd.GeoDataFrame):
        if not {"lat", "lon"} <= set(frame.columns):
            raise ClassicInputError(
                f"{what}: expected a GeoDataFrame or lat/lon columns to measure straight lines"
            )
        points = gpd.points_from_xy(frame["lon"], frame["lat"])
        frame = gpd.GeoDataFrame(frame, geometry=points, crs=geodata.DISPLAY_CRS)
    if frame.crs is None:
        raise ClassicInputError(f"{what}: the GeoDataFrame has no CRS; set one (e.g. EPSG:4326)")
    if frame.geometry.isna().any() or frame.geometry.is_empty.any():
        raise ClassicInputError(f"{what}: some rows have no geometry")
    metric = frame.geometry.to_crs(geodata.METRIC_CRS)
    points = metric.where(metric.geom_type == "Point", metric.representative_point())
    return np.column_stack([points.x.to_numpy(), points.y.to_numpy()])


def straight_line(
    zones: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    zone_id: str = "gm_code",
    site_id: str = "site_id",
) -> DistanceMatrix:
    """Straight-line km in RD New; sites must be points, zones may be points or polygons."""
    if isinstance(sites, gpd.GeoDataFrame) and (sites.geom_type != "Point").any():
        raise ClassicInputError("sites: expected point geometries")
    a = _metric_points(zones, "zones")
    b = _metric_points(sites, "sites")
    km = np.hypot(a[:, None, 0] - b[None, :, 0], a[:, None, 1] - b[None, :, 1]) / 1000.0
    return DistanceMatrix(
        zone_ids=_ids(zones, zone_id, "zones"),
        site_ids=_ids(sites, site_id, "sites"),
        km=km,
        source=f"straight line in {geodata.METRIC_CRS}",
    )


def from_table(
    table: pd.DataFrame,
    zone_ids: Sequence[str],
    site_ids: Sequence[str],
    zone_id: str = "gm_code",
    site_id: str = "site_id",
) -> DistanceMatrix:
    """Pivot a long table with ``km`` and ``minutes`` columns; missing pairs are unreachable."""
    missing = [c for c in (zone_id, site_id, "km", "minutes") if c not in table.columns]
    if missing:
        raise ClassicInputError(f"distance table: missing column(s) {missing}")
    zones, sites = [str(z) for z in zone_ids], [str(s) for s in site_ids]
    keyed = table.assign(_z=table[zone_id].astype(str), _s=table[site_id].astype(str))

    def pivot(column: str) -> np.ndarray:
        wide = keyed.pivot_table(index="_z", columns="_s", values=column, aggfunc="min")
        return wide.reindex(index=zones, columns=sites).fillna(np.inf).to_numpy(dtype=float)

    return DistanceMatrix(
        tuple(zones), tuple(sites), pivot("km"), pivot("minutes"), source="travel matrix"
    )


def _ids(frame: pd.DataFrame, column: str, what: str) -> tuple[str, ...]:
    if column not in frame.columns:
        raise ClassicInputError(
            f"{what}: no id column {column!r}; columns are {list(frame.columns)}"
        )
    ids = frame[column].astype(str)
    if ids.duplicated().any():
        raise ClassicInputError(f"{what}: id {ids[ids.duplicated()].iloc[0]!r} appears twice")
    return tuple(ids)


# ---------------------------------------------------------------------------------------------
# Solving one model on zones and sites
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Location:
    """One solved model as tables: every candidate site and every zone's assignment."""

    problem: str
    unit: Unit  # of the distances the objective and radius use
    radius: Radius | None
    objective: float | None
    objective_label: str  # what the objective counts, with its unit
    sites: pd.DataFrame  # the input sites + open, kept, served_zones, served_weight
    assignments: pd.DataFrame  # zone, site, km, minutes, weight[, share][, covered]
    solve_result: SolveResult

    @property
    def open_sites(self) -> list[str]:
        return [str(s) for s in self.sites.loc[self.sites["open"], "site"]]

    def coverage(self) -> dict[str, float]:
        """Zones and weight within the radius (all of them when there is no radius)."""
        by_zone = self.assignments.groupby("zone", sort=False)
        weight = by_zone["weight"].sum()
        if "covered" in self.assignments:
            covered = by_zone["covered"].all()
        else:
            covered = pd.Series(True, index=weight.index)
        total, inside = float(weight.sum()), float(weight[covered].sum())
        return {
            "zones": int(len(weight)),
            "zones_covered": int(covered.sum()),
            "weight": total,
            "weight_covered": inside,
            "share_covered": inside / total if total > 0 else 1.0,
        }


def _weights(zones: pd.DataFrame, weight: str | None, ids: tuple[str, ...]) -> np.ndarray:
    if weight is None:
        return np.ones(len(zones))
    if weight not in zones.columns:
        raise ClassicInputError(
            f"zones: no weight column {weight!r}; columns are {list(zones.columns)}"
        )
    values = pd.to_numeric(zones[weight], errors="coerce").to_numpy(dtype=float)
    bad = [ids[i] for i in np.flatnonzero(~np.isfinite(values) | (values < 0))]
    if bad:
        raise ClassicInputError(
            f"zones: column {weight!r} must be a non-negative number; not for zone(s) {bad[:10]}"
        )
    return values


def _kept_indices(keep: Sequence[str], site_ids: tuple[str, ...]) -> list[int]:
    if isinstance(keep, str):
        keep = [keep]
    unknown = [str(k) for k in keep if str(k) not in site_ids]
    if unknown:
        raise ClassicInputError(
            f"keep: unknown site(s) {unknown}; the sites are {', '.join(site_ids)}"
        )
    return sorted({site_ids.index(str(k)) for k in keep})


def _check_counts(problem: str, p: int | None, kept: list[int], site_ids: tuple) -> None:
    needs_p = problem in ("pmedian", "pcenter", "mclp")
    if needs_p and p is None:
        raise ClassicInputError(f"{problem}: give p, the number of sites to open")
    if not needs_p and p is not None:
        raise ClassicInputError(f"{problem}: opens as many sites as it needs; do not give p")
    if p is None:
        return
    if p < 1 or p > len(site_ids):
        raise ClassicInputError(
            f"p = {p}: expected between 1 and the number of candidate sites ({len(site_ids)})"
        )
    if p < len(kept):
        names = ", ".join(site_ids[j] for j in kept)
        raise ClassicInputError(f"p = {p} is fewer than the {len(kept)} kept sites ({names})")


def _covering_check(d: np.ndarray, radius: Radius, zone_ids, site_ids) -> None:
    """Name every zone no site reaches within the radius, with its nearest site."""
    lonely = np.flatnonzero((d > radius.value).all(axis=1))
    if len(lonely) == 0:
        return
    parts = []
    for i in lonely[:10]:
        j = int(np.argmin(d[i]))
        near = (
            f"nearest {site_ids[j]} at {d[i, j]:.1f} {radius.unit}"
            if np.isfinite(d[i, j])
            else "no site reachable"
        )
        parts.append(f"{zone_ids[i]} ({near})")
    more = f" and {len(lonely) - 10} more" if len(lonely) > 10 else ""
    raise ClassicInputError(
        f"no site lies within {radius} of zone(s) {', '.join(parts)}{more}: "
        "full coverage is impossible; use a larger radius or mclp"
    )


def _finite(d: np.ndarray, scale: float) -> np.ndarray:
    """Unreachable pairs (inf) as a cost no optimal plan pays unless nothing else is possible."""
    finite = d[np.isfinite(d)]
    big = 1e3 * (1.0 + (finite.max() if finite.size else 0.0)) * (1.0 + scale)
    return np.where(np.isfinite(d), d, big)


def _build(problem, d, w, p, radius, kept, sites, fixed_cost, capacity, rate, single_source):
    """The models.classic model for ``problem`` (p-median: optimizer.classic.pmedian)."""
    if problem == "pcenter":
        return classic.p_center(_finite(d, 1.0), p, must_open=kept)
    if problem == "mclp":
        return classic.mclp(_finite(d, 1.0), p, radius.value, weights=w, must_open=kept)
    if problem == "lscp":
        return classic.lscp(_finite(d, 1.0), radius.value, must_open=kept)
    cost = _finite(d, w.sum() * rate) * w[:, None] * rate
    f = _site_column(sites, fixed_cost, "fixed_cost", problem)
    if problem == "uflp":
        return classic.uflp(cost, f, must_open=kept)
    s = _site_column(sites, capacity, "capacity", problem)
    return classic.cflp(cost, f, w, s, single_source=single_source, must_open=kept)


def _site_column(sites: pd.DataFrame, column: str | None, what: str, problem: str) -> np.ndarray:
    if column is None:
        raise ClassicInputError(f"{problem}: give {what}, the sites' column that holds it")
    if column not in sites.columns:
        raise ClassicInputError(
            f"sites: no {what} column {column!r}; columns are {list(sites.columns)}"
        )
    values = pd.to_numeric(sites[column], errors="coerce").to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ClassicInputError(f"sites: column {column!r} must be non-negative numbers")
    return values


_LABELS = {
    "pmedian": "sum of weight × {unit}",
    "pcenter": "largest {unit} from a zone to its open site",
    "mclp": "weight within {radius}",
    "lscp": "open sites",
    "uflp": "fixed cost + cost_per_unit × weight × {unit}",
    "cflp": "fixed cost + cost_per_unit × weight × {unit}",
}


def locate(
    problem: ModelKind,
    zones: pd.DataFrame,
    sites: pd.DataFrame,
    *,
    p: int | None = None,
    radius: Radius | str | None = None,
    weight: str | None = None,
    keep: Sequence[str] = (),
    distances: DistanceMatrix | None = None,
    unit: str = "km",
    fixed_cost: str | None = None,
    capacity: str | None = None,
    cost_per_unit: float = 1.0,
    single_source: bool = False,
    zone_id: str = "gm_code",
    site_id: str = "site_id",
    time_limit: float | None = None,
    mip_rel_gap: float = EXACT_REL_GAP,
) -> Location:
    """Solve one classic model on ``zones`` and candidate ``sites``.

    ``distances`` defaults to the straight line in km (zones and sites must then be
    GeoDataFrames); pass :func:`from_table` output for travel km and minutes. ``weight`` names
    the zones' weight column (None: every zone weighs 1; p-center ignores weights). ``keep``
    names sites that must stay open. The objective's distances are in ``unit`` ("km" or "min"),
    or in the radius's unit for mclp/lscp, which require a radius such as "30 km" or "45 min".
    uflp/cflp take the sites' ``fixed_cost`` (and ``capacity``) columns; the weight is the
    demand, and serving it costs ``cost_per_unit`` × weight × distance.
    """
    if problem not in PROBLEMS:
        raise ClassicInputError(f"problem: expected one of {', '.join(PROBLEMS)}, got {problem!r}")
    zone_ids, site_ids = _ids(zones, zone_id, "zones"), _ids(sites, site_id, "sites")
    if distances is None:
        distances = straight_line(zones, sites, zone_id, site_id)
    covering = problem in ("mclp", "lscp")
    if covering and radius is None:
        raise ClassicInputError(f"{problem}: give a radius with a unit, e.g. '30 km' or '45 min'")
    if not covering and radius is not None:
        raise ClassicInputError(f"{problem}: takes no radius (only mclp and lscp do)")
    radius = None if radius is None else Radius.parse(radius)
    unit_ = radius.unit if radius is not None else parse_unit(unit)
    d = _aligned(distances, zone_ids, site_ids).in_unit(unit_)
    w = _weights(zones, weight, zone_ids)
    kept = _kept_indices(keep, site_ids)
    _check_counts(problem, p, kept, site_ids)
    if problem == "lscp":
        names = zones["name"].astype(str) if "name" in zones.columns else None
        labels = (
            zone_ids
            if names is None
            else [f"{z} {n}" for z, n in zip(zone_ids, names, strict=True)]
        )
        _covering_check(d, radius, labels, site_ids)
    if problem == "pmedian":  # exact fast path (optimizer.classic.pmedian)
        solution = solve_p_median(
            _finite(d, w.sum()), p, weights=w, must_open=kept,
            time_limit=time_limit, mip_rel_gap=mip_rel_gap,
        )  # fmt: skip
        model, result = None, solution.result
        opened, objective = list(solution.open_sites), solution.objective
    else:
        model = _build(
            problem, d, w, p, radius, kept, sites, fixed_cost, capacity, cost_per_unit,
            single_source,
        )  # fmt: skip
        result = solve(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
        if result.has_solution:
            opened, objective = list(classic.open_facilities(model)), float(pyo.value(model.obj))
    if not result.has_solution:
        raise ClassicInputError(f"{problem}: no solution ({result.describe()})")
    aligned = _aligned(distances, zone_ids, site_ids)
    if problem == "cflp":
        shares = classic.assignment_matrix(model)
    else:  # the cheapest open site is an optimal assignment for every other model
        shares = nearest_open_assignment(d, opened)
    assignments = _assignments(zones, zone_ids, site_ids, aligned, shares, w, radius, problem)
    label = _LABELS[problem].format(unit=unit_, radius=radius)
    table = _site_table(sites, site_ids, opened, kept, assignments)
    return Location(problem, unit_, radius, objective, label, table, assignments, result)


def _aligned(distances: DistanceMatrix, zone_ids, site_ids) -> DistanceMatrix:
    """The matrix reordered to the frames' rows, or an error naming what it lacks."""
    missing_z = sorted(set(zone_ids) - set(distances.zone_ids))
    missing_s = sorted(set(site_ids) - set(distances.site_ids))
    if missing_z or missing_s:
        raise ClassicInputError(
            f"distances: no rows for zone(s) {missing_z[:10]} / site(s) {missing_s[:10]}"
        )
    rows = [distances.zone_ids.index(z) for z in zone_ids]
    cols = [distances.site_ids.index(s) for s in site_ids]
    minutes = None if distances.minutes is None else distances.minutes[np.ix_(rows, cols)]
    return DistanceMatrix(
        zone_ids, site_ids, distances.km[np.ix_(rows, cols)], minutes, distances.source
    )


def _assignments(zones, zone_ids, site_ids, matrix, shares, w, radius, problem) -> pd.DataFrame:
    rows = []
    for i, j in zip(*np.nonzero(shares > 1e-9), strict=True):
        km = float(matrix.km[i, j])
        if not np.isfinite(km):
            raise ClassicInputError(
                f"{problem}: zone {zone_ids[i]} cannot reach any open site (no route)"
            )
        minutes = np.nan if matrix.minutes is None else float(matrix.minutes[i, j])
        row = {"zone": zone_ids[i], "site": site_ids[j], "km": km, "minutes": minutes}
        row["weight"] = float(w[i] * shares[i, j])
        if problem == "cflp":
            row["share"] = float(shares[i, j])
        if radius is not None:
            row["covered"] = bool(matrix.in_unit(radius.unit)[i, j] <= radius.value)
        rows.append(row)
    table = pd.DataFrame(rows)
    if isinstance(zones, gpd.GeoDataFrame):
        geometry = dict(zip(zone_ids, zones.geometry, strict=True))
        table = gpd.GeoDataFrame(
            table, geometry=[geometry[z] for z in table["zone"]], crs=zones.crs
        )
    return table


def _site_table(sites, site_ids, opened, kept, assignments) -> pd.DataFrame:
    served = assignments.groupby("site").agg(
        served_zones=("zone", "nunique"), served_weight=("weight", "sum")
    )
    table = sites.copy()
    table.insert(0, "site", list(site_ids))
    table["open"] = [j in opened for j in range(len(site_ids))]
    table["kept"] = [j in kept for j in range(len(site_ids))]
    table["served_zones"] = table["site"].map(served["served_zones"]).fillna(0).astype(int)
    table["served_weight"] = table["site"].map(served["served_weight"]).fillna(0.0)
    return table


# ---------------------------------------------------------------------------------------------
# A scenario's zones, sites and travel matrix
# ---------------------------------------------------------------------------------------------

WEIGHTS = ("demand", "population")


def scenario_inputs(data, weight: str = "demand", year: int | None = None):
    """(zones with a ``weight`` column, sites, travel DistanceMatrix) of a loaded scenario.

    ``weight="demand"`` is the scenario's demand in average occupied beds, all needs, in
    ``year`` (default: the first planning year); ``"population"`` the zones' population.
    """
    zones = data.zones.copy()
    if weight == "demand":
        year = data.years[0] if year is None else year
        if year not in data.years:
            raise ClassicInputError(f"year: expected one of the scenario's years {data.years}")
        beds = data.demand[data.demand["year"] == year].groupby("gm_code")["beds"].sum()
        zones["weight"] = zones["gm_code"].map(beds).fillna(0.0).to_numpy()
    elif weight == "population":
        zones["weight"] = pd.to_numeric(zones["population"], errors="coerce")
        missing = zones.loc[zones["weight"].isna(), "gm_code"].tolist()
        if missing:
            raise ClassicInputError(
                f"weight population: no population for zone(s) {missing[:10]}; use demand"
            )
    else:
        raise ClassicInputError(f"weight: expected 'demand' or 'population', got {weight!r}")
    sites = data.sites.copy()
    matrix = from_table(data.distances, zones["gm_code"], sites["site_id"])
    return zones, sites, matrix
