"""A staged run: the scenario's demand paths solved as one staged plan, made into a run folder.

optimizer.stochastic solves; this module turns its result into what the run folder holds: each
path's plan completed as a single plan is (pots, provider, explanations, service level), the
per-path tables stacked under a ``path`` column, paths.csv, and summary.json whose single-plan
keys describe the headline path (the most probable; the pages show it by default) and whose
``stochastic`` key holds what the paths share and what they cost.

The reserve counterfactual (the plan without its reserve rules) is not solved for a staged
plan: reserve.csv then has no rows, and the report says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from optimizer.data import InputData


@dataclass
class StagedRun:
    """The staged plan with the run folder's tables and summary."""

    staged: object  # optimizer.stochastic.StagedPlan
    data: InputData  # the scenario, demand stacked per path
    solution: object  # a Solution whose tables carry a ``path`` column
    summary: dict
    paths: pd.DataFrame
    advances: pd.DataFrame


def path_inputs(data: InputData) -> dict[str, tuple[float, InputData]]:
    """{path: (probability, the scenario's InputData with that path's demand)}."""
    spec = data.scenario.demand_paths
    return {
        w: (path.probability, replace(data, demand=data.path_demand[w]))
        for w, path in spec.paths.items()
    }


def headline(probabilities: dict[str, float]) -> str:
    """The most probable path (the first of equals, in the scenario's order)."""
    return max(probabilities, key=lambda w: (probabilities[w], -list(probabilities).index(w)))


def solve_staged_run(
    data: InputData,
    time_limit: float | None = None,
    mip_rel_gap: float | None = None,
    engine: str = "extensive-form",
    ranks: int = 1,
    *,
    complete: Callable,
    summary_of: Callable,
) -> StagedRun:
    """Solve the staged plan and complete every path's plan with the pipeline's own stages
    (``complete``, ``summary_of``: optimizer.pipeline, which calls this)."""
    from optimizer import reserve
    from optimizer.stochastic import solve_staged

    sc = data.scenario
    spec = sc.demand_paths
    time_limit = sc.solver.time_limit_s if time_limit is None else time_limit
    mip_rel_gap = sc.solver.mip_rel_gap if mip_rel_gap is None else mip_rel_gap
    inputs = path_inputs(data)
    branches = {
        w: (p.branches_from.path, p.branches_from.year)
        for w, p in spec.paths.items()
        if p.branches_from is not None
    }
    risk = spec.risk
    staged = solve_staged(
        inputs,
        spec.first_stage_years,
        branches=branches,
        risk=risk.measure if risk else "expected",
        alpha=risk.alpha if risk else 0.8,
        weight=risk.weight if risk else 1.0,
        time_limit=time_limit,
        mip_rel_gap=mip_rel_gap,
        engine=engine,
        ranks=ranks,
        formulation=sc.solver.formulation,
    )
    for w, solution in staged.solutions.items():
        proven = staged.result.least_cost
        complete(inputs[w][1], staged.params[w], staged.models[w], solution, time_limit, proven)
        solution.reserve = pd.DataFrame(columns=reserve.COLUMNS)
    top = headline(staged.probabilities)
    block = staged.models[top]
    result = replace(staged.result, objective=staged.cost_by_path_eur[top])
    summary = summary_of(
        inputs[top][1],
        staged.root if staged.root is not None else block,
        result,
        staged.solutions[top],
        0.0,
        time_limit,
        mip_rel_gap,
    )
    summary["solve_seconds"] = round(staged.seconds, 4)
    summary["stochastic"] = stochastic_summary(staged, top)
    stacked = _stack(staged.solutions)
    demand = _stacked({w: d.demand for w, (_, d) in inputs.items()})
    advances = _stacked(
        {w: plan_advances_of(inputs[w][1], s.plan) for w, s in staged.solutions.items()}
    )
    return StagedRun(
        staged=staged,
        data=replace(data, demand=demand),
        solution=stacked,
        summary=summary,
        paths=paths_table(spec, inputs, staged),
        advances=advances,
    )


def plan_advances_of(data: InputData, plan: pd.DataFrame) -> pd.DataFrame:
    from optimizer.advances import plan_advances

    return plan_advances(data, plan)


def stochastic_summary(staged, top: str) -> dict:
    """summary.json ``stochastic`` (declared in reports/runfolder.py)."""
    result = staged.result
    cash = {w: float(s.totals()["cash_total_eur"]) for w, s in staged.solutions.items()}
    return {
        "paths": list(staged.probabilities),
        "probabilities": staged.probabilities,
        "first_stage_years": staged.first_stage_years,
        "nodes": {w: {str(t): n for t, n in by.items()} for w, by in staged.nodes.items()},
        "headline_path": top,
        "risk": staged.risk,
        "objective_eur": staged.objective_eur,
        "expected_cost_eur": staged.expected_cost_eur,
        "cost_by_path_eur": staged.cost_by_path_eur,
        "cash_by_path_eur": cash,
        "own_optimum_by_path_eur": staged.own_optimum_eur,
        "regret_by_path_eur": staged.regret_by_path_eur,
        "wait_and_see_eur": staged.wait_and_see_eur,
        "expected_value_plan_eur": staged.expected_value_plan_eur,
        "expected_value_plan_status": staged.expected_value_plan_status,
        "own_optimum_proven_by_path": staged.own_optimum_proven,
        "evpi_eur": staged.evpi_eur,
        "vss_eur": staged.vss_eur,
        "cvar_eur": staged.cvar_eur,
        "engine": staged.engine,
        "ranks": staged.ranks,
        "method": staged.method,
        "bound_eur": result.bound,
        "gap": result.mip_gap,
        "seconds": round(staged.seconds, 4),
    }


def paths_table(spec, inputs, staged) -> pd.DataFrame:
    """paths.csv: what defines each path and what the staged plan costs on it."""
    rows = []
    for w, path in spec.paths.items():
        demand = inputs[w][1].demand
        by_year = demand.groupby("year")["beds"].sum()
        branch = path.branches_from
        rows.append(
            {
                "path": w,
                "probability": path.probability,
                "description": path.description,
                "provenance": path.source or path.assumption or "",
                "shares_until": f"{branch.path}@{branch.year}" if branch else "",
                "demand_beds": float(demand["beds"].sum()),
                "demand_by_year": "; ".join(f"{int(t)}: {v:.2f}" for t, v in by_year.items()),
                "cost_eur": staged.cost_by_path_eur[w],
                "cash_eur": float(staged.solutions[w].totals()["cash_total_eur"]),
                "own_optimum_eur": staged.own_optimum_eur[w],
                "regret_eur": staged.regret_by_path_eur[w],
            }
        )
    return pd.DataFrame(rows)


#: The Solution tables a run folder writes per path.
PER_PATH = ("plan", "assignments", "unmet", "costs", "service", "reserve", "vacancy", "pots",
            "provider")  # fmt: skip


#: Tables only some plans have (models.education's schools).
OPTIONAL_PER_PATH = ("schools", "school_pupils")


def _stacked(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One table of every path's rows, ``path`` first."""
    parts = [frame.assign(path=w)[["path", *frame.columns]] for w, frame in frames.items()]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _stack(solutions: dict) -> object:
    """A Solution-like object whose per-path tables are stacked (for the run-folder writer)."""
    first = next(iter(solutions.values()))
    stacked = replace(first)
    for name in PER_PATH:
        setattr(stacked, name, _stacked({w: getattr(s, name) for w, s in solutions.items()}))
    for name in OPTIONAL_PER_PATH:
        frames = {w: getattr(s, name, None) for w, s in solutions.items()}
        if all(frame is not None for frame in frames.values()):
            setattr(stacked, name, _stacked(frames))
    return stacked
