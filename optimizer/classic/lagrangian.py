r"""A Lagrangian lower bound for the p-median, and the sites it rules out.

Why: an exact p-median MILP on n = 900 vertices has 810,000 client–site pairs. Most candidate
sites cannot appear in any solution better than a good known one, and a cheap bound proves it.
This is Beasley's (1993, EJOR 65) Lagrangian approach to the OR-Library problems, used here
only to *shrink* the MILP that :mod:`optimizer.classic.pmedian` then solves exactly.

Relaxing the assignment constraints Σ_j x_ij = 1 of the strong formulation with multipliers
λ_i leaves, for every λ,

    L(λ) = Σ_i λ_i + min { Σ_j ρ_j(λ) y_j : Σ_j y_j = p, y_j = 1 for must-open j },
    ρ_j(λ) = Σ_i min(0, c_ij − λ_i),

solved by opening the p smallest ρ_j; L(λ) ≤ the optimum for every λ (weak duality), and its
maximum equals the LP bound. λ is improved by subgradient steps (Held, Wolfe and Crowder 1974)
towards the incumbent's cost UB.

Variable fixing: if S is the chosen set and ρ_[k], ρ_[k+1] the k-th and (k+1)-th smallest free
ρ (k = sites still to choose), opening a site j outside S costs at least L + ρ_j − ρ_[k], and
closing a chosen j at least L − ρ_j + ρ_[k+1]. When that exceeds UB − slack, no solution
cheaper than UB − slack makes that choice, so j is fixed closed (or open). Each fixing holds
for the λ it was found with, and so for good; ``slack`` is 1 for integral costs (a better
solution is at least 1 cheaper) and a relative 1e-9 otherwise.

Every tenth iteration the chosen set S is also priced as a solution and, when it is within 5 %
of the incumbent, polished by :func:`optimizer.classic.local_search.interchange`: the
Lagrangian often points at better solutions than the local search finds alone (on a random
n = 900, p = 90 graph it found the optimum where a 2 % threshold left the search 0.3 % above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from optimizer.classic.local_search import assignment_cost, interchange


@dataclass(frozen=True, eq=False)
class Reduction:
    """What the bound proved: the best bound, the best solution seen, and fixed sites."""

    lower_bound: float
    upper_bound: float
    incumbent: list[int]
    closed: np.ndarray  # bool per site: no solution cheaper than UB - slack opens it
    opened: np.ndarray  # bool per site: every such solution opens it
    iterations: int
    slack: float

    @property
    def proven(self) -> bool:
        """The bound alone proves the incumbent optimal."""
        return self.lower_bound > self.upper_bound - self.slack

    @property
    def candidates(self) -> np.ndarray:
        """Sites a better solution may still use (the fixed-open ones included)."""
        return np.flatnonzero(~self.closed)


def optimality_slack(cost: np.ndarray, upper_bound: float) -> float:
    """How much cheaper a solution must be to count as better (see the module docstring)."""
    if np.all(cost == np.round(cost)):
        return 1.0 - 1e-6
    return 1e-9 * max(1.0, abs(upper_bound))


def lagrangian_reduction(
    cost: np.ndarray,
    p: int,
    incumbent: Sequence[int],
    must_open: Sequence[int] = (),
    max_iterations: int = 3000,
    patience: int = 30,
) -> Reduction:
    """Subgradient optimisation of L(λ) with variable fixing and incumbent polishing."""
    n_clients, n_sites = cost.shape
    best_sites = sorted(int(j) for j in incumbent)
    upper = assignment_cost(cost, best_sites)
    slack = optimality_slack(cost, upper)
    closed = np.zeros(n_sites, dtype=bool)
    opened = np.zeros(n_sites, dtype=bool)
    opened[list(must_open)] = True
    # Start λ_i at the second-cheapest cost: close to the LP duals of most p-median problems.
    multipliers = np.sort(cost, axis=1)[:, min(1, n_sites - 1)].astype(float)
    lower, step, stalled, priced = -np.inf, 2.0, 0, set()
    iteration = 0
    for iteration in range(1, max_iterations + 1):
        reduced = np.minimum(cost - multipliers[:, None], 0.0)
        rho = reduced.sum(axis=0)
        to_choose = p - int(opened.sum())
        free = np.flatnonzero(~closed & ~opened)
        ranked = free[np.argsort(rho[free], kind="stable")]
        chosen = np.concatenate([np.flatnonzero(opened), ranked[:to_choose]])
        bound = float(multipliers.sum() + rho[chosen].sum())
        if bound > lower + 1e-12 * max(1.0, abs(bound)):
            lower, stalled = bound, 0
        else:
            stalled += 1
            if stalled >= patience:
                step, stalled = step / 2, 0

        if iteration % 10 == 1:
            key = tuple(sorted(chosen.tolist()))
            if key not in priced:
                priced.add(key)
                value = assignment_cost(cost, key)
                if value <= 1.05 * upper:
                    sites, value = interchange(cost, list(key), must_open)
                    if value < upper - 1e-9 * max(1.0, abs(upper)):
                        best_sites, upper = sites, value

        if 0 < to_choose < len(ranked):
            kth, next_one = rho[ranked[to_choose - 1]], rho[ranked[to_choose]]
            outside, inside = ranked[to_choose:], ranked[:to_choose]
            closed[outside[bound + rho[outside] - kth > upper - slack]] = True
            opened[inside[bound - rho[inside] + next_one > upper - slack]] = True
        if lower > upper - slack or step < 1e-5:
            break

        chosen_mask = np.zeros(n_sites, dtype=bool)
        chosen_mask[chosen] = True
        served = (reduced[:, chosen_mask] < 0).sum(axis=1)
        subgradient = 1.0 - served
        norm = float(subgradient @ subgradient)
        if norm == 0.0:  # every client served once: S is optimal for the relaxation and the problem
            value = assignment_cost(cost, chosen)
            if value < upper:
                best_sites, upper = sorted(chosen.tolist()), value
            lower = max(lower, value)
            break
        multipliers = multipliers + step * (upper - bound) / norm * subgradient
    # Once sites are fixed, L(λ) bounds only the solutions cheaper than UB - slack; if it
    # passes UB there are none, so the optimum is UB itself, the bound reported here.
    return Reduction(
        lower_bound=min(lower, upper),
        upper_bound=upper,
        incumbent=best_sites,
        closed=closed,
        opened=opened,
        iterations=iteration,
        slack=slack,
    )
