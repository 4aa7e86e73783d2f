"""Expected advance per municipality and year for a plan: what a scenario costs each council.

The plan's places per type and year are the contract; the day tariff is the running cost per
place-year divided by the days of the settlement year (365 without a settlement section), and
the key is the scenario's settlement key (population unless it names agreed shares or weights),
as for ``jzplan settle``. Amounts are in cents and add
up exactly to each year's contract value (settlement.expected_advances_for_plan).
"""

from __future__ import annotations

import calendar
from decimal import Decimal

import pandas as pd

from optimizer import settlement
from optimizer.data import InputData
from optimizer.scenario import origin_file

COLUMNS = ["year", "gm_code", "advance_cents", "advance_eur"]


def day_tariffs(data: InputData) -> tuple[dict[str, Decimal], int]:
    """EUR per place-day by type, and the days of the year they were derived for."""
    year = data.scenario.settlement.year if data.scenario.settlement else None
    days = 366 if year and calendar.isleap(year) else 365
    running = data.scenario.costs.running_eur_per_place_year.values
    return {k: Decimal(repr(float(v))) / days for k, v in running.items()}, days


def settlement_key(data: InputData) -> settlement.DistributionKey | None:
    """The scenario's key (settlement.key): agreed shares, weights, or population by default.

    None when the population key is asked for and a zone has no population.
    """
    if data.settlement_weights is not None:
        # Decimal of the shortest repr: a share written 0.2 counts as exactly 1/5
        weights = {str(k): Decimal(repr(float(v))) for k, v in data.settlement_weights.items()}
        return settlement.DistributionKey.from_weights(weights)
    population = pd.to_numeric(data.zones["population"], errors="coerce")
    if population.isna().any():
        return None
    weights = dict(zip(data.zones["gm_code"], population.astype(int).tolist(), strict=True))
    return settlement.DistributionKey.from_weights(weights)


def plan_advances(data: InputData, plan: pd.DataFrame) -> pd.DataFrame:
    """``year, gm_code, advance_cents, advance_eur``; empty without a population key."""
    key = settlement_key(data)
    if key is None or plan.empty:
        return pd.DataFrame(columns=COLUMNS)
    tariffs, _ = day_tariffs(data)
    beds = plan.groupby(["year", "type"], as_index=False)["beds"].sum()
    beds["beds"] = beds["beds"].astype(int)
    table = settlement.expected_advances_for_plan(beds, tariffs, key)
    return table[COLUMNS]


SETTLEMENT_COLUMNS = [
    "gm_code", "name", "used_days", "advance_eur", "used_eur", "unused_share_eur", "due_eur",
    "balance_eur",
]  # fmt: skip


def settle_scenario(data: InputData, usage_csv, config_file: str) -> pd.DataFrame:
    """Settlement per municipality for the scenario's contract and a usage CSV."""
    sc = data.scenario
    if sc.settlement is None:
        raise settlement.SettlementError(
            f"{config_file}: settlement: the scenario needs a 'settlement' section"
            " (year, contract_places)"
        )
    tariffs, days = day_tariffs(data)
    key = settlement_key(data)
    if key is None:
        gaps = "".join(f"\n  - {gap}" for gap in data.population_gaps)
        setter = origin_file(sc, "settlement.key", config_file)
        raise settlement.SettlementError(
            f"{setter}: settlement.key: the population key needs a population for every "
            "zone; give them, or use key: shares or weights with a key_csv" + gaps
        )
    usage = settlement.read_usage_csv(usage_csv)
    table = settlement.settle(sc.settlement.contract_places, tariffs, days, key, usage)
    names = data.zones.set_index("gm_code")["name"]
    table.insert(1, "name", table["gm_code"].map(names))
    return table[SETTLEMENT_COLUMNS]
