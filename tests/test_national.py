"""The national zone set (geodata/data/national) and the national scenario.

Checks of the bundled data against figures stated in its SOURCES.md and in the three-region
data, the scenario's validation, a reduced national instance (two regions) solved and mapped,
and the full national solve in benchmarks/bench_scale.py (7 min at its 300 s limit: too long here).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import geodata
import geodata.national
from optimizer.pipeline import load
from tests import test_checker as checker
from tests.conftest import ROOT

NATIONAL = ROOT / "configs/national-2026.yaml"
JZPLAN = Path(sys.executable).with_name("jzplan")
REFERENCE = Path("/work/shared/data/nl/national/municipalities_2025.csv")
#: the bundled three regions and their jeugdregio (geodata/data/national/SOURCES.md)
THREE = {"WBW": "West Brabant West", "WBO": "West Brabant Oost", "Zeeland": "Zeeland"}
REDUCED = ["West Brabant West", "Zeeland"]
CHECKS = (
    checker.test_demand_is_conserved,
    checker.test_capacity_per_site_type_year,
    checker.test_admission_duty_and_overflow,
    checker.test_site_limits_and_education,
    checker.test_compatibility_and_distance_limits,
    checker.test_transitions_add_up,
    checker.test_recomputed_cost_equals_reported_objective,
)
OTHER_LISTED = [
    "elker_groningen", "horizon_antonius", "horizon_midgaard", "horizon_anker",
    "horizon_rijnhove", "schakenbosch", "pluryn_eefde", "pluryn_maarsbergen",
    "levvel_duivendrecht", "via_icarus", "vreekwijk", "parlan_transferium",
]  # fmt: skip


@pytest.fixture(scope="module")
def national():
    return geodata.national.load_municipalities()


def _jzplan(*args, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "JZPLAN_DEBUG"}
    return subprocess.run(
        [str(JZPLAN), *map(str, args)], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_population_sums_match_the_sources(national):
    assert len(national) == 342 and national["gm_code"].is_unique
    assert int(national["population"].sum()) == 17_942_942  # the CBS total, 1 Jan 2024
    assert set(national["population_date"]) == {"2024-01-01"}
    # the three regions equal the bundled three-region zones, municipality by municipality
    bundled = geodata.load_municipalities()
    for region, jeugdregio in THREE.items():
        here = national[national["region"] == jeugdregio].set_index("gm_code")["population"]
        there = bundled[bundled["region"] == region].set_index("gm_code")["population"]
        assert here.sort_index().astype(int).to_dict() == there.sort_index().astype(int).to_dict()
    # per region against the reference file itself, where it is at hand
    if REFERENCE.is_file():
        ref = pd.read_csv(REFERENCE, dtype={"gm_code": str})
        expected = ref.groupby("jeugdregio_name")["population_2024"].sum().to_dict()
        got = national.groupby("region")["population"].sum().astype(int).to_dict()
        assert got == expected


def test_every_municipality_is_in_exactly_one_region(national):
    regions = geodata.national.load_regions()
    assert len(regions) == 42 and regions["region"].is_unique
    assert national["region"].notna().all() and set(national["region"]) == set(regions["region"])
    pairs = national[["region", "region_code"]].drop_duplicates()
    assert len(pairs) == 42  # one code per name
    metric = national.to_crs(geodata.METRIC_CRS)
    points = gpd.GeoSeries.from_xy(national["lon"], national["lat"], crs=geodata.DISPLAY_CRS)
    points = points.to_crs(geodata.METRIC_CRS)
    assert (metric.geometry.distance(points, align=False) == 0).all()  # each cell holds its point
    shapes = regions.to_crs(geodata.METRIC_CRS).set_index("region").geometry
    for region, cells in metric.groupby("region"):
        union = cells.geometry.union_all()
        assert union.symmetric_difference(shapes[region]).area < 0.1e6, region  # < 0.1 km²
    overlap = sum(metric.geometry.area) - metric.geometry.union_all().area
    assert overlap < 1e5  # cells do not overlap (less than 0.1 km² in all)


def test_youth_bands_are_the_pc4_sums(national):
    pc4 = geodata.national.load_pc4()
    sums = pc4.groupby("gm_code")[["age_0_14", "age_15_24"]].sum()
    got = national.set_index("gm_code")[["age_0_14", "age_15_24"]].astype(int)
    assert got.sort_index().equals(sums.loc[got.index].astype(int).sort_index())


def test_the_national_scenario_validates():
    result = _jzplan("validate", NATIONAL)
    assert result.returncode == 0, result.stderr
    assert f"ok {NATIONAL}" in result.stdout


def test_national_candidates_follow_the_rule():
    data = load(NATIONAL)
    sc, zones = data.scenario, data.zones.set_index("gm_code")
    sites = data.sites.set_index("site_id")
    generated = sites[sites.index.str.startswith("cand_")]
    schools = geodata.national.load_schools()
    detour = sc.travel.detour_factor

    def nearest(lat, lon) -> float:
        return min(
            2 * 6371.0088 * math.asin(math.sqrt(
                math.sin(math.radians(s.lat - lat) / 2) ** 2
                + math.cos(math.radians(lat)) * math.cos(math.radians(s.lat))
                * math.sin(math.radians(s.lon - lon) / 2) ** 2))
            for s in schools.itertuples()
        )  # fmt: skip

    listed = {s.gm_code for i, s in sc.sites.items() if not i.startswith("cand_")}
    rule = sc.candidates
    expected = {
        f"cand_{code}"
        for code, z in zones.iterrows()
        if z["population"] >= rule.min_population
        and detour * nearest(z["lat"], z["lon"]) <= rule.near_school_km
        and code not in listed
    }
    assert set(generated.index) == expected and len(expected) == 27  # as the config says
    for sid, row in generated.iterrows():
        km = detour * nearest(row["lat"], row["lon"])
        assert row["school_km"] == pytest.approx(km, abs=1e-3), sid
        assert (row["lat"], row["lon"]) == (zones.at[row["gm_code"], "lat"],
                                            zones.at[row["gm_code"], "lon"])  # fmt: skip
    assert sites.loc["schakenbosch", ["existing_closed", "existing_open"]].tolist() == [9, 3]


def _reduced(tmp_path: Path) -> Path:
    """Two regions, with their youth-key share of the national totals (the national totals are
    for all zones: given as they are to two regions they would put the country's youths there)."""
    nulls = "".join(f"  {s}: null\n" for s in OTHER_LISTED)
    zones = geodata.national.load_municipalities()
    weight = 0.2 * zones["age_0_14"].astype(float) + 0.3 * zones["age_15_24"].astype(float)
    share = weight[zones["region"].isin(REDUCED)].sum() / weight.sum()
    totals = load(NATIONAL).scenario.demand.totals.values
    values = ", ".join(f"{y}: {round(v * share, 4)}" for y, v in totals.items())
    path = tmp_path / "reduced.yaml"
    path.write_text(
        f"extends: {NATIONAL}\nname: national-reduced\n"
        "zones: {kind: national, regions: [West Brabant West, Zeeland]}\n"
        f"demand: {{totals: {{values: {{{values}}}, assumption: 'national x youth share'}}}}\n"
        "candidates: {min_population: 40000}\n"  # no city of 100,000 in the two regions
        f"sites:\n{nulls}"
        "solver: {time_limit_s: 60, mip_rel_gap: 0.02, assumption: test}\n",
        encoding="utf-8",
    )
    return path


def test_a_reduced_national_instance_solves_and_maps(tmp_path):
    out = tmp_path / "run"
    result = _jzplan("run", _reduced(tmp_path), "--out", out, "--force")
    assert result.returncode == 0, result.stderr
    solver = json.loads((out / "summary.json").read_text())["solver"]
    assert solver["status"] in ("optimal", "feasible") and solver["mip_gap"] is not None
    run = checker.Run(out)  # the independent checker of the run folder
    for check in CHECKS:
        check(run)
    zones = pd.read_csv(out / "inputs/zones.csv", dtype={"gm_code": str})
    assert set(zones["region"]) == {"West Brabant West", "Zeeland"} and len(zones) == 22
    plan = pd.read_csv(out / "plan.csv")
    assert set(plan.loc[(plan["year"] == 2030) & (plan["type"] == "closed"), "groups"]) <= {0}
    shapes = json.loads((out / "inputs/zones.geojson").read_text())
    assert len(shapes["features"]) == 22
    page = (out / "map.html").read_text(encoding="utf-8")
    assert "West Brabant West" in page and "Almata Ossendrecht" in page
    assert page.count('"kind":"region"') + page.count('"kind": "region"') == 2  # CBS borders
