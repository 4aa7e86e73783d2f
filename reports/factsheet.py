"""A printable fact sheet per municipality: municipalities/<gm_code>.html in the run folder.

Each sheet shows one municipality's demand by need and year, where its youth are placed and how
far they travel (and through which fixed links), its expected advance (advances.csv), and the
plan's main figures, in English or Dutch, rendered from the run folder alone with autoescaping.
In public mode counts below the threshold are shown as "<5" (with complementary suppression per
year), as on the map.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import pandas as pd

from reports import formatting, texts
from reports.disclosure import PRIMARY, SHOWN, suppress
from reports.formatting import whole_or_one
from reports.i18n import Labels
from reports.map_sites import site_table
from reports.metrics import assignments_with_limits, beds_by_year_type, cost_by_year, zone_year
from reports.runfolder import RunFolder, load_run
from reports.templating import environment
from reports.view import View

FOLDER = "municipalities"
NEEDS = ("secure", "hybrid", "open")
_SAFE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def factsheet_file(code: str) -> str:
    """The sheet's path relative to the run folder; a code that is not a plain file name gets
    a safe name with a short hash, so two codes never share a file."""
    code = str(code)
    if _SAFE.fullmatch(code):
        return f"{FOLDER}/{code}.html"
    plain = re.sub(r"[^A-Za-z0-9_-]", "_", code)[:40]
    digest = hashlib.sha256(code.encode("utf-8")).hexdigest()[:8]
    return f"{FOLDER}/{plain}-{digest}.html"


def _demand(run: RunFolder, code: str, view: View, zone_status: dict) -> dict:
    """Demand per need (rows) and year (columns) with the year totals; suppressed in public."""
    part = run.demand[run.demand["gm_code"] == code]
    cells = part.groupby(["year", "need"])["beds"].sum()
    needs = list(NEEDS) + sorted(set(part["need"]) - set(NEEDS))
    values = {(y, n): float(cells.get((y, n), 0.0)) for y in run.years for n in needs}
    status = {key: SHOWN for key in values}
    if view.public:
        status = suppress(values, {key: key[0] for key in values}, view.threshold)
    rows = [
        {
            "key": need,
            "need": view.labels.name("need", need),
            "cells": [(y, view.plain(values[(y, need)], status[(y, need)])) for y in run.years],
        }
        for need in needs
    ]
    totals = [
        (y, view.plain(sum(values[(y, n)] for n in needs), zone_status[y])) for y in run.years
    ]
    return {"rows": rows, "totals": totals}


def _placements(run: RunFolder, code: str, view: View) -> list[dict]:
    """Where the municipality's youth go: per year, site and type, beds, km, minutes, links."""
    frame = assignments_with_limits(run)
    frame = frame[(frame["gm_code"] == code) & (frame["beds"] > 0)]
    sites = site_table(run).drop_duplicates("site_id").set_index("site_id")
    links = run.distances.set_index(["gm_code", "site_id"])["links"]
    links = links[~links.index.duplicated()]
    grouped = frame.groupby(["year", "site_id", "type"], as_index=False).agg(
        beds=("beds", "sum"), km=("distance_km", "first"), minutes=("minutes", "first"),
        within=("within", "all"),
    )  # fmt: skip
    status = {i: SHOWN for i in grouped.index}
    if view.public:
        for _, part in grouped.groupby("year"):
            status |= suppress(dict(part["beds"]), dict(part["year"]), view.threshold)
    t, rows = view.labels, []
    for index, row in grouped.sort_values(["year", "km", "site_id"]).iterrows():
        site = sites["name"].get(row["site_id"], row["site_id"])
        via = [name for name in str(links.get((code, row["site_id"]), "")).split(";") if name]
        rows.append(
            {
                "year": int(row["year"]),
                "site": site,
                "municipality": sites["municipality"].get(row["site_id"], ""),
                "type": t.name("type", row["type"]),
                "beds": view.plain(row["beds"], status[index]),
                "km": formatting.km(row["km"], view.lang),
                "minutes": formatting.number(row["minutes"], 0, view.lang),
                "within": t["yes"] if row["within"] else t["no"],
                "links": ", ".join(via) or "–",
            }
        )
    return rows


def _travel(zone: pd.DataFrame, view: View, zone_status: dict) -> list[dict]:
    """Per year: mean km (beds-weighted) and the share within the distance limit."""
    out = []
    for _, row in zone.iterrows():
        year = int(row["year"])
        if zone_status[year] != SHOWN:
            mean = share = view.labels["suppressed"]
        elif math.isnan(row["mean_km"]):
            mean = share = view.labels["no_placements"]
        else:
            mean = formatting.km(row["mean_km"], view.lang)
            share = formatting.percent(row["within_share"], view.lang)
        hidden = view.public and row["unmet"] < view.threshold
        unmet = view.plain(row["unmet"], PRIMARY if hidden else SHOWN)
        if not hidden:  # none is "0", a small amount keeps two decimals (0.04, not 0.0)
            unmet = formatting.number(row["unmet"], 2 if row["unmet"] > 0 else 0, view.lang)
        out.append({"year": year, "mean_km": mean, "within": share, "unmet": unmet})
    return out


def _advances(run: RunFolder, code: str, view: View) -> list[tuple[int, str]]:
    part = run.advances[run.advances["gm_code"] == code]
    cents = part.groupby("year")["advance_cents"].sum()
    return [(int(y), formatting.cents(int(c), view.lang)) for y, c in cents.items()]


def _plan(run: RunFolder, view: View) -> dict:
    """The plan's main figures: places per type and year, cost per year, sites used."""
    t, lang = view.labels, view.lang
    beds = beds_by_year_type(run)
    costs = cost_by_year(run)
    active = run.plan[run.plan["beds"] > 0]
    return {
        "types": [t.name("type", p) for p in run.types],
        "rows": [
            {
                "year": year,
                "cells": [whole_or_one(beds.loc[year, p], lang) for p in run.types],
                "total": whole_or_one(beds.loc[year].sum(), lang),
                "cost": formatting.eur(costs.loc[year, "total"], lang),
                "sites": str(active.loc[active["year"] == year, "site_id"].nunique()),
            }
            for year in beds.index
        ],
        "total_cost": formatting.eur(costs["total"].sum(), lang),
    }


def sheet_context(run: RunFolder, code: str, view: View, frame: pd.DataFrame) -> dict:
    """Everything one municipality's sheet shows, as text. ``frame`` is :func:`zone_year` with
    the public status of every zone and year (as the map computes it)."""
    zones = run.zones.set_index("gm_code")
    zone = frame[frame["gm_code"] == code].sort_values("year")
    zone_status = dict(zip(zone["year"].astype(int), zone["status"], strict=True))
    name = str(zones["name"].get(code, code))
    population = zones["population"].get(code)
    people = "–" if population is None or pd.isna(population) else formatting.number(
        population, 0, view.lang
    )  # fmt: skip
    return {
        "t": view.labels,
        "lang": view.lang,
        "public": view.public,
        "threshold": view.threshold,
        "name": name,
        "code": code,
        "region": str(zones["region"].get(code, "")),
        "population": people,
        "population_date": str(zones["population_date"].get(code, "") or ""),
        "title": texts.title(run, view.lang),
        "scenario": run.scenario,
        "created": str(run.summary.get("created") or "")[:10],
        "solver": texts.solver_words(run.summary.get("solver") or {}, view.labels),
        "years": list(run.years),
        "demand": _demand(run, code, view, zone_status),
        "placements": _placements(run, code, view),
        "travel": _travel(zone, view, zone_status),
        "advances": _advances(run, code, view),
        "plan": _plan(run, view),
    }


def zone_status(run: RunFolder, view: View) -> pd.DataFrame:
    """:func:`zone_year` with each zone-year's public status (the map's rule: per year, zones
    grouped by region)."""
    frame = zone_year(run)
    frame["status"] = SHOWN
    if view.public:
        for _, part in frame.groupby("year"):
            status = suppress(dict(part["demand"]), dict(part["region"]), view.threshold)
            frame.loc[list(status), "status"] = list(status.values())
    return frame


def build_factsheets(
    run_dir: Path, *, lang: str = "en", public: bool = False, threshold: int = 5
) -> list[Path]:
    """Write one sheet per municipality into ``run_dir/municipalities/``; return their paths."""
    run = texts.localized(load_run(run_dir), lang)
    view = View(labels=Labels(lang), public=public, threshold=threshold)
    frame = zone_status(run, view)
    template = environment().get_template("municipality.html.j2")
    out_dir = Path(run_dir) / FOLDER
    out_dir.mkdir(exist_ok=True)
    written = []
    for code in dict.fromkeys(run.zones["gm_code"].astype(str)):
        path = Path(run_dir) / factsheet_file(code)
        path.write_text(template.render(**sheet_context(run, code, view, frame)), encoding="utf-8")
        written.append(path)
    return written
