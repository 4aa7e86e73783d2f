"""Must-open sites, the classic models on GeoDataFrames with units, and ``jzplan classic`` on a
scenario.

Oracles: brute force over every site subset that contains the must-open sites, hand-computed
distances between points placed on an RD New grid line (RD coordinates are metres, so km are
exact), and for the CLI the objective recomputed from the printed assignments.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box
from typer.testing import CliRunner

import geodata
from models.classic import lscp, mclp, open_facilities, p_center, p_median, uflp
from optimizer.classic.locate import (
    ClassicInputError,
    DistanceMatrix,
    Radius,
    from_table,
    locate,
    straight_line,
)
from optimizer.cli import app
from optimizer.solve import solve

EXACT = 1e-9

# ---------------------------------------------------------------------------------------------
# must_open in models/classic.py
# ---------------------------------------------------------------------------------------------


def brute_force(cost, p, must, value):
    """Best value(open sites) over every p-subset of sites that contains ``must``."""
    subsets = [s for s in itertools.combinations(range(cost.shape[1]), p) if set(must) <= set(s)]
    return min(value(cost[:, list(s)]) for s in subsets)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("reduce", [True, False])
def test_p_median_and_p_center_with_must_open_match_brute_force(seed, reduce):
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 50, size=(9, 7)).astype(float)
    weights = rng.integers(1, 5, size=9).astype(float)
    p, must = 3, [int(rng.integers(7)), int(rng.integers(7))]
    must = sorted(set(must))
    model = p_median(cost, p, weights=weights, reduce=reduce, must_open=must)
    assert solve(model, mip_rel_gap=EXACT).proven_optimal
    assert set(must) <= set(open_facilities(model)) and len(open_facilities(model)) == p
    expected = brute_force(cost, p, must, lambda c: float(weights @ c.min(axis=1)))
    assert pyo_value(model) == pytest.approx(expected)

    model = p_center(cost, p, reduce=reduce, must_open=must)
    assert solve(model, mip_rel_gap=EXACT).proven_optimal
    assert set(must) <= set(open_facilities(model))
    assert pyo_value(model) == pytest.approx(brute_force(cost, p, must, lambda c: c.min(1).max()))


def pyo_value(model) -> float:
    import pyomo.environ as pyo

    return float(pyo.value(model.obj))


def test_must_open_forces_a_worse_site_in_every_model():
    # Two clients next to site 0; site 1 is far from both. Alone, every model would pick site 0.
    cost = np.array([[1.0, 9.0], [1.0, 9.0]])
    for model in (
        p_median(cost, 1, must_open=[1]),
        p_center(cost, 1, must_open=[1]),
        mclp(cost, 1, 2.0, must_open=[1]),
        lscp(cost, 10.0, must_open=[1]),
        uflp(cost, np.array([1.0, 1.0]), must_open=[1]),
    ):
        assert solve(model, mip_rel_gap=EXACT).has_solution
        assert 1 in open_facilities(model)
    model = p_median(cost, 1, must_open=[1])
    solve(model)
    assert pyo_value(model) == 18.0


@pytest.mark.parametrize(
    ("must", "message"),
    [([5], "outside 0..1"), ([0, 0], "repeat"), ([0, 1], "only p = 1 may open")],
)
def test_bad_must_open_is_a_clear_value_error(must, message):
    with pytest.raises(ValueError, match=message):
        p_median(np.ones((2, 2)), 1, must_open=must)


# ---------------------------------------------------------------------------------------------
# Zones and sites with units (optimizer/classic_geo.py)
# ---------------------------------------------------------------------------------------------

# Four points on an RD New grid line (metres), so the km between them are exact: 0, 10, 20, 50.
X_KM = [0.0, 10.0, 20.0, 50.0]
IDS = ["A", "B", "C", "D"]


def line_frame(id_column: str, crs: str = geodata.METRIC_CRS, weights=(1, 1, 1, 2)):
    frame = gpd.GeoDataFrame(
        {id_column: IDS, "weight": list(weights)},
        geometry=[Point(100_000 + 1000 * x, 400_000) for x in X_KM],
        crs=geodata.METRIC_CRS,
    )
    return frame.to_crs(crs)


@pytest.fixture
def zones():
    return line_frame("gm_code", crs=geodata.DISPLAY_CRS)  # degrees: must be measured in RD


@pytest.fixture
def sites():
    return line_frame("site_id").drop(columns="weight")


def minutes_matrix(speed_kmh: float = 40.0) -> DistanceMatrix:
    rows = [
        {"gm_code": z, "site_id": s, "km": abs(a - b), "minutes": abs(a - b) * 60 / speed_kmh}
        for z, a in zip(IDS, X_KM, strict=True)
        for s, b in zip(IDS, X_KM, strict=True)
    ]
    return from_table(pd.DataFrame(rows), IDS, IDS)


def test_straight_line_is_km_in_rd_new_whatever_the_input_crs(zones, sites):
    matrix = straight_line(zones, sites)
    expected = np.abs(np.subtract.outer(X_KM, X_KM))
    assert matrix.km == pytest.approx(expected, abs=1e-3)  # 1 m after a round trip via WGS84
    assert matrix.minutes is None


def test_polygon_zones_are_measured_from_their_representative_point(sites):
    square = box(99_000, 399_000, 101_000, 401_000)  # 2 km square around point A
    zones = gpd.GeoDataFrame({"gm_code": ["Z"]}, geometry=[square], crs=geodata.METRIC_CRS)
    assert straight_line(zones, sites).km[0] == pytest.approx(X_KM, abs=1e-6)


def test_plain_lat_lon_tables_are_read_as_wgs84_points(zones, sites):
    wgs = sites.to_crs(geodata.DISPLAY_CRS)
    table = pd.DataFrame({"site_id": IDS, "lat": wgs.geometry.y, "lon": wgs.geometry.x})
    expected = straight_line(zones, sites).km
    assert straight_line(zones, table).km == pytest.approx(expected, abs=1e-6)


def test_p_median_hand_computed_with_and_without_a_kept_site(zones, sites):
    # Weights 1, 1, 1, 2. p = 2: {B, D} costs 10 + 0 + 10 + 0 = 20, the best pair.
    free = locate("pmedian", zones, sites, p=2, weight="weight")
    assert free.open_sites == ["B", "D"] and free.objective == pytest.approx(20.0)
    # Keeping A: {A, D} = 0 + 10 + 20 + 0 = 30 beats {A, B} and {A, C} (70 each).
    kept = locate("pmedian", zones, sites, p=2, weight="weight", keep=["A"])
    assert kept.open_sites == ["A", "D"] and kept.objective == pytest.approx(30.0)
    assert kept.sites.set_index("site")["kept"].to_dict() == {
        "A": True,
        "B": False,
        "C": False,
        "D": False,
    }
    table = kept.assignments.set_index("zone")
    assert table["site"].to_dict() == {"A": "A", "B": "A", "C": "A", "D": "D"}
    assert table["km"].to_numpy() == pytest.approx([0, 10, 20, 0], abs=1e-3)
    assert float((table["km"] * table["weight"]).sum()) == pytest.approx(kept.objective)
    assert isinstance(kept.assignments, gpd.GeoDataFrame)


def test_p_center_hand_computed(zones, sites):
    # One site: C's farthest zone is D at 30 km; B's is D at 40, A's D at 50, D's A at 50.
    result = locate("pcenter", zones, sites, p=1)
    assert result.open_sites == ["C"] and result.objective == pytest.approx(30.0)


def test_mclp_hand_computed(zones, sites):
    # Within 12 km: A covers A, B (weight 2); B covers A, B, C (3); C covers B, C (2); D: D (2).
    result = locate("mclp", zones, sites, p=1, radius="12 km", weight="weight")
    assert result.open_sites == ["B"] and result.objective == pytest.approx(3.0)
    cover = result.coverage()
    assert (cover["zones_covered"], cover["weight_covered"], cover["weight"]) == (3, 3.0, 5.0)


def test_lscp_with_a_radius_in_km_and_in_minutes(zones, sites):
    assert locate("lscp", zones, sites, radius="12 km").open_sites == ["B", "D"]
    assert locate("lscp", zones, sites, radius="12 km", keep=["A"]).objective == 3.0
    matrix = minutes_matrix(speed_kmh=40.0)  # 10 km = 15 minutes
    by_time = locate("lscp", zones, sites, radius="15 min", distances=matrix)
    assert by_time.open_sites == ["B", "D"] and by_time.unit == "min"
    assert by_time.assignments["minutes"].max() == pytest.approx(15.0)
    alone = locate("lscp", zones, sites, radius=Radius(14.9, "min"), distances=matrix)
    assert alone.objective == 4.0  # nobody reaches a neighbour in under 15 minutes


def test_p_median_in_minutes_uses_travel_times(zones, sites):
    result = locate("pmedian", zones, sites, p=2, weight="weight", distances=minutes_matrix(40.0))
    assert result.unit == "km" and result.objective == pytest.approx(20.0)
    in_minutes = locate(
        "pmedian", zones, sites, p=2, weight="weight", distances=minutes_matrix(40.0), unit="min"
    )
    assert in_minutes.objective == pytest.approx(30.0)  # 20 km at 40 km/h


def test_uflp_and_cflp_hand_computed(zones, sites):
    sites = sites.assign(fixed=25.0, capacity=2.0)
    zones = zones.assign(weight=1.0)
    # UFLP: {B, D} = 50 fixed + 10 + 0 + 10 + 0; every other set costs at least 80.
    uflp_ = locate("uflp", zones, sites, weight="weight", fixed_cost="fixed")
    assert uflp_.open_sites == ["B", "D"] and uflp_.objective == pytest.approx(70.0)
    # CFLP, 2 units a site: {B, D} must send C to D (50 + 10 + 0 + 30 + 0 = 90); three sites
    # such as {A, C, D} cost 75 + 10 = 85, the optimum.
    cflp_ = locate("cflp", zones, sites, weight="weight", fixed_cost="fixed", capacity="capacity")
    assert cflp_.objective == pytest.approx(85.0)
    assert (cflp_.sites["served_weight"] <= 2.0 + 1e-9).all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30 km", Radius(30, "km")), ("45 min", Radius(45, "min")), ("2.5km", Radius(2.5, "km")),
     ("45 Minutes", Radius(45, "min"))],
)  # fmt: skip
def test_radius_text_is_parsed(text, expected):
    assert Radius.parse(text) == expected


@pytest.mark.parametrize(
    ("radius", "message"),
    [("30", "a number and a unit"), (30, "text with a unit"), ("30 miles", "'km' or 'min'"),
     ("-5 km", "a number and a unit"), ("0 km", "positive")],
)  # fmt: skip
def test_radius_without_a_valid_unit_is_refused(radius, message):
    with pytest.raises(ClassicInputError, match=message):
        Radius.parse(radius)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"problem": "lscp", "radius": "10 min"}, "no travel times"),
        ({"problem": "pmedian", "p": 2, "keep": ["A", "Q"]}, r"unknown site\(s\) \['Q'\]"),
        ({"problem": "pmedian", "p": 5}, "between 1 and the number of candidate sites"),
        ({"problem": "pmedian", "p": 1, "keep": ["A", "B"]}, "fewer than the 2 kept sites"),
        ({"problem": "mclp", "p": 1}, "give a radius"),
        ({"problem": "pmedian", "p": 1, "radius": "3 km"}, "takes no radius"),
        ({"problem": "pmedian", "p": 1, "weight": "beds"}, "no weight column 'beds'"),
        ({"problem": "pmedian", "p": 1, "unit": "m"}, "expected 'km' or 'min'"),
        ({"problem": "lscp", "radius": "5 km", "p": 2}, "do not give p"),
    ],
)
def test_bad_input_is_a_clear_error(zones, sites, kwargs, message):
    with pytest.raises(ClassicInputError, match=message):
        locate(zones=zones, sites=sites, **kwargs)


def test_infeasible_coverage_names_the_zones_out_of_reach(zones, sites):
    three = sites[sites["site_id"] != "D"]
    with pytest.raises(ClassicInputError, match=r"within 5 km of zone\(s\) D \(nearest C at 30.0"):
        locate("lscp", zones, three, radius="5 km")


# ---------------------------------------------------------------------------------------------
# jzplan classic on a scenario
# ---------------------------------------------------------------------------------------------

BASELINE = Path(__file__).resolve().parents[2] / "configs" / "baseline-2026.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def baseline():
    """The scenario's travel matrix and 2026 demand per zone, read without classic_geo."""
    from optimizer.pipeline import load

    data = load(BASELINE)
    km = data.distances.pivot(index="gm_code", columns="site_id", values="km")
    minutes = data.distances.pivot(index="gm_code", columns="site_id", values="minutes")
    beds = data.demand[data.demand["year"] == 2026].groupby("gm_code")["beds"].sum()
    return km, minutes, beds.reindex(km.index).fillna(0.0)


def classic(*args: str):
    return runner.invoke(app, ["classic", *args])


def test_cli_pmedian_keeps_sites_and_reports_the_cost_of_its_assignments(baseline, tmp_path):
    km, _, beds = baseline
    csv = tmp_path / "assign.csv"
    outcome = classic(
        "pmedian", "--p", "3", "--keep", "ossendrecht", "--keep", "middelburg",
        "--out", str(csv), "--json", str(BASELINE),
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    opened = {row["site"]: row["kept"] for row in report["open_sites"]}
    assert len(opened) == 3 and opened["ossendrecht"] and opened["middelburg"]
    # The objective is the cost of the assignments written out ...
    table = pd.read_csv(csv)
    assert set(table["site"]) <= set(opened) and len(table) == len(km)
    assert report["objective"] == pytest.approx(float((table["weight"] * table["km"]).sum()))
    # ... every zone goes to its nearest open site, and no other third site does better.
    nearest = km[list(opened)].min(axis=1)
    assert table.set_index("zone")["km"].to_numpy() == pytest.approx(nearest[table["zone"]])
    best = min(
        float((beds * km[["ossendrecht", "middelburg", third]].min(axis=1)).sum())
        for third in km.columns
        if third not in ("ossendrecht", "middelburg")
    )
    assert report["objective"] == pytest.approx(best, rel=1e-9)


def test_cli_lscp_in_minutes_opens_the_fewest_sites_that_cover_everyone(baseline):
    _, minutes, _ = baseline
    outcome = classic("lscp", "--radius", "45 min", "--json", str(BASELINE))
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    opened = [row["site"] for row in report["open_sites"]]
    assert all(row["covered"] and row["minutes"] <= 45 for row in report["assignments"])
    assert (minutes[opened].min(axis=1) <= 45).all()
    fewest = min(
        size
        for size in range(1, len(minutes.columns) + 1)
        for subset in itertools.combinations(minutes.columns, size)
        if (minutes[list(subset)].min(axis=1) <= 45).all()
    )
    assert report["objective"] == len(opened) == fewest
    assert report["coverage"]["share_covered"] == 1.0


def test_cli_prints_tables_with_the_kept_site():
    outcome = classic(
        "mclp", "--p", "2", "--radius", "30 km", "--keep", "ossendrecht", str(BASELINE)
    )
    assert outcome.exit_code == 0, outcome.output
    assert "Almata Ossendrecht" in outcome.stdout and "yes" in outcome.stdout
    assert "objective" in outcome.stdout and "within 30 km" in outcome.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pmedian", "--p", "2", "--keep", "nowhere"], r"unknown site(s) ['nowhere']"),
        (["pmedian", "--p", "9"], "between 1 and the number of candidate sites (8)"),
        (["pcenter", "--p", "1", "--keep", "ossendrecht", "--keep", "breda"], "fewer than the 2"),
        (["mclp", "--p", "2", "--radius", "30"], "a number and a unit"),
        (["lscp", "--radius", "20 km"], "GM1714 Sluis (nearest terneuzen at 30.1 km)"),
        (["pmedian", "--p", "2", "--weight", "votes"], "'demand' or 'population'"),
        (["pmedian", "--p", "2", "--year", "1999"], "scenario's years"),
    ],
)
def test_cli_bad_input_is_one_clear_line(args, message):
    outcome = classic(*args, str(BASELINE))
    assert outcome.exit_code == 2
    assert message in outcome.output
    assert "Traceback" not in outcome.output


def test_cli_missing_scenario_is_a_clear_error(tmp_path):
    outcome = classic("pmedian", "--p", "2", str(tmp_path / "none.yaml"))
    assert (
        outcome.exit_code == 2 and "none.yaml" in outcome.output and "not found" in outcome.output
    )


def test_bundled_municipalities_and_places_give_great_circle_km():
    """Our own data end to end: RD New km match the great circle to 0.5 % (a sphere's error)."""
    from optimizer.travel import haversine_km

    zones = geodata.load_municipalities()
    places = geodata.load_places()
    result = locate("pmedian", zones, places, p=2, weight="population", site_id="place_id")
    table = result.assignments.merge(
        places[["place_id", "lat", "lon"]], left_on="site", right_on="place_id"
    )
    points = zones.set_index("gm_code").geometry.to_crs(geodata.METRIC_CRS).representative_point()
    points = points.to_crs(geodata.DISPLAY_CRS)[table["zone"]]
    great_circle = haversine_km(
        points.y.to_numpy(), points.x.to_numpy(), table["lat"], table["lon"]
    )
    assert table["km"].to_numpy() == pytest.approx(great_circle, rel=5e-3, abs=0.05)
    assert result.objective == pytest.approx(float((table["km"] * table["weight"]).sum()))


def test_cli_pcenter_in_minutes_reports_the_longest_trip(baseline):
    _, minutes, _ = baseline
    outcome = classic("pcenter", "--p", "2", "--unit", "min", "--json", str(BASELINE))
    assert outcome.exit_code == 0, outcome.output
    report = json.loads(outcome.stdout)
    longest = max(row["minutes"] for row in report["assignments"])
    assert report["unit"] == "min" and report["objective"] == pytest.approx(longest)
    best = min(
        float(minutes[list(pair)].min(axis=1).max())
        for pair in itertools.combinations(minutes.columns, 2)
    )
    assert report["objective"] == pytest.approx(best)
