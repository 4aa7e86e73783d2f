"""Erlang loss model: table values, an exact oracle, the inverses, pooling and simulation."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optimizer.erlang import (
    admissible_load,
    admissible_load_table,
    erlang_b,
    expected_occupancy,
    offered_load,
    places_needed,
    pooling_comparison,
    reserve_effect,
    simulate_loss_system,
    sizing_table,
    utilisation,
)


def exact_erlang_b(c: int, load: Fraction | float | str) -> Fraction:
    """Independent oracle: the textbook quotient (a^c / c!) / sum_k a^k / k! in exact fractions."""
    a = Fraction(load)
    terms = [a**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


# Blocking B(c, a) as printed in the classic Erlang B tables, e.g. those of ITU-D Study Group 2,
# "Teletraffic Engineering Handbook" (V. B. Iversen, ITU, 2005). The first two are exact:
# B(1, a) = a / (1 + a) and B(2, 1) = (1/2) / (1 + 1 + 1/2). Every value is also checked against
# the exact oracle above, so a mistyped table value fails instead of hiding an error.
BLOCKING_TABLE = [
    (1, "1", "0.5"),
    (2, "1", "0.2"),
    (5, "2", "0.036697"),
    (10, "5", "0.018385"),
]

# Same tables, read the other way: offered traffic A (erlang, 3 decimals) that n places carry at
# blocking E. Each entry is also checked against the exact oracle below, so a mistyped value fails.
TRAFFIC_TABLE = [
    (1, 0.01, "0.0101"),
    (5, 0.01, "1.361"),
    (10, 0.01, "4.461"),
    (10, 0.02, "5.084"),
    (10, 0.05, "6.216"),
    (20, 0.01, "12.031"),
    (20, 0.02, "13.182"),
    (50, 0.01, "37.901"),
    (100, 0.01, "84.064"),
]


@pytest.mark.parametrize(("c", "load", "expected"), BLOCKING_TABLE)
def test_erlang_b_matches_published_table(c: int, load: str, expected: str) -> None:
    digits = len(expected.split(".")[1])
    tolerance = 0.5 * 10.0**-digits
    assert abs(float(exact_erlang_b(c, load)) - float(expected)) <= tolerance  # the table itself
    assert abs(erlang_b(c, float(load)) - float(expected)) <= tolerance


def test_exact_small_cases() -> None:
    assert erlang_b(1, 1.0) == 0.5
    assert erlang_b(2, 1.0) == pytest.approx(0.2, rel=1e-15)
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(0, 0.0) == 1.0
    assert erlang_b(4, 0.0) == 0.0


@pytest.mark.parametrize(("places", "level", "traffic"), TRAFFIC_TABLE)
def test_admissible_load_matches_published_table(places: int, level: float, traffic: str) -> None:
    # The table rounds A to its last printed digit, so the true A is within half a unit of it.
    half_unit = 0.5 * 10.0 ** -len(traffic.split(".")[1])
    low, high = Fraction(traffic) - Fraction(half_unit), Fraction(traffic) + Fraction(half_unit)
    assert exact_erlang_b(places, low) <= level <= exact_erlang_b(places, high)
    assert abs(admissible_load(places, level) - float(traffic)) <= half_unit


@given(c=st.integers(0, 60), load=st.floats(0.0, 120.0, allow_nan=False))
@settings(max_examples=300, deadline=None)
def test_erlang_b_agrees_with_exact_oracle(c: int, load: float) -> None:
    expected = float(exact_erlang_b(c, load))
    assert erlang_b(c, load) == pytest.approx(expected, rel=1e-11, abs=1e-300)


@given(c=st.integers(1, 200), load=st.floats(0.01, 300.0), bump=st.floats(1e-3, 10.0))
@settings(max_examples=200, deadline=None)
def test_blocking_falls_with_places_and_rises_with_load(c: int, load: float, bump: float) -> None:
    b = erlang_b(c, load)
    assert 0.0 <= b <= 1.0
    assume(erlang_b(c + 1, load) > 0.0)  # below about 1e-308 the double underflows to zero
    assert erlang_b(c + 1, load) < b
    assert erlang_b(c, load + bump) > b


@pytest.mark.parametrize(("c", "load"), [(5000, 4800.0), (5000, 1e-6), (3000, 1e6), (10, 1e300)])
def test_large_cases_stay_finite(c: int, load: float) -> None:
    b = erlang_b(c, load)
    assert math.isfinite(b)
    assert 0.0 <= b <= 1.0


def test_large_case_is_accurate() -> None:
    # Exact arithmetic is still affordable at a few hundred places and catches loss of accuracy.
    assert erlang_b(400, 380.0) == pytest.approx(float(exact_erlang_b(400, 380)), rel=1e-10)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(-1, 1.0), "int >= 0"),
        (lambda: erlang_b(2.5, 1.0), "whole number"),
        (lambda: erlang_b(True, 1.0), "whole number"),
        (lambda: erlang_b(3, -0.1), "finite number >= 0"),
        (lambda: erlang_b(3, math.inf), "finite number >= 0"),
        (lambda: erlang_b(3, math.nan), "finite number >= 0"),
        (lambda: places_needed(3.0, 0.0), "strictly between 0 and 1"),
        (lambda: places_needed(3.0, 1.0), "strictly between 0 and 1"),
        (lambda: admissible_load(-2, 0.05), "places"),
        (lambda: admissible_load_table(0, 3, 0.05), "group_size"),
        (lambda: utilisation(0, 1.0), "at least one place"),
        (lambda: offered_load(-1.0, 1.0), "arrivals_per_year"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@given(load=st.floats(0.001, 500.0), p=st.floats(1e-6, 0.5))
@settings(max_examples=300, deadline=None)
def test_places_needed_is_minimal(load: float, p: float) -> None:
    c = places_needed(load, p)
    assert c >= 1
    assert erlang_b(c, load) <= p
    assert erlang_b(c - 1, load) > p


def test_places_needed_for_no_load_is_zero() -> None:
    assert places_needed(0.0, 0.05) == 0


@given(places=st.integers(1, 300), p=st.floats(1e-6, 0.5))
@settings(max_examples=200, deadline=None)
def test_admissible_load_round_trips(places: int, p: float) -> None:
    a = admissible_load(places, p)
    assert erlang_b(places, a) <= p
    assert erlang_b(places, a * (1 + 1e-8)) > p  # the largest such load, to 1e-8 relative
    assert places_needed(a, p) == places


def test_admissible_load_of_no_places_is_zero() -> None:
    assert admissible_load(0, 0.05) == 0.0


def test_admissible_load_table_per_group() -> None:
    table = admissible_load_table(group_size=8, max_groups=5, max_refusal=0.05)
    assert len(table) == 6
    assert table[0] == 0.0
    assert table == [admissible_load(8 * g, 0.05) for g in range(6)]
    assert all(later > earlier for earlier, later in zip(table, table[1:], strict=False))
    # Economies of scale: each extra group carries more load than the one before.
    steps = [later - earlier for earlier, later in zip(table, table[1:], strict=False)]
    assert all(later > earlier for earlier, later in zip(steps, steps[1:], strict=False))


def test_occupancy_utilisation_and_offered_load() -> None:
    assert offered_load(24.0, 0.5) == 12.0
    b = float(exact_erlang_b(10, 8))
    assert expected_occupancy(10, 8.0) == pytest.approx(8 * (1 - b), rel=1e-12)
    assert utilisation(10, 8.0) == pytest.approx(8 * (1 - b) / 10, rel=1e-12)
    assert expected_occupancy(0, 8.0) == 0.0


@given(
    loads=st.dictionaries(
        st.sampled_from(["WBW", "WBO", "Zeeland", "Tilburg", "Eindhoven"]),
        st.floats(0.0, 80.0),
        min_size=1,
    ),
    p=st.floats(1e-4, 0.3),
)
@settings(max_examples=200, deadline=None)
def test_pooling_never_needs_more_places_than_split(loads: dict[str, float], p: float) -> None:
    frame = pooling_comparison(loads, p)
    assert list(frame.index) == [*loads, "pooled"]
    pooled = frame.loc["pooled"]
    assert pooled["places_if_split"] == sum(places_needed(a, p) for a in loads.values())
    assert pooled["places"] == places_needed(math.fsum(loads.values()), p)
    assert pooled["places"] <= pooled["places_if_split"]
    assert pooled["saving"] == pooled["places_if_split"] - pooled["places"]
    # With zero load no place is needed; B(0, 0) = 1 is then the refusal of nobody.
    assert (frame.loc[frame["load"] > 0, "refusal"] <= p).all()


def test_pooling_saves_places_for_three_regions() -> None:
    frame = pooling_comparison({"WBW": 10.0, "WBO": 8.0, "Zeeland": 6.0}, 0.05)
    assert frame.loc["WBW", "places"] == 15
    assert frame.loc["pooled", "places_if_split"] == 15 + 13 + 10
    assert frame.loc["pooled", "places"] == 30
    assert frame.loc["pooled", "saving"] == 8


def test_pooling_refuses_a_part_called_pooled() -> None:
    with pytest.raises(ValueError, match="reserved"):
        pooling_comparison({"pooled": 1.0}, 0.05)


def test_sizing_table_columns_and_values() -> None:
    frame = sizing_table({"WBW": 10.0, "Zeeland": 0.0}, refusal_levels=(0.01, 0.05))
    assert list(frame.columns) == [
        "load",
        "places_1%",
        "occupancy_1%",
        "utilisation_1%",
        "places_5%",
        "occupancy_5%",
        "utilisation_5%",
    ]
    assert frame.loc["WBW", "places_1%"] == places_needed(10.0, 0.01)
    assert frame.loc["WBW", "places_5%"] == 15
    c = frame.loc["WBW", "places_5%"]
    assert frame.loc["WBW", "occupancy_5%"] == pytest.approx(expected_occupancy(c, 10.0))
    assert frame.loc["WBW", "utilisation_5%"] == pytest.approx(utilisation(c, 10.0))
    assert frame.loc["Zeeland", "places_1%"] == 0
    assert math.isnan(frame.loc["Zeeland", "utilisation_1%"])


def test_sizing_table_rejects_repeated_levels() -> None:
    with pytest.raises(ValueError, match="distinct"):
        sizing_table({"WBW": 1.0}, refusal_levels=(0.05, 0.05))


def test_reserve_effect() -> None:
    effect = reserve_effect(30.0, base_places=32, reserve_places=12)
    assert effect["refusal_without"] == pytest.approx(float(exact_erlang_b(32, 30)), rel=1e-12)
    assert effect["refusal_with"] == pytest.approx(float(exact_erlang_b(44, 30)), rel=1e-12)
    assert effect["refusal_with"] < effect["refusal_without"]
    assert effect["occupancy_with"] > effect["occupancy_without"]
    avoided = effect["refusal_without"] - effect["refusal_with"]
    assert effect["refusals_avoided"] == pytest.approx(avoided)
    assert reserve_effect(30.0, 32, 0)["refusals_avoided"] == 0.0


# Simulation: 10 places, 8 arrivals a year, mean stay one year (load 8, B = 0.1217). By
# insensitivity the refusal probability is the same for every stay distribution with that mean,
# so the exponential, a skewed lognormal (cv 2) and fixed stays must all agree with the formula.
SIM = {"arrival_rate": 8.0, "mean_stay": 1.0, "places": 10}
DISTRIBUTIONS = [("exponential", 1.0), ("lognormal", 2.0), ("deterministic", 1.0)]


@pytest.mark.parametrize(("distribution", "cv"), DISTRIBUTIONS)
def test_simulated_interval_covers_the_formula(distribution: str, cv: float) -> None:
    # A 95 % interval should miss the true value in about 1 run in 20, never much more often.
    # With 40 seeded runs of ~20,000 arrivals, 33 or more hits has probability > 99 % even at
    # 93 % true coverage (batch means run slightly below nominal); a biased simulation or formula
    # gives far fewer, as the check of the neighbouring value B(11, 8) shows.
    true_b, wrong_b = erlang_b(10, 8.0), erlang_b(11, 8.0)
    hits = wrong_hits = 0
    for seed in range(40):
        result = simulate_loss_system(
            **SIM, horizon=2_500.0, seed=seed, stay_distribution=distribution, stay_cv=cv
        )
        low, high = result["ci95"]
        hits += low <= true_b <= high
        wrong_hits += low <= wrong_b <= high
    assert hits >= 33
    assert wrong_hits <= 5


@pytest.mark.parametrize(("distribution", "cv"), DISTRIBUTIONS)
def test_long_simulation_agrees_with_formula(distribution: str, cv: float) -> None:
    # About 100,000 arrivals. The check uses the 99.9 % band (1.68 times the 95 % half-width,
    # 3.29 / 1.96), so a fixed seed fails only for a real disagreement, not a 1-in-20 miss.
    result = simulate_loss_system(
        **SIM, horizon=12_500.0, seed=20260101, stay_distribution=distribution, stay_cv=cv
    )
    low, high = result["ci95"]
    half_width = (high - low) / 2
    assert 0 < half_width < 0.0075
    b = erlang_b(10, 8.0)
    assert abs(result["refused_fraction"] - b) <= 1.68 * half_width
    assert abs(result["refused_fraction"] - erlang_b(9, 8.0)) > 1.68 * half_width
    assert abs(result["refused_fraction"] - erlang_b(11, 8.0)) > 1.68 * half_width
    assert result["arrivals"] == pytest.approx(100_000, rel=0.02)
    assert result["refused_fraction"] == result["refused"] / result["arrivals"]
    # Carried load a(1 - B): accepted youths times their mean stay, same 1 % scale of noise.
    assert result["mean_occupancy"] == pytest.approx(expected_occupancy(10, 8.0), rel=0.01)


def test_occupancy_counts_only_the_measured_period() -> None:
    # Long stays (10 years) against a short measured period (50 years): stays running on past
    # its end, or begun before the warm-up ended, must only count for the part inside it.
    # The time-average over 40 seeds has a standard error of about 0.2 place.
    runs = [
        simulate_loss_system(0.8, 10.0, 10, 50.0, seed=seed, warmup=100.0)["mean_occupancy"]
        for seed in range(40)
    ]
    assert sum(runs) / len(runs) == pytest.approx(expected_occupancy(10, 8.0), abs=0.6)


def test_simulation_is_reproducible_and_seed_dependent() -> None:
    first = simulate_loss_system(**SIM, horizon=1_000.0, seed=7)
    assert simulate_loss_system(**SIM, horizon=1_000.0, seed=7) == first
    assert simulate_loss_system(**SIM, horizon=1_000.0, seed=8)["refused"] != first["refused"]


def test_simulation_with_no_places_refuses_everyone() -> None:
    result = simulate_loss_system(2.0, 1.0, 0, 100.0, seed=1)
    assert result["refused_fraction"] == 1.0
    assert result["mean_occupancy"] == 0.0


def test_simulation_rejects_unknown_distribution() -> None:
    with pytest.raises(ValueError, match="stay_distribution"):
        simulate_loss_system(2.0, 1.0, 3, 100.0, seed=1, stay_distribution="gamma")
