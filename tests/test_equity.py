"""The trip objectives (worst and p90 trip within a cost ceiling) against brute force.

Three zones with 4.6, 4.6 and 0.8 beds (10 in all, Z3 is 8 % of them); five sites, each able to
hold every bed in its one group (10 places at EUR 20: EUR 200 a year); trips cost EUR 1 per
bed-km. With capacity never binding, sending each zone to its nearest open site is best for the
cost and for every trip at once, so every subset of sites is one plan: the test enumerates the
31 subsets, and reads off the least cost, the least worst trip and the least p90 trip within each
ceiling, and the cheapest subset with that trip. By hand: the least-cost plan is {c} alone (200 +
4.6·5 + 4.6·40 + 0.8·30 = 431; worst trip = p90 trip = 40 km). Within 10 % (474.1) the worst trip
falls to 30 km with {b, c} (456.2) and the p90 trip to 2 km with {a, b} (469.8: Z3's 0.8 beds, 8 %
of them, travel 70 km); a worst trip of 5 km needs {a, b, d} (617.8, 43 % more).
"""

from __future__ import annotations

import itertools
import json

import pytest

from optimizer.equity import CeilingTooLow, least_trip, trip_statistics
from optimizer.parameters import prepare
from optimizer.pipeline import load, solve_plan
from tests.fixtures import tiny

BEDS = {"Z1": 4.6, "Z2": 4.6, "Z3": 0.8}
KM = {
    "a": {"Z1": 1, "Z2": 60, "Z3": 80},
    "b": {"Z1": 50, "Z2": 2, "Z3": 70},
    "c": {"Z1": 5, "Z2": 40, "Z3": 30},
    "d": {"Z1": 30, "Z2": 30, "Z3": 5},
    "e": {"Z1": 20, "Z2": 20, "Z3": 90},
}
SITE_EUR = 200.0


def write_case(folder):
    sc = tiny.base_scenario(years=(2026,))
    for spec in sc["place_types"].values():
        spec["group_size"] = 10
    sc["sites"] = {s: tiny.site(s.upper(), "Z1", ["hybrid"], max_groups=1) for s in KM}
    sc["unmet"] = {}
    sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = SITE_EUR / 10
    sc["costs"]["travel_eur_per_bed_km_year"]["value"] = 1
    km = {(z, s): d for s, row in KM.items() for z, d in row.items()}
    demand = [(2026, z, "hybrid", beds) for z, beds in BEDS.items()]
    zones = [("Z1", "R1"), ("Z2", "R1"), ("Z3", "R2")]
    return tiny.write(folder, sc, zones, demand, km)


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return load(write_case(tmp_path_factory.mktemp("equity")))


def p90(trips: dict[str, float]) -> float:
    """The smallest trip that at least 90 % of the beds make at most (beds sorted by trip)."""
    total, reached = sum(BEDS.values()), 0.0
    for zone in sorted(trips, key=trips.get):
        reached += BEDS[zone]
        if reached >= 0.9 * total - 1e-9:
            return trips[zone]
    raise AssertionError("unreachable")


def plans() -> list[tuple[float, float, float]]:
    """(cost, worst trip, p90 trip) of every subset of sites, each zone at its nearest site."""
    found = []
    for size in range(1, len(KM) + 1):
        for sites in itertools.combinations(KM, size):
            trips = {z: min(KM[s][z] for s in sites) for z in BEDS}
            cost = SITE_EUR * size + sum(BEDS[z] * trips[z] for z in BEDS)
            found.append((cost, max(trips.values()), p90(trips)))
    return found


def brute_force(ceiling: float, which: int) -> tuple[float, float]:
    """(least trip within the ceiling, cheapest cost with that trip); which 1 = worst, 2 = p90."""
    within = [plan for plan in plans() if plan[0] <= ceiling + 1e-6]
    best = min(plan[which] for plan in within)
    return best, min(plan[0] for plan in within if plan[which] == best)


def test_the_hand_figures():
    assert min(plans()) == (pytest.approx(431), 40, 40)  # {c}
    assert brute_force(474.1, 1) == (30, pytest.approx(456.2))  # {b, c}
    assert brute_force(474.1, 2) == (2, pytest.approx(469.8))  # {a, b}
    assert brute_force(1e9, 1) == (5, pytest.approx(617.8))  # {a, b, d}


@pytest.mark.parametrize("known", [False, True], ids=["free", "bounded"])
@pytest.mark.parametrize("objective", [1, 2], ids=["worst", "p90"])
@pytest.mark.parametrize("slack", [0.0, 0.05, 0.1, 0.35, 1.0])
def test_least_trip_equals_brute_force(data, slack, objective, known):
    """Also with the search bounded by the least-cost plan's trip ({c}: 40 km, both trips)."""
    optimum = solve_plan(data).result.objective
    assert optimum == pytest.approx(min(plans())[0])
    ceiling = (1 + slack) * optimum
    trip, cost = brute_force(ceiling, objective)
    alpha = 0.0 if objective == 1 else 0.1
    found = least_trip(prepare(data), alpha, ceiling, 60, optimum, 40.0 if known else None)
    assert found.trip_km == pytest.approx(trip)
    assert found.objective_eur == pytest.approx(cost)  # the cheapest plan with that trip
    assert found.objective_eur <= ceiling + 1e-6
    assert found.trip_result.proven_optimal and found.result.proven_optimal
    stats = trip_statistics(found.solution.assignments, data.zones, {"hybrid": 100.0})["all"]
    assert stats["longest_km" if objective == 1 else "p90_km"] == pytest.approx(trip)


def test_a_ceiling_below_the_least_cost_is_explained(data):
    with pytest.raises(CeilingTooLow, match="least-cost plan already costs EUR 431"):
        least_trip(prepare(data), 0.0, 400.0, 60, 431.0)
    with pytest.raises(CeilingTooLow, match="raise the ceiling"):
        least_trip(prepare(data), 0.1, 400.0, 60)  # without the least cost: the model says so


def test_trip_statistics_by_region():
    import pandas as pd

    a = pd.DataFrame(
        [(2026, "z1", "hybrid", "s", "hybrid", 9.0, 10.0, 0), (2026, "z2", "hybrid", "s", "hybrid",
         1.0, 80.0, 0), (2027, "z3", "hybrid", "s", "hybrid", 2.0, 30.0, 0)],
        columns=["year", "gm_code", "need", "site_id", "type", "beds", "distance_km", "minutes"],
    )  # fmt: skip
    zones = pd.DataFrame({"gm_code": ["z1", "z2", "z3"], "region": ["R", "R", "Q"]})
    stats = trip_statistics(a, zones, {"hybrid": 75})
    r = stats["by_region"]["R"]
    assert r["longest_km"] == 80 and r["share_within_limit"] == pytest.approx(0.9)
    assert r["p90_km"] == 10.0  # 90 % of R's beds travel at most 10 km
    assert stats["all"]["p90_km"] == 30.0  # 9 of 12 bed-years at 10 km, 11 of 12 at 30
    assert stats["by_region"]["Q"]["bed_years"] == 2.0


def run_cli(*args):
    from typer.testing import CliRunner

    from optimizer.cli import app

    return CliRunner().invoke(app, ["run", *map(str, args)])


def test_jzplan_run_with_a_trip_objective_writes_a_normal_run_folder(tmp_path):
    """The run folder says which objective and ceiling; its trips and cost are re-derived by
    the independent checker."""
    from tests.test_checker import Run, flat, recompute_costs, trip_figures

    config = write_case(tmp_path / "in")
    out = tmp_path / "p90"
    result = run_cli(config, "--out", out, "--objective", "p90-trip", "--cost-slack", "10%")
    assert result.exit_code == 0, result.output
    trip, cost = brute_force(1.1 * 431, 2)
    run = Run(out)
    objective = run.summary["objective"]
    assert objective["kind"] == "p90-trip" and objective["cost_slack"] == pytest.approx(0.1)
    assert objective["cost_ceiling_eur"] == pytest.approx(1.1 * 431)
    assert objective["trip_km"] == pytest.approx(trip)
    assert objective["extra_eur"] == pytest.approx(cost - 431)
    assert run.summary["objective_eur"] == pytest.approx(cost)
    assert recompute_costs(run)["eur_discounted"].sum() == pytest.approx(cost)
    assert flat(trip_figures(run)) == pytest.approx(flat(run.summary["trips"]))
    assert run.summary["trips"]["all"]["p90_km"] == pytest.approx(trip)
    assert "Objective: the least p90 trip" in result.output
    assert "p90" in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--objective", "worst-trip", "--cost-ceiling", "400"], "least-cost plan already costs"),
        (["--objective", "worst-trip"], "--cost-slack"),
        (["--objective", "fairest"], "--objective: expected one of"),
        (["--cost-slack", "5%"], "with --objective worst-trip or p90-trip"),
        (["--objective", "p90-trip", "--cost-slack", "lots"], "--cost-slack: expected a share"),
    ],
)
def test_bad_objective_options_exit_2_in_planners_words(tmp_path, args, message):
    config = write_case(tmp_path / "in")
    result = run_cli(config, "--out", tmp_path / "out", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_least_cost_run_says_so(tmp_path):
    config = write_case(tmp_path / "in")
    assert run_cli(config, "--out", tmp_path / "out").exit_code == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["objective"]["kind"] == "cost"
    assert summary["objective"]["cost_ceiling_eur"] is None
    assert summary["trips"]["all"]["longest_km"] == 40  # {c}: Z2 travels 40 km


def test_a_public_run_hides_the_trips_of_a_few_youths(tmp_path):
    """R2 has 0.8 placed bed-years: its trips would point at one youth."""
    config = write_case(tmp_path / "in")
    assert run_cli(config, "--out", tmp_path / "out", "--public").exit_code == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    hidden = summary["trips"]["by_region"]["R2"]
    assert hidden["bed_years"] == "<5" and isinstance(hidden["longest_km"], str)
    assert summary["trips"]["all"]["longest_km"] == 40  # 10 bed-years: shown
    assert "0.8" not in json.dumps(summary["trips"])
