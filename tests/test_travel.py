"""The land-aware travel model on the bundled municipalities."""

from __future__ import annotations

import numpy as np
import pandas as pd
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
    # longer than a land trip of that straight length (detour factor 1.3): the water forces a
    # detour through the tunnel (Terneuzen-Middelburg: 38 km by road, 28 km straight)
    assert row["km"] > baseline.scenario.travel.detour_factor * straight


def test_zone_site_distances_report_links(baseline):
    d = baseline.distances.set_index(["gm_code", "site_id"])
    assert "Westerscheldetunnel" in d.at[("GM1714", "goes"), "links"]
    assert d.at[("GM0873", "ossendrecht"), "links"] == ""


def test_water_border_removes_the_edge(travel_model):
    assert not travel_model.graph.has_edge("GM1959", "GM1719")  # Altena - Drimmelen (Amer)
    assert travel_model.graph.edges["GM1959", "GM0779"]["link"] == "Keizersveer"


def test_fixed_link_lengths_come_from_the_bundled_file(baseline, travel_model):
    """A link naming a bundled crossing: its length from fixed_links.csv, taken as straight, plus
    the rest of the straight line between the zone points × detour factor."""
    import geodata

    crossings = geodata.load_fixed_links().set_index("link_id")
    sc = baseline.scenario
    pos = baseline.zones.set_index("gm_code")
    named = [lk for lk in sc.travel.fixed_links if lk.link is not None]
    assert {lk.link for lk in named} == {
        "westerscheldetunnel", "zeelandbrug", "oosterscheldekering", "veerse_gatdam",
        "zandkreekdam", "philipsdam", "oesterdam",
    }  # fmt: skip
    for lk in named:
        a, b = lk.between
        length = crossings.at[lk.link, "length_m"] / 1000
        straight = float(
            haversine_km(pos.at[a, "lat"], pos.at[a, "lon"], pos.at[b, "lat"], pos.at[b, "lon"])
        )
        edge = travel_model.graph.edges[a, b]
        expected = length + sc.travel.detour_factor * max(0.0, straight - length)
        assert edge["km"] == pytest.approx(expected, rel=1e-12), lk.name
        assert edge["link"] == lk.name
    assert crossings.at["westerscheldetunnel", "length_m"] == 6600
    assert crossings.at["zeelandbrug", "length_m"] == 5022
    # a link with an edge length of its own keeps it
    antwerp = next(lk for lk in sc.travel.fixed_links if lk.name == "road via Antwerpen")
    assert travel_model.graph.edges[tuple(antwerp.between)]["km"] == antwerp.km


def test_toll_status_is_documented_with_the_links():
    import geodata

    links = geodata.load_fixed_links().set_index("link_id")
    tunnel = links.loc["westerscheldetunnel"]
    assert tunnel["toll"] == "partly" and "30 Dec 2024" in tunnel["toll_note"]
    assert (links.drop(index="westerscheldetunnel")["toll"] == "no").all()
    assert (links["source_url"].str.startswith("http")).all()
    assert pd.isna(links.at["grevelingendam", "length_km"])
    text = geodata.sources_file().read_text(encoding="utf-8")
    assert "toll-free for cars" in text and "30 December 2024" in text


def test_unknown_bundled_link_and_km_with_link_are_refused(tmp_path):
    from optimizer.errors import ScenarioError

    base = ROOT / "configs/baseline-2026.yaml"
    for link, message in (
        ("{name: X, between: [GM0715, GM0654], link: kennedy, assumption: t}", "'kennedy'"),
        ("{name: X, between: [GM0715, GM0654], link: oesterdam, km: 9, assumption: t}", "not both"),
    ):  # fmt: skip
        path = tmp_path / "v.yaml"
        path.write_text(f"extends: {base}\nname: v\ntravel:\n  fixed_links:\n    - {link}\n")
        with pytest.raises(ScenarioError) as info:
            load(path)
        assert message in str(info.value)
