r"""Near-optimal alternatives: plans within a cost slack of the optimum that differ from it.

Modelling to generate alternatives (as PyPSA's MGA and Calliope's SPORES do). After the least-cost
optimum C* with its y_0, alternative i keeps the strategic model and its constraints, adds

    objective(x) ≤ (1 + slack) · C*                                        (cost_slack)
    Δ_j(y) = Σ_{y_j[s,k,t] = 1} (1 − y[s,k,t]) + Σ_{y_j[s,k,t] = 0} y[s,k,t]

— the site-type-years (which type runs at which site in which year) in which y differs from the
earlier plan j (the optimum and alternatives 1 … i−1) — and, by the differ-objective chosen:

    sites        max z,  z ≤ Δ_j(y) for every earlier j         (the most changes from the nearest)
    worst-trip   min D (optimizer.equity, α = 0),  Δ_j(y) ≥ 1 for every earlier j
                                                   (the least worst trip of the plans still new)

then, that first objective held at its optimum (z ≥ z*; D's levels fixed), min objective(x): the
cheapest of the plans the first stage found best, so a plan never spends slack it does not need.
With y exact (g ≥ Gmin y, Gmin ≥ 1, so y = 1 exactly when the type runs), every alternative
differs from every earlier plan in at least one site-type-year. The search stops early when no
plan within the slack differs any more (z* = 0, or no new plan at all).

Measured on baseline-2026 within 5 % (two alternatives, 120 s per solve, 2 cores shared with five
other jobs; the run folders re-derived by tests/test_checker.py): ``sites`` gave plans changing 23
and 20 site-type-years (+4.94 %, +4.29 %; 23 apart from each other), both stages proven, 517 s
for the optimum, both alternatives and their reserve counterfactuals; ``worst-trip`` gave +0.03 %
and +0.74 % (8 and 13 site-type-years from the optimum) in 532 s — every plan's longest trip is
the same 102.9 km there (secure youth have one closed site), so it orders the new plans by cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pyomo.environ as pyo

from models import strategic
from optimizer import equity, results
from optimizer.errors import JzplanError
from optimizer.solve import SolveResult, relative_gap, solve

DIFFERS = ("sites", "worst-trip")


@dataclass
class Alternative:
    name: str
    solution: results.Solution
    model: pyo.ConcreteModel  # solved; holds this plan's values until the next alternative
    objective_eur: float  # the strategic objective of this plan
    differs_from_nearest: int  # site-type-years in which it differs from the closest earlier plan
    result: SolveResult  # stage 2: the cheapest plan with the first stage's best
    spread: SolveResult  # stage 1: the differ-objective
    trip_km: float | None = None  # worst-trip: its least worst trip


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
    differ: str = "sites",
) -> Iterator[Alternative]:
    """Up to ``count`` plans within ``slack`` of ``optimum``, each by the ``differ``-objective
    against the plans before it (``first`` = the optimum's y). Stops early when no plan differs.

    A generator: each alternative's ``model`` holds its values only until the next is solved."""
    check_options(slack, count, differ)
    return _search(params, optimum, first, slack, count, time_limit, differ)


def check_options(slack: float, count: int, differ: str = "sites") -> None:
    if not 0 < slack < 1:
        raise JzplanError(f"--slack: expected a share between 0 and 1 (e.g. 0.05), got {slack}")
    if count < 1:
        raise JzplanError(f"--count: expected at least 1, got {count}")
    if differ not in DIFFERS:
        raise JzplanError(f"--differ: expected {' or '.join(DIFFERS)}, got {differ!r}")


def _delta(m, plan: dict[tuple, int]):
    """Δ_j(y) as an expression."""
    return sum((1 - m.y[key]) if on else m.y[key] for key, on in plan.items())


def _changes(now: dict[tuple, int], plan: dict[tuple, int]) -> int:
    return sum(now[key] != on for key, on in plan.items())


def _search(params, optimum, first, slack, count, time_limit, differ) -> Iterator[Alternative]:
    m = strategic.build(params)
    cost = m.cost.expr
    m.cost.deactivate()
    ceiling = (1 + slack) * optimum + equity.CEILING_TOLERANCE_EUR
    m.cost_slack = pyo.Constraint(expr=cost <= ceiling)
    m.distance = pyo.ConstraintList()
    if differ == "sites":
        m.z = pyo.Var(domain=pyo.NonNegativeReals)
        m.spread = pyo.Objective(expr=m.z, sense=pyo.maximize)
    else:
        trip = equity.add_trip_levels(m, 0.0)
        m.spread = pyo.Objective(expr=trip, sense=pyo.minimize)
    m.cheapest = pyo.Objective(expr=cost, sense=pyo.minimize)
    plans = [first]
    for i in range(1, count + 1):
        delta = _delta(m, plans[-1])
        m.distance.add(m.z <= delta if differ == "sites" else delta >= 1)
        m.spread.activate()
        m.cheapest.deactivate()
        spread = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
        if not spread.has_solution:
            break  # no plan within the slack is new
        trip_km = None
        if differ == "sites":
            best = int(round(pyo.value(m.z)))
            if best == 0:
                break  # every plan within the slack is one already found
            m.z.setlb(best)
        else:
            trip_km = float(pyo.value(trip))
            for j in m.LEVELS:
                m.level_on[j].fix(round(pyo.value(m.level_on[j])))
        m.spread.deactivate()
        m.cheapest.activate()
        result = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
        if not result.has_solution:  # the values are still the first stage's plan
            result = spread
        now = runs_of(m)
        alternative = Alternative(
            name=f"alternative-{i}",
            solution=results.extract(m),
            model=m,
            objective_eur=float(pyo.value(cost)),
            differs_from_nearest=min(_changes(now, plan) for plan in plans),
            result=result,
            spread=spread,
            trip_km=trip_km,
        )
        plans.append(now)
        yield alternative
        if differ == "sites":
            m.z.setlb(0)
        else:
            for j in m.LEVELS:
                m.level_on[j].unfix()


def plan_status(alt: Alternative, optimum, slack: float, differ: str) -> tuple[SolveResult, str]:
    """The alternative's status as a plan of the scenario, not the differ-objective's: optimal
    when it costs what the proven optimum costs, else feasible with its gap to the optimum's
    bound; and the words for summary.json ``solver.describe``."""
    bound = optimum.bound if optimum.bound is not None else optimum.objective
    same = alt.objective_eur <= optimum.objective + equity.CEILING_TOLERANCE_EUR
    proven = same and optimum.proven_optimal
    status = replace(
        alt.result,
        status="optimal" if proven else "feasible",
        proven_optimal=proven,
        objective=alt.objective_eur,
        bound=bound,
        mip_gap=0.0 if proven else relative_gap(alt.objective_eur, bound),
        solve_seconds=alt.spread.solve_seconds + alt.result.solve_seconds,
    )
    extra = alt.objective_eur - optimum.objective
    what = "most site-type-years changed" if differ == "sites" else "least worst trip"
    above = (
        f"EUR {extra:,.0f} ({100 * extra / optimum.objective:.2f} %) above the least cost"
        if extra >= -equity.CEILING_TOLERANCE_EUR
        else f"EUR {-extra:,.0f} cheaper than the least-cost plan found, which was not proven "
        "optimal"
    )  # fmt: skip
    words = (
        f"near-optimal alternative ({what}, "
        f"{'proven' if alt.spread.proven_optimal else alt.spread.describe()}): {above}, within "
        f"the {100 * slack:g} % slack; the cheapest such plan "
        f"{'proven' if alt.result.proven_optimal else alt.result.describe()}"
    )
    return status, words


def run_alternatives(
    config,
    out_dir,
    slack: float,
    count: int,
    force: bool = False,
    render=None,
    time_limit: float | None = None,
    differ: str = "sites",
):
    """Solve the scenario, then its alternatives; one run folder each under ``out_dir``.

    Returns the folders (optimum first). Each alternative's folder is complete like a plan's:
    its reserve.csv compares it with the scenario planned least-cost without its reserve rules
    (the same counterfactual as the optimum's, solved again), and its summary gives its status
    as a plan, its objective, what it costs more than the optimum and how much it changes.
    """
    from pathlib import Path

    from optimizer import pipeline, runfolder
    from optimizer.parameters import prepare

    check_options(slack, count, differ)
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
    found = generate(params, optimum, runs_of(plan.model), slack, count, limit, differ)
    for alt, target in zip(found, targets[1:], strict=False):
        solution = pipeline.complete(data, params, alt.model, alt.solution, limit)
        solution.reserve = pipeline._reserve(params, solution, alt.objective_eur, limit, 0.0)
        status, words = plan_status(alt, plan.result, slack, differ)
        summary = pipeline.summary_of(data, alt.model, status, solution, 0.0, limit, 0.0)
        summary["solver"]["describe"] = words
        extra = alt.objective_eur - optimum
        summary.update(
            scenario=f"{name}-{alt.name}",
            title=f"{data.scenario.title} — {alt.name.replace('-', ' ')}",
            objective=equity.objective_words(
                "alternative",
                description=words,
                differ=differ,
                cost_slack=slack,
                cost_ceiling_eur=(1 + slack) * optimum,
                least_cost_eur=optimum,
                extra_eur=extra,
                extra_share=extra / optimum if optimum else None,
                trip_km=alt.trip_km,
                trip_proven=alt.spread.proven_optimal if alt.trip_km is not None else None,
                differs_from_nearest=alt.differs_from_nearest,
            ),
        )
        folders.append(runfolder.write_run(target, data, solution, summary, force, render))
    return folders
