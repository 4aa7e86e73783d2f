"""Read a run folder (docs/run-folder.md) into typed tables.

Reports render from the run folder alone, so this is the only place that knows file names and
column types. Optional or empty files become empty tables with the documented columns, so every
report works for any valid run (no unmet demand, no named places, zones without polygons).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

COLUMNS: dict[str, dict[str, str]] = {
    "plan.csv": {
        "year": "int64",
        "site_id": "str",
        "site_name": "str",
        "type": "str",
        "groups": "int64",
        "beds": "float64",
        "added_groups": "int64",
        "removed_groups": "int64",
    },
    "assignments.csv": {
        "year": "int64",
        "gm_code": "str",
        "need": "str",
        "site_id": "str",
        "type": "str",
        "beds": "float64",
        "distance_km": "float64",
        "minutes": "float64",
    },
    "unmet.csv": {
        "year": "int64",
        "gm_code": "str",
        "need": "str",
        "beds": "float64",
        "reason": "str",
    },
    "costs.csv": {
        "year": "int64",
        "component": "str",
        "eur": "float64",
        "eur_discounted": "float64",
    },
    "reserve.csv": {
        "year": "int64",
        "rule": "str",
        "types": "str",
        "load_beds": "float64",
        "places": "int64",
        "reserve_places": "int64",
        "refusal_without": "float64",
        "refusal_with": "float64",
    },
    "advances.csv": {
        "year": "int64",
        "gm_code": "str",
        "advance_cents": "int64",
        "advance_eur": "float64",
    },
    "inputs/zones.csv": {
        "gm_code": "str",
        "name": "str",
        "region": "str",
        "lat": "float64",
        "lon": "float64",
        "population": "float64",
        "population_date": "str",
    },
    "inputs/sites.csv": {
        "site_id": "str",
        "name": "str",
        "gm_code": "str",
        "region": "str",
        "lat": "float64",
        "lon": "float64",
        "allowed_types": "str",
        "max_groups": "float64",
        "min_groups": "float64",
        "school_name": "str",
        "school_on_site": "bool",
        "school_km": "float64",
        "education_types": "str",
        "existing_closed": "float64",
        "existing_hybrid": "float64",
        "existing_open": "float64",
    },
    "inputs/demand.csv": {"year": "int64", "gm_code": "str", "need": "str", "beds": "float64"},
    "inputs/place_types.csv": {
        "type": "str",
        "group_size": "float64",
        "occupancy_target": "float64",
        "max_km": "float64",
        "max_minutes": "float64",
    },
    "inputs/places.csv": {
        "place_id": "str",
        "name": "str",
        "type": "str",
        "lat": "float64",
        "lon": "float64",
    },
    "inputs/parameters.csv": {
        "path": "str",
        "value": "str",
        "unit": "str",
        "source": "str",
        "assumption": "str",
    },
}


def _read(path: Path, columns: dict[str, str]) -> pd.DataFrame:
    """A CSV with the documented columns and types; missing file or columns become empty."""
    if path.exists() and path.stat().st_size > 0:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    else:
        frame = pd.DataFrame(columns=list(columns))
    for column, kind in columns.items():
        if column not in frame:
            frame[column] = ""
        if kind == "str":
            frame[column] = frame[column].fillna("").astype(str)
        elif kind == "bool":
            words = frame[column].fillna("").astype(str).str.strip().str.lower()
            frame[column] = words.isin(("true", "1", "yes", "ja", "y"))
        else:
            numbers = pd.to_numeric(frame[column].replace("", None), errors="coerce")
            frame[column] = (
                numbers.fillna(0).astype(kind) if kind == "int64" else numbers.astype(kind)
            )
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class RunFolder:
    """Every table of one run, as written by ``jzplan run``."""

    path: Path
    summary: dict
    plan: pd.DataFrame
    assignments: pd.DataFrame
    unmet: pd.DataFrame
    costs: pd.DataFrame
    reserve: pd.DataFrame
    advances: pd.DataFrame
    zones: pd.DataFrame
    sites: pd.DataFrame
    demand: pd.DataFrame
    place_types: pd.DataFrame
    places: pd.DataFrame
    parameters: pd.DataFrame
    zones_geojson: dict | None
    manifest: dict

    @property
    def years(self) -> list[int]:
        """Planning years from summary.json, else every year any table mentions."""
        listed = [int(y) for y in self.summary.get("years") or []]
        if listed:
            return sorted(set(listed))
        found: set[int] = set()
        for table in (self.plan, self.assignments, self.unmet, self.costs, self.demand):
            found.update(int(y) for y in table["year"])
        return sorted(found)

    @property
    def types(self) -> list[str]:
        """Place types in the order of place_types.csv, then any others the plan uses."""
        known = list(self.place_types["type"])
        extra = sorted(set(self.plan["type"]) - set(known))
        return known + extra

    @property
    def scenario(self) -> str:
        return str(self.summary.get("scenario") or self.path.name)

    @property
    def title(self) -> str:
        return str(self.summary.get("title") or self.scenario)


def load_run(run_dir: Path) -> RunFolder:
    """Load ``run_dir``; raises FileNotFoundError when summary.json is missing (not a run)."""
    run_dir = Path(run_dir)
    summary_path = run_dir / "summary.json"
    if not summary_path.exists():
        raise FileNotFoundError(f"{run_dir} is not a run folder: summary.json is missing")
    tables = {name: _read(run_dir / name, columns) for name, columns in COLUMNS.items()}
    geojson_path = run_dir / "inputs" / "zones.geojson"
    geojson = (
        json.loads(geojson_path.read_text(encoding="utf-8")) if geojson_path.exists() else None
    )
    manifest_path = run_dir / "manifest.json"
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    )
    return RunFolder(
        path=run_dir,
        summary=json.loads(summary_path.read_text(encoding="utf-8")),
        plan=tables["plan.csv"],
        assignments=tables["assignments.csv"],
        unmet=tables["unmet.csv"],
        costs=tables["costs.csv"],
        reserve=tables["reserve.csv"],
        advances=tables["advances.csv"],
        zones=tables["inputs/zones.csv"],
        sites=tables["inputs/sites.csv"],
        demand=tables["inputs/demand.csv"],
        place_types=tables["inputs/place_types.csv"],
        places=tables["inputs/places.csv"],
        parameters=tables["inputs/parameters.csv"],
        zones_geojson=geojson,
        manifest=manifest,
    )
