"""The staged plan over demand paths (extensive form) on a case solved by hand.

One zone, one hybrid site, groups of one place. 2026: 1 bed on both paths; 2027: 0 beds ("low",
p = 0.5) or 2 beds ("high", p = 0.5). A group costs 100 to add and 10 a year to run; no group can
be added in 2027 (recruitment ceiling 0); an unplaced bed costs 300. Decided in 2026:
  one group:  110 now; low 0 (close it), high 10 + 300 → expected 110 + 155 = 265
  two groups: 220 now; low 0, high 20               → expected 220 + 10  = 230  (the staged plan)
Wait-and-see: low alone 110, high alone 240 → WS 175, EVPI = 230 − 175 = 55.
The expected demand (1 bed in 2027) plan opens one group (120 < 230); fixed and evaluated over
both paths it costs 265, so VSS = 265 − 230 = 35.
"""

from __future__ import annotations

import pytest

from optimizer.pipeline import load
from optimizer.stochastic import solve_staged
from tests.fixtures import tiny

A = {"assumption": "test value"}


def hand_case(years=(2026, 2027)) -> dict:
    """The module docstring's case: one hybrid site, groups of one, no new staff in 2027."""
    sc = tiny.base_scenario(years=years)
    sc["sites"] = {"s": tiny.site("S", "Z", ["hybrid"])}
    sc["unmet"] = {"hybrid": {"eur_per_bed_year": 300, **A}}
    sc["place_types"]["hybrid"]["fte_per_group"] = 1
    sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
    sc["costs"]["setup_new_eur_per_group"]["values"]["hybrid"] = 100
    sc["policy"] = {"max_recruit_fte_per_year": {"values": {2027: 0}, **A}}
    return sc


def path_data(folder, beds_2027: float):
    sc = hand_case()
    demand = [(2026, "Z", "hybrid", 1.0), (2027, "Z", "hybrid", beds_2027)]
    return load(tiny.write(folder, sc, [("Z", "R1")], demand, {("Z", "s"): 1}))


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    base = tmp_path_factory.mktemp("paths")
    paths = {
        "low": (0.5, path_data(base / "low", 0.0)),
        "high": (0.5, path_data(base / "high", 2.0)),
    }
    return solve_staged(paths, first_stage_years=[2026])


def groups(solution, year):
    plan = solution.plan
    return int(plan[(plan.year == year) & (plan.type == "hybrid")]["groups"].sum())


def test_extensive_form_finds_the_hand_derived_staged_optimum(staged):
    assert staged.result.status == "optimal"
    assert staged.objective_eur == pytest.approx(230)
    assert staged.expected_cost_eur == pytest.approx(230)
    assert staged.cost_by_path_eur == pytest.approx({"low": 220, "high": 240})


def test_first_stage_decisions_are_identical_across_paths(staged):
    assert groups(staged.solutions["low"], 2026) == groups(staged.solutions["high"], 2026) == 2
    assert groups(staged.solutions["low"], 2027) == 0
    assert groups(staged.solutions["high"], 2027) == 2


def test_wait_and_see_and_expected_value_bounds(staged):
    assert staged.wait_and_see_eur == pytest.approx(175)
    assert staged.evpi_eur == pytest.approx(55) and staged.evpi_eur >= 0
    assert staged.expected_value_plan_eur == pytest.approx(265)
    assert staged.vss_eur == pytest.approx(35) and staged.vss_eur >= 0


@pytest.fixture(scope="module")
def skewed(tmp_path_factory):
    """The same two paths with low = 0.8, high = 0.2. Per path cost of each 2026 decision:
    one group  low 110, high 110 + 10 + 300 = 420 → expected 0.8·110 + 0.2·420 = 172
    two groups low 220, high 240                 → expected 0.8·220 + 0.2·240 = 224
    Least expected cost: one group (172). CVaR at α = 0.8 is the high path's cost: one group
    420, two 240 → two groups; with weight ½: ½·172 + ½·420 = 296 vs ½·224 + ½·240 = 232 → two.
    Own optima: low 110, high 240; regret of one group max(0, 180) = 180, of two max(110, 0)
    = 110 → minimax regret takes two groups (110)."""
    base = tmp_path_factory.mktemp("skewed")
    return {
        "low": (0.8, path_data(base / "low", 0.0)),
        "high": (0.2, path_data(base / "high", 2.0)),
    }


@pytest.mark.parametrize(
    "risk, weight, groups_2026, objective, expected",
    [
        ("expected", 1.0, 1, 172, 172),
        ("cvar", 1.0, 2, 240, 224),
        ("cvar", 0.5, 2, 232, 224),
        ("regret", 1.0, 2, 110, 224),
    ],
)
def test_risk_measures_change_the_purchase_as_derived_by_hand(
    skewed, risk, weight, groups_2026, objective, expected
):
    plan = solve_staged(skewed, [2026], risk=risk, alpha=0.8, weight=weight)
    assert groups(plan.solutions["low"], 2026) == groups(plan.solutions["high"], 2026)
    assert groups(plan.solutions["low"], 2026) == groups_2026
    assert plan.objective_eur == pytest.approx(objective)
    assert plan.expected_cost_eur == pytest.approx(expected)
    assert plan.own_optimum_eur == pytest.approx({"low": 110, "high": 240})


def test_cvar_of_a_discrete_distribution():
    from optimizer.stochastic import cvar

    costs, probs = {"a": 100.0, "b": 200.0, "c": 400.0}, {"a": 0.5, "b": 0.3, "c": 0.2}
    assert cvar(costs, probs, 0.8) == pytest.approx(400)
    assert cvar(costs, probs, 0.5) == pytest.approx((0.2 * 400 + 0.3 * 200) / 0.5)
    assert cvar(costs, probs, 0.0) == pytest.approx(0.5 * 100 + 0.3 * 200 + 0.2 * 400)


def test_a_multi_stage_tree_shares_decisions_until_the_branch_year():
    from models.stochastic import tree_nodes

    class P:
        years = [2026, 2027, 2028, 2029]

    paths = {w: (1 / 3, P()) for w in ("a", "b", "c")}
    nodes = tree_nodes(paths, [2026], {"c": ("b", 2028)})
    assert {w: nodes[w][2026] for w in paths} == {"a": "root", "b": "root", "c": "root"}
    assert nodes["c"][2027] == nodes["b"][2027] == "b" and nodes["a"][2027] == "a"
    assert nodes["c"][2028] == "c" and nodes["b"][2028] == "b"


def test_probabilities_must_sum_to_one(tmp_path):
    data = path_data(tmp_path / "one", 1.0)
    with pytest.raises(ValueError, match="sum to 0.9"):
        solve_staged({"a": (0.9, data)}, first_stage_years=[2026])


def test_the_fast_formulation_gives_the_same_staged_optimum(tmp_path_factory):
    base = tmp_path_factory.mktemp("fast")
    paths = {
        "low": (0.5, path_data(base / "low", 0.0)),
        "high": (0.5, path_data(base / "high", 2.0)),
    }
    plan = solve_staged(paths, first_stage_years=[2026], formulation="fast")
    assert plan.objective_eur == pytest.approx(230)
    assert plan.own_optimum_eur == pytest.approx({"low": 110, "high": 240})
    assert plan.expected_value_plan_eur == pytest.approx(265)
