"""Shared fixtures: the shipped scenarios solved once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the national scenario is solved to a gap within a time limit, not to proven optimality, and
#: takes minutes: benchmarks/bench_scale.py measures it, tests/test_national.py solves a reduced
#: instance of it
NATIONAL = ("national-2026",)
SHIPPED = sorted(p for p in (ROOT / "configs").glob("*.yaml") if p.stem not in NATIONAL)


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
