"""What reserve places buy: the refusal probability with and without them (Erlang loss model).

A reserve is a ``policy.min_places`` rule marked ``reserve: true`` (the baseline's 12 hybrid reserve
places, plan §2.2). For each of its years the plan's places are taken as one shared pool (the best
case: every place can take every youth) for the year's offered load, all needs together; without
the reserve the pool has the rule's places fewer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer import erlang
from optimizer.data import InputData
from optimizer.erlang import reserve_effect

COLUMNS = [
    "year", "rule", "types", "load_beds", "places", "reserve_places", "refusal_without",
    "refusal_with",
]  # fmt: skip


def reserve_table(data: InputData, plan: pd.DataFrame) -> pd.DataFrame:
    """One row per reserve rule and year: load, places with the reserve, refusal without/with."""
    load = data.demand.groupby("year")["beds"].sum()
    places = plan.groupby("year")["beds"].sum()
    rows = []
    for rule in data.scenario.policy.min_places:
        if not rule.reserve:
            continue
        for year in rule.years:
            with_reserve = int(round(places.get(year, 0)))
            reserve = min(rule.places, with_reserve)
            effect = reserve_effect(float(load.get(year, 0.0)), with_reserve - reserve, reserve)
            rows.append(
                (year, rule.name, ";".join(rule.types), effect["load"], with_reserve, reserve,
                 effect["refusal_without"], effect["refusal_with"])
            )  # fmt: skip
    return pd.DataFrame(rows, columns=COLUMNS)


def scenario_loads(data: InputData, year: int | None) -> tuple[int, dict[str, float], int | None]:
    """A scenario year's offered load per region and the places its reserve rules hold then."""
    year = year or data.years[0]
    demand = data.demand[data.demand["year"] == year].merge(data.zones[["gm_code", "region"]])
    loads = demand.groupby("region")["beds"].sum().to_dict()
    rules = [r for r in data.scenario.policy.min_places if r.reserve and year in r.years]
    return year, loads, (sum(r.places for r in rules) if rules else None)


@dataclass
class SizingReport:
    """What ``jzplan size`` prints: places per refusal level, pooling, the reserve's effect."""

    levels: pd.DataFrame  # name, load, max refusal, places, occupancy, utilisation
    pooling: pd.DataFrame
    reserve_sentence: str | None


def sizing_report(loads: dict[str, float], reserve: int | None) -> SizingReport:
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
    pooled = erlang.pooling_comparison(loads, 0.05).reset_index()
    pooled["refusal"] = [f"{100 * v:.2f} %" for v in pooled["refusal"]]
    sentence = None
    if reserve is not None:
        total = sum(loads.values())
        base = erlang.places_needed(total, 0.05)
        effect = erlang.reserve_effect(total, base, reserve)
        sentence = (
            f"Reserve: {reserve} extra places on top of {base} lower the refusal probability for"
            f" a load of {total:.2f} beds from {100 * effect['refusal_without']:.2f} %"
            f" to {100 * effect['refusal_with']:.2f} %."
        )
    return SizingReport(table, pooled, sentence)
