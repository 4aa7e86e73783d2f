"""Equity as a choice of objective: the least worst trip within a cost ceiling.

Instead of least cost, minimise D, the longest trip any placed youth makes, while the plan's
objective stays within a ceiling (the optimum plus a slack, or an amount):

    w[z,n,s,k,t] ∈ {0,1}      the arc is used
    x[z,n,s,k,t] ≤ d[z,n,t] w[z,n,s,k,t]                       (used)
    D ≥ km[z,s] w[z,n,s,k,t]                                    (longest)
    objective(x, g, ...) ≤ ceiling                               (cost_ceiling)
    min D

Every constraint of the strategic model still holds; only the objective changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from models import strategic
from optimizer import results
from optimizer.errors import JzplanError
from optimizer.solve import SolveResult, solve


@dataclass
class EquityPlan:
    solution: results.Solution
    longest_km: float
    objective_eur: float  # the strategic objective of the equity plan
    result: SolveResult


def least_worst_trip(
    params: strategic.Parameters, ceiling_eur: float, time_limit: float
) -> EquityPlan:
    """The plan whose longest trip is shortest among plans costing at most ``ceiling_eur``."""
    m = strategic.build(params)
    cost = m.cost.expr
    m.cost.deactivate()
    m.cost_ceiling = pyo.Constraint(expr=cost <= ceiling_eur)
    m.w = pyo.Var(m.X, domain=pyo.Binary)
    m.D = pyo.Var(domain=pyo.NonNegativeReals)
    m.used = pyo.Constraint(
        m.X,
        rule=lambda m, z, n, s, k, t: (
            m.x[z, n, s, k, t] <= params.demand[z, n, t] * m.w[z, n, s, k, t]
        ),
    )
    m.longest = pyo.Constraint(
        m.X, rule=lambda m, z, n, s, k, t: m.D >= params.arc_km[z, n, s, k] * m.w[z, n, s, k, t]
    )
    m.equity = pyo.Objective(expr=m.D, sense=pyo.minimize)
    result = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
    if not result.has_solution:
        raise JzplanError(
            f"no plan costs at most EUR {ceiling_eur:,.0f} (the least-cost plan may already be "
            "dearer): raise the ceiling"
        )
    return EquityPlan(results.extract(m), float(pyo.value(m.D)), float(pyo.value(cost)), result)


def trip_statistics(assignments: pd.DataFrame, zones: pd.DataFrame, limit_km: dict) -> pd.DataFrame:
    """Per region and year: longest trip, 90th percentile (weighted by beds) and the share of
    placed beds within their type's distance limit."""
    a = assignments.merge(zones[["gm_code", "region"]], on="gm_code")
    rows = []
    for (region, year), group in a.groupby(["region", "year"]):
        order = group.sort_values("distance_km")
        cumulative = order["beds"].cumsum() / order["beds"].sum()
        p90 = float(order["distance_km"].to_numpy()[np.searchsorted(cumulative.to_numpy(), 0.9)])
        within = (order["distance_km"] <= order["type"].map(limit_km)).to_numpy()
        share = float(order["beds"].to_numpy()[within].sum() / order["beds"].sum())
        rows.append((region, int(year), float(order["distance_km"].max()), p90, share))
    return pd.DataFrame(
        rows, columns=["region", "year", "longest_km", "p90_km", "share_within_limit"]
    )
