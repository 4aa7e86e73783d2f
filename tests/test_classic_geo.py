"""Must-open sites, the classic models on GeoDataFrames with units, and ``jzplan classic`` on a
scenario.

Oracles: brute force over every site subset that contains the must-open sites, hand-computed
distances between points placed on an RD New grid line (RD coordinates are metres, so km are
exact), and for the CLI the objective recomputed from the printed assignments.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from models.classic import lscp, mclp, open_facilities, p_center, p_median, uflp
from optimizer.solve import solve

EXACT = 1e-9

# ---------------------------------------------------------------------------------------------
# must_open in models/classic.py
# ---------------------------------------------------------------------------------------------


def brute_force(cost, p, must, value):
    """Best value(open sites) over every p-subset of sites that contains ``must``."""
    subsets = [s for s in itertools.combinations(range(cost.shape[1]), p) if set(must) <= set(s)]
    return min(value(cost[:, list(s)]) for s in subsets)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("reduce", [True, False])
def test_p_median_and_p_center_with_must_open_match_brute_force(seed, reduce):
    rng = np.random.default_rng(seed)
    cost = rng.integers(1, 50, size=(9, 7)).astype(float)
    weights = rng.integers(1, 5, size=9).astype(float)
    p, must = 3, [int(rng.integers(7)), int(rng.integers(7))]
    must = sorted(set(must))
    model = p_median(cost, p, weights=weights, reduce=reduce, must_open=must)
    assert solve(model, mip_rel_gap=EXACT).proven_optimal
    assert set(must) <= set(open_facilities(model)) and len(open_facilities(model)) == p
    expected = brute_force(cost, p, must, lambda c: float(weights @ c.min(axis=1)))
    assert pyo_value(model) == pytest.approx(expected)

    model = p_center(cost, p, reduce=reduce, must_open=must)
    assert solve(model, mip_rel_gap=EXACT).proven_optimal
    assert set(must) <= set(open_facilities(model))
    assert pyo_value(model) == pytest.approx(brute_force(cost, p, must, lambda c: c.min(1).max()))


def pyo_value(model) -> float:
    import pyomo.environ as pyo

    return float(pyo.value(model.obj))


def test_must_open_forces_a_worse_site_in_every_model():
    # Two clients next to site 0; site 1 is far from both. Alone, every model would pick site 0.
    cost = np.array([[1.0, 9.0], [1.0, 9.0]])
    for model in (
        p_median(cost, 1, must_open=[1]),
        p_center(cost, 1, must_open=[1]),
        mclp(cost, 1, 2.0, must_open=[1]),
        lscp(cost, 10.0, must_open=[1]),
        uflp(cost, np.array([1.0, 1.0]), must_open=[1]),
    ):
        assert solve(model, mip_rel_gap=EXACT).has_solution
        assert 1 in open_facilities(model)
    model = p_median(cost, 1, must_open=[1])
    solve(model)
    assert pyo_value(model) == 18.0


@pytest.mark.parametrize(
    ("must", "message"),
    [([5], "outside 0..1"), ([0, 0], "repeat"), ([0, 1], "only p = 1 may open")],
)
def test_bad_must_open_is_a_clear_value_error(must, message):
    with pytest.raises(ValueError, match=message):
        p_median(np.ones((2, 2)), 1, must_open=must)
