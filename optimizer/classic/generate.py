"""Random instances in OR-Library's file formats, for testing at sizes we hold no files for.

OR-Library's larger sets (pmed21-40 with n up to 900, cap81-134, capa/b/c with 100 warehouses
and 1000 customers) are checked elsewhere; these generators produce files of the same shape so
the readers, the models and their speed can be exercised at those sizes here. The pmed recipe
follows Beasley (1985, EJOR 21): a connected random graph with n²/50 edges (the density of
pmed1-40) and integer edge costs drawn uniformly from 1..100. The cap recipe draws warehouse
capacities, fixed costs, demands and per-customer allocation costs at the scale of cap41-74.
Both are seeded, so a failing case can be regenerated exactly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def write_random_pmed(path: str | Path, n: int, p: int, seed: int) -> Path:
    """A connected graph: a random spanning tree plus random extra edges up to n²/50."""
    rng = np.random.default_rng(seed)
    n_edges = max(n - 1, n * n // 50)
    order = rng.permutation(n)
    edges: set[tuple[int, int]] = set()
    for k in range(1, n):  # each vertex joins a random earlier one: connected by construction
        a, b = int(order[k]), int(order[rng.integers(0, k)])
        edges.add((min(a, b), max(a, b)))
    limit = n * (n - 1) // 2
    while len(edges) < min(n_edges, limit):
        a, b = (int(v) for v in rng.integers(0, n, size=2))
        if a != b:
            edges.add((min(a, b), max(a, b)))
    costs = rng.integers(1, 101, size=len(edges))
    lines = [f"{n} {len(edges)} {p}"]
    lines += [f"{a + 1} {b + 1} {c}" for (a, b), c in zip(sorted(edges), costs, strict=True)]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def write_random_cap(
    path: str | Path, warehouses: int, customers: int, seed: int, tightness: float = 1.5
) -> Path:
    """Capacities summing to ``tightness`` × total demand, so that capacity binds but fits."""
    rng = np.random.default_rng(seed)
    demand = rng.integers(100, 10_000, size=customers)
    capacity = np.full(warehouses, int(np.ceil(tightness * demand.sum() / warehouses)))
    fixed = rng.integers(5_000, 30_000, size=warehouses)
    unit = rng.uniform(0.5, 10.0, size=(customers, warehouses))
    lines = [f" {warehouses} {customers}"]
    lines += [f" {c} {f}." for c, f in zip(capacity, fixed, strict=True)]
    for j in range(customers):
        lines.append(f" {demand[j]}")
        lines.append(" " + " ".join(f"{v:.3f}" for v in unit[j] * demand[j]))
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path
