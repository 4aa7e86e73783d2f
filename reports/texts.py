"""Texts of a run in the reader's language: the scenario's title and description, the solver's
status in words.

A scenario may give ``title_nl`` and ``description_nl`` (in inputs/scenario.yaml) for Dutch
output; without them the Dutch pages show the scenario's own title and description. The solver's
status is worded from summary.json's codes (status, proven_optimal, mip_gap, termination), not
from its English ``describe`` sentence, so it reads in the page's language.
"""

from __future__ import annotations

import math

import yaml

from reports import formatting
from reports.i18n import Labels
from reports.runfolder import SCENARIO, RunFolder


def scenario_dict(run: RunFolder) -> dict:
    """inputs/scenario.yaml as a dict; empty when it is missing or unreadable."""
    path = run.path / SCENARIO.path
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _localized(run: RunFolder, key: str, lang: str, default: str) -> str:
    if lang != "en":
        text = scenario_dict(run).get(f"{key}_{lang}")
        if isinstance(text, str) and text.strip():
            return text
    return default


def title(run: RunFolder, lang: str) -> str:
    """The scenario's title in ``lang`` (``title_nl`` for Dutch when the scenario gives one)."""
    return _localized(run, "title", lang, run.title)


def description(run: RunFolder, lang: str) -> str:
    return _localized(run, "description", lang, str(run.summary.get("description") or ""))


def solver_words(solver: dict, labels: Labels) -> str:
    """The solver's status in the labels' language: proven optimal, stopped with its gap, or the
    status with its termination condition."""
    gap = solver.get("mip_gap")
    if solver.get("proven_optimal"):
        return labels["solver_proven"]
    status = str(solver.get("status") or "")
    if status == "feasible":
        known = isinstance(gap, int | float) and not math.isnan(gap)
        shown = formatting.number(100 * gap, 3, labels.lang) + " %" if known else labels["unknown"]
        return labels("solver_stopped", gap=shown)
    if not status:
        return "–"
    words = labels.name("status", status)
    termination = str(solver.get("termination") or "")
    return f"{words} ({termination})" if termination else words
