"""Expected advance per municipality and year for a plan: what a scenario costs each council.

The plan's places per type and year are the contract; the day tariffs and the key are the
scenario's contract (optimizer.contract: the settlement section's tariffs, derived or given, and
running cost / days for the types it does not price; 365 days without a settlement section), as
for ``jzplan settle``. Amounts are in cents and add up exactly to each year's contract value
(settlement.expected_advances_for_plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from optimizer import settlement
from optimizer.contract import Contract, contract_of, days_in, settlement_key
from optimizer.data import InputData
from optimizer.scenario import origin_file

COLUMNS = ["year", "gm_code", "advance_cents", "advance_eur"]
__all__ = [
    "COLUMNS", "day_tariffs", "plan_advances", "settle_contract", "settle_scenario",
    "settlement_file", "settlement_key",
]  # fmt: skip


def day_tariffs(data: InputData) -> tuple[dict[str, Fraction], int]:
    """EUR per place-day by type (the contract's, exact), and the days of the contract year."""
    contract = contract_of(data)
    if contract is not None:
        return dict(contract.tariffs), contract.days
    days = days_in(None)
    running = data.scenario.costs.running_eur_per_place_year.values
    return {k: Fraction(Decimal(repr(float(v)))) / days for k, v in running.items()}, days


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


#: The settlement file (``jzplan settle --out``): one row per municipality and a totals row.
FILE_COLUMNS = [
    "gm_code", "name", "share", "used_days", "advance_cents", "advance_eur", "used_cents",
    "used_eur", "unused_share_cents", "unused_share_eur", "due_cents", "due_eur",
    "balance_cents", "balance_eur",
]  # fmt: skip
TOTAL = "TOTAL"
#: A contracted type used more than this share of its care days leaves almost no room.
FULL_SHARE = 0.95


@dataclass
class Settled:
    """A settlement: the table per municipality (cents exact), its contract and warnings."""

    table: pd.DataFrame
    contract: Contract
    warnings: list[str]


def settle_contract(data: InputData, usage_csv, config_file: str) -> Settled:
    """Settlement per municipality for the scenario's contract and a usage CSV, with warnings."""
    sc = data.scenario
    if sc.settlement is None:
        raise settlement.SettlementError(
            f"{config_file}: settlement: the scenario needs a 'settlement' section"
            " (year, contract_places)"
        )
    key = settlement_key(data)
    if key is None:
        gaps = "".join(f"\n  - {gap}" for gap in data.population_gaps)
        setter = origin_file(sc, "settlement.key", config_file)
        raise settlement.SettlementError(
            f"{setter}: settlement.key: the population key needs a population for every "
            "zone; give them, or use key: shares or weights with a key_csv" + gaps
        )
    contract = contract_of(data)
    tariffs, days = dict(contract.tariffs), contract.days
    usage = settlement.read_usage_csv(usage_csv)
    table = settlement.settle(sc.settlement.contract_places, tariffs, days, key, usage)
    names = data.zones.set_index("gm_code")["name"]
    table.insert(1, "name", table["gm_code"].map(names).fillna(""))
    return Settled(table, contract, _warnings(contract, usage, table))


def settle_scenario(data: InputData, usage_csv, config_file: str) -> pd.DataFrame:
    """Settlement per municipality (the columns ``jzplan settle`` prints)."""
    return settle_contract(data, usage_csv, config_file).table[SETTLEMENT_COLUMNS]


def settlement_file(settled: Settled) -> pd.DataFrame:
    """The settlement as a file: FILE_COLUMNS per municipality, then the totals row (``TOTAL``):
    advances and dues add up to the contract value, balances to zero, to the cent."""
    table = settled.table[FILE_COLUMNS].copy()
    total = {"gm_code": TOTAL, "name": "all municipalities", "share": float(table["share"].sum())}
    total["used_days"] = int(table["used_days"].sum())
    for name in ("advance", "used", "unused_share", "due", "balance"):
        cents = int(table[f"{name}_cents"].sum())
        total[f"{name}_cents"], total[f"{name}_eur"] = cents, cents / 100
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)[FILE_COLUMNS]


def _warnings(contract: Contract, usage: pd.DataFrame, table: pd.DataFrame) -> list[str]:
    """What a planner should look at: unused days, types used to the limit or not at all,
    municipalities that used care but carry no share of the key."""
    found = []
    capacity = {k: n * contract.days for k, n in contract.places.items() if n}
    used = usage.groupby("type")["care_days"].sum().to_dict()
    all_days, used_days = sum(capacity.values()), sum(int(used.get(k, 0)) for k in capacity)
    unused_cents = int(table["unused_share_cents"].sum())
    if all_days and used_days < all_days:
        found.append(
            f"{all_days - used_days:,} of {all_days:,} contracted care days "
            f"({100 * (all_days - used_days) / all_days:.1f} %) were not used; their value, "
            f"EUR {unused_cents / 100:,.2f}, is shared by the key"
        )
    for kind, days in sorted(capacity.items()):
        share = int(used.get(kind, 0)) / days
        if share == 0:
            found.append(f"no care days of type {kind!r} were used, though {days:,} are contracted")
        elif share > FULL_SHARE:
            found.append(
                f"type {kind!r} used {100 * share:.1f} % of its {days:,} contracted care days: "
                "the contract had almost no room (usage beyond it is refused)"
            )
    zero = table[(table["share"] == 0) & (table["used_days"] > 0)]
    for row in zero.itertuples(index=False):
        found.append(
            f"{row.gm_code} ({row.name}) used {row.used_days:,} care days but has no share in "
            "the key: it pays its own days and none of the unused ones"
        )
    return found
