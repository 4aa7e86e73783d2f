"""optimizer.service: the refusal a referred youth faces, per pool and per need.

The per-pool figure is Erlang B on the plan's places and the load it routes there; the
per-need figure averages it over the pools the need is sent to. Both are checked by hand and
against an independent simulation of youths routed at random to two pools of a loss system.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd
import pytest

from optimizer.service import pool_table, refusal_by_need, refusal_for_types


def erlang_b(c: int, a: float) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


POOLS = {"shared": [("a", "hybrid"), ("b", "hybrid")], "a/closed": [("a", "closed")]}
PLAN = pd.DataFrame(
    [(2026, "a", "hybrid", 1, 6), (2026, "b", "hybrid", 1, 6), (2026, "a", "closed", 2, 12)],
    columns=["year", "site_id", "type", "groups", "beds"],
)
ASSIGNMENTS = pd.DataFrame(
    [
        (2026, "z1", "hybrid", "a", "hybrid", 3.0),
        (2026, "z2", "hybrid", "b", "hybrid", 2.0),
        (2026, "z1", "secure", "a", "closed", 7.0),
        (2026, "z1", "secure", "b", "hybrid", 0.5),  # overflow into the shared hybrid pool
    ],
    columns=["year", "gm_code", "need", "site_id", "type", "beds"],
)


def test_pool_table_is_erlang_b_on_places_and_routed_load():
    table = pool_table(POOLS, PLAN, ASSIGNMENTS, [2026], 0.05).set_index("pool")
    assert table.at["shared", "places"] == 12 and table.at["a/closed", "places"] == 12
    assert table.at["shared", "offered_load_beds"] == pytest.approx(5.5)
    assert table.at["shared", "refusal_probability"] == pytest.approx(erlang_b(12, 5.5))
    assert table.at["a/closed", "refusal_probability"] == pytest.approx(erlang_b(12, 7.0))
    assert set(table["max_refusal_probability"]) == {0.05}


def test_refusal_by_need_averages_over_the_pools_a_need_is_sent_to():
    table = pool_table(POOLS, PLAN, ASSIGNMENTS, [2026], 0.05)
    need = refusal_by_need(POOLS, table, ASSIGNMENTS).set_index("need")
    secure = (7.0 * erlang_b(12, 7.0) + 0.5 * erlang_b(12, 5.5)) / 7.5
    assert need.at["secure", "refusal_probability"] == pytest.approx(secure)
    assert need.at["hybrid", "refusal_probability"] == pytest.approx(erlang_b(12, 5.5))
    hybrid_types = refusal_for_types(table, {"hybrid"}).set_index("year")
    assert hybrid_types.at[2026, "refusal_probability"] == pytest.approx(erlang_b(12, 5.5))
    assert hybrid_types.at[2026, "places"] == 12


def simulate_routed(loads: dict[str, float], places: dict[str, int], route, seed: int):
    """Youths of each need arrive (Poisson, mean stay 1), go to a pool drawn from ``route``,
    and are refused when it is full. Returns refused/arrived per need with a batch 95 % CI."""
    rng = np.random.default_rng(seed)
    horizon, warm, batches = 20_000.0, 20.0, 20
    events = []
    for need, load in loads.items():
        times = np.cumsum(rng.exponential(1.0 / load, int(load * (horizon + warm) * 1.2)))
        events += [(t, need) for t in times if t < horizon + warm]
    events.sort()
    busy = {pool: [] for pool in places}
    counts = {need: np.zeros((batches, 2)) for need in loads}
    for t, need in events:
        pools, shares = zip(*route[need].items(), strict=True)
        pool = pools[rng.choice(len(pools), p=np.array(shares) / sum(shares))]
        while busy[pool] and busy[pool][0] <= t:
            heapq.heappop(busy[pool])
        refused = len(busy[pool]) >= places[pool]
        if not refused:
            heapq.heappush(busy[pool], t + rng.exponential(1.0))
        if t >= warm:
            batch = min(int((t - warm) / horizon * batches), batches - 1)
            counts[need][batch] += (1, refused)
    out = {}
    for need, c in counts.items():
        ratios = c[:, 1] / c[:, 0]
        half = 2.093 * ratios.std(ddof=1) / math.sqrt(batches)  # t(0.975, 19)
        out[need] = (c[:, 1].sum() / c[:, 0].sum(), half)
    return out


def test_per_need_refusal_agrees_with_a_simulation_of_routed_youths():
    # secure youths: 7 beds to the closed pool, 0.5 overflow to the shared hybrid pool;
    # hybrid youths: 5 beds to the shared pool (places 12 each)
    sim = simulate_routed(
        {"secure": 7.5, "hybrid": 5.0},
        {"shared": 12, "a/closed": 12},
        {"secure": {"a/closed": 7.0, "shared": 0.5}, "hybrid": {"shared": 5.0}},
        seed=7,
    )
    table = pool_table(POOLS, PLAN, ASSIGNMENTS, [2026], 0.05)
    need = refusal_by_need(POOLS, table, ASSIGNMENTS).set_index("need")["refusal_probability"]
    for name, (value, half) in sim.items():
        assert abs(value - need[name]) <= max(half, 2e-3), (name, value, need[name], half)
