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


def path_data(folder, beds_2027: float):
    sc = tiny.base_scenario(years=(2026, 2027))
    sc["sites"] = {"s": tiny.site("S", "Z", ["hybrid"])}
    sc["unmet"] = {"hybrid": {"eur_per_bed_year": 300, **A}}
    sc["place_types"]["hybrid"]["fte_per_group"] = 1
    sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
    sc["costs"]["setup_new_eur_per_group"]["values"]["hybrid"] = 100
    sc["policy"] = {"max_recruit_fte_per_year": {"values": {2027: 0}, **A}}
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
    assert staged.status == "optimal"
    assert staged.objective_eur == pytest.approx(230)
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


def test_probabilities_must_sum_to_one(tmp_path):
    data = path_data(tmp_path / "one", 1.0)
    with pytest.raises(ValueError, match="sum to 0.9"):
        solve_staged({"a": (0.9, data)}, first_stage_years=[2026])
