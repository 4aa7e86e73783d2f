"""Plans that hold when demand does not fall as hoped: the staged plan over demand paths.

Given one InputData per demand path (same sites, costs and limits; the path's own demand) and a
probability for each, this solves the extensive form of :mod:`models.stochastic` on one machine
and reports what a planner compares:

- RP, the staged plan's expected cost, and each path's own cost under it;
- WS, the wait-and-see cost (each path planned knowing its demand), so EVPI = RP − WS ≥ 0;
- EEV, the plan made for the expected demand with its first-stage decisions fixed and evaluated
  over every path, so VSS = EEV − RP ≥ 0 (infinite when that plan cannot serve some path).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import pandas as pd
import pyomo.environ as pyo

from models import stochastic, strategic
from optimizer import results
from optimizer.data import InputData
from optimizer.errors import JzplanError
from optimizer.parameters import prepare
from optimizer.solve import solve


class StagedInfeasible(JzplanError):
    """No staged plan serves every path within the limits."""


@dataclass
class StagedPlan:
    objective_eur: float  # RP
    status: str
    gap: float | None
    first_stage_years: list[int]
    solutions: dict[str, results.Solution]  # per path
    cost_by_path_eur: dict[str, float]
    wait_and_see_eur: float  # WS
    expected_value_plan_eur: float  # EEV
    probabilities: dict[str, float] = field(default_factory=dict)

    @property
    def evpi_eur(self) -> float:
        return self.objective_eur - self.wait_and_see_eur

    @property
    def vss_eur(self) -> float:
        return self.expected_value_plan_eur - self.objective_eur


def solve_staged(
    paths: dict[str, tuple[float, InputData]],
    first_stage_years: list[int],
    time_limit: float = 300,
    mip_rel_gap: float = 0.0,
) -> StagedPlan:
    """The extensive form (exact, HiGHS) with WS, EEV, EVPI and VSS."""
    params = {w: (prob, prepare(data)) for w, (prob, data) in paths.items()}
    nodes = stochastic.two_stage_nodes(params, first_stage_years)
    model = stochastic.build(params, nodes)
    result = solve(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    if not result.has_solution:
        raise StagedInfeasible(f"no staged plan found ({result.describe()})")
    solutions = {w: results.extract(model.path[w]) for w in params}
    costs = {w: float(pyo.value(model.path[w].cost.expr)) for w in params}
    ws = sum(prob * _alone(p, time_limit, mip_rel_gap) for prob, p in params.values())
    eev = _expected_value_plan(paths, params, nodes, first_stage_years, time_limit, mip_rel_gap)
    return StagedPlan(
        objective_eur=float(result.objective),
        status=result.status,
        gap=result.mip_gap,
        first_stage_years=list(first_stage_years),
        solutions=solutions,
        cost_by_path_eur=costs,
        wait_and_see_eur=ws,
        expected_value_plan_eur=eev,
        probabilities={w: prob for w, (prob, _) in paths.items()},
    )


def _alone(p: strategic.Parameters, time_limit, gap) -> float:
    result = solve(strategic.build(p), time_limit=time_limit, mip_rel_gap=gap)
    return float(result.objective) if result.has_solution else math.inf


def expected_demand(paths: dict[str, tuple[float, InputData]]) -> pd.DataFrame:
    """Σ_ω π[ω] d[ω] per year, zone and need."""
    weighted = [
        data.demand.assign(beds=data.demand["beds"] * prob) for prob, data in paths.values()
    ]
    return pd.concat(weighted).groupby(["year", "gm_code", "need"], as_index=False)["beds"].sum()


def _expected_value_plan(paths, params, nodes, first_stage_years, time_limit, gap) -> float:
    """EEV: the expected-demand plan's first-stage decisions, fixed, over every path."""
    first = next(iter(paths.values()))[1]
    ev = prepare(replace(first, demand=expected_demand(paths)))
    ev_model = strategic.build(ev)
    if not solve(ev_model, time_limit=time_limit, mip_rel_gap=gap).has_solution:
        return math.inf
    model = stochastic.build(params, nodes)
    years = set(first_stage_years)
    for w in params:
        block = model.path[w]
        for s, k, t in block.SKT:
            if t in years:
                for name in stochastic.SHARED_SKT:
                    getattr(block, name)[s, k, t].fix(
                        round(pyo.value(getattr(ev_model, name)[s, k, t]))
                    )
                if (s, k, t) in block.CONV:
                    block.conv[s, k, t].fix(round(pyo.value(ev_model.conv[s, k, t])))
        for s in block.S:
            for t in years:
                block.o[s, t].fix(round(pyo.value(ev_model.o[s, t])))
    result = solve(model, time_limit=time_limit, mip_rel_gap=gap)
    return float(result.objective) if result.has_solution else math.inf
