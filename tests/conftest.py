"""Shared fixtures: the shipped scenarios solved once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "configs").glob("*.yaml"))


@pytest.fixture(scope="session")
def shipped_runs(tmp_path_factory) -> dict[str, Path]:
    """name -> run folder for every shipped scenario (plan tables only, no reports)."""
    from optimizer.pipeline import run

    base = tmp_path_factory.mktemp("shipped")
    folders = {}
    for config in SHIPPED:
        outcome = run(config, base / config.stem)
        folders[outcome.summary["scenario"]] = outcome.folder
    return folders
