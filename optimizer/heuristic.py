"""The fast formulation solved in three stages: LP, a kernel MILP for a plan, the full MILP.

1. LP: the relaxation of :func:`models.strategic_fast.build` (its covers make it tight, so the
   pairs it gives groups are nearly the pairs a good plan uses).
2. Kernel: the same model with g = y = 0 fixed for every pair (s, k) the LP gives no groups in
   any year (pairs with groups today stay free). Its plans are plans of the full model.
3. Rest: every pair free again, plus beyond_kernel Σ_{(s,k) ∉ kernel, t} y[s,k,t] ≥ 1 (the
   plans that are not kernel plans), with HiGHS's ``objective_bound`` just above the kernel's
   plan (a cutoff). Kernel plans and the rest are every plan, so the bound is the smaller of
   the two MILPs' bounds. ``split=False``: the full MILP warm-started from the kernel's plan.

One persistent HiGHS instance (Pyomo appsi) carries the model through the stages: it is handed
over once, and each stage only changes bounds or integrality. The result is the model's own
(same variable names as the reference), so optimizer.results reads it as usual.

Measured (benchmarks/bench_scale.py, 2 Dec 2026, one run each on 2 cores shared with five other
sessions, load ≈ 12; EUR M; gap = HiGHS's |plan − bound| / plan at the time limit)

    cand-9 × 5y, 60 s, gap target 0.5 %                 gap       plan
    reference model, HiGHS alone                        no plan    —
    reference model, LP → kernel → rest                 19.85 %    43.889
    fast model, HiGHS alone (heuristic=False)           13.97 %    49.569
    fast model, LP → kernel → full from its plan        3.96 %     44.079
    fast model, LP → kernel → rest, kernel share 0.5    3.55–3.92 % 43.88–44.08 (3 runs)
    the same at 150 s                                   2.50 %     43.780 (the rest beat the kernel)
    kernel share 0.8, heuristic effort 0.5 (kept)       2.67 %     43.884

Shipped scenarios, 120 s, gap 0 (commit a1482d5), reference s / fast s: arrivals-stay 69.0 /
23.3, hybrid-at-closed-tariff 103.7 / 36.6, occupancy-85pct 46.1 / 9.9, service-level-5pct 73.8 /
29.9, zeeland-hybrid 43.8 / 22.5, baseline 120 (1.86 %) / 84.6, spuk-2024 68.5 / 86.0,
zero-closed-2030 120 (1.23 %) / 120 (2.04 %).

    scale-up 27 × 3 × 10, 300 s                          gap       plan
    reference model (two runs)                          no plan (bound 54.31); 36.99 % 86.455
    fast, kernel share 0.5                              no plan (LP 70.51 in ~80 s; kernel none)
    fast, kernel share 0.8, heuristic effort 0.5        2.93 % 72.322 (kernel plan at ~200 s);
                                                        more load: no plan (LP 70.20)

Ten years were the kernel MILP's weak link (HiGHS spent its time on the root cuts of the
restricted model before a sub-MIP found a plan); relax-and-fix over the years now gives it a start
(the scale-up's in 24–33 s), so the kernel stage needs half the time, not 0.8:

    scale-up 27 × 3 × 10, 300 s, quiet 2 cores           gap      plan     kernel bd  rest bd
    kernel share 0.8 (one run each, 2 Dec 2026)          2.46–2.51 % 72.322   —          —
    kernel share 0.5                                     2.18 %   72.322    71.250     70.745
    full MILP from the kernel's plan (split=False)       2.67 %   72.322    71.213     70.389
    kernel share 0.3 / 0.5, two runs side by side        no plan (relax-and-fix ran out of time)
    kernel share 0.5, relax-and-fix may use all of it,   1.97 %   72.322    71.324     70.895
      median of 3 runs

The bound is what is left, and the plans beyond the kernel hold it (the kernel MILP proves its
own plans to ~1.5 %). benchmarks/bench_gap.py shows where the LP loses (scale-up, EUR M): LP
70.166; with the plan's school decisions w fixed (20 binaries) 71.294, with its site openings o
fixed 71.276, o and w 71.877, the pairs that run y 71.692, y and w **72.322 = the plan**: given
which pairs run and which schools teach, the rest is integral (cand-9 × 5y alike: LP 42.174, y
and w fixed 43.485 = its plan). The LP takes "a share of a plan
with Ossendrecht and the Olivijncollege running, a share of one without" (w = 0.61, o = 0.71 in
2026), a disjunction no row over x, y, w found here cuts without a minimum load per group; the
reduced costs of the pairs outside the kernel are all 0 at the LP (degenerate), so reduced-cost
fixing of the rest buys nothing either.

(Above the median, stage 3 ran with the kernel's heuristic effort 0.5, an option HiGHS kept.)

National (reference model, 300 s, gap target 1 %): median of 3 runs gap 9.47 %, plan EUR
674.756 M (relax-and-fix's, after 120 s; the kernel MILP did not improve it), bound 610.871 M.
The fast model there: LP 579.6 against the reference's 540.5 (its covers), but 82 s against 3 s,
and relax-and-fix found no plan in its share (rest bound 605.5 at 300 s): the reference stays
the national formulation.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field

import pyomo.environ as pyo
from pyomo.common.tee import capture_output
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers.highs import Highs

from models.strategic import Parameters
from optimizer.solve import SolveResult, SolverUnavailable, polish, summarise

#: share of the time left after the LP that the kernel stage (relax-and-fix, then the kernel
#: MILP) may use (the rest: stage 3). 0.8 while the kernel MILP had to find its own plan; with
#: relax-and-fix's start 0.5 gives the plans beyond the kernel more time (measured below)
KERNEL_SHARE = 0.5
#: share of the kernel stage's time that relax-and-fix may use to find the kernel MILP's start:
#: all of it if it needs it (0.5 left it without a plan on a loaded machine: measured below)
RF_SHARE = 1.0
#: MIP gap of each relax-and-fix year: its job is a start plan, not a proof
RF_GAP = 0.01
#: a pair enters the kernel when the LP gives it more than this many groups in some year
KERNEL_EPS = 1e-3
#: the cutoff lies this far (relative) above the kernel's plan, so the plan itself is not cut off
CUTOFF_GIVE = 1e-7
#: HiGHS options of the kernel MILP, whose job is a plan (its bound matters less): ten times
#: HiGHS's default heuristic effort (0.05)
KERNEL_OPTIONS: dict = {"mip_heuristic_effort": 0.5}


@dataclass
class Stages:
    """What each stage gave: the LP bound, the kernel's plan, seconds per stage."""

    lp_bound: float | None = None
    kernel_objective: float | None = None
    kernel_pairs: int = 0
    kernel: set = field(default_factory=set)  # the kernel's pairs (s, k)
    kernel_proven: bool = False  # the kernel MILP reached its gap
    kernel_bound: float | None = None  # the kernel MILP's bound (kernel plans only)
    rest_bound: float | None = None  # stage 3's bound (plans beyond the kernel, or all plans)
    relax_and_fix_objective: float | None = None  # the kernel MILP's start, when found
    seconds: dict[str, float] = field(default_factory=dict)


class _Solver:
    """One appsi HiGHS instance on one model, quiet unless ``tee``."""

    def __init__(self, model: pyo.ConcreteModel, tee: bool = False):
        self.model = model
        self.highs = Highs()
        if not self.highs.available():
            raise SolverUnavailable("HiGHS is not available: install the 'highspy' package")
        self.highs.config.load_solution = False
        self.highs.config.stream_solver = tee
        # fixed variables stay columns with equal bounds (as parameters they would make appsi
        # rewrite every row they appear in each time a stage fixes or frees them)
        self.highs.update_config.treat_fixed_vars_as_params = False
        self.loaded = False
        self.touched: set[str] = set()  # HiGHS options a run has set

    def run(self, time_limit, gap, start=False, options=None, new_rows=False):
        """Solve as the model stands; ``options`` hold for this run only (HiGHS keeps an option
        once set, so an option of an earlier run is set back to HiGHS's default)."""
        config = self.highs.config
        config.time_limit = None if time_limit is None else max(1.0, float(time_limit))
        config.mip_gap = gap
        config.warmstart = start
        options = dict(options or {})
        for name in self.touched - set(options):
            options[name] = _highs_default(name)
        self.touched |= set(options)
        self.highs.highs_options = options
        if self.loaded:  # rows, objective and parameters change only where a stage says so
            update = self.highs.update_config
            update.check_for_new_or_removed_constraints = new_rows
            update.check_for_new_or_removed_params = False
            update.check_for_new_objective = False
            update.update_constraints = False
            update.update_named_expressions = False
            update.update_objective = False
            update.update_params = False
        self.loaded = True
        if config.stream_solver:
            return self.highs.solve(self.model)
        with capture_output(capture_fd=True):
            return self.highs.solve(self.model)


@functools.cache
def _highs_default(name: str):
    """HiGHS's default value of option ``name`` (read from a new instance)."""
    import highspy

    with capture_output(capture_fd=True):
        value = highspy.Highs().getOptionValue(name)
    return value[1] if isinstance(value, tuple) else value  # (status, value) in highspy ≥ 1.8


def _integer_vars(m: pyo.ConcreteModel) -> list:
    return [v for v in m.component_data_objects(pyo.Var, descend_into=True) if v.is_integer()]


def lp_relaxation(solver: _Solver, time_limit: float | None) -> float | None:
    """Solve the LP relaxation in place (values loaded); integrality is restored afterwards."""
    saved = _relaxed(_integer_vars(solver.model))
    try:
        results = solver.run(time_limit, None)
        if results.termination_condition != TerminationCondition.optimal:
            return None
        solver.highs.load_vars()
        return results.best_feasible_objective
    finally:
        _restore(saved)


def _relaxed(variables: list) -> list:
    """Make ``variables`` continuous within their bounds; returns what :func:`_restore` needs."""
    saved = []
    for v in variables:
        lb, ub = v.bounds
        saved.append((v, v.domain, lb, ub))
        v.domain = pyo.Reals
        v.setlb(lb)
        v.setub(ub)
    return saved


def _restore(saved: list) -> None:
    for v, domain, lb, ub in saved:
        v.domain = domain
        v.setlb(lb)
        v.setub(ub)


def _by_year(m: pyo.ConcreteModel, years) -> dict:
    """The free integer variables by the planning year in their index (None: no year, e.g. a
    pot's choice z[i,c]); years are the only indices ≥ the first planning year."""
    known, found = set(years), {}
    for v in _integer_vars(m):
        if v.fixed:
            continue
        index = v.index()
        index = index if isinstance(index, tuple) else (index,)
        year = next((i for i in index if isinstance(i, int) and i in known), None)
        found.setdefault(year, []).append(v)
    return found


def relax_and_fix(solver: _Solver, p: Parameters, time_limit, gap) -> float | None:
    """A plan by relax-and-fix over the years: every integer relaxed; then year by year, that
    year's integers made integer again (later years still relaxed, earlier ones fixed), the
    MILP solved and the year's decisions fixed. Each MILP holds one year's integers, so each
    finds a plan fast; together they make one plan of the whole model (values loaded), or None
    when a year finds none in its share of the time, nor in half of the time left. Everything
    is freed again afterwards."""
    started = time.perf_counter()
    m = solver.model
    groups = _by_year(m, p.years)
    order = [t for t in p.years if t in groups] + ([None] if None in groups else [])
    saved = _relaxed([v for vs in groups.values() for v in vs])
    fixed, objective, year_gap = [], None, max(gap or 0.0, RF_GAP)
    try:
        for i, year in enumerate(order):
            left = None if time_limit is None else time_limit - (time.perf_counter() - started)
            if left is not None and left <= 0:
                return None
            _restore([row for row in saved if id(row[0]) in {id(v) for v in groups[year]}])
            share = None if left is None else left / (len(order) - i)
            results = solver.run(share, year_gap)
            if results.best_feasible_objective is None and left is not None:
                # a slow year may take half of what is left (no first-plan stop: placing nobody)
                rest = time_limit - (time.perf_counter() - started)
                results = solver.run(rest / 2, year_gap)
            if results.best_feasible_objective is None:
                return None
            solver.highs.load_vars()
            objective = results.best_feasible_objective
            for v in groups[year]:
                v.fix(round(pyo.value(v)))
                fixed.append(v)
        return objective
    finally:
        for v in fixed:
            v.unfix()
        _restore(saved)


def kernel(m: pyo.ConcreteModel, p: Parameters, eps: float = KERNEL_EPS) -> set:
    """Pairs the LP (values in ``m``) gives more than ``eps`` groups, plus pairs running today."""
    keep = {(s, k) for s, k, t in m.SKT if (pyo.value(m.g[s, k, t], exception=False) or 0) > eps}
    return keep | {(s, k) for s, k in p.sk if p.sites.at[s, f"existing_{k}"] > 0}


def _status(term, found: bool) -> str:
    if found:
        return "optimal" if term == TerminationCondition.optimal else "feasible"
    if term in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
        return "infeasible"
    if term == TerminationCondition.unbounded:
        return "unbounded"
    return "no_solution"


def solve(
    m: pyo.ConcreteModel,
    p: Parameters,
    time_limit: float | None = None,
    mip_rel_gap: float | None = None,
    heuristic: bool = True,
    split: bool = True,
    tee: bool = False,
    kernel_share: float = KERNEL_SHARE,
) -> tuple[SolveResult, Stages]:
    """Solve a model of :func:`models.strategic.build` or its fast form in place (values loaded
    when a plan is found); ``time_limit`` covers every stage. ``heuristic=False``: the full
    MILP only; ``split=False``: stage 3 is the full MILP from the kernel's plan, not the rest;
    ``kernel_share``: the kernel's share of the time left after the LP."""
    started = time.perf_counter()
    solver, stages = _Solver(m, tee), Stages()

    def left() -> float | None:
        return None if time_limit is None else time_limit - (time.perf_counter() - started)

    incumbent = kernel_bound = None
    if heuristic:
        tick = time.perf_counter()
        stages.lp_bound = lp_relaxation(solver, left())
        stages.seconds["lp"] = time.perf_counter() - tick
        if stages.lp_bound is not None:
            budget = None if time_limit is None else kernel_share * left()
            incumbent, kernel_bound = _kernel_stage(solver, p, stages, budget, mip_rel_gap)
    options = {}
    if incumbent is not None:
        options["objective_bound"] = incumbent + max(CUTOFF_GIVE * abs(incumbent), 1e-6)
    rest = _rest_row(m, stages.kernel) if split and incumbent is not None else None
    tick = time.perf_counter()
    if rest is not None and not rest:  # the kernel holds every pair: it was the whole model
        results = None
    else:
        start = incumbent is not None and rest is None
        results = solver.run(left(), mip_rel_gap, start=start, options=options, new_rows=bool(rest))
    stages.seconds["full"] = time.perf_counter() - tick
    if rest:
        m.del_component(m.beyond_kernel)
    term = TerminationCondition.optimal if results is None else results.termination_condition
    found = results is not None and results.best_feasible_objective is not None
    if found and incumbent is not None and results.best_feasible_objective >= incumbent:
        found = False  # HiGHS may report a plan above the cutoff: the kernel's stays
    bound = None if results is None else results.best_objective_bound
    stages.rest_bound = bound
    done = term in (TerminationCondition.optimal, TerminationCondition.infeasible,
                    TerminationCondition.objectiveLimit)  # fmt: skip
    if found:
        solver.highs.load_vars()
        objective = results.best_feasible_objective
    elif incumbent is not None:  # nothing beats the kernel's plan (its values are still loaded)
        objective = incumbent
        bound = incumbent if done else bound
    else:
        objective = None
    if rest is not None and kernel_bound is not None:  # the plans are the kernel's or the rest's
        bound = kernel_bound if bound is None else min(bound, kernel_bound)
        done = done and stages.kernel_proven
    if stages.lp_bound is not None and (bound is None or bound < stages.lp_bound):
        bound = stages.lp_bound  # the LP of the same model bounds it too
    if objective is not None:
        status = "optimal" if done else "feasible"
        objective = _polish(solver, objective)
    else:
        status = _status(term, False)
    seconds = time.perf_counter() - started
    return summarise(status, objective, bound, seconds, term.name), stages


def _polish(solver: _Solver, objective: float) -> float:
    """optimizer.solve.polish on this persistent instance (its stages' rows unchanged)."""

    def solve_lp() -> bool:
        if solver.run(None, None).termination_condition != TerminationCondition.optimal:
            return False
        solver.highs.load_vars()
        return True

    return polish(solver.model, objective, solve_lp)


def _rest_row(m: pyo.ConcreteModel, keep: set) -> list:
    """beyond_kernel: Σ y[s,k,t] ≥ 1 over the pairs outside the kernel. A plan that is not a
    kernel plan runs one of them somewhere (g ≤ Gmax y), so the kernel MILP and this model
    together cover every plan, and the LP of this one is far above the full model's."""
    outside = [m.y[i] for i in m.SKT if (i[0], i[1]) not in keep and not m.y[i].fixed]
    if outside:
        m.beyond_kernel = pyo.Constraint(expr=sum(outside) >= 1)
    return outside


def _kernel_stage(solver: _Solver, p: Parameters, stages: Stages, budget, gap):
    """Stage 2 on the LP's values: the kernel MILP in ``budget`` seconds; (objective, bound)
    with values loaded, or (None, None)."""
    m = solver.model
    keep = kernel(m, p)
    stages.kernel, stages.kernel_pairs = keep, len(keep)
    fixed = []
    for s, k, t in m.SKT:
        if (s, k) not in keep and not m.g[s, k, t].fixed:
            for var in (m.g[s, k, t], m.y[s, k, t]):
                var.fix(0)
                fixed.append(var)
    tick = time.perf_counter()
    try:
        start = relax_and_fix(solver, p, None if budget is None else RF_SHARE * budget, gap)
        stages.seconds["relax_and_fix"] = time.perf_counter() - tick
        stages.relax_and_fix_objective = start
        if budget is not None:
            budget -= stages.seconds["relax_and_fix"]
        results = solver.run(budget, gap, start=start is not None, options=KERNEL_OPTIONS)
    finally:
        for var in fixed:
            var.unfix()
    stages.seconds["kernel"] = time.perf_counter() - tick
    if results.best_feasible_objective is None:
        return None, None
    solver.highs.load_vars()
    stages.kernel_objective = results.best_feasible_objective
    stages.kernel_proven = results.termination_condition == TerminationCondition.optimal
    stages.kernel_bound = results.best_objective_bound
    return stages.kernel_objective, stages.kernel_bound
