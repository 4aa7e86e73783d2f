"""The house rules of the layout, read from the source (ast), not from a running import.

- ``models/`` holds formulations only: it imports nothing of optimizer, reports or geodata.
- No import circle between modules, nor between the packages (models, geodata, optimizer with its
  wings optimizer.classic and optimizer.cli, reports). Imports inside functions count too: a
  lazy import is still a dependency.
- A module stays under about 400 lines unless it holds one idea (listed here with that idea).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("models", "geodata", "optimizer", "reports")
#: modules over the line budget, each with the one idea that keeps it together
ONE_IDEA = {
    "models/strategic.py": "the strategic formulation: its parameters and its blocks",
    "models/classic.py": "the six textbook location models from shared blocks",
    "optimizer/classic/locate.py": "classic models on GeoDataFrames with units",
    "optimizer/data.py": "scenario → InputData, every user file checked",
    "optimizer/classic/orlib.py": "the OR-Library file formats",
    "optimizer/settlement.py": "cent-exact advances and settlement",
    "optimizer/schema.py": "the scenario format",
    "optimizer/userfiles.py": "user tables: declared schemas and the reader",
    "optimizer/stochastic_mpisppy.py": "the staged plan on mpi-sppy: scenario creator and runner",
    "reports/i18n.py": "every user-visible label, in English and Dutch",
    "optimizer/schema_docs.py": "the scenario reference page, generated from the schema",
    "reports/runfolder.py": "the run-folder contract as data, its reader and its page",
}
MAX_LINES = 400


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Project modules ``path`` imports anywhere in its body (``TYPE_CHECKING`` blocks excluded)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in ast.walk(block)
    }
    names = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # ``from pkg import submodule`` depends on the submodule
                sub = f"{node.module}.{alias.name}"
                names.add(sub if sub in known else node.module)
    return {_owner(name, known) for name in names if _owner(name, known)}


def _owner(name: str, known: set[str]) -> str | None:
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(path, known) - {name} for name, path in found.items()}


def package_of(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "optimizer" and len(parts) > 1 and parts[1] in ("classic", "cli"):
        return ".".join(parts[:2])
    return parts[0]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one member (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_models_import_nothing_of_the_project() -> None:
    bad = {
        name: sorted(d for d in deps if not d.startswith("models"))
        for name, deps in graph().items()
        if name.startswith("models")
    }
    assert not {k: v for k, v in bad.items() if v}


def test_no_import_circle_between_modules() -> None:
    assert cycles(graph()) == []


def test_no_import_circle_between_packages() -> None:
    edges: dict[str, set[str]] = {}
    for name, deps in graph().items():
        edges.setdefault(package_of(name), set()).update(
            package_of(d) for d in deps if package_of(d) != package_of(name)
        )
    # a wing may use its floor (optimizer.cli → optimizer), the floor never its wings
    assert cycles(edges) == [], edges


def test_modules_stay_small_unless_they_hold_one_idea() -> None:
    over = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in modules().values()
    }
    over = {k: n for k, n in over.items() if n > MAX_LINES and k not in ONE_IDEA}
    assert over == {}


def test_the_checker_in_tests_stays_independent() -> None:
    known = set(modules())
    assert imports_of(ROOT / "tests" / "test_checker.py", known) == set()


def test_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
