"""Advances and settlement: every euro cent accounted for, and bad input named precisely."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.settlement import (
    DistributionKey,
    SettlementError,
    advances,
    allocate_cents,
    contract_value_cents,
    expected_advances_for_plan,
    read_usage_csv,
    settle,
)

# The five West-Brabant-Oost municipalities, weighted by an invented key (not the real one).
KEY = DistributionKey.from_shares(
    {
        "GM0758": Fraction(45, 100),  # Breda
        "GM0826": Fraction(15, 100),  # Oosterhout
        "GM1959": Fraction(14, 100),  # Altena
        "GM1719": Fraction(13, 100),  # Drimmelen
        "GM0779": Fraction(13, 100),  # Geertruidenberg
    }
)
PLACES = {"closed": 20, "hybrid": 12}
TARIFFS = {"closed": Decimal("687.43"), "hybrid": 544.17}  # invented EUR per care day
# 20 x 687.43 x 365 + 12 x 544.17 x 365 = 5,018,239.00 + 2,383,464.60
CONTRACT_CENTS = 740_170_360


def usage_frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["gm_code", "type", "care_days"])


names = st.text(alphabet="ABCDEFGH", min_size=1, max_size=3)
weight_maps = st.dictionaries(
    names,
    st.one_of(
        st.integers(0, 10**6),
        st.fractions(min_value=0, max_value=1000, max_denominator=10**6),
        st.floats(0, 1e6, allow_nan=False),
    ),
    min_size=1,
    max_size=12,
).filter(lambda weights: sum(Fraction(w) for w in weights.values()) > 0)


@given(total=st.integers(0, 10**12), weights=weight_maps)
@settings(max_examples=400, deadline=None)
def test_allocation_is_exact_non_negative_and_close_to_quota(
    total: int, weights: dict[str, object]
) -> None:
    parts = allocate_cents(total, weights)
    assert set(parts) == set(weights)
    assert sum(parts.values()) == total
    weight_sum = sum(Fraction(w) for w in weights.values())
    for name, part in parts.items():
        assert isinstance(part, int)
        assert part >= 0
        quota = total * Fraction(weights[name]) / weight_sum
        assert abs(part - quota) < 1
        if weights[name] == 0:
            assert part == 0


@given(total=st.integers(0, 10**9), weights=weight_maps)
@settings(max_examples=400, deadline=None)
def test_allocation_is_monotone_in_weight(total: int, weights: dict[str, object]) -> None:
    parts = allocate_cents(total, weights)
    for a in weights:
        for b in weights:
            if Fraction(weights[a]) > Fraction(weights[b]):
                assert parts[a] >= parts[b]


def test_allocation_ties_go_to_the_first_name() -> None:
    assert allocate_cents(100, {"b": 1, "a": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    three = allocate_cents(100, {"GM1959": 1, "GM0826": 1, "GM0758": 1})
    assert three == {"GM0758": 34, "GM0826": 33, "GM1959": 33}
    assert allocate_cents(2, {"z": 1, "y": 1, "x": 1}) == {"x": 1, "y": 1, "z": 0}


def test_allocation_of_nothing_and_invalid_totals() -> None:
    assert allocate_cents(0, {"a": 0, "b": 0}) == {"a": 0, "b": 0}
    with pytest.raises(SettlementError, match="all weights are zero"):
        allocate_cents(5, {"a": 0})
    with pytest.raises(SettlementError, match="total_cents must be >= 0"):
        allocate_cents(-1, {"a": 1})
    with pytest.raises(SettlementError, match="total_cents must be an int"):
        allocate_cents(1.5, {"a": 1})
    with pytest.raises(SettlementError, match="weight of 'a' must be >= 0"):
        allocate_cents(10, {"a": -1, "b": 2})


def test_contract_value_is_rounded_once() -> None:
    assert contract_value_cents(PLACES, TARIFFS, 365) == CONTRACT_CENTS
    # 5 x 0.005 EUR = 2.5 cents: rounded half up once (3), not to even (2) nor per place (5).
    assert contract_value_cents({"x": 5}, {"x": Decimal("0.005")}, 1) == 3
    with pytest.raises(SettlementError, match="no day tariff for type 'secret'"):
        contract_value_cents({"secret": 1}, TARIFFS, 365)
    with pytest.raises(SettlementError, match="whole number"):
        contract_value_cents({"closed": 2.5}, TARIFFS, 365)


def test_advances_sum_exactly_to_the_contract_value() -> None:
    frame = advances(PLACES, TARIFFS, 365, KEY)
    assert list(frame.columns) == ["gm_code", "advance_eur", "advance_cents"]
    assert list(frame["gm_code"]) == sorted(KEY.codes)
    assert int(frame["advance_cents"].sum()) == CONTRACT_CENTS
    assert (frame["advance_eur"] * 100).round().astype("int64").tolist() == frame[
        "advance_cents"
    ].tolist()


def test_advance_is_the_key_share_of_the_contract_to_within_a_cent() -> None:
    shares = {"GM0826": 0.0523, "GM0758": 0.6121, "GM1959": 0.3356}
    frame = advances(PLACES, TARIFFS, 365, DistributionKey.from_shares(shares))
    advance = dict(zip(frame["gm_code"], frame["advance_cents"], strict=True))
    assert sum(advance.values()) == CONTRACT_CENTS
    for code, share in shares.items():
        assert abs(advance[code] - CONTRACT_CENTS * Fraction(share)) <= 1
    # Worked example with an illustrative key: were Oosterhout's share 5 % of a contract worth
    # EUR 8,810,841.60, its advance would be the EUR 440,542.08 of its 2026 council letter.
    key = DistributionKey.from_shares({"GM0826": 0.05, "GM0758": 0.6, "GM1959": 0.35})
    assert key.split(881_084_160)["GM0826"] == 44_054_208


@given(
    shares=st.lists(st.integers(1, 1000), min_size=1, max_size=8),
    closed=st.integers(0, 200),
    tariff_cents=st.integers(0, 200_000),
)
@settings(max_examples=200, deadline=None)
def test_each_advance_is_within_a_cent_of_its_share(
    shares: list[int], closed: int, tariff_cents: int
) -> None:
    key = DistributionKey.from_weights({f"GM{i:04d}": w for i, w in enumerate(shares)})
    tariffs = {"closed": Decimal(tariff_cents) / 100}
    frame = advances({"closed": closed}, tariffs, 366, key)
    value = closed * tariff_cents * 366
    assert int(frame["advance_cents"].sum()) == value
    for code, cents in zip(frame["gm_code"], frame["advance_cents"], strict=True):
        assert abs(cents - value * key.share(code)) < 1


def contract_days() -> dict[str, int]:
    return {kind: places * 365 for kind, places in PLACES.items()}


def test_balances_sum_to_zero_when_use_equals_the_contract() -> None:
    days = contract_days()
    usage = usage_frame(
        [
            ("GM0758", "closed", 4000),
            ("GM0826", "closed", days["closed"] - 4000),
            ("GM1959", "hybrid", 1000),
            ("GM1719", "hybrid", days["hybrid"] - 1000),
        ]
    )
    frame = settle(PLACES, TARIFFS, 365, KEY, usage)
    assert int(frame["used_cents"].sum()) == CONTRACT_CENTS
    assert (frame["unused_share_cents"] == 0).all()
    assert int(frame["balance_cents"].sum()) == 0
    assert int(frame["due_cents"].sum()) == int(frame["advance_cents"].sum()) == CONTRACT_CENTS
    # Geertruidenberg used nothing and pays nothing: its whole advance comes back.
    row = frame.set_index("gm_code").loc["GM0779"]
    assert row["due_cents"] == 0
    assert row["balance_cents"] == -row["advance_cents"]


def test_a_municipality_without_use_pays_only_its_share_of_unused_days() -> None:
    usage = usage_frame([("GM0758", "closed", 3000), ("GM0758", "hybrid", 500)])
    frame = settle(PLACES, TARIFFS, 365, KEY, usage).set_index("gm_code")
    used_cents = 3000 * 68_743 + 500 * 54_417
    unused = CONTRACT_CENTS - used_cents
    expected_unused = allocate_cents(unused, KEY.shares)
    oosterhout = frame.loc["GM0826"]
    assert oosterhout["used_days"] == 0
    assert oosterhout["used_cents"] == 0
    assert oosterhout["due_cents"] == oosterhout["unused_share_cents"] == expected_unused["GM0826"]
    assert abs(oosterhout["due_cents"] - unused * Fraction(15, 100)) < 1
    breda = frame.loc["GM0758"]
    assert breda["used_days"] == 3500
    assert breda["used_cents"] == used_cents
    assert breda["due_cents"] == used_cents + expected_unused["GM0758"]
    assert int(frame["due_cents"].sum()) == CONTRACT_CENTS
    assert (frame["balance_cents"] == frame["due_cents"] - frame["advance_cents"]).all()
    assert (frame["due_eur"] * 100).round().astype("int64").tolist() == frame["due_cents"].tolist()


def test_use_beyond_what_the_contract_holds_is_refused() -> None:
    # 20 closed places hold 20 x 365 = 7,300 care days: one more cannot have been delivered on
    # this contract, so it is a wrong file or contract and is never priced.
    days = contract_days()
    usage = usage_frame(
        [("GM0758", "closed", days["closed"] + 1), ("GM0826", "hybrid", days["hybrid"])]
    )
    with pytest.raises(SettlementError, match=r"7,301 care days of type 'closed', more than its"):
        settle(PLACES, TARIFFS, 365, KEY, usage)
    exactly = usage_frame([("GM0758", "closed", days["closed"]), ("GM0826", "hybrid", 1)])
    assert int(settle(PLACES, TARIFFS, 365, KEY, exactly)["due_cents"].sum()) == CONTRACT_CENTS


@given(
    days=st.lists(
        st.tuples(
            st.sampled_from(sorted(KEY.codes)),
            st.sampled_from(sorted(PLACES)),
            st.integers(0, 290),  # 15 rows x 290 stay within the 12 hybrid places' 4,380 days
        ),
        max_size=15,
    )
)
@settings(max_examples=200, deadline=None)
def test_settlement_totals_are_cent_exact(days: list[tuple[str, str, int]]) -> None:
    frame = settle(PLACES, TARIFFS, 365, KEY, usage_frame(days))
    used = sum(d * (68_743 if kind == "closed" else 54_417) for _, kind, d in days)
    assert int(frame["used_cents"].sum()) == used
    assert int(frame["due_cents"].sum()) == max(CONTRACT_CENTS, used)
    assert int(frame["balance_cents"].sum()) == max(CONTRACT_CENTS, used) - CONTRACT_CENTS
    assert (frame["due_cents"] >= 0).all()
    assert (frame["unused_share_cents"] >= 0).all()


def test_used_cost_is_rounded_once_per_municipality() -> None:
    # Five rows of one day at 100.005 EUR: 500.025 EUR rounds half up once to 500.03; rounding
    # per row would give 500.05 and rounding half to even 500.02.
    tariffs = {"closed": Decimal("100.005")}
    usage = usage_frame([("A", "closed", 1)] * 5)
    key = DistributionKey.from_shares({"A": 1})
    frame = settle({"closed": 1}, tariffs, 365, key, usage)
    assert frame.loc[0, "used_cents"] == 50_003


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"GM0826": 0.5, "GM0758": 0.4}, "must sum to 1"),
        ({"GM0826": 1.2, "GM0758": -0.2}, "key share of GM0758 must be >= 0"),
        ({}, "key is empty"),
        ({"": 1.0}, "non-empty string"),
        ({"GM0826": float("nan"), "GM0758": 1.0}, "finite"),
    ],
)
def test_invalid_keys_are_refused(shares: dict[str, float], message: str) -> None:
    with pytest.raises(SettlementError, match=message):
        DistributionKey.from_shares(shares)


def test_shares_within_tolerance_are_normalised() -> None:
    key = DistributionKey.from_shares({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert sum(key.shares.values()) == 1
    with pytest.raises(SettlementError, match="must sum to 1"):
        DistributionKey.from_shares({"A": 0.5, "B": 0.5 + 2e-9})


def test_key_from_weights_and_table() -> None:
    population = pd.DataFrame(
        {"gm_code": ["GM0826", "GM0758", "GM0826"], "youth": [1000, 3000, 1000]}
    )
    key = DistributionKey.from_table(population, "youth")
    assert key.shares == {"GM0758": Fraction(3, 5), "GM0826": Fraction(2, 5)}
    assert DistributionKey.from_weights({"GM0826": 2, "GM0758": 3}) == key
    with pytest.raises(SettlementError, match="sum to zero"):
        DistributionKey.from_weights({"GM0826": 0})
    with pytest.raises(SettlementError, match="no column 'inhabitants'"):
        DistributionKey.from_table(population, "inhabitants")
    with pytest.raises(SettlementError, match="'GM9999' is not in the distribution key"):
        key.share("GM9999")


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("GM9999", "closed", 10)], "municipality 'GM9999' is not in the distribution key"),
        ([("GM0826", "closed", -3)], "'GM0826', type 'closed': care days cannot be negative"),
        ([("GM0826", "closed", 2.5)], "whole number of care days"),
        ([("GM0826", "respite", 3)], "no day tariff for type 'respite'"),
    ],
)
def test_bad_usage_is_refused(rows: list[tuple], message: str) -> None:
    with pytest.raises(SettlementError, match=message):
        settle(PLACES, TARIFFS, 365, KEY, usage_frame(rows))


def test_usage_without_a_required_column_is_refused() -> None:
    usage = pd.DataFrame({"gm_code": ["GM0826"], "days": [3]})
    with pytest.raises(SettlementError, match=r"missing column\(s\) \['type', 'care_days'\]"):
        settle(PLACES, TARIFFS, 365, KEY, usage)


def test_read_usage_csv(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text("gm_code,type,care_days\nGM0826, closed ,120\nGM0758,hybrid,7.0\n")
    frame = read_usage_csv(path)
    assert frame.to_dict("list") == {
        "gm_code": ["GM0826", "GM0758"],
        "type": ["closed", "hybrid"],
        "care_days": [120, 7],
    }
    assert str(frame["care_days"].dtype) == "int64"
    settled = settle(PLACES, TARIFFS, 365, KEY, frame).set_index("gm_code")
    assert settled.loc["GM0826", "used_cents"] == 120 * 68_743


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("gm_code,type\nGM0826,closed\n", r"missing column\(s\) \['care_days'\]"),
        (
            "gm_code,type,care_days\nGM0826,closed,12\nGM0758,closed,abc\n",
            "row 3, column 'care_days'",
        ),
        ("gm_code,type,care_days\nGM0826,closed,-4\n", "row 2, column 'care_days'.*negative"),
        ("gm_code,type,care_days\nGM0826,closed,\n", "row 2, column 'care_days'.*whole number"),
        ("gm_code,type,care_days\n,closed,3\n", "row 2, column 'gm_code': value is empty"),
        ("", "file is empty"),
    ],
)
def test_read_usage_csv_names_file_row_and_column(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(text)
    with pytest.raises(SettlementError, match=message) as error:
        read_usage_csv(path)
    assert str(path) in str(error.value)


def test_expected_advances_for_plan_counts_leap_years() -> None:
    plan = pd.DataFrame(
        {
            "year": [2027, 2028, 2028],
            "type": ["closed", "closed", "hybrid"],
            "beds": [10, 10, 4],
        }
    )
    frame = expected_advances_for_plan(plan, TARIFFS, KEY)
    assert list(frame.columns) == ["year", "gm_code", "advance_eur", "advance_cents"]
    totals = frame.groupby("year")["advance_cents"].sum().to_dict()
    assert totals == {2027: 10 * 68_743 * 365, 2028: 10 * 68_743 * 366 + 4 * 54_417 * 366}
    by_code = frame[frame["year"] == 2027].set_index("gm_code")["advance_cents"]
    assert by_code.to_dict() == allocate_cents(10 * 68_743 * 365, KEY.shares)


def test_expected_advances_for_plan_rejects_unknown_types() -> None:
    plan = pd.DataFrame({"year": [2027], "type": ["respite"], "beds": [2]})
    with pytest.raises(SettlementError, match="no day tariff for type 'respite'"):
        expected_advances_for_plan(plan, TARIFFS, KEY)
    with pytest.raises(SettlementError, match=r"missing column\(s\) \['beds'\]"):
        expected_advances_for_plan(plan.drop(columns="beds"), TARIFFS, KEY)
