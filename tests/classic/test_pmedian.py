"""The fast exact p-median (search, Lagrangian bound, radius MILP) and ``jzplan orlib``.

Oracles: brute-force enumeration of every p-subset for small random matrices, the strong
textbook model (:func:`models.classic.p_median`) for medium ones, OR-Library's published optima,
and numpy re-pricing of every returned solution. Scale is exercised on generated OR-Library-
shaped files at the size of the largest published set (n = 900).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from models.classic import p_median
from models.pmedian_radius import build_radius_model
from optimizer.classic.generate import write_random_cap, write_random_pmed
from optimizer.classic.instances import solve_instance
from optimizer.classic.lagrangian import lagrangian_reduction
from optimizer.classic.local_search import assignment_cost, greedy, interchange
from optimizer.classic.orlib import ORLIB_DIR, OrlibFormatError, load_optima, read_cap, read_pmed
from optimizer.classic.pmedian import solve_p_median
from optimizer.cli import app
from optimizer.solve import solve, solve_matrix

OPTIMA = load_optima()


def random_cost(seed: int, n_clients: int = 12, n_sites: int = 10, integral: bool = True):
    rng = np.random.default_rng(seed)
    points = rng.uniform(0, 100, size=(n_clients + n_sites, 2))
    clients, sites = points[:n_clients], points[n_clients:]
    cost = np.linalg.norm(clients[:, None, :] - sites[None, :, :], axis=2)
    return np.round(cost) if integral else cost


def brute_force(cost: np.ndarray, p: int, must_open=()) -> float:
    forced = set(must_open)
    return min(
        assignment_cost(cost, subset)
        for subset in itertools.combinations(range(cost.shape[1]), p)
        if forced <= set(subset)
    )


# ---------------------------------------------------------------------------------------------
# Each stage on its own
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("p", [1, 3])
def test_interchange_ends_in_a_local_optimum(seed: int, p: int) -> None:
    cost = random_cost(seed)
    sites, value = interchange(cost, greedy(cost, p))
    assert len(set(sites)) == p and value == pytest.approx(assignment_cost(cost, sites))
    for out in sites:
        for into in set(range(cost.shape[1])) - set(sites):
            swapped = [into if j == out else j for j in sites]
            assert assignment_cost(cost, swapped) >= value - 1e-9


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("integral", [True, False])
def test_lagrangian_bound_and_fixings_are_valid(seed: int, integral: bool) -> None:
    """LB ≤ optimum, and no closed site is used / no opened site is missed by any subset
    cheaper than UB − slack (checked over every p-subset)."""
    cost = random_cost(seed, integral=integral)
    p = 3
    start = greedy(cost, p)  # deliberately not polished: a weaker UB leaves more to check
    reduction = lagrangian_reduction(cost, p, start)
    optimum = brute_force(cost, p)
    assert reduction.lower_bound <= optimum + 1e-6
    assert reduction.upper_bound == pytest.approx(assignment_cost(cost, reduction.incumbent))
    assert reduction.upper_bound >= optimum - 1e-9
    for subset in itertools.combinations(range(cost.shape[1]), p):
        if assignment_cost(cost, subset) <= reduction.upper_bound - reduction.slack:
            assert not reduction.closed[list(subset)].any()
            assert set(np.flatnonzero(reduction.opened)) <= set(subset)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("p", "must_open"), [(2, ()), (3, (4,)), (4, (0, 9))])
def test_radius_model_optimum_equals_brute_force(seed: int, p: int, must_open) -> None:
    cost = random_cost(seed, integral=False)
    model = build_radius_model(cost, p, range(cost.shape[1]), must_open)
    solved = solve_matrix(model.milp, mip_rel_gap=1e-9)
    expected = brute_force(cost, p, must_open)
    assert solved.result.proven_optimal
    assert solved.result.objective == pytest.approx(expected, rel=1e-9)
    sites = model.open_sites(solved.values)
    assert len(sites) == p and set(must_open) <= set(sites)
    assert assignment_cost(cost, sites) == pytest.approx(expected, rel=1e-9)


def test_radius_start_vector_is_feasible_and_priced_right() -> None:
    cost = random_cost(7)
    model = build_radius_model(cost, 3, range(cost.shape[1]))
    start = model.start_vector([1, 4, 8], cost)
    milp = model.milp
    activity = milp.matrix @ start
    assert (activity >= milp.row_lower - 1e-9).all() and (activity <= milp.row_upper + 1e-9).all()
    assert milp.objective @ start + milp.offset == pytest.approx(assignment_cost(cost, [1, 4, 8]))
    assert build_radius_model(cost, 3, [0, 1, 2, 3]).start_vector([1, 4, 8], cost) is None


# ---------------------------------------------------------------------------------------------
# The whole procedure
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("p", "must_open"), [(1, ()), (3, ()), (3, (2,)), (5, (0, 6))])
def test_solve_p_median_equals_brute_force(seed: int, p: int, must_open) -> None:
    cost = random_cost(seed, integral=seed % 2 == 0)
    weights = np.random.default_rng(seed).integers(1, 5, size=cost.shape[0]).astype(float)
    solution = solve_p_median(cost, p, weights=weights, must_open=must_open)
    expected = brute_force(cost * weights[:, None], p, must_open)
    assert solution.result.proven_optimal
    assert solution.objective == pytest.approx(expected, rel=1e-9)
    assert set(must_open) <= set(solution.open_sites) and len(solution.open_sites) == p
    priced = float((weights * cost[:, solution.open_sites].min(axis=1)).sum())
    assert priced == pytest.approx(solution.objective, rel=1e-12)


@pytest.mark.parametrize("seed", [11, 12])
def test_fast_path_agrees_with_the_strong_formulation(seed: int, tmp_path: Path) -> None:
    """n = 120 random OR-Library-shaped graphs: the textbook Pyomo model is the reference."""
    path = write_random_pmed(tmp_path / f"r{seed}.txt", n=120, p=6 + seed % 3, seed=seed)
    instance = read_pmed(path)
    reference = p_median(instance.cost, instance.p)
    assert solve(reference, mip_rel_gap=1e-9).proven_optimal
    fast = solve_p_median(instance.cost, instance.p)
    assert fast.result.proven_optimal
    assert fast.objective == pytest.approx(pyo_value(reference), abs=1e-6)


def pyo_value(model) -> float:
    import pyomo.environ as pyo

    return float(pyo.value(model.obj))


@pytest.mark.slow
@pytest.mark.parametrize("name", [f"pmed{k}" for k in range(1, 21)])
def test_every_public_pmed_reproduces_its_published_optimum(name: str, solved) -> None:
    row = OPTIMA[name]
    result = solved(name)
    assert result.proven_optimal
    assert result.objective == row.optimal_value
    instance = read_pmed(row.file)
    assert len(result.open_facilities) == instance.p
    assert assignment_cost(instance.cost, result.open_facilities) == row.optimal_value
    assert (result.assignment.sum(axis=1) == 1).all()


def test_scale_n900_generated_instance(tmp_path: Path) -> None:
    """The size of OR-Library's largest pmed files (810,000 pairs): solved and certified.

    p = 90 as in pmed40. The certificate is independent of the solver: the returned sites are
    re-priced with numpy, and the proven bound equals that price.
    """
    path = write_random_pmed(tmp_path / "r900.txt", n=900, p=90, seed=3)
    instance = read_pmed(path)
    assert instance.n_edges == 900 * 900 // 50
    result = solve_instance(path)
    assert result.status == "optimal"
    assert len(set(result.open_facilities)) == 90
    priced = assignment_cost(instance.cost, result.open_facilities)
    assert result.objective == priced
    assert result.solve_result.bound == pytest.approx(priced)


def test_time_limit_returns_best_solution_with_its_gap() -> None:
    cost = random_cost(3, n_clients=200, n_sites=200)
    solution = solve_p_median(cost, 5, time_limit=1e-3)
    assert solution.objective == pytest.approx(assignment_cost(cost, solution.open_sites))
    assert solution.result.bound <= solution.objective + 1e-9
    if not solution.result.proven_optimal:
        assert solution.result.status == "feasible" and solution.result.mip_gap > 0


def test_inputs_are_checked() -> None:
    cost = random_cost(0)
    with pytest.raises(ValueError, match="p must be between"):
        solve_p_median(cost, 0)
    with pytest.raises(ValueError, match="must-open"):
        solve_p_median(cost, 1, must_open=(0, 1))
    with pytest.raises(ValueError, match="weights"):
        solve_p_median(cost, 2, weights=np.ones(3))
    with pytest.raises(ValueError, match="non-negative"):
        solve_p_median(-cost, 2)


# ---------------------------------------------------------------------------------------------
# cap files with a capacity placeholder, and `jzplan orlib`
# ---------------------------------------------------------------------------------------------


def placeholder_copy(tmp_path: Path, name: str = "cap41", stem: str = "capx") -> Path:
    """cap41 with every capacity written as the word 'capacity', as capa/capb/capc do."""
    lines = (ORLIB_DIR / "cap" / f"{name}.txt").read_text().splitlines()
    m = int(lines[0].split()[0])
    for k in range(1, m + 1):
        lines[k] = " capacity " + lines[k].split()[1]
    path = tmp_path / f"{stem}.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_capacity_placeholder_needs_a_value(tmp_path: Path) -> None:
    path = placeholder_copy(tmp_path)
    with pytest.raises(OrlibFormatError, match="16 warehouse.*'capacity'.*--capacity"):
        read_cap(path)
    original = read_cap(ORLIB_DIR / "cap" / "cap41.txt")
    filled = read_cap(path, capacity=5000)
    assert (filled.capacity == 5000).all()
    assert np.array_equal(filled.cost, original.cost)
    assert np.array_equal(filled.fixed_cost, original.fixed_cost)


@pytest.mark.parametrize(
    ("stem", "capacity"),
    [("capa1", 8000), ("capa4", 14000), ("capb2", 6000), ("capc3", 6500), ("CAPC4", 7250)],
)
def test_placeholder_file_named_after_a_problem_takes_table1(tmp_path, stem, capacity) -> None:
    """Beasley (1988) Table 1; a name that is not one problem (capa, capa5) still needs it."""
    assert (read_cap(placeholder_copy(tmp_path, stem=stem)).capacity == capacity).all()


def test_placeholder_family_file_lists_its_four_capacities(tmp_path: Path) -> None:
    with pytest.raises(OrlibFormatError, match="capb: one of 5000, 6000, 7000, 8000"):
        read_cap(placeholder_copy(tmp_path, stem="capb"))
    with pytest.raises(OrlibFormatError, match="--capacity"):
        read_cap(placeholder_copy(tmp_path, stem="capa5"))


def run_orlib(*args: str):
    return CliRunner().invoke(app, ["orlib", *args])


def test_orlib_prints_exactly_one_json_object() -> None:
    row = OPTIMA["pmed3"]
    outcome = run_orlib(str(row.file))
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.stdout.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"instance", "family", "objective", "status", "gap", "build_s", "solve_s"}
    assert record["instance"] == "pmed3" and record["family"] == "pmed"
    assert record["objective"] == row.optimal_value and record["status"] == "optimal"
    assert record["gap"] == 0.0 and record["build_s"] >= 0 and record["solve_s"] >= 0


def test_orlib_cap_with_placeholder_and_reference(tmp_path: Path) -> None:
    path = placeholder_copy(tmp_path)
    record = json.loads(run_orlib(str(path), "--capacity", "5000").stdout)
    assert record["family"] == "cap"
    assert abs(record["objective"] - OPTIMA["cap41"].optimal_value) <= 0.01
    reference = json.loads(run_orlib(str(OPTIMA["pmed2"].file), "--reference").stdout)
    assert reference["objective"] == OPTIMA["pmed2"].optimal_value


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "no such file"),
        (["--family", "xyz", "x.txt"], "--family must be"),
    ],
)
def test_orlib_errors_are_one_line(args, message: str) -> None:
    outcome = run_orlib(*args)
    assert outcome.exit_code == 2
    assert message in outcome.stderr and "Traceback" not in outcome.output
    assert outcome.stdout == ""


def test_orlib_placeholder_without_capacity_is_one_line(tmp_path: Path) -> None:
    outcome = run_orlib(str(placeholder_copy(tmp_path)))
    assert outcome.exit_code == 2 and "--capacity" in outcome.stderr


def test_generated_cap_file_reads_back(tmp_path: Path) -> None:
    path = write_random_cap(tmp_path / "c.txt", warehouses=20, customers=60, seed=1)
    instance = read_cap(path)
    assert instance.cost.shape == (60, 20)
    assert instance.capacity.sum() >= instance.demand.sum()
    result = solve_instance(path)
    assert result.proven_optimal
    served = result.assignment
    assert np.allclose(served.sum(axis=1), 1)
    load = served.T @ instance.demand
    assert (load <= instance.capacity + 1e-6).all()
    opened = list(result.open_facilities)
    priced = (served * instance.cost).sum() + instance.fixed_cost[opened].sum()
    assert priced == pytest.approx(result.objective, rel=1e-9)


def test_scale_capa_sized_generated_instance(tmp_path: Path) -> None:
    """100 warehouses x 1000 customers, the size of capa/capb/capc, with their placeholder.

    Within a time limit the solve may stop short of proof, but whatever it returns must be a
    solution: every customer fully served, no capacity exceeded, and the objective equal to the
    cost re-priced with numpy.
    """
    path = write_random_cap(tmp_path / "big.txt", warehouses=100, customers=1000, seed=5)
    lines = path.read_text().splitlines()
    for k in range(1, 101):
        lines[k] = " capacity " + lines[k].split()[1]
    path.write_text("\n".join(lines) + "\n")
    instance = read_cap(path, capacity=80_000)
    assert instance.capacity.sum() >= instance.demand.sum()
    result = solve_instance(path, capacity=80_000, time_limit=30)
    assert result.solve_result.has_solution
    served = result.assignment
    assert np.allclose(served.sum(axis=1), 1, atol=1e-6)
    opened = list(result.open_facilities)
    assert (
        served.T @ instance.demand <= instance.capacity * np.isin(range(100), opened) + 1e-4
    ).all()
    priced = (served * instance.cost).sum() + instance.fixed_cost[opened].sum()
    assert priced == pytest.approx(result.objective, rel=1e-6)
