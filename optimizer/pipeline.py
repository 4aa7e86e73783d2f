"""One scenario end to end: load, prepare data, build, solve, explain, write the run folder."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from models import strategic
from optimizer import explain, results, runfolder
from optimizer.data import InputData, build_input_data
from optimizer.scenario import load_scenario
from optimizer.solve import highs_version, solve


class ScenarioInfeasible(RuntimeError):
    """The policy limits cannot all hold; ``explanations`` says which and by how much."""

    def __init__(self, scenario: str, explanations: list[str]):
        self.explanations = explanations
        super().__init__(f"scenario {scenario} is infeasible:\n" + "\n".join(explanations))


def load(config: Path) -> InputData:
    scenario, base = load_scenario(config)
    return build_input_data(scenario, base, str(config))


def solve_plan(data: InputData, time_limit: float | None = None, mip_rel_gap: float | None = None):
    """Build and solve; return (model, SolveResult, Solution, summary dict)."""
    sc = data.scenario
    time_limit = sc.solver.time_limit_s if time_limit is None else time_limit
    mip_rel_gap = sc.solver.mip_rel_gap if mip_rel_gap is None else mip_rel_gap
    started = time.perf_counter()
    model = strategic.build(data)
    build_seconds = time.perf_counter() - started
    result = solve(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    if result.status == "infeasible":
        raise ScenarioInfeasible(sc.name, explain.explain_infeasible(data, time_limit))
    if not result.has_solution:
        raise RuntimeError(f"scenario {sc.name}: the solver found no plan ({result.describe()})")
    solution = results.extract(model)
    solution.explanations = explain.explain_unmet(data, model, solution)
    summary = {
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
        "build_seconds": round(build_seconds, 4),
        "solve_seconds": round(result.solve_seconds, 4),
        "cost_by_year": solution.cost_by_year(),
        "beds_by_year_type": solution.beds_by_year_type(data.years),
        "unmet": explain.unmet_summary(solution.unmet),
        "unmet_total_beds": float(solution.unmet["beds"].sum()),
        "explanations": solution.explanations,
        "benchmarks": {k: v.value for k, v in sc.reference_figures.items()},
        "counts": {
            "zones": int(len(data.zones)),
            "sites": int(len(data.sites)),
            "variables": int(model.nvariables()),
            "constraints": int(model.nconstraints()),
        },
    }
    return model, result, solution, summary


def run(
    config: Path,
    out_dir: Path,
    force: bool = False,
    render=None,
    time_limit: float | None = None,
) -> tuple[Path, dict]:
    """Solve a scenario and write its run folder; ``render(folder)`` adds maps and reports."""
    runfolder.check_target(Path(out_dir), force)
    data = load(Path(config))
    _, _, solution, summary = solve_plan(data, time_limit=time_limit)
    folder = runfolder.write_run(Path(out_dir), data, solution, summary, force, render)
    return folder, summary
