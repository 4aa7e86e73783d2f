"""What reserve places buy: the plan with and without them, in refusal points and in euros.

A reserve is a ``policy.min_places`` rule marked ``reserve: true`` (the baseline's 12 hybrid reserve
places, plan §2.2). The pipeline solves the scenario twice: as given, and without its reserve
rules. For every reserve year both plans' refusal probability is the one of
:mod:`optimizer.service` — the load-weighted Erlang B refusal over the pools of the reserve's
types — and both plans' objective is shown, so the report can say "the reserve lowers refusal
from X to Y for EUR Z". ``jzplan size --run`` prints these same rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer import erlang
from optimizer.data import InputData
from optimizer.service import refusal_for_types

COLUMNS = [
    "year", "rule", "types", "reserve_places", "places_with", "places_without", "load_with_beds",
    "load_without_beds", "refusal_with", "refusal_without", "objective_with_eur",
    "objective_without_eur",
]  # fmt: skip


def reserve_table(
    rules,
    service_with: pd.DataFrame,
    service_without: pd.DataFrame,
    objective_with: float,
    objective_without: float,
) -> pd.DataFrame:
    """One row per reserve rule and year, from the two plans' pool tables (optimizer.service)."""
    rows = []
    for rule in rules:
        if not rule.reserve:
            continue
        types = set(rule.types)
        with_ = refusal_for_types(service_with, types).set_index("year")
        without = refusal_for_types(service_without, types).set_index("year")
        solved = objective_without == objective_without  # NaN: no plan without the reserve
        nan = float("nan")
        for year in rule.years:
            w = with_.loc[year] if year in with_.index else None
            wo = without.loc[year] if year in without.index else None
            if not solved:
                rows.append(
                    (year, rule.name, ";".join(rule.types), rule.places,
                     int(w["places"]) if w is not None else 0, nan,
                     float(w["offered_load_beds"]) if w is not None else 0.0, nan,
                     float(w["refusal_probability"]) if w is not None else 0.0, nan,
                     objective_with, nan)
                )  # fmt: skip
                continue
            rows.append(
                (year, rule.name, ";".join(rule.types), rule.places,
                 int(w["places"]) if w is not None else 0,
                 int(wo["places"]) if wo is not None else 0,
                 float(w["offered_load_beds"]) if w is not None else 0.0,
                 float(wo["offered_load_beds"]) if wo is not None else 0.0,
                 float(w["refusal_probability"]) if w is not None else 0.0,
                 float(wo["refusal_probability"]) if wo is not None else 0.0,
                 objective_with, objective_without)
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def scenario_loads(data: InputData, year: int | None) -> tuple[int, dict[str, float]]:
    """A scenario year's offered load per region (average occupied beds, all needs)."""
    year = year or data.years[0]
    demand = data.demand[data.demand["year"] == year].merge(data.zones[["gm_code", "region"]])
    return year, demand.groupby("region")["beds"].sum().to_dict()


@dataclass
class SizingReport:
    """What ``jzplan size`` prints: places per refusal level and what pooling saves."""

    levels: pd.DataFrame  # name, load, max refusal, places, occupancy, utilisation
    pooling: pd.DataFrame | None


def sizing_report(loads: dict[str, float]) -> SizingReport:
    wide = erlang.sizing_table(loads)
    levels = [c.removeprefix("places_") for c in wide.columns if c.startswith("places_")]
    table = pd.DataFrame(
        [
            {
                "name": name,
                "load": row["load"],
                "max refusal": level,
                "places": int(row[f"places_{level}"]),
                "occupancy": row[f"occupancy_{level}"],
                "utilisation": row[f"utilisation_{level}"],
            }
            for name, row in wide.iterrows()
            for level in levels
        ]
    )  # one row per area and level: fits an 80-column terminal
    pooled = None
    if len(loads) > 1:  # pooling one load with itself says nothing
        pooled = erlang.pooling_comparison(loads, 0.05).reset_index()
        pooled["refusal"] = [f"{100 * v:.2f} %" for v in pooled["refusal"]]
    return SizingReport(table, pooled)
