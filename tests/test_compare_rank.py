"""``jzplan compare`` ranks scenarios by cash (money) by default, or by the objective."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from reports.compare import compare_runs
from tests.fixtures.sample_run import write_sample_run

JZPLAN = Path(sys.executable).with_name("jzplan")


def with_totals(folder: Path, cash: float, weights: float) -> Path:
    """A sample run whose summary says its discounted cash and weights (objective = the sum)."""
    path = folder / "summary.json"
    summary = json.loads(path.read_text(encoding="utf-8"))
    summary |= {
        "cash_total_discounted_eur": cash,
        "weights_total_discounted_eur": weights,
        "objective_eur": cash + weights,
    }
    path.write_text(json.dumps(summary), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[Path]:
    """'cheap-money' costs less money but more weights than 'dear-money'."""
    base = tmp_path_factory.mktemp("rank")
    dear = with_totals(write_sample_run(base / "a", scenario="dear-money"), 30e6, 1e6)
    cheap = with_totals(write_sample_run(base / "b", scenario="cheap-money"), 25e6, 10e6)
    return [dear, cheap]


def columns(out_dir: Path) -> list[str]:
    return list(pd.read_csv(out_dir / "compare.csv").columns[2:])


def test_cash_ranks_by_default_and_the_objective_on_request(runs, tmp_path) -> None:
    compare_runs(runs, tmp_path / "cash")
    assert columns(tmp_path / "cash") == ["cheap-money", "dear-money"]
    table = pd.read_csv(tmp_path / "cash" / "compare.csv").set_index("metric")
    assert table.loc["cash_total"].iloc[1:].astype(float).tolist() == [25e6, 30e6]
    assert table.loc["weights_total"].iloc[1:].astype(float).tolist() == [10e6, 1e6]
    assert table.loc["rank", "label"] == "Rank by cash"
    compare_runs(runs, tmp_path / "objective", rank_by="objective")
    assert columns(tmp_path / "objective") == ["dear-money", "cheap-money"]
    with pytest.raises(ValueError, match="rank_by"):
        compare_runs(runs, tmp_path / "bad", rank_by="travel")


def test_the_command_refuses_an_unknown_ranking(tmp_path) -> None:
    result = subprocess.run(
        [str(JZPLAN), "compare", "configs/baseline-2026.yaml", "--out", str(tmp_path),
         "--rank-by", "travel"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1], timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "--rank-by: expected 'cash' or 'objective'" in result.stderr
