"""The interactive plan map (map.html), rendered with Folium from a run folder alone.

Folium gives the page, the layer groups and the layer control; the data layers (basemap,
choropleth, sites, flows, year buttons, legend) come from one escaped JSON payload that
static/map.js wires to Leaflet. Every map is self-contained: Leaflet's JavaScript and CSS are
inlined from the installed offlinefolium package and the basemap (land, water, fixed links,
place names) is drawn from the run folder, so the file works on a machine without any network.
Web tiles are only an extra layer, off by default, that a reader can switch on when online
(``offline=True`` leaves even that out).
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from reports import assets, texts
from reports.i18n import Labels
from reports.map_data import METRICS, build_payload
from reports.map_schools import add_school_layer
from reports.runfolder import RunFolder, load_run
from reports.view import View

OSM_ATTRIBUTION = "&copy; OpenStreetMap contributors"


def script_json(value: object) -> str:
    """JSON that is safe inside a <script> element (no "</script>", no HTML-significant chars)."""
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _static(name: str) -> str:
    return (resources.files("reports") / "static" / name).read_text(encoding="utf-8")


class PlanLayers(MacroElement):
    """Adds jzplan's JS and CSS to the page head and calls it with the payload and groups."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        jzplanMap({{ this._parent.get_name() }}, {{ this.groups }}, {{ this.payload }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict, groups: dict[str, object]) -> None:
        super().__init__()
        self._name = "PlanLayers"
        self.css = _static("map.css")
        self.js = _static("map.js")
        self.payload = script_json(payload)
        self.groups = groups


def _groups_js(groups: dict) -> str:
    """A JS object literal naming Folium's layer variables (names are Folium's, not user data)."""
    parts = []
    for key, value in groups.items():
        if isinstance(value, dict):
            parts.append(f"{json.dumps(key)}: {_groups_js(value)}")
        else:
            parts.append(f"{json.dumps(key)}: {value.get_name()}")
    return "{" + ", ".join(parts) + "}"


def _bounds(payload: dict) -> list[list[float]]:
    lats, lons = [], []

    def walk(coords: object) -> None:
        if isinstance(coords, list | tuple) and coords and isinstance(coords[0], int | float):
            lons.append(float(coords[0]))
            lats.append(float(coords[1]))
        elif isinstance(coords, list | tuple):
            for item in coords:
                walk(item)

    for feature in payload["zones"]["features"]:
        walk(feature["geometry"]["coordinates"])
    for sites in payload["sites"].values():
        for site in sites:
            lats.append(site["lat"])
            lons.append(site["lon"])
    if not lats:
        return [[50.75, 3.3], [53.6, 7.2]]  # the Netherlands, when a run has no coordinates
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def _inline_assets(fmap: folium.Map) -> None:
    """Leaflet inlined instead of Folium's CDN links (Folium's other assets are not needed)."""
    fmap.default_js = []
    fmap.default_css = []
    header = fmap.get_root().header
    header.add_child(Element(f"<style>{assets.leaflet_css_offline()}</style>"), name="leaflet_css")
    header.add_child(Element(f"<script>{assets.leaflet_js()}</script>"), name="leaflet")


def _make_map(run: RunFolder, payload: dict, labels: Labels, offline: bool) -> folium.Map:
    bounds = _bounds(payload)
    centre = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    fmap = folium.Map(
        location=centre,
        zoom_start=9,
        tiles=None,
        control_scale=True,
        zoom_control="bottomright",
        prefer_canvas=False,
        font_size="13px",
        zoom_snap=0.25,
    )
    _inline_assets(fmap)
    if not offline:
        folium.TileLayer(
            "OpenStreetMap",
            name=html.escape(labels["layer_tiles"]),
            attr=OSM_ATTRIBUTION,
            overlay=True,
            control=True,
            show=False,
            opacity=0.85,
        ).add_to(fmap)
    title = labels["map_title"] + " – " + texts.title(run, labels.lang)
    fmap.get_root().header.add_child(Element(f"<title>{html.escape(title)}</title>"), name="title")
    # leave room for the title and year panel on the left
    fmap.fit_bounds(bounds, padding_top_left=(330, 20), padding_bottom_right=(20, 20))
    return fmap


def build_map(
    run_dir: Path,
    *,
    offline: bool = False,
    public: bool = False,
    threshold: int = 5,
    layer: str = "demand",
    lang: str = "en",
    path: str | None = None,
) -> Path:
    """Write ``run_dir/map.html`` and return its path.

    In a staged run (demand paths) map.html shows the headline path and ``path`` writes
    ``map-<path>.html`` for another path (:func:`path_map_name`); each has links to the others.

    ``layer`` is the choropleth shown first (demand, distance or within); ``public`` shows
    figures below ``threshold`` as "<threshold" and aggregates flows to regions. The file is
    always self-contained; ``offline`` also leaves out the optional web tile layer.
    """
    if layer not in METRICS:
        raise ValueError(f"unknown layer {layer!r}; choose from {', '.join(METRICS)}")
    run = texts.localized(load_run(run_dir, path=path), lang)
    labels = Labels(lang)
    view = View(labels=labels, public=public, threshold=threshold)
    payload = build_payload(run, view, layer)
    fmap = _make_map(run, payload, labels, offline)
    groups: dict[str, object] = {
        "basemap": folium.FeatureGroup(name=html.escape(labels["layer_basemap"])),
        "zones": folium.FeatureGroup(name=labels["layer_zones"]),
        "regions": folium.FeatureGroup(name=labels["layer_regions"]),
        "flows": folium.FeatureGroup(
            name=labels["layer_flows_public" if public else "layer_flows"]
        ),
        "sites": folium.FeatureGroup(name=labels["layer_sites"]),
        "places": folium.FeatureGroup(name=labels["layer_places"]),
        "towns": folium.FeatureGroup(name=html.escape(labels["layer_towns"])),
    }
    rings = {}
    for ptype, ring in payload["rings"].items():
        km = f"{ring['km']:g}"
        name = labels("layer_ring", type=html.escape(labels.name("type", ptype)), km=km)
        swatch = f"<span style='color:{ring['colour']}'>◯</span> "
        rings[ptype] = folium.FeatureGroup(name=swatch + name, show=False)
    for group in [*groups.values(), *rings.values()]:
        group.add_to(fmap)
    groups["rings"] = rings
    PlanLayers(payload, _groups_js(groups)).add_to(fmap)
    add_school_layer(fmap, run, view)
    folium.LayerControl(position="topright", collapsed=False).add_to(fmap)
    if run.staged:
        fmap.get_root().html.add_child(Element(path_switcher(run, labels)))
    out = Path(run_dir) / path_map_name(run, run.shown_path)
    fmap.save(str(out))
    return out


def path_map_name(run: RunFolder, path: str | None) -> str:
    """map.html for a single plan and a staged run's headline path, else map-<path>.html."""
    headline = (run.summary.get("stochastic") or {}).get("headline_path")
    if path is None or path == headline:
        return "map.html"
    return f"map-{_file_safe(path)}.html"


def _file_safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)


def path_switcher(run: RunFolder, labels: Labels) -> str:
    """A box of links to the map of every demand path, the one shown in bold."""
    links = []
    for w in run.paths["path"]:
        name = html.escape(str(w))
        if w == run.shown_path:
            links.append(f"<b>{name}</b>")
        else:
            links.append(f'<a href="{html.escape(path_map_name(run, w))}">{name}</a>')
    return (
        '<div id="path-switcher" style="position:absolute;bottom:24px;left:10px;z-index:1000;'
        "background:#fff;padding:6px 9px;border-radius:4px;box-shadow:0 1px 4px #0004;"
        f'font:13px sans-serif">{html.escape(labels["staged_path"])}: '
        + " · ".join(links)
        + "</div>"
    )
