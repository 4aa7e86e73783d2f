"""What reserve places buy: the refusal probability with and without them (Erlang loss model).

A reserve is a ``policy.min_places`` rule marked ``reserve: true`` (the baseline's 12 hybrid reserve
places, plan §2.2). For each of its years the plan's places are taken as one shared pool (the best
case: every place can take every youth) for the year's offered load, all needs together; without
the reserve the pool has the rule's places fewer.
"""

from __future__ import annotations

import pandas as pd

from optimizer.capacity import reserve_effect
from optimizer.data import InputData

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
