"""The staged plan over 3, 9 and 27 demand paths: the extensive form against mpi-sppy.

Usage: python benchmarks/bench_stochastic.py [--case tiny|baseline] [--paths 3 9 27]
                                             [--time-limit S] [--max-iterations N]
                                             [--rho-multiplier M]

For each number of paths, side by side in one run:
- EF: the extensive form of models.stochastic (the model optimizer.stochastic.solve_staged
  solves, without its WS and EEV runs), one HiGHS run: seconds (build and solve), objective, gap;
- mpi-sppy, 1 rank: mpi-sppy's ExtensiveForm of the same scenarios (optimizer.stochastic_mpisppy
  with ranks=1): seconds, objective, bound, gap;
- mpi-sppy, 2 ranks: progressive hedging hub and Lagrangian spoke under ``mpiexec -n 2``:
  seconds (MPI start-up included), objective (the best plan found, an inner bound), bound (the
  Lagrangian or wait-and-see outer bound), gap, PH iterations.
Gaps are HiGHS's |objective − bound| / max(1, |objective|); "Δ EF" is the 2-rank objective
against the EF's, relative.

The demand paths (a two-stage tree: the first year's decisions are shared, demand splits after
it; equal probabilities):
- ``tiny`` (default): a synthetic case on tests/fixtures/tiny: 6 zones in 2 regions, a site with
  three existing closed groups (all types allowed) and a candidate site for hybrid and open care,
  groups of 3, years 2026–2028, no newly staffed group after 2026 (recruitment ceiling 0;
  conversions of closed groups are free of it), so 2026 must hedge against the high paths. 2026
  needs 9 beds on every path; path ω needs between 5 and 13 beds in 2028 (evenly spaced over the
  paths), on a straight line from 2026. Each path alone solves in about a second.
- ``baseline``: configs/baseline-2026.yaml with the regions' totals per path: 2026 as the config
  (21.6 beds, the first stage), 2030 between 12 and 24 beds (evenly spaced over the paths), the
  years between on a straight line. One path alone takes HiGHS 10-90 s on two cores, so use a
  time limit and expect gaps.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so `python benchmarks/bench_stochastic.py` finds tests/

from models import stochastic  # noqa: E402
from optimizer.data import build_input_data  # noqa: E402
from optimizer.parameters import prepare  # noqa: E402
from optimizer.pipeline import load  # noqa: E402
from optimizer.scenario import resolve_yaml  # noqa: E402
from optimizer.schema import Scenario  # noqa: E402
from optimizer.solve import highs_version, solve  # noqa: E402
from optimizer.stochastic_mpisppy import MpiSppyFailed, mpi_available, solve_mpisppy  # noqa: E402
from tests.fixtures import tiny  # noqa: E402

A = {"assumption": "benchmark value"}


def spaced(low: float, high: float, n: int) -> list[float]:
    """n values evenly spaced from low to high (the middle one for n = 1)."""
    if n == 1:
        return [(low + high) / 2]
    return [low + (high - low) * i / (n - 1) for i in range(n)]


# --- the tiny case -----------------------------------------------------------------------------

TINY_YEARS = (2026, 2027, 2028)
TINY_ZONES = {"Z1": ("R1", 0.25, 0), "Z2": ("R1", 0.15, 15), "Z3": ("R1", 0.10, 30),
              "Z4": ("R2", 0.20, 60), "Z5": ("R2", 0.20, 75), "Z6": ("R2", 0.10, 90)}  # fmt: skip
TINY_SITES = {"a": 0, "c": 60}  # position on the line the zones lie on (km)
TINY_NEEDS = {"secure": 0.5, "hybrid": 0.3, "open": 0.2}


def tiny_path(folder: Path, last_beds: float, first_beds: float = 9.0):
    """The tiny case with ``first_beds`` in 2026 and ``last_beds`` in 2028."""
    sc = tiny.base_scenario(years=TINY_YEARS)
    sc["sites"] = {
        "a": tiny.site("A", "Z1", ["closed", "hybrid", "open"], max_groups=4,
                       existing={"closed": 3}),
        "c": tiny.site("C", "Z4", ["hybrid", "open"], max_groups=3),
    }  # fmt: skip
    for spec in sc["place_types"].values():
        spec["group_size"] = 3
        spec["fte_per_group"] = 1
    # no newly staffed group after 2026 (conversions only): the first year must hedge
    sc["policy"] = {"max_recruit_fte_per_year": {"values": {2027: 0, 2028: 0}, **A}}
    costs = sc["costs"]
    costs["running_eur_per_place_year"]["values"] = {"closed": 100, "hybrid": 80, "open": 60}
    costs["setup_new_eur_per_group"]["values"] = {"closed": 300, "hybrid": 200, "open": 150}
    costs["setup_conversion_eur_per_group"]["values"] = {"closed": 0, "hybrid": 80, "open": 60}
    costs["friction_eur_per_group_year"]["values"] = {"closed": 60, "hybrid": 40, "open": 30}
    costs["site_eur_per_year"]["value"] = 50
    costs["travel_eur_per_bed_km_year"]["value"] = 0.5
    sc["unmet"] = {n: {"eur_per_bed_year": 2000, **A} for n in TINY_NEEDS}
    demand = []
    for i, t in enumerate(TINY_YEARS):
        total = first_beds + (last_beds - first_beds) * i / (len(TINY_YEARS) - 1)
        for z, (_, share, _) in TINY_ZONES.items():
            for need, need_share in TINY_NEEDS.items():
                demand.append((t, z, need, round(total * share * need_share, 4)))
    km = {
        (z, s): abs(x - at) + 5.0 for z, (_, _, x) in TINY_ZONES.items()
        for s, at in TINY_SITES.items()
    }  # fmt: skip
    zones = [(z, region) for z, (region, _, _) in TINY_ZONES.items()]
    return load(tiny.write(folder, sc, zones, demand, km))


def tiny_paths(n: int, folder: Path) -> tuple[dict, list[int]]:
    lasts = spaced(5.0, 13.0, n)
    paths = {
        f"p{i:02d}": (1.0 / n, tiny_path(folder / f"p{i:02d}", last))
        for i, last in enumerate(lasts)
    }
    return paths, [TINY_YEARS[0]]


# --- the baseline case -------------------------------------------------------------------------


def baseline_paths(n: int, folder: Path) -> tuple[dict, list[int]]:
    """configs/baseline-2026.yaml with 2030 between 12 and 24 beds (the regions' totals)."""
    paths = {}
    for i, last in enumerate(spaced(12.0, 24.0, n)):
        data = resolve_yaml(ROOT / "configs/baseline-2026.yaml", [], {})
        data["name"] = f"baseline-path-{i:02d}"
        totals = data["demand"]["totals"]["values"]
        first, final = data["planning"]["first_year"], data["planning"]["last_year"]
        for t in range(first + 1, final + 1):
            totals[t] = totals[first] + (last - totals[first]) * (t - first) / (final - first)
        scenario = Scenario.model_validate(data)
        paths[f"p{i:02d}"] = (1.0 / n, build_input_data(scenario, ROOT / "configs"))
    return paths, [data["planning"]["first_year"]]


# --- measuring ---------------------------------------------------------------------------------


def extensive_form(paths, first_stage_years, time_limit: float):
    started = time.perf_counter()
    params = {w: (prob, prepare(data)) for w, (prob, data) in paths.items()}
    model = stochastic.build(params, stochastic.two_stage_nodes(params, first_stage_years))
    result = solve(model, time_limit=time_limit, mip_rel_gap=0.0)
    return time.perf_counter() - started, result


def fmt(value, spec: str, width: int) -> str:
    return f"{'—':>{width}}" if value is None else f"{value:>{width}{spec}}"


def pct(gap) -> str:
    return "      —" if gap is None else f"{100 * gap:6.2f}%"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--case", choices=("tiny", "baseline"), default="tiny")
    parser.add_argument("--paths", type=int, nargs="+", default=[3, 9, 27])
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--max-iterations", type=int, default=50)
    parser.add_argument("--rho-multiplier", type=float, default=1.0, help="PH's ρ / cost")
    args = parser.parse_args()
    make = tiny_paths if args.case == "tiny" else baseline_paths
    print(
        f"case {args.case}; HiGHS {highs_version()}; time limit {args.time_limit:g} s per "
        f"method; MPI {'found' if mpi_available() else 'NOT found (2 ranks fall back to EF)'}"
    )
    print(
        f"{'':>5} | {'EF (models.stochastic)':^34} | {'mpi-sppy, 1 rank (EF)':^43} | "
        f"{'mpi-sppy, 2 ranks (PH + Lagrangian)':^57}"
    )
    print(f"{'paths':>5} | {'s':>7} {'objective':>16} {'gap':>8} | {'s':>7} {'objective':>16} "
          f"{'bound':>16} {'gap':>8}| {'s':>7} {'objective':>16} {'bound':>16} {'gap':>8} "
          f"{'iter':>4} {'Δ EF':>7}")  # fmt: skip
    for n in args.paths:
        with tempfile.TemporaryDirectory(prefix="bench-stochastic-") as folder:
            paths, first_stage_years = make(n, Path(folder))
            ef_s, ef = extensive_form(paths, first_stage_years, args.time_limit)
            one = solve_mpisppy(paths, first_stage_years, ranks=1, time_limit=args.time_limit)
            try:
                two = solve_mpisppy(
                    paths,
                    first_stage_years,
                    ranks=2,
                    time_limit=args.time_limit,
                    max_iterations=args.max_iterations,
                    rho_multiplier=args.rho_multiplier,
                )
            except MpiSppyFailed as exc:
                print(f"{n:>5} | 2 ranks failed: {str(exc).splitlines()[0]}")
                continue
        delta = None
        if ef.objective is not None:
            delta = (two.objective_eur - ef.objective) / max(1.0, abs(ef.objective))
        print(
            f"{n:>5} | {ef_s:7.2f} {fmt(ef.objective, ',.1f', 16)} {pct(ef.mip_gap)} | "
            f"{one.seconds:7.2f} {one.objective_eur:16,.1f} {fmt(one.bound_eur, ',.1f', 16)} "
            f"{pct(one.gap)}| {two.seconds:7.2f} {two.objective_eur:16,.1f} "
            f"{fmt(two.bound_eur, ',.1f', 16)} {pct(two.gap)} {fmt(two.iterations, 'd', 4)} "
            f"{pct(delta)}"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
