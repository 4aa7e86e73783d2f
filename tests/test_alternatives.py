"""Near-optimal alternatives on a case solved by hand.

Three hybrid sites can take the one bed of demand; a group costs 10 a year to run and the trip
costs 100, 104 or 120 by site (A, B, C). The optimum opens A (110). Within 5 % (115.5) the only
other plan opens B (114): it differs from the optimum in two site-type-years (A off, B on). C
(130) and two groups (120) are outside the slack, so a second alternative does not exist.
"""

from __future__ import annotations

import pytest

from optimizer.alternatives import generate, runs_of
from optimizer.errors import JzplanError
from optimizer.parameters import prepare
from optimizer.pipeline import load, solve_plan
from tests.fixtures import tiny

A = {"assumption": "test value"}


def write_case(folder):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {s: tiny.site(s.upper(), "Z", ["hybrid"]) for s in ("a", "b", "c")}
    sc["unmet"] = {}
    sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
    sc["costs"]["travel_eur_per_bed_km_year"]["value"] = 100  # the sites differ by their trip
    km = {("Z", "a"): 1.0, ("Z", "b"): 1.04, ("Z", "c"): 1.2}
    return tiny.write(folder, sc, [("Z", "R1")], [(2026, "Z", "hybrid", 1.0)], km)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    return load(write_case(tmp_path_factory.mktemp("alt")))


def test_alternatives_stay_within_the_slack_and_differ(case):
    plan = solve_plan(case)
    assert plan.summary["objective_eur"] == pytest.approx(110)
    found = list(generate(prepare(case), plan.result.objective, runs_of(plan.model), 0.05, 3, 60))
    assert len(found) == 1  # only B fits within 5 %
    alt = found[0]
    assert alt.objective_eur == pytest.approx(114)
    assert alt.objective_eur <= 1.05 * 110 + 1e-6
    assert alt.differs_from_nearest == 2
    assert set(alt.solution.plan[alt.solution.plan["groups"] > 0]["site_id"]) == {"b"}
    assert alt.solution.objective_eur == pytest.approx(114)  # its own cost table agrees


def test_a_wider_slack_gives_a_second_distinct_plan(case):
    plan = solve_plan(case)
    found = list(generate(prepare(case), plan.result.objective, runs_of(plan.model), 0.25, 3, 60))
    sites = [frozenset(a.solution.plan[a.solution.plan["groups"] > 0]["site_id"]) for a in found]
    assert len(found) >= 2 and len(set(sites)) == len(sites)  # pairwise different
    assert frozenset({"a"}) not in sites  # none repeats the optimum
    assert all(a.objective_eur <= 1.25 * 110 + 1e-6 for a in found)


@pytest.mark.parametrize(("slack", "count"), [(0.0, 1), (1.5, 1), (0.05, 0)])
def test_bad_options_are_input_errors(case, slack, count):
    with pytest.raises(JzplanError):
        generate(prepare(case), 100.0, {}, slack, count, 10)


def test_jzplan_alternatives_writes_checkable_run_folders(tmp_path):
    """The command writes the optimum and each alternative as run folders and a comparison;
    the alternative's cost is re-derived from its folder by the independent checker."""
    from typer.testing import CliRunner

    from optimizer.cli import app
    from tests.test_checker import Run, recompute_costs

    config = write_case(tmp_path / "in")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["alternatives", str(config), "--out", str(out), "--slack", "5%", "--count", "2"]
    )
    assert result.exit_code == 0, result.output
    assert (out / "compare.html").exists()
    alt = out / "tiny-alternative-1"
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["tiny", "tiny-alternative-1"]
    run = Run(alt)
    assert run.summary["objective_eur"] == pytest.approx(114)
    assert recompute_costs(run)["eur_discounted"].sum() == pytest.approx(114)
    assert run.summary["alternative"]["extra_eur"] == pytest.approx(4)
    assert "No other plan" not in result.output
