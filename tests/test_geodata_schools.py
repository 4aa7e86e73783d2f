"""Bundled schools (DUO 22 Nov 2024) and the education access jzplan derives from them."""

from __future__ import annotations

import math
import typing

import geopandas as gpd
import networkx as nx
import pytest

import geodata
from optimizer import schema
from optimizer.data import SITE_SCHOOL_COLUMNS, _travel_model
from optimizer.errors import Findings, ScenarioError
from optimizer.pipeline import load
from optimizer.travel import haversine_km
from tests.conftest import ROOT

BASELINE = ROOT / "configs/baseline-2026.yaml"
#: Municipality polygons are generalised to several hundred metres (SOURCES.md §1); a school
#: point may fall this far outside its own municipality's polygon and still count as inside.
TOLERANCE_M = 250.0


@pytest.fixture(scope="module")
def baseline():
    return load(BASELINE)


def test_every_school_lies_in_its_own_municipality():
    shapes = geodata.load_municipalities(geodata.METRIC_CRS).set_index("gm_code").geometry
    schools = geodata.load_schools()
    with_point = schools[schools["lat"].notna()]
    assert len(schools) == 132 and len(with_point) == 131
    points = gpd.GeoSeries(
        gpd.points_from_xy(with_point["lon"], with_point["lat"]), crs=geodata.DISPLAY_CRS
    ).to_crs(geodata.METRIC_CRS)
    far = [
        (school_id, round(shapes[code].distance(point)))
        for school_id, code, point in zip(
            with_point["school_id"], with_point["gm_code"], points, strict=True
        )
        if shapes[code].distance(point) > TOLERANCE_M
    ]
    assert not far, f"schools outside their municipality (m): {far}"


def test_school_table_kinds_flags_and_ids():
    schools = geodata.load_schools()
    assert schools["school_id"].is_unique
    assert (schools["school_id"].str[:4] == schools["brin"]).all()
    assert set(typing.get_args(schema.SchoolKind)) == set(geodata.SCHOOL_KINDS)
    assert set(schools["kind"]) == set(geodata.SCHOOL_KINDS)
    assert set(schools["flag"]) <= set(geodata.SCHOOL_FLAGS)
    assert set(schools["gm_code"]) <= set(geodata.load_municipalities()["gm_code"])
    # the kind follows from sector, cluster and DUO type (SOURCES.md §5)
    vso = schools["sector"] == "VSO"
    assert (schools.loc[vso & (schools["cluster"] == "4"), "kind"]
            .isin(["vso_cluster4", "jzplus_school"]).all())  # fmt: skip
    assert (schools.loc[vso & (schools["cluster"] != "4"), "kind"] == "vso_other").all()
    assert (schools.loc[~vso & (schools["duo_type"] == "PRO"), "kind"] == "practical").all()
    jz = schools[schools["kind"] == "jzplus_school"]
    assert jz["school_id"].tolist() == ["02RH15"] and jz["cluster"].tolist() == ["4"]
    assert "Ossendrecht" in jz["address"].iloc[0]


def test_flagged_rows_are_handled_explicitly():
    schools = geodata.load_schools().set_index("school_id")
    flagged = schools.loc[schools["flag"] != "", "flag"].to_dict()
    assert flagged == {
        "03XS10": "no_coordinate",
        "32GK00": "coordinate_copied",
        "04EY11": "moved_later",
        "01JO23": "moved_later",
        "10LU01": "duplicate_geocode",
    }
    assert schools.loc["03XS10", ["lat", "lon"]].isna().all()
    copied, source = schools.loc["32GK00"], schools.loc["13OR01"]
    assert (copied["lat"], copied["lon"]) == (source["lat"], source["lon"])
    located = set(geodata.load_schools(located=True)["school_id"])
    assert located == set(schools.index) - {"03XS10", "04EY11", "01JO23"}


def _independent_km(data, graph, site, school) -> float | None:
    """Trip km as optimizer.travel documents it, recomputed: legs to and from the zone points at
    straight line × detour, the zone path being the fastest over the land graph's edges."""
    sc = data.scenario
    detour, speed = sc.travel.detour_factor, sc.travel.speed_kmh
    pos = data.zones.set_index("gm_code")
    if site.gm_code == school.gm_code:
        return detour * float(haversine_km(site.lat, site.lon, school.lat, school.lon))

    def minutes(u, v, edge):
        return 60.0 * edge["km"] / speed + edge["extra_minutes"]

    try:
        nodes = nx.dijkstra_path(graph, site.gm_code, school.gm_code, weight=minutes)
    except nx.NetworkXNoPath:
        return None
    path = sum(graph.edges[u, v]["km"] for u, v in zip(nodes[:-1], nodes[1:], strict=True))
    a, b = pos.loc[site.gm_code], pos.loc[school.gm_code]
    legs = haversine_km(site.lat, site.lon, a.lat, a.lon) + haversine_km(
        b.lat, b.lon, school.lat, school.lon
    )
    return path + detour * float(legs)


def test_education_access_is_the_nearest_suitable_school(baseline):
    sc = baseline.scenario
    graph = _travel_model(sc, baseline.zones, True, Findings("x")).graph
    schools = geodata.load_schools(located=True)
    per_type = baseline.site_schools.set_index(["site_id", "type"])
    assert list(baseline.site_schools.columns) == SITE_SCHOOL_COLUMNS
    nearest = baseline.site_schools[baseline.site_schools["basis"] == "nearest"]
    assert set(nearest["site_id"]) >= {"goes", "middelburg", "terneuzen", "oosterhout", "breda"}
    for site in baseline.sites.itertuples(index=False):
        for t in site.allowed_types.split(";"):
            row = per_type.loc[(site.site_id, t)]
            if row["basis"] != "nearest":
                continue
            kinds = sc.education.school_kinds.kinds_for(t)
            km = {
                s.school_id: _independent_km(baseline, graph, site, s)
                for s in schools[schools["kind"].isin(kinds)].itertuples(index=False)
            }
            best = min((v, k) for k, v in km.items() if v is not None)
            assert row["school_id"] == best[1], (site.site_id, t)
            assert row["km"] == pytest.approx(best[0], rel=1e-9)
            assert bool(row["access"]) == (best[0] <= sc.education.max_school_km)
    for site in baseline.sites.itertuples(index=False):
        access = per_type.loc[site.site_id]
        assert site.education_types.split(";") == access.index[access["access"]].tolist()
        assert site.school_km == pytest.approx(access.loc[access["access"], "km"].max())


def test_zeeland_candidates_reach_a_cluster_4_school(baseline):
    per_type = baseline.site_schools.set_index(["site_id", "type"])
    for sid in ("goes", "middelburg", "terneuzen"):
        hybrid = per_type.loc[(sid, "hybrid")]
        assert hybrid["kind"] == "vso_cluster4" and hybrid["km"] < 10 and hybrid["access"]
        region = geodata.load_schools().set_index("school_id").at[hybrid["school_id"], "region"]
        assert region == "Zeeland"
    sites = baseline.sites.set_index("site_id")
    assert sites.at["goes", "education_types"] == "hybrid;open"
    # the map's places list every school a site goes to
    used = set(baseline.site_schools["school_id"]) - {""}
    assert used <= set(baseline.places["place_id"])


def _variant(tmp_path, text: str):
    path = tmp_path / "variant.yaml"
    path.write_text(f"extends: {BASELINE}\nname: variant\n{text}", encoding="utf-8")
    return path


def test_straight_line_schools_and_explicit_references(tmp_path):
    data = load(
        _variant(
            tmp_path,
            "travel: {method: straight_line}\n"
            "sites:\n  goes: {education: {school: 04EY00, source: test}}\n",
        )
    )
    sc = data.scenario
    goes = data.sites.set_index("site_id").loc["goes"]
    school = geodata.load_schools().set_index("school_id").loc["04EY00"]  # Asteria, Middelburg
    expected = sc.travel.detour_factor * float(
        haversine_km(goes["lat"], goes["lon"], school["lat"], school["lon"])
    )
    assert goes["school_km"] == pytest.approx(expected, rel=1e-12)
    rows = data.site_schools[data.site_schools["site_id"] == "goes"]
    assert set(rows["basis"]) == {"named"} and set(rows["school_id"]) == {"04EY00"}
    # without school kinds a site that names no school has none
    data = load(_variant(tmp_path, "education: {school_kinds: null}\n"))
    sites = data.sites.set_index("site_id")
    assert sites.at["goes", "education_types"] == "" and math.isnan(sites.at["goes", "school_km"])
    assert sites.at["ossendrecht", "education_types"] == "closed;hybrid;open"


@pytest.mark.parametrize(
    ("school", "message"),
    [("olivijncollege_ossendrecht", "unknown school_id"), ("03XS10", "no usable coordinate"),
     ("04EY11", "moved_later")],
)  # fmt: skip
def test_a_named_school_must_be_a_located_bundled_school(tmp_path, school, message):
    path = _variant(tmp_path, f"sites:\n  goes: {{education: {{school: {school}, source: t}}}}\n")
    with pytest.raises(ScenarioError) as info:
        load(path)
    assert message in str(info.value) and "sites.goes.education.school" in str(info.value)
