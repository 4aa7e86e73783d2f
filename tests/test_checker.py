"""An independent check of every shipped scenario's plan, from the run folder alone.

Nothing here imports jzplan: the checker reads the CSVs and the resolved scenario with pandas and
yaml and re-derives every constraint and the objective from the model's documented mathematics.
"""

from __future__ import annotations

import calendar
import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import yaml

TOL = 1e-6


class Run:
    """One run folder's files; in a staged run (paths.csv) the rows of demand path ``path``."""

    def __init__(self, folder: Path, path: str | None = None):
        self.folder = folder

        def read(name):
            frame = pd.read_csv(folder / name, dtype={"gm_code": str, "path": str})
            if "path" in frame.columns and path is not None:
                frame = frame[frame["path"] == path].drop(columns="path")
            return frame.reset_index(drop=True)

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
        optional = lambda name: read(name) if (folder / name).exists() else None  # noqa: E731
        self.schools = optional("schools.csv")  # models.education: pupils per school and year
        self.school_pupils = optional("school_pupils.csv")
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
        "spuk-2024",
        "hybrid-at-closed-tariff",
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


TYPES = ("closed", "hybrid", "open")
CATEGORIES = ("closing", "converting", "alternatives", "vacancy", "project")


def days_of(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def split_cents(total: int, weights: dict[str, Fraction]) -> dict[str, int]:
    """Largest remainder: floors of the exact quotas, the cents left to the largest remainders,
    ties to the code that sorts first."""
    whole = sum(weights.values(), Fraction(0))
    quota = {code: total * w / whole for code, w in weights.items()}
    parts = {code: math.floor(q) for code, q in quota.items()}
    left = total - sum(parts.values())
    for code in sorted(quota, key=lambda c: (-(quota[c] - parts[c]), c))[:left]:
        parts[code] += 1
    return parts


def population_key(run: Run) -> dict[str, Fraction]:
    zones = pd.read_csv(run.folder / "inputs" / "zones.csv", dtype={"gm_code": str})
    pairs = zip(zones["gm_code"], zones["population"], strict=True)
    return {z: Fraction(int(round(p))) for z, p in pairs}


def contract_value(run: Run) -> tuple[int, dict[str, Fraction]]:
    """The contract value in cents and the day tariff per type, re-derived from the scenario:
    with ``tariff_from_advance`` the value nearest to advance / share that splits exactly."""
    spec = run.scenario["settlement"]
    days = days_of(spec["year"])
    c = run.scenario["costs"]["running_eur_per_place_year"]["values"]
    tariffs = {k: Fraction(Decimal(repr(float(v)))) / days for k, v in c.items()}
    places = {k: int(n) for k, n in spec["contract_places"].items() if n}
    advance = spec.get("tariff_from_advance")
    if spec.get("day_tariff_eur"):
        tariffs.update(
            {k: Fraction(Decimal(repr(float(v)))) for k, v in spec["day_tariff_eur"].items()}
        )
    elif advance:
        assert spec["key"] == "population", "the checker re-derives population keys only"
        key = population_key(run)
        share = key[advance["gm_code"]] / sum(key.values())
        cents = int(round(advance["advance_eur"] * 100))
        quota = cents / share
        near = sorted(range(math.floor(quota) - 200, math.floor(quota) + 201),
                      key=lambda v: (abs(v - quota), v))  # fmt: skip
        value = next(v for v in near if split_cents(v, key)[advance["gm_code"]] == cents)
        priced = spec.get("tariff_types") or list(places)
        other = sum(n * tariffs[k] * days for k, n in places.items() if k not in priced)
        tariff = (Fraction(value, 100) - other) / (
            sum(places[k] for k in priced if k in places) * days
        )
        tariffs.update({k: tariff for k in priced})
    value = sum(n * tariffs[k] * days for k, n in places.items()) * 100
    return int(math.floor(value + Fraction(1, 2))), tariffs


def running_costs(run: Run) -> dict[str, float]:
    """Running cost per place-year by type: the contract's day tariff × days where it prices the
    type (settlement), else costs.running_eur_per_place_year."""
    spec = run.scenario.get("settlement")
    given = run.scenario["costs"]["running_eur_per_place_year"]["values"]
    running = {k: float(v) for k, v in given.items()}
    if spec and (spec.get("tariff_from_advance") or spec.get("day_tariff_eur")):
        _, tariffs = contract_value(run)
        days = days_of(spec["year"])
        for k in set(TYPES) - set(given):
            running[k] = float(tariffs[k] * days)
    return running


def optional_values(costs: dict, name: str) -> dict:
    return (costs.get(name) or {}).get("values", {}) or {}


def optional_value(costs: dict, name: str, default=0.0):
    return (costs.get(name) or {}).get("value", default)


def site_open(run: Run) -> dict[tuple[str, int], bool]:
    """Open = runs at least one group; before the first year, open when it had groups."""
    groups = run.plan.groupby(["site_id", "year"])["groups"].sum()
    opened = {}
    for site in run.sites.index:
        had = any(run.sites.at[site, f"existing_{k}"] > 0 for k in TYPES)
        opened[site, run.years[0] - 1] = had
        for year in run.years:
            opened[site, year] = groups.get((site, year), 0) > 0
    return opened


def recompute(run: Run) -> tuple[pd.DataFrame, dict[tuple[str, int], float]]:
    """Every cost component per year from the documented formulas, and the cash per funding
    category and year."""
    c = run.scenario["costs"]
    v = lambda name: c[name]["value"]  # noqa: E731
    by_type = lambda name: c[name]["values"]  # noqa: E731
    running_cost = running_costs(run)
    plan, a = run.plan, run.assignments.copy()
    rows, categories = [], {}
    school_km = run.sites["school_km"].fillna(0).where(~run.sites["school_on_site"], 0)
    levels = {"open": 0, "hybrid": 1, "closed": 2}
    need_levels = {"open": 0, "hybrid": 1, "secure": 2}
    a["extra"] = (a["type"].map(levels) - a["need"].map(need_levels)).clip(lower=0)
    friction_years = int(v("friction_years"))
    redundancy = optional_values(c, "redundancy_eur_per_group")
    writeoff = optional_values(c, "writeoff_eur_per_group")
    writeoff_years = int(round(optional_value(c, "writeoff_years", 0) or 0))
    project = {int(t): e for t, e in optional_values(c, "project_eur_per_year").items()}
    site_exit = optional_value(c, "site_exit_eur") or 0.0
    opened = site_open(run)
    paid, exits = {}, {}
    for year in run.years:
        p = plan[plan["year"] == year]
        ay = a[a["year"] == year]
        running = (p["beds"] * p["type"].map(running_cost)).sum()
        sites_open = p[p["groups"] > 0]["site_id"].nunique()
        new = p["type"].map(by_type("setup_new_eur_per_group"))
        conv = p["type"].map(by_type("setup_conversion_eur_per_group"))
        setup = (
            (p["added_groups"] - p["converted_groups"]) * new + p["converted_groups"] * conv
        ).sum()
        converted = p["converted_groups"].sum()
        exit_eur = 0.0
        for type_ in TYPES:
            removed = p[p["type"] == type_]["removed_groups"].sum()
            if type_ == "closed":
                removed -= converted
            charged = max(0.0, removed - v("free_group_removals_per_year"))
            paid[year] = (
                paid.get(year, 0.0) + charged * by_type("friction_eur_per_group_year")[type_]
            )
            exit_eur += charged * redundancy.get(type_, 0.0)
        closes = sum(opened[s, year - 1] and not opened[s, year] for s in run.sites.index)
        exit_eur += closes * site_exit
        exit_eur += undone_conversions(run, year, writeoff_years, writeoff)
        exits[year] = exit_eur
        rows += [
            (year, "running", running),
            (year, "site", sites_open * v("site_eur_per_year")),
            (year, "setup", setup),
            (year, "exit", exit_eur),
            (year, "project", float(project.get(year, 0.0))),
            (
                year,
                "travel",
                (ay["beds"] * ay["distance_km"]).sum() * v("travel_eur_per_bed_km_year"),
            ),
            (year, "school_transport", school_transport(run, year, ay, school_km)),
            (year, "education", education_cost(run, year)),
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
        closed_new = p[p["type"] == "closed"]["added_groups"].sum()
        others = p[p["type"] != "closed"]
        categories["converting", year] = float(
            (p["converted_groups"] * conv).sum()
            + closed_new * by_type("setup_new_eur_per_group")["closed"]
        )
        categories["alternatives", year] = float(
            ((others["added_groups"] - others["converted_groups"]) * new[others.index]).sum()
        )
        categories["project", year] = float(project.get(year, 0.0))
        vac = vacancy_by_site(run).reset_index()
        categories["vacancy", year] = float(vac[vac["year"] == year]["vacancy_eur"].sum())
    for tau in range(run.years[0], run.years[-1] + friction_years):
        eur = sum(paid[t] for t in run.years if tau - friction_years < t <= tau)
        rows.append((tau, "friction", eur))
        if tau in exits:
            categories["closing", tau] = eur + exits[tau]
    out = pd.DataFrame(rows, columns=["year", "component", "eur"])
    out["eur_discounted"] = out["eur"] * out["year"].map(run.delta)
    return out, categories


def school_transport(run: Run, year: int, ay: pd.DataFrame, school_km: pd.Series) -> float:
    """EUR per bed-km-year × pupils × km site → school (school_pupils.csv), or each site's
    school km without the education block."""
    rate = run.scenario["costs"]["school_transport_eur_per_bed_km_year"]["value"]
    if run.school_pupils is None:
        return (ay["beds"] * ay["site_id"].map(school_km)).sum() * rate
    sp = run.school_pupils[run.school_pupils["year"] == year]
    return float((sp["pupils"] * sp["km"]).sum() * rate)


def school_terms(run: Run) -> pd.DataFrame:
    """Each school's terms from the resolved scenario alone: ``education.schools.<id>`` over
    ``education.school_terms.<kind>``; ``offer_<site>`` from the site's ``offer_on_site``."""
    edu = run.scenario["education"]
    kinds, own = edu.get("school_terms") or {}, edu.get("schools") or {}
    rows = {}
    for r in run.schools.drop_duplicates("school_id").itertuples():
        terms = {"capacity_pupils": None, "min_pupils": 0.0, "fixed_eur_per_year": 0.0,
                 "closing_eur": 0.0, "setup_eur": 0.0,
                 "without_host_eur_per_year": None}  # fmt: skip
        terms.update({k: v for k, v in (kinds.get(r.kind) or {}).items() if k in terms})
        terms.update({k: v for k, v in (own.get(r.school_id) or {}).items()
                      if k in terms and v is not None})  # fmt: skip
        if r.school_id.startswith("offer_"):
            site = r.school_id.removeprefix("offer_")
            offer = run.scenario["sites"][site]["education"]["offer_on_site"]
            terms = {**terms, "capacity_pupils": offer.get("capacity_pupils"),
                     "min_pupils": offer.get("min_pupils", 0.0), "setup_eur": offer["setup_eur"],
                     "fixed_eur_per_year": offer["eur_per_year"], "closing_eur": 0.0}  # fmt: skip
        rows[r.school_id] = terms
    return pd.DataFrame.from_dict(rows, orient="index")


def host_runs(run: Run, site: str, year: int) -> bool:
    p = run.plan
    return bool(((p["site_id"] == site) & (p["year"] == year) & (p["groups"] > 0)).any())


def education_cost(run: Run, year: int) -> float:
    """Σ over the schools in use of their yearly cost, plus closing and set-up costs of the
    year's stops and starts, plus the price of a school kept with its host site empty."""
    if run.schools is None:
        return 0.0
    terms = school_terms(run)
    total = 0.0
    for r in run.schools[run.schools["year"] == year].itertuples():
        t = terms.loc[r.school_id]
        total += t["fixed_eur_per_year"] * bool(r.in_use) + t["closing_eur"] * bool(r.stopped)
        total += t["setup_eur"] * bool(r.started)
        host = "" if pd.isna(r.host_site) else str(r.host_site)
        if host and r.in_use and not host_runs(run, host, year):
            total += t["without_host_eur_per_year"] or 0.0
    return float(total)


def undone_conversions(run, year: int, span: int, writeoff: dict) -> float:
    """Write-off of year ``year``, simulated group by group: each site's converted groups are kept
    as cohorts by conversion year; a removal takes the groups that are not recent conversions
    first, then the youngest cohort (the cohort that leaves the window last), and every cohort
    group removed within ``span`` years of its conversion is written off once."""
    if span <= 1:
        return 0.0
    plan = run.plan.sort_values("year")
    total = 0.0
    for (site, type_), rows in plan[plan["type"] != "closed"].groupby(["site_id", "type"]):
        cohorts: dict[int, int] = {}  # conversion year -> its groups still there
        before = dict(zip(rows["year"] + 1, rows["groups"], strict=True))
        before[run.years[0]] = int(run.sites.at[site, f"existing_{type_}"])
        for row in rows.itertuples():
            groups = int(before.get(row.year, 0))  # a year without a row has no groups
            recent = {c: n for c, n in cohorts.items() if row.year - span < c < row.year}
            from_cohorts = max(0, int(row.removed_groups) - (groups - sum(recent.values())))
            undone = 0
            for c in sorted(recent, reverse=True):
                taken = min(from_cohorts - undone, cohorts[c])
                cohorts[c] -= taken
                undone += taken
            if row.year == year:
                total += undone * writeoff.get(type_, 0.0)
            if row.converted_groups:
                cohorts[row.year] = int(row.converted_groups)
    return total


def recompute_costs(run: Run) -> pd.DataFrame:
    return recompute(run)[0]


def vacancy_by_site(run: Run) -> pd.DataFrame:
    """running cost × (places − occupied beds) per site, type and year, from plan and
    assignments alone."""
    running = running_costs(run)
    places = run.plan[run.plan["beds"] > 0].groupby(["year", "site_id", "type"])["beds"].sum()
    used = run.assignments.groupby(["year", "site_id", "type"])["beds"].sum()
    frame = pd.DataFrame({"places": places, "used": used}).fillna(0.0)
    assert (frame.loc[frame["used"] > 0, "places"] > 0).all()  # no beds without places
    running_eur = frame.index.get_level_values("type").map(running)
    frame["vacancy_eur"] = running_eur * (frame["places"] - frame["used"])
    return frame


def cash_kinds(run: Run) -> dict[str, str]:
    cash = {"running", "site", "setup", "friction", "exit", "project", "school_transport"}
    cash.add("education")
    if run.scenario["costs"].get("travel_reimbursed"):
        cash.add("travel")
    weights = {"travel", "restrictiveness", "overflow", "unmet_penalty"} - cash
    return {**{name: "cash" for name in cash}, **{name: "weight" for name in weights}}


def test_recomputed_cost_equals_reported_objective(run):
    costs = recompute_costs(run)
    objective = run.summary["objective_eur"]
    assert costs["eur_discounted"].sum() == pytest.approx(objective, rel=1e-6)
    reported = run.costs.set_index(["year", "component"])["eur"]
    mine = costs.set_index(["year", "component"])["eur"]
    pd.testing.assert_series_equal(
        mine.sort_index(), reported.sort_index(), rtol=1e-6, atol=1e-3, check_names=False
    )


def test_cash_and_weights_are_apart_and_add_up(run):
    """Cash total = the cash components summed; weighted total = the objective."""
    kinds = cash_kinds(run)
    assert (run.costs["kind"] == run.costs["component"].map(kinds)).all()
    costs = recompute_costs(run)
    costs["kind"] = costs["component"].map(kinds)
    cash = costs[costs["kind"] == "cash"]
    weights = costs[costs["kind"] == "weight"]
    s = run.summary
    assert s["cash_total_eur"] == pytest.approx(cash["eur"].sum(), rel=1e-6)
    assert s["cash_total_discounted_eur"] == pytest.approx(cash["eur_discounted"].sum(), rel=1e-6)
    assert s["weights_total_discounted_eur"] == pytest.approx(
        weights["eur_discounted"].sum(), rel=1e-6, abs=1e-3
    )
    assert s["weighted_total_eur"] == pytest.approx(s["objective_eur"], rel=1e-6)
    assert s["weighted_total_eur"] == pytest.approx(
        cash["eur_discounted"].sum() + weights["eur_discounted"].sum(), rel=1e-6
    )


def test_vacancy_is_running_cost_of_empty_places(run):
    vacancy = pd.read_csv(run.folder / "vacancy.csv").set_index(["year", "site_id", "type"])
    mine = vacancy_by_site(run)
    assert set(vacancy.index) == set(mine.index)
    for key, row in mine.iterrows():
        assert vacancy.at[key, "places"] == row["places"], key
        assert vacancy.at[key, "occupied_beds"] == pytest.approx(row["used"], abs=1e-6), key
        assert vacancy.at[key, "vacancy_eur"] == pytest.approx(
            row["vacancy_eur"], rel=1e-9, abs=1e-4
        )
    by_year = vacancy.groupby("year")["vacancy_eur"].sum()
    assert {int(t): v for t, v in by_year.items()} == pytest.approx(
        {int(t): v for t, v in run.summary["vacancy_by_year"].items()}
    )


def pots_paid(run: Run) -> dict[int, float]:
    pots = pd.read_csv(run.folder / "pots.csv")
    return {int(t): float(v) for t, v in pots.groupby("year")["paid_eur"].sum().items()}


def test_pots_keep_amounts_windows_categories_and_order(run):
    pots = pd.read_csv(run.folder / "pots.csv")
    spec = (run.scenario.get("funding") or {}).get("pots", [])
    assert set(pots["pot"]) == {pot["name"] for pot in spec}
    _, cash = recompute(run)
    charged_total: dict = {}
    for pot in spec:
        rows = pots[pots["pot"] == pot["name"]].sort_values("year")
        assert set(rows["year"]) == set(pot["years"]) & set(run.years)
        assert rows["paid_eur"].sum() <= pot["amount_eur"] + 0.05
        left = pot["amount_eur"] - rows["paid_eur"].cumsum()
        assert rows["remaining_eur"].to_numpy() == pytest.approx(
            left.clip(lower=0).to_numpy(), abs=0.05
        )
        share = pot.get("cofinancing_share", 0.0)
        for c in CATEGORIES:
            paid = rows[f"paid_{c}_eur"]
            if c not in pot["categories"]:
                assert (paid.abs() < 1e-6).all(), (pot["name"], c)
            for year, eur in zip(rows["year"], paid, strict=True):
                charged_total[c, year] = charged_total.get((c, year), 0.0) + eur / (1 - share)
        assert rows["cofinanced_eur"].sum() == pytest.approx(
            share / (1 - share) * rows["paid_eur"].sum(), abs=0.05
        )
    for key, eur in charged_total.items():  # the pots never pay more than the cash there is
        assert eur <= cash.get(key, 0.0) + 0.05, key
    for pot in spec:  # c only where a and b are covered
        rows = pots[pots["pot"] == pot["name"]]
        if any(rows[f"paid_{c}_eur"].sum() > 0.05 for c in pot.get("paid_after", [])):
            window = set(pot["years"]) & set(run.years)
            for d in pot.get("covered_first", []):
                for year in window:
                    assert charged_total.get((d, year), 0.0) == pytest.approx(
                        cash.get((d, year), 0.0), abs=0.05
                    ), (pot["name"], d, year)
    own = run.summary["funding_by_year"]
    for year, row in own.items():
        assert row["pots_eur"] == pytest.approx(pots_paid(run).get(int(year), 0.0), abs=1e-6)
        assert row["own_eur"] == pytest.approx(row["cash_eur"] - row["pots_eur"], abs=1e-6)


def test_provider_revenue_and_viability(run):
    provider = pd.read_csv(run.folder / "provider.csv")
    running = running_costs(run)
    sites = run.scenario["sites"]
    spec = run.scenario.get("settlement") or {}
    contract_types = set()
    if spec.get("day_tariff_eur"):
        contract_types = set(spec["day_tariff_eur"])
    elif spec.get("tariff_from_advance"):
        contract_types = set(spec.get("tariff_types") or
                             [k for k, n in spec["contract_places"].items() if n])  # fmt: skip
    providers = {s: v.get("provider", "Almata") for s, v in sites.items()}
    plan = run.plan.assign(provider=run.plan["site_id"].map(providers))
    plan["revenue"] = plan["beds"] * plan["type"].map(running)
    plan["contract"] = plan["revenue"].where(plan["type"].isin(contract_types), 0.0)
    rules = {r["name"]: r for r in run.scenario.get("providers", [])}
    for row in provider.itertuples(index=False):
        mine = plan[(plan["provider"] == row.provider) & (plan["year"] == row.year)]
        assert row.places == mine["beds"].sum()
        assert row.revenue_eur == pytest.approx(mine["revenue"].sum(), rel=1e-9, abs=1e-6)
        assert row.contract_revenue_eur == pytest.approx(mine["contract"].sum(), rel=1e-9, abs=1e-6)
        rule = rules.get(row.provider)
        if rule is None:
            continue
        level = rule["overhead_eur_per_year"] / rule["overhead_share"]
        assert row.viability_level_eur == pytest.approx(level)
        assert row.shortfall_eur == pytest.approx(max(0.0, level - row.revenue_eur), abs=1e-6)
        uncovered = max(
            0.0, rule["overhead_eur_per_year"] - rule["overhead_share"] * row.revenue_eur
        )
        if uncovered > 1e-6 and row.contract_revenue_eur > 0:
            assert row.tariff_increase_share == pytest.approx(uncovered / row.contract_revenue_eur)
            # the check of the claim: the higher tariff carries the overhead at the same volume
            raised = row.revenue_eur + row.tariff_increase_share * row.contract_revenue_eur
            direct = (1 - rule["overhead_share"]) * row.revenue_eur
            assert raised - direct == pytest.approx(rule["overhead_eur_per_year"])
        if rule.get("min_revenue"):
            assert row.revenue_eur >= level - 1e-3


def test_budget_and_policy_limits(run):
    pol = run.scenario.get("policy", {})
    costs = recompute_costs(run)
    kinds = cash_kinds(run)
    cash = costs[costs["component"].map(kinds) == "cash"].groupby("year")["eur"].sum()
    from_pots = pots_paid(run)
    for year, limit in pol.get("budget_eur_per_year", {}).get("values", {}).items():
        own = cash[int(year)] - from_pots.get(int(year), 0.0)  # the municipalities' own money
        assert own <= limit * (1 + 1e-9)
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


def test_oosterhout_advance_is_the_letters_to_the_cent(shipped_runs):
    """The contract value re-derived here splits by population to exactly EUR 440,542.08 for
    Oosterhout, and advances.csv of the contract year adds up to that value for the contract's
    places."""
    run = Run(shipped_runs["baseline-2026"])
    value, tariffs = contract_value(run)
    key = population_key(run)
    assert split_cents(value, key)["GM0826"] == 44_054_208
    assert sum(split_cents(value, key).values()) == value
    spec = run.scenario["settlement"]
    assert value == int(
        math.floor(24 * tariffs["closed"] * days_of(spec["year"]) * 100 + Fraction(1, 2))
    )


def test_zero_closed_scenario_has_no_closed_places_in_2030(shipped_runs):
    plan = Run(shipped_runs["zero-closed-2030"]).plan
    assert plan[(plan["year"] == 2030) & (plan["type"] == "closed")]["groups"].sum() == 0


def test_every_shipped_scenario_is_proven_optimal(shipped_runs):
    for folder in shipped_runs.values():
        solver = json.loads((folder / "summary.json").read_text())["solver"]
        assert solver["proven_optimal"] and solver["status"] == "optimal"


# -- trips and near-optimal alternatives (summary.json ``trips``; jzplan alternatives) ----------


def _trip_stats(rows: list[tuple[float, float, bool]]) -> dict:
    """(km, beds, within) rows: longest, p90 (the smallest km that at least 90 % of the beds
    travel at most, walking the beds in order of km) and the share within the limit."""
    rows = sorted(r for r in rows if r[1] > 0)
    total = sum(beds for _, beds, _ in rows)
    if total <= 0:
        return {"bed_years": 0.0, "longest_km": None, "p90_km": None, "share_within_limit": None}
    reached, p90 = 0.0, None
    for km, beds, _ in rows:
        reached += beds
        if p90 is None and reached >= 0.9 * total - 1e-9 * total:
            p90 = km
    within = sum(beds for _, beds, ok in rows if ok)
    return {"bed_years": total, "longest_km": rows[-1][0], "p90_km": p90,
            "share_within_limit": within / total}  # fmt: skip


def trip_figures(run: Run) -> dict:
    """summary.json ``trips`` re-derived from assignments.csv, inputs/zones.csv (home region)
    and inputs/place_types.csv (``max_km``), over all plan years."""
    zones = pd.read_csv(run.folder / "inputs" / "zones.csv", dtype={"gm_code": str})
    region = dict(zip(zones["gm_code"], zones["region"].astype(str), strict=True))
    limit = run.types["max_km"].to_dict()
    rows: dict[str, list] = {}
    for a in run.assignments.itertuples(index=False):
        ok = a.distance_km <= limit[a.type] + 1e-9
        rows.setdefault(region[a.gm_code], []).append((a.distance_km, a.beds, ok))
    every = [row for part in rows.values() for row in part]
    return {"all": _trip_stats(every), "by_region": {r: _trip_stats(v) for r, v in rows.items()}}


def flat(tree: dict, prefix: str = "") -> dict:
    """A nested dict as ``{dotted.key: value}`` (for pytest.approx)."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out |= flat(value, f"{prefix}{key}.")
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_summary_trips_are_the_assignments(run):
    assert flat(trip_figures(run)) == pytest.approx(flat(run.summary["trips"]))


def site_type_years(run: Run) -> set[tuple[str, str, int]]:
    """(site, type, year) in which the plan runs groups (plan.csv ``groups`` > 0)."""
    running = run.plan[run.plan["groups"] > 0]
    return set(zip(running["site_id"], running["type"], running["year"].astype(int), strict=True))


def test_schools_teach_every_youth_within_capacity_and_viability(run):
    """Every youth placed goes to a school; a school's pupils stay within its capacity (the
    scenario's terms), a school in use with a minimum has at least that many, a school not in
    use has none, a school on a care site's grounds runs only while that site runs groups (or
    at the scenario's price), a stop or start follows the year before."""
    if run.schools is None:
        pytest.skip("run without the education block")
    sp, sc = run.school_pupils, run.schools
    taught = sp.groupby(["year", "site_id", "type"])["pupils"].sum()
    placed = run.assignments.groupby(["year", "site_id", "type"])["beds"].sum()
    pd.testing.assert_series_equal(
        taught.sort_index(), placed.sort_index(), rtol=1e-6, atol=1e-6, check_names=False
    )
    assert (sp["km"] <= run.scenario["education"]["max_school_km"] + TOL).all()
    terms = school_terms(run)
    pupils = sp.groupby(["year", "school_id"])["pupils"].sum()
    previous = {}
    for r in sc.sort_values("year").itertuples():
        n = float(pupils.get((r.year, r.school_id), 0.0))
        assert n == pytest.approx(r.pupils, abs=1e-6)
        cap = terms.at[r.school_id, "capacity_pupils"]
        if cap is not None and not pd.isna(cap):
            assert n <= cap + TOL, (r.school_id, r.year, n, cap)
        if not r.in_use:
            assert n <= TOL, (r.school_id, r.year, "pupils at a school not in use")
        elif r.decided:
            assert n >= terms.at[r.school_id, "min_pupils"] - TOL, (r.school_id, r.year, n)
        host = "" if pd.isna(r.host_site) else str(r.host_site)
        if host and r.in_use and not host_runs(run, host, r.year):
            assert terms.at[r.school_id, "without_host_eur_per_year"] is not None, (
                r.school_id, r.year, "a school on an empty site")  # fmt: skip
        if r.decided:
            before = previous.get(r.school_id, not r.school_id.startswith("offer_"))
            assert bool(r.stopped) == (before and not r.in_use), (r.school_id, r.year)
            assert bool(r.started) == (r.in_use and not before), (r.school_id, r.year)
            previous[r.school_id] = bool(r.in_use)


# --- staged runs (demand paths) ----------------------------------------------------------------


def check_staged(folder: Path) -> None:
    """A staged run folder: every path has its rows in every year, the decisions of a year are
    the same on every path that shares that year's node (summary.json ``stochastic.nodes``), and
    the expected cost is Σ probability × path cost, each path cost re-derived from its files."""
    summary = json.loads((folder / "summary.json").read_text())
    st = summary["stochastic"]
    paths = pd.read_csv(folder / "paths.csv", dtype={"path": str})
    assert list(paths["path"]) == st["paths"]
    assert paths["probability"].sum() == pytest.approx(1.0)
    plan = pd.read_csv(folder / "plan.csv", dtype={"path": str})
    assert set(plan["path"]) <= set(st["paths"])
    groups = (
        plan.pivot_table(
            index=["site_id", "type", "year"], columns="path", values="groups", aggfunc="sum"
        )
        .reindex(columns=st["paths"])
        .fillna(0)
    )
    for year in sorted(set(plan["year"])):
        by_node: dict[str, list[str]] = {}
        for w in st["paths"]:
            by_node.setdefault(st["nodes"][w][str(year)], []).append(w)
        rows = groups[groups.index.get_level_values("year") == year]
        for node, members in by_node.items():
            same = rows[members].nunique(axis=1) <= 1
            assert same.all(), f"year {year}, node {node}: groups differ across {members}"
    for year in st["first_stage_years"]:
        assert all(st["nodes"][w][str(year)] == "root" for w in st["paths"])
    expected = 0.0
    for w, probability in zip(paths["path"], paths["probability"], strict=True):
        cost = recompute_costs(Run(folder, path=w))["eur_discounted"].sum()
        assert cost == pytest.approx(st["cost_by_path_eur"][w], rel=1e-6)
        expected += probability * cost
    assert expected == pytest.approx(st["expected_cost_eur"], rel=1e-6)
    assert st["evpi_eur"] >= -1e-6 * abs(st["expected_cost_eur"])
    if st["vss_eur"] is not None:
        assert st["vss_eur"] >= -1e-6 * abs(st["expected_cost_eur"])
