"""Service-level pools: sites that share places need fewer groups than separate pools."""

from __future__ import annotations

import pytest

from optimizer.pipeline import load, solve_plan
from optimizer.scenario import ScenarioError
from tests.fixtures import tiny

# Erlang B by hand (recursion B(c) = a B(c-1) / (c + a B(c-1))), group size 1 place:
#   load 3: B(6, 3) = 0.0522 > 5 % >= B(7, 3) = 0.0219  -> 7 places per site, 14 for two sites
#   load 6: B(9, 6) = 0.0751 > 5 % >= B(10, 6) = 0.0431 -> 10 places for both sites as one pool
ZONES = [("Z1", "R1"), ("Z2", "R2")]
DEMAND = [(2026, "Z1", "secure", 3.0), (2026, "Z2", "secure", 3.0)]
KM = {("Z1", "s1"): 1, ("Z2", "s2"): 1, ("Z1", "s2"): 500, ("Z2", "s1"): 500}  # 500 > max_km


def scenario(pools: dict | None = None) -> dict:
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {
        "s1": tiny.site("S1", "Z1", ["closed"], max_groups=10),
        "s2": tiny.site("S2", "Z2", ["closed"], max_groups=10),
    }
    sc["costs"]["running_eur_per_place_year"]["values"]["closed"] = 1
    sc["capacity_rule"] = "service_level"
    sc["service_level"] = {"max_refusal_probability": 0.05, **tiny.A}
    if pools is not None:
        sc["service_level"]["pools"] = pools
    return sc


def solve(tmp_path, sc):
    plan = solve_plan(load(tiny.write(tmp_path, sc, ZONES, DEMAND, KM)))
    result, solution, summary = plan.result, plan.solution, plan.summary
    assert result.proven_optimal
    assert summary["unmet_total_beds"] == pytest.approx(0)
    return solution.plan.set_index("site_id")["groups"].to_dict(), summary["objective_eur"]


def test_pooling_two_sites_needs_fewer_groups_than_separate_pools(tmp_path):
    separate, cost = solve(tmp_path / "separate", scenario())
    assert separate == {"s1": 7, "s2": 7} and cost == pytest.approx(14)
    pooled, cost = solve(
        tmp_path / "pooled",
        scenario({"both": {"sites": ["s1", "s2"], "types": ["closed"], **tiny.A}}),
    )
    assert sum(pooled.values()) == 10 and cost == pytest.approx(10)
    assert min(pooled.values()) >= 3, "each site still holds the 3 beds placed there"


def test_a_pool_of_one_site_is_the_default(tmp_path):
    groups, _ = solve(tmp_path, scenario({"one": {"sites": ["s1"], **tiny.A}}))
    assert groups == {"s1": 7, "s2": 7}


@pytest.mark.parametrize(
    ("pools", "field", "message"),
    [
        ({"a": {"sites": ["s1", "nowhere"], **tiny.A}}, "service_level.pools.a.sites",
         "unknown site(s) ['nowhere']"),
        ({"a": {"sites": ["s1"], **tiny.A}, "b": {"sites": ["s1", "s2"], **tiny.A}},
         "service_level.pools.b.sites", "already in pool 'a'"),
        ({"a": {"sites": ["s1"], "types": ["closed", "open"], **tiny.A}},
         "service_level.pools.a.types", "different group sizes [1, 2]"),
        ({"a": {"sites": [], **tiny.A}}, "service_level.pools.a.sites", "at least 1 item"),
        ({"a": {"sites": ["s1"]}}, "service_level.pools.a", "'source'"),
    ],
    ids=["unknown-site", "two-pools", "group-sizes", "empty", "no-provenance"],
)  # fmt: skip
def test_bad_pools_are_reported_with_file_and_field(tmp_path, pools, field, message):
    sc = scenario(pools)
    sc["place_types"]["open"]["group_size"] = 2
    path = tiny.write(tmp_path, sc, ZONES, DEMAND, KM)
    with pytest.raises(ScenarioError) as info:
        load(path)
    found = [str(p) for p in info.value.findings]
    assert any(p.startswith(str(path)) and field in p and message in p for p in found), found
