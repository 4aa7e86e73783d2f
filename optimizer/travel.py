"""Distance (km) and time (minutes) between zones and sites, aware of land and water.

A straight line cannot be used in Zeeland: Zeeuws-Vlaanderen (Hulst, Sluis, Terneuzen) reaches
Walcheren and Brabant only through the Westerschelde tunnel or by road via Antwerp, and the islands
connect through their dams and bridges. The default model is therefore a graph:

- nodes are zones (their representative points);
- an edge joins two zones whose polygons touch on land (shared border), unless the scenario lists
  the pair as a water border; its length is the straight line times the detour factor;
- configured fixed links (tunnel, bridge, dam, a road abroad) add or name edges, with extra minutes
  (congestion, a toll stop) and a length: the whole edge's km where the scenario gives it (a road
  abroad); for a bundled crossing (``geodata.load_fixed_links``: Westerscheldetunnel 6.6 km,
  Zeelandbrug 5.022 km, the dams) its own length from that file, taken as straight, plus the
  rest of the straight line between the two zone points × detour factor (where the crossing
  lies between them is not in the data); else straight line × detour factor.

Each edge is at least as long as the straight line between its ends, so every shortest path is at
least as long as the straight line between its end points. A trip between two points p (in zone A)
and q (in zone B) runs p → A → … → B → q, the legs to and from the zone points at straight line ×
detour factor. Time is km / speed plus the extra minutes of every link used.

Alternatives: ``straight_line`` (straight line × detour factor, for zones without polygons) and a
user matrix (any router's output, e.g. OSRM), read by :mod:`optimizer.data` through the declared
schema ``optimizer.userfiles.MATRIX``: every zone-site pair once, km 0-1,000 and minutes 0-1,440.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance; vectorised over numpy arrays."""
    lat1, lon1, lat2, lon2 = (
        np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2)
    )
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


@dataclass(frozen=True)
class Link:
    """An edge between zones ``a`` and ``b``: ``km`` is the whole edge's length when known,
    ``crossing_km`` the length of the tunnel, bridge or dam on it (see the module docstring)."""

    name: str
    a: str
    b: str
    km: float | None = None
    extra_minutes: float = 0.0
    crossing_km: float | None = None

    def edge_km(self, straight_km: float, detour_factor: float) -> float:
        """The edge's length: never shorter than the straight line between the zone points."""
        if self.km is not None:
            return max(self.km, straight_km)
        if self.crossing_km is not None:
            return self.crossing_km + detour_factor * max(0.0, straight_km - self.crossing_km)
        return detour_factor * straight_km


@dataclass
class TravelModel:
    """Shortest paths over the land graph of zones, with the links each path uses."""

    zones: pd.DataFrame  # gm_code, lat, lon
    detour_factor: float
    speed_kmh: float
    graph: nx.Graph = field(repr=False)
    _paths: dict = field(default_factory=dict, repr=False)
    _pos: dict = field(default_factory=dict, repr=False)  # gm_code -> {"lat", "lon"}

    @classmethod
    def land_graph(
        cls,
        zones: gpd.GeoDataFrame,
        detour_factor: float,
        speed_kmh: float,
        links: list[Link] = (),
        water_borders: list[tuple[str, str]] = (),
        metric_crs: str = "EPSG:28992",
    ) -> TravelModel:
        graph = nx.Graph()
        graph.add_nodes_from(zones["gm_code"])
        pos = zones.set_index("gm_code")[["lat", "lon"]]
        blocked = {frozenset(pair) for pair in water_borders}
        metric = zones.to_crs(metric_crs)[["gm_code", "geometry"]]
        touching = gpd.sjoin(metric, metric, predicate="touches", how="inner")
        for a, b in zip(touching["gm_code_left"], touching["gm_code_right"], strict=True):
            if a < b and frozenset((a, b)) not in blocked:
                km = detour_factor * _straight(pos, a, b)
                graph.add_edge(a, b, km=km, extra_minutes=0.0, link=None)
        for link in links:
            km = link.edge_km(_straight(pos, link.a, link.b), detour_factor)
            graph.add_edge(link.a, link.b, km=km, extra_minutes=link.extra_minutes, link=link.name)
        return cls(
            zones=pos.reset_index(), detour_factor=detour_factor, speed_kmh=speed_kmh, graph=graph
        )

    def _edge_minutes(self, a: str, b: str, data: dict) -> float:
        return 60.0 * data["km"] / self.speed_kmh + data["extra_minutes"]

    def zone_paths(self, source: str) -> dict:
        """Shortest paths (by minutes) from one zone: {target: (km, minutes, [link names])}."""
        if source not in self._paths:
            weight = self._edge_minutes
            _, paths = nx.single_source_dijkstra(self.graph, source, weight=weight)
            result = {}
            for target, nodes in paths.items():
                km = minutes = 0.0
                used = []
                for u, v in zip(nodes[:-1], nodes[1:], strict=True):
                    data = self.graph.edges[u, v]
                    km += data["km"]
                    minutes += self._edge_minutes(u, v, data)
                    if data["link"]:
                        used.append(data["link"])
                result[target] = (km, minutes, used)
            self._paths[source] = result
        return self._paths[source]

    def zone_matrix(self) -> pd.DataFrame:
        """Zone-to-zone km, minutes and links (long format); unreachable pairs are left out."""
        rows = []
        for a in self.zones["gm_code"]:
            for b, (km, minutes, links) in self.zone_paths(a).items():
                rows.append((a, b, km, minutes, ";".join(links)))
        return pd.DataFrame(rows, columns=["from", "to", "km", "minutes", "links"])

    def point_to_point(self, zone_a: str, lat_a, lon_a, zone_b: str, lat_b, lon_b):
        """Trip from a point in zone A to a point in zone B: (km, minutes, links) or None."""
        if not self._pos:
            self._pos.update(self.zones.set_index("gm_code")[["lat", "lon"]].to_dict("index"))
        pos = self._pos
        if zone_a == zone_b:
            km = self.detour_factor * float(haversine_km(lat_a, lon_a, lat_b, lon_b))
            return km, 60.0 * km / self.speed_kmh, []
        path = self.zone_paths(zone_a).get(zone_b)
        if path is None:
            return None
        leg_a = float(haversine_km(lat_a, lon_a, pos[zone_a]["lat"], pos[zone_a]["lon"]))
        leg_b = float(haversine_km(pos[zone_b]["lat"], pos[zone_b]["lon"], lat_b, lon_b))
        legs = self.detour_factor * (leg_a + leg_b)
        km, minutes, links = path
        return km + legs, minutes + 60.0 * legs / self.speed_kmh, links


def trip_km(model: TravelModel | None, detour_factor: float, a: tuple, b: tuple) -> float | None:
    """Road km between two points ``(zone, lat, lon)``: over the land graph when there is one and
    both zones are in it (None when no land path joins them), else straight line × detour factor
    (zones without polygons, or a point outside the area)."""
    (zone_a, lat_a, lon_a), (zone_b, lat_b, lon_b) = a, b
    if model is not None and model.graph.has_node(zone_a) and model.graph.has_node(zone_b):
        trip = model.point_to_point(zone_a, lat_a, lon_a, zone_b, lat_b, lon_b)
        return None if trip is None else trip[0]
    return detour_factor * float(haversine_km(lat_a, lon_a, lat_b, lon_b))


def _straight(pos: pd.DataFrame, a: str, b: str) -> float:
    return float(
        haversine_km(pos.at[a, "lat"], pos.at[a, "lon"], pos.at[b, "lat"], pos.at[b, "lon"])
    )


def zone_site_distances(
    model: TravelModel | None,
    zones: pd.DataFrame,
    sites: pd.DataFrame,
    detour_factor: float,
    speed_kmh: float,
) -> pd.DataFrame:
    """km, minutes and links from every zone point to every site.

    With ``model=None`` the straight line × detour factor is used (zones without polygons).
    Pairs with no land path (an island with no link) are left out: nothing can be assigned there.
    """
    if model is None:
        pairs = zones[["gm_code", "lat", "lon"]].merge(
            sites[["site_id", "lat", "lon"]], how="cross", suffixes=("", "_site")
        )
        km = detour_factor * haversine_km(
            pairs["lat"], pairs["lon"], pairs["lat_site"], pairs["lon_site"]
        )
        return pd.DataFrame(
            {
                "gm_code": pairs["gm_code"],
                "site_id": pairs["site_id"],
                "km": km,
                "minutes": 60.0 * km / speed_kmh,
                "links": "",
            }
        )
    rows = []
    for zone in zones.itertuples(index=False):
        for site in sites.itertuples(index=False):
            trip = model.point_to_point(
                zone.gm_code, zone.lat, zone.lon, site.gm_code, site.lat, site.lon
            )
            if trip is not None:
                rows.append((zone.gm_code, site.site_id, trip[0], trip[1], ";".join(trip[2])))
    return pd.DataFrame(rows, columns=["gm_code", "site_id", "km", "minutes", "links"])
