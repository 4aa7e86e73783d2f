"""Every user-visible label key the templates and the code use has an English and a Dutch text.

The keys are read from the source, not from a rendered page, so a label that only a rare branch
shows (an infeasible run, a public note) is checked too: Python files of reports/ through their
syntax tree (``t["key"]``, ``labels("key", …)``, ``view.labels["key"]``, f-string keys as
patterns), templates by pattern (``t.key``, ``t("key")``, ``t["key"]``). Names of codes (place
types, needs, cost components and kinds, capacity rules, solver statuses) and the workbook's
sheet names, column words and units are checked against the sets of codes the run folder uses.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from reports import excel, i18n
from reports.colours import TYPE_STYLES
from reports.runfolder import COSTS, UNITS

ROOT = Path(__file__).resolve().parents[2] / "reports"
LABEL_NAMES = {"t", "labels"}  # variables holding a Labels; also any ``<x>.labels``
TEMPLATE_KEYS = (
    re.compile(r"\bt\.([a-z_][a-z0-9_]*)\b"),
    re.compile(r"\bt\(\s*[\"']([^\"']+)[\"']"),
    re.compile(r"\bt\[\s*[\"']([^\"']+)[\"']\s*\]"),
)
LABEL_METHODS = {"name", "sheet", "column", "lang", "get", "keys", "items", "values"}
STATUSES = ("optimal", "feasible", "infeasible", "unbounded", "no_solution", "error")


def _is_labels(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in LABEL_NAMES
    return isinstance(node, ast.Attribute) and node.attr == "labels"


def _keys_of(node: ast.expr) -> list[str]:
    """Keys a subscript or first argument can take: constants, both arms of an ``if``, and
    f-strings as ``re:`` patterns."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _keys_of(node.body) + _keys_of(node.orelse)
    if isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(v.value) if isinstance(v, ast.Constant) else r"[a-z0-9_]+"
            for v in node.values
        ]
        return ["re:" + "".join(parts)]
    return []


def python_keys(source: str) -> set[str]:
    """Label keys a Python source looks up."""
    keys: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_labels(node.value):
            keys.update(_keys_of(node.slice))
        elif isinstance(node, ast.Call) and _is_labels(node.func) and node.args:
            keys.update(_keys_of(node.args[0]))
    return keys


def template_keys(text: str) -> set[str]:
    found = {key for pattern in TEMPLATE_KEYS for key in pattern.findall(text)}
    return found - LABEL_METHODS


def used_keys() -> dict[str, set[str]]:
    """Per source file of reports/, the label keys it uses."""
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        out[path.relative_to(ROOT).as_posix()] = python_keys(path.read_text(encoding="utf-8"))
    for path in sorted((ROOT / "templates").glob("*.j2")):
        out[f"templates/{path.name}"] = template_keys(path.read_text(encoding="utf-8"))
    return out


def missing(keys: set[str], table: dict[str, str]) -> list[str]:
    """Keys (and f-string patterns matching no key) without a text in ``table``."""
    gone = []
    for key in sorted(keys):
        if key.startswith("re:"):
            if not any(re.fullmatch(key[3:], k) for k in table):
                gone.append(key)
        elif not str(table.get(key, "")).strip():
            gone.append(key)
    return gone


def test_the_scanner_finds_keys_and_reports_a_missing_one() -> None:
    source = (
        "def f(view, t, m, public):\n"
        "    a = t['map_title'] + view.labels['open_map'] + t('layer_ring', km=1)\n"
        "    b = t[f'metric_{m}'] + t['layer_flows_public' if public else 'layer_flows']\n"
        "    return t['no_such_label_anywhere'] + t.name('type', 'closed')\n"
    )
    keys = python_keys(source)
    assert keys == {"map_title", "open_map", "layer_ring", "re:metric_[a-z0-9_]+",
                    "layer_flows_public", "layer_flows", "no_such_label_anywhere"}  # fmt: skip
    assert missing(keys, i18n.NL) == ["no_such_label_anywhere"]
    template = "{{ t.open_map }} {{ t('cells_note', threshold=5) }} {{ t.name('x') }}"
    assert template_keys(template) == {"open_map", "cells_note"}
    used = used_keys()
    assert "map_title" in used["map.py"] and "report_title" in used["templates/report.html.j2"]
    assert sum(len(keys) for keys in used.values()) > 150, "the scanner should see the labels"


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_label_the_code_uses_has_a_text(lang: str) -> None:
    table = i18n.TABLES[lang]
    gaps = {name: missing(keys, table) for name, keys in used_keys().items()}
    assert {name: keys for name, keys in gaps.items() if keys} == {}


def test_both_languages_have_the_same_labels() -> None:
    assert i18n.EN.keys() == i18n.NL.keys()
    assert i18n.NAMES["en"].keys() == i18n.NAMES["nl"].keys()
    placeholders = re.compile(r"\{(\w+)\}")
    for key in i18n.EN:
        assert set(placeholders.findall(i18n.EN[key])) == set(placeholders.findall(i18n.NL[key])), (
            key
        )


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_code_the_run_folder_uses_has_a_name(lang: str) -> None:
    names = i18n.NAMES[lang]
    codes = {f"type.{t}" for t in TYPE_STYLES} | {f"need.{n}" for n in ("secure", "hybrid", "open")}
    codes |= {f"cost.{c}" for c, _ in COSTS.column("component").values} | {"cost.total"}
    codes |= {f"kind.{k}" for k, _ in COSTS.column("kind").values}
    codes |= {f"rule.{r}" for r in ("service_level", "occupancy")}
    codes |= {f"status.{s}" for s in STATUSES}
    assert sorted(c for c in codes if not names.get(c, "").strip()) == []


def test_dutch_terminology() -> None:
    names = i18n.NAMES["nl"]
    assert (names["type.closed"], names["type.hybrid"], names["type.open"]) == (
        "gesloten", "hybride", "open",
    )  # fmt: skip
    assert "machtiging gesloten jeugdhulp" in i18n.NL["need_hybrid_note"]
    assert "machtiging gesloten jeugdhulp" in i18n.NL["need_secure_note"]


def test_the_workbook_has_dutch_sheet_names_column_words_and_units() -> None:
    assert sorted(i18n.SHEET_NAMES["nl"]) == sorted(excel.SHEETS)
    assert all(len(name) <= 31 for name in i18n.SHEET_NAMES["nl"].values())  # Excel's limit
    words = {column.words for columns in excel.SHEETS.values() for column in columns}
    assert sorted(w for w in words if not i18n.COLUMN_WORDS_NL.get(w, "").strip()) == []
    assert sorted(u for u in UNITS if u not in i18n.UNIT_HEADERS_NL) == []
