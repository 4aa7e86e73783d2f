"""Advance and settlement per municipality for JeugdzorgPlus, exact to the cent.

JeugdzorgPlus is financed as an availability function: each municipality pays an advance on the
contracted places by a distribution key, the region settles afterwards on actual use, and the cost
of care days that were contracted but not used is shared by the same key. Council letters quote
these amounts to the cent (Oosterhout's advance for 2026 was EUR 440,542.08), so every amount is
an integer number of cents and every split is a largest-remainder apportionment whose parts add up
exactly to the whole.

Nothing is priced that the contract cannot hold: care days of a type beyond its contracted places x
the days of the year, or of a type with no contracted places, are refused (SettlementError naming
the file, rows and column when the usage came from :func:`read_usage_csv`).
"""

from __future__ import annotations

import calendar
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from os import PathLike
from pathlib import Path

import pandas as pd

from optimizer import userfiles
from optimizer.apportion import largest_remainder
from optimizer.errors import Finding, JzplanError

Amount = Fraction | Decimal | float | int
Weight = Fraction | Decimal | float | int

USAGE_COLUMNS = ("gm_code", "type", "care_days")
SHARE_TOLERANCE = 1e-9


class SettlementError(JzplanError, ValueError):
    """Input that would make the settlement wrong or ambiguous; the message says what to fix."""


def _to_fraction(value: object, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise SettlementError(f"{what} must be a number >= 0, got {value!r}")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise SettlementError(f"{what} must be a finite number >= 0, got {value!r}")
    if isinstance(value, numbers.Integral):  # numpy ints would overflow inside a Fraction
        fraction = Fraction(int(value))
    elif isinstance(value, numbers.Rational):
        fraction = Fraction(int(value.numerator), int(value.denominator))
    elif isinstance(value, Decimal):
        fraction = Fraction(value)
    else:
        fraction = Fraction(float(value))
    if fraction < 0:
        raise SettlementError(f"{what} must be >= 0, got {value!r}")
    return fraction


def _to_decimal(value: object, what: str) -> Decimal:
    """Exact decimal for money and counts; a float is read as the decimal it was typed as."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | Decimal):
        raise SettlementError(f"{what} must be a number >= 0, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SettlementError(f"{what} must be a finite number >= 0, got {value!r}")
        result = Decimal(repr(float(value)))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise SettlementError(f"{what} must be a finite number >= 0, got {value!r}")
        result = value
    elif isinstance(value, numbers.Integral):
        result = Decimal(int(value))
    else:
        raise SettlementError(f"{what} must be an int, float or Decimal, got {value!r}")
    if result < 0:
        raise SettlementError(f"{what} must be >= 0, got {value!r}")
    return result


def allocate_cents(total_cents: int, weights: Mapping[str, Weight]) -> dict[str, int]:
    """Split ``total_cents`` in proportion to ``weights`` so the parts sum exactly to the total.

    Largest remainder (Hamilton): everyone gets the floor of their exact quota, and the cents
    left over go to the largest remainders, ties to the name that sorts first. A part is never
    more than one cent from its quota, and a zero weight always gets zero.
    """
    if isinstance(total_cents, bool) or not isinstance(total_cents, numbers.Integral):
        raise SettlementError(f"total_cents must be an int, got {total_cents!r}")
    total = int(total_cents)
    if total < 0:
        raise SettlementError(f"total_cents must be >= 0, got {total}")
    if not weights:
        raise SettlementError("weights must name at least one municipality")
    exact = {name: _to_fraction(w, f"weight of {name!r}") for name, w in weights.items()}
    if sum(exact.values(), Fraction(0)) == 0 and total > 0:
        raise SettlementError(f"cannot split {total} cents: all weights are zero")
    names = sorted(exact)  # ties in the remainders go to the name that sorts first
    parts = largest_remainder(total, [exact[name] for name in names])
    by_name = dict(zip(names, parts, strict=True))
    return {name: int(by_name[name]) for name in exact}


@dataclass(frozen=True)
class DistributionKey:
    """Shares per municipality (gm_code), normalised to sum to exactly one.

    Build it with :meth:`from_shares` (agreed shares as fractions, which must sum to one) or
    :meth:`from_weights` / :meth:`from_table` (youth population or past use, normalised here).
    """

    shares: Mapping[str, Fraction]

    def __post_init__(self) -> None:
        if not self.shares:
            raise SettlementError("distribution key is empty: it must name at least one gm_code")
        exact = {}
        for code, share in self.shares.items():
            if not isinstance(code, str) or not code.strip():
                raise SettlementError(
                    f"gm_code in the key must be a non-empty string, got {code!r}"
                )
            exact[code] = _to_fraction(share, f"key share of {code}")
        total = sum(exact.values(), Fraction(0))
        if abs(float(total) - 1.0) > SHARE_TOLERANCE:
            raise SettlementError(
                f"key shares must sum to 1 (within {SHARE_TOLERANCE:g}), they sum to "
                f"{float(total):.12g}; use DistributionKey.from_weights to normalise weights"
            )
        object.__setattr__(self, "shares", {c: exact[c] / total for c in sorted(exact)})

    @classmethod
    def from_shares(cls, shares: Mapping[str, Weight]) -> DistributionKey:
        """Agreed shares (fractions of one, not percentages) that must sum to one."""
        return cls(dict(shares))

    @classmethod
    def from_weights(cls, weights: Mapping[str, Weight]) -> DistributionKey:
        """Any non-negative weights, e.g. youth population or care days used in past years."""
        if not weights:
            raise SettlementError("distribution key is empty: it must name at least one gm_code")
        exact = {code: _to_fraction(w, f"key weight of {code}") for code, w in weights.items()}
        total = sum(exact.values(), Fraction(0))
        if total == 0:
            raise SettlementError("key weights sum to zero: at least one weight must be > 0")
        return cls({code: w / total for code, w in exact.items()})

    @classmethod
    def from_table(
        cls, table: pd.DataFrame, weight_column: str, code_column: str = "gm_code"
    ) -> DistributionKey:
        """Weights from a table column; repeated codes are added up."""
        for column in (code_column, weight_column):
            if column not in table.columns:
                raise SettlementError(
                    f"key table has no column {column!r}; columns are {list(table.columns)}"
                )
        weights: dict[str, Fraction] = {}
        for code, weight in zip(table[code_column], table[weight_column], strict=True):
            value = weight.item() if hasattr(weight, "item") else weight
            fraction = _to_fraction(value, f"{weight_column} of {code}")
            weights[str(code)] = weights.get(str(code), Fraction(0)) + fraction
        return cls.from_weights(weights)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.shares)

    def share(self, gm_code: str) -> Fraction:
        if gm_code not in self.shares:
            raise SettlementError(f"municipality {gm_code!r} is not in the distribution key")
        return self.shares[gm_code]

    def split(self, total_cents: int) -> dict[str, int]:
        return allocate_cents(total_cents, self.shares)


def _tariffs(day_tariff_eur_by_type: Mapping[str, Amount]) -> dict[str, Fraction]:
    """Day tariffs as exact fractions: a float is the decimal it was typed as, a Fraction (a
    tariff derived from an advance) stays exact, so a contract value on a half cent rounds up."""
    if not day_tariff_eur_by_type:
        raise SettlementError("day tariffs must name at least one type of place")
    exact = {}
    for kind, tariff in day_tariff_eur_by_type.items():
        what = f"day tariff of type {kind!r} (EUR)"
        if isinstance(tariff, Fraction):
            exact[kind] = _to_fraction(tariff, what)
        else:
            exact[kind] = Fraction(_to_decimal(tariff, what))
    return exact


def _value_cents(
    quantity_by_type: Mapping[str, Decimal], tariffs: Mapping[str, Fraction], days: int
) -> int:
    """Σ quantity × tariff × days in exact arithmetic, rounded half up to the cent once."""
    euros = Fraction(0)
    for kind, quantity in quantity_by_type.items():
        if kind not in tariffs:
            raise SettlementError(
                f"no day tariff for type {kind!r}; tariffs are given for {sorted(tariffs)}"
            )
        euros += Fraction(quantity) * tariffs[kind] * days
    return math.floor(euros * 100 + Fraction(1, 2))


def _check_days(days_in_year: int) -> int:
    if isinstance(days_in_year, bool) or not isinstance(days_in_year, numbers.Integral):
        raise SettlementError(f"days_in_year must be a whole number of days, got {days_in_year!r}")
    if not 1 <= days_in_year <= 366:
        raise SettlementError(f"days_in_year must be between 1 and 366, got {days_in_year}")
    return int(days_in_year)


def contract_value_cents(
    contract_places_by_type: Mapping[str, int],
    day_tariff_eur_by_type: Mapping[str, Amount],
    days_in_year: int,
) -> int:
    """Sum of places x day tariff x days, rounded half up to the cent once for the contract."""
    places = {}
    for kind, count in contract_places_by_type.items():
        exact = _to_decimal(count, f"contracted places of type {kind!r}")
        if exact != exact.to_integral_value():
            raise SettlementError(
                f"contracted places of type {kind!r} must be a whole number, got {count!r}"
            )
        places[kind] = exact
    return _value_cents(places, _tariffs(day_tariff_eur_by_type), _check_days(days_in_year))


def _eur(cents: int) -> float:
    return cents / 100


def advances(
    contract_places_by_type: Mapping[str, int],
    day_tariff_eur_by_type: Mapping[str, Amount],
    days_in_year: int,
    key: DistributionKey,
) -> pd.DataFrame:
    """Advance per municipality: the contract value split by the key.

    ``advance_cents`` is the exact amount; ``advance_eur`` is it divided by 100, for display.
    """
    value = contract_value_cents(contract_places_by_type, day_tariff_eur_by_type, days_in_year)
    split = key.split(value)
    return pd.DataFrame(
        {
            "gm_code": list(split),
            "advance_eur": [_eur(c) for c in split.values()],
            "advance_cents": pd.Series(list(split.values()), dtype="int64"),
        }
    )


def _whole_days(value: object, where: str) -> int:
    """Care days as an int; a float like 12.0 from a spreadsheet export is accepted."""
    if isinstance(value, str):
        try:
            parsed: object = Decimal(value.strip())
        except InvalidOperation:
            raise SettlementError(
                f"{where}: expected a whole number of care days >= 0, got {value!r}"
            ) from None
    else:
        parsed = value.item() if hasattr(value, "item") else value
    if (
        isinstance(parsed, bool)
        or not isinstance(parsed, numbers.Real | Decimal)
        or not math.isfinite(parsed)
        or parsed != int(parsed)
    ):
        raise SettlementError(f"{where}: expected a whole number of care days >= 0, got {value!r}")
    if parsed < 0:
        raise SettlementError(f"{where}: care days cannot be negative, got {value!r}")
    return int(parsed)


def _usage_days(
    usage: pd.DataFrame, key: DistributionKey, tariffs: Mapping[str, Decimal]
) -> dict[str, dict[str, int]]:
    missing = [column for column in USAGE_COLUMNS if column not in usage.columns]
    if missing:
        raise SettlementError(
            f"usage is missing column(s) {missing}; expected columns {list(USAGE_COLUMNS)}"
        )
    days: dict[str, dict[str, int]] = {code: {} for code in key.codes}
    rows = zip(usage["gm_code"], usage["type"], usage["care_days"], strict=True)
    for code, kind, value in rows:
        where = f"usage of {code!r}, type {kind!r}"
        if code not in days:
            raise SettlementError(
                f"{where}: municipality {code!r} is not in the distribution key "
                f"(known: {', '.join(key.codes)})"
            )
        if kind not in tariffs:
            raise SettlementError(
                f"{where}: no day tariff for type {kind!r}; tariffs are given for {sorted(tariffs)}"
            )
        days[code][kind] = days[code].get(kind, 0) + _whole_days(value, where)
    return days


def settle(
    contract_places_by_type: Mapping[str, int],
    day_tariff_eur_by_type: Mapping[str, Amount],
    days_in_year: int,
    key: DistributionKey,
    usage: pd.DataFrame,
) -> pd.DataFrame:
    """Settlement per municipality after the year, from the care days actually used.

    Each municipality pays for its own care days (days x tariff, rounded once per municipality)
    plus its key share of the unused contract value (contract value - total used cost). Care days
    of a type beyond what its contracted places hold (places x days of the year), or of a type
    without contracted places, are refused: the contract cannot have delivered them, so they are
    a wrong usage file or a wrong contract, never priced. So sum(due) = contract value and
    sum(balance) = 0. ``balance`` = due - advance: positive means the municipality pays extra,
    negative means it gets money back. ``*_cents`` columns are exact; ``*_eur`` are for display.
    """
    tariffs = _tariffs(day_tariff_eur_by_type)
    value = contract_value_cents(contract_places_by_type, tariffs, days_in_year)
    days = _usage_days(usage, key, tariffs)
    _check_capacity(contract_places_by_type, _check_days(days_in_year), days, usage)
    advance = key.split(value)
    used = {
        code: _value_cents({k: Decimal(d) for k, d in by_type.items()}, tariffs, 1)
        for code, by_type in days.items()
    }
    unused = key.split(max(value - sum(used.values()), 0))
    records = []
    for code in key.codes:
        due = used[code] + unused[code]
        records.append(
            {
                "gm_code": code,
                "share": float(key.share(code)),
                "used_days": sum(days[code].values()),
                "advance_cents": advance[code],
                "used_cents": used[code],
                "unused_share_cents": unused[code],
                "due_cents": due,
                "balance_cents": due - advance[code],
            }
        )
    frame = pd.DataFrame.from_records(records)
    for name in ("advance", "used", "unused_share", "due", "balance"):
        frame[f"{name}_cents"] = frame[f"{name}_cents"].astype("int64")
        frame[f"{name}_eur"] = frame[f"{name}_cents"] / 100
    return frame


def _check_capacity(
    contract_places_by_type: Mapping[str, int],
    days_in_year: int,
    days: Mapping[str, Mapping[str, int]],
    usage: pd.DataFrame,
) -> None:
    """Refuse care days beyond what the contracted places of each type can hold in the year."""
    used: dict[str, int] = {}
    for by_type in days.values():
        for kind, count in by_type.items():
            used[kind] = used.get(kind, 0) + count
    source, lines = usage.attrs.get("source"), usage.attrs.get("lines")
    contract = ", ".join(f"{k} {int(n)}" for k, n in contract_places_by_type.items()) or "none"
    problems = []
    for kind in sorted(used):
        places = int(contract_places_by_type.get(kind, 0))
        if used[kind] <= places * days_in_year:
            continue
        where = f"usage of type {kind!r}"
        if source and lines is not None:
            rows = [n for n, k in zip(lines, usage["type"], strict=True) if k == kind]
            where = f"{source}: {'row' if len(rows) == 1 else 'rows'} {userfiles.shorten(rows)}"
            where += ", column 'care_days'"
        if places == 0:
            problems.append(
                f"{where}: {used[kind]:,} care days of type {kind!r}, but the contract has no "
                f"{kind} places (contract: {contract}); settle them on the contract that holds "
                "them, or add the places to settlement.contract_places"
            )
        else:
            problems.append(
                f"{where}: {used[kind]:,} care days of type {kind!r}, more than its {places} "
                f"contracted place{'s' * (places != 1)} hold in {days_in_year} days "
                f"({places * days_in_year:,}); "
                "check the usage file (a table pasted twice?) or settlement.contract_places"
            )
    if problems:
        raise SettlementError("\n".join(problems))


def read_usage_csv(path: str | PathLike[str]) -> pd.DataFrame:
    """Read care days used (gm_code, type, care_days) and say exactly where a value is wrong.

    Rows are numbered as a spreadsheet shows them: the header is row 1. The file is read by the
    declared schema :data:`optimizer.userfiles.USAGE` (every problem at once); repeated rows of
    one municipality and type are added up (one row per placement is fine). ``attrs`` keeps the
    file (``source``) and each row's line (``lines``) for later messages.
    """
    source = Path(path)
    found: list[Finding] = []
    table = userfiles.read_table(source, userfiles.USAGE, found)
    if found or table is None:
        raise SettlementError("\n".join(str(finding) for finding in found))
    frame = pd.DataFrame(
        {
            "gm_code": table.frame["gm_code"].tolist(),
            "type": table.frame["type"].tolist(),
            "care_days": table.frame["care_days"].astype("int64").to_numpy(),
        }
    )
    frame.attrs.update(source=str(source), lines=[int(n) for n in table.lines])
    return frame


def expected_advances_for_plan(
    plan_beds_by_year_type: pd.DataFrame,
    day_tariff_eur_by_type: Mapping[str, Amount],
    key: DistributionKey,
) -> pd.DataFrame:
    """What a scenario's planned beds cost each municipality in advances, year by year.

    Beds x days in that calendar year (365 or 366) x day tariff, rounded per year, split by key.
    Beds may be fractional (e.g. a group opening mid-year averaged over the year).
    """
    needed = ("year", "type", "beds")
    missing = [column for column in needed if column not in plan_beds_by_year_type.columns]
    if missing:
        raise SettlementError(f"plan is missing column(s) {missing}; expected {list(needed)}")
    tariffs = _tariffs(day_tariff_eur_by_type)
    beds: dict[int, dict[str, Decimal]] = {}
    plan = plan_beds_by_year_type
    for year, kind, count in zip(plan["year"], plan["type"], plan["beds"], strict=True):
        year_value = year.item() if hasattr(year, "item") else year
        if isinstance(year_value, bool) or not isinstance(year_value, numbers.Integral):
            raise SettlementError(f"plan year must be a whole year, got {year!r}")
        count_value = count.item() if hasattr(count, "item") else count
        quantity = _to_decimal(count_value, f"beds of type {kind!r} in {year_value}")
        by_type = beds.setdefault(int(year_value), {})
        by_type[kind] = by_type.get(kind, Decimal(0)) + quantity
    records = []
    for year in sorted(beds):
        days = 366 if calendar.isleap(year) else 365
        for code, cents in key.split(_value_cents(beds[year], tariffs, days)).items():
            records.append(
                {"year": year, "gm_code": code, "advance_eur": _eur(cents), "advance_cents": cents}
            )
    columns = ["year", "gm_code", "advance_eur", "advance_cents"]
    return pd.DataFrame.from_records(records, columns=columns)
