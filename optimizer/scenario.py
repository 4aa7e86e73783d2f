"""Scenario files: schema, ``extends:`` inheritance, and every problem reported at once.

A scenario is YAML. A variant names its parent with ``extends: other.yaml`` and overrides only what
differs: mappings merge key by key, lists and scalars replace, and ``null`` removes a key (for
example a candidate site). Every number carries its provenance: the mapping that holds it has a
``source`` (a seed document, a data file) or an ``assumption`` (with how it was derived).

:func:`load_scenario` returns a validated :class:`Scenario` or raises :class:`ScenarioError` listing
every problem with the file, the field path and what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from optimizer.errors import Finding, ScenarioError
from optimizer.schema import Scenario

__all__ = ["ScenarioError", "Scenario", "load_scenario", "resolve_yaml", "scenario_to_dict"]


# --- loading -------------------------------------------------------------------------------


def _read_yaml(path: Path, problems: list[Finding]) -> dict | None:
    if not path.exists():
        problems.append(Finding(file=str(path), field="(file)", message="file not found"))
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problems.append(Finding(file=str(path), field=where, message=f"not valid YAML: {exc}"))
        return None
    if not isinstance(data, dict):
        problems.append(Finding(file=str(path), field="(top)", message="expected a mapping"))
        return None
    return data


def _merge(base: Any, override: Any, origin: dict, path: tuple, file: str) -> Any:
    """Deep-merge override into base; record which file set each path."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            if value is None:
                merged.pop(key, None)
                continue
            merged[key] = _merge(base.get(key), value, origin, path + (key,), file)
        return merged
    origin[path] = file
    return override


def _mark_origin(data: Any, origin: dict, path: tuple, file: str) -> None:
    origin[path] = file
    if isinstance(data, dict):
        for key, value in data.items():
            _mark_origin(value, origin, path + (key,), file)


def resolve_yaml(path: Path, problems: list[Finding], origin: dict, seen=()) -> dict | None:
    """Read a scenario file and its ``extends:`` chain into one mapping."""
    path = path.resolve()
    if path in seen:
        problems.append(Finding(file=str(path), field="extends", message="circular extends"))
        return None
    data = _read_yaml(path, problems)
    if data is None:
        return None
    parent_name = data.get("extends")
    if parent_name:
        if not isinstance(parent_name, str):
            problems.append(
                Finding(file=str(path), field="extends", message="expected a file name")
            )
            return None
        parent = resolve_yaml(path.parent / parent_name, problems, origin, seen + (path,))
        if parent is None:
            return None
        merged = _merge(parent, data, origin, (), str(path))
    else:
        _mark_origin(data, origin, (), str(path))
        merged = data
    merged["extends"] = parent_name
    return merged


def _file_for(loc: tuple, origin: dict, default: str) -> str:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in origin:
            return origin[loc[:cut]]
    return default


def load_scenario(path: str | Path) -> tuple[Scenario, Path]:
    """Validate a scenario file; return it with the folder its relative paths refer to."""
    path = Path(path)
    problems: list[Finding] = []
    origin: dict = {}
    data = resolve_yaml(path, problems, origin)
    if data is None:
        raise ScenarioError(problems)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(part) for part in loc) or "(top)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field (check the spelling; see configs/README.md)"
            elif err["type"] == "missing":
                msg = "required field is missing"
            elif "input" in err and err["type"] not in ("value_error", "assertion_error"):
                msg = f"{msg} (got {err['input']!r})"
            problems.append(
                Finding(file=_file_for(loc, origin, str(path)), field=field, message=msg)
            )
        raise ScenarioError(problems) from None
    return scenario, path.resolve().parent


def scenario_to_dict(scenario: Scenario) -> dict:
    return scenario.model_dump(mode="json", exclude_none=True)
