"""InputData → :class:`models.strategic.Parameters`: the stage between tables and the model.

Everything the formulation needs is computed here with pandas — feasible arcs only, discount
factors, service-level pools and their Erlang admissible-load tables, policy limits as plain
numbers — so :mod:`models.strategic` imports nothing of the project and can be read (and
tested) as mathematics over prepared numbers.
"""

from __future__ import annotations

import pandas as pd

from models.education import Education, School
from models.strategic import (
    CoverRule,
    FixedGroupsRule,
    Limits,
    MinPlacesRule,
    Parameters,
    Pot,
    Rates,
    Viability,
)
from optimizer.contract import running_costs
from optimizer.data import InputData
from optimizer.erlang import admissible_load_table
from optimizer.schema import TYPES, Scenario


def prepare(data: InputData) -> Parameters:
    """Index sets and coefficients of the strategic model for one scenario."""
    sc = data.scenario
    years = sc.planning.years
    first = sc.planning.first_year
    r = sc.planning.discount_rate
    friction_years = int(round(sc.costs.friction_years.value))
    horizon = range(first, years[-1] + friction_years + 1)
    delta = {t: (1.0 + r) ** -(t - first) for t in horizon}

    sites = data.sites.set_index("site_id")
    sites = sites.assign(
        earliest_year=[sc.sites[s].earliest_year or sc.planning.first_year for s in sites.index],
        min_open_years=[sc.sites[s].min_open_years for s in sites.index],
        provider=[sc.sites[s].provider for s in sites.index],
    )
    types = data.place_types.set_index("type").reindex(list(TYPES))
    types = types.assign(
        min_group_years=[sc.place_types[k].min_group_years for k in types.index],
        fte_per_group=[sc.place_types[k].fte_per_group for k in types.index],
    )
    runnable = {
        (s, k)
        for s, row in sites.iterrows()
        for k in row["education_types"].split(";")
        if k and k in row["allowed_types"].split(";")
    }
    existing = {(s, k) for s, row in sites.iterrows() for k in TYPES if row[f"existing_{k}"] > 0}
    sk = sorted(runnable | existing)
    overflow = {
        (r.need, r.type): (r.eur_per_bed_year, r.max_beds, r.max_share) for r in sc.overflow
    }
    arcs = feasible_arcs(data, runnable, sites, types, overflow)
    keys = list(arcs[["gm_code", "need", "site_id", "type"]].itertuples(index=False, name=None))
    demand = data.demand[data.demand["beds"] > 0]
    demand_map = {
        (z, n, int(t)): float(b)
        for z, n, t, b in demand[["gm_code", "need", "year", "beds"]].itertuples(index=False)
    }
    pools = service_pools(sc, sk)
    return Parameters(
        name=sc.name,
        years=years,
        start_year=sc.planning.start_year,
        delta=delta,
        types=types,
        sites=sites,
        sk=sk,
        runnable=runnable,
        demand=demand_map,
        arcs=arcs,
        arc_km=dict(zip(keys, arcs["km"], strict=True)),
        arc_school_km=dict(zip(keys, arcs["school_km"], strict=True)),
        arc_levels=dict(zip(keys, arcs["extra_levels"], strict=True)),
        rates=rates(sc, running_costs(data)),
        friction_years=friction_years,
        free_removals=float(sc.costs.free_group_removals_per_year.value),
        limits=limits(sc),
        max_refusal=sc.service_level.max_refusal_probability if sc.service_level else None,
        pools=pools,
        pool_loads=pool_loads(pools, sites, types, sc) if sc.service_level else None,
        unmet_penalty={n: rule.eur_per_bed_year for n, rule in sc.unmet.items()},
        overflow=overflow,
        pots=pots(sc),
        must_cover=tuple(
            CoverRule(r.name, tuple(r.categories), tuple(r.years))
            for r in (sc.funding.must_cover if sc.funding else [])
        ),
        viability=viability(sc, sites),
        education=education(data, runnable),
    )


def feasible_arcs(
    data: InputData, runnable: set, sites: pd.DataFrame, types: pd.DataFrame, overflow: dict
) -> pd.DataFrame:
    """(zone, need, site, type) arcs with demand, a compatible runnable type, within its limits.

    Overflow rules add (need, type) pairs beyond the compatibility table, with no restrictiveness
    level (their price is the rule's own).
    """
    demand = data.demand[data.demand["beds"] > 0]
    runnable_df = pd.DataFrame(sorted(runnable), columns=["site_id", "type"])
    compat = data.compatible()
    extra = [
        (n, k, 0) for n, k in overflow if not ((compat["need"] == n) & (compat["type"] == k)).any()
    ]
    compat = pd.concat([compat, pd.DataFrame(extra, columns=compat.columns)], ignore_index=True)
    arcs = (
        demand[["gm_code", "need"]]
        .drop_duplicates()
        .merge(compat, on="need")
        .merge(runnable_df, on="type")
        .merge(data.distances, on=["gm_code", "site_id"])
        .merge(types[["max_km", "max_minutes"]], left_on="type", right_index=True)
    )
    arcs = arcs[(arcs["km"] <= arcs["max_km"]) & (arcs["minutes"] <= arcs["max_minutes"])]
    school_km = sites["school_km"].fillna(0.0).where(~sites["school_on_site"], 0.0)
    return arcs.assign(school_km=arcs["site_id"].map(school_km)).reset_index(drop=True)


def education(data: InputData, runnable: set) -> Education | None:
    """The schools E and options O of the runnable pairs (None without school tables)."""
    if data.schools is None or data.school_options is None:
        return None
    opts = data.school_options
    keep = [(s, k) in runnable for s, k in zip(opts["site_id"], opts["type"], strict=True)]
    opts = opts[pd.Series(keep, index=opts.index, dtype=bool)]
    options = {
        (s, k, e): float(km)
        for s, k, e, km in opts[["site_id", "type", "school_id", "km"]].itertuples(index=False)
    }
    used = set(opts["school_id"])

    def number(value, default=None):
        return default if pd.isna(value) else float(value)

    schools = {
        r.school_id: School(
            school_id=r.school_id,
            name=r.name,
            kind=r.kind,
            capacity=number(r.capacity_pupils),
            min_pupils=number(r.min_pupils, 0.0),
            fixed_eur_per_year=number(r.fixed_eur_per_year, 0.0),
            closing_eur=number(r.closing_eur, 0.0),
            setup_eur=number(r.setup_eur, 0.0),
            open_at_start=bool(r.open_at_start),
            host=r.host_site or None,
            alone_eur_per_year=number(r.without_host_eur_per_year),
            point=(r.gm_code, number(r.lat), number(r.lon)),
        )
        for r in data.schools.itertuples(index=False)
        if r.school_id in used
    }
    rate = data.scenario.costs.school_transport_eur_per_bed_km_year.value
    basis = {
        (s, k, e): b
        for s, k, e, b in opts[["site_id", "type", "school_id", "basis"]].itertuples(index=False)
    }
    return Education(schools, options, rate, basis=basis)


def rates(sc: Scenario, running: dict[str, float]) -> Rates:
    """Prices per unit; ``running`` per type comes from the contract (optimizer.contract)."""
    c = sc.costs
    return Rates(
        running_eur_per_place_year=dict(running),
        site_eur_per_year=c.site_eur_per_year.value,
        setup_new_eur_per_group=dict(c.setup_new_eur_per_group.values),
        setup_conversion_eur_per_group=dict(c.setup_conversion_eur_per_group.values),
        friction_eur_per_group_year=dict(c.friction_eur_per_group_year.values),
        travel_eur_per_bed_km_year=c.travel_eur_per_bed_km_year.value,
        school_transport_eur_per_bed_km_year=c.school_transport_eur_per_bed_km_year.value,
        restrictiveness_eur_per_bed_year_per_level=c.restrictiveness_eur_per_bed_year_per_level.value,
        redundancy_eur_per_group=dict(c.redundancy_eur_per_group.values)
        if c.redundancy_eur_per_group
        else {},
        site_exit_eur=c.site_exit_eur.value if c.site_exit_eur else 0.0,
        writeoff_eur_per_group=dict(c.writeoff_eur_per_group.values)
        if c.writeoff_eur_per_group
        else {},
        writeoff_years=int(round(c.writeoff_years.value)) if c.writeoff_years else 0,
        project_eur=dict(c.project_eur_per_year.values) if c.project_eur_per_year else {},
        travel_is_cash=c.travel_reimbursed,
    )


def pots(sc: Scenario) -> tuple[Pot, ...]:
    """The funding pots; ``after`` pairs each of ``paid_after`` with ``covered_first``."""
    found = []
    for pot in sc.funding.pots if sc.funding else []:
        after = tuple((c, tuple(pot.covered_first)) for c in pot.paid_after)
        found.append(
            Pot(pot.name, pot.amount_eur, tuple(pot.years), tuple(pot.categories),
                pot.cofinancing_share, after)
        )  # fmt: skip
    return tuple(found)


def viability(sc: Scenario, sites: pd.DataFrame) -> tuple[Viability, ...]:
    """Each listed provider with the sites it runs (sites.<id>.provider)."""
    return tuple(
        Viability(
            v.name,
            tuple(s for s in sites.index if sites.at[s, "provider"] == v.name),
            v.overhead_eur_per_year,
            v.overhead_share,
            v.min_revenue,
        )
        for v in sc.providers
    )


def limits(sc: Scenario) -> Limits:
    pol = sc.policy
    return Limits(
        budget_eur=dict(pol.budget_eur_per_year.values) if pol.budget_eur_per_year else {},
        max_closed_places=dict(pol.max_closed_places.values) if pol.max_closed_places else {},
        max_closed_beds=(dict(pol.max_closed_beds_used.values) if pol.max_closed_beds_used else {}),
        max_recruit_fte=(
            dict(pol.max_recruit_fte_per_year.values) if pol.max_recruit_fte_per_year else {}
        ),
        hybrid_site_from=(
            dict(pol.hybrid_site_required_from.values) if pol.hybrid_site_required_from else {}
        ),
        min_places=tuple(
            MinPlacesRule(r.name, tuple(r.types), tuple(r.years), r.places, r.reserve)
            for r in pol.min_places
        ),
        fixed_groups=tuple(
            FixedGroupsRule(r.site, r.type, tuple(r.years), r.groups) for r in pol.fixed_groups
        ),
    )


def service_pools(sc: Scenario, sk: list[tuple[str, str]]) -> dict[str, list]:
    """The scenario's pools restricted to SK; every other pair is its own pool ``site/type``.

    Also without a service level (capacity_rule: occupancy) every pair is a pool, so the refusal
    youths face can be reported for every plan.
    """
    pools, pooled = {}, set()
    declared = sc.service_level.pools if sc.service_level else {}
    for name, pool in declared.items():
        pairs = [(s, k) for s, k in sk if s in pool.sites and k in pool.types]
        if pairs:
            pools[name] = pairs
            pooled.update(pairs)
    for s, k in sk:
        if (s, k) not in pooled:
            pools[f"{s}/{k}"] = [(s, k)]
    return pools


def pool_loads(pools: dict, sites: pd.DataFrame, types: pd.DataFrame, sc: Scenario) -> dict:
    """L[P, j] for j = 0..Jmax[P]: Erlang B admissible load of j groups of the pool's size."""
    gmax = sites["max_groups"].to_dict()
    target = sc.service_level.max_refusal_probability
    tables: dict[int, list[float]] = {}
    loads = {}
    for name, pairs in pools.items():
        size = int(types.at[pairs[0][1], "group_size"])
        jmax = sum(gmax[s] for s in {s for s, _ in pairs})
        if len(tables.get(size, ())) <= jmax:
            tables[size] = admissible_load_table(size, jmax, target)
        loads[name] = tables[size][: jmax + 1]
    return loads
