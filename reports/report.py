"""The plan report (report.html): key figures, costs, service level, reserve, staff, advances,
travel, education, unmet demand, solver and assumptions.

One standalone HTML file in English or Dutch, rendered by Jinja2 with autoescaping from the run
folder alone; charts are inline SVG. Numbers are formatted here, so the template only places text.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from reports import charts, colours, formatting
from reports.disclosure import suppress_hierarchy
from reports.i18n import Labels
from reports.metrics import beds_by_year_type, cost_by_year, travel_by_region
from reports.runfolder import RunFolder, load_run
from reports.view import View


def environment() -> Environment:
    """Jinja2 with autoescaping on for every template and errors for undefined names."""
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _n(value: float, lang: str) -> str:
    """Whole numbers without decimals, others with one."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return formatting.number(value, 0 if float(value).is_integer() else 1, lang)


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
                "beds": formatting.beds(row["beds"], view.lang),
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


SAME_EUR = 0.5  # two objectives closer than half a euro are the same plan's (solver rounding)
REFUSAL_SLACK = 1e-9  # a refusal probability this much above its target still meets it


def _suppressed(view: View, load: float) -> bool:
    """In the public version a load below the threshold is hidden, and with it the refusal
    probability (which, with the places, would give the load away)."""
    return view.public and not math.isnan(load) and load < view.threshold


def _load(view: View, load: float) -> str:
    return f"<{view.threshold}" if _suppressed(view, load) else formatting.beds(load, view.lang)


def _refusal(view: View, load: float, refusal: float) -> str:
    if _suppressed(view, load):
        return view.labels["suppressed"]
    return formatting.refusal(refusal, view.lang) or "–"


def _type_names(view: View, types: str) -> str:
    return ", ".join(view.labels.name("type", k) for k in types.split(";") if k)


def _site_names(run: RunFolder) -> dict[str, str]:
    """Site names from inputs/sites.csv (the raw names), else plan.csv's."""
    names = dict(zip(run.plan["site_id"], run.plan["site_name"], strict=True))
    return names | dict(zip(run.sites["site_id"], run.sites["name"], strict=True))


def _capacity_rule(run: RunFolder) -> tuple[str, float | None]:
    """The capacity rule and refusal target from summary.json, else from service.csv."""
    info = run.summary.get("service") or {}
    plan = run.service[run.service["variant"] == "plan"]
    targets = plan["max_refusal_probability"].dropna()
    target = info.get("max_refusal_probability")
    if target is None and len(targets):
        target = float(targets.iloc[0])
    rule = info.get("capacity_rule") or ("service_level" if target is not None else "")
    if not rule and len(plan):
        rule = "occupancy"
    return str(rule), None if target is None else float(target)


def _reserve(run: RunFolder, view: View) -> dict:
    """Both plans per reserve rule and year (reserve.csv), and what the reserve rules cost."""
    t, lang = view.labels, view.lang
    table = run.reserve.sort_values(["year", "rule"])
    if table.empty:
        return {"rows": [], "verdict": "", "objectives": []}
    with_eur = float(table["objective_with_eur"].iloc[0])
    without_eur = float(table["objective_without_eur"].iloc[0])
    solved = not math.isnan(without_eur)
    rows = []
    for _, row in table.iterrows():
        rows.append(
            {
                "year": int(row["year"]),
                "rule": row["rule"],
                "types": _type_names(view, row["types"]),
                "reserve": _n(row["reserve_places"], lang),
                "places_with": _n(row["places_with"], lang),
                "places_without": _n(row["places_without"], lang) if solved else "–",
                "load_with": _load(view, row["load_with_beds"]),
                "load_without": _load(view, row["load_without_beds"]) if solved else "–",
                "with": _refusal(view, row["load_with_beds"], row["refusal_with"]),
                # the exact figure for machines (jzplan size --run prints the same); not public
                "with_p": "" if view.public else repr(float(row["refusal_with"])),
                "without_p": ""
                if view.public or not solved
                else repr(float(row["refusal_without"])),
                "without": (
                    _refusal(view, row["load_without_beds"], row["refusal_without"])
                    if solved
                    else "–"
                ),
            }
        )
    cost = with_eur - without_eur
    same = (
        solved and abs(cost) < SAME_EUR and (table["places_with"] == table["places_without"]).all()
    )
    if not solved:
        verdict = t["reserve_unsolved"]
    elif same:
        rule, _ = _capacity_rule(run)
        verdict = t["reserve_nothing_occupancy" if rule == "occupancy" else "reserve_nothing"]
    else:
        verdict = t("reserve_costs", cost=formatting.eur(cost, lang))
    objectives = [
        ("objective-with", t["objective_with"], formatting.eur(with_eur, lang)),
        ("objective-without", t["objective_without"],
         formatting.eur(without_eur, lang) if solved else "–"),
        ("cost", t["reserve_cost"],
         formatting.eur(0.0 if same else cost, lang) if solved else "–"),
    ]  # fmt: skip
    return {"rows": rows, "verdict": verdict, "objectives": objectives}


def _service(run: RunFolder, view: View) -> dict:
    """Refusal probability per year and pool of the plan (service.csv, variant ``plan``)."""
    t, lang = view.labels, view.lang
    rule, target = _capacity_rule(run)
    plan = run.service[run.service["variant"] == "plan"].sort_values(["year", "pool"])
    names = _site_names(run)
    rows, years = [], {}
    for _, row in plan.iterrows():
        limit = row["max_refusal_probability"]
        limit = target if math.isnan(limit) else float(limit)
        refusal, year = float(row["refusal_probability"]), int(row["year"])
        within = None if limit is None else refusal <= limit + REFUSAL_SLACK
        rows.append(
            {
                "year": year,
                "pool": row["pool"],
                "sites": ", ".join(names.get(s, s) for s in row["sites"].split(";") if s),
                "types": _type_names(view, row["types"]),
                "places": _n(row["places"], lang),
                "load": _load(view, row["offered_load_beds"]),
                "refusal": _refusal(view, row["offered_load_beds"], refusal),
                "within": "–" if within is None else t["yes"] if within else t["no"],
                "class": "" if within is None else "good" if within else "bad",
            }
        )
        highest, load, above = years.get(year, (-1.0, 0.0, 0))
        if refusal > highest:
            highest, load = refusal, float(row["offered_load_beds"])
        years[year] = (highest, load, above + (within is False))
    if rule == "service_level" and target is not None:
        text = t("service_rule_level", target=formatting.percent(target, lang))
    elif rule == "occupancy":
        text = t["service_rule_occupancy"]
    else:
        text = t("service_rule_other", rule=rule or "–")
    per_year = [
        {
            "year": year,
            "highest": _refusal(view, load, highest),
            "above": str(above),
        }
        for year, (highest, load, above) in sorted(years.items())
    ]
    return {
        "rows": rows,
        "rule": text,
        "rule_name": t.name("rule", rule) if rule else "–",
        "target": formatting.percent(target, lang) if target is not None else t["no_target"],
        "has_target": target is not None,
        "per_year": per_year,
    }


def _staff(run: RunFolder, view: View) -> dict:
    """FTE per site and year from plan.csv ``fte``, with the totals per year."""
    t, lang = view.labels, view.lang
    plan = run.plan[run.plan["fte"].notna()]
    years = list(run.years)
    if plan.empty or not (plan["fte"] > 0).any():
        return {"rows": [], "years": years, "totals": [], "note": ""}
    fte = plan.pivot_table(index="site_id", columns="year", values="fte", aggfunc="sum")
    fte = fte.reindex(columns=years).fillna(0.0)
    fte = fte[(fte > 0).any(axis=1)]
    names = _site_names(run)
    order = [s for s in run.sites["site_id"] if s in fte.index]
    order += sorted(s for s in fte.index if s not in order)
    rows = [
        {
            "site_id": site,
            "name": names.get(site, site),
            "cells": [(year, _n(float(fte.at[site, year]), lang)) for year in years],
        }
        for site in order
    ]
    totals = [(year, _n(float(fte[year].sum()), lang)) for year in years]
    per_group = run.place_types.dropna(subset=["fte_per_group"])
    note = ", ".join(
        f"{t.name('type', k)} {_n(float(v), lang)}"
        for k, v in zip(per_group["type"], per_group["fte_per_group"], strict=True)
    )
    return {"rows": rows, "years": years, "totals": totals, "note": note}


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
    cost_svg = charts.stacked_bars(
        costs[components] / 1e6, palette, {c: t.name("cost", c) for c in components},
        "M EUR", "costs",
    )  # fmt: skip
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
        "title": run.title,
        "scenario": run.scenario,
        "description": str(run.summary.get("description") or ""),
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
        "components": [(c, t.name("cost", c)) for c in components],
        "costs": [
            {
                "year": year,
                "cells": [(c, formatting.number(costs.loc[year, c], 0, lang)) for c in components],
                "total": formatting.number(costs.loc[year, "total"], 0, lang),
            }
            for year in costs.index
        ],
        "cost_totals": [(c, formatting.number(costs[c].sum(), 0, lang)) for c in components],
        "cost_total": formatting.number(costs["total"].sum(), 0, lang),
        "discounted_total": formatting.number(run.costs["eur_discounted"].sum(), 0, lang),
        "cost_svg": cost_svg,
        "service": _service(run, view),
        "reserve": _reserve(run, view),
        "staff": _staff(run, view),
        "advances": _advances(run, view),
        "travel": _travel(run, view),
        "education": _education(run, view),
        "unmet": _unmet(run, view),
        "explanations": [str(e) for e in run.summary.get("explanations") or []],
        "solver": [
            (t["status"], str(solver.get("describe") or solver.get("status") or "–")),
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
        "parameters": run.parameters.to_dict("records"),
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
    run = load_run(run_dir)
    view = View(labels=Labels(lang), public=public, threshold=threshold)
    text = (
        environment().get_template("report.html.j2").render(**report_context(run, view, map_name))
    )
    out = Path(run_dir) / "report.html"
    out.write_text(text, encoding="utf-8")
    return out
