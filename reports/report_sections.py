"""The report's service-level sections: the admission duty per pool, what the reserve places
buy, and staff (reports/report.py places them in the page).

Figures come from service.csv, reserve.csv and plan.csv; in public mode a load below the
threshold is hidden, and with it the refusal probability that would give it away.
"""

from __future__ import annotations

import math

import pandas as pd

from reports import formatting
from reports.formatting import whole_or_one as _n
from reports.runfolder import RunFolder
from reports.view import View

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


def reserve_section(run: RunFolder, view: View) -> dict:
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


def service_section(run: RunFolder, view: View) -> dict:
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


def staff_section(run: RunFolder, view: View) -> dict:
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


def _pupils(view: View, value: float) -> str:
    """Pupils (average occupied beds); in public mode below the threshold as <threshold."""
    if view.public and 0 < value < view.threshold:
        return f"<{view.threshold}"
    return formatting.beds(value, view.lang)


def education_section(run: RunFolder, view: View) -> dict:
    """Onderwijs / Education: plan pupils per school and year (schools.csv), the schools whose
    use the model decides with their threshold, and a line per JeugdzorgPlus school."""
    t, lang = view.labels, view.lang
    schools, years = run.schools, list(run.years)
    if schools.empty:
        return {"rows": [], "years": years, "lines": []}
    shown = schools.groupby("school_id").filter(
        lambda g: (g["pupils"] > 0).any() or g["decided"].astype(bool).any()
    )
    rows, lines = [], []
    for school_id, rows_of in shown.groupby("school_id", sort=False):
        by_year = rows_of.set_index("year")
        first = rows_of.iloc[0]
        minimum = float(first["min_pupils"])
        cells = []
        for year in years:
            if year not in by_year.index:
                cells.append((year, "–", ""))
                continue
            r = by_year.loc[year]
            state = "stopped" if r["stopped"] else "started" if r["started"] else ""
            used = bool(r["in_use"])
            low = used and minimum > 0 and float(r["pupils"]) < minimum
            cls = "bad" if low else "" if used or not r["decided"] else "idle"
            text = _pupils(view, float(r["pupils"])) if used else t["school_not_used"]
            cells.append((year, text + (f" ({t['school_' + state]})" if state else ""), cls))
        capacity = first["capacity_pupils"]
        rows.append(
            {
                "school_id": school_id,
                "name": first["school_name"],
                "kind": t.name("school_kind", str(first["kind"])),
                "capacity": "–" if pd.isna(capacity) else _n(float(capacity), lang),
                "minimum": _n(minimum, lang) if minimum > 0 else "–",
                "cells": cells,
            }
        )
        if first["kind"] == "jzplus_school":
            lines.append(_jzplus_line(view, rows_of, minimum))
    rows.sort(key=lambda r: (r["kind"], r["name"]))
    return {"rows": rows, "years": years, "lines": lines}


def _jzplus_line(view: View, rows_of: pd.DataFrame, minimum: float) -> str:
    """The Olivijncollege line: plan pupils per year, its viability threshold, what the plan
    does when it falls below it."""
    t, lang = view.labels, view.lang
    ordered = rows_of.sort_values("year")
    pupils = "; ".join(
        f"{int(r.year)}: {_pupils(view, float(r.pupils)) if r.in_use else t['school_not_used']}"
        for r in ordered.itertuples()
    )
    stopped = [int(r.year) for r in ordered.itertuples() if r.stopped]
    name = str(ordered.iloc[0]["school_name"])
    if stopped:
        verdict = t("school_line_closes", year=stopped[0])
    elif minimum > 0:
        verdict = t["school_line_keeps"]
    else:
        verdict = ""
    threshold = _n(minimum, lang) if minimum > 0 else t["school_no_threshold"]
    return t("school_line", school=name, pupils=pupils, threshold=threshold, verdict=verdict)
