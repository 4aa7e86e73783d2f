"""Solve a Pyomo model with HiGHS and say plainly what the solver proved.

Every model in jzplan (strategic plan, classic location models) goes through :func:`solve`, so the
status words a planner reads ("proven optimal", "stopped at the time limit with gap 0.4 %",
"infeasible") mean the same everywhere.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import pyomo.environ as pyo
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition


class SolverUnavailable(RuntimeError):
    """HiGHS (highspy) is not importable in this environment."""


@dataclass(frozen=True)
class SolveResult:
    """What the solver proved about a model, in words and numbers."""

    status: str  # optimal | feasible | infeasible | unbounded | no_solution | error
    proven_optimal: bool
    objective: float | None
    bound: float | None
    mip_gap: float | None
    solve_seconds: float
    termination: str

    @property
    def has_solution(self) -> bool:
        return self.status in ("optimal", "feasible")

    def describe(self) -> str:
        if self.proven_optimal:
            return "proven optimal"
        if self.status == "feasible":
            gap = "unknown" if self.mip_gap is None else f"{100 * self.mip_gap:.3f} %"
            return f"stopped before proving optimality ({self.termination}); gap {gap}"
        return f"{self.status} ({self.termination})"


def highs_version() -> str:
    solver = SolverFactory("highs")
    if not solver.available():
        return "unavailable"
    return ".".join(str(part) for part in solver.version())


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """HiGHS's definition: |objective - bound| / max(1, |objective|)."""
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


def solve(
    model: pyo.ConcreteModel,
    time_limit: float | None = None,
    mip_rel_gap: float | None = None,
    tee: bool = False,
) -> SolveResult:
    """Solve ``model`` in place with HiGHS; load values only when a solution exists."""
    solver = SolverFactory("highs")
    if not solver.available():
        raise SolverUnavailable("HiGHS is not available: install the 'highspy' package")
    options: dict = {"tee": tee, "load_solutions": False}
    options["raise_exception_on_nonoptimal_result"] = False
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    if mip_rel_gap is not None:
        options["rel_gap"] = float(mip_rel_gap)
    started = time.perf_counter()
    results = solver.solve(model, **options)
    seconds = time.perf_counter() - started

    term = results.termination_condition
    sol = results.solution_status
    if sol in (SolutionStatus.optimal, SolutionStatus.feasible):
        results.solution_loader.load_vars()
    objective = results.incumbent_objective
    bound = results.objective_bound
    proven = sol == SolutionStatus.optimal and term == (
        TerminationCondition.convergenceCriteriaSatisfied
    )
    if proven:
        status = "optimal"
    elif sol == SolutionStatus.feasible or sol == SolutionStatus.optimal:
        status = "feasible"
    elif term == TerminationCondition.provenInfeasible:
        status = "infeasible"
    elif term in (TerminationCondition.unbounded, TerminationCondition.infeasibleOrUnbounded):
        status = "unbounded" if term == TerminationCondition.unbounded else "infeasible"
    elif term == TerminationCondition.error:
        status = "error"
    else:
        status = "no_solution"
    gap = relative_gap(objective, bound) if status in ("optimal", "feasible") else None
    if proven and gap is None:
        gap = 0.0
    return SolveResult(
        status=status,
        proven_optimal=proven,
        objective=objective,
        bound=bound,
        mip_gap=gap,
        solve_seconds=seconds,
        termination=term.name,
    )
