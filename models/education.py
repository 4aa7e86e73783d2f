r"""Education block of the strategic plan: which school the youths of each site and type attend.

Sets
    E            schools: the bundled real schools a site may use and the education sites can
                 offer on their own grounds (the Plein3 model, plan §3.2.2)
    O            options (s, k, e): school e suits type k and lies within the school-travel limit
                 of s (km over the travel model), or e is education on the grounds of s
    E_w ⊆ E      schools whose taking of plan pupils is a decision: a minimum of pupils, a yearly
                 fixed, closing or set-up cost, or a host site; every other school takes plan
                 pupils up to its capacity without one
    H ⊆ E_w      schools on the grounds of a care site h[e] (the Olivijncollege at Ossendrecht)

Parameters
    kme[s,e]     km from site s to school e (0 on site)   c_school  EUR per pupil-km-year
    cap[e]       most plan pupils at e (average occupied beds); none: only the plan's demand
    Pmin[e]      pupils a school in E_w needs to stay viable while it takes plan pupils
    c_fixe[e]    yearly fixed cost of keeping e for the plan    w0[e]  e takes pupils in t0
    c_close[e]   closing e (it took pupils and stops)   c_open[e]  set-up when e starts
    c_alone[e]   yearly cost of keeping e while its host site runs no groups (only where the
                 scenario allows it; otherwise e closes with its host)

Variables
    q[s,k,e,t] ≥ 0       pupils (beds) of type k at site s taught at school e, (s, k, e) ∈ O
    w[e,t] ∈ {0,1}       school e ∈ E_w takes plan pupils in year t
    shut[e,t], start[e,t] ≥ 0   e stops / starts taking plan pupils in year t
    alone[e,t] ≥ 0       e ∈ H runs in year t with its host site empty (allowed, priced)

Constraints
    school_assign     Σ_e q[s,k,e,t] = Σ_{z,n} x[z,n,s,k,t]      every youth placed goes to school
    school_capacity   Σ_{s,k} q[s,k,e,t] ≤ cap[e] (× w[e,t] for e ∈ E_w)
    school_viability  Σ_{s,k} q[s,k,e,t] ≥ Pmin[e] w[e,t]       (e ∈ E_w; elastic when asked)
    school_change     shut[e,t] ≥ w[e,t−1] − w[e,t];  start[e,t] ≥ w[e,t] − w[e,t−1]
                      (w[e,t0] = w0[e])
    school_host       w[e,t] ≤ Σ_k y[h[e],k,t] + alone[e,t]       (alone only where allowed)

Cost (in the objective, cash)
    school_transport[t]  c_school Σ kme[s,e] q[s,k,e,t]
    education[t]         Σ_{e ∈ E_w} (c_fixe w + c_close shut + c_open start + c_alone alone)

The block reads the strategic model's x, y and arc look-ups; it imports nothing, so it stays
mathematics over prepared numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyomo.environ as pyo

VIABILITY = "school_viability"  # the elastic family of the school_viability rows


@dataclass(frozen=True)
class School:
    """One school of E with its terms (EUR undiscounted; pupils are average occupied beds)."""

    school_id: str
    name: str
    kind: str
    capacity: float | None = None  # cap[e]; None: no limit of its own
    min_pupils: float = 0.0  # Pmin[e]
    fixed_eur_per_year: float = 0.0  # c_fixe[e]
    closing_eur: float = 0.0  # c_close[e]
    setup_eur: float = 0.0  # c_open[e]
    open_at_start: bool = True  # w0[e]
    host: str | None = None  # h[e]
    alone_eur_per_year: float | None = None  # c_alone[e]; None: not allowed
    point: tuple | None = None  # (zone, lat, lon) for the reports; not used by the model

    @property
    def decided(self) -> bool:
        """e ∈ E_w: whether it takes plan pupils is a decision of the model."""
        costs = (self.min_pupils, self.fixed_eur_per_year, self.closing_eur, self.setup_eur)
        return any(v > 0 for v in costs) or self.host is not None or not self.open_at_start


@dataclass(frozen=True)
class Education:
    """The schools E and options O (``options[(s, k, e)]`` = kme[s,e])."""

    schools: dict[str, School]
    options: dict[tuple[str, str, str], float]
    transport_eur_per_pupil_km_year: float
    basis: dict = field(default_factory=dict)  # (s, k, e) -> how the option arose (reports)
    options_of: dict = field(default_factory=dict)  # (s, k) -> [e], filled by build

    def __post_init__(self):
        by_pair: dict = {}
        for s, k, e in self.options:
            by_pair.setdefault((s, k), []).append(e)
        object.__setattr__(self, "options_of", by_pair)


def add_education(m, p, elastic: frozenset) -> None:
    """school_assign, school_capacity, school_viability, school_change, school_host: education.

    Every youth placed at s in type k is taught at one of its options O (Σ_e q = Σ x); a school
    holds at most cap[e] plan pupils; a school whose use is a decision (E_w) teaches at least
    Pmin[e] while in use (w = 1) and none when closed, pays c_close[e] when it stops and
    c_open[e] when it starts; a school on a care site's grounds (H) runs only while that site
    runs groups, unless the scenario prices it running alone (c_alone). School transport is
    c_school Σ kme[s,e] q[s,k,e,t]. Without ``p.education`` (parameters made by hand) the block
    adds nothing and school transport uses each arc's school km (school[s]).
    """
    ed: Education | None = getattr(p, "education", None)
    if ed is None:
        return
    years = list(p.years)
    sk = set(p.sk)
    opts = [(s, k, e) for s, k, e in ed.options if (s, k) in sk]
    m.E = pyo.Set(initialize=sorted(ed.schools), ordered=True)
    m.O = pyo.Set(initialize=opts, dimen=3, ordered=True)
    m.EW = pyo.Set(initialize=[e for e in m.E if ed.schools[e].decided], ordered=True)
    m.H = pyo.Set(initialize=[e for e in m.EW if ed.schools[e].host is not None], ordered=True)
    m.OT = pyo.Set(initialize=[o + (t,) for o in opts for t in years], dimen=4, ordered=True)

    m.q = pyo.Var(m.OT, domain=pyo.NonNegativeReals)
    m.w = pyo.Var(m.EW, m.T, domain=pyo.Binary)
    m.shut = pyo.Var(m.EW, m.T, domain=pyo.NonNegativeReals)
    m.start = pyo.Var(m.EW, m.T, domain=pyo.NonNegativeReals)
    alone_ok = [e for e in m.H if ed.schools[e].alone_eur_per_year is not None]
    m.ALONE = pyo.Set(initialize=alone_ok, ordered=True)
    m.alone = pyo.Var(m.ALONE, m.T, domain=pyo.NonNegativeReals, bounds=(0, 1))

    pupils_of: dict = {}  # (e, t) -> q indices
    by_pair: dict = {}  # (s, k, t) -> q indices
    for idx in m.OT:
        s, k, e, t = idx
        pupils_of.setdefault((e, t), []).append(idx)
        by_pair.setdefault((s, k, t), []).append(idx)
    m.pupils_of = pupils_of

    def assign(m, s, k, t):
        placed = m.arcs_of.get((s, k, t), [])
        taught = by_pair.get((s, k, t), [])
        if not placed and not taught:
            return pyo.Constraint.Skip
        return sum(m.q[i] for i in taught) == sum(m.x[i] for i in placed)

    m.school_assign = pyo.Constraint(m.SKT, rule=assign)

    demand_in = {t: 0.0 for t in years}
    for (_, _, t), beds in p.demand.items():
        demand_in[t] += beds

    def capacity(m, e, t):
        used = pupils_of.get((e, t), [])
        if not used:
            return pyo.Constraint.Skip
        school = ed.schools[e]
        cap = demand_in[t] if school.capacity is None else min(school.capacity, demand_in[t])
        on = m.w[e, t] if e in m.EW else 1
        return sum(m.q[i] for i in used) <= cap * on

    m.school_capacity = pyo.Constraint(m.E, m.T, rule=capacity)

    m.school_viability = pyo.ConstraintList()
    for e in m.EW:
        need = ed.schools[e].min_pupils
        if need <= 0:
            continue
        for t in years:
            have = sum(m.q[i] for i in pupils_of.get((e, t), []))
            slack = 0
            if VIABILITY in elastic:
                slack = m.slack_of[(VIABILITY, e, t)] = m.slack.add()
            m.school_viability.add(have + slack >= need * m.w[e, t])

    m.school_change = pyo.ConstraintList()
    for e in m.EW:
        before = 1 if ed.schools[e].open_at_start else 0
        for t in years:
            m.school_change.add(m.shut[e, t] >= before - m.w[e, t])
            m.school_change.add(m.start[e, t] >= m.w[e, t] - before)
            before = m.w[e, t]

    m.school_host = pyo.ConstraintList()
    for e in m.H:
        h = ed.schools[e].host
        for t in years:
            running = sum(m.y[h, k, t] for k in p.place_types if (h, k) in sk)
            alone = m.alone[e, t] if e in m.ALONE else 0
            m.school_host.add(m.w[e, t] <= running + alone)


def transport_cost(m, p, t: int):
    """school_transport[t]: c_school Σ kme[s,e] q[s,k,e,t]."""
    ed: Education = p.education
    rate = ed.transport_eur_per_pupil_km_year
    return rate * sum(ed.options[s, k, e] * m.q[s, k, e, tt] for s, k, e, tt in m.OT if tt == t)


def education_cost(m, p, t: int):
    """education[t]: fixed, closing, set-up and host-less costs of the schools in E_w."""
    ed: Education = p.education
    total = 0
    for e in m.EW:
        sc = ed.schools[e]
        total += sc.fixed_eur_per_year * m.w[e, t] + sc.closing_eur * m.shut[e, t]
        total += sc.setup_eur * m.start[e, t]
        if e in m.ALONE:
            total += sc.alone_eur_per_year * m.alone[e, t]
    return total
