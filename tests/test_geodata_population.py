"""Bundled population (CBS 1 Jan 2024), postcode-4 areas and the demand keys built on them."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

import geodata
from optimizer.errors import ScenarioError
from optimizer.pipeline import load
from tests.conftest import ROOT

BASELINE = ROOT / "configs/baseline-2026.yaml"
#: Region totals of CBS 85984NED on 1 January 2024 (geodata SOURCES.md §2).
REGION_TOTALS = {"WBW": 354_921, "WBO": 354_531, "Zeeland": 391_634}
#: Demand is apportioned per need to 1/10,000 bed: a zone's sum of three needs is within 3e-4.
NEEDS_ROUNDING = 3e-4


def test_population_2024_sums_per_region_equal_the_file():
    table = pd.read_csv(geodata.data_dir() / "population.csv", dtype={"gm_code": str})
    regions = pd.read_csv(geodata.data_dir() / "municipalities.csv", dtype={"gm_code": str})
    by_file = table.merge(regions[["gm_code", "region"]], on="gm_code", validate="1:1")
    assert len(table) == 27 and table["gm_code"].is_unique
    assert by_file.groupby("region")["population"].sum().to_dict() == REGION_TOTALS
    zones = geodata.load_municipalities()
    assert zones.groupby("region")["population"].sum().to_dict() == REGION_TOTALS
    assert (table["men"] + table["women"] == table["population"]).all()
    assert set(table["population_date"]) == {"2024-01-01"}


def test_the_key_has_one_reference_date():
    data = load(BASELINE)
    assert data.scenario.demand.key == "population"
    assert data.zones["population_date"].nunique() == 1
    keyed = data.demand[data.demand["year"] == 2026].groupby("gm_code")["beds"].sum()
    population = data.zones.set_index("gm_code")["population"]
    share = population / population.sum()
    assert keyed.reindex(share.index).to_numpy() == pytest.approx(
        (share * data.scenario.demand.totals.values[2026]).to_numpy(), abs=NEEDS_ROUNDING
    )


def test_pc4_areas_lie_in_their_municipality_and_sum_to_its_age_bands():
    pc4 = geodata.load_pc4()
    assert len(pc4) == 297 and pc4["pc4"].is_unique
    assert set(pc4["reference_date"]) == {"2024-01-01"}
    shapes = geodata.load_municipalities(geodata.METRIC_CRS).set_index("gm_code").geometry
    points = gpd.GeoSeries(gpd.points_from_xy(pc4["lon"], pc4["lat"]), crs=geodata.DISPLAY_CRS)
    points = points.to_crs(geodata.METRIC_CRS)
    far = [
        code for code, gm, p in zip(pc4["pc4"], pc4["gm_code"], points, strict=True)
        if shapes[gm].distance(p) > 250  # generalised boundaries (SOURCES.md §1)
    ]  # fmt: skip
    assert not far
    zones = geodata.load_municipalities().set_index("gm_code")
    for band in ("age_0_14", "age_15_24"):
        sums = pc4.groupby("gm_code")[band].sum()
        assert (zones[band] == sums.reindex(zones.index)).all(), band
    # PC4 totals agree with the municipality totals (an independent CBS product) within 1 %
    gap = pc4.groupby("gm_code")["population"].sum() / zones["population"] - 1
    assert gap.abs().max() < 0.01
    assert pc4.loc[pc4["pc4"] == "5157", "note"].str.contains("uncertain").all()


def _variant(tmp_path, text: str):
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {BASELINE}\nname: variant\n{text}", encoding="utf-8")
    return path


def test_youth_key_weighs_the_age_bands(tmp_path):
    key = "demand:\n  key: youth\n  youth_key: {share_0_14: 0.2, share_15_24: 0.3, assumption: t}\n"
    data = load(_variant(tmp_path, key))
    zones = data.zones.set_index("gm_code")
    weight = 0.2 * zones["age_0_14"] + 0.3 * zones["age_15_24"]
    for year, total in data.scenario.demand.totals.values.items():
        if year not in data.years:
            continue
        beds = data.demand[data.demand["year"] == year].groupby("gm_code")["beds"].sum()
        expected = total * weight / weight.sum()
        got = beds.reindex(zones.index).to_numpy()
        assert got == pytest.approx(expected.to_numpy(), abs=NEEDS_ROUNDING)
    population = load(BASELINE).demand.groupby("gm_code")["beds"].sum()
    youth = data.demand.groupby("gm_code")["beds"].sum()
    assert youth["GM0703"] > population["GM0703"]  # Reimerswaal: young population
    assert youth["GM1714"] < population["GM1714"]  # Sluis: old population


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("demand: {key: youth}\n", "youth_key"),
        ("demand: {youth_key: {share_0_14: 1, share_15_24: 0, assumption: t}}\n", "youth_key"),
        ("demand: {key: youth, youth_key: {share_0_14: 0, share_15_24: 0, assumption: t}}\n",
         "above 0"),
    ],
)  # fmt: skip
def test_youth_key_needs_its_shares(tmp_path, text, message):
    with pytest.raises(ScenarioError) as info:
        load(_variant(tmp_path, text))
    assert message in str(info.value)
