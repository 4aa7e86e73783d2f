"""Every number of every shipped scenario has a unit in inputs/parameters.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from optimizer.runfolder import parameters_table
from optimizer.scenario import resolve_yaml
from optimizer.units import unit_of

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = sorted((ROOT / "configs").glob("*.yaml"))


@pytest.mark.parametrize("config", CONFIGS, ids=[c.stem for c in CONFIGS])
def test_every_shipped_number_has_a_unit(config: Path) -> None:
    table = parameters_table(resolve_yaml(config, [], {}))
    assert list(table.columns) == ["path", "value", "unit", "source", "assumption"]
    missing = table.loc[table["unit"] == "", "path"].tolist()
    assert not missing, f"no unit rule for {missing} (add one to optimizer/units.py)"


@pytest.mark.parametrize(
    ("path", "unit"),
    [
        ("costs.running_eur_per_place_year.values.closed", "EUR per place per year"),
        ("costs.setup_new_eur_per_group.values.open", "EUR per group"),
        ("costs.friction_eur_per_group_year.values.hybrid", "EUR per removed group per year"),
        ("costs.friction_years.value", "years"),
        ("policy.budget_eur_per_year.values.2027", "EUR per year"),
        ("policy.max_closed_places.values.2030", "places"),
        ("policy.min_places.1.years.0", "year"),
        ("settlement.year", "year"),
        ("demand.totals.values.2026", "average occupied beds"),
        ("demand.mean_stay_days.values.secure", "days"),
        ("place_types.open.max_minutes", "minutes"),
        ("travel.fixed_links.1.km", "km"),
        ("sites.breda.existing.closed", "groups"),
        ("reference_figures.closed_beds_used_2025.value", "beds"),
        ("something.unknown", ""),
    ],
)
def test_unit_rules(path: str, unit: str) -> None:
    assert unit_of(path) == unit


def test_shipped_run_parameters_have_units(shipped_runs: dict[str, Path]) -> None:
    """What a run folder writes, and the report and workbook read, has the unit filled in."""
    for folder in shipped_runs.values():
        table = pd.read_csv(folder / "inputs" / "parameters.csv", keep_default_na=False)
        assert (table["unit"] != "").all()
