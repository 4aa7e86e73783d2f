"""Scenario files: schema, ``extends:`` inheritance, and every problem reported at once.

A scenario is YAML. A variant names its parent with ``extends: other.yaml`` and overrides only what
differs: mappings merge key by key, lists and scalars replace, and ``null`` removes a key (for
example a candidate site). Every number carries its provenance: the mapping that holds it has a
``source`` (a seed document, a data file) or an ``assumption`` (with how it was derived).

Reading is guarded: a file over :data:`MAX_YAML_BYTES`, a key written twice in one mapping, aliases
that expand to more than :data:`MAX_YAML_NODES` values (a "billion laughs" document), nesting
deeper than :data:`MAX_YAML_DEPTH`, an ``extends:`` chain longer than :data:`MAX_EXTENDS` and a
non-finite number (``.nan``, ``.inf``) are findings, not crashes. Every finding names the file that
set the value (the variant, not its parent, when the variant changed it), and a relative file
path in a scenario is relative to the folder of the file that wrote it.

:func:`load_scenario` returns a validated :class:`Scenario` or raises :class:`ScenarioError` listing
every problem with the file, the field path and what was expected.
"""

from __future__ import annotations

import math
import os
import re
import weakref
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from optimizer.errors import Finding, ScenarioError
from optimizer.schema import Scenario

__all__ = [
    "ScenarioError",
    "Scenario",
    "load_scenario",
    "origin_file",
    "resolve_yaml",
    "scenario_to_dict",
]

MAX_YAML_BYTES = 1_000_000
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 64
MAX_EXTENDS = 16
#: Fields holding a file path, resolved against the folder of the file that wrote them.
PATH_FIELDS = (
    ("zones", "csv"),
    ("zones", "geojson"),
    ("demand", "key_csv"),
    ("demand", "table_csv"),
    ("travel", "matrix_csv"),
    ("settlement", "key_csv"),
)
_NONFINITE_TEXT = re.compile(r"[+-]?\.?(nan|inf|infinity)", re.IGNORECASE)

# --- reading one file --------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that records keys written twice in one mapping (line of each)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[object, int, int]] = []

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            lines: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                line = key_node.start_mark.line + 1
                try:
                    if key in lines:
                        self.duplicates.append((key, lines[key], line))
                    lines[key] = line
                except TypeError:  # an unhashable key: the base class reports it
                    pass
        return super().construct_mapping(node, deep)


class _TooBig(Exception):
    pass


def _expanded_size(root: yaml.Node) -> int:
    """Values the document holds once aliases are expanded; _TooBig past the limits."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _TooBig("an alias refers to a mapping or list that contains it")
        if depth > MAX_YAML_DEPTH:
            raise _TooBig(f"nested more than {MAX_YAML_DEPTH} levels deep")
        active.add(key)
        if isinstance(node, yaml.SequenceNode):
            total = 1 + sum(size(child, depth + 1) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total = 1 + sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        else:
            total = 1
        active.discard(key)
        if total > MAX_YAML_NODES:
            raise _TooBig(
                f"aliases (*name) expand the document to more than {MAX_YAML_NODES:,} values; "
                "write the values out, or refer to fewer"
            )
        sizes[key] = total
        return total

    return size(root, 0)


def _read_yaml(path: Path, problems: list[Finding], referrer: Finding | None = None):
    """One file as a mapping, or None with findings. ``referrer`` blames the ``extends:``."""

    def fail(field: str, message: str) -> None:
        problems.append(Finding(file=str(path), field=field, message=message))

    if not path.is_file():
        what = "is a folder, not a scenario file" if path.is_dir() else "file not found"
        if referrer is not None:
            problems.append(Finding(referrer.file, referrer.field, f"{what}: {path}"))
        else:
            fail("(file)", what)
        return None
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        fail("(file)", f"{size:,} bytes; a scenario file may have at most {MAX_YAML_BYTES:,}")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        fail(f"line {line}", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        return None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _expanded_size(root)
        data = None if root is None else loader.construct_document(root)
    except _TooBig as exc:
        fail("(file)", str(exc))
        return None
    except RecursionError:
        fail("(file)", f"nested more than {MAX_YAML_DEPTH} levels deep")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        fail(where, f"not valid YAML: {exc}")
        return None
    finally:
        loader.dispose()
    for key, first, again in loader.duplicates:
        fail(f"line {again}", f"key {key!r} is written twice in one mapping (lines {first} and "
             f"{again}); YAML would silently keep the last: keep one")  # fmt: skip
    if not isinstance(data, dict):
        fail("(top)", "expected a mapping")
        return None
    _check_finite(data, (), str(path), problems)
    return data


def _check_finite(node: Any, path: tuple, file: str, problems: list[Finding]) -> None:
    """Every ``.nan``/``.inf`` (or such text) is a finding naming its field."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_finite(value, path + (str(key),), file, problems)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            _check_finite(value, path + (str(i),), file, problems)
    elif (isinstance(node, float) and not math.isfinite(node)) or (
        isinstance(node, str) and _NONFINITE_TEXT.fullmatch(node.strip())
    ):
        field = ".".join(path) or "(top)"
        problems.append(Finding(file, field, f"{node!r} is not a finite number; give a number"))


# --- extends -----------------------------------------------------------------------------------


def _merge(base: Any, override: Any, origin: dict, path: tuple, file: str) -> Any:
    """Deep-merge override into base; record which file set (or removed) each path."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            here = path + (str(key),)
            if value is None:
                merged.pop(key, None)
                origin[here] = file
                continue
            merged[key] = _merge(base.get(key), value, origin, here, file)
        return merged
    _mark_origin(override, origin, path, file)
    return override


def _mark_origin(data: Any, origin: dict, path: tuple, file: str) -> None:
    origin[path] = file
    if isinstance(data, dict):
        for key, value in data.items():
            _mark_origin(value, origin, path + (str(key),), file)


def resolve_yaml(
    path: Path, problems: list[Finding], origin: dict, seen=(), chain: list | None = None
) -> dict | None:
    """Read a scenario file and its ``extends:`` chain into one mapping.

    ``origin`` gets the file that set each field path; ``chain`` (if given) the files, the
    farthest parent first. Relative file paths are rewritten relative to ``path``'s folder.
    """
    chain = [] if chain is None else chain
    merged = _resolve(Path(path).resolve(), problems, origin, tuple(seen), chain, None)
    if merged is not None and not seen:
        _rebase_paths(merged, origin, Path(path).resolve())
    return merged


def _resolve(path: Path, problems, origin, seen, chain, referrer) -> dict | None:
    if path in seen:
        problems.append(Finding(file=str(seen[-1]), field="extends", message="circular extends"))
        return None
    if len(seen) >= MAX_EXTENDS:
        message = f"more than {MAX_EXTENDS} files in the extends chain"
        problems.append(Finding(file=str(seen[-1]), field="extends", message=message))
        return None
    data = _read_yaml(path, problems, referrer)
    if data is None:
        return None
    parent_name = data.get("extends")
    if parent_name:
        if not isinstance(parent_name, str):
            problems.append(
                Finding(file=str(path), field="extends", message="expected a file name")
            )
            return None
        here = Finding(str(path), "extends", "")
        parent = _resolve(
            (path.parent / parent_name).resolve(), problems, origin, seen + (path,), chain, here
        )
        if parent is None:
            return None
        chain.append(str(path))
        merged = _merge(parent, data, origin, (), str(path))
    else:
        chain.append(str(path))
        _mark_origin(data, origin, (), str(path))
        merged = data
    merged["extends"] = parent_name
    return merged


def _rebase_paths(merged: dict, origin: dict, path: Path) -> None:
    """A relative path a parent wrote is relative to the parent's folder: rewrite it so that it
    is relative to the folder of ``path``, the file that is run (absolute if no such path)."""
    for section, key in PATH_FIELDS:
        holder = merged.get(section)
        value = holder.get(key) if isinstance(holder, dict) else None
        writer = origin.get((section, key))
        if not isinstance(value, str) or writer in (None, str(path)) or Path(value).is_absolute():
            continue
        target = Path(writer).parent / value
        try:
            holder[key] = Path(os.path.relpath(target, path.parent)).as_posix()
        except ValueError:  # another drive
            holder[key] = str(target)


# --- blame -------------------------------------------------------------------------------------

_ORIGINS: dict[int, tuple[dict, dict]] = {}


def _file_for(loc: tuple, origin: dict, order: dict, default: str) -> str:
    """The file to blame for a problem at ``loc``: the latest file in the chain that set it or
    anything under it (a variant that changed a section is blamed for the section), else the
    file that set its nearest enclosing mapping."""
    loc = tuple(str(part) for part in loc)
    setters = [file for path, file in origin.items() if path[: len(loc)] == loc]
    if setters:
        return max(setters, key=lambda file: order.get(file, -1))
    for cut in range(len(loc) - 1, -1, -1):
        if loc[:cut] in origin:
            return origin[loc[:cut]]
    return default


def origin_file(scenario: Scenario, field_path: str, default: str) -> str:
    """The scenario file that set ``field_path`` (dotted) of a scenario from :func:`load_scenario`;
    ``default`` for a scenario built otherwise."""
    known = _ORIGINS.get(id(scenario))
    if known is None:
        return default
    origin, order = known
    return _file_for(tuple(field_path.split(".")), origin, order, default)


# --- validation ----------------------------------------------------------------------------------


def _path_demands(data: dict, origin: dict) -> None:
    """Each demand path's ``demand`` merged over the scenario's own (as ``extends`` merges), so a
    path writes only what differs and is then checked as a whole demand section."""
    paths = (data.get("demand_paths") or {}).get("paths")
    base = data.get("demand")
    if not isinstance(paths, dict) or not isinstance(base, dict):
        return
    for name, path in paths.items():
        if not isinstance(path, dict):
            continue
        here = ("demand_paths", "paths", str(name), "demand")
        own = path.get("demand") or {}
        if isinstance(own, dict):
            scratch: dict = {}
            path["demand"] = _merge(base, own, scratch, here, origin.get(here, ""))
            origin.update({k: v for k, v in scratch.items() if v})


def load_scenario(path: str | Path) -> tuple[Scenario, Path]:
    """Validate a scenario file; return it with the folder its relative paths refer to."""
    path = Path(path)
    problems: list[Finding] = []
    origin: dict = {}
    chain: list[str] = []
    data = resolve_yaml(path, problems, origin, chain=chain)
    if data is None:
        raise ScenarioError(problems)
    order = {file: i for i, file in enumerate(chain)}
    named = {finding.field for finding in problems}  # non-finite numbers, said once
    _path_demands(data, origin)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            field = ".".join(str(part) for part in loc) or "(top)"
            if field in named:
                continue
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown field (check the spelling; see configs/README.md)"
            elif err["type"] == "missing":
                msg = "required field is missing"
            elif "input" in err and err["type"] not in ("value_error", "assertion_error"):
                msg = f"{msg} (got {err['input']!r})"
            problems.append(
                Finding(file=_file_for(loc, origin, order, str(path)), field=field, message=msg)
            )
        raise ScenarioError(problems) from None
    if problems:
        raise ScenarioError(problems)
    _ORIGINS[id(scenario)] = (origin, order)
    weakref.finalize(scenario, _ORIGINS.pop, id(scenario), None)
    return scenario, path.resolve().parent


def scenario_to_dict(scenario: Scenario) -> dict:
    return scenario.model_dump(mode="json", exclude_none=True)
