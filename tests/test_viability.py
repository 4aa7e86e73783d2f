"""Provider viability, each case solved by hand (tiny: group size 1, no discounting).

Site S (provider Almata) has two open groups in 2025 and one open youth in 2026; an open place
costs 100 a year and nothing else costs anything, so without a rule the plan keeps one group.
"""

from __future__ import annotations

import math

import pytest

from optimizer.pipeline import ScenarioInfeasible, load, solve_plan
from tests.fixtures import tiny

A = {"assumption": "test value"}


def scenario(overhead, share=0.2, min_revenue=False, max_groups=5):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["open"], max_groups=max_groups, existing={"open": 2})}
    sc["costs"]["running_eur_per_place_year"]["values"]["open"] = 100
    sc["providers"] = [{"name": "Almata", "overhead_eur_per_year": overhead,
                        "overhead_share": share, "min_revenue": min_revenue, **A}]  # fmt: skip
    return sc


def solve(tmp_path, sc):
    path = tiny.write(tmp_path, sc, [("Z", "R1")], [(2026, "Z", "open", 1.0)], {("Z", "s"): 5})
    plan = solve_plan(load(path))
    assert plan.result.proven_optimal
    return plan


def groups(plan) -> int:
    return int(plan.solution.plan["groups"].sum())


def test_the_minimum_revenue_rule_keeps_a_group_the_demand_does_not_need(tmp_path):
    """Overhead 30 at share 0.2: viability level 150. One group brings 100 (< 150), so the rule
    keeps both groups (revenue 200): cost 200 instead of 100."""
    free = solve(tmp_path / "free", scenario(30))
    assert groups(free) == 1 and free.summary["objective_eur"] == pytest.approx(100)
    row = free.solution.provider.iloc[0]
    assert row["revenue_eur"] == pytest.approx(100) and row["viability_level_eur"] == 150
    assert row["shortfall_eur"] == pytest.approx(50) and row["shortfall_share"] == pytest.approx(
        1 / 3
    )
    assert (
        "revenue falls 33.3 % below the viability level in 2026"
        in (free.summary["provider_viability"][0])
    )
    ruled = solve(tmp_path / "ruled", scenario(30, min_revenue=True))
    assert groups(ruled) == 2 and ruled.summary["objective_eur"] == pytest.approx(200)
    assert ruled.solution.provider.iloc[0]["shortfall_eur"] == pytest.approx(0)
    assert ruled.summary["provider_viability"] == []


def test_a_level_no_plan_reaches_is_explained_with_the_amount(tmp_path):
    """Level 50 / 0.2 = 250 but the site holds at most 2 groups (revenue 200): 50 short."""
    with pytest.raises(ScenarioInfeasible) as info:
        solve(tmp_path, scenario(50, min_revenue=True, max_groups=2))
    text = " ".join(info.value.explanations)
    assert "Provider Almata 2026: the plan can give it at most EUR 200 revenue, EUR 50 less" in text


def test_the_tariff_increase_carries_the_overhead_at_the_planned_volume(tmp_path):
    """Open places priced by the contract at EUR 1 a day (365 a year). One group: revenue 365;
    overhead 100 at share 0.2 leaves 100 − 73 = 27 uncovered, so the tariff must rise by
    27 / 365 = 7.40 %: then 392 − 292 (the places' own cost) = 100 carries the overhead."""
    sc = scenario(100)
    del sc["costs"]["running_eur_per_place_year"]["values"]["open"]
    sc["settlement"] = {"year": 2026, "contract_places": {"open": 1},
                        "day_tariff_eur": {"open": 1.0}, **A}  # fmt: skip
    plan = solve(tmp_path, sc)
    row = plan.solution.provider.iloc[0]
    assert row["revenue_eur"] == pytest.approx(365) == row["contract_revenue_eur"]
    assert row["tariff_increase_share"] == pytest.approx(27 / 365)
    assert (
        "a tariff increase of 7.4 % on its contract places" in plan.summary["provider_viability"][0]
    )


def test_without_contract_places_no_tariff_can_be_raised(tmp_path):
    plan = solve(tmp_path, scenario(30))
    assert math.isnan(plan.solution.provider.iloc[0]["tariff_increase_share"])
    assert (
        "no contract revenue whose tariff could be raised" in plan.summary["provider_viability"][0]
    )
