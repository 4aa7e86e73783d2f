r"""The staged plan over demand paths: the extensive form of the strategic model.

Sets
    W            demand paths ω, each with a probability π[ω] (Σ π = 1)
    N[ω, t]      the decision node of path ω in year t: paths that share a node in year t share
                 their history up to then (a two-stage tree: one root node for the first-stage
                 years, a node per path afterwards; a multi-stage tree branches again later)

Parameters
    P[ω]         the strategic model's parameters for path ω (models.strategic.Parameters):
                 the same sites, types, costs and limits, the path's own demand

Variables
    one copy of every variable of the strategic model per path (block ``path[ω]``)

Constraints
    every block of models.strategic for every path, and non-anticipativity:
    g, y, add, rem[ω,s,k,t] = g, y, add, rem[ω',s,k,t] and o[ω,s,t] = o[ω',s,t] whenever
    N[ω,t] = N[ω',t] (conversions likewise); assignments x and unmet u stay per path (recourse)

Objective
    min Σ_ω π[ω] cost[ω]   (each path's own objective, deactivated, weighted by probability)

Decisions shared by a node are tied to the first path (in the order of W) at that node, so the
model has one equality per shared variable and path, not one per pair.
"""

from __future__ import annotations

import pyomo.environ as pyo

from models import strategic

#: Variables indexed by (s, k, t) that a node decides; ``o`` is indexed by (s, t).
SHARED_SKT = ("g", "y", "add", "rem")


def build(
    paths: dict[str, tuple[float, strategic.Parameters]],
    nodes: dict[str, dict[int, str]],
    name: str = "staged",
) -> pyo.ConcreteModel:
    """The extensive form; ``nodes[ω][t]`` is path ω's decision node in year t."""
    total = sum(prob for prob, _ in paths.values())
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"path probabilities sum to {total}, expected 1")
    order = list(paths)
    m = pyo.ConcreteModel(name=name)
    m.W = pyo.Set(initialize=order, ordered=True)

    def path_block(b, w):
        _, p = paths[w]
        b.params = p
        for block in strategic.BLOCKS:
            block(b, p, frozenset())
        b.cost.deactivate()

    m.path = pyo.Block(m.W, rule=path_block)
    add_nonanticipativity(m, paths, nodes)
    m.cost = pyo.Objective(
        expr=sum(paths[w][0] * m.path[w].cost.expr for w in order), sense=pyo.minimize
    )
    return m


def add_nonanticipativity(m, paths, nodes) -> None:
    """Decisions of a year are equal across the paths that share that year's node."""
    m.nonanticipativity = pyo.ConstraintList()
    order = list(paths)
    years = paths[order[0]][1].years
    for t in years:
        leader: dict[str, str] = {}
        for w in order:
            node = nodes[w][t]
            if node not in leader:
                leader[node] = w
                continue
            first, this = m.path[leader[node]], m.path[w]
            for s, k, tt in this.SKT:
                if tt != t:
                    continue
                for var in SHARED_SKT:
                    m.nonanticipativity.add(
                        getattr(this, var)[s, k, t] == getattr(first, var)[s, k, t]
                    )
                if (s, k, t) in this.CONV:
                    m.nonanticipativity.add(this.conv[s, k, t] == first.conv[s, k, t])
            for s in this.S:
                m.nonanticipativity.add(this.o[s, t] == first.o[s, t])


def two_stage_nodes(paths, first_stage_years) -> dict[str, dict[int, str]]:
    """One root node for the first-stage years, one node per path afterwards."""
    first = set(first_stage_years)
    return {w: {t: ("root" if t in first else w) for t in p.years} for w, (_, p) in paths.items()}
