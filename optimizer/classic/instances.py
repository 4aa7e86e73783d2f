"""OR-Library files end to end: read, build (reference model or the fast p-median path), solve.

The formulations live in :mod:`models.classic`; this module is the glue between a file on disk,
the exact p-median algorithm (:mod:`optimizer.classic.pmedian`) and the solver.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pyomo.environ as pyo

from models.classic import assignment_matrix, cflp, open_facilities, p_median
from optimizer.classic.orlib import CapInstance, Family, PMedianInstance, read_instance
from optimizer.classic.pmedian import solve_p_median
from optimizer.solve import SolveResult, solve

# ---------------------------------------------------------------------------------------------
# OR-Library files end to end
# ---------------------------------------------------------------------------------------------


#: Relative MIP gap for OR-Library runs. HiGHS's default (1e-4) would accept a cap solution
#: about 100 above the optimum (objectives near 1e6) as "optimal", and would stop pmed runs
#: with the bound still fractional; 1e-9 makes "proven optimal" mean the published value.
EXACT_REL_GAP = 1e-9


@dataclass(frozen=True, eq=False)  # holds an array, so field-wise == would be ambiguous
class ClassicResult:
    """One OR-Library file solved: the answer, how sure we are, and where the time went."""

    instance: str
    family: Family
    n_clients: int
    n_sites: int
    p: int | None
    objective: float | None
    open_facilities: tuple[int, ...]  # 0-based; OR-Library numbers them from 1
    assignment: np.ndarray  # (n_clients, n_sites) served fractions
    solve_result: SolveResult
    read_seconds: float  # parsing, plus Floyd-Warshall for pmed
    build_seconds: float  # model construction (Pyomo, or the radius model's matrices)
    solve_seconds: float  # everything else: search and bounds for pmed, HiGHS for both

    @property
    def status(self) -> str:
        return self.solve_result.status

    @property
    def proven_optimal(self) -> bool:
        return self.solve_result.proven_optimal


def build_instance_model(
    instance: PMedianInstance | CapInstance, single_source: bool = False
) -> pyo.ConcreteModel:
    """The reference Pyomo model OR-Library's optimum refers to: strong p-median, split CFLP.

    ``single_source`` makes cap problems assign each customer to one warehouse; OR-Library's
    published cap optima are for split demand.
    """
    if isinstance(instance, PMedianInstance):
        return p_median(instance.cost, instance.p)
    return cflp(
        instance.cost,
        instance.fixed_cost,
        instance.demand,
        instance.capacity,
        single_source=single_source,
    )


def nearest_open_assignment(cost: np.ndarray, open_sites: Sequence[int]) -> np.ndarray:
    """x with each client wholly served by its cheapest open site (the p-median's optimal x)."""
    matrix = np.zeros(cost.shape)
    sites = np.asarray(sorted(open_sites))
    if len(sites):
        matrix[np.arange(cost.shape[0]), sites[np.argmin(cost[:, sites], axis=1)]] = 1.0
    return matrix


def _solve_pmed_radius(
    instance: PMedianInstance, time_limit: float | None, mip_rel_gap: float
) -> tuple[SolveResult, tuple[int, ...], np.ndarray, float, float]:
    """The fast exact path of :mod:`optimizer.classic.pmedian`; build = the radius model."""
    solution = solve_p_median(
        instance.cost, instance.p, time_limit=time_limit, mip_rel_gap=mip_rel_gap
    )
    sites = tuple(solution.open_sites)
    build = solution.build_seconds
    return (
        solution.result,
        sites,
        nearest_open_assignment(instance.cost, sites),
        build,
        solution.result.solve_seconds - build,
    )


def _solve_reference(
    instance: PMedianInstance | CapInstance,
    time_limit: float | None,
    mip_rel_gap: float,
    single_source: bool,
) -> tuple[SolveResult, tuple[int, ...], np.ndarray, float, float]:
    """The textbook Pyomo model of :func:`build_instance_model`."""
    started = time.perf_counter()
    model = build_instance_model(instance, single_source)
    build = time.perf_counter() - started
    result = solve(model, time_limit=time_limit, mip_rel_gap=mip_rel_gap)
    if not result.has_solution:
        return result, (), np.zeros((len(model.I), len(model.J))), build, result.solve_seconds
    return result, open_facilities(model), assignment_matrix(model), build, result.solve_seconds


def solve_instance(
    path: str | Path,
    family: Family | None = None,
    time_limit: float | None = None,
    mip_rel_gap: float = EXACT_REL_GAP,
    formulation: Literal["fast", "reference"] = "fast",
    capacity: float | None = None,
    single_source: bool = False,
) -> ClassicResult:
    """Read, build and solve one OR-Library file; the family is read from its header if omitted.

        p-median files go through the exact search–bound–radius procedure of
    :mod:`optimizer.classic.pmedian`
        unless ``formulation="reference"`` asks for the strong Pyomo model; cap files are solved
        with :func:`cflp` (split demand, or one warehouse per customer with ``single_source``).
        ``capacity`` replaces every warehouse capacity (needed for capa/b/c,
        whose files say "capacity" where the value goes). Raises FileNotFoundError or
        :class:`optimizer.classic.orlib.OrlibFormatError` for a bad file, so callers can report
        it in one line.
    """
    started = time.perf_counter()
    instance = read_instance(path, family, capacity=capacity)
    read_done = time.perf_counter()
    if isinstance(instance, PMedianInstance) and formulation == "fast":
        outcome = _solve_pmed_radius(instance, time_limit, mip_rel_gap)
    else:
        outcome = _solve_reference(instance, time_limit, mip_rel_gap, single_source)
    result, sites, assignment, build_seconds, solve_seconds = outcome
    if isinstance(instance, PMedianInstance):
        fam: Family = "pmed"
        n_clients = n_sites = instance.n
        p: int | None = instance.p
    else:
        fam = "cap"
        n_clients, n_sites, p = instance.n_customers, instance.n_warehouses, None
    return ClassicResult(
        instance=instance.name,
        family=fam,
        n_clients=n_clients,
        n_sites=n_sites,
        p=p,
        objective=result.objective if result.has_solution else None,
        open_facilities=sites,
        assignment=assignment,
        solve_result=result,
        read_seconds=read_done - started,
        build_seconds=build_seconds,
        solve_seconds=solve_seconds,
    )
