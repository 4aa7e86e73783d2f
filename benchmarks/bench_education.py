"""The education block's cost in model size and time, side by side in one run.

Usage: python benchmarks/bench_education.py [CONFIG ...] [--time-limit S]

For each scenario (default: baseline-2026 and zero-closed-2030) it solves the strategic model
three ways: without the education block (each site's own school km, as before issue 14), with
the schools but no terms (capacity, minimum and costs stripped: only the choice of school), and
as configured. It prints variables, binaries, build and solve seconds, gap, objective and the
Olivijncollege's pupils per year.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from pathlib import Path

import pyomo.environ as pyo

from models import strategic
from models.education import School
from optimizer import pipeline
from optimizer.parameters import prepare
from optimizer.solve import solve

ROOT = Path(__file__).resolve().parents[1]
OLV = "02RH15"


def variants(params):
    ed = params.education
    bare = {e: School(s.school_id, s.name, s.kind) for e, s in ed.schools.items()}
    return {
        "no education block": dataclasses.replace(params, education=None),
        "schools, no terms": dataclasses.replace(
            params, education=dataclasses.replace(ed, schools=bare)
        ),
        "as configured": params,
    }


def measure(label: str, params, time_limit: float) -> None:
    started = time.perf_counter()
    m = strategic.build(params)
    build = time.perf_counter() - started
    variables = list(m.component_data_objects(pyo.Var, active=True))
    binaries = sum(1 for v in variables if v.is_binary())
    started = time.perf_counter()
    result = solve(m, time_limit=time_limit, mip_rel_gap=0.0)
    seconds = time.perf_counter() - started
    pupils = ""
    if hasattr(m, "pupils_of") and OLV in m.E:
        pupils = " ".join(
            f"{t}:{sum(pyo.value(m.q[i]) for i in m.pupils_of.get((OLV, t), [])):.1f}"
            for t in params.years
        )
    gap = "–" if result.mip_gap is None else f"{100 * result.mip_gap:.2f}%"
    print(
        f"  {label:<20} vars {len(variables):>6}  binaries {binaries:>5}  build {build:6.1f} s  "
        f"solve {seconds:6.1f} s  gap {gap:>6}  objective {result.objective:,.0f}  "
        f"{result.describe()}  Olivijncollege {pupils or '–'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("configs", nargs="*", type=Path)
    parser.add_argument("--time-limit", type=float, default=300.0)
    args = parser.parse_args()
    configs = args.configs or [
        ROOT / "configs" / "baseline-2026.yaml",
        ROOT / "configs" / "zero-closed-2030.yaml",
    ]
    for config in configs:
        params = prepare(pipeline.load(config))
        print(f"{config.name}: {len(params.education.schools)} schools, "
              f"{len(params.education.options)} options")  # fmt: skip
        for label, variant in variants(params).items():
            measure(label, variant, args.time_limit)


if __name__ == "__main__":
    main()
