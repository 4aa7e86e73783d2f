"""The p-median solved exactly at OR-Library's largest sizes: search, bound, shrink, then MILP.

Why not hand the textbook model to the solver: at n = 900 it has 810,000 assignment pairs, and
both building it (Pyomo, PuLP) and solving its LP dominate the run. Here each stage is exact
and makes the next one smaller:

1. :mod:`optimizer.classic.local_search` finds a good solution (greedy, vertex substitution, a few
   random restarts): the upper bound UB.
2. :mod:`optimizer.classic.lagrangian` computes a Lagrangian lower bound LB, improves UB on the way
   and fixes every site that no solution cheaper than UB can open (or close). If LB reaches UB
   the search solution is proven optimal and no MILP is built at all.
3. :mod:`models.pmedian_radius` builds Elloumi's radius formulation on the remaining candidate
   sites only and HiGHS solves it, told to ignore anything not cheaper than UB.

The answer is the better of UB and the MILP's optimum; the fixing in step 2 only removes
solutions that cannot beat UB, so the MILP on the reduced sites still contains the optimum
whenever it is better than UB. The strong formulation in :func:`models.classic.p_median` stays
as the reference this is tested against.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from models.pmedian_radius import build_radius_model
from optimizer.classic.lagrangian import lagrangian_reduction
from optimizer.classic.local_search import assignment_cost, perturbed_search
from optimizer.solve import SolveResult, solve_matrix, summarise

#: HiGHS's sub-MIP heuristics (RINS, RENS, ...) look for solutions; the search and the
#: Lagrangian have usually found the optimum already, so HiGHS is left only to prove it. Off,
#: they cut 25-45 % of the MILP time on pmed6, pmed16 and a random n = 900, p = 5 graph
#: (the same reduced models solved both ways, side by side in one run).
PROVING_OPTIONS = {
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_heuristic_run_feasibility_jump": False,
}


@dataclass(frozen=True, eq=False)
class PMedianSolution:
    """The best sites, what was proven about them, and where the time went."""

    open_sites: list[int]  # 0-based
    objective: float
    result: SolveResult  # status, bound, gap of the whole procedure
    search_seconds: float
    bound_seconds: float
    build_seconds: float  # radius model assembly (0 when the bound closed the gap)
    milp_seconds: float  # HiGHS on the reduced model
    candidates: int  # sites left for the MILP
    model_size: tuple[int, int]  # rows, columns of the MILP (0, 0 when none was needed)


def _validate(cost: np.ndarray, p: int, weights, must_open) -> tuple[np.ndarray, list[int]]:
    matrix = np.asarray(cost, dtype=float)
    if matrix.ndim != 2 or 0 in matrix.shape:
        raise ValueError(f"cost must be a non-empty 2-D matrix, got shape {matrix.shape}")
    if not np.isfinite(matrix).all() or (matrix < 0).any():
        raise ValueError("cost must be finite and non-negative everywhere")
    n_clients, n_sites = matrix.shape
    if not 1 <= p <= n_sites:
        raise ValueError(f"p must be between 1 and the number of sites ({n_sites}), got {p}")
    if weights is not None:
        w = np.asarray(weights, dtype=float)
        if w.shape != (n_clients,) or not np.isfinite(w).all() or (w < 0).any():
            raise ValueError(f"weights must be {n_clients} finite non-negative numbers")
        matrix = matrix * w[:, None]
    forced = sorted({int(j) for j in must_open})
    if any(not 0 <= j < n_sites for j in forced):
        raise ValueError(f"must_open sites must be between 0 and {n_sites - 1}, got {forced}")
    if len(forced) > p:
        raise ValueError(f"{len(forced)} must-open sites but only p = {p} may open")
    return matrix, forced


def solve_p_median(
    cost: np.ndarray,
    p: int,
    weights: np.ndarray | None = None,
    must_open: Sequence[int] = (),
    time_limit: float | None = None,
    mip_rel_gap: float = 1e-9,
) -> PMedianSolution:
    """Open p sites (including ``must_open``) minimising Σ_i w_i min_(j open) c_ij, exactly.

    ``time_limit`` counts from the start; the search and the bound always run to the end (a
    few seconds at n = 900), the MILP gets what is left or is skipped. When time runs out the
    best solution found is returned with the bound and gap that were proven.
    """
    started = time.perf_counter()
    weighted, forced = _validate(cost, p, weights, must_open)

    incumbent, _ = perturbed_search(weighted, p, forced)
    searched = time.perf_counter()
    reduction = lagrangian_reduction(weighted, p, incumbent, forced)
    bounded = time.perf_counter()
    best_sites, upper = reduction.incumbent, reduction.upper_bound
    lower = reduction.lower_bound
    candidates = reduction.candidates
    build_seconds = milp_seconds = 0.0
    size = (0, 0)
    status, termination = "optimal", "lagrangian bound meets the search solution"

    out_of_time = time_limit is not None and bounded - started >= time_limit
    if not reduction.proven and len(candidates) >= p and out_of_time:
        status, termination = "feasible", "time limit reached before the MILP"
    elif not reduction.proven and len(candidates) >= p:
        forced_now = np.flatnonzero(reduction.opened).tolist()
        model = build_radius_model(weighted, p, candidates, forced_now)
        built = time.perf_counter()
        build_seconds = built - bounded
        size = model.milp.matrix.shape
        remaining = None if time_limit is None else max(0.1, time_limit - (built - started))
        solved = solve_matrix(
            model.milp,
            time_limit=remaining,
            mip_rel_gap=mip_rel_gap,
            mip_abs_gap=reduction.slack if reduction.slack >= 0.5 else None,
            cutoff=upper + 1e-9 * max(1.0, abs(upper)),
            start=model.start_vector(best_sites, weighted),
            options=PROVING_OPTIONS,
        )
        milp_seconds = solved.result.solve_seconds
        found = solved.result
        if found.has_solution and found.objective is not None:
            sites = model.open_sites(solved.values)
            value = assignment_cost(weighted, sites)
            if value < upper:
                best_sites, upper = sites, value
        if found.status in ("optimal", "infeasible"):
            # infeasible under the cutoff: nothing beats the search solution
            lower, termination = upper, f"radius MILP on {len(candidates)} sites: {found.status}"
        else:
            status, termination = "feasible", found.termination
            if found.bound is not None and np.isfinite(found.bound):
                lower = max(lower, min(found.bound, upper))
    elif not reduction.proven:
        lower = upper  # fewer candidates than p: no solution can beat the search solution

    bound = upper if status == "optimal" else lower
    result = summarise(status, upper, bound, time.perf_counter() - started, termination)
    return PMedianSolution(
        open_sites=sorted(best_sites),
        objective=upper,
        result=result,
        search_seconds=searched - started,
        bound_seconds=bounded - searched,
        build_seconds=build_seconds,
        milp_seconds=milp_seconds,
        candidates=len(candidates),
        model_size=size,
    )
