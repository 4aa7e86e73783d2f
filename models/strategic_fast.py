r"""The strategic model with rows that make it solve as it grows (the reference is its oracle).

``build(p)`` runs every block of :data:`models.strategic.BLOCKS` unchanged, then adds valid
inequalities: rows every integer plan of the reference satisfies, so the optimum is the same and
only the LP relaxation is tighter. Variable names are the reference's (optimizer.results reads
the plan as usual).

Rows added (Q a set of runnable pairs (s, k), t a year)
    site_link      o[s,t] ≥ y[s,k,t]: a type runs only at an open site (the reference only has
                   Σ_k g ≤ Gmax o, which lets o = y / Gmax).
    pool_link      y[s,k,t] ≤ 1 − λ[P,t,0] (Gmin[k] ≥ 1) and Σ_{(s,k) ∈ P} y ≥ 1 − λ[P,t,0]:
                   the pool's "no group" choice and its pairs' y agree, so every cover on y
                   below also bites on the Erlang capacity (service level only).
    reach_link     Σ_{z,n} x[z,n,s,k,t] ≤ min(L[P,J], Σ d within reach) y[s,k,t]: a pair holds
                   no more than the demand that can reach it (one row per pair and year; the
                   per-arc x ≤ d y of the textbook strong formulation is 40 × more rows).
    cover_*        demand covers. The demand of duty (z, n) whose regular arcs all end in Q must
                   be placed in Q, less what capped overflow arcs may take out of Q: R(Q,t) beds.
                   F_Q(G) = the most beds G groups carry over Q (a knapsack over Q's pools:
                   Erlang L[P,j] for a pool inside Q, its own places for a pair whose pool
                   reaches beyond Q, occ·size·j with an occupancy target), so
        cover_groups   Σ_Q g ≥ min{G : F_Q(G) ≥ R}      (integer rounding of "capacity ≥ demand")
        cover_pairs    Σ_Q y ≥ fewest pools that can carry R;  cover_sites  Σ_{s ∈ Q} o ≥ 1
        cover_capped   Σ_{P ⊆ Q} Σ_j min(L[P,j], R) λ[P,t,j] + Σ_{other} min(c, R) g + Σ u ≥ R
                       (coefficients capped at R: one pool that alone carries R counts as R, so
                       the LP can no longer mix "no group" with "all groups" of a big pool)
        cover_soft     Σ_{loose} u + R Σ_Q y ≥ R and the same with o, for demand that may go unmet
                   (u ≥ demand when no pair of Q runs). Q ranges over each (z, n)'s reach (with
                   and without its overflow arcs), each type set and each region × type set.
    friction_mir   paid[k,t] ≥ (1 − f)(removed − ⌊free⌋), f = free − ⌊free⌋: the mixed-integer
                   rounding of paid ≥ removed − free (removed is a whole number of groups).

Measured (benchmarks/bench_scale.py; the 27 × 3 × 10 scale-up of bench_strategic.py,
EUR M; LP = relaxation bound; best known plan EUR 69.94 M)
    MEASUREMENTS
"""

from __future__ import annotations

import math

import numpy as np
import pyomo.environ as pyo

from models import strategic
from models.strategic import Parameters

TYPE_SETS = (("closed",), ("hybrid",), ("open",), ("closed", "hybrid"), ("hybrid", "open"),
             ("closed", "hybrid", "open"))  # fmt: skip


# --- what a set of pairs can carry -------------------------------------------------------------


def pair_curves(p: Parameters) -> dict[tuple[str, str], tuple[str, np.ndarray]]:
    """(s, k) -> (its pool, the beds j = 0..Gmax[s] groups of the pair hold on their own)."""
    gmax = p.sites["max_groups"].to_dict()
    size = p.types["group_size"].to_dict()
    occ = p.types["occupancy_target"].to_dict()
    pool_of = {pair: name for name, pairs in (p.pools or {}).items() for pair in pairs}
    out = {}
    for s, k in p.sk:
        if (s, k) in p.runnable:
            per = float(size[k]) * (1.0 if p.max_refusal is not None else float(occ[k]))
            out[s, k] = (pool_of.get((s, k), f"{s}/{k}"), per * np.arange(int(gmax[s]) + 1))
    return out


def _pieces(p: Parameters, curves: dict, pairs: frozenset) -> list[tuple[object, np.ndarray]]:
    """Q's capacity pieces: (pool name, L[P, j]) for a pool inside Q, ((s, k), own places) else."""
    pieces, seen = [], set()
    for pair in sorted(pairs):
        if pair not in curves:
            continue
        pool = curves[pair][0]
        if p.max_refusal is not None and set(p.pools.get(pool, ())) <= pairs:
            if pool not in seen:
                seen.add(pool)
                pieces.append((pool, np.asarray(p.pool_loads[pool], dtype=float)))
        else:
            pieces.append((pair, curves[pair][1]))
    return pieces


def most_beds(pieces: list) -> np.ndarray:
    """F[G] = max Σ_i curve_i[g_i] over Σ g_i = G (a knapsack by dynamic programming)."""
    best = np.zeros(1)
    for _, curve in pieces:
        grown = np.full(len(best) + len(curve) - 1, -np.inf)
        for j, beds in enumerate(curve):
            grown[j : j + len(best)] = np.maximum(grown[j : j + len(best)], best + beds)
        best = grown
    return np.maximum.accumulate(best)


def _reach(need: float, values) -> int | None:
    """The fewest leading entries of ``values`` (a cumulative curve) that reach ``need``."""
    hits = np.nonzero(np.asarray(values) >= need - 1e-6 * max(1.0, need))[0]
    return int(hits[0]) if len(hits) else None


# --- the cover sets ------------------------------------------------------------------------------


class DemandCounter:
    """The demand a set of pairs Q must take in year t: ``(duty beds, loose (z, n))``.

    Duty (z, n) whose regular arcs all end in Q count, less the cap of each overflow rule whose
    arcs leave Q; (z, n) that may go unmet count as loose when all their arcs end in Q.
    """

    def __init__(self, m, p: Parameters):
        capped = {nk for nk, (_, c, share) in p.overflow.items() if (c, share) != (None, None)}
        self.regular: dict = {}
        self.over: dict = {}
        for z, n, s, k in p.arcs[["gm_code", "need", "site_id", "type"]].itertuples(index=False):
            (self.over if (n, k) in capped else self.regular).setdefault((z, n), set()).add((s, k))
        self.need_total: dict = {}
        self.by_year: dict = {}
        for (z, n, t), beds in p.demand.items():
            self.need_total[n, t] = self.need_total.get((n, t), 0.0) + beds
            self.by_year.setdefault(t, []).append((z, n))
        self.loose = {i for i in m.U}  # a plain set: Pyomo's membership test is slow here
        self.p = p
        self.memo: dict = {}

    def cap_of(self, n, k, t) -> float:
        _, cap, share = self.p.overflow[n, k]
        share_cap = None if share is None else share * self.need_total[n, t]
        return min(c for c in (cap, share_cap) if c is not None)

    def __call__(self, pairs: frozenset, t: int) -> tuple[float, tuple]:
        if (pairs, t) not in self.memo:
            self.memo[pairs, t] = self._count(pairs, t)
        return self.memo[pairs, t]

    def _count(self, pairs: frozenset, t: int) -> tuple[float, tuple]:
        counted: dict = {}
        leaks: set = set()
        loose = []
        for z, n in self.by_year.get(t, []):
            reg, ov = self.regular.get((z, n), set()), self.over.get((z, n), set())
            if (z, n, t) in self.loose:
                if reg | ov <= pairs:
                    loose.append((z, n))
            elif reg <= pairs:
                counted[n] = counted.get(n, 0.0) + self.p.demand[z, n, t]
                leaks.update((n, k) for _, k in ov - pairs)
        duty = sum(
            max(0.0, beds - sum(self.cap_of(n, k, t) for nn, k in leaks if nn == n))
            for n, beds in counted.items()
        )
        return duty, tuple(loose)


def cover_sets(m, p: Parameters) -> list[tuple]:
    """(pairs Q, year, duty beds R, fewest groups, fewest pools, loose (z, n), pieces) per cover."""
    count = DemandCounter(m, p)
    sets: dict[frozenset, None] = {}
    for key in sorted({(z, n) for z, n, _ in p.demand}):
        reg, ov = count.regular.get(key, set()), count.over.get(key, set())
        sets[frozenset(reg | ov)] = None
        if reg and ov:
            sets[frozenset(reg)] = None
    runnable = sorted(p.runnable)
    regions = sorted(set(p.sites["region"])) if "region" in p.sites else []
    for kinds in TYPE_SETS:
        sets[frozenset(q for q in runnable if q[1] in kinds)] = None
        for r in regions:
            here = (q for q in runnable if q[1] in kinds and p.sites.at[q[0], "region"] == r)
            sets[frozenset(here)] = None
    curves = pair_curves(p)
    rows = []
    for pairs in (q for q in sets if q):
        pieces = _pieces(p, curves, pairs)
        beds_of = most_beds(pieces)
        tops = np.concatenate([[0.0], np.cumsum(sorted((c[-1] for _, c in pieces))[::-1])])
        for t in p.years:
            duty, loose = count(pairs, t)
            groups = _reach(duty, beds_of) if duty > 0 else 0
            pools = _reach(duty, tops) if duty > 0 else 0
            if groups is None or pools is None or (duty <= 0 and not loose):
                continue
            rows.append((pairs, t, duty, groups, pools, tuple(loose), pieces))
    return rows


def lower_hull(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The vertices of the lower-left convex hull of (a, h) points, a increasing."""
    hull: list = []
    for a, h in sorted(points):
        while len(hull) >= 2:
            (a1, h1), (a2, h2) = hull[-2], hull[-1]
            if (a2 - a1) * (h - h1) - (h2 - h1) * (a - a1) <= 0:  # (a2, h2) not below the chord
                hull.pop()
            else:
                break
        hull.append((a, h))
    return hull


def split_facets(f1, f2, r1, r2d, r2, rd, r, soft) -> list[tuple[float, float, float, float]]:
    """(α, β, γ, d): α G1 + β G2 + γ U ≥ d for the groups G1 in Q1, G2 in Q2, U unmet.

    Q1 must take r1 beds (duty), Q2 r2d (duty) and r2 in all, Q1 ∪ Q2 rd (duty) and r in all;
    f1, f2 the most beds G groups carry. The facets are those of the hull of the staircase
    {G2 ≥ h(G1)} of plans that leave nothing unmet; γ is the least weight of U that keeps each
    facet valid for plans that leave up to ``soft`` beds unmet.
    """
    tol = 1e-6 * max(1.0, r)
    c1 = np.asarray(f1, dtype=float)[:, None]
    c2 = np.asarray(f2, dtype=float)[None, :]
    unmet = np.maximum(0.0, np.maximum(r2 - c2, r - c1 - c2))
    ok = (c1 >= r1 - tol) & (c2 >= r2d - tol) & (c1 + c2 >= rd - tol) & (unmet <= soft + tol)
    met = ok & (unmet <= tol)
    rows = np.nonzero(met.any(axis=1))[0]
    first = np.argmax(met, axis=1)
    hull = lower_hull([(int(g1), int(first[g1])) for g1 in rows])
    g1s, g2s = np.nonzero(ok)
    lost = unmet[g1s, g2s]
    facets = []
    for (a1, h1), (a2, h2) in zip(hull, hull[1:], strict=False):
        alpha, beta = float(h1 - h2), float(a2 - a1)
        d = alpha * a1 + beta * h1
        short = d - alpha * g1s - beta * g2s
        cut = short > 1e-9
        if (cut & (lost <= tol)).any() or alpha <= 0 or beta <= 0:
            continue
        gamma = float((short[cut] / lost[cut]).max()) if cut.any() else 0.0
        facets.append((alpha, beta, gamma, d))
    return facets


def add_split_covers(m, p: Parameters, elastic: frozenset) -> None:
    """cover_split: covers over two sets at once (closed | hybrid and open pairs, ...)."""
    m.cover_split = pyo.ConstraintList()
    count = DemandCounter(m, p)
    curves = pair_curves(p)
    runnable = sorted(p.runnable)
    regions = sorted(set(p.sites["region"])) if "region" in p.sites else []
    splits = []
    for first in (("closed",), ("closed", "hybrid")):
        q1 = frozenset(q for q in runnable if q[1] in first)
        rest = [q for q in runnable if q[1] not in first]
        seconds = {frozenset(rest): None}
        for r in regions:
            seconds[frozenset(q for q in rest if p.sites.at[q[0], "region"] == r)] = None
        for key, arcs in count.regular.items():
            if key[1] in p.unmet_penalty or True:
                seconds[frozenset(arcs | count.over.get(key, set())) - q1] = None
        splits += [(q1, q2) for q2 in seconds if q2 and q1]
    for q1, q2 in splits:
        f1 = most_beds(_pieces(p, curves, q1))
        f2 = most_beds(_pieces(p, curves, q2))
        both = q1 | q2
        for t in p.years:
            r1, _ = count(q1, t)
            r2d, loose2 = count(q2, t)
            rd, loose = count(both, t)
            soft = sum(p.demand[z, n, t] for z, n in loose)
            soft2 = sum(p.demand[z, n, t] for z, n in loose2)
            facets = split_facets(f1, f2, r1, r2d, r2d + soft2, rd, rd + soft, soft)
            for alpha, beta, gamma, d in facets:
                g1 = sum(m.g[s, k, t] for s, k in sorted(q1))
                g2 = sum(m.g[s, k, t] for s, k in sorted(q2))
                unmet = sum(m.u[z, n, t] for z, n in loose) if gamma > 0 else 0
                m.cover_split.add(alpha * g1 + beta * g2 + gamma * unmet >= d)


# --- blocks -------------------------------------------------------------------------------------


def add_site_link(m, p: Parameters, elastic: frozenset) -> None:
    """site_link: o[s,t] ≥ y[s,k,t]."""
    m.site_link = pyo.Constraint(m.SKT, rule=lambda m, s, k, t: m.o[s, t] >= m.y[s, k, t])


def add_pool_link(m, p: Parameters, elastic: frozenset) -> None:
    """pool_link: y[s,k,t] ≤ 1 − λ[P,t,0] where Gmin[k] ≥ 1; Σ_{(s,k) ∈ P} y ≥ 1 − λ[P,t,0]."""
    m.pool_link = pyo.ConstraintList()
    if p.max_refusal is None:
        return
    gmin = p.types["min_groups_if_open"].to_dict()
    for name, pairs in p.pools.items():
        for t in p.years:
            for s, k in pairs:
                if gmin[k] >= 1 and (s, k) in p.runnable:
                    m.pool_link.add(m.y[s, k, t] <= 1 - m.lam[name, t, 0])
            m.pool_link.add(sum(m.y[s, k, t] for s, k in pairs) >= 1 - m.lam[name, t, 0])


def add_reach_capacity(m, p: Parameters, elastic: frozenset) -> None:
    """capacity_reach: Σ_{pool} x ≤ Σ_j min(L[P,j], D) λ[P,t,j] with D the demand that can reach
    the pool, replacing the reference's capacity row (it implies it); with y = 1 − λ0 it holds
    Σ x ≤ D y too. Service level only; else :func:`add_reach_link`."""
    m.capacity_reach = pyo.ConstraintList()
    if p.max_refusal is None:
        return add_reach_link(m, p, elastic)
    m.reach_link = pyo.ConstraintList()
    for name, pairs in p.pools.items():
        for t in p.years:
            arcs = [i for s, k in pairs for i in m.arcs_of.get((s, k, t), [])]
            if not arcs:
                continue
            reach = sum(p.demand[i[0], i[1], t] for i in arcs)
            loads = p.pool_loads[name]
            if reach >= loads[-1]:
                continue
            m.capacity_reach.add(
                sum(m.x[i] for i in arcs)
                <= sum(min(load, reach) * m.lam[name, t, j] for j, load in enumerate(loads))
            )
            m.capacity[name, t].deactivate()


def add_reach_link(m, p: Parameters, elastic: frozenset) -> None:
    """reach_link: Σ x at (s,k,t) ≤ min(top capacity, demand within reach) y[s,k,t]."""
    m.reach_link = pyo.ConstraintList()
    curves = pair_curves(p)
    for s, k, t in m.SKT:
        arcs = m.arcs_of.get((s, k, t), [])
        if not arcs or (s, k) not in curves:
            continue
        pool, own = curves[s, k]
        top = float(own[-1])
        if p.max_refusal is not None:
            top = min(top, float(p.pool_loads[pool][-1]))
        reach = sum(p.demand[i[0], i[1], t] for i in arcs)
        m.reach_link.add(sum(m.x[i] for i in arcs) <= min(top, reach) * m.y[s, k, t])


def add_demand_covers(m, p: Parameters, elastic: frozenset) -> None:
    """cover_groups, cover_pairs, cover_sites, cover_capped, cover_soft (module docstring)."""
    for name in ("cover_groups", "cover_pairs", "cover_sites", "cover_capped", "cover_soft"):
        m.add_component(name, pyo.ConstraintList())
    for pairs, t, duty, groups, pools, loose, pieces in cover_sets(m, p):
        members = sorted(q for q in pairs if (q[0], q[1], t) in m.SKT)
        sites = sorted({s for s, _ in members})
        unmet = sum(m.u[z, n, t] for z, n in loose)
        soft = sum(p.demand[z, n, t] for z, n in loose)
        if duty > 0:
            m.cover_pairs.add(sum(m.y[s, k, t] for s, k in members) >= pools)
            m.cover_sites.add(sum(m.o[s, t] for s in sites) >= 1)
            if groups > pools:
                m.cover_groups.add(sum(m.g[s, k, t] for s, k in members) >= groups)
        elif soft > 0:
            m.cover_soft.add(unmet + soft * sum(m.y[s, k, t] for s, k in members) >= soft)
            m.cover_soft.add(unmet + soft * sum(m.o[s, t] for s in sites) >= soft)
        need = duty + soft
        terms, capped = [], False
        for key, curve in pieces:
            if isinstance(key, str) and p.max_refusal is not None and key in p.pools:
                for j in range(1, len(curve)):
                    capped |= curve[j] > need
                    terms.append(min(float(curve[j]), need) * m.lam[key, t, j])
            else:
                capped |= curve[1] > need
                terms.append(min(float(curve[1]), need) * m.g[key[0], key[1], t])
        if capped and terms:
            m.cover_capped.add(sum(terms) + unmet >= need)


def add_friction_rounding(m, p: Parameters, elastic: frozenset) -> None:
    """friction_mir: paid[k,t] ≥ (1 − f)(removed − ⌊free⌋) when the free removals are fractional."""
    m.friction_mir = pyo.ConstraintList()
    whole = math.floor(p.free_removals)
    frac = p.free_removals - whole
    if frac <= 1e-9:
        return
    for k in m.K:
        for t in m.T:
            removed = sum(m.rem[s, k, t] for s in m.S if (s, k) in p.sk)
            if k == "closed":
                removed = removed - sum(m.conv[i] for i in m.CONV if i[2] == t)
            m.friction_mir.add(m.paid[k, t] >= (1 - frac) * (removed - whole))


#: The rows this module adds, in build order after the reference blocks.
FAST_BLOCKS = (
    add_site_link,
    add_pool_link,
    add_reach_capacity,
    add_demand_covers,
    add_split_covers,
    add_friction_rounding,
)


def build(
    p: Parameters, elastic: bool | frozenset = False, without: frozenset = frozenset()
) -> pyo.ConcreteModel:
    """The reference model (:func:`models.strategic.build`) plus :data:`FAST_BLOCKS`.

    ``without``: names of rows to leave out (``site_link``, ``cover_capped``, ...), to measure
    what each family buys.
    """
    if elastic is True:
        elastic = frozenset(strategic.POLICY_LIMITS)
    elastic = frozenset(elastic or ())
    m = pyo.ConcreteModel(name=p.name)
    m.params = p
    for block in strategic.BLOCKS:
        block(m, p, elastic)
    for block in FAST_BLOCKS:
        block(m, p, elastic)
    for name in without:
        getattr(m, name).deactivate()
    if "capacity_reach" in without and hasattr(m, "lam"):
        m.capacity.activate()  # the reference's capacity rows the reach rows replaced
    return m
