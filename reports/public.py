"""A public run folder: every file in it suppressed the same way, and the folder says so.

``jzplan run --public`` renders the map, report, fact sheets and workbook with small counts
suppressed; :func:`publish` then makes the rest of the folder agree. Counts are the columns the
contract gives the unit ``beds`` (average occupied beds: youths in care), in every table,
whoever adds it. A count below the threshold becomes ``<5``; within each group of cells that
adds up to a published total (year, and region and need where the table has them) a lone
suppressed cell takes its smallest neighbour with it (``suppressed``). Figures that would give a
suppressed count away go with it: the refusal probability of a pool (with its places it gives
the load), a vacancy cost (with the places it gives the occupied beds), and a cost component
that is a price times a count (unmet demand, overflow, restrictiveness) in a year whose count is
suppressed. The summary's free-text explanations quote small figures and are left out; the
copies of the user's own files (inputs/user/) are removed, as their columns are not known.

``public.json`` lists what was done to each file, and manifest.json's hashes are those of the
public files, so the folder stays checkable. A public folder is never rendered again: its
suppressed figures are not the plan's.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import yaml

from reports.disclosure import PRIMARY, SHOWN, suppress
from reports.runfolder import (
    MANIFEST,
    PARAMETERS,
    SCENARIO,
    SUMMARY,
    TABLES,
    USER_FILES,
    Column,
    RunFolder,
    load_run,
)

PUBLIC = "public.json"
COUNT_UNIT = "beds"
HIDDEN = "suppressed"
#: per table, columns that give a count away, and the count they go with
GIVES_AWAY = {
    "service.csv": {"refusal_probability": "offered_load_beds"},
    "reserve.csv": {"refusal_with": "load_with_beds", "refusal_without": "load_without_beds"},
    "vacancy.csv": {"vacancy_eur": "occupied_beds"},
}
GROUP_KEYS = ("variant", "year", "need")


def is_public(run_dir: Path) -> bool:
    return (Path(run_dir) / PUBLIC).exists()


def mark(status: str, threshold: float) -> str:
    """How a suppressed cell reads: ``<5`` below the threshold, else ``suppressed``."""
    return f"<{threshold:g}" if status == PRIMARY else HIDDEN


def _groups(frame: pd.DataFrame, regions: dict) -> dict:
    keys = [k for k in GROUP_KEYS if k in frame]
    region = frame["gm_code"].map(regions).fillna("") if "gm_code" in frame else None
    out = {}
    for index in frame.index:
        group = tuple(frame.at[index, k] for k in keys)
        out[index] = group + ((region[index],) if region is not None else ())
    return out


def suppress_frame(
    frame: pd.DataFrame,
    columns: list[Column],
    threshold: float,
    regions: dict,
    gives_away: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, int]:
    """``frame`` with its counts (the ``columns`` in beds) suppressed, and with them the columns
    ``gives_away`` ties to them; and how many count cells were suppressed."""
    out = frame.astype(object).copy()
    groups = _groups(frame, regions)
    hidden = 0
    gives_away = gives_away or {}
    for column in columns:
        if column.unit != COUNT_UNIT or column.name not in frame:
            continue
        values = {i: float(v) for i, v in frame[column.name].items() if not pd.isna(v)}
        status = suppress(values, {i: groups[i] for i in values}, threshold)
        for index, state in status.items():
            if state == SHOWN:
                continue
            out.at[index, column.name] = mark(state, threshold)
            hidden += 1
            for other, count in gives_away.items():
                if count == column.name and other in out:
                    out.at[index, other] = HIDDEN
    return out, hidden


def count_costs(run: RunFolder) -> dict[str, pd.Series]:
    """Per cost component that is a price times a count: that count per year (beds)."""
    levels = run.compatibility.set_index(["need", "type"])["extra_levels"]
    pairs = list(zip(run.assignments["need"], run.assignments["type"], strict=True))
    extra = pd.Series([levels.get(pair) for pair in pairs], index=run.assignments.index)
    beds = run.assignments["beds"]
    years = run.assignments["year"]
    return {
        "unmet_penalty": run.unmet.groupby("year")["beds"].sum(),
        "overflow": beds[extra.isna()].groupby(years[extra.isna()]).sum(),
        "restrictiveness": beds[extra.fillna(0) > 0].groupby(years[extra.fillna(0) > 0]).sum(),
    }


def hidden_costs(run: RunFolder, threshold: float) -> set[tuple[int, str]]:
    """(year, component) cells of costs that a public page shows as suppressed: a component
    priced per bed whose count that year is below the threshold but not zero, and, when that
    leaves one hidden cell in a year, the smallest other component of the year too."""
    costs = run.costs.groupby(["year", "component"])["eur"].sum()
    hidden: set[tuple[int, str]] = set()
    counts = count_costs(run)
    for (year, component), eur in costs.items():
        count = counts.get(component)
        if count is None or eur == 0:
            continue
        beds = float(count.get(year, 0.0))
        if beds < threshold:
            hidden.add((int(year), component))
    for year in {y for y, _ in hidden}:
        mine = [c for y, c in hidden if y == year]
        if len(mine) == 1:
            others = costs[year].drop(mine)
            others = others[others != 0]
            if len(others):
                hidden.add((int(year), str(others.idxmin())))
    return hidden


def suppress_costs(frame: pd.DataFrame, hidden: set) -> pd.DataFrame:
    out = frame.astype(object).copy()
    for index, row in frame.iterrows():
        if (int(row["year"]), row["component"]) in hidden:
            out.at[index, "eur"] = out.at[index, "eur_discounted"] = HIDDEN
    return out


def public_parameters(frame: pd.DataFrame, threshold: float) -> tuple[pd.DataFrame, list[str]]:
    """Demand figures of the scenario in beds below the threshold; their paths."""
    out = frame.astype(object).copy()
    paths = []
    for index, row in frame.iterrows():
        value = pd.to_numeric(row["value"], errors="coerce")
        beds = "beds" in str(row["unit"]) and str(row["path"]).startswith("demand.")
        if beds and not pd.isna(value) and value < threshold:
            out.at[index, "value"] = mark(PRIMARY, threshold)
            paths.append(str(row["path"]))
    return out, paths


def _scenario(path: Path, paths: list[str], threshold: float) -> None:
    """The same demand figures in inputs/scenario.yaml."""
    if not paths or not path.exists():
        return
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dotted in paths:
        try:
            node, keys = data, dotted.split(".")
            for key in keys[:-1]:
                node = node[int(key)] if isinstance(node, list) else _item(node, key)
            last = keys[-1]
            if isinstance(node, list):
                node[int(last)] = mark(PRIMARY, threshold)
            else:
                node[last if last in node else _int(last)] = mark(PRIMARY, threshold)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            continue  # a path the resolved scenario does not hold as written
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _int(key: str) -> object:
    return int(key) if key.isdigit() else key


def _item(node: dict, key: str) -> object:
    return node[key] if key in node else node[_int(key)]


def _summary(run: RunFolder, threshold: float, hidden: set) -> dict:
    summary = json.loads(json.dumps(run.summary))
    for item in summary.get("unmet") or []:
        if isinstance(item.get("beds"), int | float) and item["beds"] < threshold:
            item["beds"] = mark(PRIMARY, threshold)
    total = summary.get("unmet_total_beds")
    if isinstance(total, int | float) and total < threshold:
        summary["unmet_total_beds"] = mark(PRIMARY, threshold)
    summary["explanations"] = summary["explanations_nl"] = []
    summary["public"] = True
    for year, components in (summary.get("cost_by_year") or {}).items():
        for component in list(components):
            if (int(year), component) in hidden:
                components[component] = HIDDEN
    trips = summary.get("trips") or {}
    for figures in [trips.get("all") or {}, *(trips.get("by_region") or {}).values()]:
        beds = figures.get("bed_years")
        if isinstance(beds, int | float) and beds < threshold:  # a few youths' trips
            figures.update(dict.fromkeys(("longest_km", "p90_km", "share_within_limit"), HIDDEN))
            figures["bed_years"] = mark(PRIMARY, threshold)
    service = summary.get("service") or {}
    plan = run.service[run.service["variant"] == "plan"]
    for year in list(service.get("highest_refusal_by_year") or {}):
        rows = plan[plan["year"] == int(year)]
        if len(rows):
            top = rows.loc[rows["refusal_probability"].idxmax()]
            if top["offered_load_beds"] < threshold:
                service["highest_refusal_by_year"][year] = HIDDEN
    return summary


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def publish(run_dir: Path, threshold: float) -> dict:
    """Suppress every table, the summary and the scenario's demand figures of ``run_dir`` in
    place, remove the user's file copies, write public.json and refresh the manifest's hashes.
    Returns public.json's content."""
    run_dir = Path(run_dir)
    if is_public(run_dir):
        raise ValueError(f"{run_dir} is public already: its counts are suppressed")
    run = load_run(run_dir)
    if run.staged:
        raise ValueError(
            f"{run_dir} is a staged run (demand paths): publishing suppresses one plan's tables, "
            "so a staged folder cannot be made public yet"
        )
    regions = dict(zip(run.zones["gm_code"], run.zones["region"], strict=True))
    hidden_cost = hidden_costs(run, threshold)
    files: dict[str, str] = {}
    for path, table in TABLES.items():
        target = run_dir / path
        if not target.exists():
            continue
        frame = getattr(run, table.field)
        if path == "costs.csv":
            out, count = suppress_costs(frame, hidden_cost), len(hidden_cost)
        elif path == PARAMETERS.path:
            out, paths = public_parameters(frame, threshold)
            count = len(paths)
            _scenario(run_dir / SCENARIO.path, paths, threshold)
            if paths:
                files[SCENARIO.path] = f"suppressed: {len(paths)} demand figures"
        else:
            gives_away = GIVES_AWAY.get(path, {})
            out, count = suppress_frame(frame, list(table.columns), threshold, regions, gives_away)
        if count:
            out.to_csv(target, index=False)
        files[path] = f"suppressed: {count} cells" if count else "unchanged: no small counts"
    summary = _summary(run, threshold, hidden_cost)
    (run_dir / SUMMARY.path).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    files[SUMMARY.path] = "suppressed: small unmet demand and costs; explanations left out"
    user = run_dir / USER_FILES.path
    if user.exists():
        shutil.rmtree(user)
        files[USER_FILES.path] = "removed: the user's own files may hold small counts"
    manifest_path = run_dir / MANIFEST.path
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["files"] = {
            name: _sha256(run_dir / name)
            for name in manifest.get("files", {})
            if (run_dir / name).is_file()
        }
        manifest["public"] = True
        manifest_path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    content = {
        "public": True,
        "threshold": threshold,
        "rule": (
            f"counts (average occupied beds) below {threshold:g} are shown as "
            f"<{threshold:g}; a lone suppressed cell of a group takes its smallest neighbour "
            "with it; figures that give a suppressed count away are suppressed too"
        ),
        "files": dict(sorted(files.items())),
    }
    (run_dir / PUBLIC).write_text(json.dumps(content, indent=2), encoding="utf-8")
    return content
