"""Bundled data and the demand model."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geodata
from optimizer.demand import distribute
from optimizer.pipeline import load
from tests.conftest import ROOT

# Region membership as settled in geodata/data/SOURCES.md §3 (CBS jeugdregio 2025, cited pages)
EXPECTED = {
    "WBW": {
        "GM0748",
        "GM0777",
        "GM1655",
        "GM1709",
        "GM1674",
        "GM0840",
        "GM0851",
        "GM0873",
        "GM0879",
    },
    "WBO": {"GM1959", "GM0758", "GM1719", "GM0779", "GM0826"},
    "Zeeland": {
        "GM0654",
        "GM0664",
        "GM0677",
        "GM0678",
        "GM0687",
        "GM1695",
        "GM0703",
        "GM1676",
        "GM1714",
        "GM0715",
        "GM0716",
        "GM0717",
        "GM0718",
    },
}


def test_every_municipality_once_with_its_region():
    zones = geodata.load_municipalities()
    assert zones["gm_code"].is_unique
    assert {r: set(g["gm_code"]) for r, g in zones.groupby("region")} == EXPECTED
    assert zones.crs.to_epsg() == 4326
    assert geodata.load_municipalities(geodata.METRIC_CRS).crs.to_epsg() == 28992
    assert zones.geometry.is_valid.all()
    # the zone point lies inside its polygon
    assert zones.geometry.contains(gpd_points(zones)).all()


def gpd_points(zones):
    import geopandas as gpd

    return gpd.GeoSeries(
        gpd.points_from_xy(zones["lon"], zones["lat"]), index=zones.index, crs=zones.crs
    )


def test_population_has_one_reference_date_and_sources_travel_with_the_data():
    zones = geodata.load_municipalities()
    assert zones["population"].notna().all() and zones["population_date"].notna().all()
    assert set(zones["population_date"]) == {"2024-01-01"}  # CBS 85984NED, one date for all
    text = geodata.sources_file().read_text()
    assert "CBS" in text and "Licence" in text and "85984NED" in text


def test_demand_sums_equal_totals_per_year_and_need():
    data = load(ROOT / "configs/baseline-2026.yaml")
    sc = data.scenario
    by = data.demand.groupby(["year", "need"])["beds"].sum()
    for year in data.years:
        total = sc.demand.totals.values[year]
        assert data.demand[data.demand.year == year]["beds"].sum() == pytest.approx(total, abs=1e-9)
        for need, share in sc.demand.need_shares.values[year].items():
            assert by[(year, need)] == pytest.approx(total * share, abs=1e-4)
    # population key: Breda gets more than Noord-Beveland
    d2026 = data.demand[data.demand.year == 2026].groupby("gm_code")["beds"].sum()
    assert d2026["GM0758"] > d2026["GM1695"] > 0


@settings(max_examples=60, deadline=None)
@given(
    weights=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=30).filter(
        lambda w: sum(w) > 0
    ),
    total=st.floats(0, 500, allow_nan=False),
    secure=st.floats(0, 1),
)
def test_distribution_is_exact_for_any_key(weights, total, secure):
    zones = pd.DataFrame(
        {"gm_code": [f"Z{i}" for i in range(len(weights))], "region": "R", "weight": weights}
    )
    shares = {2026: {"secure": secure, "hybrid": 1 - secure, "open": 0.0}}
    demand = distribute(zones, {"*": {2026: total}}, shares, [2026])
    units = round(total * 10_000)
    assert round(demand["beds"].sum() * 10_000) == units
    assert (demand["beds"] >= 0).all()
    zero = {f"Z{i}" for i, w in enumerate(weights) if w == 0}
    assert demand[demand["gm_code"].isin(zero)]["beds"].sum() == 0
