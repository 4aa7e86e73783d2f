"""Classic facility-location models as Pyomo ConcreteModels over a cost matrix.

These are the textbook models (the same set PySAL spopt's ``locate`` module offers) that the
strategic JeugdzorgPlus model builds on. They live here so that each can be checked against
OR-Library's published optima before anything project-specific is layered on top. Like spopt,
each model is assembled from small named building blocks (``add_assignment_constraint``,
``add_opening_constraint``, ...), so a reader can match the code to the formulation line by
line and the blocks can be reused.

Conventions for every model: ``cost`` has shape (n_clients, n_sites); ``cost[i, j]`` is the cost
(or distance) of serving *all* of client i from site j. Indices are 0-based. Solve with
:func:`optimizer.solve.solve`.

Sets (all models)
    I = clients 0..n-1 (``m.I``), J = candidate sites 0..k-1 (``m.J``); for models with
    assignment variables, P ⊆ I x J the allowed (client, site) pairs (``m.IJ``).

p-median (:func:`p_median`)
    Parameters: c_ij cost, w_i client weight (default 1), p sites to open.
    Variables: y_j ∈ {0,1} open; x_ij ∈ [0,1] share of client i served by j, (i,j) ∈ P.
    Constraints: sum_j x_ij = 1 ∀i (assignment); x_ij <= y_j ∀(i,j) ∈ P (opening);
    sum_j y_j = p (facility count).
    Objective: min sum_(i,j)∈P w_i c_ij x_ij.

p-center (:func:`p_center`)
    Parameters: c_ij distance, p.
    Variables: y_j ∈ {0,1}; x_ij ∈ [0,1], (i,j) ∈ P; W >= 0 the largest distance.
    Constraints: assignment, opening and facility count as p-median;
    sum_j c_ij x_ij <= W ∀i (minimax).
    Objective: min W.

MCLP, maximal covering (:func:`mclp`)
    Parameters: c_ij distance, S service radius, N_i = {j : c_ij <= S}, w_i weight, p.
    Variables: y_j ∈ {0,1}; z_i ∈ [0,1] client i is covered.
    Constraints: z_i <= sum_(j∈N_i) y_j ∀i (coverage); sum_j y_j = p (facility count).
    Objective: max sum_i w_i z_i.

LSCP, location set covering (:func:`lscp`)
    Parameters: c_ij distance, S, N_i as MCLP.
    Variables: y_j ∈ {0,1}.
    Constraints: sum_(j∈N_i) y_j >= 1 ∀i (set covering).
    Objective: min sum_j y_j.

UFLP, uncapacitated facility location (:func:`uflp`)
    Parameters: c_ij cost of serving all of i from j, f_j fixed cost.
    Variables: y_j ∈ {0,1}; x_ij ∈ [0,1] share of i served by j.
    Constraints: assignment; opening x_ij <= y_j.
    Objective: min sum_j f_j y_j + sum_ij c_ij x_ij.

CFLP, capacitated facility location (:func:`cflp`)
    Parameters: as UFLP plus d_i demand, s_j capacity.
    Variables: y_j ∈ {0,1}; x_ij ∈ [0,1] (split demand, as OR-Library's cap problems), or
    x_ij ∈ {0,1} with ``single_source=True``.
    Constraints: assignment; capacity sum_i d_i x_ij <= s_j y_j ∀j; opening x_ij <= y_j
    (implied by capacity for the integer problem but it tightens the LP a lot); total capacity
    sum_j s_j y_j >= sum_i d_i (also implied, and also a cheap LP cut).
    Objective: min sum_j f_j y_j + sum_ij c_ij x_ij.

The strong p-median formulation here is the reference: clear, and exact, but at n = 900 it has
810,000 assignment pairs. OR-Library files and large matrices go through the exact algorithm
of :mod:`optimizer.classic.pmedian` (local search, a Lagrangian bound that rules out most sites,
then Elloumi's radius formulation of :mod:`models.pmedian_radius` on the rest), which
:func:`optimizer.classic.instances.solve_instance` uses by default; the tests check it against
this one.
The reference is shrunk only by the exact :func:`nearest_sites` reduction.

Assignment variables are continuous wherever that is exact: once y is integral, sending each
client to its cheapest open site (or, for CFLP, solving a transportation LP) is optimal, so
integrality of x adds nothing but branching work.

Must-open sites (every model's ``must_open``: 0-based site indices)
    Constraint: y_j = 1 ∀j ∈ K, the sites that already exist and stay open
    (:func:`add_must_open_constraint`). The p-models count them among their p sites, so
    |K| <= p. The :func:`nearest_sites` reduction stays exact: its argument needs only that
    exactly p sites are open, not which ones.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyomo.environ as pyo

# ---------------------------------------------------------------------------------------------
# Input checks and sparse pair sets
# ---------------------------------------------------------------------------------------------


def _as_cost(cost: np.ndarray | Sequence[Sequence[float]]) -> np.ndarray:
    """A finite 2-D float matrix, or a ValueError saying what is wrong before Pyomo does."""
    matrix = np.asarray(cost, dtype=float)
    if matrix.ndim != 2 or 0 in matrix.shape:
        raise ValueError(f"cost must be a non-empty 2-D matrix, got shape {matrix.shape}")
    if not np.isfinite(matrix).all():
        raise ValueError("cost must be finite everywhere (use a large number for 'unreachable')")
    return matrix


def _as_vector(values: np.ndarray | Sequence[float], size: int, name: str) -> np.ndarray:
    """A finite, non-negative vector of the right length (weights, demands, capacities, costs)."""
    vector = np.asarray(values, dtype=float)
    if vector.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},), got {vector.shape}")
    if not np.isfinite(vector).all() or (vector < 0).any():
        raise ValueError(f"{name} must be finite and non-negative")
    return vector


def _check_p(p: int, n_sites: int) -> None:
    if not 1 <= p <= n_sites:
        raise ValueError(f"p must be between 1 and the number of sites ({n_sites}), got {p}")


def _check_must_open(must_open: Sequence[int], n_sites: int, p: int | None = None) -> list[int]:
    """Distinct, in-range site indices, and no more of them than the p sites to open."""
    sites = [int(j) for j in must_open]
    bad = [j for j in sites if not 0 <= j < n_sites]
    if bad:
        raise ValueError(f"must_open: site indices {bad} are outside 0..{n_sites - 1}")
    if len(set(sites)) != len(sites):
        raise ValueError(f"must_open: site indices repeat: {sites}")
    if p is not None and len(sites) > p:
        raise ValueError(f"must_open names {len(sites)} sites but only p = {p} may open")
    return sorted(sites)


def all_pairs(n_clients: int, n_sites: int) -> list[list[int]]:
    """Every site for every client: the pair set when nothing can be safely dropped."""
    return [list(range(n_sites)) for _ in range(n_clients)]


def nearest_sites(cost: np.ndarray, p: int) -> list[list[int]]:
    """For each client, its ``n_sites - p + 1`` cheapest sites: an exact reduction.

    Why exact: with exactly p sites open, at most ``n_sites - p`` are closed, so among any
    ``n_sites - p + 1`` sites at least one is open; taking the cheapest ones, that open site
    is no dearer than any dropped site. A client's cheapest open site is therefore always
    kept, and models whose optimal assignment is "cheapest open site" (p-median, p-center) keep
    their optimal value. Ties are broken by the stable sort, which does not affect the argument.
    For p = 100 of n = 300 this removes a third of the assignment variables.
    """
    keep = cost.shape[1] - p + 1
    if keep >= cost.shape[1]:
        return all_pairs(*cost.shape)
    order = np.argsort(cost, axis=1, kind="stable")[:, :keep]
    return [sorted(row) for row in order.tolist()]


def coverage_sets(cost: np.ndarray, service_radius: float) -> list[list[int]]:
    """N_i = sites within ``service_radius`` of client i (inclusive, as usual for covering)."""
    return [np.flatnonzero(row <= service_radius).tolist() for row in cost]


# ---------------------------------------------------------------------------------------------
# Building blocks, in the order the models use them
# ---------------------------------------------------------------------------------------------


def create_model(name: str, n_clients: int, n_sites: int) -> pyo.ConcreteModel:
    """A model with the client set I and site set J that every classic model shares."""
    model = pyo.ConcreteModel(name=name)
    model.I = pyo.RangeSet(0, n_clients - 1)
    model.J = pyo.RangeSet(0, n_sites - 1)
    return model


def add_facility_variable(model: pyo.ConcreteModel) -> pyo.Var:
    """y_j = 1 when site j is open."""
    model.y = pyo.Var(model.J, domain=pyo.Binary)
    return model.y


def add_must_open_constraint(model: pyo.ConcreteModel, must_open: Sequence[int]) -> pyo.Constraint:
    """y_j = 1 for existing sites that must stay open.

    A constraint rather than a fixed variable so the model written out (or printed) still says
    why the site is open; HiGHS's presolve removes the rows, so they cost nothing.
    """
    model.K = pyo.Set(within=model.J, initialize=list(must_open), ordered=True)
    model.must_open = pyo.Constraint(model.K, rule=lambda m, j: m.y[j] == 1)
    return model.must_open


def add_assignment_variable(
    model: pyo.ConcreteModel, sites_of: list[list[int]], binary: bool = False
) -> pyo.Var:
    """x_ij = share of client i served by site j, declared only on the allowed pairs.

    The sparse pair set ``m.IJ`` lets a model drop provably useless pairs (see
    :func:`nearest_sites`) without a separate code path; ``m.sites_of`` remembers the
    per-client lists so the constraints below need not rescan the pair set.
    """
    model.IJ = pyo.Set(
        dimen=2,
        ordered=True,
        initialize=[(i, j) for i, sites in enumerate(sites_of) for j in sites],
    )
    model.sites_of = pyo.Set(model.I, within=model.J, initialize=dict(enumerate(sites_of)))
    domain = pyo.Binary if binary else pyo.UnitInterval
    model.x = pyo.Var(model.IJ, domain=domain)
    return model.x


def add_assignment_constraint(model: pyo.ConcreteModel) -> pyo.Constraint:
    """sum_j x_ij = 1: every client is fully served."""

    def rule(m: pyo.ConcreteModel, i: int) -> object:
        return pyo.quicksum(m.x[i, j] for j in m.sites_of[i]) == 1

    model.assign = pyo.Constraint(model.I, rule=rule)
    return model.assign


def add_opening_constraint(model: pyo.ConcreteModel) -> pyo.Constraint:
    """x_ij <= y_j: only open sites serve, one row per pair (the strong formulation).

    The aggregated form sum_i x_ij <= n y_j has far fewer rows, but its LP relaxation is
    nearly worthless (each client serves itself from y_i = 1/n, bound about 0 for p-median),
    which leaves HiGHS to branch blindly. The strong form's root bound is within about 1 % on
    OR-Library's instances (pmed16: 8092 against the optimum 8162), so a few nodes suffice.
    """
    model.open = pyo.Constraint(model.IJ, rule=lambda m, i, j: m.x[i, j] <= m.y[j])
    return model.open


def add_facility_count_constraint(model: pyo.ConcreteModel, p: int) -> pyo.Constraint:
    """sum_j y_j = p; equality, which :func:`nearest_sites` relies on."""
    model.count = pyo.Constraint(expr=pyo.quicksum(model.y[j] for j in model.J) == p)
    return model.count


def add_weighted_cost_objective(
    model: pyo.ConcreteModel,
    cost: np.ndarray,
    weights: np.ndarray | None = None,
    fixed_cost: np.ndarray | None = None,
) -> pyo.Objective:
    """min sum_j f_j y_j + sum_ij w_i c_ij x_ij (p-median without f, UFLP/CFLP without w)."""
    weighted = cost if weights is None else cost * weights[:, None]
    terms = [float(weighted[i, j]) * model.x[i, j] for i, j in model.IJ]
    if fixed_cost is not None:
        terms.extend(float(fixed_cost[j]) * model.y[j] for j in model.J)
    model.obj = pyo.Objective(expr=pyo.quicksum(terms), sense=pyo.minimize)
    return model.obj


def add_minimax_constraint(model: pyo.ConcreteModel, cost: np.ndarray) -> pyo.Constraint:
    """sum_j c_ij x_ij <= W for every client, with W the variable the p-center minimises."""
    model.W = pyo.Var(domain=pyo.NonNegativeReals)

    def rule(m: pyo.ConcreteModel, i: int) -> object:
        served = pyo.quicksum(float(cost[i, j]) * m.x[i, j] for j in m.sites_of[i])
        return served <= m.W

    model.minimax = pyo.Constraint(model.I, rule=rule)
    return model.minimax


def add_coverage_variable(model: pyo.ConcreteModel) -> pyo.Var:
    """z_i = 1 when client i is within reach of an open site.

    Continuous in [0, 1] is exact: for integral y the maximiser sets z_i = min(1, covering
    count), which is 0 or 1.
    """
    model.z = pyo.Var(model.I, domain=pyo.UnitInterval)
    return model.z


def add_maximal_coverage_constraint(
    model: pyo.ConcreteModel, covers: list[list[int]]
) -> pyo.Constraint:
    """z_i <= sum_(j∈N_i) y_j: a client counts as covered only if a covering site is open."""

    def rule(m: pyo.ConcreteModel, i: int) -> object:
        return m.z[i] <= pyo.quicksum(m.y[j] for j in covers[i])

    model.cover = pyo.Constraint(model.I, rule=rule)
    return model.cover


def add_set_covering_constraint(
    model: pyo.ConcreteModel, covers: list[list[int]]
) -> pyo.Constraint:
    """sum_(j∈N_i) y_j >= 1: every client must be covered."""
    uncovered = [i for i, sites in enumerate(covers) if not sites]
    if uncovered:
        shown = ", ".join(str(i) for i in uncovered[:10])
        raise ValueError(
            f"no site lies within the service radius of client(s) {shown}"
            + (" ..." if len(uncovered) > 10 else "")
            + "; the set covering problem is infeasible"
        )

    def rule(m: pyo.ConcreteModel, i: int) -> object:
        return pyo.quicksum(m.y[j] for j in covers[i]) >= 1

    model.cover = pyo.Constraint(model.I, rule=rule)
    return model.cover


def add_capacity_constraint(
    model: pyo.ConcreteModel, demand: np.ndarray, capacity: np.ndarray
) -> pyo.Constraint:
    """sum_i d_i x_ij <= s_j y_j: what a site serves fits its capacity, and closed sites none."""
    clients_of: dict[int, list[int]] = {j: [] for j in model.J}
    for i, j in model.IJ:
        clients_of[j].append(i)

    def rule(m: pyo.ConcreteModel, j: int) -> object:
        load = pyo.quicksum(float(demand[i]) * m.x[i, j] for i in clients_of[j])
        return load <= float(capacity[j]) * m.y[j]

    model.capacity = pyo.Constraint(model.J, rule=rule)
    return model.capacity


def add_total_capacity_constraint(
    model: pyo.ConcreteModel, demand: np.ndarray, capacity: np.ndarray
) -> pyo.Constraint:
    """sum_j s_j y_j >= sum_i d_i: enough capacity opened overall (a valid, cheap LP cut)."""
    total = float(demand.sum())
    model.total_capacity = pyo.Constraint(
        expr=pyo.quicksum(float(capacity[j]) * model.y[j] for j in model.J) >= total
    )
    return model.total_capacity


# ---------------------------------------------------------------------------------------------
# The models, in the order of the module docstring
# ---------------------------------------------------------------------------------------------


def _p_facility_assignment(
    name: str, cost: np.ndarray, p: int, reduce: bool, must_open: Sequence[int]
) -> pyo.ConcreteModel:
    """Shared core of p-median and p-center: p open sites, each client assigned to an open one."""
    n_clients, n_sites = cost.shape
    must_open = _check_must_open(must_open, n_sites, p)
    model = create_model(name, n_clients, n_sites)
    add_facility_variable(model)
    add_must_open_constraint(model, must_open)
    sites_of = nearest_sites(cost, p) if reduce else all_pairs(n_clients, n_sites)
    add_assignment_variable(model, sites_of)
    add_assignment_constraint(model)
    add_opening_constraint(model)
    add_facility_count_constraint(model, p)
    return model


def p_median(
    cost: np.ndarray,
    p: int,
    weights: np.ndarray | None = None,
    reduce: bool = True,
    must_open: Sequence[int] = (),
) -> pyo.ConcreteModel:
    """Open p sites minimising total (weighted) client-to-nearest-site cost.

    ``reduce`` keeps only each client's ``n_sites - p + 1`` cheapest sites, which is exact (see
    :func:`nearest_sites`); it is a switch only so tests can show both give the same optimum.
    """
    cost = _as_cost(cost)
    n_clients, n_sites = cost.shape
    _check_p(p, n_sites)
    w = None if weights is None else _as_vector(weights, n_clients, "weights")
    model = _p_facility_assignment("p_median", cost, p, reduce, must_open)
    add_weighted_cost_objective(model, cost, weights=w)
    return model


def p_center(
    cost: np.ndarray, p: int, reduce: bool = True, must_open: Sequence[int] = ()
) -> pyo.ConcreteModel:
    """Open p sites minimising the largest client-to-nearest-site distance."""
    cost = _as_cost(cost)
    n_clients, n_sites = cost.shape
    _check_p(p, n_sites)
    model = _p_facility_assignment("p_center", cost, p, reduce, must_open)
    add_minimax_constraint(model, cost)
    model.obj = pyo.Objective(expr=model.W, sense=pyo.minimize)
    return model


def mclp(
    cost: np.ndarray,
    p: int,
    service_radius: float,
    weights: np.ndarray | None = None,
    must_open: Sequence[int] = (),
) -> pyo.ConcreteModel:
    """Open p sites covering the most (weighted) clients within ``service_radius``."""
    cost = _as_cost(cost)
    n_clients, n_sites = cost.shape
    _check_p(p, n_sites)
    must_open = _check_must_open(must_open, n_sites, p)
    w = np.ones(n_clients) if weights is None else _as_vector(weights, n_clients, "weights")
    covers = coverage_sets(cost, service_radius)
    model = create_model("mclp", n_clients, n_sites)
    add_facility_variable(model)
    add_must_open_constraint(model, must_open)
    add_coverage_variable(model)
    add_maximal_coverage_constraint(model, covers)
    add_facility_count_constraint(model, p)
    model.obj = pyo.Objective(
        expr=pyo.quicksum(float(w[i]) * model.z[i] for i in model.I), sense=pyo.maximize
    )
    return model


def lscp(
    cost: np.ndarray, service_radius: float, must_open: Sequence[int] = ()
) -> pyo.ConcreteModel:
    """Open the fewest sites so that every client is within ``service_radius`` of one.

    Raises ValueError when some client has no site in reach, rather than handing the solver a
    model that can only come back "infeasible" without saying why.
    """
    cost = _as_cost(cost)
    n_clients, n_sites = cost.shape
    must_open = _check_must_open(must_open, n_sites)
    covers = coverage_sets(cost, service_radius)
    model = create_model("lscp", n_clients, n_sites)
    add_facility_variable(model)
    add_must_open_constraint(model, must_open)
    add_set_covering_constraint(model, covers)
    model.obj = pyo.Objective(expr=pyo.quicksum(model.y[j] for j in model.J), sense=pyo.minimize)
    return model


def uflp(
    cost: np.ndarray, fixed_cost: np.ndarray, must_open: Sequence[int] = ()
) -> pyo.ConcreteModel:
    """Open any number of sites, trading fixed costs against assignment costs."""
    cost = _as_cost(cost)
    n_clients, n_sites = cost.shape
    f = _as_vector(fixed_cost, n_sites, "fixed_cost")
    must_open = _check_must_open(must_open, n_sites)
    model = create_model("uflp", n_clients, n_sites)
    add_facility_variable(model)
    add_must_open_constraint(model, must_open)
    add_assignment_variable(model, all_pairs(n_clients, n_sites))
    add_assignment_constraint(model)
    add_opening_constraint(model)
    add_weighted_cost_objective(model, cost, fixed_cost=f)
    return model


def cflp(
    cost: np.ndarray,
    fixed_cost: np.ndarray,
    demand: np.ndarray,
    capacity: np.ndarray,
    single_source: bool = False,
    must_open: Sequence[int] = (),
) -> pyo.ConcreteModel:
    """UFLP with site capacities; demand may be split unless ``single_source``.

    ``cost[i, j]`` is for serving ALL of client i from j (OR-Library's cap convention), so the
    allocation cost is c_ij x_ij with x the served fraction; demand enters only the capacity
    rows. For unit costs, pass ``unit_cost * demand[:, None]``.
    """
    cost = _as_cost(cost)
    n_clients, n_sites = cost.shape
    f = _as_vector(fixed_cost, n_sites, "fixed_cost")
    d = _as_vector(demand, n_clients, "demand")
    s = _as_vector(capacity, n_sites, "capacity")
    must_open = _check_must_open(must_open, n_sites)
    model = create_model("cflp", n_clients, n_sites)
    add_facility_variable(model)
    add_must_open_constraint(model, must_open)
    add_assignment_variable(model, all_pairs(n_clients, n_sites), binary=single_source)
    add_assignment_constraint(model)
    add_capacity_constraint(model, d, s)
    add_opening_constraint(model)
    add_total_capacity_constraint(model, d, s)
    add_weighted_cost_objective(model, cost, fixed_cost=f)
    return model


# ---------------------------------------------------------------------------------------------
# Reading a solution back
# ---------------------------------------------------------------------------------------------


def open_facilities(model: pyo.ConcreteModel) -> tuple[int, ...]:
    """0-based indices of the sites the solution opens (y rounded at 0.5)."""
    return tuple(j for j in model.J if (model.y[j].value or 0.0) > 0.5)


def assignment_matrix(model: pyo.ConcreteModel) -> np.ndarray:
    """x as a dense (n_clients, n_sites) array, zero on pairs the model left out."""
    matrix = np.zeros((len(model.I), len(model.J)))
    for (i, j), var in model.x.items():
        matrix[i, j] = var.value or 0.0
    return matrix


def covered_clients(model: pyo.ConcreteModel) -> tuple[int, ...]:
    """0-based indices of the clients an MCLP solution covers."""
    return tuple(i for i in model.I if (model.z[i].value or 0.0) > 0.5)
