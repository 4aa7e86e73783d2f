"""Everything the map shows, as one JSON-ready dict of numbers, colours and escaped HTML.

The browser side (static/map.js) only wires this payload to Leaflet. Building the HTML here, with
``html.escape`` on every string from the run folder, keeps escaping in one place; in public mode
small figures are replaced by "<5" before anything is written, so no exact small count reaches
the page at all.
"""

from __future__ import annotations

import math
from urllib.parse import quote

import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from reports import colours, formatting, texts
from reports.basemap import basemap_payload
from reports.disclosure import PRIMARY, SHOWN, suppress_hierarchy
from reports.factsheet import factsheet_file, zone_status
from reports.map_flows import flow_layers
from reports.map_sites import distance_rings, site_layers
from reports.runfolder import RunFolder
from reports.symbols import IDLE_ICON, site_icon
from reports.view import View, esc

METRICS = ("demand", "distance", "within")


def _region_geometry(run: RunFolder) -> tuple[dict[str, list[float]], list[dict]]:
    """Label point per region and region borders (zones dissolved by region)."""
    anchors: dict[str, list[float]] = {}
    borders: list[dict] = []
    by_region: dict[str, list] = {}
    regions = run.zones.set_index("gm_code")["region"]
    for feature in (run.zones_geojson or {}).get("features", []):
        props = feature.get("properties") or {}
        region = regions.get(props.get("gm_code"), props.get("region", ""))
        if feature.get("geometry"):
            geometry = shapely.make_valid(shape(feature["geometry"]))
            by_region.setdefault(str(region), []).append(geometry)
    for region, geometries in by_region.items():
        union = shapely.union_all(geometries)
        point = union.representative_point()
        anchors[region] = [round(point.y, 5), round(point.x, 5)]
        borders.append(
            {
                "type": "Feature",
                "properties": {"kind": "region"},
                "geometry": mapping(union.boundary),
            }
        )
    for region, part in run.zones.groupby("region"):
        if region not in anchors and part["lat"].notna().any():
            anchors[str(region)] = [round(part["lat"].mean(), 5), round(part["lon"].mean(), 5)]
    return anchors, borders


def _zone_tip(row: pd.Series, view: View) -> str:
    t = view.labels
    lines = [f"<b>{esc(row['name'])}</b> <span class='jz-muted'>{esc(row['region'])}</span>"]
    beds = t["beds_unit"]
    lines.append(f"{t['demand']} {row['year']}: {view.beds_unit(row['demand'], row['status'])}")
    if not view.public:
        lines.append(f"{t['placed']}: {formatting.beds(row['assigned'], view.lang)} {beds}")
        if row["unmet"] > 0:
            lines.append(f"{t['unmet']}: {formatting.beds(row['unmet'], view.lang)} {beds}")
    if row["status"] != SHOWN:
        distance = within = t["suppressed"]
    elif math.isnan(row["mean_km"]):
        distance = within = t["no_placements"]
    else:
        distance = f"{formatting.km(row['mean_km'], view.lang)} km"
        within = formatting.percent(row["within_share"], view.lang)
    lines.append(f"{t['mean_distance']}: {distance}")
    lines.append(f"{t['within_limit']}: {within}")
    return "<br>".join(lines)


def _scales(frame: pd.DataFrame, view: View) -> dict[str, colours.Scale]:
    shown = frame[frame["status"] == SHOWN]
    floor = float(view.threshold) if view.public else None
    return {
        "demand": colours.metric_scale("demand", list(shown["demand"]), view.lang, floor),
        "distance": colours.metric_scale("distance", list(shown["mean_km"]), view.lang, None),
        "within": colours.metric_scale("within", [], view.lang, None),
    }


def _fill(row: pd.Series, metric: str, scale: colours.Scale) -> str:
    if row["status"] != SHOWN:
        return colours.SUPPRESSED
    value = {"demand": "demand", "distance": "mean_km", "within": "within_share"}[metric]
    return scale.colour(float(row[value]))


def _zone_features(run: RunFolder, frame: pd.DataFrame, view: View, scales: dict) -> list[dict]:
    """One feature per zone: its polygon, or its point when the run has no polygon for it."""
    geometries = {}
    for feature in (run.zones_geojson or {}).get("features", []):
        code = str((feature.get("properties") or {}).get("gm_code", ""))
        if feature.get("geometry") and code:
            geometries[code] = feature["geometry"]
    points = run.zones.set_index("gm_code")[["lat", "lon"]]
    features = []
    for code, part in frame.groupby("gm_code", sort=False):
        geometry = geometries.get(code)
        if geometry is None:
            if code not in points.index or pd.isna(points.loc[code, "lat"]):
                continue
            lat, lon = points.loc[code, ["lat", "lon"]]
            geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
        years = {str(row["year"]): row for _, row in part.iterrows()}
        fill = {m: {y: _fill(r, m, scales[m]) for y, r in years.items()} for m in METRICS}
        tips = {y: _zone_tip(r, view) for y, r in years.items()}
        name = next(iter(years.values()))["name"]
        link = (
            f"<p class='jz-link'><a class='jz-factsheet' href='{esc(quote(factsheet_file(code)))}'>"
            f"{view.labels('factsheet_link', name=esc(name))} →</a></p>"
        )
        properties = {
            "kind": "zone",
            "gm_code": esc(code),
            "fill": fill,
            "tip": tips,
            "popup": {y: f"<div class='jz-popup'>{tip}{link}</div>" for y, tip in tips.items()},
        }
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return features


def _totals(frame: pd.DataFrame, view: View) -> dict[str, str]:
    """Per year: demand by region and in total, placed and unmet, as a small HTML block."""
    t, out = view.labels, {}
    for year, part in frame.groupby("year"):
        demand = part.groupby("region")["demand"].sum()
        if view.public:
            keys = dict(zip(part["gm_code"], part["demand"], strict=True))
            groups = dict(zip(part["gm_code"], part["region"], strict=True))
            _, totals, status = suppress_hierarchy(keys, groups, view.threshold)
        else:
            totals, status = dict(demand), {region: SHOWN for region in demand.index}
        total = part["demand"].sum()
        unmet, placed = part["unmet"].sum(), part["assigned"].sum()
        regions = " · ".join(
            f"{esc(region or '–')} {view.beds(totals[region], status[region])}"
            for region in sorted(totals)
        )
        unmet_status = PRIMARY if view.public and unmet < view.threshold else SHOWN
        line = f"{t['unmet']}: {view.beds(unmet, unmet_status)}"
        if unmet_status == SHOWN:
            line = f"{t['placed']}: {formatting.beds(placed, view.lang)} · {line}"
        total_status = PRIMARY if view.public and total < view.threshold else SHOWN
        out[str(year)] = (
            f"<b>{t['demand']} {year}</b>: {view.beds(total, total_status)} {t['beds_unit']}"
            f"<br><span class='jz-muted'>{regions}</span><br>{line} {t['beds_unit']}"
        )
    return out


AT_SITE_KM = 1.5  # a named place this close to a site is drawn just below the site's symbol


#: Kinds of named places (inputs/places.csv ``type``), each drawn as a lettered dot.
PLACE_KINDS = {
    "school": ("vo", "vso_", "practical", "jzplus_school", "school"),
    "court": ("district_court", "court"),
    "care": ("jeugdzorg", "care"),
}
PLACE_COLOURS = {"school": "#2b6a99", "court": "#6b3d1e", "care": "#7a2d6e", "other": "#222222"}


def place_kind(kind: str) -> str:
    """``school``, ``court``, ``care`` or ``other`` for a places.csv type."""
    for name, starts in PLACE_KINDS.items():
        if kind.startswith(starts):
            return name
    return "other"


def _places(run: RunFolder, sites: dict[str, list[dict]], t) -> list[dict]:
    """Named places, lettered by kind (school, court, care); one at (or next to) a site gets a
    pixel ``offset`` that puts it below the site's largest symbol, side by side with the site's
    other places, so none hides another."""
    places = run.places[run.places["lat"].notna() & run.places["lon"].notna()]
    heights: dict[tuple[float, float], int] = {}
    for markers in sites.values():
        for site in markers:
            key = (site["lat"], site["lon"])
            heights[key] = max(heights.get(key, 0), int(site["icon"]["size"][1]))
    near: dict[int, tuple[float, float]] = {}
    for index, p in places.iterrows():
        for lat, lon in heights:
            if abs(lat - p["lat"]) * 111.2 < AT_SITE_KM and abs(lon - p["lon"]) * 69.5 < AT_SITE_KM:
                near[index] = (lat, lon)
                break
    out = []
    for index, p in places.iterrows():
        kind = place_kind(str(p["type"]))
        item = {
            "lat": float(p["lat"]),
            "lon": float(p["lon"]),
            "tip": f"<b>{esc(p['name'])}</b><br><span class='jz-muted'>"
            f"{esc(t.name('place', str(p['type'])))}</span>",
            "html": place_dot(t[f"place_letter_{kind}"], PLACE_COLOURS[kind]),
        }
        if index in near:
            site = near[index]
            peers = [i for i, at in near.items() if at == site]
            dx = 12 * (peers.index(index) - (len(peers) - 1) / 2)
            item |= {"lat": site[0], "lon": site[1], "offset": [dx, heights[site] / 2 + 7]}
        out.append(item)
    return out


def place_legend(kinds: list[str], t) -> str:
    """One lettered dot per kind of named place the map shows."""
    return "".join(
        f"<span class='jz-sym'>{place_dot(t[f'place_letter_{k}'], PLACE_COLOURS[k])}"
        f"{t[f'place_kind_{k}']}</span>"
        for k in kinds
    )


def place_dot(letter: str, colour: str) -> str:
    """A named place's symbol: a small round badge with its kind's letter."""
    return (
        f"<svg width='14' height='14'><circle cx='7' cy='7' r='6.2' fill='{colour}' "
        "stroke='#fff' stroke-width='1.2'/><text x='7' y='10.2' text-anchor='middle' "
        f"font-size='9' font-weight='700' fill='#fff'>{esc(letter)}</text></svg>"
    )


def _legend(
    scales: dict, view: View, styles: dict, flows: str, kinds: list[str]
) -> tuple[dict[str, str], str]:
    """Legend HTML per metric (title with unit, classes) and the shared symbol legend."""
    t = view.labels
    titles = {m: t[f"metric_{m}"] for m in METRICS}
    per_metric = {}
    for metric, scale in scales.items():
        rows = [
            f"<div><i style='background:{c}'></i>{esc(label)}</div>"
            for c, label in zip(scale.colours, scale.labels, strict=True)
        ]
        if view.public:
            rows.append(
                f"<div><i style='background:{colours.SUPPRESSED}'></i>"
                f"&lt;{view.threshold} / {t['suppressed']}</div>"
            )
        missing = t["no_placements"] if metric != "demand" else t["no_demand"]
        if metric != "demand":
            rows.append(f"<div><i style='background:{colours.NO_DATA}'></i>{missing}</div>")
        per_metric[metric] = f"<h4>{titles[metric]}</h4>{''.join(rows)}"
    items = []
    for ptype, style in styles.items():
        icon = site_icon([(ptype, 6.0)], {ptype: style})["html"]
        items.append(f"<span class='jz-sym'>{icon}{esc(t.name('type', ptype))}</span>")
    symbols = [f"<h4>{t['sites_legend']}</h4><div class='jz-row'>{''.join(items)}</div>"]
    symbols.append(f"<div class='jz-sym'>{IDLE_ICON['html']}{t['idle_site']}</div>")
    symbols.append(f"<div class='jz-row'>{place_legend(kinds, t)}</div>")
    symbols.append(flows)
    symbols.append(
        f"<h4>{t['basemap_legend']}</h4><div class='jz-row'>"
        f"<span class='jz-sym'><i class='jz-swatch' style='background:{colours.LAND}'></i>"
        f"{t['land']}</span><span class='jz-sym'><i class='jz-swatch' "
        f"style='background:{colours.WATER}'></i>{t['water']}</span>"
        "<span class='jz-sym'><svg width='34' height='14'><line x1='2' y1='7' x2='32' y2='7' "
        f"stroke='{colours.LINK}' stroke-width='2.5' stroke-dasharray='6 4'/></svg>"
        f"{t['fixed_link']}</span></div>"
    )
    return per_metric, "".join(symbols)


def _title(run: RunFolder, view: View) -> str:
    t, solver = view.labels, run.summary.get("solver") or {}
    describe = texts.solver_words(solver, t)
    gap = solver.get("mip_gap")
    if isinstance(gap, int | float) and not math.isnan(gap) and solver.get("proven_optimal"):
        describe = f"{describe}, {t['gap']} {formatting.number(100 * gap, 2, view.lang)} %"
    created = str(run.summary.get("created") or "")[:10]
    note = (
        f"<div class='jz-note'>{t('public_note', threshold=view.threshold).replace('<', '&lt;')}"
        "</div>"
        if view.public
        else ""
    )
    heading = esc(texts.title(run, view.lang))
    return (
        f"<h1>{heading}</h1><div>{t['scenario']}: <b>{esc(run.scenario)}</b></div>"
        f"<div>{t['solver']}: {esc(describe)}</div><div>{t['created']}: {esc(created)}</div>{note}"
    )


def _by_population(run: RunFolder, anchors: dict[str, list[float]]) -> list[str]:
    """Named regions, the most populous first: where names would overlap the map keeps the
    earlier ones (static/map.js)."""
    population = run.zones.groupby("region")["population"].sum()
    return sorted((r for r in anchors if r), key=lambda r: (-population.get(r, 0.0), r))


def build_payload(run: RunFolder, view: View, metric: str) -> dict:
    """All map data; numbers only where public mode allows them."""
    frame = zone_status(run, view)
    scales = _scales(frame, view)
    styles = colours.type_styles(run.types)
    anchors, borders = _region_geometry(run)
    flows, flows_legend = flow_layers(run, view, anchors)
    sites = site_layers(run, view, styles)
    kinds = sorted({place_kind(str(k)) for k in run.places["type"]}) if len(run.places) else []
    legends, symbols = _legend(scales, view, styles, flows_legend, kinds)
    t = view.labels
    return {
        "years": [str(y) for y in run.years],
        "year": str(run.years[0]) if run.years else "",
        "metric": metric,
        "metrics": {m: t[f"metric_{m}"] for m in METRICS},
        "labels": {"year": t["year"], "colourBy": t["colour_by"]},
        "zones": {
            "type": "FeatureCollection",
            "features": _zone_features(run, frame, view, scales),
        },
        "regions": {"type": "FeatureCollection", "features": borders},
        "regionLabels": [
            {"latlng": anchors[r], "html": f"<span>{esc(r)}</span>"}
            for r in _by_population(run, anchors)
        ],
        "sites": sites,
        "flows": flows,
        "basemap": basemap_payload(run, view),
        "colours": {
            "land": colours.LAND,
            "water": colours.WATER,
            "link": colours.LINK,
            "noLand": colours.NO_LAND,
        },
        "rings": distance_rings(run, styles),
        "places": _places(run, sites, view.labels),
        "totals": _totals(frame, view),
        "legend": legends,
        "symbols": symbols,
        "title": _title(run, view),
        "attribution": f"{t['attribution_boundaries']} · {t['attribution_basemap']}",
    }
