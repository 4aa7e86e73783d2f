"""The map's own light basemap, drawn from the run folder alone: no tiles, no network.

- land: the zone polygons (inputs/zones.geojson), drawn without borders, so everything outside
  them (the sea, the Westerschelde, the Oosterschelde, and the land outside the three regions)
  shows as the water-coloured background;
- fixed links: the tunnel, bridges, dams and roads abroad that the travel model adds to its land
  graph (inputs/scenario.yaml ``travel.fixed_links``), each a named line between the points of
  the two zones it joins;
- town labels: the zone (municipality) names at their points.

:func:`flow_path` turns a zone → site trip into the line the travel model's path takes: through
the fixed links its ``links`` column names (inputs/distances.csv), in order, instead of a
straight line across the water.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from reports import formatting
from reports.runfolder import RunFolder
from reports.texts import scenario_dict
from reports.view import View, esc

#: Places outside the zones that a fixed link's name routes through ("road via Antwerpen"):
#: name as shown, latitude, longitude (city centre, WGS 84). The travel model knows such a link
#: only by its two zones and its length; the map draws it through this point so that the line
#: follows the road around the water rather than across it.
VIA_PLACES: dict[str, tuple[str, float, float]] = {
    "antwerpen": ("Antwerpen", 51.2194, 4.4025),
    "antwerp": ("Antwerpen", 51.2194, 4.4025),
}

LatLng = tuple[float, float]


@dataclass(frozen=True)
class FixedLink:
    """One fixed link of the travel model: its zones and the line the map draws for it."""

    name: str
    a: str
    b: str
    points: tuple[LatLng, ...]  # from a's point, through any via place, to b's point
    extra_minutes: float
    km: float | None

    def towards(self, zone: str, here: LatLng) -> tuple[tuple[LatLng, ...], str]:
        """The link's points in the direction a trip at ``zone`` (point ``here``) takes it, and
        the zone it comes out in."""
        if zone == self.a:
            return self.points, self.b
        if zone == self.b:
            return self.points[::-1], self.a
        if _km(here, self.points[-1]) < _km(here, self.points[0]):
            return self.points[::-1], self.a
        return self.points, self.b


def _km(p: LatLng, q: LatLng) -> float:
    """Great-circle distance, only to choose the nearer end of a link."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*p, *q))
    a = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def via_place(name: str) -> tuple[str, float, float] | None:
    """The place a link's name routes through ("… via Antwerpen"), when the map knows it."""
    match = re.search(r"\bvia\s+([^\W\d_][\w-]*)", name, flags=re.IGNORECASE)
    return VIA_PLACES.get(match.group(1).lower()) if match else None


def zone_points(run: RunFolder) -> dict[str, LatLng]:
    zones = run.zones[run.zones["lat"].notna() & run.zones["lon"].notna()]
    return {
        str(code): (float(lat), float(lon))
        for code, lat, lon in zip(zones["gm_code"], zones["lat"], zones["lon"], strict=True)
    }


def fixed_links(run: RunFolder) -> dict[str, FixedLink]:
    """The scenario's fixed links between zones of the run, by name."""
    travel = scenario_dict(run).get("travel")
    listed = (travel.get("fixed_links") if isinstance(travel, dict) else None) or []
    points = zone_points(run)
    out: dict[str, FixedLink] = {}
    for item in listed if isinstance(listed, list) else []:
        if not isinstance(item, dict):
            continue
        between = item.get("between") or ()
        name = str(item.get("name") or "")
        if not name or len(between) != 2 or any(str(z) not in points for z in between):
            continue
        a, b = (str(z) for z in between)
        via = via_place(name)
        middle = ((via[1], via[2]),) if via else ()
        km = item.get("km")
        out[name] = FixedLink(
            name=name,
            a=a,
            b=b,
            points=(points[a], *middle, points[b]),
            extra_minutes=float(item.get("extra_minutes") or 0.0),
            km=float(km) if isinstance(km, int | float) else None,
        )
    return out


def flow_path(
    zone: str, start: LatLng, end: LatLng, links: str, table: dict[str, FixedLink]
) -> list[list[float]]:
    """The line of a trip from ``zone``'s point ``start`` to a site at ``end``: through the fixed
    links ``links`` names (';'-joined, in path order), each entered at the end the trip reaches
    first. A link the map does not know is left out (the line then runs straight there)."""
    path, here = [start], start
    for name in (part for part in str(links or "").split(";") if part):
        link = table.get(name)
        if link is None:
            continue
        points, zone = link.towards(zone, here)
        path.extend(points)
        here = points[-1]
    path.append(end)
    out: list[list[float]] = []
    for lat, lon in path:
        point = [round(lat, 5), round(lon, 5)]
        if not out or out[-1] != point:
            out.append(point)
    return out


def _middle(points: tuple[LatLng, ...]) -> LatLng:
    """The middle of the link's longest segment, where its label goes."""
    pairs = list(zip(points[:-1], points[1:], strict=True))
    (lat1, lon1), (lat2, lon2) = max(pairs, key=lambda pair: _km(*pair))
    return (lat1 + lat2) / 2, (lon1 + lon2) / 2


def basemap_payload(run: RunFolder, view: View) -> dict:
    """Fixed links (lines, labels and tips), town labels and whether land polygons exist."""
    t = view.labels
    links = []
    for link in fixed_links(run).values():
        details = [t["fixed_link_note"]]
        if link.km is not None:
            details.append(f"{formatting.km(link.km, view.lang)} km")
        if link.extra_minutes:
            extra = formatting.number(link.extra_minutes, 0, view.lang)
            details.append(t("extra_minutes", minutes=extra))
        lat, lon = _middle(link.points)
        links.append(
            {
                "latlngs": [[round(a, 5), round(b, 5)] for a, b in link.points],
                "tip": f"<b>{esc(link.name)}</b><br>{' · '.join(details)}",
                "label": {
                    "latlng": [round(lat, 5), round(lon, 5)],
                    "html": f"<span>{esc(link.name)}</span>",
                },
            }
        )
    towns = [
        {"latlng": [round(lat, 5), round(lon, 5)], "html": f"<span>{esc(name)}</span>"}
        for name, (lat, lon) in _town_points(run).items()
    ]
    features = (run.zones_geojson or {}).get("features") or []
    return {"links": links, "towns": towns, "land": any(f.get("geometry") for f in features)}


def _town_points(run: RunFolder) -> dict[str, LatLng]:
    """The places outside the zones that links route through, then the zone names at their
    points, the most populous first: where names would overlap the map keeps the earlier ones
    (static/map.js), and a via place has no zone whose tooltip could name it instead."""
    points = zone_points(run)
    towns: dict[str, LatLng] = {}
    for link in fixed_links(run).values():
        via = via_place(link.name)
        if via:
            towns.setdefault(via[0], (via[1], via[2]))
    zones = run.zones.assign(gm_code=run.zones["gm_code"].astype(str))
    zones = zones.sort_values(["population", "name"], ascending=[False, True], na_position="last")
    for code, name in zip(zones["gm_code"], zones["name"], strict=True):
        if code in points:
            towns.setdefault(str(name or code), points[code])
    return towns
