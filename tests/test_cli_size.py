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


def test_run_folder_refusal_and_reserve_agree_with_the_run_to_1e6(shipped_runs) -> None:
    """jzplan size --run prints the run's own figures: service.csv and reserve.csv, recomputed."""
    import pandas as pd

    folder = shipped_runs["baseline-2026"]
    output = invoke("--run", str(folder))
    service = pd.read_csv(folder / "service.csv")
    plan = service[service["variant"] == "plan"]
    printed = [float(v) for v in re.findall(r"│\s*([\d.]+)\s*│?\s*$", output, re.M)]
    assert len(printed) == len(plan)
    for shown, (_, row) in zip(printed, plan.iterrows(), strict=True):
        assert abs(shown / 100 - row["refusal_probability"]) <= 1e-6
        assert (
            abs(
                row["refusal_probability"]
                - erlang.erlang_b(int(row["places"]), row["offered_load_beds"])
            )
            <= 1e-9
        )
    reserve = pd.read_csv(folder / "reserve.csv")
    found = re.findall(r"refusal ([\d.]+) % without .*? ([\d.]+) % with", " ".join(output.split()))
    assert len(found) == len(reserve)
    for (without, with_), row in zip(found, reserve.itertuples(), strict=True):
        assert abs(float(without) / 100 - row.refusal_without) <= 1e-6
        assert abs(float(with_) / 100 - row.refusal_with) <= 1e-6
        # the reserve figure is the load-weighted refusal over the pools of its types
        rows = plan[(plan["year"] == row.year) & plan["types"].str.contains(row.types)]
        weighted = (rows["offered_load_beds"] * rows["refusal_probability"]).sum()
        assert abs(weighted / rows["offered_load_beds"].sum() - row.refusal_with) <= 1e-9


def test_report_carries_the_same_reserve_figures(shipped_runs, tmp_path) -> None:
    """The report's reserve cells hold the exact refusal of reserve.csv (data-p), as size --run."""
    import shutil

    import pandas as pd

    from reports.report import build_report

    folder = tmp_path / "run"
    shutil.copytree(shipped_runs["baseline-2026"], folder)
    html = build_report(folder).read_text(encoding="utf-8")
    reserve = pd.read_csv(folder / "reserve.csv")
    for row in reserve.itertuples():
        for key, value in (("with", row.refusal_with), ("without", row.refusal_without)):
            found = re.search(rf'data-k="reserve-{row.year}-{key}" data-p="([^"]+)"', html)
            assert found, (row.year, key)
            assert abs(float(found.group(1)) - value) <= 1e-6
