"""Near-optimal alternatives on a case solved by hand.

Three hybrid sites can take the one bed of demand; a group costs 10 a year to run and the trip
costs 100, 104 or 120 by site (A, B, C). The optimum opens A (110). Within 5 % (115.5) the only
other plan opens B (114): it differs from the optimum in two site-type-years (A off, B on). C
(130) and two groups (120) are outside the slack, so a second alternative does not exist.

Within 25 % (137.5) every layout with one group per site fits: {B} 114, {A, B} and {A, C} 120
(the bed at A), {B, C} 124 (the bed at B), {C} 130, {A, B, C} 130. With --differ worst-trip each
next plan has the least worst trip of the plans still new: 1.0 km for {A, B}, {A, C} (120 each),
{A, B, C} (130), then 1.04 km for {B} (114).
"""

from __future__ import annotations

import itertools
import re

import pytest

from optimizer.alternatives import generate, runs_of
from optimizer.errors import JzplanError
from optimizer.parameters import prepare
from optimizer.pipeline import load, solve_plan
from tests.fixtures import tiny

pytest_plugins = ["tests.browser"]

A = {"assumption": "test value"}
KM = {"a": 1.0, "b": 1.04, "c": 1.2}


def write_case(folder, reserve: bool = False):
    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {s: tiny.site(s.upper(), "Z", ["hybrid"]) for s in KM}
    sc["unmet"] = {}
    sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 10
    sc["costs"]["travel_eur_per_bed_km_year"]["value"] = 100  # the sites differ by their trip
    if reserve:  # a reserve of two hybrid places: two groups, 10 more than the plan needs
        rule = {"name": "reserve", "years": [2026], "types": ["hybrid"], "places": 2}
        sc["policy"] = {"min_places": [{**rule, "reserve": True, **A}]}
    km = {("Z", s): d for s, d in KM.items()}
    return tiny.write(folder, sc, [("Z", "R1")], [(2026, "Z", "hybrid", 1.0)], km)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    return load(write_case(tmp_path_factory.mktemp("alt")))


def sites_of(alt) -> frozenset[str]:
    plan = alt.solution.plan
    return frozenset(plan[plan["groups"] > 0]["site_id"])


def test_alternatives_stay_within_the_slack_and_differ(case):
    plan = solve_plan(case)
    assert plan.summary["objective_eur"] == pytest.approx(110)
    found = list(generate(prepare(case), plan.result.objective, runs_of(plan.model), 0.05, 3, 60))
    assert len(found) == 1  # only B fits within 5 %
    alt = found[0]
    assert alt.objective_eur == pytest.approx(114)
    assert alt.objective_eur <= 1.05 * 110 + 1e-6
    assert alt.differs_from_nearest == 2
    assert sites_of(alt) == {"b"}
    assert alt.solution.objective_eur == pytest.approx(114)  # its own cost table agrees


def layouts(ceiling: float) -> dict[frozenset, float]:
    """Every set of sites with one group each within the ceiling; the bed goes to the nearest."""
    found = {}
    for size in range(1, 4):
        for sites in itertools.combinations(KM, size):
            cost = 10 * size + 100 * min(KM[s] for s in sites)
            if cost <= ceiling + 1e-9:
                found[frozenset(sites)] = cost
    return found


def test_a_wider_slack_gives_distinct_plans_that_differ_most(case):
    plan = solve_plan(case)
    found = list(generate(prepare(case), plan.result.objective, runs_of(plan.model), 0.25, 3, 60))
    sites = [sites_of(a) for a in found]
    assert len(found) == 3 and len(set(sites)) == 3  # pairwise different
    assert frozenset({"a"}) not in sites  # none repeats the optimum
    within = layouts(1.25 * 110)
    assert all(a.objective_eur <= 1.25 * 110 + 1e-6 for a in found)
    for alt, layout in zip(found, sites, strict=True):
        assert alt.objective_eur == pytest.approx(within[layout])
    # the first differs from {a} in the most site-type-years within the slack: {b, c} (3)
    assert sites[0] == {"b", "c"} and found[0].differs_from_nearest == 3


def test_differ_worst_trip_gives_the_least_worst_trip_of_the_new_plans(case):
    plan = solve_plan(case)
    params = prepare(case)
    found = list(
        generate(params, plan.result.objective, runs_of(plan.model), 0.25, 4, 60, "worst-trip")
    )
    assert [a.trip_km for a in found] == pytest.approx([1.0, 1.0, 1.0, 1.04])
    assert [a.objective_eur for a in found] == pytest.approx([120, 120, 130, 114])
    sites = [sites_of(a) for a in found]
    assert set(sites[:2]) == {frozenset("ab"), frozenset("ac")} and sites[2:] == [
        frozenset("abc"),
        frozenset("b"),
    ]


@pytest.mark.parametrize(
    ("slack", "count", "differ"), [(0.0, 1, "sites"), (1.5, 1, "sites"), (0.05, 0, "sites"),
                                   (0.05, 1, "cheapest")]
)  # fmt: skip
def test_bad_options_are_input_errors(case, slack, count, differ):
    with pytest.raises(JzplanError):
        generate(prepare(case), 100.0, {}, slack, count, 10, differ)


def run_cli(*args):
    from typer.testing import CliRunner

    from optimizer.cli import app

    return CliRunner().invoke(app, ["alternatives", *map(str, args)])


def test_jzplan_alternatives_writes_checkable_run_folders(tmp_path):
    """The command writes the optimum and each alternative as complete run folders and a
    comparison; the independent checker re-derives every plan's cost from its folder, finds each
    within the slack and every two pairwise different in at least one site-type-year."""
    from tests.test_checker import Run, recompute_costs, site_type_years

    config = write_case(tmp_path / "in", reserve=True)
    out = tmp_path / "out"
    result = run_cli(config, "--out", out, "--slack", "20%", "--count", "3")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert names[0] == "tiny" and len(names) >= 3
    runs = [Run(out / name) for name in names]
    optimum = runs[0].summary["objective_eur"]
    assert optimum == pytest.approx(120)  # the reserve asks for two groups: 20 + the trip to a
    for run in runs:
        assert recompute_costs(run)["eur_discounted"].sum() == pytest.approx(
            run.summary["objective_eur"]
        )
        assert run.summary["objective_eur"] <= 1.2 * optimum + 1e-6
    for one, other in itertools.combinations(runs, 2):
        assert site_type_years(one) != site_type_years(other), (one.folder, other.folder)
    alt = runs[1]
    objective = alt.summary["objective"]
    assert objective["kind"] == "alternative" and objective["differ"] == "sites"
    assert objective["extra_eur"] == pytest.approx(alt.summary["objective_eur"] - optimum)
    assert objective["cost_ceiling_eur"] == pytest.approx(1.2 * optimum)
    # the real plan status: a feasible plan, its gap to the optimum's proven bound
    solver = alt.summary["solver"]
    assert solver["status"] in ("feasible", "optimal")
    if solver["status"] == "feasible":
        gap = objective["extra_eur"] / alt.summary["objective_eur"]
        assert solver["mip_gap"] == pytest.approx(gap)
    # its reserve re-solved: the alternative against the least-cost plan without the reserve
    reserve = alt.folder / "reserve.csv"
    import pandas as pd

    table = pd.read_csv(reserve)
    assert len(table) == 1
    assert table["objective_with_eur"].iloc[0] == pytest.approx(alt.summary["objective_eur"])
    assert table["objective_without_eur"].iloc[0] == pytest.approx(110)
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert "compare-map.html" in page and (out / "compare-map.html").exists()
    csv = pd.read_csv(out / "compare.csv").set_index("metric")
    assert "extra_eur" in csv.index and "sites_running_2026" in csv.index
    extra = csv.loc["extra_eur"].iloc[1:].astype(float)
    assert sorted(extra) == pytest.approx(
        sorted(r.summary["objective_eur"] - optimum for r in runs)
    )
    assert "No other plan" not in result.output


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """jzplan alternatives on the hand case within 25 %, two alternatives, in Dutch."""
    folder = tmp_path_factory.mktemp("compared")
    config = write_case(folder / "in")
    out = folder / "out"
    result = run_cli(config, "--out", out, "--slack", "25%", "--count", "2", "--lang", "nl")
    assert result.exit_code == 0, result.output
    return out


def test_the_compare_map_has_a_layer_per_plan(compared):
    page = (compared / "compare-map.html").read_text(encoding="utf-8")
    for n in (1, 2, 3):
        assert f"Plan {n}: " in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)  # Leaflet inlined


@pytest.mark.browser
def test_the_compare_map_toggles_plans_in_a_browser(compared, open_page):
    """Three plans: the optimum {a} and {b, c}, {b} (see the module docstring), four markers;
    switching the optimum's layer off leaves three."""
    page, log = open_page(compared / "compare-map.html")
    page.wait_for_selector(".plan-mark")
    overlays = page.locator(".leaflet-control-layers-overlays label")
    assert overlays.count() == 3
    assert page.locator(".plan-mark").count() == 4
    overlays.nth(0).locator("input").uncheck()
    assert page.locator(".plan-mark").count() == 3
    log.assert_clean()
    page, log = open_page(compared / "compare.html")
    assert page.locator("iframe").get_attribute("src") == "compare-map.html"
    log.assert_clean()


def test_bad_differ_exits_2(tmp_path):
    config = write_case(tmp_path / "in")
    result = run_cli(config, "--out", tmp_path / "out", "--differ", "cheapest")
    assert result.exit_code == 2 and "--differ: expected sites or worst-trip" in result.output
