"""OR-Library instances are solved once per test run and shared by every test that checks them."""

from __future__ import annotations

from functools import cache

import pytest

from optimizer.classic.instances import ClassicResult, solve_instance
from optimizer.classic.orlib import load_optima


@cache
def _solved(name: str) -> ClassicResult:
    return solve_instance(load_optima()[name].file)


@pytest.fixture(scope="session")
def solved():
    """``solved(name)``: the fast-path result for a bundled OR-Library instance (cached)."""
    return _solved
