"""Fixtures the report and map tests share."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.fixtures.sample_run import write_sample_run


@pytest.fixture(scope="module")
def many_regions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample run with every municipality a region of its own: 27 regions, as the national
    run's 42 crowd the map's panels and names, in the time of a three-region sample."""
    run = write_sample_run(tmp_path_factory.mktemp("many") / "run")
    zones = pd.read_csv(run / "inputs" / "zones.csv")
    zones.assign(region=zones["name"]).to_csv(run / "inputs" / "zones.csv", index=False)
    return run
