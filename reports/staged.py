"""The report's section on a staged plan: what is bought now, what each demand path then does
and costs, and what planning for the paths is worth (VSS) and what knowing the path would be
worth (EVPI). Read from paths.csv, summary.json ``stochastic`` and every path's plan.csv rows.
"""

from __future__ import annotations

import pandas as pd

from reports import formatting
from reports.runfolder import ALL_PATHS, RunFolder, load_run
from reports.view import View


def staged_context(run: RunFolder, view: View) -> dict | None:
    """The section's rows as formatted text; None for a single plan."""
    st = run.summary.get("stochastic")
    if not st or run.paths.empty:
        return None
    t, lang = view.labels, view.lang
    every = load_run(run.path, path=ALL_PATHS)
    plan = every.plan
    first = [int(y) for y in st["first_stage_years"]]
    eur = lambda v: "–" if v is None else formatting.eur(v, lang)  # noqa: E731
    measure = st["risk"]["measure"]
    tail = formatting.number(100 * (1 - st["risk"]["alpha"]), 0, lang)
    weight = formatting.number(st["risk"]["weight"], 2, lang)
    risk = t(f"staged_risk_{measure}", tail=tail, weight=weight)
    years = "–".join(str(y) for y in (first[0], first[-1])) if len(first) > 1 else str(first[0])
    paths = [
        {
            "path": row.path,
            "probability": formatting.number(100 * row.probability, 0, lang) + " %",
            "description": row.description,
            "demand": row.demand_by_year,
            "cost": eur(row.cost_eur),
            "cash": eur(row.cash_eur),
            "own": eur(row.own_optimum_eur),
            "regret": eur(row.regret_eur),
            "headline": row.path == st["headline_path"],
        }
        for row in run.paths.itertuples()
    ]
    head = st["headline_path"]
    now = plan[(plan["path"] == head) & plan["year"].isin(first) & (plan["groups"] > 0)]
    decided = [
        {
            "year": int(r.year),
            "site": r.site_name,
            "type": t.name("type", r.type),
            "groups": int(r.groups),
            "places": formatting.number(r.beds, 0, lang),
        }
        for r in now.sort_values(["year", "site_id", "type"]).itertuples()
    ]
    later = plan[~plan["year"].isin(first)]
    places = later.pivot_table(
        index=["path", "year"], columns="type", values="beds", aggfunc="sum", fill_value=0
    ).reindex(columns=run.types, fill_value=0)
    order = {w: i for i, w in enumerate(st["paths"])}
    recourse = [
        {
            "path": w,
            "year": int(year),
            "cells": [formatting.number(places.loc[(w, year), k], 0, lang) for k in run.types],
            "sites": _sites(later, w, year),
        }
        for w, year in sorted(places.index, key=lambda i: (order.get(i[0], 0), i[1]))
    ]
    figures = [
        ("expected", t["staged_expected"], eur(st["expected_cost_eur"])),
        ("ws", t["staged_ws"], eur(st["wait_and_see_eur"])),
        ("evpi", t["staged_evpi"], eur(st["evpi_eur"])),
        ("eev", t["staged_eev"], eur(st["expected_value_plan_eur"])),
        ("vss", t["staged_vss"], eur(st["vss_eur"])),
        ("cvar", t("staged_cvar", tail=tail), eur(st["cvar_eur"])),
        ("bound", t["staged_bound"], eur(st["bound_eur"])),
        ("gap", t["staged_gap"],
         "–" if st["gap"] is None else formatting.number(100 * st["gap"], 3, lang) + " %"),
    ]  # fmt: skip
    return {
        "intro": t("staged_intro", n=len(st["paths"]), years=years, risk=risk, path=head),
        "engine": t("staged_engine", engine=st["engine"], method=st["method"], ranks=st["ranks"]),
        "paths": paths,
        "decided": decided,
        "types": [(k, t.name("type", k)) for k in run.types],
        "recourse": recourse,
        "figures": figures,
        "vss_none": st.get("expected_value_plan_status", "infeasible") == "infeasible",
        "vss_unknown": st.get("expected_value_plan_status") == "not_found",
        "own_unproven": [
            w for w, ok in (st.get("own_optimum_proven_by_path") or {}).items() if not ok
        ],  # fmt: skip
    }


def _sites(plan: pd.DataFrame, path: str, year: int) -> str:
    """The sites running groups on a path in a year, by name."""
    rows = plan[(plan["path"] == path) & (plan["year"] == year) & (plan["groups"] > 0)]
    return ", ".join(sorted(set(rows["site_name"])))
