"""The contract, defined once (scenario ``settlement``): places per type, day tariffs, the key.

Three things read it and nothing else defines it: the model's running cost of the types the
contract prices (day tariff × days of the contract year, :func:`running_costs`), the expected
advances of a plan (optimizer.advances) and ``jzplan settle``. A day tariff is given
(``day_tariff_eur``) or derived from one municipality's known advance (``tariff_from_advance``):
the contract value is then the whole number of cents nearest to advance / key share for which the
key's largest-remainder split gives that municipality exactly the advance, and the day tariff is
that value / (contracted places × days), an exact fraction. So the letter's EUR 440,542.08 for
Oosterhout comes out to the cent by construction, and the other municipalities' advances add up
to the contract value exactly.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from optimizer import settlement
from optimizer.data import InputData
from optimizer.schema import TYPES

#: How far from advance / share the search for an exact contract value may go, in cents per
#: 1 / share (the split moves by a cent every 1 / share cents of contract value).
SEARCH_STEPS = 4


@dataclass(frozen=True)
class Contract:
    """The contract of one year: places, exact day tariffs (EUR per place-day), the key."""

    year: int
    days: int
    places: dict[str, int]
    tariffs: dict[str, Fraction]  # every type: contract tariff, else running cost / days
    priced: tuple[str, ...]  # types whose tariff is the contract's own
    key: settlement.DistributionKey | None
    value_cents: int | None  # contract value (None without a key)
    derivation: str


def days_in(year: int | None) -> int:
    return 366 if year and calendar.isleap(year) else 365


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


def _running_tariff(value: float, days: int) -> Fraction:
    """A running cost per place-year as a day tariff: the decimal it was typed as / days."""
    return Fraction(Decimal(repr(float(value)))) / days


def exact_value_cents(key: settlement.DistributionKey, gm_code: str, advance_cents: int) -> int:
    """The contract value nearest to advance / share whose split gives ``gm_code`` the advance."""
    share = key.share(gm_code)
    if share == 0:
        raise settlement.SettlementError(
            f"settlement.tariff_from_advance: {gm_code} has no share in the key, so its advance "
            "cannot price the contract; give settlement.day_tariff_eur instead"
        )
    quota = Fraction(advance_cents) / share
    reach = SEARCH_STEPS * math.ceil(1 / share) + 2
    low = math.floor(quota)
    candidates = sorted(range(low - reach, low + reach + 1), key=lambda v: (abs(v - quota), v))
    for value in candidates:
        if value >= 0 and key.split(value)[gm_code] == advance_cents:
            return value
    raise settlement.SettlementError(
        f"settlement.tariff_from_advance: no contract value gives {gm_code} exactly "
        f"{advance_cents / 100:,.2f} EUR with its key share {float(share):.6f}"
    )


def contract_of(data: InputData) -> Contract | None:
    """The scenario's contract, tariffs derived where it says so; None without a section."""
    sc = data.scenario
    spec = sc.settlement
    running = sc.costs.running_eur_per_place_year.values
    if spec is None:
        return None
    days = days_in(spec.year)
    places = {k: int(n) for k, n in spec.contract_places.items()}
    key = settlement_key(data)
    tariffs = {k: _running_tariff(v, days) for k, v in running.items()}
    priced = tuple(spec.priced_types())
    derivation = "day tariffs = running cost per place-year / days of the contract year"
    if spec.day_tariff_eur is not None:
        for k, v in spec.day_tariff_eur.items():
            tariffs[k] = Fraction(Decimal(repr(float(v))))
        derivation = "day tariffs as the contract gives them (settlement.day_tariff_eur)"
    elif spec.tariff_from_advance is not None:
        tariffs.update(_derived(spec, places, priced, tariffs, days, key))
        advance = spec.tariff_from_advance
        derivation = (
            f"one day tariff for {', '.join(priced)}, derived from {advance.gm_code}'s advance of "
            f"EUR {advance.advance_eur:,.2f}: the contract value is the whole number of cents "
            f"nearest to advance / key share for which the key gives {advance.gm_code} exactly "
            "that advance, divided by the contracted places x days"
        )
    missing = [k for k in places if places[k] and k not in tariffs]
    if missing:
        raise settlement.SettlementError(f"settlement: no day tariff for {missing}")
    value = None
    if key is not None and places:
        value = settlement.contract_value_cents(
            {k: n for k, n in places.items() if n}, tariffs, days
        )
    return Contract(spec.year, days, places, tariffs, priced, key, value, derivation)


def _derived(spec, places, priced, tariffs, days, key) -> dict[str, Fraction]:
    advance = spec.tariff_from_advance
    if key is None:
        raise settlement.SettlementError(
            "settlement.tariff_from_advance: the key needs a population for every zone"
        )
    if advance.gm_code not in key.shares:
        raise settlement.SettlementError(
            f"settlement.tariff_from_advance: {advance.gm_code} is not a zone of the key"
        )
    cents = int((Decimal(repr(float(advance.advance_eur))) * 100).to_integral_value())
    value = exact_value_cents(key, advance.gm_code, cents)
    counted = sum(n for k, n in places.items() if k in priced)
    other = sum(
        (Fraction(n) * tariffs[k] * days for k, n in places.items() if k not in priced and n),
        Fraction(0),
    )
    tariff = (Fraction(value, 100) - other) / (counted * days)
    if tariff <= 0:
        raise settlement.SettlementError(
            "settlement.tariff_from_advance: the other contracted places already cost more than "
            "the contract value the advance implies"
        )
    return {k: tariff for k in priced}


def running_costs(data: InputData) -> dict[str, float]:
    """Running cost per place-year of every type for the plan: the contract's day tariff × the
    days of the contract year for the types it prices, else costs.running_eur_per_place_year."""
    given = data.scenario.costs.running_eur_per_place_year.values
    running = {k: float(v) for k, v in given.items()}
    contract = contract_of(data)
    if contract is not None:
        for k in contract.priced:
            running[k] = float(contract.tariffs[k] * contract.days)
    return {k: running[k] for k in TYPES if k in running}


def contract_summary(data: InputData) -> dict | None:
    """The contract for summary.json: exact value in cents, day tariffs, how they were found."""
    contract = contract_of(data)
    if contract is None:
        return None
    return {
        "year": contract.year,
        "days": contract.days,
        "places": dict(contract.places),
        "priced": list(contract.priced),
        "value_cents": contract.value_cents,
        "day_tariff_eur": {k: float(v) for k, v in contract.tariffs.items()},
        "derivation": contract.derivation,
    }
