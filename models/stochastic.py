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

Objective (the risk measure; E = Σ_ω π[ω] cost[ω], each path's own objective, deactivated)
    expected     min E
    cvar         min (1 − β) E + β (η + 1/(1 − α) Σ_ω π[ω] e[ω]),  e[ω] ≥ cost[ω] − η, e ≥ 0
                 (η free: at the optimum the value-at-risk at level α; the bracket is CVaR_α,
                 the mean cost of the worst 1 − α of the probability; Rockafellar–Uryasev)
    regret       min R,  R ≥ cost[ω] − best[ω]  (best[ω]: path ω's own optimum, the plan made
                 knowing its demand); the caller breaks ties by E in a second solve

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
    risk: str = "expected",
    alpha: float = 0.8,
    weight: float = 1.0,
    best: dict[str, float] | None = None,
    blocks: tuple = strategic.BLOCKS,
) -> pyo.ConcreteModel:
    """The extensive form; ``nodes[ω][t]`` is path ω's decision node in year t; ``risk`` one of
    expected, cvar (``alpha``, ``weight``), regret (``best``: each path's own optimum);
    ``blocks``: each path's model (the reference's, or with models.strategic_fast's rows)."""
    total = sum(prob for prob, _ in paths.values())
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"path probabilities sum to {total}, expected 1")
    order = list(paths)
    m = pyo.ConcreteModel(name=name)
    m.W = pyo.Set(initialize=order, ordered=True)

    def path_block(b, w):
        _, p = paths[w]
        b.params = p
        for block in blocks:
            block(b, p, frozenset())
        b.cost.deactivate()

    m.path = pyo.Block(m.W, rule=path_block)
    add_nonanticipativity(m, paths, nodes)
    m.expected = pyo.Expression(expr=sum(paths[w][0] * m.path[w].cost.expr for w in order))
    add_risk(m, paths, risk, alpha, weight, best)
    return m


def blocks_of(formulation: str) -> tuple:
    """Each path model's blocks: the reference's, or with the fast formulation's rows."""
    if formulation == "fast":
        from models import strategic_fast

        return (*strategic.BLOCKS, *strategic_fast.FAST_BLOCKS)
    return strategic.BLOCKS


def path_model(p: strategic.Parameters, blocks: tuple) -> pyo.ConcreteModel:
    """One path's model alone from ``blocks`` (as models.strategic.build builds it)."""
    m = pyo.ConcreteModel(name=p.name)
    m.params = p
    for block in blocks:
        block(m, p, frozenset())
    return m


def add_risk(m, paths, risk: str, alpha: float, weight: float, best) -> None:
    """The objective ``m.cost``: expected cost, the CVaR mix, or the largest regret."""
    order = list(paths)
    if risk == "expected":
        m.cost = pyo.Objective(expr=m.expected, sense=pyo.minimize)
        return
    if risk == "cvar":
        m.eta = pyo.Var(domain=pyo.Reals)
        m.excess = pyo.Var(m.W, domain=pyo.NonNegativeReals)
        m.excess_def = pyo.Constraint(
            m.W, rule=lambda m, w: m.excess[w] >= m.path[w].cost.expr - m.eta
        )
        tail = sum(paths[w][0] * m.excess[w] for w in order) / (1 - alpha)
        m.cvar = pyo.Expression(expr=m.eta + tail)
        m.cost = pyo.Objective(expr=(1 - weight) * m.expected + weight * m.cvar)
        return
    if risk == "regret":
        if best is None or set(best) != set(order):
            raise ValueError("risk 'regret' needs every path's own optimum (best)")
        m.regret = pyo.Var(domain=pyo.Reals)
        m.regret_def = pyo.Constraint(
            m.W, rule=lambda m, w: m.regret >= m.path[w].cost.expr - best[w]
        )
        m.cost = pyo.Objective(expr=m.regret, sense=pyo.minimize)
        return
    raise ValueError(f"unknown risk measure {risk!r}; expected expected, cvar or regret")


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
    return tree_nodes(paths, first_stage_years, {})


def tree_nodes(paths, first_stage_years, branches) -> dict[str, dict[int, str]]:
    """Decision nodes of a tree: "root" in the first-stage years; afterwards a path shares the
    node of ``branches[ω] = (parent, year)`` before ``year`` and has its own from then on."""
    first = set(first_stage_years)

    def node(w: str, t: int, seen: tuple = ()) -> str:
        if t in first:
            return "root"
        parent = branches.get(w)
        if parent is not None and t < parent[1]:
            if parent[0] in seen:
                raise ValueError(f"paths {seen + (w,)} branch from each other in a circle")
            return node(parent[0], t, seen + (w,))
        return w

    return {w: {t: node(w, t) for t in p.years} for w, (_, p) in paths.items()}
