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
    E, O         schools (bundled real schools and education a site offers on its grounds);
                 options (s, k, e): school e suits type k within the school-travel limit of s
    E_w, H       schools whose use is a decision (minimum pupils, fixed, closing or set-up
                 cost, a host site); H those on a care site's grounds (models.education)

Parameters
    d[z,n,t]     demand, average occupied beds                 g0[s,k]   groups in t0
    size[k]      places per group        occ[k]  occupancy target       Gmax[s]  groups at s
    Gmin[k]      groups if type k runs at a site at all (critical mass)
    km[z,s]      trip length             lvl[n,k] levels more restrictive than needed
    c_run[k]     EUR per place-year      c_site   EUR per open site-year
    c_new[k], c_conv[k]  set-up per group (new build; conversion of a closed group at the same site)
    c_fric[k]    friction per removed group and year, for F years (charged in full, also beyond
                 the horizon); `free` removals per type and year carry no friction (staff turnover)
    c_red[k]     staff redundancy per removed group that carries friction (one-off)
    c_exit       lease and building exit of a site that was open and closes (one-off)
    c_wo[k], N   write-off of a converted group removed within N years of its conversion
    c_proj[t]    fixed project cost per year
    c_km         travel EUR per bed-km-year    c_school  school transport EUR per bed-km-year
    kme[s,e]     km from s to school e (0 on site)         c_lvl  EUR per bed-year per level
    cap[e], Pmin[e]   school capacity for plan pupils; pupils it needs to stay viable
    c_fixe[e], c_close[e], c_open[e], c_alone[e]  school yearly, closing, set-up, host-less cost
    c_unmet[n]   penalty per unmet bed-year (n in U)       δ[t] = (1 + r)^-(t - first year)
    c_ov[n,k]    weight per overflow bed-year   Ov[n,k], φ[n,k]  overflow caps (beds; share of
                 the need's demand)
    B[t], C[t]   budget; maximum closed places       Cb[t]  maximum closed beds used
    P_i          minimum places over types K_i, years T_i
    E[s], L[s]   earliest year groups can be added at s; years a site stays open once opened
    M[k], fte[k] years a new group lives; staff per group   R[t]  most new staff in year t
    from[r]      first year region r needs a hybrid site
    A_i, W_i, C_i, σ_i  funding pot i: amount, years, categories it pays, co-financing share;
                 D_i[c] the categories it must cover in full before it pays c
    cash[c,t]    the cash of funding category c in year t (closing = friction + exit;
                 converting = set-up of conversions and new closed groups; alternatives =
                 set-up of new hybrid and open groups; vacancy = c_run (places − beds); project)
    C_r, Y_r     a must_cover rule: categories the pots must cover in full in years Y_r
    ovh[v], φ[v] provider v's fixed overhead and the share of its revenue carrying it; S_v its
                 sites; the viability level is ovh[v] / φ[v]
    p            largest refusal probability (service level)
    L[P,j]       the largest load j groups of pool P carry with refusal probability ≤ p (Erlang B
                 over j × size places); Jmax[P] = Σ Gmax[s] over the pool's sites

Variables
    x[z,n,s,k,t] ≥ 0      beds of (z, n) placed at s in type k      u[z,n,t] ≥ 0  unmet (U only)
    g[s,k,t] ∈ Z+ groups     y[s,k,t] ∈ {0,1} type k runs at s     o[s,t] ∈ {0,1} site open
    add, rem[s,k,t] ∈ Z+  groups added / removed     conv[s,k,t] ∈ Z+ added by converting closed
    paid[k,t] ≥ 0         removals that carry friction
    closes[s,t] ≥ 0       site s closes in year t      writeoff[s,k,t] ≥ 0  conversions undone
    wo[s,k,c,t] ≥ 0       groups converted in year c removed in year t (c < t < c + N)
    ch[i,c,t] ≥ 0         cash of category c in year t charged to pot i (c ∈ C_i, t ∈ W_i)
    z[i,c] ∈ {0,1}        pot i pays category c (its prerequisites D_i[c] covered)
    λ[P,t,j] ∈ {0,1}      with a service level: pool P has j groups in year t
    q[s,k,e,t] ≥ 0        pupils of type k at s taught at school e     w[e,t] ∈ {0,1} e in use
    shut, start[e,t] ≥ 0  school e stops / starts     alone[e,t] ≥ 0  e runs with its host empty

Constraints
    demand        Σ_{s,k} x[z,n,s,k,t] + u[z,n,t] = d[z,n,t]
    capacity      Σ_{z,n} x[z,n,s,k,t] ≤ occ[k] size[k] g[s,k,t]
                  or, with a service level p (Erlang loss per pool P, for every t):
                  Σ_{(s,k) ∈ P} Σ_{z,n} x ≤ Σ_j L[P,j] λ[P,t,j]   (capacity)
                  Σ_j λ[P,t,j] = 1   (capacity_choice)
                  Σ_j j λ[P,t,j] = Σ_{(s,k) ∈ P} g[s,k,t]   (capacity_groups)
                  Σ_{z,n} x[z,n,s,k,t] ≤ size[k] g[s,k,t]   (pool_share: no site of a pool holds
                  more beds than its own places; implied for a pool of one pair)
    school_assign Σ_e q[s,k,e,t] = Σ_{z,n} x[z,n,s,k,t]   (every youth placed goes to school)
    school_capacity  Σ_{s,k} q[s,k,e,t] ≤ cap[e] (w[e,t] for e ∈ E_w)
    school_viability Σ_{s,k} q[s,k,e,t] ≥ Pmin[e] w[e,t]
    school_change shut[e,t] ≥ w[e,t−1] − w[e,t];  start[e,t] ≥ w[e,t] − w[e,t−1]
    school_host   w[e,t] ≤ Σ_k y[h[e],k,t] + alone[e,t]   (e ∈ H; alone only where allowed)
    critical_mass Gmin[k] y[s,k,t] ≤ g[s,k,t] ≤ Gmax[s] y[s,k,t]
    site_size     Σ_k g[s,k,t] ≤ Gmax[s] o[s,t]
    transition    g[s,k,t] − g[s,k,t−1] = add[s,k,t] − rem[s,k,t]      (g[s,k,t0] = g0[s,k])
    conversion    conv[s,k,t] ≤ add[s,k,t] (k ≠ closed);  Σ_k conv[s,k,t] ≤ rem[s,closed,t]
    friction      paid[k,t] ≥ Σ_s rem[s,k,t] − [k = closed] Σ_{s,k'} conv[s,k',t] − free
    site_exit     closes[s,t] ≥ y[s,k,t−1] − Σ_k' y[s,k',t]   (y[s,k,t0] = 1 where s has groups
                  of k in t0): its last group leaves
    writeoff      writeoff[s,k,t] = Σ_c wo[s,k,c,t] ≤ rem[s,k,t];  Σ_t wo[s,k,c,t] ≤ conv[s,k,c];
                  rem[s,k,t] − writeoff[s,k,t] ≤ g[s,k,t−1] − Σ_{t−N<c<t} (conv[s,k,c] −
                  Σ_{c<t'<t} wo[s,k,c,t'])   (removals beyond the groups that are not recent
                  conversions still there undo a conversion)
    overflow_cap  Σ_{z,s} x[z,n,s,k,t] ≤ min(Ov[n,k], φ[n,k] Σ_z d[z,n,t])   for (n, k) ∈ O
    lead_time     add[s,k,t] = 0  for t < E[s]
    site_life     o[s,τ] ≥ o[s,t] − o[s,t−1]  for τ = t..t+L[s]−1
    group_life    g[s,k,t] ≥ Σ_{t'=t−M[k]+1..t} add[s,k,t']
    recruitment   Σ_{s,k} fte[k] (add − conv)[s,k,t] ≤ R[t]
    pot_cover     Σ_i ch[i,c,t] ≤ cash[c,t]
    pot_amount    Σ_{c,t} (1 − σ_i) ch[i,c,t] ≤ A_i     (over the pot's years together)
    pot_order     Σ_t ch[i,c,t] ≤ A_i/(1 − σ_i) z[i,c];
                  Σ_{t ∈ W_i} (cash[d,t] − Σ_j ch[j,d,t]) ≤ M_d (1 − z[i,c])  for d ∈ D_i[c]
    must_cover    Σ_{c ∈ C_r, t ∈ Y_r} (cash[c,t] − Σ_i ch[i,c,t]) ≤ 0
    viability     Σ_{s ∈ S_v, k} c_run[k] size[k] g[s,k,t] ≥ ovh[v] / φ[v]  (where a rule asks)
    budget        cash[t] − Σ_i (1 − σ_i) Σ_c ch[i,c,t] ≤ B[t]  (the municipalities' own money;
                  cash = running, site, set-up, friction of years t−F+1..t, exit, project,
                  school transport, and travel where it is reimbursed)
    closed_cap    Σ_s size[closed] g[s,closed,t] ≤ C[t]          (places)
    closed_beds   Σ_{z,n,s} x[z,n,s,closed,t] ≤ Cb[t]             (beds used)
    hybrid_region Σ_{s ∈ S_r} y[s,hybrid,t] ≥ 1  for t ≥ from[r]
    min_places    Σ_{s, k ∈ K_i} size[k] g[s,k,t] ≥ P_i  for t ∈ T_i
    fixed_groups  g[s,k,t] = G  where a contract fixes it

Objective
    min Σ_t δ[t] ( Σ c_run[k] size[k] g + c_site Σ o + Σ c_new (add − conv) + Σ c_conv conv
                   + Σ c_red paid + c_exit Σ closes + Σ c_wo writeoff + c_proj[t]
                   + Σ x (c_km km + c_lvl lvl[n,k]) + c_school Σ kme[s,e] q + Σ c_ov x_overflow
                   + Σ_{e ∈ E_w} (c_fixe w + c_close shut + c_open start + c_alone alone)
                   + Σ_U c_unmet[n] u )
        + Σ_{k,t} c_fric[k] paid[k,t] Σ_{τ=t}^{t+F−1} δ[τ]

The objective adds cash (what is paid, by whoever pays it) and policy weights (travel unless it
is reimbursed, restrictiveness, overflow, unmet): the run reports the two apart. Who pays (pots
or the municipalities) does not change it; it matters through the budget and must_cover rules.

With ``elastic`` the named policy limits (budget, closed_cap, closed_beds, hybrid_region,
min_places, fixed_groups, recruitment, funding = must_cover, viability, school_viability) get
non-negative slack
priced far above any real cost; solving that model tells by how much a limit has to give for
the scenario to become feasible.
The admission duty is made elastic the same way (``admission``: every need may go unmet at
ELASTIC_EUR), so an infeasible duty is explained by which youths cannot be placed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import pyomo.environ as pyo

from models.education import Education, add_education, education_cost, transport_cost

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
    redundancy_eur_per_group: dict[str, float] = field(default_factory=dict)  # per paid removal
    site_exit_eur: float = 0.0  # one-off when a site that was open closes (lease, building)
    writeoff_eur_per_group: dict[str, float] = field(default_factory=dict)  # conversion undone
    writeoff_years: int = 0  # ... within this many years of the conversion (0: never)
    project_eur: dict[int, float] = field(default_factory=dict)  # fixed project cost per year
    travel_is_cash: bool = False  # family travel reimbursed: then cash, else a weight


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


#: Cash by what it pays for, the categories funding pots name (a partition of part of the cash):
#: closing = friction and exit; converting = set-up of converted groups and of new closed groups;
#: alternatives = set-up of new hybrid and open groups; vacancy = running cost of empty places;
#: project = fixed project costs. Running cost of occupied places, sites and school transport
#: belong to none.
CATEGORIES = ("closing", "converting", "alternatives", "vacancy", "project")


@dataclass(frozen=True)
class Pot:
    """A funding pot: ``amount`` EUR over its ``years`` (cumulative), for its ``categories``.

    Of every euro charged to it the pot pays 1 − ``cofinancing`` (the municipalities the rest);
    ``after`` lists (category, prerequisites): the pot pays the category only once every
    prerequisite of all its years is charged in full to the pots.
    """

    name: str
    amount_eur: float
    years: tuple[int, ...]
    categories: tuple[str, ...]
    cofinancing: float = 0.0
    after: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class CoverRule:
    """The pots must cover ``categories`` in ``years`` in full (no own money for them)."""

    name: str
    categories: tuple[str, ...]
    years: tuple[int, ...]


@dataclass(frozen=True)
class Viability:
    """A provider's viability: the running cost of its places is its revenue; a share
    ``overhead_share`` of it carries the fixed ``overhead_eur`` (level = overhead / share)."""

    provider: str
    sites: tuple[str, ...]
    overhead_eur: float
    overhead_share: float
    min_revenue: bool = False  # a hard rule (else only reported)

    @property
    def level_eur(self) -> float:
        return self.overhead_eur / self.overhead_share


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
    pots: tuple[Pot, ...] = ()
    must_cover: tuple[CoverRule, ...] = ()
    viability: tuple[Viability, ...] = ()
    #: the schools E and options O (models.education); None: each arc's school km (school[s])
    education: Education | None = None

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
    "funding",
    "viability",
    "school_viability",
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


def add_exit_constraints(m, p: Parameters, elastic: frozenset) -> None:
    """site_exit and writeoff: what closing costs beyond friction.

    closes[s,t] ≥ y[s,k,t−1] − Σ_k' y[s,k',t] for every k (y before the horizon = 1 where the
    site has groups of k in t0): a site whose last group leaves pays its lease and building exit
    c_exit once (y = 1 exactly when the site runs groups of k, by critical_mass; an empty site
    kept open by site_life still pays its site cost). For converted types, wo[s,k,c,t] counts
    the groups converted in year c and removed in year t < c + N: removals first take the groups
    that are not recent conversions still there (old first: it is never dearer), and each group
    beyond them undoes a conversion whose fit-out c_wo[k] is written off. A conversion is
    written off once (Σ_t wo ≤ conv), in the year its group goes (writeoff ≤ rem): the earlier
    rule writeoff ≥ rem − g[t−1] + Σ_{t−N<c<t} conv charged it again in every later year of its
    window once its groups were gone (found by the checker on a national run: EUR 153,600 in
    two years without a removal). Removals also stay within last year's groups (no group is
    added and removed in one year). Staff redundancy c_red[k] is paid per removal that carries
    friction (paid[k,t]):
    natural turnover and conversions keep their staff.
    """
    years, span = p.years, int(p.rates.writeoff_years or 0)
    m.closes = pyo.Var(m.S, m.T, domain=pyo.NonNegativeReals)
    m.site_exit = pyo.ConstraintList()
    for s in m.S:
        kinds = [k for k in p.place_types if (s, k) in p.sk]
        for i, t in enumerate(years):
            running = sum(m.y[s, k, t] for k in kinds)
            for k in kinds:
                if i:
                    m.site_exit.add(m.closes[s, t] >= m.y[s, k, years[i - 1]] - running)
                elif p.sites.at[s, f"existing_{k}"] > 0:
                    m.site_exit.add(m.closes[s, t] >= 1 - running)
    m.writeoff = pyo.Var(m.CONV, domain=pyo.NonNegativeReals)
    m.WO = pyo.Set(
        dimen=4,
        initialize=[
            (s, k, c, t) for s, k, c in m.CONV for t in years if span > 1 and c < t < c + span
        ],
    )
    m.wo = pyo.Var(m.WO, domain=pyo.NonNegativeReals)
    m.writeoff_rule = pyo.ConstraintList()
    for s, k, t in m.CONV:
        undone = [m.wo[s, k, c, t] for c in years if (s, k, c, t) in m.WO]
        m.writeoff_rule.add(m.writeoff[s, k, t] == sum(undone))
        m.writeoff_rule.add(m.writeoff[s, k, t] <= m.rem[s, k, t])  # no write-off in advance
        cohort = [m.wo[s, k, t, tt] for tt in years if (s, k, t, tt) in m.WO]
        if cohort:
            m.writeoff_rule.add(sum(cohort) <= m.conv[s, k, t])
        present = sum(
            m.conv[s, k, c] - sum(m.wo[s, k, c, tt] for tt in years if c < tt < t)
            for c in years
            if t - span < c < t and span > 1
        )
        m.writeoff_rule.add(
            m.rem[s, k, t] - m.writeoff[s, k, t] <= _previous_groups(m, p, s, k, t) - present
        )


def exit_cost(m, p: Parameters, t: int):
    """Redundancy of paid removals, site exits and conversion write-offs in year t."""
    c = p.rates
    red, wo = c.redundancy_eur_per_group, c.writeoff_eur_per_group
    return (
        sum(red.get(k, 0.0) * m.paid[k, t] for k in p.place_types)
        + c.site_exit_eur * sum(m.closes[s, t] for s in m.S)
        + sum(wo.get(k, 0.0) * m.writeoff[s, k, tt] for s, k, tt in m.CONV if tt == t)
    )


def cost_kinds(p: Parameters) -> dict[str, str]:
    """Each cost component's kind: ``cash`` (money paid) or ``weight`` (a policy weight)."""
    kinds = {name: "cash" for name in ("running", "site", "setup", "friction", "exit", "project")}
    kinds["travel"] = "cash" if p.rates.travel_is_cash else "weight"
    kinds["school_transport"] = kinds["education"] = "cash"
    kinds.update({name: "weight" for name in ("restrictiveness", "overflow", "unmet_penalty")})
    return kinds


def cash_cost(m, p: Parameters, t: int):
    """Cash in year t (every payer): the cash components of year t and the friction paid in it."""
    parts = cost_components(m, p, t)
    kinds = cost_kinds(p)
    return sum(v for name, v in parts.items() if kinds[name] == "cash") + friction_paid_in(m, p, t)


def category_costs(m, p: Parameters, t: int) -> dict:
    """Cash of year t by funding category (CATEGORIES), as expressions."""
    c = p.rates
    size = p.types["group_size"].to_dict()
    new, converted = c.setup_new_eur_per_group, c.setup_conversion_eur_per_group
    conv = {(s, k): m.conv[s, k, tt] for s, k, tt in m.CONV if tt == t}
    vacancy = 0
    for s, k in p.sk:
        used = sum(m.x[i] for i in m.arcs_of.get((s, k, t), []))
        vacancy += c.running_eur_per_place_year[k] * (size[k] * m.g[s, k, t] - used)
    return {
        "closing": friction_paid_in(m, p, t) + exit_cost(m, p, t),
        "converting": sum(converted[k] * v for (_, k), v in conv.items())
        + sum(new["closed"] * m.add[s, k, t] for s, k in p.sk if k == "closed"),
        "alternatives": sum(
            new[k] * (m.add[s, k, t] - conv.get((s, k), 0)) for s, k in p.sk if k != "closed"
        ),
        "vacancy": vacancy,
        "project": float(c.project_eur.get(t, 0.0)),
    }


def category_bound(p: Parameters, category: str, years) -> float:
    """An upper bound on a category's cash over ``years`` from the parameters (a big-M)."""
    c = p.rates
    groups = float(p.sites["max_groups"].sum())
    size = p.types["group_size"].to_dict()
    per_year = {
        "closing": groups
        * sum(
            p.friction_years * c.friction_eur_per_group_year.get(k, 0.0)
            + c.redundancy_eur_per_group.get(k, 0.0)
            + c.writeoff_eur_per_group.get(k, 0.0)
            for k in p.place_types
        )
        + c.site_exit_eur * len(p.sites),
        "converting": groups
        * 2
        * max(
            [c.setup_new_eur_per_group.get("closed", 0.0)]
            + list(c.setup_conversion_eur_per_group.values())
        ),
        "alternatives": groups * max(c.setup_new_eur_per_group.values()),
        "vacancy": groups * max(c.running_eur_per_place_year[k] * size[k] for k in p.place_types),
    }
    if category == "project":
        return sum(float(c.project_eur.get(t, 0.0)) for t in years)
    return per_year[category] * len(list(years)) + 1.0


def add_funding(m, p: Parameters, elastic: frozenset) -> None:
    """pot_cover, pot_amount, pot_order, must_cover: the cash the funding pots pay.

    ch[i,c,t] ≥ 0 is the cash of category c in year t charged to pot i (only for the pot's
    categories and years); the pot pays (1 − σ_i) of it, the municipalities the rest and all
    cash not charged. Σ_i ch[i,c,t] ≤ cash[c,t] (pot_cover); Σ_{c,t} (1 − σ_i) ch[i,c,t] ≤ A_i
    over the pot's years together, not per year (pot_amount). A category c the pot pays only
    once its prerequisites D are covered (plan §6.2: c only where a and b are covered) has a
    binary z[i,c]: Σ_t ch[i,c,t] ≤ A_i/(1 − σ_i) z[i,c] and, per d ∈ D,
    Σ_{t ∈ W_i} (cash[d,t] − Σ_j ch[j,d,t]) ≤ M_d (1 − z[i,c]) (pot_order). A must_cover rule
    r asks the pots to cover its categories in its years in full:
    Σ_{c ∈ C_r, t ∈ Y_r} (cash[c,t] − Σ_i ch[i,c,t]) ≤ 0 (elastic: the shortfall in EUR).
    The objective does not see who pays; the run reports the allocation that uses the pots the
    most, earliest first (:func:`allocation_model`).
    """
    cats = {t: category_costs(m, p, t) for t in p.years}
    build_pots(m, p, lambda c, t: cats[t][c], lambda c, years: category_bound(p, c, years), elastic)


def build_pots(m, p: Parameters, cost_of, bound_of, elastic: frozenset, tol: float = 0.0) -> None:
    """The pot variables and rows of :func:`add_funding` for category cash ``cost_of(c, t)``
    (expressions or numbers) with big-M ``bound_of(c, years)``; ``tol`` EUR of give in the rows
    that ask for cash to be covered (a solved plan's cash carries the solver's rounding)."""
    years = set(p.years)
    rows = [
        (i, c, t)
        for i, pot in enumerate(p.pots)
        for c in pot.categories
        for t in pot.years
        if t in years
    ]
    m.POTC = pyo.Set(initialize=rows, dimen=3, ordered=True)
    m.charge = pyo.Var(m.POTC, domain=pyo.NonNegativeReals)
    by_ct: dict = {}
    for i, c, t in rows:
        by_ct.setdefault((c, t), []).append(m.charge[i, c, t])
    m.charges_of = by_ct
    m.pot_cover = pyo.ConstraintList()
    for (c, t), charged in by_ct.items():
        m.pot_cover.add(sum(charged) <= cost_of(c, t))
    m.pot_amount = pyo.ConstraintList()
    for i, pot in enumerate(p.pots):
        mine = [m.charge[j, c, t] for j, c, t in rows if j == i]
        if mine:
            m.pot_amount.add((1 - pot.cofinancing) * sum(mine) <= pot.amount_eur)
    order = [
        (i, c, tuple(before))
        for i, pot in enumerate(p.pots)
        for c, before in pot.after
        if c in pot.categories
    ]
    m.ORDER = pyo.Set(initialize=[(i, c) for i, c, _ in order], dimen=2, ordered=True)
    m.after = pyo.Var(m.ORDER, domain=pyo.Binary)
    m.pot_order = pyo.ConstraintList()
    for i, c, before in order:
        pot = p.pots[i]
        window = [t for t in pot.years if t in years]
        mine = [m.charge[i, c, t] for t in window if (i, c, t) in m.POTC]
        m.pot_order.add(sum(mine) <= pot.amount_eur / (1 - pot.cofinancing) * m.after[i, c])
        for d in before:
            open_ = sum(cost_of(d, t) - sum(by_ct.get((d, t), [])) for t in window)
            m.pot_order.add(open_ <= bound_of(d, window) * (1 - m.after[i, c]) + tol)
    m.must_cover = pyo.ConstraintList()
    for r, rule in enumerate(p.must_cover):
        gap = sum(
            cost_of(c, t) - sum(by_ct.get((c, t), []))
            for c in rule.categories
            for t in rule.years
            if t in years
        )
        m.must_cover.add(gap <= tol + _policy_slack(m, elastic, ("funding", r)))


def pots_paid(m, t: int):
    """What the pots pay in year t: Σ_i (1 − σ_i) Σ_c ch[i,c,t] (0 without pots)."""
    if not hasattr(m, "POTC"):
        return 0
    return sum(
        (1 - m.params.pots[i].cofinancing) * m.charge[i, c, tt] for i, c, tt in m.POTC if tt == t
    )


def provider_revenue(m, p: Parameters, v: Viability, t: int):
    """R[v,t]: the running cost of the provider's places in year t (what the regions pay it)."""
    size = p.types["group_size"].to_dict()
    run = p.rates.running_eur_per_place_year
    return sum(run[k] * size[k] * m.g[s, k, t] for s, k in p.sk if s in v.sites)


def add_viability(m, p: Parameters, elastic: frozenset) -> None:
    """viability: R[v,t] ≥ overhead[v] / share[v] for a provider with a minimum-revenue rule.

    A provider's revenue is the running cost of its places; a share of it carries its fixed
    overhead, so below overhead / share it cannot carry its critical mass (plan §3.1.1: a
    further fall "means the end of its independence"). Without the rule the run only reports
    the shortfall and the tariff increase that would cover it.
    """
    m.viability = pyo.ConstraintList()
    for i, v in enumerate(p.viability):
        if not v.min_revenue:
            continue
        for t in p.years:
            revenue = provider_revenue(m, p, v, t)
            m.viability.add(revenue + _policy_slack(m, elastic, ("viability", i, t)) >= v.level_eur)


def add_policy_constraints(m, p: Parameters, elastic: frozenset) -> None:
    """budget, closed_cap, closed_beds, hybrid_region, min_places, fixed_groups: policy limits.

    cash[t] − pots[t] ≤ B[t] (the municipalities' own money); Σ_s size[closed] g[s,closed,t]
    ≤ C[t] (places); Σ x in closed ≤ Cb[t] (beds used: the plan's "Gebruik/nodig", §3.1.2);
    Σ_{s ∈ S_r} y[s,hybrid,t] ≥ 1 from from[r]; Σ_{s,k ∈ K_i} size[k] g ≥ P_i in T_i; g = G for
    a contract. With ``elastic`` each named family gets a priced slack, so an infeasible scenario
    can be explained by how much a limit has to give.
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
            own = cash_cost(m, p, t) - pots_paid(m, t)
            m.budget_of[t] = m.budget.add(own <= limit + slack(("budget", t)))
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
        "exit": exit_cost(m, p, t),
        "project": float(c.project_eur.get(t, 0.0)),
        "travel": c.travel_eur_per_bed_km_year * sum(p.arc_km[i[:4]] * m.x[i] for i in xs),
        "school_transport": transport_cost(m, p, t)
        if p.education is not None
        else c.school_transport_eur_per_bed_km_year
        * sum(p.arc_school_km[i[:4]] * m.x[i] for i in xs),
        "education": education_cost(m, p, t) if p.education is not None else 0.0,
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
    """Least discounted cost: running, site, set-up, exit, project, travel, school transport,
    restrictiveness, overflow, unmet penalty per year, plus friction charged in full for F years
    from the year of removal: cash and policy weights together (cost_kinds tells them apart).

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


def allocation_model(
    p: Parameters, cost_of: dict, cash: dict[int, float], tol: float = 1e-3
) -> pyo.ConcreteModel:
    """The pots' allocation for a solved plan: its category cash ``cost_of[(c, t)]`` (numbers)
    charged to the pots as in :func:`add_funding`, the budget on own money ``cash[t] − pots[t]``
    kept, maximising the pots' money used; ties go to earlier years, then to the pot whose years
    end first, then to categories in the order of CATEGORIES. ``tol`` EUR (10 × on the budget)
    absorbs the solver's rounding of the plan's cash."""
    m = pyo.ConcreteModel(name=f"{p.name} (pots)")
    m.params = p
    m.slack, m.slack_of = pyo.VarList(domain=pyo.NonNegativeReals), {}
    build_pots(
        m,
        p,
        lambda c, t: cost_of.get((c, t), 0.0),
        lambda c, years: sum(cost_of.get((c, t), 0.0) for t in years) + 1.0,
        frozenset(),
        tol,
    )
    m.budget = pyo.ConstraintList()
    for t, limit in p.limits.budget_eur.items():
        if t in p.years:
            m.budget.add(cash.get(t, 0.0) - pots_paid(m, t) <= limit + 10 * tol)
    last = p.years[-1]
    ends = sorted(range(len(p.pots)), key=lambda i: (max(p.pots[i].years), i))
    rank = {i: len(ends) - n for n, i in enumerate(ends)}

    def weight(i, c, t):
        later = 1e-4 * (last - t) + 1e-6 * rank[i]
        return 1 + later + 1e-7 * (len(CATEGORIES) - CATEGORIES.index(c))

    m.use = pyo.Objective(
        expr=sum(weight(i, c, t) * (1 - p.pots[i].cofinancing) * m.charge[i, c, t]
                 for i, c, t in m.POTC),
        sense=pyo.maximize,
    )  # fmt: skip
    return m


#: The model's blocks in build order (the order of the module docstring); a new capability is a
#: new block here with its docstring, which docs/model.md shows.
BLOCKS = (
    add_sets,
    add_variables,
    add_demand_constraint,
    add_capacity_constraint,
    add_education,
    add_group_constraints,
    add_transition_constraints,
    add_exit_constraints,
    add_overflow_constraint,
    add_implementation_constraints,
    add_funding,
    add_viability,
    add_policy_constraints,
    add_objective,
)
