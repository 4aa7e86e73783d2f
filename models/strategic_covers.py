"""What a set of runnable pairs can carry and must take: the arithmetic of the demand covers.

models.strategic_fast turns these numbers into rows. F_Q(G), the most beds G groups carry over
a set of pairs Q, is a knapsack over Q's pools (Erlang loads for a pool inside Q, a pair's own
places otherwise); R(Q, t), the duty demand Q must take, counts the (zone, need) whose regular
arcs all end in Q, less what capped overflow may take out of Q.
"""

from __future__ import annotations

import numpy as np

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


def pieces_of(p: Parameters, curves: dict, pairs: frozenset) -> list[tuple[object, np.ndarray]]:
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
        pieces = pieces_of(p, curves, pairs)
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
