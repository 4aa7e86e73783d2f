r"""The strategic model with rows that make it solve as it grows (the reference is its oracle).

``build(p)`` runs every block of :data:`models.strategic.BLOCKS` unchanged, then adds valid
inequalities: rows every integer plan of the reference satisfies, so the optimum is the same and
only the LP relaxation is tighter. Variable names are the reference's (optimizer.results reads
the plan as usual).

Rows added (Q a set of runnable pairs (s, k), t a year)
    site_link      o[s,t] ≥ y[s,k,t]: a type runs only at an open site (the reference only has
                   Σ_k g ≤ Gmax o, which lets o = y / Gmax).
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
    school_link    q[s,k,e,t] ≤ min(cap[e], D[s,k,t]) w[e,t] and Σ_{s,k} q[·,e,t] ≤
                   min(cap[e], D[e,t]) w[e,t] for a school whose use is a decision, D the demand
                   within reach of its pairs (the reference's min(cap, all demand) w lets the
                   LP keep a school for a small share of its fixed cost).
    friction_mir   paid[k,t] ≥ (1 − f)(removed − ⌊free⌋), f = free − ⌊free⌋: the mixed-integer
                   rounding of paid ≥ removed − free (removed is a whole number of groups).
The arithmetic of the covers (F_Q, R(Q, t), the split facets) is models.strategic_covers.

    cover_split    α Σ_{Q1} g + β Σ_{Q2} g + γ Σ u ≥ d: the facets of the staircase of group
                   counts two disjoint sets (closed | the rest, closed and hybrid | open, per
                   region and per (z, n)) need together (models.strategic_covers.split_facets).

Measured (benchmarks/bench_scale.py, 2 Dec 2026, one run each on 2 cores shared with five other
sessions, load ≈ 12, so seconds are 3–5 × those of an idle machine; EUR M; 60 s per MILP, gap
target 0.5 %; the LP column is the relaxation, on cand-27 × 5y for the first rows). Kept: every
row family below whose removal lowers the LP bound or worsens the 60-s gap; dropped after
measuring: pool_link (y ≤ 1 − λ0: LP bound unchanged, LP 18.2 → 11.3 s without it, 60-s gap
3.08 % without against 3.55–3.92 % with), start/stop links add ≥ Gmin (y[t] − y[t−1]) (LP
+0.001), the textbook x ≤ d y per arc (issue 15: LP 50 × slower).

    rows (cand-27 × 5y LP; cand-9 × 5y MILP)   LP bound   60-s gap   60-s plan
    reference model                               27.33     no plan    —
    fast, every family                            41.86     3.55 %     43.884
      without the covers (groups, pairs,          32.32    15.97 %     43.917
        sites, capped, soft, split)
      without cover_groups/pairs/sites            39.60
      without cover_split                         41.41     4.03 %     43.917
      without cover_soft                          41.56
      without cover_capped (kept: no evidence     41.86     3.34 %     44.115
        either way in one run each)
      without capacity_reach                      41.23
      without site_link                           41.50     3.51 %     43.917
      without school_link (LP on cand-9:          41.91     3.83 %     43.918
        42.17 with it)

Measured and dropped on the national scenario (2 Dec 2026, quiet 2 cores): the per-arc
x ≤ d y rows lift its LP from EUR 540.5 M to 550.3 M at 9 × the LP time (3.2 → 29.5 s);
cover_unmet, the lower hull of U ≥ R − F_Q(G) for demand that may go unmet (U the unmet beds of
Q's loose zones), left the fast LP at 579.559 exactly: cover_capped already implies it.

Build time grows with the cover sets (one per zone-need reach, each with a knapsack per year):
9.7 s against 8.6 s for the reference at cand-27 × 5y; national (342 zones): 20–38 s against
1.3–2.2 s on a quiet machine (240 s when measured on a loaded one), 15 of them counting the
demand of each cover set (models.strategic_covers.DemandCounter).
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from models import strategic
from models.strategic import Parameters
from models.strategic_covers import (
    DemandCounter,
    cover_sets,
    most_beds,
    pair_curves,
    pieces_of,
    split_facets,
)


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
        f1 = most_beds(pieces_of(p, curves, q1))
        f2 = most_beds(pieces_of(p, curves, q2))
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


def add_school_link(m, p: Parameters, elastic: frozenset) -> None:
    """school_link: q[s,k,e,t] ≤ min(cap[e], D[s,k,t]) w[e,t] and Σ_{s,k} q[s,k,e,t] ≤
    min(cap[e], D[e,t]) w[e,t] for a school whose use is a decision (e ∈ E_w), with D the
    demand that can reach the pair (the pairs with option e). The reference bounds a school's
    pupils by min(cap[e], all demand of the year) w, which lets the LP keep a school at a small
    fraction of its fixed cost."""
    m.school_link = pyo.ConstraintList()
    if not hasattr(m, "EW"):
        return
    ed = p.education
    reach_of: dict = {}
    for s, k, t in m.SKT:
        reach_of[s, k, t] = {i[:2] for i in m.arcs_of.get((s, k, t), [])}
    for e in m.EW:
        cap = ed.schools[e].capacity
        for t in p.years:
            used = m.pupils_of.get((e, t), [])
            zones: set = set()
            for i in used:
                near = reach_of.get((i[0], i[1], t), set())
                zones |= near
                bound = sum(p.demand[z, n, t] for z, n in near)
                bound = bound if cap is None else min(cap, bound)
                m.school_link.add(m.q[i] <= bound * m.w[e, t])
            if used:
                total = sum(p.demand[z, n, t] for z, n in zones)
                total = total if cap is None else min(cap, total)
                m.school_link.add(sum(m.q[i] for i in used) <= total * m.w[e, t])


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
    add_reach_capacity,
    add_demand_covers,
    add_split_covers,
    add_school_link,
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
