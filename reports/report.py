"""The plan report (report.html): key figures, costs, service level, reserve, staff, advances,
travel, education, unmet demand, solver and assumptions.

One standalone HTML file in English or Dutch, rendered by Jinja2 with autoescaping from the run
folder alone; charts are inline SVG. Numbers are formatted here, so the template only places text.
"""

from __future__ import annotations

import re
from pathlib import Path

from reports import charts, colours, formatting, texts
from reports.disclosure import suppress_hierarchy
from reports.factsheet import factsheet_file
from reports.formatting import whole_or_one as _n
from reports.i18n import Labels
from reports.metrics import beds_by_year_type, cost_by_year, travel_by_region
from reports.public import hidden_costs, public_parameters
from reports.report_sections import (
    education_section,
    reserve_section,
    service_section,
    staff_section,
)
from reports.runfolder import RunFolder, load_run
from reports.staged import staged_context
from reports.templating import environment
from reports.trips import trips_section
from reports.view import View

NEEDS = ("secure", "hybrid", "open")  # the needs the glossary explains


def _benchmarks(run: RunFolder, beds, view: View) -> tuple[list[dict], list[tuple]]:
    """Rows comparing the plan with summary.json's reference figures, and chart markers."""
    t, rows, markers = view.labels, [], []
    styles = colours.type_styles(run.types)
    first = run.years[0] if run.years else None
    for key, reference in (run.summary.get("benchmarks") or {}).items():
        purchase = re.fullmatch(r"purchase_(\d{4})_places", key)
        closed = re.fullmatch(r"max_closed_beds_(\d{4})", key)
        used = re.fullmatch(r"closed_beds_used_(\d{4})", key)
        plan, label, upper = None, key, False
        if used:
            label = t("bm_closed_used", year=used.group(1))
        if purchase and int(purchase.group(1)) in beds.index:
            year = int(purchase.group(1))
            plan, label = float(beds.loc[year].sum()), t("bm_purchase", year=year)
            markers.append((year, float(reference), label, "#000000"))
        elif closed and int(closed.group(1)) in beds.index and "closed" in beds.columns:
            year = int(closed.group(1))
            plan, label, upper = (
                float(beds.loc[year, "closed"]),
                t("bm_max_closed", year=year),
                True,
            )
            markers.append((year, float(reference), label, styles["closed"]["colour"]))
        elif used and int(used.group(1)) in beds.index and "closed" in beds.columns:
            plan = float(beds.loc[int(used.group(1)), "closed"])
        elif key == "hybrid_reserve_places" and first in beds.index and "hybrid" in beds.columns:
            plan, label = float(beds.loc[first, "hybrid"]), f"{t['bm_hybrid_reserve']} ({first})"
        if plan is None:
            assessment, difference = t["not_comparable"], "–"
        else:
            gap = plan - float(reference)
            difference = ("+" if gap > 0 else "") + _n(gap, view.lang)
            if upper:
                assessment = t["meets"] if gap <= 0 else t["exceeds"]
            else:
                assessment = t["equal"] if gap == 0 else t["above"] if gap > 0 else t["below"]
        rows.append(
            {
                "key": key,
                "label": label,
                "reference": _n(float(reference), view.lang),
                "plan": "–" if plan is None else _n(plan, view.lang),
                "difference": difference,
                "assessment": assessment,
                "class": "" if plan is None or not upper else "good" if gap <= 0 else "bad",
            }
        )
    return rows, markers


def _travel(run: RunFolder, view: View) -> list[dict]:
    rows = []
    for _, row in travel_by_region(run).iterrows():
        hidden = view.public and row["beds"] < view.threshold
        cell = (lambda text: view.labels["suppressed"]) if hidden else (lambda text: text)
        rows.append(
            {
                "key": row["region"] or "all",
                "region": row["region"],
                "all": not row["region"],
                "beds": f"<{view.threshold}" if hidden else _n(row["beds"], view.lang),
                "mean_km": cell(formatting.km(row["mean_km"], view.lang)),
                "p90_km": cell(formatting.km(row["p90_km"], view.lang)),
                "max_km": cell(formatting.km(row["max_km"], view.lang)),
                "within": cell(formatting.percent(row["within_share"], view.lang)),
                "minutes": cell(formatting.number(row["mean_minutes"], 0, view.lang)),
            }
        )
    return rows


def _education(run: RunFolder, view: View) -> list[dict]:
    t, rows = view.labels, []
    active = run.plan[run.plan["beds"] > 0]
    names = run.zones.set_index("gm_code")["name"]
    for _, site in run.sites.iterrows():
        types = [
            p
            for p in run.types
            if ((active["site_id"] == site["site_id"]) & (active["type"] == p)).any()
        ]  # noqa: E501
        suits = [s for s in site["education_types"].split(";") if s]
        on_site = bool(site["school_on_site"])
        rows.append(
            {
                "site": site["name"],
                "municipality": names.get(site["gm_code"], site["gm_code"]),
                "region": site["region"],
                "types": ", ".join(t.name("type", p) for p in types) or "–",
                "school": site["school_name"] or t["no_school"],
                "on_site": t["yes"] if on_site else t["no"],
                "km": "0" if on_site else formatting.km(site["school_km"], view.lang) or "–",
                "suits": ", ".join(t.name("type", s) for s in suits) or "–",
                "covers": "–" if not suits else t["yes"] if set(types) <= set(suits) else t["no"],
            }
        )
    return rows


def _unmet(run: RunFolder, view: View) -> dict:
    """Unmet demand: per municipality, or in public mode per year and need with suppression."""
    unmet = run.unmet[run.unmet["beds"] > 0]
    names = run.zones.set_index("gm_code")
    needs = list(dict.fromkeys(run.unmet["need"])) or ["secure", "hybrid", "open"]
    if not view.public:
        rows = [
            {
                "year": row["year"],
                "municipality": names["name"].get(row["gm_code"], row["gm_code"]),
                "region": names["region"].get(row["gm_code"], ""),
                "need": view.labels.name("need", row["need"]),
                "beds": formatting.number(row["beds"], 2, view.lang),  # 0.04, not 0.0
                "reason": row["reason"],
            }
            for _, row in unmet.sort_values(["year", "gm_code", "need"]).iterrows()
        ]
        return {"rows": rows, "table": [], "needs": []}
    cells = {(y, n): 0.0 for y in sorted(set(unmet["year"])) for n in needs}
    for (year, need), beds in unmet.groupby(["year", "need"])["beds"].sum().items():
        cells[(year, need)] = beds
    status, totals, year_status = suppress_hierarchy(
        cells, {k: k[0] for k in cells}, view.threshold
    )
    table = [
        {
            "year": year,
            "cells": [view.plain(cells[(year, n)], status[(year, n)]) for n in needs],
            "total": view.plain(totals[year], year_status[year]),
        }
        for year in sorted(totals)
    ]
    return {"rows": [], "table": table, "needs": [view.labels.name("need", n) for n in needs]}


def _advances(run: RunFolder, view: View) -> dict:
    """Municipality x year table of advances in exact cents, with the year totals."""
    table = run.advances
    years = sorted(int(y) for y in set(table["year"]))
    cents = table.pivot_table(
        index="gm_code", columns="year", values="advance_cents", aggfunc="sum", fill_value=0
    )
    zones = run.zones.set_index("gm_code")
    order = sorted(cents.index, key=lambda z: (zones["region"].get(z, ""), zones["name"].get(z, z)))
    rows = [
        {
            "gm_code": code,
            "name": zones["name"].get(code, code),
            "region": zones["region"].get(code, ""),
            "cells": [(y, formatting.cents(int(cents.at[code, y]), view.lang)) for y in years],
        }
        for code in order
    ]
    totals = [(y, formatting.cents(int(cents[y].sum()), view.lang)) for y in years]
    return {"years": years, "rows": rows, "totals": totals}


def _factsheets(run: RunFolder) -> list[tuple[str, list[tuple[str, str]]]]:
    """Links to the municipalities' fact sheets, by region and name."""
    zones = run.zones.sort_values(["region", "name"])
    by_region: dict[str, list[tuple[str, str]]] = {}
    for code, name, region in zip(zones["gm_code"], zones["name"], zones["region"], strict=True):
        by_region.setdefault(str(region), []).append((str(name), factsheet_file(str(code))))
    return list(by_region.items())


def report_context(run: RunFolder, view: View, map_name: str) -> dict:
    """Everything the template shows, as formatted text."""
    t, lang = view.labels, view.lang
    beds = beds_by_year_type(run)
    costs = cost_by_year(run)
    styles = colours.type_styles(run.types)
    benchmarks, markers = _benchmarks(run, beds, view)
    type_names = {p: t.name("type", p) for p in run.types}
    beds_svg = charts.stacked_bars(
        beds, {p: s["colour"] for p, s in styles.items()}, type_names, t["places_unit"], "beds",
        markers,
    )  # fmt: skip
    components = [c for c in costs.columns if c != "total"]
    palette = colours.component_colours(components)
    hidden = hidden_costs(run, view.threshold) if view.public else set()
    drawn = costs[components].copy()
    for year, component in hidden:  # a suppressed cell is drawn as 0 (the note says so)
        if year in drawn.index and component in drawn:
            drawn.loc[year, component] = 0.0
    cost_svg = charts.stacked_bars(
        drawn / 1e6, palette, {c: t.name("cost", c) for c in components},
        t["million_eur"], "costs",
    )  # fmt: skip

    def cost(year: int, component: str) -> str:
        if (year, component) in hidden:
            return t["suppressed"]
        return formatting.number(costs.loc[year, component], 0, lang)

    def row_total(component: str) -> str:
        if any(c == component for _, c in hidden):
            return t["suppressed"]
        return formatting.number(costs[component].sum(), 0, lang)

    travel = travel_by_region(run)
    unmet_total = float(run.unmet["beds"].sum())
    unmet_hidden = view.public and unmet_total < view.threshold
    solver = run.summary.get("solver") or {}
    gap = solver.get("mip_gap")
    active = run.plan[run.plan["beds"] > 0]
    return {
        "t": t,
        "lang": lang,
        "public": view.public,
        "threshold": view.threshold,
        "map_name": map_name,
        "title": texts.title(run, lang),
        "scenario": run.scenario,
        "description": texts.description(run, lang),
        "needs_notes": [t[f"need_{need}_note"] for need in NEEDS],
        "created": str(run.summary.get("created") or "")[:10],
        "cards": [
            ("total-cost", t["total_cost"], formatting.eur(costs["total"].sum(), lang)),
            ("objective", t["objective"], formatting.eur(run.summary.get("objective_eur"), lang)),
            (
                "unmet",
                t["unmet_total"],
                f"<{view.threshold}" if unmet_hidden else formatting.beds(unmet_total, lang),
            ),
            ("sites-used", t["sites_used"], str(active["site_id"].nunique())),
            ("mean-km", t["mean_travel"], formatting.km(travel.iloc[-1]["mean_km"], lang)),
        ],  # fmt: skip
        "types": [(p, type_names[p]) for p in run.types],
        "beds": [
            {
                "year": year,
                "cells": [(p, _n(beds.loc[year, p], lang)) for p in run.types],
                "total": _n(beds.loc[year].sum(), lang),
            }
            for year in beds.index
        ],
        "beds_svg": beds_svg,
        "benchmarks": benchmarks,
        # components as rows and years as columns: a run has few years but up to a dozen
        # components (national: 12), which as columns made the table wider than the page
        "cost_years": list(costs.index),
        "costs": [
            {
                "key": c,
                "name": t.name("cost", c),
                "cells": [(year, cost(year, c)) for year in costs.index],
                "total": row_total(c),
            }
            for c in components
        ],
        "cost_year_totals": [
            (year, formatting.number(costs.loc[year, "total"], 0, lang)) for year in costs.index
        ],
        "costs_hidden": bool(hidden),
        "cost_total": formatting.number(costs["total"].sum(), 0, lang),
        "discounted_total": formatting.number(run.costs["eur_discounted"].sum(), 0, lang),
        "cost_svg": cost_svg,
        "service": service_section(run, view),
        "staged": staged_context(run, view),
        "reserve": reserve_section(run, view),
        "staff": staff_section(run, view),
        "schools": education_section(run, view),
        "advances": _advances(run, view),
        "factsheets": _factsheets(run),
        "travel": _travel(run, view),
        "trips": trips_section(run, view),
        "education": _education(run, view),
        "unmet": _unmet(run, view),
        "explanations": [str(e) for e in run.summary.get("explanations") or []],
        "solver": [
            (t["status"], texts.solver_words(solver, t)),
            (t["gap"], "–" if gap is None else f"{formatting.number(100 * gap, 2, lang)} %"),
            (t["termination"], str(solver.get("termination") or "–")),
            (t["time_limit"], _n(solver.get("time_limit_s"), lang)),
            (t["build_seconds"], formatting.number(run.summary.get("build_seconds"), 1, lang)),
            (t["solve_seconds"], formatting.number(run.summary.get("solve_seconds"), 1, lang)),
        ],
        "versions": ", ".join(
            f"{k} {run.manifest[k]}"
            for k in ("jzplan", "pyomo", "highs", "python")
            if k in run.manifest
        ),  # fmt: skip
        "parameters": texts.assumption_groups(
            public_parameters(run.parameters, view.threshold)[0] if view.public else run.parameters,
            lang,
        ),
    }


def build_report(
    run_dir: Path,
    *,
    lang: str = "en",
    public: bool = False,
    threshold: int = 5,
    map_name: str = "map.html",
) -> Path:
    """Write ``run_dir/report.html`` (standalone, no external assets) and return its path."""
    run = texts.localized(load_run(run_dir), lang)
    view = View(labels=Labels(lang), public=public, threshold=threshold)
    text = (
        environment().get_template("report.html.j2").render(**report_context(run, view, map_name))
    )
    out = Path(run_dir) / "report.html"
    out.write_text(text, encoding="utf-8")
    return out
