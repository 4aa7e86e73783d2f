"""An independent check of every shipped scenario's plan, from the run folder alone.

Nothing here imports jzplan: the checker reads the CSVs and the resolved scenario with pandas and
yaml and re-derives every constraint and the objective from the model's documented mathematics.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

TOL = 1e-6


class Run:
    def __init__(self, folder: Path):
        self.folder = folder
        read = lambda name: pd.read_csv(folder / name, dtype={"gm_code": str})  # noqa: E731
        self.summary = json.loads((folder / "summary.json").read_text())
        self.scenario = yaml.safe_load((folder / "inputs" / "scenario.yaml").read_text())
        self.plan = read("plan.csv")
        self.assignments = read("assignments.csv")
        self.unmet = read("unmet.csv")
        self.costs = read("costs.csv")
        self.demand = read("inputs/demand.csv")
        self.sites = read("inputs/sites.csv").set_index("site_id")
        self.types = read("inputs/place_types.csv").set_index("type")
        self.distances = read("inputs/distances.csv")
        self.compat = read("inputs/compatibility.csv")
        self.service = read("service.csv")
        plan = self.scenario["planning"]
        self.years = list(range(plan["first_year"], plan["last_year"] + 1))
        self.rate = plan["discount_rate"]

    def delta(self, year: int) -> float:
        return (1 + self.rate) ** -(year - self.years[0])


@pytest.fixture(
    scope="module",
    params=[
        "baseline-2026",
        "zeeland-hybrid",
        "zero-closed-2030",
        "service-level-5pct",
        "arrivals-stay",
        "occupancy-85pct",
    ],
)
def run(request, shipped_runs) -> Run:
    return Run(shipped_runs[request.param])


def test_demand_is_conserved(run):
    assigned = run.assignments.groupby(["year", "gm_code", "need"])["beds"].sum()
    unmet = run.unmet.groupby(["year", "gm_code", "need"])["beds"].sum()
    demand = run.demand.set_index(["year", "gm_code", "need"])["beds"]
    total = assigned.add(unmet, fill_value=0).reindex(demand.index, fill_value=0)
    assert (total - demand).abs().max() < TOL
    assert set(assigned.index) <= set(demand.index)


def erlang_b(places: int, load: float) -> float:
    blocking = 1.0
    for c in range(1, places + 1):
        blocking = load * blocking / (c + load * blocking)
    return blocking


def pool_of(run: Run, site: str, type_: str, year: int) -> tuple:
    """The service-level pool (declared in the scenario, else the site and type) of a pair."""
    for name, pool in (run.scenario.get("service_level") or {}).get("pools", {}).items():
        if site in pool["sites"] and type_ in pool.get("types", ["closed", "hybrid", "open"]):
            return (name, year)
    return (f"{site}/{type_}", year)


def pool_loads_and_places(run: Run) -> tuple[dict, dict]:
    """(pool, year) -> beds the plan places there, and -> places it has (plan.csv beds)."""
    used = run.assignments.groupby(["site_id", "type", "year"])["beds"].sum()
    places = run.plan.set_index(["site_id", "type", "year"])["beds"]
    load, cap = {}, {}
    for (site, type_, year), beds in used.items():
        pool = pool_of(run, site, type_, year)
        load[pool] = load.get(pool, 0.0) + beds
    for (site, type_, year), beds in places.items():
        pool = pool_of(run, site, type_, year)
        cap[pool] = cap.get(pool, 0) + int(beds)
    return load, cap


def test_capacity_per_site_type_year(run):
    used = run.assignments.groupby(["site_id", "type", "year"])["beds"].sum()
    places = run.plan.set_index(["site_id", "type", "year"])["beds"]
    service = run.scenario.get("service_level")
    assert (service is None) == (run.scenario.get("capacity_rule") == "occupancy")
    for key, beds in used.items():
        if service:  # no site of a pool holds more beds than its own places
            assert beds <= places.get(key, 0) + TOL, key
        else:
            occ = run.types.at[key[1], "occupancy_target"]
            assert beds <= occ * places.get(key, 0) + TOL, key
    if service:  # the load placed in a pool is refused at most p of the time (Erlang B)
        p = service["max_refusal_probability"]
        pool_load, pool_places = pool_loads_and_places(run)
        for pool, load in pool_load.items():
            assert erlang_b(pool_places.get(pool, 0), load) <= p + 1e-7, pool
    size = run.types["group_size"]
    assert (run.plan["beds"] == run.plan["groups"] * run.plan["type"].map(size)).all()


def test_service_table_is_erlang_b_of_the_plan(run):
    """service.csv (plan rows) = places and load per pool recomputed here, refusal by Erlang B."""
    load, cap = pool_loads_and_places(run)
    rows = run.service[run.service["variant"] == "plan"].set_index(["pool", "year"])
    assert set(rows.index) == {k for k in set(load) | set(cap) if load.get(k) or cap.get(k)}
    target = (run.scenario.get("service_level") or {}).get("max_refusal_probability")
    for key, row in rows.iterrows():
        assert row["places"] == cap.get(key, 0), key
        assert row["offered_load_beds"] == pytest.approx(load.get(key, 0.0), abs=1e-9), key
        assert row["refusal_probability"] == pytest.approx(
            erlang_b(cap.get(key, 0), load.get(key, 0.0)), abs=1e-12
        )
        if target is not None:
            assert row["refusal_probability"] <= target + 1e-7, key


def test_admission_duty_and_overflow(run):
    """Only needs the scenario lets go unmet are unmet; overflow stays within its caps."""
    allowed = set(run.scenario.get("unmet", {}))
    assert set(run.unmet["need"]) <= allowed
    if "secure" not in allowed:
        assert run.unmet[run.unmet["need"] == "secure"]["beds"].sum() == 0
    demand = run.demand.groupby(["need", "year"])["beds"].sum()
    for rule in run.scenario.get("overflow", []):
        a = run.assignments
        placed = a[(a["need"] == rule["need"]) & (a["type"] == rule["type"])]
        for year, beds in placed.groupby("year")["beds"].sum().items():
            if rule.get("max_beds") is not None:
                assert beds <= rule["max_beds"] + TOL
            if rule.get("max_share") is not None:
                assert beds <= rule["max_share"] * demand[(rule["need"], year)] + TOL


def test_plans_a_provider_can_carry_out(run):
    """Lead time, minimum life of sites and groups, recruitment ceiling, from the plan alone."""
    sites, types = run.scenario["sites"], run.scenario["place_types"]
    first = run.years[0]
    plan = run.plan.set_index(["site_id", "type", "year"])
    for (site, type_, year), row in plan.iterrows():
        if row["added_groups"] > 0:
            assert year >= (sites[site].get("earliest_year") or first), (site, year)
        span = types[type_].get("min_group_years", 1)
        recent = sum(
            int(plan["added_groups"].get((site, type_, t), 0))
            for t in range(year - span + 1, year + 1)
        )
        assert row["groups"] >= recent, (site, type_, year)
    open_ = run.plan[run.plan["groups"] > 0].groupby("site_id")["year"].apply(set)
    for site, years in open_.items():
        span = sites[site].get("min_open_years", 1)
        had = any(v > 0 for v in sites[site].get("existing", {}).values())
        for year in sorted(years):
            opened = (year - 1 not in years) and not (year == first and had)
            if opened:
                for tau in range(year, min(year + span, run.years[-1] + 1)):
                    assert tau in years, (site, year, tau)
    ceiling = run.scenario.get("policy", {}).get("max_recruit_fte_per_year", {}).get("values", {})
    fte = {k: v.get("fte_per_group", 0) for k, v in types.items()}
    p = run.plan
    hired = ((p["added_groups"] - p["converted_groups"]) * p["type"].map(fte)).groupby(p["year"])
    for year, value in hired.sum().items():
        if year in ceiling:
            assert value <= ceiling[year] + TOL, year
    assert (p["fte"] == p["groups"] * p["type"].map(fte)).all()


def test_checker_pools_follow_the_scenario(shipped_runs):
    run = Run(shipped_runs["arrivals-stay"])
    assert pool_of(run, "roosendaal", "hybrid", 2026) == pool_of(run, "ossendrecht", "hybrid", 2026)
    assert pool_of(run, "ossendrecht", "closed", 2026) == ("ossendrecht/closed", 2026)


def test_site_limits_and_education(run):
    per_site = run.plan.groupby(["site_id", "year"])["groups"].sum()
    for (site, _), groups in per_site.items():
        assert groups <= run.sites.at[site, "max_groups"]
    running = run.plan[run.plan["groups"] > 0]
    for row in running.itertuples():
        allowed = str(run.sites.at[row.site_id, "education_types"]).split(";")
        assert row.type in allowed, (row.site_id, row.type)
        assert row.groups >= run.types.at[row.type, "min_groups_if_open"]


def test_compatibility_and_distance_limits(run):
    pairs = set(zip(run.compat["need"], run.compat["type"], strict=True))
    pairs |= {(r["need"], r["type"]) for r in run.scenario.get("overflow", [])}
    a = run.assignments.merge(run.distances, on=["gm_code", "site_id"], how="left")
    assert a["km"].notna().all()
    for row in a.itertuples():
        assert (row.need, row.type) in pairs
        assert row.distance_km == pytest.approx(row.km)
        assert row.km <= run.types.at[row.type, "max_km"] + TOL
        assert row.minutes_x <= run.types.at[row.type, "max_minutes"] + TOL


def test_transitions_add_up(run):
    start = {
        (s, t): int(run.sites.at[s, f"existing_{t}"])
        for s in run.sites.index
        for t in ("closed", "hybrid", "open")
    }
    plan = run.plan.set_index(["site_id", "type", "year"])
    for (site, type_), before in start.items():
        for year in run.years:
            key = (site, type_, year)
            now = int(plan["groups"].get(key, 0))
            change = int(plan["added_groups"].get(key, 0)) - int(plan["removed_groups"].get(key, 0))
            assert now - before == change, key
            before = now


def recompute_costs(run: Run) -> pd.DataFrame:
    """Every cost component per year from the documented formulas."""
    c = run.scenario["costs"]
    v = lambda name: c[name]["value"]  # noqa: E731
    by_type = lambda name: c[name]["values"]  # noqa: E731
    plan, a = run.plan, run.assignments.copy()
    rows = []
    school_km = run.sites["school_km"].fillna(0).where(~run.sites["school_on_site"], 0)
    levels = {"open": 0, "hybrid": 1, "closed": 2}
    need_levels = {"open": 0, "hybrid": 1, "secure": 2}
    a["extra"] = (a["type"].map(levels) - a["need"].map(need_levels)).clip(lower=0)
    friction_years = int(v("friction_years"))
    paid = {}
    for year in run.years:
        p = plan[plan["year"] == year]
        ay = a[a["year"] == year]
        running = (p["beds"] * p["type"].map(by_type("running_eur_per_place_year"))).sum()
        sites_open = p[p["groups"] > 0]["site_id"].nunique()
        new = p["type"].map(by_type("setup_new_eur_per_group"))
        conv = p["type"].map(by_type("setup_conversion_eur_per_group"))
        setup = (
            (p["added_groups"] - p["converted_groups"]) * new + p["converted_groups"] * conv
        ).sum()
        rows += [
            (year, "running", running),
            (year, "site", sites_open * v("site_eur_per_year")),
            (year, "setup", setup),
            (
                year,
                "travel",
                (ay["beds"] * ay["distance_km"]).sum() * v("travel_eur_per_bed_km_year"),
            ),
            (
                year,
                "school_transport",
                (ay["beds"] * ay["site_id"].map(school_km)).sum()
                * v("school_transport_eur_per_bed_km_year"),
            ),
            (
                year,
                "restrictiveness",
                (ay["beds"] * ay["extra"]).sum() * v("restrictiveness_eur_per_bed_year_per_level"),
            ),
            (
                year,
                "overflow",
                sum(
                    ay[(ay["need"] == r["need"]) & (ay["type"] == r["type"])]["beds"].sum()
                    * r["eur_per_bed_year"]
                    for r in run.scenario.get("overflow", [])
                ),
            ),
            (
                year,
                "unmet_penalty",
                sum(
                    u.beds * run.scenario["unmet"][u.need]["eur_per_bed_year"]
                    for u in run.unmet[run.unmet["year"] == year].itertuples()
                ),
            ),
        ]
        converted = p["converted_groups"].sum()
        for type_ in ("closed", "hybrid", "open"):
            removed = p[p["type"] == type_]["removed_groups"].sum()
            if type_ == "closed":
                removed -= converted
            charged = max(0.0, removed - v("free_group_removals_per_year"))
            paid[year] = (
                paid.get(year, 0.0) + charged * by_type("friction_eur_per_group_year")[type_]
            )
    for tau in range(run.years[0], run.years[-1] + friction_years):
        eur = sum(paid[t] for t in run.years if tau - friction_years < t <= tau)
        rows.append((tau, "friction", eur))
    out = pd.DataFrame(rows, columns=["year", "component", "eur"])
    out["eur_discounted"] = out["eur"] * out["year"].map(run.delta)
    return out


def test_recomputed_cost_equals_reported_objective(run):
    costs = recompute_costs(run)
    objective = run.summary["objective_eur"]
    assert costs["eur_discounted"].sum() == pytest.approx(objective, rel=1e-6)
    reported = run.costs.set_index(["year", "component"])["eur"]
    mine = costs.set_index(["year", "component"])["eur"]
    pd.testing.assert_series_equal(
        mine.sort_index(), reported.sort_index(), rtol=1e-6, atol=1e-3, check_names=False
    )


def test_budget_and_policy_limits(run):
    pol = run.scenario.get("policy", {})
    costs = recompute_costs(run)
    cash = (
        costs[costs["component"].isin(["running", "site", "setup", "school_transport", "friction"])]
        .groupby("year")["eur"]
        .sum()
    )
    for year, limit in pol.get("budget_eur_per_year", {}).get("values", {}).items():
        assert cash[int(year)] <= limit * (1 + 1e-9)
    beds = run.plan.pivot_table(index="year", columns="type", values="beds", aggfunc="sum").fillna(
        0
    )
    for year, cap in pol.get("max_closed_places", {}).get("values", {}).items():
        closed = beds["closed"].get(int(year), 0) if "closed" in beds else 0
        assert closed <= cap
    a = run.assignments
    used = a[a["type"] == "closed"].groupby("year")["beds"].sum()
    for year, cap in pol.get("max_closed_beds_used", {}).get("values", {}).items():
        assert used.get(int(year), 0.0) <= cap + TOL
    for rule in pol.get("min_places", []):
        for year in rule["years"]:
            have = sum(beds[t].get(year, 0) for t in rule["types"] if t in beds)
            assert have >= rule["places"]
    regions = run.sites["region"]
    for region, first in pol.get("hybrid_site_required_from", {}).get("values", {}).items():
        for year in run.years:
            if year >= first:
                hybrid = run.plan[
                    (run.plan["type"] == "hybrid")
                    & (run.plan["year"] == year)
                    & (run.plan["groups"] > 0)
                ]
                assert (hybrid["site_id"].map(regions) == region).any(), (region, year)


def test_zero_closed_scenario_has_no_closed_places_in_2030(shipped_runs):
    plan = Run(shipped_runs["zero-closed-2030"]).plan
    assert plan[(plan["year"] == 2030) & (plan["type"] == "closed")]["groups"].sum() == 0


def test_every_shipped_scenario_is_proven_optimal(shipped_runs):
    for folder in shipped_runs.values():
        solver = json.loads((folder / "summary.json").read_text())["solver"]
        assert solver["proven_optimal"] and solver["status"] == "optimal"
