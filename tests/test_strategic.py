"""The strategic MILP on small instances whose optimum is derived by hand or by enumeration."""

from __future__ import annotations

import copy
import itertools

import numpy as np
import pytest
from scipy.optimize import linprog

from optimizer.pipeline import ScenarioInfeasible, load, solve_plan
from tests.fixtures import tiny


def solve_tiny(tmp_path, scenario, zones, demand, km):
    path = tiny.write(tmp_path, scenario, zones, demand, km)
    plan = solve_plan(load(path))
    result, solution, summary = plan.result, plan.solution, plan.summary
    assert result.proven_optimal
    return solution, summary


def groups(solution, site, type_, year):
    plan = solution.plan
    rows = plan[(plan.site_id == site) & (plan.type == type_) & (plan.year == year)]
    return int(rows["groups"].sum())


def test_conversion_beats_new_build(tmp_path):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed", "hybrid"], existing={"closed": 1})}
    sc["costs"]["setup_new_eur_per_group"]["values"]["hybrid"] = 100
    sc["costs"]["setup_conversion_eur_per_group"]["values"]["hybrid"] = 30
    sc["costs"]["friction_eur_per_group_year"]["values"]["closed"] = 50
    sc["costs"]["restrictiveness_eur_per_bed_year_per_level"]["value"] = 1000
    # options by hand: keep closed and place the hybrid youth there: 1000; new hybrid group: 100;
    # new hybrid and close the closed group: 150; convert the closed group: 30.
    solution, summary = solve_tiny(
        tmp_path, sc, [("Z", "R1")], [(2026, "Z", "hybrid", 1.0)], {("Z", "s"): 5}
    )
    assert summary["objective_eur"] == pytest.approx(30)
    assert groups(solution, "s", "hybrid", 2026) == 1
    assert groups(solution, "s", "closed", 2026) == 0
    plan = solution.plan.set_index(["site_id", "type"])
    assert plan.loc[("s", "hybrid"), "converted_groups"] == 1


def test_friction_keeps_a_site_open_a_year_longer(tmp_path):
    def scenario(friction):
        sc = tiny.base_scenario(years=(2026, 2027, 2028))
        sc["sites"] = {"a": tiny.site("A", "Z", ["open"], existing={"open": 2})}
        sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 10
        sc["costs"]["friction_eur_per_group_year"]["values"]["open"] = friction
        sc["costs"]["free_group_removals_per_year"]["value"] = 1
        return sc

    demand = [(2026, "Z", "open", 2.0), (2027, "Z", "open", 0.0), (2028, "Z", "open", 0.0)]
    km = {("Z", "a"): 1}
    # no friction: close both groups in 2027, cost = 2 places x 10 in 2026 = 20
    without, s0 = solve_tiny(tmp_path / "a", scenario(0), [("Z", "R1")], demand, km)
    assert s0["objective_eur"] == pytest.approx(20)
    assert groups(without, "a", "open", 2027) == 0
    # friction 100 per group beyond one free removal a year: closing both in 2027 costs 20 + 100;
    # closing one in 2027 and the other in 2028 costs 20 + 10 = 30 (optimal)
    with_friction, s1 = solve_tiny(tmp_path / "b", scenario(100), [("Z", "R1")], demand, km)
    assert s1["objective_eur"] == pytest.approx(30)
    assert groups(with_friction, "a", "open", 2027) == 1
    assert groups(with_friction, "a", "open", 2028) == 0


def test_budget_infeasibility_names_the_limit_and_amount(tmp_path):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"])}
    sc["costs"]["running_eur_per_place_year"]["values"]["closed"] = 10
    sc["policy"] = {
        "fixed_groups": [{"site": "s", "type": "closed", "years": [2026], "groups": 3, **tiny.A}],
        "budget_eur_per_year": {"values": {2026: 20}, **tiny.A},
    }
    path = tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5})
    with pytest.raises(ScenarioInfeasible) as info:
        solve_plan(load(path))
    text = " ".join(info.value.explanations)
    assert "Budget 2026" in text
    assert "EUR 10 more than the limit of EUR 20" in text


def test_min_places_infeasibility_says_how_short(tmp_path):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"], max_groups=2)}
    sc["policy"] = {"min_places": [{"name": "contract", "years": [2026], "types": ["closed"],
                                    "places": 10, **tiny.A}]}  # fmt: skip
    path = tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "secure", 1.0)], {("Z", "s"): 5})
    with pytest.raises(ScenarioInfeasible) as info:
        solve_plan(load(path))
    text = " ".join(info.value.explanations)
    assert "Minimum 'contract' in 2026" in text and "8 short" in text


def test_arcs_beyond_the_distance_limit_are_not_used(tmp_path):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"far": tiny.site("Far away", "Y", ["closed"])}
    sc["place_types"]["closed"]["max_km"] = 50
    solution, summary = solve_tiny(
        tmp_path, sc, [("Z", "R1"), ("Y", "R2")], [(2026, "Z", "secure", 1.0)],
        {("Z", "far"): 80, ("Y", "far"): 1},
    )  # fmt: skip
    assert summary["unmet_total_beds"] == pytest.approx(1.0)
    assert solution.assignments.empty
    assert "is 80 km away (limit 50 km for closed)" in summary["explanations"][0]


def brute_force(demand, km, site_cost, place_cost, km_cost, group_size, max_groups):
    """Enumerate group counts per site; solve each transport problem with scipy's LP."""
    zones, sites = len(demand), len(site_cost)
    best = np.inf
    for counts in itertools.product(range(max_groups + 1), repeat=sites):
        cap = np.array(counts) * group_size
        if cap.sum() < sum(demand):
            continue
        fixed = sum(site_cost[j] + place_cost * cap[j] for j in range(sites) if counts[j])
        c = np.array([km_cost * km[i][j] for i in range(zones) for j in range(sites)])
        a_eq = np.zeros((zones, zones * sites))
        for i in range(zones):
            a_eq[i, i * sites : (i + 1) * sites] = 1
        a_ub = np.zeros((sites, zones * sites))
        for j in range(sites):
            a_ub[j, j::sites] = 1
        lp = linprog(c, A_ub=a_ub, b_ub=cap, A_eq=a_eq, b_eq=demand, method="highs")
        best = min(best, fixed + lp.fun)
    return best


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_single_year_optimum_equals_enumeration(tmp_path, seed):
    rng = np.random.default_rng(seed)
    demand = rng.integers(1, 6, size=3).astype(float).tolist()
    km = rng.integers(1, 40, size=(3, 3)).tolist()
    site_cost = rng.integers(50, 400, size=3).tolist()
    sc = tiny.base_scenario(years=(2026,))
    sc["place_types"]["closed"]["group_size"] = 3
    sc["costs"]["running_eur_per_place_year"]["values"]["closed"] = 20
    sc["costs"]["travel_eur_per_bed_km_year"]["value"] = 2
    sc["costs"]["site_eur_per_year"]["value"] = 0
    zones = [(f"Z{i}", "R1") for i in range(3)]
    sites = {f"s{j}": tiny.site(f"S{j}", f"Z{j}", ["closed"], max_groups=2) for j in range(3)}
    sc["sites"] = sites
    # site-specific fixed cost: express it as a per-site set-up of one group via existing=0 and
    # new-build cost would couple to group counts, so compare without site cost differences:
    expected = brute_force(demand, km, [0, 0, 0], 20, 2, 3, 2)
    solution, summary = solve_tiny(
        tmp_path, copy.deepcopy(sc), zones,
        [(2026, f"Z{i}", "secure", d) for i, d in enumerate(demand)],
        {(f"Z{i}", f"s{j}"): km[i][j] for i in range(3) for j in range(3)},
    )  # fmt: skip
    assert summary["objective_eur"] == pytest.approx(expected, rel=1e-9)
    # and with a fixed cost per open site
    sc["costs"]["site_eur_per_year"]["value"] = site_cost[0]
    expected = brute_force(demand, km, [site_cost[0]] * 3, 20, 2, 3, 2)
    solution, summary = solve_tiny(
        tmp_path / "b", sc, zones,
        [(2026, f"Z{i}", "secure", d) for i, d in enumerate(demand)],
        {(f"Z{i}", f"s{j}"): km[i][j] for i in range(3) for j in range(3)},
    )  # fmt: skip
    assert summary["objective_eur"] == pytest.approx(expected, rel=1e-9)


def test_service_level_sizes_places_by_erlang_b(tmp_path):
    # load 3 beds: B(6, 3) = 0.0522 > 5 % >= B(7, 3) = 0.0223, so 7 places of size 1 are needed
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["closed"], max_groups=10)}
    sc["costs"]["running_eur_per_place_year"]["values"]["closed"] = 1
    sc["capacity_rule"] = "service_level"
    sc["service_level"] = {"max_refusal_probability": 0.05, **tiny.A}
    solution, summary = solve_tiny(
        tmp_path, sc, [("Z", "R1")], [(2026, "Z", "secure", 3.0)], {("Z", "s"): 1}
    )
    assert groups(solution, "s", "closed", 2026) == 7
    assert summary["unmet_total_beds"] == pytest.approx(0)
