"""Solve a Pyomo model with HiGHS and say plainly what the solver proved.

Every model in jzplan (strategic plan, classic location models) goes through :func:`solve`, so the
status words a planner reads ("proven optimal", "stopped at the time limit with gap 0.4 %",
"infeasible") mean the same everywhere.
"""

from __future__ import annotations

import io
import math
import time
from dataclasses import dataclass

import numpy as np
import pyomo.environ as pyo
from pyomo.common.tee import capture_output
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import SolutionStatus, TerminationCondition

from models.matrix import MatrixMILP
from optimizer.errors import JzplanError


class SolverUnavailable(JzplanError, RuntimeError):
    """HiGHS (highspy) is not importable in this environment."""


#: HiGHS's default relative MIP gap: a plan proven within it counts as the least-cost plan
LEAST_COST_GAP = 1e-4


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

    @property
    def least_cost(self) -> bool:
        """Proven optimal within HiGHS's default gap (1e-4), not merely within a looser gap
        the scenario accepted: only then is every cheaper plan ruled out."""
        return self.proven_optimal and (self.mip_gap or 0.0) <= LEAST_COST_GAP

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


#: Called as ``watcher(gap, seconds)`` while a MIP is solved (the gap a share, None while no
#: solution is known): the command line shows the gap as it closes (optimizer/cli/common.py).
WATCHERS: list = []


class _GapLog(io.TextIOBase):
    """HiGHS's log as a stream: each branch-and-bound line's gap and time go to the watchers."""

    def __init__(self) -> None:
        self._line = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._line += text
        *lines, self._line = self._line.split("\n")
        for line in lines:
            found = _gap_of(line)
            if found is not None:
                for watcher in list(WATCHERS):
                    watcher(*found)
        return len(text)


def _gap_of(line: str) -> tuple[float | None, float] | None:
    """(gap, seconds) of a HiGHS branch-and-bound log line (``J 0 0 0 0.00% inf 1659 Large …
    0.0s``: explored share, best bound, best solution, gap); None for any other line."""
    words = line.split()
    explored = [i for i, w in enumerate(words[:5]) if w.endswith("%")]
    if not explored or explored[0] not in (3, 4) or len(words) < explored[0] + 5:
        return None
    try:
        seconds = float(words[-1].removesuffix("s"))
        gap = words[explored[0] + 3]
        return (None if gap == "Large" else float(gap.removesuffix("%")) / 100, seconds)
    except ValueError:
        return None


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
    options: dict = {"tee": tee if tee or not WATCHERS else [_GapLog()], "load_solutions": False}
    options["raise_exception_on_nonoptimal_result"] = False
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    if mip_rel_gap is not None:
        options["rel_gap"] = float(mip_rel_gap)
    started = time.perf_counter()
    results = solver.solve(model, **options)

    term = results.termination_condition
    sol = results.solution_status
    if sol in (SolutionStatus.optimal, SolutionStatus.feasible):
        results.solution_loader.load_vars()
    objective = results.incumbent_objective
    bound = results.objective_bound
    if sol in (SolutionStatus.optimal, SolutionStatus.feasible):
        objective = _polish(model, options, objective)
    seconds = time.perf_counter() - started
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
    return summarise(status, objective, bound, seconds, term.name)


def _polish(model: pyo.ConcreteModel, options: dict, objective: float | None):
    """:func:`polish` with a new HiGHS instance and :func:`solve`'s options.

    Not the MIP's own instance: it is persistent, and updating it for thousands of newly fixed
    variables rebuilds every row they sit in, one variable at a time (measured: a 100 × 1000
    facility location polished in over 10 minutes; handed over afresh it takes a second)."""

    def solve_lp() -> bool:
        results = SolverFactory("highs").solve(model, **options)
        if results.solution_status != SolutionStatus.optimal:
            return False
        results.solution_loader.load_vars()
        return True

    return polish(model, objective, solve_lp)


def polish(model: pyo.ConcreteModel, objective: float | None, solve_lp) -> float | None:
    """The incumbent's integer decisions fixed and its continuous part re-solved as an LP.

    A MIP stopped at its time limit or gap can hold an incumbent whose continuous variables sit
    above what its integers require (seen: a write-off of EUR 153,600 charged in a year without
    any removal, in a national run stopped at 60 s), so the objective carried costs no plan table
    shows. With the integers fixed the LP's optimum is the least cost of exactly that plan: never
    more than the incumbent, and what the run folder's tables re-derive. ``solve_lp()`` solves
    the model as it stands and loads the values, True when it did. The objective is taken from
    the values (appsi's persistent LP once reported 1.06 below its own values), and the values
    stay as they were when the LP does not solve or is dearer. Returns the objective kept."""
    free = [
        v
        for v in model.component_data_objects(pyo.Var, active=True, descend_into=True)
        if not v.fixed and (v.is_integer() or v.is_binary()) and v.value is not None
    ]
    if not free:
        return objective
    kept = {id(v): v.value for v in model.component_data_objects(pyo.Var, descend_into=True)}
    for v in free:
        v.fix(round(v.value))
    try:
        if solve_lp():
            active = next(model.component_data_objects(pyo.Objective, active=True))
            polished = pyo.value(active)
            if objective is None or polished <= objective + 1e-9 * max(1.0, abs(objective)):
                return polished
        for v in model.component_data_objects(pyo.Var, descend_into=True):
            if id(v) in kept:
                v.set_value(kept[id(v)], skip_validation=True)
        return objective
    finally:
        for v in free:
            v.unfix()


def summarise(
    status: str, objective: float | None, bound: float | None, seconds: float, termination: str
) -> SolveResult:
    """A :class:`SolveResult` whose gap follows from the objective and bound (0 when proven)."""
    proven = status == "optimal"
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
        termination=termination,
    )


# ---------------------------------------------------------------------------------------------
# Matrix-form models, for formulations too large to build term by term in Pyomo
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MatrixSolution:
    """A :class:`SolveResult` plus the column values (``None`` without a solution)."""

    result: SolveResult
    values: np.ndarray | None


_STATUS_WORDS = {
    "kOptimal": "optimal",
    "kInfeasible": "infeasible",
    "kUnbounded": "unbounded",
    "kUnboundedOrInfeasible": "infeasible",
}


def solve_matrix(
    milp: MatrixMILP,
    time_limit: float | None = None,
    mip_rel_gap: float | None = None,
    mip_abs_gap: float | None = None,
    cutoff: float | None = None,
    start: np.ndarray | None = None,
    options: dict[str, object] | None = None,
) -> MatrixSolution:
    """Hand a :class:`MatrixMILP` to HiGHS directly and report as :func:`solve` does.

    ``cutoff`` tells HiGHS to ignore solutions worth more than it (its ``objective_bound``), so a
    known solution prunes the search even when it cannot be given as a start; when nothing
    better exists HiGHS reports "infeasible", which the caller reads as "the cutoff was optimal".
    """
    try:
        import highspy
    except ImportError as exc:  # pragma: no cover - highspy is a dependency
        raise SolverUnavailable("HiGHS is not available: install the 'highspy' package") from exc
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = milp.matrix.shape[1], milp.matrix.shape[0]
    lp.col_cost_ = milp.objective
    lp.col_lower_, lp.col_upper_ = milp.col_lower, milp.col_upper
    lp.row_lower_, lp.row_upper_ = milp.row_lower, milp.row_upper
    lp.offset_ = float(milp.offset)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = milp.matrix.indptr
    lp.a_matrix_.index_ = milp.matrix.indices
    lp.a_matrix_.value_ = milp.matrix.data
    kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
    lp.integrality_ = [kinds[int(flag)] for flag in milp.integer]
    with capture_output(capture_fd=True):  # HiGHS prints a banner on stdout when created
        highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    if time_limit is not None:
        highs.setOptionValue("time_limit", float(time_limit))
    if mip_rel_gap is not None:
        highs.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    if mip_abs_gap is not None:
        highs.setOptionValue("mip_abs_gap", float(mip_abs_gap))
    if cutoff is not None:
        highs.setOptionValue("objective_bound", float(cutoff))
    for name, value in (options or {}).items():
        highs.setOptionValue(name, value)
    highs.passModel(lp)
    if start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = list(map(float, start))
        solution.value_valid = True
        highs.setSolution(solution)
    started = time.perf_counter()
    highs.run()
    seconds = time.perf_counter() - started

    model_status = highs.getModelStatus().name
    info = highs.getInfo()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = float(info.objective_function_value) if has_solution else None
    bound = float(info.mip_dual_bound) if milp.integer.any() else objective
    status = _STATUS_WORDS.get(model_status, "feasible" if has_solution else "no_solution")
    values = np.asarray(highs.getSolution().col_value) if has_solution else None
    result = summarise(status, objective, bound, seconds, model_status)
    return MatrixSolution(result=result, values=values)
