"""Tests for the OR-Library readers, the classic location models and ``jzplan classic``.

The oracles are independent of the code under test: OR-Library's published optima for the real
instances (with the solution re-checked by numpy: assignment, capacities, objective), networkx
for the shortest paths, and brute-force enumeration of every site subset for small hand-made
instances of the models OR-Library does not cover (p-center, MCLP, LSCP, UFLP).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from typer.testing import CliRunner

from models.classic import (
    assignment_matrix,
    cflp,
    covered_clients,
    lscp,
    mclp,
    nearest_sites,
    open_facilities,
    p_center,
    p_median,
    uflp,
)
from optimizer.classic.orlib import (
    ORLIB_DIR,
    OrlibFormatError,
    detect_family,
    load_optima,
    read_cap,
    read_pmed,
)
from optimizer.cli.classic import classic_app
from optimizer.solve import solve

OPTIMA = load_optima()
EXACT = 1e-9  # relative MIP gap for small solves, so "optimal" cannot hide a 1e-4 gap
CAP_TOL = 0.01  # SOURCES.md: published cap values are rounded to 3 decimals


# ---------------------------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_bundled_copy_is_complete_and_attributed() -> None:
    assert ORLIB_DIR.parent.name == "benchmarks"
    assert "Beasley" in (ORLIB_DIR / "SOURCES.md").read_text()
    assert len(OPTIMA) == 33
    missing = [row.file for row in OPTIMA.values() if not row.file.is_file()]
    assert missing == []


def test_pmed_last_duplicate_edge_wins_then_shortest_paths(tmp_path: Path) -> None:
    # Edge 1-2 is given as 2, then again (reversed) as 7: OR-Library keeps the LAST cost, 7.
    # The detour 1-4-3-2 costs 1 + 4 + 3 = 8, so the shortest path stays the direct 7; with a
    # "minimum cost" reading it would be 2 and every distance through 1-2 would change.
    path = write(tmp_path, "tiny.txt", "4 5 2\n1 2 2\n2 3 3\n3 4 4\n2 1 7\n4 1 1\n")
    instance = read_pmed(path)
    expected = np.array(
        [
            [0, 7, 5, 1],
            [7, 0, 3, 7],
            [5, 3, 0, 4],
            [1, 7, 4, 0],
        ],
        dtype=float,
    )
    np.testing.assert_array_equal(instance.cost, expected)
    assert (instance.n, instance.n_edges, instance.p) == (4, 5, 2)


def test_pmed1_distances_match_networkx() -> None:
    instance = read_pmed(OPTIMA["pmed1"].file)
    graph = nx.Graph()
    graph.add_nodes_from(range(instance.n))
    for i, j, c in instance.edges.tolist():
        graph.add_edge(i, j, weight=c)  # add_edge overwrites: last cost wins, as OR-Library
    lengths = dict(nx.all_pairs_dijkstra_path_length(graph))
    oracle = np.array([[lengths[i][j] for j in range(instance.n)] for i in range(instance.n)])
    np.testing.assert_array_equal(instance.cost, oracle)
    assert instance.edges.shape == (200, 3)


def test_cap_is_a_token_stream_and_costs_are_per_customer(tmp_path: Path) -> None:
    # 2 warehouses, 3 customers; line breaks deliberately in odd places.
    text = "2 3\n10 5.\n20\n0.\n4 1.5\n2.5 6 3 4\n8\n 9 11\n"
    instance = read_cap(write(tmp_path, "odd.txt", text))
    np.testing.assert_array_equal(instance.capacity, [10, 20])
    np.testing.assert_array_equal(instance.fixed_cost, [5, 0])
    np.testing.assert_array_equal(instance.demand, [4, 6, 8])
    # rows = customers, columns = warehouses
    np.testing.assert_array_equal(instance.cost, [[1.5, 2.5], [3, 4], [9, 11]])


def test_cap41_contents() -> None:
    instance = read_cap(OPTIMA["cap41"].file)
    assert instance.cost.shape == (50, 16)
    assert instance.demand.sum() == 58268
    assert (instance.capacity == 5000).all()
    assert instance.fixed_cost[10] == 0 and (np.delete(instance.fixed_cost, 10) == 7500).all()
    assert instance.cost[0, 0] == pytest.approx(6739.725)  # first cost of the first customer


def cap_without_one_pair() -> str:
    lines = OPTIMA["cap41"].file.read_text().splitlines()
    return "\n".join(lines[:1] + lines[2:]) + "\n"


def cap_without_last_number() -> str:
    return OPTIMA["cap41"].file.read_text().rsplit(maxsplit=1)[0] + "\n"


def cap_with_bad_token() -> str:
    lines = OPTIMA["cap41"].file.read_text().splitlines()
    lines[3] = " 5000 7500,x"
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("reader", "text", "expected"),
    [
        (
            read_cap,
            cap_without_one_pair(),
            "cap41.txt: expected 16 capacity/fixed-cost pairs, found 15",
        ),
        (read_cap, cap_without_last_number(), "cap41.txt: expected 50 customer blocks"),
        (read_cap, cap_with_bad_token(), "cap41.txt: line 4: expected a number for the fixed cost"),
        (read_cap, "16\n", "cap41.txt: expected a header 'm n'"),
        (read_cap, "", "cap41.txt: expected a header 'm n'"),
        (read_pmed, "3 2 1\n1 2 5\n", "cap41.txt: expected 2 edges 'i j cost' as the header says"),
        (read_pmed, "3 2 4\n1 2 5\n2 3 1\n", "expected 1 <= p <= n_vertices = 3, found p = 4"),
        (read_pmed, "3 2 1\n1 2 5\n2 9 1\n", "line 3: expected vertices numbered 1..3"),
        (read_pmed, "3 1 1\n1 2 5\n", "expected a connected graph, found 1 vertex"),
        (read_pmed, "3 1 1\n1 2 x\n", "line 2: expected an integer cost for edge 1, found 'x'"),
        (read_pmed, "3 1 1\n1 2 -4\n", "expected a non-negative edge cost, found -4"),
    ],
)
def test_malformed_files_say_what_was_expected(
    tmp_path: Path, reader: Callable[[Path], object], text: str, expected: str
) -> None:
    path = write(tmp_path, "cap41.txt", text)
    with pytest.raises(OrlibFormatError) as info:
        reader(path)
    assert expected in str(info.value)
    assert str(info.value).startswith("cap41.txt: ")


def test_detect_family(tmp_path: Path) -> None:
    assert detect_family(OPTIMA["pmed1"].file) == "pmed"
    assert detect_family(OPTIMA["cap41"].file) == "cap"
    with pytest.raises(OrlibFormatError, match="odd.txt: expected a first line of 3 integers"):
        detect_family(write(tmp_path, "odd.txt", "1 2 3 4\n"))
    with pytest.raises(FileNotFoundError, match="no such file"):
        detect_family(tmp_path / "absent.txt")


# ---------------------------------------------------------------------------------------------
# Published optima, with the solutions re-checked by numpy
# ---------------------------------------------------------------------------------------------


def check_pmed(name: str, solved) -> None:
    row = OPTIMA[name]
    instance = read_pmed(row.file)
    result = solved(name)
    assert result.proven_optimal, result.solve_result.describe()
    assert result.family == "pmed" and result.p == instance.p == row.p

    opened = np.array(result.open_facilities)
    assert len(opened) == instance.p
    x = result.assignment
    assert x.shape == (instance.n, instance.n)
    np.testing.assert_allclose(x.sum(axis=1), 1.0, atol=1e-6)  # everyone assigned
    closed = np.setdiff1d(np.arange(instance.n), opened)
    assert np.abs(x[:, closed]).max() <= 1e-6  # only to open medians
    recomputed = float((instance.cost * x).sum())
    assert recomputed == pytest.approx(result.objective, abs=1e-6)
    # The published value is for each vertex at its nearest median: exact integer arithmetic.
    nearest = int(instance.cost[:, opened].min(axis=1).sum())
    assert nearest == row.optimal_value
    assert round(result.objective) == row.optimal_value


@pytest.mark.parametrize("name", ["pmed1", "pmed2", "pmed3", "pmed4", "pmed5"])
def test_pmed_published_optimum(name: str, solved) -> None:
    check_pmed(name, solved)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["pmed10", "pmed20"])
def test_pmed_published_optimum_larger(name: str, solved) -> None:
    """n = 200 and n = 400 (160 000 pairs before the exact reduction)."""
    check_pmed(name, solved)


CAP_NAMES = [name for name, row in OPTIMA.items() if row.family == "cap"]


@pytest.mark.parametrize("name", CAP_NAMES)
def test_cap_published_optimum(name: str, solved) -> None:
    row = OPTIMA[name]
    instance = read_cap(row.file)
    result = solved(name)
    assert result.proven_optimal, result.solve_result.describe()
    assert result.family == "cap" and result.p is None

    x = result.assignment
    assert x.shape == (50, 16)
    assert x.min() >= -1e-9 and x.max() <= 1 + 1e-9
    np.testing.assert_allclose(x.sum(axis=1), 1.0, atol=1e-6)  # every customer fully served
    opened = np.array(result.open_facilities)
    closed = np.setdiff1d(np.arange(16), opened)
    assert np.abs(x[:, closed]).max(initial=0.0) <= 1e-6
    load = instance.demand @ x
    assert (load <= instance.capacity + 1e-6).all()  # capacities respected
    recomputed = instance.fixed_cost[opened].sum() + (instance.cost * x).sum()
    assert recomputed == pytest.approx(result.objective, abs=1e-6)
    assert abs(recomputed - row.optimal_value) <= CAP_TOL


def test_cap41_capacity_binds_and_cap71_does_not() -> None:
    """cap41's optimum needs its capacities; cap71's equals the uncapacitated optimum."""
    for name, binds in (("cap41", True), ("cap71", False)):
        instance = read_cap(OPTIMA[name].file)
        model = uflp(instance.cost, instance.fixed_cost)
        result = solve(model, mip_rel_gap=EXACT)
        assert result.proven_optimal
        published = OPTIMA[name].optimal_value
        if binds:
            assert result.objective < published - 1000
            loads = instance.demand @ assignment_matrix(model)
            assert (loads > instance.capacity).any()  # the UFLP answer overloads a warehouse
        else:
            assert result.objective == pytest.approx(published, abs=CAP_TOL)


def test_single_source_on_cap_files() -> None:
    """cap41 cannot be single-sourced (a demand of 12912 exceeds every capacity of 5000), which
    is why OR-Library's optima are split-demand values; cap61 (capacity 15000) can."""
    cap41 = read_cap(OPTIMA["cap41"].file)
    assert cap41.demand.max() > cap41.capacity.max()
    model = cflp(cap41.cost, cap41.fixed_cost, cap41.demand, cap41.capacity, single_source=True)
    assert solve(model, mip_rel_gap=EXACT).status == "infeasible"

    cap61 = read_cap(OPTIMA["cap61"].file)
    model = cflp(cap61.cost, cap61.fixed_cost, cap61.demand, cap61.capacity, single_source=True)
    result = solve(model, mip_rel_gap=EXACT, time_limit=60)
    assert result.proven_optimal
    x = assignment_matrix(model)
    np.testing.assert_allclose(np.sort(x, axis=1)[:, -1], 1.0, atol=1e-6)  # one source each
    assert (cap61.demand @ x <= cap61.capacity + 1e-6).all()
    assert result.objective >= OPTIMA["cap61"].optimal_value - CAP_TOL


def test_pmed_reduction_keeps_the_optimum() -> None:
    instance = read_pmed(OPTIMA["pmed4"].file)  # p = 20: each client drops its 19 farthest
    full = p_median(instance.cost, instance.p, reduce=False)
    reduced = p_median(instance.cost, instance.p)
    assert len(full.x) == 100 * 100 and len(reduced.x) == 100 * 81
    values = [solve(model, mip_rel_gap=EXACT).objective for model in (full, reduced)]
    assert values[0] == pytest.approx(values[1], abs=1e-6)
    assert values[1] == pytest.approx(OPTIMA["pmed4"].optimal_value, abs=1e-6)


# ---------------------------------------------------------------------------------------------
# Hand-made instances, brute force over every site subset as the oracle
# ---------------------------------------------------------------------------------------------


def small_instance(seed: int, n_clients: int = 9, n_sites: int = 6) -> np.ndarray:
    """Integer distances between random points, so ties (the tricky case) do occur."""
    rng = np.random.default_rng(seed)
    clients = rng.integers(0, 10, size=(n_clients, 2))
    sites = rng.integers(0, 10, size=(n_sites, 2))
    return np.abs(clients[:, None, :] - sites[None, :, :]).sum(axis=2).astype(float)


def subsets(n_sites: int, size: int | None = None) -> list[tuple[int, ...]]:
    sizes = range(1, n_sites + 1) if size is None else [size]
    return [s for k in sizes for s in itertools.combinations(range(n_sites), k)]


def nearest_cost(cost: np.ndarray, opened: tuple[int, ...]) -> np.ndarray:
    return cost[:, list(opened)].min(axis=1)


SEEDS = [1, 2, 3]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 4])
def test_nearest_sites_always_contain_nearest_open_site(seed: int, p: int) -> None:
    cost = small_instance(seed)
    kept = nearest_sites(cost, p)
    assert all(len(sites) == cost.shape[1] - p + 1 for sites in kept)
    for opened in subsets(cost.shape[1], p):
        best = nearest_cost(cost, opened)
        for i, sites in enumerate(kept):
            assert min(cost[i, j] for j in sites if j in opened) == best[i]


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_p_median_matches_brute_force(seed: int, p: int) -> None:
    cost = small_instance(seed)
    weights = np.arange(1, cost.shape[0] + 1, dtype=float)
    oracle = min(weights @ nearest_cost(cost, s) for s in subsets(cost.shape[1], p))
    model = p_median(cost, p, weights=weights)
    result = solve(model, mip_rel_gap=EXACT)
    assert result.proven_optimal
    opened = open_facilities(model)
    assert len(opened) == p
    assert result.objective == pytest.approx(oracle, abs=1e-6)
    assert weights @ nearest_cost(cost, opened) == pytest.approx(oracle, abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("p", [1, 2, 3])
@pytest.mark.parametrize("reduce", [True, False])
def test_p_center_matches_brute_force(seed: int, p: int, reduce: bool) -> None:
    cost = small_instance(seed)
    oracle = min(nearest_cost(cost, s).max() for s in subsets(cost.shape[1], p))
    model = p_center(cost, p, reduce=reduce)
    result = solve(model, mip_rel_gap=EXACT)
    assert result.proven_optimal
    opened = open_facilities(model)
    assert len(opened) == p
    assert result.objective == pytest.approx(oracle, abs=1e-6)
    assert nearest_cost(cost, opened).max() == pytest.approx(oracle, abs=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("p", "radius"), [(1, 4.0), (2, 3.0), (2, 5.0), (3, 2.0)])
def test_mclp_matches_brute_force(seed: int, p: int, radius: float) -> None:
    cost = small_instance(seed)
    weights = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5], dtype=float)

    def covered_weight(opened: tuple[int, ...]) -> float:
        return float(weights @ (nearest_cost(cost, opened) <= radius))

    oracle = max(covered_weight(s) for s in subsets(cost.shape[1], p))
    model = mclp(cost, p, radius, weights=weights)
    result = solve(model, mip_rel_gap=EXACT)
    assert result.proven_optimal
    opened = open_facilities(model)
    assert len(opened) == p
    assert result.objective == pytest.approx(oracle, abs=1e-6)
    assert covered_weight(opened) == pytest.approx(oracle, abs=1e-6)
    # Every client the model calls covered really has an open site within the radius.
    reach = nearest_cost(cost, opened)
    assert all(reach[i] <= radius for i in covered_clients(model))


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("radius", [3.0, 4.0, 6.0])
def test_lscp_matches_brute_force(seed: int, radius: float) -> None:
    cost = small_instance(seed)
    feasible = [s for s in subsets(cost.shape[1]) if (nearest_cost(cost, s) <= radius).all()]
    if not feasible:
        with pytest.raises(ValueError, match="no site lies within the service radius"):
            lscp(cost, radius)
        return
    oracle = min(len(s) for s in feasible)
    model = lscp(cost, radius)
    result = solve(model, mip_rel_gap=EXACT)
    assert result.proven_optimal
    opened = open_facilities(model)
    assert result.objective == pytest.approx(oracle) and len(opened) == oracle
    assert (nearest_cost(cost, opened) <= radius).all()


def test_lscp_cases_include_feasible_and_infeasible() -> None:
    """Guard the parametrisation above: both of its branches must really be exercised."""
    outcomes = set()
    for seed, radius in itertools.product(SEEDS, [3.0, 4.0, 6.0]):
        cost = small_instance(seed)
        outcomes.add(any((nearest_cost(cost, s) <= radius).all() for s in subsets(6)))
    assert outcomes == {True, False}


@pytest.mark.parametrize("seed", SEEDS)
def test_uflp_matches_brute_force(seed: int) -> None:
    cost = small_instance(seed)
    fixed = np.array([6, 9, 4, 12, 7, 5], dtype=float)
    oracle = min(fixed[list(s)].sum() + nearest_cost(cost, s).sum() for s in subsets(6))
    model = uflp(cost, fixed)
    result = solve(model, mip_rel_gap=EXACT)
    assert result.proven_optimal
    opened = open_facilities(model)
    assert result.objective == pytest.approx(oracle, abs=1e-6)
    assert fixed[list(opened)].sum() + nearest_cost(cost, opened).sum() == pytest.approx(oracle)


def test_cflp_single_source_matches_brute_force_and_split_is_cheaper() -> None:
    """Every assignment of 6 clients to 3 sites (729) is the oracle for single sourcing."""
    cost = small_instance(4, n_clients=6, n_sites=3) * 10
    fixed = np.array([30.0, 20.0, 25.0])
    demand = np.array([4.0, 3.0, 5.0, 2.0, 6.0, 3.0])
    capacity = np.array([8.0, 8.0, 8.0])  # 24 for a demand of 23: a tight packing
    best = np.inf
    for choice in itertools.product(range(3), repeat=6):
        sites = np.array(choice)
        if (np.bincount(sites, weights=demand, minlength=3) > capacity).any():
            continue
        value = fixed[np.unique(sites)].sum() + cost[np.arange(6), sites].sum()
        best = min(best, value)
    assert np.isfinite(best)

    single = cflp(cost, fixed, demand, capacity, single_source=True)
    result = solve(single, mip_rel_gap=EXACT)
    assert result.proven_optimal
    assert result.objective == pytest.approx(best, abs=1e-6)

    split = cflp(cost, fixed, demand, capacity)
    split_result = solve(split, mip_rel_gap=EXACT)
    assert split_result.proven_optimal
    x = assignment_matrix(split)
    assert (demand @ x <= capacity + 1e-6).all()
    assert split_result.objective < best - 1e-6  # capacities bind: splitting a client pays


def test_model_inputs_are_checked() -> None:
    cost = small_instance(1)
    with pytest.raises(ValueError, match="p must be between 1 and the number of sites"):
        p_median(cost, 7)
    with pytest.raises(ValueError, match="weights must have shape"):
        p_median(cost, 2, weights=np.ones(3))
    with pytest.raises(ValueError, match="cost must be finite"):
        uflp(np.array([[1.0, np.inf]]), np.ones(2))


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

runner = CliRunner()


def test_cli_solves_a_file() -> None:
    outcome = runner.invoke(classic_app, ["solve", str(OPTIMA["pmed1"].file)])
    assert outcome.exit_code == 0, outcome.output
    assert "family      pmed" in outcome.output
    assert "objective   5819" in outcome.output
    assert "proven optimal" in outcome.output
    assert "open        5 " in outcome.output


def test_cli_cap_with_time_limit() -> None:
    outcome = runner.invoke(classic_app, ["solve", str(OPTIMA["cap41"].file), "--time-limit", "60"])
    assert outcome.exit_code == 0, outcome.output
    assert "objective   1040444.375" in outcome.output


def test_cli_missing_file_is_one_clear_line(tmp_path: Path) -> None:
    outcome = runner.invoke(classic_app, ["solve", str(tmp_path / "nope.txt")])
    assert outcome.exit_code == 2
    assert "nope.txt: no such file" in outcome.output
    assert "Traceback" not in outcome.output


def test_cli_malformed_file_is_one_clear_line(tmp_path: Path) -> None:
    path = write(tmp_path, "cap41.txt", cap_without_one_pair())
    outcome = runner.invoke(classic_app, ["solve", str(path)])
    assert outcome.exit_code == 2
    assert "error: cap41.txt: expected 16 capacity/fixed-cost pairs, found 15" in outcome.output
    assert "Traceback" not in outcome.output
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
