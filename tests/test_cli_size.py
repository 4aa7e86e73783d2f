"""``jzplan size``: the Erlang sizing table a planner reads, checked against the formula."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from optimizer import erlang
from optimizer.cli import app
from optimizer.pipeline import load

ROOT = Path(__file__).resolve().parents[1]


def invoke(*args: str) -> str:
    outcome = CliRunner().invoke(app, ["size", *args], env={"COLUMNS": "80"})
    assert outcome.exit_code == 0, outcome.output
    return outcome.output


def sizing_rows(output: str) -> list[list[str]]:
    """Rows of the sizing table: name, load, max refusal ("5%"), places, occupancy, utilisation."""
    rows = [
        [cell.strip() for cell in line.strip("│ ").split("│")]
        for line in output.splitlines()
        if line.startswith("│")
    ]
    return [row for row in rows if len(row) == 6 and re.fullmatch(r"\d+%", row[2])]


def test_one_load_gives_the_places_of_the_erlang_inverse() -> None:
    sizing = {row[2]: row for row in sizing_rows(invoke("--load", "3"))}
    assert set(sizing) == {"1%", "5%", "10%"}
    for label, level in (("1%", 0.01), ("5%", 0.05), ("10%", 0.10)):
        assert int(sizing[label][3]) == erlang.places_needed(3.0, level)
    assert int(sizing["5%"][3]) == 7  # B(7, 3) = 2.2 % <= 5 % < B(6, 3) = 5.2 %


def test_scenario_table_fits_80_columns_and_matches_its_demand() -> None:
    output = invoke(str(ROOT / "configs/baseline-2026.yaml"))
    assert all(len(line) <= 80 for line in output.splitlines())
    assert "…" not in output  # no header or cell cut short
    data = load(ROOT / "configs/baseline-2026.yaml")
    first = data.demand[data.demand["year"] == data.years[0]]
    loads = first.merge(data.zones[["gm_code", "region"]]).groupby("region")["beds"].sum()
    rows = sizing_rows(output)
    assert len(rows) == 3 * len(loads)
    for name, load_, level, places, *_ in rows:
        fraction = float(level.rstrip("%")) / 100
        assert int(places) == erlang.places_needed(float(loads[name]), fraction)
        assert float(load_) == round(float(loads[name]), 2)
    reserve = re.search(r"from ([\d.]+) % to ([\d.]+) %", " ".join(output.split()))
    assert reserve, output
    total = float(loads.sum())
    effect = erlang.reserve_effect(total, erlang.places_needed(total, 0.05), 12)
    assert float(reserve.group(1)) == round(100 * effect["refusal_without"], 2)
    assert float(reserve.group(2)) == round(100 * effect["refusal_with"], 2)
