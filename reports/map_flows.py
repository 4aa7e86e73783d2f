"""Flows on the map: the beds a municipality places at a site, per year, along the travel path.

One line per municipality and site (all needs and types together), or in public mode per region
and site with small figures suppressed. A line follows the travel model's path: through the
fixed links that inputs/distances.csv names for the pair (:func:`reports.basemap.flow_path`).
Width and colour come from classes of the flows' beds over all years, so a class means the same
in every year; the legend lists only the classes that occur.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from reports import colours, formatting
from reports.basemap import fixed_links, flow_path
from reports.disclosure import SHOWN, suppress
from reports.map_sites import site_table
from reports.metrics import assignments_with_limits
from reports.runfolder import RunFolder
from reports.view import View, esc

PALETTE = "YlOrRd"
WIDTHS = (1.5, 2.5, 4.0, 6.0, 8.5)
SUPPRESSED_WIDTH = 1.5
SUPPRESSED_COLOUR = "#6b6b6b"


@dataclass(frozen=True)
class FlowClasses:
    """Beds classes of the flows: a width, a colour and a legend label each."""

    scale: colours.Scale

    def index(self, beds: float) -> int:
        return self.scale.index(beds)

    def width(self, beds: float) -> float:
        return WIDTHS[min(self.index(beds), len(WIDTHS) - 1)]

    def colour(self, beds: float) -> str:
        return self.scale.colours[self.index(beds)]


def flow_classes(values: list[float], view: View) -> FlowClasses:
    """Up to four classes from the shown flows' beds; in public mode the first starts at the
    threshold, so no class can say how small a suppressed flow was."""
    floor = float(view.threshold) if view.public else None
    shown = [v for v in values if v > 0 and (floor is None or v >= floor)]
    breaks = colours.nice_breaks(shown, classes=4, floor=floor)

    # as few decimals as keep the class limits apart (0.15 and 0.24 are both "0.2" with one)
    decimals = next((d for d in (1, 2, 3) if len({round(b, d) for b in breaks}) == len(breaks)), 3)

    def fmt(value: float) -> str:
        return formatting.number(value, decimals, view.lang)

    single = f"{fmt(min(shown))}–{fmt(max(shown))}" if shown else "–"
    scale = colours.range_scale(breaks, PALETTE, fmt, floor=floor, single=single)
    count = len(scale.colours)
    palette = colours.sequential(PALETTE, count, 0.45, 0.95)
    return FlowClasses(colours.Scale(scale.breaks, palette, scale.labels, scale.below_floor))


def _origins(run: RunFolder, view: View, anchors: dict) -> tuple[str, dict, dict]:
    """The column flows start from, with each origin's point and name."""
    if view.public:
        points = {region: tuple(point) for region, point in anchors.items()}
        return "region", points, {region: region or "–" for region in points}
    zones = run.zones[run.zones["lat"].notna() & run.zones["lon"].notna()]
    points = {
        code: (float(lat), float(lon))
        for code, lat, lon in zip(zones["gm_code"], zones["lat"], zones["lon"], strict=True)
    }
    names = dict(zip(run.zones["gm_code"], run.zones["name"], strict=True))
    return "gm_code", points, names


def _links(run: RunFolder, frame: pd.DataFrame, origin: str) -> dict[tuple[str, str], str]:
    """The fixed links each (origin, site) flow takes: a zone's from distances.csv; a region's
    those of its zones that send the most beds there."""
    paths = run.distances.set_index(["gm_code", "site_id"])["links"]
    paths = paths[~paths.index.duplicated()]
    frame = frame.assign(links=[paths.get((z, s), "") for z, s in zip(frame["gm_code"],
                                                                       frame["site_id"],
                                                                       strict=True)])  # fmt: skip
    weights = frame.groupby([origin, "site_id", "links"])["beds"].sum().reset_index()
    weights = weights.sort_values("beds", ascending=False, kind="stable")
    first = weights.drop_duplicates([origin, "site_id"])
    return {(o, s): str(links) for o, s, links in zip(first[origin], first["site_id"],
                                                      first["links"], strict=True)}  # fmt: skip


def flow_layers(run: RunFolder, view: View, anchors: dict) -> tuple[dict[str, list], str]:
    """Per year the flow lines (path, width, colour, tip), and the flows' legend HTML."""
    t = view.labels
    sites = site_table(run).drop_duplicates("site_id").set_index("site_id")
    frame = assignments_with_limits(run)
    frame["km_beds"] = frame["distance_km"] * frame["beds"]
    origin, points, names = _origins(run, view, anchors)
    links = _links(run, frame, origin)
    table = fixed_links(run)
    flows = frame.groupby(["year", origin, "site_id"], as_index=False)[["beds", "km_beds"]].sum()
    keep = (flows["beds"] > 0) & flows["site_id"].isin(sites.index) & flows[origin].isin(points)
    flows = flows[keep]
    status: dict = {}
    for _, part in flows.groupby("year"):
        if view.public:
            status |= suppress(dict(part["beds"]), dict(part[origin]), view.threshold)
        else:
            status |= {index: SHOWN for index in part.index}
    shown = [float(b) for i, b in flows["beds"].items() if status[i] == SHOWN]
    classes = flow_classes(shown, view)
    out: dict[str, list] = {str(year): [] for year in run.years}
    used, hidden = set(), False
    for index, row in flows.iterrows():
        site = sites.loc[row["site_id"]]
        visible = status[index] == SHOWN
        via = links.get((row[origin], row["site_id"]), "")
        key = row[origin] if origin == "gm_code" else ""
        path = flow_path(key, points[row[origin]], (float(site["lat"]), float(site["lon"])), via,
                         table)  # fmt: skip
        tip = f"{esc(names.get(row[origin], row[origin]))} → {esc(site['name'])}: "
        tip += view.beds_unit(row["beds"], status[index])
        if visible:
            tip += f", {formatting.km(row['km_beds'] / row['beds'], view.lang)} km"
            used.add(classes.index(row["beds"]))
        else:
            hidden = True
        named = [esc(name) for name in via.split(";") if name]
        if named:
            tip += f"<br>{t['links_used']} {', '.join(named)}"
        out.setdefault(str(row["year"]), []).append(
            {
                "path": path,
                "weight": classes.width(row["beds"]) if visible else SUPPRESSED_WIDTH,
                "colour": classes.colour(row["beds"]) if visible else SUPPRESSED_COLOUR,
                "suppressed": not visible,
                "tip": tip,
            }
        )
    return out, _legend(classes, sorted(used), hidden, view)


def _line(width: float, colour: str, dashed: bool = False) -> str:
    dash = " stroke-dasharray='4 3'" if dashed else ""
    return (
        f"<svg width='34' height='14'><line x1='2' y1='7' x2='32' y2='7' stroke='{colour}' "
        f"stroke-width='{width}'{dash}/></svg>"
    )


def _legend(classes: FlowClasses, used: list[int], hidden: bool, view: View) -> str:
    """The flows' legend: the classes that occur, and the suppressed flows when there are any."""
    t = view.labels
    rows = [f"<h4>{t['flows_legend_public' if view.public else 'flows_legend']}</h4>"]
    for index in used:
        width = WIDTHS[min(index, len(WIDTHS) - 1)]
        label = esc(classes.scale.labels[index])
        rows.append(
            f"<div class='jz-sym' data-flow-class='{index}'>"
            f"{_line(width, classes.scale.colours[index])}{label} {t['beds_unit']}</div>"
        )
    if hidden:
        rows.append(
            f"<div class='jz-sym'>{_line(SUPPRESSED_WIDTH, SUPPRESSED_COLOUR, True)}"
            f"&lt;{view.threshold} / {t['suppressed']}</div>"
        )
    if not used and not hidden:
        rows.append(f"<div class='jz-sym'>{t['no_placements']}</div>")
    return "".join(rows)
