"""The fast formulation against the reference: the same optimum, and no valid plan cut off.

Random tiny instances mix what the valid inequalities reason about: existing groups that must
be wound down or converted, friction with a fractional free allowance, critical mass and site
size, service-level pools (one of two sites), overflow with caps, and needs that may or may
not go unmet. The reference model is the oracle.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyomo.environ as pyo
import pytest

from models import strategic, strategic_fast
from optimizer import heuristic
from optimizer.data import build_input_data
from optimizer.parameters import prepare
from optimizer.pipeline import load, solve_plan
from optimizer.scenario import load_scenario
from optimizer.solve import solve
from tests.fixtures import tiny

ROOT = Path(__file__).resolve().parents[1]
TYPES = ("closed", "hybrid", "open")
NEEDS = ("secure", "hybrid", "open")
SEEDS = range(8)


def random_instance(seed: int, folder: Path):
    """Prepared parameters of a random tiny scenario (2–3 zones, 3 sites, 2–3 years) whose
    admission duty every need can reach (else the pipeline refuses it before any model)."""
    for attempt in range(20):
        p = _draw(np.random.default_rng([seed, attempt]), folder / str(attempt))
        if all(any(a[:2] == (z, n) for a in p.arc_km) for z, n, _ in p.demand
               if n not in p.unmet_penalty):  # fmt: skip
            return p
    raise AssertionError(f"seed {seed}: no instance with a reachable duty")


def _draw(rng, folder: Path):
    years = (2026, 2027, 2028)[: int(rng.integers(2, 4))]
    sc = tiny.base_scenario(years=years)
    zones = [("Z1", "R1"), ("Z2", "R2"), ("Z3", "R1")][: int(rng.integers(2, 4))]
    for k in TYPES:
        t = sc["place_types"][k]
        t["group_size"] = int(rng.integers(1, 3))
        t["occupancy_target"] = float(rng.choice([0.8, 1.0]))
        t["min_groups_if_open"] = int(rng.integers(1, 3))
        t["max_km"] = 30
    costs = sc["costs"]
    for name, low, high in (("running_eur_per_place_year", 5, 20),
                            ("setup_new_eur_per_group", 0, 40),
                            ("setup_conversion_eur_per_group", 0, 20),
                            ("friction_eur_per_group_year", 0, 30)):  # fmt: skip
        costs[name]["values"] = {k: float(rng.integers(low, high + 1)) for k in TYPES}
    costs["site_eur_per_year"]["value"] = float(rng.integers(0, 30))
    costs["free_group_removals_per_year"]["value"] = float(rng.choice([0, 0.5, 1]))
    costs["travel_eur_per_bed_km_year"]["value"] = 0.5
    costs["restrictiveness_eur_per_bed_year_per_level"]["value"] = float(rng.integers(0, 10))
    sites = {}
    for i in range(3):
        allowed = [k for k in TYPES if rng.random() < 0.7] or ["hybrid"]
        existing = {k: int(rng.integers(0, 3)) for k in allowed if rng.random() < 0.4}
        if i == 0 and rng.random() < 0.6:  # closed groups to convert or wind down
            allowed = sorted(set(allowed) | {"closed"}, key=TYPES.index)
            existing["closed"] = int(rng.integers(1, 3))
        most = int(rng.integers(2, 5))
        sites[f"s{i}"] = tiny.site(f"S{i}", zones[i % len(zones)][0], allowed, most, existing)
    sc["sites"] = sites
    if rng.random() < 0.5:
        sc["capacity_rule"] = "service_level"
        sc["service_level"] = {"max_refusal_probability": 0.1, **tiny.A}
        pooled = [k for k in TYPES if all(k in sites[s]["allowed_types"] for s in ("s0", "s1"))]
        if pooled and rng.random() < 0.5:
            sc["service_level"]["pools"] = {
                "p": {"sites": ["s0", "s1"], "types": [pooled[0]], **tiny.A}
            }
    duty = [n for n in NEEDS if rng.random() < 0.5]
    sc["unmet"] = {n: {"eur_per_bed_year": 500, **tiny.A} for n in NEEDS if n not in duty}
    if rng.random() < 0.5:
        sc["overflow"] = [{"need": "secure", "type": "hybrid", "eur_per_bed_year": 5,
                           "max_beds": 1, **tiny.A}]  # fmt: skip
    demand = [(t, z, n, float(rng.choice([0, 0.4, 1, 1.7, 2.5])))
              for t in years for z, _ in zones for n in NEEDS]  # fmt: skip
    km = {(z, s): float(rng.choice([5, 15, 25, 40])) for z, _ in zones for s in sites}
    path = tiny.write(folder, sc, zones, demand, km)
    scenario, base = load_scenario(path)
    return prepare(build_input_data(scenario, base, str(path)))


def reference_optimum(p):
    m = strategic.build(p)
    return m, solve(m, time_limit=30, mip_rel_gap=0.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_fast_formulation_and_heuristic_reach_the_reference_optimum(tmp_path, seed):
    p = random_instance(seed, tmp_path)
    _, ref = reference_optimum(p)
    plain, _ = heuristic.solve(strategic_fast.build(p), p, 30, 0.0, heuristic=False)
    kernel, stages = heuristic.solve(strategic_fast.build(p), p, 30, 0.0)
    staged_reference, _ = heuristic.solve(strategic.build(p), p, 30, 0.0)  # solver.method: kernel
    assert ref.status in ("optimal", "infeasible")
    for fast in (plain, kernel, staged_reference):
        assert fast.status == ref.status
        if ref.status == "optimal":
            assert fast.proven_optimal
            assert abs(fast.objective - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))
    if ref.status == "optimal":  # the LP of the fast model is a bound, never above the optimum
        assert stages.lp_bound <= ref.objective * (1 + 1e-9) + 1e-6


def _violations(m, tol=1e-6) -> list[str]:
    """Active rows of ``m`` its (fixed) values break by more than ``tol`` (relative)."""
    broken = []
    for c in m.component_data_objects(pyo.Constraint, active=True):
        body = pyo.value(c.body)
        scale = tol * max(1.0, abs(body))
        if (c.has_lb() and body < pyo.value(c.lower) - scale) or (
            c.has_ub() and body > pyo.value(c.upper) + scale
        ):
            broken.append(f"{c.name}: {body} not in [{c.lower}, {c.upper}]")
    return broken


@pytest.mark.parametrize("seed", SEEDS)
def test_valid_inequalities_keep_the_reference_optimum(tmp_path, seed):
    p = random_instance(seed, tmp_path)
    ref, result = reference_optimum(p)
    if not result.proven_optimal:
        pytest.skip("infeasible instance: no plan to keep")
    fast = strategic_fast.build(p)
    for v in fast.component_data_objects(pyo.Var):
        value = ref.component(v.parent_component().name)[v.index()].value
        v.fix(0 if value is None else value)
    assert _violations(fast) == []
    assert pyo.value(fast.cost) == pytest.approx(result.objective, rel=1e-9)


def test_the_heuristic_plan_is_a_plan_of_the_reference(tmp_path):
    """The fast model's plan, fixed into the reference model, breaks none of its rows."""
    p = random_instance(3, tmp_path)
    fast = strategic_fast.build(p)
    result, _ = heuristic.solve(fast, p, 30, 0.0)
    assert result.proven_optimal
    ref = strategic.build(p)
    for v in ref.component_data_objects(pyo.Var):
        v.fix(fast.component(v.parent_component().name)[v.index()].value or 0)
    assert _violations(ref) == []


def test_the_pipeline_solves_with_formulation_fast(tmp_path):
    """solver.formulation: fast through ``jzplan run``'s solve: the same plan cost, re-derived
    from the plan tables (optimizer.results reads the fast model)."""
    sc = tiny.base_scenario(years=(2026, 2027))
    sc["sites"] = {"a": tiny.site("A", "Z1", ["closed", "hybrid"], existing={"closed": 2}),
                   "b": tiny.site("B", "Z2", ["hybrid", "open"], max_groups=2)}  # fmt: skip
    for name, k, eur in (("running_eur_per_place_year", "closed", 10),
                         ("running_eur_per_place_year", "hybrid", 8),
                         ("running_eur_per_place_year", "open", 6),
                         ("setup_new_eur_per_group", "hybrid", 20),
                         ("friction_eur_per_group_year", "closed", 15)):  # fmt: skip
        sc["costs"][name]["values"][k] = eur
    demand = [(t, z, n, 1.0) for t in (2026, 2027) for z in ("Z1", "Z2") for n in NEEDS]
    km = {("Z1", "a"): 5, ("Z1", "b"): 20, ("Z2", "a"): 20, ("Z2", "b"): 5}
    plans = {}
    for formulation in ("reference", "fast"):
        sc["solver"]["formulation"] = formulation
        path = tiny.write(tmp_path / formulation, sc, [("Z1", "R1"), ("Z2", "R2")], demand, km)
        plans[formulation] = solve_plan(load(path))
    ref, fast = plans["reference"], plans["fast"]
    assert ref.result.proven_optimal and fast.result.proven_optimal
    assert fast.summary["objective_eur"] == pytest.approx(ref.summary["objective_eur"], rel=1e-6)
    assert fast.summary["objective_from_costs_eur"] == pytest.approx(
        fast.summary["objective_eur"], rel=1e-6
    )


@pytest.mark.slow
def test_a_shipped_config_solved_fast_gives_the_reference_objective():
    """occupancy-85pct (the shipped scenario the reference proves soonest, about a minute)."""
    scenario, base = load_scenario(ROOT / "configs/occupancy-85pct.yaml")
    p = prepare(build_input_data(scenario, base))
    solver = scenario.solver
    ref = solve(strategic.build(p), time_limit=solver.time_limit_s, mip_rel_gap=0.0)
    fast, _ = heuristic.solve(strategic_fast.build(p), p, solver.time_limit_s, 0.0)
    assert ref.proven_optimal and fast.proven_optimal
    assert fast.objective == pytest.approx(ref.objective, rel=1e-6)


def test_relax_and_fix_retries_a_slow_year_with_more_time(tmp_path, monkeypatch):
    """A year whose MILP finds no plan in its share (a loaded machine) is solved again with half
    the time left, so relax-and-fix still hands the kernel a plan (a plan of the whole model:
    the reference's optimum is never undercut)."""
    p = random_instance(3, tmp_path)
    _, ref = reference_optimum(p)
    m = strategic_fast.build(p)
    solver = heuristic._Solver(m)
    real, calls = solver.run, []

    class NoPlan:
        best_feasible_objective = None

    def run(time_limit, gap, start=False, options=None, new_rows=False):
        calls.append(time_limit)
        if len(calls) == 1:
            return NoPlan()  # the first year "ran out of time"
        return real(time_limit, gap, start, options, new_rows)

    monkeypatch.setattr(solver, "run", run)
    fixed_before = {v.name for v in m.component_data_objects(pyo.Var) if v.fixed}
    objective = heuristic.relax_and_fix(solver, p, 60, 0.0)
    years = len(p.years)
    assert calls[0] <= 60 / years + 1e-6 and calls[1] > 60 / years  # retried with more time
    assert objective is not None and objective >= ref.objective * (1 - 1e-9) - 1e-6
    assert {v.name for v in m.component_data_objects(pyo.Var) if v.fixed} == fixed_before


def test_an_option_of_one_stage_does_not_stay_for_the_next(tmp_path):
    """HiGHS keeps an option once set: the kernel MILP's heuristic effort and stage 3's cutoff
    must not carry into later solves of the same persistent instance."""
    from optimizer.heuristic import _highs_default

    def option(name):
        value = solver.highs._solver_model.getOptionValue(name)
        return value[1] if isinstance(value, tuple) else value

    p = random_instance(3, tmp_path)
    solver = heuristic._Solver(strategic_fast.build(p))
    solver.run(30, 0.0, options={"mip_heuristic_effort": 0.5, "objective_bound": 1e12})
    assert option("mip_heuristic_effort") == 0.5
    solver.run(30, 0.0)
    for name in ("mip_heuristic_effort", "objective_bound"):
        assert option(name) == _highs_default(name)
