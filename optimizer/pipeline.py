"""The one orchestrator, in stage order: scenario → data → parameters → model → solve → results
→ explanations → run folder. The CLI and the benchmarks both go through these functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from optimizer import runfolder
from optimizer.data import InputData, build_input_data
from optimizer.errors import JzplanError
from optimizer.scenario import load_scenario

if TYPE_CHECKING:  # the solver stack loads only when a plan is solved (fast validate/--help)
    from optimizer.results import Solution
    from optimizer.solve import SolveResult


class ScenarioInfeasible(JzplanError):
    """The policy limits cannot all hold; ``explanations`` says which and by how much."""

    def __init__(self, scenario: str, explanations: list[str]):
        self.explanations = explanations
        super().__init__(f"scenario {scenario} is infeasible:\n" + "\n".join(explanations))


class NoPlanFound(JzplanError):
    """The solver stopped (time limit) before it found any plan."""


@dataclass
class Plan:
    """One solved scenario: the model, the solver's report, the plan tables, the summary."""

    model: object
    result: SolveResult
    solution: Solution
    summary: dict
    build_seconds: float


@dataclass
class Outcome:
    folder: Path
    summary: dict


def load(config: Path) -> InputData:
    """Stages 1–2: the scenario file (with ``extends``) and every file it names, checked; the
    contract's tariffs are derived here too, so ``jzplan validate`` reports a contract that
    cannot be priced."""
    from optimizer.contract import contract_of

    scenario, base = load_scenario(config)
    data = build_input_data(scenario, base, str(config))
    contract_of(data)
    return data


def solve_plan(data: InputData, time_limit: float | None = None, mip_rel_gap: float | None = None):
    """Stages 3–7: parameters, model, solve, results, explanations; returns a :class:`Plan`."""
    from models import strategic
    from optimizer import explain, results
    from optimizer.parameters import prepare
    from optimizer.solve import solve

    sc = data.scenario
    time_limit = sc.solver.time_limit_s if time_limit is None else time_limit
    mip_rel_gap = sc.solver.mip_rel_gap if mip_rel_gap is None else mip_rel_gap
    started = time.perf_counter()
    params = prepare(data)
    unreachable = explain.unreachable_duty(data, params)
    if unreachable:
        raise ScenarioInfeasible(sc.name, unreachable)
    fast = sc.solver.formulation == "fast"  # same optimum, with valid inequalities
    if fast:
        from models import strategic_fast

        model = strategic_fast.build(params)
    else:
        model = strategic.build(params)
    build_seconds = time.perf_counter() - started
    if (sc.solver.method or ("kernel" if fast else "direct")) == "kernel":
        from optimizer import heuristic

        result, _ = heuristic.solve(model, params, time_limit, mip_rel_gap)
    else:
        result = solve(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    if result.status == "infeasible":
        raise ScenarioInfeasible(sc.name, explain.explain_infeasible(params, time_limit))
    if not result.has_solution:
        raise NoPlanFound(
            f"scenario {sc.name}: the solver found no plan within the limits "
            f"({result.describe()}); raise --time-limit"
        )
    solution = complete(data, params, model, results.extract(model), time_limit, result.least_cost)
    solution.reserve = _reserve(params, solution, result.objective, time_limit, mip_rel_gap)
    summary = summary_of(data, model, result, solution, build_seconds, time_limit, mip_rel_gap)
    return Plan(model, result, solution, summary, build_seconds)


def complete(data: InputData, params, model, solution, time_limit: float, least_cost=False):
    """Stages 6–7 for any solved strategic model (the plan, an alternative): pots, provider,
    explanations and the service-level table — everything the run folder holds but the reserve.
    ``least_cost``: the plan is proven least-cost (what the unmet explanations may then say)."""
    from optimizer import explain, funding, provider, service
    from optimizer.contract import contract_of

    solution.pots = funding.allocate(model, solution.cash_by_year(), time_limit)
    contract = contract_of(data)
    solution.provider = provider.provider_table(
        params, solution.plan, contract.priced if contract else ()
    )
    solution.explanations = explain.explain_unmet(data, model, solution, least_cost)
    solution.service = service.pool_table(
        params.pools, solution.plan, solution.assignments, params.years, params.max_refusal
    )
    return solution


def _reserve(params, solution, objective: float, time_limit, mip_rel_gap):
    """The plan without its reserve rules, solved too: what the reserve buys (optimizer.reserve)."""
    from dataclasses import replace

    from models import strategic
    from optimizer import reserve, results, service
    from optimizer.solve import solve

    rules = params.limits.min_places
    if not any(r.reserve for r in rules):
        return pd.DataFrame(columns=reserve.COLUMNS)
    kept = tuple(r for r in rules if not r.reserve)
    without = replace(params, limits=replace(params.limits, min_places=kept))
    model = strategic.build(without)
    result = solve(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    if not result.has_solution:  # the reserve is what makes the plan feasible: say so as NaN
        table = service.pool_table(
            params.pools, solution.plan.iloc[0:0], solution.assignments.iloc[0:0], [], None
        )
        return reserve.reserve_table(rules, solution.service, table, objective, float("nan"))
    other = results.extract(model)
    table = service.pool_table(
        params.pools,
        other.plan,
        other.assignments,
        params.years,
        params.max_refusal,
        variant="without_reserve",
    )
    solution.service = pd.concat([solution.service, table], ignore_index=True)
    return reserve.reserve_table(
        rules,
        solution.service[solution.service["variant"] == service.PLAN],
        table,
        objective,
        result.objective,
    )


def summary_of(data, model, result, solution, build_seconds, time_limit, mip_rel_gap) -> dict:
    """summary.json of a solved plan (the contract's SUMMARY keys)."""
    from optimizer import funding, provider
    from optimizer.contract import contract_summary
    from optimizer.equity import objective_words, trip_statistics
    from optimizer.explain import unmet_summary
    from optimizer.solve import highs_version

    sc = data.scenario
    return {
        "scenario": sc.name,
        "title": sc.title,
        "description": sc.description,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "years": data.years,
        "solver": {
            "status": result.status,
            "proven_optimal": result.proven_optimal,
            "describe": result.describe(),
            "mip_gap": result.mip_gap,
            "termination": result.termination,
            "time_limit_s": time_limit,
            "mip_rel_gap": mip_rel_gap,
            "highs_version": highs_version(),
        },
        "objective_eur": result.objective,
        "objective_from_costs_eur": solution.objective_eur,
        **solution.totals(),
        "vacancy_by_year": {
            str(int(t)): float(v)
            for t, v in solution.vacancy.groupby("year")["vacancy_eur"].sum().items()
        },
        "funding_by_year": funding.own_money(solution.cash_by_year(), solution.pots),
        "provider": provider.summary(solution.provider),
        "provider_viability": provider.sentences(solution.provider),
        "contract": contract_summary(data),
        "build_seconds": round(build_seconds, 4),
        "solve_seconds": round(result.solve_seconds, 4),
        "cost_by_year": solution.cost_by_year(),
        "beds_by_year_type": solution.beds_by_year_type(data.years),
        "unmet": unmet_summary(solution.unmet),
        "unmet_total_beds": float(solution.unmet["beds"].sum()),
        "explanations": solution.explanations,
        "service": _service_summary(sc, solution.service),
        "benchmarks": {k: v.value for k, v in sc.reference_figures.items()},
        "counts": {
            "zones": int(len(data.zones)),
            "sites": int(len(data.sites)),
            "variables": int(model.nvariables()),
            "constraints": int(model.nconstraints()),
        },
        "objective": objective_words("cost"),
        "trips": trip_statistics(
            solution.assignments, data.zones, data.place_types.set_index("type")["max_km"]
        ),
        "stochastic": None,
    }


def _service_summary(sc, table: pd.DataFrame) -> dict:
    """The capacity rule, its target and the highest refusal probability of any pool per year."""
    plan = table[table["variant"] == "plan"]
    worst = plan.groupby("year")["refusal_probability"].max()
    return {
        "capacity_rule": sc.capacity_rule,
        "max_refusal_probability": (
            sc.service_level.max_refusal_probability if sc.service_level else None
        ),
        "highest_refusal_by_year": {str(int(t)): float(v) for t, v in worst.items()},
    }


def run(
    config: Path,
    out_dir: Path,
    force: bool = False,
    render: Callable[[Path], None] | None = None,
    time_limit: float | None = None,
    on_loaded: Callable[[InputData], object] | None = None,
    objective=None,
    engine: str | None = None,
    ranks: int = 1,
) -> Outcome:
    """Everything: check the target, load, solve, write the run folder (``render`` adds reports).

    A scenario with ``demand_paths`` is solved as the staged plan (optimizer.staged_run) by
    ``engine``: the extensive form (default) or mpi-sppy on ``ranks`` MPI ranks."""
    out_dir = Path(out_dir)
    runfolder.check_target(out_dir, force)
    data = load(Path(config))
    if on_loaded is not None:
        on_loaded(data)
    if data.scenario.demand_paths is not None:
        return _run_staged(data, out_dir, force, render, time_limit, objective, engine, ranks)
    if engine not in (None, "extensive-form"):
        raise JzplanError(
            f"--engine {engine}: solves a scenario with demand paths; {data.scenario.name} has "
            "no `demand_paths` section (see configs/README.md, Demand paths)"
        )
    if objective is None:
        plan = solve_plan(data, time_limit=time_limit)
    else:
        plan = solve_objective(data, objective, time_limit=time_limit)
    folder = runfolder.write_run(out_dir, data, plan.solution, plan.summary, force, render)
    return Outcome(folder, plan.summary)


def solve_objective(data: InputData, objective, time_limit: float | None = None) -> Plan:
    """The plan for a chosen objective (``optimizer.equity.Objective``): least cost first, for
    the ceiling, then the trip objective within it (optimizer.equity); a normal :class:`Plan`
    whose summary says which objective was used and the ceiling."""
    from optimizer import equity
    from optimizer.parameters import prepare

    least = solve_plan(data, time_limit=time_limit)
    if objective.name == "cost":
        return least
    limit = data.scenario.solver.time_limit_s if time_limit is None else time_limit
    params = prepare(data)
    started = time.perf_counter()
    trips = least.summary["trips"]["all"]
    found = equity.solve_objective(params, objective, least.result.objective, limit, trips)
    seconds = time.perf_counter() - started
    solution = complete(data, params, found.model, found.solution, limit)
    solution.reserve = _reserve(params, solution, found.objective_eur, limit, 0.0)
    summary = summary_of(data, found.model, found.combined, solution, seconds, limit, 0.0)
    summary["solver"]["describe"] = found.describe
    summary["objective"] = found.words
    return Plan(found.model, found.combined, solution, summary, seconds)


def _run_staged(data, out_dir, force, render, time_limit, objective, engine, ranks) -> Outcome:
    """The staged plan over the scenario's demand paths, written as one run folder."""
    from optimizer import explain
    from optimizer.parameters import prepare
    from optimizer.staged_run import path_inputs, solve_staged_run

    if objective is not None and objective.name != "cost":
        raise JzplanError(
            f"--objective {objective.name}: a scenario with demand paths is planned at least "
            "cost (or its demand_paths.risk measure); drop --objective or the demand paths"
        )
    if ranks < 1:
        raise JzplanError(f"--ranks: expected 1 or more MPI ranks, got {ranks}")
    for w, (_, path_data) in path_inputs(data).items():
        unreachable = explain.unreachable_duty(path_data, prepare(path_data))
        if unreachable:
            raise ScenarioInfeasible(f"{data.scenario.name} (demand path {w})", unreachable)
    staged = solve_staged_run(
        data,
        time_limit=time_limit,
        engine=engine or "extensive-form",
        ranks=ranks,
        complete=complete,
        summary_of=summary_of,
    )
    folder = runfolder.write_run(
        out_dir,
        staged.data,
        staged.solution,
        staged.summary,
        force,
        render,
        paths=staged.paths,
        advances=staged.advances,
    )
    return Outcome(folder, staged.summary)
