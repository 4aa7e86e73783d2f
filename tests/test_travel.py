"""The land-aware travel model on the bundled municipalities."""

from __future__ import annotations

import numpy as np
import pytest

from optimizer.pipeline import load
from optimizer.travel import haversine_km
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def baseline():
    return load(ROOT / "configs/baseline-2026.yaml")


@pytest.fixture(scope="module")
def travel_model(baseline):
    from optimizer.data import _travel_model
    from optimizer.errors import Findings

    return _travel_model(baseline.scenario, baseline.zones, True, Findings("x"))


@pytest.fixture(scope="module")
def matrix(travel_model):
    return travel_model.zone_matrix().set_index(["from", "to"])


def test_every_pair_is_reachable_and_diagonal_is_zero(matrix, baseline):
    codes = list(baseline.zones["gm_code"])
    assert len(matrix) == len(codes) ** 2
    for code in codes:
        assert matrix.at[(code, code), "km"] == 0
        assert matrix.at[(code, code), "minutes"] == 0


def test_symmetric(matrix):
    for (a, b), row in matrix.iterrows():
        back = matrix.loc[(b, a)]
        assert row["km"] == pytest.approx(back["km"])
        assert row["minutes"] == pytest.approx(back["minutes"])


def test_never_shorter_than_the_straight_line(matrix, baseline):
    pos = baseline.zones.set_index("gm_code")
    frm = matrix.index.get_level_values(0)
    to = matrix.index.get_level_values(1)
    straight = haversine_km(
        pos.loc[frm, "lat"], pos.loc[frm, "lon"], pos.loc[to, "lat"], pos.loc[to, "lon"]
    )
    assert np.all(matrix["km"].to_numpy() >= straight - 1e-9)


@pytest.mark.parametrize("a,b", [("GM0715", "GM0687"), ("GM0677", "GM0664")],
                         ids=["Terneuzen-Middelburg", "Hulst-Goes"])  # fmt: skip
def test_westerschelde_crossing_uses_the_tunnel(matrix, baseline, a, b):
    row = matrix.loc[(a, b)]
    assert "Westerscheldetunnel" in row["links"].split(";")
    pos = baseline.zones.set_index("gm_code")
    straight = float(
        haversine_km(pos.at[a, "lat"], pos.at[a, "lon"], pos.at[b, "lat"], pos.at[b, "lon"])
    )
    assert row["km"] > 1.4 * straight  # far longer than the straight line across the water


def test_zone_site_distances_report_links(baseline):
    d = baseline.distances.set_index(["gm_code", "site_id"])
    assert "Westerscheldetunnel" in d.at[("GM1714", "goes"), "links"]
    assert d.at[("GM0873", "ossendrecht"), "links"] == ""


def test_water_border_removes_the_edge(travel_model):
    assert not travel_model.graph.has_edge("GM1959", "GM1719")  # Altena - Drimmelen (Amer)
    assert travel_model.graph.edges["GM1959", "GM0779"]["link"] == "Keizersveer"
