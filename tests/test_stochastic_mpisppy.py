"""The staged plan solved by mpi-sppy (PH under MPI, and its extensive form) on the hand case of
tests/test_stochastic.py: two paths (2027 demand 0 or 2 beds, p = 0.5 each), RP = 230 with two
groups opened in 2026 (low path 220, high path 240); the wait-and-see bound is 175.
"""

from __future__ import annotations

import pytest

pytest.importorskip("mpisppy", reason="mpi-sppy is not installed: pip install -e '.[mpi]'")

from optimizer.stochastic import solve_staged  # noqa: E402
from optimizer.stochastic_mpisppy import (  # noqa: E402
    _prepared,
    scenario_creator,
    solve_mpisppy,
)
from tests.test_stochastic import path_data  # noqa: E402

pytestmark = pytest.mark.slow

RP = 230.0  # hand-derived, tests/test_stochastic.py


@pytest.fixture(scope="module")
def paths(tmp_path_factory):
    base = tmp_path_factory.mktemp("mpisppy-paths")
    return {
        "low": (0.5, path_data(base / "low", 0.0)),
        "high": (0.5, path_data(base / "high", 2.0)),
    }


@pytest.fixture(scope="module")
def ph(paths):
    return solve_mpisppy(paths, first_stage_years=[2026], ranks=2)


@pytest.fixture(scope="module")
def extensive(paths):
    return solve_staged(paths, first_stage_years=[2026])


def test_two_ranks_run_progressive_hedging_with_a_bound_spoke(ph):
    assert ph.method == "ph" and ph.ranks == 2
    assert ph.cylinders == ("PHHub", "LagrangianOuterBound")
    assert ph.iterations is not None and ph.iterations >= 1


def test_ph_reaches_the_extensive_form_objective_within_its_gap(ph, extensive):
    assert extensive.objective_eur == pytest.approx(RP)
    assert ph.bound_eur is not None and ph.gap is not None
    assert abs(ph.objective_eur - extensive.objective_eur) <= 0.01 * extensive.objective_eur
    # the optimum lies between the bounds, so the plan is within the gap PH reports
    slack = ph.gap * max(1.0, abs(ph.objective_eur)) + 1e-6
    assert ph.objective_eur - extensive.objective_eur <= slack


def test_ph_bound_is_below_the_objective_and_the_optimum(ph):
    assert ph.bound_eur <= ph.objective_eur + 1e-6
    assert ph.bound_eur <= RP + 1e-6  # a valid outer bound never passes the true optimum
    assert ph.bound_eur >= 175 - 1e-6  # at least the wait-and-see (iteration 0) bound


def test_ph_first_stage_decisions_are_equal_across_paths(ph):
    low, high = ph.first_stage_by_path["low"], ph.first_stage_by_path["high"]
    assert low == high == ph.first_stage
    assert ph.first_stage[("g", "s", "hybrid", 2026)] == pytest.approx(2)
    assert ph.first_stage[("add", "s", "hybrid", 2026)] == pytest.approx(2)
    assert ph.cost_by_path_eur == pytest.approx({"low": 220, "high": 240})


def test_one_rank_is_mpisppys_extensive_form(paths):
    ef = solve_mpisppy(paths, first_stage_years=[2026], ranks=1)
    assert ef.method == "ef" and ef.cylinders == ("ExtensiveForm",)
    assert ef.objective_eur == pytest.approx(RP)
    assert ef.bound_eur == pytest.approx(RP) and ef.gap == pytest.approx(0, abs=1e-6)
    assert ef.first_stage_by_path["low"] == ef.first_stage_by_path["high"]
    assert ef.cost_by_path_eur == pytest.approx({"low": 220, "high": 240})


def test_scenario_has_its_probability_and_the_first_stage_at_the_root(paths):
    prepared = _prepared(paths)
    model = scenario_creator("high", paths=prepared, first_stage_years=[2026])
    assert model._mpisppy_probability == 0.5
    (root,) = model._mpisppy_node_list
    assert root.name == "ROOT"
    names = sorted(var.name for var in root.nonant_vardata_list)
    assert names == sorted(
        ["g[s,hybrid,2026]", "y[s,hybrid,2026]", "add[s,hybrid,2026]", "rem[s,hybrid,2026]"]
        + ["o[s,2026]"]
    )
    # first-stage additions are bounded by the site (a bounded Lagrangian subproblem)
    assert model.add["s", "hybrid", 2026].ub == 5 and model.add["s", "hybrid", 2027].ub is None


def test_probabilities_must_sum_to_one(paths):
    data = paths["low"][1]
    with pytest.raises(ValueError, match="sum to 0.9"):
        solve_mpisppy({"a": (0.9, data)}, first_stage_years=[2026], ranks=2)


def test_ranks_must_fit_the_cylinders(paths):
    with pytest.raises(ValueError, match="ranks=5"):
        solve_mpisppy(paths, first_stage_years=[2026], ranks=5)
