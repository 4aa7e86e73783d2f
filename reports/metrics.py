"""Figures derived from a run folder that more than one report shows.

Map, report, workbook and comparison must agree to the last decimal, so travel means, percentiles,
within-limit shares and per-zone totals are computed here once, always weighted by beds.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from reports.runfolder import RunFolder


def weighted_quantile(values: pd.Series, weights: pd.Series, q: float) -> float:
    """Smallest value whose cumulative weight reaches ``q`` of the total (NaN without weight)."""
    frame = pd.DataFrame({"v": values.to_numpy(float), "w": weights.to_numpy(float)})
    frame = frame[frame["w"] > 0].sort_values("v")
    total = frame["w"].sum()
    if total <= 0:
        return math.nan
    cumulative = frame["w"].cumsum().to_numpy()
    index = int(np.searchsorted(cumulative, q * total - 1e-9 * total, side="left"))
    return float(frame["v"].iloc[min(index, len(frame) - 1)])


def assignments_with_limits(run: RunFolder) -> pd.DataFrame:
    """Assignments with the zone's region and whether the trip is within the type's km limit.

    A type without a km limit in place_types.csv counts as within its limit.
    """
    limits = run.place_types.set_index("type")["max_km"]
    frame = run.assignments.copy()
    frame["max_km"] = frame["type"].map(limits)
    frame["within"] = frame["max_km"].isna() | (frame["distance_km"] <= frame["max_km"] + 1e-9)
    regions = run.zones.set_index("gm_code")["region"]
    frame["region"] = frame["gm_code"].map(regions).fillna("")
    return frame


def zone_year(run: RunFolder) -> pd.DataFrame:
    """One row per zone and year: demand, assigned, unmet beds, mean km and share within limit."""
    codes = list(dict.fromkeys([*run.zones["gm_code"], *run.demand["gm_code"]]))
    index = pd.MultiIndex.from_product([codes, run.years], names=["gm_code", "year"])
    assigned = assignments_with_limits(run)
    assigned["km_beds"] = assigned["distance_km"] * assigned["beds"]
    assigned["within_beds"] = assigned["beds"].where(assigned["within"], 0.0)
    sums = assigned.groupby(["gm_code", "year"])[["beds", "km_beds", "within_beds"]].sum()
    frame = pd.DataFrame(index=index)
    frame["demand"] = run.demand.groupby(["gm_code", "year"])["beds"].sum()
    frame["assigned"] = sums["beds"]
    frame["unmet"] = run.unmet.groupby(["gm_code", "year"])["beds"].sum()
    frame = frame.fillna(0.0)
    placed = sums["beds"].reindex(index)
    frame["mean_km"] = (sums["km_beds"].reindex(index) / placed).where(placed > 0)
    frame["within_share"] = (sums["within_beds"].reindex(index) / placed).where(placed > 0)
    names = run.zones.set_index("gm_code")
    frame = frame.reset_index()
    frame["name"] = frame["gm_code"].map(names["name"]).fillna(frame["gm_code"])
    frame["region"] = frame["gm_code"].map(names["region"]).fillna("")
    return frame


def travel_stats(frame: pd.DataFrame) -> dict[str, float]:
    """Beds-weighted travel figures of assignments from :func:`assignments_with_limits`."""
    beds = frame["beds"].sum()
    if beds <= 0:
        nan = math.nan
        return {"beds": 0.0, "mean_km": nan, "p90_km": nan, "max_km": nan, "within_share": nan,
                "mean_minutes": nan}  # fmt: skip
    return {
        "beds": float(beds),
        "mean_km": float((frame["distance_km"] * frame["beds"]).sum() / beds),
        "p90_km": weighted_quantile(frame["distance_km"], frame["beds"], 0.9),
        "max_km": float(frame.loc[frame["beds"] > 0, "distance_km"].max()),
        "within_share": float(frame.loc[frame["within"], "beds"].sum() / beds),
        "mean_minutes": float((frame["minutes"] * frame["beds"]).sum() / beds),
    }


def travel_by_region(run: RunFolder) -> pd.DataFrame:
    """Travel per region over all years (bed-years); the last row, ``region=""``, is all."""
    frame = assignments_with_limits(run)
    rows = [{"region": region, **travel_stats(part)} for region, part in frame.groupby("region")]
    rows.append({"region": "", **travel_stats(frame)})
    return pd.DataFrame(rows)


def beds_by_year_type(run: RunFolder) -> pd.DataFrame:
    """Planned beds per year (rows) and place type (columns), from plan.csv."""
    table = run.plan.pivot_table(index="year", columns="type", values="beds", aggfunc="sum")
    table = table.reindex(index=run.years, columns=run.types).fillna(0.0)
    table.columns.name = None
    return table


COMPONENTS = ("running", "site", "setup", "friction", "travel", "school_transport",
              "restrictiveness", "overflow", "unmet_penalty")  # fmt: skip


def cost_by_year(run: RunFolder, column: str = "eur") -> pd.DataFrame:
    """Cost per year (rows) and component (documented ones first) plus ``total``."""
    found = list(dict.fromkeys(run.costs["component"]))
    components = [c for c in COMPONENTS if c in found] + [c for c in found if c not in COMPONENTS]
    table = run.costs.pivot_table(index="year", columns="component", values=column, aggfunc="sum")
    table = table.reindex(index=run.years, columns=components).fillna(0.0)
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table


def sites_used(run: RunFolder) -> dict[int, list[str]]:
    """Site ids with beds in each year."""
    active = run.plan[run.plan["beds"] > 0]
    return {year: sorted(set(active.loc[active["year"] == year, "site_id"])) for year in run.years}
