"""The map's school layer: every school that teaches plan pupils (schools.csv), a circle sized by
its plan pupils in its busiest year, with its pupils per year and its viability threshold in the
tooltip.

Drawn with Folium in Python (no payload for static/map.js): the layer does not follow the year
buttons; the tooltip gives every year. In the public version a school whose pupils are below the
threshold in any year gets the smallest circle and its small counts read <threshold.
"""

from __future__ import annotations

import html
import math

import folium

from reports import formatting
from reports.runfolder import RunFolder
from reports.view import View

COLOUR = "#d01c8b"  # magenta: apart from the place-type colours and the named places' black
CLOSED_COLOUR = "#999999"  # a school the plan closes
MIN_RADIUS, MAX_RADIUS = 6.0, 26.0  # pixels: the largest rings a site symbol it lies under


def _pupils(view: View, value: float) -> str:
    if view.public and 0 < value < view.threshold:
        return f"<{view.threshold}"
    return formatting.beds(value, view.lang)


def school_markers(run: RunFolder, view: View) -> list[dict]:
    """One marker per located school with plan pupils: lat, lon, radius (pixels, area ∝ the
    pupils of its busiest year), colour and an escaped tooltip."""
    t, schools = view.labels, run.schools
    if schools.empty:
        return []
    used = schools.groupby("school_id").filter(lambda g: (g["pupils"] > 0).any())
    used = used[used["lat"].notna() & used["lon"].notna()]
    if used.empty:
        return []
    peaks = used.groupby("school_id")["pupils"].max()
    largest = float(peaks.max()) or 1.0
    markers = []
    for school_id, rows in used.groupby("school_id", sort=True):
        rows = rows.sort_values("year")
        first = rows.iloc[0]
        small = view.public and ((rows["pupils"] > 0) & (rows["pupils"] < view.threshold)).any()
        share = 0.0 if small else math.sqrt(float(peaks[school_id]) / largest)
        lines = [
            f"{int(r.year)}: {_pupils(view, float(r.pupils)) if r.in_use else t['school_not_used']}"
            + (f" ({t['school_stopped']})" if r.stopped else "")
            for r in rows.itertuples()
        ]
        minimum = float(first["min_pupils"])
        if minimum > 0:
            lines.append(f"{t['minimum_col']}: {formatting.whole_or_one(minimum, view.lang)}")
        name = html.escape(str(first["school_name"]))
        kind = html.escape(t.name("school_kind", str(first["kind"])))
        tip = f"<b>{name}</b><br>{kind}<br>" + "<br>".join(html.escape(x) for x in lines)
        markers.append(
            {
                "lat": float(first["lat"]),
                "lon": float(first["lon"]),
                "radius": MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * share,
                "colour": CLOSED_COLOUR if rows["stopped"].astype(bool).any() else COLOUR,
                "tip": tip,
            }
        )
    return markers


def add_school_layer(fmap: folium.Map, run: RunFolder, view: View) -> folium.FeatureGroup:
    """The layer group with the school circles, added to ``fmap``."""
    group = folium.FeatureGroup(name=html.escape(view.labels["layer_schools"]), show=True)
    for m in school_markers(run, view):
        folium.CircleMarker(
            location=[m["lat"], m["lon"]],
            radius=m["radius"],
            color=m["colour"],
            weight=2.5,
            fill=True,
            fill_color=m["colour"],
            fill_opacity=0.35,
            tooltip=folium.Tooltip(m["tip"], sticky=False),
        ).add_to(group)
    group.add_to(fmap)
    return group
