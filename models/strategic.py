r"""The strategic plan: which place types, how many groups, at which sites, year by year.

Sets
    T            planning years; t0 the start year (the existing situation)
    S, K         sites; place types K = {closed, hybrid, open}
    SK           (s, k) a site may run: type allowed there and education within reach,
                 plus pairs with existing groups (which must then be wound down)
    D            (z, n, t) zone z's demand of need n in year t, d > 0
    U ⊆ D        the (z, n, t) whose need the scenario allows to go unmet (``unmet:``); every
                 other need is an admission duty (plan §3.1) and has no unmet variable
    A            arcs (z, n, s, k): k compatible with n — or (n, k) an overflow rule O — (s, k)
                 runnable, and the trip z → s within type k's distance and time limits; arcs
                 beyond a limit are not created
    R            regions; S_r the sites in region r
    P            service-level pools: sets of (s, k) pairs in SK whose places are shared, as the
                 scenario declares them; every other pair of SK is a pool of its own

Parameters
    d[z,n,t]     demand, average occupied beds                 g0[s,k]   groups in t0
    size[k]      places per group        occ[k]  occupancy target       Gmax[s]  groups at s
    Gmin[k]      groups if type k runs at a site at all (critical mass)
    km[z,s]      trip length             lvl[n,k] levels more restrictive than needed
    c_run[k]     EUR per place-year      c_site   EUR per open site-year
    c_new[k], c_conv[k]  set-up per group (new build; conversion of a closed group at the same site)
    c_fric[k]    friction per removed group and year, for F years (charged in full, also beyond
                 the horizon); `free` removals per type and year carry no friction (staff turnover)
    c_km         travel EUR per bed-km-year    c_school  school transport EUR per bed-km-year
    school[s]    km from s to its school (0 on site)       c_lvl  EUR per bed-year per level
    c_unmet[n]   penalty per unmet bed-year (n in U)       δ[t] = (1 + r)^-(t - first year)
    c_ov[n,k]    weight per overflow bed-year   Ov[n,k], φ[n,k]  overflow caps (beds; share of
                 the need's demand)
    B[t], C[t]   budget; maximum closed places       Cb[t]  maximum closed beds used
    P_i          minimum places over types K_i, years T_i
    E[s], L[s]   earliest year groups can be added at s; years a site stays open once opened
    M[k], fte[k] years a new group lives; staff per group   R[t]  most new staff in year t
    from[r]      first year region r needs a hybrid site
    p            largest refusal probability (service level)
    L[P,j]       the largest load j groups of pool P carry with refusal probability ≤ p (Erlang B
                 over j × size places); Jmax[P] = Σ Gmax[s] over the pool's sites

Variables
    x[z,n,s,k,t] ≥ 0      beds of (z, n) placed at s in type k      u[z,n,t] ≥ 0  unmet (U only)
    g[s,k,t] ∈ Z+ groups     y[s,k,t] ∈ {0,1} type k runs at s     o[s,t] ∈ {0,1} site open
    add, rem[s,k,t] ∈ Z+  groups added / removed     conv[s,k,t] ∈ Z+ added by converting closed
    paid[k,t] ≥ 0         removals that carry friction
    λ[P,t,j] ∈ {0,1}      with a service level: pool P has j groups in year t

Constraints
    demand        Σ_{s,k} x[z,n,s,k,t] + u[z,n,t] = d[z,n,t]
    capacity      Σ_{z,n} x[z,n,s,k,t] ≤ occ[k] size[k] g[s,k,t]
                  or, with a service level p (Erlang loss per pool P, for every t):
                  Σ_{(s,k) ∈ P} Σ_{z,n} x ≤ Σ_j L[P,j] λ[P,t,j]   (capacity)
                  Σ_j λ[P,t,j] = 1   (capacity_choice)
                  Σ_j j λ[P,t,j] = Σ_{(s,k) ∈ P} g[s,k,t]   (capacity_groups)
                  Σ_{z,n} x[z,n,s,k,t] ≤ size[k] g[s,k,t]   (pool_share: no site of a pool holds
                  more beds than its own places; implied for a pool of one pair)
    critical_mass Gmin[k] y[s,k,t] ≤ g[s,k,t] ≤ Gmax[s] y[s,k,t]
    site_size     Σ_k g[s,k,t] ≤ Gmax[s] o[s,t]
    transition    g[s,k,t] − g[s,k,t−1] = add[s,k,t] − rem[s,k,t]      (g[s,k,t0] = g0[s,k])
    conversion    conv[s,k,t] ≤ add[s,k,t] (k ≠ closed);  Σ_k conv[s,k,t] ≤ rem[s,closed,t]
    friction      paid[k,t] ≥ Σ_s rem[s,k,t] − [k = closed] Σ_{s,k'} conv[s,k',t] − free
    overflow_cap  Σ_{z,s} x[z,n,s,k,t] ≤ min(Ov[n,k], φ[n,k] Σ_z d[z,n,t])   for (n, k) ∈ O
    lead_time     add[s,k,t] = 0  for t < E[s]
    site_life     o[s,τ] ≥ o[s,t] − o[s,t−1]  for τ = t..t+L[s]−1
    group_life    g[s,k,t] ≥ Σ_{t'=t−M[k]+1..t} add[s,k,t']
    recruitment   Σ_{s,k} fte[k] (add − conv)[s,k,t] ≤ R[t]
    budget        cash[t] ≤ B[t]  (running, site, set-up, friction of years t−F+1..t, school)
    closed_cap    Σ_s size[closed] g[s,closed,t] ≤ C[t]          (places)
    closed_beds   Σ_{z,n,s} x[z,n,s,closed,t] ≤ Cb[t]             (beds used)
    hybrid_region Σ_{s ∈ S_r} y[s,hybrid,t] ≥ 1  for t ≥ from[r]
    min_places    Σ_{s, k ∈ K_i} size[k] g[s,k,t] ≥ P_i  for t ∈ T_i
    fixed_groups  g[s,k,t] = G  where a contract fixes it

Objective
    min Σ_t δ[t] ( Σ c_run[k] size[k] g + c_site Σ o + Σ c_new (add − conv) + Σ c_conv conv
                   + Σ x (c_km km + c_school school[s] + c_lvl lvl[n,k]) + Σ c_ov x_overflow
                   + Σ_U c_unmet[n] u )
        + Σ_{k,t} c_fric[k] paid[k,t] Σ_{τ=t}^{t+F−1} δ[τ]

With ``elastic`` the named policy limits (budget, closed_cap, closed_beds, hybrid_region,
min_places, fixed_groups, recruitment) get non-negative slack priced far above any real cost;
solving that model tells by how much a limit has to give for the scenario to become feasible.
The admission duty is made elastic the same way (``admission``: every need may go unmet at
ELASTIC_EUR), so an infeasible duty is explained by which youths cannot be placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

ELASTIC_EUR = 1e9  # per unit of violated policy limit: dwarfs every real cost


@dataclass(frozen=True)
class Rates:
    """Money per unit (EUR, undiscounted); dicts are per place type."""

    running_eur_per_place_year: dict[str, float]
    site_eur_per_year: float
    setup_new_eur_per_group: dict[str, float]
    setup_conversion_eur_per_group: dict[str, float]
    friction_eur_per_group_year: dict[str, float]
    travel_eur_per_bed_km_year: float
    school_transport_eur_per_bed_km_year: float
    restrictiveness_eur_per_bed_year_per_level: float


@dataclass(frozen=True)
class MinPlacesRule:
    """P_i: at least ``places`` places over ``types`` in each of ``years``."""

    name: str
    types: tuple[str, ...]
    years: tuple[int, ...]
    places: int
    reserve: bool = False  # a safety net: the run also plans without it, to show what it buys


@dataclass(frozen=True)
class FixedGroupsRule:
    """A contract that fixes the groups of one site and type in ``years``."""

    site: str
    type: str
    years: tuple[int, ...]
    groups: int


@dataclass(frozen=True)
class Limits:
    """The policy limits: B[t], C[t], from[r], the minimum-places and fixed-groups rules."""

    budget_eur: dict[int, float] = field(default_factory=dict)
    max_closed_places: dict[int, float] = field(default_factory=dict)
    max_closed_beds: dict[int, float] = field(default_factory=dict)  # beds *used* in closed care
    max_recruit_fte: dict[int, float] = field(default_factory=dict)  # new staff per year
    hybrid_site_from: dict[str, int] = field(default_factory=dict)
    min_places: tuple[MinPlacesRule, ...] = ()
    fixed_groups: tuple[FixedGroupsRule, ...] = ()


@dataclass
class Parameters:
    """The model's numbers, prepared before any Pyomo component is built (feasible arcs only)."""

    name: str
    years: list[int]
    start_year: int
    delta: dict[int, float]  # discount factor per year, the horizon plus F friction years
    types: pd.DataFrame  # indexed by type (K, in order): group_size, occupancy_target,
    #                      min_group_years, fte_per_group, ...
    sites: pd.DataFrame  # indexed by site_id: name, region, max_groups, existing_<type>,
    #                      earliest_year, min_open_years
    sk: list[tuple[str, str]]  # runnable pairs plus pairs with existing groups
    runnable: set[tuple[str, str]]
    demand: dict[tuple[str, str, int], float]
    arcs: pd.DataFrame  # gm_code, need, site_id, type, km, minutes, school_km, extra_levels
    arc_km: dict  # (z, n, s, k) -> km
    arc_school_km: dict
    arc_levels: dict
    rates: Rates
    friction_years: int
    free_removals: float
    limits: Limits
    max_refusal: float | None = None
    pools: dict[str, list[tuple[str, str]]] | None = None  # pool name -> (s, k) pairs in sk
    pool_loads: dict[str, list[float]] | None = None  # pool name -> L[P, j], j = 0..Jmax[P]
    #: needs that may go unmet, with their penalty per bed-year; every other need is an
    #: admission duty (no u variable at all)
    unmet_penalty: dict[str, float] = field(default_factory=dict)
    #: (need, type) -> (EUR per bed-year, cap in beds per year, cap as a share of the need's
    #: demand; a cap may be None): overflow of a need into a type that does not serve it by
    #: default (the safety net)
    overflow: dict[tuple[str, str], tuple[float, float | None, float | None]] = field(
        default_factory=dict
    )

    @property
    def place_types(self) -> list[str]:
        return list(self.types.index)


POLICY_LIMITS = (
    "admission",
    "budget",
    "closed_cap",
    "closed_beds",
    "hybrid_region",
    "min_places",
    "fixed_groups",
    "recruitment",
)


def build(p: Parameters, elastic: bool | frozenset = False) -> pyo.ConcreteModel:
    """Pyomo model of the strategic plan; see the module docstring for the mathematics.

    ``elastic``: True for every policy limit, or the names of the limits (POLICY_LIMITS) to relax.
    """
    if elastic is True:
        elastic = frozenset(POLICY_LIMITS)
    elastic = frozenset(elastic or ())
    m = pyo.ConcreteModel(name=p.name)
    m.params = p
    for block in BLOCKS:
        block(m, p, elastic)
    return m


# --- sets ----------------------------------------------------------------------------------


def add_sets(m, p: Parameters, elastic: frozenset) -> None:
    """T, K, S, SK and D from the parameters; X = the arcs A × years with demand.

    Only feasible arcs are created (compatible type, runnable pair, within the type's distance
    and time limits), so the model never carries variables that would be fixed to zero. The
    look-ups ``arcs_of[(z, n, t)]`` and ``arcs_of[(s, k, t)]`` keep every sum linear in its size.
    """
    m.T = pyo.Set(initialize=p.years, ordered=True)
    m.K = pyo.Set(initialize=p.place_types, ordered=True)
    m.S = pyo.Set(initialize=list(p.sites.index), ordered=True)
    m.SK = pyo.Set(initialize=p.sk, dimen=2, ordered=True)
    m.SKT = pyo.Set(initialize=[(s, k, t) for s, k in p.sk for t in p.years], dimen=3, ordered=True)
    m.D = pyo.Set(initialize=list(p.demand), dimen=3, ordered=True)
    duty_elastic = "admission" in elastic
    m.U = pyo.Set(
        initialize=[i for i in p.demand if duty_elastic or i[1] in p.unmet_penalty], dimen=3
    )
    arc_keys = list(
        p.arcs[["gm_code", "need", "site_id", "type"]].itertuples(index=False, name=None)
    )
    by_zn: dict = {}
    for key in arc_keys:
        by_zn.setdefault(key[:2], []).append(key)
    m.X = pyo.Set(
        initialize=[arc + (t,) for (z, n, t) in p.demand for arc in by_zn.get((z, n), [])],
        dimen=5,
        ordered=True,
    )
    m.arcs_of = {}  # (z, n, t) -> x indices, (s, k, t) -> x indices
    m.x_by_year = {}
    m.overflow_arcs = {}  # (n, k, t) -> x indices of need n placed in type k by overflow
    for idx in m.X:
        z, n, s, k, t = idx
        m.arcs_of.setdefault((z, n, t), []).append(idx)
        m.arcs_of.setdefault((s, k, t), []).append(idx)
        m.x_by_year.setdefault(t, []).append(idx)
        if (n, k) in p.overflow:
            m.overflow_arcs.setdefault((n, k, t), []).append(idx)


# --- variables -----------------------------------------------------------------------------


def add_variables(m, p: Parameters, elastic: frozenset) -> None:
    """x ≥ 0; u ≥ 0 only for needs that may go unmet; g, add, rem, conv ∈ Z+; y, o ∈ {0,1}.

    Pairs in SK that are not runnable (existing groups at a site that may no longer run the type)
    have g = y = 0 fixed in every plan year, so their groups must be removed in the first year.
    conv exists only where the site has closed groups to convert (closed ∈ SK at s).
    """
    gmax = p.sites["max_groups"].to_dict()
    m.x = pyo.Var(m.X, domain=pyo.NonNegativeReals)
    m.u = pyo.Var(m.U, domain=pyo.NonNegativeReals)
    m.g = pyo.Var(m.SKT, domain=pyo.NonNegativeIntegers, bounds=lambda _, s, k, t: (0, gmax[s]))
    m.y = pyo.Var(m.SKT, domain=pyo.Binary)
    m.o = pyo.Var(m.S, m.T, domain=pyo.Binary)
    m.add = pyo.Var(m.SKT, domain=pyo.NonNegativeIntegers)
    m.rem = pyo.Var(m.SKT, domain=pyo.NonNegativeIntegers)
    m.CONV = pyo.Set(
        initialize=[i for i in m.SKT if i[1] != "closed" and (i[0], "closed") in p.sk],
        dimen=3,
        ordered=True,
    )
    m.conv = pyo.Var(m.CONV, domain=pyo.NonNegativeIntegers)
    m.paid = pyo.Var(m.K, m.T, domain=pyo.NonNegativeReals)
    m.slack = pyo.VarList(domain=pyo.NonNegativeReals)  # elastic policy limits (diagnosis)
    m.slack_of = {}  # (limit, ...) -> slack variable
    for s, k, t in m.SKT:
        if (s, k) not in p.runnable:
            m.g[s, k, t].fix(0)
            m.y[s, k, t].fix(0)


# --- constraints ---------------------------------------------------------------------------


def add_demand_constraint(m, p: Parameters, elastic: frozenset) -> None:
    """demand: Σ_{s,k} x[z,n,s,k,t] + u[z,n,t] = d[z,n,t] for every (z, n, t) in D.

    The admission duty (plan §3.1): u exists only for needs the scenario allows to go unmet
    (priced per bed-year); for every other need all demand must be placed, or the scenario is
    infeasible and explained.
    """

    def rule(m, z, n, t):
        unmet = m.u[z, n, t] if (z, n, t) in m.U else 0
        return sum(m.x[i] for i in m.arcs_of.get((z, n, t), [])) + unmet == p.demand[z, n, t]

    m.demand = pyo.Constraint(m.D, rule=rule)


def add_capacity_constraint(m, p: Parameters, elastic: frozenset) -> None:
    """capacity: Σ_{z,n} x[z,n,s,k,t] ≤ occ[k] size[k] g[s,k,t], or the service-level pools.

    Without a service level a flat occupancy target says how many average occupied beds a group
    carries. With one (p set), the Erlang loss model decides per pool (see
    :func:`add_service_level_capacity`).
    """
    if p.max_refusal is not None:
        add_service_level_capacity(m, p)
        return

    def rule(m, s, k, t):
        arcs = m.arcs_of.get((s, k, t), [])
        if not arcs:
            return pyo.Constraint.Skip
        per_group = p.types.at[k, "occupancy_target"] * p.types.at[k, "group_size"]
        return sum(m.x[i] for i in arcs) <= per_group * m.g[s, k, t]

    m.capacity = pyo.Constraint(m.SKT, rule=rule)


def add_service_level_capacity(m, p: Parameters) -> None:
    """capacity per pool: Σ x ≤ Σ_j L[P,j] λ[P,t,j], Σ_j λ = 1, Σ_j j λ = Σ g (λ binary).

    L[P,j] is the largest offered load (average beds) that j groups of the pool carry with a
    refusal probability at most the target (Erlang B); it is concave, so a flat factor cannot
    reproduce it, and pooling lets the same groups carry more load than split pools.
    """
    jmax = {name: len(loads) - 1 for name, loads in p.pool_loads.items()}
    m.P = pyo.Set(initialize=list(p.pools), ordered=True)
    m.PT = pyo.Set(initialize=[(q, t) for q in p.pools for t in p.years], dimen=2, ordered=True)
    m.LAMBDA = pyo.Set(
        initialize=[(q, t, j) for q, t in m.PT for j in range(jmax[q] + 1)], dimen=3, ordered=True
    )
    m.lam = pyo.Var(m.LAMBDA, domain=pyo.Binary)
    shared = {pair for pairs in p.pools.values() if len(pairs) > 1 for pair in pairs}

    def arcs(q, t):
        return [i for s, k in p.pools[q] for i in m.arcs_of.get((s, k, t), [])]

    def load(m, q, t):
        used = arcs(q, t)
        if not used:
            return pyo.Constraint.Skip
        admissible = p.pool_loads[q]
        return sum(m.x[i] for i in used) <= sum(
            admissible[j] * m.lam[q, t, j] for j in range(jmax[q] + 1)
        )

    m.capacity = pyo.Constraint(m.PT, rule=load)
    m.capacity_choice = pyo.Constraint(
        m.PT, rule=lambda m, q, t: sum(m.lam[q, t, j] for j in range(jmax[q] + 1)) == 1
    )
    m.capacity_groups = pyo.Constraint(
        m.PT,
        rule=lambda m, q, t: (
            sum(j * m.lam[q, t, j] for j in range(jmax[q] + 1))
            == sum(m.g[s, k, t] for s, k in p.pools[q])
        ),
    )

    def share(m, s, k, t):
        used = m.arcs_of.get((s, k, t), [])
        if not used or (s, k) not in shared:
            return pyo.Constraint.Skip
        return sum(m.x[i] for i in used) <= int(p.types.at[k, "group_size"]) * m.g[s, k, t]

    m.pool_share = pyo.Constraint(m.SKT, rule=share)


def add_group_constraints(m, p: Parameters, elastic: frozenset) -> None:
    """critical_mass: Gmin[k] y ≤ g ≤ Gmax[s] y;  site_size: Σ_k g[s,k,t] ≤ Gmax[s] o[s,t].

    A type runs at a site with at least its critical mass of groups or not at all, and an open
    site carries its yearly site cost.
    """
    gmax = p.sites["max_groups"].to_dict()
    gmin = p.types["min_groups_if_open"].to_dict()
    m.critical_mass_low = pyo.Constraint(
        m.SKT, rule=lambda m, s, k, t: gmin[k] * m.y[s, k, t] <= m.g[s, k, t]
    )
    m.critical_mass_high = pyo.Constraint(
        m.SKT, rule=lambda m, s, k, t: m.g[s, k, t] <= gmax[s] * m.y[s, k, t]
    )

    def site_size(m, s, t):
        return sum(m.g[s, k, t] for k in p.place_types if (s, k) in p.sk) <= gmax[s] * m.o[s, t]

    m.site_size = pyo.Constraint(m.S, m.T, rule=site_size)


def _previous_groups(m, p: Parameters, s, k, t):
    if t == p.years[0]:
        return float(p.sites.at[s, f"existing_{k}"])
    return m.g[s, k, t - 1]


def add_transition_constraints(m, p: Parameters, elastic: frozenset) -> None:
    """transition, conversion and friction: how groups change from year to year.

    g[s,k,t] − g[s,k,t−1] = add − rem (g[s,k,t0] = g0); conv[s,k,t] ≤ add[s,k,t] and
    Σ_k conv[s,k,t] ≤ rem[s,closed,t] (a converted group is a closed group rebuilt at the same
    site, cheaper than new); paid[k,t] ≥ Σ_s rem[s,k,t] − converted − free (removals beyond the
    free allowance carry friction for F years).
    """

    def transition(m, s, k, t):
        return m.g[s, k, t] - _previous_groups(m, p, s, k, t) == m.add[s, k, t] - m.rem[s, k, t]

    m.transition = pyo.Constraint(m.SKT, rule=transition)
    m.conversion_added = pyo.Constraint(
        m.CONV, rule=lambda m, s, k, t: m.conv[s, k, t] <= m.add[s, k, t]
    )

    def conversion_source(m, s, t):
        converted = [m.conv[s, k, t] for k in p.place_types if (s, k, t) in m.CONV]
        if not converted:
            return pyo.Constraint.Skip
        return sum(converted) <= m.rem[s, "closed", t]

    m.conversion_source = pyo.Constraint(m.S, m.T, rule=conversion_source)

    def friction(m, k, t):
        removed = sum(m.rem[s, k, t] for s in m.S if (s, k) in p.sk)
        if k == "closed":
            removed = removed - sum(m.conv[i] for i in m.CONV if i[2] == t)
        return m.paid[k, t] >= removed - p.free_removals

    m.friction = pyo.Constraint(m.K, m.T, rule=friction)


def friction_paid_in(m, p: Parameters, year: int):
    """Friction cash paid in ``year``: removals of the F years up to it (may pass the horizon)."""
    c = p.rates.friction_eur_per_group_year
    return sum(
        c[k] * m.paid[k, t]
        for k in p.place_types
        for t in p.years
        if year - p.friction_years < t <= year
    )


def cash_cost(m, p: Parameters, t: int):
    """Provider cash in year t: what a budget pays for (not travel, penalties or policy weights)."""
    parts = cost_components(m, p, t)
    cash = ("running", "site", "setup", "school_transport")
    return sum(parts[name] for name in cash) + friction_paid_in(m, p, t)


def add_policy_constraints(m, p: Parameters, elastic: frozenset) -> None:
    """budget, closed_cap, closed_beds, hybrid_region, min_places, fixed_groups: policy limits.

    cash[t] ≤ B[t]; Σ_s size[closed] g[s,closed,t] ≤ C[t] (places); Σ x in closed ≤ Cb[t]
    (beds used: the plan's "Gebruik/nodig", §3.1.2); Σ_{s ∈ S_r} y[s,hybrid,t] ≥ 1 from
    from[r]; Σ_{s,k ∈ K_i} size[k] g ≥ P_i in T_i; g = G for a contract. With ``elastic`` each
    named family gets a priced slack, so an infeasible scenario can be explained by how much a
    limit has to give.
    """
    lim = p.limits

    def slack(name: tuple):
        return _policy_slack(m, elastic, name)

    size = p.types["group_size"].to_dict()
    m.budget = pyo.ConstraintList()
    m.budget_of = {}
    for t in p.years:
        if t in lim.budget_eur:
            limit = lim.budget_eur[t]
            m.budget_of[t] = m.budget.add(cash_cost(m, p, t) <= limit + slack(("budget", t)))
    m.closed_cap = pyo.ConstraintList()
    for t, cap in lim.max_closed_places.items():
        if t in p.years:
            closed = sum(size["closed"] * m.g[s, "closed", t] for s in m.S if (s, "closed") in p.sk)
            m.closed_cap.add(closed <= cap + slack(("closed_cap", t)))
    m.closed_beds = pyo.ConstraintList()
    for t, cap in lim.max_closed_beds.items():
        if t in p.years:
            used = sum(
                m.x[i] for s, k in p.sk if k == "closed" for i in m.arcs_of.get((s, k, t), [])
            )
            m.closed_beds.add(used <= cap + slack(("closed_beds", t)))
    m.hybrid_region = pyo.ConstraintList()
    for region, first in lim.hybrid_site_from.items():
        members = [s for s in m.S if p.sites.at[s, "region"] == region and (s, "hybrid") in p.sk]
        for t in p.years:
            if t >= first:
                have = sum(m.y[s, "hybrid", t] for s in members)
                m.hybrid_region.add(have + slack(("hybrid_region", region, t)) >= 1)
    m.min_places = pyo.ConstraintList()
    for i, rule in enumerate(lim.min_places):
        for t in rule.years:
            places = sum(size[k] * m.g[s, k, t] for s, k in p.sk if k in rule.types)
            m.min_places.add(places + slack(("min_places", i, t)) >= rule.places)
    m.fixed_groups = pyo.ConstraintList()
    for i, rule in enumerate(lim.fixed_groups):
        for t in rule.years:
            groups = m.g[rule.site, rule.type, t] if (rule.site, rule.type) in p.sk else 0
            m.fixed_groups.add(groups + slack(("fixed_up", i, t)) >= rule.groups)
            m.fixed_groups.add(groups - slack(("fixed_down", i, t)) <= rule.groups)


def add_overflow_constraint(m, p: Parameters, elastic: frozenset) -> None:
    """overflow: Σ_{z,s} x[z,n,s,k,t] ≤ min(Ov[n,k], φ[n,k] Σ_z d[z,n,t]) per overflow rule.

    A need may use a type that does not serve it by default only through an overflow rule (the
    safety net: youths with a closed-care authorisation in the hybrid reserve, plan §2.2),
    priced per bed-year as a policy weight and capped in beds (Ov) and as a share φ of the
    need's demand: a safety net takes the youths who find their own places full (with places
    sized at refusal p, a share p of them), not the need as a whole.
    """
    m.overflow_cap = pyo.ConstraintList()
    demand_of: dict = {}
    for (_, n, t), beds in p.demand.items():
        demand_of[n, t] = demand_of.get((n, t), 0.0) + beds
    for (n, k), (_, cap, share) in p.overflow.items():
        for t in p.years:
            arcs = m.overflow_arcs.get((n, k, t), [])
            if not arcs:
                continue
            caps = [
                c
                for c in (cap, None if share is None else share * demand_of[n, t])
                if c is not None
            ]
            if caps:
                m.overflow_cap.add(sum(m.x[i] for i in arcs) <= min(caps))


def add_implementation_constraints(m, p: Parameters, elastic: frozenset) -> None:
    """lead_time, site_life, group_life, recruitment: plans a provider can carry out.

    add[s,k,t] = 0 for t < E[s] (no group at a site before it can be ready); a site that opens
    in t stays open L[s] years: o[s,τ] ≥ o[s,t] − o[s,t−1] for τ = t..t+L[s]−1 in T (o before
    the horizon = 1 where the site has groups in t0); a group added (new or converted) lives
    M[k] years: g[s,k,t] ≥ Σ_{t' = t−M[k]+1..t} add[s,k,t']; new staff per year
    Σ_{s,k} fte[k] (add − conv)[s,k,t] ≤ R[t] (a converted group keeps its closed group's staff).
    """
    earliest = p.sites["earliest_year"].to_dict() if "earliest_year" in p.sites else {}
    life = p.sites["min_open_years"].to_dict() if "min_open_years" in p.sites else {}
    group_life = p.types["min_group_years"].to_dict() if "min_group_years" in p.types else {}
    years = p.years

    def new_groups(s, k, t):
        converted = m.conv[s, k, t] if (s, k, t) in m.CONV else 0
        return m.add[s, k, t] - converted

    m.lead_time = pyo.ConstraintList()
    for s, k, t in m.SKT:
        if t < (earliest.get(s) or years[0]):
            m.lead_time.add(m.add[s, k, t] == 0)
    m.site_life = pyo.ConstraintList()
    for s in m.S:
        span = int(life.get(s) or 1)
        if span <= 1:
            continue
        had = any(p.sites.at[s, f"existing_{k}"] > 0 for k in p.place_types)
        for i, t in enumerate(years):
            before = m.o[s, years[i - 1]] if i else (1 if had else 0)
            for tau in years[i + 1 : i + span]:
                m.site_life.add(m.o[s, tau] >= m.o[s, t] - before)
    m.group_life = pyo.ConstraintList()
    for s, k, t in m.SKT:
        span = int(group_life.get(k) or 1)
        if span <= 1:
            continue
        recent = [tt for tt in years if t - span < tt <= t]
        m.group_life.add(m.g[s, k, t] >= sum(m.add[s, k, tt] for tt in recent))
    m.recruitment = pyo.ConstraintList()
    fte = p.types["fte_per_group"].to_dict() if "fte_per_group" in p.types else {}
    for t, ceiling in p.limits.max_recruit_fte.items():
        if t not in years:
            continue
        hired = sum(fte.get(k, 0.0) * new_groups(s, k, t) for s, k in p.sk)
        m.recruitment.add(hired <= ceiling + _policy_slack(m, elastic, ("recruitment", t)))


def _policy_slack(m, elastic: frozenset, name: tuple):
    """A priced slack for limit ``name`` when its family is elastic, else 0."""
    family = "fixed_groups" if name[0].startswith("fixed") else name[0]
    if family not in elastic:
        return 0
    m.slack_of[name] = m.slack.add()
    return m.slack_of[name]


# --- objective -----------------------------------------------------------------------------


def cost_components(m, p: Parameters, t: int) -> dict:
    """Undiscounted cost of year t by component, as expressions (friction is handled apart)."""
    c = p.rates
    size = p.types["group_size"].to_dict()
    xs = m.x_by_year.get(t, [])
    conv = [(s, k) for s, k, tt in m.CONV if tt == t]
    new, converted = c.setup_new_eur_per_group, c.setup_conversion_eur_per_group
    return {
        "running": sum(c.running_eur_per_place_year[k] * size[k] * m.g[s, k, t] for s, k in p.sk),
        "site": c.site_eur_per_year * sum(m.o[s, t] for s in m.S),
        "setup": sum(new[k] * m.add[s, k, t] for s, k in p.sk)
        + sum((converted[k] - new[k]) * m.conv[s, k, t] for s, k in conv),
        "travel": c.travel_eur_per_bed_km_year * sum(p.arc_km[i[:4]] * m.x[i] for i in xs),
        "school_transport": c.school_transport_eur_per_bed_km_year
        * sum(p.arc_school_km[i[:4]] * m.x[i] for i in xs),
        "restrictiveness": c.restrictiveness_eur_per_bed_year_per_level
        * sum(p.arc_levels[i[:4]] * m.x[i] for i in xs),
        "overflow": sum(
            p.overflow[n, k][0] * sum(m.x[i] for i in m.overflow_arcs.get((n, k, t), []))
            for n, k in p.overflow
        ),
        "unmet_penalty": sum(
            p.unmet_penalty.get(n, ELASTIC_EUR) * m.u[z, n, tt] for z, n, tt in m.U if tt == t
        ),
    }


def friction_weight(p: Parameters, t: int) -> float:
    """Discounted weight of one year's friction paid from year t for F years."""
    return sum(p.delta[tau] for tau in range(t, t + p.friction_years))


def add_objective(m, p: Parameters, elastic: frozenset) -> None:
    """Least discounted cost: running, site, set-up, travel, school transport, restrictiveness,
    unmet penalty per year, plus friction charged in full for F years from the year of removal.

    Friction beyond the horizon is still charged (discounted), so closing a group in the last
    year is not free; elastic slack is priced at ELASTIC_EUR per unit.
    """
    fric = p.rates.friction_eur_per_group_year
    total = sum(p.delta[t] * sum(cost_components(m, p, t).values()) for t in p.years)
    total += sum(
        friction_weight(p, t) * fric[k] * m.paid[k, t] for k in p.place_types for t in p.years
    )
    if m.slack_of:
        total += ELASTIC_EUR * sum(m.slack_of.values())
    m.cost = pyo.Objective(expr=total, sense=pyo.minimize)


#: The model's blocks in build order (the order of the module docstring); a new capability is a
#: new block here with its docstring, which docs/model.md shows.
BLOCKS = (
    add_sets,
    add_variables,
    add_demand_constraint,
    add_capacity_constraint,
    add_group_constraints,
    add_transition_constraints,
    add_overflow_constraint,
    add_implementation_constraints,
    add_policy_constraints,
    add_objective,
)
