"""Scenarios side by side (compare.html and compare.csv): cost, beds, sites, travel, unmet; per
year the sites each plan opens, closes and converts, and unmet demand by need
(reports/compare_sites.py).

Each run folder becomes one column, ranked by cash (discounted, what the plan costs in money) by
default or by the objective (cash and policy weights together); cash and weights have rows of
their own. The trade-off chart puts every scenario at its mean travel distance and total cost,
and each column links to its run's map by a relative path, so the comparison can be moved
together with the run folders.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from reports import charts, formatting, texts
from reports.compare_map import build_compare_map
from reports.compare_plans import plan_rows
from reports.compare_sites import change_rows
from reports.i18n import Labels
from reports.metrics import beds_by_year_type, cost_by_year, travel_by_region
from reports.runfolder import RunFolder, load_run
from reports.templating import environment


@dataclass(frozen=True)
class Row:
    """One compared figure: a key for machines, a label for people, a value per scenario."""

    key: str
    label: str
    values: list[float | str | None]
    kind: str  # eur | beds | km | count | text


RANKS = ("cash", "objective")
MAP_FILE = "compare-map.html"


def cash_discounted(run: RunFolder) -> float | None:
    """Discounted cash of a run: summary.json, else costs.csv rows of kind cash; None for a run
    folder written before cash and weights were told apart."""
    value = run.summary.get("cash_total_discounted_eur")
    if value is not None:
        return float(value)
    cash = run.costs[run.costs["kind"] == "cash"]
    return float(cash["eur_discounted"].sum()) if not cash.empty else None


def weights_discounted(run: RunFolder) -> float | None:
    value = run.summary.get("weights_total_discounted_eur")
    if value is not None:
        return float(value)
    weight = run.costs[run.costs["kind"] == "weight"]
    return float(weight["eur_discounted"].sum()) if not weight.empty else None


def ranked(runs: list[RunFolder], rank_by: str) -> list[RunFolder]:
    """Runs in order of ``rank_by`` (cash or objective), lowest first; runs without the figure
    last, in their given order."""
    if rank_by not in RANKS:
        raise ValueError(f"rank_by: expected one of {', '.join(RANKS)}, got {rank_by!r}")

    def figure(run):
        if rank_by == "cash":
            return cash_discounted(run)
        value = run.summary.get("objective_eur")
        return None if value is None else float(value)

    figures = [figure(run) for run in runs]
    order = sorted(range(len(runs)), key=lambda i: (figures[i] is None, figures[i] or 0.0, i))
    return [runs[i] for i in order]


def _rows(
    runs: list[RunFolder], t: Labels, rank_by: str = "cash", optimum: RunFolder | None = None
) -> list[Row]:
    years = sorted({y for run in runs for y in run.years})
    types = list(dict.fromkeys(p for run in runs for p in run.types))
    costs = [cost_by_year(run) for run in runs]
    beds = [beds_by_year_type(run) for run in runs]
    travel = [travel_by_region(run).iloc[-1] for run in runs]

    def cell(table, row, column):
        return float(table.loc[row, column]) if row in table.index and column in table else None

    rows = [
        Row("status", t["status"], [texts.solver_words(r.summary.get("solver") or {}, t)
                                    for r in runs], "text"),
        Row("rank", t("rank", metric=t[f"rank_{rank_by}"]),
            [float(i) for i in range(1, len(runs) + 1)], "count"),
        Row("cash_total", t["cash_total"], [cash_discounted(r) for r in runs], "eur"),
        Row("weights_total", t["weights_total"], [weights_discounted(r) for r in runs], "eur"),
        Row("total_cost", t["total_cost"], [float(c["total"].sum()) for c in costs], "eur"),
        Row("objective", t["objective"], [r.summary.get("objective_eur") for r in runs], "eur"),
    ]  # fmt: skip
    rows += [
        Row(f"cost_{y}", t("cost_year", year=y), [cell(c, y, "total") for c in costs], "eur")
        for y in years
    ]
    rows += [
        Row(
            f"beds_{y}_{p}",
            t("beds_year_type", year=y, type=t.name("type", p)),
            [cell(b, y, p) for b in beds],
            "beds",
        )
        for y in years
        for p in types
    ]
    rows += [
        Row("sites_used", t["sites_used"],
            [float(r.plan.loc[r.plan["beds"] > 0, "site_id"].nunique()) for r in runs], "count"),
        Row("mean_km", t["mean_travel"], [float(x["mean_km"]) for x in travel], "km"),
        Row("max_km", t["max_travel"], [float(x["max_km"]) for x in travel], "km"),
        Row("unmet_beds", t["unmet_beds"], [float(r.unmet["beds"].sum()) for r in runs], "beds"),
    ]  # fmt: skip
    rows += change_rows(runs, t, Row)
    rows += plan_rows(runs, t, Row, optimum)
    return rows


def _text(value: float | str | None, kind: str, lang: str) -> str:
    if value is None or isinstance(value, str):
        return value or "–"
    if kind == "eur":
        return formatting.number(value, 0, lang)
    if kind == "count":
        return formatting.number(value, 0, lang)
    if kind == "pct":
        return formatting.number(value, 2, lang) + " %"
    decimals = 0 if kind == "beds" and float(value).is_integer() else 1
    return formatting.number(value, decimals, lang) or "–"


def _csv(value: float | str | None) -> float | str:
    """Numbers rounded to 6 decimals (no float noise); missing values empty."""
    if value is None:
        return ""
    return round(value, 6) if isinstance(value, float) else value


def _names(runs: list[RunFolder]) -> list[str]:
    """Scenario names, with the folder name added where two runs share a name."""
    names = [run.scenario for run in runs]
    return [
        f"{name} ({run.path.name})" if names.count(name) > 1 else name
        for name, run in zip(names, runs, strict=True)
    ]


def compare_runs(
    run_dirs: list[Path],
    out_dir: Path,
    lang: str = "en",
    rank_by: str = "cash",
    optimum: Path | None = None,
) -> Path:
    """Write ``out_dir/compare.html``, ``out_dir/compare.csv`` and ``out_dir/compare-map.html``
    (the plans on one map, a layer each), the scenarios ranked by ``rank_by`` (``cash`` or
    ``objective``); with ``optimum`` (one of ``run_dirs``: the least-cost plan of near-optimal
    alternatives) also what each plan costs more than it and the sites each runs per year.
    Return the HTML path."""
    if not run_dirs:
        raise ValueError("compare_runs needs at least one run folder")
    t = Labels(lang)
    runs = ranked([texts.localized(load_run(Path(d)), lang) for d in run_dirs], rank_by)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    names = _names(runs)
    best = None
    if optimum is not None:
        best = next((r for r in runs if r.path.resolve() == Path(optimum).resolve()), None)
        if best is None:
            raise ValueError(f"compare_runs: optimum {optimum} is not one of the run folders")
    rows = _rows(runs, t, rank_by, best)
    build_compare_map(runs, names, out_dir / MAP_FILE, lang)
    with (out_dir / "compare.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["metric", "label", *names])
        for row in rows:
            writer.writerow([row.key, row.label, *(_csv(v) for v in row.values)])
    by_key = {row.key: row.values for row in rows}
    points = [
        (name, float(km), float(cost) / 1e6)
        for name, km, cost in zip(names, by_key["mean_km"], by_key["total_cost"], strict=True)
        if km == km and cost is not None  # km is NaN for a run without assignments
    ]
    chart = charts.scatter(points, t["tradeoff_x"], t["tradeoff_y"], "tradeoff")
    scenarios = []
    for name, run in zip(names, runs, strict=True):
        map_path = run.path / "map.html"
        link = os.path.relpath(map_path, out_dir).replace(os.sep, "/")
        scenarios.append(
            {
                "name": name,
                "title": texts.title(run, lang),
                "map": link if map_path.exists() else "",
            }
        )
    html = (
        environment()
        .get_template("compare.html.j2")
        .render(
            t=t,
            lang=lang,
            scenarios=scenarios,
            rows=[
                {
                    "key": r.key,
                    "label": r.label,
                    "cells": [_text(v, r.kind, lang) for v in r.values],
                    "numeric": r.kind != "text",
                }
                for r in rows
            ],  # fmt: skip
            chart=chart,
            plans_map=MAP_FILE,
        )
    )
    out = out_dir / "compare.html"
    out.write_text(html, encoding="utf-8")
    return out
