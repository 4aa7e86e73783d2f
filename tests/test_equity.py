"""The least-worst-trip objective against brute force on a tiny case.

Two zones with one bed each; four sites, each able to hold both beds in one group (200 a year);
trips cost EUR 1 per bed-km. Every subset of sites is enumerated: each zone goes to its nearest
open site (which is best for both the cost and the longest trip), and the cheapest plan, and the
plan with the shortest longest trip within the ceiling, are read off.
"""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from optimizer.equity import least_worst_trip, trip_statistics
from optimizer.errors import JzplanError
from optimizer.parameters import prepare
from optimizer.pipeline import load, solve_plan
from tests.fixtures import tiny

KM = {
    "a": {"Z1": 1, "Z2": 60},
    "b": {"Z1": 50, "Z2": 2},
    "c": {"Z1": 5, "Z2": 40},
    "d": {"Z1": 30, "Z2": 30},
}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    sc = tiny.base_scenario(years=(2026,))
    for spec in sc["place_types"].values():
        spec["group_size"] = 2
    sc["sites"] = {s: tiny.site(s.upper(), "Z1", ["hybrid"], max_groups=1) for s in KM}
    sc["unmet"] = {}
    sc["costs"]["running_eur_per_place_year"]["values"]["hybrid"] = 100
    sc["costs"]["travel_eur_per_bed_km_year"]["value"] = 1
    km = {(z, s): d for s, row in KM.items() for z, d in row.items()}
    demand = [(2026, "Z1", "hybrid", 1.0), (2026, "Z2", "hybrid", 1.0)]
    folder = tmp_path_factory.mktemp("equity")
    return load(tiny.write(folder, sc, [("Z1", "R1"), ("Z2", "R1")], demand, km))


def brute_force(ceiling: float) -> tuple[float, float]:
    """(least cost, shortest longest trip within the ceiling) over every subset of sites."""
    plans = []
    for size in range(1, len(KM) + 1):
        for sites in itertools.combinations(KM, size):
            trips = [min(KM[s][z] for s in sites) for z in ("Z1", "Z2")]
            plans.append((200 * size + sum(trips), max(trips)))
    return min(c for c, _ in plans), min(d for c, d in plans if c <= ceiling + 1e-9)


@pytest.mark.parametrize("slack", [0.0, 0.05, 0.10, 0.5, 1.0])
def test_least_worst_trip_equals_brute_force(data, slack):
    optimum = solve_plan(data).result.objective
    least_cost, _ = brute_force(float("inf"))
    assert optimum == pytest.approx(least_cost)  # C: 200 + 5 + 40 = 245
    ceiling = (1 + slack) * optimum
    plan = least_worst_trip(prepare(data), ceiling, 60)
    assert plan.longest_km == pytest.approx(brute_force(ceiling)[1])
    assert plan.objective_eur <= ceiling + 1e-6
    assert plan.solution.assignments["distance_km"].max() == pytest.approx(plan.longest_km)


def test_a_ceiling_below_the_optimum_is_explained(data):
    with pytest.raises(JzplanError, match="raise the ceiling"):
        least_worst_trip(prepare(data), 100.0, 60)


def test_trip_statistics_by_region():
    a = pd.DataFrame(
        [(2026, "z1", "hybrid", "s", "hybrid", 9.0, 10.0, 0), (2026, "z2", "hybrid", "s", "hybrid",
         1.0, 80.0, 0)],
        columns=["year", "gm_code", "need", "site_id", "type", "beds", "distance_km", "minutes"],
    )  # fmt: skip
    zones = pd.DataFrame({"gm_code": ["z1", "z2"], "region": ["R", "R"]})
    stats = trip_statistics(a, zones, {"hybrid": 75}).iloc[0]
    assert stats["longest_km"] == 80 and stats["share_within_limit"] == pytest.approx(0.9)
    assert stats["p90_km"] == 10.0  # 90 % of the beds travel at most 10 km
