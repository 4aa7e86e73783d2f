"""The compared plans on one map (compare-map.html next to compare.html): a layer per plan.

Each plan is a Folium feature group the reader switches on and off in the layer control; at
every site a plan uses it draws a small numbered marker in the plan's colour, offset by the
plan's position so that plans sharing a site stand side by side instead of hiding each other. A
marker's tooltip lists the plan's groups (places) per type and year at that site. Land is the
first run's zone polygons; Leaflet is inlined, so the page works without a network like map.html.
"""

from __future__ import annotations

import html
from pathlib import Path

import folium
from branca.element import Element

from reports import assets
from reports.i18n import Labels
from reports.runfolder import RunFolder

#: plan colours (Okabe–Ito, distinguishable with colour-blindness), repeated beyond eight plans
PLAN_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000",
                "#F0E442")  # fmt: skip
MARK_PX = 18  # marker width; plans at one site are this far apart


def _site_points(runs: list[RunFolder]) -> dict[str, tuple[float, float, str]]:
    """site id → (lat, lon, name) from the runs' inputs/sites.csv."""
    points = {}
    for run in runs:
        for site in run.sites.itertuples(index=False):
            if site.site_id not in points and site.lat == site.lat and site.lon == site.lon:
                points[site.site_id] = (float(site.lat), float(site.lon), str(site.name))
    return points


def _tooltip(run: RunFolder, site: str, name: str, plan: str, t: Labels) -> str:
    rows = run.plan[(run.plan["site_id"] == site) & (run.plan["groups"] > 0)]
    lines = [html.escape(t("plan_sites_tip", plan=plan, site=name))]
    for year, part in rows.groupby("year"):
        kinds = ", ".join(
            f"{html.escape(t.name('type', r.type))} {int(r.groups)} ({int(r.beds)})"
            for r in part.itertuples(index=False)
        )
        lines.append(f"{int(year)}: {kinds}")
    return "<br>".join(lines)


def _bounds(points: list[tuple[float, float]]) -> list[list[float]]:
    if not points:
        return [[50.75, 3.3], [53.6, 7.2]]  # the Netherlands
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    pad = 0.02  # degrees: a single point (one zone, one site) still gives a box to fit
    return [[min(lats) - pad, min(lons) - pad], [max(lats) + pad, max(lons) + pad]]


def build_compare_map(runs: list[RunFolder], names: list[str], out: Path, lang: str) -> Path:
    """Write ``out`` (compare-map.html): one layer per run, in the given order."""
    t = Labels(lang)
    points = _site_points(runs)
    zone_points = [
        (float(z.lat), float(z.lon))
        for z in runs[0].zones.itertuples(index=False)
        if z.lat == z.lat and z.lon == z.lon
    ]
    bounds = _bounds(zone_points + [(lat, lon) for lat, lon, _ in points.values()])
    fmap = folium.Map(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        zoom_start=9,
        tiles=None,
        control_scale=True,
    )
    fmap.default_js, fmap.default_css = [], []
    header = fmap.get_root().header
    header.add_child(Element(f"<style>{assets.leaflet_css_offline()}</style>"), name="leaflet_css")
    header.add_child(Element(f"<script>{assets.leaflet_js()}</script>"), name="leaflet")
    title = html.escape(t["compare_map_title"])
    header.add_child(Element(f"<title>{title}</title>"), name="title")
    header.add_child(
        Element(
            "<style>.plan-mark{border-radius:50%;color:#fff;font:bold 11px/18px sans-serif;"
            "text-align:center;border:1px solid #fff;box-shadow:0 0 2px #000}</style>"
        ),
        name="plan_marks",
    )
    land = runs[0].zones_geojson
    if land and land.get("features"):
        folium.GeoJson(
            land,
            name=html.escape(t["layer_basemap"]),
            style_function=lambda _: {
                "fillColor": "#f2efe9",
                "color": "#bbb",
                "weight": 0.5,
                "fillOpacity": 1.0,
            },  # fmt: skip
            control=False,
        ).add_to(fmap)
    for i, (run, name) in enumerate(zip(runs, names, strict=True)):
        colour = PLAN_COLOURS[i % len(PLAN_COLOURS)]
        label = t("plan_layer", n=i + 1, name=name)
        swatch = f"<span style='color:{colour}'>●</span> "
        group = folium.FeatureGroup(name=swatch + html.escape(label), show=True)
        used = sorted(set(run.plan.loc[run.plan["groups"] > 0, "site_id"]))
        offset = (i - (len(runs) - 1) / 2) * MARK_PX
        for site in used:
            if site not in points:
                continue
            lat, lon, site_name = points[site]
            icon = folium.DivIcon(
                html=f"<div class='plan-mark' style='background:{colour}'>{i + 1}</div>",
                icon_size=(MARK_PX, MARK_PX),
                icon_anchor=(MARK_PX / 2 - offset, MARK_PX / 2),
            )
            folium.Marker(
                [lat, lon],
                icon=icon,
                tooltip=folium.Tooltip(_tooltip(run, site, site_name, label, t)),
            ).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(position="topright", collapsed=False).add_to(fmap)
    fmap.fit_bounds(bounds)
    fmap.save(str(out))
    return out
