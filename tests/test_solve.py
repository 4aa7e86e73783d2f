"""optimizer.solve: what a stopped MIP's incumbent is polished to."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from optimizer.solve import _polish


def _model() -> pyo.ConcreteModel:
    """min n + s  s.t. s ≥ 2n − 1, n ≥ 1 integer, s ≥ 0: the optimum of n = 2 is s = 3."""
    m = pyo.ConcreteModel()
    m.n = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(1, 5))
    m.s = pyo.Var(domain=pyo.NonNegativeReals)
    m.link = pyo.Constraint(expr=m.s >= 2 * m.n - 1)
    m.cost = pyo.Objective(expr=m.n + m.s)
    return m


def _options() -> dict:
    return {"load_solutions": False, "raise_exception_on_nonoptimal_result": False}


def test_an_incumbent_with_slack_in_its_continuous_part_is_polished_to_its_least_cost():
    m = _model()
    m.n.set_value(2)
    m.s.set_value(10)  # feasible, 7 above what n = 2 requires: an unconverged incumbent
    objective = _polish(m, _options(), 12.0)
    assert objective == pytest.approx(5.0)
    assert m.n.value == 2 and m.s.value == pytest.approx(3.0)  # the integers are kept
    assert not m.n.fixed  # and freed again


def test_a_polish_that_cannot_solve_keeps_the_incumbent():
    m = _model()
    m.n.set_value(2)
    m.s.set_value(10)
    m.cap = pyo.Constraint(expr=m.s <= 2)  # with n fixed at 2 the LP is infeasible
    objective = _polish(m, _options(), 12.0)
    assert objective == 12.0 and m.s.value == 10 and m.n.value == 2
