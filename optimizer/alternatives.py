"""Near-optimal alternatives: plans within a cost slack of the optimum that differ most from it.

Modelling to generate alternatives (as PyPSA's MGA and Calliope's SPORES do): after the optimum
C*, each alternative keeps the strategic model and its constraints, adds

    objective(x) ≤ (1 + slack) · C*                                        (cost_slack)
    z ≤ Σ_{y_j[s,k,t] = 1} (1 − y[s,k,t]) + Σ_{y_j[s,k,t] = 0} y[s,k,t]   for each plan j so far

and maximises z: the number of site-type-years (which type runs where, and when) in which it
differs from the plan found so far that it is closest to. A planner then sees genuinely
different layouts that cost at most the slack more, instead of one answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyomo.environ as pyo

from models import strategic
from optimizer import results
from optimizer.errors import JzplanError
from optimizer.solve import SolveResult, solve


@dataclass
class Alternative:
    name: str
    solution: results.Solution
    model: pyo.ConcreteModel  # solved; holds this plan's values until the next alternative
    objective_eur: float  # the strategic objective of this plan
    differs_from_nearest: int  # site-type-years in which it differs from the closest earlier plan
    result: SolveResult


def runs_of(m) -> dict[tuple, int]:
    """y[s,k,t] of a solved model: which type runs at which site in which year."""
    return {i: int(round(pyo.value(m.y[i]))) for i in m.y}


def generate(
    params: strategic.Parameters,
    optimum: float,
    first: dict[tuple, int],
    slack: float,
    count: int,
    time_limit: float,
) -> Iterator[Alternative]:
    """Up to ``count`` plans within ``slack`` of ``optimum``, each as far as possible from the
    plans before it (``first`` = the optimum's y). Stops early when no plan differs any more.

    A generator: each alternative's ``model`` holds its values only until the next is solved."""
    check_options(slack, count)
    return _search(params, optimum, first, slack, count, time_limit)


def check_options(slack: float, count: int) -> None:
    if not 0 < slack < 1:
        raise JzplanError(f"--slack: expected a share between 0 and 1 (e.g. 0.05), got {slack}")
    if count < 1:
        raise JzplanError(f"--count: expected at least 1, got {count}")


def _search(params, optimum, first, slack, count, time_limit) -> Iterator[Alternative]:
    m = strategic.build(params)
    cost = m.cost.expr
    m.cost.deactivate()
    m.cost_slack = pyo.Constraint(expr=cost <= (1 + slack) * optimum)
    m.z = pyo.Var(domain=pyo.NonNegativeReals)
    m.distance = pyo.ConstraintList()
    m.spread = pyo.Objective(expr=m.z, sense=pyo.maximize)
    plans = [first]
    for i in range(1, count + 1):
        previous = plans[-1]
        m.distance.add(
            m.z <= sum((1 - m.y[key]) if on else m.y[key] for key, on in previous.items())
        )
        result = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
        if not result.has_solution:
            break
        distance = int(round(pyo.value(m.z)))
        if distance == 0:
            break  # every plan within the slack is one already found
        plans.append(runs_of(m))
        yield Alternative(
            name=f"alternative-{i}",
            solution=results.extract(m),
            model=m,
            objective_eur=float(pyo.value(cost)),
            differs_from_nearest=distance,
            result=result,
        )


def run_alternatives(
    config,
    out_dir,
    slack: float,
    count: int,
    force: bool = False,
    render=None,
    time_limit: float | None = None,
):
    """Solve the scenario, then its alternatives; one run folder each under ``out_dir``.

    Returns the folders (optimum first). Each alternative's summary carries its own objective,
    what it costs more than the optimum, and how many site-type-years it changes.
    """
    from pathlib import Path

    import pandas as pd

    from optimizer import pipeline, reserve, runfolder
    from optimizer.parameters import prepare

    out_dir = Path(out_dir)
    data = pipeline.load(Path(config))
    name = data.scenario.name
    targets = [out_dir / name] + [out_dir / f"{name}-alternative-{i}" for i in range(1, count + 1)]
    for target in targets:
        runfolder.check_target(target, force)
    plan = pipeline.solve_plan(data, time_limit=time_limit)
    limit = data.scenario.solver.time_limit_s if time_limit is None else time_limit
    folders = [runfolder.write_run(targets[0], data, plan.solution, plan.summary, force, render)]
    params = prepare(data)
    optimum = float(plan.result.objective)
    for alt, target in zip(
        generate(params, optimum, runs_of(plan.model), slack, count, limit),
        targets[1:],
        strict=False,
    ):
        solution = pipeline.complete(data, params, alt.model, alt.solution, limit)
        solution.reserve = pd.DataFrame(columns=reserve.COLUMNS)  # not re-solved per alternative
        summary = pipeline.summary_of(data, alt.model, alt.result, solution, 0.0, limit, 0.0)
        summary.update(
            scenario=f"{name}-{alt.name}",
            title=f"{data.scenario.title} — {alt.name.replace('-', ' ')}",
            objective_eur=alt.objective_eur,
            explanations=[
                f"Near-optimal alternative: EUR {alt.objective_eur - optimum:,.0f} "
                f"({100 * (alt.objective_eur / optimum - 1):.2f} %) more than the optimum, within "
                f"the slack of {100 * slack:g} %; it differs in {alt.differs_from_nearest} "
                "site-type-years from the closest plan found before it."
            ],
            alternative={
                "slack": slack,
                "optimum_eur": optimum,
                "extra_eur": alt.objective_eur - optimum,
                "differs_from_nearest": alt.differs_from_nearest,
            },
        )
        folders.append(runfolder.write_run(target, data, solution, summary, force, render))
    return folders
