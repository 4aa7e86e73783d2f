"""Write a run folder atomically: everything needed to re-check a plan without jzplan.

The folder is assembled under a temporary name beside the target and renamed only when complete,
so a crash never leaves a half-written run that looks finished. An existing run is replaced only
with ``force=True``. Every file and column follows the run-folder contract in
reports/runfolder.py (docs/run-folder.md is generated from it).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from optimizer.advances import plan_advances
from optimizer.data import InputData
from optimizer.errors import JzplanError
from optimizer.scenario import scenario_to_dict
from optimizer.units import unit_of
from optimizer.wording import dutch_texts

if TYPE_CHECKING:
    from optimizer.results import Solution


class RunFolderExists(JzplanError, FileExistsError):
    """The output folder exists and --force was not given."""


def check_target(out_dir: Path, force: bool) -> None:
    """Refuse to write over anything a user may need.

    Without ``force`` an existing folder is never touched. With it, a folder is replaced only
    when every file in it is one jzplan wrote: listed in its manifest, or a rendered page of the
    contract (map, report, workbook, screenshots). A note a user added to a run is named and kept.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise RunFolderExists(f"{out_dir} is a file, not a folder; choose another --out")
    if out_dir.exists() and not force:
        raise RunFolderExists(
            f"{out_dir} already exists; choose another --out or add --force to replace it"
        )
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    if not (out_dir / "summary.json").exists():
        raise RunFolderExists(
            f"{out_dir} exists and is not a jzplan run folder; refusing to replace it"
        )
    foreign = files_not_written_by_jzplan(out_dir)
    if foreign:
        shown = ", ".join(foreign[:10]) + (
            f" and {len(foreign) - 10} more" if len(foreign) > 10 else ""
        )
        raise RunFolderExists(
            f"{out_dir} holds files jzplan did not write ({shown}); move them out or choose "
            "another --out: --force replaces only what jzplan wrote"
        )


def files_not_written_by_jzplan(folder: Path) -> list[str]:
    """Files in a run folder neither in its manifest nor a rendered page of the contract."""
    try:
        listed = set(json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        listed = set()
    contract = _contract()
    foreign = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if name in listed or name == "manifest.json":
            continue
        item = contract.entry(name)
        if item is None or not getattr(item, "rendered", False):
            foreign.append(name)
    return foreign


def parameters_table(scenario_dict: dict) -> pd.DataFrame:
    """Every number in the scenario with its unit and the provenance of the mapping holding it."""
    rows = []

    def walk(node, path, provenance):
        if isinstance(node, dict):
            here = provenance
            if "source" in node or "assumption" in node:
                here = (node.get("source", ""), node.get("assumption", ""))
            for key, value in node.items():
                if key not in ("source", "assumption"):
                    walk(value, path + [str(key)], here)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, path + [str(i)], provenance)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            rows.append((".".join(path), node, provenance[0], provenance[1]))

    walk(scenario_dict, [], ("", ""))
    table = pd.DataFrame(rows, columns=["path", "value", "source", "assumption"])
    table.insert(2, "unit", [unit_of(path) for path in table["path"]])
    return table


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _contract():
    """The run-folder contract (reports/runfolder.py), imported when a run is written: importing
    the ``reports`` package loads the renderers, which ``jzplan validate`` does not need."""
    from reports import runfolder as contract

    return contract


def _write_table(folder: Path, path: str, frame: pd.DataFrame, keep_only: bool = False) -> None:
    """Write ``frame`` as the contract's table ``path``, its columns in the contract's order.

    A frame whose columns differ from the contract's is refused (a programming error, not a
    user's): the contract and the code that made the frame disagree. ``keep_only`` writes the
    contract's columns of a frame that carries more by design (zone geometry, a user zone
    file's own columns); missing columns are still refused.
    """
    table = _contract().TABLES[path]
    expected, found = table.names, [str(column) for column in frame.columns]
    if table.per_path and "path" in found:  # a staged run: every path's rows
        expected = ["path", *expected]
    missing = [column for column in expected if column not in found]
    unexpected = [] if keep_only else [column for column in found if column not in expected]
    if missing or unexpected or len(set(found)) != len(found):
        raise RuntimeError(
            f"internal error: {path} would have columns {found}, but the run-folder contract "
            f"(reports/runfolder.py) lists {expected}: missing {missing}, unexpected {unexpected}"
        )
    out = frame[expected]
    if not path.startswith("inputs/"):  # inputs keep the raw values; outputs are opened in Excel
        text = [c for c in out.columns if not pd.api.types.is_numeric_dtype(out[c])]
        out = out.assign(**{c: out[c].map(spreadsheet_safe) for c in text})
    out.to_csv(folder / path, index=False)


#: A text cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice
    against CSV injection); numbers and other text are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _write_inputs(folder: Path, data: InputData) -> None:
    inputs = folder / "inputs"
    inputs.mkdir()
    resolved = scenario_to_dict(data.scenario)
    (inputs / "scenario.yaml").write_text(
        yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    zones = data.zones
    _write_table(folder, "inputs/zones.csv", zones.drop(columns="geometry"), keep_only=True)
    if zones.geometry.geom_type.isin(["Polygon", "MultiPolygon"]).all():
        zones[["gm_code", "name", "region", "geometry"]].to_file(
            inputs / "zones.geojson", driver="GeoJSON"
        )
    _write_table(folder, "inputs/sites.csv", data.sites)
    _write_table(folder, "inputs/demand.csv", data.demand)
    _write_table(folder, "inputs/distances.csv", data.distances)
    _write_table(folder, "inputs/place_types.csv", data.place_types)
    _write_table(folder, "inputs/places.csv", data.places, keep_only=True)
    _write_table(folder, "inputs/compatibility.csv", data.compatible())
    _write_table(folder, "inputs/parameters.csv", parameters_table(resolved))
    for rel, path in data.files.items():
        target = inputs / "user" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def _check_files(folder: Path) -> None:
    """Every file written is in the contract, and every file it requires is there."""
    contract = _contract()
    unlisted = contract.unlisted(folder)
    absent = [name for name in contract.missing(folder) if name != contract.MANIFEST.path]
    if unlisted or absent:
        raise RuntimeError(
            "internal error: the run folder disagrees with the run-folder contract "
            f"(reports/runfolder.py): files it does not list {unlisted}, files it requires but "
            f"missing {absent}"
        )


def write_run(
    out_dir: Path,
    data: InputData,
    solution: Solution,
    summary: dict,
    force: bool = False,
    before_publish: Callable[[Path], None] | None = None,
    paths: pd.DataFrame | None = None,
    advances: pd.DataFrame | None = None,
) -> Path:
    """Write the whole folder under a temporary name, then move it into place.

    ``before_publish`` (maps, reports) runs on the complete temporary folder, so a failure there
    also leaves nothing behind that looks like a finished run. A staged run gives ``paths``
    (paths.csv) and a ``solution`` and ``data.demand`` whose tables carry a ``path`` column, and
    its ``advances`` per path.
    """
    out_dir = Path(out_dir)
    check_target(out_dir, force)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    with _terminate_as_exit():
        return _write_into(tmp, out_dir, data, solution, summary, before_publish, paths, advances)


@contextmanager
def _terminate_as_exit():
    """SIGTERM during a write becomes SystemExit, so the temporary folder is removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _write_into(
    tmp: Path, out_dir: Path, data, solution, summary, before_publish, paths, advances
) -> Path:
    try:
        _write_inputs(tmp, data)
        if paths is not None:
            _write_table(tmp, "paths.csv", paths)
        if advances is None:
            advances = plan_advances(data, solution.plan)
        _write_table(tmp, "plan.csv", solution.plan)
        _write_table(tmp, "assignments.csv", solution.assignments)
        _write_table(tmp, "unmet.csv", solution.unmet)
        _write_table(tmp, "costs.csv", solution.costs)
        _write_table(tmp, "service.csv", solution.service)
        _write_table(tmp, "reserve.csv", solution.reserve)
        _write_table(tmp, "advances.csv", advances)
        _write_table(tmp, "vacancy.csv", solution.vacancy)
        _write_table(tmp, "pots.csv", solution.pots)
        _write_table(tmp, "provider.csv", solution.provider)
        for path, frame in (
            ("schools.csv", getattr(solution, "schools", None)),
            ("school_pupils.csv", getattr(solution, "school_pupils", None)),
        ):
            if frame is not None:  # models.education: pupils per school and per site
                _write_table(tmp, path, frame)
        summary = {**summary, **dutch_texts(summary, solution.unmet), "public": False}
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
        _check_files(tmp)
        hashes = {
            path.relative_to(tmp).as_posix(): _sha256(path)
            for path in sorted(tmp.rglob("*"))
            if path.is_file()
        }
        manifest = {
            "jzplan": _version("jzplan"),
            "pyomo": _version("pyomo"),
            "highs": summary.get("solver", {}).get("highs_version", _version("highspy")),
            "highspy": _version("highspy"),
            "python": platform.python_version(),
            "files": hashes,
            "timings": {k: summary[k] for k in ("build_seconds", "solve_seconds") if k in summary},
            "public": False,  # reports.public.publish makes it true
        }
        if list(manifest) != _contract().MANIFEST.top_keys:
            raise RuntimeError(
                f"internal error: manifest.json keys {list(manifest)} differ from the run-folder "
                f"contract's {_contract().MANIFEST.top_keys}"
            )
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        if before_publish is not None:
            before_publish(tmp)
        os.chmod(tmp, 0o755)
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            out_dir.rename(old)
            tmp.rename(out_dir)
            shutil.rmtree(old)
        else:
            tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir
