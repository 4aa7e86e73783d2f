"""Demand in average occupied beds per zone, need level and year.

Regional totals per year (the plan's path) are split into need levels by the year's shares, then
distributed over zones by a key (population by default). All splitting is done in whole units of
1/10,000 bed with largest-remainder rounding, so the zones add up exactly to every total.
"""

from __future__ import annotations

import pandas as pd

from optimizer.apportion import largest_remainder

UNITS_PER_BED = 10_000
NEEDS = ("secure", "hybrid", "open")


def distribute(
    zones: pd.DataFrame,
    totals: dict[str, dict[int, float]],
    need_shares: dict[int, dict[str, float]],
    years: list[int],
) -> pd.DataFrame:
    """Demand table ``year, gm_code, need, beds``.

    ``zones`` has ``gm_code, region, weight``; ``totals`` maps a region name (or ``"*"`` for all
    zones together) to beds per year.
    """
    rows = []
    for area, by_year in totals.items():
        members = zones if area == "*" else zones[zones["region"] == area]
        for year in years:
            total_units = round(by_year[year] * UNITS_PER_BED)
            shares = need_shares[year]
            need_units = largest_remainder(total_units, [shares.get(n, 0.0) for n in NEEDS])
            for need, units in zip(NEEDS, need_units, strict=True):
                parts = largest_remainder(int(units), members["weight"].tolist())
                rows.extend(
                    (year, code, need, part / UNITS_PER_BED)
                    for code, part in zip(members["gm_code"], parts, strict=True)
                )
    demand = pd.DataFrame(rows, columns=["year", "gm_code", "need", "beds"])
    return demand.groupby(["year", "gm_code", "need"], as_index=False)["beds"].sum()
