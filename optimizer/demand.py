"""Demand in average occupied beds per zone, need level and year.

Regional totals per year (the plan's path) are split into need levels by the year's shares, then
distributed over zones by a key (population by default). Alternatively a region states arrivals
per year and a mean stay in days per need; its offered load is arrivals x stay / 365 beds (Little's
law, a year of 365 days), distributed over the region's zones by the same key. All splitting is
done in whole units of 1/10,000 bed with largest-remainder rounding, so the zones add up exactly
to every total.
"""

from __future__ import annotations

import pandas as pd

from optimizer.apportion import largest_remainder
from optimizer.schema import NEEDS

UNITS_PER_BED = 10_000
DAYS_PER_YEAR = 365


def _spread(members: pd.DataFrame, units: int, year: int, need: str) -> list[tuple]:
    parts = largest_remainder(int(units), members["weight"].tolist())
    return [
        (year, code, need, part / UNITS_PER_BED)
        for code, part in zip(members["gm_code"], parts, strict=True)
    ]


def _table(rows: list[tuple]) -> pd.DataFrame:
    demand = pd.DataFrame(rows, columns=["year", "gm_code", "need", "beds"])
    return demand.groupby(["year", "gm_code", "need"], as_index=False)["beds"].sum()


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
                rows.extend(_spread(members, units, year, need))
    return _table(rows)


def load_units(arrivals_per_year: float, mean_stay_days: float) -> int:
    """Offered load arrivals x stay / 365 in whole 1/10,000 beds (one rounding, half to even)."""
    return round(arrivals_per_year * mean_stay_days * UNITS_PER_BED / DAYS_PER_YEAR)


def distribute_arrivals(
    zones: pd.DataFrame,
    arrivals: dict[str, dict[int, dict[str, float]]],
    mean_stay_days: dict[str, dict[str, float]],
    years: list[int],
) -> pd.DataFrame:
    """Demand table from ``arrivals[region][year][need]`` youths a year and
    ``mean_stay_days[region][need]`` days."""
    rows = []
    for region, by_year in arrivals.items():
        members = zones[zones["region"] == region]
        for year in years:
            for need in NEEDS:
                units = load_units(by_year[year][need], mean_stay_days[region][need])
                rows.extend(_spread(members, units, year, need))
    return _table(rows)
