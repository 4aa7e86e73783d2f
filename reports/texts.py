"""Texts of a run in the reader's language: the scenario's title and description, site names,
the planner's explanations and unmet reasons, the solver's status in words.

A scenario may give ``title_nl``, ``description_nl`` and per site ``name_nl`` (in
inputs/scenario.yaml) for Dutch output; without them the Dutch pages show the scenario's own
title, description and names. Explanations and unmet reasons are made in both languages when the
plan is solved (summary.json ``explanations_nl``, ``reasons_nl``; optimizer/wording.py). The
solver's status is worded from summary.json's codes (status, proven_optimal, mip_gap,
termination), not from its English ``describe`` sentence, so it reads in the page's language.
"""

from __future__ import annotations

import math
from dataclasses import replace

import yaml

from reports import formatting
from reports.i18n import PARAMETER_UNITS_NL, Labels
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


def site_names(run: RunFolder, lang: str) -> dict[str, str]:
    """``{site id: name_nl}`` of the sites the scenario names in ``lang``; empty for English."""
    if lang == "en":
        return {}
    sites = scenario_dict(run).get("sites")
    names = {}
    for site_id, site in (sites if isinstance(sites, dict) else {}).items():
        text = site.get(f"name_{lang}") if isinstance(site, dict) else None
        if isinstance(text, str) and text.strip():
            names[str(site_id)] = text
    return names


def localized(run: RunFolder, lang: str) -> RunFolder:
    """``run`` as a page in ``lang`` shows it: site names, unmet reasons and the summary's
    explanations in that language where the run folder has them (English stays English)."""
    if lang == "en":
        return run
    summary = dict(run.summary)
    said = summary.get(f"explanations_{lang}")
    if isinstance(said, list) and len(said) == len(summary.get("explanations") or []):
        summary["explanations"] = said
    reasons = summary.get(f"reasons_{lang}") or {}
    unmet = run.unmet
    if "reason" in unmet and isinstance(reasons, dict) and reasons:
        unmet = unmet.assign(reason=[reasons.get(str(r), r) for r in unmet["reason"]])
    names = site_names(run, lang)
    if not names:
        return replace(run, summary=summary, unmet=unmet)
    frames = {}
    for field, column in (("sites", "name"), ("plan", "site_name"), ("assignments", "site_name")):
        frame = getattr(run, field)
        if column in frame and "site_id" in frame:
            renamed = [
                names.get(str(i), n) for i, n in zip(frame["site_id"], frame[column], strict=True)
            ]
            frames[field] = frame.assign(**{column: renamed})
    return replace(run, summary=summary, unmet=unmet, **frames)


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


def parameter_value(value: object, lang: str) -> str:
    """A scenario number as the assumptions table shows it: whole numbers (years, places)
    without decimals or grouping, others as given with the reader's decimal mark; text (a
    public ``<5``) as it is."""
    try:
        number = float(str(value))
    except ValueError:
        return str(value)
    if math.isnan(number):
        return ""
    text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return text.replace(".", ",") if lang == "nl" else text


def assumption_groups(frame, lang: str) -> list[dict]:
    """inputs/parameters.csv as the report's assumptions table: consecutive parameters that share
    their mapping's source and assumption in one group (the text shown once), each with its
    value and unit in ``lang``. Sources and assumptions are the scenario's own words."""
    groups: list[dict] = []
    for row in frame.to_dict("records"):
        source = "" if _missing(row.get("source")) else str(row["source"])
        assumption = "" if _missing(row.get("assumption")) else str(row["assumption"])
        if not groups or (groups[-1]["source"], groups[-1]["assumption"]) != (source, assumption):
            groups.append({"source": source, "assumption": assumption, "rows": []})
        unit = "" if _missing(row.get("unit")) else str(row["unit"])
        groups[-1]["rows"].append(
            {
                "path": row["path"],
                "value": parameter_value(row["value"], lang),
                "unit": unit_words(unit, lang),
                "unit_as_given": lang != "en" and unit not in PARAMETER_UNITS_NL,
            }
        )
    return groups


def unit_words(unit: str, lang: str) -> str:
    """A parameter's unit (optimizer/units.py) in ``lang``; a unit without a Dutch text stays
    as it is (tests/reports/test_labels.py fails for it)."""
    return unit if lang == "en" else PARAMETER_UNITS_NL.get(unit, unit)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""
