"""How long ``jzplan`` takes to start: whole-process wall time of the quick commands.

Run from the project folder with the project's environment active::

    python benchmarks/bench_startup.py              # 5 repeats, a table
    python benchmarks/bench_startup.py -n 10 --json # 10 repeats, one JSON object

What it measures: for each command, the wall-clock seconds from starting the process to its exit
(interpreter start-up, imports, the command's own work, shutdown), as a user waits for it:

- ``floor``: ``python -c "import optimizer.cli"``, the interpreter plus the CLI package and
  nothing run; no command can start faster than this.
- ``help``: ``jzplan --help``.
- ``validate``: ``jzplan validate configs/baseline-2026.yaml`` (reads the scenario and every file
  it names, builds the travel matrix; solves nothing).

The repeats are interleaved (floor, help, validate, floor, help, ...) after one untimed warm-up
round, so a machine that gets busier or quieter during the run affects all commands alike. The
table shows median, min and max seconds. A separate, untimed run of each command in-process
lists the heavy modules it imports (the solver stack pyomo/highspy, the map and report stack
folium/matplotlib/openpyxl, and for information pandas, geopandas, scipy, shapely, networkx):
``--help`` and ``validate`` should import none of the first five (tests/test_cli.py checks it).
The times depend on the machine and its load; compare runs on one machine only.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "configs/baseline-2026.yaml"
HEAVY = (
    "pyomo",
    "highspy",
    "folium",
    "matplotlib",
    "openpyxl",
    "pandas",
    "geopandas",
    "scipy",
    "shapely",
    "networkx",
)

# Runs one command in-process and prints the heavy modules it left in sys.modules.
PROBE = """
import contextlib, io, json, sys
heavy, args = json.loads(sys.argv[1]), sys.argv[2:]
from optimizer.cli import app
if args:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        app(args, standalone_mode=False)
print(json.dumps([m for m in heavy if m in sys.modules]))
"""


def jzplan_executable() -> str:
    beside = Path(sys.executable).with_name("jzplan")
    if beside.exists():
        return str(beside)
    raise SystemExit(f"no jzplan next to {sys.executable}; install the project (pip install -e .)")


def commands() -> dict[str, tuple[list[str], list[str]]]:
    """name -> (argv to time, jzplan arguments for the in-process import probe)."""
    jzplan = jzplan_executable()
    return {
        "floor": ([sys.executable, "-c", "import optimizer.cli"], []),
        "help": ([jzplan, "--help"], ["--help"]),
        "validate": ([jzplan, "validate", CONFIG], ["validate", CONFIG]),
    }


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "JZPLAN_DEBUG"}
    env["COLUMNS"] = "80"
    return env


def wall_time(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        raise SystemExit(f"{' '.join(argv)} exited with {done.returncode}: {message}")
    return seconds


def heavy_imports(jzplan_args: list[str], env: dict[str, str]) -> list[str]:
    argv = [sys.executable, "-c", PROBE, json.dumps(HEAVY), *jzplan_args]
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"import probe for {jzplan_args} failed: {done.stderr.strip()}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(repeats: int, warmup: int = 1) -> list[dict]:
    env = environment()
    cmds = commands()
    for _ in range(warmup):
        for argv, _probe in cmds.values():
            wall_time(argv, env)
    runs: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(repeats):
        for name, (argv, _probe) in cmds.items():
            runs[name].append(wall_time(argv, env))
    return [
        {
            "name": name,
            "command": shlex.join([Path(argv[0]).name, *argv[1:]]),
            "median_s": statistics.median(runs[name]),
            "min_s": min(runs[name]),
            "max_s": max(runs[name]),
            "runs_s": runs[name],
            "imports": heavy_imports(probe, env),
        }
        for name, (argv, probe) in cmds.items()
    ]


def print_table(rows: list[dict], repeats: int) -> None:
    print(f"jzplan start-up, whole-process wall time, {repeats} interleaved repeats (seconds)")
    width = max(len(row["command"]) for row in rows)
    print(f"{'':9} {'command':<{width}} {'median':>7} {'min':>7} {'max':>7}  heavy imports")
    for row in rows:
        imports = ", ".join(row["imports"]) or "-"
        print(
            f"{row['name']:<9} {row['command']:<{width}} {row['median_s']:7.3f} "
            f"{row['min_s']:7.3f} {row['max_s']:7.3f}  {imports}"
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--repeats", type=int, default=5, help="timed runs per command")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.repeats < 1 or args.warmup < 0:
        parser.error("--repeats must be >= 1 and --warmup >= 0")
    rows = measure(args.repeats, args.warmup)
    if args.json:
        print(json.dumps({"repeats": args.repeats, "python": sys.version.split()[0], "rows": rows}))
    else:
        print_table(rows, args.repeats)


if __name__ == "__main__":
    main()
