r"""Equity as a choice of objective: the shortest trip most placed youth stay within, at a ceiling.

The α-trip of a plan, over every plan year and weighted by beds (bed-years), is the smallest
distance D such that the placed bed-years on trips longer than D are at most a share α of all
placed bed-years:

    D_α = min { D ≥ 0 : Σ_{i: km[i] > D} x[i] ≤ α Σ_i x[i] }

α = 0 is the worst trip (the longest trip any placed youth makes); α = 0.1 the p90 trip (90 % of
placed bed-years travel at most D_α): the lower bed-weighted quantile that ``trip_statistics``
and the reports compute. A plan only uses arcs, so D_α is one of the arcs' lengths: with
d_1 < … < d_m the distinct arc lengths (d_0 = 0) the MILP chooses the level, not the arcs:

    a[j] ∈ {0,1}            D ≥ d_j; a[j] ≥ a[j+1]                           (order)
    D = Σ_j (d_j − d_{j−1}) a[j]
    far[i] ≥ x[i] − d[z,n,t] a[j(i)],  far ≥ 0   every arc-year i, j(i) the level of km[i]  (far)
    Σ_i far[i] ≤ α Σ_i x[i]                                                        (share)
      (α = 0: no far variables, x[i] ≤ d[z,n,t] a[j(i)] directly)
    objective(x, g, …) ≤ ceiling                                                (cost_ceiling)
    min D

and then, the levels fixed at the optimum, min objective(x, g, …): the cheapest plan among those
with the least D (lexicographic), so a slack is never spent where it buys no shorter trip.
Every constraint of the strategic model still holds; only the objective changes. One binary per
distinct length instead of one per arc-year: baseline-2026 has 140 lengths against 3,160
arc-years. Measured there (2 cores shared with five other jobs, 5 % slack): the worst trip is
proven in 14 s (102.9 km, the least-cost plan's own: secure youth have one closed site, so no
slack shortens it), the cheapest plan with it in 81 s; the p90 trip falls from 72.8 to 67.9 km
for 0.26 % more, proven in 48 s with the least-cost plan's p90 as the bound, the cheapest plan
with it in 78 s. Without the bound one run found no plan in 120 s; benchmarks/bench_equity.py
(another time of day) took 90 s free and 78 s bounded, and the worst trip 32 s with a binary per
arc-year against 24 s with the levels (3,610 against 590 binaries in the model).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import pyomo.environ as pyo

from models import strategic
from optimizer import results
from optimizer.errors import JzplanError
from optimizer.solve import SolveResult, solve

#: objective name → α, the share of placed bed-years allowed beyond the trip it minimises
TRIP_OBJECTIVES = {"worst-trip": 0.0, "p90-trip": 0.1}
CEILING_TOLERANCE_EUR = 0.5  # a ceiling holds to half a euro (solver rounding of the costs)
SHARE_TOLERANCE = 1e-9  # cumulative shares this close to the quantile reach it


class CeilingTooLow(JzplanError):
    """No plan of the scenario costs at most the ceiling."""


@dataclass
class TripPlan:
    """A plan minimising a trip within a cost ceiling, solved (both stages)."""

    model: pyo.ConcreteModel
    solution: results.Solution
    trip_km: float  # the least α-trip
    objective_eur: float  # the strategic objective (cost) of the plan
    trip_result: SolveResult  # stage 1: is the trip proven least?
    result: SolveResult  # stage 2: the cheapest plan with that trip


def objective_share(objective: str) -> float:
    if objective not in TRIP_OBJECTIVES:
        raise JzplanError(
            f"--objective: expected cost, {' or '.join(TRIP_OBJECTIVES)}, got {objective!r}"
        )
    return TRIP_OBJECTIVES[objective]


def add_trip_levels(m: pyo.ConcreteModel, alpha: float) -> pyo.Expression:
    """The blocks order, far and share on a built strategic model; returns D (an expression)."""
    p: strategic.Parameters = m.params
    lengths = sorted({float(p.arc_km[i[:4]]) for i in m.X})
    level = {d: j for j, d in enumerate(lengths)}
    m.level_km = lengths  # d_j
    m.LEVELS = pyo.RangeSet(0, len(lengths) - 1) if lengths else pyo.Set(initialize=[])
    m.level_on = pyo.Var(m.LEVELS, domain=pyo.Binary)
    m.level_order = pyo.Constraint(
        [j for j in range(len(lengths) - 1)],
        rule=lambda m, j: m.level_on[j] >= m.level_on[j + 1],
    )

    def bound(i):
        z, n, _, _, t = i
        return p.demand[z, n, t] * m.level_on[level[float(p.arc_km[i[:4]])]]

    if alpha <= 0:
        m.far = pyo.Constraint(m.X, rule=lambda m, *i: m.x[i] <= bound(i))
    else:
        m.far_beds = pyo.Var(m.X, domain=pyo.NonNegativeReals)
        m.far = pyo.Constraint(m.X, rule=lambda m, *i: m.far_beds[i] >= m.x[i] - bound(i))
        m.share = pyo.Constraint(
            expr=sum(m.far_beds[i] for i in m.X) <= alpha * sum(m.x[i] for i in m.X)
        )
    steps = [d - (lengths[j - 1] if j else 0.0) for j, d in enumerate(lengths)]
    return sum(step * m.level_on[j] for j, step in enumerate(steps))


def least_trip(
    params: strategic.Parameters,
    alpha: float,
    ceiling_eur: float,
    time_limit: float,
    least_cost_eur: float | None = None,
    known_km: float | None = None,
) -> TripPlan:
    """The cheapest plan among those whose α-trip is shortest, costing at most ``ceiling_eur``.

    ``least_cost_eur`` (the least-cost optimum) makes the error for a ceiling below it say so.
    ``known_km``, the α-trip of a plan within the ceiling (the least-cost plan's), bounds D: the
    levels above it are fixed at 0 (on baseline-2026 the p90 search found no plan in 120 s
    without it). When the first stage then finds no plan in time, that trip stands, not proven.
    """
    if least_cost_eur is not None and ceiling_eur < least_cost_eur - CEILING_TOLERANCE_EUR:
        raise CeilingTooLow(_too_low(ceiling_eur, least_cost_eur))
    m = strategic.build(params)
    cost = m.cost.expr
    m.cost.deactivate()
    m.cost_ceiling = pyo.Constraint(expr=cost <= ceiling_eur + CEILING_TOLERANCE_EUR)
    trip = add_trip_levels(m, alpha)
    above = [j for j, d in enumerate(m.level_km) if known_km is not None and d > known_km + 1e-9]
    for j in above:
        m.level_on[j].fix(0)
    m.trip = pyo.Objective(expr=trip, sense=pyo.minimize)
    first = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
    if first.has_solution:
        trip_km = float(pyo.value(trip))
        levels = {j: round(pyo.value(m.level_on[j])) for j in m.LEVELS}
    elif first.status != "infeasible" and known_km is not None:
        trip_km = known_km  # the known plan's trip: every level up to it on
        levels = {j: int(d <= known_km + 1e-9) for j, d in enumerate(m.level_km)}
    elif first.status == "infeasible":
        raise CeilingTooLow(_too_low(ceiling_eur, least_cost_eur))
    else:
        raise JzplanError(
            f"no plan found within the time limit ({first.describe()}): raise --time-limit"
        )
    for j, on in levels.items():
        m.level_on[j].fix(on)
    m.trip.deactivate()
    m.cheapest = pyo.Objective(expr=cost, sense=pyo.minimize)
    second = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
    if not second.has_solution:
        raise JzplanError(
            f"the cheapest plan with the least trip was not found ({second.describe()}): raise "
            "--time-limit"
        )
    return TripPlan(m, results.extract(m), trip_km, float(pyo.value(cost)), first, second)


def _too_low(ceiling: float, least: float | None) -> str:
    known = (
        f"; the least-cost plan already costs EUR {least:,.0f} (its objective: cash and policy "
        f"weights, discounted), so give a ceiling of at least that or a --cost-slack"
        if least is not None
        else ": raise the ceiling"
    )
    return f"no plan of this scenario costs at most EUR {ceiling:,.0f}{known}"


def ceiling_of(least_cost_eur: float, slack: float | None, ceiling: float | None) -> float:
    """The cost ceiling from a slack over the least cost or an amount (exactly one given)."""
    if (slack is None) == (ceiling is None):
        raise JzplanError("give either --cost-slack (e.g. 5%) or --cost-ceiling EUR, not both")
    if slack is not None:
        if not 0 <= slack < 10:
            raise JzplanError(f"--cost-slack: expected a share such as 5% or 0.05, got {slack}")
        return (1 + slack) * least_cost_eur
    if not ceiling > 0:
        raise JzplanError(f"--cost-ceiling: expected an amount in EUR above 0, got {ceiling}")
    return float(ceiling)


@dataclass(frozen=True)
class Objective:
    """What ``jzplan run`` optimises: ``cost``, or a trip within a slack or an amount."""

    name: str = "cost"
    slack: float | None = None
    ceiling_eur: float | None = None


@dataclass
class Chosen:
    """A trip plan ready for the pipeline: its model, tables, status and summary words."""

    model: pyo.ConcreteModel
    solution: results.Solution
    objective_eur: float
    combined: SolveResult  # the plan's status: both stages proven, their seconds, its cost
    describe: str
    words: dict


OBJECTIVE_KEYS = (
    "differ", "cost_slack", "cost_ceiling_eur", "least_cost_eur", "extra_eur", "extra_share",
    "trip_km", "trip_proven", "differs_from_nearest",
)  # fmt: skip


def objective_words(kind: str, description: str | None = None, **values) -> dict:
    """summary.json ``objective``: every key, null where it does not apply."""
    unknown = set(values) - set(OBJECTIVE_KEYS)
    if unknown:
        raise ValueError(f"objective_words: unknown keys {sorted(unknown)}")
    default = "least cost: cash and policy weights, discounted" if kind == "cost" else kind
    return (
        {"kind": kind, "description": description or default}
        | dict.fromkeys(OBJECTIVE_KEYS)
        | values
    )


TRIP_WORDS = {"worst-trip": "longest trip", "p90-trip": "p90 trip (90 % of bed-years)"}


def solve_objective(
    params: strategic.Parameters,
    objective: Objective,
    least_cost_eur: float,
    time_limit: float,
    least_trips: dict | None = None,
) -> Chosen:
    """``objective``'s plan within its ceiling (``least_cost_eur``: the least-cost optimum;
    ``least_trips``: its summary.json ``trips.all``, whose trip bounds the search)."""
    alpha = objective_share(objective.name)
    ceiling = ceiling_of(least_cost_eur, objective.slack, objective.ceiling_eur)
    known = (least_trips or {}).get("longest_km" if alpha <= 0 else "p90_km")
    found = least_trip(params, alpha, ceiling, time_limit, least_cost_eur, known)
    first, second = found.trip_result, found.result
    proven = first.proven_optimal and second.proven_optimal
    combined = replace(
        second,
        status="optimal" if proven else "feasible",
        proven_optimal=proven,
        mip_gap=0.0 if proven else first.mip_gap,
        solve_seconds=first.solve_seconds + second.solve_seconds,
        termination=first.termination,
    )
    what = TRIP_WORDS[objective.name]
    extra = found.objective_eur - least_cost_eur
    limit = (
        f"within {100 * objective.slack:g} % of the least cost" if objective.slack is not None
        else f"at most EUR {ceiling:,.0f}"
    )  # fmt: skip
    description = (
        f"the least {what}, {limit} (ceiling EUR {ceiling:,.0f}), then the cheapest plan with it: "
        f"{found.trip_km:,.1f} km, EUR {extra:,.0f} ({100 * extra / least_cost_eur:.2f} %) more "
        "than the least-cost plan"
    )
    searched = (
        "proven least" if first.proven_optimal else first.describe() if first.has_solution
        else "of the least-cost plan (no shorter one found within the time limit)"
    )  # fmt: skip
    describe = (
        f"the {what} {searched}; cheapest plan "
        f"with it {'proven' if second.proven_optimal else second.describe()}"
    )
    words = objective_words(
        objective.name,
        description=description,
        cost_slack=objective.slack,
        cost_ceiling_eur=ceiling,
        least_cost_eur=least_cost_eur,
        extra_eur=extra,
        extra_share=extra / least_cost_eur if least_cost_eur else None,
        trip_km=found.trip_km,
        trip_proven=first.proven_optimal,
    )
    return Chosen(found.model, found.solution, found.objective_eur, combined, describe, words)


def weighted_quantile(km: pd.Series, beds: pd.Series, q: float) -> float:
    """Smallest km whose cumulative share of the beds reaches ``q`` (NaN without beds)."""
    frame = pd.DataFrame({"km": km.to_numpy(float), "beds": beds.to_numpy(float)})
    frame = frame[frame["beds"] > 0].sort_values("km", kind="stable")
    total = frame["beds"].sum()
    if total <= 0:
        return float("nan")
    reached = frame["beds"].cumsum().to_numpy() >= (q - SHARE_TOLERANCE) * total
    return float(frame["km"].to_numpy()[reached.argmax()])


def _stats(part: pd.DataFrame) -> dict:
    beds = float(part["beds"].sum())
    if beds <= 0:
        return {"bed_years": 0.0, "longest_km": None, "p90_km": None, "share_within_limit": None}
    return {
        "bed_years": beds,
        "longest_km": float(part["distance_km"].max()),
        "p90_km": weighted_quantile(part["distance_km"], part["beds"], 0.9),
        "share_within_limit": float(part.loc[part["within"], "beds"].sum() / beds),
    }


def trip_statistics(assignments: pd.DataFrame, zones: pd.DataFrame, limit_km: dict) -> dict:
    """summary.json ``trips``: longest trip, p90 (the lower bed-weighted quantile) and the share
    of placed bed-years within their type's km limit, over all plan years: for all regions and
    per region of the youth's home zone."""
    a = assignments[assignments["beds"] > 0].merge(zones[["gm_code", "region"]], on="gm_code")
    limits = a["type"].map(limit_km).astype(float)
    a = a.assign(within=limits.isna() | (a["distance_km"] <= limits + 1e-9))
    return {
        "all": _stats(a),
        "by_region": {str(r): _stats(part) for r, part in a.groupby("region", sort=True)},
    }
