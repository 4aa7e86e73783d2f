r"""The radius formulation of the p-median (Elloumi 2010), built as sparse matrices.

Why this formulation: the classic strong one (x_ij ≤ y_j for every pair, :mod:`models.classic`)
has n² assignment variables and as many opening rows, 810,000 of each at n = 900. Elloumi's
"tighter formulation" (J. Comb. Optim. 19, 69-83; the covering idea is Cornuéjols, Nemhauser
and Wolsey's, 1980) describes each client by how far it must travel, one variable per
*distinct* distance instead of per site. It has the same LP bound as the strong formulation
and a fraction of its size, all the more on graphs with integral costs where many sites share
a distance. Built with numpy and handed to HiGHS directly (:func:`optimizer.solve.solve_matrix`),
it takes well under a second to assemble where Pyomo would spend minutes. On the same reduced
problem (a generated n = 700, p = 10 graph, 325 candidate sites left) HiGHS proved the optimum
with this model in 136 s, while with the strong formulation it was still at the root node after
150 s, its bound 1.1 % below the optimum.

Sets
    J           candidate sites (those a Lagrangian bound has not ruled out); F ⊆ J must open
    I           clients
    K_i         1..K_i: client i's distinct (weighted) costs to the sites of J, sorted
                D_i1 < D_i2 < … < D_iK_i, keeping only the |J| − p + 1 cheapest sites (one of
                them is always open, as at most |J| − p sites are closed) and no level above
                the cost of i's cheapest must-open site (that one is always open)
    J_ik        the sites j ∈ J whose cost to i is exactly D_ik

Parameters
    c_ij        weighted cost (w_i × distance) of serving client i from site j
    p           number of sites to open

Variables
    y_j ∈ {0,1}     site j open
    z_ik ∈ [0, 1]   for k = 1..K_i − 1: client i pays more than D_ik (no open site at D_ik
                    or below); continuous, since it equals 0 or 1 whenever y is integral

Constraints
    count       Σ_j y_j = p
    must_open   y_j = 1 for j ∈ F (column bounds)
    first       z_i1 + Σ_{j∈J_i1} y_j ≥ 1                     for i ∈ I with K_i ≥ 2
    level       z_ik + Σ_{j∈J_ik} y_j ≥ z_i,k−1               for k = 2..K_i − 1

Objective
    min Σ_i D_i1 + Σ_i Σ_{k<K_i} (D_i,k+1 − D_ik) z_ik

The constant Σ_i D_i1 is the model's offset. Columns are ordered y (in the order of J), then
z client by client, so a solution is read back from the first |J| values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from models.matrix import MatrixMILP


@dataclass(frozen=True, eq=False)
class RadiusModel:
    """The MILP plus what is needed to write a start and to read a solution back."""

    milp: MatrixMILP
    sites: np.ndarray  # J: the column of y_j is its position here
    levels: list[np.ndarray]  # D_i1..D_iK_i per client
    level_columns: list[int]  # first z column of each client

    def start_vector(self, open_sites: Sequence[int], cost: np.ndarray) -> np.ndarray | None:
        """Column values of the solution "open these sites", or None if one is not in J."""
        position = {int(j): k for k, j in enumerate(self.sites)}
        if any(int(j) not in position for j in open_sites):
            return None
        values = np.zeros(self.milp.matrix.shape[1])
        values[[position[int(j)] for j in open_sites]] = 1.0
        paid = cost[:, list(open_sites)].min(axis=1)
        for i, levels in enumerate(self.levels):
            above = paid[i] > levels[:-1]
            values[self.level_columns[i] : self.level_columns[i] + len(levels) - 1] = above
        return values

    def open_sites(self, values: np.ndarray) -> list[int]:
        """Sites with y_j = 1 in a solution vector (rounded at 0.5)."""
        chosen = values[: len(self.sites)] > 0.5
        return [int(j) for j in self.sites[chosen]]


def build_radius_model(
    cost: np.ndarray, p: int, sites: Sequence[int], must_open: Sequence[int] = ()
) -> RadiusModel:
    """Assemble the formulation of the module docstring on the candidate ``sites``."""
    sites = np.asarray(sorted(int(j) for j in sites))
    n_sites = len(sites)
    if not p <= n_sites:
        raise ValueError(f"p = {p} sites to open but only {n_sites} candidate(s)")
    sub = cost[:, sites]
    forced = np.flatnonzero(np.isin(sites, list(must_open)))
    ceiling = sub[:, forced].min(axis=1) if len(forced) else np.full(len(sub), np.inf)
    keep = n_sites - p + 1
    nearest = np.argsort(sub, axis=1, kind="stable")[:, :keep]

    rows: list[np.ndarray] = [np.zeros(n_sites, dtype=np.int64)]
    cols: list[np.ndarray] = [np.arange(n_sites)]
    vals: list[np.ndarray] = [np.ones(n_sites)]
    row_lower: list[np.ndarray] = [np.array([float(p)])]
    z_cost: list[np.ndarray] = []
    levels_of: list[np.ndarray] = []
    first_column: list[int] = []
    offset = 0.0
    next_row, next_col = 1, n_sites
    for i in range(len(sub)):
        costs = sub[i, nearest[i]]
        levels = np.unique(costs)
        levels = levels[levels <= ceiling[i]]
        levels_of.append(levels)
        first_column.append(next_col)
        offset += float(levels[0])
        n_z = len(levels) - 1
        if n_z == 0:
            continue
        level_of_site = np.searchsorted(levels, costs)
        in_rows = level_of_site < n_z  # sites at the top level (or above it) need no row
        z_cols = next_col + np.arange(n_z)
        rows += [next_row + level_of_site[in_rows], next_row + np.arange(n_z)]
        cols += [nearest[i][in_rows], z_cols]
        vals += [np.ones(int(in_rows.sum())), np.ones(n_z)]
        if n_z > 1:  # level k ≥ 2 carries −z_i,k−1
            rows.append(next_row + np.arange(1, n_z))
            cols.append(z_cols[:-1])
            vals.append(-np.ones(n_z - 1))
        lower = np.zeros(n_z)
        lower[0] = 1.0
        row_lower.append(lower)
        z_cost.append(np.diff(levels))
        next_row += n_z
        next_col += n_z

    matrix = sparse.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(next_row, next_col),
    )
    row_upper = np.full(next_row, np.inf)
    row_upper[0] = float(p)
    col_lower = np.zeros(next_col)
    col_lower[forced] = 1.0
    col_upper = np.ones(next_col)
    integer = np.zeros(next_col, dtype=bool)
    integer[:n_sites] = True
    milp = MatrixMILP(
        objective=np.concatenate([np.zeros(n_sites), *z_cost]),
        matrix=matrix,
        row_lower=np.concatenate(row_lower),
        row_upper=row_upper,
        col_lower=col_lower,
        col_upper=col_upper,
        integer=integer,
        offset=offset,
    )
    return RadiusModel(milp=milp, sites=sites, levels=levels_of, level_columns=first_column)
