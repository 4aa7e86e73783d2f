"""Time the exact p-median on generated graphs at the sizes of OR-Library's pmed21-40.

OR-Library's larger p-median files (n = 500 to 900) are held out for evaluation; this generates
files of the same shape (:mod:`optimizer.classic.generate`, seeded) and reports, per instance, the
time of each stage of :func:`optimizer.classic.pmedian.solve_p_median`, how many sites the
Lagrangian bound
left for the MILP, and whether optimality was proven within the time limit. Run from the
project root::

    python benchmarks/bench_pmedian_scale.py                     # the default grid
    python benchmarks/bench_pmedian_scale.py --sizes 900:5 900:90 --time-limit 300

The objective of an unproven run is still a real solution (re-priced here with numpy); its gap
says how far the proven bound is. Seconds are comparable only within one run on a shared
machine; the stage shares (search, bound, build, MILP) are the robust reading.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from optimizer.classic.generate import write_random_pmed  # noqa: E402
from optimizer.classic.local_search import assignment_cost  # noqa: E402
from optimizer.classic.orlib import read_pmed  # noqa: E402
from optimizer.classic.pmedian import solve_p_median  # noqa: E402
from optimizer.solve import highs_version  # noqa: E402

DEFAULT_SIZES = ["500:5", "500:50", "700:10", "700:140", "900:5", "900:90", "900:200"]
COLUMNS = ("n", "p", "seed", "search", "bound", "build", "milp", "sites", "objective", "gap")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", default=DEFAULT_SIZES, help="n:p pairs")
    parser.add_argument("--seed", type=int, default=1, help="first seed (one per size)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per instance")
    args = parser.parse_args(argv)
    print(
        f"HiGHS {highs_version()} | Python {platform.python_version()} | {platform.machine()} "
        f"{os.cpu_count()} cpu | time limit {args.time_limit:g} s per instance"
    )
    print("seconds per stage; sites = candidates left for the MILP (of n); gap 0 = proven")
    widths = (4, 4, 4, 7, 7, 7, 8, 5, 10, 8)
    header = "  ".join(f"{c:>{w}}" for c, w in zip(COLUMNS, widths, strict=True))
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for k, size in enumerate(args.sizes):
            n, p = (int(part) for part in size.split(":"))
            seed = args.seed + k
            instance = read_pmed(write_random_pmed(Path(folder) / "g.txt", n, p, seed))
            found = solve_p_median(instance.cost, p, time_limit=args.time_limit)
            assert assignment_cost(instance.cost, found.open_sites) == found.objective
            cells = (
                n,
                p,
                seed,
                f"{found.search_seconds:.2f}",
                f"{found.bound_seconds:.2f}",
                f"{found.build_seconds:.2f}",
                f"{found.milp_seconds:.2f}",
                found.candidates,
                f"{found.objective:.0f}",
                f"{found.result.mip_gap:.4f}",
            )
            print("  ".join(f"{c!s:>{w}}" for c, w in zip(cells, widths, strict=True)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
