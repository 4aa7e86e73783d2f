"""The run-folder contract (reports/runfolder.py) holds for a real run, and the writer keeps it.

The shipped baseline is solved once; later tests reuse its plan (``solve_plan`` patched) so the
atomic-write and --force checks go through ``pipeline.run`` without solving again.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from optimizer import docs, pipeline
from optimizer.runfolder import RunFolderExists, write_run
from reports import runfolder as contract
from reports.excel import SHEETS, build_workbook

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "configs" / "baseline-2026.yaml"
INTEGER = re.compile(r"-?\d+")


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory):
    """(run folder written by pipeline.run, its input data, its plan) for the baseline."""
    captured = {}
    real_solve = pipeline.solve_plan

    def solve_and_keep(data, **options):
        captured["data"], captured["plan"] = data, real_solve(data, **options)
        return captured["plan"]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "solve_plan", solve_and_keep)
        outcome = pipeline.run(BASELINE, tmp_path_factory.mktemp("contract") / "baseline")
    assert outcome.summary["solver"]["proven_optimal"]
    return outcome.folder, captured["data"], captured["plan"]


@pytest.fixture
def reuse_plan(solved, monkeypatch: pytest.MonkeyPatch):
    """pipeline.run without solving: the baseline's plan, as solved once above."""
    _, _, plan = solved
    monkeypatch.setattr(pipeline, "solve_plan", lambda data, **options: plan)
    return plan


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def parses(value: str, dtype: str) -> bool:
    """Strictly: does one CSV cell hold a value of the contract's dtype?"""
    if dtype == "str":
        return True
    if dtype == "int64":
        return bool(INTEGER.fullmatch(value))
    if dtype == "bool":
        return value in ("True", "False")
    if value == "":
        return True  # a decimal may be unknown
    try:
        return not math.isinf(float(value)) and value.lower() != "nan"
    except ValueError:
        return False


# -- (a) a real run folder holds the contract ----------------------------------------------------


def test_every_required_file_is_written(solved) -> None:
    folder, _, _ = solved
    required = [item.path for item in contract.CONTRACT if not item.optional]
    assert "plan.csv" in required and "manifest.json" in required
    absent = [path for path in required if not (folder / path).exists()]
    assert absent == []


def test_every_file_written_is_in_the_contract(solved) -> None:
    folder, _, _ = solved
    assert [name for name in files_in(folder) if contract.entry(name) is None] == []
    assert contract.entry("inputs/user/zones.csv") is contract.USER_FILES
    assert contract.entry("screenshots/map.png") is not None
    assert contract.entry("notes.txt") is None


@pytest.mark.parametrize("path", sorted(contract.TABLES))
def test_csv_header_and_values_follow_the_contract(solved, path: str) -> None:
    folder, _, _ = solved
    table = contract.TABLES[path]
    if table is contract.PATHS:  # a staged run's only: a single plan has none
        assert not (folder / path).exists()
        return
    with (folder / path).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == table.names, f"{path}: header differs from the contract"
    for line, row in enumerate(rows[1:], start=2):
        assert len(row) == len(table.names), f"{path} line {line}"
        for value, column in zip(row, table.columns, strict=True):
            assert parses(value, column.dtype), (
                f"{path} line {line}: {column.name}={value!r} is not {column.dtype}"
            )


def test_tables_that_must_have_rows_have_rows(solved) -> None:
    folder, _, _ = solved
    for path in ("plan.csv", "assignments.csv", "costs.csv", "inputs/place_types.csv"):
        assert len(pd.read_csv(folder / path)) > 0, path
    plan = pd.read_csv(folder / "plan.csv")
    assert (plan["converted_groups"] <= plan["added_groups"]).all()


def test_cost_components_are_the_contract_values(solved) -> None:
    from optimizer.results import COST_COMPONENTS

    folder, _, _ = solved
    listed = [value for value, _ in contract.COSTS.column("component").values]
    assert listed == list(COST_COMPONENTS)
    written = pd.read_csv(folder / "costs.csv")["component"]
    assert set(written) == set(listed)


def test_json_files_have_the_contract_keys(solved) -> None:
    folder, _, _ = solved
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) == set(contract.SUMMARY.top_keys)
    for parent in ("solver", "counts"):
        prefix = f"{parent}."
        listed = {k.name.removeprefix(prefix) for k in contract.SUMMARY.keys if prefix in k.name}
        assert set(summary[parent]) == listed, parent

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest) == contract.MANIFEST.top_keys
    assert "files" in manifest and "inputs" not in manifest
    assert sorted(manifest["files"]) == [n for n in files_in(folder) if n != "manifest.json"]
    timings = {k.name.split(".", 1)[1] for k in contract.MANIFEST.keys if "." in k.name}
    assert set(manifest["timings"]) == timings

    geojson = json.loads((folder / "inputs" / "zones.geojson").read_text(encoding="utf-8"))
    properties = [
        k.name.rsplit(".", 1)[1]
        for k in contract.ZONES_GEOJSON.keys
        if k.name.startswith("features[].properties.")
    ]
    assert geojson["type"] == "FeatureCollection"
    assert all(sorted(f["properties"]) == sorted(properties) for f in geojson["features"])


def test_reader_takes_columns_and_types_from_the_contract(solved) -> None:
    folder, _, _ = solved
    run = contract.load_run(folder)
    for table in contract.TABLES.values():
        frame = getattr(run, table.field)
        assert list(frame.columns) == table.names, table.path
        for column in table.columns:
            kind = frame[column.name].dtype
            if column.dtype in ("int64", "float64", "bool"):
                assert kind == column.dtype, (table.path, column.name, kind)
            else:
                assert pd.api.types.is_string_dtype(kind), (table.path, column.name, kind)
    assert run.plan["converted_groups"].sum() >= 0
    assert set(run.place_types["min_groups_if_open"]) == {1}


def test_workbook_headers_come_from_the_contract(solved, tmp_path: Path) -> None:
    folder, _, _ = solved
    copy = shutil.copytree(folder, tmp_path / "run")
    book = openpyxl.load_workbook(build_workbook(copy))
    for name, columns in SHEETS.items():
        if name == "paths":  # a staged run's sheet only
            assert name not in book.sheetnames
            continue
        assert [cell.value for cell in book[name][1]] == [contract.header(c) for c in columns]
    headers = [cell.value for cell in book["plan"][1]]
    assert headers == [contract.header(c) for c in contract.PLAN.columns]
    assert "converted groups (number)" in headers and "beds (places)" in headers


# -- the writer refuses tables that differ from the contract -------------------------------------


@pytest.mark.parametrize(
    "change, named",
    [
        (lambda plan: plan.drop(columns="converted_groups"), "converted_groups"),
        (lambda plan: plan.assign(surprise=1), "surprise"),
    ],
    ids=["missing", "unexpected"],
)
def test_writer_refuses_a_table_that_differs(solved, tmp_path: Path, change, named) -> None:
    _, data, plan = solved
    solution = dataclasses.replace(plan.solution, plan=change(plan.solution.plan))
    with pytest.raises(RuntimeError, match=rf"plan\.csv.*{named}"):
        write_run(tmp_path / "run", data, solution, plan.summary)
    assert list(tmp_path.iterdir()) == []


def test_writer_writes_columns_in_contract_order(solved, tmp_path: Path) -> None:
    _, data, plan = solved
    shuffled = plan.solution.plan[list(reversed(contract.PLAN.names))]
    zones = data.zones.assign(notes="a user's own column")
    solution = dataclasses.replace(plan.solution, plan=shuffled)
    folder = write_run(tmp_path / "run", dataclasses.replace(data, zones=zones), solution, {})
    assert pd.read_csv(folder / "plan.csv").columns.tolist() == contract.PLAN.names
    assert pd.read_csv(folder / "inputs/zones.csv").columns.tolist() == contract.ZONES.names


# -- (b) atomic write, (c) --force ---------------------------------------------------------------


def test_failing_render_leaves_nothing_behind(reuse_plan, tmp_path: Path) -> None:
    seen = []

    def render(folder: Path) -> None:
        seen.append(sorted(p.name for p in folder.iterdir()))
        raise ValueError("the map could not be drawn")

    with pytest.raises(ValueError, match="could not be drawn"):
        pipeline.run(BASELINE, tmp_path / "run", render=render)
    assert seen and "manifest.json" in seen[0]  # render ran on the complete folder
    assert list(tmp_path.iterdir()) == []  # no target, no temporary sibling


def test_existing_folder_needs_force(reuse_plan, tmp_path: Path) -> None:
    target = tmp_path / "run"
    pipeline.run(BASELINE, target)
    (target / "summary.json").write_text('{"scenario": "stale"}', encoding="utf-8")
    with pytest.raises(RunFolderExists, match="--force"):
        pipeline.run(BASELINE, target)
    assert json.loads((target / "summary.json").read_text())["scenario"] == "stale"

    pipeline.run(BASELINE, target, force=True)
    assert json.loads((target / "summary.json").read_text())["scenario"] == "baseline-2026"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no temporary or old folder


def test_force_never_replaces_a_folder_that_is_not_a_run(reuse_plan, tmp_path: Path) -> None:
    target = tmp_path / "thesis"
    target.mkdir()
    (target / "chapter1.tex").write_text("keep me", encoding="utf-8")
    with pytest.raises(RunFolderExists, match="not a jzplan run folder"):
        pipeline.run(BASELINE, target, force=True)
    assert (target / "chapter1.tex").read_text() == "keep me"


# -- (d) the reference page cannot drift from the contract ---------------------------------------


def sections(text: str) -> dict[str, str]:
    """'### `path`' heading -> the text up to the next heading."""
    parts = re.split(r"^### `([^`]+)`$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_markdown_lists_every_file_column_and_key() -> None:
    text = contract.markdown()
    by_file = sections(text)
    assert sorted(by_file) == sorted(item.path for item in contract.CONTRACT)
    for table in contract.TABLES.values():
        rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", by_file[table.path], re.MULTILINE)
        assert rows == [(c.name, c.dtype) for c in table.columns], table.path
    for document in (contract.SUMMARY, contract.MANIFEST, contract.ZONES_GEOJSON):
        for key in document.keys:
            assert f"| `{key.name}` |" in by_file[document.path], key.name
    for unit in contract.UNITS:
        assert f"| `{unit}` |" in text


def test_summary_example_uses_only_contract_keys() -> None:
    example = json.loads(contract.SUMMARY_EXAMPLE)
    assert list(example) == contract.SUMMARY.top_keys
    solver = {
        k.name.split(".", 1)[1] for k in contract.SUMMARY.keys if k.name.startswith("solver.")
    }
    assert set(example["solver"]) == solver


def test_docs_page_is_the_generated_contract() -> None:
    page = ROOT / "docs" / "run-folder.md"
    assert page.read_text(encoding="utf-8") == docs.runfolder_reference(), (
        "docs/run-folder.md is stale: regenerate it from reports/runfolder.py"
    )


def test_force_keeps_files_a_user_added_and_names_them(reuse_plan, tmp_path: Path) -> None:
    target = tmp_path / "run"
    pipeline.run(BASELINE, target)
    (target / "map.html").write_text("<html>rendered by jzplan</html>", encoding="utf-8")
    (target / "screenshots").mkdir()
    (target / "screenshots" / "map.png").write_bytes(b"png")
    (target / "notes").mkdir()
    (target / "notes" / "raad.txt").write_text("voor de raad", encoding="utf-8")
    with pytest.raises(RunFolderExists, match=r"notes/raad\.txt"):
        pipeline.run(BASELINE, target, force=True)
    assert (target / "notes" / "raad.txt").read_text(encoding="utf-8") == "voor de raad"
    (target / "notes" / "raad.txt").unlink()
    (target / "notes").rmdir()
    pipeline.run(BASELINE, target, force=True)  # only jzplan's own files (and pages) left
    assert not (target / "screenshots").exists()


def test_sigterm_while_writing_leaves_no_temporary_folder(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from tests.fixtures import tiny

    sc = tiny.base_scenario(years=(2026,))
    sc["sites"] = {"s": tiny.site("S", "Z", ["open"])}
    config = tiny.write(tmp_path / "in", sc, [("Z", "R1")], [(2026, "Z", "open", 1.0)],
                        {("Z", "s"): 1})  # fmt: skip
    out = tmp_path / "out"
    out.mkdir()
    script = (
        "import sys, time\n"
        "from optimizer import pipeline\n"
        "def render(folder):\n"
        "    print('rendering', flush=True)\n"
        "    time.sleep(120)\n"
        f"pipeline.run({str(config)!r}, {str(out / 'run')!r}, render=render)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "rendering"
        assert any(p.name.endswith(".tmp") for p in out.iterdir())  # mid-write
        child.send_signal(signal.SIGTERM)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signal.SIGTERM
    deadline = time.monotonic() + 5
    while list(out.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(out.iterdir()) == []
